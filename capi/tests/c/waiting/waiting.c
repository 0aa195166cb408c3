/* Fixture of capi/tests/waiting.rs: PyMutex and critical sections used the way extensions use
 * them, through the inline functions and macros of our headers. Each function does one thing
 * the test drives from several threads; counters are plain longs, protected only by the lock
 * under test, so a lock that fails to exclude shows up as a lost update. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <time.h>

static void sleep_us(long us)
{
    struct timespec t = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&t, NULL);
}

/* n increments of *c under m, with the inline lock and unlock. */
void gg_mutex_add(PyMutex *m, long *c, long n)
{
    for (long i = 0; i < n; i++) {
        PyMutex_Lock(m);
        long v = *c;
        if (i % 128 == 0) {
            sched_yield();
        }
        *c = v + 1;
        PyMutex_Unlock(m);
    }
}

/* Holds m across a detached sleep that lasts until *release is set. */
void gg_hold_across_sleep(PyMutex *m, volatile int *holding, volatile int *release)
{
    PyMutex_Lock(m);
    __atomic_store_n(holding, 1, __ATOMIC_SEQ_CST);
    Py_BEGIN_ALLOW_THREADS
    while (!__atomic_load_n(release, __ATOMIC_SEQ_CST)) {
        sleep_us(200);
    }
    Py_END_ALLOW_THREADS
    PyMutex_Unlock(m);
}

/* Inside a section on x, waits for m (held elsewhere); *in_section is set once x is held. */
void gg_wait_inside_section(PyObject *x, PyMutex *m, volatile int *in_section)
{
    Py_BEGIN_CRITICAL_SECTION(x);
    __atomic_store_n(in_section, 1, __ATOMIC_SEQ_CST);
    PyMutex_Lock(m);
    PyMutex_Unlock(m);
    Py_END_CRITICAL_SECTION();
}

/* One increment of *c under a section on x (returns when x could be locked). */
void gg_section_add(PyObject *x, long *c)
{
    Py_BEGIN_CRITICAL_SECTION(x);
    *c += 1;
    Py_END_CRITICAL_SECTION();
}

/* Sections nested on one object (one- and two-object forms, and the mutex forms): each inner
 * one must return at once. Returns the number of increments made (6). */
long gg_nested_on_one(PyObject *o)
{
    long n = 0;
    Py_BEGIN_CRITICAL_SECTION(o);
    n++;
    Py_BEGIN_CRITICAL_SECTION(o);
    n++;
    Py_BEGIN_CRITICAL_SECTION2(o, o);
    n++;
    Py_BEGIN_CRITICAL_SECTION_MUTEX(&o->ob_mutex);
    n++;
    Py_END_CRITICAL_SECTION();
    Py_END_CRITICAL_SECTION2();
    Py_END_CRITICAL_SECTION();
    Py_END_CRITICAL_SECTION();
    Py_BEGIN_CRITICAL_SECTION2_MUTEX(&o->ob_mutex, &o->ob_mutex);
    n++;
    Py_BEGIN_CRITICAL_SECTION(o);
    n++;
    Py_END_CRITICAL_SECTION();
    Py_END_CRITICAL_SECTION2();
    return n;
}

/* A section on two objects nested in one on the first (must not hang), then one on the second
 * object nested in a two-object section holding it. Returns 2. */
long gg_nested_pair_on_held(PyObject *a, PyObject *b)
{
    long n = 0;
    Py_BEGIN_CRITICAL_SECTION(a);
    Py_BEGIN_CRITICAL_SECTION2(a, b);
    n++;
    Py_BEGIN_CRITICAL_SECTION(b);
    n++;
    Py_END_CRITICAL_SECTION();
    Py_END_CRITICAL_SECTION2();
    Py_END_CRITICAL_SECTION();
    return n;
}

/* rounds x: a section on `outer`, *co += 1, a section on `inner` inside it, *ci += 1. Two
 * threads run it with the objects swapped (and the counters with them). */
