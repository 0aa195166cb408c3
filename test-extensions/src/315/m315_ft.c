/* Built with GILGATE_TARGET_3_15: a PyModuleDef whose slots use 3.15 numbering
 * (Py_mod_create 84, Py_mod_exec 85, Py_mod_multiple_interpreters 86, Py_mod_gil 87). */
#include <Python.h>

static PyObject *m315_ft_create(PyObject *spec, PyModuleDef *def)
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

static int m315_ft_exec(PyObject *module)
{
    return PyModule_AddIntConstant(module, "answer", 315);
}

static PyModuleDef_Slot m315_ft_slots[] = {
    {Py_mod_create, (void *)m315_ft_create},
    {Py_mod_exec, (void *)m315_ft_exec},
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef m315_ft_def = {
    PyModuleDef_HEAD_INIT, "m315_ft", NULL, 0, NULL, m315_ft_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_m315_ft(void)
{
    return PyModuleDef_Init(&m315_ft_def);
}
