//! CPython's `Python/pyhash.c`: the hash of a pointer and of a byte buffer, the same values
//! gilgate's `object.__hash__` and `bytes.__hash__` give.

use crate::export;
use crate::pyport::{Py_hash_t, Py_ssize_t};
use std::ffi::c_void;

/// `Py_HashPointer`: the address rotated right by 4 bits (the low bits of an aligned
/// address are always zero), -1 becoming -2.
#[export(unguarded)]
pub fn Py_HashPointer(ptr: *const c_void) -> Py_hash_t {
    let h = (ptr as usize).rotate_right(4) as Py_hash_t;
    if h == -1 { -2 } else { h }
}

/// `Py_HashBuffer`: the hash of `bytes` with the same content (0 for an empty buffer, never
/// -1).
#[export]
pub unsafe fn Py_HashBuffer(ptr: *const c_void, len: Py_ssize_t) -> Py_hash_t {
    if len <= 0 || ptr.is_null() {
        return crate::unicodeobject::hash_bytes(&[]);
    }
    // SAFETY: `len` readable bytes at `ptr`, per the C API contract.
    let data = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize) };
    crate::unicodeobject::hash_bytes(data)
}
