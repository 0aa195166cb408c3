//! `dictobject.h`: `dict` with CPython's `PyDictObject` header (`ma_used` at 32); the
//! table behind `ma_keys` is owned by Rust and keeps insertion order.
//!
//! Not yet thread-safe for concurrent mutation of one dict (CPython locks the dict's
//! `ob_mutex`); module set-up touches dicts from one thread.

use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_DICT_SUBCLASS, PyObject, PyTypeObject, static_type,
};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, incref, new_ref};
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void};
use std::ptr::null_mut;

/// `PyDictObject` (64 bytes).
#[repr(C)]
pub struct PyDictObject {
    pub ob_base: PyObject,
    pub ma_used: Py_ssize_t,
    pub _ma_watcher_tag: u64,
    pub ma_keys: *mut c_void,
    pub ma_values: *mut c_void,
}

#[derive(Default)]
struct Table {
    entries: Vec<Option<(Py_hash_t, *mut PyObject, *mut PyObject)>>,
    index: HashMap<Py_hash_t, Vec<usize>>,
}

#[unsafe(no_mangle)]
pub static mut PyDict_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(dict_dealloc),
    tp_repr: Some(dict_repr),
    ..static_type(
        c"dict",
        std::mem::size_of::<PyDictObject>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_DICT_SUBCLASS,
    )
};

/// Whether `op` is a dict (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_dict(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_DICT_SUBCLASS) }
}

/// A new empty dict.
pub fn new_dict() -> *mut PyObject {
    // SAFETY: PyDict_Type is a ready static type.
    let d = unsafe { crate::objimpl::alloc_object(&raw mut PyDict_Type, 0) };
    if !d.is_null() {
        // SAFETY: fresh dict; the table is released in `dict_dealloc`.
        unsafe {
            (*d.cast::<PyDictObject>()).ma_keys = Box::into_raw(Box::<Table>::default()).cast()
        };
    }
    d
}

/// The table of a dict made by `new_dict`.
unsafe fn table<'a>(d: *mut PyObject) -> Option<&'a mut Table> {
    // SAFETY: `d` is a live dict; `ma_keys` is NULL or our table.
    unsafe {
        let k = (*d.cast::<PyDictObject>()).ma_keys;
        k.cast::<Table>().as_mut()
    }
}

unsafe fn sync_used(d: *mut PyObject, t: &Table) {
    // SAFETY: `d` is a live dict.
    unsafe {
        (*d.cast::<PyDictObject>()).ma_used =
            t.entries.iter().filter(|e| e.is_some()).count() as Py_ssize_t
    };
}

/// Finds the entry index of `key`: Ok(None) when absent, Err(()) on a comparison error.
unsafe fn find(t: &Table, key: *mut PyObject, h: Py_hash_t) -> Result<Option<usize>, ()> {
    let Some(cands) = t.index.get(&h) else {
        return Ok(None);
    };
    for &i in cands {
        if let Some((_, k, _)) = t.entries[i] {
            // SAFETY: keys in the table are live (the table owns references).
            match unsafe { crate::object::eq(k, key) } {
                1 => return Ok(Some(i)),
                0 => {}
                _ => return Err(()),
            }
        }
    }
    Ok(None)
}

/// Borrowed value for `key`; NULL if absent or on error (then an exception is set).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub unsafe fn get_with_error(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(t) = table(d) else { return null_mut() };
        let h = crate::object::hash(key);
        if h == -1 {
            return null_mut();
        }
        match find(t, key, h) {
            Ok(Some(i)) => t.entries[i].map_or(null_mut(), |e| e.2),
            _ => null_mut(),
        }
    }
}

/// Borrowed value for `key`, NULL if absent; errors are swallowed (as `PyDict_GetItem`).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub unsafe fn get(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let saved = crate::pyerrors::take_raised();
        let v = get_with_error(d, key);
        crate::pyerrors::clear();
        crate::pyerrors::restore_raised(saved);
        v
    }
}

/// Borrowed value for a UTF-8 key.
///
/// # Safety
/// `d` must be a live dict.
pub unsafe fn get_str(d: *mut PyObject, key: &str) -> *mut PyObject {
    let k = crate::unicodeobject::from_str(key);
    if k.is_null() {
        crate::pyerrors::clear();
        return null_mut();
    }
    // SAFETY: forwarded contract; `k` is our reference.
    unsafe {
        let v = get(d, k);
        decref(k);
        v
    }
}

/// `d[key] = value` (new references are taken).
///
/// # Safety
/// `d` must be a live dict; `key` and `value` live objects.
pub unsafe fn set_item(d: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(t) = table(d) else {
            crate::pyerrors::bad_internal_call();
            return -1;
        };
        let h = crate::object::hash(key);
        if h == -1 {
            return -1;
        }
        match find(t, key, h) {
            Err(()) => -1,
            Ok(Some(i)) => {
                incref(value);
                if let Some(e) = t.entries[i].as_mut() {
                    let old = std::mem::replace(&mut e.2, value);
                    decref(old);
                }
                0
            }
            Ok(None) => {
                t.entries.push(Some((h, new_ref(key), new_ref(value))));
                t.index.entry(h).or_default().push(t.entries.len() - 1);
                sync_used(d, t);
                0
            }
        }
    }
}

