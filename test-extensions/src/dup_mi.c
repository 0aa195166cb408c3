/* Two Py_mod_multiple_interpreters slots (SystemError). */
#include <Python.h>

static PyModuleDef_Slot dup_mi_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef dup_mi_def = {
    PyModuleDef_HEAD_INIT, "dup_mi", NULL, 0, NULL, dup_mi_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_dup_mi(void)
{
    return PyModuleDef_Init(&dup_mi_def);
}
