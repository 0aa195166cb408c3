//! The one way into extension code.
//!
//! Every call gilgate makes through a function pointer an extension may have supplied goes
//! through one function of this module: type slots (`tp_*`, `nb_*`, `sq_*`, `mp_*`, `am_*`,
//! `bf_*`, including the ones a `PyType_Spec` installed), `PyMethodDef.ml_meth` in each calling
//! convention, `PyGetSetDef` getters and setters, vectorcall pointers, module init hooks
//! (`PyInit_*`, `PyModExport_*`, inittab entries), `Py_mod_create` / `Py_mod_exec` slots,
//! `m_free`, capsule destructors, the visitor of `tp_traverse` and the `O&` converters of
//! argument parsing and value building. Python-level callbacks (weakref callbacks, ...) are
//! objects called through `tp_call` / vectorcall, so they land here too.
//!
//! The functions are grouped by C signature shape, not by slot: `unary` serves `tp_repr`,
//! `tp_str`, `tp_iter`, `tp_iternext`, `nb_negative`, ... alike, since those pointer types are the
//! same Rust type. Each one is `#[inline(always)]` around a direct call, so today they cost
//! nothing.
//!
//! **The per-module lock.** [`into_extension`] is the single place every call crosses, with the
//! callee's address. Under `--gil module` it holds the per-module lock around a call whose
//! callee lies in an undeclared module's code (`runtime/module_lock.rs`, by address), leaving it
//! also when the call unwinds; under every other policy it costs one relaxed atomic load. Slot
//! functions gilgate itself implements (the built-in types' `tp_repr`, `vc_noargs`, ...) pass
//! through it as well; they lie in gilgate's own code, which one inline range test tells apart
//! (no lookup), so they never lock.
//!
//! `capi/tests/extcalls.rs` checks that no other source file calls such a pointer directly.

use crate::moduleobject::PyModuleDef;
use crate::object::{Py_buffer, PyObject, PyTypeObject, visitproc};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use std::ffi::{c_char, c_int, c_void};

/// The point every call into extension code crosses: `addr` is the callee's address. Under the
/// `module` policy, a callee inside an undeclared module's code runs holding the per-module
/// lock (`runtime/module_lock.rs`); otherwise (and under every other policy, after one relaxed
/// atomic load; under `module`, for gilgate's own code, after one range test more) it just
/// runs `call`.
///
/// With the policy on, the whole call goes out of line ([`crate::module_lock::call_at`]) and
/// never comes back here: a test that called out and then went on to `call` inline would keep
/// the caller's values alive across that call, and so cost every crossing's caller registers
/// to save and restore even with the lock off (stop 29: 60 more instructions per iteration of
/// int_arith, whose every operation crosses a few times).
#[inline(always)]
pub(crate) fn into_extension<R>(addr: usize, call: impl FnOnce() -> R) -> R {
    match lock_off() {
        Some(off) => into_extension_unlocked(off, call),
        None => crate::module_lock::call_at(addr, call),
    }
}

/// Proof that the per-module lock would not be taken for the call the caller checked (from
/// [`lock_off`] or [`lock_off_for`]): the `*_unlocked` crossings take it instead of checking
/// again, so a fast path that already decided on the lock (a vectorcall's unguarded path)
/// checks once per hop, as its own check. Not `Clone`: each check serves the one call it
/// guards.
pub(crate) struct LockOff(());

/// A [`LockOff`] when the per-module lock is off (one relaxed load). The lock is switched on
/// once, before any module loads, and never off, so a callee reached with the token right after
/// this check can lie in no module the lock would have covered.
#[inline(always)]
pub(crate) fn lock_off() -> Option<LockOff> {
    if crate::module_lock::active() {
        None
    } else {
        Some(LockOff(()))
    }
}

/// A [`LockOff`] for a call to `addr`: when the per-module lock is off, or on but the callee
/// lies in code it does not cover (gilgate's own, or a declared module's), which is when
/// [`into_extension`] would just call it too.
#[inline(always)]
pub(crate) fn lock_off_for(addr: usize) -> Option<LockOff> {
    if crate::module_lock::active() && crate::module_lock::must_lock(addr) {
        None
    } else {
        Some(LockOff(()))
    }
}

