/* tracebacks: code objects, frames and tracebacks made the way generated extension code makes
 * them. Cython adds one traceback entry per function an error passes through: an empty code
 * object named after the function (PyCode_NewEmpty), a frame for it (PyFrame_New) whose
 * f_lineno it writes directly, then PyTraceBack_Here. pybind11 reads an error's traceback by
 * walking tb_next and tb_frame and asking each frame for its code. Cython also reads the
 * handled exception straight from the thread state's exc_info stack.
 * Built against include/ for gilgate and against CPython's headers by
 * scripts/record-expectations.sh samples. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>
#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include "internal/pycore_frame.h"

static PyObject *module_dict; /* borrowed: the module's globals, as Cython keeps them */

/* One traceback entry for `funcname` at `line` of `filename`, as Cython's __Pyx_AddTraceback
 * adds it (error already set). */
static void
add_traceback(const char *funcname, int line, const char *filename)
{
    PyThreadState *tstate = PyThreadState_Get();
    PyObject *exc = PyErr_GetRaisedException();
    PyCodeObject *code = PyCode_NewEmpty(filename, funcname, line);
    PyErr_SetRaisedException(exc);
    if (code == NULL) {
        return;
    }
    PyFrameObject *frame = PyFrame_New(tstate, code, module_dict, NULL);
    Py_DECREF(code);
    if (frame == NULL) {
        return;
    }
    frame->f_lineno = line;
    PyTraceBack_Here(frame);
    Py_DECREF(frame);
}

/* fail(msg): ValueError(msg) leaving two Cython-style functions, inner then outer. */
static PyObject *
fail(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyErr_SetObject(PyExc_ValueError, arg);
    add_traceback("tracebacks.inner", 12, "tracebacks.pyx");
    add_traceback("tracebacks.Outer.run", 30, "tracebacks.pyx");
    return NULL;
}

/* caught(msg): the exception fail(msg) raises, returned instead of raised. */
static PyObject *
caught(PyObject *m, PyObject *arg)
{
    fail(m, arg);
    return PyErr_GetRaisedException();
}

/* walk(exc): what pybind11's error text reads: for each traceback entry, through the struct
 * fields, "file:line name (lasti N)". */
