/* PyInit returns a (valid) def while an exception is set (SystemError, chained). */
#include <Python.h>

static PyModuleDef_Slot init_unreported_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef init_unreported_def = {
    PyModuleDef_HEAD_INIT, "init_unreported", NULL, 0, NULL, init_unreported_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_init_unreported(void)
{
    PyErr_SetString(PyExc_ValueError, "left behind");
    return PyModuleDef_Init(&init_unreported_def);
}
