//! `collections.deque`: a double-ended queue with an optional `maxlen`, and its forward and
//! reverse iterators. The items live in a Rust `VecDeque` owned by the object; every access
//! to it holds the deque's critical section (as CPython 3.14t's deque methods do), and no
//! Python code runs while a borrow of the items is alive: comparisons work on an owned copy
//! of one item and check the deque's mutation count afterwards.

use super::{parse, type_name_of};
use crate::critical_section::hold;
use crate::longobject::method;
use crate::methodobject::{METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{
    Py_EQ, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_SEQUENCE, PyObject, PySequenceMethods, PyTypeObject,
    static_type,
};
use crate::pyerrors::{EXC_IndexError, EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use std::collections::VecDeque;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// A deque's layout.
#[repr(C)]
pub(crate) struct Deque {
    ob_base: PyObject,
    /// The items (each a strong reference), from `Box::into_raw`.
    items: *mut VecDeque<*mut PyObject>,
    /// The bound, or -1 for none.
    maxlen: Py_ssize_t,
    /// Bumped by every change of the items (iterators compare it).
    state: usize,
    weakreflist: *mut PyObject,
}

/// # Safety
/// `op` must be a live deque whose section the caller holds.
unsafe fn items<'a>(op: *mut PyObject) -> &'a mut VecDeque<*mut PyObject> {
    // SAFETY: forwarded contract; `items` is set by `deque_new` and freed only by dealloc.
    unsafe { &mut *(*op.cast::<Deque>()).items }
}

/// # Safety
/// `op` must be a live deque.
unsafe fn dq<'a>(op: *mut PyObject) -> &'a mut Deque {
    // SAFETY: forwarded contract.
    unsafe { &mut *op.cast::<Deque>() }
}

/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_deque(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut Deque_Type) }
}

/// Drops the references in `v` (after the section that removed them ended).
///
/// # Safety
/// Each must be an owned reference.
unsafe fn release(v: Vec<*mut PyObject>) {
    for o in v {
        // SAFETY: forwarded contract.
        unsafe { decref(o) };
    }
}

/// Appends (right) or prepends (left) `v` (new reference taken), trimming the other end to
/// `maxlen`; the trimmed item is returned for release.
///
/// # Safety
/// `op` a live deque whose section is held; `v` live.
unsafe fn push(op: *mut PyObject, v: *mut PyObject, left: bool) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let d = dq(op);
        if d.maxlen == 0 {
            return None;
        }
        let it = items(op);
        let v = new_ref(v);
        if left {
            it.push_front(v);
        } else {
            it.push_back(v);
        }
        d.state = d.state.wrapping_add(1);
        if d.maxlen > 0 && it.len() > d.maxlen as usize {
            return if left { it.pop_back() } else { it.pop_front() };
        }
        None
    }
}

unsafe extern "C" fn deque_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `t` is deque or a subtype (slot contract).
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let d = dq(op);
        d.items = Box::into_raw(Box::new(VecDeque::new()));
        d.maxlen = -1;
        d.state = 0;
        d.weakreflist = null_mut();
        op
    }
}

unsafe extern "C" fn deque_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    // SAFETY: `op` a live deque, `args` a tuple, `kw` NULL or a dict (slot contract).
    unsafe {
        let Some(a) = parse("deque", args, kw, &["iterable", "maxlen"], 0) else {
            return -1;
        };
        let mut maxlen = -1;
        if !a[1].is_null() && a[1] != crate::object::none() {
            if !crate::longobject::is_int(a[1]) {
                raise(&raw mut EXC_TypeError, "an integer is required");
                return -1;
            }
            maxlen =
                crate::abstract_::as_ssize_t(a[1], &raw mut crate::pyerrors::EXC_OverflowError);
            if maxlen == -1 && crate::pyerrors::occurred() {
                return -1;
            }
            if maxlen < 0 {
                raise(&raw mut EXC_ValueError, "maxlen must be non-negative");
                return -1;
            }
        }
        let old: Vec<_> = {
            hold!(_g, op);
            let d = dq(op);
            d.maxlen = maxlen;
            d.state = d.state.wrapping_add(1);
            items(op).drain(..).collect()
        };
        release(old);
        if !a[0].is_null() && extend_impl(op, a[0], false) < 0 {
            return -1;
        }
        0
    }
}

