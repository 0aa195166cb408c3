/* gilgate: frame accessors every module sees through Python.h (CPython's pyframe.h). */
#ifndef Py_PYFRAME_H
#define Py_PYFRAME_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(int) PyFrame_GetLineNumber(PyFrameObject *frame);
PyAPI_FUNC(PyCodeObject *) PyFrame_GetCode(PyFrameObject *frame);

#ifdef __cplusplus
}
#endif

#ifndef Py_LIMITED_API
#  include "cpython/pyframe.h"
#endif
#endif /* Py_PYFRAME_H */
