//! `setobject.h`: `set` and `frozenset` with CPython's 216-byte `PySetObject` header, so
//! `PySet_GET_SIZE` (which reads `used` at 40) works inline. The elements live in a private,
//! insertion-ordered dict kept behind `table` (keys only; values are None), which gives sets
//! the dict's per-object lock; sets therefore iterate in insertion order.
//!
//! Locking (free threading): each single element operation is atomic through that dict's
//! critical section; on top of it every mutation (with the `used` count it updates) and `pop`
//! (find and remove one element) hold a critical section on the set itself (its `ob_mutex`,
//! as in CPython 3.14t; hashing and comparing keys may run code that touches the same set, or
//! waits with the section suspended).

use crate::critical_section::hold;
use crate::export;
use crate::iterobject::{self as iters, Step};
use crate::methodobject::{METH_NOARGS, METH_O, PyMethodDef};
use crate::object::{
    Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE, Py_TPFLAGS_BASETYPE, PyNumberMethods, PyObject,
    PySequenceMethods, PyTypeObject, static_type, ty,
};
use crate::pyerrors::{EXC_KeyError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// `setentry` (16 bytes).
#[repr(C)]
pub struct setentry {
    pub key: *mut PyObject,
    pub hash: Py_hash_t,
}

/// `PySetObject` (216 bytes).
#[repr(C)]
pub struct PySetObject {
    pub ob_base: PyObject,
    pub fill: Py_ssize_t,
    pub used: Py_ssize_t,
    pub mask: Py_ssize_t,
    /// gilgate keeps its element dict here (never a real `setentry` array).
    pub table: *mut setentry,
    pub hash: Py_hash_t,
    pub finger: Py_ssize_t,
    pub smalltable: [setentry; 8],
    pub weakreflist: *mut PyObject,
}

static mut SET_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(set_length),
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(set_contains_slot),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut SET_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_subtract: Some(set_sub),
    nb_and: Some(set_and),
    nb_xor: Some(set_xor),
    nb_or: Some(set_or),
    ..const_default_number()
};

/// `set`'s: `frozenset`'s and the in-place operators (`|=` ... updating the set itself).
static mut MUTABLE_SET_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_subtract: Some(set_sub),
    nb_and: Some(set_and),
    nb_xor: Some(set_xor),
    nb_or: Some(set_or),
    nb_inplace_subtract: Some(set_isub),
    nb_inplace_and: Some(set_iand),
    nb_inplace_xor: Some(set_ixor),
    nb_inplace_or: Some(set_ior),
    ..const_default_number()
};

/// `a OP= b`: NotImplemented unless `b` is a set or frozenset, else `a` updated by `update`.
///
/// # Safety
/// Live objects; `a` a set.
unsafe fn inplace(
    a: *mut PyObject,
    b: *mut PyObject,
    update: unsafe fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !is_anyset(a) || !is_anyset(b) {
            return iters::not_implemented();
        }
        let r = update(a, b);
        if r.is_null() {
            return r;
        }
        decref(r);
        crate::refcount::incref(a);
        a
    }
}

unsafe fn ior_update(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live sets.
    unsafe {
        if update(a, b) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}
unsafe fn iand_update(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live sets.
    unsafe { m_intersection_update(a, &[b]) }
}
unsafe fn isub_update(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live sets.
    unsafe { m_difference_update(a, &[b]) }
}
unsafe extern "C" fn set_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, ior_update) }
}
unsafe extern "C" fn set_iand(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, iand_update) }
}
unsafe extern "C" fn set_isub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, isub_update) }
}
unsafe extern "C" fn set_ixor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, m_symmetric_difference_update) }
}

pub(crate) const fn const_default_number() -> PyNumberMethods {
    PyNumberMethods {
        nb_add: None,
        nb_subtract: None,
        nb_multiply: None,
        nb_remainder: None,
        nb_divmod: None,
        nb_power: None,
        nb_negative: None,
        nb_positive: None,
        nb_absolute: None,
        nb_bool: None,
        nb_invert: None,
        nb_lshift: None,
        nb_rshift: None,
        nb_and: None,
        nb_xor: None,
        nb_or: None,
        nb_int: None,
        nb_reserved: null_mut(),
        nb_float: None,
        nb_inplace_add: None,
        nb_inplace_subtract: None,
        nb_inplace_multiply: None,
        nb_inplace_remainder: None,
        nb_inplace_power: None,
        nb_inplace_lshift: None,
        nb_inplace_rshift: None,
        nb_inplace_and: None,
        nb_inplace_xor: None,
        nb_inplace_or: None,
        nb_floor_divide: None,
        nb_true_divide: None,
        nb_inplace_floor_divide: None,
        nb_inplace_true_divide: None,
        nb_index: None,
        nb_matrix_multiply: None,
        nb_inplace_matrix_multiply: None,
    }
}

