//! `structmember.h` / the `PyMember_*` part of `descrobject.h`: reading and writing the C
//! struct members a `PyMemberDef` describes.

use crate::descrobject::*;
use crate::export;
use crate::object::{PyObject, ty, type_name};
use crate::pyerrors::{
    EXC_AttributeError, EXC_OverflowError, EXC_RuntimeWarning, EXC_TypeError, raise,
};
use crate::refcount::{new_ref, xdecref};
use std::ffi::{CStr, c_char, c_int};

/// `Py_RELATIVE_OFFSET`: the member offset counts from the start of the subclass's data.
pub const Py_RELATIVE_OFFSET: c_int = 8;
/// `Py_AUDIT_READ`.
pub const Py_AUDIT_READ: c_int = 2;

fn fail(t: *mut crate::object::PyTypeObject, msg: &str) -> c_int {
    raise(t, msg);
    -1
}

/// The integer value of `v` for an integer member, or `Err` with an exception set:
/// TypeError for non-ints, OverflowError (naming `cname`) beyond `lo..=hi`.
unsafe fn int_value(v: *mut PyObject, lo: i128, hi: i128, cname: &str) -> Result<i128, ()> {
    // SAFETY: `v` is a live object (caller contract).
    unsafe {
        if !crate::longobject::is_int(v) {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "'{:.200}' object cannot be interpreted as an integer",
                    type_name(ty(v))
                ),
            );
            return Err(());
        }
        match crate::longobject::value_i128(v) {
            Some(x) if (lo..=hi).contains(&x) => Ok(x),
            Some(x) if x < 0 && lo == 0 => {
                raise(
                    &raw mut EXC_OverflowError,
                    "can't convert negative int to unsigned",
                );
                Err(())
            }
            _ => {
                raise(
                    &raw mut EXC_OverflowError,
                    &format!("Python int too large to convert to C {cname}"),
                );
                Err(())
            }
        }
    }
}

/// Emits `RuntimeWarning("Truncation of value to <cname>")` when `x` is outside `lo..=hi`.
fn warn_truncation(x: i128, lo: i128, hi: i128, cname: &str) -> Result<(), ()> {
    if (lo..=hi).contains(&x) {
        return Ok(());
    }
    // SAFETY: the category is a static exception type.
    let r = unsafe {
        crate::warnings::warn(
            &raw mut EXC_RuntimeWarning,
            &format!("Truncation of value to {cname}"),
            1,
        )
    };
    if r < 0 { Err(()) } else { Ok(()) }
}

