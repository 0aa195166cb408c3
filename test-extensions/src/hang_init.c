/* An init that never returns. */
#include <Python.h>

PyMODINIT_FUNC PyInit_hang_init(void)
{
    for (;;) {
        sleep(1);
    }
}
