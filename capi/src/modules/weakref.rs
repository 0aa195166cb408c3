//! gilgate's own `weakref` module (CPython's `Lib/weakref.py` with `_weakref`, written
//! natively over `objects/weakrefobject.rs`): `ref`/`ReferenceType`, `proxy`, `ProxyType`,
//! `CallableProxyType`, `ProxyTypes`, `getweakrefcount`, `getweakrefs`,
//! `WeakValueDictionary`, `WeakKeyDictionary`, `WeakSet`, `WeakMethod` and `finalize`.
//!
//! The weak containers keep weak references in a plain dict or set (`data`) and drop the
//! entries whose referent died before every operation (CPython removes them from the
//! references' callbacks; what any operation observes is the same).

use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{
    Py_TPFLAGS_BASETYPE, PyMappingMethods, PyObject, PySequenceMethods, PyTypeObject, static_type,
};
use crate::pyerrors::{EXC_KeyError, EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use crate::weakrefobject::{
    _PyWeakref_CallableProxyType, _PyWeakref_ProxyType, _PyWeakref_RefType, PyWeakReference,
};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

use super::collections::{s, tuple_of};

/// The module (address; created once).
static MODULE: OnceLock<usize> = OnceLock::new();

/// The `weakref` module (borrowed, process-lifetime; NULL with an exception if it could not
/// be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "weakref", build)
}

