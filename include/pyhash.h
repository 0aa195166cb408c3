/* gilgate: hashing helpers. */
#ifndef Py_HASH_H
#define Py_HASH_H
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

/* The string hash algorithm CPython 3.14 is built with (siphash13). */
#define Py_HASH_EXTERNAL 0
#define Py_HASH_SIPHASH24 1
#define Py_HASH_FNV 2
#define Py_HASH_SIPHASH13 3
#define Py_HASH_ALGORITHM Py_HASH_SIPHASH13
/* Strings shorter than this use a simpler hash; 0: never. */
#define Py_HASH_CUTOFF 0

/* The older private spellings of the numeric hash parameters. */
#define _PyHASH_BITS PyHASH_BITS
#define _PyHASH_MODULUS PyHASH_MODULUS
#define _PyHASH_INF PyHASH_INF
#define _PyHASH_IMAG PyHASH_IMAG
#define _PyHASH_MULTIPLIER PyHASH_MULTIPLIER

static inline Py_hash_t _Py_HashPointer(const void *ptr) { return Py_HashPointer(ptr); }

#ifdef __cplusplus
}
#endif
#endif /* Py_HASH_H */
