/* numbers_demo: ints of any size and floats through the number protocol and the
 * conversion functions, with the error cases extensions must handle (overflow, division by
 * zero, wrong types). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* factorial(n): an arbitrary-precision int built with PyNumber_Multiply. */
static PyObject *
nd_factorial(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "factorial() not defined for negative values");
        return NULL;
    }
    PyObject *acc = PyLong_FromLong(1);
    for (long i = 2; acc != NULL && i <= n; i++) {
        PyObject *k = PyLong_FromLong(i);
        if (k == NULL) {
            Py_CLEAR(acc);
            break;
        }
        Py_SETREF(acc, PyNumber_Multiply(acc, k));
        Py_DECREF(k);
    }
    return acc;
}

/* hypot(x, y) with "dd". */
static PyObject *
nd_hypot(PyObject *Py_UNUSED(module), PyObject *args)
{
    double x, y;
    if (!PyArg_ParseTuple(args, "dd:hypot", &x, &y)) {
        return NULL;
    }
    return PyFloat_FromDouble(hypot(x, y));
}

/* safe_div(a, b): (a // b, a % b) with Python's floor semantics, via the number protocol. */
static PyObject *
nd_safe_div(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "safe_div expected 2 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *q = PyNumber_FloorDivide(args[0], args[1]);
    if (q == NULL) {
        return NULL;
    }
    PyObject *r = PyNumber_Remainder(args[0], args[1]);
    if (r == NULL) {
        Py_DECREF(q);
        return NULL;
    }
    return Py_BuildValue("(NN)", q, r);
}

/* to_c_long(x): x as a C long, or OverflowError. */
static PyObject *
nd_to_c_long(PyObject *Py_UNUSED(module), PyObject *arg)
{
    int overflow = 0;
    long v = PyLong_AsLongAndOverflow(arg, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (overflow) {
        PyErr_Format(PyExc_OverflowError, "%s does not fit in a C long",
                     overflow > 0 ? "a large positive int" : "a large negative int");
        return NULL;
    }
    return PyLong_FromLong(v);
}

/* mean(*numbers): the float mean of ints and floats. */
static PyObject *
nd_mean(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "mean() needs at least one number");
        return NULL;
    }
    double total = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double v = PyFloat_AsDouble(PyTuple_GET_ITEM(args, i));
        if (v == -1.0 && PyErr_Occurred()) {
            return NULL;
        }
        total += v;
    }
    return PyFloat_FromDouble(total / (double)n);
}

/* power(base, exp): PyNumber_Power, for ints, floats and negative exponents. */
static PyObject *
nd_power(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *base, *exp;
    if (!PyArg_UnpackTuple(args, "power", 2, 2, &base, &exp)) {
        return NULL;
    }
    return PyNumber_Power(base, exp, Py_None);
}

/* describe(x): a string telling which concrete number type x is. */
static PyObject *
nd_describe(PyObject *Py_UNUSED(module), PyObject *x)
{
    if (PyBool_Check(x)) {
        return PyUnicode_FromFormat("bool %s", x == Py_True ? "True" : "False");
    }
    if (PyLong_Check(x)) {
        return PyUnicode_FromFormat("int %S", x);
    }
    if (PyFloat_Check(x)) {
        return PyUnicode_FromFormat("float %R", x);
    }
    return PyUnicode_FromFormat("not a number: %.50s", Py_TYPE(x)->tp_name);
}

static PyMethodDef nd_methods[] = {
    {"factorial", nd_factorial, METH_O, "n! as an int of any size."},
    {"hypot", nd_hypot, METH_VARARGS, "sqrt(x*x + y*y)"},
    {"safe_div", (PyCFunction)(void (*)(void))nd_safe_div, METH_FASTCALL, "(a // b, a % b)"},
    {"to_c_long", nd_to_c_long, METH_O, "x as a C long."},
    {"mean", nd_mean, METH_VARARGS, "The mean of the arguments."},
    {"power", nd_power, METH_VARARGS, "base ** exp"},
    {"describe", nd_describe, METH_O, "Which number type."},
    {NULL, NULL, 0, NULL},
};

static int
nd_exec(PyObject *m)
{
    if (PyModule_AddIntConstant(m, "LONG_BITS", (long)(8 * sizeof(long))) < 0) {
        return -1;
    }
    PyObject *tau = PyFloat_FromDouble(6.283185307179586);
    if (tau == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(m, "TAU", tau);
    Py_DECREF(tau);
    return rc;
}

static PyModuleDef_Slot nd_slots[] = {
    {Py_mod_exec, nd_exec},
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef nd_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "numbers_demo",
    .m_doc = "Ints and floats through the number protocol.",
    .m_size = 0,
    .m_methods = nd_methods,
    .m_slots = nd_slots,
};

PyMODINIT_FUNC
PyInit_numbers_demo(void)
{
    return PyModuleDef_Init(&nd_module);
}