type Meth = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

const fn meth(name: &'static std::ffi::CStr, f: Meth, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f as *mut c_void,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

const SENTINEL: PyMethodDef = PyMethodDef::END;

static mut SET_METHODS: [PyMethodDef; 18] = [
    meth(c"add", m_add, METH_O),
    meth(c"discard", m_discard, METH_O),
    meth(c"remove", m_remove, METH_O),
    meth(c"pop", m_pop, METH_NOARGS),
    meth(c"clear", m_clear, METH_NOARGS),
    meth(c"copy", m_copy, METH_NOARGS),
    crate::bytes_methods::def!(c"union", fast, m_union),
    crate::bytes_methods::def!(c"intersection", fast, m_intersection),
    crate::bytes_methods::def!(c"difference", fast, m_difference),
    crate::bytes_methods::def!(c"symmetric_difference", o, m_symmetric_difference),
    crate::bytes_methods::def!(c"issubset", o, m_issubset),
    crate::bytes_methods::def!(c"issuperset", o, m_issuperset),
    crate::bytes_methods::def!(c"isdisjoint", o, m_isdisjoint),
    crate::bytes_methods::def!(c"update", fast, m_update),
    crate::bytes_methods::def!(c"intersection_update", fast, m_intersection_update),
    crate::bytes_methods::def!(c"difference_update", fast, m_difference_update),
    crate::bytes_methods::def!(
        c"symmetric_difference_update",
        o,
        m_symmetric_difference_update
    ),
    SENTINEL,
];

/// frozenset's: `copy` and the algebra without the `*_update` forms.
static mut FROZENSET_METHODS: [PyMethodDef; 9] = [
    meth(c"copy", m_copy, METH_NOARGS),
    crate::bytes_methods::def!(c"union", fast, m_union),
    crate::bytes_methods::def!(c"intersection", fast, m_intersection),
    crate::bytes_methods::def!(c"difference", fast, m_difference),
    crate::bytes_methods::def!(c"symmetric_difference", o, m_symmetric_difference),
    crate::bytes_methods::def!(c"issubset", o, m_issubset),
    crate::bytes_methods::def!(c"issuperset", o, m_issuperset),
    crate::bytes_methods::def!(c"isdisjoint", o, m_isdisjoint),
    SENTINEL,
];

#[export]
pub static mut PySet_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(set_dealloc),
    tp_repr: Some(set_repr),
    tp_hash: Some(iters::unhashable),
    tp_richcompare: Some(set_richcompare),
    tp_iter: Some(set_iter),
    tp_as_sequence: &raw mut SET_AS_SEQUENCE,
    tp_as_number: &raw mut MUTABLE_SET_AS_NUMBER,
    tp_methods: (&raw mut SET_METHODS).cast(),
    tp_new: Some(set_new),
    ..static_type(
        c"set",
        std::mem::size_of::<PySetObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

#[export]
pub static mut PyFrozenSet_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(set_dealloc),
    tp_repr: Some(set_repr),
    tp_hash: Some(frozenset_hash),
    tp_richcompare: Some(set_richcompare),
    tp_iter: Some(set_iter),
    tp_as_sequence: &raw mut SET_AS_SEQUENCE,
    tp_as_number: &raw mut SET_AS_NUMBER,
    tp_methods: (&raw mut FROZENSET_METHODS).cast(),
    tp_new: Some(set_new),
    ..static_type(
        c"frozenset",
        std::mem::size_of::<PySetObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

#[export]
pub static mut PySetIter_Type: PyTypeObject = iters::iter_type(c"set_iterator", setiter_next);

/// Whether `op` is a set or frozenset (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_anyset(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        crate::object::type_check(op, &raw mut PySet_Type)
            || crate::object::type_check(op, &raw mut PyFrozenSet_Type)
    }
}

/// Whether `op` is a frozenset (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_frozenset(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyFrozenSet_Type) }
}

