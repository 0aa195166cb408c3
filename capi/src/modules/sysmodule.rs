//! `sysmodule.h`: a minimal `sys` module whose attributes extensions read at init
//! (`version`, `hexversion`, `platform`, `byteorder`, `maxsize`, `modules`).

use crate::export;
use crate::object::PyObject;
use crate::object::PyTypeObject;
use crate::refcount::xdecref;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;
use std::sync::{OnceLock, RwLock};

/// A final release of CPython, as `sys.version_info` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PyVersion {
    pub major: u8,
    pub minor: u8,
    pub micro: u8,
}

impl PyVersion {
    /// The CPython whose ABI gilgate implements.
    pub const RUNTIME: PyVersion = PyVersion::new(3, 14, 10);

    pub const fn new(major: u8, minor: u8, micro: u8) -> PyVersion {
        PyVersion {
            major,
            minor,
            micro,
        }
    }

    /// `PY_VERSION_HEX` / `sys.hexversion` (release level `final`, serial 0).
    pub fn hex(self) -> u64 {
        (u64::from(self.major) << 24)
            | (u64::from(self.minor) << 16)
            | (u64::from(self.micro) << 8)
            | 0xF0
    }

    /// The `sys.version` / `Py_GetVersion()` text.
    pub fn text(self) -> String {
        format!(
            "{}.{}.{} (gilgate) [rustc]",
            self.major, self.minor, self.micro
        )
    }
}

static PRESENTED: OnceLock<PyVersion> = OnceLock::new();

/// The version this process presents to extensions (`sys.version`, `sys.version_info`,
/// `sys.hexversion`, `Py_GetVersion()`, `Py_Version`): [`PyVersion::RUNTIME`] unless
/// [`set_version`] chose another first. Fixed from its first use on.
pub fn version() -> PyVersion {
    *PRESENTED.get_or_init(|| PyVersion::RUNTIME)
}

/// Presents `v` instead of the runtime's version, for a process that inspects a module built
/// for another CPython (its init may compare the version it runs under with the one it was
/// built for, as pybind11 does). Must come before anything reads the version and before any
/// extension module is loaded; returns the version already fixed otherwise.
pub fn set_version(v: PyVersion) -> Result<(), PyVersion> {
    PRESENTED.set(v).map_err(|_| version())?;
    crate::static_data::set_py_version(v.hex() as std::ffi::c_ulong);
    Ok(())
}

/// Whether the presented version is fixed (read or chosen) already.
pub(crate) fn version_fixed() -> bool {
    PRESENTED.get().is_some()
}

static SYS: OnceLock<usize> = OnceLock::new();

/// The module object (borrowed; lives for the process), or NULL with an exception.
pub fn module() -> *mut PyObject {
    super::once(&SYS, "sys", build)
}

/// The module object, or NULL (no exception) if it could not be made.
fn sys_module() -> *mut PyObject {
    *SYS.get_or_init(|| build() as usize) as *mut PyObject
}

fn build() -> *mut PyObject {
    {
        let name = crate::unicodeobject::intern("sys");
        // SAFETY: `name` is a live (immortal) str.
        let m = unsafe { crate::moduleobject::new_module(name) };
        if m.is_null() {
            crate::pyerrors::clear();
            return null_mut();
        }
        // `path` and `flags` as last set (`set_path`, `set_lock_hooks`); from the moment the
        // lock is released with `built` set, those change the module's entries instead.
        let mut late = LATE.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: `m` is a fresh module with a dict.
        unsafe {
            let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
            let (out, err, inp) = (new_stream(1), new_stream(2), new_stream(0));
            for (k, v) in [
                ("stdin", inp),
                ("__stdin__", inp),
                ("stdout", out),
                ("__stdout__", out),
                ("stderr", err),
                ("__stderr__", err),
            ] {
                if !v.is_null() {
                    crate::dictobject::set_item_str(d, k, v);
                }
            }
            xdecref(out);
            xdecref(err);
            let entries: [(&str, *mut PyObject); 13] = [
                ("version", crate::unicodeobject::from_str(&version().text())),
                ("hexversion", int(i128::from(version().hex()))),
                ("platform", crate::unicodeobject::from_str("linux")),
                ("byteorder", crate::unicodeobject::from_str("little")),
                ("maxsize", crate::longobject::from_i128(isize::MAX as i128)),
                ("maxunicode", crate::longobject::from_i128(0x10FFFF)),
                ("modules", crate::dictobject::new_dict()),
                ("path", new_str_list(late.path.as_deref().unwrap_or(&[]))),
                ("version_info", version_info()),
                ("implementation", implementation()),
                ("flags", flags()),
                ("api_version", crate::longobject::from_i128(1013)),
                ("abiflags", crate::unicodeobject::from_str("t")),
            ];
            for (k, v) in entries {
                if !v.is_null() {
                    crate::dictobject::set_item_str(d, k, v);
                }
                xdecref(v);
            }
            crate::pyerrors::clear();
            add_functions(m);
        }
        late.path = None;
        late.built = true;
        m
    }
}

