/* PyInit returns NULL without setting an exception (SystemError). */
#include <Python.h>

PyMODINIT_FUNC PyInit_null_noexc(void)
{
    return NULL;
}
