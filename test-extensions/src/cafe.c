/* A non-ASCII module name, "café": the file is café.cpython-314t-...so and the hook is
 * PyInitU_ + punycode("café") = "caf-dma" with '-' replaced by '_'. Declared free-threaded. */
#include <Python.h>

static PyModuleDef_Slot cafe_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef cafe_def = {
    PyModuleDef_HEAD_INIT, "caf\xc3\xa9", NULL, 0, NULL, cafe_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInitU_caf_dma(void)
{
    return PyModuleDef_Init(&cafe_def);
}
