/* gilgate: cpython/bytesobject.h of CPython 3.14's API (declarations; the runtime exports every name). */
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
