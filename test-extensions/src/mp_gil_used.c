/* Multi-phase with an explicit Py_mod_gil = Py_MOD_GIL_USED. */
#include <Python.h>

static PyModuleDef_Slot mp_gil_used_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_USED},
    {0, NULL},
};

static PyModuleDef mp_gil_used_def = {
    PyModuleDef_HEAD_INIT, "mp_gil_used", NULL, 0, NULL, mp_gil_used_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mp_gil_used(void)
{
    return PyModuleDef_Init(&mp_gil_used_def);
}
