/* Single-phase (PyModule_Create) that calls PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED). */
#include <Python.h>

static PyModuleDef sp_setgil_def = {
    PyModuleDef_HEAD_INIT, "sp_setgil", NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_sp_setgil(void)
{
    PyObject *m = PyModule_Create(&sp_setgil_def);
    if (m == NULL) {
        return NULL;
    }
#ifdef Py_GIL_DISABLED
    if (PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
#endif
    return m;
}