/// `d[key] = value` with a UTF-8 key.
///
/// # Safety
/// `d` must be a live dict; `value` a live object.
pub unsafe fn set_item_str(d: *mut PyObject, key: &str, value: *mut PyObject) -> c_int {
    let k = crate::unicodeobject::intern(key);
    if k.is_null() {
        return -1;
    }
    // SAFETY: forwarded contract.
    unsafe { set_item(d, k, value) }
}

/// `del d[key]`; KeyError when absent.
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub unsafe fn del_item(d: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(t) = table(d) else {
            crate::pyerrors::bad_internal_call();
            return -1;
        };
        let h = crate::object::hash(key);
        if h == -1 {
            return -1;
        }
        match find(t, key, h) {
            Err(()) => -1,
            Ok(None) => {
                crate::pyerrors::set_object((&raw mut crate::pyerrors::EXC_KeyError).cast(), key);
                -1
            }
            Ok(Some(i)) => {
                if let Some((_, k, v)) = t.entries[i].take() {
                    if let Some(c) = t.index.get_mut(&h) {
                        c.retain(|&j| j != i);
                    }
                    sync_used(d, t);
                    decref(k);
                    decref(v);
                }
                0
            }
        }
    }
}

/// Number of items.
///
/// # Safety
/// `d` must be a live dict.
pub unsafe fn len(d: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe { (*d.cast::<PyDictObject>()).ma_used }
}

/// The live entries in insertion order (borrowed).
///
/// # Safety
/// `d` must be a live dict; the pointers are only valid while it is unchanged.
pub unsafe fn entries(d: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    // SAFETY: forwarded contract.
    unsafe { table(d) }
        .map(|t| {
            t.entries
                .iter()
                .flatten()
                .map(|&(_, k, v)| (k, v))
                .collect()
        })
        .unwrap_or_default()
}

