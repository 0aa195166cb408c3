/* A PEP 793 module: PyModExport_export_ft returns a PySlot array with Py_mod_name,
 * Py_mod_abi (PyABIInfo_VAR), an exec slot and Py_mod_gil = NOT_USED. No PyInit. */
#include <Python.h>

PyABIInfo_VAR(export_ft_abi);

static int export_ft_exec(PyObject *module)
{
    return PyModule_AddIntConstant(module, "answer", 793);
}

static PySlot export_ft_slots[] = {
    PySlot_DATA(Py_mod_name, "export_ft"),
    PySlot_DATA(Py_mod_abi, &export_ft_abi),
    PySlot_FUNC(Py_mod_exec, export_ft_exec),
    PySlot_DATA(Py_mod_gil, Py_MOD_GIL_NOT_USED),
    PySlot_END,
};

PyMODEXPORT_FUNC PyModExport_export_ft(void)
{
    return export_ft_slots;
}
