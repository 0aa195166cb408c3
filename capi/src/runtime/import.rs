//! `import.h`: module specs and imports.

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::refcount::decref;
use crate::unicodeobject as uni;
use std::ptr::null_mut;

/// The instance layout of gilgate's `ModuleSpec`: a header and an attribute dict.
#[repr(C)]
pub(crate) struct SpecObject {
    pub ob_base: PyObject,
    pub dict: *mut PyObject,
}

/// `ModuleSpec` (importlib's class, here a static type whose attributes live in the dict).
pub(crate) static mut ModuleSpec_Type: PyTypeObject = PyTypeObject {
    tp_dictoffset: std::mem::offset_of!(SpecObject, dict) as isize,
    tp_dealloc: Some(spec_dealloc),
    tp_repr: Some(spec_repr),
    ..static_type(c"ModuleSpec", std::mem::size_of::<SpecObject>(), 0, 0)
};

unsafe extern "C" fn spec_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead spec (slot contract).
    unsafe {
        crate::refcount::xdecref((*op.cast::<SpecObject>()).dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn spec_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live spec (slot contract).
    unsafe {
        let d = (*op.cast::<SpecObject>()).dict;
        let get = |k: &str| crate::object::repr_string(crate::dictobject::get_str(d, k));
        uni::from_str(&format!(
            "ModuleSpec(name={}, loader={}, origin={})",
            get("name"),
            get("loader"),
            get("origin")
        ))
    }
}

/// A new module spec object (what importlib's `ModuleSpec` gives a create slot): `name`,
/// `loader` (None), `origin`, `parent` (the package part of `name`, `''` for top level),
/// `submodule_search_locations` (None), `has_location`. Returns a new reference.
pub fn new_module_spec(name: &str, origin: Option<&str>) -> *mut PyObject {
    // SAFETY: ModuleSpec_Type is a ready static type.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut ModuleSpec_Type, 0) };
    if op.is_null() {
        return op;
    }
    let d = crate::dictobject::new_dict();
    if d.is_null() {
        // SAFETY: our reference.
        unsafe { decref(op) };
        return null_mut();
    }
    // SAFETY: fresh spec; `d` is handed to it.
    unsafe { (*op.cast::<SpecObject>()).dict = d };
    let parent = name.rfind('.').map_or("", |i| &name[..i]);
    let none = crate::object::none();
    let vals: [(&str, *mut PyObject); 8] = [
        ("name", uni::from_str(name)),
        ("loader", none),
        ("origin", origin.map_or(none, uni::from_str)),
        ("parent", uni::from_str(parent)),
        ("submodule_search_locations", none),
        ("loader_state", none),
        ("cached", none),
        (
            "has_location",
            crate::boolobject::from_bool(origin.is_some()),
        ),
    ];
    let mut ok = true;
    for (k, v) in vals {
        // SAFETY: `d` is live; `v` is NULL (allocation failure) or a reference we own.
        unsafe {
            if v.is_null() || crate::dictobject::set_item_str(d, k, v) < 0 {
                ok = false;
            }
            crate::refcount::xdecref(v);
        }
    }
    if !ok {
        // SAFETY: our reference.
        unsafe { decref(op) };
        return null_mut();
    }
    op
}

// ---------------------------------------------------------------------------------------------
// The import system: `sys.modules`, gilgate's built-in modules, package folders, extension
// modules through the loader's hook, and a clear error for Python source.

use crate::pyerrors::{EXC_ImportError, EXC_ModuleNotFoundError};
use std::ffi::{CStr, c_char, c_int};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

/// The loader's extension-module importer: finds `full_name`'s extension file under the
/// search roots (`a.b.c` -> `<root>/a/b/c<suffix>`) and loads it as `gilgate load` would.
/// `Ok(Some(m))`: a new reference to the module; `Ok(None)`: no extension file; `Err(())`:
/// the load failed with the exception set.
pub(crate) type ExtensionImporter = fn(&str, &[PathBuf]) -> Result<Option<*mut PyObject>, ()>;

static EXTENSION_IMPORTER: RwLock<Option<ExtensionImporter>> = RwLock::new(None);

/// Registers the loader's extension importer (capi never names the loader).
pub fn set_extension_importer(f: ExtensionImporter) {
    *EXTENSION_IMPORTER
        .write()
        .unwrap_or_else(|e| e.into_inner()) = Some(f);
}

/// The note every "Python source" import error carries.
pub(crate) const NO_SOURCE_NOTE: &str =
    "gilgate runs compiled extension modules only; it does not execute Python source";

/// The init function of a module added with `PyImport_AppendInittab`.
pub type InitFunc = unsafe extern "C" fn() -> *mut PyObject;

static INITTAB: Mutex<Vec<(String, InitFunc)>> = Mutex::new(Vec::new());

/// `sys.modules` (borrowed; lives for the process).
pub(crate) fn modules_dict() -> *mut PyObject {
    crate::sysmodule::get("modules")
}

/// `sys.modules[name]` as a new reference, or NULL without an exception.
pub fn get_module(name: &str) -> *mut PyObject {
    let d = modules_dict();
    if d.is_null() {
        return null_mut();
    }
    // SAFETY: `d` is the live sys.modules dict; the reference is taken under its section.
    unsafe { crate::dictobject::get_str_ref(d, name) }
}

/// Stores `sys.modules[name] = m`.
pub fn set_module(name: &str, m: *mut PyObject) -> c_int {
    let d = modules_dict();
    if d.is_null() {
        crate::pyerrors::set_system_error("gilgate: sys.modules is not available");
        return -1;
    }
    // SAFETY: live dict and value.
    unsafe { crate::dictobject::set_item_str(d, name, m) }
}

/// Whether `m` is a package (has a `__path__` attribute).
pub fn is_package(m: *mut PyObject) -> bool {
    let key = uni::intern("__path__");
    let mut out = null_mut();
    // SAFETY: `m` and `key` are live.
    let rc = unsafe { crate::object::getattr_opt(m, key, &mut out) };
    // SAFETY: our reference (or NULL).
    unsafe { crate::refcount::xdecref(out) };
    crate::pyerrors::clear_if(rc < 0);
    rc > 0
}

/// The module gilgate provides itself under `name` (the built-in module table,
/// `modules/config.rs`), created on first use (new reference).
fn builtin_module(name: &str) -> Option<*mut PyObject> {
    let m = (crate::modules::config::find(name)?.module)();
    // SAFETY: a borrowed process-lifetime module (or NULL with an exception).
    unsafe { crate::refcount::xincref(m) };
    Some(m)
}

/// Whether `name` is one of gilgate's own modules or an `AppendInittab` entry.
#[cfg(test)]
pub(crate) fn is_builtin_name(name: &str) -> bool {
    crate::modules::config::find(name).is_some()
        || INITTAB
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|(n, _)| n == name)
}

