/* stateful: per-module state (PEP 3121/489) and a custom exception class kept in that state,
 * as modules that support several interpreters write them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject *error;       /* stateful.Error */
    long long total;       /* running sum of add() */
    Py_ssize_t calls;      /* how many add() calls */
} module_state;

static inline module_state *
get_state(PyObject *module)
{
    return (module_state *)PyModule_GetState(module);
}

static PyObject *
stateful_add(PyObject *module, PyObject *arg)
{
    module_state *st = get_state(module);
    long long v = PyLong_AsLongLong(arg);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (v < 0) {
        PyErr_Format(st->error, "negative amount: %lld", v);
        return NULL;
    }
    st->total += v;
    st->calls++;
    return PyLong_FromLongLong(st->total);
}

static PyObject *
stateful_stats(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    module_state *st = get_state(module);
    return Py_BuildValue("{s:L,s:n}", "total", st->total, "calls", st->calls);
}

static PyObject *
stateful_reset(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    module_state *st = get_state(module);
    st->total = 0;
    st->calls = 0;
    Py_RETURN_NONE;
}

static PyObject *
stateful_fail(PyObject *module, PyObject *args)
{
    const char *why = "failed";
    if (!PyArg_ParseTuple(args, "|s:fail", &why)) {
        return NULL;
    }
    PyErr_SetString(get_state(module)->error, why);
    return NULL;
}

static int
stateful_exec(PyObject *module)
{
    module_state *st = get_state(module);
    st->total = 0;
    st->calls = 0;
    st->error = PyErr_NewException("stateful.Error", PyExc_ValueError, NULL);
    if (st->error == NULL) {
        return -1;
    }
    if (PyModule_AddObjectRef(module, "Error", st->error) < 0) {
        return -1;
    }
    return PyModule_AddStringConstant(module, "__version__", "1.0");
}

static int
stateful_traverse(PyObject *module, visitproc visit, void *arg)
{
    Py_VISIT(get_state(module)->error);
    return 0;
}

static int
stateful_clear(PyObject *module)
{
    Py_CLEAR(get_state(module)->error);
    return 0;
}

static void
stateful_free(void *module)
{
    (void)stateful_clear((PyObject *)module);
}

static PyMethodDef stateful_methods[] = {
    {"add", stateful_add, METH_O, "Add a non-negative int to the running total; return it."},
    {"stats", stateful_stats, METH_NOARGS, "{'total': ..., 'calls': ...}"},
    {"reset", stateful_reset, METH_NOARGS, "Forget the total."},
    {"fail", stateful_fail, METH_VARARGS, "Raise stateful.Error."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot stateful_slots[] = {
    {Py_mod_exec, stateful_exec},
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef stateful_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "stateful",
    .m_doc = "Per-module state and a custom exception.",
    .m_size = sizeof(module_state),
    .m_methods = stateful_methods,
    .m_slots = stateful_slots,
    .m_traverse = stateful_traverse,
    .m_clear = stateful_clear,
    .m_free = stateful_free,
};

PyMODINIT_FUNC
PyInit_stateful(void)
{
    return PyModuleDef_Init(&stateful_module);
}
