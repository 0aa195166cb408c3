/* A 3.15 slot number (87 = Py_mod_gil in 3.15) in a module tagged cpython-314t: unknown under 3.14 rules. */
#include <Python.h>

static PyModuleDef_Slot slot87_314_slots[] = {
    {87, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef slot87_314_def = {
    PyModuleDef_HEAD_INIT, "slot87_314", NULL, 0, NULL, slot87_314_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_slot87_314(void)
{
    return PyModuleDef_Init(&slot87_314_def);
}