/// `ref(o)` (new reference; NULL with TypeError when `o` cannot be weakly referenced).
unsafe fn make_ref(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` live.
    unsafe { crate::weakrefobject::new_weak(o, null_mut(), &raw mut _PyWeakref_RefType) }
}

/// The live referent of the ref `r` (new reference) or NULL (no exception).
unsafe fn deref(r: *mut PyObject) -> *mut PyObject {
    // SAFETY: `r` a live weak reference.
    unsafe { crate::weakrefobject::referent(r) }
}

// --- module functions ---

unsafe extern "C" fn w_getweakrefcount(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (method contract).
    unsafe { crate::longobject::from_i64(crate::weakrefobject::weakref_count(o) as i64) }
}

unsafe extern "C" fn w_getweakrefs(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (method contract).
    unsafe { crate::listobject::from_vec(crate::weakrefobject::refs_of(o)) }
}

unsafe extern "C" fn w_proxy(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: an argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            let msg = if a.is_empty() {
                "proxy expected at least 1 argument, got 0".to_string()
            } else {
                format!("proxy expected at most 2 arguments, got {}", a.len())
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let cb = a.get(1).copied().unwrap_or(null_mut());
        crate::weakrefobject::PyWeakref_NewProxy(a[0], cb)
    }
}

static mut FUNCTIONS: [PyMethodDef; 4] = [
    method(c"getweakrefcount", w_getweakrefcount as *mut c_void, METH_O),
    method(c"getweakrefs", w_getweakrefs as *mut c_void, METH_O),
    method(c"proxy", w_proxy as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

// --- the weak containers ---

/// The layout of the weak containers: the dict or set of references, the instance dict and
/// the weak-reference list.
#[repr(C)]
struct Container {
    ob_base: PyObject,
    data: *mut PyObject,
    dict: *mut PyObject,
    weakreflist: *mut PyObject,
}

/// # Safety
/// `op` must be a live container.
unsafe fn data(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; set by `container_new`.
    unsafe { (*op.cast::<Container>()).data }
}

unsafe fn container_new_with(t: *mut PyTypeObject, data: *mut PyObject) -> *mut PyObject {
    // SAFETY: one of the container types or a subtype; `data` a new dict or set (stolen).
    unsafe {
        if data.is_null() {
            return data;
        }
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            decref(data);
            return op;
        }
        (*op.cast::<Container>()).data = data;
        op
    }
}

unsafe extern "C" fn dict_container_new(
    t: *mut PyTypeObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a container type (slot contract).
    unsafe { container_new_with(t, crate::dictobject::new_dict()) }
}

unsafe extern "C" fn set_container_new(
    t: *mut PyTypeObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a container type (slot contract).
    unsafe { container_new_with(t, crate::setobject::PySet_New(null_mut())) }
}

unsafe extern "C" fn container_dealloc(op: *mut PyObject) {
    // SAFETY: a dead container (slot contract).
    unsafe {
        let c = &mut *op.cast::<Container>();
        if !c.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        xdecref(std::mem::replace(&mut c.data, null_mut()));
        xdecref(std::mem::replace(&mut c.dict, null_mut()));
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn container_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live container (slot contract).
    unsafe {
        s(&format!(
            "<{} at {:#x}>",
            super::collections::type_name_of(op),
            op as usize
        ))
    }
}

/// Drops the entries of a dict container whose reference (the value for
/// WeakValueDictionary, the key for WeakKeyDictionary) is dead.
unsafe fn purge_dict(op: *mut PyObject, by_key: bool) {
    // SAFETY: a live dict container.
    unsafe {
        let d = data(op);
        for (k, v) in crate::dictobject::owned_entries(d) {
            let r = if by_key { k } else { v };
            let o = deref(r);
            if o.is_null() {
                crate::dictobject::del_item(d, k);
                crate::pyerrors::clear();
            } else {
                decref(o);
            }
            decref(k);
            decref(v);
        }
    }
}

/// Drops the dead references of a WeakSet.
unsafe fn purge_set(op: *mut PyObject) {
    // SAFETY: a live WeakSet.
    unsafe {
        let d = data(op);
        let Ok(all) = crate::iterobject::collect(d) else {
            crate::pyerrors::clear();
            return;
        };
        for &r in &all {
            let o = deref(r);
            if o.is_null() {
                crate::setobject::PySet_Discard(d, r);
                crate::pyerrors::clear();
            } else {
                decref(o);
            }
        }
        crate::iterobject::release_all(all);
    }
}

/// `update(other=(), /, **kw)` for the dict containers: each pair through `setitem`.
unsafe fn update_pairs(
    op: *mut PyObject,
    other: *mut PyObject,
    kw: *mut PyObject,
    setitem: unsafe fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int,
) -> c_int {
    // SAFETY: live objects; `other` NULL or live; `kw` NULL or a dict.
    unsafe {
        let mut pairs: Vec<(*mut PyObject, *mut PyObject)> = Vec::new();
        if !other.is_null() && other != crate::object::none() {
            let src = if crate::dictobject::is_dict(other) {
                crate::abstract_::call_method(other, "items", &[])
            } else {
                let mut out = null_mut();
                let r = crate::object::getattr_opt(
                    other,
                    crate::unicodeobject::intern("items"),
                    &mut out,
                );
                if r < 0 {
                    return -1;
                }
                if r == 1 {
                    let v = crate::abstract_::call_args(out, &[]);
                    decref(out);
                    v
                } else {
                    new_ref(other)
                }
            };
            if src.is_null() {
                return -1;
            }
            let items = crate::iterobject::collect(src);
            decref(src);
            let Ok(items) = items else { return -1 };
            for &p in &items {
                let t = crate::abstract_::sequence_tuple(p);
                if t.is_null() {
                    crate::iterobject::release_all(items);
                    crate::dictobject::release_entries(pairs);
                    return -1;
                }
                let kv = crate::tupleobject::items(t);
                if kv.len() != 2 {
                    decref(t);
                    crate::iterobject::release_all(items);
                    crate::dictobject::release_entries(pairs);
                    raise(
                        &raw mut crate::pyerrors::EXC_ValueError,
                        &format!("too many values to unpack (expected 2, got {})", kv.len()),
                    );
                    return -1;
                }
                pairs.push((new_ref(kv[0]), new_ref(kv[1])));
                decref(t);
            }
            crate::iterobject::release_all(items);
        }
        if !kw.is_null() {
            pairs.extend(crate::dictobject::owned_entries(kw));
        }
        for &(k, v) in &pairs {
            if setitem(op, k, v) < 0 {
                crate::dictobject::release_entries(pairs);
                return -1;
            }
        }
        crate::dictobject::release_entries(pairs);
        0
    }
}

// --- WeakValueDictionary ---

unsafe fn wvd_set(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let r = make_ref(v);
        if r.is_null() {
            return -1;
        }
        let rc = crate::dictobject::set_item(data(op), k, r);
        decref(r);
        rc
    }
}

unsafe extern "C" fn wvd_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "WeakValueDictionary.__init__() takes from 1 to 2 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
            return -1;
        }
        update_pairs(op, a.first().copied().unwrap_or(null_mut()), kw, wvd_set)
    }
}

/// The live value for `k` (new reference), or NULL: with KeyError raised when `raise_` (and
/// no other error), else with no exception for an absent or dead entry.
unsafe fn wvd_lookup(op: *mut PyObject, k: *mut PyObject, raise_: bool) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let r = crate::dictobject::get_ref(data(op), k);
        if r.is_null() {
            if !crate::pyerrors::occurred() && raise_ {
                crate::dictobject::key_error(k);
            }
            return null_mut();
        }
        let o = deref(r);
        decref(r);
        if o.is_null() && raise_ {
            crate::dictobject::key_error(k);
        }
        o
    }
}

unsafe extern "C" fn wvd_getitem(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { wvd_lookup(op, k, true) }
}

unsafe extern "C" fn wvd_ass(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects; `v` NULL (delete) or live (slot contract).
    unsafe {
        if v.is_null() {
            purge_dict(op, false);
            crate::dictobject::del_item(data(op), k)
        } else {
            wvd_set(op, k, v)
        }
    }
}

unsafe extern "C" fn wvd_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe {
        purge_dict(op, false);
        crate::dictobject::len(data(op))
    }
}

unsafe extern "C" fn wvd_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let o = wvd_lookup(op, k, false);
        if o.is_null() {
            return if crate::pyerrors::occurred() { -1 } else { 0 };
        }
        decref(o);
        1
    }
}

/// The live entries as `(key, value)` pairs (new references).
unsafe fn wvd_pairs(op: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    // SAFETY: live self.
    unsafe {
        let mut out = Vec::new();
        for (k, r) in crate::dictobject::owned_entries(data(op)) {
            let o = deref(r);
            decref(r);
            if o.is_null() {
                decref(k);
            } else {
                out.push((k, o));
            }
        }
        out
    }
}

/// An iterator over a list of `items` (stolen).
unsafe fn iter_of(items: Vec<*mut PyObject>) -> *mut PyObject {
    // SAFETY: owned references.
    unsafe {
        let l = crate::listobject::from_vec(items);
        if l.is_null() {
            return l;
        }
        let it = crate::abstract_::get_iter(l);
        decref(l);
        it
    }
}

/// Which part of the pairs an iterator yields.
#[derive(Clone, Copy)]
enum Part {
    Keys,
    Values,
    Items,
}

unsafe fn pairs_iter(pairs: Vec<(*mut PyObject, *mut PyObject)>, part: Part) -> *mut PyObject {
    // SAFETY: owned references.
    unsafe {
        let items = pairs
            .into_iter()
            .map(|(k, v)| match part {
                Part::Keys => {
                    decref(v);
                    k
                }
                Part::Values => {
                    decref(k);
                    v
                }
                Part::Items => {
                    let t = tuple_of(&[k, v]);
                    decref(k);
                    decref(v);
                    t
                }
            })
            .collect();
        iter_of(items)
    }
}

unsafe extern "C" fn wvd_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { pairs_iter(wvd_pairs(op), Part::Keys) }
}

unsafe extern "C" fn wvd_keys(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { pairs_iter(wvd_pairs(op), Part::Keys) }
}

unsafe extern "C" fn wvd_values(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { pairs_iter(wvd_pairs(op), Part::Values) }
}

unsafe extern "C" fn wvd_items(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { pairs_iter(wvd_pairs(op), Part::Items) }
}

unsafe extern "C" fn wvd_valuerefs(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        purge_dict(op, false);
        let v = crate::dictobject::PyDict_Values(data(op));
        if v.is_null() {
            return v;
        }
        let l = crate::abstract_::sequence_list(v);
        decref(v);
        l
    }
}

unsafe extern "C" fn wvd_get(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "get() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let o = wvd_lookup(op, a[0], false);
        if !o.is_null() || crate::pyerrors::occurred() {
            return o;
        }
        new_ref(a.get(1).copied().unwrap_or(crate::object::none()))
    }
}

unsafe extern "C" fn wvd_pop(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("pop expected at most 2 arguments, got {}", a.len()),
            );
        }
        let o = wvd_lookup(op, a[0], false);
        if crate::pyerrors::occurred() {
            return null_mut();
        }
        if !o.is_null() {
            crate::dictobject::del_item(data(op), a[0]);
            return o;
        }
        if let Some(&d) = a.get(1) {
            return new_ref(d);
        }
        crate::dictobject::key_error(a[0]);
        null_mut()
    }
}

unsafe extern "C" fn wvd_popitem(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        purge_dict(op, false);
        let pairs = wvd_pairs(op);
        let Some(&(k, v)) = pairs.last() else {
            return raise(&raw mut EXC_KeyError, "popitem(): dictionary is empty");
        };
        crate::dictobject::del_item(data(op), k);
        let t = tuple_of(&[k, v]);
        crate::dictobject::release_entries(pairs);
        t
    }
}

unsafe extern "C" fn wvd_setdefault(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "setdefault() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let o = wvd_lookup(op, a[0], false);
        if !o.is_null() || crate::pyerrors::occurred() {
            return o;
        }
        let d = a.get(1).copied().unwrap_or(crate::object::none());
        if wvd_set(op, a[0], d) < 0 {
            return null_mut();
        }
        new_ref(d)
    }
}

unsafe extern "C" fn wvd_update(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live self, argument tuple, NULL or dict (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if update_pairs(op, a.first().copied().unwrap_or(null_mut()), kw, wvd_set) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn container_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { crate::abstract_::call_method(data(op), "clear", &[]) }
}

unsafe extern "C" fn wvd_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let n = crate::abstract_::call_args(crate::object::ty(op).cast(), &[]);
        if n.is_null() {
            return n;
        }
        for (k, v) in wvd_pairs(op) {
            let r = wvd_set(n, k, v);
            decref(k);
            decref(v);
            if r < 0 {
                decref(n);
                return null_mut();
            }
        }
        n
    }
}

static mut WVD_METHODS: [PyMethodDef; 14] = [
    method(c"keys", wvd_keys as *mut c_void, METH_NOARGS),
    method(c"values", wvd_values as *mut c_void, METH_NOARGS),
    method(c"items", wvd_items as *mut c_void, METH_NOARGS),
    method(c"valuerefs", wvd_valuerefs as *mut c_void, METH_NOARGS),
    method(c"get", wvd_get as *mut c_void, METH_VARARGS),
    method(c"pop", wvd_pop as *mut c_void, METH_VARARGS),
    method(c"popitem", wvd_popitem as *mut c_void, METH_NOARGS),
    method(c"setdefault", wvd_setdefault as *mut c_void, METH_VARARGS),
    method(
        c"update",
        wvd_update as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"clear", container_clear as *mut c_void, METH_NOARGS),
    method(c"copy", wvd_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", wvd_copy as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut WVD_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(wvd_len),
    mp_subscript: Some(wvd_getitem),
    mp_ass_subscript: Some(wvd_ass),
};

static mut WVD_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_contains: Some(wvd_contains),
    ..super::collections::SQ_EMPTY
};

const C_SIZE: usize = size_of::<Container>();
const C_DICT: Py_ssize_t = std::mem::offset_of!(Container, dict) as Py_ssize_t;
const C_WEAK: Py_ssize_t = std::mem::offset_of!(Container, weakreflist) as Py_ssize_t;

#[allow(non_upper_case_globals)]
static mut WeakValueDictionary_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(dict_container_new),
    tp_init: Some(wvd_init),
    tp_dealloc: Some(container_dealloc),
    tp_repr: Some(container_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_iter: Some(wvd_iter),
    tp_as_mapping: &raw mut WVD_AS_MAPPING,
    tp_as_sequence: &raw mut WVD_AS_SEQUENCE,
    tp_methods: (&raw mut WVD_METHODS).cast(),
    tp_dictoffset: C_DICT,
    tp_weaklistoffset: C_WEAK,
    ..static_type(
        c"weakref.WeakValueDictionary",
        C_SIZE,
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

// --- WeakKeyDictionary ---

unsafe fn wkd_set(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let r = make_ref(k);
        if r.is_null() {
            return -1;
        }
        let rc = crate::dictobject::set_item(data(op), r, v);
        decref(r);
        rc
    }
}

unsafe extern "C" fn wkd_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 || (!kw.is_null() && crate::dictobject::len(kw) > 0) {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "WeakKeyDictionary.__init__() takes from 1 to 2 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
            return -1;
        }
        update_pairs(
            op,
            a.first().copied().unwrap_or(null_mut()),
            null_mut(),
            wkd_set,
        )
    }
}

/// `ref(k)` for a lookup: None (no exception) when `k` cannot be weakly referenced.
unsafe fn key_ref(k: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: `k` live.
    unsafe {
        let r = make_ref(k);
        if r.is_null() {
            crate::pyerrors::clear();
            None
        } else {
            Some(r)
        }
    }
}

unsafe extern "C" fn wkd_getitem(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let r = make_ref(k);
        if r.is_null() {
            return r;
        }
        let v = crate::dictobject::get_ref(data(op), r);
        decref(r);
        if v.is_null() && !crate::pyerrors::occurred() {
            crate::dictobject::key_error(k);
        }
        v
    }
}

unsafe extern "C" fn wkd_ass(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects; `v` NULL (delete) or live (slot contract).
    unsafe {
        if !v.is_null() {
            return wkd_set(op, k, v);
        }
        let r = make_ref(k);
        if r.is_null() {
            return -1;
        }
        let rc = crate::dictobject::del_item(data(op), r);
        decref(r);
        if rc < 0 && crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
            crate::pyerrors::clear();
            crate::dictobject::key_error(k);
        }
        rc
    }
}

unsafe extern "C" fn wkd_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe {
        purge_dict(op, true);
        crate::dictobject::len(data(op))
    }
}

unsafe extern "C" fn wkd_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(r) = key_ref(k) else { return 0 };
        let v = crate::dictobject::get_ref(data(op), r);
        decref(r);
        if v.is_null() {
            return if crate::pyerrors::occurred() { -1 } else { 0 };
        }
        decref(v);
        1
    }
}

unsafe fn wkd_pairs(op: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    // SAFETY: live self.
    unsafe {
        let mut out = Vec::new();
        for (r, v) in crate::dictobject::owned_entries(data(op)) {
            let o = deref(r);
            decref(r);
            if o.is_null() {
                decref(v);
            } else {
                out.push((o, v));
            }
        }
        out
    }
}

unsafe extern "C" fn wkd_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { pairs_iter(wkd_pairs(op), Part::Keys) }
}

unsafe extern "C" fn wkd_keys(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { pairs_iter(wkd_pairs(op), Part::Keys) }
}

unsafe extern "C" fn wkd_values(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { pairs_iter(wkd_pairs(op), Part::Values) }
}

unsafe extern "C" fn wkd_items(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { pairs_iter(wkd_pairs(op), Part::Items) }
}

unsafe extern "C" fn wkd_keyrefs(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        purge_dict(op, true);
        crate::listobject::from_vec(crate::dictobject::owned_keys(data(op)))
    }
}

unsafe extern "C" fn wkd_get(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "get() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let r = make_ref(a[0]);
        if r.is_null() {
            return r;
        }
        let v = crate::dictobject::get_ref(data(op), r);
        decref(r);
        if !v.is_null() || crate::pyerrors::occurred() {
            return v;
        }
        new_ref(a.get(1).copied().unwrap_or(crate::object::none()))
    }
}

unsafe extern "C" fn wkd_pop(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("pop expected at most 2 arguments, got {}", a.len()),
            );
        }
        let r = make_ref(a[0]);
        if r.is_null() {
            return r;
        }
        let v = crate::dictobject::get_ref(data(op), r);
        if !v.is_null() {
            crate::dictobject::del_item(data(op), r);
            decref(r);
            return v;
        }
        decref(r);
        if crate::pyerrors::occurred() {
            return null_mut();
        }
        if let Some(&d) = a.get(1) {
            return new_ref(d);
        }
        crate::dictobject::key_error(a[0]);
        null_mut()
    }
}

unsafe extern "C" fn wkd_setdefault(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "setdefault() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let r = make_ref(a[0]);
        if r.is_null() {
            return r;
        }
        let d = a.get(1).copied().unwrap_or(crate::object::none());
        let mut out = null_mut();
        let rc = crate::dictobject::PyDict_SetDefaultRef(data(op), r, d, &mut out);
        decref(r);
        if rc < 0 { null_mut() } else { out }
    }
}

unsafe extern "C" fn wkd_update(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live self, argument tuple, NULL or dict (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if update_pairs(op, a.first().copied().unwrap_or(null_mut()), kw, wkd_set) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn wkd_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let n = crate::abstract_::call_args(crate::object::ty(op).cast(), &[]);
        if n.is_null() {
            return n;
        }
        for (k, v) in wkd_pairs(op) {
            let r = wkd_set(n, k, v);
            decref(k);
            decref(v);
            if r < 0 {
                decref(n);
                return null_mut();
            }
        }
        n
    }
}

static mut WKD_METHODS: [PyMethodDef; 13] = [
    method(c"keys", wkd_keys as *mut c_void, METH_NOARGS),
    method(c"values", wkd_values as *mut c_void, METH_NOARGS),
    method(c"items", wkd_items as *mut c_void, METH_NOARGS),
    method(c"keyrefs", wkd_keyrefs as *mut c_void, METH_NOARGS),
    method(c"get", wkd_get as *mut c_void, METH_VARARGS),
    method(c"pop", wkd_pop as *mut c_void, METH_VARARGS),
    method(c"setdefault", wkd_setdefault as *mut c_void, METH_VARARGS),
    method(
        c"update",
        wkd_update as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"clear", container_clear as *mut c_void, METH_NOARGS),
    method(c"copy", wkd_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", wkd_copy as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut WKD_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(wkd_len),
    mp_subscript: Some(wkd_getitem),
    mp_ass_subscript: Some(wkd_ass),
};

static mut WKD_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_contains: Some(wkd_contains),
    ..super::collections::SQ_EMPTY
};

#[allow(non_upper_case_globals)]
static mut WeakKeyDictionary_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(dict_container_new),
    tp_init: Some(wkd_init),
    tp_dealloc: Some(container_dealloc),
    tp_repr: Some(container_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_iter: Some(wkd_iter),
    tp_as_mapping: &raw mut WKD_AS_MAPPING,
    tp_as_sequence: &raw mut WKD_AS_SEQUENCE,
    tp_methods: (&raw mut WKD_METHODS).cast(),
    tp_dictoffset: C_DICT,
    tp_weaklistoffset: C_WEAK,
    ..static_type(c"weakref.WeakKeyDictionary", C_SIZE, 0, Py_TPFLAGS_BASETYPE)
};

// --- WeakSet ---

unsafe fn ws_add_one(op: *mut PyObject, item: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let r = make_ref(item);
        if r.is_null() {
            return -1;
        }
        let rc = crate::setobject::PySet_Add(data(op), r);
        decref(r);
        rc
    }
}

unsafe fn ws_extend(op: *mut PyObject, it: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let Ok(items) = crate::iterobject::collect(it) else {
            return -1;
        };
        for &x in &items {
            if ws_add_one(op, x) < 0 {
                crate::iterobject::release_all(items);
                return -1;
            }
        }
        crate::iterobject::release_all(items);
        0
    }
}

unsafe extern "C" fn ws_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        if !super::collections::no_keywords("WeakSet.__init__", kw) {
            return -1;
        }
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "WeakSet.__init__() takes from 1 to 2 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
            return -1;
        }
        match a.first() {
            Some(&x) if x != crate::object::none() => ws_extend(op, x),
            _ => 0,
        }
    }
}

/// The live members (new references).
unsafe fn ws_members(op: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: live self.
    unsafe {
        let Ok(refs) = crate::iterobject::collect(data(op)) else {
            crate::pyerrors::clear();
            return Vec::new();
        };
        let mut out = Vec::new();
        for &r in &refs {
            let o = deref(r);
            if !o.is_null() {
                out.push(o);
            }
        }
        crate::iterobject::release_all(refs);
        out
    }
}

unsafe extern "C" fn ws_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe {
        purge_set(op);
        crate::setobject::PySet_Size(data(op))
    }
}

unsafe extern "C" fn ws_contains(op: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(r) = key_ref(x) else { return 0 };
        let rc = crate::setobject::PySet_Contains(data(op), r);
        decref(r);
        rc
    }
}

unsafe extern "C" fn ws_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { iter_of(ws_members(op)) }
}

unsafe extern "C" fn ws_add(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if ws_add_one(op, x) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn ws_discard(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let r = make_ref(x);
        if r.is_null() {
            return r;
        }
        let rc = crate::setobject::PySet_Discard(data(op), r);
        decref(r);
        if rc < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn ws_remove(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let r = make_ref(x);
        if r.is_null() {
            return r;
        }
        let rc = crate::setobject::PySet_Discard(data(op), r);
        if rc == 0 {
            crate::dictobject::key_error(r);
        }
        decref(r);
        match rc {
            -1 | 0 => null_mut(),
            _ => crate::object::new_none(),
        }
    }
}

unsafe extern "C" fn ws_pop(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        loop {
            let r = crate::setobject::PySet_Pop(data(op));
            if r.is_null() {
                if crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
                    crate::pyerrors::clear();
                    return raise(&raw mut EXC_KeyError, "pop from empty WeakSet");
                }
                return r;
            }
            let o = deref(r);
            decref(r);
            if !o.is_null() {
                return o;
            }
        }
    }
}

unsafe extern "C" fn ws_update(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if ws_extend(op, x) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn ws_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let members = ws_members(op);
        let l = crate::listobject::from_vec(members);
        if l.is_null() {
            return l;
        }
        let r = crate::abstract_::call_args(crate::object::ty(op).cast(), &[l]);
        decref(l);
        r
    }
}

static mut WS_METHODS: [PyMethodDef; 10] = [
    method(c"add", ws_add as *mut c_void, METH_O),
    method(c"discard", ws_discard as *mut c_void, METH_O),
    method(c"remove", ws_remove as *mut c_void, METH_O),
    method(c"pop", ws_pop as *mut c_void, METH_NOARGS),
    method(c"update", ws_update as *mut c_void, METH_O),
    method(c"clear", container_clear as *mut c_void, METH_NOARGS),
    method(c"copy", ws_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", ws_copy as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut WS_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(ws_len),
    sq_contains: Some(ws_contains),
    ..super::collections::SQ_EMPTY
};

#[allow(non_upper_case_globals)]
static mut WeakSet_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(set_container_new),
    tp_init: Some(ws_init),
    tp_dealloc: Some(container_dealloc),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_iter: Some(ws_iter),
    tp_as_sequence: &raw mut WS_AS_SEQUENCE,
    tp_methods: (&raw mut WS_METHODS).cast(),
    tp_dictoffset: C_DICT,
    tp_weaklistoffset: C_WEAK,
    ..static_type(c"weakref.WeakSet", C_SIZE, 0, Py_TPFLAGS_BASETYPE)
};

// --- WeakMethod ---

/// A WeakMethod: a ref to the method's `__self__`, plus a ref to its `__func__` and the
/// method's type (to rebuild it).
#[repr(C)]
struct WeakMethod {
    base: PyWeakReference,
    func_ref: *mut PyObject,
    meth_type: *mut PyObject,
}

unsafe extern "C" fn wm_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a WeakMethod type, an argument tuple (slot contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "WeakMethod.__new__() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let meth = a[0];
        let obj = crate::object::getattr(meth, crate::unicodeobject::intern("__self__"));
        let func = if obj.is_null() {
            null_mut()
        } else {
            crate::object::getattr(meth, crate::unicodeobject::intern("__func__"))
        };
        if obj.is_null() || func.is_null() {
            xdecref(obj);
            if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_AttributeError) {
                crate::pyerrors::clear();
                let Some(tr) = super::collections::repr_of(crate::object::ty(meth).cast()) else {
                    return null_mut();
                };
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("argument should be a bound method, not {tr}"),
                );
            }
            return null_mut();
        }
        let cb = a.get(1).copied().unwrap_or(null_mut());
        let r = crate::weakrefobject::new_weak(obj, cb, t);
        decref(obj);
        if r.is_null() {
            decref(func);
            return r;
        }
        let fr = make_ref(func);
        decref(func);
        if fr.is_null() {
            decref(r);
            return fr;
        }
        let w = &mut *r.cast::<WeakMethod>();
        w.func_ref = fr;
        w.meth_type = new_ref(crate::object::ty(meth).cast());
        r
    }
}

unsafe extern "C" fn wm_call(
    op: *mut PyObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live WeakMethod (slot contract).
    unsafe {
        let w = &*op.cast::<WeakMethod>();
        let obj = deref(op);
        let func = if w.func_ref.is_null() {
            null_mut()
        } else {
            deref(w.func_ref)
        };
        if obj.is_null() || func.is_null() {
            xdecref(obj);
            xdecref(func);
            return crate::object::new_none();
        }
        let r = crate::abstract_::call_args(w.meth_type, &[func, obj]);
        decref(obj);
        decref(func);
        r
    }
}

unsafe extern "C" fn wm_dealloc(op: *mut PyObject) {
    // SAFETY: a dead WeakMethod (slot contract).
    unsafe {
        let w = &mut *op.cast::<WeakMethod>();
        xdecref(std::mem::replace(&mut w.func_ref, null_mut()));
        xdecref(std::mem::replace(&mut w.meth_type, null_mut()));
        crate::extcall::destructor(
            _PyWeakref_RefType.tp_dealloc.expect("ref has tp_dealloc"),
            op,
        );
    }
}

#[allow(non_upper_case_globals)]
static mut WeakMethod_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut _PyWeakref_RefType,
    tp_new: Some(wm_new),
    tp_call: Some(wm_call),
    tp_dealloc: Some(wm_dealloc),
    ..static_type(
        c"weakref.WeakMethod",
        size_of::<WeakMethod>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

// --- finalize ---

/// A finalizer: calls `func(*args, **kwargs)` once, when its object dies or when called.
#[repr(C)]
struct Finalize {
    ob_base: PyObject,
    /// A ref to the object, whose callback is this finalizer (NULL once dead or detached).
    wr: *mut PyObject,
    func: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
    atexit: bool,
    weakreflist: *mut PyObject,
}

/// The finalizers still alive (CPython's `finalize._registry`): each holds a reference here
/// until it runs or is detached.
static REGISTRY: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());

fn registry_take(op: *mut PyObject) -> bool {
    let mut r = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    match r.iter().position(|&p| p == op as usize) {
        Some(i) => {
            r.swap_remove(i);
            true
        }
        None => false,
    }
}

fn registry_has(op: *mut PyObject) -> bool {
    REGISTRY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&(op as usize))
}

unsafe extern "C" fn fin_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the finalize type, an argument tuple, NULL or a dict (slot contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() < 2 {
            let missing: Vec<&str> = ["'obj'", "'func'"][a.len()..].to_vec();
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "finalize.__init__() missing {} required positional argument{}: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(" and ")
                ),
            );
        }
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let wr = crate::weakrefobject::new_weak(a[0], op, &raw mut _PyWeakref_RefType);
        if wr.is_null() {
            decref(op);
            return wr;
        }
        let f = &mut *op.cast::<Finalize>();
        f.wr = wr;
        f.func = new_ref(a[1]);
        f.args = tuple_of(&a[2..]);
        f.kwargs = if kw.is_null() || crate::dictobject::len(kw) == 0 {
            crate::object::new_none()
        } else {
            crate::dictobject::copy(kw)
        };
        f.atexit = true;
        // The registry's reference.
        crate::refcount::incref(op);
        REGISTRY
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(op as usize);
        op
    }
}

/// Ends the finalizer: takes it out of the registry and returns its parts (owned), or None
/// when it was not alive.
unsafe fn fin_take(
    op: *mut PyObject,
) -> Option<(*mut PyObject, *mut PyObject, *mut PyObject, *mut PyObject)> {
    // SAFETY: a live finalizer.
    unsafe {
        if !registry_take(op) {
            return None;
        }
        let f = &mut *op.cast::<Finalize>();
        let parts = (
            std::mem::replace(&mut f.wr, null_mut()),
            std::mem::replace(&mut f.func, null_mut()),
            std::mem::replace(&mut f.args, null_mut()),
            std::mem::replace(&mut f.kwargs, null_mut()),
        );
        // The registry's reference goes; the caller holds its own.
        decref(op);
        Some(parts)
    }
}

unsafe fn release_parts(p: (*mut PyObject, *mut PyObject, *mut PyObject, *mut PyObject)) {
    // SAFETY: owned references (or NULL).
    unsafe {
        xdecref(p.0);
        xdecref(p.1);
        xdecref(p.2);
        xdecref(p.3);
    }
}

unsafe extern "C" fn fin_call(
    op: *mut PyObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live finalizer (slot contract).
    unsafe {
        let me = new_ref(op);
        let Some(p) = fin_take(op) else {
            decref(me);
            return crate::object::new_none();
        };
        let kw = if p.3.is_null() || p.3 == crate::object::none() {
            null_mut()
        } else {
            p.3
        };
        let r = crate::abstract_::call(p.1, p.2, kw);
        release_parts(p);
        decref(me);
        r
    }
}

/// `(obj, func, args, kwargs)` while alive and the object lives (the parts borrowed).
unsafe fn fin_info(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live finalizer.
    unsafe {
        let f = &*op.cast::<Finalize>();
        if !registry_has(op) || f.wr.is_null() {
            return crate::object::new_none();
        }
        let obj = deref(f.wr);
        if obj.is_null() {
            return crate::object::new_none();
        }
        let kw = if f.kwargs == crate::object::none() {
            crate::dictobject::new_dict()
        } else {
            crate::dictobject::copy(f.kwargs)
        };
        let r = tuple_of(&[obj, f.func, f.args, kw]);
        decref(obj);
        decref(kw);
        r
    }
}

unsafe extern "C" fn fin_peek(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live finalizer (method contract).
    unsafe { fin_info(op) }
}

unsafe extern "C" fn fin_detach(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live finalizer (method contract).
    unsafe {
        let info = fin_info(op);
        if info.is_null() || info == crate::object::none() {
            return info;
        }
        let me = new_ref(op);
        if let Some(p) = fin_take(op) {
            release_parts(p);
        }
        decref(me);
        info
    }
}

unsafe extern "C" fn fin_alive(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    crate::boolobject::from_bool(registry_has(op))
}

unsafe extern "C" fn fin_atexit_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live finalizer (getter contract).
    unsafe { crate::boolobject::from_bool((*op.cast::<Finalize>()).atexit) }
}

unsafe extern "C" fn fin_atexit_set(op: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: a live finalizer; `v` NULL or live (setter contract).
    unsafe {
        if v.is_null() {
            raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                "cannot delete attribute 'atexit'",
            );
            return -1;
        }
        match crate::object::truth(v) {
            -1 => -1,
            t => {
                (*op.cast::<Finalize>()).atexit = t == 1;
                0
            }
        }
    }
}

unsafe extern "C" fn fin_dealloc(op: *mut PyObject) {
    // SAFETY: a dead finalizer (slot contract).
    unsafe {
        let f = &mut *op.cast::<Finalize>();
        if !f.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        release_parts((
            std::mem::replace(&mut f.wr, null_mut()),
            std::mem::replace(&mut f.func, null_mut()),
            std::mem::replace(&mut f.args, null_mut()),
            std::mem::replace(&mut f.kwargs, null_mut()),
        ));
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn fin_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live finalizer (slot contract).
    unsafe {
        let f = &*op.cast::<Finalize>();
        let obj = if f.wr.is_null() {
            null_mut()
        } else {
            deref(f.wr)
        };
        let text = if obj.is_null() {
            format!("<finalize object at {:#x}; dead>", op as usize)
        } else {
            let t = crate::object::type_name(crate::object::ty(obj));
            let t = t.rsplit('.').next().unwrap_or(&t).to_string();
            let s = format!(
                "<finalize object at {:#x}; for '{t}' at {:#x}>",
                op as usize, obj as usize
            );
            decref(obj);
            s
        };
        s(&text)
    }
}

static mut FIN_METHODS: [PyMethodDef; 3] = [
    method(c"peek", fin_peek as *mut c_void, METH_NOARGS),
    method(c"detach", fin_detach as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut FIN_GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::descrobject::PyGetSetDef {
        name: c"alive".as_ptr(),
        get: Some(fin_alive),
        set: None,
        doc: c"Whether finalizer is alive".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef {
        name: c"atexit".as_ptr(),
        get: Some(fin_atexit_get),
        set: Some(fin_atexit_set),
        doc: c"Whether finalizer should be called at exit".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

#[allow(non_upper_case_globals)]
static mut Finalize_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(fin_new),
    tp_call: Some(fin_call),
    tp_dealloc: Some(fin_dealloc),
    tp_repr: Some(fin_repr),
    tp_methods: (&raw mut FIN_METHODS).cast(),
    tp_getset: (&raw mut FIN_GETSET).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Finalize, weakreflist) as Py_ssize_t,
    ..static_type(
        c"weakref.finalize",
        size_of::<Finalize>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

/// The static types start-up readies.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut WeakValueDictionary_Type,
        &raw mut WeakKeyDictionary_Type,
        &raw mut WeakSet_Type,
        &raw mut WeakMethod_Type,
        &raw mut Finalize_Type,
    ]
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("weakref");
    // SAFETY: `name` is a live str; the tables and types are static and ready; every object
    // put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        let types: [(&str, *mut PyTypeObject); 9] = [
            ("ref", &raw mut _PyWeakref_RefType),
            ("ReferenceType", &raw mut _PyWeakref_RefType),
            ("ProxyType", &raw mut _PyWeakref_ProxyType),
            ("CallableProxyType", &raw mut _PyWeakref_CallableProxyType),
            ("WeakValueDictionary", &raw mut WeakValueDictionary_Type),
            ("WeakKeyDictionary", &raw mut WeakKeyDictionary_Type),
            ("WeakSet", &raw mut WeakSet_Type),
            ("WeakMethod", &raw mut WeakMethod_Type),
            ("finalize", &raw mut Finalize_Type),
        ];
        for (k, t) in types {
            crate::dictobject::set_item_str(d, k, t.cast());
        }
        let proxies = tuple_of(&[
            (&raw mut _PyWeakref_ProxyType).cast(),
            (&raw mut _PyWeakref_CallableProxyType).cast(),
        ]);
        crate::dictobject::set_item_str(d, "ProxyTypes", proxies);
        decref(proxies);
        let all = crate::listobject::new_list(0);
        for n in [
            "ref",
            "proxy",
            "getweakrefcount",
            "getweakrefs",
            "WeakKeyDictionary",
            "ReferenceType",
            "ProxyType",
            "CallableProxyType",
            "ProxyTypes",
            "WeakValueDictionary",
            "WeakSet",
            "WeakMethod",
            "finalize",
        ] {
            let v = s(n);
            crate::listobject::append(all, v);
            decref(v);
        }
        crate::dictobject::set_item_str(d, "__all__", all);
        decref(all);
        m
    }
}