/// What `set_path` and `set_lock_hooks` change in a module not made yet: the module is made on
/// first use (an inspection worker's module init usually never asks for it), with these.
struct Late {
    /// Set (under this lock) by `build` once the module has its entries.
    built: bool,
    /// `sys.path` as last set before the module was made.
    path: Option<Vec<String>>,
}

static LATE: std::sync::Mutex<Late> = std::sync::Mutex::new(Late {
    built: false,
    path: None,
});

// --- struct sequences (a tuple subclass whose items also have names) ---

/// A tuple subclass with named fields (what `PyStructSequence` types are).
const fn seq_type(name: &'static std::ffi::CStr) -> PyTypeObject {
    PyTypeObject {
        tp_base: &raw mut crate::tupleobject::PyTuple_Type,
        tp_getattro: Some(seq_getattro),
        tp_repr: Some(seq_repr),
        tp_dealloc: Some(seq_dealloc),
        ..crate::object::static_type(name, 48, 8, crate::object::Py_TPFLAGS_TUPLE_SUBCLASS)
    }
}

/// `sys.version_info`'s type.
pub(crate) static mut VersionInfo_Type: PyTypeObject = seq_type(c"sys.version_info");
/// `sys.flags`' type.
pub(crate) static mut Flags_Type: PyTypeObject = seq_type(c"sys.flags");
/// `sys.implementation`'s type (a namespace in CPython; a named tuple here).
pub(crate) static mut Implementation_Type: PyTypeObject = seq_type(c"sys.implementation");

const VERSION_FIELDS: [&str; 5] = ["major", "minor", "micro", "releaselevel", "serial"];
const FLAGS_FIELDS: [&str; 21] = [
    "debug",
    "inspect",
    "interactive",
    "optimize",
    "dont_write_bytecode",
    "no_user_site",
    "no_site",
    "ignore_environment",
    "verbose",
    "bytes_warning",
    "quiet",
    "hash_randomization",
    "isolated",
    "dev_mode",
    "utf8_mode",
    "warn_default_encoding",
    "safe_path",
    "int_max_str_digits",
    "gil",
    "thread_inherit_context",
    "context_aware_warnings",
];
const IMPL_FIELDS: [&str; 5] = ["name", "cache_tag", "version", "hexversion", "_multiarch"];

/// The field names of a struct-sequence type of this module.
fn fields_of(t: *mut PyTypeObject) -> &'static [&'static str] {
    if t == &raw mut VersionInfo_Type {
        &VERSION_FIELDS
    } else if t == &raw mut Flags_Type {
        &FLAGS_FIELDS
    } else if t == &raw mut Implementation_Type {
        &IMPL_FIELDS
    } else {
        &[]
    }
}

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut VersionInfo_Type,
        &raw mut Flags_Type,
        &raw mut Implementation_Type,
        &raw mut StdStream_Type,
    ]
}

