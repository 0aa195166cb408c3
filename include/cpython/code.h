/* gilgate: code objects. The layout is CPython 3.14t's (free-threaded), because extensions
 * read and write its fields directly (Cython sets _co_firsttraceable, reads co_filename and
 * co_name). gilgate runs no bytecode: its code objects carry names, line numbers and the
 * tuples they were made with, and no instructions to execute. */
#ifndef Py_CODE_H
#define Py_CODE_H
#ifdef __cplusplus
extern "C" {
#endif

/* Runtime-private parts a code object points to; never dereferenced by extensions. */
typedef struct _PyExecutorArray _PyExecutorArray;
typedef struct _PyCoCached _PyCoCached;
typedef struct _PyCodeArray _PyCodeArray;
struct _PyCoMonitoringData;

/* Field order and types as in CPython 3.14t; 240 bytes with the one-unit tail. */
struct PyCodeObject {
    PyObject_VAR_HEAD
    PyObject *co_consts;
    PyObject *co_names;
    PyObject *co_exceptiontable;
    int co_flags;
    int co_argcount;
    int co_posonlyargcount;
    int co_kwonlyargcount;
    int co_stacksize;
    int co_firstlineno;
    int co_nlocalsplus;
    int co_framesize;
    int co_nlocals;
    int co_ncellvars;
    int co_nfreevars;
    uint32_t co_version;
    PyObject *co_localsplusnames; /* a tuple of names: locals, then cells, then free vars */
    PyObject *co_localspluskinds; /* bytes: one kind per name */
    PyObject *co_filename;
    PyObject *co_name;
    PyObject *co_qualname;
    PyObject *co_linetable;
    PyObject *co_weakreflist;
    _PyExecutorArray *co_executors;
    _PyCoCached *_co_cached;
    uintptr_t _co_instrumentation_version;
    struct _PyCoMonitoringData *_co_monitoring;
    Py_ssize_t _co_unique_id;
    int _co_firsttraceable;
    void *co_extra;
    _PyCodeArray *co_tlbc;
    char co_code_adaptive[1];
};

PyAPI_DATA(PyTypeObject) PyCode_Type;
#define PyCode_Check(op) Py_IS_TYPE((op), &PyCode_Type)

#define CO_OPTIMIZED 0x0001
#define CO_NEWLOCALS 0x0002
#define CO_VARARGS 0x0004
#define CO_VARKEYWORDS 0x0008
#define CO_NESTED 0x0010
#define CO_GENERATOR 0x0020
#define CO_COROUTINE 0x0080
#define CO_ITERABLE_COROUTINE 0x0100
#define CO_ASYNC_GENERATOR 0x0200
#define CO_FUTURE_DIVISION 0x20000
#define CO_FUTURE_ABSOLUTE_IMPORT 0x40000
#define CO_FUTURE_WITH_STATEMENT 0x80000
#define CO_FUTURE_PRINT_FUNCTION 0x100000
#define CO_FUTURE_UNICODE_LITERALS 0x200000
#define CO_FUTURE_BARRY_AS_BDFL 0x400000
#define CO_FUTURE_GENERATOR_STOP 0x800000
#define CO_FUTURE_ANNOTATIONS 0x1000000
#define CO_NO_MONITORING_EVENTS 0x2000000
#define CO_HAS_DOCSTRING 0x4000000
#define CO_METHOD 0x8000000
#define CO_MAXBLOCKS 21

PyAPI_FUNC(PyCodeObject *) PyUnstable_Code_New(int argcount, int kwonlyargcount, int nlocals, int stacksize,
                                               int flags, PyObject *code, PyObject *consts, PyObject *names,
                                               PyObject *varnames, PyObject *freevars, PyObject *cellvars,
                                               PyObject *filename, PyObject *name, PyObject *qualname,
                                               int firstlineno, PyObject *linetable, PyObject *exceptiontable);
PyAPI_FUNC(PyCodeObject *) PyUnstable_Code_NewWithPosOnlyArgs(
    int argcount, int posonlyargcount, int kwonlyargcount, int nlocals, int stacksize, int flags, PyObject *code,
    PyObject *consts, PyObject *names, PyObject *varnames, PyObject *freevars, PyObject *cellvars,
    PyObject *filename, PyObject *name, PyObject *qualname, int firstlineno, PyObject *linetable,
    PyObject *exceptiontable);
PyAPI_FUNC(PyCodeObject *) PyCode_NewEmpty(const char *filename, const char *funcname, int firstlineno);
PyAPI_FUNC(int) PyCode_Addr2Line(PyCodeObject *co, int addr);
PyAPI_FUNC(PyObject *) PyCode_GetCode(PyCodeObject *co);
PyAPI_FUNC(PyObject *) PyCode_GetVarnames(PyCodeObject *co);
PyAPI_FUNC(PyObject *) PyCode_GetCellvars(PyCodeObject *co);
PyAPI_FUNC(PyObject *) PyCode_GetFreevars(PyCodeObject *co);

static inline Py_ssize_t PyCode_GetNumFree(PyCodeObject *op)
{
    return op->co_nfreevars;
}
static inline int PyUnstable_Code_GetFirstFree(PyCodeObject *op)
{
    return op->co_nlocalsplus - op->co_nfreevars;
}
static inline int PyCode_GetFirstFree(PyCodeObject *op)
{
    return PyUnstable_Code_GetFirstFree(op);
}


typedef enum {
    PY_CODE_EVENT_CREATE,
    PY_CODE_EVENT_DESTROY,
} PyCodeEvent;
typedef int (*PyCode_WatchCallback)(PyCodeEvent event, PyCodeObject *co);
PyAPI_FUNC(int) PyCode_AddWatcher(PyCode_WatchCallback);
PyAPI_FUNC(int) PyCode_Addr2Location(PyCodeObject *, int, int *, int *, int *, int *);
PyAPI_FUNC(int) PyCode_ClearWatcher(int);
PyAPI_FUNC(PyObject *) PyCode_Optimize(PyObject *, PyObject *, PyObject *, PyObject *);
PyAPI_FUNC(int) PyUnstable_Code_GetExtra(PyObject *, Py_ssize_t, void **);
PyAPI_FUNC(int) PyUnstable_Code_SetExtra(PyObject *, Py_ssize_t, void *);

/* The older spellings of the code-extra API. */
static inline int _PyCode_GetExtra(PyObject *code, Py_ssize_t index, void **extra)
{
    return PyUnstable_Code_GetExtra(code, index, extra);
}
static inline int _PyCode_SetExtra(PyObject *code, Py_ssize_t index, void *extra)
{
    return PyUnstable_Code_SetExtra(code, index, extra);
}
/* Code objects are made by the runtime (which compiles no Python): these go to the
 * PyUnstable_ constructors, stubs that say so. */
static inline PyCodeObject *PyCode_New(int a, int b, int c, int d, int e, PyObject *f, PyObject *g,
                                       PyObject *h, PyObject *i, PyObject *j, PyObject *k,
                                       PyObject *l, PyObject *m, PyObject *n, int o, PyObject *p,
                                       PyObject *q)
{
    return PyUnstable_Code_New(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q);
}
static inline PyCodeObject *PyCode_NewWithPosOnlyArgs(int a, int pos, int b, int c, int d, int e,
                                                      PyObject *f, PyObject *g, PyObject *h,
                                                      PyObject *i, PyObject *j, PyObject *k,
                                                      PyObject *l, PyObject *m, PyObject *n,
                                                      int o, PyObject *p, PyObject *q)
{
    return PyUnstable_Code_NewWithPosOnlyArgs(a, pos, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q);
}
/* The code events a watcher sees, in CPython's order. */
#define PY_FOREACH_CODE_EVENT(V) V(CREATE) V(DESTROY)

#define PY_PARSER_REQUIRES_FUTURE_KEYWORD

#ifdef __cplusplus
}
#endif
#endif /* Py_CODE_H */