/// Runs an `AppendInittab` init function (single- or multi-phase) for `name`.
fn run_inittab(name: &str, f: InitFunc) -> *mut PyObject {
    // SAFETY: the embedder registered `f` as a module init function.
    let r = unsafe { crate::extcall::module_init(f) };
    if r.is_null() {
        if !crate::pyerrors::occurred() {
            crate::pyerrors::set_system_error(&format!(
                "initialization of {name} failed without raising an exception"
            ));
        }
        return r;
    }
    // SAFETY: `r` is a live object returned by the init function.
    unsafe {
        if crate::object::type_check(r, &raw mut crate::moduleobject::PyModuleDef_Type) {
            let def = r.cast::<crate::moduleobject::PyModuleDef>();
            let spec = new_module_spec(name, None);
            if spec.is_null() {
                return spec;
            }
            let m = crate::moduleobject::module_from_def_and_spec(
                def,
                spec,
                1013,
                crate::moduleobject::Target::Cp314t,
            );
            decref(spec);
            if m.is_null() {
                return m;
            }
            if crate::moduleobject::is_module(m) && crate::moduleobject::exec_def(m, def) < 0 {
                decref(m);
                return null_mut();
            }
            return m;
        }
    }
    r
}

/// The search roots: `sys.path`'s str entries.
pub fn search_roots() -> Vec<PathBuf> {
    crate::sysmodule::path_entries()
}

/// Names of failed imports, in order, kept for the loader to read after an init fails.
struct ImportLog(Mutex<Vec<String>>);

