//! `tupleobject.h`: `tuple` with the 3.14t layout (`ob_hash` at 40, items from 48).

use crate::export;
use crate::iterobject::{self as iters, Step};
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_SEQUENCE, Py_TPFLAGS_TUPLE_SUBCLASS, PyMappingMethods,
    PyObject, PySequenceMethods, PyTypeObject, PyVarObject, static_type,
};
use crate::pyerrors::{EXC_IndexError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::sliceobject::{self as sl, Subscript};
use std::ffi::c_int;
use std::ptr::null_mut;

/// `PyTupleObject` (header of 48 bytes, then the items).
#[repr(C)]
pub struct PyTupleObject {
    pub ob_base: PyVarObject,
    pub ob_hash: Py_hash_t,
    pub ob_item: [*mut PyObject; 1],
}

const ITEMS_OFFSET: usize = 48;

#[export]
pub static mut PyTuple_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(tuple_dealloc),
    tp_repr: Some(tuple_repr),
    tp_hash: Some(tuple_hash),
    tp_richcompare: Some(tuple_richcompare),
    tp_iter: Some(tuple_iter),
    tp_new: Some(tuple_new),
    tp_methods: (&raw mut TUPLE_METHODS).cast(),
    tp_as_sequence: &raw mut TUPLE_AS_SEQUENCE,
    tp_as_mapping: &raw mut TUPLE_AS_MAPPING,
    ..static_type(
        c"tuple",
        ITEMS_OFFSET,
        8,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_SEQUENCE,
    )
};

static mut TUPLE_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(tuple_length),
    sq_concat: Some(tuple_concat),
    sq_repeat: Some(tuple_repeat),
    sq_item: Some(tuple_item),
    was_sq_slice: std::ptr::null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: std::ptr::null_mut(),
    sq_contains: Some(tuple_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut TUPLE_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(tuple_length),
    mp_subscript: Some(tuple_subscript),
    mp_ass_subscript: None,
};

#[export]
pub static mut PyTupleIter_Type: PyTypeObject = iters::iter_type(c"tuple_iterator", tupleiter_next);

const XXPRIME_1: u64 = 11400714785074694791;
const XXPRIME_2: u64 = 14029467366897019727;
const XXPRIME_5: u64 = 2870177450012600261;

/// CPython's tuple hash (an xxHash-derived combination of the item hashes); -1 on error.
///
/// # Safety
/// Every element must be a live object.
pub(crate) unsafe fn hash_items(objs: &[*mut PyObject]) -> Py_hash_t {
    let mut acc = XXPRIME_5;
    for &o in objs {
        // SAFETY: forwarded contract.
        let lane = unsafe { crate::object::hash(o) };
        if lane == -1 {
            return -1;
        }
        acc = acc.wrapping_add((lane as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add((objs.len() as u64) ^ (XXPRIME_5 ^ 3527539));
    if acc == u64::MAX {
        return 1546275796;
    }
    acc as Py_hash_t
}

unsafe extern "C" fn tuple_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live tuple (slot contract); the cache is written once with the same value.
    unsafe {
        let t = op.cast::<PyTupleObject>();
        let cached = std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*t).ob_hash);
        let h = cached.load(std::sync::atomic::Ordering::Relaxed);
        if h != -1 {
            return h;
        }
        let h = hash_items(items(op));
        if h != -1 {
            cached.store(h, std::sync::atomic::Ordering::Relaxed);
        }
        h
    }
}

unsafe extern "C" fn tuple_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_tuple(b) {
            return iters::not_implemented();
        }
        iters::compare_sequences(items(a), items(b), op)
    }
}

