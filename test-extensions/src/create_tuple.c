/* A create slot that returns a new tuple instead of a module, with gil NOT_USED.
 * CPython accepts it (no state, no exec), but a non-module counts as undeclared. */
#include <Python.h>

static PyObject *create_tuple_create(PyObject *spec, PyModuleDef *def)
{
    (void)spec;
    (void)def;
    return PyTuple_New(0);
}

static PyModuleDef_Slot create_tuple_slots[] = {
    {Py_mod_create, (void *)create_tuple_create},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef create_tuple_def = {
    PyModuleDef_HEAD_INIT, "create_tuple", NULL, 0, NULL, create_tuple_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_create_tuple(void)
{
    return PyModuleDef_Init(&create_tuple_def);
}