/// [`into_extension`] for a caller that just saw the lock off: runs `call` without reading the
/// flag again.
#[inline(always)]
fn into_extension_unlocked<R>(_off: LockOff, call: impl FnOnce() -> R) -> R {
    call()
}

macro_rules! shapes {
    ($(
        $(#[$doc:meta])*
        $name:ident($($arg:ident: $t:ty),*) -> $ret:ty;
    )*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// `f` has exactly this C signature and the arguments meet its contract.
        #[inline(always)]
        pub(crate) unsafe fn $name(f: unsafe extern "C" fn($($t),*) -> $ret, $($arg: $t),*) -> $ret {
            // SAFETY: the caller guarantees `f`'s signature and the arguments' validity.
            into_extension(f as usize, move || unsafe { f($($arg),*) })
        }
    )*};
}

macro_rules! void_shapes {
    ($(
        $(#[$doc:meta])*
        $name:ident($($arg:ident: $t:ty),*);
    )*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// `f` has exactly this C signature and the arguments meet its contract.
        #[inline(always)]
        pub(crate) unsafe fn $name(f: unsafe extern "C" fn($($t),*), $($arg: $t),*) {
            // SAFETY: the caller guarantees `f`'s signature and the arguments' validity.
            into_extension(f as usize, move || unsafe { f($($arg),*) })
        }
    )*};
}