unsafe extern "C" fn seq_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead struct sequence: a tuple whose items we own.
    unsafe {
        for &it in crate::tupleobject::items(op) {
            xdecref(it);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn seq_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live struct sequence and `name` a live object (slot contract).
    unsafe {
        if let Some(n) = crate::unicodeobject::as_str(name) {
            let fields = fields_of(crate::object::ty(op));
            if let Some(i) = fields.iter().position(|f| *f == n) {
                let items = crate::tupleobject::items(op);
                if let Some(&v) = items.get(i) {
                    return crate::refcount::new_ref(v);
                }
            }
        }
        crate::object::PyObject_GenericGetAttr(op, name)
    }
}

unsafe extern "C" fn seq_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live struct sequence (slot contract).
    unsafe {
        let t = crate::object::ty(op);
        let fields = fields_of(t);
        let parts: Vec<String> = crate::tupleobject::items(op)
            .iter()
            .zip(fields)
            .map(|(&v, f)| format!("{f}={}", crate::object::repr_string(v)))
            .collect();
        crate::unicodeobject::from_str(&format!(
            "{}({})",
            crate::object::type_name(t),
            parts.join(", ")
        ))
    }
}

/// A new struct sequence of type `t` holding `values` (references are taken over; a NULL
/// value makes the result NULL).
fn new_seq(t: *mut PyTypeObject, values: Vec<*mut PyObject>) -> *mut PyObject {
    if values.iter().any(|v| v.is_null()) {
        for v in values {
            // SAFETY: our references (or NULL).
            unsafe { xdecref(v) };
        }
        return null_mut();
    }
    // SAFETY: `t` is one of the ready static struct-sequence types (tuple layout).
    let op = unsafe { crate::objimpl::alloc_object(t, values.len() as isize) };
    if op.is_null() {
        return op;
    }
    // SAFETY: a fresh tuple-layout object with `values.len()` item slots.
    unsafe {
        (*op.cast::<crate::tupleobject::PyTupleObject>()).ob_hash = -1;
        let items = op.cast::<u8>().add(48).cast::<*mut PyObject>();
        for (i, v) in values.into_iter().enumerate() {
            *items.add(i) = v;
        }
    }
    op
}

fn int(v: i128) -> *mut PyObject {
    crate::longobject::from_i128(v)
}

fn version_info() -> *mut PyObject {
    let v = version();
    new_seq(
        &raw mut VersionInfo_Type,
        vec![
            int(v.major.into()),
            int(v.minor.into()),
            int(v.micro.into()),
            crate::unicodeobject::from_str("final"),
            int(0),
        ],
    )
}

fn implementation() -> *mut PyObject {
    new_seq(
        &raw mut Implementation_Type,
        vec![
            crate::unicodeobject::from_str("cpython"),
            crate::unicodeobject::from_str(&format!(
                "cpython-{}{}t",
                version().major,
                version().minor
            )),
            version_info(),
            int(i128::from(version().hex())),
            crate::unicodeobject::from_str("x86_64-linux-gnu"),
        ],
    )
}

fn flags() -> *mut PyObject {
    let mut v: Vec<*mut PyObject> = (0..17).map(|_| int(0)).collect();
    v[11] = int(1); // hash_randomization
    v.push(int(4300)); // int_max_str_digits
    v.push(match gil_config() {
        None => crate::object::new_none(),
        Some(on) => int(i128::from(on)),
    });
    v.push(crate::boolobject::from_bool(true)); // thread_inherit_context (free-threaded)
    // 0: `warnings.catch_warnings` saves and restores the module-global filters (gilgate has
    // no context variables), where free-threaded CPython 3.14t defaults to 1.
    v.push(int(0)); // context_aware_warnings
    new_seq(&raw mut Flags_Type, v)
}

// --- the lock, as the loader reports it ---

static GIL_QUERY: RwLock<Option<fn() -> bool>> = RwLock::new(None);
static GIL_CONFIG: RwLock<Option<bool>> = RwLock::new(None);

/// Registers how `sys._is_gil_enabled()` learns the lock's state, and the configured lock
/// (`Some(true)`: `PYTHON_GIL=1`, `Some(false)`: `=0`, `None`: default), which `sys.flags.gil`
/// shows. Called by the loader.
pub fn set_lock_hooks(query: fn() -> bool, configured: Option<bool>) {
    *GIL_QUERY.write().unwrap_or_else(|e| e.into_inner()) = Some(query);
    *GIL_CONFIG.write().unwrap_or_else(|e| e.into_inner()) = configured;
    // Not made yet: it takes the new value when it is.
    let late = LATE.lock().unwrap_or_else(|e| e.into_inner());
    if !late.built {
        return;
    }
    drop(late);
    let m = sys_module();
    if !m.is_null() {
        let f = flags();
        // SAFETY: the sys module lives for the process; `f` is our reference.
        unsafe {
            if !f.is_null() {
                let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
                crate::dictobject::set_item_str(d, "flags", f);
            }
            xdecref(f);
        }
        crate::pyerrors::clear();
    }
}

