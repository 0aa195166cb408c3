/* gilgate: contextvars: Context, ContextVar and Token objects.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CONTEXT_H
#define Py_CONTEXT_H
#ifdef __cplusplus
extern "C" {
#endif
typedef struct _pycontextobject PyContext;
typedef struct _pycontextvarobject PyContextVar;
typedef struct _pycontexttokenobject PyContextToken;
#define PyContext_CheckExact(o) Py_IS_TYPE((o), &PyContext_Type)
#define PyContextVar_CheckExact(o) Py_IS_TYPE((o), &PyContextVar_Type)
#define PyContextToken_CheckExact(o) Py_IS_TYPE((o), &PyContextToken_Type)
/* What a context watcher is told: the current context changed. */
typedef enum {
    Py_CONTEXT_SWITCHED = 1,
} PyContextEvent;
typedef int (*PyContext_WatchCallback)(PyContextEvent event, PyObject *obj);

PyAPI_DATA(PyTypeObject) PyContextToken_Type;
PyAPI_FUNC(int) PyContextVar_Get(PyObject *, PyObject *, PyObject **);
PyAPI_FUNC(PyObject *) PyContextVar_New(const char *, PyObject *);
PyAPI_FUNC(int) PyContextVar_Reset(PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyContextVar_Set(PyObject *, PyObject *);
PyAPI_DATA(PyTypeObject) PyContextVar_Type;
PyAPI_FUNC(int) PyContext_AddWatcher(PyContext_WatchCallback);
PyAPI_FUNC(int) PyContext_ClearWatcher(int);
PyAPI_FUNC(PyObject *) PyContext_Copy(PyObject *);
PyAPI_FUNC(PyObject *) PyContext_CopyCurrent(void);
PyAPI_FUNC(int) PyContext_Enter(PyObject *);
PyAPI_FUNC(int) PyContext_Exit(PyObject *);
PyAPI_FUNC(PyObject *) PyContext_New(void);
PyAPI_DATA(PyTypeObject) PyContext_Type;

#ifdef __cplusplus
}
#endif
#endif /* !Py_CONTEXT_H */
