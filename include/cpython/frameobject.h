/* gilgate: frame locals helpers (frames stay opaque).
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_FRAMEOBJECT_H
#define Py_CPYTHON_FRAMEOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(void) PyFrame_FastToLocals(PyFrameObject *);
PyAPI_FUNC(int) PyFrame_FastToLocalsWithError(PyFrameObject *);
PyAPI_FUNC(void) PyFrame_LocalsToFast(PyFrameObject *, int);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_FRAMEOBJECT_H */
