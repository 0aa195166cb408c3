//! The `builtins` module gilgate provides itself (the builtin types, the exception types,
//! the constants and the common builtin functions as `PyCFunction` objects) and
//! `PyEval_GetBuiltins`.
//!
//! The functions are thin: each forwards to the exported C API function that does the work
//! (`len` -> `PyObject_Size`, ...), so they behave as that function does.

use crate::export;
use crate::methodobject::{METH_FASTCALL, METH_KEYWORDS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject};
use crate::pyerrors::{EXC_StopIteration, EXC_TypeError, raise};
use crate::refcount::{decref, xdecref};
use std::ffi::{CStr, c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

unsafe extern "C" {
    static mut PyBytes_Type: PyTypeObject;
    static mut PyByteArray_Type: PyTypeObject;
    static mut PyList_Type: PyTypeObject;
    static mut PySet_Type: PyTypeObject;
    static mut PyFrozenSet_Type: PyTypeObject;
    static mut PySlice_Type: PyTypeObject;
    static mut PyRange_Type: PyTypeObject;
    static mut PyMemoryView_Type: PyTypeObject;
    static mut PyComplex_Type: PyTypeObject;
    static mut PyProperty_Type: PyTypeObject;
    static mut PyStaticMethod_Type: PyTypeObject;

    fn PyObject_Size(o: *mut PyObject) -> isize;
    fn PyObject_IsInstance(o: *mut PyObject, t: *mut PyObject) -> c_int;
    fn PyObject_IsSubclass(o: *mut PyObject, t: *mut PyObject) -> c_int;
    fn PyNumber_Absolute(o: *mut PyObject) -> *mut PyObject;
    fn PyNumber_Add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject;
    fn PyObject_GetIter(o: *mut PyObject) -> *mut PyObject;
    fn PyIter_Next(o: *mut PyObject) -> *mut PyObject;
    fn PyCallable_Check(o: *mut PyObject) -> c_int;
    fn PyObject_RichCompareBool(a: *mut PyObject, b: *mut PyObject, op: c_int) -> c_int;
}

/// The `builtins` module (borrowed; lives for the process), or NULL with an exception.
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "builtins", build)
}

/// The builtins dict (borrowed), or NULL.
pub(crate) fn builtins_dict() -> *mut PyObject {
    let m = module();
    if m.is_null() {
        return m;
    }
    // SAFETY: a live module.
    unsafe { (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict }
}

fn types() -> Vec<(&'static str, *mut PyTypeObject)> {
    vec![
        ("object", &raw mut crate::object::PyBaseObject_Type),
        ("type", &raw mut crate::object::PyType_Type),
        ("int", &raw mut crate::longobject::PyLong_Type),
        ("bool", &raw mut crate::boolobject::PyBool_Type),
        ("float", &raw mut crate::floatobject::PyFloat_Type),
        ("str", &raw mut crate::unicodeobject::PyUnicode_Type),
        ("tuple", &raw mut crate::tupleobject::PyTuple_Type),
        ("dict", &raw mut crate::dictobject::PyDict_Type),
        ("bytes", &raw mut PyBytes_Type),
        ("bytearray", &raw mut PyByteArray_Type),
        ("list", &raw mut PyList_Type),
        ("set", &raw mut PySet_Type),
        ("frozenset", &raw mut PyFrozenSet_Type),
        ("slice", &raw mut PySlice_Type),
        ("range", &raw mut PyRange_Type),
        ("memoryview", &raw mut PyMemoryView_Type),
        ("complex", &raw mut PyComplex_Type),
        ("property", &raw mut PyProperty_Type),
        ("staticmethod", &raw mut PyStaticMethod_Type),
        (
            "classmethod",
            &raw mut crate::funcobject::PyClassMethod_Type,
        ),
        ("enumerate", &raw mut crate::enumobject::PyEnum_Type),
        ("reversed", &raw mut crate::enumobject::PyReversed_Type),
        ("filter", &raw mut PyFilter_Type),
        ("map", &raw mut PyMap_Type),
        ("zip", &raw mut PyZip_Type),
        (
            "super",
            &raw mut crate::objects::typeobject::superobject::PySuper_Type,
        ),
    ]
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("builtins");
    // SAFETY: `name` is a live str.
    let m = unsafe { crate::moduleobject::new_module(name) };
    if m.is_null() {
        return m;
    }
    // SAFETY: `m` is a fresh module; every value put in its dict is live.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        for (k, t) in types() {
            crate::dictobject::set_item_str(d, k, t.cast());
        }
        for (k, t) in crate::pyerrors::builtin_exceptions() {
            crate::dictobject::set_item_str(d, k, t.cast());
        }
        let consts: [(&str, *mut PyObject); 6] = [
            ("None", crate::object::none()),
            // gilgate runs as CPython without -O: assertions are on (Cython reads it).
            ("__debug__", crate::boolobject::true_()),
            ("True", crate::boolobject::true_()),
            ("False", crate::boolobject::false_()),
            ("Ellipsis", &raw mut crate::object::_Py_EllipsisObject),
            (
                "NotImplemented",
                &raw mut crate::object::_Py_NotImplementedStruct,
            ),
        ];
        for (k, v) in consts {
            crate::dictobject::set_item_str(d, k, v);
        }
        for a in ["EnvironmentError", "IOError"] {
            crate::dictobject::set_item_str(d, a, (&raw mut crate::pyerrors::EXC_OSError).cast());
        }
        // ExceptionGroup is made at start-up, as CPython makes it: a subclass of both
        // BaseExceptionGroup and Exception
        let bases = [
            (&raw mut crate::pyerrors::EXC_BaseExceptionGroup).cast::<PyObject>(),
            (&raw mut crate::pyerrors::EXC_Exception).cast::<PyObject>(),
        ];
        let bases = crate::tupleobject::from_slice(&bases);
        let eg = crate::pyerrors::PyErr_NewException(
            c"builtins.ExceptionGroup".as_ptr(),
            bases,
            null_mut(),
        );
        xdecref(bases);
        if eg.is_null() {
            crate::pyerrors::clear();
        } else {
            crate::dictobject::set_item_str(d, "ExceptionGroup", eg);
            decref(eg);
        }
        let tables: [(*mut PyMethodDef, usize); 2] = [
            ((&raw mut METHODS).cast(), N_METHODS),
            ((&raw mut METHODS2).cast(), N_METHODS2),
        ];
        for (table, len) in tables {
            for i in 0..len {
                let ml = table.add(i);
                if (*ml).ml_name.is_null() {
                    break;
                }
                let f = crate::methodobject::new_cfunction(ml, m, name, null_mut());
                if f.is_null() {
                    decref(m);
                    return null_mut();
                }
                let k = CStr::from_ptr((*ml).ml_name).to_string_lossy();
                crate::dictobject::set_item_str(d, &k, f);
                decref(f);
            }
        }
    }
    m
}