unsafe fn store(s: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set made by `new_set`.
    unsafe { (*s.cast::<PySetObject>()).table.cast() }
}

unsafe fn sync(s: *mut PyObject) {
    // SAFETY: a live set.
    unsafe {
        // (atomic stores: `len` reads `used` without the set's section)
        let n = crate::dictobject::len(store(s));
        let p = s.cast::<PySetObject>();
        std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*p).used)
            .store(n, std::sync::atomic::Ordering::Relaxed);
        std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*p).fill)
            .store(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A new empty set of type `t` (set, frozenset or a subclass).
///
/// # Safety
/// `t` must be PySet_Type, PyFrozenSet_Type or a subtype.
pub(crate) unsafe fn new_set(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let s = crate::objimpl::alloc_object(t, 0);
        if s.is_null() {
            return s;
        }
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            decref(s);
            return null_mut();
        }
        let p = s.cast::<PySetObject>();
        (*p).table = d.cast();
        (*p).mask = 7;
        (*p).hash = -1;
        s
    }
}

/// Adds `key` (a new reference is kept). -1 on error (unhashable key).
///
/// # Safety
/// `s` must be a live set and `key` a live object.
pub(crate) unsafe fn add(s: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        hold!(_g, s);
        let r = crate::dictobject::set_item_as(
            store(s),
            key,
            crate::object::none(),
            crate::dictobject::SET_ELEMENT,
        );
        sync(s);
        r
    }
}

/// 1 if present, 0 if not, -1 on error.
///
/// # Safety
/// `s` must be a live set and `key` a live object.
pub(crate) unsafe fn contains(s: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::dictobject::get_with_error_as(store(s), key, crate::dictobject::SET_ELEMENT)
            .is_null()
        {
            1
        } else if crate::pyerrors::occurred() {
            -1
        } else {
            0
        }
    }
}

/// Removes `key`: 1 removed, 0 absent, -1 error.
///
/// # Safety
/// `s` must be a live set and `key` a live object.
pub(crate) unsafe fn discard(s: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        hold!(_g, s);
        let r = match crate::dictobject::pop_as(store(s), key, crate::dictobject::SET_ELEMENT) {
            Err(()) => -1,
            Ok(None) => 0,
            Ok(Some(v)) => {
                decref(v);
                1
            }
        };
        sync(s);
        r
    }
}

/// The elements (new references), in iteration order.
///
/// # Safety
/// `s` must be a live set.
pub(crate) unsafe fn elements(s: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: forwarded contract.
    // (taken under the store's critical section: a concurrent `discard` cannot free one first)
    unsafe { crate::dictobject::owned_keys(store(s)) }
}

/// Number of elements.
///
/// # Safety
/// `s` must be a live set.
pub(crate) unsafe fn len(s: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*s.cast::<PySetObject>()).used)
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Adds every element of `it`.
unsafe fn update(s: *mut PyObject, it: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let items = if is_anyset(it) {
            elements(it)
        } else if crate::dictobject::is_dict(it) {
            crate::dictobject::owned_keys(it)
        } else {
            match iters::collect(it) {
                Ok(v) => v,
                Err(()) => return -1,
            }
        };
        let mut r = 0;
        for &o in &items {
            if add(s, o) < 0 {
                r = -1;
                break;
            }
        }
        iters::release_all(items);
        r
    }
}

/// A new set of type `t` holding the elements of `it` (NULL: empty).
unsafe fn make(t: *mut PyTypeObject, it: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let s = new_set(t);
        if !s.is_null() && !it.is_null() && update(s, it) < 0 {
            decref(s);
            return null_mut();
        }
        s
    }
}

unsafe extern "C" fn set_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("set.__new__", null_mut(), || {
        // SAFETY: tp_new contract: a set or frozenset type, an argument tuple, NULL or a dict.
        unsafe {
            let name = if crate::object::is_subtype(t, &raw mut PyFrozenSet_Type) {
                "frozenset"
            } else {
                "set"
            };
            let Some(a) = iters::ctor_args(name, args, kw, 1, false) else {
                return null_mut();
            };
            make(t, a.first().copied().unwrap_or(null_mut()))
        }
    })
}

