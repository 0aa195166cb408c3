/* gilgate: the _Py_atomic_* operations of CPython 3.13+ (cpython/pyatomic.h), as static inline
 * functions over the GCC/Clang __atomic builtins. Every operation is sequentially consistent
 * unless its name says otherwise (_relaxed, _acquire, _release). Read-modify-write operations
 * return the previous value; compare_exchange returns 1 on success and otherwise stores the
 * value it found in *expected. */
#ifndef GILGATE_CPYTHON_PYATOMIC_H
#define GILGATE_CPYTHON_PYATOMIC_H

#define _GG_SEQ __ATOMIC_SEQ_CST

/* add, compare_exchange, exchange, load/store (plain and relaxed) for one integer type */
#define _GG_ATOMIC_INT_OPS(N, T)                                                            \
    static inline T _Py_atomic_add_##N(T *obj, T value)                                     \
    {                                                                                       \
        return __atomic_fetch_add(obj, value, _GG_SEQ);                                     \
    }                                                                                       \
    static inline int _Py_atomic_compare_exchange_##N(T *obj, T *expected, T desired)       \
    {                                                                                       \
        return __atomic_compare_exchange_n(obj, expected, desired, 0, _GG_SEQ, _GG_SEQ);    \
    }                                                                                       \
    static inline T _Py_atomic_exchange_##N(T *obj, T value)                                \
    {                                                                                       \
        return __atomic_exchange_n(obj, value, _GG_SEQ);                                    \
    }                                                                                       \
    static inline T _Py_atomic_load_##N(const T *obj)                                       \
    {                                                                                       \
        return __atomic_load_n(obj, _GG_SEQ);                                               \
    }                                                                                       \
    static inline T _Py_atomic_load_##N##_relaxed(const T *obj)                             \
    {                                                                                       \
        return __atomic_load_n(obj, __ATOMIC_RELAXED);                                      \
    }                                                                                       \
    static inline void _Py_atomic_store_##N(T *obj, T value)                                \
    {                                                                                       \
        __atomic_store_n(obj, value, _GG_SEQ);                                              \
    }                                                                                       \
    static inline void _Py_atomic_store_##N##_relaxed(T *obj, T value)                      \
    {                                                                                       \
        __atomic_store_n(obj, value, __ATOMIC_RELAXED);                                     \
    }

/* and / or, for the unsigned types */
#define _GG_ATOMIC_BIT_OPS(N, T)                                                            \
    static inline T _Py_atomic_and_##N(T *obj, T value)                                     \
    {                                                                                       \
        return __atomic_fetch_and(obj, value, _GG_SEQ);                                     \
    }                                                                                       \
    static inline T _Py_atomic_or_##N(T *obj, T value)                                      \
    {                                                                                       \
        return __atomic_fetch_or(obj, value, _GG_SEQ);                                      \
    }

/* relaxed load/store only (the plain C types CPython 3.14 adds) */
#define _GG_ATOMIC_RELAXED_OPS(N, T)                                                        \
    static inline T _Py_atomic_load_##N##_relaxed(const T *obj)                             \
    {                                                                                       \
        return __atomic_load_n(obj, __ATOMIC_RELAXED);                                      \
    }                                                                                       \
    static inline void _Py_atomic_store_##N##_relaxed(T *obj, T value)                      \
    {                                                                                       \
        __atomic_store_n(obj, value, __ATOMIC_RELAXED);                                     \
    }

/* acquire loads and release stores */
#define _GG_ATOMIC_ACQ_REL_OPS(N, T)                                                        \
    static inline T _Py_atomic_load_##N##_acquire(const T *obj)                             \
    {                                                                                       \
        return __atomic_load_n(obj, __ATOMIC_ACQUIRE);                                      \
    }                                                                                       \
    static inline void _Py_atomic_store_##N##_release(T *obj, T value)                      \
    {                                                                                       \
        __atomic_store_n(obj, value, __ATOMIC_RELEASE);                                     \
    }

_GG_ATOMIC_INT_OPS(int, int)
_GG_ATOMIC_INT_OPS(int8, int8_t)
_GG_ATOMIC_INT_OPS(int16, int16_t)
_GG_ATOMIC_INT_OPS(int32, int32_t)
_GG_ATOMIC_INT_OPS(int64, int64_t)
_GG_ATOMIC_INT_OPS(intptr, intptr_t)
_GG_ATOMIC_INT_OPS(uint, unsigned int)
_GG_ATOMIC_INT_OPS(uint8, uint8_t)
_GG_ATOMIC_INT_OPS(uint16, uint16_t)
_GG_ATOMIC_INT_OPS(uint32, uint32_t)
_GG_ATOMIC_INT_OPS(uint64, uint64_t)
_GG_ATOMIC_INT_OPS(uintptr, uintptr_t)
_GG_ATOMIC_INT_OPS(ssize, Py_ssize_t)

