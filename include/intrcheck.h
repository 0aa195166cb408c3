/* gilgate: signal and fork hooks.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_INTRCHECK_H
#define Py_INTRCHECK_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(void) PyOS_AfterFork(void);
PyAPI_FUNC(void) PyOS_AfterFork_Child(void);
PyAPI_FUNC(void) PyOS_AfterFork_Parent(void);
PyAPI_FUNC(void) PyOS_BeforeFork(void);
PyAPI_FUNC(int) PyOS_InterruptOccurred(void);

#ifdef __cplusplus
}
#endif
#endif /* !Py_INTRCHECK_H */
