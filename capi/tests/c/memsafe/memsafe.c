/* Fixture of capi/tests/memsafe.rs: objects whose deallocations are counted (biased reference
 * counting across threads), and a list that one thread grows and clears while others read its
 * item array without a lock, the way extensions use PyList_GET_ITEM / PySequence_Fast_ITEMS
 * (delayed freeing of the old arrays). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>

/* ---- counted objects ------------------------------------------------------------------- */

static long deallocs;

static void counted_dealloc(PyObject *self)
{
    __atomic_add_fetch(&deallocs, 1, __ATOMIC_SEQ_CST);
    PyObject_Free(self);
}

static PyTypeObject Counted = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memsafe.Counted",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = counted_dealloc,
};

static pthread_once_t counted_once = PTHREAD_ONCE_INIT;
static int counted_ready;

static void counted_init(void)
{
    counted_ready = PyType_Ready(&Counted) == 0;
}

/* A new counted object (owned by the calling thread), or NULL. */
PyObject *gg_counted_new(void)
{
    pthread_once(&counted_once, counted_init);
    if (!counted_ready) {
        return NULL;
    }
    return PyObject_New(PyObject, &Counted);
}

/* How many counted objects were deallocated so far. */
long gg_deallocs(void)
{
    return __atomic_load_n(&deallocs, __ATOMIC_SEQ_CST);
}

/* The inline Py_DECREF of an extension (its foreign-thread path calls _Py_DecRefShared). */
void gg_decref(PyObject *o)
{
    Py_DECREF(o);
}

/* ---- a list read without its lock while another thread grows and clears it -------------- */

struct race {
    PyObject *list;
    long rounds;
    int getitem;         /* readers use PyList_GetItem rather than the raw array */
    int readers;         /* how many readers run */
    int ready;           /* readers that have attached (the appender starts after all) */
    int done;            /* set by the appender when it finishes */
    long bad;            /* reads that saw something other than None */
    long passes;         /* reader passes over a consistent array */
    int need_pass;       /* the appender goes on past `rounds` until `progress` is set, so
                          * readers starved by a loaded machine cannot end the race with no
                          * pass made (readers that never make one hang the test, which its
                          * guard reports); not with the lock on, where readers only run at
                          * the appender's detaches, right after a clear */
    int progress;        /* set at a reader's first consistent pass */
};

/* Grows the list to 100 items one append at a time, clears it, `rounds` times; detaches now
 * and then (its detach and attach process its delayed frees). */
static void *appender(void *arg)
{
    struct race *r = arg;
    while (__atomic_load_n(&r->ready, __ATOMIC_SEQ_CST) < r->readers) {
        sched_yield();
    }
    PyGILState_STATE g = PyGILState_Ensure();
    for (long k = 0; k < r->rounds || (r->need_pass && !__atomic_load_n(&r->progress, __ATOMIC_SEQ_CST) &&
                                       __atomic_load_n(&r->readers, __ATOMIC_SEQ_CST) > 0);
         k++) {
        for (int i = 0; i < 100; i++) {
            if (PyList_Append(r->list, Py_None) < 0) {
                PyErr_Clear();
            }
        }
        if (PyList_SetSlice(r->list, 0, PY_SSIZE_T_MAX, NULL) < 0) {
            PyErr_Clear();
        }
        if (k % 8 == 7) {
            Py_BEGIN_ALLOW_THREADS
            sched_yield();
            Py_END_ALLOW_THREADS
        }
    }
    __atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
    PyGILState_Release(g);
    return NULL;
}

/* One pass over the items without the lock: the array pointer, the size, the array pointer
 * again (unchanged: the size fits that array), then every slot of the array. */
static long read_raw(PyListObject *l)
{
    PyObject **items = __atomic_load_n(&l->ob_item, __ATOMIC_ACQUIRE);
    Py_ssize_t n = __atomic_load_n(&l->ob_base.ob_size, __ATOMIC_ACQUIRE);
    if (items == NULL || __atomic_load_n(&l->ob_item, __ATOMIC_ACQUIRE) != items) {
        return -1;
    }
    long bad = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (__atomic_load_n(&items[i], __ATOMIC_RELAXED) != Py_None) {
            bad++;
        }
    }
    return bad;
}

