/* gilgate: FILE helpers taking path objects.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_FILEUTILS_H
#define Py_CPYTHON_FILEUTILS_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(int) Py_fclose(FILE *);
PyAPI_FUNC(FILE *) Py_fopen(PyObject *, const char *);
PyAPI_FUNC(FILE *) _Py_fopen_obj(PyObject *, const char *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_FILEUTILS_H */
