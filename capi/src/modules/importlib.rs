//! gilgate's own `importlib` package and the part of its `importlib._bootstrap` that compiled
//! code calls. CPython writes both in Python (`Lib/importlib/__init__.py`, `_bootstrap.py`);
//! gilgate runs no Python, so this one file (named after the package) gives them natively:
//!
//! - `importlib`: `import_module` (relative names with `package=`, CPython's checks and
//!   texts), `invalidate_caches`, `reload`, `__import__` (gilgate's import with `level` and
//!   `fromlist`, as `PyImport_ImportModuleLevelObject`), `_bootstrap`. `reload`
//!   re-imports nothing: every module gilgate holds is a built-in or an extension module, and
//!   CPython's reload of those executes nothing again either (their exec already ran), so it
//!   does CPython's checks and returns `sys.modules[name]`.
//! - `importlib._bootstrap`: `_get_module_lock(name)` (one `_ModuleLock` per module name, a
//!   reentrant per-thread lock with CPython's deadlock detection) and `_DeadlockError` (a
//!   `RuntimeError`), which mypyc's runtime takes around each native module's initialisation.
//!   Its public names (`ModuleSpec`, `module_from_spec`, the importers, ...) are Python classes
//!   and functions of the import machinery gilgate does not have; they are absent.

use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_ImportError, EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::decref;
use std::collections::HashMap;
use std::ffi::{CStr, c_void};
use std::ptr::null_mut;
use std::sync::{Condvar, Mutex, OnceLock};

/// The text of a str object.
///
/// # Safety
/// `o` must be a live str.
unsafe fn text(o: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe { crate::unicodeobject::chars(o) }
        .iter()
        .map(|&u| char::from_u32(u).unwrap_or('\u{fffd}'))
        .collect()
}

/// The arguments of a Python function `func(names...)` whose first `required` parameters have
/// no default, with the texts CPython gives for a Python function's bad calls.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
pub(crate) unsafe fn py_args(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let n = names.len();
        if pos.len() > n {
            let s = |k: usize| if k == 1 { "" } else { "s" };
            let given = pos.len();
            let verb = if given == 1 { "was" } else { "were" };
            let takes = if required < n {
                format!("from {required} to {n} positional arguments")
            } else {
                format!("{n} positional argument{}", s(n))
            };
            raise(
                &raw mut EXC_TypeError,
                &format!("{func}() takes {takes} but {given} {verb} given"),
            );
            return None;
        }
        let mut out = vec![null_mut(); n];
        out[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                if !crate::unicodeobject::is_str(k) {
                    raise(&raw mut EXC_TypeError, "keywords must be strings");
                    return None;
                }
                let key = text(k);
                match names.iter().position(|x| *x == key) {
                    Some(i) if !out[i].is_null() => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got multiple values for argument '{key}'"),
                        );
                        return None;
                    }
                    Some(i) => out[i] = v,
                    None => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got an unexpected keyword argument '{key}'"),
                        );
                        return None;
                    }
                }
            }
        }
        let missing: Vec<&str> = (0..required)
            .filter(|&i| out[i].is_null())
            .map(|i| names[i])
            .collect();
        if !missing.is_empty() {
            let list = match missing.as_slice() {
                [one] => format!("'{one}'"),
                [a, b] => format!("'{a}' and '{b}'"),
                more => {
                    let (last, rest) = more.split_last().unwrap_or((&"", &[]));
                    let rest: Vec<String> = rest.iter().map(|x| format!("'{x}'")).collect();
                    format!("{}, and '{last}'", rest.join(", "))
                }
            };
            let s = if missing.len() == 1 { "" } else { "s" };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() missing {} required positional argument{s}: {list}",
                    missing.len()
                ),
            );
            return None;
        }
        Some(out)
    }
}

