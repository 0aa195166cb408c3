/* The generator, coroutine, async generator and function types, _Py_CheckFunctionResult,
 * _PyObject_XDecRefDelayed, PyEval_SetProfile/SetTrace and _PyArg_UnpackKeywords, each as
 * CPython 3.14 (texts recorded from python3.14: the types' calls and flags from Python, the
 * keyword texts from str.split, int.to_bytes and zlib.compress, which Argument Clinic parses the same way).
 * gilgate runs no Python code, so no generator or function object ever exists. */
#include <Python.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"

/* Internal C API (pycore_*.h), declared as CPython 3.14 does. */
PyObject *_Py_CheckFunctionResult(PyThreadState *, PyObject *, PyObject *, const char *);
void _PyObject_XDecRefDelayed(PyObject *);
PyObject *const *_PyArg_UnpackKeywords(PyObject *const *, Py_ssize_t, PyObject *, PyObject *,
                                       struct _PyArg_Parser *, int, int, int, int, PyObject **);

static int str_is(PyObject *o, const char *want)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = PyUnicode_Check(o) && strcmp(PyUnicode_AsUTF8(o), want) == 0;
    Py_DECREF(o);
    return ok;
}

static int raised(PyObject *type, const char *msg)
{
    PyObject *e = PyErr_GetRaisedException();
    if (e == NULL)
        return 0;
    int ok = PyErr_GivenExceptionMatches(e, type);
    if (ok && msg != NULL) {
        PyObject *s = PyObject_Str(e);
        ok = s != NULL && strcmp(PyUnicode_AsUTF8(s), msg) == 0;
        Py_XDECREF(s);
    }
    Py_DECREF(e);
    return ok;
}

static int cannot_create(PyTypeObject *t, const char *msg)
{
    PyObject *r = PyObject_CallNoArgs((PyObject *)t);
    return r == NULL && raised(PyExc_TypeError, msg);
}

static void types_checks(void)
{
    PyObject *one = PyLong_FromLong(1);
    CHECK(strcmp(PyGen_Type.tp_name, "generator") == 0);
    CHECK(strcmp(PyCoro_Type.tp_name, "coroutine") == 0);
    CHECK(strcmp(PyAsyncGen_Type.tp_name, "async_generator") == 0);
    CHECK(strcmp(PyFunction_Type.tp_name, "function") == 0);
    CHECK(PyType_HasFeature(&PyGen_Type, Py_TPFLAGS_READY));
    CHECK(PyType_HasFeature(&PyGen_Type, Py_TPFLAGS_HAVE_GC));
    CHECK(PyType_HasFeature(&PyCoro_Type, Py_TPFLAGS_DISALLOW_INSTANTIATION));
    CHECK(!PyType_HasFeature(&PyAsyncGen_Type, Py_TPFLAGS_BASETYPE));
    CHECK(PyType_HasFeature(&PyFunction_Type, Py_TPFLAGS_METHOD_DESCRIPTOR));
    CHECK(PyType_HasFeature(&PyFunction_Type, Py_TPFLAGS_HAVE_VECTORCALL));
    CHECK(PyGen_Type.tp_basicsize == 168 && PyGen_Type.tp_itemsize == 8);
    CHECK(PyFunction_Type.tp_basicsize == 168 && PyFunction_Type.tp_itemsize == 0);
    CHECK(!PyGen_Check(one) && !PyGen_CheckExact(one));
    CHECK(!PyCoro_CheckExact(one) && !PyAsyncGen_CheckExact(one));
    CHECK(!PyFunction_Check(one));
    CHECK(!PyFunction_Check((PyObject *)&PyFunction_Type));
    CHECK(PyType_IsSubtype(&PyGen_Type, &PyBaseObject_Type));
    CHECK(cannot_create(&PyGen_Type, "cannot create 'generator' instances"));
    CHECK(cannot_create(&PyCoro_Type, "cannot create 'coroutine' instances"));
    CHECK(cannot_create(&PyAsyncGen_Type, "cannot create 'async_generator' instances"));
    CHECK(cannot_create(&PyFunction_Type, "cannot create 'function' instances"));
    CHECK(str_is(PyObject_GetAttrString((PyObject *)&PyGen_Type, "__name__"), "generator"));
    CHECK(str_is(PyObject_GetAttrString((PyObject *)&PyCoro_Type, "__qualname__"), "coroutine"));
    CHECK(str_is(PyObject_GetAttrString((PyObject *)&PyAsyncGen_Type, "__module__"), "builtins"));
    CHECK(str_is(PyObject_Repr((PyObject *)&PyFunction_Type), "<class 'function'>"));
    CHECK(PyObject_IsInstance(one, (PyObject *)&PyCoro_Type) == 0);
    /* Functions that need an instance: none can exist. */
    CHECK(PyFunction_GetAnnotations(one) == NULL
          && raised(PyExc_SystemError, "bad argument to internal function"));
    CHECK(PyGen_GetCode((PyGenObject *)one) == NULL && raised(PyExc_SystemError, NULL));
    Py_DECREF(one);
}