impl ImportLog {
    const fn new() -> ImportLog {
        ImportLog(Mutex::new(Vec::new()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, name: &str) {
        self.lock().push(name.to_string());
    }

    /// The names logged, the first `from` skipped.
    fn since(&self, from: usize) -> Vec<String> {
        self.lock().iter().skip(from).cloned().collect()
    }

    fn len(&self) -> usize {
        self.lock().len()
    }
}

static UNPROVIDED: ImportLog = ImportLog::new();

/// The names of the modules whose import failed because gilgate could not provide them (no
/// extension module: Python source or nothing), in order; the first `from` are skipped. The
/// loader reads them after an init fails: an init may print and replace the import error
/// (numpy's `import_array()` raises "numpy._core.multiarray failed to import").
pub fn unprovided_imports(from: usize) -> Vec<String> {
    UNPROVIDED.since(from)
}

/// How many imports failed so far because gilgate could not provide the module.
pub fn unprovided_import_count() -> usize {
    UNPROVIDED.len()
}

/// Raises the error for a name that has no extension module: `ImportError` naming the source
/// file when one exists, else `ModuleNotFoundError`; both say gilgate runs no Python source.
fn raise_no_module(name: &str, roots: &[PathBuf]) {
    tracing::debug!(target: "gilgate::import", "not provided: {name}");
    UNPROVIDED.push(name);
    let rel: PathBuf = name.split('.').collect();
    for root in roots {
        let base = root.join(&rel);
        let mut py = base.clone().into_os_string();
        py.push(".py");
        let py = PathBuf::from(py);
        if py.is_file() {
            raise_import(
                &raw mut EXC_ImportError,
                &format!(
                    "cannot import Python module '{name}' from {} ({NO_SOURCE_NOTE})",
                    py.display()
                ),
                name,
                Some(&py),
            );
            return;
        }
    }
    raise_import(
        &raw mut EXC_ModuleNotFoundError,
        &format!("No module named '{name}' ({NO_SOURCE_NOTE})"),
        name,
        None,
    );
}

/// Where package `attr` of a package whose search folders are `path` (its `__path__` list)
/// has Python source: the submodule's file (`attr.py`, `attr/__init__.py`), else the package's
/// own non-empty `__init__.py` (which would have set the attribute). None when neither exists.
///
/// # Safety
/// `path` must be NULL or a live object.
unsafe fn python_source_for(path: *mut PyObject, attr: &str) -> Option<(bool, PathBuf)> {
    // SAFETY: forwarded contract; the snapshot holds new references, released below.
    let dirs: Vec<PathBuf> = unsafe {
        if path.is_null() || !crate::listobject::is_list(path) {
            return None;
        }
        let items = crate::listobject::snapshot(path);
        let dirs = items
            .iter()
            .filter_map(|&d| uni::as_str(d).map(PathBuf::from))
            .collect();
        items.into_iter().for_each(|d| decref(d));
        dirs
    };
    if !attr.contains(['/', '.', '\0']) {
        for dir in &dirs {
            let file = dir.join(format!("{attr}.py"));
            let init = dir.join(attr).join("__init__.py");
            if let Some(f) = [file, init].into_iter().find(|f| f.is_file()) {
                return Some((true, f));
            }
        }
    }
    dirs.iter()
        .map(|d| d.join("__init__.py"))
        .find(|f| std::fs::metadata(f).is_ok_and(|m| m.is_file() && m.len() > 0))
        .map(|f| (false, f))
}

/// For `module 'pkg' has no attribute 'attr'` on a package: why, when Python source would
/// have provided it (CPython's package `__init__.py` imports the submodule or sets the
/// attribute; gilgate runs neither). The note to append to the message, None otherwise.
///
/// # Safety
/// `dict` must be a live module dict.
pub(crate) unsafe fn missing_submodule_note(
    dict: *mut PyObject,
    pkg: &str,
    attr: &str,
) -> Option<String> {
    // SAFETY: forwarded contract; `__path__` is borrowed from the dict for this call.
    let (sub, file) =
        unsafe { python_source_for(crate::dictobject::get_str(dict, "__path__"), attr) }?;
    Some(if sub {
        format!(
            " (its __init__.py did not run, and gilgate cannot import Python module '{pkg}.{attr}' from {}: {NO_SOURCE_NOTE})",
            file.display()
        )
    } else {
        format!(
            " (its __init__.py did not run: gilgate cannot run Python module '{pkg}' from {}: {NO_SOURCE_NOTE})",
            file.display()
        )
    })
}

/// Whether the current exception is a `ModuleNotFoundError` for exactly `name` (CPython's test
/// for an absent submodule, as opposed to one whose own import failed).
pub(crate) fn current_is_not_found(name: &str) -> bool {
    if !crate::pyerrors::matches_current(&raw mut EXC_ModuleNotFoundError) {
        return false;
    }
    // SAFETY: the current exception is a live ModuleNotFoundError (an ImportError layout).
    unsafe {
        let e = crate::pyerrors::current().cast::<crate::exceptions::PyImportErrorObject>();
        !(*e).name.is_null() && uni::as_str((*e).name).is_some_and(|n| n == name)
    }
}

pub(crate) fn raise_import(t: *mut PyTypeObject, msg: &str, name: &str, path: Option<&Path>) {
    let m = uni::from_str(msg);
    let n = uni::from_str(name);
    let p = path.map_or(null_mut(), |p| uni::from_str(&p.to_string_lossy()));
    // SAFETY: our own fresh references; `t` is ImportError or a subclass.
    unsafe {
        crate::pyerrors::set_import_error(t.cast(), m, n, p);
        crate::refcount::xdecref(m);
        crate::refcount::xdecref(n);
        crate::refcount::xdecref(p);
    }
}

/// A plain package module for the folders `dirs` (`__path__` set, nothing executed).
fn package_module(name: &str, dirs: &[PathBuf]) -> *mut PyObject {
    let n = uni::from_str(name);
    if n.is_null() {
        return n;
    }
    // SAFETY: `n` is a live str.
    let m = unsafe { crate::moduleobject::new_module(n) };
    // SAFETY: our reference.
    unsafe { decref(n) };
    if m.is_null() {
        return m;
    }
    let strs: Vec<String> = dirs
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    let path = crate::sysmodule::new_str_list(&strs);
    let spec = new_module_spec(name, None);
    let pkg = uni::from_str(name);
    // SAFETY: `m` is a fresh module with a dict; the values are our references or NULL.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let mut ok = !path.is_null() && !spec.is_null() && !pkg.is_null();
        if ok {
            let sd = (*spec.cast::<SpecObject>()).dict;
            ok = crate::dictobject::set_item_str(sd, "submodule_search_locations", path) == 0
                && crate::dictobject::set_item_str(d, "__path__", path) == 0
                && crate::dictobject::set_item_str(d, "__package__", pkg) == 0
                && crate::dictobject::set_item_str(d, "__spec__", spec) == 0;
        }
        crate::refcount::xdecref(path);
        crate::refcount::xdecref(spec);
        crate::refcount::xdecref(pkg);
        if !ok {
            decref(m);
            return null_mut();
        }
    }
    m
}

/// Finds and creates the module `name` whose parent (if any) is already imported.
fn find_and_load(name: &str) -> *mut PyObject {
    if let Some(m) = builtin_module(name) {
        return m;
    }
    let entry = INITTAB
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(n, _)| n == name)
        .map(|&(_, f)| f);
    if let Some(f) = entry {
        return run_inittab(name, f);
    }
    let roots = search_roots();
    let rel: PathBuf = name.split('.').collect();
    let importer = *EXTENSION_IMPORTER.read().unwrap_or_else(|e| e.into_inner());
    // A regular package (a folder with `__init__.py`) comes before an extension module.
    let folders: Vec<PathBuf> = roots
        .iter()
        .map(|r| r.join(&rel))
        .filter(|p| p.is_dir())
        .collect();
    if let Some(f) = folders.iter().find(|f| f.join("__init__.py").is_file()) {
        return package_module(name, std::slice::from_ref(f));
    }
    if let Some(imp) = importer {
        match imp(name, &roots) {
            Ok(Some(m)) => return m,
            Ok(None) => {}
            Err(()) => {
                if !crate::pyerrors::occurred() {
                    crate::pyerrors::set_system_error(&format!(
                        "gilgate: loading extension module {name} failed without an exception"
                    ));
                }
                return null_mut();
            }
        }
    }
    if !folders.is_empty() {
        // Namespace package: every folder of that name on the path.
        return package_module(name, &folders);
    }
    raise_no_module(name, &roots);
    null_mut()
}

