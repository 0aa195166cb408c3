/* gilgate: import helpers of the CPython-specific API.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_IMPORT_H
#define Py_CPYTHON_IMPORT_H
#ifdef __cplusplus
extern "C" {
#endif
struct _frozen;

PyAPI_DATA(const struct _frozen *) PyImport_FrozenModules;
PyAPI_FUNC(PyObject *) PyImport_ImportModuleAttr(PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyImport_ImportModuleAttrString(const char *, const char *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_IMPORT_H */
