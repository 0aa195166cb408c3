/* gilstate_thread: a declared module whose call(f, arg) starts its own pthread; that thread
 * calls back into the runtime with PyGILState_Ensure/Release (f(arg), and a count under a
 * PyMutex) while the caller waits for it detached. */
#include <Python.h>
#include <pthread.h>

static PyMutex mutex;
static long long calls;

typedef struct {
    PyObject *func;
    PyObject *arg;
    PyObject *result;
    PyObject *error; /* str() of the callback's exception, when it raised */
} Job;

static void *
worker(void *p)
{
    Job *job = p;
    PyGILState_STATE st = PyGILState_Ensure();
    job->result = PyObject_CallOneArg(job->func, job->arg);
    if (job->result == NULL) {
        /* Carried back to the caller's thread as a string. */
        PyObject *exc = PyErr_GetRaisedException();
        PyObject *s = exc != NULL ? PyObject_Str(exc) : NULL;
        Py_XDECREF(exc);
        job->error = s;
    }
    PyMutex_Lock(&mutex);
    calls++;
    PyMutex_Unlock(&mutex);
    PyGILState_Release(st);
    return NULL;
}

static PyObject *
gt_call(PyObject *Py_UNUSED(module), PyObject *args)
{
    Job job = {NULL, NULL, NULL, NULL};
    if (!PyArg_ParseTuple(args, "OO:call", &job.func, &job.arg)) {
        return NULL;
    }
    pthread_t t;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pthread_create(&t, NULL, worker, &job);
    if (rc == 0) {
        pthread_join(t, NULL);
    }
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        PyErr_SetString(PyExc_OSError, "pthread_create failed");
        return NULL;
    }
    if (job.result == NULL) {
        PyErr_Format(PyExc_RuntimeError, "callback in the foreign thread raised: %S",
                     job.error != NULL ? job.error : Py_None);
        Py_XDECREF(job.error);
        return NULL;
    }
    return job.result;
}

static PyObject *
gt_calls(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&mutex);
    long long v = calls;
    PyMutex_Unlock(&mutex);
    return PyLong_FromLongLong(v);
}

static PyMethodDef gt_methods[] = {
    {"call", gt_call, METH_VARARGS, "f(arg), called from a new pthread via PyGILState_Ensure"},
    {"calls", gt_calls, METH_NOARGS, "how many foreign-thread calls were made"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot gt_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef gt_def = {
    PyModuleDef_HEAD_INIT, "gilstate_thread", "Callbacks from a thread the module started.", 0,
    gt_methods, gt_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_gilstate_thread(void)
{
    return PyModuleDef_Init(&gt_def);
}
