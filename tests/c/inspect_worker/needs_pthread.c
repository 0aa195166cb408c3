/* A module built as manylinux extensions are, with libpthread.so.0 among its needed libraries
 * (the test links it so): its init starts a thread and joins it (pthread_create and
 * pthread_join lived in that library before glibc 2.34) and fails with RuntimeError unless
 * the thread ran. */
#include <Python.h>
#include <pthread.h>

static void *set_flag(void *flag)
{
    *(int *)flag = 1;
    return flag;
}

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "needs_pthread", NULL, 0, NULL,
                                 NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_needs_pthread(void)
{
    int flag = 0;
    pthread_t t;
    void *back = NULL;
    if (pthread_create(&t, NULL, set_flag, &flag) != 0 || pthread_join(t, &back) != 0
        || back != &flag || flag != 1) {
        PyErr_SetString(PyExc_RuntimeError, "needs_pthread: the thread did not run");
        return NULL;
    }
    PyObject *m = PyModule_Create(&def);
    if (m != NULL && PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