/// The arguments of a fastcall function as a slice.
///
/// # Safety
/// `args` points to `n` live objects (or `n` is 0).
unsafe fn args<'a>(a: *const *mut PyObject, n: isize) -> &'a [*mut PyObject] {
    if n <= 0 || a.is_null() {
        &[]
    } else {
        // SAFETY: the caller's guarantee.
        unsafe { std::slice::from_raw_parts(a, n as usize) }
    }
}

/// Raises CPython's argument-count error of a builtin and returns false when `n` is outside
/// `min..=max`.
fn raise_type(msg: &str) -> *mut PyObject {
    raise(&raw mut EXC_TypeError, msg)
}

fn check_count(name: &str, n: usize, min: usize, max: usize) -> bool {
    crate::getargs::check_positional(Some(name), n as isize, min as isize, max as isize)
}

fn int(v: i128) -> *mut PyObject {
    crate::longobject::from_i128(v)
}

unsafe extern "C" fn b_len(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("len", null_mut(), || {
        // SAFETY: `o` is the live argument.
        let n = unsafe { PyObject_Size(o) };
        if n < 0 { null_mut() } else { int(n as i128) }
    })
}

unsafe extern "C" fn b_repr(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` is the live argument.
    crate::ffi_guard::guard("repr", null_mut(), || unsafe { crate::object::repr(o) })
}

pub(crate) unsafe extern "C" fn b_ascii(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` is the live argument.
    crate::ffi_guard::guard("ascii", null_mut(), || unsafe { crate::object::ascii(o) })
}

unsafe extern "C" fn b_hash(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("hash", null_mut(), || {
        // SAFETY: `o` is the live argument.
        let h = unsafe { crate::object::hash(o) };
        if h == -1 && crate::pyerrors::occurred() {
            null_mut()
        } else {
            int(h as i128)
        }
    })
}