fn gil_config() -> Option<bool> {
    *GIL_CONFIG.read().unwrap_or_else(|e| e.into_inner())
}

/// Whether the global lock is enabled: the loader's query while it registers one (until
/// the loader drives the process's lock itself), else the process's lock.
pub fn gil_enabled() -> bool {
    match *GIL_QUERY.read().unwrap_or_else(|e| e.into_inner()) {
        Some(q) => q() || crate::ceval_gil::enabled(),
        None => crate::ceval_gil::enabled(),
    }
}

unsafe extern "C" fn sys_getswitchinterval(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("sys.getswitchinterval", null_mut(), || {
        crate::floatobject::PyFloat_FromDouble(crate::ceval_gil::switch_interval())
    })
}

unsafe extern "C" fn sys_setswitchinterval(_m: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("sys.setswitchinterval", null_mut(), || {
        // SAFETY: METH_O passes one live argument.
        let v = unsafe { crate::floatobject::PyFloat_AsDouble(arg) };
        if v == -1.0 && crate::pyerrors::occurred() {
            return null_mut();
        }
        if v <= 0.0 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "switch interval must be strictly positive",
            );
            return null_mut();
        }
        crate::ceval_gil::set_switch_interval(v);
        crate::object::new_none()
    })
}

unsafe extern "C" fn sys_is_gil_enabled(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("sys._is_gil_enabled", null_mut(), || {
        crate::boolobject::from_bool(gil_enabled())
    })
}

unsafe extern "C" fn sys_getrecursionlimit(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    int(i128::from(crate::ceval::Py_GetRecursionLimit()))
}

/// `sys.exception()`: the exception being handled (the thread state's `exc_info`), or None.
unsafe extern "C" fn sys_exception(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    let e = crate::pyerrors::handled();
    if e.is_null() {
        crate::object::new_none()
    } else {
        // SAFETY: `e` is live.
        unsafe { crate::refcount::new_ref(e) }
    }
}

/// `sys.exc_info()`: `(type, value, traceback)` of the exception being handled, or three Nones.
unsafe extern "C" fn sys_exc_info(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    let e = crate::pyerrors::handled();
    let none = crate::object::none();
    // SAFETY: `e` is NULL or a live exception.
    unsafe {
        if e.is_null() {
            return crate::tupleobject::from_slice(&[none, none, none]);
        }
        let tb = (*e.cast::<crate::exceptions::PyBaseExceptionObject>()).traceback;
        crate::tupleobject::from_slice(&[
            crate::object::ty(e).cast(),
            e,
            if tb.is_null() { none } else { tb },
        ])
    }
}

