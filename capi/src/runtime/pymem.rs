//! `pymem.h`: the raw, mem and object allocator families. All three use mimalloc; none of
//! them needs the size when freeing.

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

#[unsafe(no_mangle)]
pub extern "C" fn PyMem_RawMalloc(n: usize) -> *mut c_void {
    crate::ffi_guard::guard("PyMem_RawMalloc", std::ptr::null_mut(), || malloc(n))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyMem_RawCalloc(c: usize, n: usize) -> *mut c_void {
    crate::ffi_guard::guard("PyMem_RawCalloc", std::ptr::null_mut(), || calloc(c, n))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyMem_RawRealloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    crate::ffi_guard::guard("PyMem_RawRealloc", std::ptr::null_mut(), || unsafe {
        realloc(p, n)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyMem_RawFree(p: *mut c_void) {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    crate::ffi_guard::guard("PyMem_RawFree", (), || unsafe { free(p) })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyMem_Malloc(n: usize) -> *mut c_void {
    crate::ffi_guard::guard("PyMem_Malloc", std::ptr::null_mut(), || malloc(n))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyMem_Calloc(c: usize, n: usize) -> *mut c_void {
    crate::ffi_guard::guard("PyMem_Calloc", std::ptr::null_mut(), || calloc(c, n))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyMem_Realloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    crate::ffi_guard::guard("PyMem_Realloc", std::ptr::null_mut(), || unsafe {
        realloc(p, n)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyMem_Free(p: *mut c_void) {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    crate::ffi_guard::guard("PyMem_Free", (), || unsafe { free(p) })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyObject_Malloc(n: usize) -> *mut c_void {
    crate::ffi_guard::guard("PyObject_Malloc", std::ptr::null_mut(), || malloc(n))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyObject_Calloc(c: usize, n: usize) -> *mut c_void {
    crate::ffi_guard::guard("PyObject_Calloc", std::ptr::null_mut(), || calloc(c, n))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyObject_Realloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    crate::ffi_guard::guard("PyObject_Realloc", std::ptr::null_mut(), || unsafe {
        realloc(p, n)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyObject_Free(p: *mut c_void) {
    // SAFETY: `p` is NULL or from this allocator, per the C API contract.
    crate::ffi_guard::guard("PyObject_Free", (), || unsafe { free(p) })
}
