//! CPython's `Objects/fileobject.c` C API: writing to a Python file-like object
//! (`PyFile_WriteObject`, `PyFile_WriteString`) and the file descriptor of an object
//! (`PyObject_AsFileDescriptor`), with CPython's checks and texts.

use crate::export;
use crate::object::{PyObject, getattr, getattr_opt};
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::decref;
use crate::unicodeobject as uni;
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;

/// `Py_PRINT_RAW`: write `str(v)` instead of `repr(v)`.
const PRINT_RAW: c_int = 1;

#[export]
pub unsafe fn PyFile_WriteObject(v: *mut PyObject, f: *mut PyObject, flags: c_int) -> c_int {
    if f.is_null() {
        raise(&raw mut EXC_TypeError, "writeobject with NULL file");
        return -1;
    }
    // SAFETY: live objects, per the C API contract.
    unsafe {
        let write = getattr(f, uni::intern("write"));
        if write.is_null() {
            return -1;
        }
        let text = if flags & PRINT_RAW != 0 {
            crate::object::str(v)
        } else {
            crate::object::repr(v)
        };
        if text.is_null() {
            decref(write);
            return -1;
        }
        let r = crate::abstract_::call_args(write, &[text]);
        decref(text);
        decref(write);
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}

#[export]
pub unsafe fn PyFile_WriteString(s: *const c_char, f: *mut PyObject) -> c_int {
    if f.is_null() {
        if !crate::pyerrors::occurred() {
            raise(&raw mut EXC_SystemError, "null file for PyFile_WriteString");
        }
        return -1;
    }
    if crate::pyerrors::occurred() {
        return -1;
    }
    // SAFETY: a NUL-terminated string and a live object, per the C API contract.
    unsafe {
        let v = uni::from_cstr(s);
        if v.is_null() {
            return -1;
        }
        let r = PyFile_WriteObject(v, f, PRINT_RAW);
        decref(v);
        r
    }
}

#[export]
pub unsafe fn PyObject_AsFileDescriptor(o: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        let fd = if crate::abstract_::is_long(o) {
            crate::longobject::PyLong_AsInt(o)
        } else {
            let mut meth = null_mut();
            if getattr_opt(o, uni::intern("fileno"), &mut meth) < 0 {
                return -1;
            }
            if meth.is_null() {
                raise(
                    &raw mut EXC_TypeError,
                    "argument must be an int, or have a fileno() method.",
                );
                return -1;
            }
            let n = crate::abstract_::call_args(meth, &[]);
            decref(meth);
            if n.is_null() {
                return -1;
            }
            if !crate::abstract_::is_long(n) {
                decref(n);
                raise(&raw mut EXC_TypeError, "fileno() returned a non-integer");
                return -1;
            }
            let fd = crate::longobject::PyLong_AsInt(n);
            decref(n);
            fd
        };
        if fd == -1 && crate::pyerrors::occurred() {
            return -1;
        }
        if fd < 0 {
            raise(
                &raw mut EXC_ValueError,
                &format!("file descriptor cannot be a negative integer ({fd})"),
            );
            return -1;
        }
        fd
    }
}
