/* gilgate: file helpers of the CPython-specific API (open-code hook, std printer).
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_FILEOBJECT_H
#define Py_CPYTHON_FILEOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif
typedef PyObject *(*Py_OpenCodeHookFunction)(PyObject *path, void *userData);

PyAPI_FUNC(PyObject *) PyFile_NewStdPrinter(int);
PyAPI_FUNC(PyObject *) PyFile_OpenCode(const char *);
PyAPI_FUNC(PyObject *) PyFile_OpenCodeObject(PyObject *);
PyAPI_FUNC(int) PyFile_SetOpenCodeHook(Py_OpenCodeHookFunction, void *);
PyAPI_DATA(PyTypeObject) PyStdPrinter_Type;
PyAPI_FUNC(char *) Py_UniversalNewlineFgets(char *, int, FILE *, PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_FILEOBJECT_H */
