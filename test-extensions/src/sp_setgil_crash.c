/* Single-phase init that declares itself free-threaded with PyUnstable_Module_SetGIL and then
 * writes through a NULL pointer (SIGSEGV), as an init may when it runs against a layout it was
 * not built for. The inspection worker streamed the call before the crash, so inspect still
 * reports the declaration as the verdict, marked "init incomplete". */
#include <Python.h>

static struct PyModuleDef sp_setgil_crash_def = {
    PyModuleDef_HEAD_INIT, "sp_setgil_crash", NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_sp_setgil_crash(void)
{
    PyObject *m = PyModule_Create(&sp_setgil_crash_def);
    if (m == NULL) {
        return NULL;
    }
    if (PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
    return m;
}
