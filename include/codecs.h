/* gilgate: the codec registry and the standard error handlers.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CODECREGISTRY_H
#define Py_CODECREGISTRY_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) PyCodec_BackslashReplaceErrors(PyObject *);
PyAPI_FUNC(PyObject *) PyCodec_Decode(PyObject *, const char *, const char *);
PyAPI_FUNC(PyObject *) PyCodec_Decoder(const char *);
PyAPI_FUNC(PyObject *) PyCodec_Encode(PyObject *, const char *, const char *);
PyAPI_FUNC(PyObject *) PyCodec_Encoder(const char *);
PyAPI_FUNC(PyObject *) PyCodec_IgnoreErrors(PyObject *);
PyAPI_FUNC(PyObject *) PyCodec_IncrementalDecoder(const char *, const char *);
PyAPI_FUNC(PyObject *) PyCodec_IncrementalEncoder(const char *, const char *);
PyAPI_FUNC(int) PyCodec_KnownEncoding(const char *);
PyAPI_FUNC(PyObject *) PyCodec_LookupError(const char *);
PyAPI_FUNC(PyObject *) PyCodec_NameReplaceErrors(PyObject *);
PyAPI_FUNC(int) PyCodec_Register(PyObject *);
PyAPI_FUNC(int) PyCodec_RegisterError(const char *, PyObject *);
PyAPI_FUNC(PyObject *) PyCodec_ReplaceErrors(PyObject *);
PyAPI_FUNC(PyObject *) PyCodec_StreamReader(const char *, PyObject *, const char *);
PyAPI_FUNC(PyObject *) PyCodec_StreamWriter(const char *, PyObject *, const char *);
PyAPI_FUNC(PyObject *) PyCodec_StrictErrors(PyObject *);
PyAPI_FUNC(int) PyCodec_Unregister(PyObject *);
PyAPI_FUNC(PyObject *) PyCodec_XMLCharRefReplaceErrors(PyObject *);
PyAPI_DATA(const char *) Py_hexdigits;

#ifdef __cplusplus
}
#endif
#endif /* !Py_CODECREGISTRY_H */