unsafe extern "C" fn tuple_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("tuple.__new__", null_mut(), || {
        // SAFETY: tp_new contract: a tuple type, an argument tuple, NULL or a dict.
        unsafe {
            let Some(a) = iters::ctor_args("tuple", args, kw, 1, false) else {
                return null_mut();
            };
            let items = match a.first() {
                None => Vec::new(),
                Some(&x) => match iters::collect(x) {
                    Ok(v) => v,
                    Err(()) => return null_mut(),
                },
            };
            let r = crate::objimpl::alloc_object(t, items.len() as Py_ssize_t);
            if r.is_null() {
                iters::release_all(items);
                return r;
            }
            (*r.cast::<PyTupleObject>()).ob_hash = -1;
            for (slot, o) in items_mut(r).iter_mut().zip(items) {
                *slot = o;
            }
            r
        }
    })
}

unsafe extern "C" fn tuple_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live tuple (slot contract).
    unsafe { iters::new_iter(&raw mut PyTupleIter_Type, op, 0) }
}

unsafe fn tupleiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live tuple.
    unsafe {
        match items(it.seq).get(it.index as usize) {
            Some(&o) => Step::Item(new_ref(o)),
            None => Step::End,
        }
    }
}

unsafe extern "C" fn tupleiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, tupleiter_step) }
}

unsafe extern "C" fn tuple_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live tuple (slot contract).
    unsafe { items(op).len() as Py_ssize_t }
}

unsafe extern "C" fn tuple_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live tuple (slot contract).
    unsafe {
        match items(op).get(usize::try_from(i).unwrap_or(usize::MAX)) {
            Some(&o) => new_ref(o),
            None => raise(&raw mut EXC_IndexError, "tuple index out of range"),
        }
    }
}

unsafe extern "C" fn tuple_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_tuple(b) {
            let n = crate::object::tname(b);
            return raise(
                &raw mut EXC_TypeError,
                &format!("can only concatenate tuple (not \"{n}\") to tuple"),
            );
        }
        let mut v = items(a).to_vec();
        v.extend_from_slice(items(b));
        from_slice(&v)
    }
}

unsafe extern "C" fn tuple_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live tuple (slot contract).
    unsafe {
        let its = items(a);
        if n == 1 && crate::object::ty(a) == &raw mut PyTuple_Type {
            return new_ref(a);
        }
        let n = n.max(0) as usize;
        if its
            .len()
            .checked_mul(n)
            .is_none_or(|t| t > isize::MAX as usize / 8)
        {
            return crate::pyerrors::no_memory();
        }
        from_slice(&its.repeat(n))
    }
}

unsafe extern "C" fn tuple_contains(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        for &o in items(op) {
            let r = iters::compare_bool(o, v, crate::object::Py_EQ);
            if r != 0 {
                return r;
            }
        }
        0
    }
}

unsafe extern "C" fn tuple_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let its = items(op);
        match sl::subscript(key, its.len() as Py_ssize_t, "tuple") {
            Err(()) => null_mut(),
            Ok(Subscript::Index(i)) => tuple_item(op, i),
            Ok(Subscript::Slice(b, st, n)) => {
                if b == 0
                    && st == 1
                    && n == its.len() as Py_ssize_t
                    && crate::object::ty(op) == &raw mut PyTuple_Type
                {
                    return new_ref(op);
                }
                let v: Vec<*mut PyObject> = sl::positions(b, st, n).map(|p| its[p]).collect();
                from_slice(&v)
            }
        }
    }
}

/// Whether `op` is a tuple (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_tuple(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_TUPLE_SUBCLASS) }
}

/// The items of a tuple (borrowed; NULL entries possible while it is being filled).
///
/// # Safety
/// `op` must be a live tuple; the slice must not outlive it.
pub unsafe fn items<'a>(op: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: forwarded contract: `ob_size` items follow the header.
    unsafe {
        let n = (*op.cast::<PyVarObject>()).ob_size.max(0) as usize;
        std::slice::from_raw_parts(op.cast::<u8>().add(ITEMS_OFFSET).cast(), n)
    }
}

