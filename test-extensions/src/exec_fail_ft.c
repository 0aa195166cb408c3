/* Declared free-threaded; its exec slot raises RuntimeError. inspect never runs exec,
 * so only `load` shows the failure; the lock stays off (the decision came before exec). */
#include <Python.h>

static int exec_fail_ft_exec(PyObject *module)
{
    (void)module;
    PyErr_SetString(PyExc_RuntimeError, "exec_fail_ft: exec failed on purpose");
    return -1;
}

static PyModuleDef_Slot exec_fail_ft_slots[] = {
    {Py_mod_exec, (void *)exec_fail_ft_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef exec_fail_ft_def = {
    PyModuleDef_HEAD_INIT, "exec_fail_ft", NULL, 0, NULL, exec_fail_ft_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_exec_fail_ft(void)
{
    return PyModuleDef_Init(&exec_fail_ft_def);
}
