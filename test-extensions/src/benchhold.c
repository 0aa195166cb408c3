/* benchhold: an undeclared module for the threads benchmark (scripts/bench-threads.sh).
 *
 *   hold(ms)  sleeps ms milliseconds without detaching: the thread keeps whatever lock covers
 *             this module's code (the process's lock, or gilgate's per-module lock) the whole
 *             time, while using no CPU.
 *
 * It declares nothing about the GIL, so importing it into a free-threaded CPython (or gilgate
 * under the auto policy) switches the process's lock on. Multi-phase init. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <time.h>

static PyObject *
hold(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long ms = PyLong_AsLong(arg);
    if (ms == -1 && PyErr_Occurred()) {
        return NULL;
    }
    struct timespec one_ms = {0, 1000000};
    for (long i = 0; i < ms; i++) {
        nanosleep(&one_ms, NULL);
    }
    Py_RETURN_NONE;
}

static PyMethodDef hold_methods[] = {
    {"hold", hold, METH_O, "hold(ms): sleep ms milliseconds without detaching"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot hold_slots[] = {
    {0, NULL},
};

static struct PyModuleDef hold_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "benchhold",
    .m_doc = "An undeclared module that holds its lock while sleeping",
    .m_size = 0,
    .m_methods = hold_methods,
    .m_slots = hold_slots,
};

PyMODINIT_FUNC
PyInit_benchhold(void)
{
    return PyModuleDef_Init(&hold_module);
}
