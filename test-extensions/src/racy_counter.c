/* racy_counter: an undeclared module (no Py_mod_gil slot, so it needs the GIL) whose bump()
 * is a read-modify-write of a C global with a deliberate window between the read and the
 * write: exact while the process's lock serialises callers, losing updates without it.
 * hold(ms) sleeps without detaching (a C loop that keeps the lock). */
#include <Python.h>
#include <sched.h>
#include <unistd.h>

static long long count;

/* Long enough for another thread to slip in between read and write (a yield of the CPU in
 * the middle), never detaching. */
#define WINDOW 100

static PyObject *
racy_bump(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    long long seen = *(volatile long long *)&count;
    for (volatile int i = 0; i < WINDOW; i++) {
    }
    sched_yield();
    *(volatile long long *)&count = seen + 1;
    Py_RETURN_NONE;
}

static PyObject *
racy_value(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLongLong(count);
}

static PyObject *
racy_reset(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    count = 0;
    Py_RETURN_NONE;
}

static PyObject *
racy_hold(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long ms = PyLong_AsLong(arg);
    if (ms == -1 && PyErr_Occurred()) {
        return NULL;
    }
    usleep((useconds_t)(ms * 1000));
    Py_RETURN_NONE;
}

static PyMethodDef racy_methods[] = {
    {"hold", racy_hold, METH_O, "sleep(ms) without detaching"},
    {"bump", racy_bump, METH_NOARGS, "count += 1, with a window between read and write"},
    {"value", racy_value, METH_NOARGS, "the count"},
    {"reset", racy_reset, METH_NOARGS, "count = 0"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef racy_def = {
    PyModuleDef_HEAD_INIT, "racy_counter", "A counter with a race.", 0, racy_methods, NULL,
    NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_racy_counter(void)
{
    return PyModuleDef_Init(&racy_def);
}