void gg_nested_rounds(PyObject *outer, PyObject *inner, long *co, long *ci, long rounds)
{
    for (long i = 0; i < rounds; i++) {
        Py_BEGIN_CRITICAL_SECTION(outer);
        *co += 1;
        Py_BEGIN_CRITICAL_SECTION(inner);
        *ci += 1;
        if (i % 64 == 0) {
            sched_yield();
        }
        Py_END_CRITICAL_SECTION();
        Py_END_CRITICAL_SECTION();
    }
}

/* rounds x: a two-object section on (a, b) in the given order, both counters += 1; every 16th
 * round inside a section on `outer` first. */
void gg_pair_rounds(PyObject *outer, PyObject *a, PyObject *b, long *ca, long *cb, long rounds)
{
    for (long i = 0; i < rounds; i++) {
        int nest = i % 16 == 0;
        PyCriticalSection o;
        if (nest) {
            PyCriticalSection_Begin(&o, outer);
        }
        Py_BEGIN_CRITICAL_SECTION2(a, b);
        *ca += 1;
        *cb += 1;
        Py_END_CRITICAL_SECTION2();
        if (nest) {
            PyCriticalSection_End(&o);
        }
    }
}

/* Inside a section on x, a detached sleep: another thread may take x meanwhile. After the
 * sleep, x is ours again: *c must not change while we read it twice. Returns 1 when it did
 * not change. */
int gg_section_across_sleep(PyObject *x, long *c, long us)
{
    int same;
    Py_BEGIN_CRITICAL_SECTION(x);
    Py_BEGIN_ALLOW_THREADS
    sleep_us(us);
    Py_END_ALLOW_THREADS
    long v = *c;
    sched_yield();
    sleep_us(100);
    same = *c == v;
    Py_END_CRITICAL_SECTION();
    return same;
}

/* A key type whose comparison waits for a PyMutex (`gate`) first: user code that blocks
 * while a dict is comparing keys. Its hash is given. */
typedef struct {
    PyObject_HEAD
    PyMutex *gate;
    Py_hash_t hash;
} GateKey;

static Py_hash_t gate_key_hash(PyObject *o)
{
    return ((GateKey *)o)->hash;
}

static PyObject *gate_key_compare(PyObject *a, PyObject *b, int op)
{
    (void)b;
    (void)op;
    PyMutex *gate = ((GateKey *)a)->gate;
    if (gate != NULL) {
        PyMutex_Lock(gate);
        PyMutex_Unlock(gate);
    }
    Py_RETURN_FALSE;
}

static PyType_Slot gate_key_slots[] = {
    {Py_tp_hash, gate_key_hash},
    {Py_tp_richcompare, gate_key_compare},
    {0, NULL},
};

static PyType_Spec gate_key_spec = {
    "waiting.GateKey", sizeof(GateKey), 0, Py_TPFLAGS_DEFAULT, gate_key_slots,
};

/* A new key comparing through `gate` (NULL: compares at once), hashing to h. */
PyObject *gg_gate_key(PyMutex *gate, Py_hash_t h)
{
    static PyObject *type;
    if (type == NULL) {
        type = PyType_FromSpec(&gate_key_spec);
        if (type == NULL) {
            return NULL;
        }
    }
    GateKey *k = PyObject_New(GateKey, (PyTypeObject *)type);
    if (k != NULL) {
        k->gate = gate;
        k->hash = h;
    }
    return (PyObject *)k;
}

/* 1 when d holds k, 0 when not, -1 on error. */
int gg_dict_lookup(PyObject *d, PyObject *k)
{
    PyObject *v = PyDict_GetItemWithError(d, k);
    if (v != NULL) {
        return 1;
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* Locks gate, says so, stores d[k] = None, unlocks gate. Returns PyDict_SetItem's result. */
int gg_gate_then_setitem(PyMutex *gate, PyObject *d, PyObject *k, volatile int *locked)
{
    PyMutex_Lock(gate);
    __atomic_store_n(locked, 1, __ATOMIC_SEQ_CST);
    int r = PyDict_SetItem(d, k, Py_None);
    PyMutex_Unlock(gate);
    return r;
}
