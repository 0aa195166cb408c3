//! `abstract.h`: the abstract object layer. Calls (`PyObject_Call*`, vectorcall), the number,
//! sequence, mapping and iterator protocols and rich comparison, all dispatching over the type
//! slots the way CPython does (left operand first, a subclass's reflected slot before its base,
//! `NotImplemented` to pass on).
//!
//! The module is declared as `abstract_` (`abstract` is a reserved word in Rust); the file keeps
//! the header's stem.

use crate::export;
use crate::object::tname;
use crate::object::{
    _Py_NotImplementedStruct, Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE, Py_TPFLAGS_DICT_SUBCLASS,
    Py_TPFLAGS_HAVE_VECTORCALL, Py_TPFLAGS_LIST_SUBCLASS, Py_TPFLAGS_LONG_SUBCLASS,
    Py_TPFLAGS_TUPLE_SUBCLASS, Py_TPFLAGS_UNICODE_SUBCLASS, PyMappingMethods, PyNumberMethods,
    PyObject, PySequenceMethods, PyTypeObject, binaryfunc, has_flag, is_subtype, ty, type_name,
    vectorcallfunc,
};
use crate::pyerrors::{
    self as err, EXC_IndexError, EXC_OverflowError, EXC_StopIteration, EXC_SystemError,
    EXC_TypeError, EXC_ValueError, raise,
};
use crate::refcount::{decref, incref, new_ref, xdecref};
use crate::tupleobject as tup;
use crate::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;

type Py_ssize_t = isize;

/// `PY_VECTORCALL_ARGUMENTS_OFFSET`: the caller lets the callee use `args[-1]`.
pub const PY_VECTORCALL_ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

/// C API functions implemented by other modules (possibly still generated stubs): linked by
/// symbol so this file does not depend on which Rust module defines them.
mod ext {
    use super::{Py_ssize_t, PyObject};
    use std::ffi::c_double;
    unsafe extern "C" {
        pub(super) fn PyList_New(n: Py_ssize_t) -> *mut PyObject;
        pub(super) fn PyList_Append(l: *mut PyObject, v: *mut PyObject) -> std::ffi::c_int;
        pub(super) fn PyDict_Keys(d: *mut PyObject) -> *mut PyObject;
        pub(super) fn PyDict_Values(d: *mut PyObject) -> *mut PyObject;
        pub(super) fn PyDict_Items(d: *mut PyObject) -> *mut PyObject;
        pub(super) fn PySeqIter_New(seq: *mut PyObject) -> *mut PyObject;
        pub(super) fn PySlice_New(
            start: *mut PyObject,
            stop: *mut PyObject,
            step: *mut PyObject,
        ) -> *mut PyObject;
        pub(super) fn PyLong_AsSsize_t(o: *mut PyObject) -> Py_ssize_t;
        pub(super) fn PyLong_AsDouble(o: *mut PyObject) -> c_double;
        pub(super) fn PyLong_FromUnicodeObject(
            u: *mut PyObject,
            base: std::ffi::c_int,
        ) -> *mut PyObject;
        pub(super) fn PyFloat_FromString(s: *mut PyObject) -> *mut PyObject;
    }
}

// ---- small helpers ------------------------------------------------------------------------

/// Truncates to at most `n` characters (CPython's `%.Ns`).
pub(crate) fn trunc(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn type_error(msg: &str) -> *mut PyObject {
    raise(&raw mut EXC_TypeError, msg)
}

fn not_implemented() -> *mut PyObject {
    &raw mut _Py_NotImplementedStruct
}

/// Releases its reference when dropped.
struct DecrefOnDrop(*mut PyObject);
impl Drop for DecrefOnDrop {
    fn drop(&mut self) {
        // SAFETY: the guard owns one reference to a live object.
        unsafe { crate::refcount::decref(self.0) }
    }
}
fn scopeguard_decref(op: *mut PyObject) -> DecrefOnDrop {
    DecrefOnDrop(op)
}

fn is_not_implemented(op: *mut PyObject) -> bool {
    op == not_implemented()
}

unsafe fn nb<'a>(t: *mut PyTypeObject) -> Option<&'a PyNumberMethods> {
    // SAFETY: `t` is a type object; tp_as_number is NULL or a table.
    unsafe { (*t).tp_as_number.as_ref() }
}

unsafe fn sq<'a>(t: *mut PyTypeObject) -> Option<&'a PySequenceMethods> {
    // SAFETY: as above.
    unsafe { (*t).tp_as_sequence.as_ref() }
}

unsafe fn mp<'a>(t: *mut PyTypeObject) -> Option<&'a PyMappingMethods> {
    // SAFETY: as above.
    unsafe { (*t).tp_as_mapping.as_ref() }
}

/// Whether `op` is an int (or subclass), read from the type flags.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_long(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { has_flag(op, Py_TPFLAGS_LONG_SUBCLASS) }
}

// ---- calls --------------------------------------------------------------------------------

/// The vectorcall function of `callable`, if its type supports vectorcall.
///
/// # Safety
/// `callable` must be a live object.
pub(crate) unsafe fn vectorcall_func(callable: *mut PyObject) -> vectorcallfunc {
    // SAFETY: forwarded contract; the offset points inside the object, at a vectorcallfunc.
    unsafe {
        let t = ty(callable);
        if (*t).tp_flags & Py_TPFLAGS_HAVE_VECTORCALL == 0 || (*t).tp_vectorcall_offset <= 0 {
            return None;
        }
        *callable
            .cast::<u8>()
            .offset((*t).tp_vectorcall_offset)
            .cast::<vectorcallfunc>()
    }
}

/// `_Py_CheckFunctionResult`: NULL needs an exception, a result must come without one.
///
/// # Safety
/// `callable` must be a live object; `res` NULL or an owned reference.
#[inline(always)]
pub(crate) unsafe fn check_result(callable: *mut PyObject, res: *mut PyObject) -> *mut PyObject {
    if !res.is_null() && !err::occurred() {
        return res;
    }
    // SAFETY: forwarded contract.
    unsafe { check_result_slow(callable, res) }
}

/// The failing cases of [`check_result`], out of line.
///
/// # Safety
/// As [`check_result`].
#[cold]
#[inline(never)]
unsafe fn check_result_slow(callable: *mut PyObject, res: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if (res.is_null() && !err::occurred()) || (!res.is_null() && err::occurred()) {
            let exc = err::take_raised();
            let r = crate::object::repr_string(callable);
            err::restore_raised(exc);
            return check_result_named(&r, res);
        }
        res
    }
}

/// As [`check_result`], the call named by `name` (CPython's `where`, or the callable's repr).
///
/// # Safety
/// `res` must be NULL or an owned reference.
pub(crate) unsafe fn check_result_named(name: &str, res: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if res.is_null() {
            if !err::occurred() {
                return raise(
                    &raw mut EXC_SystemError,
                    &format!("{name} returned NULL without setting an exception"),
                );
            }
            return res;
        }
        if err::occurred() {
            decref(res);
            return err::raise_from_cause(
                &raw mut EXC_SystemError,
                &format!("{name} returned a result with an exception set"),
            );
        }
        res
    }
}

/// `kwnames` + values to a new dict.
///
/// # Safety
/// `values` must hold `len(kwnames)` live objects; `kwnames` a tuple of str.
pub(crate) unsafe fn stack_as_dict(
    values: *const *mut PyObject,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            return d;
        }
        for (i, &k) in tup::items(kwnames).iter().enumerate() {
            if crate::dictobject::set_item(d, k, *values.add(i)) < 0 {
                decref(d);
                return null_mut();
            }
        }
        d
    }
}

/// The immortal empty tuple that argument-less calls through `tp_call` pass (CPython
/// shares one empty tuple the same way), instead of a new tuple per call. Like every
/// immortal object it is not counted by `objimpl::live_objects`.
#[inline]
pub(crate) fn empty_args() -> *mut PyObject {
    let p = EMPTY_ARGS.load(std::sync::atomic::Ordering::Acquire);
    if !p.is_null() {
        return p;
    }
    make_empty_args()
}

/// The shared empty tuple once made (NULL before the first argument-less call).
static EMPTY_ARGS: std::sync::atomic::AtomicPtr<PyObject> =
    std::sync::atomic::AtomicPtr::new(null_mut());

/// [`empty_args`]'s first call: makes the tuple, or takes the one another thread made first.
#[cold]
#[inline(never)]
fn make_empty_args() -> *mut PyObject {
    use std::sync::atomic::Ordering;
    let t = tup::new_tuple(0);
    if t.is_null() {
        return t;
    }
    // SAFETY: a fresh tuple owned by this thread; a count beyond u32::MAX makes it immortal.
    unsafe { crate::refcount::set_refcnt(t, (u32::MAX as Py_ssize_t) + 1) };
    crate::objimpl::note_freed();
    match EMPTY_ARGS.compare_exchange(null_mut(), t, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => t,
        // Another thread won the race: its tuple is the one; ours stays immortal (tiny).
        Err(other) => other,
    }
}

/// The tuple a `tp_call` gets for the `nargs` positional arguments at `args`: the shared
/// [`empty_args`] for none, else a new tuple (NULL with the exception set when it cannot be
/// made).
///
/// # Safety
/// `args` points at `nargs` live objects.
#[inline(always)]
pub(crate) unsafe fn args_tuple(args: *const *mut PyObject, nargs: usize) -> *mut PyObject {
    if nargs == 0 {
        return empty_args();
    }
    // SAFETY: forwarded contract.
    unsafe { tup::from_slice(std::slice::from_raw_parts(args, nargs)) }
}

/// `_PyObject_MakeTpCall`: a vectorcall-style call through `tp_call`.
///
/// # Safety
/// `args` must hold `nargs + len(kwnames)` live objects; `kwnames` NULL or a tuple.
pub(crate) unsafe fn make_tp_call(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(call) = (*ty(callable)).tp_call else {
            return type_error(&format!(
                "'{}' object is not callable",
                trunc(&tname(callable), 200)
            ));
        };
        let t = args_tuple(args, nargs);
        if t.is_null() {
            return t;
        }
        let mut kw = null_mut();
        if !kwnames.is_null() && !tup::items(kwnames).is_empty() {
            kw = stack_as_dict(args.add(nargs), kwnames);
            if kw.is_null() {
                decref(t);
                return null_mut();
            }
        }
        let r = crate::extcall::ternary(call, callable, t, kw);
        decref(t);
        xdecref(kw);
        check_result(callable, r)
    }
}

/// `PyObject_Vectorcall`.
///
/// # Safety
/// `args` must hold `nargs + len(kwnames)` live objects (and `args[-1]` be writable when
/// `nargsf` carries `PY_VECTORCALL_ARGUMENTS_OFFSET`).
pub(crate) unsafe fn vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        match vectorcall_func(callable) {
            Some(f) => check_result(
                callable,
                crate::extcall::vectorcall(f, callable, args, nargsf, kwnames),
            ),
            None if (kwnames.is_null() || tup::items(kwnames).is_empty())
                && crate::typeobject::is_type_call((*ty(callable)).tp_call) =>
            {
                check_result(
                    callable,
                    crate::typeobject::call_type_positional(
                        callable.cast(),
                        args,
                        nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET,
                    ),
                )
            }
            None => make_tp_call(
                callable,
                args,
                nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames,
            ),
        }
    }
}