unsafe extern "C" fn set_dealloc(op: *mut PyObject) {
    // SAFETY: a dead set (slot contract).
    unsafe {
        let d = store(op);
        if !d.is_null() {
            decref(d);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn set_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set (slot contract).
    unsafe {
        let name = crate::object::type_name(ty(op));
        if len(op) == 0 {
            return crate::unicodeobject::from_str(&format!("{name}()"));
        }
        if !iters::repr_enter(op) {
            return crate::unicodeobject::from_str(&format!("{name}(...)"));
        }
        let els = elements(op);
        let parts = iters::repr_all(&els);
        iters::release_all(els);
        iters::repr_leave(op);
        let Some(parts) = parts else {
            return null_mut();
        };
        let body = format!("{{{}}}", parts.join(", "));
        let text = if ty(op) == &raw mut PySet_Type {
            body
        } else {
            format!("{name}({body})")
        };
        crate::unicodeobject::from_str(&text)
    }
}

fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
}

unsafe extern "C" fn frozenset_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live frozenset (slot contract).
    unsafe {
        let p = op.cast::<PySetObject>();
        if (*p).hash != -1 {
            return (*p).hash;
        }
        let mut h: u64 = 0;
        for (k, _) in crate::dictobject::entries(store(op)) {
            let kh = crate::object::hash(k);
            if kh == -1 {
                return -1;
            }
            h ^= shuffle_bits(kh as u64);
        }
        h ^= (len(op) as u64).wrapping_add(1).wrapping_mul(1927868237);
        h ^= (h >> 11) ^ (h >> 25);
        h = h.wrapping_mul(69069).wrapping_add(907133923);
        let mut r = h as Py_hash_t;
        if r == -1 {
            r = 590923713;
        }
        (*p).hash = r;
        r
    }
}

/// Whether every element of `a` is in `b`.
unsafe fn subset(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live sets.
    unsafe {
        if len(a) > len(b) {
            return 0;
        }
        let els = elements(a);
        let mut r = 1;
        for &e in &els {
            r = contains(b, e);
            if r != 1 {
                break;
            }
        }
        iters::release_all(els);
        r
    }
}

unsafe extern "C" fn set_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_anyset(b) {
            return iters::not_implemented();
        }
        let (la, lb) = (len(a), len(b));
        let r = match op {
            Py_EQ | Py_NE => {
                let eq = if la != lb { 0 } else { subset(a, b) };
                if eq < 0 {
                    return null_mut();
                }
                (eq == 1) == (op == Py_EQ)
            }
            Py_LE | Py_LT => {
                if op == Py_LT && la >= lb {
                    false
                } else {
                    match subset(a, b) {
                        -1 => return null_mut(),
                        x => x == 1,
                    }
                }
            }
            Py_GE | Py_GT => {
                if op == Py_GT && lb >= la {
                    false
                } else {
                    match subset(b, a) {
                        -1 => return null_mut(),
                        x => x == 1,
                    }
                }
            }
            _ => return iters::not_implemented(),
        };
        crate::boolobject::from_bool(r)
    }
}

unsafe extern "C" fn set_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live set (slot contract).
    unsafe { len(op) }
}

unsafe extern "C" fn set_contains_slot(op: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let r = contains(op, key);
        if r < 0
            && ty(key) == &raw mut PySet_Type
            && crate::pyerrors::matches_current(&raw mut EXC_TypeError)
        {
            // A set key is looked up as the equal frozenset.
            crate::pyerrors::clear();
            let f = make(&raw mut PyFrozenSet_Type, key);
            if f.is_null() {
                return -1;
            }
            let r = contains(op, f);
            decref(f);
            return r;
        }
        r
    }
}

unsafe extern "C" fn set_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set (slot contract).
    unsafe { iters::new_iter(&raw mut PySetIter_Type, op, len(op)) }
}

unsafe fn setiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live set.
    unsafe {
        if len(it.seq) != it.len0 {
            it.len0 = -1;
            return iters::runtime_error("Set changed size during iteration");
        }
        // The set's section (which every mutation holds) keeps `k` in the set until it is
        // increfed.
        hold!(_g, it.seq);
        let mut pos = it.index;
        let (mut k, mut v) = (null_mut(), null_mut());
        if crate::dictobject::PyDict_Next(store(it.seq), &mut pos, &mut k, &mut v) == 0 {
            return Step::End;
        }
        it.index = pos - 1;
        Step::Item(new_ref(k))
    }
}

unsafe extern "C" fn setiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, setiter_step) }
}