unsafe extern "C" fn deque_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead deque (slot contract); `items` came from `Box::into_raw`.
    unsafe {
        let d = dq(op);
        if !d.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        if !d.items.is_null() {
            let b = Box::from_raw(d.items);
            d.items = null_mut();
            release(b.into_iter().collect());
        }
        crate::objimpl::default_dealloc(op);
    }
}

/// Every item, each a new reference (a snapshot under the section).
///
/// # Safety
/// `op` must be a live deque.
pub(crate) unsafe fn snapshot(op: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: forwarded contract; each item is live while the section is held.
    unsafe {
        hold!(_g, op);
        items(op).iter().map(|&o| new_ref(o)).collect()
    }
}

/// Extends with the items of `iterable` (on the left, reversed, when `left`); 0 or -1.
///
/// # Safety
/// `op` a live deque, `iterable` live.
unsafe fn extend_impl(op: *mut PyObject, iterable: *mut PyObject, left: bool) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if iterable == op {
            let copy = snapshot(op);
            let mut trimmed = Vec::new();
            {
                hold!(_g, op);
                for &v in &copy {
                    trimmed.extend(push(op, v, left));
                }
            }
            release(copy);
            release(trimmed);
            return 0;
        }
        let it = crate::abstract_::get_iter(iterable);
        if it.is_null() {
            return -1;
        }
        loop {
            let v = crate::abstract_::iter_next(it);
            if v.is_null() {
                decref(it);
                return if crate::pyerrors::occurred() { -1 } else { 0 };
            }
            let trimmed = {
                hold!(_g, op);
                push(op, v, left)
            };
            decref(v);
            if let Some(t) = trimmed {
                decref(t);
            }
        }
    }
}

unsafe extern "C" fn d_append(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque and argument (method contract).
    unsafe {
        let t = {
            hold!(_g, op);
            push(op, v, false)
        };
        xdecref(t.unwrap_or(null_mut()));
        crate::object::new_none()
    }
}

unsafe extern "C" fn d_appendleft(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque and argument (method contract).
    unsafe {
        let t = {
            hold!(_g, op);
            push(op, v, true)
        };
        xdecref(t.unwrap_or(null_mut()));
        crate::object::new_none()
    }
}

unsafe fn pop_end(op: *mut PyObject, left: bool) -> *mut PyObject {
    // SAFETY: `op` a live deque.
    unsafe {
        hold!(_g, op);
        let it = items(op);
        let v = if left { it.pop_front() } else { it.pop_back() };
        match v {
            Some(v) => {
                let d = dq(op);
                d.state = d.state.wrapping_add(1);
                v
            }
            None => raise(&raw mut EXC_IndexError, "pop from an empty deque"),
        }
    }
}

unsafe extern "C" fn d_pop(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe { pop_end(op, false) }
}

unsafe extern "C" fn d_popleft(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe { pop_end(op, true) }
}

