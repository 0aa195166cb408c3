/*
 * Thread-state and lock fixture for capi/tests/threads.rs: functions an extension's threads
 * would run. Each attaches with PyGILState_Ensure (a thread with no state gets one created and,
 * at the outermost release, deleted), so the Rust test threads that call them are "foreign".
 * Timestamps are taken here, inside the attached or detached regions themselves.
 */
#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <stdint.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Bumped with a plain read and write: exact only when the lock serialises the bumps. */
static long counter;

long gg_counter(void) { return counter; }
void gg_counter_reset(void) { counter = 0; }

static void bump_once(void)
{
    long c = counter;
    for (volatile int k = 0; k < 20; k++) {
    }
    counter = c + 1;
}

/* n bumps, each inside its own Ensure/Release (a state created and deleted each time). */
void gg_bump_ensure(long n)
{
    for (long i = 0; i < n; i++) {
        PyGILState_STATE s = PyGILState_Ensure();
        bump_once();
        PyGILState_Release(s);
    }
}

/* n bumps in one attached region, detaching (Py_BEGIN/END_ALLOW_THREADS) every `every`. */
void gg_bump_attached(long n, long every)
{
    PyGILState_STATE s = PyGILState_Ensure();
    for (long i = 0; i < n; i++) {
        bump_once();
        if (every > 0 && i % every == every - 1) {
            Py_BEGIN_ALLOW_THREADS
            Py_END_ALLOW_THREADS
        }
    }
    PyGILState_Release(s);
}

/* Sleeps `ms` inside Py_BEGIN_ALLOW_THREADS (detach != 0) or attached (detach == 0); records
 * when the sleep started and ended. */
void gg_sleep(int ms, int detach, double *start, double *end)
{
    PyGILState_STATE s = PyGILState_Ensure();
    if (detach) {
        Py_BEGIN_ALLOW_THREADS
        *start = now();
        usleep((useconds_t)ms * 1000);
        *end = now();
        Py_END_ALLOW_THREADS
    }
    else {
        *start = now();
        usleep((useconds_t)ms * 1000);
        *end = now();
    }
    PyGILState_Release(s);
}

/* A pthread started by the "extension": Ensure (nested once), work on objects, Release. */
struct foreign {
    pthread_t thread;
    long iterations;
    long done;
    long bad;
};

static void *foreign_main(void *arg)
{
    struct foreign *f = arg;
    for (long i = 0; i < f->iterations; i++) {
        if (PyGILState_GetThisThreadState() != NULL || PyGILState_Check())
            f->bad++;
        PyGILState_STATE outer = PyGILState_Ensure();
        PyGILState_STATE inner = PyGILState_Ensure();
        if (outer != PyGILState_UNLOCKED || inner != PyGILState_LOCKED || !PyGILState_Check()
            || PyThreadState_Get() != PyGILState_GetThisThreadState())
            f->bad++;
        PyObject *list = PyList_New(0);
        PyObject *item = PyLong_FromLong(i);
        if (list == NULL || item == NULL || PyList_Append(list, item) < 0 || PyList_GET_SIZE(list) != 1)
            f->bad++;
        Py_XDECREF(item);
        Py_XDECREF(list);
        PyObject *d = PyThreadState_GetDict();
        if (d == NULL || !PyDict_Check(d))
            f->bad++;
        PyGILState_Release(inner);
        if (!PyGILState_Check())
            f->bad++;
        /* errno set while detached survives re-attaching (which may wait for the lock). */
        Py_BEGIN_ALLOW_THREADS
        errno = 4242;
        Py_END_ALLOW_THREADS
        if (errno != 4242)
            f->bad++;
        PyGILState_Release(outer);
        f->done++;
    }
    return NULL;
}

void *gg_foreign_start(long iterations)
{
    struct foreign *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->iterations = iterations;
    if (pthread_create(&f->thread, NULL, foreign_main, f) != 0) {
        free(f);
        return NULL;
    }
    return f;
}

/* Joins the thread (call it detached); returns how many iterations it finished and stores how
 * many checks failed in *bad. */
long gg_foreign_join(void *handle, long *bad)
{
    struct foreign *f = handle;
    pthread_join(f->thread, NULL);
    long done = f->done;
    *bad = f->bad;
    free(f);
    return done;
}

/* Counts the states in the registry by walking ThreadHead/Next (call it attached). */
long gg_walk_states(void)
{
    long n = 0;
    for (PyThreadState *t = PyInterpreterState_ThreadHead(PyInterpreterState_Main()); t != NULL;
         t = PyThreadState_Next(t))
        n++;
    return n;
}

/* PyThreadState_New + Swap + Clear + DeleteCurrent on a thread with no state, as a thread
 * made by an extension may do instead of PyGILState_Ensure. Returns 0 when every check held. */
int gg_new_swap_delete(void)
{
    PyThreadState *t = PyThreadState_New(PyInterpreterState_Main());
    if (t == NULL)
        return 1;
    if (PyThreadState_GetUnchecked() != NULL)
        return 2;
    if (PyThreadState_Swap(t) != NULL)
        return 3;
    if (PyThreadState_Get() != t || PyThreadState_GetID(t) == 0)
        return 4;
    PyObject *o = PyLong_FromLong(7);
    Py_XDECREF(o);
    PyThreadState *saved = PyEval_SaveThread();
    if (saved != t || PyThreadState_GetUnchecked() != NULL)
        return 5;
    PyEval_RestoreThread(saved);
    PyThreadState_Clear(t);
    PyThreadState_DeleteCurrent();
    if (PyThreadState_GetUnchecked() != NULL || PyGILState_GetThisThreadState() != NULL)
        return 6;
    return 0;
}

