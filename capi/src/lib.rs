//! gilgate's C API runtime.
//!
//! One Rust module per C header, with the same stem (`include/object.h` <-> `object.rs`,
//! `include/cpython/...` <-> `cpython/...`). Every symbol CPython 3.14t exports is defined
//! here: hand-written ones carry `#[unsafe(no_mangle)]`, the rest are generated stubs
//! (`stubs.rs`) that raise `SystemError("gilgate: <name> is not implemented")`.
#![allow(non_snake_case, non_camel_case_types, non_upper_case_globals)]

pub mod descrobject;
pub mod ffi_guard;
pub mod import;
pub mod methodobject;
pub mod moduleobject;
pub mod object;
pub mod pyerrors;
pub mod pylifecycle;
pub mod pyport;
// --- export surface: generated stubs and data tables (see build.rs) ---
pub mod pyctype;
pub mod static_data;
pub mod stubs;
pub mod surface;
