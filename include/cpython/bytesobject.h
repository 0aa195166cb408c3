/* gilgate: bytes helpers of the CPython-specific API.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_BYTESOBJECT_H
#define Py_CPYTHON_BYTESOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) _PyBytes_Join(PyObject *, PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_BYTESOBJECT_H */
