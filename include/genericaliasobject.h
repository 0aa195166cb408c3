/* gilgate: types.GenericAlias. */
#ifndef GILGATE_GENERICALIASOBJECT_H
#define GILGATE_GENERICALIASOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) Py_GenericAlias(PyObject *origin, PyObject *args);
PyAPI_DATA(PyTypeObject) Py_GenericAliasType;

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_GENERICALIASOBJECT_H */
