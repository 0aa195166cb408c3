/* gilgate: the thread state layout (3.14t). Extensions rarely touch it directly; the
 * trashcan macros read delete_later. Layout from abi-layouts.md (`_ts`). */
#ifndef GILGATE_CPYTHON_PYSTATE_H
#define GILGATE_CPYTHON_PYSTATE_H
#ifdef __cplusplus
extern "C" {
#endif

typedef int (*Py_tracefunc)(PyObject *, PyFrameObject *, int, PyObject *);

#define PyTrace_CALL 0
#define PyTrace_EXCEPTION 1
#define PyTrace_LINE 2
#define PyTrace_RETURN 3
#define PyTrace_C_CALL 4
#define PyTrace_C_EXCEPTION 5
#define PyTrace_C_RETURN 6
#define PyTrace_OPCODE 7

/* The handled-exception stack of a frame or generator. */
typedef struct _err_stackitem {
    PyObject *exc_value;
    struct _err_stackitem *previous_item;
} _PyErr_StackItem;

typedef struct _stack_chunk {
    struct _stack_chunk *previous;
    size_t size;
    size_t top;
    PyObject *data[1];
} _PyStackChunk;

#define Py_MAX_SCRIPT_PATH_SIZE 512
typedef struct {
    int32_t debugger_pending_call;
    char debugger_script_path[Py_MAX_SCRIPT_PATH_SIZE];
} _PyRemoteDebuggerSupport;

struct _PyInterpreterFrame;

struct _ts {
    PyThreadState *prev;
    PyThreadState *next;
    PyInterpreterState *interp;
    uintptr_t eval_breaker;
    struct {
        unsigned int initialized : 1;
        unsigned int bound : 1;
        unsigned int unbound : 1;
        unsigned int bound_gilstate : 1;
        unsigned int active : 1;
        unsigned int finalizing : 1;
        unsigned int cleared : 1;
        unsigned int finalized : 1;
        unsigned int : 24;
    } _status;
    int holds_gil;
    int _whence;
    int state;
    int py_recursion_remaining;
    int py_recursion_limit;
    int recursion_headroom;
    int tracing;
    int what_event;
    struct _PyInterpreterFrame *current_frame;
    Py_tracefunc c_profilefunc;
    Py_tracefunc c_tracefunc;
    PyObject *c_profileobj;
    PyObject *c_traceobj;
    PyObject *current_exception;
    _PyErr_StackItem *exc_info;
    PyObject *dict;
    int gilstate_counter;
    PyObject *async_exc;
    unsigned long thread_id;
    unsigned long native_thread_id;
    PyObject *delete_later;     /* objects whose deallocation the trashcan postponed */
    uintptr_t critical_section; /* top of the critical-section stack, tagged */
    int coroutine_origin_tracking_depth;
    PyObject *async_gen_firstiter;
    PyObject *async_gen_finalizer;
    PyObject *context;
    uint64_t context_ver;
    uint64_t id;
    _PyStackChunk *datastack_chunk;
    PyObject **datastack_top;
    PyObject **datastack_limit;
    _PyErr_StackItem exc_state;
    PyObject *current_executor;
    uint64_t dict_global_version;
    PyObject *threading_local_key;
    PyObject *threading_local_sentinel;
    _PyRemoteDebuggerSupport remote_debugger_support;
    _PyStackChunk *datastack_cached_chunk;
};

PyAPI_FUNC(int) _Py_ReachedRecursionLimitWithMargin(PyThreadState *tstate, int margin_count);
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_Head(void);
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_Next(PyInterpreterState *interp);
PyAPI_FUNC(PyThreadState *) PyInterpreterState_ThreadHead(PyInterpreterState *interp);
PyAPI_FUNC(PyThreadState *) PyThreadState_Next(PyThreadState *tstate);
PyAPI_FUNC(void) PyThreadState_DeleteCurrent(void);

/* Postpone deep deallocation chains: a tp_dealloc body goes between these. */
#define Py_TRASHCAN_BEGIN(op, dealloc)                                                       \
    do {                                                                                     \
        PyThreadState *tstate = PyThreadState_Get();                                         \
        if (_Py_ReachedRecursionLimitWithMargin(tstate, 2) &&                                \
            Py_TYPE(op)->tp_dealloc == (destructor)(dealloc)) {                              \
            _PyTrash_thread_deposit_object(tstate, (PyObject *)(op));                        \
            break;                                                                           \
        }
#define Py_TRASHCAN_END                                                                      \
        if (tstate->delete_later && !_Py_ReachedRecursionLimitWithMargin(tstate, 4)) {       \
            _PyTrash_thread_destroy_chain(tstate);                                           \
        }                                                                                    \
    } while (0);


PyAPI_FUNC(void) PyUnstable_ThreadState_ResetStackProtection(PyThreadState *);
PyAPI_FUNC(int) PyUnstable_ThreadState_SetStackProtection(PyThreadState *, void *, size_t);

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_CPYTHON_PYSTATE_H */
