/* Multi-phase with an exec slot but no Py_mod_gil slot: the GIL is required by default. */
#include <Python.h>

static int mp_noslot_exec(PyObject *module)
{
    return PyModule_AddIntConstant(module, "answer", 1);
}

static PyModuleDef_Slot mp_noslot_slots[] = {
    {Py_mod_exec, (void *)mp_noslot_exec},
    {0, NULL},
};

static PyModuleDef mp_noslot_def = {
    PyModuleDef_HEAD_INIT, "mp_noslot", NULL, 0, NULL, mp_noslot_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mp_noslot(void)
{
    return PyModuleDef_Init(&mp_noslot_def);
}
