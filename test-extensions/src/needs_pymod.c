/* A single-phase init that imports a pure-Python module (json), as many real modules do.
 * gilgate runs no Python source, so the import fails with ModuleNotFoundError (name 'json');
 * inspect keeps that error and adds the needs-python-module lint. */
#include <Python.h>

static struct PyModuleDef needs_pymod_def = {
    PyModuleDef_HEAD_INIT, "needs_pymod", NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_needs_pymod(void)
{
    PyObject *json = PyImport_ImportModule("json");
    if (json == NULL) {
        return NULL;
    }
    Py_DECREF(json);
    return PyModule_Create(&needs_pymod_def);
}
