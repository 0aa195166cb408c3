/* PyInit raises ValueError and returns NULL: the exception propagates unchanged. */
#include <Python.h>

PyMODINIT_FUNC PyInit_init_raises(void)
{
    PyErr_SetString(PyExc_ValueError, "init_raises refuses to load");
    return NULL;
}
