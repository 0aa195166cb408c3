/* counter: a Counter type written the way extension tutorials and real modules write one:
 * a static PyTypeObject with tp_new/tp_init/tp_dealloc, members (one read-only), methods of
 * several calling conventions, computed attributes (getset), repr and rich comparison.
 * Multi-phase init; the module declares that it runs without the GIL. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    long long value;
    long long step;
    PyObject *label;
} CounterObject;

static PyTypeObject CounterType;

static void
Counter_dealloc(PyObject *op)
{
    CounterObject *self = (CounterObject *)op;
    Py_XDECREF(self->label);
    Py_TYPE(op)->tp_free(op);
}

static PyObject *
Counter_new(PyTypeObject *type, PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kwds))
{
    CounterObject *self = (CounterObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->value = 0;
    self->step = 1;
    self->label = Py_NewRef(Py_None);
    return (PyObject *)self;
}

static int
Counter_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"start", "step", "label", NULL};
    CounterObject *self = (CounterObject *)op;
    long long start = 0, step = 1;
    PyObject *label = NULL;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|LLO:Counter", kwlist,
                                     &start, &step, &label)) {
        return -1;
    }
    if (step == 0) {
        PyErr_SetString(PyExc_ValueError, "step must not be zero");
        return -1;
    }
    self->value = start;
    self->step = step;
    if (label != NULL) {
        Py_XSETREF(self->label, Py_NewRef(label));
    }
    return 0;
}

static PyObject *
Counter_increment(PyObject *op, PyObject *args)
{
    CounterObject *self = (CounterObject *)op;
    long long times = 1;
    if (!PyArg_ParseTuple(args, "|L:increment", &times)) {
        return NULL;
    }
    if (times < 0) {
        PyErr_Format(PyExc_ValueError, "times must be >= 0, not %lld", times);
        return NULL;
    }
    self->value += times * self->step;
    return PyLong_FromLongLong(self->value);
}

static PyObject *
Counter_reset(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    ((CounterObject *)op)->value = 0;
    Py_RETURN_NONE;
}

static PyObject *
Counter_merged(PyObject *op, PyObject *other)
{
    CounterObject *self = (CounterObject *)op;
    if (!PyObject_TypeCheck(other, &CounterType)) {
        PyErr_Format(PyExc_TypeError, "expected a Counter, got %.200s",
                     Py_TYPE(other)->tp_name);
        return NULL;
    }
    CounterObject *res = (CounterObject *)Counter_new(&CounterType, NULL, NULL);
    if (res == NULL) {
        return NULL;
    }
    res->value = self->value + ((CounterObject *)other)->value;
    res->step = self->step;
    return (PyObject *)res;
}

static PyObject *
Counter_get_doubled(PyObject *op, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(((CounterObject *)op)->value * 2);
}

static PyObject *
Counter_get_parity(PyObject *op, void *Py_UNUSED(closure))
{
    return PyUnicode_FromString(((CounterObject *)op)->value % 2 ? "odd" : "even");
}

static int
Counter_set_parity(PyObject *Py_UNUSED(op), PyObject *Py_UNUSED(value), void *Py_UNUSED(closure))
{
    PyErr_SetString(PyExc_AttributeError, "parity is computed from value");
    return -1;
}

static PyObject *
Counter_repr(PyObject *op)
{
    CounterObject *self = (CounterObject *)op;
    if (self->label == Py_None) {
        return PyUnicode_FromFormat("Counter(%lld, step=%lld)", self->value, self->step);
    }
    return PyUnicode_FromFormat("Counter(%lld, step=%lld, label=%R)",
                                self->value, self->step, self->label);
}

static PyObject *
Counter_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(a, &CounterType) || !PyObject_TypeCheck(b, &CounterType)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    long long x = ((CounterObject *)a)->value, y = ((CounterObject *)b)->value;
    Py_RETURN_RICHCOMPARE(x, y, op);
}

static PyMemberDef Counter_members[] = {
    {"value", T_LONGLONG, offsetof(CounterObject, value), 0, "the current value"},
    {"step", T_LONGLONG, offsetof(CounterObject, step), READONLY, "added by each increment"},
    {"label", T_OBJECT, offsetof(CounterObject, label), 0, "any object, or None"},
    {NULL, 0, 0, 0, NULL},
};

static PyMethodDef Counter_methods[] = {
    {"increment", Counter_increment, METH_VARARGS,
     "increment(times=1)\n--\n\nAdd step `times` times; return the new value."},
    {"reset", Counter_reset, METH_NOARGS, "Set the value back to 0."},
    {"merged", Counter_merged, METH_O, "A new Counter holding the sum of both values."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Counter_getset[] = {
    {"doubled", Counter_get_doubled, NULL, "twice the value", NULL},
    {"parity", Counter_get_parity, Counter_set_parity, "'even' or 'odd'", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "counter.Counter",
    .tp_doc = PyDoc_STR("Counter(start=0, step=1, label=None)"),
    .tp_basicsize = sizeof(CounterObject),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Counter_new,
    .tp_init = Counter_init,
    .tp_dealloc = Counter_dealloc,
    .tp_repr = Counter_repr,
    .tp_richcompare = Counter_richcompare,
    .tp_members = Counter_members,
    .tp_methods = Counter_methods,
    .tp_getset = Counter_getset,
};

static int
counter_exec(PyObject *m)
{
    if (PyType_Ready(&CounterType) < 0) {
        return -1;
    }
    if (PyModule_AddType(m, &CounterType) < 0) {
        return -1;
    }
    return PyModule_AddIntConstant(m, "DEFAULT_STEP", 1);
}

static PyModuleDef_Slot counter_slots[] = {
    {Py_mod_exec, counter_exec},
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef counter_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "counter",
    .m_doc = "A counter type with members, methods and computed attributes.",
    .m_size = 0,
    .m_slots = counter_slots,
};

PyMODINIT_FUNC
PyInit_counter(void)
{
    return PyModuleDef_Init(&counter_module);
}
