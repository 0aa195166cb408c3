/* PyInit returns its def without calling PyModuleDef_Init: ob_type is still NULL (SystemError). */
#include <Python.h>

static PyModuleDef_Slot uninit_def_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef uninit_def_def = {
    PyModuleDef_HEAD_INIT, "uninit_def", NULL, 0, NULL, uninit_def_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_uninit_def(void)
{
    return (PyObject *)&uninit_def_def;
}
