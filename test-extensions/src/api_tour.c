/* A declared free-threaded module that uses a broad slice of the headers: a heap type
 * from a spec (members, getset, methods, GC, trashcan, per-object critical sections),
 * module functions of every calling convention, PyMutex, Py_BEGIN_ALLOW_THREADS,
 * module state, Py_BuildValue and PyArg_Parse*. Its exec slot creates the type; the
 * functions are for `load`/`eval` tests once the runtime implements what they call. */
#include <Python.h>
#include "structmember.h"

typedef struct {
    PyObject *counter_type;
    PyMutex lock;
    long calls;
} tour_state;

typedef struct {
    PyObject_HEAD
    long value;
    PyObject *label;
} Counter;

static int counter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((Counter *)self)->label);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int counter_clear(PyObject *self)
{
    Py_CLEAR(((Counter *)self)->label);
    return 0;
}

static void counter_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, counter_dealloc)
    counter_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
    Py_TRASHCAN_END
}

static PyObject *counter_increment(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    long now;
    Py_BEGIN_CRITICAL_SECTION(self);
    now = ++((Counter *)self)->value;
    Py_END_CRITICAL_SECTION();
    return PyLong_FromLong(now);
}

static PyObject *counter_get_double(PyObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(2 * ((Counter *)self)->value);
}

static PyMethodDef counter_methods[] = {
    {"increment", counter_increment, METH_NOARGS, "Add one and return the new value."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef counter_members[] = {
    {"value", Py_T_LONG, offsetof(Counter, value), 0, "current value"},
    {"label", Py_T_OBJECT_EX, offsetof(Counter, label), Py_READONLY, "label"},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef counter_getset[] = {
    {"double", counter_get_double, NULL, "twice the value", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot counter_slots[] = {
    {Py_tp_dealloc, (void *)counter_dealloc},
    {Py_tp_traverse, (void *)counter_traverse},
    {Py_tp_clear, (void *)counter_clear},
    {Py_tp_methods, counter_methods},
    {Py_tp_members, counter_members},
    {Py_tp_getset, counter_getset},
    {Py_tp_doc, (void *)"A counter."},
    {0, NULL},
};

static PyType_Spec counter_spec = {
    "api_tour.Counter",
    sizeof(Counter),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    counter_slots,
};

static void count_call(PyObject *module)
{
    tour_state *st = (tour_state *)PyModule_GetState(module);
    PyMutex_Lock(&st->lock);
    st->calls++;
    PyMutex_Unlock(&st->lock);
}

/* METH_NOARGS */
static PyObject *tour_calls(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    count_call(module);
    tour_state *st = (tour_state *)PyModule_GetState(module);
    return PyLong_FromLong(st->calls);
}

/* METH_O */
static PyObject *tour_describe(PyObject *module, PyObject *arg)
{
    count_call(module);
    if (PyLong_CheckExact(arg)) {
        return PyUnicode_FromFormat("int %R", arg);
    }
    if (PyUnicode_Check(arg)) {
        return Py_BuildValue("(sn)", "str", PyUnicode_GET_LENGTH(arg));
    }
    if (PyTuple_Check(arg)) {
        return PyLong_FromSsize_t(PyTuple_GET_SIZE(arg));
    }
    Py_RETURN_NONE;
}

/* METH_VARARGS */
static PyObject *tour_add(PyObject *module, PyObject *args)
{
    long a, b;
    count_call(module);
    if (!PyArg_ParseTuple(args, "ll:add", &a, &b)) {
        return NULL;
    }
    return PyLong_FromLong(a + b);
}

/* METH_VARARGS | METH_KEYWORDS */
static PyObject *tour_greet(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"name", "punctuation", NULL};
    const char *name;
    const char *punctuation = "!";
    count_call(module);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|s:greet", keywords, &name, &punctuation)) {
        return NULL;
    }
    return PyUnicode_FromFormat("hello %s%s", name, punctuation);
}

/* METH_FASTCALL */
static PyObject *tour_count_args(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)args;
    count_call(module);
    return PyLong_FromSsize_t(nargs);
}

/* METH_FASTCALL | METH_KEYWORDS */
static PyObject *tour_count_all(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)args;
    count_call(module);
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    return Py_BuildValue("(nn)", nargs, nkw);
}

/* Releases the thread state around a blocking call. */
static PyObject *tour_nap(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    count_call(module);
    Py_BEGIN_ALLOW_THREADS
    usleep(1000);
    Py_END_ALLOW_THREADS
    Py_RETURN_TRUE;
}

static PyObject *tour_fail(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    count_call(module);
    PyErr_SetString(PyExc_KeyError, "tour_fail");
    return NULL;
}

static PyMethodDef tour_functions[] = {
    {"calls", tour_calls, METH_NOARGS, "Number of calls so far."},
    {"describe", tour_describe, METH_O, NULL},
    {"add", tour_add, METH_VARARGS, NULL},
    {"greet", _PyCFunction_CAST(tour_greet), METH_VARARGS | METH_KEYWORDS, NULL},
    {"count_args", _PyCFunction_CAST(tour_count_args), METH_FASTCALL, NULL},
    {"count_all", _PyCFunction_CAST(tour_count_all), METH_FASTCALL | METH_KEYWORDS, NULL},
    {"nap", tour_nap, METH_NOARGS, NULL},
    {"fail", tour_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int tour_exec(PyObject *module)
{
    tour_state *st = (tour_state *)PyModule_GetState(module);
    st->counter_type = PyType_FromModuleAndSpec(module, &counter_spec, NULL);
    if (st->counter_type == NULL) {
        return -1;
    }
    if (PyModule_AddType(module, (PyTypeObject *)st->counter_type) < 0) {
        return -1;
    }
    if (PyModule_AddStringConstant(module, "version", "1.0") < 0) {
        return -1;
    }
    return PyModule_Add(module, "limits", Py_BuildValue("{s:n,s:i}", "max", PY_SSIZE_T_MAX, "api", PYTHON_API_VERSION));
}

static int tour_traverse(PyObject *module, visitproc visit, void *arg)
{
    tour_state *st = (tour_state *)PyModule_GetState(module);
    Py_VISIT(st->counter_type);
    return 0;
}

static int tour_clear(PyObject *module)
{
    tour_state *st = (tour_state *)PyModule_GetState(module);
    Py_CLEAR(st->counter_type);
    return 0;
}

static void tour_free(void *module)
{
    tour_clear((PyObject *)module);
}

static PyModuleDef_Slot tour_slots[] = {
    {Py_mod_exec, (void *)tour_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef tour_def = {
    PyModuleDef_HEAD_INIT,
    "api_tour",
    "A tour of the C API surface.",
    sizeof(tour_state),
    tour_functions,
    tour_slots,
    tour_traverse,
    tour_clear,
    tour_free,
};

PyMODINIT_FUNC PyInit_api_tour(void)
{
    return PyModuleDef_Init(&tour_def);
}
