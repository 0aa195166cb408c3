//! gilgate's C API runtime.
//!
//! One Rust module per C header, with the same stem (`include/object.h` <-> `object.rs`,
//! `include/cpython/...` <-> `cpython/...`). Every symbol CPython 3.14t exports is defined
//! here: hand-written ones carry `#[unsafe(no_mangle)]`, the rest are generated stubs
//! (`stubs.rs`) that raise `SystemError("gilgate: <name> is not implemented")`.
#![allow(non_snake_case, non_camel_case_types, non_upper_case_globals)]
#![allow(clippy::missing_safety_doc, clippy::not_unsafe_ptr_arg_deref)]

#[path = "abstract.rs"]
pub mod abstract_;
pub mod binascii;
pub mod bltinmodule;
pub mod boolobject;
pub mod bytearrayobject;
pub mod bytesobject;
pub mod ceval;
pub mod complexobject;
pub mod critical_section;
pub mod datetime;
pub mod descrobject;
pub mod dictobject;
pub mod ffi_guard;
pub mod floatobject;
pub mod funcobject;
pub mod import;
pub mod initconfig;
pub mod iterobject;
pub mod listobject;
pub mod lock;
pub mod longobject;
pub mod memoryobject;
pub mod methodobject;
pub mod modsupport;
pub mod moduleobject;
pub mod object;
pub mod objimpl;
pub mod pybuffer;
pub mod pycapsule;
pub mod pyerrors;
pub mod pylifecycle;
pub mod pymem;
pub mod pyport;
pub mod pystate;
pub mod pystrtod;
pub mod pythread;
pub mod rangeobject;
pub mod refcount;
pub mod setobject;
pub mod sliceobject;
pub mod structmember;
pub mod structseq;
pub mod sysmodule;
pub mod tupleobject;
pub mod typeobject;
pub mod typeslots;
pub mod unicodeobject;
pub mod warnings;
pub mod weakrefobject;
// --- export surface: generated stubs and data tables (see build.rs) ---
pub mod pyctype;
pub mod static_data;
pub mod stubs;
pub mod surface;
