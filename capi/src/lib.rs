//! gilgate's C API runtime.
//!
//! Folders follow CPython's tree: `abi/` (declarations, like its `Include/`), `objects/` (its `Objects/`), `runtime/` (its `Python/`),
//! `modules/` (its `Modules/`) and `surface/` (generated stubs and the list of every name).
//! A file keeps the stem of its header or CPython file (`include/longobject.h` <->
//! `objects/longobject.rs`). Every symbol CPython 3.14t exports is defined here: hand-written
//! ones carry `#[export]` (`docs/architecture.md`, "Export conventions"), the rest are generated stubs (`surface/stubs.rs`) that
//! raise `SystemError("gilgate: <name> is not implemented")`.
#![allow(non_snake_case, non_camel_case_types, non_upper_case_globals)]
#![allow(clippy::missing_safety_doc, clippy::not_unsafe_ptr_arg_deref)]

/// `#[export]`: the attribute every hand-written export carries (`capi/macros`).
pub(crate) use gilgate_capi_macros::export;

// `#[export]` reads the error values from this table while the crate compiles: a change to it
// must recompile the crate.
const _: &[u8] = include_bytes!("../data/cpython-signatures.tsv");

pub mod abi;
pub mod modules;
pub mod objects;
pub mod runtime;
pub mod surface;

// The flat paths every file of the crate (and its users) name: `crate::listobject`, ...
pub use abi::pyport;
pub use modules::{binascii, bltinmodule, config, datetime, iomodule, sysmodule, timemodule};
pub use objects::{
    abstract_, boolobject, bytearrayobject, bytesobject, complexobject, descrobject, dictobject,
    exceptions, floatobject, funcobject, iterobject, listobject, longobject, memoryobject,
    methodobject, moduleobject, object, pybuffer, pycapsule, rangeobject, setobject, sliceobject,
    structseq, tupleobject, typeobject, typeslots, unicodeobject, weakrefobject,
};
pub use runtime::{
    ceval, critical_section, extcall, ffi_guard, getargs, import, initconfig, lock, modsupport,
    objimpl, pyctype, pyerrors, pylifecycle, pymem, pystate, pystrtod, pythread, refcount,
    structmember, warnings,
};
pub use surface::{static_data, stubs};
