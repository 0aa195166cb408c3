/* An unknown slot ID (99) after a valid gil slot (SystemError). */
#include <Python.h>

static PyModuleDef_Slot unknown_slot_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {99, NULL},
    {0, NULL},
};

static PyModuleDef unknown_slot_def = {
    PyModuleDef_HEAD_INIT, "unknown_slot", NULL, 0, NULL, unknown_slot_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_unknown_slot(void)
{
    return PyModuleDef_Init(&unknown_slot_def);
}
