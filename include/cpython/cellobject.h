/* gilgate: cell objects. */
#ifndef Py_CELLOBJECT_H
#define Py_CELLOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    PyObject_HEAD
    PyObject *ob_ref;   /* the content, or NULL when empty */
} PyCellObject;

PyAPI_DATA(PyTypeObject) PyCell_Type;
#define PyCell_Check(op) Py_IS_TYPE((op), &PyCell_Type)
PyAPI_FUNC(PyObject *) PyCell_New(PyObject *obj);
PyAPI_FUNC(PyObject *) PyCell_Get(PyObject *cell);
PyAPI_FUNC(int) PyCell_Set(PyObject *cell, PyObject *value);


/* Borrowed read and plain store of a cell's content (no reference count changes on set). */
static inline PyObject *PyCell_GET(PyObject *op) { return ((PyCellObject *)op)->ob_ref; }
static inline void PyCell_SET(PyObject *op, PyObject *value) { ((PyCellObject *)op)->ob_ref = value; }

#define PyCell_GET(op) PyCell_GET(_PyObject_CAST(op))
#define PyCell_SET(op, value) PyCell_SET(_PyObject_CAST(op), (value))

#ifdef __cplusplus
}
#endif
#endif /* Py_CELLOBJECT_H */
