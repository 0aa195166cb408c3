/* Exports both hooks. PyModExport_<name> declares gil NOT_USED; PyInit_<name> returns a
 * def without a gil slot (GIL required). A 3.15 target uses PyModExport_, a 3.13/3.14
 * target uses PyInit_, so the verdict shows which hook ran. The module name comes from
 * GG_NAME (built as export_both for cpython-315t and both_in_314 for cpython-314t). */
#include <Python.h>

#ifndef GG_NAME
#  error "build with -DGG_NAME=<module name>"
#endif
#define GG_STR2(x) #x
#define GG_STR(x) GG_STR2(x)
#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)

PyABIInfo_VAR(both_abi);

static PySlot both_slots[] = {
    PySlot_DATA(Py_mod_name, GG_STR(GG_NAME)),
    PySlot_DATA(Py_mod_abi, &both_abi),
    PySlot_DATA(Py_mod_doc, "from PyModExport"),
    PySlot_DATA(Py_mod_gil, Py_MOD_GIL_NOT_USED),
    PySlot_END,
};

PyMODEXPORT_FUNC GG_CAT(PyModExport_, GG_NAME)(void)
{
    return both_slots;
}

static PyModuleDef both_def = {
    PyModuleDef_HEAD_INIT, GG_STR(GG_NAME), "from PyInit", 0, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC GG_CAT(PyInit_, GG_NAME)(void)
{
    return PyModuleDef_Init(&both_def);
}
