/* 3.15 numbering with Py_mod_gil (87) = (void *)2: 3.15 treats only exactly
 * Py_MOD_GIL_NOT_USED as "not used", so this module requires the GIL. */
#include <Python.h>

static PyModuleDef_Slot m315_gil_two_slots[] = {
    {Py_mod_gil, (void *)2},
    {0, NULL},
};

static PyModuleDef m315_gil_two_def = {
    PyModuleDef_HEAD_INIT, "m315_gil_two", NULL, 0, NULL, m315_gil_two_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_m315_gil_two(void)
{
    return PyModuleDef_Init(&m315_gil_two_def);
}
