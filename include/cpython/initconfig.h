/* gilgate: PyStatus, the result of initialization functions. */
#ifndef Py_PYCORECONFIG_H
#define Py_PYCORECONFIG_H

#include <wchar.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    enum {
        _PyStatus_TYPE_OK = 0,
        _PyStatus_TYPE_ERROR = 1,
        _PyStatus_TYPE_EXIT = 2
    } _type;
    const char *func;
    const char *err_msg;
    int exitcode;
} PyStatus;

PyAPI_FUNC(PyStatus) PyStatus_Ok(void);
PyAPI_FUNC(PyStatus) PyStatus_Error(const char *err_msg);
PyAPI_FUNC(PyStatus) PyStatus_NoMemory(void);
PyAPI_FUNC(PyStatus) PyStatus_Exit(int exitcode);
PyAPI_FUNC(int) PyStatus_IsError(PyStatus err);
PyAPI_FUNC(int) PyStatus_IsExit(PyStatus err);
PyAPI_FUNC(int) PyStatus_Exception(PyStatus err);

/* The process's original command line, decoded to wide strings (owned by the runtime). */
PyAPI_FUNC(void) Py_GetArgcArgv(int *argc, wchar_t ***argv);


/* A list of wide strings. */
typedef struct {
    Py_ssize_t length;
    wchar_t **items;
} PyWideStringList;
/* The embedding configurations: gilgate is the runtime, so only pointers to them. */
typedef struct PyPreConfig PyPreConfig;
typedef struct PyConfig PyConfig;
typedef struct PyInitConfig PyInitConfig;
PyAPI_FUNC(int) PyInitConfig_AddModule(PyInitConfig *config, const char *name, PyObject *(*initfunc)(void));
PyAPI_FUNC(void) PyConfig_Clear(PyConfig *);
PyAPI_FUNC(PyObject *) PyConfig_Get(const char *);
PyAPI_FUNC(int) PyConfig_GetInt(const char *, int *);
PyAPI_FUNC(void) PyConfig_InitIsolatedConfig(PyConfig *);
PyAPI_FUNC(void) PyConfig_InitPythonConfig(PyConfig *);
PyAPI_FUNC(PyObject *) PyConfig_Names(void);
PyAPI_FUNC(PyStatus) PyConfig_Read(PyConfig *);
PyAPI_FUNC(int) PyConfig_Set(const char *, PyObject *);
PyAPI_FUNC(PyStatus) PyConfig_SetArgv(PyConfig *, Py_ssize_t, wchar_t *const *);
PyAPI_FUNC(PyStatus) PyConfig_SetBytesArgv(PyConfig *, Py_ssize_t, char *const *);
PyAPI_FUNC(PyStatus) PyConfig_SetBytesString(PyConfig *, wchar_t **, const char *);
PyAPI_FUNC(PyStatus) PyConfig_SetString(PyConfig *, wchar_t **, const wchar_t *);
PyAPI_FUNC(PyStatus) PyConfig_SetWideStringList(PyConfig *, PyWideStringList *, Py_ssize_t, wchar_t **);
PyAPI_FUNC(PyInitConfig *) PyInitConfig_Create(void);
PyAPI_FUNC(void) PyInitConfig_Free(PyInitConfig *);
PyAPI_FUNC(void) PyInitConfig_FreeStrList(size_t, char **);
PyAPI_FUNC(int) PyInitConfig_GetError(PyInitConfig *, const char **);
PyAPI_FUNC(int) PyInitConfig_GetExitCode(PyInitConfig *, int *);
PyAPI_FUNC(int) PyInitConfig_GetInt(PyInitConfig *, const char *, int64_t *);
PyAPI_FUNC(int) PyInitConfig_GetStr(PyInitConfig *, const char *, char **);
PyAPI_FUNC(int) PyInitConfig_GetStrList(PyInitConfig *, const char *, size_t *, char ***);
PyAPI_FUNC(int) PyInitConfig_HasOption(PyInitConfig *, const char *);
PyAPI_FUNC(int) PyInitConfig_SetInt(PyInitConfig *, const char *, int64_t);
PyAPI_FUNC(int) PyInitConfig_SetStr(PyInitConfig *, const char *, const char *);
PyAPI_FUNC(int) PyInitConfig_SetStrList(PyInitConfig *, const char *, size_t, char *const *);
PyAPI_FUNC(void) PyPreConfig_InitIsolatedConfig(PyPreConfig *);
PyAPI_FUNC(void) PyPreConfig_InitPythonConfig(PyPreConfig *);
PyAPI_FUNC(PyStatus) PyWideStringList_Append(PyWideStringList *, const wchar_t *);
PyAPI_FUNC(PyStatus) PyWideStringList_Insert(PyWideStringList *, Py_ssize_t, const wchar_t *);
PyAPI_FUNC(int) Py_InitializeFromInitConfig(PyInitConfig *);

#ifdef __cplusplus
}
#endif
#endif /* Py_PYCORECONFIG_H */