static mut SYS_METHODS: [crate::methodobject::PyMethodDef; 6] = [
    crate::methodobject::PyMethodDef {
        ml_name: c"exception".as_ptr(),
        ml_meth: sys_exception as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"exc_info".as_ptr(),
        ml_meth: sys_exc_info as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"getswitchinterval".as_ptr(),
        ml_meth: sys_getswitchinterval as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: c"Return the current thread switch interval; see sys.setswitchinterval().".as_ptr(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"setswitchinterval".as_ptr(),
        ml_meth: sys_setswitchinterval as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_O,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"_is_gil_enabled".as_ptr(),
        ml_meth: sys_is_gil_enabled as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: c"Return True if the GIL is currently enabled and False otherwise.".as_ptr(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"getrecursionlimit".as_ptr(),
        ml_meth: sys_getrecursionlimit as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
];

/// Adds `sys`'s functions to the module.
///
/// # Safety
/// `m` must be the live sys module.
unsafe fn add_functions(m: *mut PyObject) {
    // SAFETY: the method table is static; `m` is live.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let table = &raw mut SYS_METHODS;
        for i in 0..(*table).len() {
            let ml = (&raw mut (*table)[i]).cast::<crate::methodobject::PyMethodDef>();
            let f = crate::methodobject::new_cfunction(
                ml,
                m,
                (*m.cast::<crate::moduleobject::PyModuleObject>()).md_name,
                null_mut(),
            );
            if !f.is_null() {
                crate::dictobject::set_item_str(
                    d,
                    &std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy(),
                    f,
                );
            }
            xdecref(f);
        }
    }
}

// --- sys.path ---

unsafe extern "C" {
    fn PyList_New(n: isize) -> *mut PyObject;
    fn PyList_Append(l: *mut PyObject, v: *mut PyObject) -> c_int;
    fn PyList_Size(l: *mut PyObject) -> isize;
    fn PyList_GetItem(l: *mut PyObject, i: isize) -> *mut PyObject;
}

/// A new list of str (a tuple while gilgate has no list type), or NULL with an exception.
pub fn new_str_list(items: &[String]) -> *mut PyObject {
    // SAFETY: exported C API functions; the list is ours.
    unsafe {
        let l = PyList_New(0);
        if !l.is_null() {
            for s in items {
                let v = crate::unicodeobject::from_str(s);
                if v.is_null() || PyList_Append(l, v) < 0 {
                    xdecref(v);
                    xdecref(l);
                    return null_mut();
                }
                xdecref(v);
            }
            return l;
        }
        crate::pyerrors::clear();
        let objs: Vec<*mut PyObject> = items
            .iter()
            .map(|s| crate::unicodeobject::from_str(s))
            .collect();
        if objs.iter().any(|o| o.is_null()) {
            for o in objs {
                xdecref(o);
            }
            return null_mut();
        }
        let t = crate::tupleobject::from_slice(&objs);
        for o in objs {
            xdecref(o);
        }
        t
    }
}

/// Replaces `sys.path` (the loader's search path: `--path` folders, `GILGATE_PATH`, `.`).
pub fn set_path(dirs: &[std::path::PathBuf]) {
    let strs: Vec<String> = dirs
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    // Not made yet: it takes this list when it is.
    let mut late = LATE.lock().unwrap_or_else(|e| e.into_inner());
    if !late.built {
        late.path = Some(strs);
        return;
    }
    drop(late);
    let l = new_str_list(&strs);
    let m = sys_module();
    if l.is_null() || m.is_null() {
        crate::pyerrors::clear();
        return;
    }
    // SAFETY: the sys module lives for the process; `l` is our reference.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        crate::dictobject::set_item_str(d, "path", l);
        xdecref(l);
    }
}

/// The str entries of `sys.path` (list or tuple), as paths.
pub(crate) fn path_entries() -> Vec<std::path::PathBuf> {
    let p = get("path");
    if p.is_null() {
        return Vec::new();
    }
    let mut items = Vec::new();
    // SAFETY: `p` is a live object owned by the sys dict for the duration of this call.
    unsafe {
        if crate::tupleobject::is_tuple(p) {
            items.extend_from_slice(crate::tupleobject::items(p));
        } else {
            let n = PyList_Size(p);
            if n < 0 {
                crate::pyerrors::clear();
            }
            for i in 0..n.max(0) {
                items.push(PyList_GetItem(p, i));
            }
        }
        items
            .into_iter()
            .filter(|o| !o.is_null())
            .filter_map(|o| crate::unicodeobject::as_str(o).map(std::path::PathBuf::from))
            .collect()
    }
}

// --- writing to the standard streams ---

/// `sys.stdin`/`sys.stdout`/`sys.stderr`: minimal text streams on the process's file
/// descriptors 0, 1 and 2 (`read`/`readline` on stdin, `write`/`flush` on the others,
/// `fileno`, `isatty`, `readable`, `writable`, and CPython's `name`, `mode`, `encoding`,
/// `errors` as it sets them under a UTF-8 locale: stdin and stdout `surrogateescape`,
/// stderr `backslashreplace`).
#[repr(C)]
pub(crate) struct StdStream {
    pub ob_base: PyObject,
    pub fd: c_int,
}

/// The streams' type.
pub(crate) static mut StdStream_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut crate::iomodule::TextIOBase_Type,
    tp_methods: (&raw mut STREAM_METHODS).cast(),
    tp_getset: (&raw mut STREAM_GETSET).cast(),
    tp_repr: Some(stream_repr),
    ..crate::object::static_type(c"_io.TextIOWrapper", std::mem::size_of::<StdStream>(), 0, 0)
};

