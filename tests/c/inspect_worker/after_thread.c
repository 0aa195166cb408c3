/* after_thread: a module whose init fails when a thread named "gg-leftover" (another module's,
 * see leaves_thread.c) runs in its process, so an inspection that reused a worker such a
 * thread lives in shows up as this module's error. */
#include <Python.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

static int
leftover_running(void)
{
    DIR *d = opendir("/proc/self/task");
    if (d == NULL) {
        return 0;
    }
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        char path[300], name[64] = "";
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            continue;
        }
        if (fgets(name, sizeof name, f) != NULL && strncmp(name, "gg-leftover", 11) == 0) {
            found = 1;
        }
        fclose(f);
    }
    closedir(d);
    return found;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "after_thread",
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit_after_thread(void)
{
    if (leftover_running()) {
        PyErr_SetString(PyExc_RuntimeError, "another module's thread runs in this process");
        return NULL;
    }
    return PyModuleDef_Init(&def);
}
