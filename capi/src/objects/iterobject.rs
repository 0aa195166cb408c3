//! `iterobject.h`: the sequence iterator (`PySeqIter_New`), the callable iterator
//! (`PyCallIter_New`), the iterator object every built-in container uses, and helpers the
//! container modules share (iterating any object, rich comparison, repr recursion guard).
#![allow(clippy::result_unit_err)]

use crate::export;
use crate::object::{
    _Py_NotImplementedStruct, Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE, PyObject, PyTypeObject,
    static_type, ty,
};
use crate::pyerrors::{EXC_IndexError, EXC_RuntimeError, EXC_StopIteration, EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use std::cell::RefCell;
use std::ffi::c_int;
use std::ptr::null_mut;

/// A new reference to `NotImplemented`.
pub(crate) fn not_implemented() -> *mut PyObject {
    // SAFETY: the singleton is immortal.
    unsafe { new_ref(&raw mut _Py_NotImplementedStruct) }
}

/// The iterator object of every built-in container (56 bytes): `index` is the next
/// position, `seq` the container (NULL once exhausted), `aux` the callable iterator's
/// sentinel, `len0` the size at creation (dict/set change detection).
#[repr(C)]
pub(crate) struct IterObject {
    pub ob_base: PyObject,
    pub index: Py_ssize_t,
    pub seq: *mut PyObject,
    pub aux: *mut PyObject,
    pub len0: Py_ssize_t,
}

/// The state an iterator's `next` step works on: a private copy of the shared iterator's
/// fields (`index`, `len0` are read and written back atomically by `iter_step`), so two
/// threads stepping one iterator never share a `&mut`.
pub(crate) struct IterState {
    pub index: Py_ssize_t,
    pub seq: *mut PyObject,
    pub aux: *mut PyObject,
    pub len0: Py_ssize_t,
}

/// What an iterator's `next` step produced.
pub(crate) enum Step {
    Item(*mut PyObject),
    End,
    Error,
}

/// A `tp_iternext` body: produces item `index` of `seq` (new reference).
pub(crate) type NextFn = unsafe fn(it: &mut IterState) -> Step;

/// A new iterator of type `t` over `seq` (a new reference to `seq` is kept).
///
/// # Safety
/// `t` must be one of the iterator types; `seq` a live object.
pub(crate) unsafe fn new_iter(
    t: *mut PyTypeObject,
    seq: *mut PyObject,
    len0: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let it = crate::objimpl::alloc_object(t, 0);
        if it.is_null() {
            return it;
        }
        let p = it.cast::<IterObject>();
        (*p).seq = new_ref(seq);
        (*p).len0 = len0;
        it
    }
}

/// An aligned `Py_ssize_t` field of a shared iterator as an atomic.
///
/// # Safety
/// `p` must point to the field of a live iterator.
#[inline]
unsafe fn atomic_field<'a>(p: *mut Py_ssize_t) -> &'a std::sync::atomic::AtomicIsize {
    // SAFETY: forwarded contract; every concurrent access goes through this.
    unsafe { std::sync::atomic::AtomicIsize::from_ptr(p) }
}

