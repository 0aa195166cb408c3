/* `super` (PySuper_Type) as CPython 3.14's Objects/typeobject.c makes it: super(T, obj) and
 * super(T, T2) look attributes up after T along the MRO and bind them, super(T) binds through
 * __get__. The texts are CPython 3.14.10's (the same calls from Python, recorded in
 * tests/data/stdlib/builtins.json too); "super(): no current frame" is its text for a call
 * without a Python frame, which is every call in gilgate. */
#include <Python.h>
#include <string.h>

#include "checks.h"

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

static int repr_is(PyObject *o, const char *want)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    PyObject *r = PyObject_Repr(o);
    Py_DECREF(o);
    return str_is(r, want);
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

static PyObject *base_who(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyUnicode_FromString("Base.who");
}

static PyObject *derived_who(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyUnicode_FromString("Derived.who");
}

/* a class method: the class it was bound to */
static PyObject *base_kind(PyObject *cls, PyObject *unused)
{
    (void)unused;
    return PyObject_GetAttrString(cls, "__name__");
}

static PyMethodDef base_methods[] = {
    {"who", base_who, METH_NOARGS, NULL},
    {"kind", base_kind, METH_NOARGS | METH_CLASS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef derived_methods[] = {
    {"who", derived_who, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot base_slots[] = {{Py_tp_methods, base_methods}, {0, NULL}};
static PyType_Slot derived_slots[] = {{Py_tp_methods, derived_methods}, {0, NULL}};

static PyType_Spec base_spec = {"gg.Base", sizeof(PyObject), 0,
                                Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, base_slots};
static PyType_Spec derived_spec = {"gg.Derived", sizeof(PyObject), 0,
                                   Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, derived_slots};

static PyObject *super2(PyObject *t, PyObject *obj)
{
    return PyObject_CallFunctionObjArgs((PyObject *)&PySuper_Type, t, obj, NULL);
}

int gg_super_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    PyObject *base = PyType_FromSpec(&base_spec);
    PyObject *derived = PyType_FromSpecWithBases(&derived_spec, base);
    CHECK(base != NULL && derived != NULL);
    if (base == NULL || derived == NULL)
        return g_failed;
    PyObject *d = PyObject_CallNoArgs(derived);
    CHECK(d != NULL);
    PyObject *one = PyLong_FromLong(1);

    /* bound to an instance: the base's method, bound to it */
    CHECK(str_is(PyObject_CallMethod(d, "who", NULL), "Derived.who"));
    PyObject *s = super2(derived, d);
    CHECK(s != NULL && PyObject_TypeCheck(s, &PySuper_Type) && Py_TYPE(s) == &PySuper_Type);
    CHECK(str_is(PyObject_CallMethod(s, "who", NULL), "Base.who"));
    PyObject *who = PyObject_GetAttrString(s, "who");
    CHECK(who != NULL && PyCFunction_Check(who) && PyCFunction_GET_SELF(who) == d);
    Py_XDECREF(who);
    CHECK(str_is(PyObject_CallMethod(s, "kind", NULL), "Derived"));
    CHECK(repr_is(Py_NewRef(s), "<super: <class 'gg.Derived'>, <gg.Derived object>>"));
    CHECK(PyObject_GetAttrString(s, "__thisclass__") == derived && Py_REFCNT(derived) > 1);
    Py_DECREF(derived);
    PyObject *self = PyObject_GetAttrString(s, "__self__");
    CHECK(self == d);
    Py_XDECREF(self);
    PyObject *sc = PyObject_GetAttrString(s, "__self_class__");
    CHECK(sc == derived);
    Py_XDECREF(sc);
    /* __class__ is the super object's own */
    PyObject *cls = PyObject_GetAttrString(s, "__class__");
    CHECK(cls == (PyObject *)&PySuper_Type);
    Py_XDECREF(cls);
    CHECK(PyObject_GetAttrString(s, "nope") == NULL &&
          raised(PyExc_AttributeError, "'super' object has no attribute 'nope'"));
    /* binding a bound super gives it back */
    PyObject *again = PySuper_Type.tp_descr_get(s, one, NULL);
    CHECK(again == s);
    Py_XDECREF(again);
    Py_DECREF(s);

    /* after the base, only object is left */
    s = super2(base, d);
    CHECK(s != NULL && PyObject_GetAttrString(s, "who") == NULL &&
          raised(PyExc_AttributeError, "'super' object has no attribute 'who'"));
    Py_XDECREF(s);

    /* bound to a class: class methods bind to it, instance methods stay unbound */
    s = super2(derived, derived);
    CHECK(str_is(PyObject_CallMethod(s, "kind", NULL), "Derived"));
    CHECK(repr_is(PyObject_GetAttrString(s, "who"), "<method 'who' of 'gg.Base' objects>"));
    CHECK(str_is(PyObject_CallMethod(s, "who", "O", d), "Base.who"));
    Py_XDECREF(s);

    /* unbound: no MRO to search; __get__ binds it */
    s = PyObject_CallOneArg((PyObject *)&PySuper_Type, derived);
    CHECK(repr_is(Py_NewRef(s), "<super: <class 'gg.Derived'>, NULL>"));
    self = PyObject_GetAttrString(s, "__self__");
    CHECK(self == Py_None);
    Py_XDECREF(self);
    CHECK(PyObject_GetAttrString(s, "who") == NULL &&
          raised(PyExc_AttributeError, "'super' object has no attribute 'who'"));
    PyObject *b = PySuper_Type.tp_descr_get(s, d, derived);
    CHECK(b != NULL && b != s && str_is(PyObject_CallMethod(b, "who", NULL), "Base.who"));
    Py_XDECREF(b);
    b = PySuper_Type.tp_descr_get(s, Py_None, derived);
    CHECK(b == s);
    Py_XDECREF(b);
    CHECK(PySuper_Type.tp_descr_get(s, one, derived) == NULL &&
          raised(PyExc_TypeError, "super(type, obj): obj (instance of int) is not an instance "
                                  "or subtype of type (gg.Derived)."));
    Py_XDECREF(s);
    s = super2(derived, Py_None);
    CHECK(repr_is(Py_NewRef(s), "<super: <class 'gg.Derived'>, NULL>"));
    Py_XDECREF(s);

    /* errors, with CPython's texts */
    CHECK(super2(derived, one) == NULL &&
          raised(PyExc_TypeError, "super(type, obj): obj (instance of int) is not an instance "
                                  "or subtype of type (gg.Derived)."));
    CHECK(super2(derived, (PyObject *)&PyLong_Type) == NULL &&
          raised(PyExc_TypeError, "super(type, obj): obj (type int) is not an instance or "
                                  "subtype of type (gg.Derived)."));
    CHECK(super2(one, d) == NULL &&
          raised(PyExc_TypeError, "super() argument 1 must be a type, not int"));
    CHECK(PyObject_CallFunctionObjArgs((PyObject *)&PySuper_Type, derived, d, one, NULL) == NULL &&
          raised(PyExc_TypeError, "super() expected at most 2 arguments, got 3"));
    PyObject *noargs = PyTuple_New(0);
    PyObject *kw = Py_BuildValue("{s:O}", "type", derived);
    CHECK(PyObject_Call((PyObject *)&PySuper_Type, noargs, kw) == NULL &&
          raised(PyExc_TypeError, "super() takes no keyword arguments"));
    CHECK(PyObject_CallNoArgs((PyObject *)&PySuper_Type) == NULL &&
          raised(PyExc_RuntimeError, "super(): no current frame"));

    /* an int's super from bool's class: int's methods, bound to True */
    s = super2((PyObject *)&PyBool_Type, Py_True);
    CHECK(repr_is(PyObject_CallMethod(s, "__repr__", NULL), "'1'"));
    Py_XDECREF(s);

    Py_DECREF(kw);
    Py_DECREF(noargs);
    Py_DECREF(one);
    Py_XDECREF(d);
    Py_DECREF(derived);
    Py_DECREF(base);
    return g_failed;
}
