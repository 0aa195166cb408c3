/* gilgate: cell objects. */
#ifndef GILGATE_CPYTHON_CELLOBJECT_H
#define GILGATE_CPYTHON_CELLOBJECT_H
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


#ifdef __cplusplus
}
#endif
#endif /* GILGATE_CPYTHON_CELLOBJECT_H */
