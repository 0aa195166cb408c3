//! `descrobject.h`: member and getset definitions.

use crate::object::PyObject;
use crate::pyport::Py_ssize_t;
use std::ffi::{c_char, c_int, c_void};

pub type getter = Option<unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject>;
pub type setter = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut c_void) -> c_int>;

/// `PyMemberDef` (40 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyMemberDef {
    pub name: *const c_char,
    pub type_: c_int,
    pub offset: Py_ssize_t,
    pub flags: c_int,
    pub doc: *const c_char,
}

/// `PyGetSetDef` (40 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyGetSetDef {
    pub name: *const c_char,
    pub get: getter,
    pub set: setter,
    pub doc: *const c_char,
    pub closure: *mut c_void,
}

// Member types (`Py_T_*`, structmember.h numbering) and flags.
pub const Py_T_SHORT: c_int = 0;
pub const Py_T_INT: c_int = 1;
pub const Py_T_LONG: c_int = 2;
pub const Py_T_FLOAT: c_int = 3;
pub const Py_T_DOUBLE: c_int = 4;
pub const Py_T_STRING: c_int = 5;
pub const Py_T_OBJECT: c_int = 6;
pub const Py_T_CHAR: c_int = 7;
pub const Py_T_BYTE: c_int = 8;
pub const Py_T_UBYTE: c_int = 9;
pub const Py_T_UINT: c_int = 11;
pub const Py_T_USHORT: c_int = 10;
pub const Py_T_ULONG: c_int = 12;
pub const Py_T_STRING_INPLACE: c_int = 13;
pub const Py_T_BOOL: c_int = 14;
pub const Py_T_OBJECT_EX: c_int = 16;
pub const Py_T_LONGLONG: c_int = 17;
pub const Py_T_ULONGLONG: c_int = 18;
pub const Py_T_PYSSIZET: c_int = 19;
pub const Py_T_NONE: c_int = 20;
pub const Py_READONLY: c_int = 1;

/// Reads member `m` of `op` (`PyMember_GetOne`): a new reference or NULL with an error.
///
/// # Safety
/// `op` must be a live object whose layout has the member; `m` a valid member entry.
pub unsafe fn read_member(op: *mut PyObject, m: *const PyMemberDef) -> *mut PyObject {
    use crate::longobject::from_i128;
    // SAFETY: forwarded contract: the member's offset and type describe `op`'s memory.
    unsafe {
        let p = op.cast::<u8>().offset((*m).offset);
        match (*m).type_ {
            Py_T_OBJECT | Py_T_OBJECT_EX => {
                let v = *p.cast::<*mut PyObject>();
                if v.is_null() {
                    if (*m).type_ == Py_T_OBJECT {
                        return crate::object::new_none();
                    }
                    let name = std::ffi::CStr::from_ptr((*m).name).to_string_lossy();
                    let tn = crate::object::type_name(crate::object::ty(op));
                    return crate::pyerrors::raise(
                        &raw mut crate::pyerrors::EXC_AttributeError,
                        &format!("'{tn}' object has no attribute '{name}'"),
                    );
                }
                crate::refcount::new_ref(v)
            }
            Py_T_SHORT => from_i128(i128::from(p.cast::<i16>().read_unaligned())),
            Py_T_INT => from_i128(i128::from(p.cast::<i32>().read_unaligned())),
            Py_T_LONG | Py_T_LONGLONG | Py_T_PYSSIZET => {
                from_i128(i128::from(p.cast::<i64>().read_unaligned()))
            }
            Py_T_BYTE => from_i128(i128::from(p.cast::<i8>().read())),
            Py_T_UBYTE | Py_T_CHAR => from_i128(i128::from(p.read())),
            Py_T_USHORT => from_i128(i128::from(p.cast::<u16>().read_unaligned())),
            Py_T_UINT => from_i128(i128::from(p.cast::<u32>().read_unaligned())),
            Py_T_ULONG | Py_T_ULONGLONG => from_i128(i128::from(p.cast::<u64>().read_unaligned())),
            Py_T_BOOL => crate::boolobject::from_bool(p.read() != 0),
            Py_T_FLOAT => crate::floatobject::from_f64(f64::from(p.cast::<f32>().read_unaligned())),
            Py_T_DOUBLE => crate::floatobject::from_f64(p.cast::<f64>().read_unaligned()),
            Py_T_STRING => {
                let s = *p.cast::<*const c_char>();
                if s.is_null() {
                    crate::object::new_none()
                } else {
                    crate::unicodeobject::from_cstr(s)
                }
            }
            Py_T_STRING_INPLACE => crate::unicodeobject::from_cstr(p.cast()),
            Py_T_NONE => crate::object::new_none(),
            _ => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "bad memberdescr type",
            ),
        }
    }
}
