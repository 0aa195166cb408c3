/* gilgate: biased reference counting as compiled into free-threaded extensions.
 * The owning thread changes ob_ref_local without atomics (relaxed); other threads
 * add to ob_ref_shared atomically. The host provides the out-of-line halves. */
#ifndef _Py_REFCOUNT_H
#define _Py_REFCOUNT_H

PyAPI_FUNC(void) _Py_DecRefShared(PyObject *op);
PyAPI_FUNC(void) _Py_DecRefSharedDebug(PyObject *op, const char *filename, int lineno);
PyAPI_FUNC(void) _Py_MergeZeroLocalRefcount(PyObject *op);
PyAPI_FUNC(void) _Py_Dealloc(PyObject *op);
PyAPI_FUNC(void) _Py_SetRefcnt(PyObject *op, Py_ssize_t refcnt);
PyAPI_FUNC(void) _Py_IncRef(PyObject *op);
PyAPI_FUNC(void) _Py_DecRef(PyObject *op);
PyAPI_FUNC(void) Py_IncRef(PyObject *op);
PyAPI_FUNC(void) Py_DecRef(PyObject *op);

static inline int _Py_IsImmortal(PyObject *op)
{
    return __atomic_load_n(&op->ob_ref_local, __ATOMIC_RELAXED) == _Py_IMMORTAL_REFCNT_LOCAL;
}
#define _Py_IsImmortal(op) _Py_IsImmortal(_PyObject_CAST(op))

static inline int _Py_IsStaticImmortal(PyObject *op)
{
    return (op->ob_flags & _Py_STATICALLY_ALLOCATED_FLAG) != 0;
}
#define _Py_IsStaticImmortal(op) _Py_IsStaticImmortal(_PyObject_CAST(op))

static inline Py_ssize_t _Py_REFCNT(PyObject *ob)
{
    uint32_t local = __atomic_load_n(&ob->ob_ref_local, __ATOMIC_RELAXED);
    if (local == _Py_IMMORTAL_REFCNT_LOCAL) {
        return _Py_IMMORTAL_INITIAL_REFCNT;
    }
    Py_ssize_t shared = __atomic_load_n(&ob->ob_ref_shared, __ATOMIC_RELAXED);
    return (Py_ssize_t)local + Py_ARITHMETIC_RIGHT_SHIFT(Py_ssize_t, shared, _Py_REF_SHARED_SHIFT);
}
#define Py_REFCNT(ob) _Py_REFCNT(_PyObject_CAST(ob))

static inline void Py_SET_REFCNT(PyObject *ob, Py_ssize_t refcnt)
{
    if (_Py_IsImmortal(ob)) {
        return;
    }
    if (_Py_IsOwnedByCurrentThread(ob)) {
        if ((size_t)refcnt > (size_t)UINT32_MAX) {
            /* Too large for the local count: the object becomes immortal. */
            ob->ob_tid = _Py_UNOWNED_TID;
            ob->ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL;
            ob->ob_ref_shared = 0;
        }
        else {
            ob->ob_ref_local = (uint32_t)refcnt;
            ob->ob_ref_shared &= _Py_REF_SHARED_FLAG_MASK;
        }
    }
    else {
        /* Someone else's object: give up ownership and keep the count shared. */
        ob->ob_tid = _Py_UNOWNED_TID;
        ob->ob_ref_local = 0;
        ob->ob_ref_shared = _Py_REF_SHARED(refcnt, _Py_REF_MERGED);
    }
}
#define Py_SET_REFCNT(ob, refcnt) Py_SET_REFCNT(_PyObject_CAST(ob), (refcnt))

static inline void Py_INCREF(PyObject *op)
{
    uint32_t local = __atomic_load_n(&op->ob_ref_local, __ATOMIC_RELAXED);
    uint32_t bumped = local + 1;
    if (bumped == 0) {
        return; /* immortal: the local count is saturated */
    }
    if (_Py_IsOwnedByCurrentThread(op)) {
        __atomic_store_n(&op->ob_ref_local, bumped, __ATOMIC_RELAXED);
    }
    else {
        __atomic_fetch_add(&op->ob_ref_shared, (Py_ssize_t)1 << _Py_REF_SHARED_SHIFT,
                           __ATOMIC_SEQ_CST);
    }
}
#define Py_INCREF(op) Py_INCREF(_PyObject_CAST(op))

static inline void Py_DECREF(PyObject *op)
{
    uint32_t local = __atomic_load_n(&op->ob_ref_local, __ATOMIC_RELAXED);
    if (local == _Py_IMMORTAL_REFCNT_LOCAL) {
        return;
    }
    if (_Py_IsOwnedByCurrentThread(op)) {
        local--;
        __atomic_store_n(&op->ob_ref_local, local, __ATOMIC_RELAXED);
        if (local == 0) {
            _Py_MergeZeroLocalRefcount(op);
        }
    }
    else {
        _Py_DecRefShared(op);
    }
}
#define Py_DECREF(op) Py_DECREF(_PyObject_CAST(op))

static inline void Py_XINCREF(PyObject *op)
{
    if (op != _Py_NULL) {
        Py_INCREF(op);
    }
}
#define Py_XINCREF(op) Py_XINCREF(_PyObject_CAST(op))

static inline void Py_XDECREF(PyObject *op)
{
    if (op != _Py_NULL) {
        Py_DECREF(op);
    }
}
#define Py_XDECREF(op) Py_XDECREF(_PyObject_CAST(op))

PyAPI_FUNC(PyObject *) Py_NewRef(PyObject *obj);
PyAPI_FUNC(PyObject *) Py_XNewRef(PyObject *obj);

static inline PyObject *_Py_NewRef(PyObject *obj)
{
    Py_INCREF(obj);
    return obj;
}

static inline PyObject *_Py_XNewRef(PyObject *obj)
{
    Py_XINCREF(obj);
    return obj;
}
#define Py_NewRef(obj) _Py_NewRef(_PyObject_CAST(obj))
#define Py_XNewRef(obj) _Py_XNewRef(_PyObject_CAST(obj))

/* Clear a reference: the variable is set to NULL before the object is released,
 * so a destructor that looks at it again sees NULL. memcpy avoids type punning. */
#define Py_CLEAR(op)                                              \
    do {                                                          \
        PyObject *gg_clear_old_;                                  \
        memcpy(&gg_clear_old_, &(op), sizeof(PyObject *));        \
        if (gg_clear_old_ != _Py_NULL) {                          \
            PyObject *gg_clear_null_ = _Py_NULL;                  \
            memcpy(&(op), &gg_clear_null_, sizeof(PyObject *));   \
            Py_DECREF(gg_clear_old_);                             \
        }                                                         \
    } while (0)

/* Replace a reference, then release the old value. */
#define Py_SETREF(dst, src)                                       \
    do {                                                          \
        PyObject *gg_setref_old_;                                 \
        memcpy(&gg_setref_old_, &(dst), sizeof(PyObject *));      \
        (dst) = (src);                                            \
        Py_DECREF(gg_setref_old_);                                \
    } while (0)

#define Py_XSETREF(dst, src)                                      \
    do {                                                          \
        PyObject *gg_xsetref_old_;                                \
        memcpy(&gg_xsetref_old_, &(dst), sizeof(PyObject *));     \
        (dst) = (src);                                            \
        Py_XDECREF(gg_xsetref_old_);                              \
    } while (0)

#endif /* _Py_REFCOUNT_H */