/// Calls vectorcall function `f` with a tuple and an optional dict (`_PyVectorcall_Call`).
unsafe fn vectorcall_with_tuple(
    f: unsafe extern "C" fn(
        *mut PyObject,
        *const *mut PyObject,
        usize,
        *mut PyObject,
    ) -> *mut PyObject,
    callable: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `args` is a tuple, `kwargs` NULL or a dict, all live.
    unsafe {
        let items = tup::items(args);
        if kwargs.is_null() || crate::dictobject::len(kwargs) == 0 {
            return check_result(
                callable,
                crate::extcall::vectorcall(f, callable, items.as_ptr(), items.len(), null_mut()),
            );
        }
        let entries = crate::dictobject::entries(kwargs);
        let mut stack: Vec<*mut PyObject> = Vec::with_capacity(1 + items.len() + entries.len());
        stack.push(null_mut());
        stack.extend_from_slice(items);
        let mut names = Vec::with_capacity(entries.len());
        for &(k, v) in &entries {
            if !uni::is_str(k) {
                return type_error("keywords must be strings");
            }
            names.push(k);
            stack.push(v);
        }
        // Hold references while the call runs (the dict may change under us).
        for &o in &stack[1..] {
            incref(o);
        }
        let kwnames = tup::from_slice(&names);
        let r = if kwnames.is_null() {
            null_mut()
        } else {
            let r = crate::extcall::vectorcall(
                f,
                callable,
                stack.as_ptr().add(1),
                items.len() | PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames,
            );
            decref(kwnames);
            check_result(callable, r)
        };
        for &o in &stack[1..] {
            decref(o);
        }
        r
    }
}

/// `PyObject_Call`.
///
/// # Safety
/// `callable` and `args` must be live; `kwargs` NULL or live.
pub(crate) unsafe fn call(
    callable: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if callable.is_null() || args.is_null() {
            return err::bad_internal_call();
        }
        if !tup::is_tuple(args) {
            return type_error("argument list must be a tuple");
        }
        if !kwargs.is_null() && !crate::dictobject::is_dict(kwargs) {
            return type_error("keyword list must be a dictionary");
        }
        if let Some(f) = vectorcall_func(callable) {
            return vectorcall_with_tuple(f, callable, args, kwargs);
        }
        let Some(c) = (*ty(callable)).tp_call else {
            return type_error(&format!(
                "'{}' object is not callable",
                trunc(&tname(callable), 200)
            ));
        };
        check_result(callable, crate::extcall::ternary(c, callable, args, kwargs))
    }
}

/// `PyObject_CallNoArgs` / `PyObject_CallOneArg` / small calls without keywords.
///
/// # Safety
/// Every object must be live.
pub(crate) unsafe fn call_args(callable: *mut PyObject, args: &[*mut PyObject]) -> *mut PyObject {
    const SMALL: usize = 8;
    let mut small = [null_mut::<PyObject>(); SMALL + 1];
    let mut big = Vec::new();
    let stack: &mut [*mut PyObject] = if args.len() <= SMALL {
        &mut small[..args.len() + 1]
    } else {
        big.resize(args.len() + 1, null_mut());
        &mut big
    };
    stack[1..].copy_from_slice(args);
    // SAFETY: forwarded contract; stack[0] is ours to lend as args[-1].
    unsafe {
        vectorcall(
            callable,
            stack.as_ptr().add(1),
            args.len() | PY_VECTORCALL_ARGUMENTS_OFFSET,
            null_mut(),
        )
    }
}

/// `PyObject_VectorcallMethod`: `args[0]` is self.
///
/// # Safety
/// As [`vectorcall`]; `nargs >= 1`.
pub(crate) unsafe fn vectorcall_method(
    name: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let nargs = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        if nargs == 0 || name.is_null() {
            return err::bad_internal_call();
        }
        let m = crate::object::getattr(*args, name);
        if m.is_null() {
            return m;
        }
        let r = vectorcall(m, args.add(1), nargsf - 1, kwnames);
        decref(m);
        r
    }
}

/// `obj.name(*args)` with a UTF-8 method name.
///
/// # Safety
/// Every object must be live.
pub(crate) unsafe fn call_method(
    obj: *mut PyObject,
    name: &str,
    args: &[*mut PyObject],
) -> *mut PyObject {
    let n = uni::from_str(name);
    if n.is_null() {
        return n;
    }
    // SAFETY: forwarded contract.
    unsafe {
        let m = crate::object::getattr(obj, n);
        decref(n);
        if m.is_null() {
            return m;
        }
        let r = call_args(m, args);
        decref(m);
        r
    }
}

/// `PyCallable_Check`.
///
/// # Safety
/// `op` must be NULL or live.
pub(crate) unsafe fn callable_check(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    !op.is_null() && unsafe { (*ty(op)).tp_call.is_some() }
}

/// The calls behind `PyObject_CallFunction` & co. once the C shim built the arguments:
/// `built` is the tuple of top-level values; a single tuple value is spread (CPython's
/// compatibility rule).
///
/// # Safety
/// `callable` live; `built` NULL (an exception is set) or an owned tuple.
pub(crate) unsafe fn call_built(callable: *mut PyObject, built: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if built.is_null() {
            return null_mut();
        }
        let items = tup::items(built);
        let r = if items.len() == 1 && tup::is_tuple(items[0]) {
            call_args(callable, tup::items(items[0]))
        } else {
            call_args(callable, items)
        };
        decref(built);
        r
    }
}

#[export]
pub unsafe fn PyObject_Call(
    callable: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { call(callable, args, kwargs) }
}

#[export]
pub unsafe fn PyObject_CallObject(callable: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if args.is_null() {
            call_args(callable, &[])
        } else {
            call(callable, args, null_mut())
        }
    }
}

/// The vectorcall of `callable` with `args` (`args[-1]` writable), answered before the export's
/// guard (`#[export(fast = ..)]`): the callee is an `extern "C"` function (which no panic can
/// unwind out of) reached through `extcall`; only a failed result's check, which formats
/// messages, runs under a guard of its own. A callable without vectorcall gets its `tp_call`
/// with a tuple, as `make_tp_call` gives it. `None` (a callable with neither, or the per-module
/// lock on and either a vectorcall it covers or no vectorcall) leaves the call to the guarded
/// body.
///
/// # Safety
/// `callable` live; `args` points one past a writable slot, at `nargs` live objects.
#[inline(always)]
unsafe fn vectorcall_fast(
    name: &'static str,
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let res = match vectorcall_func(callable) {
            Some(f) => crate::extcall::vectorcall_unlocked(
                crate::extcall::lock_off_for(f as usize)?,
                f,
                callable,
                args,
                nargs | PY_VECTORCALL_ARGUMENTS_OFFSET,
                null_mut(),
            ),
            // These reach extension code through gilgate's own, whose crossings may take the
            // lock: only with the lock off do they go without a guard frame.
            None if crate::typeobject::is_type_call((*ty(callable)).tp_call) => {
                crate::extcall::lock_off()?;
                crate::typeobject::call_type_positional(callable.cast(), args, nargs)
            }
            None => {
                crate::extcall::lock_off()?;
                tp_call_plain(callable, args, nargs)?
            }
        };
        if !res.is_null() && !err::occurred() {
            return Some(res);
        }
        Some(check_failed(name, callable, res))
    }
}

/// [`vectorcall_fast`]'s check of a failed result (NULL, or an exception set), under a guard
/// of its own: out of line, so the fast path keeps nothing on the stack for it.
///
/// # Safety
/// `callable` live; `res` the call's result.
#[cold]
#[inline(never)]
unsafe fn check_failed(
    name: &'static str,
    callable: *mut PyObject,
    res: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard(name, null_mut(), || {
        // SAFETY: forwarded contract.
        unsafe { check_result_slow(callable, res) }
    })
}

/// `tp_call` of `callable` with a tuple of the `nargs` objects at `args` (what `make_tp_call`
/// does for a call without keywords), unchecked; `None` when the type has no `tp_call` (the
/// guarded body raises). Kept out of [`vectorcall_fast`]'s inlined path.
///
/// # Safety
/// As [`vectorcall_fast`].
#[inline(never)]
unsafe fn tp_call_plain(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let call = (*ty(callable)).tp_call?;
        let t = args_tuple(args, nargs);
        if t.is_null() {
            return Some(t);
        }
        let r = crate::extcall::ternary(call, callable, t, null_mut());
        decref(t);
        Some(r)
    }
}

/// `PyObject_CallNoArgs`'s unguarded path ([`vectorcall_fast`]).
///
/// # Safety
/// `callable` live.
#[inline(always)]
unsafe fn call_noargs_fast(callable: *mut PyObject) -> Option<*mut PyObject> {
    let stack = [null_mut::<PyObject>()];
    // SAFETY: forwarded contract; stack[0] is the writable slot before no arguments.
    unsafe { vectorcall_fast("PyObject_CallNoArgs", callable, stack.as_ptr().add(1), 0) }
}

/// `PyObject_CallOneArg`'s unguarded path ([`vectorcall_fast`]).
///
/// # Safety
/// `callable` and `arg` live.
#[inline(always)]
unsafe fn call_one_arg_fast(callable: *mut PyObject, arg: *mut PyObject) -> Option<*mut PyObject> {
    let stack = [null_mut::<PyObject>(), arg];
    // SAFETY: forwarded contract; stack[0] is the writable slot before the one argument.
    unsafe { vectorcall_fast("PyObject_CallOneArg", callable, stack.as_ptr().add(1), 1) }
}

#[export(fast = call_noargs_fast)]
pub unsafe fn PyObject_CallNoArgs(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { call_args(callable, &[]) }
}

#[export(fast = call_one_arg_fast)]
pub unsafe fn PyObject_CallOneArg(callable: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { call_args(callable, &[arg]) }
}

#[export]
pub unsafe fn PyObject_Vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { vectorcall(callable, args, nargsf, kwnames) }
}

#[export]
pub unsafe fn PyObject_VectorcallDict(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwdict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if kwdict.is_null() || crate::dictobject::len(kwdict) == 0 {
            return vectorcall(callable, args, nargsf, null_mut());
        }
        let nargs = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        let argv = if nargs == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(args, nargs)
        };
        let t = tup::from_slice(argv);
        if t.is_null() {
            return t;
        }
        let r = call(callable, t, kwdict);
        decref(t);
        r
    }
}

#[export]
pub unsafe fn PyObject_VectorcallMethod(
    name: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { vectorcall_method(name, args, nargsf, kwnames) }
}

#[export]
pub unsafe fn PyVectorcall_Call(
    callable: *mut PyObject,
    tuple: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        match vectorcall_func(callable) {
            Some(f) => vectorcall_with_tuple(f, callable, tuple, dict),
            None => type_error(&format!(
                "'{}' object does not support vectorcall",
                trunc(&tname(callable), 200)
            )),
        }
    }
}

