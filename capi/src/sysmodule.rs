//! `sysmodule.h`: a minimal `sys` module whose attributes extensions read at init
//! (`version`, `hexversion`, `platform`, `byteorder`, `maxsize`, `modules`).

use crate::object::PyObject;
use crate::refcount::xdecref;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;
use std::sync::OnceLock;

/// The `sys.version` string.
pub const VERSION: &str = "3.14.10 (gilgate) [rustc]";

struct Sys(usize);

fn sys_module() -> *mut PyObject {
    static SYS: OnceLock<Sys> = OnceLock::new();
    SYS.get_or_init(|| {
        let name = crate::unicodeobject::intern("sys");
        // SAFETY: `name` is a live (immortal) str.
        let m = unsafe { crate::moduleobject::new_module(name) };
        if m.is_null() {
            crate::pyerrors::clear();
            return Sys(0);
        }
        // SAFETY: `m` is a fresh module with a dict.
        unsafe {
            let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
            let entries: [(&str, *mut PyObject); 6] = [
                ("version", crate::unicodeobject::from_str(VERSION)),
                ("hexversion", crate::longobject::from_i128(0x030E_0AF0)),
                ("platform", crate::unicodeobject::from_str("linux")),
                ("byteorder", crate::unicodeobject::from_str("little")),
                ("maxsize", crate::longobject::from_i128(isize::MAX as i128)),
                ("modules", crate::dictobject::new_dict()),
            ];
            for (k, v) in entries {
                if !v.is_null() {
                    crate::dictobject::set_item_str(d, k, v);
                }
                xdecref(v);
            }
        }
        Sys(m as usize)
    })
    .0 as *mut PyObject
}

/// `sys.<name>` (borrowed), or NULL without an exception.
pub fn get(name: &str) -> *mut PyObject {
    let m = sys_module();
    if m.is_null() {
        return null_mut();
    }
    // SAFETY: the sys module lives for the whole process.
    unsafe {
        crate::dictobject::get_str(
            (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict,
            name,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PySys_GetObject(name: *const c_char) -> *mut PyObject {
    crate::ffi_guard::guard("PySys_GetObject", null_mut(), || {
        // SAFETY: a NUL-terminated name, per the C API contract.
        let n = unsafe { CStr::from_ptr(name) }.to_string_lossy();
        get(&n)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PySys_SetObject(name: *const c_char, v: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PySys_SetObject", -1, || {
        let m = sys_module();
        if m.is_null() {
            return -1;
        }
        // SAFETY: the sys module lives for the process; name and value per the C API contract.
        unsafe {
            let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
            let k = crate::unicodeobject::from_cstr(name);
            if k.is_null() {
                return -1;
            }
            let r = if v.is_null() {
                let r = crate::dictobject::del_item(d, k);
                if r < 0 && crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_KeyError)
                {
                    crate::pyerrors::clear();
                    0
                } else {
                    r
                }
            } else {
                crate::dictobject::set_item(d, k, v)
            };
            xdecref(k);
            r
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_readable_and_missing_names_are_null() {
        // SAFETY: C string literals.
        unsafe {
            let v = super::PySys_GetObject(c"version".as_ptr());
            assert!(crate::unicodeobject::as_str(v).unwrap().starts_with("3.14"));
            assert!(super::PySys_GetObject(c"no_such_attr".as_ptr()).is_null());
            assert!(!crate::pyerrors::occurred());
            let s = std::ffi::CStr::from_ptr(crate::pylifecycle::Py_GetVersion())
                .to_str()
                .unwrap();
            assert_eq!(s, super::VERSION);
        }
    }
}