/// Runs one step of an iterator: `f` yields the item.
///
/// An iterator may be shared by threads, as in CPython 3.14t: its container stays referenced
/// until the iterator is deallocated (so no thread's step can see it freed, and it is released
/// exactly once), exhaustion is an index of -1, and the index is read and written back
/// atomically. Two threads calling `next` on one iterator never crash or double-release; an
/// item may be produced twice or skipped (CPython 3.14t's rule for a shared iterator), but an
/// exhausted iterator stays exhausted.
///
/// # Safety
/// `op` must be a live `IterObject`.
pub(crate) unsafe fn iter_step(op: *mut PyObject, f: NextFn) -> *mut PyObject {
    use std::sync::atomic::Ordering::Relaxed;
    // SAFETY: forwarded contract; `seq` and `aux` are set at creation and released only by
    // the dealloc.
    unsafe {
        let p = op.cast::<IterObject>();
        let index = atomic_field(&raw mut (*p).index);
        let len0 = atomic_field(&raw mut (*p).len0);
        let i = index.load(Relaxed);
        let seq = (*p).seq;
        if i < 0 || seq.is_null() {
            return null_mut();
        }
        let l0 = len0.load(Relaxed);
        let mut st = IterState {
            index: i,
            seq,
            aux: (*p).aux,
            len0: l0,
        };
        let r = f(&mut st);
        if st.len0 != l0 {
            len0.store(st.len0, Relaxed);
        }
        match r {
            Step::Item(o) => {
                // Moves the index on only from where this step read it: a thread that lost a
                // race does not move it back, nor revive an exhausted iterator (-1), so each
                // thread sees rising indexes (a stronger rule than CPython's plain store).
                let _ = index.compare_exchange(i, st.index + 1, Relaxed, Relaxed);
                o
            }
            Step::End => {
                index.store(-1, Relaxed);
                null_mut()
            }
            Step::Error => null_mut(),
        }
    }
}

/// `tp_dealloc` of the iterator objects.
pub(crate) unsafe extern "C" fn iter_dealloc(op: *mut PyObject) {
    // SAFETY: a dead IterObject (slot contract).
    unsafe {
        let it = op.cast::<IterObject>();
        xdecref((*it).seq);
        xdecref((*it).aux);
        crate::objimpl::default_dealloc(op);
    }
}

/// `tp_iter` returning the object itself.
pub(crate) unsafe extern "C" fn self_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe { new_ref(op) }
}

/// A static iterator type named `name` with `next` as `tp_iternext`.
pub(crate) const fn iter_type(
    name: &'static std::ffi::CStr,
    next: unsafe extern "C" fn(*mut PyObject) -> *mut PyObject,
) -> PyTypeObject {
    PyTypeObject {
        tp_dealloc: Some(iter_dealloc),
        tp_iter: Some(self_iter),
        tp_iternext: Some(next),
        ..static_type(name, std::mem::size_of::<IterObject>(), 0, 0)
    }
}

unsafe fn seqiter_next_step(it: &mut IterState) -> Step {
    // SAFETY: `seq` is live while the iterator holds it.
    unsafe {
        let t = ty(it.seq);
        let item = if !(*t).tp_as_sequence.is_null()
            && let Some(f) = (*(*t).tp_as_sequence).sq_item
        {
            crate::extcall::ssizearg(f, it.seq, it.index)
        } else {
            let k = crate::longobject::from_i128(it.index as i128);
            let r = match (*t).tp_as_mapping.as_ref().and_then(|m| m.mp_subscript) {
                Some(f) => crate::extcall::binary(f, it.seq, k),
                None => raise(&raw mut EXC_TypeError, "object is not subscriptable"),
            };
            decref(k);
            r
        };
        if !item.is_null() {
            return Step::Item(item);
        }
        if crate::pyerrors::matches_current(&raw mut EXC_IndexError)
            || crate::pyerrors::matches_current(&raw mut EXC_StopIteration)
        {
            crate::pyerrors::clear();
            return Step::End;
        }
        Step::Error
    }
}

unsafe extern "C" fn seqiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iter_step(op, seqiter_next_step) }
}

unsafe fn calliter_next_step(it: &mut IterState) -> Step {
    // SAFETY: `seq` is a live callable and `aux` the live sentinel.
    unsafe {
        let r = call_no_args(it.seq);
        if r.is_null() {
            if crate::pyerrors::matches_current(&raw mut EXC_StopIteration) {
                crate::pyerrors::clear();
                return Step::End;
            }
            return Step::Error;
        }
        match crate::object::eq(r, it.aux) {
            0 => Step::Item(r),
            1 => {
                decref(r);
                Step::End
            }
            _ => {
                decref(r);
                Step::Error
            }
        }
    }
}

unsafe extern "C" fn calliter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iter_step(op, calliter_next_step) }
}

