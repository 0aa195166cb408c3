/* Multi-phase without a gil slot whose exec slot calls PyUnstable_Module_SetGIL:
 * too late, the decision was made after create (CPython ignores it). */
#include <Python.h>

static int mp_setgil_exec_exec(PyObject *module)
{
    return PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED);
}

static PyModuleDef_Slot mp_setgil_exec_slots[] = {
    {Py_mod_exec, (void *)mp_setgil_exec_exec},
    {0, NULL},
};

static PyModuleDef mp_setgil_exec_def = {
    PyModuleDef_HEAD_INIT, "mp_setgil_exec", NULL, 0, NULL, mp_setgil_exec_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mp_setgil_exec(void)
{
    return PyModuleDef_Init(&mp_setgil_exec_def);
}
