/* The smaller C API functions real extensions import (collector switches, dict and index
 * helpers, PyType_Freeze, errno exceptions, hashing, bytes/fspath/decoding helpers, reference
 * helpers, tracemalloc, Py_AtExit) and builtins.__import__. Expected values and texts are
 * CPython 3.14.10's, read there through ctypes. */
#include <Python.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "checks.h"

/* internal in CPython (pycore_object.h), exported; the modules that call it declare it */
PyAPI_FUNC(void) _Py_SetImmortal(PyObject *op);
PyAPI_FUNC(void) _PyErr_SetKeyError(PyObject *key);
PyAPI_FUNC(int) _PySet_Update(PyObject *set, PyObject *iterable);
PyAPI_FUNC(int) _PyGen_FetchStopIterationValue(PyObject **pvalue);

static void gg_handler(int sig)
{
    (void)sig;
}

/* What PyObject_Print wrote for `op` with `flags`, compared with `want`. */
static int printed(PyObject *op, int flags, const char *want)
{
    FILE *fp = tmpfile();
    if (fp == NULL)
        return 0;
    int r = PyObject_Print(op, fp, flags);
    char buf[64] = {0};
    rewind(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return r == 0 && strcmp(buf, want) == 0;
}

static int repr_is(PyObject *o, const char *want)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    PyObject *r = PyObject_Repr(o);
    Py_DECREF(o);
    if (r == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = strcmp(PyUnicode_AsUTF8(r), want) == 0;
    Py_DECREF(r);
    return ok;
}

/* The pending exception is `type` with str() `msg` (NULL: any text), then cleared. */
static int raised(PyObject *type, const char *msg)
{
    PyObject *e = PyErr_GetRaisedException();
    if (e == NULL)
        return 0;
    int ok = Py_IS_TYPE(e, (PyTypeObject *)type);
    if (ok && msg != NULL) {
        PyObject *s = PyObject_Str(e);
        ok = s != NULL && strcmp(PyUnicode_AsUTF8(s), msg) == 0;
        Py_XDECREF(s);
    }
    Py_DECREF(e);
    return ok;
}

/* The pending exception's repr is `want`, then cleared. */
static int raised_repr(const char *want)
{
    PyObject *e = PyErr_GetRaisedException();
    return e != NULL && repr_is(e, want);
}

static int finalized_calls;
static void count_finalize(PyObject *self)
{
    (void)self;
    finalized_calls++;
}
static int no_traverse(PyObject *self, visitproc visit, void *arg)
{
    (void)self;
    (void)visit;
    (void)arg;
    return 0;
}
static PyTypeObject FinType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gg.Fin",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = no_traverse,
    .tp_finalize = count_finalize,
};

/* Cython's __Pyx_PyType_Ready readies a static type with Py_TPFLAGS_HEAPTYPE set for the
 * call (and the collector disabled around it); the struct has no heap type fields. */
static PyTypeObject CyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gg.mod.CyStatic",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Internal class, readied as Cython does",
};

static int at_exit_calls;
static void on_exit_fn(void)
{
    at_exit_calls++;
}

