/* Test types for capi/tests/types.rs, written the way extension authors write them. */
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

/* ---- a static type with members, methods, getsets, a dict and weak references ---- */

static int counter_frees = 0;
int types_counter_frees(void) { return counter_frees; }

typedef struct {
    PyObject_HEAD
    long value;
    double ratio;
    PyObject *label;
    PyObject *dict;
    PyObject *weakreflist;
    long fixed;
    short small;
    char flag;
    unsigned char ubyte;
    /* Read with Py_T_USHORT/Py_T_UINT: the neighbours make a wrong width visible. */
    unsigned short ushort_v;
    unsigned short ushort_next;
    unsigned int uint_v;
    unsigned int uint_next;
    /* Py_T_CHAR: read as a one-character str; `high` holds a byte that is not ASCII. */
    char letter;
    char high;
} CounterObject;

static PyObject *
Counter_increment(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    CounterObject *self = (CounterObject *)op;
    self->value++;
    return PyLong_FromLong(self->value);
}

static PyObject *
Counter_make(PyObject *cls, PyObject *Py_UNUSED(ignored))
{
    return PyObject_CallNoArgs(cls);
}

static PyObject *
Counter_twice(PyObject *Py_UNUSED(null), PyObject *arg)
{
    return PyLong_FromLong(2 * PyLong_AsLong(arg));
}

