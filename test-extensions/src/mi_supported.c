/* Py_mod_multiple_interpreters = SUPPORTED, gil NOT_USED. */
#include <Python.h>

static PyModuleDef_Slot mi_supported_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef mi_supported_def = {
    PyModuleDef_HEAD_INIT, "mi_supported", NULL, 0, NULL, mi_supported_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mi_supported(void)
{
    return PyModuleDef_Init(&mi_supported_def);
}