#[export(err = None)]
pub unsafe fn PyVectorcall_Function(callable: *mut PyObject) -> vectorcallfunc {
    // SAFETY: per the C API contract.
    unsafe { vectorcall_func(callable) }
}

#[export(unguarded)]
pub fn PyVectorcall_NARGS(nargsf: usize) -> Py_ssize_t {
    (nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET) as Py_ssize_t
}

#[export]
pub unsafe fn _PyObject_MakeTpCall(
    _tstate: *mut std::ffi::c_void,
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the (private) C API contract.
    unsafe { make_tp_call(callable, args, nargs as usize, kwnames) }
}

#[export]
pub unsafe fn _PyStack_AsDict(
    values: *const *mut PyObject,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the (private) C API contract.
    unsafe { stack_as_dict(values, kwnames) }
}

#[export]
pub unsafe fn PyCallable_Check(op: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { c_int::from(callable_check(op)) }
}

/// For the C shim: `callable(*items)`.
#[export(err = null_mut(), guard_name = "PyObject_CallFunctionObjArgs")]
pub unsafe fn _gilgate_call_array(
    callable: *mut PyObject,
    items: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the shim passes `n` live objects.
    unsafe {
        if callable.is_null() {
            return null_error();
        }
        let s = if n == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(items, n as usize)
        };
        call_args(callable, s)
    }
}

/// For the C shim: `obj.name(*items)`.
#[export(err = null_mut(), guard_name = "PyObject_CallMethodObjArgs")]
pub unsafe fn _gilgate_call_method_array(
    obj: *mut PyObject,
    name: *mut PyObject,
    items: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the shim passes `n` live objects.
    unsafe {
        if obj.is_null() || name.is_null() {
            return null_error();
        }
        let m = crate::object::getattr(obj, name);
        if m.is_null() {
            return m;
        }
        let s = if n == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(items, n as usize)
        };
        let r = call_args(m, s);
        decref(m);
        r
    }
}

/// For the C shim: `callable(*built)` (see `call_built`); `name` non-NULL looks the method
/// up on `callable` first. Steals `built`.
#[export(err = null_mut(), guard_name = "PyObject_CallFunction")]
pub unsafe fn _gilgate_call_built(
    callable: *mut PyObject,
    name: *const c_char,
    name_obj: *mut PyObject,
    built: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the shim passes live objects and a NUL-terminated name or NULL.
    unsafe {
        if callable.is_null() {
            xdecref(built);
            return null_error();
        }
        let mut target = new_ref(callable);
        let n = if !name.is_null() {
            uni::from_cstr(name)
        } else if !name_obj.is_null() {
            new_ref(name_obj)
        } else {
            null_mut()
        };
        if !name.is_null() || !name_obj.is_null() {
            if n.is_null() {
                decref(target);
                xdecref(built);
                return null_mut();
            }
            let m = crate::object::getattr(callable, n);
            decref(n);
            decref(target);
            if m.is_null() {
                xdecref(built);
                return m;
            }
            target = m;
        }
        let r = if built.is_null() && !err::occurred() {
            call_args(target, &[])
        } else {
            call_built(target, built)
        };
        decref(target);
        r
    }
}

/// `null_error()`: SystemError for a NULL argument.
fn null_error() -> *mut PyObject {
    if !err::occurred() {
        raise(
            &raw mut EXC_SystemError,
            "null argument to internal routine",
        );
    }
    null_mut()
}

// ---- number protocol ----------------------------------------------------------------------

type NbSel = fn(&PyNumberMethods) -> binaryfunc;

fn same_fn(a: binaryfunc, b: binaryfunc) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => std::ptr::fn_addr_eq(x, y),
        _ => false,
    }
}

/// `binary_op1`: left slot, right slot (first when right is a proper subclass), returning
/// `NotImplemented` (a new reference) when neither handles the pair.
///
/// # Safety
/// Both must be live.
pub(crate) unsafe fn binary_op1(v: *mut PyObject, w: *mut PyObject, sel: NbSel) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let (tv, tw) = (ty(v), ty(w));
        let slotv = nb(tv).and_then(sel);
        let mut slotw = if tv != tw { nb(tw).and_then(sel) } else { None };
        if same_fn(slotv, slotw) {
            slotw = None;
        }
        if let Some(fv) = slotv {
            if let Some(fw) = slotw
                && is_subtype(tw, tv)
            {
                let x = crate::extcall::binary(fw, v, w);
                if !is_not_implemented(x) {
                    return x;
                }
                decref(x);
                slotw = None;
            }
            let x = crate::extcall::binary(fv, v, w);
            if !is_not_implemented(x) {
                return x;
            }
            decref(x);
        }
        if let Some(fw) = slotw {
            let x = crate::extcall::binary(fw, v, w);
            if !is_not_implemented(x) {
                return x;
            }
            decref(x);
        }
        new_ref(not_implemented())
    }
}

unsafe fn binop_type_error(v: *mut PyObject, w: *mut PyObject, op: &str) -> *mut PyObject {
    // SAFETY: both live.
    unsafe {
        type_error(&format!(
            "unsupported operand type(s) for {op}: '{}' and '{}'",
            trunc(&tname(v), 100),
            trunc(&tname(w), 100)
        ))
    }
}

unsafe fn binary_op(v: *mut PyObject, w: *mut PyObject, sel: NbSel, op: &str) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if v.is_null() || w.is_null() {
            return null_error();
        }
        let r = binary_op1(v, w, sel);
        if is_not_implemented(r) {
            decref(r);
            return binop_type_error(v, w, op);
        }
        r
    }
}

unsafe fn inplace_op1(
    v: *mut PyObject,
    w: *mut PyObject,
    isel: NbSel,
    sel: NbSel,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(f) = nb(ty(v)).and_then(isel) {
            let x = crate::extcall::binary(f, v, w);
            if !is_not_implemented(x) {
                return x;
            }
            decref(x);
        }
        binary_op1(v, w, sel)
    }
}

unsafe fn inplace_op(
    v: *mut PyObject,
    w: *mut PyObject,
    isel: NbSel,
    sel: NbSel,
    op: &str,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if v.is_null() || w.is_null() {
            return null_error();
        }
        let r = inplace_op1(v, w, isel, sel);
        if is_not_implemented(r) {
            decref(r);
            return binop_type_error(v, w, op);
        }
        r
    }
}

/// `sequence * n` through `sq_repeat`.
unsafe fn sequence_repeat(
    f: unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut PyObject,
    seq: *mut PyObject,
    n: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: both live.
    unsafe {
        if !index_check(n) {
            return type_error(&format!(
                "can't multiply sequence by non-int of type '{}'",
                trunc(&tname(n), 200)
            ));
        }
        let count = as_ssize_t(n, &raw mut EXC_OverflowError);
        if count == -1 && err::occurred() {
            return null_mut();
        }
        crate::extcall::ssizearg(f, seq, count)
    }
}

/// The arithmetic operators with a fast path for two exact floats or two exact ints of at
/// most two digits: the dispatch would call the (left) float or int slot, so computing
/// here gives the same result without the slot lookups. `None`: take the protocol.
#[derive(Clone, Copy, PartialEq)]
enum Arith {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Rem,
}

/// Two exact floats, for `+ - * /` (the last with a non-zero divisor): the result, computed
/// without anything that can panic, so the exported functions try it before their guard.
///
/// # Safety
/// `v` and `w` must be live objects or NULL.
#[inline]
unsafe fn float_fast(v: *mut PyObject, w: *mut PyObject, op: Arith) -> Option<*mut PyObject> {
    use crate::floatobject as fl;
    if v.is_null() || w.is_null() {
        return None;
    }
    // SAFETY: both non-NULL and live, per the callers' contract.
    let (x, y) = unsafe { fl::exact_pair(v, w) }?;
    match op {
        Arith::Add => Some(fl::from_f64(x + y)),
        Arith::Sub => Some(fl::from_f64(x - y)),
        Arith::Mul => Some(fl::from_f64(x * y)),
        Arith::TrueDiv if y != 0.0 => Some(fl::from_f64(x / y)),
        _ => None,
    }
}

/// The exact-float cases of `PyNumber_Add/Subtract/Multiply/TrueDivide`, which answer before
/// their guard (`#[export(fast = ..)]`).
///
/// # Safety
/// `v` and `w` must be live objects or NULL.
#[inline]
unsafe fn float_add(v: *mut PyObject, w: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe { float_fast(v, w, Arith::Add) }
}
/// As [`float_add`].
#[inline]
unsafe fn float_sub(v: *mut PyObject, w: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe { float_fast(v, w, Arith::Sub) }
}
/// As [`float_add`].
#[inline]
unsafe fn float_mul(v: *mut PyObject, w: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe { float_fast(v, w, Arith::Mul) }
}
/// As [`float_add`].
#[inline]
unsafe fn float_true_div(v: *mut PyObject, w: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe { float_fast(v, w, Arith::TrueDiv) }
}

#[inline]
unsafe fn arith_fast(v: *mut PyObject, w: *mut PyObject, op: Arith) -> Option<*mut PyObject> {
    use crate::longobject as lo;
    if v.is_null() || w.is_null() {
        return None;
    }
    // SAFETY: both non-NULL and live, per the callers' contract.
    unsafe {
        if let Some(r) = float_fast(v, w, op) {
            return Some(r);
        }
        if let Some((x, y)) = lo::exact_small_pair(v, w) {
            // |x|, |y| < 2**60: sums fit an i64, products an i128.
            return match op {
                Arith::Add => Some(lo::from_i64(x + y)),
                Arith::Sub => Some(lo::from_i64(x - y)),
                Arith::Mul => Some(lo::from_i128(i128::from(x) * i128::from(y))),
                Arith::FloorDiv if y != 0 => Some(lo::small_floordiv(x, y)),
                Arith::Rem if y != 0 => Some(lo::small_mod(x, y)),
                _ => None,
            };
        }
    }
    None
}

/// `PyNumber_Add`: the number slots, then `sq_concat` of the left operand.
///
/// # Safety
/// Both live.
pub(crate) unsafe fn add(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(r) = arith_fast(v, w, Arith::Add) {
            return r;
        }
        if v.is_null() || w.is_null() {
            return null_error();
        }
        let r = binary_op1(v, w, |m| m.nb_add);
        if !is_not_implemented(r) {
            return r;
        }
        decref(r);
        if let Some(f) = sq(ty(v)).and_then(|m| m.sq_concat) {
            return crate::extcall::binary(f, v, w);
        }
        binop_type_error(v, w, "+")
    }
}

/// `PyNumber_Multiply`: the number slots, then `sq_repeat` of either side.
///
/// # Safety
/// Both live.
pub(crate) unsafe fn multiply(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(r) = arith_fast(v, w, Arith::Mul) {
            return r;
        }
        if v.is_null() || w.is_null() {
            return null_error();
        }
        let r = binary_op1(v, w, |m| m.nb_multiply);
        if !is_not_implemented(r) {
            return r;
        }
        decref(r);
        if let Some(f) = sq(ty(v)).and_then(|m| m.sq_repeat) {
            return sequence_repeat(f, v, w);
        }
        if let Some(f) = sq(ty(w)).and_then(|m| m.sq_repeat) {
            return sequence_repeat(f, w, v);
        }
        binop_type_error(v, w, "*")
    }
}