/// `name` with `level` leading dots resolved against `package` (CPython's `_resolve_name`).
fn resolve_name(name: &str, package: &str, level: usize) -> Result<String, &'static str> {
    let mut base = package;
    for _ in 1..level {
        match base.rfind('.') {
            Some(i) => base = &base[..i],
            None => return Err("attempted relative import beyond top-level package"),
        }
    }
    Ok(if name.is_empty() {
        base.to_string()
    } else {
        format!("{base}.{name}")
    })
}

unsafe extern "C" fn il_import_module(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("importlib.import_module", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = py_args("import_module", args, kw, &["name", "package"], 1) else {
                return null_mut();
            };
            let (name_obj, package) = (a[0], a[1]);
            if crate::bytesobject::is_bytes(name_obj)
                || crate::bytearrayobject::is_bytearray(name_obj)
            {
                // CPython's first step is name.startswith('.')
                return raise(
                    &raw mut EXC_TypeError,
                    "startswith first arg must be bytes or a tuple of bytes, not str",
                );
            }
            if !crate::unicodeobject::is_str(name_obj) {
                let t = crate::object::type_name(crate::object::ty(name_obj));
                return raise(
                    &raw mut crate::pyerrors::EXC_AttributeError,
                    &format!("'{t}' object has no attribute 'startswith'"),
                );
            }
            let name = text(name_obj);
            let level = name.chars().take_while(|&c| c == '.').count();
            let mut full = name[level..].to_string();
            if level > 0 {
                let truthy = !package.is_null() && {
                    let t = crate::object::PyObject_IsTrue(package);
                    if t < 0 {
                        return null_mut();
                    }
                    t > 0
                };
                if !truthy {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "the 'package' argument is required to perform a relative import for {}",
                            crate::unicodeobject::repr_text(&name)
                        ),
                    );
                }
                if !crate::unicodeobject::is_str(package) {
                    return raise(&raw mut EXC_TypeError, "__package__ not set to a string");
                }
                match resolve_name(&full, &text(package), level) {
                    Ok(n) => full = n,
                    Err(msg) => return raise(&raw mut EXC_ImportError, msg),
                }
            } else if full.is_empty() {
                return raise(&raw mut EXC_ValueError, "Empty module name");
            }
            let present = crate::import::get_module(&full);
            if present == crate::object::none() {
                decref(present);
                crate::import::raise_import(
                    &raw mut crate::pyerrors::EXC_ModuleNotFoundError,
                    &format!("import of {full} halted; None in sys.modules"),
                    &full,
                    None,
                );
                return null_mut();
            }
            if !present.is_null() {
                return present;
            }
            crate::import::import_module(&full)
        }
    })
}

unsafe extern "C" fn il_invalidate_caches(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("importlib.invalidate_caches", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        if unsafe { py_args("invalidate_caches", args, kw, &[], 0) }.is_none() {
            return null_mut();
        }
        // gilgate's import system keeps no finder caches (it has no sys.meta_path finders): a
        // file added under a search root is found by the next import already
        crate::object::new_none()
    })
}

/// `module.<attr>` if the object has it (new reference), NULL without an exception if not.
///
/// # Safety
/// `o` must be live.
unsafe fn attr(o: *mut PyObject, name: &str) -> Result<*mut PyObject, ()> {
    let key = crate::unicodeobject::from_str(name);
    if key.is_null() {
        return Err(());
    }
    let mut out = null_mut();
    // SAFETY: forwarded contract; `key` is a live str.
    let rc = unsafe { crate::object::getattr_opt(o, key, &mut out) };
    // SAFETY: our reference.
    unsafe { decref(key) };
    if rc < 0 { Err(()) } else { Ok(out) }
}