unsafe fn items_mut<'a>(op: *mut PyObject) -> &'a mut [*mut PyObject] {
    // SAFETY: as `items`; the caller owns the only mutable access.
    unsafe {
        let n = (*op.cast::<PyVarObject>()).ob_size.max(0) as usize;
        std::slice::from_raw_parts_mut(op.cast::<u8>().add(ITEMS_OFFSET).cast(), n)
    }
}

/// A new tuple of `n` NULL items.
pub(crate) fn new_tuple(n: usize) -> *mut PyObject {
    let ty = &raw mut PyTuple_Type;
    let t = match crate::objimpl::FreeKind::for_tuple(n) {
        // Short tuples come from the per-thread free list; `alloc_listed` does not zero the
        // block, so the items are cleared here.
        Some(kind) => {
            // SAFETY: PyTuple_Type is a ready static type without pre-header; every block of
            // this list has the size of an `n`-item tuple.
            unsafe {
                // The type's basic size is `ITEMS_OFFSET` and its item size 8 (above), so the
                // block size is a constant per length (`instance_size`'s rule, checked in debug
                // builds), and the 1 to 4 items are cleared by plain stores (no `memset` call).
                let size = ITEMS_OFFSET + 8 * n;
                debug_assert_eq!(
                    Some(size),
                    crate::objimpl::instance_size(ty, n as Py_ssize_t)
                );
                let t = crate::objimpl::alloc_listed(kind, ty, size);
                if !t.is_null() {
                    (*t.cast::<PyVarObject>()).ob_size = n as Py_ssize_t;
                    let items = t.cast::<u8>().add(ITEMS_OFFSET).cast::<*mut PyObject>();
                    match kind {
                        crate::objimpl::FreeKind::Tuple1 => {
                            items.cast::<[*mut PyObject; 1]>().write([null_mut(); 1])
                        }
                        crate::objimpl::FreeKind::Tuple2 => {
                            items.cast::<[*mut PyObject; 2]>().write([null_mut(); 2])
                        }
                        crate::objimpl::FreeKind::Tuple3 => {
                            items.cast::<[*mut PyObject; 3]>().write([null_mut(); 3])
                        }
                        crate::objimpl::FreeKind::Tuple4 => {
                            items.cast::<[*mut PyObject; 4]>().write([null_mut(); 4])
                        }
                        _ => items_mut(t).fill(null_mut()),
                    }
                }
                t
            }
        }
        // SAFETY: PyTuple_Type is a ready static type.
        None => unsafe { crate::objimpl::alloc_object(ty, n as Py_ssize_t) },
    };
    if !t.is_null() {
        // SAFETY: fresh tuple.
        unsafe { (*t.cast::<PyTupleObject>()).ob_hash = -1 };
    }
    t
}

/// Stores `o` (a reference the tuple takes over, or NULL) in slot `i` of a fresh tuple.
///
/// # Safety
/// `t` must be a tuple nobody else has seen yet, `i` below its length.
#[inline]
pub(crate) unsafe fn set_fresh(t: *mut PyObject, i: usize, o: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe { items_mut(t)[i] = o };
}

/// A new tuple holding new references to `objs`.
///
/// # Safety
/// Every element must be a live object.
pub unsafe fn from_slice(objs: &[*mut PyObject]) -> *mut PyObject {
    let t = new_tuple(objs.len());
    if t.is_null() {
        return t;
    }
    // SAFETY: fresh tuple of the right size; the objects are live.
    unsafe {
        for (slot, &o) in items_mut(t).iter_mut().zip(objs) {
            *slot = new_ref(o);
        }
    }
    t
}

unsafe extern "C" fn tuple_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead tuple (slot contract).
    unsafe {
        for &o in items(op) {
            xdecref(o);
        }
        // An exact short tuple's block goes back to its free list (its size is that of a
        // tuple of its current length, also after `_PyTuple_Resize` shrank it in place).
        let n = (*op.cast::<PyVarObject>()).ob_size.max(0) as usize;
        match crate::objimpl::FreeKind::for_tuple(n) {
            Some(kind) if crate::object::ty(op) == &raw mut PyTuple_Type => {
                crate::objimpl::free_listed(kind, op)
            }
            _ => crate::objimpl::default_dealloc(op),
        }
    }
}

