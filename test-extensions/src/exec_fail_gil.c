/* Undeclared (no gil slot); its exec slot raises RuntimeError. The lock was already
 * enabled permanently after create, so it stays on although exec failed. */
#include <Python.h>

static int exec_fail_gil_exec(PyObject *module)
{
    (void)module;
    PyErr_SetString(PyExc_RuntimeError, "exec_fail_gil: exec failed on purpose");
    return -1;
}

static PyModuleDef_Slot exec_fail_gil_slots[] = {
    {Py_mod_exec, (void *)exec_fail_gil_exec},
    {0, NULL},
};

static PyModuleDef exec_fail_gil_def = {
    PyModuleDef_HEAD_INIT, "exec_fail_gil", NULL, 0, NULL, exec_fail_gil_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_exec_fail_gil(void)
{
    return PyModuleDef_Init(&exec_fail_gil_def);
}