static void check_result_checks(void)
{
    PyThreadState *ts = PyThreadState_Get();
    PyObject *len = PyDict_GetItemString(PyEval_GetBuiltins(), "len");
    PyObject *r;
    CHECK(len != NULL);
    /* NULL without an exception: the callable's repr, else `where`. */
    r = _Py_CheckFunctionResult(ts, len, NULL, "ignored");
    CHECK(r == NULL
          && raised(PyExc_SystemError,
                    "<built-in function len> returned NULL without setting an exception"));
    r = _Py_CheckFunctionResult(ts, NULL, NULL, "my_call");
    CHECK(r == NULL
          && raised(PyExc_SystemError, "my_call returned NULL without setting an exception"));
    /* NULL with an exception: kept. */
    PyErr_SetString(PyExc_ValueError, "v");
    r = _Py_CheckFunctionResult(ts, len, NULL, NULL);
    CHECK(r == NULL && raised(PyExc_ValueError, "v"));
    /* A result with an exception: released, SystemError chained to the exception. */
    PyObject *five = PyLong_FromLong(5);
    Py_INCREF(five);
    PyErr_SetString(PyExc_KeyError, "k");
    r = _Py_CheckFunctionResult(ts, len, five, NULL);
    PyObject *e = PyErr_GetRaisedException();
    CHECK(r == NULL && e != NULL && PyErr_GivenExceptionMatches(e, PyExc_SystemError));
    CHECK(e != NULL
          && str_is(PyObject_Str(e),
                    "<built-in function len> returned a result with an exception set"));
    PyObject *cause = e ? PyException_GetCause(e) : NULL;
    CHECK(cause != NULL && PyErr_GivenExceptionMatches(cause, PyExc_KeyError));
    Py_XDECREF(cause);
    Py_XDECREF(e);
    /* A result without an exception: passed through. */
    r = _Py_CheckFunctionResult(ts, len, five, NULL);
    CHECK(r == five && !PyErr_Occurred());
    Py_DECREF(five);
}

static void delayed_checks(void)
{
    PyObject *l = PyList_New(0);
    Py_INCREF(l);
    Py_ssize_t before = Py_REFCNT(l);
    _PyObject_XDecRefDelayed(l);
    /* Dropped at once when no other thread is online; the test harness may run other tests'
       threads meanwhile, so until they pass a quiescent point the reference waits on this
       thread's queue, which its attach processes: detach and attach until it is dropped
       (bounded: about ten seconds). */
    for (int i = 0; i < 100000 && Py_REFCNT(l) != before - 1; i++) {
        Py_BEGIN_ALLOW_THREADS
        usleep(100);
        Py_END_ALLOW_THREADS
    }
    CHECK(Py_REFCNT(l) == before - 1);
    _PyObject_XDecRefDelayed(NULL);
    CHECK(!PyErr_Occurred());
    Py_DECREF(l);
}

static int tracer(PyObject *obj, PyFrameObject *f, int what, PyObject *arg)
{
    (void)obj;
    (void)f;
    (void)what;
    (void)arg;
    return 0;
}

static void tracing_checks(void)
{
    PyThreadState *ts = PyThreadState_Get();
    PyObject *a = PyUnicode_FromString("profile-arg");
    Py_ssize_t rc = Py_REFCNT(a);
    PyEval_SetProfile(tracer, a);
    CHECK(ts->c_profilefunc == tracer && ts->c_profileobj == a && Py_REFCNT(a) == rc + 1);
    PyEval_SetTrace(tracer, a);
    CHECK(ts->c_tracefunc == tracer && ts->c_traceobj == a && Py_REFCNT(a) == rc + 2);
    /* Calls from C emit no event; the hooks stay set. */
    PyObject *n = PyObject_CallOneArg(PyDict_GetItemString(PyEval_GetBuiltins(), "len"), a);
    CHECK(n != NULL && PyLong_AsLong(n) == 11);
    Py_XDECREF(n);
    PyEval_SetProfile(NULL, NULL);
    PyEval_SetTrace(NULL, NULL);
    CHECK(ts->c_profilefunc == NULL && ts->c_profileobj == NULL);
    CHECK(ts->c_tracefunc == NULL && ts->c_traceobj == NULL && Py_REFCNT(a) == rc);
    CHECK(!PyErr_Occurred());
    Py_DECREF(a);
}

