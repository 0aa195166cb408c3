/* lazy_import: a declared module whose load(name) imports a module (an undeclared one, in the
 * tests) from inside a function call while other threads run; bump() calls the loaded
 * module's bump() once it is there (False before) and counts the calls it made. Exposes
 * `sys` for sys._is_gil_enabled(). */
#include <Python.h>
#include <stdatomic.h>

static _Atomic(PyObject *) loaded; /* strong reference, published once */
static atomic_llong bumps;

static PyObject *
li_load(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "load() wants a module name");
        return NULL;
    }
    PyObject *m = PyImport_Import(arg);
    if (m == NULL) {
        return NULL;
    }
    PyObject *expected = NULL;
    Py_INCREF(m);
    if (!atomic_compare_exchange_strong(&loaded, &expected, m)) {
        Py_DECREF(m);
    }
    return m;
}

static PyObject *
li_bump(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    PyObject *m = atomic_load(&loaded);
    if (m == NULL) {
        Py_RETURN_FALSE;
    }
    PyObject *r = PyObject_CallMethod(m, "bump", NULL);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    atomic_fetch_add(&bumps, 1);
    Py_RETURN_TRUE;
}

static PyObject *
li_bumps(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLongLong(atomic_load(&bumps));
}

static int
li_exec(PyObject *module)
{
    PyObject *sys = PyImport_ImportModule("sys");
    if (sys == NULL) {
        return -1;
    }
    return PyModule_Add(module, "sys", sys);
}

static PyMethodDef li_methods[] = {
    {"load", li_load, METH_O, "import the named module now; later bump() calls use it"},
    {"bump", li_bump, METH_NOARGS, "the loaded module's bump() (False before load)"},
    {"bumps", li_bumps, METH_NOARGS, "how many bump() calls reached the loaded module"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot li_slots[] = {
    {Py_mod_exec, li_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef li_def = {
    PyModuleDef_HEAD_INIT, "lazy_import", "Imports a module from inside a call.", 0, li_methods,
    li_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_lazy_import(void)
{
    return PyModuleDef_Init(&li_def);
}
