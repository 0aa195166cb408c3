/* shared_mutator: a declared module whose mutate(lst, d, key) mutates a list and a dict that
 * every thread shares, through the C API only (append, then delete the last item; set, read
 * back and count a dict item), relying on the containers' own locking. */
#include <Python.h>

static PyObject *
sm_mutate(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *lst, *d;
    long key;
    if (!PyArg_ParseTuple(args, "O!O!l:mutate", &PyList_Type, &lst, &PyDict_Type, &d, &key)) {
        return NULL;
    }
    /* k: one of 64 slots every thread sets; u: a key of this call's own, negative so that it
     * never names one of the shared slots (deleting it must not remove another thread's). */
    PyObject *k = PyLong_FromLong(key % 64);
    PyObject *v = PyLong_FromLong(key);
    PyObject *u = PyLong_FromLong(-1 - key);
    if (k == NULL || v == NULL || u == NULL) {
        goto fail;
    }
    /* Every caller appends before it deletes, so the list is never empty at a delete and
     * ends empty. Deleting "the last item" reads the size and deletes at it: one step only
     * under a critical section on the list (PySequence_DelItem(lst, -1) alone would resolve
     * the index before another thread's change). */
    if (PyList_Append(lst, v) < 0) {
        goto fail;
    }
    int rc;
    Py_BEGIN_CRITICAL_SECTION(lst);
    Py_ssize_t n = PyList_GET_SIZE(lst);
    if (n < 1) {
        PyErr_SetString(PyExc_AssertionError, "list empty after an append");
        rc = -1;
    }
    else {
        rc = PyList_SetSlice(lst, n - 1, n, NULL);
    }
    Py_END_CRITICAL_SECTION();
    if (rc < 0) {
        goto fail;
    }
    if (PyDict_SetItem(d, k, v) < 0) {
        goto fail;
    }
    PyObject *got;
    if (PyDict_GetItemRef(d, k, &got) < 0) {
        goto fail;
    }
    if (got == NULL) {
        PyErr_SetString(PyExc_AssertionError, "a key just set is missing");
        goto fail;
    }
    Py_DECREF(got);
    PyObject *prev;
    if (PyDict_SetDefaultRef(d, u, v, &prev) < 0) {
        goto fail;
    }
    Py_DECREF(prev);
    if (PyDict_DelItem(d, u) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_KeyError)) {
            goto fail;
        }
        /* Another thread with the same key deleted it first. */
        PyErr_Clear();
    }
    Py_DECREF(k);
    Py_DECREF(v);
    Py_DECREF(u);
    return PyLong_FromSsize_t(PyDict_Size(d));
fail:
    Py_XDECREF(k);
    Py_XDECREF(v);
    Py_XDECREF(u);
    return NULL;
}

static PyMethodDef sm_methods[] = {
    {"mutate", sm_mutate, METH_VARARGS, "append/delete on a shared list, set/get/del on a dict"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot sm_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef sm_def = {
    PyModuleDef_HEAD_INIT, "shared_mutator", "Mutates shared containers.", 0, sm_methods,
    sm_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_shared_mutator(void)
{
    return PyModuleDef_Init(&sm_def);
}
