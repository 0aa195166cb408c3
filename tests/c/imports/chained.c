/* Built by tests/imports.rs as module GG_NAME (multi-phase): its exec imports GG_IMPORT and,
 * when that fails, wraps the error twice the way pybind11's raise_from does (matplotlib's
 * _tkagg: "initialization failed" from "failed to load tkinter functions" from the import).
 * With GG_CAPSULE defined, the exec instead imports that capsule (greenlet's PyCapsule_Import
 * of "greenlet._C_API", set by the package's __init__.py) and fails as it does. */
#include <Python.h>

#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)
#define GG_STR2(a) #a
#define GG_STR(a) GG_STR2(a)

/* Raises ImportError(msg) with the pending exception as its __cause__ and __context__. */
static void gg_raise_from(const char *msg)
{
    PyObject *inner = PyErr_GetRaisedException();
    PyErr_SetString(PyExc_ImportError, msg);
    PyObject *outer = PyErr_GetRaisedException();
    PyException_SetCause(outer, Py_NewRef(inner));
    PyException_SetContext(outer, inner);
    PyErr_SetRaisedException(outer);
}

static int gg_exec(PyObject *m)
{
#ifdef GG_CAPSULE
    if (PyCapsule_Import(GG_CAPSULE, 0) == NULL)
        return -1;
#endif
    PyObject *dep = PyImport_ImportModule(GG_IMPORT);
    if (dep == NULL) {
        gg_raise_from("failed to load its dependency");
        gg_raise_from("initialization failed");
        return -1;
    }
    int rc = PyModule_AddObjectRef(m, "dep", dep);
    Py_DECREF(dep);
    return rc;
}

static PyModuleDef_Slot gg_slots[] = {
    {Py_mod_exec, (void *)gg_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef gg_def = {
    PyModuleDef_HEAD_INIT, GG_STR(GG_NAME), NULL, 0, NULL, gg_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC GG_CAT(PyInit_, GG_NAME)(void)
{
    return PyModuleDef_Init(&gg_def);
}
