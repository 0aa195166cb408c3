/* gilgate: PyTime_t clocks.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_PYTIME_H
#define Py_PYTIME_H
#ifdef __cplusplus
extern "C" {
#endif
/* Nanoseconds. */
typedef int64_t PyTime_t;
#define PyTime_MIN INT64_MIN
#define PyTime_MAX INT64_MAX

PyAPI_FUNC(double) PyTime_AsSecondsDouble(PyTime_t);
PyAPI_FUNC(int) PyTime_Monotonic(PyTime_t *);
PyAPI_FUNC(int) PyTime_MonotonicRaw(PyTime_t *);
PyAPI_FUNC(int) PyTime_PerfCounter(PyTime_t *);
PyAPI_FUNC(int) PyTime_PerfCounterRaw(PyTime_t *);
PyAPI_FUNC(int) PyTime_Time(PyTime_t *);
PyAPI_FUNC(int) PyTime_TimeRaw(PyTime_t *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_PYTIME_H */