/// # Safety
/// `op` must be a live stream.
unsafe fn stream_fd(op: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { (*op.cast::<StdStream>()).fd }
}

/// The stream's name, mode and error handler.
fn stream_facts(fd: c_int) -> (&'static str, &'static str, &'static str) {
    match fd {
        0 => ("<stdin>", "r", "surrogateescape"),
        2 => ("<stderr>", "w", "backslashreplace"),
        _ => ("<stdout>", "w", "surrogateescape"),
    }
}

unsafe extern "C" fn stream_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live stream (slot contract).
    let (name, mode, _) = stream_facts(unsafe { stream_fd(op) });
    crate::unicodeobject::from_str(&format!(
        "<_io.TextIOWrapper name='{name}' mode='{mode}' encoding='utf-8'>"
    ))
}

/// Raises `io.UnsupportedOperation(msg)`; NULL.
fn unsupported(msg: &str) -> *mut PyObject {
    let e = crate::iomodule::unsupported_operation();
    if e.is_null() {
        return null_mut();
    }
    crate::pyerrors::raise(e.cast(), msg)
}

unsafe extern "C" fn stream_get(op: *mut PyObject, which: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live stream (getter contract).
    let (name, mode, errors) = stream_facts(unsafe { stream_fd(op) });
    match which as usize {
        0 => crate::unicodeobject::from_str(name),
        1 => crate::unicodeobject::from_str(mode),
        2 => crate::unicodeobject::from_str("utf-8"),
        3 => crate::unicodeobject::from_str(errors),
        4 => crate::boolobject::from_bool(false),
        _ => crate::object::new_none(),
    }
}

const fn stream_getter(
    name: &'static std::ffi::CStr,
    which: usize,
) -> crate::descrobject::PyGetSetDef {
    crate::descrobject::PyGetSetDef {
        name: name.as_ptr(),
        get: Some(stream_get),
        set: None,
        doc: std::ptr::null(),
        closure: which as *mut std::ffi::c_void,
    }
}

static mut STREAM_GETSET: [crate::descrobject::PyGetSetDef; 7] = [
    stream_getter(c"name", 0),
    stream_getter(c"mode", 1),
    stream_getter(c"encoding", 2),
    stream_getter(c"errors", 3),
    stream_getter(c"closed", 4),
    stream_getter(c"newlines", 5),
    crate::descrobject::PyGetSetDef::END,
];

unsafe extern "C" fn stream_readable(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live stream.
    crate::boolobject::from_bool(unsafe { stream_fd(op) } == 0)
}

unsafe extern "C" fn stream_writable(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live stream.
    crate::boolobject::from_bool(unsafe { stream_fd(op) } != 0)
}

/// Reads from descriptor 0 until a newline (`line`) or the end, decoding UTF-8 with
/// `surrogateescape`.
unsafe fn read_stdin(op: *mut PyObject, line: bool) -> *mut PyObject {
    // SAFETY: a live stream.
    if unsafe { stream_fd(op) } != 0 {
        return unsupported("not readable");
    }
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    loop {
        // SAFETY: reading one byte into a local buffer.
        let n = unsafe { libc::read(0, b.as_mut_ptr().cast(), 1) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return crate::pyerrors::raise(&raw mut crate::pyerrors::EXC_OSError, &e.to_string());
        }
        if n == 0 {
            break;
        }
        out.push(b[0]);
        if line && b[0] == b'\n' {
            break;
        }
    }
    crate::unicodeobject::decode_fs(&out)
}

unsafe extern "C" fn stream_read(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("TextIOWrapper.read", null_mut(), || {
        // SAFETY: a live stream.
        unsafe { read_stdin(op, false) }
    })
}

unsafe extern "C" fn stream_readline(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("TextIOWrapper.readline", null_mut(), || {
        // SAFETY: a live stream.
        unsafe { read_stdin(op, true) }
    })
}