/// Calls `f()` through `tp_call` or vectorcall.
///
/// # Safety
/// `f` must be a live object.
pub(crate) unsafe fn call_no_args(f: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(f);
        if (*t).tp_flags & crate::object::Py_TPFLAGS_HAVE_VECTORCALL != 0
            && (*t).tp_vectorcall_offset > 0
        {
            let slot = f
                .cast::<u8>()
                .add((*t).tp_vectorcall_offset as usize)
                .cast::<crate::object::vectorcallfunc>();
            if let Some(vc) = *slot {
                return crate::extcall::vectorcall(vc, f, std::ptr::null(), 0, null_mut());
            }
        }
        match (*t).tp_call {
            Some(c) => {
                let args = crate::tupleobject::new_tuple(0);
                let r = crate::extcall::ternary(c, f, args, null_mut());
                decref(args);
                r
            }
            None => {
                let n = crate::object::tname(f);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("'{n}' object is not callable"),
                )
            }
        }
    }
}

#[export]
pub static mut PySeqIter_Type: PyTypeObject = iter_type(c"iterator", seqiter_next);

#[export]
pub static mut PyCallIter_Type: PyTypeObject = iter_type(c"callable_iterator", calliter_next);

#[export]
pub unsafe fn PySeqIter_New(seq: *mut PyObject) -> *mut PyObject {
    if seq.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a live object, per the C API contract.
    unsafe { new_iter(&raw mut PySeqIter_Type, seq, 0) }
}

#[export]
pub unsafe fn PyCallIter_New(callable: *mut PyObject, sentinel: *mut PyObject) -> *mut PyObject {
    if callable.is_null() || sentinel.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: live objects, per the C API contract.
    unsafe {
        let it = new_iter(&raw mut PyCallIter_Type, callable, 0);
        if !it.is_null() {
            (*it.cast::<IterObject>()).aux = new_ref(sentinel);
        }
        it
    }
}

// ---- helpers shared by the containers ------------------------------------------------------

/// `iter(op)`: the type's `tp_iter`, else a sequence iterator over `sq_item`.
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn get_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(op);
        if let Some(f) = (*t).tp_iter {
            let it = crate::extcall::unary(f, op);
            if !it.is_null() && (*ty(it)).tp_iternext.is_none() {
                let n = crate::object::tname(it);
                decref(it);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("iter() returned non-iterator of type '{n}'"),
                );
            }
            return it;
        }
        if !(*t).tp_as_sequence.is_null() && (*(*t).tp_as_sequence).sq_item.is_some() {
            return new_iter(&raw mut PySeqIter_Type, op, 0);
        }
        let n = crate::object::tname(op);
        raise(
            &raw mut EXC_TypeError,
            &format!("'{n}' object is not iterable"),
        )
    }
}

/// `next(it)`: Ok(Some(item)), Ok(None) at the end, Err(()) on error.
///
/// # Safety
/// `it` must be a live iterator.
pub unsafe fn next(it: *mut PyObject) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(f) = (*ty(it)).tp_iternext else {
            return Err(());
        };
        let r = crate::extcall::unary(f, it);
        if !r.is_null() {
            return Ok(Some(r));
        }
        if crate::pyerrors::occurred() {
            if crate::pyerrors::matches_current(&raw mut EXC_StopIteration) {
                crate::pyerrors::clear();
                return Ok(None);
            }
            return Err(());
        }
        Ok(None)
    }
}

/// Owned references to the items of any iterable, in order.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn collect(op: *mut PyObject) -> Result<Vec<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::listobject::is_list(op) {
            return Ok(crate::listobject::snapshot(op));
        }
        if crate::tupleobject::is_tuple(op) {
            return Ok(crate::tupleobject::items(op)
                .iter()
                .map(|&o| new_ref(o))
                .collect());
        }
        let it = get_iter(op);
        if it.is_null() {
            return Err(());
        }
        let mut out = Vec::new();
        loop {
            match next(it) {
                Ok(Some(o)) => out.push(o),
                Ok(None) => break,
                Err(()) => {
                    decref(it);
                    release_all(out);
                    return Err(());
                }
            }
        }
        decref(it);
        Ok(out)
    }
}

