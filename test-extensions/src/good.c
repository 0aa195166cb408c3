/* A well-formed, declared free-threaded multi-phase module whose name comes from
 * GG_NAME at build time. Built several times under different file names: with the
 * GIL-build tag, as .abi3.so and untagged. Its exec slot does a Py_DECREF, so the file
 * imports _Py_MergeZeroLocalRefcount/_Py_DecRefShared (the free-threaded refcount ABI). */
#include <Python.h>

#ifndef GG_NAME
#  error "build with -DGG_NAME=<module name>"
#endif
#define GG_STR2(x) #x
#define GG_STR(x) GG_STR2(x)
#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)

static int good_exec(PyObject *module)
{
    PyObject *value = PyUnicode_FromString("good");
    if (value == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(module, "kind", value);
    Py_DECREF(value);
    return rc;
}

static PyModuleDef_Slot good_slots[] = {
    {Py_mod_exec, (void *)good_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef good_def = {
    PyModuleDef_HEAD_INIT, GG_STR(GG_NAME), NULL, 0, NULL, good_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC GG_CAT(PyInit_, GG_NAME)(void)
{
    return PyModuleDef_Init(&good_def);
}