/// `import name` (absolute, dotted names import their parents first). Returns a new
/// reference to the module `name` itself.
pub fn import_module(name: &str) -> *mut PyObject {
    let m = import_module_uncounted(name);
    if m.is_null() {
        FAILED.push(name);
    }
    m
}

static FAILED: ImportLog = ImportLog::new();

/// The names whose import failed so far, in order (a package before its submodule), the
/// first `from` skipped. The loader reads them after an init fails: the init may have printed
/// and replaced the import's error.
pub fn failed_imports(from: usize) -> Vec<String> {
    FAILED.since(from)
}

/// How many imports failed so far.
pub fn failed_import_count() -> usize {
    FAILED.len()
}

fn import_module_uncounted(name: &str) -> *mut PyObject {
    if name.is_empty() {
        crate::pyerrors::raise(
            &raw mut crate::pyerrors::EXC_ValueError,
            "Empty module name",
        );
        return null_mut();
    }
    let m = get_module(name);
    if !m.is_null() {
        return m;
    }
    let mut parent_obj = null_mut();
    if let Some(i) = name.rfind('.') {
        let parent = &name[..i];
        parent_obj = import_module(parent);
        if parent_obj.is_null() {
            return null_mut();
        }
        // The parent's own initialisation may have imported us.
        let m = get_module(name);
        if !m.is_null() {
            // SAFETY: our reference.
            unsafe { decref(parent_obj) };
            return m;
        }
        // A built-in submodule of a plain module (`os.path`) is found in the module table,
        // as CPython finds it in `sys.modules` after `os` stored it there.
        if !is_package(parent_obj) && crate::modules::config::find(name).is_none() {
            // SAFETY: our reference.
            unsafe { decref(parent_obj) };
            raise_import(
                &raw mut EXC_ModuleNotFoundError,
                &format!("No module named '{name}'; '{parent}' is not a package"),
                name,
                None,
            );
            return null_mut();
        }
    }
    // One import of `name` at a time (CPython's per-module import lock): a second thread waits,
    // detached, and then finds the first one's module in sys.modules.
    let _importing = lock_name(name);
    let m = get_module(name);
    if !m.is_null() {
        // SAFETY: our reference.
        unsafe { crate::refcount::xdecref(parent_obj) };
        return m;
    }
    let m = find_and_load(name);
    if !m.is_null() {
        // A module may have stored itself (single-phase fix-up); keep the stored one.
        let stored = get_module(name);
        let m = if stored.is_null() {
            if set_module(name, m) < 0 {
                // SAFETY: our references.
                unsafe {
                    decref(m);
                    crate::refcount::xdecref(parent_obj);
                }
                return null_mut();
            }
            m
        } else {
            // SAFETY: our reference; the stored one replaces it.
            unsafe { decref(m) };
            stored
        };
        if !parent_obj.is_null() {
            let leaf = &name[name.rfind('.').map_or(0, |i| i + 1)..];
            let k = uni::from_str(leaf);
            // SAFETY: live parent, key and value.
            unsafe {
                if !k.is_null() && crate::object::setattr(parent_obj, k, m) < 0 {
                    crate::pyerrors::clear();
                }
                crate::refcount::xdecref(k);
            }
        }
        // SAFETY: our reference.
        unsafe { crate::refcount::xdecref(parent_obj) };
        return m;
    }
    // SAFETY: our reference.
    unsafe { crate::refcount::xdecref(parent_obj) };
    null_mut()
}

