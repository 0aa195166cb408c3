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
    static mut PyClassMethod_Type: PyTypeObject;
    static mut PyEnum_Type: PyTypeObject;
    static mut PyReversed_Type: PyTypeObject;
    static mut PyFilter_Type: PyTypeObject;
    static mut PyMap_Type: PyTypeObject;
    static mut PyZip_Type: PyTypeObject;
    static mut PySuper_Type: PyTypeObject;

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

struct Module(usize);

/// The `builtins` module (borrowed; lives for the process), or NULL with an exception.
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<Module> = OnceLock::new();
    let m = M.get_or_init(|| Module(build() as usize)).0 as *mut PyObject;
    if m.is_null() {
        crate::pyerrors::set_system_error("gilgate: the builtins module could not be created");
    }
    m
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
        ("classmethod", &raw mut PyClassMethod_Type),
        ("enumerate", &raw mut PyEnum_Type),
        ("reversed", &raw mut PyReversed_Type),
        ("filter", &raw mut PyFilter_Type),
        ("map", &raw mut PyMap_Type),
        ("zip", &raw mut PyZip_Type),
        ("super", &raw mut PySuper_Type),
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
        let table = &raw mut METHODS;
        for i in 0..(*table).len() {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
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

unsafe extern "C" fn b_ascii(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("ascii", null_mut(), || {
        // SAFETY: `o` is the live argument.
        let r = unsafe { crate::object::repr(o) };
        if r.is_null() {
            return r;
        }
        // SAFETY: `r` is our str.
        let s = unsafe { crate::unicodeobject::as_str(r) }
            .unwrap_or("")
            .to_string();
        // SAFETY: our reference.
        unsafe { decref(r) };
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c as u32 {
                0..=0x7f => out.push(c),
                v @ 0x80..=0xff => out.push_str(&format!("\\x{v:02x}")),
                v @ 0x100..=0xffff => out.push_str(&format!("\\u{v:04x}")),
                v => out.push_str(&format!("\\U{v:08x}")),
            }
        }
        crate::unicodeobject::from_str(&out)
    })
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
fn min_max(name: &'static str, a: *mut PyObject, op: c_int) -> *mut PyObject {
    crate::ffi_guard::guard(name, null_mut(), || {
        // SAFETY: `a` is the live args tuple of a METH_VARARGS call.
        let items = unsafe { crate::tupleobject::items(a) };
        let it = match items.len() {
            0 => {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("{name} expected at least 1 argument, got 0"),
                );
            }
            // SAFETY: a live argument.
            1 => unsafe { PyObject_GetIter(items[0]) },
            // SAFETY: the live args tuple.
            _ => unsafe { PyObject_GetIter(a) },
        };
        if it.is_null() {
            return it;
        }
        let mut best: *mut PyObject = null_mut();
        loop {
            // SAFETY: a live iterator.
            let x = unsafe { PyIter_Next(it) };
            if x.is_null() {
                break;
            }
            if best.is_null() {
                best = x;
                continue;
            }
            // SAFETY: live objects.
            match unsafe { PyObject_RichCompareBool(x, best, op) } {
                r if r < 0 => {
                    // SAFETY: our references.
                    unsafe {
                        decref(x);
                        decref(best);
                        decref(it);
                    }
                    return null_mut();
                }
                // SAFETY: our reference, released here.
                0 => unsafe { decref(x) },
                // SAFETY: our references.
                _ => unsafe { decref(std::mem::replace(&mut best, x)) },
            }
        }
        // SAFETY: our reference.
        unsafe { decref(it) };
        if crate::pyerrors::occurred() {
            // SAFETY: our reference (or NULL).
            unsafe { xdecref(best) };
            return null_mut();
        }
        if best.is_null() {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                &format!("{name}() iterable argument is empty"),
            );
        }
        best
    })
}

unsafe extern "C" fn b_min(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    min_max("min", a, 0) // Py_LT
}

unsafe extern "C" fn b_max(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    min_max("max", a, 4) // Py_GT
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
            crate::sysmodule::write_std(1, out.as_bytes());
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

static mut METHODS: [PyMethodDef; 19] = [
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
    def(c"min", b_min as *mut c_void, METH_VARARGS),
    def(c"max", b_max as *mut c_void, METH_VARARGS),
    def(c"sum", b_sum as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(
        c"print",
        b_print as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    def(
        c"__import__",
        b_import as *mut c_void,
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
