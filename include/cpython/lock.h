/* gilgate: PyMutex, a one-byte lock. Bit 0 = locked, bit 1 = a waiter parked. */
#ifndef GILGATE_CPYTHON_LOCK_H
#define GILGATE_CPYTHON_LOCK_H
#ifdef __cplusplus
extern "C" {
#endif

#define _Py_UNLOCKED 0
#define _Py_LOCKED 1

typedef struct PyMutex {
    uint8_t _bits;
} PyMutex;

/* Slow paths exported by the host (the inline wrappers below shadow their names). */
PyAPI_FUNC(void) PyMutex_Lock(PyMutex *m);
PyAPI_FUNC(void) PyMutex_Unlock(PyMutex *m);
PyAPI_FUNC(int) PyMutex_IsLocked(PyMutex *m);

static inline void _PyMutex_Lock(PyMutex *m)
{
    uint8_t want_free = _Py_UNLOCKED;
    if (!__atomic_compare_exchange_n(&m->_bits, &want_free, (uint8_t)_Py_LOCKED, 0,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        PyMutex_Lock(m);
    }
}
#define PyMutex_Lock _PyMutex_Lock

static inline void _PyMutex_Unlock(PyMutex *m)
{
    uint8_t want_held = _Py_LOCKED;
    if (!__atomic_compare_exchange_n(&m->_bits, &want_held, (uint8_t)_Py_UNLOCKED, 0,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        PyMutex_Unlock(m);
    }
}
#define PyMutex_Unlock _PyMutex_Unlock

static inline int _PyMutex_IsLocked(PyMutex *m)
{
    return (__atomic_load_n(&m->_bits, __ATOMIC_RELAXED) & _Py_LOCKED) != 0;
}
#define PyMutex_IsLocked _PyMutex_IsLocked

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_CPYTHON_LOCK_H */
