/* Single-phase (PyModule_Create) without PyUnstable_Module_SetGIL: requires the GIL. */
#include <Python.h>

static PyModuleDef sp_plain_def = {
    PyModuleDef_HEAD_INIT, "sp_plain", NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_sp_plain(void)
{
    PyObject *m = PyModule_Create(&sp_plain_def);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "answer", 7) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