/// `PyNumber_Power` (and `pow(v, w, z)`): CPython's ternary dispatch.
///
/// # Safety
/// All live (`z` is `None` for two-argument power).
pub(crate) unsafe fn power(
    v: *mut PyObject,
    w: *mut PyObject,
    z: *mut PyObject,
    inplace: bool,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if v.is_null() || w.is_null() || z.is_null() {
            return null_error();
        }
        if inplace && let Some(f) = nb(ty(v)).and_then(|m| m.nb_inplace_power) {
            let x = crate::extcall::ternary(f, v, w, z);
            if !is_not_implemented(x) {
                return x;
            }
            decref(x);
        }
        let (tv, tw) = (ty(v), ty(w));
        let slotv = nb(tv).and_then(|m| m.nb_power);
        let mut slotw = if tv != tw {
            nb(tw).and_then(|m| m.nb_power)
        } else {
            None
        };
        if let (Some(a), Some(b)) = (slotv, slotw)
            && std::ptr::fn_addr_eq(a, b)
        {
            slotw = None;
        }
        if let Some(fv) = slotv {
            if let Some(fw) = slotw
                && is_subtype(tw, tv)
            {
                let x = crate::extcall::ternary(fw, v, w, z);
                if !is_not_implemented(x) {
                    return x;
                }
                decref(x);
                slotw = None;
            }
            let x = crate::extcall::ternary(fv, v, w, z);
            if !is_not_implemented(x) {
                return x;
            }
            decref(x);
        }
        if let Some(fw) = slotw {
            let x = crate::extcall::ternary(fw, v, w, z);
            if !is_not_implemented(x) {
                return x;
            }
            decref(x);
        }
        if z != crate::object::none() {
            let tz = ty(z);
            if let Some(fz) = nb(tz).and_then(|m| m.nb_power) {
                let fzp = fz as usize;
                if slotv.is_none_or(|f| f as usize != fzp)
                    && (slotw.is_none_or(|f| f as usize != fzp))
                {
                    let x = crate::extcall::ternary(fz, v, w, z);
                    if !is_not_implemented(x) {
                        return x;
                    }
                    decref(x);
                }
            }
            return type_error(&format!(
                "unsupported operand type(s) for pow(): '{}', '{}', '{}'",
                trunc(&tname(v), 100),
                trunc(&tname(w), 100),
                trunc(&tname(z), 100)
            ));
        }
        type_error(&format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            if inplace { "**=" } else { "** or pow()" },
            trunc(&tname(v), 100),
            trunc(&tname(w), 100)
        ))
    }
}

unsafe fn unary(
    o: *mut PyObject,
    sel: fn(&PyNumberMethods) -> crate::object::unaryfunc,
    what: &str,
) -> *mut PyObject {
    // SAFETY: `o` live.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        if let Some(f) = nb(ty(o)).and_then(sel) {
            return crate::extcall::unary(f, o);
        }
        type_error(&format!(
            "bad operand type for {what}: '{}'",
            trunc(&tname(o), 200)
        ))
    }
}

/// `_PyIndex_Check`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn index_check(o: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { is_long(o) || nb(ty(o)).is_some_and(|m| m.nb_index.is_some()) }
}

/// `PyNumber_Index`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn index(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        if is_long(o) {
            return new_ref(o);
        }
        let Some(f) = nb(ty(o)).and_then(|m| m.nb_index) else {
            return type_error(&format!(
                "'{}' object cannot be interpreted as an integer",
                trunc(&tname(o), 200)
            ));
        };
        let r = crate::extcall::unary(f, o);
        if r.is_null() || is_long(r) {
            return r;
        }
        let n = tname(r);
        decref(r);
        type_error(&format!(
            "__index__ returned non-int (type {})",
            trunc(&n, 200)
        ))
    }
}

/// `PyNumber_AsSsize_t`: overflow raises `exc`, or clamps when `exc` is NULL.
///
/// # Safety
/// `o` live; `exc` NULL or an exception type.
pub(crate) unsafe fn as_ssize_t(o: *mut PyObject, exc: *mut PyTypeObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        let v = index(o);
        if v.is_null() {
            return -1;
        }
        let r = ext::PyLong_AsSsize_t(v);
        if r == -1 && err::occurred() {
            if !err::matches_current(&raw mut EXC_OverflowError) {
                decref(v);
                return -1;
            }
            err::clear();
            let negative = crate::longobject::value_i128(v).is_some_and(|x| x < 0)
                || (crate::longobject::value_i128(v).is_none() && sign_of_big(v) < 0);
            decref(v);
            if exc.is_null() {
                return if negative { isize::MIN } else { isize::MAX };
            }
            raise(
                exc,
                &format!(
                    "cannot fit '{}' into an index-sized integer",
                    trunc(&tname(o), 200)
                ),
            );
            return -1;
        }
        decref(v);
        r
    }
}

/// The sign of an int through the `lv_tag` (0b10 in the low bits means negative).
unsafe fn sign_of_big(v: *mut PyObject) -> i32 {
    // SAFETY: `v` is an int; `lv_tag` follows the 32-byte free-threaded header.
    unsafe {
        let tag = *v.cast::<u8>().add(32).cast::<usize>();
        match tag & 3 {
            2 => -1,
            1 => 0,
            _ => 1,
        }
    }
}

#[export(fast = float_sub)]
pub unsafe fn PyNumber_Subtract(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // Two exact floats were answered before the guard (`float_fast`); the int fast path next.
    // SAFETY: live objects or NULL, per the C API contract.
    unsafe {
        match arith_fast(v, w, Arith::Sub) {
            Some(r) => r,
            None => binary_op(v, w, |m| m.nb_subtract, "-"),
        }
    }
}

#[export(fast = float_true_div)]
pub unsafe fn PyNumber_TrueDivide(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // Two exact floats were answered before the guard (`float_fast`); the int fast path next.
    // SAFETY: live objects or NULL, per the C API contract.
    unsafe {
        match arith_fast(v, w, Arith::TrueDiv) {
            Some(r) => r,
            None => binary_op(v, w, |m| m.nb_true_divide, "/"),
        }
    }
}

#[export]
pub unsafe fn PyNumber_FloorDivide(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        match arith_fast(v, w, Arith::FloorDiv) {
            Some(r) => r,
            None => binary_op(v, w, |m| m.nb_floor_divide, "//"),
        }
    }
}

#[export]
pub unsafe fn PyNumber_Remainder(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        match arith_fast(v, w, Arith::Rem) {
            Some(r) => r,
            None => binary_op(v, w, |m| m.nb_remainder, "%"),
        }
    }
}

#[export]
pub unsafe fn PyNumber_Divmod(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_divmod, "divmod()") }
}

#[export]
pub unsafe fn PyNumber_Lshift(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_lshift, "<<") }
}

#[export]
pub unsafe fn PyNumber_Rshift(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_rshift, ">>") }
}

#[export]
pub unsafe fn PyNumber_And(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_and, "&") }
}

#[export]
pub unsafe fn PyNumber_Or(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_or, "|") }
}

#[export]
pub unsafe fn PyNumber_Xor(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_xor, "^") }
}

#[export]
pub unsafe fn PyNumber_MatrixMultiply(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { binary_op(v, w, |m| m.nb_matrix_multiply, "@") }
}

#[export]
pub unsafe fn PyNumber_InPlaceSubtract(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_subtract, |m| m.nb_subtract, "-=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceTrueDivide(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        inplace_op(
            v,
            w,
            |m| m.nb_inplace_true_divide,
            |m| m.nb_true_divide,
            "/=",
        )
    }
}

#[export]
pub unsafe fn PyNumber_InPlaceFloorDivide(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        inplace_op(
            v,
            w,
            |m| m.nb_inplace_floor_divide,
            |m| m.nb_floor_divide,
            "//=",
        )
    }
}

#[export]
pub unsafe fn PyNumber_InPlaceRemainder(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_remainder, |m| m.nb_remainder, "%=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceLshift(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_lshift, |m| m.nb_lshift, "<<=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceRshift(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_rshift, |m| m.nb_rshift, ">>=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceAnd(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_and, |m| m.nb_and, "&=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceOr(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_or, |m| m.nb_or, "|=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceXor(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { inplace_op(v, w, |m| m.nb_inplace_xor, |m| m.nb_xor, "^=") }
}

#[export]
pub unsafe fn PyNumber_InPlaceMatrixMultiply(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        inplace_op(
            v,
            w,
            |m| m.nb_inplace_matrix_multiply,
            |m| m.nb_matrix_multiply,
            "@=",
        )
    }
}

#[export(fast = float_add)]
pub unsafe fn PyNumber_Add(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // Two exact floats were answered before the guard (`float_fast`); the int fast path next.
    // SAFETY: live objects or NULL, per the C API contract.
    unsafe {
        match arith_fast(v, w, Arith::Add) {
            Some(r) => r,
            None => add(v, w),
        }
    }
}

#[export(fast = float_mul)]
pub unsafe fn PyNumber_Multiply(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // Two exact floats were answered before the guard (`float_fast`); the int fast path next.
    // SAFETY: live objects or NULL, per the C API contract.
    unsafe {
        match arith_fast(v, w, Arith::Mul) {
            Some(r) => r,
            None => multiply(v, w),
        }
    }
}

#[export]
pub unsafe fn PyNumber_InPlaceAdd(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if v.is_null() || w.is_null() {
            return null_error();
        }
        let r = inplace_op1(v, w, |m| m.nb_inplace_add, |m| m.nb_add);
        if !is_not_implemented(r) {
            return r;
        }
        decref(r);
        if let Some(m) = sq(ty(v))
            && let Some(f) = m.sq_inplace_concat.or(m.sq_concat)
        {
            return crate::extcall::binary(f, v, w);
        }
        binop_type_error(v, w, "+=")
    }
}

#[export]
pub unsafe fn PyNumber_InPlaceMultiply(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if v.is_null() || w.is_null() {
            return null_error();
        }
        let r = inplace_op1(v, w, |m| m.nb_inplace_multiply, |m| m.nb_multiply);
        if !is_not_implemented(r) {
            return r;
        }
        decref(r);
        if let Some(m) = sq(ty(v))
            && let Some(f) = m.sq_inplace_repeat.or(m.sq_repeat)
        {
            return sequence_repeat(f, v, w);
        }
        if let Some(f) = sq(ty(w)).and_then(|m| m.sq_repeat) {
            return sequence_repeat(f, w, v);
        }
        binop_type_error(v, w, "*=")
    }
}

#[export]
pub unsafe fn PyNumber_Power(
    v: *mut PyObject,
    w: *mut PyObject,
    z: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { power(v, w, z, false) }
}