unsafe extern "C" fn il_reload(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("importlib.reload", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = py_args("reload", args, kw, &["module"], 1) else {
                return null_mut();
            };
            let module = a[0];
            // the module's name: its spec's, else its __name__
            let mut name_obj = null_mut();
            let Ok(spec) = attr(module, "__spec__") else {
                return null_mut();
            };
            if !spec.is_null() {
                let Ok(n) = attr(spec, "name") else {
                    decref(spec);
                    return null_mut();
                };
                decref(spec);
                name_obj = n;
            }
            if name_obj.is_null() {
                let Ok(n) = attr(module, "__name__") else {
                    return null_mut();
                };
                name_obj = n;
            }
            if name_obj.is_null() {
                return raise(&raw mut EXC_TypeError, "reload() argument must be a module");
            }
            if !crate::unicodeobject::is_str(name_obj) {
                decref(name_obj);
                return raise(&raw mut EXC_TypeError, "reload() argument must be a module");
            }
            let name = text(name_obj);
            decref(name_obj);
            let present = crate::import::get_module(&name);
            if present != module {
                crate::refcount::xdecref(present);
                crate::import::raise_import(
                    &raw mut EXC_ImportError,
                    &format!("module {name} not in sys.modules"),
                    &name,
                    None,
                );
                return null_mut();
            }
            if let Some(i) = name.rfind('.') {
                let parent = &name[..i];
                let p = crate::import::get_module(parent);
                if p.is_null() {
                    decref(present);
                    crate::import::raise_import(
                        &raw mut EXC_ImportError,
                        &format!(
                            "parent {} not in sys.modules",
                            crate::unicodeobject::repr_text(parent)
                        ),
                        parent,
                        None,
                    );
                    return null_mut();
                }
                decref(p);
            }
            present
        }
    })
}

unsafe extern "C" fn il_import(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("importlib.__import__", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let names = ["name", "globals", "locals", "fromlist", "level"];
            let Some(a) = py_args("__import__", args, kw, &names, 1) else {
                return null_mut();
            };
            let level = if a[4].is_null() {
                0
            } else {
                let v = crate::longobject::PyLong_AsInt(a[4]);
                if v == -1 && crate::pyerrors::occurred() {
                    return null_mut();
                }
                v
            };
            import_(a[0], a[1], a[3], level)
        }
    })
}

/// The package relative imports from `globals` resolve against (CPython's
/// `_calc___package__`; `globals` None counts as an empty dict).
///
/// # Safety
/// `globals` must be NULL or live.
unsafe fn calc_package(globals: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let none = crate::object::none();
        let is_dict = !globals.is_null() && globals != none && crate::dictobject::is_dict(globals);
        let get = |k: &str| {
            if is_dict {
                crate::dictobject::get_str(globals, k)
            } else {
                null_mut()
            }
        };
        let package = get("__package__");
        if !package.is_null() && package != none {
            crate::refcount::incref(package);
            return Some(package);
        }
        let spec = get("__spec__");
        if !spec.is_null() && spec != none {
            return match attr(spec, "parent") {
                Ok(p) if !p.is_null() => Some(p),
                Ok(_) => {
                    raise(
                        &raw mut crate::pyerrors::EXC_AttributeError,
                        "'ModuleSpec' object has no attribute 'parent'",
                    );
                    None
                }
                Err(()) => None,
            };
        }
        let name = get("__name__");
        if name.is_null() {
            let k = crate::unicodeobject::from_str("__name__");
            crate::pyerrors::set_object((&raw mut crate::pyerrors::EXC_KeyError).cast(), k);
            crate::refcount::xdecref(k);
            return None;
        }
        if !get("__path__").is_null() || !crate::unicodeobject::is_str(name) {
            crate::refcount::incref(name);
            return Some(name);
        }
        let n = text(name);
        Some(crate::unicodeobject::from_str(
            n.rfind('.').map_or("", |i| &n[..i]),
        ))
    }
}