unsafe extern "C" fn stream_write(op: *mut PyObject, s: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("TextIOWrapper.write", null_mut(), || {
        // SAFETY: a METH_O call on a live stream with a live argument.
        unsafe {
            if !crate::unicodeobject::is_str(s) {
                return crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    &format!(
                        "write() argument must be str, not {}",
                        crate::object::type_name(crate::object::ty(s))
                    ),
                );
            }
            let fd = stream_fd(op);
            if fd == 0 {
                return unsupported("not writable");
            }
            let units = crate::unicodeobject::chars(s);
            let bytes = if fd == 2 {
                // backslashreplace: a lone surrogate is written as `\udcxx`
                let mut text = String::with_capacity(units.len());
                for &u in &units {
                    match char::from_u32(u) {
                        Some(c) => text.push(c),
                        None => text.push_str(&format!("\\u{u:04x}")),
                    }
                }
                text.into_bytes()
            } else {
                match crate::unicodeobject::encode_fs(s) {
                    Ok(b) => b,
                    Err(()) => return null_mut(),
                }
            };
            write_std(fd, &bytes);
            crate::longobject::from_i128(units.len() as i128)
        }
    })
}

unsafe extern "C" fn stream_flush(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    use std::io::Write;
    // SAFETY: a live stream.
    if unsafe { stream_fd(op) } == 2 {
        let _ = std::io::stderr().flush();
    } else {
        let _ = std::io::stdout().flush();
    }
    crate::object::new_none()
}

unsafe extern "C" fn stream_fileno(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live stream.
    int(i128::from(unsafe { stream_fd(op) }))
}

unsafe extern "C" fn stream_isatty(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: isatty on our own descriptor.
    crate::boolobject::from_bool(unsafe { libc::isatty(stream_fd(op)) } == 1)
}

static mut STREAM_METHODS: [crate::methodobject::PyMethodDef; 9] = [
    crate::methodobject::PyMethodDef {
        ml_name: c"readable".as_ptr(),
        ml_meth: stream_readable as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"writable".as_ptr(),
        ml_meth: stream_writable as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"read".as_ptr(),
        ml_meth: stream_read as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"readline".as_ptr(),
        ml_meth: stream_readline as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"write".as_ptr(),
        ml_meth: stream_write as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_O,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"flush".as_ptr(),
        ml_meth: stream_flush as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"fileno".as_ptr(),
        ml_meth: stream_fileno as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"isatty".as_ptr(),
        ml_meth: stream_isatty as *mut std::ffi::c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef::END,
];

fn new_stream(fd: c_int) -> *mut PyObject {
    // SAFETY: StdStream_Type is readied at start-up.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut StdStream_Type, 0) };
    if !op.is_null() {
        // SAFETY: a fresh stream.
        unsafe { (*op.cast::<StdStream>()).fd = fd };
    }
    op
}

/// Writes `text` to the process's stdout (`fd` 1) or stderr (2).
pub(crate) fn write_std(fd: c_int, text: &[u8]) {
    use std::io::Write;
    if fd == 2 {
        let _ = std::io::stderr().write_all(text);
    } else {
        let mut o = std::io::stdout();
        let _ = o.write_all(text);
        let _ = o.flush();
    }
}

/// `PySys_WriteStdout/Stderr` after the C shim formatted the text.
#[export(err = (), guard_name = "PySys_WriteStdout")]
pub unsafe fn _gilgate_sys_write(fd: c_int, text: *const c_char) {
    if !text.is_null() {
        // SAFETY: the shim passes a NUL-terminated buffer.
        write_std(fd, unsafe { CStr::from_ptr(text) }.to_bytes());
    }
}

/// `PySys_FormatStdout/Stderr` after the C shim built the str.
#[export(err = (), guard_name = "PySys_FormatStdout")]
pub unsafe fn _gilgate_sys_write_obj(fd: c_int, s: *mut PyObject) {
    if s.is_null() {
        crate::pyerrors::clear();
        return;
    }
    // SAFETY: the shim passes a live str it owns.
    if let Some(t) = unsafe { crate::unicodeobject::as_str(s) } {
        write_std(fd, t.as_bytes());
    }
}

/// `sys.<name>` (borrowed), or NULL without an exception.
pub(crate) fn get(name: &str) -> *mut PyObject {
    let m = sys_module();
    if m.is_null() {
        return null_mut();
    }
    // SAFETY: the sys module lives for the whole process.
    unsafe {
        crate::dictobject::get_str(
            (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict,
            name,
        )
    }
}

#[export]
pub unsafe fn PySys_GetObject(name: *const c_char) -> *mut PyObject {
    // SAFETY: a NUL-terminated name, per the C API contract.
    let n = unsafe { CStr::from_ptr(name) }.to_string_lossy();
    get(&n)
}

#[export]
pub unsafe fn PySys_SetObject(name: *const c_char, v: *mut PyObject) -> c_int {
    let m = sys_module();
    if m.is_null() {
        return -1;
    }
    // SAFETY: the sys module lives for the process; name and value per the C API contract.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let k = crate::unicodeobject::from_cstr(name);
        if k.is_null() {
            return -1;
        }
        let r = if v.is_null() {
            let r = crate::dictobject::del_item(d, k);
            if r < 0 && crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_KeyError) {
                crate::pyerrors::clear();
                0
            } else {
                r
            }
        } else {
            crate::dictobject::set_item(d, k, v)
        };
        xdecref(k);
        r
    }
}

