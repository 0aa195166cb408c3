/* Exercises the inline macros of include/ against gilgate's container objects. Built as a
 * shared object by tests/containers.rs and loaded into the test process, whose exported C
 * API symbols it uses. gg_check returns the number of failed checks and writes one line
 * per check into `out`. */
#include <Python.h>
#include <stdio.h>
#include <string.h>

static char *g_out;
static size_t g_cap, g_len;
static int g_failed;

static void note(int ok, const char *what)
{
    int n = snprintf(g_out + g_len, g_cap - g_len, "%s %s\n", ok ? "ok" : "FAIL", what);
    if (n > 0 && (size_t)n < g_cap - g_len)
        g_len += (size_t)n;
    if (!ok)
        g_failed++;
}

#define CHECK(cond) note((cond), #cond)

static void lists_and_tuples(void)
{
    PyObject *l = PyList_New(3);
    for (Py_ssize_t i = 0; i < 3; i++)
        PyList_SET_ITEM(l, i, PyLong_FromLong((long)(i * 10)));
    CHECK(PyList_GET_SIZE(l) == 3);
    CHECK(PyLong_AsLong(PyList_GET_ITEM(l, 2)) == 20);
    CHECK(PyList_Check(l) && PyList_CheckExact(l));
    PyObject *x = PyLong_FromLong(7);
    CHECK(PyList_Append(l, x) == 0);
    Py_DECREF(x);
    CHECK(PyList_GET_SIZE(l) == 4);
    CHECK(PyList_GET_ITEM(l, 3) == PyList_GetItem(l, 3));
    CHECK(((PyListObject *)l)->allocated >= 4);

    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, PyUnicode_FromString("a"));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(l));
    CHECK(PyTuple_GET_SIZE(t) == 2);
    CHECK(PyTuple_GET_ITEM(t, 1) == l);
    CHECK(PyTuple_Check(t));
    PyObject *r = PyObject_Repr(t);
    CHECK(r && strcmp(PyUnicode_AsUTF8(r), "('a', [0, 10, 20, 7])") == 0);
    Py_XDECREF(r);
    PyObject *packed = PyTuple_Pack(2, Py_None, Py_True);
    r = PyObject_Repr(packed);
    CHECK(r && strcmp(PyUnicode_AsUTF8(r), "(None, True)") == 0);
    Py_XDECREF(r);
    Py_DECREF(packed);
    Py_DECREF(t);
    Py_DECREF(l);
}

static void bytes_and_bytearray(void)
{
    PyObject *b = PyBytes_FromStringAndSize("ab\0c", 4);
    CHECK(PyBytes_GET_SIZE(b) == 4);
    CHECK(memcmp(PyBytes_AS_STRING(b), "ab\0c", 5) == 0);
    CHECK(PyBytes_Check(b));
    PyObject *r = PyObject_Repr(b);
    CHECK(r && strcmp(PyUnicode_AsUTF8(r), "b'ab\\x00c'") == 0);
    Py_XDECREF(r);
    char *s;
    CHECK(PyBytes_AsStringAndSize(b, &s, NULL) == -1 && PyErr_ExceptionMatches(PyExc_ValueError));
    PyErr_Clear();

    PyObject *empty = PyByteArray_FromStringAndSize(NULL, 0);
    CHECK(PyByteArray_GET_SIZE(empty) == 0);
    CHECK(PyByteArray_AS_STRING(empty) == _PyByteArray_empty_string);
    CHECK(PyByteArray_AS_STRING(empty)[0] == '\0');
    PyObject *ba = PyByteArray_FromObject(b);
    CHECK(PyByteArray_GET_SIZE(ba) == 4);
    PyByteArray_AS_STRING(ba)[0] = 'X';
    CHECK(PyByteArray_AsString(ba)[0] == 'X');
    CHECK(PyByteArray_Resize(ba, 2) == 0 && PyByteArray_GET_SIZE(ba) == 2);
    CHECK(PyByteArray_AS_STRING(ba)[2] == '\0');
    r = PyObject_Repr(ba);
    CHECK(r && strcmp(PyUnicode_AsUTF8(r), "bytearray(b'Xb')") == 0);
    Py_XDECREF(r);

    Py_buffer view;
    CHECK(PyObject_GetBuffer(ba, &view, PyBUF_SIMPLE | PyBUF_WRITABLE) == 0);
    CHECK(view.len == 2 && view.readonly == 0 && view.obj == ba);
    ((char *)view.buf)[1] = 'Y';
    CHECK(PyByteArray_Resize(ba, 10) == -1 && PyErr_ExceptionMatches(PyExc_BufferError));
    PyErr_Clear();
    PyBuffer_Release(&view);
    CHECK(PyByteArray_AS_STRING(ba)[1] == 'Y');
    CHECK(PyObject_GetBuffer(b, &view, PyBUF_WRITABLE) == -1 && PyErr_ExceptionMatches(PyExc_BufferError));
    PyErr_Clear();
    CHECK(PyObject_GetBuffer(b, &view, PyBUF_FULL_RO) == 0);
    CHECK(view.ndim == 1 && view.shape[0] == 4 && view.strides[0] == 1 && strcmp(view.format, "B") == 0);

    PyObject *mv = PyMemoryView_FromObject(b);
    CHECK(mv && PyMemoryView_Check(mv));
    CHECK(PyMemoryView_GET_BASE(mv) == b);
    CHECK(PyMemoryView_GET_BUFFER(mv)->len == 4);
    CHECK(PyMemoryView_GET_BUFFER(mv)->buf == view.buf);
    Py_XDECREF(mv);
    PyBuffer_Release(&view);
    Py_DECREF(ba);
    Py_DECREF(empty);
    Py_DECREF(b);
    b = PyBytes_FromFormat("%s-%d-%zd", "ab", 42, (Py_ssize_t)-7);
    CHECK(b && PyBytes_GET_SIZE(b) == 8 && strcmp(PyBytes_AS_STRING(b), "ab-42--7") == 0);
    Py_XDECREF(b);
}

