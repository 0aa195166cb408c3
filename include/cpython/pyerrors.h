/* gilgate: exception object layouts (CPython-specific API). */
#ifndef GILGATE_CPYTHON_PYERRORS_H
#define GILGATE_CPYTHON_PYERRORS_H

/* Fields every exception instance starts with. */
#define PyException_HEAD        \
    PyObject_HEAD               \
    PyObject *dict;             \
    PyObject *args;             \
    PyObject *notes;            \
    PyObject *traceback;        \
    PyObject *context;          \
    PyObject *cause;            \
    char suppress_context;

typedef struct {
    PyException_HEAD
} PyBaseExceptionObject;

typedef struct {
    PyException_HEAD
    PyObject *msg;
    PyObject *excs;
    PyObject *excs_str;
} PyBaseExceptionGroupObject;

typedef struct {
    PyException_HEAD
    PyObject *msg;
    PyObject *filename;
    PyObject *lineno;
    PyObject *offset;
    PyObject *end_lineno;
    PyObject *end_offset;
    PyObject *text;
    PyObject *print_file_and_line;
    PyObject *metadata;
} PySyntaxErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *msg;
    PyObject *name;
    PyObject *path;
    PyObject *name_from;
} PyImportErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *encoding;
    PyObject *object;
    Py_ssize_t start;
    Py_ssize_t end;
    PyObject *reason;
} PyUnicodeErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *code;
} PySystemExitObject;

typedef struct {
    PyException_HEAD
    PyObject *myerrno;
    PyObject *strerror;
    PyObject *filename;
    PyObject *filename2;
    Py_ssize_t written;
} PyOSErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *value;
} PyStopIterationObject;

typedef struct {
    PyException_HEAD
    PyObject *name;
} PyNameErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *obj;
    PyObject *name;
} PyAttributeErrorObject;

typedef PyOSErrorObject PyEnvironmentErrorObject;

PyAPI_FUNC(void) _PyErr_ChainExceptions1(PyObject *exc);
PyAPI_FUNC(PyObject *) _PyErr_FormatFromCause(PyObject *exception, const char *format, ...);
PyAPI_FUNC(void) _Py_NO_RETURN _Py_FatalErrorFunc(const char *func, const char *message);
PyAPI_FUNC(PyObject *) PyErr_ProgramTextObject(PyObject *filename, int lineno);
PyAPI_FUNC(void) PyErr_SyntaxLocationObject(PyObject *filename, int lineno, int col_offset);

#define Py_FatalError(message) _Py_FatalErrorFunc(__func__, (message))


PyAPI_FUNC(void) PyErr_RangedSyntaxLocationObject(PyObject *, int, int, int, int);
PyAPI_FUNC(int) PySignal_SetWakeupFd(int);
PyAPI_FUNC(PyObject *) PyUnstable_Exc_PrepReraiseStar(PyObject *, PyObject *);

#endif /* GILGATE_CPYTHON_PYERRORS_H */