static PyObject *
walk(PyObject *Py_UNUSED(m), PyObject *exc)
{
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    PyObject *tbo = PyException_GetTraceback(exc);
    PyTracebackObject *tb = (PyTracebackObject *)tbo;
    for (; tb != NULL; tb = tb->tb_next) {
        PyCodeObject *code = PyFrame_GetCode(tb->tb_frame);
        PyObject *line = PyUnicode_FromFormat("%U:%d %U (frame line %d)", code->co_filename,
                                              tb->tb_lineno, code->co_name,
                                              PyFrame_GetLineNumber(tb->tb_frame));
        Py_DECREF(code);
        if (line == NULL || PyList_Append(out, line) < 0) {
            Py_XDECREF(line);
            Py_XDECREF(tbo);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(line);
    }
    Py_XDECREF(tbo);
    return out;
}

/* code(filename, name, line): PyCode_NewEmpty. */
static PyObject *
code(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *filename, *name;
    int line;
    if (!PyArg_ParseTuple(args, "ssi", &filename, &name, &line)) {
        return NULL;
    }
    return (PyObject *)PyCode_NewEmpty(filename, name, line);
}

/* frame(code, line): PyFrame_New with the module's globals; f_lineno written when line > 0. */
static PyObject *
frame(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *co;
    int line;
    if (!PyArg_ParseTuple(args, "O!i", &PyCode_Type, &co, &line)) {
        return NULL;
    }
    PyFrameObject *f = PyFrame_New(PyThreadState_Get(), (PyCodeObject *)co, module_dict, NULL);
    if (f != NULL && line > 0) {
        f->f_lineno = line;
    }
    return (PyObject *)f;
}

/* function_code(name, qualname, argcount, posonly, kwonly, varnames, line): a code object as
 * Cython makes one for each def (no bytecode), with _co_firsttraceable set as Cython sets it. */
static PyObject *
function_code(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *name, *qualname, *varnames;
    int argcount, posonly, kwonly, line;
    if (!PyArg_ParseTuple(args, "UUiiiO!i", &name, &qualname, &argcount, &posonly, &kwonly,
                          &PyTuple_Type, &varnames, &line)) {
        return NULL;
    }
    PyObject *empty_bytes = PyBytes_FromStringAndSize(NULL, 0);
    PyObject *empty_tuple = PyTuple_New(0);
    PyObject *filename = PyUnicode_FromString("tracebacks.pyx");
    PyCodeObject *co = NULL;
    if (empty_bytes != NULL && empty_tuple != NULL && filename != NULL) {
        co = PyUnstable_Code_NewWithPosOnlyArgs(
            argcount, posonly, kwonly, (int)PyTuple_GET_SIZE(varnames), 0,
            CO_OPTIMIZED | CO_NEWLOCALS, empty_bytes, empty_tuple, empty_tuple, varnames,
            empty_tuple, empty_tuple, filename, name, qualname, line, empty_bytes, empty_bytes);
    }
    if (co != NULL) {
        co->_co_firsttraceable = 0;
    }
    Py_XDECREF(empty_bytes);
    Py_XDECREF(empty_tuple);
    Py_XDECREF(filename);
    return (PyObject *)co;
}

/* The handled exception as Cython reads it: the top-most non-empty entry of exc_info. */
static PyObject *
handled(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    _PyErr_StackItem *item = PyThreadState_Get()->exc_info;
    while ((item->exc_value == NULL || item->exc_value == Py_None) && item->previous_item != NULL) {
        item = item->previous_item;
    }
    PyObject *v = item->exc_value ? item->exc_value : Py_None;
    return Py_NewRef(v);
}

/* set_handled(exc_or_None): PyErr_SetHandledException. */
static PyObject *
set_handled(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyErr_SetHandledException(arg == Py_None ? NULL : arg);
    Py_RETURN_NONE;
}

/* get_handled(): PyErr_GetHandledException (None when nothing is handled). */
static PyObject *
get_handled(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    PyObject *e = PyErr_GetHandledException();
    return e ? e : Py_NewRef(Py_None);
}

/* exc_info(): PyErr_GetExcInfo as a (type, value, traceback) tuple. */
static PyObject *
exc_info(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    PyObject *t, *v, *tb;
    PyErr_GetExcInfo(&t, &v, &tb);
    return Py_BuildValue("(NNN)", t ? t : Py_NewRef(Py_None), v ? v : Py_NewRef(Py_None),
                         tb ? tb : Py_NewRef(Py_None));
}

/* print_tb(exc): PyTraceBack_Print of the exception's traceback to sys.stdout. */
static PyObject *
print_tb(PyObject *Py_UNUSED(m), PyObject *exc)
{
    PyObject *tb = PyException_GetTraceback(exc);
    if (tb == NULL) {
        Py_RETURN_NONE;
    }
    PyObject *out = PySys_GetObject("stdout");
    int r = PyTraceBack_Print(tb, out);
    Py_DECREF(tb);
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* set_tb(exc, tb_or_None): PyException_SetTraceback. */
static PyObject *
set_tb(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *tb;
    if (!PyArg_ParseTuple(args, "OO", &exc, &tb)) {
        return NULL;
    }
    if (PyException_SetTraceback(exc, tb) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"fail", fail, METH_O, NULL},
    {"caught", caught, METH_O, NULL},
    {"walk", walk, METH_O, NULL},
    {"code", code, METH_VARARGS, NULL},
    {"frame", frame, METH_VARARGS, NULL},
    {"function_code", function_code, METH_VARARGS, NULL},
    {"handled", handled, METH_NOARGS, NULL},
    {"set_handled", set_handled, METH_O, NULL},
    {"get_handled", get_handled, METH_NOARGS, NULL},
    {"exc_info", exc_info, METH_NOARGS, NULL},
    {"print_tb", print_tb, METH_O, NULL},
    {"set_tb", set_tb, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
exec_module(PyObject *m)
{
    module_dict = PyModule_GetDict(m);
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "tracebacks", NULL, 0, methods, slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit_tracebacks(void)
{
    return PyModuleDef_Init(&def);
}
