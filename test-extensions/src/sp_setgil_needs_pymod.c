/* Single-phase init that declares itself free-threaded with PyUnstable_Module_SetGIL and then
 * imports a pure-Python module (json), as bottleneck and numexpr do with numpy. gilgate runs no
 * Python source, so the import fails; the declaration came first, so inspect reports it as the
 * verdict, marked "init incomplete" (CPython, which has json, would finish the init). */
#include <Python.h>

static struct PyModuleDef sp_setgil_needs_pymod_def = {
    PyModuleDef_HEAD_INIT, "sp_setgil_needs_pymod", NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_sp_setgil_needs_pymod(void)
{
    PyObject *m = PyModule_Create(&sp_setgil_needs_pymod_def);
    if (m == NULL) {
        return NULL;
    }
    if (PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    PyObject *json = PyImport_ImportModule("json");
    if (json == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    Py_DECREF(json);
    return m;
}
