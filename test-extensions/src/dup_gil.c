/* Two Py_mod_gil slots (SystemError). */
#include <Python.h>

static PyModuleDef_Slot dup_gil_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef dup_gil_def = {
    PyModuleDef_HEAD_INIT, "dup_gil", NULL, 0, NULL, dup_gil_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_dup_gil(void)
{
    return PyModuleDef_Init(&dup_gil_def);
}