/// `importlib.__import__` (CPython's `_bootstrap.__import__`): the module for `import name`
/// (the top-level package), or with a non-empty `fromlist` the module `name` itself.
///
/// # Safety
/// Each argument must be NULL or live.
unsafe fn import_(
    name_obj: *mut PyObject,
    globals: *mut PyObject,
    fromlist: *mut PyObject,
    level: std::ffi::c_int,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let package = if level == 0 {
            null_mut()
        } else {
            match calc_package(globals) {
                Some(p) => p,
                None => return null_mut(),
            }
        };
        let release = |p: *mut PyObject| crate::refcount::xdecref(p);
        if !crate::unicodeobject::is_str(name_obj) {
            release(package);
            let t = crate::object::type_name(crate::object::ty(name_obj));
            return raise(
                &raw mut EXC_TypeError,
                &format!("module name must be str, not <class '{t}'>"),
            );
        }
        let name = text(name_obj);
        if level < 0 {
            release(package);
            return raise(&raw mut EXC_ValueError, "level must be >= 0");
        }
        let full = if level > 0 {
            if !crate::unicodeobject::is_str(package) {
                release(package);
                return raise(&raw mut EXC_TypeError, "__package__ not set to a string");
            }
            let p = text(package);
            release(package);
            if p.is_empty() {
                return raise(
                    &raw mut EXC_ImportError,
                    "attempted relative import with no known parent package",
                );
            }
            match resolve_name(&name, &p, level as usize) {
                Ok(n) => n,
                Err(msg) => return raise(&raw mut EXC_ImportError, msg),
            }
        } else {
            if name.is_empty() {
                return raise(&raw mut EXC_ValueError, "Empty module name");
            }
            name.clone()
        };
        let module = crate::import::import_module(&full);
        if module.is_null() {
            return module;
        }
        let has_from = !fromlist.is_null() && fromlist != crate::object::none() && {
            let t = crate::object::PyObject_IsTrue(fromlist);
            if t < 0 {
                decref(module);
                return null_mut();
            }
            t > 0
        };
        if has_from {
            if !crate::import::is_package(module) {
                return module;
            }
            // the submodules named in fromlist, through gilgate's import (absolute name)
            decref(module);
            let n = crate::unicodeobject::from_str(&full);
            let r = crate::import::PyImport_ImportModuleLevelObject(
                n,
                null_mut(),
                null_mut(),
                fromlist,
                0,
            );
            crate::refcount::xdecref(n);
            return r;
        }
        let head = name.split('.').next().unwrap_or("").len();
        let keep = full.len() - (name.len() - head);
        decref(module);
        if level == 0 {
            return crate::import::import_module(&full[..full.find('.').unwrap_or(full.len())]);
        }
        let top = crate::import::get_module(&full[..keep]);
        if top.is_null() {
            let k = crate::unicodeobject::from_str(&full[..keep]);
            crate::pyerrors::set_object((&raw mut crate::pyerrors::EXC_KeyError).cast(), k);
            crate::refcount::xdecref(k);
        }
        top
    }
}

static mut FUNCTIONS: [PyMethodDef; 5] = [
    method(
        c"__import__",
        il_import as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"import_module",
        il_import_module as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"invalidate_caches",
        il_invalidate_caches as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"reload",
        il_reload as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

/// Adds the functions of the method table at `table` (up to its END row) to the module `m`
/// named `name`.
///
/// # Safety
/// `m` must be a live module named by the live str `name`; `table` a static method table.
unsafe fn add_functions(m: *mut PyObject, name: *mut PyObject, table: *mut PyMethodDef) -> bool {
    // SAFETY: forwarded contract: every row up to END is in the table.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let mut ml = table;
        while !(*ml).ml_name.is_null() {
            let f = crate::methodobject::new_cfunction(ml, m, name, null_mut());
            if f.is_null() {
                return false;
            }
            let k = CStr::from_ptr((*ml).ml_name).to_string_lossy();
            crate::dictobject::set_item_str(d, &k, f);
            decref(f);
            ml = ml.add(1);
        }
        true
    }
}

/// The `importlib` package (a borrowed, process-lifetime reference; NULL with an exception if
/// it could not be made).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "importlib", build_package)
}