unsafe extern "C" fn b_abs(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` is the live argument.
    crate::ffi_guard::guard("abs", null_mut(), || unsafe { PyNumber_Absolute(o) })
}

unsafe extern "C" fn b_callable(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("callable", null_mut(), || {
        // SAFETY: `o` is the live argument.
        crate::boolobject::from_bool(unsafe { PyCallable_Check(o) } != 0)
    })
}

unsafe extern "C" fn b_id(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("id", null_mut(), || int(o as usize as i128))
}

/// `isinstance`/`issubclass` body.
fn instance_check(
    name: &'static str,
    a: *const *mut PyObject,
    n: isize,
    f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int,
) -> *mut PyObject {
    crate::ffi_guard::guard(name, null_mut(), || {
        // SAFETY: fastcall arguments.
        let a = unsafe { args(a, n) };
        if !check_count(name, a.len(), 2, 2) {
            return null_mut();
        }
        // SAFETY: live arguments.
        match unsafe { crate::extcall::objobj(f, a[0], a[1]) } {
            r if r < 0 => null_mut(),
            r => crate::boolobject::from_bool(r != 0),
        }
    })
}

unsafe extern "C" fn b_isinstance(
    _m: *mut PyObject,
    a: *const *mut PyObject,
    n: isize,
) -> *mut PyObject {
    instance_check("isinstance", a, n, PyObject_IsInstance)
}

unsafe extern "C" fn b_issubclass(
    _m: *mut PyObject,
    a: *const *mut PyObject,
    n: isize,
) -> *mut PyObject {
    instance_check("issubclass", a, n, PyObject_IsSubclass)
}

unsafe extern "C" fn b_iter(_m: *mut PyObject, a: *const *mut PyObject, n: isize) -> *mut PyObject {
    crate::ffi_guard::guard("iter", null_mut(), || {
        // SAFETY: fastcall arguments.
        let a = unsafe { args(a, n) };
        if !check_count("iter", a.len(), 1, 2) {
            return null_mut();
        }
        if a.len() == 2 {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "gilgate: iter(callable, sentinel) is not implemented",
            );
        }
        // SAFETY: a live argument.
        unsafe { PyObject_GetIter(a[0]) }
    })
}

unsafe extern "C" fn b_next(_m: *mut PyObject, a: *const *mut PyObject, n: isize) -> *mut PyObject {
    crate::ffi_guard::guard("next", null_mut(), || {
        // SAFETY: fastcall arguments.
        let a = unsafe { args(a, n) };
        if !check_count("next", a.len(), 1, 2) {
            return null_mut();
        }
        // SAFETY: a live argument.
        let r = unsafe { PyIter_Next(a[0]) };
        if !r.is_null() || crate::pyerrors::occurred() {
            return r;
        }
        match a.get(1) {
            // SAFETY: a live argument.
            Some(&d) => unsafe { crate::refcount::new_ref(d) },
            None => {
                let e = crate::tupleobject::new_tuple(0);
                // SAFETY: StopIteration type and our empty args tuple.
                unsafe {
                    crate::pyerrors::set_object((&raw mut EXC_StopIteration).cast(), e);
                    xdecref(e);
                }
                null_mut()
            }
        }
    })
}

unsafe extern "C" fn b_getattr(
    _m: *mut PyObject,
    a: *const *mut PyObject,
    n: isize,
) -> *mut PyObject {
    crate::ffi_guard::guard("getattr", null_mut(), || {
        // SAFETY: fastcall arguments.
        let a = unsafe { args(a, n) };
        if !check_count("getattr", a.len(), 2, 3) {
            return null_mut();
        }
        // SAFETY: live arguments.
        unsafe {
            if !crate::unicodeobject::is_str(a[1]) {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "attribute name must be string, not '{}'",
                        crate::object::type_name(crate::object::ty(a[1]))
                    ),
                );
            }
            if a.len() == 3 {
                let mut out = null_mut();
                return match crate::object::getattr_opt(a[0], a[1], &mut out) {
                    0 => crate::refcount::new_ref(a[2]),
                    _ => out,
                };
            }
            crate::object::getattr(a[0], a[1])
        }
    })
}

unsafe extern "C" fn b_setattr(
    _m: *mut PyObject,
    a: *const *mut PyObject,
    n: isize,
) -> *mut PyObject {
    crate::ffi_guard::guard("setattr", null_mut(), || {
        // SAFETY: fastcall arguments.
        let a = unsafe { args(a, n) };
        if !check_count("setattr", a.len(), 3, 3) {
            return null_mut();
        }
        // SAFETY: live arguments.
        if unsafe { crate::object::setattr(a[0], a[1], a[2]) } < 0 {
            null_mut()
        } else {
            crate::object::new_none()
        }
    })
}

unsafe extern "C" fn b_hasattr(
    _m: *mut PyObject,
    a: *const *mut PyObject,
    n: isize,
) -> *mut PyObject {
    crate::ffi_guard::guard("hasattr", null_mut(), || {
        // SAFETY: fastcall arguments.
        let a = unsafe { args(a, n) };
        if !check_count("hasattr", a.len(), 2, 2) {
            return null_mut();
        }
        let mut out = null_mut();
        // SAFETY: live arguments.
        match unsafe { crate::object::getattr_opt(a[0], a[1], &mut out) } {
            r if r < 0 => null_mut(),
            r => {
                // SAFETY: our reference (or NULL).
                unsafe { xdecref(out) };
                crate::boolobject::from_bool(r > 0)
            }
        }
    })
}

/// `min`/`max` over one iterable or several positional arguments (no `key`/`default`).
/// `min`/`max(iterable, *, key=None, default=...)` or `(a, b, *args, key=None)`.
fn min_max(name: &'static str, a: *mut PyObject, kw: *mut PyObject, op: c_int) -> *mut PyObject {
    crate::ffi_guard::guard(name, null_mut(), || {
        // SAFETY: `a` is the live args tuple of a METH_VARARGS | METH_KEYWORDS call, `kw` NULL
        // or a dict.
        let items = unsafe { crate::tupleobject::items(a) };
        if items.is_empty() {
            return raise(
                &raw mut EXC_TypeError,
                &format!("{name} expected at least 1 argument, got 0"),
            );
        }
        let (mut key, mut default) = (null_mut(), null_mut());
        if !kw.is_null() {
            // SAFETY: a live dict of keyword arguments.
            for (k, v) in unsafe { crate::dictobject::entries(kw) } {
                // SAFETY: keyword names are str.
                match unsafe { crate::unicodeobject::as_str(k) }.unwrap_or("") {
                    "key" => key = v,
                    "default" => default = v,
                    other => {
                        return raise_type(&format!(
                            "{name}() got an unexpected keyword argument '{other}'"
                        ));
                    }
                }
            }
        }
        if key == crate::object::none() {
            key = null_mut();
        }
        if !default.is_null() && items.len() > 1 {
            return raise_type(&format!(
                "Cannot specify a default for {name}() with multiple positional arguments"
            ));
        }
        let it = match items.len() {
            // SAFETY: a live argument.
            1 => unsafe { PyObject_GetIter(items[0]) },
            // SAFETY: the live args tuple.
            _ => unsafe { PyObject_GetIter(a) },
        };
        if it.is_null() {
            return it;
        }
        // (item, its key) of the best so far
        let mut best: Option<(*mut PyObject, *mut PyObject)> = None;
        let release = |b: Option<(*mut PyObject, *mut PyObject)>| {
            if let Some((x, k)) = b {
                // SAFETY: our references.
                unsafe {
                    decref(x);
                    decref(k);
                }
            }
        };
        loop {
            // SAFETY: a live iterator.
            let x = unsafe { PyIter_Next(it) };
            if x.is_null() {
                break;
            }
            let kx = if key.is_null() {
                // SAFETY: a live item.
                unsafe { crate::refcount::new_ref(x) }
            } else {
                // SAFETY: live callable and item.
                unsafe { crate::abstract_::call_args(key, &[x]) }
            };
            if kx.is_null() {
                // SAFETY: our references.
                unsafe {
                    decref(x);
                    decref(it);
                }
                release(best);
                return null_mut();
            }
            let Some((_, bk)) = best else {
                best = Some((x, kx));
                continue;
            };
            // SAFETY: live objects.
            match unsafe { PyObject_RichCompareBool(kx, bk, op) } {
                r if r < 0 => {
                    // SAFETY: our references.
                    unsafe {
                        decref(x);
                        decref(kx);
                        decref(it);
                    }
                    release(best);
                    return null_mut();
                }
                0 => {
                    // SAFETY: our references.
                    unsafe {
                        decref(x);
                        decref(kx);
                    }
                }
                _ => release(best.replace((x, kx))),
            }
        }
        // SAFETY: our reference.
        unsafe { decref(it) };
        if crate::pyerrors::occurred() {
            release(best);
            return null_mut();
        }
        match best {
            Some((x, k)) => {
                // SAFETY: our reference.
                unsafe { decref(k) };
                x
            }
            None if !default.is_null() => {
                // SAFETY: a live default.
                unsafe { crate::refcount::new_ref(default) }
            }
            None => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                &format!("{name}() iterable argument is empty"),
            ),
        }
    })
}

unsafe extern "C" fn b_min(
    _m: *mut PyObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    min_max("min", a, kw, 0) // Py_LT
}

unsafe extern "C" fn b_max(
    _m: *mut PyObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    min_max("max", a, kw, 4) // Py_GT
}

/// `sum(iterable, /, start=0)` (METH_FASTCALL | METH_KEYWORDS), with argument clinic's texts.
unsafe extern "C" fn b_sum(
    _m: *mut PyObject,
    a: *const *mut PyObject,
    n: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("sum", null_mut(), || {
        // SAFETY: fastcall arguments: `n` positional ones, then one per keyword name.
        let (a, kw) = unsafe {
            let names = if kwnames.is_null() {
                &[][..]
            } else {
                crate::tupleobject::items(kwnames)
            };
            (
                args(a, n),
                args(a.add(n as usize), names.len() as isize)
                    .iter()
                    .zip(names),
            )
        };
        let total = a.len() + kw.len();
        if a.is_empty() {
            return raise_type(&format!(
                "sum() takes at least 1 positional argument ({} given)",
                a.len()
            ));
        }
        if total > 2 {
            return raise_type(&format!("sum() takes at most 2 arguments ({total} given)"));
        }
        let mut start = a.get(1).copied();
        for (&v, &k) in kw {
            // SAFETY: keyword names are live str objects.
            let key = unsafe { crate::unicodeobject::as_str(k) }.unwrap_or("");
            if key != "start" {
                return raise_type(&format!("sum() got an unexpected keyword argument '{key}'"));
            }
            start = Some(v);
        }
        // SAFETY: live arguments.
        unsafe {
            let it = PyObject_GetIter(a[0]);
            if it.is_null() {
                return it;
            }
            // CPython refuses text and byte strings as the start, even for an empty iterable
            if let Some(s) = start {
                let refused = if crate::unicodeobject::is_str(s) {
                    Some("sum() can't sum strings [use ''.join(seq) instead]")
                } else if crate::bytesobject::is_bytes(s) {
                    Some("sum() can't sum bytes [use b''.join(seq) instead]")
                } else if crate::bytearrayobject::is_bytearray(s) {
                    Some("sum() can't sum bytearray [use b''.join(seq) instead]")
                } else {
                    None
                };
                if let Some(msg) = refused {
                    decref(it);
                    return raise_type(msg);
                }
            }
            let mut acc = match start {
                Some(s) => crate::refcount::new_ref(s),
                None => int(0),
            };
            loop {
                let x = PyIter_Next(it);
                if x.is_null() {
                    break;
                }
                let next = PyNumber_Add(acc, x);
                decref(x);
                decref(acc);
                acc = next;
                if acc.is_null() {
                    break;
                }
            }
            decref(it);
            if crate::pyerrors::occurred() {
                xdecref(acc);
                return null_mut();
            }
            acc
        }
    })
}

/// `print(*objects, sep=' ', end='\n')` to the process's stdout.
unsafe extern "C" fn b_print(
    _m: *mut PyObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("print", null_mut(), || {
        // SAFETY: a METH_VARARGS|METH_KEYWORDS call: a live tuple and NULL or a dict.
        unsafe {
            let opt = |k: &str| -> Result<Option<String>, ()> {
                if kw.is_null() {
                    return Ok(None);
                }
                let v = crate::dictobject::get_str(kw, k);
                if v.is_null() || v == crate::object::none() {
                    return Ok(None);
                }
                match crate::unicodeobject::as_str(v) {
                    Some(s) if crate::unicodeobject::is_str(v) => Ok(Some(s.to_string())),
                    _ => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "{k} must be None or a string, not {}",
                                crate::object::type_name(crate::object::ty(v))
                            ),
                        );
                        Err(())
                    }
                }
            };
            let (Ok(sep), Ok(end)) = (opt("sep"), opt("end")) else {
                return null_mut();
            };
            let (mut file, mut flush) = (null_mut(), null_mut());
            if !kw.is_null() {
                for (k, v) in crate::dictobject::entries(kw) {
                    match crate::unicodeobject::as_str(k).unwrap_or("") {
                        "sep" | "end" => {}
                        "file" => file = v,
                        "flush" => flush = v,
                        other => {
                            return raise_type(&format!(
                                "print() got an unexpected keyword argument '{other}'"
                            ));
                        }
                    }
                }
            }
            if file == crate::object::none() {
                file = null_mut();
            }
            let mut out = String::new();
            for (i, &o) in crate::tupleobject::items(a).iter().enumerate() {
                if i > 0 {
                    out.push_str(sep.as_deref().unwrap_or(" "));
                }
                let s = crate::object::str(o);
                if s.is_null() {
                    return null_mut();
                }
                out.push_str(crate::unicodeobject::as_str(s).unwrap_or(""));
                decref(s);
            }
            out.push_str(end.as_deref().unwrap_or("\n"));
            if file.is_null() {
                crate::sysmodule::write_std(1, out.as_bytes());
            } else {
                let text = crate::unicodeobject::from_str(&out);
                let r = crate::abstract_::call_method(file, "write", &[text]);
                decref(text);
                if r.is_null() {
                    return r;
                }
                decref(r);
            }
            if !flush.is_null() {
                match crate::object::PyObject_IsTrue(flush) {
                    t if t < 0 => return null_mut(),
                    1 if !file.is_null() => {
                        let r = crate::abstract_::call_method(file, "flush", &[]);
                        if r.is_null() {
                            return r;
                        }
                        decref(r);
                    }
                    _ => {}
                }
            }
            crate::object::new_none()
        }
    })
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`: the import system's
/// entry point (`PyImport_ImportModuleLevelObject`), with argument clinic's texts.
unsafe extern "C" fn b_import(
    _m: *mut PyObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("__import__", null_mut(), || {
        // SAFETY: a METH_VARARGS|METH_KEYWORDS call: a live tuple and NULL or a dict.
        unsafe {
            const NAMES: [&str; 5] = ["name", "globals", "locals", "fromlist", "level"];
            let pos = crate::tupleobject::items(a);
            if pos.len() > NAMES.len() {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "__import__() takes at most 5 arguments ({} given)",
                        pos.len()
                    ),
                );
            }
            let mut args = [null_mut(); 5];
            args[..pos.len()].copy_from_slice(pos);
            if !kw.is_null() {
                for (k, v) in crate::dictobject::entries(kw) {
                    let key = crate::unicodeobject::as_str(k).unwrap_or("?");
                    match NAMES.iter().position(|n| *n == key) {
                        Some(i) if i >= pos.len() => args[i] = v,
                        Some(i) => {
                            return raise(
                                &raw mut EXC_TypeError,
                                &format!(
                                    "argument for __import__() given by name ('{key}') and position ({})",
                                    i + 1
                                ),
                            );
                        }
                        None => {
                            return raise(
                                &raw mut EXC_TypeError,
                                &format!("__import__() got an unexpected keyword argument '{key}'"),
                            );
                        }
                    }
                }
            }
            let [name, globals, _locals, fromlist, level] = args;
            if name.is_null() {
                return raise(
                    &raw mut EXC_TypeError,
                    "__import__() missing required argument 'name' (pos 1)",
                );
            }
            let level = if level.is_null() {
                0
            } else {
                let l = crate::longobject::PyLong_AsInt(level);
                if l == -1 && crate::pyerrors::occurred() {
                    return null_mut();
                }
                l
            };
            if !crate::unicodeobject::is_str(name) {
                return raise(&raw mut EXC_TypeError, "module name must be a string");
            }
            let text = crate::unicodeobject::as_str(name).unwrap_or("").to_string();
            if level < 0 {
                return raise(
                    &raw mut crate::pyerrors::EXC_ValueError,
                    "level must be >= 0",
                );
            }
            if text.is_empty() && level == 0 {
                return raise(
                    &raw mut crate::pyerrors::EXC_ValueError,
                    "Empty module name",
                );
            }
            let globals = if globals == crate::object::none() {
                null_mut()
            } else {
                globals
            };
            crate::import::import_level(&text, globals, fromlist, level)
        }
    })
}