/* split(sep=None, maxsplit=-1), as str.split; to_bytes(length=1, byteorder='big', *,
 * signed=False), as int.to_bytes; f(a, /, b, *, c), keyword-only c required. */
static const char *const split_kw[] = {"sep", "maxsplit", NULL};
static struct _PyArg_Parser split_parser = {.keywords = split_kw, .fname = "split"};
static const char *const to_bytes_kw[] = {"length", "byteorder", "signed", NULL};
static struct _PyArg_Parser to_bytes_parser = {.keywords = to_bytes_kw, .fname = "to_bytes"};
static const char *const compress_kw[] = {"", "level", "wbits", NULL};
static struct _PyArg_Parser compress_parser = {.keywords = compress_kw, .fname = "compress"};
static const char *const f_kw[] = {"", "b", "c", NULL};
static struct _PyArg_Parser f_parser = {.keywords = f_kw, .format = "OO|$O:f"};

static int unpack_fails(struct _PyArg_Parser *p, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames, int minpos, int maxpos, int minkw, const char *msg)
{
    PyObject *buf[4] = {NULL, NULL, NULL, NULL};
    PyObject *const *r =
        _PyArg_UnpackKeywords(args, nargs, NULL, kwnames, p, minpos, maxpos, minkw, 0, buf);
    return r == NULL && raised(PyExc_TypeError, msg);
}

