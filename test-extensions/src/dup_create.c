/* Two Py_mod_create slots (SystemError). */
#include <Python.h>

static PyObject *dup_create_create(PyObject *spec, PyModuleDef *def)
{
    (void)spec;
    (void)def;
    return PyModule_New("dup_create");
}

static PyModuleDef_Slot dup_create_slots[] = {
    {Py_mod_create, (void *)dup_create_create},
    {Py_mod_create, (void *)dup_create_create},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef dup_create_def = {
    PyModuleDef_HEAD_INIT, "dup_create", NULL, 0, NULL, dup_create_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_dup_create(void)
{
    return PyModuleDef_Init(&dup_create_def);
}
