/* Reads gilgate's `array.array` the way C extensions do: through PyObject_GetBuffer, and
   through the object's fields as Cython's `cpython.array` (arrayarray.h) does inline. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* CPython 3.14t's arraydescr and arrayobject, declared here as Cython declares them. */
struct arraydescr {
    char typecode;
    int itemsize;
    PyObject *(*getitem)(PyObject *, Py_ssize_t);
    int (*setitem)(PyObject *, Py_ssize_t, PyObject *);
    int (*compareitems)(const void *, const void *, Py_ssize_t);
    const char *formats;
    int is_integer_type;
    int is_signed;
};

typedef struct {
    PyObject_VAR_HEAD
    char *ob_item;
    Py_ssize_t allocated;
    const struct arraydescr *ob_descr;
    PyObject *weakreflist;
    Py_ssize_t ob_exports;
} arrayobject;

static char out[512];

static void add(const char *s) { strncat(out, s, sizeof(out) - strlen(out) - 1); }

static PyObject *check(PyObject *self, PyObject *unused) {
    char line[128];
    out[0] = 0;
    PyObject *mod = PyImport_ImportModule("array");
    if (!mod) return NULL;
    PyObject *a = PyObject_CallMethod(mod, "array", "s[iii]", "i", 1, 2, 3);
    Py_DECREF(mod);
    if (!a) return NULL;

    Py_buffer view;
    if (PyObject_GetBuffer(a, &view, PyBUF_FULL) < 0) { Py_DECREF(a); return NULL; }
    int *p = (int *)view.buf;
    snprintf(line, sizeof line, "buf len=%zd itemsize=%zd format=%s ndim=%d shape=%zd items=%d,%d,%d;",
             view.len, view.itemsize, view.format, view.ndim, view.shape[0], p[0], p[1], p[2]);
    add(line);
    p[1] = 20; /* writable */
    PyObject *r = PyObject_CallMethod(a, "append", "i", 4);
    if (r == NULL && PyErr_ExceptionMatches(PyExc_BufferError)) {
        add(" append while exported: BufferError;");
        PyErr_Clear();
    } else {
        Py_XDECREF(r);
        add(" append while exported: no error;");
    }
    PyBuffer_Release(&view);
    r = PyObject_CallMethod(a, "append", "i", 4);
    if (!r) { Py_DECREF(a); return NULL; }
    Py_DECREF(r);

    arrayobject *ao = (arrayobject *)a;
    int *items = (int *)ao->ob_item;
    snprintf(line, sizeof line, " fields size=%zd typecode=%c itemsize=%d exports=%zd items=%d,%d,%d,%d;",
             Py_SIZE(a), ao->ob_descr->typecode, ao->ob_descr->itemsize, ao->ob_exports,
             items[0], items[1], items[2], items[3]);
    add(line);
    PyObject *first = ao->ob_descr->getitem(a, 1);
    if (!first) { Py_DECREF(a); return NULL; }
    snprintf(line, sizeof line, " getitem(1)=%ld;", PyLong_AsLong(first));
    add(line);
    Py_DECREF(first);
    /* Cython's resize: PyMem_Realloc the items, then set the size */
    char *grown = PyMem_Realloc(ao->ob_item, 6 * sizeof(int));
    if (!grown) { Py_DECREF(a); return PyErr_NoMemory(); }
    ao->ob_item = grown;
    ao->allocated = 6;
    Py_SET_SIZE(a, 6);
    ((int *)grown)[4] = 50;
    ((int *)grown)[5] = 60;
    PyObject *l = PyObject_CallMethod(a, "tolist", NULL);
    Py_DECREF(a);
    if (!l) return NULL;
    PyObject *lr = PyObject_Repr(l);
    Py_DECREF(l);
    if (!lr) return NULL;
    snprintf(line, sizeof line, " after resize %s", PyUnicode_AsUTF8(lr));
    Py_DECREF(lr);
    add(line);
    return PyUnicode_FromString(out);
}

static PyMethodDef methods[] = {
    {"check", check, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "arrcheck", NULL, 0, methods};

PyMODINIT_FUNC PyInit_arrcheck(void) { return PyModule_Create(&def); }
