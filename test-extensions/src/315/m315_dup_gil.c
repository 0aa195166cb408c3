/* 3.15 numbering, two Py_mod_gil (87) slots and m_size -1: 3.15 validates the slots
 * before m_size, so the duplicate is what is reported. */
#include <Python.h>

static PyModuleDef_Slot m315_dup_gil_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef m315_dup_gil_def = {
    PyModuleDef_HEAD_INIT, "m315_dup_gil", NULL, -1, NULL, m315_dup_gil_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_m315_dup_gil(void)
{
    return PyModuleDef_Init(&m315_dup_gil_def);
}
