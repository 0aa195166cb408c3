/* Built by tests/modlock.rs: a multi-phase module declaring Py_MOD_GIL_NOT_USED; its functions
 * must never wait for the per-module lock. */
#include <Python.h>
#include <stdatomic.h>

static PyObject *work(PyObject *self, PyObject *unused)
{
    PyObject *l = PyList_New(0);
    if (l == NULL)
        return NULL;
    PyObject *v = PyLong_FromLong(7);
    if (v == NULL || PyList_Append(l, v) < 0) {
        Py_XDECREF(v);
        Py_DECREF(l);
        return NULL;
    }
    Py_DECREF(v);
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *set_flag(PyObject *self, PyObject *arg)
{
    atomic_int *flags = (atomic_int *)PyLong_AsVoidPtr(arg);
    if (flags == NULL && PyErr_Occurred())
        return NULL;
    atomic_store(&flags[0], 1);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"work", work, METH_NOARGS, NULL},
    {"set_flag", set_flag, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "declared", NULL, 0, methods, slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_declared(void)
{
    return PyModuleDef_Init(&def);
}