int gg_misc_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    PyObject *builtins = PyImport_ImportModule("builtins");

    /* collector switches: a real flag; nothing to collect */
    CHECK(PyGC_IsEnabled() == 1);
    CHECK(PyGC_Disable() == 1);
    CHECK(PyGC_Disable() == 0);
    CHECK(PyGC_IsEnabled() == 0);
    CHECK(PyGC_Enable() == 0);
    CHECK(PyGC_Enable() == 1);
    CHECK(PyGC_IsEnabled() == 1);
    CHECK(PyGC_Collect() == 0);
    PyObject *list = PyList_New(0);
    PyObject *five = PyLong_FromLong(5);
    /* a class made by type() is a GC type in CPython and gilgate (gilgate's built-in
     * containers lack the flag: capi/data/partial.tsv) */
    PyObject *G = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "G",
                                        (PyObject *)&PyBaseObject_Type);
    PyObject *g = G ? PyObject_CallNoArgs(G) : NULL;
    CHECK(g != NULL && PyObject_IS_GC(g) == 1);
    CHECK(g != NULL && PyObject_GC_IsFinalized(g) == 0);
    /* no tp_finalize: calling the finalizer marks nothing, as in CPython */
    if (g != NULL)
        PyObject_CallFinalizer(g);
    CHECK(g != NULL && PyObject_GC_IsFinalized(g) == 0);
    Py_XDECREF(g);
    Py_XDECREF(G);
    PyErr_Clear();
    CHECK(PyObject_IS_GC(five) == 0);
    /* a GC type with tp_finalize: finalized once */
    CHECK(PyType_Ready(&FinType) == 0);
    PyObject *fo = FinType.tp_alloc(&FinType, 0);
    CHECK(fo != NULL && PyObject_IS_GC(fo) == 1 && PyObject_GC_IsFinalized(fo) == 0);
    PyObject_CallFinalizer(fo);
    PyObject_CallFinalizer(fo);
    CHECK(PyObject_GC_IsFinalized(fo) == 1 && finalized_calls == 1);
    CHECK(PyObject_GC_IsFinalized(five) == 0);
    CHECK(PyUnstable_Object_IsUniqueReferencedTemporary(list) == 0);

    int was = PyGC_Disable();
    CyType.tp_flags |= Py_TPFLAGS_HEAPTYPE;
    int ready = PyType_Ready(&CyType);
    CyType.tp_flags &= ~Py_TPFLAGS_HEAPTYPE;
    if (was)
        PyGC_Enable();
    CHECK(ready == 0 && was == 1 && PyGC_IsEnabled() == 1);
    CHECK(repr_is(PyObject_GetAttrString((PyObject *)&CyType, "__doc__"),
                  "'Internal class, readied as Cython does'"));

    /* dicts */
    PyObject *d = _PyDict_NewPresized(100);
    CHECK(d != NULL && PyDict_CheckExact(d) && PyDict_GET_SIZE(d) == 0);
    PyObject *key = PyUnicode_FromString("k");
    PyDict_SetItem(d, key, five);
    CHECK(_PyDict_GetItem_KnownHash(d, key, PyObject_Hash(key)) == five);
    PyObject *other = PyUnicode_FromString("other");
    CHECK(_PyDict_GetItem_KnownHash(d, other, PyObject_Hash(other)) == NULL && !PyErr_Occurred());
    CHECK(_PyDict_GetItem_KnownHash(list, key, 0) == NULL && raised(PyExc_SystemError, NULL));
    CHECK(_PyDict_GetItem_KnownHash(d, list, 0) == NULL &&
          raised(PyExc_TypeError, "cannot use 'list' as a dict key (unhashable type: 'list')"));

    /* PyIndex_Check */
    PyObject *f = PyFloat_FromDouble(5.0);
    CHECK(PyIndex_Check(five) == 1 && PyIndex_Check(Py_True) == 1);
    CHECK(PyIndex_Check(f) == 0 && PyIndex_Check(key) == 0 && PyIndex_Check(Py_None) == 0);

    /* PyType_Freeze */
    PyObject *A = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "A",
                                        (PyObject *)&PyBaseObject_Type);
    CHECK(A != NULL && PyType_Freeze((PyTypeObject *)A) == 0);
    CHECK((PyType_GetFlags((PyTypeObject *)A) & Py_TPFLAGS_IMMUTABLETYPE) != 0);
    CHECK(PyObject_SetAttrString(A, "x", five) == -1 &&
          raised(PyExc_TypeError, "cannot set 'x' attribute of immutable type 'A'"));
    PyObject *B = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "B", A);
    CHECK(B != NULL && PyType_Freeze((PyTypeObject *)B) == 0);
    PyObject *X = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "X",
                                        (PyObject *)&PyBaseObject_Type);
    PyObject *Y = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "Y", X);
    CHECK(Y != NULL && PyType_Freeze((PyTypeObject *)Y) == -1 &&
          raised(PyExc_TypeError, "Creating immutable type Y from mutable base X"));
    CHECK((PyType_GetFlags((PyTypeObject *)Y) & Py_TPFLAGS_IMMUTABLETYPE) == 0);

    /* errno exceptions: the subclass for the number, strerror's text */
    errno = ENOENT;
    CHECK(PyErr_SetFromErrno(PyExc_OSError) == NULL &&
          raised_repr("FileNotFoundError(2, 'No such file or directory')"));
    errno = EACCES;
    CHECK(PyErr_SetFromErrno(PyExc_OSError) == NULL &&
          raised_repr("PermissionError(13, 'Permission denied')"));
    errno = 0;
    CHECK(PyErr_SetFromErrno(PyExc_OSError) == NULL && raised_repr("OSError(0, 'Error')"));
    errno = 9999;
    CHECK(PyErr_SetFromErrno(PyExc_OSError) == NULL &&
          raised_repr("OSError(9999, 'Unknown error 9999')"));
    errno = ENOENT;
    CHECK(PyErr_SetFromErrno(PyExc_ValueError) == NULL &&
          raised_repr("ValueError(2, 'No such file or directory')"));
    errno = ENOENT;
    CHECK(PyErr_SetFromErrnoWithFilename(PyExc_OSError, "/nope") == NULL &&
          raised(PyExc_FileNotFoundError, "[Errno 2] No such file or directory: '/nope'"));
    errno = ENOENT;
    CHECK(PyErr_SetFromErrnoWithFilename(PyExc_OSError, NULL) == NULL &&
          raised(PyExc_FileNotFoundError, "[Errno 2] No such file or directory"));
    errno = EEXIST;
    PyObject *f1 = PyUnicode_FromString("a"), *f2 = PyUnicode_FromString("b");
    CHECK(PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, f1, f2) == NULL &&
          raised(PyExc_FileExistsError, "[Errno 17] File exists: 'a' -> 'b'"));

    /* exception chaining */
    PyErr_SetString(PyExc_ValueError, "first");
    PyObject *first = PyErr_GetRaisedException();
    PyErr_SetString(PyExc_KeyError, "second");
    _PyErr_ChainExceptions1(first);
    PyObject *second = PyErr_GetRaisedException();
    CHECK(second != NULL && Py_IS_TYPE(second, (PyTypeObject *)PyExc_KeyError));
    PyObject *ctx = second ? PyException_GetContext(second) : NULL;
    CHECK(repr_is(ctx, "ValueError('first')"));
    Py_XDECREF(second);
    PyErr_SetString(PyExc_ValueError, "alone");
    first = PyErr_GetRaisedException();
    _PyErr_ChainExceptions1(first);
    CHECK(raised(PyExc_ValueError, "alone"));
    _PyErr_ChainExceptions1(NULL);
    CHECK(!PyErr_Occurred());

    /* hashing */
    PyObject *abc = PyBytes_FromString("abc");
    CHECK(Py_HashBuffer("abc", 3) == PyObject_Hash(abc));
    CHECK(Py_HashBuffer("", 0) == 0);
    CHECK(Py_HashPointer((void *)0x1230) == 291);
    CHECK(Py_HashPointer(NULL) == 0);
    CHECK(Py_HashPointer((void *)(uintptr_t)-1) == -2);
    CHECK(Py_HashPointer(list) == PyBaseObject_Type.tp_hash(list));

    /* PyObject_Bytes */
    CHECK(repr_is(PyObject_Bytes(abc), "b'abc'"));
    PyObject *ba = PyByteArray_FromStringAndSize("ab", 2);
    CHECK(repr_is(PyObject_Bytes(ba), "b'ab'"));
    PyObject *l2 = Py_BuildValue("[ii]", 1, 2);
    CHECK(repr_is(PyObject_Bytes(l2), "b'\\x01\\x02'"));
    CHECK(PyObject_Bytes(five) == NULL &&
          raised(PyExc_TypeError, "cannot convert 'int' object to bytes"));
    CHECK(PyObject_Bytes(key) == NULL &&
          raised(PyExc_TypeError, "cannot convert 'str' object to bytes"));
    CHECK(repr_is(PyObject_Bytes(NULL), "b'<NULL>'"));

    /* PyOS_FSPath */
    CHECK(repr_is(PyOS_FSPath(key), "'k'"));
    CHECK(repr_is(PyOS_FSPath(abc), "b'abc'"));
    CHECK(PyOS_FSPath(five) == NULL &&
          raised(PyExc_TypeError, "expected str, bytes or os.PathLike object, not int"));

    /* decoding */
    PyObject *ude = PyUnicodeDecodeError_Create("utf-8", "ab\xff", 3, 2, 3, "invalid start byte");
    CHECK(repr_is(ude, "UnicodeDecodeError('utf-8', b'ab\\xff', 2, 3, 'invalid start byte')"));
    CHECK(repr_is(PyUnicode_FromEncodedObject(abc, NULL, NULL), "'abc'"));
    PyObject *bad = PyBytes_FromStringAndSize("ab\xff", 3);
    CHECK(PyUnicode_FromEncodedObject(bad, "utf-8", "strict") == NULL &&
          raised(PyExc_UnicodeDecodeError, NULL));
    CHECK(repr_is(PyUnicode_FromEncodedObject(bad, "utf-8", "replace"), "'ab\xef\xbf\xbd'"));
    CHECK(PyUnicode_FromEncodedObject(key, NULL, NULL) == NULL &&
          raised(PyExc_TypeError, "decoding str is not supported"));
    CHECK(PyUnicode_FromEncodedObject(five, NULL, NULL) == NULL &&
          raised(PyExc_TypeError, "decoding to str: need a bytes-like object, int found"));
    CHECK(PyUnicode_FromEncodedObject(list, NULL, NULL) == NULL &&
          raised(PyExc_TypeError, "decoding to str: need a bytes-like object, list found"));
    CHECK(repr_is(PyUnicode_FromEncodedObject(ba, "latin-1", NULL), "'ab'"));
    PyObject *e9 = PyBytes_FromStringAndSize("\xe9", 1);
    CHECK(repr_is(PyUnicode_FromEncodedObject(e9, "latin1", NULL), "'\xc3\xa9'"));
    CHECK(PyUnicode_FromEncodedObject(abc, "nope-codec", NULL) == NULL &&
          raised(PyExc_LookupError, "unknown encoding: nope-codec"));
    PyObject *empty = PyBytes_FromStringAndSize("", 0);
    CHECK(repr_is(PyUnicode_FromEncodedObject(empty, NULL, NULL), "''"));

    /* UTF-16 / UTF-32 (byte order: 0 = native with BOM detection, -1 little, 1 big) */
    int bo = 0;
    CHECK(repr_is(PyUnicode_DecodeUTF32("\xff\xfe\x00\x00" "a\x00\x00\x00", 8, NULL, &bo), "'a'") &&
          bo == -1);
    bo = 0;
    CHECK(repr_is(PyUnicode_DecodeUTF32("\x00\x00\xfe\xff\x00\x00\x00" "a", 8, NULL, &bo), "'a'") &&
          bo == 1);
    bo = -1;
    CHECK(repr_is(PyUnicode_DecodeUTF32("\xff\xfe\x00\x00" "a\x00\x00\x00", 8, NULL, &bo),
                  "'\\ufeffa'"));
    bo = 0;
    CHECK(repr_is(PyUnicode_DecodeUTF32("a\x00\x00\x00", 4, NULL, &bo), "'a'") && bo == 0);
    bo = 1;
    CHECK(PyUnicode_DecodeUTF32("a\x00\x00\x00", 4, NULL, &bo) == NULL &&
          raised(PyExc_UnicodeDecodeError, NULL));
    CHECK(PyUnicode_DecodeUTF32("a\x00\x00", 3, NULL, NULL) == NULL &&
          raised(PyExc_UnicodeDecodeError, NULL));
    bo = -1;
    CHECK(repr_is(PyUnicode_DecodeUTF32("a\x00\x00\x00\x00\x00\x11\x00", 8, "replace", &bo),
                  "'a\xef\xbf\xbd'"));
    CHECK(repr_is(PyUnicode_DecodeUTF32("a\x00\x00\x00\x00\x00\x11\x00", 8, "ignore", &bo),
                  "'a'"));
    bo = 0;
    CHECK(repr_is(PyUnicode_DecodeUTF16("\xfe\xff\x00" "a", 4, NULL, &bo), "'a'") && bo == 1);
    CHECK(repr_is(PyUnicode_DecodeUTF16("=\xd8\x00\xde", 4, NULL, NULL), "'\xf0\x9f\x98\x80'"));
    CHECK(PyUnicode_DecodeUTF16("\x00\xdc", 2, NULL, NULL) == NULL &&
          raised(PyExc_UnicodeDecodeError, NULL));
    bo = -1;
    CHECK(repr_is(PyUnicode_DecodeUTF16("\x00\xdc" "a\x00", 4, "replace", &bo), "'\xef\xbf\xbd" "a'"));
    PyObject *abc_s = PyUnicode_FromString("abc");
    CHECK(repr_is(PyUnicode_AsUTF16String(abc_s), "b'\\xff\\xfe" "a\\x00" "b\\x00" "c\\x00'"));
    Py_DECREF(abc_s);
    CHECK(PyUnicode_AsUTF16String(abc) == NULL &&
          raised(PyExc_TypeError, "bad argument type for built-in operation"));

    /* tracemalloc is never tracing in gilgate: CPython's answer for that state */
    CHECK(PyTraceMalloc_Track(0, 1000, 10) == -2);
    CHECK(PyTraceMalloc_Untrack(0, 1000) == -2);

    /* reference helpers */
    PyObject *imm = PyLong_FromLong(123456789);
    _Py_SetImmortal(imm);
    CHECK(_Py_IsImmortal(imm));
    Py_DECREF(imm);
    CHECK(PyLong_AsLong(imm) == 123456789);
    PyObject *raw = PyObject_Malloc(sizeof(PyObject));
    raw->ob_type = &PyBaseObject_Type;
    _Py_NewReference(raw);
    CHECK(Py_REFCNT(raw) == 1 && Py_TYPE(raw) == &PyBaseObject_Type);
    PyObject_Free(raw);

    /* Py_AtExit: registered (run at process exit), at most 32 */
    CHECK(Py_AtExit(on_exit_fn) == 0);
    CHECK(at_exit_calls == 0);

    /* recursion limit, interrupts, C signal handlers */
    CHECK(Py_GetRecursionLimit() == 1000);
    Py_SetRecursionLimit(2500);
    CHECK(Py_GetRecursionLimit() == 2500);
    Py_SetRecursionLimit(1000);
    CHECK(PyErr_SetInterruptEx(0) == -1 && PyErr_SetInterruptEx(SIGINT) == 0);
    PyErr_SetInterrupt();
    CHECK(PyErr_CheckSignals() == 0 && !PyErr_Occurred());
    PyOS_sighandler_t before = PyOS_setsig(SIGUSR2, gg_handler);
    CHECK(before != SIG_ERR && PyOS_getsig(SIGUSR2) == gg_handler);
    CHECK(PyOS_setsig(SIGUSR2, before) == gg_handler && PyOS_getsig(SIGUSR2) == before);
    PyOS_BeforeFork();
    PyOS_AfterFork_Parent();

    /* KeyError with a tuple key: the key is the one argument */
    PyObject *pair = Py_BuildValue("(ii)", 1, 2);
    _PyErr_SetKeyError(pair);
    CHECK(raised_repr("KeyError((1, 2))"));
    Py_DECREF(pair);

    /* an exception raised from the pending one */
    PyErr_SetString(PyExc_ValueError, "inner");
    CHECK(_PyErr_FormatFromCause(PyExc_RuntimeError, "outer %d", 5) == NULL);
    PyObject *outer = PyErr_GetRaisedException();
    CHECK(repr_is(Py_XNewRef(outer), "RuntimeError('outer 5')"));
    CHECK(outer != NULL && repr_is(PyException_GetCause(outer), "ValueError('inner')"));
    CHECK(outer != NULL && repr_is(PyException_GetContext(outer), "ValueError('inner')"));
    Py_XDECREF(outer);

    /* which raised exceptions match which classes */
    PyErr_SetString(PyExc_KeyError, "k");
    PyObject *kerr = PyErr_GetRaisedException();
    PyObject *pair_lk = PyTuple_Pack(2, PyExc_ValueError, PyExc_LookupError);
    PyObject *pair_vt = PyTuple_Pack(2, PyExc_ValueError, PyExc_TypeError);
    PyObject *five_obj = PyLong_FromLong(5);
    CHECK(PyErr_GivenExceptionMatches(kerr, PyExc_KeyError) == 1);
    CHECK(PyErr_GivenExceptionMatches(kerr, PyExc_LookupError) == 1);
    CHECK(PyErr_GivenExceptionMatches(kerr, PyExc_ValueError) == 0);
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, PyExc_Exception) == 1);
    CHECK(PyErr_GivenExceptionMatches(PyExc_Exception, PyExc_KeyError) == 0);
    CHECK(PyErr_GivenExceptionMatches(kerr, pair_lk) == 1);
    CHECK(PyErr_GivenExceptionMatches(kerr, pair_vt) == 0);
    /* not exceptions: an int "matches" only the very same object, never its class */
    CHECK(PyErr_GivenExceptionMatches(five_obj, (PyObject *)&PyLong_Type) == 0);
    CHECK(PyErr_GivenExceptionMatches(five_obj, five_obj) == 1);
    /* a class against its metaclass */
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, (PyObject *)&PyType_Type) == 0);
    CHECK(PyErr_GivenExceptionMatches(NULL, PyExc_KeyError) == 0);
    PyErr_SetRaisedException(Py_XNewRef(kerr));
    CHECK(PyErr_ExceptionMatches(PyExc_KeyError) && PyErr_ExceptionMatches(PyExc_LookupError) &&
          !PyErr_ExceptionMatches(PyExc_TypeError));
    PyErr_Clear();
    /* a KeyError keeps its own str(): the repr of its one argument */
    PyObject *kstr = kerr ? PyObject_Str(kerr) : NULL;
    CHECK(kstr != NULL && strcmp(PyUnicode_AsUTF8(kstr), "'k'") == 0);
    Py_XDECREF(kstr);
    Py_XDECREF(five_obj);
    Py_XDECREF(pair_vt);
    Py_XDECREF(pair_lk);
    Py_XDECREF(kerr);

    /* PyObject_Print to a C stream */
    CHECK(printed(key, 0, "'k'"));
    CHECK(printed(key, Py_PRINT_RAW, "k"));
    CHECK(printed(NULL, 0, "<nil>"));

    /* writing to a file-like object: a list subclass whose write is list.append */
    PyObject *append = PyObject_GetAttrString((PyObject *)&PyList_Type, "append");
    PyObject *W = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){sO}", "W",
                                        (PyObject *)&PyList_Type, "write", append);
    PyObject *w = W ? PyObject_CallNoArgs(W) : NULL;
    CHECK(w != NULL && PyFile_WriteObject(key, w, 0) == 0);
    CHECK(w != NULL && PyFile_WriteObject(key, w, Py_PRINT_RAW) == 0);
    CHECK(w != NULL && PyFile_WriteString("hi", w) == 0);
    CHECK(w != NULL && repr_is(PySequence_List(w), "[\"'k'\", 'k', 'hi']"));
    CHECK(PyFile_WriteObject(key, NULL, 0) == -1 &&
          raised(PyExc_TypeError, "writeobject with NULL file"));
    CHECK(PyFile_WriteString("x", NULL) == -1 &&
          raised(PyExc_SystemError, "null file for PyFile_WriteString"));
    Py_XDECREF(w);
    Py_XDECREF(W);
    Py_XDECREF(append);

    /* file descriptors */
    CHECK(PyObject_AsFileDescriptor(five) == 5);
    PyObject *neg = PyLong_FromLong(-1);
    CHECK(PyObject_AsFileDescriptor(neg) == -1 &&
          raised(PyExc_ValueError, "file descriptor cannot be a negative integer (-1)"));
    Py_DECREF(neg);
    CHECK(PyObject_AsFileDescriptor(Py_None) == -1 &&
          raised(PyExc_TypeError, "argument must be an int, or have a fileno() method."));
    /* list subclasses whose fileno is list.copy (not an int) and list.__len__ */
    PyObject *upper = PyObject_GetAttrString((PyObject *)&PyList_Type, "copy");
    PyObject *slen = PyObject_GetAttrString((PyObject *)&PyList_Type, "__len__");
    PyObject *F = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){sO}", "F",
                                        (PyObject *)&PyList_Type, "fileno", upper);
    PyObject *FG = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){sO}", "G",
                                         (PyObject *)&PyList_Type, "fileno", slen);
    PyObject *fo_ = F ? PyObject_CallFunction(F, "((i))", 1) : NULL;
    PyObject *go_ = FG ? PyObject_CallFunction(FG, "((iii))", 1, 2, 3) : NULL;
    CHECK(fo_ != NULL && PyObject_AsFileDescriptor(fo_) == -1 &&
          raised(PyExc_TypeError, "fileno() returned a non-integer"));
    CHECK(go_ != NULL && PyObject_AsFileDescriptor(go_) == 3);
    PyErr_Clear();
    Py_XDECREF(fo_);
    Py_XDECREF(go_);
    Py_XDECREF(F);
    Py_XDECREF(FG);
    Py_XDECREF(upper);
    Py_XDECREF(slen);

    /* set update, StopIteration values (mypyc's helpers) */
    PyObject *st = PySet_New(NULL);
    PyObject *items = Py_BuildValue("[iii]", 1, 2, 2);
    CHECK(_PySet_Update(st, items) == 0 && PySet_GET_SIZE(st) == 2);
    CHECK(_PySet_Update(items, st) == -1 && raised(PyExc_SystemError, NULL));
    CHECK(_PySet_Update(st, five) == -1 &&
          raised(PyExc_TypeError, "'int' object is not iterable"));
    Py_DECREF(items);
    Py_DECREF(st);
    PyObject *val = NULL;
    PyErr_SetObject(PyExc_StopIteration, five);
    CHECK(_PyGen_FetchStopIterationValue(&val) == 0 && val == five && !PyErr_Occurred());
    Py_XDECREF(val);
    val = NULL;
    CHECK(_PyGen_FetchStopIterationValue(&val) == 0 && val == Py_None);
    Py_XDECREF(val);
    val = NULL;
    PyErr_SetString(PyExc_ValueError, "v");
    CHECK(_PyGen_FetchStopIterationValue(&val) == -1 && val == NULL &&
          raised(PyExc_ValueError, "v"));

    /* builtins.__import__ */
    PyObject *imp = PyObject_GetAttrString(builtins, "__import__");
    CHECK(imp != NULL);
    if (imp != NULL) {
        PyObject *sys = PyObject_CallFunction(imp, "s", "sys");
        CHECK(sys != NULL && PyModule_Check(sys));
        Py_XDECREF(sys);
        CHECK(PyObject_CallFunction(imp, "i", 5) == NULL &&
              raised(PyExc_TypeError, "module name must be a string"));
        CHECK(PyObject_CallNoArgs(imp) == NULL &&
              raised(PyExc_TypeError, "__import__() missing required argument 'name' (pos 1)"));
        CHECK(PyObject_CallFunction(imp, "s", "") == NULL &&
              raised(PyExc_ValueError, "Empty module name"));
        CHECK(PyObject_CallFunction(imp, "sOOOii", "sys", Py_None, Py_None, Py_None, 0, 1) ==
                  NULL &&
              raised(PyExc_TypeError, "__import__() takes at most 5 arguments (6 given)"));
        PyObject *args = Py_BuildValue("(s)", "sys");
        PyObject *kw = Py_BuildValue("{si}", "level", -1);
        CHECK(PyObject_Call(imp, args, kw) == NULL &&
              raised(PyExc_ValueError, "level must be >= 0"));
        Py_DECREF(kw);
        kw = Py_BuildValue("{si}", "foo", 1);
        CHECK(PyObject_Call(imp, args, kw) == NULL &&
              raised(PyExc_TypeError, "__import__() got an unexpected keyword argument 'foo'"));
        Py_DECREF(kw);
        kw = Py_BuildValue("{ss}", "level", "x");
        CHECK(PyObject_Call(imp, args, kw) == NULL &&
              raised(PyExc_TypeError, "'str' object cannot be interpreted as an integer"));
        Py_DECREF(kw);
        Py_DECREF(args);
        CHECK(PyObject_CallFunction(imp, "s", "nope_mod_gg") == NULL &&
              raised(PyExc_ModuleNotFoundError, NULL));
        Py_DECREF(imp);
    }

    Py_DECREF(empty);
    Py_DECREF(e9);
    Py_DECREF(bad);
    Py_DECREF(l2);
    Py_DECREF(ba);
    Py_DECREF(abc);
    Py_DECREF(f1);
    Py_DECREF(f2);
    Py_XDECREF(X);
    Py_XDECREF(Y);
    Py_XDECREF(A);
    Py_XDECREF(B);
    Py_DECREF(f);
    Py_DECREF(other);
    Py_DECREF(key);
    Py_DECREF(d);
    Py_DECREF(five);
    Py_DECREF(list);
    Py_DECREF(builtins);
    return g_failed;
}
