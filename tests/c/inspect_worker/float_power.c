/* A module whose init computes 2.0 ** 0.5 through the C API (gilgate's float power calls the C
 * library's pow, which gilgate loads on its first use) and fails with ValueError unless the
 * result is the double nearest the square root of 2. It does not link libm itself. */
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "float_power", NULL, 0, NULL,
                                 NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_float_power(void)
{
    PyObject *two = PyFloat_FromDouble(2.0);
    PyObject *half = PyFloat_FromDouble(0.5);
    PyObject *root = NULL;
    if (two != NULL && half != NULL) {
        root = PyNumber_Power(two, half, Py_None);
    }
    Py_XDECREF(two);
    Py_XDECREF(half);
    if (root == NULL) {
        return NULL;
    }
    if (PyFloat_AsDouble(root) != 1.4142135623730951) {
        PyErr_Format(PyExc_ValueError, "float_power: 2.0 ** 0.5 gave %R", root);
        Py_DECREF(root);
        return NULL;
    }
    Py_DECREF(root);
    PyObject *m = PyModule_Create(&def);
    if (m != NULL && PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
