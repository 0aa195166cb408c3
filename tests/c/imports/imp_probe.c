/* Built by tests/imports.rs as several single-phase modules: GG_NAME is the module name,
 * GG_IMPORT the dotted name its init imports (as extensions do for their dependencies). */
#include <Python.h>

#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)
#define GG_STR2(a) #a
#define GG_STR(a) GG_STR2(a)

static struct PyModuleDef gg_def = {
    PyModuleDef_HEAD_INIT, GG_STR(GG_NAME), NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC GG_CAT(PyInit_, GG_NAME)(void)
{
    PyObject *dep = PyImport_ImportModule(GG_IMPORT);
    if (dep == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&gg_def);
    if (m != NULL && PyModule_AddObjectRef(m, "dep", dep) < 0) {
        Py_DECREF(m);
        m = NULL;
    }
    Py_DECREF(dep);
    return m;
}
