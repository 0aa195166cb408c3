/* gilgate: CPython's internal headers are not part of gilgate's API. This file exists
 * because Cython-generated code includes it for tracebacks (3.11+) and then sets
 * frame->f_lineno on a frame made by PyFrame_New. The frame object is declared with
 * CPython 3.14t's field order (96 bytes with its one-slot tail); f_frame points to
 * runtime-private data that extensions must not read. */
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
    int f_lineno;           /* the line shown in tracebacks when non-zero */
    char f_trace_lines;
    char f_trace_opcodes;
    PyObject *f_extra_locals;
    PyObject *f_locals_cache;
    PyObject *f_overwritten_fast_locals;
    PyObject *_f_frame_data[1];
};

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_INTERNAL_PYCORE_FRAME_H */
