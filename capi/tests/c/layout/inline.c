/* gilgate header behaviour probe: compiled against include/ by capi/tests/layout.rs
 * (as C, and as C++). It defines the host's out-of-line halves itself, so it needs no
 * runtime, and checks what the inline code of the headers does: the static immortal
 * header, biased reference counting, Py_REFCNT/Py_SET_REFCNT, the thread id and the
 * PyMutex fast paths. Prints "ok NAME" or "FAIL NAME: detail" per check. */
#include <Python.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int gg_failures = 0;
static int gg_merge_calls = 0;
static int gg_decref_shared_calls = 0;
static int gg_lock_slow_calls = 0;
static int gg_unlock_slow_calls = 0;

#ifdef __cplusplus
extern "C" {
#endif
/* Stand-ins for the exported data and slow paths. */
PyObject _Py_NoneStruct = {0, _Py_STATICALLY_ALLOCATED_FLAG, {0}, 0, UINT32_MAX, 0, NULL};
void _Py_MergeZeroLocalRefcount(PyObject *op)
{
    (void)op;
    gg_merge_calls++;
}
void _Py_DecRefShared(PyObject *op)
{
    (void)op;
    gg_decref_shared_calls++;
}
/* The exported slow paths under their symbol names (PyMutex_Lock/Unlock are object-like
 * macros naming the inline fast paths, as in CPython). */
void gg_mutex_lock_slow(PyMutex *m) __asm__("PyMutex_Lock");
void gg_mutex_unlock_slow(PyMutex *m) __asm__("PyMutex_Unlock");
void gg_mutex_lock_slow(PyMutex *m)
{
    (void)m;
    gg_lock_slow_calls++;
}
void gg_mutex_unlock_slow(PyMutex *m)
{
    (void)m;
    gg_unlock_slow_calls++;
}
#ifdef __cplusplus
}
#endif

