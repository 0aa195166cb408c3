/* gilgate: function, classmethod and staticmethod types (the function layout is
 * internal to the runtime and not declared). */
#ifndef Py_FUNCOBJECT_H
#define Py_FUNCOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

/* The function layout is the runtime's: pointers only. */
typedef struct PyFunctionObject PyFunctionObject;
/* The function events a watcher sees, in CPython's order. */
#define PY_FOREACH_FUNC_EVENT(V) V(CREATE) V(DESTROY) V(MODIFY_CODE) V(MODIFY_DEFAULTS) V(MODIFY_KWDEFAULTS)
typedef enum {
    PyFunction_EVENT_CREATE,
    PyFunction_EVENT_DESTROY,
    PyFunction_EVENT_MODIFY_CODE,
    PyFunction_EVENT_MODIFY_DEFAULTS,
    PyFunction_EVENT_MODIFY_KWDEFAULTS,
} PyFunction_WatchEvent;
typedef int (*PyFunction_WatchCallback)(PyFunction_WatchEvent event, PyFunctionObject *func,
                                        PyObject *new_value);

PyAPI_DATA(PyTypeObject) PyFunction_Type;
PyAPI_DATA(PyTypeObject) PyClassMethod_Type;
PyAPI_DATA(PyTypeObject) PyStaticMethod_Type;
#define PyFunction_Check(op) Py_IS_TYPE((op), &PyFunction_Type)

PyAPI_FUNC(PyObject *) PyFunction_New(PyObject *code, PyObject *globals);
PyAPI_FUNC(PyObject *) PyFunction_NewWithQualName(PyObject *code, PyObject *globals, PyObject *qualname);
PyAPI_FUNC(PyObject *) PyFunction_GetCode(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetGlobals(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetModule(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetDefaults(PyObject *op);
PyAPI_FUNC(PyObject *) PyClassMethod_New(PyObject *callable);
PyAPI_FUNC(PyObject *) PyStaticMethod_New(PyObject *callable);

PyAPI_FUNC(PyObject *) PyFunction_GetKwDefaults(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetClosure(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetAnnotations(PyObject *op);
/* Borrowed references; the layout stays the runtime's, so these go through the functions. */
#define PyFunction_GET_CODE(func) PyFunction_GetCode(_PyObject_CAST(func))
#define PyFunction_GET_GLOBALS(func) PyFunction_GetGlobals(_PyObject_CAST(func))
#define PyFunction_GET_MODULE(func) PyFunction_GetModule(_PyObject_CAST(func))
#define PyFunction_GET_DEFAULTS(func) PyFunction_GetDefaults(_PyObject_CAST(func))
#define PyFunction_GET_KW_DEFAULTS(func) PyFunction_GetKwDefaults(_PyObject_CAST(func))
#define PyFunction_GET_CLOSURE(func) PyFunction_GetClosure(_PyObject_CAST(func))
#define PyFunction_GET_ANNOTATIONS(func) PyFunction_GetAnnotations(_PyObject_CAST(func))


PyAPI_FUNC(int) PyFunction_AddWatcher(PyFunction_WatchCallback);
PyAPI_FUNC(int) PyFunction_ClearWatcher(int);
PyAPI_FUNC(int) PyFunction_SetAnnotations(PyObject *, PyObject *);
PyAPI_FUNC(int) PyFunction_SetClosure(PyObject *, PyObject *);
PyAPI_FUNC(int) PyFunction_SetDefaults(PyObject *, PyObject *);
PyAPI_FUNC(int) PyFunction_SetKwDefaults(PyObject *, PyObject *);
PyAPI_FUNC(void) PyFunction_SetVectorcall(PyFunctionObject *, vectorcallfunc);

#ifdef __cplusplus
}
#endif
#endif /* Py_FUNCOBJECT_H */