const fn def(name: &'static CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

const N_METHODS: usize = 19;

static mut METHODS: [PyMethodDef; N_METHODS] = [
    def(
        c"__import__",
        b_import as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    def(c"len", b_len as *mut c_void, METH_O),
    def(c"repr", b_repr as *mut c_void, METH_O),
    def(c"ascii", b_ascii as *mut c_void, METH_O),
    def(c"hash", b_hash as *mut c_void, METH_O),
    def(c"abs", b_abs as *mut c_void, METH_O),
    def(c"callable", b_callable as *mut c_void, METH_O),
    def(c"id", b_id as *mut c_void, METH_O),
    def(c"isinstance", b_isinstance as *mut c_void, METH_FASTCALL),
    def(c"issubclass", b_issubclass as *mut c_void, METH_FASTCALL),
    def(c"iter", b_iter as *mut c_void, METH_FASTCALL),
    def(c"next", b_next as *mut c_void, METH_FASTCALL),
    def(c"getattr", b_getattr as *mut c_void, METH_FASTCALL),
    def(c"setattr", b_setattr as *mut c_void, METH_FASTCALL),
    def(c"hasattr", b_hasattr as *mut c_void, METH_FASTCALL),
    def(c"min", b_min as *mut c_void, METH_VARARGS | METH_KEYWORDS),
    def(c"max", b_max as *mut c_void, METH_VARARGS | METH_KEYWORDS),
    def(c"sum", b_sum as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(
        c"print",
        b_print as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
];

#[export]
pub fn PyEval_GetBuiltins() -> *mut PyObject {
    builtins_dict()
}

#[export]
pub fn PyEval_GetFrameBuiltins() -> *mut PyObject {
    let d = builtins_dict();
    // SAFETY: a live dict (or NULL).
    unsafe { crate::refcount::xincref(d) };
    d
}

/// No Python frame ever runs in gilgate, so there are no globals.
#[export(unguarded)]
pub fn PyEval_GetGlobals() -> *mut PyObject {
    null_mut()
}

// ---- the rest of CPython 3.14's builtin functions --------------------------------------------

use crate::bytes_methods::def as bdef;
use crate::unicodeobject::methods::{bind_req, nargs};

/// `all`/`any`: whether every (some) item is true.
unsafe fn truth_scan(o: *mut PyObject, want: bool) -> *mut PyObject {
    // SAFETY: a live iterable.
    unsafe {
        let it = PyObject_GetIter(o);
        if it.is_null() {
            return it;
        }
        loop {
            let x = PyIter_Next(it);
            if x.is_null() {
                break;
            }
            let t = crate::object::PyObject_IsTrue(x);
            decref(x);
            if t < 0 {
                decref(it);
                return null_mut();
            }
            if (t == 1) == want {
                decref(it);
                return crate::boolobject::from_bool(want);
            }
        }
        decref(it);
        if crate::pyerrors::occurred() {
            return null_mut();
        }
        crate::boolobject::from_bool(!want)
    }
}

unsafe fn f_all(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe { truth_scan(o, false) }
}
unsafe fn f_any(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe { truth_scan(o, true) }
}
unsafe fn f_bin(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe { crate::abstract_::PyNumber_ToBase(o, 2) }
}
unsafe fn f_oct(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe { crate::abstract_::PyNumber_ToBase(o, 8) }
}
unsafe fn f_hex(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe { crate::abstract_::PyNumber_ToBase(o, 16) }
}

unsafe fn f_chr(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe {
        let i = crate::longobject::index(o);
        if i.is_null() {
            return i;
        }
        let mut overflow = 0;
        let v = crate::longobject::PyLong_AsLongAndOverflow(i, &mut overflow);
        decref(i);
        if v == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        if overflow != 0 || !(0..0x110000).contains(&v) {
            return raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "chr() arg not in range(0x110000)",
            );
        }
        crate::unicodeobject::from_ucs4(&[v as u32])
    }
}

unsafe fn f_ord(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe {
        let (n, v) = if crate::unicodeobject::is_str(o) {
            let c = crate::unicodeobject::chars(o);
            (c.len(), c.first().copied())
        } else if crate::bytesobject::is_bytes(o) {
            let d = crate::bytesobject::as_bytes(o);
            (d.len(), d.first().map(|&b| u32::from(b)))
        } else if crate::bytearrayobject::is_bytearray(o) {
            let d = crate::bytearrayobject::snapshot(o);
            (d.len(), d.first().map(|&b| u32::from(b)))
        } else {
            return raise_type(&format!(
                "ord() expected string of length 1, but {} found",
                crate::object::tname(o)
            ));
        };
        match v {
            Some(c) if n == 1 => int(i128::from(c)),
            _ => raise_type(&format!(
                "ord() expected a character, but string of length {n} found"
            )),
        }
    }
}

unsafe fn f_divmod(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("divmod", a.len() as isize, 2, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe { crate::abstract_::PyNumber_Divmod(a[0], a[1]) }
}

unsafe fn f_format(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("format", a.len() as isize, 1, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let spec = match a.get(1) {
            Some(&f) if !crate::unicodeobject::is_str(f) => {
                return raise_type(&format!(
                    "format() argument 2 must be str, not {}",
                    crate::object::tname(f)
                ));
            }
            Some(&f) => f,
            None => null_mut(),
        };
        crate::abstract_::PyObject_Format(a[0], spec)
    }
}

unsafe fn f_pow(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: isize,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let Ok(a) = bind_req("pow", args, n, kw, &["base", "exp", "mod"], 0, 2) else {
            return null_mut();
        };
        for (i, p) in ["base", "exp"].iter().enumerate() {
            if a.get(i).is_none_or(|x| x.is_null()) {
                return raise_type(&format!(
                    "pow() missing required argument '{p}' (pos {})",
                    i + 1
                ));
            }
        }
        let m = a
            .get(2)
            .copied()
            .filter(|x| !x.is_null())
            .unwrap_or(crate::object::none());
        crate::abstract_::PyNumber_Power(a[0], a[1], m)
    }
}

/// `round(number, ndigits)` of a float: correctly rounded through the decimal string.
fn round_float(x: f64, nd: i64) -> f64 {
    if !x.is_finite() || nd > 323 {
        return x;
    }
    if nd < -308 {
        return 0.0 * x;
    }
    let r = if nd >= 0 {
        format!("{:.*}", nd as usize, x).parse::<f64>().unwrap_or(x)
    } else {
        // the exact integer digits, rounded half to even at 10**k, then read back
        let k = (-nd) as usize;
        let a = x.abs();
        let whole = a.trunc();
        let mut digits: Vec<u8> = format!("{whole:.0}").into_bytes();
        let frac = a != whole;
        while digits.len() < k + 1 {
            digits.insert(0, b'0');
        }
        let cut = digits.len() - k;
        let first = digits[cut];
        let rest_nonzero = frac || digits[cut + 1..].iter().any(|&d| d != b'0');
        let odd = (digits[cut - 1] - b'0') % 2 == 1;
        let up = first > b'5' || (first == b'5' && (rest_nonzero || odd));
        let mut head: Vec<u8> = digits[..cut].to_vec();
        if up {
            let mut i = head.len();
            loop {
                if i == 0 {
                    head.insert(0, b'1');
                    break;
                }
                i -= 1;
                if head[i] == b'9' {
                    head[i] = b'0';
                } else {
                    head[i] += 1;
                    break;
                }
            }
        }
        let text = format!("{}e{k}", String::from_utf8_lossy(&head));
        text.parse::<f64>().unwrap_or(f64::INFINITY).copysign(x)
    };
    if r == 0.0 { 0.0f64.copysign(x) } else { r }
}

unsafe fn f_round(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: isize,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let Ok(a) = bind_req("round", args, n, kw, &["number", "ndigits"], 0, 1) else {
            return null_mut();
        };
        let Some(&x) = a.first().filter(|x| !x.is_null()) else {
            return raise_type("round() missing required argument 'number' (pos 1)");
        };
        let nd = a
            .get(1)
            .copied()
            .filter(|d| !d.is_null() && *d != crate::object::none());
        if crate::floatobject::is_float(x) {
            let v = crate::floatobject::PyFloat_AsDouble(x);
            let Some(d) = nd else {
                if v.is_nan() {
                    return raise(
                        &raw mut crate::pyerrors::EXC_ValueError,
                        "cannot convert float NaN to integer",
                    );
                }
                if v.is_infinite() {
                    return raise(
                        &raw mut crate::pyerrors::EXC_OverflowError,
                        "cannot convert float infinity to integer",
                    );
                }
                let r = v.round_ties_even();
                return crate::longobject::PyLong_FromDouble(r);
            };
            let i = crate::longobject::index(d);
            if i.is_null() {
                return i;
            }
            let mut overflow = 0;
            let k = crate::longobject::PyLong_AsLongAndOverflow(i, &mut overflow);
            decref(i);
            let k = match overflow {
                0 => k,
                o if o > 0 => i64::MAX,
                _ => i64::MIN,
            };
            return crate::floatobject::from_f64(round_float(v, k));
        }
        if crate::longobject::is_int(x) {
            let Some(d) = nd else {
                return crate::abstract_::PyNumber_Long(x);
            };
            let i = crate::longobject::index(d);
            if i.is_null() {
                return i;
            }
            let k = crate::longobject::PyLong_AsSsize_t(i);
            decref(i);
            if k == -1 && crate::pyerrors::occurred() {
                return null_mut();
            }
            if k >= 0 {
                return crate::abstract_::PyNumber_Long(x);
            }
            return round_int(x, k);
        }
        // anything else: its type's __round__
        let name = crate::unicodeobject::intern("__round__");
        let f = crate::object::type_lookup(crate::object::ty(x), name);
        if f.is_null() {
            return raise_type(&format!(
                "type {} doesn't define __round__ method",
                crate::object::tname(x)
            ));
        }
        let m = crate::object::PyObject_GetAttr(x, name);
        if m.is_null() {
            return m;
        }
        let r = match nd {
            Some(d) => crate::abstract_::call_args(m, &[d]),
            None => crate::abstract_::call_args(m, &[]),
        };
        decref(m);
        r
    }
}

/// An int rounded half-to-even to `10**-k` (k < 0).
unsafe fn round_int(x: *mut PyObject, k: isize) -> *mut PyObject {
    use crate::abstract_::{PyNumber_Add, PyNumber_Multiply, PyNumber_Power};
    // SAFETY: live ints; every intermediate result is checked and released.
    unsafe {
        let ten = int(10);
        let e = int(-(k as i128));
        let p = PyNumber_Power(ten, e, crate::object::none());
        decref(ten);
        decref(e);
        if p.is_null() {
            return p;
        }
        let qr = crate::abstract_::PyNumber_Divmod(x, p);
        if qr.is_null() {
            decref(p);
            return qr;
        }
        let [q, r] = [0, 1].map(|i| crate::tupleobject::items(qr)[i]);
        let two = int(2);
        let r2 = PyNumber_Multiply(r, two);
        let c = PyObject_RichCompareBool(r2, p, 4); // Py_GT
        let eq = PyObject_RichCompareBool(r2, p, 2); // Py_EQ
        let qodd = {
            let m = crate::abstract_::PyNumber_Remainder(q, two);
            let o = PyObject_RichCompareBool(m, int_one(), 2);
            decref(m);
            o
        };
        decref(r2);
        decref(two);
        let up = c == 1 || (eq == 1 && qodd == 1);
        let base = PyNumber_Multiply(q, p);
        let res = if up {
            let b2 = PyNumber_Add(base, p);
            decref(base);
            b2
        } else {
            base
        };
        decref(qr);
        decref(p);
        res
    }
}

fn int_one() -> *mut PyObject {
    static ONE: OnceLock<usize> = OnceLock::new();
    *ONE.get_or_init(|| int(1) as usize) as *mut PyObject
}

unsafe fn f_sorted(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: isize,
    kw: *mut PyObject,
) -> *mut PyObject {
    if !nargs("sorted", n, 1, 1) {
        return null_mut();
    }
    // SAFETY: METH_FASTCALL | METH_KEYWORDS: `n` live arguments, then the keywords'.
    unsafe {
        let l = crate::abstract_::PySequence_List(*args);
        if l.is_null() {
            return l;
        }
        let nk = if kw.is_null() {
            0
        } else {
            crate::tupleobject::items(kw).len()
        };
        let mut call = vec![l];
        call.extend_from_slice(std::slice::from_raw_parts(args.add(1), nk));
        let name = crate::unicodeobject::intern("sort");
        let r = crate::abstract_::PyObject_VectorcallMethod(name, call.as_ptr(), 1, kw);
        if r.is_null() {
            decref(l);
            return r;
        }
        decref(r);
        l
    }
}

unsafe fn f_vars(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("vars", a.len() as isize, 0, 1) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let Some(&o) = a.first() else {
            return needs_python("vars() without an argument");
        };
        let name = crate::unicodeobject::intern("__dict__");
        let d = crate::object::PyObject_GetAttr(o, name);
        if d.is_null()
            && crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_AttributeError)
        {
            crate::pyerrors::clear();
            return raise_type("vars() argument must have __dict__ attribute");
        }
        d
    }
}