#[export]
pub unsafe fn PyNumber_InPlacePower(
    v: *mut PyObject,
    w: *mut PyObject,
    z: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { power(v, w, z, true) }
}

#[export]
pub unsafe fn PyNumber_Negative(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { unary(o, |m| m.nb_negative, "unary -") }
}

#[export]
pub unsafe fn PyNumber_Positive(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { unary(o, |m| m.nb_positive, "unary +") }
}

#[export]
pub unsafe fn PyNumber_Invert(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { unary(o, |m| m.nb_invert, "unary ~") }
}

#[export]
pub unsafe fn PyNumber_Absolute(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { unary(o, |m| m.nb_absolute, "abs()") }
}

#[export]
pub unsafe fn PyNumber_Index(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        let r = index(o);
        if r.is_null() || crate::longobject::is_exact_int(r) {
            return r;
        }
        // An int subclass (bool included) comes back as a plain int.
        let v = crate::longobject::from_bigint(&crate::longobject::to_bigint(r));
        decref(r);
        v
    }
}

#[export]
pub unsafe fn PyNumber_AsSsize_t(o: *mut PyObject, exc: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract.
    unsafe { as_ssize_t(o, exc.cast()) }
}

#[export]
pub unsafe fn PyNumber_Check(o: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if o.is_null() {
            return 0;
        }
        // CPython's rule: the type has number methods, and among them `nb_index`, `nb_int` or
        // `nb_float`, or the object is a complex (subclasses included: they inherit complex's
        // number methods).
        let has = nb(ty(o)).is_some_and(|m| {
            m.nb_index.is_some()
                || m.nb_int.is_some()
                || m.nb_float.is_some()
                || crate::complexobject::is_complex(o)
        });
        c_int::from(has)
    }
}

/// `PyNumber_Long`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn number_long(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        if is_long(o) && ty(o) == &raw mut crate::longobject::PyLong_Type {
            return new_ref(o);
        }
        if let Some(m) = nb(ty(o)) {
            if let Some(f) = m.nb_int {
                let r = crate::extcall::unary(f, o);
                if r.is_null() || is_long(r) {
                    return r;
                }
                let n = tname(r);
                decref(r);
                return type_error(&format!(
                    "__int__ returned non-int (type {})",
                    trunc(&n, 200)
                ));
            }
            if m.nb_index.is_some() {
                return index(o);
            }
        }
        if is_long(o) {
            return new_ref(o);
        }
        if uni::is_str(o) {
            return ext::PyLong_FromUnicodeObject(o, 10);
        }
        type_error(&format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            trunc(&tname(o), 200)
        ))
    }
}

#[export]
pub unsafe fn PyNumber_Long(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { number_long(o) }
}

#[export]
pub unsafe fn PyNumber_Float(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        if ty(o) == &raw mut crate::floatobject::PyFloat_Type {
            return new_ref(o);
        }
        if let Some(m) = nb(ty(o)) {
            if let Some(f) = m.nb_float {
                let r = crate::extcall::unary(f, o);
                if r.is_null() || crate::floatobject::is_float(r) {
                    return r;
                }
                let n = tname(r);
                decref(r);
                return type_error(&format!(
                    "{}.__float__ returned non-float (type {})",
                    trunc(&tname(o), 50),
                    trunc(&n, 50)
                ));
            }
            if m.nb_index.is_some() {
                let i = index(o);
                if i.is_null() {
                    return i;
                }
                let d = ext::PyLong_AsDouble(i);
                decref(i);
                if d == -1.0 && err::occurred() {
                    return null_mut();
                }
                return crate::floatobject::from_f64(d);
            }
        }
        if let Some(d) = crate::floatobject::as_f64(o) {
            return crate::floatobject::from_f64(d);
        }
        if uni::is_str(o) {
            return ext::PyFloat_FromString(o);
        }
        type_error(&format!(
            "float() argument must be a string or a real number, not '{}'",
            trunc(&tname(o), 200)
        ))
    }
}

// ---- rich comparison ----------------------------------------------------------------------

const OP_STRINGS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

fn swapped(op: c_int) -> c_int {
    match op {
        Py_LT => Py_GT,
        Py_LE => Py_GE,
        Py_GT => Py_LT,
        Py_GE => Py_LE,
        o => o,
    }
}

/// `PyObject_RichCompare`.
///
/// # Safety
/// Both live; `op` in 0..=5.
pub(crate) unsafe fn rich_compare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if v.is_null() || w.is_null() || !(Py_LT..=Py_GE).contains(&op) {
            return null_error();
        }
        let (tv, tw) = (ty(v), ty(w));
        let mut reverse_done = false;
        if tv != tw
            && is_subtype(tw, tv)
            && let Some(f) = (*tw).tp_richcompare
        {
            reverse_done = true;
            let r = crate::extcall::richcmp(f, w, v, swapped(op));
            if !is_not_implemented(r) {
                return r;
            }
            decref(r);
        }
        if let Some(f) = (*tv).tp_richcompare {
            let r = crate::extcall::richcmp(f, v, w, op);
            if !is_not_implemented(r) {
                return r;
            }
            decref(r);
        }
        if !reverse_done && let Some(f) = (*tw).tp_richcompare {
            let r = crate::extcall::richcmp(f, w, v, swapped(op));
            if !is_not_implemented(r) {
                return r;
            }
            decref(r);
        }
        match op {
            Py_EQ => crate::boolobject::from_bool(v == w),
            Py_NE => crate::boolobject::from_bool(v != w),
            _ => type_error(&format!(
                "'{}' not supported between instances of '{}' and '{}'",
                OP_STRINGS[op as usize],
                trunc(&tname(v), 100),
                trunc(&tname(w), 100)
            )),
        }
    }
}

/// `PyObject_RichCompareBool`: identity implies equality.
///
/// # Safety
/// Both live.
pub(crate) unsafe fn rich_compare_bool(v: *mut PyObject, w: *mut PyObject, op: c_int) -> c_int {
    if v == w && !v.is_null() {
        if op == Py_EQ {
            return 1;
        }
        if op == Py_NE {
            return 0;
        }
    }
    // SAFETY: forwarded contract.
    unsafe {
        let r = rich_compare(v, w, op);
        if r.is_null() {
            return -1;
        }
        let b = if r == crate::boolobject::true_() {
            1
        } else if r == crate::boolobject::false_() {
            0
        } else {
            crate::object::truth(r)
        };
        decref(r);
        b
    }
}

#[export]
pub unsafe fn PyObject_RichCompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { rich_compare(v, w, op) }
}

#[export]
pub unsafe fn PyObject_RichCompareBool(v: *mut PyObject, w: *mut PyObject, op: c_int) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { rich_compare_bool(v, w, op) }
}

// ---- item access and length ---------------------------------------------------------------

/// `PyObject_GetItem`.
///
/// # Safety
/// Both live.
pub(crate) unsafe fn get_item(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() || key.is_null() {
            return null_error();
        }
        let t = ty(o);
        // The exact built-in containers' own subscripts, called by name: what their
        // `mp_subscript` slot would run, without the crossing's lock check (gilgate's code lies
        // in no module's range) or the indirect call.
        if t == &raw mut crate::dictobject::PyDict_Type {
            return crate::dictobject::dict_subscript(o, key);
        }
        if t == &raw mut crate::listobject::PyList_Type {
            return crate::listobject::list_subscript(o, key);
        }
        if let Some(f) = mp(t).and_then(|m| m.mp_subscript) {
            return crate::extcall::binary(f, o, key);
        }
        if let Some(s) = sq(t)
            && let Some(f) = s.sq_item
        {
            if index_check(key) {
                let i = as_ssize_t(key, &raw mut EXC_IndexError);
                if i == -1 && err::occurred() {
                    return null_mut();
                }
                return sequence_get_item(o, i);
            }
            let _ = f;
            return type_error(&format!(
                "sequence index must be integer, not '{}'",
                trunc(&tname(key), 200)
            ));
        }
        if crate::object::is_type(o) {
            // `type[int]`, and a class's `__class_getitem__` (`list[int]`).
            if o == (&raw mut crate::object::PyType_Type).cast() {
                return crate::genericaliasobject::Py_GenericAlias(o, key);
            }
            let mut meth = null_mut();
            let found = crate::object::getattr_opt(o, uni::intern("__class_getitem__"), &mut meth);
            if found < 0 {
                return null_mut();
            }
            if found == 1 {
                let r = call_args(meth, &[key]);
                decref(meth);
                return r;
            }
            return type_error(&format!(
                "type '{}' is not subscriptable",
                trunc(&type_name(o.cast()), 200)
            ));
        }
        type_error(&format!(
            "'{}' object is not subscriptable",
            trunc(&tname(o), 200)
        ))
    }
}

/// `PyObject_SetItem` (`value` NULL deletes).
///
/// # Safety
/// `o`, `key` live; `value` NULL or live.
pub(crate) unsafe fn set_item(o: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() || key.is_null() {
            null_error();
            return -1;
        }
        let t = ty(o);
        if let Some(f) = mp(t).and_then(|m| m.mp_ass_subscript) {
            return crate::extcall::objobjarg(f, o, key, value);
        }
        if let Some(s) = sq(t)
            && s.sq_ass_item.is_some()
        {
            if index_check(key) {
                let i = as_ssize_t(key, &raw mut EXC_IndexError);
                if i == -1 && err::occurred() {
                    return -1;
                }
                return sequence_set_item(o, i, value);
            }
            if s.sq_item.is_some() {
                type_error(&format!(
                    "sequence index must be integer, not '{}'",
                    trunc(&tname(key), 200)
                ));
                return -1;
            }
        }
        // CPython 3.14: PyObject_DelItem says "does not", PySequence_DelItem still "doesn't"
        let what = if value.is_null() {
            "does not support item deletion"
        } else {
            "does not support item assignment"
        };
        type_error(&format!("'{}' object {what}", trunc(&tname(o), 200)));
        -1
    }
}

/// `PyObject_Size`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn size(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() {
            null_error();
            return -1;
        }
        let t = ty(o);
        if let Some(f) = sq(t).and_then(|m| m.sq_length) {
            return crate::extcall::ssize(f, o);
        }
        if let Some(f) = mp(t).and_then(|m| m.mp_length) {
            return crate::extcall::ssize(f, o);
        }
        type_error(&format!(
            "object of type '{}' has no len()",
            trunc(&tname(o), 200)
        ));
        -1
    }
}

#[export]
pub unsafe fn PyObject_GetItem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { get_item(o, key) }
}

#[export]
pub unsafe fn PyObject_SetItem(
    o: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if value.is_null() {
            null_error();
            return -1;
        }
        set_item(o, key, value)
    }
}

#[export]
pub unsafe fn PyObject_DelItem(o: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { set_item(o, key, null_mut()) }
}

#[export]
pub unsafe fn PyObject_DelItemString(o: *mut PyObject, key: *const c_char) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if key.is_null() {
            null_error();
            return -1;
        }
        let k = uni::from_cstr(key);
        if k.is_null() {
            return -1;
        }
        let r = set_item(o, k, null_mut());
        decref(k);
        r
    }
}

