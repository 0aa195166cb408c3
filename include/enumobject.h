/* gilgate: the enumerate and reversed types. */
#ifndef Py_ENUMOBJECT_H
#define Py_ENUMOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_DATA(PyTypeObject) PyEnum_Type;
PyAPI_DATA(PyTypeObject) PyReversed_Type;

#ifdef __cplusplus
}
#endif
#endif /* !Py_ENUMOBJECT_H */
