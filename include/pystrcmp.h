/* gilgate: ASCII case-insensitive string comparison. */
#ifndef Py_STRCMP_H
#define Py_STRCMP_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(int) PyOS_mystrnicmp(const char *a, const char *b, Py_ssize_t n);
PyAPI_FUNC(int) PyOS_mystricmp(const char *a, const char *b);
#define PyOS_strnicmp PyOS_mystrnicmp
#define PyOS_stricmp PyOS_mystricmp

#ifdef __cplusplus
}
#endif
#endif /* !Py_STRCMP_H */
