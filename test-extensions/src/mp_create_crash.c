/* Multi-phase definition with Py_mod_gil = Py_MOD_GIL_NOT_USED whose create slot calls
 * abort() (SIGABRT). The hook returned the definition before create ran, so the inspection
 * worker had streamed its slots: inspect reports the slot's declaration as the verdict,
 * marked "init incomplete". */
#include <Python.h>
#include <stdlib.h>

static PyObject *mp_create_crash_create(PyObject *spec, PyModuleDef *def)
{
    (void)spec;
    (void)def;
    abort();
}

static PyModuleDef_Slot mp_create_crash_slots[] = {
    {Py_mod_create, (void *)mp_create_crash_create},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef mp_create_crash_def = {
    PyModuleDef_HEAD_INIT, "mp_create_crash", NULL, 0, NULL, mp_create_crash_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mp_create_crash(void)
{
    return PyModuleDef_Init(&mp_create_crash_def);
}
