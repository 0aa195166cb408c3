/* Declared free-threaded; exec returns -1 without setting an exception (SystemError at load). */
#include <Python.h>

static int exec_noexc_exec(PyObject *module)
{
    (void)module;
    return -1;
}

static PyModuleDef_Slot exec_noexc_slots[] = {
    {Py_mod_exec, (void *)exec_noexc_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef exec_noexc_def = {
    PyModuleDef_HEAD_INIT, "exec_noexc", NULL, 0, NULL, exec_noexc_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_exec_noexc(void)
{
    return PyModuleDef_Init(&exec_noexc_def);
}
