/* An init that terminates the process with exit(3). */
#include <Python.h>

PyMODINIT_FUNC PyInit_exit_init(void)
{
    exit(3);
}