/// The result type of a binary set operation: the left operand's base kind.
unsafe fn result_type(a: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: a live set.
    unsafe {
        if is_frozenset(a) {
            &raw mut PyFrozenSet_Type
        } else {
            &raw mut PySet_Type
        }
    }
}

/// `a OP b` for two sets; `keep(in_a, in_b)` decides membership.
unsafe fn binop(a: *mut PyObject, b: *mut PyObject, keep: fn(bool, bool) -> bool) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        if !is_anyset(a) || !is_anyset(b) {
            return iters::not_implemented();
        }
        let out = new_set(result_type(a));
        if out.is_null() {
            return out;
        }
        for (x, y) in [(a, b), (b, a)] {
            let els = elements(x);
            for &e in &els {
                let in_y = contains(y, e);
                if in_y < 0 {
                    iters::release_all(els);
                    decref(out);
                    return null_mut();
                }
                let (ia, ib) = if x == a {
                    (true, in_y == 1)
                } else {
                    (in_y == 1, true)
                };
                if keep(ia, ib) && add(out, e) < 0 {
                    iters::release_all(els);
                    decref(out);
                    return null_mut();
                }
            }
            iters::release_all(els);
        }
        out
    }
}

unsafe extern "C" fn set_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { binop(a, b, |x, y| x || y) }
}
unsafe extern "C" fn set_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { binop(a, b, |x, y| x && y) }
}
unsafe extern "C" fn set_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { binop(a, b, |x, y| x && !y) }
}
unsafe extern "C" fn set_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { binop(a, b, |x, y| x != y) }
}

unsafe extern "C" fn m_add(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if add(op, k) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}
unsafe extern "C" fn m_discard(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if discard(op, k) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}
unsafe extern "C" fn m_remove(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        match discard(op, k) {
            -1 => null_mut(),
            0 => {
                crate::dictobject::key_error(k);
                null_mut()
            }
            _ => crate::object::new_none(),
        }
    }
}
unsafe extern "C" fn m_pop(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set (method contract).
    unsafe { pop(op) }
}
unsafe extern "C" fn m_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set (method contract).
    unsafe {
        clear(op);
        crate::object::new_none()
    }
}
unsafe extern "C" fn m_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set (method contract).
    unsafe {
        if ty(op) == &raw mut PyFrozenSet_Type {
            return new_ref(op);
        }
        make(result_type(op), op)
    }
}

/// Removes every element.
unsafe fn clear(op: *mut PyObject) {
    // SAFETY: a live set.
    unsafe {
        hold!(_g, op);
        crate::dictobject::PyDict_Clear(store(op));
        sync(op);
    }
}

unsafe fn pop(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set.
    unsafe {
        // Finding the first element and removing it is one step for other threads.
        hold!(_g, op);
        let mut pos = 0;
        let (mut k, mut v) = (null_mut(), null_mut());
        if crate::dictobject::PyDict_Next(store(op), &mut pos, &mut k, &mut v) == 0 {
            return raise(&raw mut EXC_KeyError, "pop from an empty set");
        }
        let k = new_ref(k);
        discard(op, k);
        k
    }
}

unsafe fn check_set(op: *mut PyObject, mutable: bool) -> bool {
    // SAFETY: NULL or a live object.
    unsafe {
        if op.is_null() || !is_anyset(op) || (mutable && is_frozenset(op)) {
            crate::pyerrors::bad_internal_call();
            return false;
        }
        true
    }
}

// ---- exported API ---------------------------------------------------------------------------

#[export]
pub unsafe fn PySet_New(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or a live iterable, per the C API contract.
    unsafe { make(&raw mut PySet_Type, it) }
}

#[export]
pub unsafe fn PyFrozenSet_New(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or a live iterable, per the C API contract.
    unsafe { make(&raw mut PyFrozenSet_Type, it) }
}

#[export]
pub unsafe fn PySet_Size(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check_set(op, false) {
            return -1;
        }
        len(op)
    }
}

#[export]
pub unsafe fn PySet_Add(op: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract. Like CPython, a frozenset being
    // filled right after PyFrozenSet_New (reference count 1) may be added to.
    unsafe {
        if op.is_null() || !is_anyset(op) || (is_frozenset(op) && crate::refcount::refcnt(op) != 1)
        {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        add(op, key)
    }
}

#[export]
pub unsafe fn PySet_Discard(op: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check_set(op, true) {
            return -1;
        }
        discard(op, key)
    }
}

