/* Drives the private _PyUnicodeWriter the way extensions do: the _PyUnicodeWriter_Prepare and
 * _PyUnicodeWriter_PrepareKind macros, then characters stored straight into writer->data with
 * PyUnicode_WRITE. Also the public PyUnicodeWriter through its C declarations (wchar_t, the
 * variadic Format). Built as a shared object by tests/unicodewriter.rs and loaded into the test
 * process; gg_writer_checks returns the number of failed checks, one line per check in `out`. */
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

/* Appends `text` (code points) the inline way. */
static int put_all(_PyUnicodeWriter *w, const Py_UCS4 *text, Py_ssize_t n)
{
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (text[i] > maxchar)
            maxchar = text[i];
    if (_PyUnicodeWriter_Prepare(w, n, maxchar) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++)
        PyUnicode_WRITE(w->kind, w->data, w->pos++, text[i]);
    return 0;
}

static void private_writer(void)
{
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    CHECK(w.buffer == NULL && w.pos == 0 && w.min_char == 127);
    w.overallocate = 1;
    static const Py_UCS4 hello[] = {'h', 'e', 'l', 'l', 'o', ' '};
    CHECK(put_all(&w, hello, 6) == 0);
    CHECK(w.kind == PyUnicode_1BYTE_KIND && w.maxchar == 127 && w.pos == 6);
    CHECK(w.size >= 6);
    /* already fits: the macro answers without calling the runtime */
    Py_ssize_t size = w.size;
    PyObject *buffer = w.buffer;
    CHECK(_PyUnicodeWriter_Prepare(&w, 0, 'x') == 0 && w.buffer == buffer && w.size == size);
    static const Py_UCS4 greek[] = {0x3b1, 0x3b2, 0x3b3};
    CHECK(put_all(&w, greek, 3) == 0);
    CHECK(w.kind == PyUnicode_2BYTE_KIND && w.maxchar == 0xffff);
    CHECK(_PyUnicodeWriter_PrepareKind(&w, PyUnicode_1BYTE_KIND) == 0 && w.kind == PyUnicode_2BYTE_KIND);
    CHECK(_PyUnicodeWriter_PrepareKind(&w, PyUnicode_4BYTE_KIND) == 0 && w.kind == PyUnicode_4BYTE_KIND);
    CHECK(PyUnicode_READ(w.kind, w.data, 6) == 0x3b1);
    CHECK(_PyUnicodeWriter_WriteChar(&w, '!') == 0);
    PyObject *s = _PyUnicodeWriter_Finish(&w);
    CHECK(s != NULL && PyUnicode_GET_LENGTH(s) == 10);
    CHECK(PyUnicode_KIND(s) == PyUnicode_2BYTE_KIND);
    CHECK(PyUnicode_READ_CHAR(s, 0) == 'h' && PyUnicode_READ_CHAR(s, 8) == 0x3b3);
    CHECK(PyUnicode_READ_CHAR(s, 9) == '!');
    CHECK(PyUnicode_CompareWithASCIIString(s, "x") != 0);
    Py_XDECREF(s);

    /* writing many characters through the macro grows the buffer several times */
    _PyUnicodeWriter_Init(&w);
    for (int i = 0; i < 5000; i++) {
        if (_PyUnicodeWriter_Prepare(&w, 1, (Py_UCS4)('a' + i % 26)) < 0)
            break;
        PyUnicode_WRITE(w.kind, w.data, w.pos, (Py_UCS4)('a' + i % 26));
        w.pos++;
    }
    CHECK(w.pos == 5000);
    s = _PyUnicodeWriter_Finish(&w);
    CHECK(s != NULL && PyUnicode_GET_LENGTH(s) == 5000 && PyUnicode_IS_ASCII(s));
    CHECK(s != NULL && PyUnicode_READ_CHAR(s, 4999) == (Py_UCS4)('a' + 4999 % 26));
    Py_XDECREF(s);

    /* Dealloc after a failed run frees the buffer */
    _PyUnicodeWriter_Init(&w);
    CHECK(_PyUnicodeWriter_WriteASCIIString(&w, "abandoned", -1) == 0);
    _PyUnicodeWriter_Dealloc(&w);
    CHECK(w.buffer == NULL);
}

static void public_writer(void)
{
    PyUnicodeWriter *w = PyUnicodeWriter_Create(4);
    CHECK(w != NULL);
    if (w == NULL)
        return;
    CHECK(PyUnicodeWriter_WriteWideChar(w, L"w\u00e9", -1) == 0);
    CHECK(PyUnicodeWriter_Format(w, "[%s:%zd:%c]", "fmt", (Py_ssize_t)-12, 0x263a) == 0);
    PyObject *n = PyLong_FromLong(1234);
    CHECK(PyUnicodeWriter_WriteStr(w, n) == 0);
    CHECK(PyUnicodeWriter_WriteRepr(w, n) == 0);
    Py_DECREF(n);
    PyObject *s = PyUnicodeWriter_Finish(w);
    CHECK(s != NULL && PyUnicode_CompareWithASCIIString(s, "x") != 0);
    PyObject *want = PyUnicode_FromString("w\xc3\xa9[fmt:-12:\xe2\x98\xba]12341234");
    CHECK(s != NULL && want != NULL && PyUnicode_Compare(s, want) == 0);
    Py_XDECREF(want);
    Py_XDECREF(s);
}

int gg_writer_checks(char *out, size_t cap)
{
    g_out = out;
    g_cap = cap;
    g_len = 0;
    g_failed = 0;
    out[0] = '\0';
    private_writer();
    public_writer();
    return g_failed;
}