/// The names being imported now, each with the importing thread's token.
static IMPORTING: std::sync::Mutex<Vec<(String, usize)>> = std::sync::Mutex::new(Vec::new());
static IMPORTED: std::sync::Condvar = std::sync::Condvar::new();

thread_local! {
    /// A token for this thread (the address of this thread-local, unique among live threads).
    static TOKEN: u8 = const { 0 };
}

/// Removes its name from [`IMPORTING`] when dropped and wakes the waiters.
struct NameLock(String);

impl Drop for NameLock {
    fn drop(&mut self) {
        let mut g = IMPORTING.lock().unwrap_or_else(|e| e.into_inner());
        g.retain(|(n, _)| *n != self.0);
        drop(g);
        IMPORTED.notify_all();
    }
}

/// Takes the import lock of `name`: at once when nobody imports it, after the importing thread
/// finished otherwise (waiting detached, so that thread can run). None when this thread is
/// already importing it (an init importing its own name goes on, as CPython's re-entrant
/// module lock lets it). Two threads whose inits import each other's names wait for each other
/// (CPython raises its deadlock error there; gilgate does not detect it).
fn lock_name(name: &str) -> Option<NameLock> {
    let me = TOKEN.with(|t| t as *const u8 as usize);
    let mut ts = null_mut();
    let mut detached = false;
    let mut g = IMPORTING.lock().unwrap_or_else(|e| e.into_inner());
    let out = loop {
        match g.iter().find(|(n, _)| n == name) {
            None => {
                g.push((name.to_string(), me));
                break Some(NameLock(name.to_string()));
            }
            Some(&(_, owner)) if owner == me => break None,
            Some(_) if !detached => {
                drop(g);
                ts = crate::ceval::detach();
                detached = true;
                g = IMPORTING.lock().unwrap_or_else(|e| e.into_inner());
            }
            Some(_) => g = IMPORTED.wait(g).unwrap_or_else(|e| e.into_inner()),
        }
    };
    drop(g);
    if detached {
        crate::ceval::attach(ts);
    }
    out
}

