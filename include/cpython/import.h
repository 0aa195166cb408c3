/* gilgate: cpython/import.h of CPython 3.14's API (declarations; the runtime exports every name). */
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
