/* gilgate: PySlot, the unified slot entry of CPython 3.15 (PEP 820).
 * Only declared when GILGATE_TARGET_3_15 is defined before Python.h. */
#ifndef GILGATE_SLOTS_H
#define GILGATE_SLOTS_H
#ifdef GILGATE_TARGET_3_15
#ifdef __cplusplus
extern "C" {
#endif

typedef void (*_Py_funcptr_t)(void);

#ifdef __cplusplus
#  define _Py_ANONYMOUS
#else
#  define _Py_ANONYMOUS __extension__
#endif

/* 16 bytes: id, flags, a reserved word (must be 0), then an 8-byte value. */
struct PySlot {
    uint16_t sl_id;
    uint16_t sl_flags;
    _Py_ANONYMOUS union {
        uint32_t sl_reserved;
    };
    _Py_ANONYMOUS union {
        void *sl_ptr;
        _Py_funcptr_t sl_func;
        Py_ssize_t sl_size;
        int64_t sl_int64;
        uint64_t sl_uint64;
    };
};

#define PySlot_OPTIONAL 0x0001 /* an unknown ID is skipped */
#define PySlot_STATIC 0x0002   /* the pointed-to data outlives the object */
#define PySlot_INTPTR 0x0004   /* value stored as pointer, convert to the slot's type */

#define Py_slot_end 0
#define Py_slot_invalid 0xffff

#define PySlot_END {0, 0, {0}, {_Py_NULL}}

/* Positional forms (usable from C++ and C99). */
#define PySlot_PTR(NAME, VALUE) {(NAME), PySlot_INTPTR, {0}, {(void *)(VALUE)}}
#define PySlot_PTR_STATIC(NAME, VALUE) \
    {(NAME), PySlot_INTPTR | PySlot_STATIC, {0}, {(void *)(VALUE)}}

#if !defined(__cplusplus)
/* Designated forms, one per value kind. */
#define PySlot_DATA(NAME, VALUE) {.sl_id = (NAME), .sl_flags = PySlot_INTPTR, .sl_ptr = (void *)(VALUE)}
#define PySlot_FUNC(NAME, VALUE) {.sl_id = (NAME), .sl_func = (_Py_funcptr_t)(VALUE)}
#define PySlot_SIZE(NAME, VALUE) {.sl_id = (NAME), .sl_size = (Py_ssize_t)(VALUE)}
#define PySlot_INT64(NAME, VALUE) {.sl_id = (NAME), .sl_int64 = (int64_t)(VALUE)}
#define PySlot_UINT64(NAME, VALUE) {.sl_id = (NAME), .sl_uint64 = (uint64_t)(VALUE)}
#define PySlot_STATIC_DATA(NAME, VALUE) {.sl_id = (NAME), .sl_flags = PySlot_STATIC, .sl_ptr = (VALUE)}
#endif

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_TARGET_3_15 */
#endif /* GILGATE_SLOTS_H */
