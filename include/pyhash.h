/* gilgate: hashing helpers. */
#ifndef GILGATE_PYHASH_H
#define GILGATE_PYHASH_H
#ifdef __cplusplus
extern "C" {
#endif

#define PyHASH_MODULUS (((size_t)1 << 61) - 1)
#define PyHASH_BITS 61
#define PyHASH_INF 314159
#define PyHASH_IMAG 1000003UL
#define PyHASH_MULTIPLIER 1000003UL

PyAPI_FUNC(Py_hash_t) Py_HashPointer(const void *ptr);
PyAPI_FUNC(Py_hash_t) Py_HashBuffer(const void *ptr, Py_ssize_t len);
PyAPI_FUNC(Py_hash_t) _Py_HashDouble(PyObject *inst, double v);
PyAPI_FUNC(Py_hash_t) _Py_HashBytes(const void *src, Py_ssize_t len);

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_PYHASH_H */
