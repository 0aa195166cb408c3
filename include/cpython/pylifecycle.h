/* gilgate: interpreter life cycle and subinterpreter configuration (embedding API).
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_PYLIFECYCLE_H
#define Py_CPYTHON_PYLIFECYCLE_H
#ifdef __cplusplus
extern "C" {
#endif
#define PyInterpreterConfig_DEFAULT_GIL (0)
#define PyInterpreterConfig_SHARED_GIL (1)
#define PyInterpreterConfig_OWN_GIL (2)
/* How a subinterpreter is set up (Py_NewInterpreterFromConfig). */
typedef struct {
    int use_main_obmalloc;
    int allow_fork;
    int allow_exec;
    int allow_threads;
    int allow_daemon_threads;
    int check_multi_interp_extensions;
    int gil;
} PyInterpreterConfig;
#define _PyInterpreterConfig_INIT { \
        .use_main_obmalloc = 0, .allow_fork = 0, .allow_exec = 0, .allow_threads = 1, \
        .allow_daemon_threads = 0, .check_multi_interp_extensions = 1, \
        .gil = PyInterpreterConfig_OWN_GIL, }
#define _PyInterpreterConfig_LEGACY_CHECK_MULTI_INTERP_EXTENSIONS 1
#define _PyInterpreterConfig_LEGACY_INIT { \
        .use_main_obmalloc = 1, .allow_fork = 1, .allow_exec = 1, .allow_threads = 1, \
        .allow_daemon_threads = 1, \
        .check_multi_interp_extensions = _PyInterpreterConfig_LEGACY_CHECK_MULTI_INTERP_EXTENSIONS, \
        .gil = PyInterpreterConfig_SHARED_GIL, }
typedef void (*atexit_datacallbackfunc)(void *data);

PyAPI_FUNC(int) PyUnstable_AtExit(PyInterpreterState *, atexit_datacallbackfunc, void *);
PyAPI_FUNC(void) Py_ExitStatusException(PyStatus);
PyAPI_FUNC(int) Py_FdIsInteractive(FILE *, const char *);
PyAPI_FUNC(int) Py_FrozenMain(int, char **);
PyAPI_FUNC(PyStatus) Py_InitializeFromConfig(const PyConfig *);
PyAPI_FUNC(PyStatus) Py_NewInterpreterFromConfig(PyThreadState **, const PyInterpreterConfig *);
PyAPI_FUNC(PyStatus) Py_PreInitialize(const PyPreConfig *);
PyAPI_FUNC(PyStatus) Py_PreInitializeFromArgs(const PyPreConfig *, Py_ssize_t, wchar_t **);
PyAPI_FUNC(PyStatus) Py_PreInitializeFromBytesArgs(const PyPreConfig *, Py_ssize_t, char **);
PyAPI_FUNC(int) Py_RunMain(void);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_PYLIFECYCLE_H */