/// Resolves a relative import (`level > 0`) against `globals`' `__package__` (or
/// `__name__`, minus its last part when the module is not a package).
///
/// # Safety
/// `globals` NULL or a live dict.
unsafe fn resolve_name(name: &str, globals: *mut PyObject, level: c_int) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe {
        let no_parent = || {
            crate::pyerrors::raise(
                &raw mut EXC_ImportError,
                "attempted relative import with no known parent package",
            );
            None
        };
        if globals.is_null() || !crate::dictobject::is_dict(globals) {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_KeyError,
                "'__name__' not in globals",
            );
            return None;
        }
        let pkg = crate::dictobject::get_str(globals, "__package__");
        let mut base = if !pkg.is_null() && uni::is_str(pkg) {
            uni::as_str(pkg).unwrap_or("").to_string()
        } else {
            let n = crate::dictobject::get_str(globals, "__name__");
            if n.is_null() || !uni::is_str(n) {
                return no_parent();
            }
            let n = uni::as_str(n).unwrap_or("").to_string();
            if crate::dictobject::get_str(globals, "__path__").is_null() {
                n.rfind('.').map_or(String::new(), |i| n[..i].to_string())
            } else {
                n
            }
        };
        if base.is_empty() {
            return no_parent();
        }
        for _ in 1..level {
            match base.rfind('.') {
                Some(i) => base.truncate(i),
                None => {
                    crate::pyerrors::raise(
                        &raw mut EXC_ImportError,
                        "attempted relative import beyond top-level package",
                    );
                    return None;
                }
            }
        }
        Some(if name.is_empty() {
            base
        } else {
            format!("{base}.{name}")
        })
    }
}

/// CPython's `_handle_fromlist`: for a package (it has `__path__`), each from-list name that
/// is not an attribute is imported as a submodule (`from pkg import sub`); a submodule that
/// does not exist is left to the caller's `cannot import name`, any other error is raised.
/// gilgate's addition: a name that is neither, in a package whose non-empty `__init__.py`
/// did not run (it would have set the name), raises `ImportError: cannot import name 'x' from
/// 'pkg' (its __init__.py did not run: ... cannot run Python module 'pkg' from FILE ...)`.
///
/// # Safety
/// `m` and `fromlist` must be live.
unsafe fn handle_fromlist(m: *mut PyObject, full: &str, fromlist: *mut PyObject) -> Result<(), ()> {
    // SAFETY: forwarded contract; every reference taken here is released here.
    unsafe {
        let path = crate::object::getattr(m, uni::intern("__path__"));
        if path.is_null() {
            crate::pyerrors::PyErr_Clear();
            return Ok(());
        }
        let names = crate::abstract_::PySequence_Tuple(fromlist);
        if names.is_null() {
            decref(path);
            return Err(());
        }
        let mut r = Ok(());
        for &x in crate::tupleobject::items(names) {
            let Some(attr) = uni::as_str(x) else { continue };
            if attr == "*" || crate::object::PyObject_HasAttrWithError(m, x) != 0 {
                continue;
            }
            let sub = format!("{full}.{attr}");
            let sm = import_module(&sub);
            if !sm.is_null() {
                decref(sm);
                continue;
            }
            if crate::pyerrors::PyErr_ExceptionMatches((&raw mut EXC_ModuleNotFoundError).cast())
                != 0
            {
                let e = crate::pyerrors::PyErr_GetRaisedException();
                let n = crate::object::getattr(e, uni::intern("name"));
                let missing = !n.is_null() && uni::as_str(n) == Some(sub.as_str());
                if n.is_null() {
                    crate::pyerrors::PyErr_Clear();
                } else {
                    decref(n);
                }
                if missing {
                    decref(e);
                    // No submodule: CPython's caller would find the name set by the package's
                    // `__init__.py`; when that is Python source gilgate did not run, say so
                    // here rather than leave the caller's bare `cannot import name`.
                    if let Some((false, file)) = python_source_for(path, attr) {
                        UNPROVIDED.push(full);
                        raise_import(
                            &raw mut EXC_ImportError,
                            &format!(
                                "cannot import name '{attr}' from '{full}' (its __init__.py did not run: gilgate cannot run Python module '{full}' from {}: {NO_SOURCE_NOTE})",
                                file.display()
                            ),
                            full,
                            Some(&file),
                        );
                        r = Err(());
                        break;
                    }
                    continue;
                }
                crate::pyerrors::PyErr_SetRaisedException(e);
            }
            r = Err(());
            break;
        }
        decref(names);
        decref(path);
        r
    }
}

