/* A slots-only (PyModExport) module without Py_mod_abi (SystemError in 3.15.2). */
#include <Python.h>

static PySlot export_noabi_slots[] = {
    PySlot_DATA(Py_mod_name, "export_noabi"),
    PySlot_DATA(Py_mod_gil, Py_MOD_GIL_NOT_USED),
    PySlot_END,
};

PyMODEXPORT_FUNC PyModExport_export_noabi(void)
{
    return export_noabi_slots;
}
