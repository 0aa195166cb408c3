/* slow_exit: a module whose init registers an exit handler that waits (at most GG_WAIT_S
 * seconds) until the file GG_GO exists, then writes "slow_exit: handler done" to stderr. The
 * command line's `inspect` does not wait for its workers' exit, so it can end while this
 * handler still waits; the line still comes once the file appears. */
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
wait_for_go(void)
{
    const char *done = "slow_exit: handler done\n";
    const char *late = "slow_exit: handler gave up waiting\n";
    for (int i = 0; i < GG_WAIT_S * 100; i++) {
        if (access(GG_GO, F_OK) == 0) {
            (void)!write(2, done, strlen(done));
            return;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    (void)!write(2, late, strlen(late));
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "slow_exit",
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit_slow_exit(void)
{
    if (atexit(wait_for_go) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "atexit failed");
        return NULL;
    }
    return PyModuleDef_Init(&def);
}
