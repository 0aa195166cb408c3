/* unraisable: a module whose init reports an exception as unraisable (which gilgate prints on
 * stderr, as CPython's default hook does, and also passes to `tracing` as a warning), then
 * returns its definition. */
#include <Python.h>

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "unraisable",
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit_unraisable(void)
{
    PyErr_SetString(PyExc_RuntimeError, "unraisable probe");
    PyErr_WriteUnraisable(NULL);
    return PyModuleDef_Init(&def);
}
