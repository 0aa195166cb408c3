//! `pymem.h`: the raw, mem and object allocator families. All three use mimalloc; none of
//! them needs the size when freeing.

use crate::export;
use libmimalloc_sys as mi;
use std::ffi::c_void;

/// `malloc(0)` must return a unique non-NULL pointer, like CPython's allocators.
#[inline]
fn nz(n: usize) -> usize {
    n.max(1)
}

/// Allocates `n` bytes (uninitialised).
pub(crate) fn malloc(n: usize) -> *mut c_void {
    if n > isize::MAX as usize {
        return std::ptr::null_mut();
    }
    // SAFETY: mi_malloc accepts any size and returns NULL on failure.
    unsafe { mi::mi_malloc(nz(n)) }
}

/// Allocates `count * size` zeroed bytes.
pub(crate) fn calloc(count: usize, size: usize) -> *mut c_void {
    match count.checked_mul(size) {
        Some(t) if t <= isize::MAX as usize => {
            // SAFETY: mi_zalloc accepts any size and returns NULL on failure.
            unsafe { mi::mi_zalloc(nz(t)) }
        }
        _ => std::ptr::null_mut(),
    }
}

/// Allocates `n` zeroed bytes at an address that is a multiple of `align` (a power of two);
/// freed with [`free`].
pub(crate) fn calloc_aligned(n: usize, align: usize) -> *mut c_void {
    if n > isize::MAX as usize {
        return std::ptr::null_mut();
    }
    // SAFETY: mi_zalloc_aligned accepts any size and power-of-two alignment and returns NULL on
    // failure.
    unsafe { mi::mi_zalloc_aligned(nz(n), align) }
}

/// Resizes a block from this allocator (NULL allocates).
///
/// # Safety
/// `p` must be NULL or a live block from this allocator.
pub(crate) unsafe fn realloc(p: *mut c_void, n: usize) -> *mut c_void {
    if n > isize::MAX as usize {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller guarantees `p` came from mimalloc or is NULL.
    unsafe { mi::mi_realloc(p, nz(n)) }
}

/// Frees a block from this allocator (NULL is ignored).
///
/// # Safety
/// `p` must be NULL or a live block from this allocator.
pub(crate) unsafe fn free(p: *mut c_void) {
    // SAFETY: the caller guarantees `p` came from mimalloc or is NULL.
    unsafe { mi::mi_free(p) }
}

#[export]
pub fn PyMem_RawMalloc(n: usize) -> *mut c_void {
    malloc(n)
}

#[export]
pub fn PyMem_RawCalloc(c: usize, n: usize) -> *mut c_void {
    calloc(c, n)
}

#[export]
pub unsafe fn PyMem_RawRealloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    unsafe { realloc(p, n) }
}

#[export]
pub unsafe fn PyMem_RawFree(p: *mut c_void) {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    unsafe { free(p) }
}

#[export]
pub fn PyMem_Malloc(n: usize) -> *mut c_void {
    malloc(n)
}

#[export]
pub fn PyMem_Calloc(c: usize, n: usize) -> *mut c_void {
    calloc(c, n)
}

#[export]
pub unsafe fn PyMem_Realloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    unsafe { realloc(p, n) }
}

#[export]
pub unsafe fn PyMem_Free(p: *mut c_void) {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    unsafe { free(p) }
}

#[export]
pub fn PyObject_Malloc(n: usize) -> *mut c_void {
    malloc(n)
}

#[export]
pub fn PyObject_Calloc(c: usize, n: usize) -> *mut c_void {
    calloc(c, n)
}

#[export]
pub unsafe fn PyObject_Realloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    unsafe { realloc(p, n) }
}

#[export]
pub unsafe fn PyObject_Free(p: *mut c_void) {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    unsafe { free(p) }
}
