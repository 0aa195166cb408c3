/* Built by tests/modlock.rs: an undeclared single-phase module (no Py_mod_gil, no SetGIL) whose
 * state is plain C ints updated with a read-modify-write and a deliberate window between the
 * read and the write, so that two threads running its code at once lose updates. Under
 * `--gil module` the per-module lock must make every count exact. */
#include <Python.h>
#include <pthread.h>

/* The module's name (tests/modlock.rs also builds copies under other names). */
#ifndef GG_NAME
#define GG_NAME racy
#endif
#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)
#define GG_STR2(a) #a
#define GG_STR(a) GG_STR2(a)
#include <sched.h>
#include <stdatomic.h>

static int counter;          /* bump(), nb_add, the callback thread */
static int dealloc_count;    /* Counter's tp_dealloc */
static int init_calls;       /* PyInit_racy */
static volatile int sink;

/* The window: a few hundred iterations between the read and the write. */
static void window(void)
{
    for (int i = 0; i < 300; i++)
        sink += i;
}

static void racy_add(int *p)
{
    int v = *(volatile int *)p;
    window();
    *(volatile int *)p = v + 1;
}

static PyObject *bump(PyObject *self, PyObject *unused)
{
    racy_add(&counter);
    Py_RETURN_NONE;
}

static PyObject *get_counts(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(iii)", counter, dealloc_count, init_calls);
}

static PyObject *reset(PyObject *self, PyObject *unused)
{
    counter = 0;
    dealloc_count = 0;
    Py_RETURN_NONE;
}

static atomic_int *flag_at(PyObject *arg)
{
    return (atomic_int *)PyLong_AsVoidPtr(arg);
}

/* hold(addr): marks *(addr+1) (entered), then waits, attached and without detaching (it holds
 * the module lock all along), until *addr is set by another thread. */
static PyObject *hold(PyObject *self, PyObject *arg)
{
    atomic_int *flags = flag_at(arg);
    if (flags == NULL && PyErr_Occurred())
        return NULL;
    atomic_store(&flags[1], 1);
    while (atomic_load(&flags[0]) == 0) {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
    Py_RETURN_NONE;
}

/* wait_detached(addr): inside Py_BEGIN_ALLOW_THREADS, marks *(addr+1) and waits until *addr
 * is set (by set_flag, another function of this module, called by another thread). */
static PyObject *wait_detached(PyObject *self, PyObject *arg)
{
    atomic_int *flags = flag_at(arg);
    if (flags == NULL && PyErr_Occurred())
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    atomic_store(&flags[1], 1);
    while (atomic_load(&flags[0]) == 0) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *set_flag(PyObject *self, PyObject *arg)
{
    atomic_int *flags = flag_at(arg);
    if (flags == NULL && PyErr_Occurred())
        return NULL;
    atomic_store(&flags[0], 1);
    Py_RETURN_NONE;
}

/* A thread of the module's own: after another thread's first bump, n rounds of PyGILState_Ensure, a racy bump, Release. */
static void *callback_main(void *arg)
{
    long n = (long)arg;
    /* Start once another thread has bumped (so the two overlap), without holding anything. */
    while (__atomic_load_n(&counter, __ATOMIC_RELAXED) == 0)
        sched_yield();
    for (long i = 0; i < n; i++) {
        PyGILState_STATE g = PyGILState_Ensure();
        racy_add(&counter);
        PyGILState_Release(g);
    }
    return NULL;
}

static pthread_t cb_thread;

static PyObject *start_callbacks(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (pthread_create(&cb_thread, NULL, callback_main, (void *)n) != 0)
        return PyErr_Format(PyExc_RuntimeError, "pthread_create failed");
    Py_RETURN_NONE;
}

static PyObject *join_callbacks(PyObject *self, PyObject *unused)
{
    Py_BEGIN_ALLOW_THREADS
    pthread_join(cb_thread, NULL);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* Counter: nb_add bumps the counter, tp_dealloc bumps dealloc_count (both racy). */
typedef struct {
    PyObject_HEAD
} CounterObject;

static PyObject *counter_add(PyObject *a, PyObject *b)
{
    racy_add(&counter);
    return Py_NewRef(a);
}

static void counter_dealloc(PyObject *op)
{
    racy_add(&dealloc_count);
    PyTypeObject *tp = Py_TYPE(op);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyType_Slot counter_slots[] = {
    {Py_nb_add, counter_add},
    {Py_tp_dealloc, counter_dealloc},
    {0, NULL},
};

static PyType_Spec counter_spec = {
    GG_STR(GG_NAME) ".Counter", sizeof(CounterObject), 0, Py_TPFLAGS_DEFAULT, counter_slots,
};

static PyMethodDef methods[] = {
    {"bump", bump, METH_NOARGS, NULL},
    {"counts", get_counts, METH_NOARGS, NULL},
    {"reset", reset, METH_NOARGS, NULL},
    {"hold", hold, METH_O, NULL},
    {"wait_detached", wait_detached, METH_O, NULL},
    {"set_flag", set_flag, METH_O, NULL},
    {"start_callbacks", start_callbacks, METH_O, NULL},
    {"join_callbacks", join_callbacks, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, GG_STR(GG_NAME), NULL, -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC GG_CAT(PyInit_, GG_NAME)(void)
{
    /* Racy on purpose, with a wide window: two inits at once would show as a count of 1 and
     * a second module. */
    int v = init_calls;
    for (int i = 0; i < 200000; i++)
        sink += i;
    init_calls = v + 1;
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    PyObject *t = PyType_FromSpec(&counter_spec);
    if (t == NULL || PyModule_AddObjectRef(m, "Counter", t) < 0) {
        Py_XDECREF(t);
        Py_DECREF(m);
        return NULL;
    }
    Py_DECREF(t);
    return m;
}
