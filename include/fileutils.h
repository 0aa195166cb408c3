/* gilgate: locale encoding of file names.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_FILEUTILS_H
#define Py_FILEUTILS_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(wchar_t *) Py_DecodeLocale(const char *, size_t *);
PyAPI_FUNC(char *) Py_EncodeLocale(const wchar_t *, size_t *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_FILEUTILS_H */