/// `PyImport_ImportModuleLevelObject` in Rust terms.
///
/// # Safety
/// `globals` and `fromlist` NULL or live.
pub(crate) unsafe fn import_level(
    name: &str,
    globals: *mut PyObject,
    fromlist: *mut PyObject,
    level: c_int,
) -> *mut PyObject {
    if level < 0 {
        crate::pyerrors::raise(
            &raw mut crate::pyerrors::EXC_ValueError,
            "level must be >= 0",
        );
        return null_mut();
    }
    let full = if level > 0 {
        // SAFETY: forwarded contract.
        match unsafe { resolve_name(name, globals, level) } {
            Some(f) => f,
            None => return null_mut(),
        }
    } else {
        name.to_string()
    };
    let m = import_module(&full);
    if m.is_null() {
        return m;
    }
    // SAFETY: `fromlist` NULL or live.
    let has_fromlist = !fromlist.is_null() && unsafe { crate::object::truth(fromlist) } > 0;
    // SAFETY: `m` is our live module, `fromlist` live when given.
    if has_fromlist && unsafe { handle_fromlist(m, &full, fromlist) }.is_err() {
        // SAFETY: our reference.
        unsafe { decref(m) };
        return null_mut();
    }
    if has_fromlist || level > 0 && name.is_empty() || !name.contains('.') {
        return m;
    }
    // `import a.b.c` without a from-list gives the top package `a` (of the name as written).
    // SAFETY: our reference; the top package is in sys.modules.
    unsafe { decref(m) };
    let first_len = name.find('.').unwrap_or(name.len());
    let top_len = full.len() - (name.len() - first_len);
    get_module(&full[..top_len])
}

/// A `const char *` C API name as a Rust string (NULL: `bad_internal_call`).
///
/// # Safety
/// `s` NULL or NUL-terminated.
unsafe fn c_name(s: *const c_char) -> Option<String> {
    if s.is_null() {
        crate::pyerrors::bad_internal_call();
        return None;
    }
    // SAFETY: NUL-terminated (caller).
    Some(unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned())
}

/// A str object's text (non-str: TypeError).
///
/// # Safety
/// `o` NULL or live.
unsafe fn str_name(o: *mut PyObject) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() {
            crate::pyerrors::bad_internal_call();
            return None;
        }
        if !uni::is_str(o) {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!(
                    "module name must be str, not {}",
                    crate::object::type_name(crate::object::ty(o))
                ),
            );
            return None;
        }
        uni::as_str(o).map(str::to_string)
    }
}

#[export]
pub unsafe fn PyImport_ImportModule(name: *const c_char) -> *mut PyObject {
    // SAFETY: C API contract.
    match unsafe { c_name(name) } {
        Some(n) => import_module(&n),
        None => null_mut(),
    }
}

#[export]
pub unsafe fn PyImport_ImportModuleNoBlock(name: *const c_char) -> *mut PyObject {
    // SAFETY: C API contract.
    match unsafe { c_name(name) } {
        Some(n) => import_module(&n),
        None => null_mut(),
    }
}

#[export]
pub unsafe fn PyImport_Import(name: *mut PyObject) -> *mut PyObject {
    // SAFETY: C API contract.
    match unsafe { str_name(name) } {
        Some(n) => import_module(&n),
        None => null_mut(),
    }
}

#[export]
pub unsafe fn PyImport_ImportModuleLevelObject(
    name: *mut PyObject,
    globals: *mut PyObject,
    locals: *mut PyObject,
    fromlist: *mut PyObject,
    level: c_int,
) -> *mut PyObject {
    let _ = locals;
    // SAFETY: C API contract.
    unsafe {
        match str_name(name) {
            Some(n) => import_level(&n, globals, fromlist, level),
            None => null_mut(),
        }
    }
}