/// Drops owned references.
///
/// # Safety
/// Every element must be an owned reference.
pub(crate) unsafe fn release_all(v: Vec<*mut PyObject>) {
    for o in v {
        // SAFETY: forwarded contract.
        unsafe { decref(o) };
    }
}

const OP_TEXT: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];
const SWAPPED: [c_int; 6] = [Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE];

/// Comparison of plain ints and floats when their types bring no `tp_richcompare`.
unsafe fn numeric_fallback(a: *mut PyObject, b: *mut PyObject, op: c_int) -> Option<bool> {
    // SAFETY: live objects.
    unsafe {
        use std::cmp::Ordering as O;
        let ord = if let (Some(x), Some(y)) = (
            crate::longobject::value_i128(a),
            crate::longobject::value_i128(b),
        ) {
            x.cmp(&y)
        } else {
            let num = |o| crate::longobject::is_int(o) || crate::floatobject::is_float(o);
            if !(num(a) && num(b)) {
                return None;
            }
            let f = |o| {
                crate::floatobject::as_f64(o)
                    .or_else(|| crate::longobject::value_i128(o).map(|v| v as f64))
            };
            f(a)?.partial_cmp(&f(b)?).unwrap_or(O::Less)
        };
        Some(match op {
            Py_LT => ord == O::Less,
            Py_LE => ord != O::Greater,
            Py_EQ => ord == O::Equal,
            Py_NE => ord != O::Equal,
            Py_GT => ord == O::Greater,
            _ => ord != O::Less,
        })
    }
}

/// `PyObject_RichCompare` as far as the containers need it: the reflected slot first when
/// `b`'s type is a proper subtype of `a`'s, then `a`'s slot, then `b`'s; identity for
/// `==`/`!=`; otherwise `TypeError`.
///
/// # Safety
/// Both must be live objects.
pub(crate) unsafe fn rich_compare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let (ta, tb) = (ty(a), ty(b));
        let ni = &raw mut _Py_NotImplementedStruct;
        let mut tried_b = false;
        if ta != tb
            && crate::object::is_subtype(tb, ta)
            && let Some(f) = (*tb).tp_richcompare
        {
            tried_b = true;
            let r = crate::extcall::richcmp(f, b, a, SWAPPED[op as usize]);
            if r != ni {
                return r;
            }
            decref(r);
        }
        if let Some(f) = (*ta).tp_richcompare {
            let r = crate::extcall::richcmp(f, a, b, op);
            if r != ni {
                return r;
            }
            decref(r);
        }
        if !tried_b && let Some(f) = (*tb).tp_richcompare {
            let r = crate::extcall::richcmp(f, b, a, SWAPPED[op as usize]);
            if r != ni {
                return r;
            }
            decref(r);
        }
        if let Some(v) = numeric_fallback(a, b, op) {
            return crate::boolobject::from_bool(v);
        }
        match op {
            Py_EQ => crate::boolobject::from_bool(a == b),
            Py_NE => crate::boolobject::from_bool(a != b),
            _ => {
                let (x, y) = (crate::object::type_name(ta), crate::object::type_name(tb));
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "'{}' not supported between instances of '{x}' and '{y}'",
                        OP_TEXT[op as usize]
                    ),
                )
            }
        }
    }
}

/// `PyObject_RichCompareBool`: identity implies equality for `==`/`!=`. -1 on error.
///
/// # Safety
/// Both must be live objects.
pub unsafe fn compare_bool(a: *mut PyObject, b: *mut PyObject, op: c_int) -> c_int {
    if a == b {
        if op == Py_EQ {
            return 1;
        }
        if op == Py_NE {
            return 0;
        }
    }
    // SAFETY: forwarded contract.
    unsafe {
        let r = rich_compare(a, b, op);
        if r.is_null() {
            return -1;
        }
        let t = crate::object::truth(r);
        decref(r);
        t
    }
}

