//! gilgate's C API runtime.
//!
//! Folders follow CPython's tree: `abi/` (declarations, like its `Include/`), `objects/` (its
//! `Objects/`), `runtime/` (its `Python/`), `modules/` (its `Modules/`) and `surface/`
//! (generated stubs and the list of every name). A file keeps the stem of its header or CPython
//! file (`include/longobject.h` <-> `objects/longobject.rs`). Three faces are public: `ffi` (the
//! C ABI, flat), `host` (what the loader and the root crate use) and `testing` (for tests).
//! Every symbol CPython 3.14t exports is defined here: hand-written ones carry `#[export]`
//! (`docs/architecture.md`, "Export conventions"), the rest are generated stubs
//! (`surface/stubs.rs`) that raise `SystemError("gilgate: <name> is not implemented")`.
#![allow(non_snake_case, non_camel_case_types, non_upper_case_globals)]
#![deny(unreachable_pub)]
#![allow(clippy::missing_safety_doc, clippy::not_unsafe_ptr_arg_deref)]

/// `#[export]`: the attribute every hand-written export carries (`capi/macros`).
pub(crate) use gilgate_capi_macros::export;

// `#[export]` reads the error values from this table while the crate compiles: a change to it
// must recompile the crate.
const _: &[u8] = include_bytes!("../data/cpython-signatures.tsv");

pub mod ffi;
pub mod host;
#[doc(hidden)]
pub mod testing;

mod abi;
mod modules;
mod objects;
mod runtime;
mod surface;

// The flat paths every file of the crate (and its users) name: `crate::listobject`, ...
// (`listobject` has a line of its own: capi/tests/boundary quotes it.)
#[allow(unused_imports)] // not every alias is used
pub(crate) use abi::pyport;
#[allow(unused_imports)] // not every alias is used
pub(crate) use modules::{
    abc, arraymodule, binascii, bltinmodule, collections, collections_abc, config, copy, copyreg,
    datetime, r#enum, functools, future, heapq, importlib, iomodule, itertoolsmodule, logging,
    mathmodule, numbers, operator, posixmodule, posixpath, stat, string, sysmodule, threading,
    threadmodule, timemodule, types, weakref, zlibmodule,
};
pub(crate) use objects::listobject;
#[allow(unused_imports)] // not every alias is used
pub(crate) use objects::{
    abstract_, boolobject, bytearrayobject, bytes_methods, bytesobject, classobject, codeobject,
    complexobject, descrobject, dictobject, enumobject, exceptions, floatobject, frameobject,
    funcobject, genericaliasobject, genobject, iterobject, longobject, memoryobject, methodobject,
    moduleobject, object, pybuffer, pycapsule, rangeobject, setobject, sliceobject, structseq,
    tupleobject, typeobject, typeslots, unicodectype, unicodeobject, weakrefobject,
};
#[allow(unused_imports)] // not every alias is used
pub(crate) use runtime::{
    ceval, ceval_gil, critical_section, extcall, ffi_guard, formatter_unicode, getargs, import,
    initconfig, legacy_tracing, lock, modsupport, module_lock, objimpl, pyctype, pyerrors,
    pylifecycle, pymem, pystate, pystrtod, pythread, qsbr, refcount, structmember, suggestions,
    sync, traceback, wait_record, warnings,
};
#[allow(unused_imports)] // not every alias is used
pub(crate) use surface::{static_data, stubs};
