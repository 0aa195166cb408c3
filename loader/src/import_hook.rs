//! The loader side of imports: registers, with the runtime, how an `import` of a dotted name
//! loads an extension module (the same path as `gilgate load`: init, create, the lock decision,
//! exec) and how `sys._is_gil_enabled()` learns the lock's state.
//!
//! Imports run on a process-wide import host with the policy of the first [`Loader`] created.
//! An import that finds the host taken (a nested import from an exec slot, or another thread's
//! import) gets its own host with the same policy; when it is done, its modules join the host
//! that was put back meanwhile, or it becomes the host.

use crate::{LoadError, Loader, Policy};
use gilgate_capi::ffi::PyObject;
use std::path::PathBuf;
use std::sync::Mutex;

/// The import host, movable into the static. Its module pointers are process-wide runtime
/// objects with their own (thread-safe) reference counts, not tied to a thread.
struct SharedLoader(Loader);
// SAFETY: see above; the mutex serialises every access to the host's own fields.
unsafe impl Send for SharedLoader {}

static IMPORT_HOST: Mutex<Option<SharedLoader>> = Mutex::new(None);
static POLICY: Mutex<Option<Policy>> = Mutex::new(None);

/// Registers the hooks (first call wins the policy) and the search path as `sys.path`.
pub(crate) fn install(policy: Policy) {
    let mut p = POLICY.lock().unwrap_or_else(|e| e.into_inner());
    if p.is_some() {
        return;
    }
    *p = Some(policy);
    drop(p);
    if crate::init::runtime().is_err() {
        return;
    }
    let configured = match policy {
        Policy::On => Some(true),
        Policy::Off => Some(false),
        _ => None,
    };
    gilgate_capi::host::set_lock_hooks(gilgate_capi::host::lock_enabled, configured);
    gilgate_capi::host::set_path(&crate::search_path(&[]));
    gilgate_capi::host::set_extension_importer(import_extension);
}

/// Called at the start of every [`Loader::load`]: registers the hooks and makes `search` the
/// runtime's `sys.path`.
pub(crate) fn before_load(policy: Policy, search: &[PathBuf]) {
    install(policy);
    if crate::init::runtime().is_ok() {
        gilgate_capi::host::set_path(search);
    }
}

fn import_extension(name: &str, roots: &[PathBuf]) -> Result<Option<*mut PyObject>, ()> {
    let taken = IMPORT_HOST
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .map(|h| h.0);
    let policy = POLICY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .unwrap_or_default();
    let mut host = taken.unwrap_or_else(|| Loader::new(policy));
    let outcome = host
        .load(name, roots)
        .map(|m| m.as_ptr())
        .map_err(|e| e.clone());
    // Another thread's import may have put a host back meanwhile (its own, or one it made while
    // this one was out): keep both hosts' modules, so no module reference is dropped.
    {
        let mut slot = IMPORT_HOST.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_mut() {
            Some(kept) => kept.0.modules.append(&mut host.modules),
            None => *slot = Some(SharedLoader(host)),
        }
    }
    match outcome {
        Ok(m) => {
            // SAFETY: the host keeps its own reference; the importer hands out a new one.
            unsafe { gilgate_capi::host::incref(m) };
            Ok(Some(m))
        }
        Err(LoadError::NotFound(_)) => Ok(None),
        Err(LoadError::Raised(e)) => {
            gilgate_capi::host::set_error(&e.kind, &e.message);
            Err(())
        }
    }
}

/// In an inspection worker: registers the hooks with the search root of the module being
/// inspected (its folder, minus one level per package component of its dotted name, and one
/// more for a package's `__init__`), so that an init importing a sibling extension finds it.
pub(crate) fn for_worker(name: &str, path: &std::path::Path) {
    let roots: Vec<PathBuf> = search_root(name, path).into_iter().collect();
    before_load(Policy::Auto, &roots);
}

/// The folder a worker searches for the modules that module `name` at `path` imports: the
/// folder above its top package (its own folder for a top-level module).
pub(crate) fn search_root(name: &str, path: &std::path::Path) -> Option<PathBuf> {
    let mut root = path.parent().map(std::path::Path::to_path_buf);
    let is_init = path
        .file_name()
        .and_then(|f| crate::names::split_extension_name(&f.to_string_lossy()))
        .is_some_and(|(short, _)| short == crate::names::PACKAGE_INIT && name != short);
    for _ in 0..name.matches('.').count() + usize::from(is_init) {
        root = root.and_then(|r| r.parent().map(std::path::Path::to_path_buf));
    }
    root
}