/// Compares two item sequences lexicographically (lists and tuples).
///
/// # Safety
/// All items must be live objects.
pub(crate) unsafe fn compare_sequences(
    x: &[*mut PyObject],
    y: &[*mut PyObject],
    op: c_int,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if x.len() != y.len() && (op == Py_EQ || op == Py_NE) {
            return crate::boolobject::from_bool(op == Py_NE);
        }
        let mut i = 0;
        while i < x.len() && i < y.len() {
            match compare_bool(x[i], y[i], Py_EQ) {
                1 => i += 1,
                0 => break,
                _ => return null_mut(),
            }
        }
        if i >= x.len() || i >= y.len() {
            let ord = x.len().cmp(&y.len());
            use std::cmp::Ordering as O;
            let v = match op {
                Py_LT => ord == O::Less,
                Py_LE => ord != O::Greater,
                Py_EQ => ord == O::Equal,
                Py_NE => ord != O::Equal,
                Py_GT => ord == O::Greater,
                _ => ord != O::Less,
            };
            return crate::boolobject::from_bool(v);
        }
        match op {
            Py_EQ => crate::boolobject::from_bool(false),
            Py_NE => crate::boolobject::from_bool(true),
            _ => rich_compare(x[i], y[i], op),
        }
    }
}

thread_local! {
    static REPR_STACK: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// `Py_ReprEnter`: false when `op` is already being printed on this thread.
pub(crate) fn repr_enter(op: *mut PyObject) -> bool {
    REPR_STACK.with(|s| {
        let mut s = s.borrow_mut();
        if s.contains(&(op as usize)) {
            false
        } else {
            s.push(op as usize);
            true
        }
    })
}

/// `Py_ReprLeave`.
pub(crate) fn repr_leave(op: *mut PyObject) {
    REPR_STACK.with(|s| s.borrow_mut().retain(|&p| p != op as usize));
}

/// `repr()` text of several objects; None when one of them failed (exception set).
///
/// # Safety
/// All must be live objects.
pub(crate) unsafe fn repr_all(objs: &[*mut PyObject]) -> Option<Vec<String>> {
    let mut out = Vec::with_capacity(objs.len());
    for &o in objs {
        // SAFETY: forwarded contract.
        let r = unsafe { crate::object::repr(o) };
        if r.is_null() {
            return None;
        }
        // SAFETY: `r` is a fresh str.
        unsafe {
            out.push(crate::unicodeobject::as_str(r).unwrap_or("").to_owned());
            decref(r);
        }
    }
    Some(out)
}

/// Raises `RuntimeError(msg)`; returns `Step::Error`.
pub(crate) fn runtime_error(msg: &str) -> Step {
    raise(&raw mut EXC_RuntimeError, msg);
    Step::Error
}

/// `TypeError: unhashable type: 'T'` as a `tp_hash` slot.
pub(crate) unsafe extern "C" fn unhashable(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: a live object (slot contract).
    let n = unsafe { crate::object::tname(op) };
    raise(&raw mut EXC_TypeError, &format!("unhashable type: '{n}'"));
    -1
}

/// The positional arguments of a built-in constructor `name(...)` taking at most `max`
/// of them and no keywords (unless `kw_ok`); None with CPython's TypeError otherwise.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
pub(crate) unsafe fn ctor_args(
    name: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    max: usize,
    kw_ok: bool,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe {
        if !kw_ok && !kw.is_null() && crate::dictobject::len(kw) > 0 {
            raise(
                &raw mut EXC_TypeError,
                &format!("{name}() takes no keyword arguments"),
            );
            return None;
        }
        let a = if args.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(args)
        };
        if a.len() > max {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{name} expected at most {max} argument{}, got {}",
                    if max == 1 { "" } else { "s" },
                    a.len()
                ),
            );
            return None;
        }
        Some(a.to_vec())
    }
}
