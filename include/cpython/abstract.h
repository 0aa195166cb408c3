/* gilgate: cpython/abstract.h of CPython 3.14's API (declarations; the runtime exports every name). */
#ifndef Py_CPYTHON_ABSTRACT_H
#define Py_CPYTHON_ABSTRACT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) _PyStack_AsDict(PyObject *const *, PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_ABSTRACT_H */
