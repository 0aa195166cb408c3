/* gilgate: frame objects (opaque; include "frameobject.h"). */
#ifndef GILGATE_FRAMEOBJECT_H
#define GILGATE_FRAMEOBJECT_H
#include "pyframe.h"
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyFrameObject *) PyFrame_New(PyThreadState *tstate, PyCodeObject *code, PyObject *globals,
                                        PyObject *locals);

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_FRAMEOBJECT_H */