/// Writes `v` (NULL deletes) into member `m` of `op` (`PyMember_SetOne`).
///
/// # Safety
/// `op` must be a live object whose layout has the member; `m` a valid member entry;
/// `v` NULL or live.
pub(crate) unsafe fn write_member(
    op: *mut PyObject,
    m: *const PyMemberDef,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract: the member's offset and type describe `op`'s memory.
    unsafe {
        let p = op.cast::<u8>().offset((*m).offset);
        let kind = (*m).type_;
        if (*m).flags & Py_READONLY != 0 {
            return fail(&raw mut EXC_AttributeError, "readonly attribute");
        }
        if v.is_null() {
            // (A `Py_T_OBJECT_EX` member that is already empty is found under the lock,
            // below: two threads deleting it at once must not both succeed.)
            if kind != Py_T_OBJECT && kind != Py_T_OBJECT_EX {
                return fail(
                    &raw mut EXC_TypeError,
                    "can't delete numeric/char attribute",
                );
            }
        }
        macro_rules! store_trunc {
            ($t:ty, $cname:expr) => {{
                let Ok(x) = int_value(v, i64::MIN.into(), i64::MAX.into(), "long") else {
                    return -1;
                };
                if warn_truncation(x, <$t>::MIN.into(), <$t>::MAX.into(), $cname).is_err() {
                    return -1;
                }
                p.cast::<$t>().write_unaligned(x as $t);
                0
            }};
        }
        match kind {
            Py_T_OBJECT | Py_T_OBJECT_EX => {
                // Swapped under `op`'s mutex (readers load and incref under it); the old value
                // is released after.
                let new = if v.is_null() { v } else { new_ref(v) };
                let old = {
                    let g = crate::object::ObjectLock::new(op);
                    let slot = std::sync::atomic::AtomicPtr::from_ptr(p.cast::<*mut PyObject>());
                    if new.is_null()
                        && kind == Py_T_OBJECT_EX
                        && slot.load(std::sync::atomic::Ordering::Acquire).is_null()
                    {
                        drop(g);
                        let name = CStr::from_ptr((*m).name).to_string_lossy();
                        return fail(&raw mut EXC_AttributeError, &name);
                    }
                    let old = slot.swap(new, std::sync::atomic::Ordering::AcqRel);
                    drop(g);
                    old
                };
                xdecref(old);
                0
            }
            Py_T_BOOL => {
                if v != crate::boolobject::true_() && v != crate::boolobject::false_() {
                    return fail(&raw mut EXC_TypeError, "attribute value type must be bool");
                }
                p.write(u8::from(v == crate::boolobject::true_()));
                0
            }
            Py_T_BYTE => store_trunc!(i8, "char"),
            Py_T_UBYTE => store_trunc!(u8, "unsigned char"),
            Py_T_SHORT => store_trunc!(i16, "short"),
            Py_T_USHORT => store_trunc!(u16, "unsigned short"),
            Py_T_INT => store_trunc!(i32, "int"),
            Py_T_UINT => {
                let Ok(x) = int_value(v, i64::MIN.into(), u64::MAX.into(), "unsigned long") else {
                    return -1;
                };
                if x < 0
                    && crate::warnings::warn(
                        &raw mut EXC_RuntimeWarning,
                        "Writing negative value into unsigned field",
                        1,
                    ) < 0
                {
                    return -1;
                }
                if x >= 0 && warn_truncation(x, 0, u32::MAX.into(), "unsigned int").is_err() {
                    return -1;
                }
                p.cast::<u32>().write_unaligned(x as u32);
                0
            }
            Py_T_LONG | Py_T_LONGLONG | Py_T_PYSSIZET => {
                let cname = match kind {
                    Py_T_LONG => "long",
                    Py_T_LONGLONG => "long long",
                    _ => "ssize_t",
                };
                let Ok(x) = int_value(v, i64::MIN.into(), i64::MAX.into(), cname) else {
                    return -1;
                };
                p.cast::<i64>().write_unaligned(x as i64);
                0
            }
            Py_T_ULONG | Py_T_ULONGLONG => {
                let cname = if kind == Py_T_ULONG {
                    "unsigned long"
                } else {
                    "unsigned long long"
                };
                let lo = if kind == Py_T_ULONG {
                    i64::MIN.into()
                } else {
                    0
                };
                let Ok(x) = int_value(v, lo, u64::MAX.into(), cname) else {
                    return -1;
                };
                if x < 0
                    && crate::warnings::warn(
                        &raw mut EXC_RuntimeWarning,
                        "Writing negative value into unsigned field",
                        1,
                    ) < 0
                {
                    return -1;
                }
                p.cast::<u64>().write_unaligned(x as u64);
                0
            }
            Py_T_FLOAT | Py_T_DOUBLE => {
                let d = if crate::longobject::is_int(v) {
                    crate::longobject::value_i128(v).map(|x| x as f64)
                } else {
                    crate::floatobject::as_f64(v)
                };
                let Some(d) = d else {
                    return fail(
                        &raw mut EXC_TypeError,
                        &format!("must be real number, not {:.50}", type_name(ty(v))),
                    );
                };
                if kind == Py_T_FLOAT {
                    p.cast::<f32>().write_unaligned(d as f32);
                } else {
                    p.cast::<f64>().write_unaligned(d);
                }
                0
            }
            Py_T_CHAR => {
                let s = if crate::unicodeobject::is_str(v) {
                    crate::unicodeobject::as_str(v)
                } else {
                    None
                };
                match s {
                    Some(s) if s.len() == 1 => {
                        p.write(s.as_bytes()[0]);
                        0
                    }
                    _ => fail(
                        &raw mut EXC_TypeError,
                        "bad argument type for built-in operation",
                    ),
                }
            }
            Py_T_STRING | Py_T_STRING_INPLACE | Py_T_NONE => {
                fail(&raw mut EXC_TypeError, "readonly attribute")
            }
            _ => fail(
                &raw mut EXC_TypeError,
                &format!(
                    "bad memberdescr type for {}",
                    CStr::from_ptr((*m).name).to_string_lossy()
                ),
            ),
        }
    }
}

#[export]
pub unsafe fn PyMember_GetOne(addr: *const c_char, m: *mut PyMemberDef) -> *mut PyObject {
    // SAFETY: `addr` is the start of an object whose layout has member `m` (C API contract).
    unsafe { read_member(addr.cast_mut().cast(), m) }
}

#[export]
pub unsafe fn PyMember_SetOne(addr: *mut c_char, m: *mut PyMemberDef, v: *mut PyObject) -> c_int {
    // SAFETY: as PyMember_GetOne; `v` NULL or live.
    unsafe { write_member(addr.cast(), m, v) }
}
