/* A module tagged for CPython 3.13t that, like pybind11's init, refuses to load under any
 * other minor version ("Python version mismatch: module was compiled for Python 3.13, but the
 * interpreter version is incompatible: ..."). It reads every place an extension finds the
 * version: the exported data Py_Version, Py_GetVersion(), sys.version, sys.version_info and
 * sys.hexversion. gilgate inspects a 3.13t module in a worker that presents 3.13, so the init
 * goes through and the module's Py_mod_gil slot gives the verdict. */
#include <Python.h>
#include <string.h>

static PyModuleDef_Slot ver313_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef ver313_def = {
    PyModuleDef_HEAD_INIT, "ver313", NULL, 0, NULL, ver313_slots, NULL, NULL, NULL,
};

static PyObject *refuse(const char *where)
{
    PyErr_Format(PyExc_ImportError,
                 "Python version mismatch: module was compiled for Python 3.13, but the "
                 "interpreter version is incompatible: %s (seen in %s).",
                 Py_GetVersion(), where);
    return NULL;
}

static long item(PyObject *tuple, Py_ssize_t i)
{
    PyObject *v = PyTuple_GetItem(tuple, i);
    return v == NULL ? -1 : PyLong_AsLong(v);
}

PyMODINIT_FUNC PyInit_ver313(void)
{
    if ((Py_Version >> 16) != 0x030D) {
        return refuse("Py_Version");
    }
    const char *text = Py_GetVersion();
    if (strncmp(text, "3.13.", 5) != 0) {
        return refuse("Py_GetVersion()");
    }
    PyObject *version = PySys_GetObject("version");
    const char *sys_text = version == NULL ? NULL : PyUnicode_AsUTF8(version);
    if (sys_text == NULL || strcmp(sys_text, text) != 0) {
        return refuse("sys.version");
    }
    PyObject *info = PySys_GetObject("version_info");
    if (info == NULL || item(info, 0) != 3 || item(info, 1) != 13) {
        return refuse("sys.version_info");
    }
    PyObject *hex = PySys_GetObject("hexversion");
    if (hex == NULL || PyLong_AsUnsignedLong(hex) != Py_Version) {
        return refuse("sys.hexversion");
    }
    return PyModuleDef_Init(&ver313_def);
}
