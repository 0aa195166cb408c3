/* strproc: string processing through the PEP 393 inline API (PyUnicode_KIND, _DATA,
 * _GET_LENGTH, _READ, _WRITE, PyUnicode_New with the right maximum character), the way
 * fast text-processing extensions (markupsafe, ujson, ...) walk and build strings. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* swapcase for ASCII letters; every other character is copied. */
static PyObject *
strproc_swap_ascii(PyObject *Py_UNUSED(module), PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "expected str, got %.200s", Py_TYPE(s)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c > maxchar) {
            maxchar = c;
        }
    }
    PyObject *out = PyUnicode_New(n, maxchar);
    if (out == NULL) {
        return NULL;
    }
    int okind = PyUnicode_KIND(out);
    void *odata = PyUnicode_DATA(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 'a' && c <= 'z') {
            c -= 'a' - 'A';
        }
        else if (c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        PyUnicode_WRITE(okind, odata, i, c);
    }
    return out;
}

/* reverse(s): the code points in reverse order. */
static PyObject *
strproc_reverse(PyObject *Py_UNUSED(module), PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "expected str, got %.200s", Py_TYPE(s)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    PyObject *out = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(s));
    if (out == NULL) {
        return NULL;
    }
    void *odata = PyUnicode_DATA(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyUnicode_WRITE(kind, odata, n - 1 - i, PyUnicode_READ(kind, data, i));
    }
    return out;
}

/* stats(s): (length, kind, max code point, is_ascii) */
static PyObject *
strproc_stats(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *s;
    if (!PyArg_ParseTuple(args, "U:stats", &s)) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    Py_UCS4 top = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(s, i);
        if (c > top) {
            top = c;
        }
    }
    return Py_BuildValue("(niIO)", n, PyUnicode_KIND(s), (unsigned int)top,
                         PyUnicode_IS_ASCII(s) ? Py_True : Py_False);
}

/* count(s, ch): occurrences of the one-character string ch in s. */
static PyObject *
strproc_count(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "count expected 2 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *s = args[0], *ch = args[1];
    if (!PyUnicode_Check(s) || !PyUnicode_Check(ch)) {
        PyErr_SetString(PyExc_TypeError, "count() arguments must be str");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(ch) != 1) {
        PyErr_Format(PyExc_ValueError, "expected one character, got a string of length %zd",
                     PyUnicode_GET_LENGTH(ch));
        return NULL;
    }
    Py_UCS4 want = PyUnicode_READ_CHAR(ch, 0);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t found = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(s); i++) {
        found += PyUnicode_READ(kind, data, i) == want;
    }
    return PyLong_FromSsize_t(found);
}

/* utf8_len(s): the length of s encoded as UTF-8 (through the UTF-8 cache). */
static PyObject *
strproc_utf8_len(PyObject *Py_UNUSED(module), PyObject *s)
{
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(s, &size);
    if (utf8 == NULL) {
        return NULL;
    }
    return PyLong_FromSsize_t(size);
}

static PyMethodDef strproc_methods[] = {
    {"swap_ascii", strproc_swap_ascii, METH_O, "Swap the case of ASCII letters."},
    {"reverse", strproc_reverse, METH_O, "Reverse the code points."},
    {"stats", strproc_stats, METH_VARARGS, "(length, kind, max code point, is_ascii)"},
    {"count", (PyCFunction)(void (*)(void))strproc_count, METH_FASTCALL,
     "Count one character."},
    {"utf8_len", strproc_utf8_len, METH_O, "Length in UTF-8 bytes."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot strproc_slots[] = {
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef strproc_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "strproc",
    .m_doc = "String processing through the PEP 393 macros.",
    .m_size = 0,
    .m_methods = strproc_methods,
    .m_slots = strproc_slots,
};

PyMODINIT_FUNC
PyInit_strproc(void)
{
    return PyModuleDef_Init(&strproc_module);
}
