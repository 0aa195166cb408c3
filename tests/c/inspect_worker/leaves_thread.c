/* leaves_thread: a module whose init starts a thread that keeps running after the init
 * returned (named "gg-leftover", asleep in a loop; it never calls into the runtime). The
 * module declares it runs without the GIL. */
#include <Python.h>
#include <pthread.h>
#include <unistd.h>

static void *
linger(void *arg)
{
    (void)arg;
    for (;;) {
        sleep(1);
    }
    return NULL;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "leaves_thread",
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit_leaves_thread(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, linger, NULL) == 0) {
        pthread_setname_np(t, "gg-leftover");
        pthread_detach(t);
    }
    return PyModuleDef_Init(&def);
}
