/* gilgate: the tuple layout (3.14: cached hash before the items). */
#ifndef GILGATE_CPYTHON_TUPLEOBJECT_H
#define GILGATE_CPYTHON_TUPLEOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    Py_hash_t ob_hash;      /* -1 until computed (3.14+) */
    PyObject *ob_item[1];   /* ob_size items */
} PyTupleObject;

PyAPI_FUNC(int) _PyTuple_Resize(PyObject **p, Py_ssize_t newsize);

#define _PyTuple_CAST(op) ((PyTupleObject *)(op))

static inline Py_ssize_t PyTuple_GET_SIZE(PyObject *op)
{
    return Py_SIZE(op);
}
#define PyTuple_GET_SIZE(op) PyTuple_GET_SIZE(_PyObject_CAST(op))

#define PyTuple_GET_ITEM(op, index) (_PyTuple_CAST(op)->ob_item[(index)])

static inline void PyTuple_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value)
{
    _PyTuple_CAST(op)->ob_item[index] = value;
}
#define PyTuple_SET_ITEM(op, index, value) \
    PyTuple_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))

#endif /* GILGATE_CPYTHON_TUPLEOBJECT_H */
