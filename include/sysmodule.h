/* gilgate: the sys module's C API. */
#ifndef Py_SYSMODULE_H
#define Py_SYSMODULE_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) PySys_GetObject(const char *name);
PyAPI_FUNC(int) PySys_SetObject(const char *name, PyObject *v);
PyAPI_FUNC(void) PySys_WriteStdout(const char *format, ...);
PyAPI_FUNC(void) PySys_WriteStderr(const char *format, ...);
PyAPI_FUNC(void) PySys_FormatStdout(const char *format, ...);
PyAPI_FUNC(void) PySys_FormatStderr(const char *format, ...);
PyAPI_FUNC(PyObject *) PySys_GetXOptions(void);
PyAPI_FUNC(int) PySys_Audit(const char *event, const char *format, ...);
PyAPI_FUNC(int) PySys_AuditTuple(const char *event, PyObject *args);
#ifdef GILGATE_TARGET_3_15
PyAPI_FUNC(PyObject *) PySys_GetAttr(PyObject *name);
PyAPI_FUNC(PyObject *) PySys_GetAttrString(const char *name);
PyAPI_FUNC(int) PySys_GetOptionalAttr(PyObject *name, PyObject **result);
PyAPI_FUNC(int) PySys_GetOptionalAttrString(const char *name, PyObject **result);
#endif


PyAPI_FUNC(void) PySys_ResetWarnOptions(void);
PyAPI_FUNC(void) PySys_SetArgv(int, wchar_t **);
PyAPI_FUNC(void) PySys_SetArgvEx(int, wchar_t **, int);

#ifdef __cplusplus
}
#endif
#endif /* Py_SYSMODULE_H */
