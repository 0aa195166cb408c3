/* containers_demo: building and walking lists, tuples, dicts and sets with the concrete API
 * (PyList_Append, PyTuple_Pack, PyDict_Next, PyDict_GetItemRef, PySet_Add,
 * PySequence_Fast, PyObject_GetIter/PyIter_Next), as data-munging extensions do. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* chunks(seq, n): a list of tuples of n items (the last one may be shorter). */
static PyObject *
cd_chunks(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *seq;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On:chunks", &seq, &n)) {
        return NULL;
    }
    if (n <= 0) {
        PyErr_SetString(PyExc_ValueError, "chunk size must be positive");
        return NULL;
    }
    PyObject *fast = PySequence_Fast(seq, "chunks() expects a sequence");
    if (fast == NULL) {
        return NULL;
    }
    Py_ssize_t len = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        Py_DECREF(fast);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < len; i += n) {
        Py_ssize_t m = len - i < n ? len - i : n;
        PyObject *t = PyTuple_New(m);
        if (t == NULL) {
            goto error;
        }
        for (Py_ssize_t j = 0; j < m; j++) {
            PyTuple_SET_ITEM(t, j, Py_NewRef(items[i + j]));
        }
        int rc = PyList_Append(out, t);
        Py_DECREF(t);
        if (rc < 0) {
            goto error;
        }
    }
    Py_DECREF(fast);
    return out;
error:
    Py_DECREF(fast);
    Py_DECREF(out);
    return NULL;
}

/* invert(d): a new dict mapping each value to its key. */
static PyObject *
cd_invert(PyObject *Py_UNUSED(module), PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_Format(PyExc_TypeError, "invert() expects a dict, not %.200s",
                     Py_TYPE(d)->tp_name);
        return NULL;
    }
    PyObject *out = PyDict_New();
    if (out == NULL) {
        return NULL;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(d, &pos, &key, &value)) {
        if (PyDict_SetItem(out, value, key) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* lookup(d, key, default=None): d[key] if present, else default (PyDict_GetItemRef). */
static PyObject *
cd_lookup(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *d, *key, *dflt = Py_None, *value;
    if (!PyArg_ParseTuple(args, "O!O|O:lookup", &PyDict_Type, &d, &key, &dflt)) {
        return NULL;
    }
#if PY_VERSION_HEX >= 0x030D0000
    int rc = PyDict_GetItemRef(d, key, &value);
    if (rc < 0) {
        return NULL;
    }
    return rc ? value : Py_NewRef(dflt);
#else
    value = PyDict_GetItemWithError(d, key);
    if (value == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return Py_NewRef(value ? value : dflt);
#endif
}

/* unique(iterable): a set of the items. */
static PyObject *
cd_unique(PyObject *Py_UNUSED(module), PyObject *iterable)
{
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return NULL;
    }
    PyObject *out = PySet_New(NULL);
    if (out == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int rc = PySet_Add(out, item);
        Py_DECREF(item);
        if (rc < 0) {
            break;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* summary(seq): (len, first, last, reversed list), through the sequence protocol. */
static PyObject *
cd_summary(PyObject *Py_UNUSED(module), PyObject *seq)
{
    Py_ssize_t n = PySequence_Size(seq);
    if (n < 0) {
        return NULL;
    }
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "summary() of an empty sequence");
        return NULL;
    }
    PyObject *list = PySequence_List(seq);
    if (list == NULL) {
        return NULL;
    }
    if (PyList_Reverse(list) < 0) {
        Py_DECREF(list);
        return NULL;
    }
    PyObject *first = PySequence_GetItem(seq, 0);
    PyObject *last = PySequence_GetItem(seq, -1);
    PyObject *res = NULL;
    if (first != NULL && last != NULL) {
        res = Py_BuildValue("(nOON)", n, first, last, list);
        list = NULL;
    }
    Py_XDECREF(first);
    Py_XDECREF(last);
    Py_XDECREF(list);
    return res;
}

/* pairs(**kwargs): the keyword arguments as a sorted list of (name, value) tuples. */
static PyObject *
cd_pairs(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(args), PyObject *kwargs)
{
    PyObject *out = PyList_New(0);
    if (out == NULL || kwargs == NULL) {
        return out;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kwargs, &pos, &key, &value)) {
        PyObject *t = PyTuple_Pack(2, key, value);
        if (t == NULL || PyList_Append(out, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(t);
    }
    if (PyList_Sort(out) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

static PyMethodDef cd_methods[] = {
    {"chunks", cd_chunks, METH_VARARGS, "Split a sequence into tuples of n items."},
    {"invert", cd_invert, METH_O, "Swap keys and values."},
    {"lookup", cd_lookup, METH_VARARGS, "d[key], or default."},
    {"unique", cd_unique, METH_O, "The set of the items."},
    {"summary", cd_summary, METH_O, "(len, first, last, reversed)"},
    {"pairs", (PyCFunction)(void (*)(void))cd_pairs, METH_VARARGS | METH_KEYWORDS,
     "Sorted (name, value) pairs of the keyword arguments."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot cd_slots[] = {
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef cd_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "containers_demo",
    .m_doc = "Lists, tuples, dicts and sets through the concrete object API.",
    .m_size = 0,
    .m_methods = cd_methods,
    .m_slots = cd_slots,
};

PyMODINIT_FUNC
PyInit_containers_demo(void)
{
    return PyModuleDef_Init(&cd_module);
}