static PyMethodDef Counter_methods[] = {
    {"increment", Counter_increment, METH_NOARGS, "Add one."},
    {"make", Counter_make, METH_NOARGS | METH_CLASS, "A new counter."},
    {"twice", Counter_twice, METH_O | METH_STATIC, "Double a number."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef Counter_members[] = {
    {"value", Py_T_LONG, offsetof(CounterObject, value), 0, "the count"},
    {"ratio", Py_T_DOUBLE, offsetof(CounterObject, ratio), 0, NULL},
    {"label", Py_T_OBJECT_EX, offsetof(CounterObject, label), 0, NULL},
    {"fixed", Py_T_LONG, offsetof(CounterObject, fixed), Py_READONLY, NULL},
    {"small", T_SHORT, offsetof(CounterObject, small), 0, NULL},
    {"flag", Py_T_BOOL, offsetof(CounterObject, flag), 0, NULL},
    {"ubyte", Py_T_UBYTE, offsetof(CounterObject, ubyte), 0, NULL},
    {"ushort", Py_T_USHORT, offsetof(CounterObject, ushort_v), 0, NULL},
    {"uint", Py_T_UINT, offsetof(CounterObject, uint_v), 0, NULL},
    {"letter", Py_T_CHAR, offsetof(CounterObject, letter), 0, NULL},
    {"high", Py_T_CHAR, offsetof(CounterObject, high), Py_READONLY, NULL},
    {"t_ushort", T_USHORT, offsetof(CounterObject, ushort_v), Py_READONLY, NULL},
    {"t_uint", T_UINT, offsetof(CounterObject, uint_v), Py_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyObject *
Counter_get_doubled(PyObject *op, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(2 * ((CounterObject *)op)->value);
}

static int
Counter_set_doubled(PyObject *op, PyObject *v, void *Py_UNUSED(closure))
{
    if (v == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete doubled");
        return -1;
    }
    long x = PyLong_AsLong(v);
    if (x == -1 && PyErr_Occurred())
        return -1;
    ((CounterObject *)op)->value = x / 2;
    return 0;
}

static PyObject *
Counter_get_kind(PyObject *Py_UNUSED(op), void *closure)
{
    return PyUnicode_FromString((const char *)closure);
}

static PyGetSetDef Counter_getset[] = {
    {"doubled", Counter_get_doubled, Counter_set_doubled, NULL, NULL},
    {"kind", Counter_get_kind, NULL, NULL, "counter"},
    {NULL, NULL, NULL, NULL, NULL},
};

static int
Counter_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    CounterObject *self = (CounterObject *)op;
    self->fixed = 42;
    self->ushort_v = 65535;
    self->ushort_next = 1;
    self->uint_v = 4000000000u;
    self->uint_next = 7;
    self->letter = 'g';
    self->high = (char)0xe9;
    if (args != NULL && PyTuple_GET_SIZE(args) == 1) {
        long v = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
        if (v == -1 && PyErr_Occurred())
            return -1;
        self->value = v;
    }
    return 0;
}

static void
Counter_dealloc(PyObject *op)
{
    CounterObject *self = (CounterObject *)op;
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs(op);
    Py_CLEAR(self->label);
    Py_CLEAR(self->dict);
    counter_frees++;
    Py_TYPE(op)->tp_free(op);
}

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "counters.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_dealloc = Counter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A counter.",
    .tp_weaklistoffset = offsetof(CounterObject, weakreflist),
    .tp_methods = Counter_methods,
    .tp_members = Counter_members,
    .tp_getset = Counter_getset,
    .tp_dictoffset = offsetof(CounterObject, dict),
    .tp_init = Counter_init,
    .tp_new = PyType_GenericNew,
};

PyTypeObject *types_counter_type(void)
{
    if (PyType_Ready(&CounterType) < 0)
        return NULL;
    return &CounterType;
}

/* A static type without dict: new attributes are refused. */
static PyMethodDef Plain_methods[] = {
    {"increment", Counter_increment, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject PlainType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "counters.Plain",
    .tp_basicsize = sizeof(CounterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = Plain_methods,
    .tp_new = PyType_GenericNew,
};

PyTypeObject *types_plain_type(void)
{
    if (PyType_Ready(&PlainType) < 0)
        return NULL;
    return &PlainType;
}

/* A callable type, used as a weak reference callback. */
static int recorder_calls = 0;
static PyObject *recorder_last = NULL;
int types_recorder_calls(void) { return recorder_calls; }

static PyObject *
Recorder_call(PyObject *Py_UNUSED(self), PyObject *args, PyObject *Py_UNUSED(kw))
{
    recorder_calls++;
    if (PyTuple_GET_SIZE(args) == 1) {
        Py_XDECREF(recorder_last);
        recorder_last = Py_NewRef(PyTuple_GET_ITEM(args, 0));
    }
    Py_RETURN_NONE;
}

/* Whether the last callback argument is a dead weak reference. */
int types_recorder_last_is_dead_ref(void)
{
    PyObject *obj = NULL;
    if (recorder_last == NULL)
        return -2;
    int r = PyWeakref_GetRef(recorder_last, &obj);
    Py_XDECREF(obj);
    Py_CLEAR(recorder_last);
    return r == 0;
}

static PyTypeObject RecorderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "counters.Recorder",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_call = Recorder_call,
    .tp_new = PyType_GenericNew,
};

PyTypeObject *types_recorder_type(void)
{
    if (PyType_Ready(&RecorderType) < 0)
        return NULL;
    return &RecorderType;
}

/* ---- heap types with module state ---- */

typedef struct {
    long token;
    PyObject *point_type;
} heap_state;

static struct PyModuleDef heapmod_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "heapmod",
    .m_size = sizeof(heap_state),
};

static int point_frees = 0;
int types_point_frees(void) { return point_frees; }

typedef struct {
    PyObject_HEAD
    int x;
    int y;
} PointObject;

static PyMemberDef Point_members[] = {
    {"x", Py_T_INT, offsetof(PointObject, x), 0, NULL},
    {"y", Py_T_INT, offsetof(PointObject, y), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static int
Point_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    return PyObject_VisitManagedDict(self, visit, arg);
}

static void
Point_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    PyObject_ClearManagedDict(self);
    point_frees++;
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
Point_norm1(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PointObject *p = (PointObject *)self;
    return PyLong_FromLong(labs((long)p->x) + labs((long)p->y));
}

static PyMethodDef Point_methods[] = {
    {"norm1", Point_norm1, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot Point_slots[] = {
    {Py_tp_members, Point_members},
    {Py_tp_methods, Point_methods},
    {Py_tp_dealloc, Point_dealloc},
    {Py_tp_traverse, Point_traverse},
    {Py_tp_doc, "A point."},
    {Py_tp_token, Py_TP_USE_SPEC},
    {0, NULL},
};

static PyType_Spec Point_spec = {
    .name = "heapmod.Point",
    .basicsize = sizeof(PointObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC |
             Py_TPFLAGS_MANAGED_DICT | Py_TPFLAGS_MANAGED_WEAKREF,
    .slots = Point_slots,
};

/* A heap subtype of the static Counter, adding an int through a relative offset. */
static PyMemberDef Ext_members[] = {
    {"extra", Py_T_INT, 0, Py_RELATIVE_OFFSET, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot Ext_slots[] = {
    {Py_tp_members, Ext_members},
    {0, NULL},
};

static PyType_Spec Ext_spec = {
    .name = "heapmod.Ext",
    .basicsize = -(int)sizeof(int),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = Ext_slots,
};

/* No tp_new: cannot be instantiated from Python. */
static PyType_Slot NoNew_slots[] = {{0, NULL}};
static PyType_Spec NoNew_spec = {
    .name = "heapmod.NoNew",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = NoNew_slots,
};

PyObject *types_heap_module(void)
{
    PyObject *m = PyModule_Create(&heapmod_def);
    if (m == NULL)
        return NULL;
    heap_state *st = PyModule_GetState(m);
    st->token = 7;
    return m;
}

PyObject *types_point_type(PyObject *module)
{
    return PyType_FromModuleAndSpec(module, &Point_spec, NULL);
}

PyObject *types_ext_type(PyObject *module)
{
    return PyType_FromModuleAndSpec(module, &Ext_spec, (PyObject *)&CounterType);
}

PyObject *types_nonew_type(void)
{
    return PyType_FromSpec(&NoNew_spec);
}

/* Module state reached from an instance through its type. */
long types_state_token(PyObject *obj)
{
    PyObject *m = PyType_GetModuleByDef(Py_TYPE(obj), &heapmod_def);
    if (m == NULL)
        return -1;
    heap_state *st = PyModule_GetState(m);
    if (st != PyType_GetModuleState(Py_TYPE(obj)))
        return -2;
    return st->token;
}

int types_point_token_check(PyObject *type)
{
    PyTypeObject *found = NULL;
    int r = PyType_GetBaseByToken((PyTypeObject *)type, &Point_spec, &found);
    if (r == 1 && found != (PyTypeObject *)type)
        r = 2;
    Py_XDECREF(found);
    return r;
}

/* A bare heap type with the given bases (for MRO checks). */
PyObject *types_bare_type(const char *name, PyObject *bases)
{
    static PyType_Slot slots[] = {{0, NULL}};
    PyType_Spec *spec = malloc(sizeof(PyType_Spec));
    spec->name = strdup(name);
    spec->basicsize = 0;
    spec->itemsize = 0;
    spec->flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
    spec->slots = slots;
    return PyType_FromSpecWithBases(spec, bases);
}

/* A heap type with a finalizer (PEP 442) and the default subtype dealloc. */
static int fin_calls = 0;
static PyObject *resurrected = NULL;
static int fin_resurrect = 0;
int types_fin_calls(void) { return fin_calls; }
void types_fin_set_resurrect(int on) { fin_resurrect = on; }
PyObject *types_fin_take_resurrected(void)
{
    PyObject *r = resurrected;
    resurrected = NULL;
    return r;
}

static void
Fin_finalize(PyObject *self)
{
    fin_calls++;
    if (fin_resurrect)
        resurrected = Py_NewRef(self);
}

static PyType_Slot Fin_slots[] = {
    {Py_tp_finalize, Fin_finalize},
    {0, NULL},
};

static PyType_Spec Fin_spec = {
    .name = "heapmod.Fin",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = Fin_slots,
};

PyObject *types_fin_type(void)
{
    return PyType_FromSpec(&Fin_spec);
}

/* An exception class made from a spec, with an extra member. */
typedef struct {
    PyBaseExceptionObject base;
    int code;
} CodedError;

static PyMemberDef CodedError_members[] = {
    {"code", Py_T_INT, offsetof(CodedError, code), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot CodedError_slots[] = {
    {Py_tp_members, CodedError_members},
    {Py_tp_doc, "An error with a code."},
    {0, NULL},
};

static PyType_Spec CodedError_spec = {
    .name = "heapmod.CodedError",
    .basicsize = sizeof(CodedError),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = CodedError_slots,
};

PyObject *types_coded_error_type(void)
{
    return PyType_FromSpecWithBases(&CodedError_spec, PyExc_ValueError);
}

/* Calling a type through its tp_vectorcall: set after creation (as xxhash does) or through the
   Py_tp_vectorcall slot. The vectorcall answers ("vectorcall", nargs); tp_new answers "tp_new". */
static PyObject *
Vec_new(PyTypeObject *Py_UNUSED(type), PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kw))
{
    return PyUnicode_FromString("tp_new");
}

static PyObject *
Vec_vectorcall(PyObject *Py_UNUSED(type), PyObject *const *Py_UNUSED(args), size_t nargsf,
               PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    return Py_BuildValue("(snn)", "vectorcall", PyVectorcall_NARGS(nargsf), nkw);
}

static PyType_Slot VecLate_slots[] = {{Py_tp_new, Vec_new}, {0, NULL}};
static PyType_Spec VecLate_spec = {
    .name = "heapmod.VecLate",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = VecLate_slots,
};

static PyType_Slot VecSlot_slots[] = {
    {Py_tp_new, Vec_new},
    {Py_tp_vectorcall, Vec_vectorcall},
    {0, NULL},
};
static PyType_Spec VecSlot_spec = {
    .name = "heapmod.VecSlot",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = VecSlot_slots,
};

PyObject *types_vec_late_type(void)
{
    PyObject *t = PyType_FromSpec(&VecLate_spec);
    if (t != NULL)
        ((PyTypeObject *)t)->tp_vectorcall = Vec_vectorcall;
    return t;
}

PyObject *types_vec_slot_type(void)
{
    return PyType_FromSpec(&VecSlot_spec);
}

/* The inline call path an extension compiles: PyObject_Vectorcall with one argument. */
PyObject *types_vectorcall_one(PyObject *callable, PyObject *arg)
{
    PyObject *args[2] = {NULL, arg};
    return PyObject_Vectorcall(callable, args + 1, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

/* An instance member named __module__ (zope.interface's InterfaceBase keeps one). */
typedef struct {
    PyObject_HEAD
    PyObject *module;
} ModAttrObject;

static PyMemberDef ModAttr_members[] = {
    {"__module__", _Py_T_OBJECT, offsetof(ModAttrObject, module), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static int
ModAttr_init(PyObject *self, PyObject *args, PyObject *Py_UNUSED(kw))
{
    PyObject *m = Py_None;
    if (!PyArg_ParseTuple(args, "|O:ModAttr", &m))
        return -1;
    Py_XSETREF(((ModAttrObject *)self)->module, Py_NewRef(m));
    return 0;
}

static void
ModAttr_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    Py_XDECREF(((ModAttrObject *)self)->module);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot ModAttr_slots[] = {
    {Py_tp_members, ModAttr_members},
    {Py_tp_init, ModAttr_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, ModAttr_dealloc},
    {0, NULL},
};
static PyType_Spec ModAttr_spec = {
    .name = "heapmod.ModAttr",
    .basicsize = sizeof(ModAttrObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = ModAttr_slots,
};

PyObject *types_modattr_type(void)
{
    return PyType_FromSpec(&ModAttr_spec);
}

/* ---- slots follow dunders (update_slot): a heap type from a spec, a subclass made by
 * type(name, bases, dict), dunders set and deleted on both later from C, as nanobind does
 * with its reprs; each step appends what repr()/+ give, or the error text. */

static PyObject *slot_repr_spec(PyObject *self) { return PyUnicode_FromString("spec"); }

static PyObject *slot_repr_b(PyObject *unused, PyObject *self)
{
    return PyUnicode_FromFormat("B of %s", Py_TYPE(self)->tp_name);
}

static PyObject *slot_repr_c(PyObject *unused, PyObject *self) { return PyUnicode_FromString("C"); }

static PyObject *slot_add(PyObject *unused, PyObject *args)
{
    PyObject *self, *other;
    if (!PyArg_ParseTuple(args, "OO", &self, &other))
        return NULL;
    return PyUnicode_FromFormat("add %R", other);
}

static PyMethodDef slot_defs[] = {
    {"repr_b", slot_repr_b, METH_O, NULL},
    {"repr_c", slot_repr_c, METH_O, NULL},
    {"add", slot_add, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot Dunder_slots[] = {
    {Py_tp_repr, slot_repr_spec},
    {0, NULL},
};

static PyType_Spec Dunder_spec = {
    "slots.Dunder", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, Dunder_slots,
};

/* instancemethod(builtin) binds to the instance, as a Python function would. */
static PyObject *method(int i)
{
    PyObject *f = PyCFunction_New(&slot_defs[i], NULL);
    if (f == NULL)
        return NULL;
    PyObject *m = PyInstanceMethod_New(f);
    Py_DECREF(f);
    return m;
}

static int note(PyObject *out, PyObject *v)
{
    if (v == NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        v = PyUnicode_FromFormat("%s: %S", Py_TYPE(exc)->tp_name, exc);
        Py_DECREF(exc);
        if (v == NULL)
            return -1;
    }
    int r = PyList_Append(out, v);
    Py_DECREF(v);
    return r;
}

static PyObject *repr_of_new(PyObject *type)
{
    PyObject *o = PyObject_CallNoArgs(type);
    if (o == NULL)
        return NULL;
    PyObject *r = PyObject_Repr(o);
    Py_DECREF(o);
    return r;
}

static PyObject *add_to_new(PyObject *type)
{
    PyObject *o = PyObject_CallNoArgs(type);
    if (o == NULL)
        return NULL;
    PyObject *one = PyLong_FromLong(1);
    PyObject *r = PyNumber_Add(o, one);
    Py_DECREF(one);
    Py_DECREF(o);
    return r;
}

PyObject *types_slot_steps(void)
{
    PyObject *out = PyList_New(0);
    PyObject *t = PyType_FromSpec(&Dunder_spec);
    if (out == NULL || t == NULL)
        return NULL;
    PyObject *sub = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "Sub", t);
    PyObject *rb = method(0), *rc = method(1), *add = method(2);
    if (sub == NULL || rb == NULL || rc == NULL || add == NULL)
        return NULL;
    /* 0, 1: the spec's slot, inherited by the subclass. */
    note(out, repr_of_new(t));
    note(out, repr_of_new(sub));
    /* 2, 3: T.__repr__ = repr_b reaches T and its subclass. */
    if (PyObject_SetAttrString(t, "__repr__", rb) < 0)
        return NULL;
    note(out, repr_of_new(t));
    note(out, repr_of_new(sub));
    /* 4, 5: the subclass's own __repr__ wins there only. */
    if (PyObject_SetAttrString(sub, "__repr__", rc) < 0)
        return NULL;
    note(out, repr_of_new(t));
    note(out, repr_of_new(sub));
    /* 6, 7: deleting T's: object's repr for T (its prefix), the subclass keeps its own. */
    if (PyObject_DelAttrString(t, "__repr__") < 0)
        return NULL;
    PyObject *r = repr_of_new(t);
    note(out, r == NULL ? NULL : PyUnicode_Substring(r, 0, 24));
    Py_XDECREF(r);
    note(out, repr_of_new(sub));
    /* 8, 9: no + before; T.__add__ = add gives T and the subclass one. */
    note(out, add_to_new(sub));
    if (PyObject_SetAttrString(t, "__add__", add) < 0)
        return NULL;
    note(out, add_to_new(sub));
    /* 10: static types stay immutable. */
    note(out, PyObject_SetAttrString((PyObject *)&PyLong_Type, "__repr__", rb) < 0
                  ? NULL
                  : PyUnicode_FromString("set"));
    Py_DECREF(rb);
    Py_DECREF(rc);
    Py_DECREF(add);
    Py_DECREF(sub);
    Py_DECREF(t);
    return out;
}
