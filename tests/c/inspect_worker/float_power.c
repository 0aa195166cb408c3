/* A module whose init computes 2.0 ** 0.5 through the C API (gilgate's float power calls the C
 * library's pow, which gilgate loads on its first use) and hypot(3, 4) itself, and fails with
 * ValueError unless the results are the double nearest the square root of 2 and 5. It does
 * not link libm (as many extensions do not: CPython's interpreter links it), so it loads only
 * where libm's functions are in the process's global scope. */
#include <Python.h>
#include <math.h>

/* Not constants, so the compiler leaves the call to hypot in. */
static volatile double three = 3.0, four = 4.0;

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
    if (hypot(three, four) != 5.0) {
        PyErr_SetString(PyExc_ValueError, "float_power: hypot(3, 4) is not 5");
        return NULL;
    }
    PyObject *m = PyModule_Create(&def);
    if (m != NULL && PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