static void dicts_and_sets(void)
{
    PyObject *d = PyDict_New();
    PyObject *v = PyLong_FromLong(1);
    PyDict_SetItemString(d, "x", v);
    PyDict_SetItemString(d, "y", v);
    CHECK(PyDict_GET_SIZE(d) == 2);
    PyDict_DelItemString(d, "x");
    CHECK(PyDict_GET_SIZE(d) == 1);

    PyObject *s = PySet_New(NULL);
    PySet_Add(s, v);
    PySet_Add(s, v);
    PyObject *w = PyLong_FromLong(2);
    PySet_Add(s, w);
    CHECK(PySet_GET_SIZE(s) == 2);
    CHECK(PyAnySet_Check(s) && PySet_Check(s) && !PyFrozenSet_Check(s));
    PySet_Discard(s, w);
    CHECK(PySet_GET_SIZE(s) == 1);
    PyObject *f = PyFrozenSet_New(s);
    CHECK(PyFrozenSet_Check(f) && PySet_GET_SIZE(f) == 1);
    Py_DECREF(f);
    Py_DECREF(s);
    Py_DECREF(w);
    Py_DECREF(v);
    Py_DECREF(d);
}

static void strings(void)
{
    static const char *texts[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    static const int kinds[] = {PyUnicode_1BYTE_KIND, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND,
                                PyUnicode_4BYTE_KIND};
    static const Py_UCS4 points[] = {0x61, 0xe9, 0x20ac, 0x1f600};
    for (int i = 0; i < 4; i++) {
        PyObject *u = PyUnicode_FromString(texts[i]);
        char what[64];
        snprintf(what, sizeof what, "kind/data of string %d", i);
        note(u && PyUnicode_KIND(u) == kinds[i] && PyUnicode_GET_LENGTH(u) == 1 &&
                 PyUnicode_READ_CHAR(u, 0) == points[i] &&
                 PyUnicode_READ(PyUnicode_KIND(u), PyUnicode_DATA(u), 0) == points[i] &&
                 PyUnicode_IS_ASCII(u) == (i == 0),
             what);
        Py_XDECREF(u);
    }
    /* Build a string with the PEP 393 write macros. */
    PyObject *u = PyUnicode_New(3, 0x20ac);
    int kind = PyUnicode_KIND(u);
    void *data = PyUnicode_DATA(u);
    PyUnicode_WRITE(kind, data, 0, 'x');
    PyUnicode_WRITE(kind, data, 1, 0xe9);
    PyUnicode_WRITE(kind, data, 2, 0x20ac);
    CHECK(kind == PyUnicode_2BYTE_KIND);
    Py_ssize_t n;
    const char *utf8 = PyUnicode_AsUTF8AndSize(u, &n);
    CHECK(n == 6 && strcmp(utf8, "x\xc3\xa9\xe2\x82\xac") == 0);
    CHECK(PyUnicode_AsUTF8AndSize(u, NULL) == utf8);
    PyObject *r = PyObject_Repr(u);
    CHECK(r && strcmp(PyUnicode_AsUTF8(r), "'x\xc3\xa9\xe2\x82\xac'") == 0);
    Py_XDECREF(r);
    Py_DECREF(u);
    u = PyUnicode_FromString("hello");
    CHECK(PyUnicode_1BYTE_DATA(u)[4] == 'o' && PyUnicode_1BYTE_DATA(u)[5] == 0);
    CHECK(PyUnicode_AsUTF8(u) == (const char *)PyUnicode_DATA(u));
    Py_DECREF(u);
    /* A str decoded from non-ASCII UTF-8 (kinds 1, 2 and 4) answers its UTF-8 form at once,
       the same text, NUL-terminated, outside its characters; writing a character replaces that
       form with the new text's, and the str is freed either way. */
    static const char *const decoded[] = {"caf\xc3\xa9", "x\xe2\x82\xac", "\xf0\x9f\x99\x82!"};
    static const char *const edited[] = {"Caf\xc3\xa9", "C\xe2\x82\xac", "\xf0\x9f\x99\x82" "C"};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(decoded[i]);
        u = PyUnicode_FromStringAndSize(decoded[i], (Py_ssize_t)len);
        Py_ssize_t m = -1;
        const char *t = u ? PyUnicode_AsUTF8AndSize(u, &m) : NULL;
        CHECK(t != NULL && m == (Py_ssize_t)len && strcmp(t, decoded[i]) == 0 &&
              t != (const char *)PyUnicode_DATA(u));
        CHECK(u != NULL && PyUnicode_WriteChar(u, i == 2 ? 1 : 0, 'C') == 0);
        t = u ? PyUnicode_AsUTF8AndSize(u, &m) : NULL;
        CHECK(t != NULL && m == (Py_ssize_t)strlen(edited[i]) && strcmp(t, edited[i]) == 0);
        Py_XDECREF(u);
    }
}

int gg_check(char *out, size_t cap)
{
    g_out = out;
    g_cap = cap;
    g_len = 0;
    g_failed = 0;
    out[0] = 0;
    lists_and_tuples();
    bytes_and_bytearray();
    dicts_and_sets();
    strings();
    return g_failed;
}