fn build_package() -> *mut PyObject {
    let bootstrap = bootstrap_module();
    if bootstrap.is_null() {
        return null_mut();
    }
    let name = crate::unicodeobject::intern("importlib");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        if !add_functions(m, name, (&raw mut FUNCTIONS).cast()) {
            decref(m);
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        // a package: submodules (`importlib._bootstrap`) are imported through it
        let path = crate::listobject::PyList_New(0);
        let all = crate::listobject::PyList_New(0);
        if path.is_null() || all.is_null() {
            decref(m);
            return null_mut();
        }
        for n in ["__import__", "import_module", "invalidate_caches", "reload"] {
            let s = crate::unicodeobject::from_str(n);
            crate::listobject::PyList_Append(all, s);
            decref(s);
        }
        crate::dictobject::set_item_str(d, "__path__", path);
        crate::dictobject::set_item_str(d, "__all__", all);
        decref(path);
        decref(all);
        crate::dictobject::set_item_str(d, "_bootstrap", bootstrap);
        m
    }
}

// --- importlib._bootstrap: module locks ---

/// The state of one module lock: its owner thread (0: none), how many times it holds it, and
/// how many threads wait.
#[derive(Default)]
struct LockState {
    owner: u64,
    count: usize,
    waiters: usize,
}

struct LockCore {
    state: Mutex<LockState>,
    wake: Condvar,
}

/// A `_ModuleLock` object.
#[repr(C)]
struct ModuleLock {
    ob_base: PyObject,
    name: *mut PyObject,
    core: *const LockCore,
}

/// Which lock each waiting thread waits for (CPython's `_blocking_on`), for deadlock detection.
static BLOCKING: Mutex<Vec<(u64, usize)>> = Mutex::new(Vec::new());

fn thread_id() -> u64 {
    crate::pythread::PyThread_get_thread_ident() as u64
}

fn owner_of(core: &LockCore) -> u64 {
    core.state.lock().unwrap_or_else(|e| e.into_inner()).owner
}

/// Whether waiting for `core` from thread `me` would deadlock: following owner -> the lock
/// that owner waits for -> its owner ... comes back to `me`.
fn would_deadlock(core: &LockCore, me: u64) -> bool {
    let blocking = BLOCKING.lock().unwrap_or_else(|e| e.into_inner());
    let mut seen = Vec::new();
    let mut lock = core as *const LockCore as usize;
    loop {
        // SAFETY: every address in BLOCKING (and the first) is the core of a lock object a
        // waiting thread keeps alive.
        let owner = owner_of(unsafe { &*(lock as *const LockCore) });
        if owner == 0 {
            return false;
        }
        if owner == me {
            return true;
        }
        if seen.contains(&owner) {
            return false;
        }
        seen.push(owner);
        match blocking.iter().find(|(t, _)| *t == owner) {
            Some(&(_, next)) => lock = next,
            None => return false,
        }
    }
}

/// Module locks by module name (kept for the process; CPython keeps each while it is used).
static LOCKS: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

/// Addresses of the `_bootstrap` module and its `_DeadlockError` class.
static BOOTSTRAP: OnceLock<usize> = OnceLock::new();
/// The addresses of the `_DeadlockError` class, set by `build_bootstrap`.
static BOOTSTRAP_PARTS: OnceLock<usize> = OnceLock::new();

unsafe extern "C" fn bs_get_module_lock(_m: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("importlib._bootstrap._get_module_lock", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe {
            if !crate::unicodeobject::is_str(name) {
                let t = crate::object::type_name(crate::object::ty(name));
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("module name must be str, not {t}"),
                );
            }
            let key = text(name);
            let mut locks = LOCKS.lock().unwrap_or_else(|e| e.into_inner());
            let map = locks.get_or_insert_with(HashMap::new);
            if let Some(&l) = map.get(&key) {
                let l = l as *mut PyObject;
                crate::refcount::incref(l);
                return l;
            }
            let op = crate::objimpl::alloc_object(&raw mut ModuleLock_Type, 0);
            if op.is_null() {
                return null_mut();
            }
            crate::refcount::incref(name);
            let lk = op.cast::<ModuleLock>();
            (*lk).name = name;
            (*lk).core = Box::into_raw(Box::new(LockCore {
                state: Mutex::new(LockState::default()),
                wake: Condvar::new(),
            }));
            // the table's reference
            crate::refcount::incref(op);
            map.insert(key, op as usize);
            op
        }
    })
}

