/* A module of tests/inspect_paths.rs that needs the wheel's library helper.c, found through
   $ORIGIN/../pkg.libs as auditwheel arranges it. */
#include <Python.h>
int gg_helper_answer(void);
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "needlib", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_needlib(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m != NULL && PyModule_AddIntConstant(m, "answer", gg_helper_answer()) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