#define CHECK(name, cond)                                   \
    do {                                                    \
        if (cond) {                                         \
            printf("ok %s\n", name);                        \
        }                                                   \
        else {                                              \
            printf("FAIL %s: %s\n", name, #cond);           \
            gg_failures++;                                  \
        }                                                   \
    } while (0)

static PyModuleDef gg_def = {
    PyModuleDef_HEAD_INIT, "probe", NULL, 0, NULL, NULL, NULL, NULL, NULL,
};

int main(void)
{
    /* PyModuleDef_HEAD_INIT: 00x8, 04 00, 00, 00, ff ff ff ff, 00x8, type (NULL). */
    static const unsigned char want[32] = {
        0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    CHECK("head_init_bytes", memcmp(&gg_def, want, sizeof want) == 0);
    CHECK("head_init_rest", gg_def.m_base.m_init == NULL && gg_def.m_base.m_index == 0 &&
                                gg_def.m_base.m_copy == NULL);

    PyObject *immortal = (PyObject *)&gg_def;
    CHECK("is_immortal", _Py_IsImmortal(immortal));
    CHECK("refcnt_immortal", Py_REFCNT(immortal) == (Py_ssize_t)3 << 30);
    Py_INCREF(immortal);
    Py_DECREF(immortal);
    CHECK("immortal_untouched",
          immortal->ob_ref_local == UINT32_MAX && immortal->ob_ref_shared == 0 &&
              gg_merge_calls == 0 && gg_decref_shared_calls == 0);
    Py_SET_REFCNT(immortal, 5);
    CHECK("set_refcnt_immortal_noop", immortal->ob_ref_local == UINT32_MAX);

    CHECK("thread_id_is_pthread_self", _Py_ThreadId() == (uintptr_t)pthread_self());

    /* An object owned by this thread. */
    PyObject mine;
    memset(&mine, 0, sizeof mine);
    mine.ob_tid = _Py_ThreadId();
    mine.ob_ref_local = 1;
    CHECK("owned", _Py_IsOwnedByCurrentThread(&mine));
    Py_INCREF(&mine);
    CHECK("incref_owned_local", mine.ob_ref_local == 2 && mine.ob_ref_shared == 0);
    PyObject *again = Py_NewRef(&mine);
    CHECK("newref", again == &mine && mine.ob_ref_local == 3);
    Py_DECREF(&mine);
    Py_XDECREF(again);
    CHECK("decref_owned_local", mine.ob_ref_local == 1 && gg_merge_calls == 0);
    mine.ob_ref_shared = 8; /* two references held by other threads */
    CHECK("refcnt_sum", Py_REFCNT(&mine) == 3);
    Py_DECREF(&mine);
    CHECK("decref_owned_to_zero_merges", mine.ob_ref_local == 0 && gg_merge_calls == 1);

    Py_SET_REFCNT(&mine, 7);
    CHECK("set_refcnt_owned", mine.ob_ref_local == 7 && mine.ob_ref_shared == 8 - 8 + 0);
    mine.ob_ref_shared = 4 * 3 + _Py_REF_MERGED;
    Py_SET_REFCNT(&mine, 9);
    CHECK("set_refcnt_owned_keeps_flags", mine.ob_ref_local == 9 && mine.ob_ref_shared == _Py_REF_MERGED);
    Py_SET_REFCNT(&mine, (Py_ssize_t)UINT32_MAX + 1);
    CHECK("set_refcnt_huge_makes_immortal",
          mine.ob_tid == 0 && mine.ob_ref_local == UINT32_MAX && mine.ob_ref_shared == 0);

    /* An object owned by another thread (tid 0 = unowned). */
    PyObject theirs;
    memset(&theirs, 0, sizeof theirs);
    theirs.ob_tid = 0;
    theirs.ob_ref_shared = _Py_REF_SHARED(1, _Py_REF_MERGED);
    Py_INCREF(&theirs);
    CHECK("incref_shared_adds_4", theirs.ob_ref_local == 0 && theirs.ob_ref_shared == 4 * 2 + 3);
    Py_DECREF(&theirs);
    CHECK("decref_shared_calls_host", gg_decref_shared_calls == 1 && theirs.ob_ref_shared == 4 * 2 + 3);
    CHECK("refcnt_shared", Py_REFCNT(&theirs) == 2);
    Py_SET_REFCNT(&theirs, 6);
    CHECK("set_refcnt_not_owned",
          theirs.ob_tid == 0 && theirs.ob_ref_local == 0 && theirs.ob_ref_shared == (6 << 2) + 3);

    PyObject *null_obj = NULL;
    Py_XINCREF(null_obj);
    Py_XDECREF(null_obj);
    Py_CLEAR(null_obj);
    CHECK("x_variants_accept_null", gg_decref_shared_calls == 1 && gg_merge_calls == 1);

    PyObject *slot = &theirs;
    Py_CLEAR(slot);
    CHECK("clear", slot == NULL && gg_decref_shared_calls == 2);
    slot = &theirs;
    Py_SETREF(slot, Py_None);
    CHECK("setref", slot == Py_None && gg_decref_shared_calls == 3);
    Py_XSETREF(slot, NULL);
    CHECK("xsetref", slot == NULL);

    /* PyMutex fast paths: the exported functions are only called on contention. */
    PyMutex m = {0};
    PyMutex_Lock(&m);
    CHECK("mutex_lock_fast", m._bits == 1 && gg_lock_slow_calls == 0);
    CHECK("mutex_is_locked", PyMutex_IsLocked(&m));
    PyMutex_Lock(&m);
    CHECK("mutex_lock_contended_slow", gg_lock_slow_calls == 1);
    PyMutex_Unlock(&m);
    CHECK("mutex_unlock_fast", m._bits == 0 && gg_unlock_slow_calls == 0);
    m._bits = 3; /* locked with a parked waiter */
    PyMutex_Unlock(&m);
    CHECK("mutex_unlock_parked_slow", gg_unlock_slow_calls == 1);

    /* Type flags and sizes the inline checks rely on. */
    PyTypeObject ty;
    memset(&ty, 0, sizeof ty);
    ty.tp_flags = Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_HAVE_GC;
    theirs.ob_type = &ty;
    CHECK("tuple_check_by_flag", PyTuple_Check(&theirs) && !PyList_Check(&theirs));
    CHECK("type_has_feature", PyType_HasFeature(&ty, Py_TPFLAGS_HAVE_GC) && PyType_IS_GC(&ty));
    CHECK("tp_flags_offset", offsetof(PyTypeObject, tp_flags) == 184);
#ifdef GILGATE_TARGET_3_15
    CHECK("slot_numbers_315", Py_mod_create == 84 && Py_mod_exec == 85 && Py_mod_multiple_interpreters == 86 &&
                                  Py_mod_gil == 87 && Py_mod_abi == 109 && sizeof(PySlot) == 16 &&
                                  sizeof(PyABIInfo) == 12 && PY_VERSION_HEX == 0x030F02F0);
    PyABIInfo_VAR(gg_abi);
    CHECK("abi_info_var", gg_abi.abiinfo_major_version == 1 && gg_abi.abiinfo_minor_version == 0 &&
                              gg_abi.flags == PyABIInfo_FREETHREADED && gg_abi.build_version == 0x030F02F0 &&
                              gg_abi.abi_version == 0x030F02F0);
    static PySlot gg_slots[] = {PySlot_PTR(Py_mod_gil, 1), PySlot_END};
    CHECK("pyslot_layout", gg_slots[0].sl_id == 87 && gg_slots[0].sl_flags == PySlot_INTPTR &&
                               gg_slots[0].sl_reserved == 0 && gg_slots[0].sl_ptr == Py_MOD_GIL_NOT_USED &&
                               gg_slots[1].sl_id == 0 && gg_slots[1].sl_ptr == NULL);
#else
    CHECK("slot_numbers_314", Py_mod_create == 1 && Py_mod_exec == 2 && Py_mod_multiple_interpreters == 3 &&
                                  Py_mod_gil == 4 && PY_VERSION_HEX == 0x030E0AF0);
#endif
    CHECK("api_versions", PYTHON_API_VERSION == 1013 && PYTHON_ABI_VERSION == 3);

    printf("checks done, %d failed\n", gg_failures);
    return gg_failures != 0;
}