static void unpack_checks(void)
{
    PyObject *x = PyLong_FromLong(1), *y = PyLong_FromLong(2), *z = PyLong_FromLong(3);
    PyObject *w = PyLong_FromLong(4);
    PyObject *buf[4] = {NULL, NULL, NULL, NULL};
    PyObject *args3[] = {x, y, z};
    PyObject *const *r;
    /* Only positionals within bounds: `args` itself. */
    r = _PyArg_UnpackKeywords(args3, 2, NULL, NULL, &split_parser, 0, 2, 0, 0, buf);
    CHECK(r == args3);
    CHECK(split_parser.pos == 0 && split_parser.kwtuple != NULL
          && PyTuple_GET_SIZE(split_parser.kwtuple) == 2);
    /* A keyword through kwnames (vectorcall): moved into buf, the rest NULL. */
    PyObject *kw_max = Py_BuildValue("(s)", "maxsplit");
    PyObject *stack[] = {x, y};
    r = _PyArg_UnpackKeywords(stack, 1, NULL, kw_max, &split_parser, 0, 2, 0, 0, buf);
    CHECK(r == buf && buf[0] == x && buf[1] == y);
    buf[0] = buf[1] = NULL;
    r = _PyArg_UnpackKeywords(stack + 1, 0, NULL, kw_max, &split_parser, 0, 2, 0, 0, buf);
    CHECK(r == buf && buf[0] == NULL && buf[1] == y);
    /* Through a dict. */
    PyObject *d = Py_BuildValue("{sO}", "sep", z);
    r = _PyArg_UnpackKeywords(NULL, 0, d, NULL, &split_parser, 0, 2, 0, 0, buf);
    CHECK(r == buf && buf[0] == z);
    /* CPython's texts. */
    CHECK(unpack_fails(&split_parser, args3, 3, NULL, 0, 2, 0,
                       "split() takes at most 2 arguments (3 given)"));
    PyObject *kw_sep = Py_BuildValue("(s)", "sep");
    PyObject *st2[] = {x, y};
    CHECK(unpack_fails(&split_parser, st2, 1, kw_sep, 0, 2, 0,
                       "argument for split() given by name ('sep') and position (1)"));
    PyObject *kw_sepp = Py_BuildValue("(s)", "sepp");
    CHECK(unpack_fails(&split_parser, st2, 0, kw_sepp, 0, 2, 0,
                       "split() got an unexpected keyword argument 'sepp'. Did you mean 'sep'?"));
    PyObject *kw_zz = Py_BuildValue("(s)", "zzzzzz");
    CHECK(unpack_fails(&split_parser, st2, 0, kw_zz, 0, 2, 0,
                       "split() got an unexpected keyword argument 'zzzzzz'"));
    PyObject *dbad = PyDict_New();
    PyDict_SetItem(dbad, x, y);
    r = _PyArg_UnpackKeywords(NULL, 0, dbad, NULL, &split_parser, 0, 2, 0, 0, buf);
    CHECK(r == NULL && raised(PyExc_TypeError, "keywords must be strings"));
    CHECK(unpack_fails(&to_bytes_parser, args3, 3, NULL, 0, 2, 0,
                       "to_bytes() takes at most 2 positional arguments (3 given)"));
    PyObject *kw4 = Py_BuildValue("(ssss)", "length", "byteorder", "signed", "q");
    PyObject *st4[] = {x, y, z, w};
    CHECK(unpack_fails(&to_bytes_parser, st4, 0, kw4, 0, 2, 0,
                       "to_bytes() takes at most 3 keyword arguments (4 given)"));
    /* Positional-only, a required keyword-only; the name from the format. */
    CHECK(unpack_fails(&f_parser, args3, 0, NULL, 2, 2, 0,
                       "f() takes at least 1 positional argument (0 given)"));
    CHECK(f_parser.pos == 1 && PyTuple_GET_SIZE(f_parser.kwtuple) == 2);
    CHECK(unpack_fails(&f_parser, args3, 2, NULL, 2, 2, 1,
                       "f() missing required argument 'c' (pos 3)"));
    PyObject *kw_c = Py_BuildValue("(s)", "c");
    r = _PyArg_UnpackKeywords(args3, 2, NULL, kw_c, &f_parser, 2, 2, 1, 0, buf);
    CHECK(r == buf && buf[0] == x && buf[1] == y && buf[2] == z);
    CHECK(unpack_fails(&f_parser, args3, 3, NULL, 2, 2, 0,
                       "f() takes exactly 2 positional arguments (3 given)"));
    /* compress(data, /, level=-1, wbits=15), as zlib.compress. */
    CHECK(unpack_fails(&compress_parser, args3, 0, NULL, 1, 3, 0,
                       "compress() takes at least 1 positional argument (0 given)"));
    CHECK(unpack_fails(&compress_parser, st4, 4, NULL, 1, 3, 0,
                       "compress() takes at most 3 arguments (4 given)"));
    PyObject *kw_levell = Py_BuildValue("(s)", "levell");
    CHECK(unpack_fails(&compress_parser, st2, 1, kw_levell, 1, 3, 0,
                       "compress() got an unexpected keyword argument 'levell'. Did you mean "
                       "'level'?"));
    PyObject *kw_level = Py_BuildValue("(s)", "level");
    /* Entries after the last one given are left as they were (Clinic counts what it got). */
    buf[2] = w;
    r = _PyArg_UnpackKeywords(st2, 1, NULL, kw_level, &compress_parser, 1, 3, 0, 0, buf);
    CHECK(r == buf && buf[0] == x && buf[1] == y && buf[2] == w);
    Py_DECREF(kw_levell);
    Py_DECREF(kw_level);
    CHECK(!PyErr_Occurred());
    Py_DECREF(kw_max);
    Py_DECREF(kw_sep);
    Py_DECREF(kw_sepp);
    Py_DECREF(kw_zz);
    Py_DECREF(kw4);
    Py_DECREF(kw_c);
    Py_DECREF(d);
    Py_DECREF(dbad);
    Py_DECREF(x);
    Py_DECREF(y);
    Py_DECREF(z);
    Py_DECREF(w);
}

/* %ls and %lV (wchar_t strings) and the # flag; answers from ctypes calls into python3.14's
 * PyUnicode_FromFormat with the same arguments. */
static void format_checks(void)
{
    PyObject *obj = PyUnicode_FromString("obj");
    PyObject *one = PyLong_FromLong(1);
    CHECK(str_is(PyUnicode_FromFormat("%ls|%.1ls|%5ls|", L"ab\u20ac", L"ab", L"ab"),
                 "ab\u20ac|a|   ab|"));
    CHECK(str_is(PyUnicode_FromFormat("%lV|%lV|%.2lV|%3lV", NULL, L"wide\U0001f600", obj, L"x",
                                      NULL, L"wxyz", NULL, L"w"),
                 "wide\U0001f600|obj|wx|  w"));
    CHECK(str_is(PyUnicode_FromFormat("%#T|%T|%#N", one, one, (PyObject *)&PyLong_Type),
                 "int|int|int"));
    CHECK(str_is(PyUnicode_FromFormat("%#T", obj), "str"));
    CHECK(PyErr_Format(PyExc_ValueError, "bad %ls at %d", L"w\u00e9rd", 3) == NULL
          && raised(PyExc_ValueError, "bad w\u00e9rd at 3"));
    Py_DECREF(obj);
    Py_DECREF(one);
}