#[export]
pub unsafe fn PyImport_ImportModuleLevel(
    name: *const c_char,
    globals: *mut PyObject,
    locals: *mut PyObject,
    fromlist: *mut PyObject,
    level: c_int,
) -> *mut PyObject {
    let _ = locals;
    // SAFETY: C API contract.
    unsafe {
        match c_name(name) {
            Some(n) => import_level(&n, globals, fromlist, level),
            None => null_mut(),
        }
    }
}

/// `PyImport_ImportModuleAttr`: `getattr(import(mod), attr)`.
///
/// # Safety
/// `attr` must be a live str.
unsafe fn import_attr(module: &str, attr: *mut PyObject) -> *mut PyObject {
    let m = import_module(module);
    if m.is_null() {
        return m;
    }
    // SAFETY: live module and name.
    unsafe {
        let r = crate::object::getattr(m, attr);
        decref(m);
        r
    }
}

#[export]
pub unsafe fn PyImport_ImportModuleAttr(
    module: *mut PyObject,
    attr: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: C API contract.
    unsafe {
        match str_name(module) {
            Some(n) => import_attr(&n, attr),
            None => null_mut(),
        }
    }
}

#[export]
pub unsafe fn PyImport_ImportModuleAttrString(
    module: *const c_char,
    attr: *const c_char,
) -> *mut PyObject {
    // SAFETY: C API contract.
    unsafe {
        let (Some(n), Some(a)) = (c_name(module), c_name(attr)) else {
            return null_mut();
        };
        let a = uni::from_str(&a);
        if a.is_null() {
            return a;
        }
        let r = import_attr(&n, a);
        decref(a);
        r
    }
}

#[export]
pub fn PyImport_GetModuleDict() -> *mut PyObject {
    modules_dict()
}

#[export]
pub unsafe fn PyImport_GetModule(name: *mut PyObject) -> *mut PyObject {
    let d = modules_dict();
    if d.is_null() || name.is_null() {
        return null_mut();
    }
    // SAFETY: live dict and key (C API contract); the reference is taken under the dict's
    // section, so another thread's `del sys.modules[name]` cannot free the module first.
    unsafe { crate::dictobject::get_ref(d, name) }
}

/// `PyImport_AddModuleRef`: `sys.modules[name]`, created empty when missing (new reference).
pub(crate) fn add_module(name: &str) -> *mut PyObject {
    let m = get_module(name);
    if !m.is_null() {
        return m;
    }
    // Get-then-create under the name's import lock, so two threads asking at once get one
    // module (and an import of the name in progress finishes first).
    let _importing = lock_name(name);
    let m = get_module(name);
    if !m.is_null() {
        return m;
    }
    let n = uni::from_str(name);
    if n.is_null() {
        return n;
    }
    // SAFETY: `n` is a live str.
    let m = unsafe { crate::moduleobject::new_module(n) };
    // SAFETY: our reference.
    unsafe { decref(n) };
    if m.is_null() {
        return m;
    }
    if set_module(name, m) < 0 {
        // SAFETY: our reference.
        unsafe { decref(m) };
        return null_mut();
    }
    m
}

/// A borrowed reference to `sys.modules[name]` (created when missing).
fn add_module_borrowed(name: &str) -> *mut PyObject {
    let m = add_module(name);
    // SAFETY: sys.modules keeps the module alive.
    unsafe { crate::refcount::xdecref(m) };
    m
}

#[export]
pub unsafe fn PyImport_AddModuleRef(name: *const c_char) -> *mut PyObject {
    // SAFETY: C API contract.
    match unsafe { c_name(name) } {
        Some(n) => add_module(&n),
        None => null_mut(),
    }
}

#[export]
pub unsafe fn PyImport_AddModule(name: *const c_char) -> *mut PyObject {
    // SAFETY: C API contract.
    match unsafe { c_name(name) } {
        Some(n) => add_module_borrowed(&n),
        None => null_mut(),
    }
}

#[export]
pub unsafe fn PyImport_AddModuleObject(name: *mut PyObject) -> *mut PyObject {
    // SAFETY: C API contract.
    match unsafe { str_name(name) } {
        Some(n) => add_module_borrowed(&n),
        None => null_mut(),
    }
}

#[export]
pub unsafe fn PyImport_AppendInittab(name: *const c_char, initfunc: Option<InitFunc>) -> c_int {
    // SAFETY: C API contract.
    let (Some(n), Some(f)) = (unsafe { c_name(name) }, initfunc) else {
        return -1;
    };
    INITTAB
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((n, f));
    0
}
