/* gilgate: private call helpers older extensions use.
 * Every function and object declared here is exported by the runtime. */
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
