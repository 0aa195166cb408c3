//! The runtime, after CPython's `Python/`: the error indicator, thread states, locks and critical
//! sections, reference counting and object allocation, argument parsing and value building,
//! import, lifecycle, warnings and the guard every export runs in.

pub(crate) mod ceval;
pub(crate) mod ceval_gil;
pub(crate) mod context;
pub(crate) mod critical_section;
pub(crate) mod extcall;
pub(crate) mod ffi_guard;
pub(crate) mod formatter_unicode;
pub(crate) mod gc_free_threading;
pub(crate) mod getargs;
pub(crate) mod import;
pub(crate) mod initconfig;
pub(crate) mod legacy_tracing;
pub(crate) mod lock;
pub(crate) mod modsupport;
pub(crate) mod module_lock;
pub(crate) mod objimpl;
pub(crate) mod pyctype;
pub(crate) mod pyerrors;
pub(crate) mod pyhash;
pub(crate) mod pylifecycle;
pub(crate) mod pymath;
pub(crate) mod pymem;
pub(crate) mod pystate;
pub(crate) mod pystrtod;
pub(crate) mod pythread;
pub(crate) mod qsbr;
pub(crate) mod refcount;
pub(crate) mod structmember;
pub(crate) mod suggestions;
pub(crate) mod sync;
pub(crate) mod traceback;
pub(crate) mod tracemalloc;
pub(crate) mod wait_record;
pub(crate) mod warnings;