unsafe extern "C" fn tuple_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live tuple (slot contract).
    unsafe {
        if items(op).is_empty() {
            return crate::unicodeobject::from_str("()");
        }
        if !iters::repr_enter(op) {
            return crate::unicodeobject::from_str("(...)");
        }
        let parts = iters::repr_all(items(op));
        iters::repr_leave(op);
        let Some(parts) = parts else {
            return null_mut();
        };
        let body = if parts.len() == 1 {
            format!("{},", parts[0])
        } else {
            parts.join(", ")
        };
        crate::unicodeobject::from_str(&format!("({body})"))
    }
}

fn not_tuple() {
    crate::pyerrors::bad_internal_call();
}

#[export]
pub fn PyTuple_New(n: Py_ssize_t) -> *mut PyObject {
    if n < 0 {
        return crate::pyerrors::bad_internal_call();
    }
    new_tuple(n as usize)
}

#[export]
pub unsafe fn PyTuple_Size(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_tuple(op) {
            not_tuple();
            return -1;
        }
        items(op).len() as Py_ssize_t
    }
}

#[export]
pub unsafe fn PyTuple_GetItem(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_tuple(op) {
            not_tuple();
            return null_mut();
        }
        let it = items(op);
        if i < 0 || i as usize >= it.len() {
            return raise(&raw mut EXC_IndexError, "tuple index out of range");
        }
        it[i as usize]
    }
}

#[export]
pub unsafe fn PyTuple_SetItem(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: a live tuple the caller is filling and a stolen reference, per the C API.
    unsafe {
        if op.is_null() || !is_tuple(op) || crate::refcount::refcnt(op) != 1 {
            xdecref(v);
            not_tuple();
            return -1;
        }
        let it = items_mut(op);
        if i < 0 || i as usize >= it.len() {
            xdecref(v);
            raise(
                &raw mut EXC_IndexError,
                "tuple assignment index out of range",
            );
            return -1;
        }
        let old = std::mem::replace(&mut it[i as usize], v);
        xdecref(old);
        0
    }
}

#[export]
pub unsafe fn PyTuple_GetSlice(op: *mut PyObject, lo: Py_ssize_t, hi: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_tuple(op) {
            not_tuple();
            return null_mut();
        }
        let it = items(op);
        let n = it.len() as Py_ssize_t;
        let lo = lo.clamp(0, n) as usize;
        let hi = hi.clamp(lo as Py_ssize_t, n) as usize;
        from_slice(&it[lo..hi])
    }
}

/// `PyTuple_Pack` without varargs: the C shim collects the arguments.
///
/// # Safety
/// `objs` must point to `n` live objects.
#[export(err = null_mut(), guard_name = "PyTuple_Pack")]
pub unsafe fn _gilgate_tuple_from_array(
    objs: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    if n < 0 {
        return crate::pyerrors::bad_internal_call();
    }
    if n == 0 {
        return new_tuple(0);
    }
    // SAFETY: forwarded contract.
    unsafe { from_slice(std::slice::from_raw_parts(objs, n as usize)) }
}

#[export]
pub unsafe fn PyTuple_FromArray(objs: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    if n < 0 || (n > 0 && objs.is_null()) {
        return crate::pyerrors::bad_internal_call();
    }
    if n == 0 {
        return new_tuple(0);
    }
    // SAFETY: `objs` points to `n` live objects, per the C API contract.
    unsafe { from_slice(std::slice::from_raw_parts(objs, n as usize)) }
}