shapes! {
    /// `unaryfunc`, `reprfunc`, `getiterfunc`, `iternextfunc`: `tp_repr`, `tp_str`, `tp_iter`,
    /// `tp_iternext`, `nb_negative`, `nb_int`, `nb_index`, `am_aiter`, ...
    unary(a: *mut PyObject) -> *mut PyObject;
    /// `binaryfunc`: `nb_add`, `sq_concat`, `mp_subscript`, `tp_getattro`, ...
    binary(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject;
    /// `ternaryfunc`, `descrgetfunc`: `tp_call`, `nb_power`, `tp_descr_get`.
    ternary(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> *mut PyObject;
    /// `inquiry`: `nb_bool`, `tp_clear`, `tp_is_gc`, `m_clear`.
    inquiry(a: *mut PyObject) -> c_int;
    /// `lenfunc` and `hashfunc` (the same type): `sq_length`, `mp_length`, `tp_hash`.
    ssize(a: *mut PyObject) -> Py_ssize_t;
    /// `ssizeargfunc`: `sq_item`, `sq_repeat`, `sq_inplace_repeat`.
    ssizearg(a: *mut PyObject, i: Py_ssize_t) -> *mut PyObject;
    /// `ssizeobjargproc`: `sq_ass_item`.
    ssizeobjarg(a: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int;
    /// `objobjproc`: `sq_contains`.
    objobj(a: *mut PyObject, b: *mut PyObject) -> c_int;
    /// `objobjargproc`, `setattrofunc`, `descrsetfunc`, `initproc`: `mp_ass_subscript`,
    /// `tp_setattro`, `tp_descr_set`, `tp_init`.
    objobjarg(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> c_int;
    /// `richcmpfunc`: `tp_richcompare`.
    richcmp(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject;
    /// `getattrfunc`: `tp_getattr`.
    getattr(a: *mut PyObject, name: *mut c_char) -> *mut PyObject;
    /// `setattrfunc`: `tp_setattr`.
    setattr(a: *mut PyObject, name: *mut c_char, v: *mut PyObject) -> c_int;
    /// `newfunc`: `tp_new`.
    new(t: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject;
    /// `allocfunc`: `tp_alloc`.
    alloc(t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyObject;
    /// `traverseproc`: `tp_traverse`, `m_traverse`.
    #[allow(dead_code)] // nothing calls or reads it yet (was reachable as `pub`)
    traverse(a: *mut PyObject, visit: visitproc, arg: *mut c_void) -> c_int;
    /// `vectorcallfunc`: `tp_vectorcall` and the per-object vectorcall pointer.
    vectorcall(
        callable: *mut PyObject,
        args: *const *mut PyObject,
        nargsf: usize,
        kwnames: *mut PyObject
    ) -> *mut PyObject;
    /// `sendfunc`: `am_send`.
    send(a: *mut PyObject, arg: *mut PyObject, result: *mut *mut PyObject) -> c_int;
    /// `getbufferproc`: `bf_getbuffer`.
    getbuffer(a: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int;
    /// `getter` of a `PyGetSetDef`.
    getter(a: *mut PyObject, closure: *mut c_void) -> *mut PyObject;
    /// `setter` of a `PyGetSetDef`.
    setter(a: *mut PyObject, v: *mut PyObject, closure: *mut c_void) -> c_int;
    /// `visitproc`: the visitor a `tp_traverse` caller passes in.
    #[allow(dead_code)] // nothing calls or reads it yet (was reachable as `pub`)
    visit(o: *mut PyObject, arg: *mut c_void) -> c_int;
    /// An `O&` converter of argument parsing (`PyArg_Parse*`): `(object, address)`.
    parse_converter(o: *mut PyObject, addr: *mut c_void) -> c_int;
    /// An `O&` converter of value building (`Py_BuildValue`): `(address)`.
    build_converter(addr: *mut c_void) -> *mut PyObject;
    /// A module init hook (`PyInit_*`, `PyModExport_*`, an inittab entry): no arguments.
    module_init() -> *mut PyObject;
    /// A `Py_mod_create` slot: `(spec, def)`.
    module_create(spec: *mut PyObject, def: *mut PyModuleDef) -> *mut PyObject;
    /// A `Py_mod_exec` slot.
    module_exec(module: *mut PyObject) -> c_int;
    /// A pending call (`Py_AddPendingCall`).
    pending_call(arg: *mut c_void) -> c_int;
}

void_shapes! {
    /// `destructor`: `tp_dealloc`, `tp_finalize`, `tp_del`, capsule destructors.
    destructor(a: *mut PyObject);
    /// `freefunc`: `tp_free`, `m_free`.
    free(p: *mut c_void);
    /// `releasebufferproc`: `bf_releasebuffer`.
    releasebuffer(a: *mut PyObject, view: *mut Py_buffer);
}

/// A thread's function (`PyThread_start_new_thread`, `PyThread_start_joinable_thread`), at the
/// start of the new thread. Never under the per-module lock: the thread runs detached (as in
/// CPython, where it does not hold the GIL) and takes the lock when it attaches with
/// `PyGILState_Ensure`.
///
/// # Safety
/// `f` is a thread function and `arg` its argument.
#[inline(always)]
pub(crate) unsafe fn thread_start(f: unsafe extern "C" fn(*mut c_void), arg: *mut c_void) {
    // SAFETY: the caller guarantees `f`'s signature and the argument's validity.
    unsafe { f(arg) }
}

/// `hashfunc` under its own name (the same type as `lenfunc`): `tp_hash`.
///
/// # Safety
/// As [`ssize`].
#[inline(always)]
pub(crate) unsafe fn hash(
    f: unsafe extern "C" fn(*mut PyObject) -> Py_hash_t,
    a: *mut PyObject,
) -> Py_hash_t {
    // SAFETY: forwarded contract.
    unsafe { ssize(f, a) }
}

// `PyMethodDef.ml_meth` is stored as `void *`; its real signature follows `ml_flags`. Each
// function below reads it as one calling convention.

type MethO = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type MethKw = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type MethFast =
    unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type MethFastKw = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    Py_ssize_t,
    *mut PyObject,
) -> *mut PyObject;
type MethMethod = unsafe extern "C" fn(
    *mut PyObject,
    *mut PyTypeObject,
    *const *mut PyObject,
    usize,
    *mut PyObject,
) -> *mut PyObject;

/// Declares, per `ml_meth` calling convention, the function that reads the pointer as that
/// convention's C type and calls it across [`into_extension`].
macro_rules! meth_shapes {
    ($(
        $(#[$doc:meta])*
        $name:ident as $fty:ty => ($($arg:ident: $t:ty),*);
    )*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// `meth` is a non-NULL `ml_meth` whose flags select this convention; the arguments meet
        /// it.
        #[inline(always)]
        pub(crate) unsafe fn $name(meth: *mut c_void, $($arg: $t),*) -> *mut PyObject {
            // SAFETY: the caller guarantees `meth` has this convention's signature.
            let f = unsafe { std::mem::transmute::<*mut c_void, $fty>(meth) };
            // SAFETY: forwarded contract.
            into_extension(meth as usize, move || unsafe { f($($arg),*) })
        }
    )*};
}

meth_shapes! {
    /// `ml_meth` as `PyCFunction` (`METH_NOARGS` with `arg` NULL, `METH_O`, `METH_VARARGS`).
    meth as MethO => (self_: *mut PyObject, arg: *mut PyObject);
    /// `ml_meth` as `PyCFunctionWithKeywords` (`METH_VARARGS | METH_KEYWORDS`).
    meth_keywords as MethKw => (
        self_: *mut PyObject,
        args: *mut PyObject,
        kwargs: *mut PyObject
    );
    /// `ml_meth` as `PyCFunctionFast` (`METH_FASTCALL`).
    meth_fastcall as MethFast => (
        self_: *mut PyObject,
        args: *const *mut PyObject,
        nargs: Py_ssize_t
    );
    /// `ml_meth` as `PyCFunctionFastWithKeywords` (`METH_FASTCALL | METH_KEYWORDS`).
    meth_fastcall_keywords as MethFastKw => (
        self_: *mut PyObject,
        args: *const *mut PyObject,
        nargs: Py_ssize_t,
        kwnames: *mut PyObject
    );
    /// `ml_meth` as `PyCMethod` (`METH_METHOD | METH_FASTCALL | METH_KEYWORDS`).
    meth_method as MethMethod => (
        self_: *mut PyObject,
        cls: *mut PyTypeObject,
        args: *const *mut PyObject,
        nargsf: usize,
        kwnames: *mut PyObject
    );
}

/// [`vectorcall`] after [`lock_off`] said the lock is off.
///
/// # Safety
/// As [`vectorcall`].
#[inline(always)]
pub(crate) unsafe fn vectorcall_unlocked(
    off: LockOff,
    f: unsafe extern "C" fn(
        *mut PyObject,
        *const *mut PyObject,
        usize,
        *mut PyObject,
    ) -> *mut PyObject,
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the caller guarantees `f`'s signature and the arguments' validity.
    into_extension_unlocked(off, move || unsafe { f(callable, args, nargsf, kwnames) })
}

/// Declares `ml_meth` crossings for a caller that holds a [`LockOff`]: the named locked
/// crossing's call, through [`into_extension_unlocked`].
macro_rules! meth_unlocked_shapes {
    ($(
        $name:ident for $locked:ident as $fty:ty => ($($arg:ident: $t:ty),*);
    )*) => {$(
        #[doc = concat!("[`", stringify!($locked), "`] after [`lock_off`] said the lock is off.")]
        ///
        /// # Safety
        #[doc = concat!("As [`", stringify!($locked), "`].")]
        #[inline(always)]
        pub(crate) unsafe fn $name(
            off: LockOff,
            meth: *mut c_void,
            $($arg: $t),*
        ) -> *mut PyObject {
            // SAFETY: the caller guarantees `meth` has this convention's signature.
            let f = unsafe { std::mem::transmute::<*mut c_void, $fty>(meth) };
            // SAFETY: forwarded contract.
            into_extension_unlocked(off, move || unsafe { f($($arg),*) })
        }
    )*};
}

meth_unlocked_shapes! {
    meth_unlocked for meth as MethO => (self_: *mut PyObject, arg: *mut PyObject);
    meth_fastcall_unlocked for meth_fastcall as MethFast => (
        self_: *mut PyObject,
        args: *const *mut PyObject,
        nargs: Py_ssize_t
    );
    meth_fastcall_keywords_unlocked for meth_fastcall_keywords as MethFastKw => (
        self_: *mut PyObject,
        args: *const *mut PyObject,
        nargs: Py_ssize_t,
        kwnames: *mut PyObject
    );
}
