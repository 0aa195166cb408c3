/* Built by tests/modlock.rs: an undeclared single-phase module whose functions are defined in
 * its private library (`privlib.c`, loaded from `withlib.libs/` by its rpath). */
#include <Python.h>

extern PyObject *wl_bump(PyObject *self, PyObject *unused);
extern PyObject *wl_count(PyObject *self, PyObject *unused);

static PyMethodDef methods[] = {
    {"bump", wl_bump, METH_NOARGS, NULL},
    {"count", wl_count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "withlib", NULL, -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_withlib(void)
{
    return PyModule_Create(&def);
}
