/* Bound methods (PyMethod_*), instance methods (PyInstanceMethod_*) and classmethod
 * (PyClassMethod_New) as CPython 3.14's Objects/classobject.c and funcobject.c make them.
 * The texts are CPython 3.14.10's, read there through ctypes (pythonapi.PyMethod_New(len,
 * 'abc'), pythonapi.PyInstanceMethod_New(len), pythonapi.PyClassMethod_New(len)). */
#include <Python.h>
#include <string.h>

#include "checks.h"

/* repr(o) equals `want` (o is released). */
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

/* The pending exception is `type` with message `msg` (then cleared). */
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

static long as_long(PyObject *o)
{
    if (o == NULL) {
        PyErr_Clear();
        return -999;
    }
    long v = PyLong_AsLong(o);
    Py_DECREF(o);
    return v;
}

int gg_method_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    PyObject *builtins = PyImport_ImportModule("builtins");
    PyObject *len = PyObject_GetAttrString(builtins, "len");
    PyObject *abc = PyUnicode_FromString("abc");
    PyObject *abd = PyUnicode_FromString("abd");

    /* ---- method ---- */
    CHECK(PyMethod_New(len, NULL) == NULL && raised(PyExc_SystemError, NULL));
    PyObject *m = PyMethod_New(len, abc);
    CHECK(m != NULL && PyMethod_Check(m));
    CHECK(Py_TYPE(m) == &PyMethod_Type);
    CHECK(PyMethod_GET_FUNCTION(m) == len && PyMethod_GET_SELF(m) == abc);
    CHECK(PyMethod_Function(m) == len && PyMethod_Self(m) == abc);
    CHECK(PyMethod_Function(len) == NULL && raised(PyExc_SystemError, NULL));
    CHECK(PyMethod_Self(abc) == NULL && raised(PyExc_SystemError, NULL));
    CHECK(as_long(PyObject_CallNoArgs(m)) == 3);
    CHECK(as_long(PyObject_Vectorcall(m, NULL, 0, NULL)) == 3);
    CHECK(repr_is(Py_NewRef(m), "<bound method len of 'abc'>"));
    CHECK(repr_is(PyObject_GetAttrString(m, "__func__"), "<built-in function len>"));
    CHECK(repr_is(PyObject_GetAttrString(m, "__self__"), "'abc'"));
    /* other attributes come from the function */
    CHECK(repr_is(PyObject_GetAttrString(m, "__name__"), "'len'"));
    CHECK(repr_is(PyObject_GetAttrString(m, "__qualname__"), "'len'"));
    CHECK(PyObject_GetAttrString(m, "nope") == NULL &&
          raised(PyExc_AttributeError,
                 "'builtin_function_or_method' object has no attribute 'nope'"));
    CHECK(repr_is(PyObject_CallMethod(m, "__reduce__", NULL),
                  "(<built-in function getattr>, ('abc', 'len'))"));
    PyObject *m2 = PyMethod_New(len, abc);
    PyObject *m3 = PyMethod_New(len, abd);
    CHECK(PyObject_RichCompareBool(m, m2, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(m, m2, Py_NE) == 0);
    CHECK(PyObject_RichCompareBool(m, m3, Py_EQ) == 0);
    CHECK(PyObject_Hash(m) == PyObject_Hash(m2) && PyObject_Hash(m) != -1);
    CHECK(PyObject_RichCompareBool(m, len, Py_EQ) == 0);
    /* binding a bound method again gives it back */
    PyObject *again = Py_TYPE(m)->tp_descr_get(m, abd, (PyObject *)&PyUnicode_Type);
    CHECK(again == m);
    Py_XDECREF(again);
    /* keyword arguments pass through to the function */
    PyObject *split = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, "split");
    PyObject *text = PyUnicode_FromString("a,b");
    PyObject *ms = PyMethod_New(split, text);
    PyObject *kw = Py_BuildValue("{s:s}", "sep", ",");
    PyObject *noargs = PyTuple_New(0);
    CHECK(repr_is(PyObject_Call(ms, noargs, kw), "['a', 'b']"));
    PyObject *comma = PyUnicode_FromString(",");
    CHECK(repr_is(PyObject_CallOneArg(ms, comma), "['a', 'b']"));
    Py_DECREF(comma);
    /* calling the type */
    PyObject *args = Py_BuildValue("(OO)", len, Py_None);
    CHECK(PyObject_Call((PyObject *)&PyMethod_Type, args, NULL) == NULL &&
          raised(PyExc_TypeError, "instance must not be None"));
    Py_DECREF(args);
    args = Py_BuildValue("(iO)", 5, abc);
    CHECK(PyObject_Call((PyObject *)&PyMethod_Type, args, NULL) == NULL &&
          raised(PyExc_TypeError, "first argument must be callable"));
    Py_DECREF(args);
    args = Py_BuildValue("(O)", len);
    CHECK(PyObject_Call((PyObject *)&PyMethod_Type, args, NULL) == NULL &&
          raised(PyExc_TypeError, "method expected 2 arguments, got 1"));
    Py_DECREF(args);
    args = Py_BuildValue("(OO)", len, abd);
    PyObject *made = PyObject_Call((PyObject *)&PyMethod_Type, args, NULL);
    CHECK(made != NULL && PyMethod_Check(made) && as_long(PyObject_CallNoArgs(made)) == 3);
    Py_XDECREF(made);
    CHECK(PyObject_Call((PyObject *)&PyMethod_Type, args, kw) == NULL &&
          raised(PyExc_TypeError, "method() takes no keyword arguments"));
    Py_DECREF(args);

    /* ---- instancemethod ---- */
    PyObject *im = PyInstanceMethod_New(len);
    CHECK(im != NULL && PyInstanceMethod_Check(im));
    CHECK(PyInstanceMethod_GET_FUNCTION(im) == len && PyInstanceMethod_Function(im) == len);
    CHECK(PyInstanceMethod_Function(len) == NULL && raised(PyExc_SystemError, NULL));
    CHECK(as_long(PyObject_CallOneArg(im, abc)) == 3);
    CHECK(PyObject_Hash(im) == -1 &&
          raised(PyExc_TypeError, "unhashable type: 'instancemethod'"));
    PyObject *r = PyObject_Repr(im);
    CHECK(r != NULL && strncmp(PyUnicode_AsUTF8(r), "<instancemethod len at 0x", 25) == 0);
    Py_XDECREF(r);
    CHECK(repr_is(PyObject_GetAttrString(im, "__name__"), "'len'"));
    CHECK(repr_is(PyObject_GetAttrString(im, "__func__"), "<built-in function len>"));
    PyObject *im2 = PyInstanceMethod_New(len);
    CHECK(PyObject_RichCompareBool(im, im2, Py_EQ) == 1);
    PyObject *bound = Py_TYPE(im)->tp_descr_get(im, abc, (PyObject *)&PyUnicode_Type);
    CHECK(repr_is(Py_XNewRef(bound), "<bound method len of 'abc'>"));
    CHECK(as_long(PyObject_CallNoArgs(bound)) == 3);
    Py_XDECREF(bound);
    PyObject *plain = Py_TYPE(im)->tp_descr_get(im, NULL, (PyObject *)&PyUnicode_Type);
    CHECK(plain == len);
    Py_XDECREF(plain);
    /* pybind11's use: an instancemethod in a class dict becomes a bound method on instances */
    PyObject *ns = Py_BuildValue("{sO}", "size", im);
    PyObject *targs = Py_BuildValue("(s(O)O)", "T", (PyObject *)&PyList_Type, ns);
    PyObject *T = PyObject_Call((PyObject *)&PyType_Type, targs, NULL);
    CHECK(T != NULL);
    if (T != NULL) {
        PyObject *inst = PyObject_CallOneArg(T, abc);
        CHECK(inst != NULL && as_long(PyObject_CallMethod(inst, "size", NULL)) == 3);
        Py_XDECREF(inst);
        CHECK(repr_is(PyObject_GetAttrString(T, "size"), "<built-in function len>"));
    } else {
        PyErr_Clear();
    }
    Py_XDECREF(T);
    Py_DECREF(targs);
    Py_DECREF(ns);
    args = Py_BuildValue("(i)", 5);
    CHECK(PyObject_Call((PyObject *)&PyInstanceMethod_Type, args, NULL) == NULL &&
          raised(PyExc_TypeError, "first argument must be callable"));
    Py_DECREF(args);
    CHECK(PyObject_Call((PyObject *)&PyInstanceMethod_Type, noargs, NULL) == NULL &&
          raised(PyExc_TypeError, "instancemethod expected 1 argument, got 0"));

    /* ---- classmethod ---- */
    PyObject *cm = PyClassMethod_New(len);
    CHECK(cm != NULL && Py_TYPE(cm) == &PyClassMethod_Type);
    CHECK(repr_is(Py_XNewRef(cm), "<classmethod(<built-in function len>)>"));
    CHECK(repr_is(PyObject_GetAttrString(cm, "__func__"), "<built-in function len>"));
    CHECK(repr_is(PyObject_GetAttrString(cm, "__wrapped__"), "<built-in function len>"));
    CHECK(repr_is(PyObject_GetAttrString(cm, "__isabstractmethod__"), "False"));
    PyObject *cb = Py_TYPE(cm)->tp_descr_get(cm, abc, NULL);
    CHECK(repr_is(Py_XNewRef(cb), "<bound method len of <class 'str'>>"));
    CHECK(PyObject_CallNoArgs(cb) == NULL &&
          raised(PyExc_TypeError, "object of type 'type' has no len()"));
    Py_XDECREF(cb);
    cb = Py_TYPE(cm)->tp_descr_get(cm, NULL, (PyObject *)&PyLong_Type);
    CHECK(repr_is(Py_XNewRef(cb), "<bound method len of <class 'int'>>"));
    Py_XDECREF(cb);
    CHECK(repr_is(PyClassMethod_New(abc), "<classmethod('abc')>"));

    Py_DECREF(cm);
    Py_DECREF(im2);
    Py_DECREF(im);
    Py_DECREF(noargs);
    Py_DECREF(kw);
    Py_DECREF(ms);
    Py_DECREF(text);
    Py_DECREF(split);
    Py_DECREF(m3);
    Py_DECREF(m2);
    Py_DECREF(m);
    Py_DECREF(abd);
    Py_DECREF(abc);
    Py_DECREF(len);
    Py_DECREF(builtins);
    return g_failed;
}
