/* gilgate: audit hooks.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_AUDIT_H
#define Py_CPYTHON_AUDIT_H
#ifdef __cplusplus
extern "C" {
#endif
typedef int (*Py_AuditHookFunction)(const char *event, PyObject *args, void *userData);

PyAPI_FUNC(int) PySys_AddAuditHook(Py_AuditHookFunction, void *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_AUDIT_H */
