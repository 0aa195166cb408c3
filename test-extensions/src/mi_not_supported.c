/* Py_mod_multiple_interpreters = NOT_SUPPORTED, gil NOT_USED. */
#include <Python.h>

static PyModuleDef_Slot mi_not_supported_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef mi_not_supported_def = {
    PyModuleDef_HEAD_INIT, "mi_not_supported", NULL, 0, NULL, mi_not_supported_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mi_not_supported(void)
{
    return PyModuleDef_Init(&mi_not_supported_def);
}