/* Threads started through the runtime (PyThread_*), as an extension without its own pthread
 * code does. The joinable pair is not in the public headers; it is declared here. */
int PyThread_start_joinable_thread(void (*func)(void *), void *arg, unsigned long long *ident,
                                   unsigned long long *handle);
int PyThread_join_thread(unsigned long long handle);

static void bumper(void *arg) { gg_bump_ensure((long)(intptr_t)arg); }

/* Starts `threads` joinable threads bumping `n` times each and joins them (detached); returns
 * 0 when every start and join succeeded. Call it attached. */
int gg_joinable(int threads, long n)
{
    unsigned long long handles[16];
    if (threads > 16)
        return 1;
    for (int i = 0; i < threads; i++) {
        unsigned long long ident = 0;
        if (PyThread_start_joinable_thread(bumper, (void *)(intptr_t)n, &ident, &handles[i]) != 0
            || ident == 0)
            return 2;
    }
    int rc = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < threads; i++)
        if (PyThread_join_thread(handles[i]) != 0)
            rc = 3;
    Py_END_ALLOW_THREADS
    return rc;
}

static PyThread_type_lock done_lock;

static void bump_and_signal(void *arg)
{
    gg_bump_ensure((long)(intptr_t)arg);
    PyThread_release_lock(done_lock);
}

/* PyThread_start_new_thread (detached) bumping `n` times; waits (detached) on a PyThread lock
 * the thread releases at its end. Returns 0 on success. Call it attached. */
int gg_new_thread(long n)
{
    done_lock = PyThread_allocate_lock();
    if (done_lock == NULL || PyThread_acquire_lock(done_lock, WAIT_LOCK) != PY_LOCK_ACQUIRED)
        return 1;
    unsigned long id = PyThread_start_new_thread(bump_and_signal, (void *)(intptr_t)n);
    if (id == (unsigned long)-1)
        return 2;
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
    PyThread_free_lock(done_lock);
    return 0;
}

/* Pending calls: queued from any thread, run by Py_MakePendingCalls on the main thread only. */
static int pending_sum;

static int pend_add(void *arg)
{
    pending_sum += (int)(intptr_t)arg;
    return 0;
}

static int pend_fail(void *arg)
{
    (void)arg;
    PyErr_SetString(PyExc_RuntimeError, "pending call failed");
    return -1;
}

static void *queue_from_foreign(void *arg)
{
    (void)arg;
    /* No thread state needed to queue. */
    Py_AddPendingCall(pend_add, (void *)1);
    Py_AddPendingCall(pend_add, (void *)2);
    PyGILState_STATE s = PyGILState_Ensure();
    /* Not the main thread: nothing runs. */
    if (Py_MakePendingCalls() != 0 || pending_sum != 0)
        pending_sum = -1000;
    Py_AddPendingCall(pend_add, (void *)4);
    PyGILState_Release(s);
    return NULL;
}

/* Returns 0 when every check held; call it on the main thread, attached. */
int gg_pending_calls(void)
{
    pthread_t t;
    pending_sum = 0;
    if (pthread_create(&t, NULL, queue_from_foreign, NULL) != 0)
        return 1;
    Py_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    if (pending_sum != 0)
        return 2;
    if (Py_MakePendingCalls() != 0 || pending_sum != 7)
        return 3;
    if (Py_AddPendingCall(pend_fail, NULL) != 0 || Py_AddPendingCall(pend_add, (void *)8) != 0)
        return 4;
    if (Py_MakePendingCalls() != -1 || !PyErr_ExceptionMatches(PyExc_RuntimeError) || pending_sum != 7)
        return 5;
    PyErr_Clear();
    if (Py_MakePendingCalls() != 0 || pending_sum != 15)
        return 6;
    for (int i = 0; i < 32; i++)
        if (Py_AddPendingCall(pend_add, (void *)1) != 0)
            return 7;
    if (Py_AddPendingCall(pend_add, (void *)1) != -1)
        return 8;
    if (Py_MakePendingCalls() != 0 || pending_sum != 47)
        return 9;
    return 0;
}

/* For the switch test: bumps in attached regions (detaching every `every`) until it made
 * `min_after` bumps after *switched became 1; those also go to `after` (plain read and write)
 * and are counted in *mine. */
static long after;

long gg_after(void) { return after; }

void gg_bump_after_switch(long min_after, long every, int *switched, long *started, long *mine)
{
    PyGILState_STATE s = PyGILState_Ensure();
    __atomic_store_n(started, 1, __ATOMIC_SEQ_CST);
    long own = 0;
    for (long i = 0; own < min_after; i++) {
        if (__atomic_load_n(switched, __ATOMIC_SEQ_CST)) {
            long c = after;
            for (volatile int k = 0; k < 20; k++) {
            }
            after = c + 1;
            own++;
        }
        if (i % every == every - 1) {
            Py_BEGIN_ALLOW_THREADS
            Py_END_ALLOW_THREADS
        }
    }
    *mine = own;
    PyGILState_Release(s);
}
