/* gilgate: the traceback object's layout (CPython 3.14's `struct _traceback`). pybind11 and
 * other binding libraries walk tb_next and tb_frame directly. */
#ifndef Py_CPYTHON_TRACEBACK_H
#  error "this header file must not be included directly"
#endif

typedef struct _traceback PyTracebackObject;

struct _traceback {
    PyObject_HEAD
    PyTracebackObject *tb_next; /* the next entry, towards where the error was raised */
    PyFrameObject *tb_frame;
    int tb_lasti;               /* instruction offset in the frame's code */
    int tb_lineno;
};