static int bytes_is(PyObject *o, const char *want, Py_ssize_t n)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = PyBytes_Check(o) && PyBytes_GET_SIZE(o) == n && memcmp(PyBytes_AS_STRING(o), want, n) == 0;
    Py_DECREF(o);
    return ok;
}

/* Error handlers; answers from python3.14 (bytes.decode/str.encode with the same data). */
static void codec_checks(void)
{
    int le = -1;
    CHECK(str_is(PyUnicode_DecodeUTF8("a\xff\xfe" "b", 4, "backslashreplace"), "a\\xff\\xfeb"));
    CHECK(str_is(PyUnicode_DecodeUTF8("a\xe2\x82", 3, "backslashreplace"), "a\\xe2\\x82"));
    CHECK(str_is(PyUnicode_DecodeASCII("a\xff", 2, "backslashreplace"), "a\\xff"));
    CHECK(str_is(PyUnicode_Decode("a\xff", 2, "latin-1", "backslashreplace"), "a\xc3\xbf"));
    CHECK(PyUnicode_DecodeUTF8("a\xff", 2, "xmlcharrefreplace") == NULL
          && raised(PyExc_TypeError,
                    "don't know how to handle UnicodeDecodeError in error callback"));
    PyObject *s = PyUnicode_FromString("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK(bytes_is(PyUnicode_AsEncodedString(s, "ascii", "backslashreplace"),
                   "a\\xe9\\u20ac\\U0001f600", 21));
    CHECK(bytes_is(PyUnicode_AsEncodedString(s, "latin-1", "xmlcharrefreplace"),
                   "a\xe9&#8364;&#128512;", 18));
    Py_DECREF(s);
    PyObject *sur = PyUnicode_DecodeUTF8("a\x80", 2, "surrogateescape");
    CHECK(bytes_is(PyUnicode_AsEncodedString(sur, "utf-8", "xmlcharrefreplace"), "a&#56448;", 9));
    CHECK(bytes_is(PyUnicode_AsEncodedString(sur, "utf-8", "backslashreplace"), "a\\udc80", 7));
    Py_XDECREF(sur);
    /* UTF-16/32: surrogatepass keeps a lone surrogate, surrogateescape only bytes >= 0x80. */
    PyObject *u = PyUnicode_DecodeUTF16("a\0\0\xd8" "b\0", 6, "surrogatepass", &le);
    CHECK(u != NULL && PyUnicode_GetLength(u) == 3 && PyUnicode_ReadChar(u, 1) == 0xd800);
    Py_XDECREF(u);
    le = -1;
    CHECK(str_is(PyUnicode_DecodeUTF16("a\0\0\xd8" "b\0", 6, "backslashreplace", &le),
                 "a\\x00\\xd8" "b"));
    le = -1;
    CHECK(PyUnicode_DecodeUTF16("a\0\0\xd8" "b\0", 6, "surrogateescape", &le) == NULL
          && raised(PyExc_UnicodeDecodeError, "'utf-16-le' codec can't decode bytes in position "
                                              "2-3: illegal UTF-16 surrogate"));
    le = -1;
    u = PyUnicode_DecodeUTF32("a\0\0\0\0\xd8\0\0", 8, "surrogatepass", &le);
    CHECK(u != NULL && PyUnicode_GetLength(u) == 2 && PyUnicode_ReadChar(u, 1) == 0xd800);
    Py_XDECREF(u);
    le = -1;
    CHECK(str_is(PyUnicode_DecodeUTF32("a\0\0\0\0\xd8\0\0", 8, "backslashreplace", &le),
                 "a\\x00\\xd8\\x00\\x00"));
    le = -1;
    CHECK(PyUnicode_DecodeUTF32("a\0\0\0\0\xd8\0\0", 8, "surrogateescape", &le) == NULL
          && raised(PyExc_UnicodeDecodeError,
                    "'utf-32-le' codec can't decode bytes in position 4-7: code point in "
                    "surrogate code point range(0xd800, 0xe000)"));
    le = -1;
    u = PyUnicode_DecodeUTF16("a\0\x80\xdc", 4, "surrogateescape", &le);
    CHECK(u != NULL && PyUnicode_GetLength(u) == 3 && PyUnicode_ReadChar(u, 1) == 0xdc80
          && PyUnicode_ReadChar(u, 2) == 0xdcdc);
    Py_XDECREF(u);
    PyErr_Clear();
}

int gg_former_stub_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    types_checks();
    check_result_checks();
    delayed_checks();
    tracing_checks();
    unpack_checks();
    format_checks();
    codec_checks();
    return g_failed;
}
