/* mutex_sections: a declared free-threaded module that protects its shared state correctly:
 * a C counter under a PyMutex (also held across a detached sleep, so waiters park on it), and
 * read-modify-writes of dict items under one- and two-object critical sections (also with a
 * detached sleep inside the section, after which the section is held again). hold(d, ms)
 * keeps a section on d for ms without detaching (a long computation), for timeout reports. */
#include <Python.h>
#include <unistd.h>

static PyMutex mutex;
static long long count;

static void
window(void)
{
    for (volatile int i = 0; i < 200; i++) {
    }
}

/* bump(sleep_us=0): count += 1 under the mutex; with sleep_us, sleeps that long detached while
 * still holding the mutex. */
static PyObject *
ms_bump(PyObject *Py_UNUSED(module), PyObject *args)
{
    int sleep_us = 0;
    if (!PyArg_ParseTuple(args, "|i:bump", &sleep_us)) {
        return NULL;
    }
    PyMutex_Lock(&mutex);
    long long seen = count;
    if (sleep_us > 0) {
        Py_BEGIN_ALLOW_THREADS
        usleep((useconds_t)sleep_us);
        Py_END_ALLOW_THREADS
    }
    else {
        window();
    }
    count = seen + 1;
    PyMutex_Unlock(&mutex);
    Py_RETURN_NONE;
}

static PyObject *
ms_value(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&mutex);
    long long v = count;
    PyMutex_Unlock(&mutex);
    return PyLong_FromLongLong(v);
}

/* d[key] += delta, d a dict; the caller holds a section on d. */
static int
add_item(PyObject *d, PyObject *key, long delta)
{
    PyObject *old;
    if (PyDict_GetItemRef(d, key, &old) < 0) {
        return -1;
    }
    long v = 0;
    if (old != NULL) {
        v = PyLong_AsLong(old);
        Py_DECREF(old);
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    window();
    PyObject *nv = PyLong_FromLong(v + delta);
    if (nv == NULL) {
        return -1;
    }
    int rc = PyDict_SetItem(d, key, nv);
    Py_DECREF(nv);
    return rc;
}

/* add(d, key, sleep_us=0): d[key] += 1 under a section on d; with sleep_us, first sleeps
 * detached inside the section (which suspends it; it is held again afterwards). */
static PyObject *
ms_add(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *d, *key;
    int sleep_us = 0;
    if (!PyArg_ParseTuple(args, "O!O|i:add", &PyDict_Type, &d, &key, &sleep_us)) {
        return NULL;
    }
    int rc;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (sleep_us > 0) {
        Py_BEGIN_ALLOW_THREADS
        usleep((useconds_t)sleep_us);
        Py_END_ALLOW_THREADS
    }
    rc = add_item(d, key, 1);
    Py_END_CRITICAL_SECTION();
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* move(a, b, key, sleep_us=0): a[key] -= 1 and b[key] += 1 under one two-object section (the
 * sum over both dicts is kept); callers pass the dicts in either order. Nested inside, a
 * one-object section on a (the top-most section holds it already: returns at once). */
static PyObject *
ms_move(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *a, *b, *key;
    int sleep_us = 0;
    if (!PyArg_ParseTuple(args, "O!O!O|i:move", &PyDict_Type, &a, &PyDict_Type, &b, &key,
                          &sleep_us)) {
        return NULL;
    }
    int rc;
    Py_BEGIN_CRITICAL_SECTION2(a, b);
    if (sleep_us > 0) {
        Py_BEGIN_ALLOW_THREADS
        usleep((useconds_t)sleep_us);
        Py_END_ALLOW_THREADS
    }
    Py_BEGIN_CRITICAL_SECTION(a);
    rc = add_item(a, key, -1);
    Py_END_CRITICAL_SECTION();
    if (rc == 0) {
        rc = add_item(b, key, 1);
    }
    Py_END_CRITICAL_SECTION2();
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
ms_hold(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *d;
    int ms;
    if (!PyArg_ParseTuple(args, "Oi:hold", &d, &ms)) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(d);
    usleep((useconds_t)ms * 1000);
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyMethodDef ms_methods[] = {
    {"hold", ms_hold, METH_VARARGS, "hold a section on an object for ms, attached"},
    {"bump", ms_bump, METH_VARARGS, "count += 1 under the module's PyMutex"},
    {"value", ms_value, METH_NOARGS, "the count"},
    {"add", ms_add, METH_VARARGS, "d[key] += 1 under a critical section on d"},
    {"move", ms_move, METH_VARARGS, "a[key] -= 1, b[key] += 1 under a two-object section"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot ms_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef ms_def = {
    PyModuleDef_HEAD_INIT, "mutex_sections", "PyMutex and critical sections, used correctly.",
    0, ms_methods, ms_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mutex_sections(void)
{
    return PyModuleDef_Init(&ms_def);
}
