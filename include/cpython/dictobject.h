/* gilgate: dict watchers.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_DICTOBJECT_H
#define Py_CPYTHON_DICTOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif
/* The dict events a watcher sees, in CPython's order. */
#define PY_FOREACH_DICT_EVENT(V) V(ADDED) V(MODIFIED) V(DELETED) V(CLONED) V(CLEARED) V(DEALLOCATED)
typedef enum {
    PyDict_EVENT_ADDED,
    PyDict_EVENT_MODIFIED,
    PyDict_EVENT_DELETED,
    PyDict_EVENT_CLONED,
    PyDict_EVENT_CLEARED,
    PyDict_EVENT_DEALLOCATED,
} PyDict_WatchEvent;
typedef int (*PyDict_WatchCallback)(PyDict_WatchEvent event, PyObject *dict, PyObject *key,
                                    PyObject *new_value);

PyAPI_FUNC(int) PyDict_AddWatcher(PyDict_WatchCallback);
PyAPI_FUNC(int) PyDict_ClearWatcher(int);
PyAPI_FUNC(int) PyDict_Unwatch(int, PyObject *);
PyAPI_FUNC(int) PyDict_Watch(int, PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_DICTOBJECT_H */
