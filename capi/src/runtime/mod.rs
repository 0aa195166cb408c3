//! The runtime, after CPython's `Python/`: the error indicator, thread states, locks and critical
//! sections, reference counting and object allocation, argument parsing and value building,
//! import, lifecycle, warnings and the guard every export runs in.

pub mod ceval;
pub mod critical_section;
pub mod extcall;
pub mod ffi_guard;
pub mod getargs;
pub mod import;
pub mod initconfig;
pub mod lock;
pub mod modsupport;
pub mod objimpl;
pub mod pyctype;
pub mod pyerrors;
pub mod pylifecycle;
pub mod pymem;
pub mod pystate;
pub mod pystrtod;
pub mod pythread;
pub mod refcount;
pub mod structmember;
pub mod warnings;