#[export]
pub unsafe fn _PyTuple_Resize(pv: *mut *mut PyObject, newsize: Py_ssize_t) -> c_int {
    // SAFETY: `*pv` is a tuple the caller owns alone (refcount 1), per the C API contract.
    unsafe {
        let v = *pv;
        if v.is_null()
            || crate::object::ty(v) != &raw mut PyTuple_Type
            || newsize < 0
            || (crate::refcount::refcnt(v) != 1 && !items(v).is_empty())
        {
            *pv = null_mut();
            xdecref(v);
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let old = items(v).len() as Py_ssize_t;
        if old == newsize {
            return 0;
        }
        if old == 0 || crate::refcount::is_immortal(v) {
            let t = new_tuple(newsize as usize);
            decref(v);
            *pv = t;
            return if t.is_null() { -1 } else { 0 };
        }
        for &o in &items(v)[newsize.min(old) as usize..] {
            xdecref(o);
        }
        let size = ITEMS_OFFSET + 8 * newsize.max(1) as usize;
        let p = crate::pymem::realloc(v.cast(), size).cast::<PyObject>();
        if p.is_null() {
            crate::pymem::free(v.cast());
            *pv = null_mut();
            crate::pyerrors::no_memory();
            return -1;
        }
        (*p.cast::<PyVarObject>()).ob_size = newsize;
        (*p.cast::<PyTupleObject>()).ob_hash = -1;
        for i in old..newsize {
            *p.cast::<u8>()
                .add(ITEMS_OFFSET)
                .cast::<*mut PyObject>()
                .add(i as usize) = null_mut();
        }
        *pv = p;
        0
    }
}

// ---- Python-level methods ---------------------------------------------------------------------

/// `tuple.count(value, /)`.
unsafe fn m_count(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live tuple.
    unsafe {
        let mut n = 0i128;
        for &o in items(op) {
            match iters::compare_bool(o, x, crate::object::Py_EQ) {
                r if r < 0 => return null_mut(),
                1 => n += 1,
                _ => {}
            }
        }
        crate::longobject::from_i128(n)
    }
}

/// `tuple.index(value, start=0, stop=sys.maxsize, /)`.
unsafe fn m_index(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !crate::unicodeobject::methods::nargs("index", a.len() as Py_ssize_t, 1, 3) {
        return null_mut();
    }
    // SAFETY: METH_FASTCALL on a live tuple.
    unsafe {
        // start and stop are ints (or have __index__); None is refused here
        for &x in a.iter().skip(1) {
            let nb = (*crate::object::ty(x)).tp_as_number;
            if nb.is_null() || (*nb).nb_index.is_none() {
                return raise(
                    &raw mut EXC_TypeError,
                    "slice indices must be integers or have an __index__ method",
                );
            }
        }
        let (Ok(lo), Ok(hi)) = (
            crate::unicodeobject::methods::index_arg(a.get(1), 0),
            crate::unicodeobject::methods::index_arg(a.get(2), Py_ssize_t::MAX),
        ) else {
            return null_mut();
        };
        let v = items(op);
        let n = v.len() as Py_ssize_t;
        let fix = |i: Py_ssize_t| if i < 0 { (i + n).max(0) } else { i.min(n) };
        for i in fix(lo)..fix(hi) {
            match iters::compare_bool(v[i as usize], a[0], crate::object::Py_EQ) {
                r if r < 0 => return null_mut(),
                1 => return crate::longobject::from_i128(i as i128),
                _ => {}
            }
        }
        raise(
            &raw mut crate::pyerrors::EXC_ValueError,
            "tuple.index(x): x not in tuple",
        )
    }
}

unsafe fn m_getnewargs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live tuple.
    unsafe {
        let t = from_slice(items(op));
        if t.is_null() {
            return t;
        }
        crate::bytes_methods::own_tuple(&[t])
    }
}

static mut TUPLE_METHODS: [crate::methodobject::PyMethodDef; 4] = [
    crate::bytes_methods::def!(c"count", o, m_count),
    crate::bytes_methods::def!(c"index", fast, m_index),
    crate::bytes_methods::def!(c"__getnewargs__", noargs, m_getnewargs),
    crate::methodobject::PyMethodDef::END,
];