/* One pass through PyList_GetItem (out-of-range reads, after a clear, are skipped). */
static long read_getitem(PyObject *l)
{
    long bad = 0;
    Py_ssize_t n = PyList_GET_SIZE(l);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyList_GetItem(l, i);
        if (x == NULL) {
            PyErr_Clear();
            break;
        }
        if (x != Py_None) {
            bad++;
        }
    }
    return bad;
}

static void *reader(void *arg)
{
    struct race *r = arg;
    PyGILState_STATE g = PyGILState_Ensure();
    /* A first read through the API marks the list shared (its owner is the appender), as in
     * CPython 3.14t: from then on its old arrays are freed only after a quiescent point, which
     * the raw reads below rely on. (Negative result ignored: the list may be empty.) */
    if (PyList_GetItem(r->list, 0) == NULL) {
        PyErr_Clear();
    }
    __atomic_add_fetch(&r->ready, 1, __ATOMIC_SEQ_CST);
    long bad = 0, passes = 0;
    for (long k = 0; !__atomic_load_n(&r->done, __ATOMIC_SEQ_CST); k++) {
        long b = r->getitem ? read_getitem(r->list) : read_raw((PyListObject *)r->list);
        if (b >= 0) {
            bad += b;
            if (passes++ == 0) {
                __atomic_store_n(&r->progress, 1, __ATOMIC_SEQ_CST);
            }
        }
        if (k % 16 == 15) {
            /* A quiescent point: no pointer into the array survives it. */
            Py_BEGIN_ALLOW_THREADS
            Py_END_ALLOW_THREADS
        }
    }
    __atomic_add_fetch(&r->bad, bad, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&r->passes, passes, __ATOMIC_SEQ_CST);
    PyGILState_Release(g);
    return NULL;
}

/* Runs one appender and `readers` readers (at most 8) on a fresh list for `rounds` rounds
 * (and more until a reader made a pass, when `need_pass`); returns the number of bad reads (never anything but None was stored) and stores the number
 * of reader passes in *passes; -1 when something could not start. The caller is attached; it
 * waits detached. */
long gg_race(int readers, long rounds, int getitem, int need_pass, long *passes)
{
    pthread_t t[9];
    struct race r = {0};
    if (readers > 8) {
        return -1;
    }
    r.list = PyList_New(0);
    if (r.list == NULL) {
        return -1;
    }
    r.rounds = rounds;
    r.readers = readers;
    r.getitem = getitem;
    r.need_pass = need_pass;
    int started = 0, failed = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i <= readers; i++) {
        if (pthread_create(&t[i], NULL, i == 0 ? appender : reader, &r) != 0) {
            failed = 1;
            __atomic_store_n(&r.readers, 0, __ATOMIC_SEQ_CST);
            __atomic_store_n(&r.done, 1, __ATOMIC_SEQ_CST);
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(r.list);
    *passes = r.passes;
    return failed ? -1 : r.bad;
}

/* The owner reads: the calling thread (attached) makes the list and reads it through
 * PyList_GetItem (an owner's reads never mark the list shared) while another thread grows and
 * clears it, `rounds` times. Returns the bad reads (-1 when the appender could not start) and
 * stores the reader's passes in *passes. */
long gg_race_owner(long rounds, long *passes)
{
    pthread_t t;
    struct race r = {0};
    r.list = PyList_New(0);
    if (r.list == NULL) {
        return -1;
    }
    r.rounds = rounds;
    r.readers = 1;
    r.getitem = 1;
    r.need_pass = 1;
    if (pthread_create(&t, NULL, appender, &r) != 0) {
        Py_DECREF(r.list);
        return -1;
    }
    __atomic_store_n(&r.ready, 1, __ATOMIC_SEQ_CST);
    long bad = 0, n = 0;
    for (long k = 0; !__atomic_load_n(&r.done, __ATOMIC_SEQ_CST); k++) {
        bad += read_getitem(r.list);
        if (n++ == 0) {
            __atomic_store_n(&r.progress, 1, __ATOMIC_SEQ_CST);
        }
        if (k % 16 == 15) {
            Py_BEGIN_ALLOW_THREADS
            Py_END_ALLOW_THREADS
        }
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    Py_DECREF(r.list);
    *passes = n;
    return bad;
}
