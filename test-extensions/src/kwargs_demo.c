/* kwargs_demo: keyword arguments both ways extension authors handle them:
 * METH_VARARGS|METH_KEYWORDS with PyArg_ParseTupleAndKeywords (optional and keyword-only
 * parameters), and METH_FASTCALL|METH_KEYWORDS with the keyword names tuple walked by hand. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* greet(name, greeting="Hello", *, punct="!", times=1) */
static PyObject *
kd_greet(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"name", "greeting", "punct", "times", NULL};
    const char *name, *greeting = "Hello", *punct = "!";
    int times = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|s$si:greet", kwlist,
                                     &name, &greeting, &punct, &times)) {
        return NULL;
    }
    if (times < 1) {
        PyErr_SetString(PyExc_ValueError, "times must be at least 1");
        return NULL;
    }
    PyObject *one = PyUnicode_FromFormat("%s, %s%s", greeting, name, punct);
    if (one == NULL || times == 1) {
        return one;
    }
    PyObject *sep = PyUnicode_FromString(" ");
    PyObject *list = PyList_New(times);
    if (sep == NULL || list == NULL) {
        Py_XDECREF(sep);
        Py_XDECREF(list);
        Py_DECREF(one);
        return NULL;
    }
    for (int i = 0; i < times; i++) {
        PyList_SET_ITEM(list, i, Py_NewRef(one));
    }
    PyObject *res = PyUnicode_Join(sep, list);
    Py_DECREF(sep);
    Py_DECREF(list);
    Py_DECREF(one);
    return res;
}

/* scale(x, factor=2.0, *, offset=0.0) -> x * factor + offset, with a vectorcall signature. */
static PyObject *
kd_scale(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs,
         PyObject *kwnames)
{
    PyObject *x = NULL, *factor = NULL, *offset = NULL;
    if (nargs < 1 || nargs > 2) {
        PyErr_Format(PyExc_TypeError, "scale() takes 1 or 2 positional arguments (%zd given)",
                     nargs);
        return NULL;
    }
    x = args[0];
    if (nargs == 2) {
        factor = args[1];
    }
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, i);
        PyObject *value = args[nargs + i];
        if (PyUnicode_CompareWithASCIIString(key, "factor") == 0) {
            if (factor != NULL) {
                PyErr_SetString(PyExc_TypeError,
                                "scale() got multiple values for argument 'factor'");
                return NULL;
            }
            factor = value;
        }
        else if (PyUnicode_CompareWithASCIIString(key, "offset") == 0) {
            offset = value;
        }
        else {
            PyErr_Format(PyExc_TypeError, "scale() got an unexpected keyword argument '%U'",
                         key);
            return NULL;
        }
    }
    double xv = PyFloat_AsDouble(x);
    if (xv == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    double fv = factor ? PyFloat_AsDouble(factor) : 2.0;
    if (fv == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    double ov = offset ? PyFloat_AsDouble(offset) : 0.0;
    if (ov == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(xv * fv + ov);
}

/* record(*args, **kwargs) -> (args, kwargs or None) */
static PyObject *
kd_record(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(OO)", args, kwargs ? kwargs : Py_None);
}

/* span(start, stop, step=1): the ints of the range as a list ("l|l" with named fields). */
static PyObject *
kd_span(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"start", "stop", "step", NULL};
    long start, stop, step = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ll|l:span", kwlist, &start, &stop, &step)) {
        return NULL;
    }
    if (step == 0) {
        PyErr_SetString(PyExc_ValueError, "span() arg 3 must not be zero");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    for (long i = start; out != NULL && (step > 0 ? i < stop : i > stop); i += step) {
        PyObject *v = PyLong_FromLong(i);
        if (v == NULL || PyList_Append(out, v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(out);
            break;
        }
        Py_DECREF(v);
    }
    return out;
}

static PyMethodDef kd_methods[] = {
    {"greet", (PyCFunction)(void (*)(void))kd_greet, METH_VARARGS | METH_KEYWORDS,
     "greet(name, greeting='Hello', *, punct='!', times=1)"},
    {"scale", (PyCFunction)(void (*)(void))kd_scale, METH_FASTCALL | METH_KEYWORDS,
     "scale(x, factor=2.0, *, offset=0.0)"},
    {"record", (PyCFunction)(void (*)(void))kd_record, METH_VARARGS | METH_KEYWORDS,
     "(args, kwargs)"},
    {"span", (PyCFunction)(void (*)(void))kd_span, METH_VARARGS | METH_KEYWORDS,
     "span(start, stop, step=1)"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot kd_slots[] = {
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef kd_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "kwargs_demo",
    .m_doc = "Keyword arguments through PyArg_ParseTupleAndKeywords and vectorcall.",
    .m_size = 0,
    .m_methods = kd_methods,
    .m_slots = kd_slots,
};

PyMODINIT_FUNC
PyInit_kwargs_demo(void)
{
    return PyModuleDef_Init(&kd_module);
}
