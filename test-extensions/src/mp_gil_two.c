/* Multi-phase with Py_mod_gil = (void *)2: any non-NULL value means "not used"
 * under 3.13/3.14 rules. */
#include <Python.h>

static PyModuleDef_Slot mp_gil_two_slots[] = {
    {Py_mod_gil, (void *)2},
    {0, NULL},
};

static PyModuleDef mp_gil_two_def = {
    PyModuleDef_HEAD_INIT, "mp_gil_two", NULL, 0, NULL, mp_gil_two_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_mp_gil_two(void)
{
    return PyModuleDef_Init(&mp_gil_two_def);
}