#[export]
pub unsafe fn PyObject_Size(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract.
    unsafe { size(o) }
}

#[export]
pub unsafe fn PyObject_Length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract.
    unsafe { size(o) }
}

#[export]
pub unsafe fn PyObject_LengthHint(o: *mut PyObject, default: Py_ssize_t) -> Py_ssize_t {
    // SAFETY: per the C API contract.
    unsafe {
        let t = ty(o);
        if sq(t).is_some_and(|m| m.sq_length.is_some())
            || mp(t).is_some_and(|m| m.mp_length.is_some())
        {
            let n = size(o);
            if n >= 0 {
                return n;
            }
            if !err::matches_current(&raw mut EXC_TypeError) {
                return -1;
            }
            err::clear();
        }
        // `__length_hint__`, looked up on the type (a special method)
        let name = crate::unicodeobject::intern("__length_hint__");
        let hint = crate::object::type_lookup_ref(t, name);
        if hint.is_null() {
            return if crate::pyerrors::PyErr_Occurred().is_null() {
                default
            } else {
                -1
            };
        }
        let bound = match (*ty(hint)).tp_descr_get {
            Some(get) => crate::extcall::ternary(get, hint, o, t.cast()),
            None => {
                crate::refcount::incref(hint);
                hint
            }
        };
        crate::refcount::decref(hint);
        if bound.is_null() {
            return -1;
        }
        let r = PyObject_CallNoArgs(bound);
        crate::refcount::decref(bound);
        if r.is_null() {
            if err::matches_current(&raw mut EXC_TypeError) {
                err::clear();
                return default;
            }
            return -1;
        }
        if is_not_implemented(r) {
            crate::refcount::decref(r);
            return default;
        }
        if !has_flag(r, crate::object::Py_TPFLAGS_LONG_SUBCLASS) {
            let tn = crate::object::tname(r);
            crate::refcount::decref(r);
            raise(
                &raw mut EXC_TypeError,
                &format!("__length_hint__ must be an integer, not {tn}"),
            );
            return -1;
        }
        let n = crate::longobject::PyLong_AsSsize_t(r);
        crate::refcount::decref(r);
        if n == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
            return -1;
        }
        if n < 0 {
            raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "__length_hint__() should return >= 0",
            );
            return -1;
        }
        n
    }
}

// ---- sequence protocol --------------------------------------------------------------------

/// `PySequence_Check`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn sequence_check(o: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        !has_flag(o, Py_TPFLAGS_DICT_SUBCLASS) && sq(ty(o)).is_some_and(|m| m.sq_item.is_some())
    }
}

/// `PySequence_GetItem` (negative indexes count from the end).
///
/// # Safety
/// `s` live.
pub(crate) unsafe fn sequence_get_item(s: *mut PyObject, mut i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if s.is_null() {
            return null_error();
        }
        let t = ty(s);
        if let Some(m) = sq(t)
            && let Some(f) = m.sq_item
        {
            if i < 0
                && let Some(len) = m.sq_length
            {
                let l = crate::extcall::ssize(len, s);
                if l < 0 {
                    return null_mut();
                }
                i += l;
            }
            return crate::extcall::ssizearg(f, s, i);
        }
        if mp(t).is_some_and(|m| m.mp_subscript.is_some()) {
            return type_error(&format!("{} is not a sequence", trunc(&tname(s), 200)));
        }
        type_error(&format!(
            "'{}' object does not support indexing",
            trunc(&tname(s), 200)
        ))
    }
}

/// `PySequence_SetItem` / `DelItem` (`v` NULL).
///
/// # Safety
/// `s` live; `v` NULL or live.
pub(crate) unsafe fn sequence_set_item(
    s: *mut PyObject,
    mut i: Py_ssize_t,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if s.is_null() {
            null_error();
            return -1;
        }
        let t = ty(s);
        if let Some(m) = sq(t)
            && let Some(f) = m.sq_ass_item
        {
            if i < 0
                && let Some(len) = m.sq_length
            {
                let l = crate::extcall::ssize(len, s);
                if l < 0 {
                    return -1;
                }
                i += l;
            }
            return crate::extcall::ssizeobjarg(f, s, i, v);
        }
        if mp(t).is_some_and(|m| m.mp_ass_subscript.is_some()) {
            type_error(&format!("{} is not a sequence", trunc(&tname(s), 200)));
            return -1;
        }
        let what = if v.is_null() {
            "doesn't support item deletion"
        } else {
            "does not support item assignment"
        };
        type_error(&format!("'{}' object {what}", trunc(&tname(s), 200)));
        -1
    }
}

/// Iterates `o`, calling `f` with each borrowed item; `f` returns `Some(r)` to stop with `r`.
/// Returns `Ok(None)` when exhausted, `Err(())` on error (exception set).
///
/// # Safety
/// `o` live.
#[allow(clippy::result_unit_err)]
pub(crate) unsafe fn for_each<T>(
    o: *mut PyObject,
    mut f: impl FnMut(*mut PyObject) -> Result<Option<T>, ()>,
) -> Result<Option<T>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if !o.is_null()
            && (*ty(o)).tp_iter.is_none()
            && sequence_check(o)
            && let Some(item) = sq(ty(o)).and_then(|m| m.sq_item)
        {
            // The old sequence protocol: items 0, 1, ... until IndexError.
            let mut i: Py_ssize_t = 0;
            loop {
                let x = crate::extcall::ssizearg(item, o, i);
                if x.is_null() {
                    if err::matches_current(&raw mut EXC_IndexError) {
                        err::clear();
                        return Ok(None);
                    }
                    return Err(());
                }
                let r = f(x);
                decref(x);
                match r {
                    Ok(None) => i += 1,
                    other => return other,
                }
            }
        }
        let it = get_iter(o);
        if it.is_null() {
            return Err(());
        }
        loop {
            let x = iter_next(it);
            if x.is_null() {
                decref(it);
                return if err::occurred() { Err(()) } else { Ok(None) };
            }
            let r = f(x);
            decref(x);
            match r {
                Ok(None) => {}
                other => {
                    decref(it);
                    return other;
                }
            }
        }
    }
}

/// `PySequence_Contains`: `sq_contains`, else an iteration search.
///
/// # Safety
/// Both live.
pub(crate) unsafe fn contains(seq: *mut PyObject, ob: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(f) = sq(ty(seq)).and_then(|m| m.sq_contains) {
            return crate::extcall::objobj(f, seq, ob);
        }
        if (*ty(seq)).tp_iter.is_none() && !sequence_check(seq) {
            type_error(&format!(
                "argument of type '{}' is not a container or iterable",
                trunc(&tname(seq), 200)
            ));
            return -1;
        }
        match for_each(seq, |x| match rich_compare_bool(x, ob, Py_EQ) {
            -1 => Err(()),
            0 => Ok(None),
            _ => Ok(Some(())),
        }) {
            Ok(Some(())) => 1,
            Ok(None) => 0,
            Err(()) => -1,
        }
    }
}

/// `PySequence_List`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn sequence_list(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let l = ext::PyList_New(0);
        if l.is_null() {
            return l;
        }
        match for_each(o, |x| {
            if ext::PyList_Append(l, x) < 0 {
                Err(())
            } else {
                Ok(None::<()>)
            }
        }) {
            Ok(_) => l,
            Err(()) => {
                decref(l);
                null_mut()
            }
        }
    }
}

/// `PySequence_Tuple`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn sequence_tuple(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        if ty(o) == &raw mut crate::tupleobject::PyTuple_Type {
            return new_ref(o);
        }
        let mut v: Vec<*mut PyObject> = Vec::new();
        let r = for_each(o, |x| {
            v.push(new_ref(x));
            Ok(None::<()>)
        });
        let t = if r.is_ok() {
            tup::from_slice(&v)
        } else {
            null_mut()
        };
        for x in v {
            decref(x);
        }
        t
    }
}

fn list_or_tuple(o: *mut PyObject) -> bool {
    // SAFETY: `o` is live (callers).
    unsafe { has_flag(o, Py_TPFLAGS_LIST_SUBCLASS) || has_flag(o, Py_TPFLAGS_TUPLE_SUBCLASS) }
}

