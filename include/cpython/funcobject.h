/* gilgate: function, classmethod and staticmethod types (the function layout is
 * internal to the runtime and not declared). */
#ifndef GILGATE_CPYTHON_FUNCOBJECT_H
#define GILGATE_CPYTHON_FUNCOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_CPYTHON_FUNCOBJECT_H */
