/* Py_mod_multiple_interpreters = PER_INTERPRETER_GIL_SUPPORTED, gil NOT_USED. */
#include <Python.h>

static PyModuleDef_Slot mi_per_interp_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef mi_per_interp_def = {
    PyModuleDef_HEAD_INIT, "mi_per_interp", NULL, 0, NULL, mi_per_interp_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mi_per_interp(void)
{
    return PyModuleDef_Init(&mi_per_interp_def);
}
