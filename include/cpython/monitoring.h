/* gilgate: sys.monitoring events fired from C (PEP 669).
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_MONITORING_H
#define Py_CPYTHON_MONITORING_H
#ifdef __cplusplus
extern "C" {
#endif
/* Per-location state of the monitoring events an extension fires (PEP 669 for C code). */
typedef struct _PyMonitoringState {
    uint8_t active;
    uint8_t opaque;
} PyMonitoringState;

/* Event numbers (sys.monitoring.events); the first 11 can be enabled per code location. */
#define PY_MONITORING_EVENT_PY_START 0
#define PY_MONITORING_EVENT_PY_RESUME 1
#define PY_MONITORING_EVENT_PY_RETURN 2
#define PY_MONITORING_EVENT_PY_YIELD 3
#define PY_MONITORING_EVENT_CALL 4
#define PY_MONITORING_EVENT_LINE 5
#define PY_MONITORING_EVENT_INSTRUCTION 6
#define PY_MONITORING_EVENT_JUMP 7
#define PY_MONITORING_EVENT_BRANCH_LEFT 8
#define PY_MONITORING_EVENT_BRANCH_RIGHT 9
#define PY_MONITORING_EVENT_STOP_ITERATION 10
#define PY_MONITORING_EVENT_RAISE 11
#define PY_MONITORING_EVENT_EXCEPTION_HANDLED 12
#define PY_MONITORING_EVENT_PY_UNWIND 13
#define PY_MONITORING_EVENT_PY_THROW 14
#define PY_MONITORING_EVENT_RERAISE 15
#define PY_MONITORING_EVENT_C_RETURN 16
#define PY_MONITORING_EVENT_C_RAISE 17
#define PY_MONITORING_EVENT_BRANCH 18
#define _PY_MONITORING_LOCAL_EVENTS 11
#define PY_MONITORING_IS_INSTRUMENTED_EVENT(ev) ((ev) < _PY_MONITORING_LOCAL_EVENTS)

/* Extensions fire events only while a tool listens (state->active); the work is the runtime's. */
PyAPI_FUNC(int) _PyMonitoring_FirePyStartEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FirePyStartEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FirePyStartEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FirePyResumeEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FirePyResumeEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FirePyResumeEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FirePyReturnEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *retval);
static inline int PyMonitoring_FirePyReturnEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *retval)
{
    if (state->active) {
        return _PyMonitoring_FirePyReturnEvent(state, codelike, offset, retval);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FirePyYieldEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *retval);
static inline int PyMonitoring_FirePyYieldEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *retval)
{
    if (state->active) {
        return _PyMonitoring_FirePyYieldEvent(state, codelike, offset, retval);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireCallEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *callable, PyObject *arg0);
static inline int PyMonitoring_FireCallEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *callable, PyObject *arg0)
{
    if (state->active) {
        return _PyMonitoring_FireCallEvent(state, codelike, offset, callable, arg0);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireLineEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, int lineno);
static inline int PyMonitoring_FireLineEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, int lineno)
{
    if (state->active) {
        return _PyMonitoring_FireLineEvent(state, codelike, offset, lineno);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireJumpEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset);
static inline int PyMonitoring_FireJumpEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset)
{
    if (state->active) {
        return _PyMonitoring_FireJumpEvent(state, codelike, offset, target_offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireBranchLeftEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset);
static inline int PyMonitoring_FireBranchLeftEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset)
{
    if (state->active) {
        return _PyMonitoring_FireBranchLeftEvent(state, codelike, offset, target_offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireBranchRightEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset);
static inline int PyMonitoring_FireBranchRightEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset)
{
    if (state->active) {
        return _PyMonitoring_FireBranchRightEvent(state, codelike, offset, target_offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireCReturnEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *retval);
static inline int PyMonitoring_FireCReturnEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *retval)
{
    if (state->active) {
        return _PyMonitoring_FireCReturnEvent(state, codelike, offset, retval);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FirePyThrowEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FirePyThrowEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FirePyThrowEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireRaiseEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FireRaiseEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FireRaiseEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireReraiseEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FireReraiseEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FireReraiseEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireExceptionHandledEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FireExceptionHandledEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FireExceptionHandledEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireCRaiseEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FireCRaiseEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FireCRaiseEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FirePyUnwindEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset);
static inline int PyMonitoring_FirePyUnwindEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset)
{
    if (state->active) {
        return _PyMonitoring_FirePyUnwindEvent(state, codelike, offset);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireStopIterationEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *value);
static inline int PyMonitoring_FireStopIterationEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *value)
{
    if (state->active) {
        return _PyMonitoring_FireStopIterationEvent(state, codelike, offset, value);
    }
    return 0;
}
PyAPI_FUNC(int) _PyMonitoring_FireBranchEvent(PyMonitoringState *state, PyObject *codelike, int32_t offset, PyObject *target_offset);

PyAPI_FUNC(int) PyMonitoring_EnterScope(PyMonitoringState *, uint64_t *, const uint8_t *, Py_ssize_t);
PyAPI_FUNC(int) PyMonitoring_ExitScope(void);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_MONITORING_H */