unsafe extern "C" fn dict_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead dict (slot contract); the table came from `Box::into_raw`.
    unsafe {
        let k = (*op.cast::<PyDictObject>()).ma_keys;
        if !k.is_null() {
            let t = Box::from_raw(k.cast::<Table>());
            for (_, key, v) in t.entries.into_iter().flatten() {
                decref(key);
                decref(v);
            }
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn dict_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live dict (slot contract).
    unsafe {
        let parts: Vec<String> = entries(op)
            .into_iter()
            .map(|(k, v)| {
                format!(
                    "{}: {}",
                    crate::object::repr_string(k),
                    crate::object::repr_string(v)
                )
            })
            .collect();
        crate::unicodeobject::from_str(&format!("{{{}}}", parts.join(", ")))
    }
}

unsafe fn check(d: *mut PyObject) -> bool {
    // SAFETY: NULL or a live object.
    if d.is_null() || !unsafe { is_dict(d) } {
        crate::pyerrors::bad_internal_call();
        return false;
    }
    true
}

unsafe fn with_key<R>(key: *const c_char, err: R, f: impl FnOnce(*mut PyObject) -> R) -> R {
    // SAFETY: a NUL-terminated string, per the C API contract.
    let k = unsafe { crate::unicodeobject::from_cstr(key) };
    if k.is_null() {
        return err;
    }
    let r = f(k);
    // SAFETY: our reference.
    unsafe { decref(k) };
    r
}

#[unsafe(no_mangle)]
pub extern "C" fn PyDict_New() -> *mut PyObject {
    crate::ffi_guard::guard("PyDict_New", null_mut(), new_dict)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_SetItem(
    d: *mut PyObject,
    k: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("PyDict_SetItem", -1, || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            if !check(d) || k.is_null() || v.is_null() {
                if !k.is_null() && !v.is_null() {
                    return -1;
                }
                crate::pyerrors::bad_internal_call();
                return -1;
            }
            set_item(d, k, v)
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_SetItemString(
    d: *mut PyObject,
    k: *const c_char,
    v: *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("PyDict_SetItemString", -1, || {
        // SAFETY: live objects and a C string, per the C API contract.
        unsafe {
            if !check(d) {
                return -1;
            }
            with_key(k, -1, |key| set_item(d, key, v))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_GetItem(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("PyDict_GetItem", null_mut(), || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            if d.is_null() || !is_dict(d) {
                return null_mut();
            }
            get(d, k)
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_GetItemString(d: *mut PyObject, k: *const c_char) -> *mut PyObject {
    crate::ffi_guard::guard("PyDict_GetItemString", null_mut(), || {
        // SAFETY: live objects and a C string, per the C API contract.
        unsafe {
            if d.is_null() || !is_dict(d) {
                return null_mut();
            }
            let r = with_key(k, null_mut(), |key| get(d, key));
            crate::pyerrors::clear_if(r.is_null());
            r
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_GetItemWithError(
    d: *mut PyObject,
    k: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyDict_GetItemWithError", null_mut(), || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            if !check(d) {
                return null_mut();
            }
            get_with_error(d, k)
        }
    })
}

unsafe fn get_ref(d: *mut PyObject, k: *mut PyObject, out: *mut *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        *out = null_mut();
        if !check(d) {
            return -1;
        }
        let v = get_with_error(d, k);
        if v.is_null() {
            return if crate::pyerrors::occurred() { -1 } else { 0 };
        }
        *out = new_ref(v);
        1
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_GetItemRef(
    d: *mut PyObject,
    k: *mut PyObject,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: live objects and a writable out pointer, per the C API contract.
    crate::ffi_guard::guard("PyDict_GetItemRef", -1, || unsafe { get_ref(d, k, out) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_GetItemStringRef(
    d: *mut PyObject,
    k: *const c_char,
    out: *mut *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("PyDict_GetItemStringRef", -1, || {
        // SAFETY: as PyDict_GetItemRef with a C string key.
        unsafe {
            *out = null_mut();
            with_key(k, -1, |key| get_ref(d, key, out))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_DelItem(d: *mut PyObject, k: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PyDict_DelItem", -1, || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            if !check(d) {
                return -1;
            }
            del_item(d, k)
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_DelItemString(d: *mut PyObject, k: *const c_char) -> c_int {
    crate::ffi_guard::guard("PyDict_DelItemString", -1, || {
        // SAFETY: live objects and a C string, per the C API contract.
        unsafe {
            if !check(d) {
                return -1;
            }
            with_key(k, -1, |key| del_item(d, key))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_Size(d: *mut PyObject) -> Py_ssize_t {
    crate::ffi_guard::guard("PyDict_Size", -1, || {
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if !check(d) {
                return -1;
            }
            len(d)
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_Contains(d: *mut PyObject, k: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PyDict_Contains", -1, || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            if !check(d) {
                return -1;
            }
            let v = get_with_error(d, k);
            if v.is_null() {
                if crate::pyerrors::occurred() { -1 } else { 0 }
            } else {
                1
            }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_ContainsString(d: *mut PyObject, k: *const c_char) -> c_int {
    crate::ffi_guard::guard("PyDict_ContainsString", -1, || {
        // SAFETY: live objects and a C string, per the C API contract.
        unsafe { with_key(k, -1, |key| PyDict_Contains(d, key)) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_Next(
    d: *mut PyObject,
    pos: *mut Py_ssize_t,
    key: *mut *mut PyObject,
    value: *mut *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("PyDict_Next", 0, || {
        // SAFETY: a live dict and writable pointers (NULL allowed for key/value).
        unsafe {
            if d.is_null() || !is_dict(d) {
                return 0;
            }
            let Some(t) = table(d) else { return 0 };
            let mut i = (*pos).max(0) as usize;
            while i < t.entries.len() {
                if let Some((_, k, v)) = t.entries[i] {
                    *pos = (i + 1) as Py_ssize_t;
                    if !key.is_null() {
                        *key = k;
                    }
                    if !value.is_null() {
                        *value = v;
                    }
                    return 1;
                }
                i += 1;
            }
            *pos = i as Py_ssize_t;
            0
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDict_Clear(d: *mut PyObject) {
    crate::ffi_guard::guard("PyDict_Clear", (), || {
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if d.is_null() || !is_dict(d) {
                return;
            }
            let Some(t) = table(d) else { return };
            let old = std::mem::take(t);
            sync_used(d, t);
            for (_, k, v) in old.entries.into_iter().flatten() {
                decref(k);
                decref(v);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unicodeobject::from_str;

    #[test]
    fn insertion_order_update_delete() {
        let d = new_dict();
        // SAFETY: fresh objects owned by the test.
        unsafe {
            for (i, k) in ["b", "a", "c"].iter().enumerate() {
                let v = crate::longobject::from_i128(i as i128);
                assert_eq!(set_item_str(d, k, v), 0);
                decref(v);
            }
            assert_eq!((*d.cast::<PyDictObject>()).ma_used, 3);
            let one = crate::longobject::from_i128(1);
            let key = from_str("a");
            assert!(crate::object::eq(get(d, key), one) == 1);
            assert_eq!(del_item(d, key), 0);
            assert_eq!(len(d), 2);
            assert_eq!(del_item(d, key), -1);
            let e = crate::pyerrors::take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("KeyError", "'a'")
            );
            let keys: Vec<String> = entries(d)
                .iter()
                .map(|&(k, _)| crate::object::str_string(k))
                .collect();
            assert_eq!(keys, ["b", "c"]);
            let mut pos = 0;
            let (mut k, mut v) = (null_mut(), null_mut());
            let mut n = 0;
            while PyDict_Next(d, &mut pos, &mut k, &mut v) != 0 {
                n += 1;
            }
            assert_eq!(n, 2);
            decref(key);
            decref(one);
            decref(d);
        }
    }
}