#[export]
pub unsafe fn PySequence_Check(o: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { c_int::from(!o.is_null() && sequence_check(o)) }
}
#[export]
pub unsafe fn PySequence_Size(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { sequence_size(o) }
}
#[export]
pub unsafe fn PySequence_Length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { sequence_size(o) }
}
#[export]
pub unsafe fn PySequence_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { sequence_get_item(o, i) }
}
#[export]
pub unsafe fn PySequence_SetItem(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if v.is_null() {
            null_error();
            -1
        } else {
            sequence_set_item(o, i, v)
        }
    }
}
#[export]
pub unsafe fn PySequence_DelItem(o: *mut PyObject, i: Py_ssize_t) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { sequence_set_item(o, i, null_mut()) }
}
#[export]
pub unsafe fn PySequence_Contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { contains(o, v) }
}
#[export]
pub unsafe fn PySequence_In(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { contains(o, v) }
}
#[export]
pub unsafe fn PySequence_List(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if o.is_null() {
            null_error()
        } else {
            sequence_list(o)
        }
    }
}
#[export]
pub unsafe fn PySequence_Tuple(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { sequence_tuple(o) }
}
#[export]
pub unsafe fn PySequence_Fast(o: *mut PyObject, m: *const c_char) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if o.is_null() {
            null_error()
        } else if list_or_tuple(o) {
            new_ref(o)
        } else {
            let it = get_iter(o);
            if it.is_null() {
                if err::matches_current(&raw mut EXC_TypeError) && !m.is_null() {
                    raise(&raw mut EXC_TypeError, &CStr::from_ptr(m).to_string_lossy());
                }
                null_mut()
            } else {
                let l = sequence_list(it);
                decref(it);
                l
            }
        }
    }
}
#[export]
pub unsafe fn PySequence_Count(s: *mut PyObject, v: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        // CPython's `_PySequence_IterSearch`: its own text for what cannot be iterated
        let it = PyObject_GetIter(s);
        if it.is_null() {
            if err::matches_current(&raw mut EXC_TypeError) {
                let tn = crate::object::tname(s);
                err::clear();
                raise(
                    &raw mut EXC_TypeError,
                    &format!("argument of type '{tn}' is not iterable"),
                );
            }
            return -1;
        }
        let s = it;
        let _it = scopeguard_decref(it);
        let mut n: Py_ssize_t = 0;
        match for_each(s, |x| match rich_compare_bool(x, v, Py_EQ) {
            -1 => Err(()),
            0 => Ok(None::<()>),
            _ => {
                n += 1;
                Ok(None)
            }
        }) {
            Ok(_) => n,
            Err(()) => -1,
        }
    }
}
#[export]
pub unsafe fn PySequence_Index(s: *mut PyObject, v: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        // CPython's `_PySequence_IterSearch`: its own text for what cannot be iterated
        let it = PyObject_GetIter(s);
        if it.is_null() {
            if err::matches_current(&raw mut EXC_TypeError) {
                let tn = crate::object::tname(s);
                err::clear();
                raise(
                    &raw mut EXC_TypeError,
                    &format!("argument of type '{tn}' is not iterable"),
                );
            }
            return -1;
        }
        let s = it;
        let _it = scopeguard_decref(it);
        let mut i: Py_ssize_t = 0;
        match for_each(s, |x| match rich_compare_bool(x, v, Py_EQ) {
            -1 => Err(()),
            0 => {
                i += 1;
                Ok(None)
            }
            _ => Ok(Some(i)),
        }) {
            Ok(Some(i)) => i,
            Ok(None) => {
                raise(
                    &raw mut EXC_ValueError,
                    "sequence.index(x): x not in sequence",
                );
                -1
            }
            Err(()) => -1,
        }
    }
}
#[export]
pub unsafe fn PySequence_Concat(s: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if s.is_null() || o.is_null() {
            null_error()
        } else if let Some(f) = sq(ty(s)).and_then(|m| m.sq_concat) {
            crate::extcall::binary(f, s, o)
        } else {
            let mut r = null_mut();
            let mut done = false;
            if sequence_check(s) && sequence_check(o) {
                r = binary_op1(s, o, |m| m.nb_add);
                if is_not_implemented(r) {
                    decref(r);
                } else {
                    done = true;
                }
            }
            if done {
                r
            } else {
                type_error(&format!(
                    "'{}' object can't be concatenated",
                    trunc(&tname(s), 200)
                ))
            }
        }
    }
}
#[export]
pub unsafe fn PySequence_InPlaceConcat(s: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if s.is_null() || o.is_null() {
            null_error()
        } else if let Some(f) = sq(ty(s)).and_then(|m| m.sq_inplace_concat.or(m.sq_concat)) {
            crate::extcall::binary(f, s, o)
        } else {
            type_error(&format!(
                "'{}' object can't be concatenated",
                trunc(&tname(s), 200)
            ))
        }
    }
}
#[export]
pub unsafe fn PySequence_Repeat(s: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if s.is_null() {
            null_error()
        } else if let Some(f) = sq(ty(s)).and_then(|m| m.sq_repeat) {
            crate::extcall::ssizearg(f, s, n)
        } else {
            type_error(&format!(
                "'{}' object can't be repeated",
                trunc(&tname(s), 200)
            ))
        }
    }
}
#[export]
pub unsafe fn PySequence_InPlaceRepeat(s: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if s.is_null() {
            null_error()
        } else if let Some(f) = sq(ty(s)).and_then(|m| m.sq_inplace_repeat.or(m.sq_repeat)) {
            crate::extcall::ssizearg(f, s, n)
        } else {
            type_error(&format!(
                "'{}' object can't be repeated",
                trunc(&tname(s), 200)
            ))
        }
    }
}
#[export]
pub unsafe fn PySequence_GetSlice(
    s: *mut PyObject,
    i1: Py_ssize_t,
    i2: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if s.is_null() {
            null_error()
        } else if let Some(f) = mp(ty(s)).and_then(|m| m.mp_subscript) {
            let slice = new_slice(i1, i2);
            if slice.is_null() {
                null_mut()
            } else {
                let r = crate::extcall::binary(f, s, slice);
                decref(slice);
                r
            }
        } else {
            type_error(&format!(
                "'{}' object is unsliceable",
                trunc(&tname(s), 200)
            ))
        }
    }
}
#[export]
pub unsafe fn PySequence_SetSlice(
    s: *mut PyObject,
    i1: Py_ssize_t,
    i2: Py_ssize_t,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { set_slice(s, i1, i2, v) }
}
#[export]
pub unsafe fn PySequence_DelSlice(s: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { set_slice(s, i1, i2, null_mut()) }
}

unsafe fn new_slice(i1: Py_ssize_t, i2: Py_ssize_t) -> *mut PyObject {
    // SAFETY: fresh ints are owned here; PySlice_New takes its own references.
    unsafe {
        let a = crate::longobject::from_i128(i1 as i128);
        let b = crate::longobject::from_i128(i2 as i128);
        let s = if a.is_null() || b.is_null() {
            null_mut()
        } else {
            ext::PySlice_New(a, b, null_mut())
        };
        xdecref(a);
        xdecref(b);
        s
    }
}

unsafe fn set_slice(s: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: `s` live (callers), `v` NULL or live.
    unsafe {
        if s.is_null() {
            null_error();
            return -1;
        }
        if let Some(f) = mp(ty(s)).and_then(|m| m.mp_ass_subscript) {
            let slice = new_slice(i1, i2);
            if slice.is_null() {
                return -1;
            }
            let r = crate::extcall::objobjarg(f, s, slice, v);
            decref(slice);
            return r;
        }
        type_error(&format!(
            "'{}' object doesn't support slice {}",
            trunc(&tname(s), 200),
            if v.is_null() {
                "deletion"
            } else {
                "assignment"
            }
        ));
        -1
    }
}

unsafe fn sequence_size(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: `o` NULL or live.
    unsafe {
        if o.is_null() {
            null_error();
            return -1;
        }
        if let Some(f) = sq(ty(o)).and_then(|m| m.sq_length) {
            return crate::extcall::ssize(f, o);
        }
        if mp(ty(o)).is_some_and(|m| m.mp_length.is_some()) {
            type_error(&format!("{} is not a sequence", trunc(&tname(o), 200)));
            return -1;
        }
        type_error(&format!(
            "object of type '{}' has no len()",
            trunc(&tname(o), 200)
        ));
        -1
    }
}

// ---- mapping protocol ---------------------------------------------------------------------

unsafe fn mapping_size(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: `o` NULL or live.
    unsafe {
        if o.is_null() {
            null_error();
            return -1;
        }
        if let Some(f) = mp(ty(o)).and_then(|m| m.mp_length) {
            return crate::extcall::ssize(f, o);
        }
        if sq(ty(o)).is_some_and(|m| m.sq_length.is_some()) {
            type_error(&format!("{} is not a mapping", trunc(&tname(o), 200)));
            return -1;
        }
        type_error(&format!(
            "object of type '{}' has no len()",
            trunc(&tname(o), 200)
        ));
        -1
    }
}

unsafe fn with_str_key<R>(
    key: *const c_char,
    err_value: R,
    f: impl FnOnce(*mut PyObject) -> R,
) -> R {
    if key.is_null() {
        null_error();
        return err_value;
    }
    // SAFETY: a NUL-terminated key.
    let k = unsafe { uni::from_cstr(key) };
    if k.is_null() {
        return err_value;
    }
    let r = f(k);
    // SAFETY: our reference.
    unsafe { decref(k) };
    r
}

/// 1 found (`*out` owned), 0 missing (KeyError swallowed), -1 error.
unsafe fn optional_item(o: *mut PyObject, key: *mut PyObject, out: *mut *mut PyObject) -> c_int {
    // SAFETY: live objects; `out` writable (callers).
    unsafe {
        *out = null_mut();
        if crate::dictobject::is_dict(o) && ty(o) == &raw mut crate::dictobject::PyDict_Type {
            let v = crate::dictobject::get_with_error(o, key);
            if v.is_null() {
                return if err::occurred() { -1 } else { 0 };
            }
            *out = new_ref(v);
            return 1;
        }
        let v = get_item(o, key);
        if v.is_null() {
            if err::matches_current(&raw mut crate::pyerrors::EXC_KeyError) {
                err::clear();
                return 0;
            }
            return -1;
        }
        *out = v;
        1
    }
}

unsafe fn mapping_list(o: *mut PyObject, which: &str) -> *mut PyObject {
    // SAFETY: `o` NULL or live.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        if ty(o) == &raw mut crate::dictobject::PyDict_Type {
            return match which {
                "keys" => ext::PyDict_Keys(o),
                "values" => ext::PyDict_Values(o),
                _ => ext::PyDict_Items(o),
            };
        }
        let r = call_method(o, which, &[]);
        if r.is_null() {
            return r;
        }
        if has_flag(r, Py_TPFLAGS_LIST_SUBCLASS) {
            return r;
        }
        let it = get_iter(r);
        if it.is_null() {
            if err::matches_current(&raw mut EXC_TypeError) {
                err::clear();
                type_error(&format!(
                    "{}.{which}() returned a non-iterable (type {})",
                    trunc(&tname(o), 200),
                    trunc(&tname(r), 200)
                ));
            }
            decref(r);
            return null_mut();
        }
        let l = sequence_list(it);
        decref(it);
        decref(r);
        l
    }
}

#[export]
pub unsafe fn PyMapping_Check(o: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { c_int::from(!o.is_null() && mp(ty(o)).is_some_and(|m| m.mp_subscript.is_some())) }
}
#[export]
pub unsafe fn PyMapping_Size(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { mapping_size(o) }
}
#[export]
pub unsafe fn PyMapping_Length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { mapping_size(o) }
}
#[export]
pub unsafe fn PyMapping_GetItemString(o: *mut PyObject, key: *const c_char) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { with_str_key(key, null_mut(), |k| get_item(o, k)) }
}
#[export]
pub unsafe fn PyMapping_SetItemString(
    o: *mut PyObject,
    key: *const c_char,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if v.is_null() {
            null_error();
            -1
        } else {
            with_str_key(key, -1, |k| set_item(o, k, v))
        }
    }
}
#[export]
pub unsafe fn PyMapping_GetOptionalItem(
    o: *mut PyObject,
    key: *mut PyObject,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { optional_item(o, key, out) }
}
#[export]
pub unsafe fn PyMapping_GetOptionalItemString(
    o: *mut PyObject,
    key: *const c_char,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        *out = null_mut();
        with_str_key(key, -1, |k| optional_item(o, k, out))
    }
}
#[export]
pub unsafe fn PyMapping_HasKeyWithError(o: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        let mut v = null_mut();
        let r = optional_item(o, key, &mut v);
        xdecref(v);
        r
    }
}
#[export]
pub unsafe fn PyMapping_HasKeyStringWithError(o: *mut PyObject, key: *const c_char) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        with_str_key(key, -1, |k| {
            let mut v = null_mut();
            let r = optional_item(o, k, &mut v);
            xdecref(v);
            r
        })
    }
}
#[export]
pub unsafe fn PyMapping_HasKey(o: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        let mut v = null_mut();
        let r = optional_item(o, key, &mut v);
        xdecref(v);
        if r < 0 {
            err::clear();
            0
        } else {
            r
        }
    }
}
#[export]
pub unsafe fn PyMapping_HasKeyString(o: *mut PyObject, key: *const c_char) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        let r = with_str_key(key, -1, |k| {
            let mut v = null_mut();
            let r = optional_item(o, k, &mut v);
            xdecref(v);
            r
        });
        if r < 0 {
            err::clear();
            0
        } else {
            r
        }
    }
}
#[export]
pub unsafe fn PyMapping_Keys(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { mapping_list(o, "keys") }
}
#[export]
pub unsafe fn PyMapping_Values(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { mapping_list(o, "values") }
}
#[export]
pub unsafe fn PyMapping_Items(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { mapping_list(o, "items") }
}

