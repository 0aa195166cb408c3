/* gilgate: bytearray objects. */
#ifndef Py_BYTEARRAYOBJECT_H
#define Py_BYTEARRAYOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_DATA(PyTypeObject) PyByteArray_Type;
PyAPI_DATA(PyTypeObject) PyByteArrayIter_Type;

#define PyByteArray_Check(op) PyObject_TypeCheck((op), &PyByteArray_Type)
#define PyByteArray_CheckExact(op) Py_IS_TYPE((op), &PyByteArray_Type)

PyAPI_FUNC(PyObject *) PyByteArray_FromObject(PyObject *o);
PyAPI_FUNC(PyObject *) PyByteArray_Concat(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyByteArray_FromStringAndSize(const char *string, Py_ssize_t len);
PyAPI_FUNC(Py_ssize_t) PyByteArray_Size(PyObject *bytearray);
PyAPI_FUNC(char *) PyByteArray_AsString(PyObject *bytearray);
PyAPI_FUNC(int) PyByteArray_Resize(PyObject *bytearray, Py_ssize_t len);

typedef struct {
    PyObject_VAR_HEAD
    Py_ssize_t ob_alloc;    /* bytes allocated */
    char *ob_bytes;         /* the allocation */
    char *ob_start;         /* first logical byte */
    Py_ssize_t ob_exports;  /* buffer exports outstanding */
} PyByteArrayObject;

PyAPI_DATA(char) _PyByteArray_empty_string[];

#define _PyByteArray_CAST(op) ((PyByteArrayObject *)(op))

static inline char *PyByteArray_AS_STRING(PyObject *op)
{
    PyByteArrayObject *self = _PyByteArray_CAST(op);
    if (Py_SIZE(self)) {
        return self->ob_start;
    }
    return _PyByteArray_empty_string;
}
#define PyByteArray_AS_STRING(self) PyByteArray_AS_STRING(_PyObject_CAST(self))

static inline Py_ssize_t PyByteArray_GET_SIZE(PyObject *op)
{
    return Py_SIZE(_PyByteArray_CAST(op));
}
#define PyByteArray_GET_SIZE(self) PyByteArray_GET_SIZE(_PyObject_CAST(self))

#ifdef __cplusplus
}
#endif
#endif /* Py_BYTEARRAYOBJECT_H */
