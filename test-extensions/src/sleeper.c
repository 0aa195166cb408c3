/* sleeper: a declared module whose sleep(ms) sleeps inside Py_BEGIN_ALLOW_THREADS and counts
 * how many sleepers are inside at once (peak()), so an overlap is counted, not timed. */
#include <Python.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int inside;
static atomic_int peak;
static atomic_llong sleeps;

static PyObject *
sl_sleep(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long ms = PyLong_AsLong(arg);
    if (ms == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    int now = atomic_fetch_add(&inside, 1) + 1;
    int p = atomic_load(&peak);
    while (now > p && !atomic_compare_exchange_weak(&peak, &p, now)) {
    }
    usleep((useconds_t)(ms * 1000));
    atomic_fetch_sub(&inside, 1);
    atomic_fetch_add(&sleeps, 1);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *
sl_peak(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(atomic_load(&peak));
}

static PyObject *
sl_sleeps(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLongLong(atomic_load(&sleeps));
}

static PyMethodDef sl_methods[] = {
    {"sleep", sl_sleep, METH_O, "sleep(ms) detached, counting the sleepers inside"},
    {"peak", sl_peak, METH_NOARGS, "the most sleepers inside at once"},
    {"sleeps", sl_sleeps, METH_NOARGS, "how many sleeps finished"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot sl_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef sl_def = {
    PyModuleDef_HEAD_INIT, "sleeper", "Sleeps with the thread state detached.", 0, sl_methods,
    sl_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_sleeper(void)
{
    return PyModuleDef_Init(&sl_def);
}
