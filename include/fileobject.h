/* gilgate: file helpers. */
#ifndef Py_FILEOBJECT_H
#define Py_FILEOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

#define PY_STDIOTEXTMODE "b"

PyAPI_FUNC(PyObject *) PyFile_FromFd(int fd, const char *name, const char *mode, int buffering,
                                     const char *encoding, const char *errors, const char *newline,
                                     int closefd);
PyAPI_FUNC(PyObject *) PyFile_GetLine(PyObject *f, int n);
PyAPI_FUNC(int) PyFile_WriteObject(PyObject *obj, PyObject *f, int flags);
PyAPI_FUNC(int) PyFile_WriteString(const char *s, PyObject *f);
PyAPI_FUNC(int) PyObject_AsFileDescriptor(PyObject *o);

PyAPI_DATA(const char *) Py_FileSystemDefaultEncoding;
PyAPI_DATA(const char *) Py_FileSystemDefaultEncodeErrors;
PyAPI_DATA(int) Py_HasFileSystemDefaultEncoding;
PyAPI_DATA(int) Py_UTF8Mode;

#ifdef __cplusplus
}
#endif
#endif /* Py_FILEOBJECT_H */