// ---- iterators ----------------------------------------------------------------------------

/// `PyIter_Check`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn iter_check(o: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { (*ty(o)).tp_iternext.is_some() }
}

/// `PyObject_GetIter`.
///
/// # Safety
/// `o` live.
pub(crate) unsafe fn get_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        match (*ty(o)).tp_iter {
            Some(f) => {
                let r = crate::extcall::unary(f, o);
                if !r.is_null() && !iter_check(r) {
                    let n = tname(r);
                    decref(r);
                    return type_error(&format!(
                        "iter() returned non-iterator of type '{}'",
                        trunc(&n, 100)
                    ));
                }
                r
            }
            None => {
                if sequence_check(o) {
                    return ext::PySeqIter_New(o);
                }
                type_error(&format!(
                    "'{}' object is not iterable",
                    trunc(&tname(o), 200)
                ))
            }
        }
    }
}

/// `PyIter_Next`: NULL at the end (StopIteration swallowed) or on error.
///
/// # Safety
/// `it` live iterator.
pub(crate) unsafe fn iter_next(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(f) = (*ty(it)).tp_iternext else {
            return type_error(&format!(
                "'{}' object is not an iterator",
                trunc(&tname(it), 200)
            ));
        };
        let r = crate::extcall::unary(f, it);
        if r.is_null() && err::matches_current(&raw mut EXC_StopIteration) {
            err::clear();
        }
        r
    }
}

#[export]
pub unsafe fn PyIter_Check(o: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { c_int::from(!o.is_null() && iter_check(o)) }
}
#[export]
pub unsafe fn PyObject_GetIter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { get_iter(o) }
}
#[export]
pub unsafe fn PyIter_Next(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe { iter_next(it) }
}
#[export]
pub unsafe fn PyIter_NextItem(it: *mut PyObject, item: *mut *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        *item = null_mut();
        if it.is_null() || !iter_check(it) {
            if !it.is_null() {
                type_error(&format!(
                    "expected an iterator, got '{}'",
                    trunc(&tname(it), 200)
                ));
            } else {
                null_error();
            }
            -1
        } else {
            let r = iter_next(it);
            if r.is_null() {
                if err::occurred() { -1 } else { 0 }
            } else {
                *item = r;
                1
            }
        }
    }
}

// ---- isinstance, issubclass, format -------------------------------------------------------

/// `type(cls).<name>(arg)` when `cls`'s metaclass defines `name` (`__instancecheck__`,
/// `__subclasscheck__`), as its truth: None when the metaclass does not define it.
///
/// # Safety
/// `cls` and `arg` live.
unsafe fn metaclass_check(cls: *mut PyObject, name: &str, arg: *mut PyObject) -> Option<c_int> {
    // SAFETY: live objects (callers).
    unsafe {
        let n = uni::from_str(name);
        if n.is_null() {
            return Some(-1);
        }
        let f = crate::object::type_lookup(ty(cls), n);
        decref(n);
        if f.is_null() {
            return None;
        }
        incref(f);
        let bound = match (*ty(f)).tp_descr_get {
            Some(get) => {
                let b = crate::extcall::ternary(get, f, cls, ty(cls).cast());
                decref(f);
                b
            }
            None => f,
        };
        if bound.is_null() {
            return Some(-1);
        }
        let r = call_args(bound, &[arg]);
        decref(bound);
        if r.is_null() {
            return Some(-1);
        }
        let t = crate::object::truth(r);
        decref(r);
        Some(t)
    }
}

/// `isinstance(inst, cls)` without the metaclass hook: subtype, else `inst.__class__`.
unsafe fn recursive_isinstance(inst: *mut PyObject, cls: *mut PyObject) -> c_int {
    // SAFETY: live objects (callers).
    unsafe {
        if !crate::object::is_type(cls) {
            type_error("isinstance() arg 2 must be a type, a tuple of types, or a union");
            return -1;
        }
        if crate::object::type_check(inst, cls.cast()) {
            return 1;
        }
        let n = uni::from_str("__class__");
        if n.is_null() {
            return -1;
        }
        let mut icls = null_mut();
        let found = crate::object::getattr_opt(inst, n, &mut icls);
        decref(n);
        if found <= 0 {
            return found;
        }
        let r = if icls != ty(inst).cast() && crate::object::is_type(icls) {
            c_int::from(is_subtype(icls.cast(), cls.cast()))
        } else {
            0
        };
        decref(icls);
        r
    }
}

unsafe fn is_instance(inst: *mut PyObject, cls: *mut PyObject) -> c_int {
    // SAFETY: live objects (callers).
    unsafe {
        if ty(inst).cast() == cls {
            return 1;
        }
        if crate::object::is_type(cls) && ty(cls) == &raw mut crate::object::PyType_Type {
            return recursive_isinstance(inst, cls);
        }
        if tup::is_tuple(cls) {
            for &c in tup::items(cls) {
                let r = is_instance(inst, c);
                if r != 0 {
                    return r;
                }
            }
            return 0;
        }
        if let Some(r) = metaclass_check(cls, "__instancecheck__", inst) {
            return r;
        }
        recursive_isinstance(inst, cls)
    }
}

unsafe fn is_subclass(derived: *mut PyObject, cls: *mut PyObject) -> c_int {
    // SAFETY: live objects (callers).
    unsafe {
        let exact = |o: *mut PyObject| {
            crate::object::is_type(o) && ty(o) == &raw mut crate::object::PyType_Type
        };
        if !(exact(cls) && exact(derived)) {
            if tup::is_tuple(cls) {
                for &c in tup::items(cls) {
                    let r = is_subclass(derived, c);
                    if r != 0 {
                        return r;
                    }
                }
                return 0;
            }
            if let Some(r) = metaclass_check(cls, "__subclasscheck__", derived) {
                return r;
            }
        }
        if !crate::object::is_type(derived) {
            type_error("issubclass() arg 1 must be a class");
            return -1;
        }
        if !crate::object::is_type(cls) {
            type_error("issubclass() arg 2 must be a class, a tuple of classes, or a union");
            return -1;
        }
        c_int::from(derived == cls || is_subtype(derived.cast(), cls.cast()))
    }
}

#[export]
pub unsafe fn PyObject_IsInstance(inst: *mut PyObject, cls: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if inst.is_null() || cls.is_null() {
            null_error();
            -1
        } else {
            is_instance(inst, cls)
        }
    }
}
#[export]
pub unsafe fn PyObject_IsSubclass(derived: *mut PyObject, cls: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if derived.is_null() || cls.is_null() {
            null_error();
            -1
        } else {
            is_subclass(derived, cls)
        }
    }
}
#[export]
pub unsafe fn PyObject_Format(obj: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract (live objects, valid pointers).
    unsafe {
        if obj.is_null() {
            null_error()
        } else if spec.is_null() || (uni::is_str(spec) && uni::length(spec) == 0) {
            if has_flag(obj, Py_TPFLAGS_UNICODE_SUBCLASS) || is_long(obj) {
                crate::object::str(obj)
            } else {
                let empty = uni::from_str("");
                let r = call_method(obj, "__format__", &[empty]);
                xdecref(empty);
                r
            }
        } else {
            call_method(obj, "__format__", &[spec])
        }
    }
}

// ---- PyIter_Send, PyNumber_ToBase -----------------------------------------------------------

/// `PyIter_Send`: `am_send`, else `next()` for None or `.send(arg)`; 1 next (PYGEN_NEXT),
/// 0 return (PYGEN_RETURN, `*presult` the return value), -1 error.
///
/// # Safety
/// `iter`, `arg` live; `presult` writable.
pub(crate) unsafe fn iter_send(
    iter: *mut PyObject,
    arg: *mut PyObject,
    presult: *mut *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        *presult = null_mut();
        if let Some(am) = (*ty(iter)).tp_as_async.as_ref()
            && let Some(send) = am.am_send
        {
            return crate::extcall::send(send, iter, arg, presult);
        }
        let r = if arg == crate::object::none() && iter_check(iter) {
            let f = (*ty(iter)).tp_iternext.expect("checked");
            crate::extcall::unary(f, iter)
        } else {
            call_method(iter, "send", &[arg])
        };
        if !r.is_null() {
            *presult = r;
            return 1;
        }
        if !err::occurred() {
            *presult = crate::object::new_none();
            return 0;
        }
        if err::matches_current(&raw mut EXC_StopIteration) {
            let e = err::take_raised();
            let args = (*e.cast::<crate::pyerrors::PyBaseExceptionObject>()).args;
            *presult = match (!args.is_null() && tup::is_tuple(args))
                .then(|| tup::items(args).first().copied())
                .flatten()
            {
                Some(v) => new_ref(v),
                None => crate::object::new_none(),
            };
            decref(e);
            return 0;
        }
        -1
    }
}

#[export]
pub unsafe fn PyIter_Send(
    iter: *mut PyObject,
    arg: *mut PyObject,
    presult: *mut *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { iter_send(iter, arg, presult) }
}

#[export]
pub unsafe fn PyNumber_ToBase(n: *mut PyObject, base: c_int) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if ![2, 8, 10, 16].contains(&base) {
            return raise(
                &raw mut EXC_SystemError,
                "PyNumber_ToBase: base must be 2, 8, 10 or 16",
            );
        }
        let i = index(n);
        if i.is_null() {
            return i;
        }
        let r = match crate::longobject::format_base(i, base as u32) {
            Some(s) => uni::from_str(&s),
            None => null_mut(),
        };
        decref(i);
        r
    }
}

// ---- async iteration ------------------------------------------------------------------------

unsafe fn am<'a>(t: *mut PyTypeObject) -> Option<&'a crate::object::PyAsyncMethods> {
    // SAFETY: `t` is a type object; tp_as_async is NULL or a table.
    unsafe { (*t).tp_as_async.as_ref() }
}

#[export]
pub unsafe fn PyAIter_Check(o: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { c_int::from(!o.is_null() && am(ty(o)).is_some_and(|m| m.am_anext.is_some())) }
}

#[export]
pub unsafe fn PyObject_GetAIter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if o.is_null() {
            return null_error();
        }
        let Some(f) = am(ty(o)).and_then(|m| m.am_aiter) else {
            return type_error(&format!(
                "'{}' object is not an async iterable",
                trunc(&tname(o), 200)
            ));
        };
        let it = crate::extcall::unary(f, o);
        if it.is_null() {
            return it;
        }
        if am(ty(it)).is_none_or(|m| m.am_anext.is_none()) {
            let n = tname(it);
            decref(it);
            return type_error(&format!(
                "aiter() returned not an async iterator of type '{}'",
                trunc(&n, 100)
            ));
        }
        it
    }
}

/// `_PyNumber_Index`: like `PyNumber_Index` but int subclasses come back as they are.
#[export]
pub unsafe fn _PyNumber_Index(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the (private) C API contract.
    unsafe { index(o) }
}

#[export(err = 0)]
pub unsafe fn PyIndex_Check(o: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    c_int::from(unsafe { index_check(o) })
}
