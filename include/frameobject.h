/* gilgate: frame objects (opaque; include "frameobject.h"). */
#ifndef Py_FRAMEOBJECT_H
#define Py_FRAMEOBJECT_H
#include "pyframe.h"
#include "cpython/frameobject.h"
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyFrameObject *) PyFrame_New(PyThreadState *tstate, PyCodeObject *code, PyObject *globals,
                                        PyObject *locals);

#ifdef __cplusplus
}
#endif
#endif /* Py_FRAMEOBJECT_H */