/// `sys.<name>` as a new reference, or NULL (no exception) when missing.
fn lookup_new(name: &str) -> *mut PyObject {
    let v = get(name);
    // SAFETY: a borrowed live value (or NULL).
    unsafe { crate::refcount::xincref(v) };
    v
}

/// The text of a str name argument (non-str: TypeError).
///
/// # Safety
/// `name` NULL or live.
unsafe fn name_text(name: *mut PyObject) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe {
        if name.is_null() || !crate::unicodeobject::is_str(name) {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "expected str for attribute name",
            );
            return None;
        }
        crate::unicodeobject::as_str(name).map(str::to_string)
    }
}

fn required(name: &str) -> *mut PyObject {
    let v = lookup_new(name);
    if v.is_null() {
        crate::pyerrors::raise(
            &raw mut crate::pyerrors::EXC_RuntimeError,
            &format!("lost sys.{name}"),
        );
    }
    v
}

#[export]
pub unsafe fn PySys_GetAttr(name: *mut PyObject) -> *mut PyObject {
    // SAFETY: C API contract.
    unsafe { name_text(name).map_or(null_mut(), |n| required(&n)) }
}

#[export]
pub unsafe fn PySys_GetAttrString(name: *const c_char) -> *mut PyObject {
    // SAFETY: a NUL-terminated name (C API contract).
    unsafe { required(&CStr::from_ptr(name).to_string_lossy()) }
}

#[export]
pub unsafe fn PySys_GetOptionalAttr(name: *mut PyObject, result: *mut *mut PyObject) -> c_int {
    // SAFETY: C API contract: `result` is writable.
    unsafe {
        *result = null_mut();
        let Some(n) = name_text(name) else {
            return -1;
        };
        *result = lookup_new(&n);
        c_int::from(!(*result).is_null())
    }
}

#[export]
pub unsafe fn PySys_GetOptionalAttrString(
    name: *const c_char,
    result: *mut *mut PyObject,
) -> c_int {
    // SAFETY: C API contract: a NUL-terminated name and a writable `result`.
    unsafe {
        *result = lookup_new(&CStr::from_ptr(name).to_string_lossy());
        c_int::from(!(*result).is_null())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_readable_and_missing_names_are_null() {
        // SAFETY: C string literals.
        unsafe {
            let v = super::PySys_GetObject(c"version".as_ptr());
            assert!(crate::unicodeobject::as_str(v).unwrap().starts_with("3.14"));
            assert!(super::PySys_GetObject(c"no_such_attr".as_ptr()).is_null());
            assert!(!crate::pyerrors::occurred());
            let s = std::ffi::CStr::from_ptr(crate::pylifecycle::Py_GetVersion())
                .to_str()
                .unwrap();
            assert_eq!(s, "3.14.10 (gilgate) [rustc]");
            assert_eq!(super::version().hex(), 0x030E_0AF0);
            assert_eq!(super::PyVersion::new(3, 13, 15).hex(), 0x030D_0FF0);
        }
    }
}