unsafe fn f_delattr(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("delattr", a.len() as isize, 2, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        if !crate::unicodeobject::is_str(a[1]) {
            return raise_type(&format!(
                "attribute name must be string, not '{}'",
                crate::object::tname(a[1])
            ));
        }
        if crate::object::PyObject_SetAttr(a[0], a[1], null_mut()) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

/// The keys of `d` (a dict) added to `out`.
unsafe fn add_keys(out: &mut Vec<*mut PyObject>, d: *mut PyObject) {
    // SAFETY: a live dict (or something else, skipped).
    unsafe {
        if d.is_null() || !crate::dictobject::is_dict(d) {
            return;
        }
        for (k, _) in crate::dictobject::entries(d) {
            out.push(k);
        }
    }
}

/// `dir(object)`: the type's `__dir__` when it has one, else the names of the object's
/// `__dict__` and of its type's MRO (a type: its own MRO's), sorted.
pub(crate) unsafe fn dir_of(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object.
    unsafe {
        let name = crate::unicodeobject::intern("__dir__");
        let f = crate::object::type_lookup(crate::object::ty(o), name);
        let base_dir = crate::object::type_lookup(&raw mut crate::object::PyBaseObject_Type, name);
        let l = if !f.is_null() && f != base_dir && !crate::moduleobject::is_module(o) {
            // The type's `__dir__` bound to `o` (for a class, its metaclass's, not the one
            // its own attributes would give).
            let r = match (*crate::object::ty(f)).tp_descr_get {
                Some(get) => {
                    let m = crate::extcall::ternary(get, f, o, crate::object::ty(o).cast());
                    if m.is_null() {
                        return m;
                    }
                    let r = crate::abstract_::call_args(m, &[]);
                    decref(m);
                    r
                }
                None => crate::abstract_::call_args(f, &[o]),
            };
            if r.is_null() {
                return r;
            }
            let l = crate::abstract_::PySequence_List(r);
            decref(r);
            l
        } else {
            default_dir(o)
        };
        if l.is_null() {
            return l;
        }
        if crate::listobject::PyList_Sort(l) < 0 {
            decref(l);
            return null_mut();
        }
        l
    }
}

/// The names `dir(o)` lists without a `__dir__` of its own (`object.__dir__`): the object's
/// `__dict__` and its type's MRO dicts (for a class, its own MRO), unsorted.
///
/// # Safety
/// `o` must be a live object.
pub(crate) unsafe fn default_dir(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object.
    unsafe {
        let mut keys = Vec::new();
        let dname = crate::unicodeobject::intern("__dict__");
        let own = crate::object::PyObject_GetAttr(o, dname);
        if own.is_null() {
            crate::pyerrors::clear();
        }
        add_keys(&mut keys, own);
        if !crate::moduleobject::is_module(o) {
            let t = if crate::object::is_type(o) {
                o.cast::<PyTypeObject>()
            } else {
                crate::object::ty(o)
            };
            for c in crate::typeobject::mro_types(t) {
                add_keys(&mut keys, crate::object::ensure_dict(c));
            }
        }
        // dedupe by value: collect into a set first
        let set = crate::setobject::PySet_New(null_mut());
        if set.is_null() {
            xdecref(own);
            return set;
        }
        for k in keys {
            if crate::setobject::PySet_Add(set, k) < 0 {
                decref(set);
                xdecref(own);
                return null_mut();
            }
        }
        xdecref(own);
        let l = crate::abstract_::PySequence_List(set);
        decref(set);
        l
    }
}

unsafe fn f_dir(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("dir", a.len() as isize, 0, 1) {
        return null_mut();
    }
    match a.first() {
        // SAFETY: a live argument.
        Some(&o) => unsafe { dir_of(o) },
        None => needs_python("dir() without an argument"),
    }
}

unsafe fn f_aiter(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O.
    unsafe {
        let t = crate::object::ty(o);
        let am = (*t).tp_as_async;
        match (!am.is_null()).then(|| (*am).am_aiter).flatten() {
            Some(f) => crate::extcall::unary(f, o),
            None => raise_type(&format!(
                "'{}' object is not an async iterable",
                crate::object::tname(o)
            )),
        }
    }
}

unsafe fn f_anext(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("anext", a.len() as isize, 1, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let o = a[0];
        let t = crate::object::ty(o);
        let am = (*t).tp_as_async;
        let Some(f) = (!am.is_null()).then(|| (*am).am_anext).flatten() else {
            return raise_type(&format!(
                "'{}' object is not an async iterator",
                crate::object::tname(o)
            ));
        };
        if a.len() == 2 {
            return needs_python("anext() with a default");
        }
        crate::extcall::unary(f, o)
    }
}

/// The error of a builtin whose CPython behaviour needs Python code to run (a frame, the
/// compiler, the interactive console): gilgate runs none.
pub(crate) fn needs_python(what: &str) -> *mut PyObject {
    raise(
        &raw mut crate::pyerrors::EXC_NotImplementedError,
        &format!("gilgate runs no Python code: {what} is not available"),
    )
}

macro_rules! python_only {
    ($($fn:ident $name:literal),*) => {$(
        unsafe fn $fn(
            _m: *mut PyObject,
            _a: *const *mut PyObject,
            _n: isize,
            _kw: *mut PyObject,
        ) -> *mut PyObject {
            needs_python(concat!($name, "()"))
        }
    )*};
}

python_only!(
    p_breakpoint "breakpoint", p_compile "compile", p_eval "eval", p_exec "exec",
    p_globals "globals", p_locals "locals", p_input "input", p_open "open", p_help "help",
    p_copyright "copyright", p_credits "credits", p_license "license", p_exit "exit",
    p_quit "quit"
);

const N_METHODS2: usize = 32;

static mut METHODS2: [PyMethodDef; N_METHODS2] = [
    bdef!(c"all", o, f_all),
    bdef!(c"any", o, f_any),
    bdef!(c"bin", o, f_bin),
    bdef!(c"oct", o, f_oct),
    bdef!(c"hex", o, f_hex),
    bdef!(c"chr", o, f_chr),
    bdef!(c"ord", o, f_ord),
    bdef!(c"divmod", fast, f_divmod),
    bdef!(c"format", fast, f_format),
    bdef!(c"pow", kw, f_pow),
    bdef!(c"round", kw, f_round),
    bdef!(c"sorted", kw, f_sorted),
    bdef!(c"vars", fast, f_vars),
    bdef!(c"delattr", fast, f_delattr),
    bdef!(c"dir", fast, f_dir),
    bdef!(c"aiter", o, f_aiter),
    bdef!(c"anext", fast, f_anext),
    bdef!(c"breakpoint", kw, p_breakpoint),
    bdef!(c"compile", kw, p_compile),
    bdef!(c"eval", kw, p_eval),
    bdef!(c"exec", kw, p_exec),
    bdef!(c"globals", kw, p_globals),
    bdef!(c"locals", kw, p_locals),
    bdef!(c"input", kw, p_input),
    bdef!(c"open", kw, p_open),
    bdef!(c"help", kw, p_help),
    bdef!(c"copyright", kw, p_copyright),
    bdef!(c"credits", kw, p_credits),
    bdef!(c"license", kw, p_license),
    bdef!(c"exit", kw, p_exit),
    bdef!(c"quit", kw, p_quit),
    PyMethodDef::END,
];

// ---- map, filter, zip (lazy iterators; their layout is enumobject's LazyIter) -------------------

use crate::enumobject::{LazyIter, lazy_type, new_args, new_lazy};

/// A tuple of iterators over `objs`.
unsafe fn iterators(objs: &[*mut PyObject]) -> *mut PyObject {
    let mut its = Vec::with_capacity(objs.len());
    for &o in objs {
        // SAFETY: live objects.
        let it = unsafe { PyObject_GetIter(o) };
        if it.is_null() {
            for i in its {
                // SAFETY: our references.
                unsafe { decref(i) };
            }
            return null_mut();
        }
        its.push(it);
    }
    // SAFETY: owned references handed over.
    unsafe { crate::bytes_methods::own_tuple(&its) }
}

/// The `strict=` keyword of map/zip (the only one they take).
unsafe fn strict_kw(name: &str, kws: &[(String, *mut PyObject)]) -> Result<bool, ()> {
    let mut strict = false;
    for (k, v) in kws {
        if k != "strict" {
            raise_type(&format!(
                "{name}() got an unexpected keyword argument '{k}'"
            ));
            return Err(());
        }
        // SAFETY: a live value.
        match unsafe { crate::object::PyObject_IsTrue(*v) } {
            r if r < 0 => return Err(()),
            r => strict = r == 1,
        }
    }
    Ok(strict)
}

/// One item from each iterator of the tuple `its`; None when one is exhausted (with zip's and
/// map's strict check: "argument N is shorter/longer than ...").
unsafe fn next_of_each(name: &str, its: *mut PyObject, strict: bool) -> Option<Vec<*mut PyObject>> {
    // SAFETY: `its` is a live tuple of iterators.
    unsafe {
        let its = crate::tupleobject::items(its);
        let mut out = Vec::with_capacity(its.len());
        for (i, &it) in its.iter().enumerate() {
            let x = PyIter_Next(it);
            if x.is_null() {
                for o in out {
                    decref(o);
                }
                if crate::pyerrors::occurred() || !strict {
                    return None;
                }
                if i > 0 {
                    let which = if i == 1 {
                        "argument 1".to_string()
                    } else {
                        format!("arguments 1-{i}")
                    };
                    raise(
                        &raw mut crate::pyerrors::EXC_ValueError,
                        &format!("{name}() argument {} is shorter than {which}", i + 1),
                    );
                    return None;
                }
                // the first ran out: every other must end too
                for (j, &other) in its.iter().enumerate().skip(1) {
                    let y = PyIter_Next(other);
                    if !y.is_null() {
                        decref(y);
                        let which = if j == 1 {
                            "argument 1".to_string()
                        } else {
                            format!("arguments 1-{j}")
                        };
                        raise(
                            &raw mut crate::pyerrors::EXC_ValueError,
                            &format!("{name}() argument {} is longer than {which}", j + 1),
                        );
                        return None;
                    }
                    if crate::pyerrors::occurred() {
                        return None;
                    }
                }
                return None;
            }
            out.push(x);
        }
        Some(out)
    }
}

unsafe extern "C" fn map_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("map.__new__", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let (pos, kws) = new_args(args, kw);
            let Ok(strict) = strict_kw("map", &kws) else {
                return null_mut();
            };
            if pos.len() < 2 {
                return raise_type("map() must have at least two arguments.");
            }
            let its = iterators(&pos[1..]);
            if its.is_null() {
                return its;
            }
            new_lazy(
                t,
                its,
                crate::refcount::new_ref(pos[0]),
                null_mut(),
                0,
                strict,
            )
        }
    })
}