/// # Safety
/// `op` must be a live `_ModuleLock`.
unsafe fn core<'a>(op: *mut PyObject) -> &'a LockCore {
    // SAFETY: forwarded contract: the core lives as long as the object.
    unsafe { &*(*op.cast::<ModuleLock>()).core }
}

unsafe extern "C" fn lock_acquire(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("_ModuleLock.acquire", null_mut(), || {
        // SAFETY: a method of _ModuleLock.
        let c = unsafe { core(op) };
        let me = thread_id();
        loop {
            {
                let mut s = c.state.lock().unwrap_or_else(|e| e.into_inner());
                if s.count == 0 || s.owner == me {
                    s.owner = me;
                    s.count += 1;
                    return crate::boolobject::from_bool(true);
                }
            }
            if would_deadlock(c, me) {
                // SAFETY: a live lock object.
                let r = unsafe { lock_repr(op) };
                let text = if r.is_null() {
                    return null_mut();
                } else {
                    // SAFETY: a live str.
                    let t = unsafe { text(r) };
                    // SAFETY: our reference.
                    unsafe { decref(r) };
                    t
                };
                let e = BOOTSTRAP_PARTS
                    .get()
                    .map_or(null_mut(), |&e| e as *mut PyObject);
                let m = crate::unicodeobject::from_str(&format!("deadlock detected by {text}"));
                // SAFETY: the live _DeadlockError class and a new str.
                unsafe {
                    crate::pyerrors::set_object(e, m);
                    crate::refcount::xdecref(m);
                }
                return null_mut();
            }
            BLOCKING
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((me, c as *const LockCore as usize));
            // every wait in the runtime detaches
            let ts = crate::ceval::detach();
            {
                let mut s = c.state.lock().unwrap_or_else(|e| e.into_inner());
                s.waiters += 1;
                while s.count != 0 && s.owner != me {
                    s = c.wake.wait(s).unwrap_or_else(|e| e.into_inner());
                }
                s.waiters -= 1;
            }
            crate::ceval::attach(ts);
            BLOCKING
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|&(t, _)| t != me);
        }
    })
}

unsafe extern "C" fn lock_release(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("_ModuleLock.release", null_mut(), || {
        // SAFETY: a method of _ModuleLock.
        let c = unsafe { core(op) };
        let mut s = c.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.count == 0 || s.owner != thread_id() {
            return raise(&raw mut EXC_RuntimeError, "cannot release un-acquired lock");
        }
        s.count -= 1;
        if s.count == 0 {
            s.owner = 0;
            if s.waiters > 0 {
                c.wake.notify_all();
            }
        }
        crate::object::new_none()
    })
}

unsafe extern "C" fn lock_locked(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of _ModuleLock.
    let c = unsafe { core(op) };
    let s = c.state.lock().unwrap_or_else(|e| e.into_inner());
    crate::boolobject::from_bool(s.count > 0)
}

unsafe extern "C" fn lock_has_deadlock(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of _ModuleLock.
    let c = unsafe { core(op) };
    crate::boolobject::from_bool(would_deadlock(c, thread_id()))
}

unsafe extern "C" fn lock_name(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live _ModuleLock; its name is a live str.
    unsafe {
        let n = (*op.cast::<ModuleLock>()).name;
        crate::refcount::incref(n);
        n
    }
}

unsafe extern "C" fn lock_owner(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live _ModuleLock.
    let owner = owner_of(unsafe { core(op) });
    if owner == 0 {
        crate::object::new_none()
    } else {
        crate::longobject::from_i128(i128::from(owner))
    }
}

