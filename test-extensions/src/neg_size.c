/* A multi-phase def with a negative m_size (SystemError). */
#include <Python.h>

static PyModuleDef_Slot neg_size_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef neg_size_def = {
    PyModuleDef_HEAD_INIT, "neg_size", NULL, -1, NULL, neg_size_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_neg_size(void)
{
    return PyModuleDef_Init(&neg_size_def);
}
