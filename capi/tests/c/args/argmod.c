/* The argument-parsing and value-building test module of capi/tests/args.rs
   (a_c_module_parses_and_builds): its methods reach PyArg_* and Py_BuildValue from C. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *kwfunc(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"a", "b", "name", NULL};
    int a;
    double b = 2.5;
    const char *name = "none";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "i|d$s:kwfunc", kwlist, &a, &b, &name))
        return NULL;
    return Py_BuildValue("{s:i,s:d,s:s}", "a", a, "b", b, "name", name);
}

static int parse_va(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int r = PyArg_VaParse(args, format, va);
    va_end(va);
    return r;
}

static PyObject *sum(PyObject *self, PyObject *args)
{
    long x;
    long long y = 0;
    if (!parse_va(args, "l|L:sum", &x, &y))
        return NULL;
    return PyLong_FromLongLong(x + y);
}

static PyObject *callback(PyObject *self, PyObject *args)
{
    PyObject *f;
    if (!PyArg_ParseTuple(args, "O:callback", &f))
        return NULL;
    return PyObject_CallFunction(f, "is", 7, "seven");
}

static PyObject *build(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return Py_BuildValue("(n(sK)O)", n, "big", 0xFFFFFFFFFFFFFFFFULL, self);
}

static PyObject *call_method(PyObject *self, PyObject *args)
{
    PyObject *obj, *name;
    if (!PyArg_ParseTuple(args, "OU", &obj, &name))
        return NULL;
    return PyObject_CallMethodObjArgs(obj, name, name, NULL);
}

static PyObject *echo(PyObject *self, PyObject *args)
{
    return Py_NewRef(args);
}

static PyMethodDef methods[] = {
    {"kwfunc", (PyCFunction)(void (*)(void))kwfunc, METH_VARARGS | METH_KEYWORDS, NULL},
    {"sum", sum, METH_VARARGS, NULL},
    {"callback", callback, METH_VARARGS, NULL},
    {"build", build, METH_O, NULL},
    {"call_method", call_method, METH_VARARGS, NULL},
    {"echo", echo, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

PyMethodDef *gg_methods(void) { return methods; }