#[export]
pub unsafe fn PySet_Contains(op: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check_set(op, false) {
            return -1;
        }
        set_contains_slot(op, key)
    }
}

#[export]
pub unsafe fn PySet_Pop(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check_set(op, true) {
            return null_mut();
        }
        pop(op)
    }
}

#[export]
pub unsafe fn PySet_Clear(op: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check_set(op, false) {
            return -1;
        }
        clear(op);
        0
    }
}

/// `_PySet_Update(set, iterable)`: adds every element of `iterable` (0, or -1 with an error;
/// `SystemError` when `set` is not a set or frozenset).
#[export(err = -1)]
pub unsafe fn _PySet_Update(set: *mut PyObject, iterable: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !is_anyset(set) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        update(set, iterable)
    }
}

// ---- Python-level set algebra (`union`, `issubset`, the `*_update` forms, ...) ----------------

/// `o` as a set: itself when it is one (a new reference), else a new set of its items.
unsafe fn as_set(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object.
    unsafe {
        if is_anyset(o) {
            return new_ref(o);
        }
        make(&raw mut PySet_Type, o)
    }
}

/// Folds `args` into a copy of `op` (of `op`'s base kind) with `binop`'s `keep`.
unsafe fn fold(
    op: *mut PyObject,
    args: &[*mut PyObject],
    keep: fn(bool, bool) -> bool,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let mut cur = make(result_type(op), op);
        for &a in args {
            if cur.is_null() {
                return cur;
            }
            let t = as_set(a);
            if t.is_null() {
                decref(cur);
                return t;
            }
            let next = binop(cur, t, keep);
            decref(t);
            decref(cur);
            cur = next;
        }
        cur
    }
}

unsafe fn m_union(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live set.
    unsafe {
        let out = make(result_type(op), op);
        for &x in a {
            if out.is_null() || update(out, x) < 0 {
                crate::refcount::xdecref(out);
                return null_mut();
            }
        }
        out
    }
}
unsafe fn m_intersection(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live set.
    unsafe { fold(op, a, |x, y| x && y) }
}
unsafe fn m_difference(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live set.
    unsafe { fold(op, a, |x, y| x && !y) }
}
unsafe fn m_symmetric_difference(op: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live set.
    unsafe { fold(op, &[o], |x, y| x != y) }
}

/// `issubset`/`issuperset`/`isdisjoint` against any iterable.
unsafe fn relation(op: *mut PyObject, o: *mut PyObject, which: u8) -> *mut PyObject {
    // SAFETY: METH_O on a live set.
    unsafe {
        let t = as_set(o);
        if t.is_null() {
            return t;
        }
        let r = match which {
            b'<' => subset(op, t),
            b'>' => subset(t, op),
            _ => {
                let els = elements(t);
                let mut r = 1;
                for &e in &els {
                    match contains(op, e) {
                        0 => {}
                        c if c < 0 => {
                            r = -1;
                            break;
                        }
                        _ => {
                            r = 0;
                            break;
                        }
                    }
                }
                iters::release_all(els);
                r
            }
        };
        decref(t);
        if r < 0 {
            return null_mut();
        }
        crate::boolobject::from_bool(r == 1)
    }
}
unsafe fn m_issubset(op: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { relation(op, o, b'<') }
}
unsafe fn m_issuperset(op: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { relation(op, o, b'>') }
}
unsafe fn m_isdisjoint(op: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { relation(op, o, b'd') }
}

unsafe fn m_update(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live set.
    unsafe {
        for &x in a {
            if update(op, x) < 0 {
                return null_mut();
            }
        }
        crate::object::new_none()
    }
}

/// Replaces `op`'s elements by `new`'s (consumed).
unsafe fn replace_with(op: *mut PyObject, new: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live set and an owned set (or NULL).
    unsafe {
        if new.is_null() {
            return new;
        }
        clear(op);
        let r = update(op, new);
        decref(new);
        if r < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe fn m_intersection_update(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live set.
    unsafe { replace_with(op, fold(op, a, |x, y| x && y)) }
}
unsafe fn m_difference_update(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live set.
    unsafe { replace_with(op, fold(op, a, |x, y| x && !y)) }
}
unsafe fn m_symmetric_difference_update(op: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live set.
    unsafe { replace_with(op, fold(op, &[o], |x, y| x != y)) }
}