unsafe extern "C" fn d_extend(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque and argument (method contract).
    unsafe {
        if extend_impl(op, v, false) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn d_extendleft(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque and argument (method contract).
    unsafe {
        if extend_impl(op, v, true) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe fn clear_impl(op: *mut PyObject) {
    // SAFETY: `op` a live deque.
    unsafe {
        let old: Vec<_> = {
            hold!(_g, op);
            let d = dq(op);
            d.state = d.state.wrapping_add(1);
            items(op).drain(..).collect()
        };
        release(old);
    }
}

unsafe extern "C" fn d_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe {
        clear_impl(op);
        crate::object::new_none()
    }
}

/// A new deque of `op`'s type with `op`'s items and maxlen (`copy`, `__copy__`).
unsafe fn copy_impl(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` a live deque.
    unsafe {
        let t = crate::object::ty(op);
        let maxlen = dq(op).maxlen;
        if t == &raw mut Deque_Type {
            let n = deque_new(t, null_mut(), null_mut());
            if n.is_null() {
                return n;
            }
            dq(n).maxlen = maxlen;
            let snap = snapshot(op);
            {
                hold!(_g, n);
                items(n).extend(snap);
            }
            return n;
        }
        // A subclass: type(d)(d, maxlen) (or type(d)(d) without a bound).
        let ml = if maxlen < 0 {
            null_mut()
        } else {
            crate::longobject::from_i64(maxlen as i64)
        };
        let r = if ml.is_null() {
            crate::abstract_::call_args(t.cast(), &[op])
        } else {
            crate::abstract_::call_args(t.cast(), &[op, ml])
        };
        xdecref(ml);
        r
    }
}

unsafe extern "C" fn d_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe { copy_impl(op) }
}

/// Compares each item with `v` (==); calls `f(index, equal)` until it returns false. Raises
/// `RuntimeError` when the deque changed meanwhile. Returns false on an error.
unsafe fn scan(
    op: *mut PyObject,
    v: *mut PyObject,
    start: usize,
    stop: usize,
    mut f: impl FnMut(usize, bool) -> bool,
) -> bool {
    // SAFETY: `op` a live deque, `v` live.
    unsafe {
        let state = dq(op).state;
        let mut i = start;
        loop {
            let item = {
                hold!(_g, op);
                let it = items(op);
                if i >= stop.min(it.len()) {
                    return true;
                }
                new_ref(it[i])
            };
            let r = crate::abstract_::rich_compare_bool(item, v, Py_EQ);
            decref(item);
            if r < 0 {
                return false;
            }
            if dq(op).state != state {
                raise(&raw mut EXC_RuntimeError, "deque mutated during iteration");
                return false;
            }
            if !f(i, r == 1) {
                return true;
            }
            i += 1;
        }
    }
}

unsafe extern "C" fn d_count(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque and argument (method contract).
    unsafe {
        let mut n = 0i64;
        if !scan(op, v, 0, usize::MAX, |_, eq| {
            n += i64::from(eq);
            true
        }) {
            return null_mut();
        }
        crate::longobject::from_i64(n)
    }
}

unsafe extern "C" fn d_contains(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live deque and argument (slot contract).
    unsafe {
        let mut found = false;
        if !scan(op, v, 0, usize::MAX, |_, eq| {
            found = eq;
            !eq
        }) {
            return -1;
        }
        c_int::from(found)
    }
}

/// A slice bound as `list.index` takes it (negative counts from the end, clamped).
unsafe fn bound(o: *mut PyObject, len: usize) -> Option<usize> {
    // SAFETY: `o` live.
    unsafe {
        if !crate::abstract_::index_check(o) {
            raise(
                &raw mut EXC_TypeError,
                "slice indices must be integers or have an __index__ method",
            );
            return None;
        }
        let mut i = crate::abstract_::as_ssize_t(o, null_mut());
        if i == -1 && crate::pyerrors::occurred() {
            return None;
        }
        if i < 0 {
            i += len as isize;
            if i < 0 {
                i = 0;
            }
        }
        Some((i as usize).min(len))
    }
}

unsafe extern "C" fn d_index(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 3 {
            let msg = if a.is_empty() {
                "index expected at least 1 argument, got 0".to_string()
            } else {
                format!("index expected at most 3 arguments, got {}", a.len())
            };
            raise(&raw mut EXC_TypeError, &msg);
            return null_mut();
        }
        let len = {
            hold!(_g, op);
            items(op).len()
        };
        let start = match a.get(1) {
            Some(&o) => match bound(o, len) {
                Some(i) => i,
                None => return null_mut(),
            },
            None => 0,
        };
        let stop = match a.get(2) {
            Some(&o) => match bound(o, len) {
                Some(i) => i,
                None => return null_mut(),
            },
            None => len,
        };
        let mut at = None;
        if !scan(op, a[0], start, stop, |i, eq| {
            if eq {
                at = Some(i);
            }
            !eq
        }) {
            return null_mut();
        }
        match at {
            Some(i) => crate::longobject::from_i64(i as i64),
            None => raise(&raw mut EXC_ValueError, "deque.index(x): x not in deque"),
        }
    }
}

unsafe extern "C" fn d_remove(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque and argument (method contract).
    unsafe {
        let mut at = None;
        if !scan(op, v, 0, usize::MAX, |i, eq| {
            if eq {
                at = Some(i);
            }
            !eq
        }) {
            return null_mut();
        }
        let Some(i) = at else {
            return raise(&raw mut EXC_ValueError, "deque.remove(x): x not in deque");
        };
        let old = {
            hold!(_g, op);
            let d = dq(op);
            d.state = d.state.wrapping_add(1);
            items(op).remove(i)
        };
        xdecref(old.unwrap_or(null_mut()));
        crate::object::new_none()
    }
}

unsafe extern "C" fn d_insert(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() != 2 {
            raise(
                &raw mut EXC_TypeError,
                &format!("insert expected 2 arguments, got {}", a.len()),
            );
            return null_mut();
        }
        let mut i = crate::abstract_::as_ssize_t(a[0], &raw mut crate::pyerrors::EXC_OverflowError);
        if i == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        hold!(_g, op);
        let d = dq(op);
        let it = items(op);
        if d.maxlen >= 0 && it.len() >= d.maxlen as usize {
            return raise(&raw mut EXC_IndexError, "deque already at its maximum size");
        }
        let n = it.len() as isize;
        if i < 0 {
            i = (i + n).max(0);
        }
        it.insert((i.min(n)) as usize, new_ref(a[1]));
        d.state = d.state.wrapping_add(1);
        crate::object::new_none()
    }
}

unsafe extern "C" fn d_reverse(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe {
        hold!(_g, op);
        items(op).make_contiguous().reverse();
        let d = dq(op);
        d.state = d.state.wrapping_add(1);
        crate::object::new_none()
    }
}

unsafe extern "C" fn d_rotate(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!("rotate expected at most 1 argument, got {}", a.len()),
            );
            return null_mut();
        }
        let mut n: isize = 1;
        if let Some(&o) = a.first() {
            n = crate::abstract_::as_ssize_t(o, &raw mut crate::pyerrors::EXC_OverflowError);
            if n == -1 && crate::pyerrors::occurred() {
                return null_mut();
            }
        }
        hold!(_g, op);
        let it = items(op);
        let len = it.len() as isize;
        if len > 1 {
            let k = n.rem_euclid(len) as usize;
            it.rotate_right(k);
        }
        let d = dq(op);
        d.state = d.state.wrapping_add(1);
        crate::object::new_none()
    }
}

unsafe extern "C" fn d_reduce(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe {
        let t = crate::object::ty(op);
        let maxlen = dq(op).maxlen;
        let empty = crate::tupleobject::new_tuple(0);
        let args = if maxlen < 0 {
            empty
        } else {
            let ml = crate::longobject::from_i64(maxlen as i64);
            let tup = super::tuple_of(&[empty, ml]);
            decref(ml);
            decref(empty);
            tup
        };
        let state = match crate::object::dict_ptr(op) {
            Some(p) if !(*p).is_null() => new_ref(*p),
            _ => crate::object::new_none(),
        };
        let it = deque_iter(op);
        let r = super::tuple_of(&[t.cast(), args, state, it]);
        decref(args);
        decref(state);
        xdecref(it);
        r
    }
}

unsafe extern "C" fn d_maxlen(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live deque (getter contract).
    unsafe {
        let m = dq(op).maxlen;
        if m < 0 {
            crate::object::new_none()
        } else {
            crate::longobject::from_i64(m as i64)
        }
    }
}

unsafe extern "C" fn deque_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live deque (slot contract).
    unsafe {
        hold!(_g, op);
        items(op).len() as Py_ssize_t
    }
}

unsafe extern "C" fn deque_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live deque (slot contract; `i` already adjusted by the length once).
    unsafe {
        hold!(_g, op);
        let it = items(op);
        if i < 0 || i as usize >= it.len() {
            return raise(&raw mut EXC_IndexError, "deque index out of range");
        }
        new_ref(it[i as usize])
    }
}

unsafe extern "C" fn deque_ass_item(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: live deque (slot contract); `v` NULL (delete) or live.
    unsafe {
        let old = {
            hold!(_g, op);
            let it = items(op);
            if i < 0 || i as usize >= it.len() {
                raise(&raw mut EXC_IndexError, "deque index out of range");
                return -1;
            }
            let d = dq(op);
            if v.is_null() {
                d.state = d.state.wrapping_add(1);
                it.remove(i as usize).unwrap_or(null_mut())
            } else {
                std::mem::replace(&mut it[i as usize], new_ref(v))
            }
        };
        xdecref(old);
        0
    }
}

unsafe extern "C" fn deque_concat(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_deque(other) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "can only concatenate deque (not \"{}\") to deque",
                    crate::object::tname(other)
                ),
            );
        }
        let n = copy_impl(op);
        if n.is_null() {
            return n;
        }
        if extend_impl(n, other, false) < 0 {
            decref(n);
            return null_mut();
        }
        n
    }
}

unsafe extern "C" fn deque_inplace_concat(
    op: *mut PyObject,
    other: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if extend_impl(op, other, false) < 0 {
            return null_mut();
        }
        new_ref(op)
    }
}

unsafe fn repeat_into(op: *mut PyObject, n: Py_ssize_t) -> c_int {
    // SAFETY: live deque.
    unsafe {
        if n <= 0 {
            clear_impl(op);
            return 0;
        }
        let snap = snapshot(op);
        let mut trimmed = Vec::new();
        {
            hold!(_g, op);
            for _ in 1..n {
                for &v in &snap {
                    trimmed.extend(push(op, v, false));
                }
                let d = dq(op);
                if d.maxlen >= 0 && trimmed.len() > (d.maxlen as usize) * 2 + snap.len() {
                    // the bound is reached: the rest repeats the same window
                }
            }
        }
        release(snap);
        release(trimmed);
        0
    }
}

unsafe extern "C" fn deque_repeat(op: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live deque (slot contract).
    unsafe {
        let c = copy_impl(op);
        if c.is_null() || repeat_into(c, n) < 0 {
            xdecref(c);
            return null_mut();
        }
        c
    }
}

unsafe extern "C" fn deque_inplace_repeat(op: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live deque (slot contract).
    unsafe {
        if repeat_into(op, n) < 0 {
            return null_mut();
        }
        new_ref(op)
    }
}

unsafe extern "C" fn deque_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (slot contract).
    unsafe {
        let name = type_name_of(op);
        if !crate::iterobject::repr_enter(op) {
            return super::s("[...]");
        }
        let snap = snapshot(op);
        let parts = crate::iterobject::repr_all(&snap);
        release(snap);
        crate::iterobject::repr_leave(op);
        let Some(parts) = parts else {
            return null_mut();
        };
        let m = dq(op).maxlen;
        let text = if m < 0 {
            format!("{name}([{}])", parts.join(", "))
        } else {
            format!("{name}([{}], maxlen={m})", parts.join(", "))
        };
        super::s(&text)
    }
}

unsafe extern "C" fn deque_richcompare(
    op: *mut PyObject,
    other: *mut PyObject,
    cmp: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_deque(other) {
            return crate::longobject::not_implemented();
        }
        let a = snapshot(op);
        let b = snapshot(other);
        let r = crate::iterobject::compare_sequences(&a, &b, cmp);
        release(a);
        release(b);
        r
    }
}

// --- iterators ---

#[repr(C)]
struct DequeIter {
    ob_base: PyObject,
    deque: *mut PyObject,
    index: usize,
    state: usize,
    reverse: bool,
}

unsafe fn make_iter(op: *mut PyObject, reverse: bool) -> *mut PyObject {
    // SAFETY: `op` a live deque.
    unsafe {
        let t = if reverse {
            &raw mut DequeRevIter_Type
        } else {
            &raw mut DequeIter_Type
        };
        let it = crate::objimpl::alloc_object(t, 0);
        if it.is_null() {
            return it;
        }
        let s = &mut *it.cast::<DequeIter>();
        s.deque = new_ref(op);
        s.index = 0;
        s.state = dq(op).state;
        s.reverse = reverse;
        it
    }
}

unsafe extern "C" fn deque_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (slot contract).
    unsafe { make_iter(op, false) }
}

unsafe extern "C" fn d_reversed(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live deque (method contract).
    unsafe { make_iter(op, true) }
}

unsafe extern "C" fn iter_next(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live deque iterator (slot contract).
    unsafe {
        let s = &mut *it.cast::<DequeIter>();
        let op = s.deque;
        if op.is_null() {
            return null_mut();
        }
        let v = {
            hold!(_g, op);
            if dq(op).state != s.state {
                return raise(&raw mut EXC_RuntimeError, "deque mutated during iteration");
            }
            let items = items(op);
            if s.index >= items.len() {
                None
            } else {
                let k = if s.reverse {
                    items.len() - 1 - s.index
                } else {
                    s.index
                };
                s.index += 1;
                Some(new_ref(items[k]))
            }
        };
        match v {
            Some(v) => v,
            None => {
                s.deque = null_mut();
                decref(op);
                null_mut()
            }
        }
    }
}

unsafe extern "C" fn iter_length_hint(it: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live deque iterator (method contract).
    unsafe {
        let s = &*it.cast::<DequeIter>();
        let n = if s.deque.is_null() {
            0
        } else {
            deque_len(s.deque) as usize - s.index.min(deque_len(s.deque) as usize)
        };
        crate::longobject::from_i64(n as i64)
    }
}

unsafe extern "C" fn iter_dealloc(it: *mut PyObject) {
    // SAFETY: a dead deque iterator (slot contract).
    unsafe {
        xdecref((*it.cast::<DequeIter>()).deque);
        crate::objimpl::default_dealloc(it);
    }
}

unsafe extern "C" fn iter_self(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: live object (slot contract).
    unsafe { new_ref(it) }
}

// --- tables ---

unsafe extern "C" fn d_iadd(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe { deque_inplace_concat(op, other) }
}

unsafe extern "C" fn d_imul(op: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let k = crate::abstract_::as_ssize_t(n, &raw mut crate::pyerrors::EXC_OverflowError);
        if k == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        deque_inplace_repeat(op, k)
    }
}

static mut METHODS: [PyMethodDef; 20] = [
    method(c"append", d_append as *mut c_void, METH_O),
    method(c"appendleft", d_appendleft as *mut c_void, METH_O),
    method(c"pop", d_pop as *mut c_void, METH_NOARGS),
    method(c"popleft", d_popleft as *mut c_void, METH_NOARGS),
    method(c"extend", d_extend as *mut c_void, METH_O),
    method(c"extendleft", d_extendleft as *mut c_void, METH_O),
    method(c"clear", d_clear as *mut c_void, METH_NOARGS),
    method(c"copy", d_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", d_copy as *mut c_void, METH_NOARGS),
    method(c"count", d_count as *mut c_void, METH_O),
    method(c"index", d_index as *mut c_void, METH_VARARGS),
    method(c"insert", d_insert as *mut c_void, METH_VARARGS),
    method(c"remove", d_remove as *mut c_void, METH_O),
    method(c"reverse", d_reverse as *mut c_void, METH_NOARGS),
    method(c"rotate", d_rotate as *mut c_void, METH_VARARGS),
    method(c"__reversed__", d_reversed as *mut c_void, METH_NOARGS),
    method(c"__reduce__", d_reduce as *mut c_void, METH_NOARGS),
    method(c"__iadd__", d_iadd as *mut c_void, METH_O),
    method(c"__imul__", d_imul as *mut c_void, METH_O),
    PyMethodDef::END,
];

static mut GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"maxlen".as_ptr(),
        get: Some(d_maxlen),
        set: None,
        doc: c"maximum size of a deque or None if unbounded".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

static mut AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(deque_len),
    sq_concat: Some(deque_concat),
    sq_repeat: Some(deque_repeat),
    sq_item: Some(deque_item),
    was_sq_slice: null_mut(),
    sq_ass_item: Some(deque_ass_item),
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(d_contains),
    sq_inplace_concat: Some(deque_inplace_concat),
    sq_inplace_repeat: Some(deque_inplace_repeat),
};

#[allow(non_upper_case_globals)]
pub(crate) static mut Deque_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(deque_new),
    tp_init: Some(deque_init),
    tp_dealloc: Some(deque_dealloc),
    tp_repr: Some(deque_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_richcompare: Some(deque_richcompare),
    tp_iter: Some(deque_iter),
    tp_as_sequence: &raw mut AS_SEQUENCE,
    tp_methods: (&raw mut METHODS).cast(),
    tp_getset: (&raw mut GETSET).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Deque, weakreflist) as Py_ssize_t,
    tp_doc: c"A list-like sequence optimized for data accesses near its endpoints.".as_ptr(),
    ..static_type(
        c"collections.deque",
        size_of::<Deque>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_SEQUENCE,
    )
};

static mut ITER_METHODS: [PyMethodDef; 2] = [
    method(
        c"__length_hint__",
        iter_length_hint as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

#[allow(non_upper_case_globals)]
static mut DequeIter_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(iter_dealloc),
    tp_iter: Some(iter_self),
    tp_iternext: Some(iter_next),
    tp_methods: (&raw mut ITER_METHODS).cast(),
    ..static_type(
        c"_collections._deque_iterator",
        size_of::<DequeIter>(),
        0,
        0,
    )
};

#[allow(non_upper_case_globals)]
static mut DequeRevIter_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(iter_dealloc),
    tp_iter: Some(iter_self),
    tp_iternext: Some(iter_next),
    tp_methods: (&raw mut ITER_METHODS).cast(),
    ..static_type(
        c"_collections._deque_reverse_iterator",
        size_of::<DequeIter>(),
        0,
        0,
    )
};

/// The types start-up readies.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut Deque_Type,
        &raw mut DequeIter_Type,
        &raw mut DequeRevIter_Type,
    ]
}
