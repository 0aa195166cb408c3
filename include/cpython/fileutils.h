/* gilgate: cpython/fileutils.h of CPython 3.14's API (declarations; the runtime exports every name). */
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
