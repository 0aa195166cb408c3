/* Multi-phase, declared free-threaded: a create slot builds the module from the
 * spec's name, an exec slot adds a constant, Py_mod_gil = Py_MOD_GIL_NOT_USED. */
#include <Python.h>

static PyObject *mp_ft_create(PyObject *spec, PyModuleDef *def)
{
    (void)def;
    PyObject *name = PyObject_GetAttrString(spec, "name");
    if (name == NULL) {
        return NULL;
    }
    PyObject *module = PyModule_NewObject(name);
    Py_DECREF(name);
    return module;
}

static int mp_ft_exec(PyObject *module)
{
    return PyModule_AddIntConstant(module, "answer", 42);
}

static PyModuleDef_Slot mp_ft_slots[] = {
    {Py_mod_create, (void *)mp_ft_create},
    {Py_mod_exec, (void *)mp_ft_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef mp_ft_def = {
    PyModuleDef_HEAD_INIT,
    "mp_ft",
    "multi-phase module that declares it does not need the GIL",
    0,
    NULL,
    mp_ft_slots,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit_mp_ft(void)
{
    return PyModuleDef_Init(&mp_ft_def);
}