unsafe extern "C" fn map_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("map.__next__", null_mut(), || {
        // SAFETY: a live map object (slot contract).
        unsafe {
            let p = op.cast::<LazyIter>();
            let Some(items) = next_of_each("map", (*p).it, (*p).strict != 0) else {
                return null_mut();
            };
            let r = crate::abstract_::call_args((*p).func, &items);
            for o in items {
                decref(o);
            }
            r
        }
    })
}

unsafe extern "C" fn filter_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("filter.__new__", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let (pos, kws) = new_args(args, kw);
            if !kws.is_empty() {
                return raise_type("filter() takes no keyword arguments");
            }
            if !nargs("filter", pos.len() as isize, 2, 2) {
                return null_mut();
            }
            let it = PyObject_GetIter(pos[1]);
            if it.is_null() {
                return it;
            }
            new_lazy(
                t,
                it,
                crate::refcount::new_ref(pos[0]),
                null_mut(),
                0,
                false,
            )
        }
    })
}

unsafe extern "C" fn filter_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("filter.__next__", null_mut(), || {
        // SAFETY: a live filter object (slot contract).
        unsafe {
            let p = op.cast::<LazyIter>();
            let plain = (*p).func == crate::object::none()
                || (*p).func == (&raw mut crate::boolobject::PyBool_Type).cast();
            loop {
                let x = PyIter_Next((*p).it);
                if x.is_null() {
                    return x;
                }
                let t = if plain {
                    crate::object::PyObject_IsTrue(x)
                } else {
                    let r = crate::abstract_::call_args((*p).func, &[x]);
                    if r.is_null() {
                        decref(x);
                        return r;
                    }
                    let t = crate::object::PyObject_IsTrue(r);
                    decref(r);
                    t
                };
                if t < 0 {
                    decref(x);
                    return null_mut();
                }
                if t == 1 {
                    return x;
                }
                decref(x);
            }
        }
    })
}

