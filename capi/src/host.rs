//! The Rust-level contract between gilgate-capi and the code that hosts it (gilgate-loader and
//! the `gilgate` crate): everything they call besides the C API itself (which is
//! [`crate::ffi`]). `docs/architecture.md` ("Rust-level contract between capi and loader")
//! says what each item promises. Everything returning `*mut PyObject` follows the C API
//! convention: NULL means an exception is set.

// Start-up, and the version the process presents.
pub use crate::pylifecycle::{initialize, untouched};
pub use crate::sysmodule::{PyVersion, set_lock_hooks, set_path, set_version, version};

// Creating modules: specs, the per-target rules, slot descriptions, the lock verdict.
pub use crate::import::new_module_spec;
pub use crate::moduleobject::{
    PyModuleObject, SetGilCall, SlotInfo, Target, describe_pyslots, describe_slots,
    gil_value_requires_gil, init_module_attrs, module_from_def_and_spec,
    module_from_slots_and_spec, module_requires_gil, set_setgil_observer, setgil_call_count,
    setgil_calls, setgil_thread_count, swap_package_context,
};
/// Files a single-phase module under its def's index (what `PyState_FindModule` reads).
pub use crate::pystate::add_module;

/// The names of gilgate's built-in modules (those it provides itself, found before any file).
pub use crate::modules::config::names as builtin_module_names;

/// Calls a single-phase module's `PyInit_<name>` through the extension-call family
/// (`runtime/extcall.rs`, where issue 9 puts its lock and safe points).
///
/// # Safety
/// `f` must be a module init function of a loaded extension, called as the import system would.
pub unsafe fn module_init(
    f: unsafe extern "C" fn() -> *mut crate::ffi::PyObject,
) -> *mut crate::ffi::PyObject {
    // SAFETY: forwarded contract.
    unsafe { crate::extcall::module_init(f) }
}

// The import system, and what failed in it.
pub use crate::import::{
    failed_import_count, failed_imports, get_module, import_module, set_extension_importer,
    set_module, unprovided_import_count, unprovided_imports,
};

// Threads and the process's lock (`runtime/ceval_gil.rs`).
pub use crate::ceval::safe_point;
pub use crate::ceval_gil::{
    GilConfig, config as lock_config, configure as lock_configure, counter as lock_counter,
    disable as lock_disable, enable_permanent as lock_enable_permanent,
    enable_transient as lock_enable_transient, enabled as lock_enabled, set_switch_interval,
    switch_interval,
};
pub use crate::pystate::thread_state_count;
/// What a thread waits on (`runtime/wait_record.rs`): take a thread's handle on it, read it
/// from another thread.
pub use crate::wait_record::{Wait, WaitHandle, this_thread as this_thread_waits};

/// `--gil module`'s per-module lock (`runtime/module_lock.rs`): `module_lock_activate()` (the
/// policy, once, before any module loads), `module_lock_active()`, `module_code_ranges(addr,
/// roots)` (the executable segments of the object holding `addr` and of the private libraries
/// in `*.libs` folders under `roots`), `module_lock_register(ranges) -> id` /
/// `module_lock_unregister(id)` (an undeclared module's code; dropped when it turns out to
/// declare), `module_lock_held()` (this thread owns it).
pub use crate::module_lock::{
    activate as module_lock_activate, code_ranges as module_code_ranges,
    held_by_me as module_lock_held, is_active as module_lock_active,
    register as module_lock_register, unregister as module_lock_unregister,
};

/// Runs `f` detached (`Py_BEGIN_ALLOW_THREADS` .. `Py_END_ALLOW_THREADS`) when the calling
/// thread is attached: the lock is released meanwhile, and `f` must not touch Python objects.
/// A thread with no attached state just runs `f`.
pub fn allow_threads<R>(f: impl FnOnce() -> R) -> R {
    let ts = crate::ceval::detach();
    let r = f();
    crate::ceval::attach(ts);
    r
}

// The error indicator.
pub use crate::pyerrors::{
    ExcInfo, clear as clear_error, describe as describe_exception, occurred as error_occurred,
    set_error, take_exception, take_raised,
};

// Reference counts and object accounting.
pub use crate::objimpl::live_objects;
pub use crate::refcount::{decref, incref, merge_pending, xdecref};

// Small helpers the loader needs on objects it holds.
pub use crate::dictobject::{get_str as dict_get_str, set_item_str as dict_set_item_str};
pub use crate::sysmodule::new_str_list;
pub use crate::typeobject::with_caller_module;

/// The export surface: every name gilgate defines, and whether it is real or a stub.
pub mod surface {
    pub use crate::surface::{
        Kind, SURFACE, Status, SurfaceCounts, SurfaceEntry, lookup, partial_functions, render_list,
        surface_counts,
    };
}
