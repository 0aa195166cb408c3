/* gilgate: CPython's internal headers are not part of gilgate's API. This file exists
 * because Cython-generated code includes it for tracebacks (3.11+) and then sets
 * frame->f_lineno on a frame made by PyFrame_New. Only the leading fields of the frame
 * object are declared (3.11-3.14 share them; f_lineno is at offset 56); the rest of the
 * object belongs to the runtime, so never take sizeof(PyFrameObject). */
#ifndef GILGATE_INTERNAL_PYCORE_FRAME_H
#define GILGATE_INTERNAL_PYCORE_FRAME_H
#ifdef __cplusplus
extern "C" {
#endif

struct _PyInterpreterFrame;

struct _frame {
    PyObject_HEAD
    PyFrameObject *f_back;
    struct _PyInterpreterFrame *f_frame;
    PyObject *f_trace;
    int f_lineno;           /* only meaningful when non-zero */
    char f_trace_lines;
    char f_trace_opcodes;
    /* ... runtime-private fields follow ... */
};

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_INTERNAL_PYCORE_FRAME_H */
