/* gilgate: the deprecated Py_*Flag configuration globals.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_PYDEBUG_H
#define Py_PYDEBUG_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_DATA(int) Py_BytesWarningFlag;
PyAPI_DATA(int) Py_DebugFlag;
PyAPI_DATA(int) Py_DontWriteBytecodeFlag;
PyAPI_DATA(int) Py_FrozenFlag;
PyAPI_FUNC(char *) Py_GETENV(const char *);
PyAPI_DATA(int) Py_HashRandomizationFlag;
PyAPI_DATA(int) Py_IgnoreEnvironmentFlag;
PyAPI_DATA(int) Py_InspectFlag;
PyAPI_DATA(int) Py_InteractiveFlag;
PyAPI_DATA(int) Py_IsolatedFlag;
PyAPI_DATA(int) Py_NoSiteFlag;
PyAPI_DATA(int) Py_NoUserSiteDirectory;
PyAPI_DATA(int) Py_OptimizeFlag;
PyAPI_DATA(int) Py_QuietFlag;
PyAPI_DATA(int) Py_UnbufferedStdioFlag;
PyAPI_DATA(int) Py_VerboseFlag;

#ifdef __cplusplus
}
#endif
#endif /* !Py_PYDEBUG_H */