unsafe extern "C" fn zip_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("zip.__new__", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let (pos, kws) = new_args(args, kw);
            let Ok(strict) = strict_kw("zip", &kws) else {
                return null_mut();
            };
            let its = iterators(pos);
            if its.is_null() {
                return its;
            }
            new_lazy(t, its, null_mut(), null_mut(), 0, strict)
        }
    })
}

unsafe extern "C" fn zip_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("zip.__next__", null_mut(), || {
        // SAFETY: a live zip object (slot contract).
        unsafe {
            let p = op.cast::<LazyIter>();
            if crate::tupleobject::items((*p).it).is_empty() {
                return null_mut();
            }
            match next_of_each("zip", (*p).it, (*p).strict != 0) {
                Some(items) => crate::bytes_methods::own_tuple(&items),
                None => null_mut(),
            }
        }
    })
}

#[export]
#[allow(unreachable_pub)] // exported by name (no_mangle)
pub static mut PyMap_Type: PyTypeObject = lazy_type(c"map", Some(map_new), map_next);

#[export]
#[allow(unreachable_pub)] // exported by name (no_mangle)
pub static mut PyFilter_Type: PyTypeObject = lazy_type(c"filter", Some(filter_new), filter_next);

#[export]
#[allow(unreachable_pub)] // exported by name (no_mangle)
pub static mut PyZip_Type: PyTypeObject = lazy_type(c"zip", Some(zip_new), zip_next);