unsafe extern "C" fn lock_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live _ModuleLock whose name is a live str.
    unsafe {
        let n = text((*op.cast::<ModuleLock>()).name);
        crate::unicodeobject::from_str(&format!(
            "_ModuleLock({}) at {}",
            crate::unicodeobject::repr_text(&n),
            op as usize
        ))
    }
}

static mut LOCK_METHODS: [PyMethodDef; 5] = [
    method(c"acquire", lock_acquire as *mut c_void, METH_NOARGS),
    method(c"release", lock_release as *mut c_void, METH_NOARGS),
    method(c"locked", lock_locked as *mut c_void, METH_NOARGS),
    method(
        c"has_deadlock",
        lock_has_deadlock as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

static mut LOCK_GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::longobject::getset(c"name", Some(lock_name)),
    crate::longobject::getset(c"owner", Some(lock_owner)),
    crate::descrobject::PyGetSetDef::END,
];

/// `_frozen_importlib._ModuleLock` (CPython's `_bootstrap` module is named so); gilgate's locks
/// live for the process, so the type has no dealloc of its own.
pub(crate) static mut ModuleLock_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(lock_repr),
    tp_methods: (&raw mut LOCK_METHODS).cast(),
    tp_getset: (&raw mut LOCK_GETSET).cast(),
    ..static_type(
        c"_frozen_importlib._ModuleLock",
        size_of::<ModuleLock>(),
        0,
        0,
    )
};

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut ModuleLock_Type]
}

static mut BOOTSTRAP_FUNCTIONS: [PyMethodDef; 2] = [
    method(
        c"_get_module_lock",
        bs_get_module_lock as *mut c_void,
        METH_O,
    ),
    PyMethodDef::END,
];

/// The `importlib._bootstrap` module (a borrowed, process-lifetime reference; NULL with an
/// exception if it could not be made).
pub(crate) fn bootstrap_module() -> *mut PyObject {
    super::once(&BOOTSTRAP, "importlib._bootstrap", build_bootstrap)
}

fn build_bootstrap() -> *mut PyObject {
    let name = crate::unicodeobject::intern("importlib._bootstrap");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        if !add_functions(m, name, (&raw mut BOOTSTRAP_FUNCTIONS).cast()) {
            decref(m);
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let error = crate::pyerrors::PyErr_NewException(
            c"_frozen_importlib._DeadlockError".as_ptr(),
            (&raw mut EXC_RuntimeError).cast(),
            null_mut(),
        );
        if error.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "_DeadlockError", error);
        crate::dictobject::set_item_str(d, "_ModuleLock", (&raw mut ModuleLock_Type).cast());
        let _ = BOOTSTRAP_PARTS.set(error as usize);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(owner: u64) -> LockCore {
        LockCore {
            state: Mutex::new(LockState {
                owner,
                count: usize::from(owner != 0),
                waiters: 0,
            }),
            wake: Condvar::new(),
        }
    }

    #[test]
    fn waiting_in_a_cycle_is_a_deadlock() {
        // thread 101 holds a and waits for b; thread 102 holds b: 102 waiting for a closes
        // the cycle, a third thread waiting for a does not
        let (a, b) = (core(101), core(102));
        BLOCKING
            .lock()
            .unwrap()
            .push((101, &b as *const LockCore as usize));
        assert!(would_deadlock(&a, 102));
        assert!(!would_deadlock(&a, 103));
        assert!(would_deadlock(&b, 102), "its own lock held by itself");
        assert!(!would_deadlock(&core(0), 102), "a free lock");
        BLOCKING.lock().unwrap().retain(|&(t, _)| t != 101);
        assert!(!would_deadlock(&a, 102));
    }

    #[test]
    fn relative_names_resolve_like_cpythons() {
        assert_eq!(
            resolve_name("util", "importlib", 1).unwrap(),
            "importlib.util"
        );
        assert_eq!(resolve_name("", "a.b.c", 2).unwrap(), "a.b");
        assert_eq!(resolve_name("x", "a.b.c", 3).unwrap(), "a.x");
        assert!(resolve_name("x", "a.b", 3).is_err());
    }
}