_GG_ATOMIC_BIT_OPS(uint8, uint8_t)
_GG_ATOMIC_BIT_OPS(uint16, uint16_t)
_GG_ATOMIC_BIT_OPS(uint32, uint32_t)
_GG_ATOMIC_BIT_OPS(uint64, uint64_t)
_GG_ATOMIC_BIT_OPS(uintptr, uintptr_t)

_GG_ATOMIC_RELAXED_OPS(char, char)
_GG_ATOMIC_RELAXED_OPS(uchar, unsigned char)
_GG_ATOMIC_RELAXED_OPS(short, short)
_GG_ATOMIC_RELAXED_OPS(ushort, unsigned short)
_GG_ATOMIC_RELAXED_OPS(long, long)
_GG_ATOMIC_RELAXED_OPS(ulong, unsigned long)
_GG_ATOMIC_RELAXED_OPS(llong, long long)
_GG_ATOMIC_RELAXED_OPS(ullong, unsigned long long)

/* floating point goes through the generic (non-_n) builtins */
static inline float _Py_atomic_load_float_relaxed(const float *obj)
{
    float v;
    __atomic_load(obj, &v, __ATOMIC_RELAXED);
    return v;
}
static inline void _Py_atomic_store_float_relaxed(float *obj, float value)
{
    __atomic_store(obj, &value, __ATOMIC_RELAXED);
}
static inline double _Py_atomic_load_double_relaxed(const double *obj)
{
    double v;
    __atomic_load(obj, &v, __ATOMIC_RELAXED);
    return v;
}
static inline void _Py_atomic_store_double_relaxed(double *obj, double value)
{
    __atomic_store(obj, &value, __ATOMIC_RELAXED);
}

_GG_ATOMIC_ACQ_REL_OPS(int, int)
_GG_ATOMIC_ACQ_REL_OPS(uint32, uint32_t)
_GG_ATOMIC_ACQ_REL_OPS(uint64, uint64_t)
_GG_ATOMIC_ACQ_REL_OPS(uintptr, uintptr_t)
_GG_ATOMIC_ACQ_REL_OPS(ssize, Py_ssize_t)

/* Pointers: `obj` is the address of a pointer variable. */
static inline void *_Py_atomic_load_ptr(const void *obj)
{
    return __atomic_load_n((void *const *)obj, _GG_SEQ);
}
static inline void *_Py_atomic_load_ptr_relaxed(const void *obj)
{
    return __atomic_load_n((void *const *)obj, __ATOMIC_RELAXED);
}
static inline void *_Py_atomic_load_ptr_acquire(const void *obj)
{
    return __atomic_load_n((void *const *)obj, __ATOMIC_ACQUIRE);
}
static inline void _Py_atomic_store_ptr(void *obj, void *value)
{
    __atomic_store_n((void **)obj, value, _GG_SEQ);
}
static inline void _Py_atomic_store_ptr_relaxed(void *obj, void *value)
{
    __atomic_store_n((void **)obj, value, __ATOMIC_RELAXED);
}
static inline void _Py_atomic_store_ptr_release(void *obj, void *value)
{
    __atomic_store_n((void **)obj, value, __ATOMIC_RELEASE);
}
static inline void *_Py_atomic_exchange_ptr(void *obj, void *value)
{
    return __atomic_exchange_n((void **)obj, value, _GG_SEQ);
}
static inline int _Py_atomic_compare_exchange_ptr(void *obj, void *expected, void *desired)
{
    return __atomic_compare_exchange_n((void **)obj, (void **)expected, desired, 0, _GG_SEQ, _GG_SEQ);
}

static inline void _Py_atomic_fence_seq_cst(void)
{
    __atomic_thread_fence(_GG_SEQ);
}
static inline void _Py_atomic_fence_acquire(void)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}
static inline void _Py_atomic_fence_release(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

#undef _GG_ATOMIC_INT_OPS
#undef _GG_ATOMIC_BIT_OPS
#undef _GG_ATOMIC_RELAXED_OPS
#undef _GG_ATOMIC_ACQ_REL_OPS

#endif /* GILGATE_CPYTHON_PYATOMIC_H */
