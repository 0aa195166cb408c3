/* buffers_demo: the buffer protocol from both sides. Functions consume any buffer
 * (bytes, bytearray, memoryview, or this module's own type) with PyObject_GetBuffer, and the
 * Ring type exports its storage as a writable buffer through tp_as_buffer, as array-like
 * extensions do. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* checksum(buf): the sum of the bytes, modulo 2**32. */
static PyObject *
bd_checksum(PyObject *Py_UNUSED(module), PyObject *obj)
{
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)view.buf;
    unsigned long sum = 0;
    for (Py_ssize_t i = 0; i < view.len; i++) {
        sum = (sum + p[i]) & 0xffffffffUL;
    }
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(sum);
}

/* fill(buf, value): set every byte of a writable buffer; returns the count. */
static PyObject *
bd_fill(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer view;
    int value;
    if (!PyArg_ParseTuple(args, "w*i:fill", &view, &value)) {
        return NULL;
    }
    if (value < 0 || value > 255) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "byte must be in range(0, 256)");
        return NULL;
    }
    memset(view.buf, value, (size_t)view.len);
    Py_ssize_t n = view.len;
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(n);
}

/* info(buf): (len, itemsize, ndim, readonly, format) of a PyBUF_RECORDS_RO view. */
static PyObject *
bd_info(PyObject *Py_UNUSED(module), PyObject *obj)
{
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_RECORDS_RO) < 0) {
        return NULL;
    }
    PyObject *res = Py_BuildValue("(nniOs)", view.len, view.itemsize, view.ndim,
                                  view.readonly ? Py_True : Py_False,
                                  view.format ? view.format : "B");
    PyBuffer_Release(&view);
    return res;
}

/* hexlify(buf) -> bytes (the "y*" converter) */
static PyObject *
bd_hexlify(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer view;
    static const char digits[] = "0123456789abcdef";
    if (!PyArg_ParseTuple(args, "y*:hexlify", &view)) {
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, view.len * 2);
    if (out != NULL) {
        char *dst = PyBytes_AS_STRING(out);
        const unsigned char *src = (const unsigned char *)view.buf;
        for (Py_ssize_t i = 0; i < view.len; i++) {
            dst[2 * i] = digits[src[i] >> 4];
            dst[2 * i + 1] = digits[src[i] & 15];
        }
    }
    PyBuffer_Release(&view);
    return out;
}

typedef struct {
    PyObject_HEAD
    Py_ssize_t size;
    Py_ssize_t exports;
    unsigned char *data;
} RingObject;

static PyObject *
Ring_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"size", NULL};
    Py_ssize_t size;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n:Ring", kwlist, &size)) {
        return NULL;
    }
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "size must be >= 0");
        return NULL;
    }
    RingObject *self = (RingObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->data = PyMem_Calloc((size_t)(size ? size : 1), 1);
    if (self->data == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->size = size;
    self->exports = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        self->data[i] = (unsigned char)i;
    }
    return (PyObject *)self;
}

static void
Ring_dealloc(PyObject *op)
{
    PyMem_Free(((RingObject *)op)->data);
    Py_TYPE(op)->tp_free(op);
}

static int
Ring_getbuffer(PyObject *op, Py_buffer *view, int flags)
{
    RingObject *self = (RingObject *)op;
    if (PyBuffer_FillInfo(view, op, self->data, self->size, 0, flags) < 0) {
        return -1;
    }
    self->exports++;
    return 0;
}

static void
Ring_releasebuffer(PyObject *op, Py_buffer *Py_UNUSED(view))
{
    ((RingObject *)op)->exports--;
}

static PyObject *
Ring_exports(PyObject *op, void *Py_UNUSED(closure))
{
    return PyLong_FromSsize_t(((RingObject *)op)->exports);
}

static PyObject *
Ring_repr(PyObject *op)
{
    RingObject *self = (RingObject *)op;
    return PyUnicode_FromFormat("Ring(%zd, first=%d)", self->size,
                                self->size ? self->data[0] : -1);
}

static PyBufferProcs Ring_as_buffer = {
    .bf_getbuffer = Ring_getbuffer,
    .bf_releasebuffer = Ring_releasebuffer,
};

static PyGetSetDef Ring_getset[] = {
    {"exports", Ring_exports, NULL, "buffers currently exported", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject RingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "buffers_demo.Ring",
    .tp_doc = PyDoc_STR("Ring(size): size bytes 0, 1, 2, ... exported as a writable buffer"),
    .tp_basicsize = sizeof(RingObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Ring_new,
    .tp_dealloc = Ring_dealloc,
    .tp_repr = Ring_repr,
    .tp_as_buffer = &Ring_as_buffer,
    .tp_getset = Ring_getset,
};

static PyMethodDef bd_methods[] = {
    {"checksum", bd_checksum, METH_O, "Sum of the bytes modulo 2**32."},
    {"fill", bd_fill, METH_VARARGS, "Set every byte of a writable buffer."},
    {"info", bd_info, METH_O, "(len, itemsize, ndim, readonly, format)"},
    {"hexlify", bd_hexlify, METH_VARARGS, "Hex digits of the bytes."},
    {NULL, NULL, 0, NULL},
};

static int
bd_exec(PyObject *m)
{
    if (PyType_Ready(&RingType) < 0) {
        return -1;
    }
    return PyModule_AddType(m, &RingType);
}

static PyModuleDef_Slot bd_slots[] = {
    {Py_mod_exec, bd_exec},
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef bd_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "buffers_demo",
    .m_doc = "The buffer protocol, consumed and exported.",
    .m_size = 0,
    .m_methods = bd_methods,
    .m_slots = bd_slots,
};

PyMODINIT_FUNC
PyInit_buffers_demo(void)
{
    return PyModuleDef_Init(&bd_module);
}
