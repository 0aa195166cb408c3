/* gilgate: the hash function description (PyHash_GetFuncDef).
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_PYHASH_H
#define Py_CPYTHON_PYHASH_H
#ifdef __cplusplus
extern "C" {
#endif
/* Description of the string hash function in use. */
typedef struct {
    Py_hash_t (*const hash)(const void *data, Py_ssize_t len);
    const char *name;
    const int hash_bits;
    const int seed_bits;
} PyHash_FuncDef;

PyAPI_FUNC(PyHash_FuncDef *) PyHash_GetFuncDef(void);
PyAPI_FUNC(Py_hash_t) PyObject_GenericHash(PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_PYHASH_H */
