//! CPython's `Python/tracemalloc.c` C API. gilgate has no `tracemalloc` module, so tracing is
//! never on, and both calls give CPython's documented answer for that state: -2 ("tracemalloc
//! is not tracing"), recording nothing.

use crate::export;
use std::ffi::{c_int, c_uint};

/// The answer of both calls while tracemalloc is not tracing.
const NOT_TRACING: c_int = -2;

#[export(unguarded)]
pub fn PyTraceMalloc_Track(_domain: c_uint, _ptr: usize, _size: usize) -> c_int {
    NOT_TRACING
}

#[export(unguarded)]
pub fn PyTraceMalloc_Untrack(_domain: c_uint, _ptr: usize) -> c_int {
    NOT_TRACING
}
