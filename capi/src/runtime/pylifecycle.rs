//! `pylifecycle.h`: runtime start-up.

use crate::export;
use crate::object::PyTypeObject;
use std::sync::OnceLock;

/// The static types gilgate readies at start-up.
fn static_types() -> Vec<*mut PyTypeObject> {
    let mut v: Vec<*mut PyTypeObject> = vec![
        &raw mut crate::object::PyBaseObject_Type,
        &raw mut crate::object::PyType_Type,
        &raw mut crate::object::_PyNone_Type,
        &raw mut crate::object::_PyNotImplemented_Type,
        &raw mut crate::object::PyEllipsis_Type,
        &raw mut crate::unicodeobject::PyUnicode_Type,
        &raw mut crate::longobject::PyLong_Type,
        &raw mut crate::boolobject::PyBool_Type,
        &raw mut crate::floatobject::PyFloat_Type,
        &raw mut crate::tupleobject::PyTuple_Type,
        &raw mut crate::dictobject::PyDict_Type,
        &raw mut crate::methodobject::PyCFunction_Type,
        &raw mut crate::methodobject::PyCMethod_Type,
        &raw mut crate::moduleobject::PyModule_Type,
        &raw mut crate::moduleobject::PyModuleDef_Type,
        &raw mut crate::import::ModuleSpec_Type,
        &raw mut crate::pycapsule::PyCapsule_Type,
        &raw mut crate::codeobject::PyCode_Type,
        &raw mut crate::frameobject::PyFrame_Type,
        &raw mut crate::traceback::PyTraceBack_Type,
        &raw mut crate::genericaliasobject::Py_GenericAliasType,
        &raw mut crate::funcobject::PyFunction_Type,
        &raw mut crate::genobject::PyGen_Type,
        &raw mut crate::genobject::PyCoro_Type,
        &raw mut crate::genobject::PyAsyncGen_Type,
    ];
    v.extend(crate::modules::config::static_types());
    v.extend(
        crate::pyerrors::builtin_exceptions()
            .iter()
            .map(|&(_, t)| t),
    );
    v
}

/// Initializes the runtime once per process (singletons, type objects, the calling thread's
/// state). Fails with instructions when the C API symbols are not in the process's dynamic
/// symbol table (the executable was linked without `-rdynamic`).
pub fn initialize() -> Result<(), String> {
    INITIALIZED.get_or_init(init_once).clone()
}

static INITIALIZED: OnceLock<Result<(), String>> = OnceLock::new();

/// Whether this process has touched the runtime: [`initialize`] ran, or the
/// presented version was fixed (read or set). A process for which this is false can still
/// become an inspection worker of any version (`fork` without `exec`).
pub fn untouched() -> bool {
    INITIALIZED.get().is_none() && !crate::sysmodule::version_fixed()
}

fn init_once() -> Result<(), String> {
    for t in static_types() {
        // SAFETY: these are gilgate's own static type objects; start-up runs once.
        if unsafe { crate::object::type_ready(t) } < 0 {
            let e = crate::pyerrors::take_exception();
            return Err(format!("gilgate: could not ready a built-in type: {e:?}"));
        }
    }
    crate::genericaliasobject::init_builtin_generics()?;
    crate::pystate::current();
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name has no other preconditions.
    let sym = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"PyModuleDef_Init".as_ptr()) };
    if sym.is_null() {
        return Err(
            "gilgate: the C API symbols are not visible to extension modules; link the \
                    executable with -rdynamic (e.g. a build.rs line \
                    `cargo:rustc-link-arg=-rdynamic`)"
                .into(),
        );
    }
    tracing::debug!("gilgate C API runtime initialized");
    Ok(())
}

/// `Py_GetVersion()`: the version line of the CPython this process presents (3.14.10, or the
/// target of a module inspected under another version's rules; extensions such as cffi
/// compare its first characters with the version they were built for). Same text as
/// `sys.version`.
#[export(unguarded)]
pub fn Py_GetVersion() -> *const std::ffi::c_char {
    static TEXT: OnceLock<std::ffi::CString> = OnceLock::new();
    TEXT.get_or_init(|| {
        std::ffi::CString::new(crate::sysmodule::version().text()).unwrap_or_default()
    })
    .as_ptr()
}

#[export(unguarded)]
pub fn Py_IsInitialized() -> std::ffi::c_int {
    std::ffi::c_int::from(initialize().is_ok())
}

#[export(unguarded)]
pub fn Py_IsFinalizing() -> std::ffi::c_int {
    0
}

/// The functions `Py_AtExit` registered, run last first when the process exits (gilgate never
/// finalizes a runtime; CPython runs them at the end of `Py_FinalizeEx`, after the runtime is
/// gone, so they may not call the C API either way).
static AT_EXIT: std::sync::Mutex<Vec<extern "C" fn()>> = std::sync::Mutex::new(Vec::new());

/// CPython's limit (`NEXITFUNCS`).
const MAX_AT_EXIT: usize = 32;

extern "C" fn run_at_exit() {
    loop {
        let f = AT_EXIT.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match f {
            Some(f) => f(),
            None => break,
        }
    }
}

/// `Py_AtExit`: 0 when registered, -1 when 32 functions already are.
#[export]
pub fn Py_AtExit(func: Option<extern "C" fn()>) -> std::ffi::c_int {
    static HOOK: OnceLock<bool> = OnceLock::new();
    let Some(func) = func else {
        return -1;
    };
    // SAFETY: registering a plain `extern "C" fn()` with the C library.
    if !*HOOK.get_or_init(|| unsafe { libc::atexit(run_at_exit) } == 0) {
        return -1;
    }
    let mut list = AT_EXIT.lock().unwrap_or_else(|e| e.into_inner());
    if list.len() >= MAX_AT_EXIT {
        return -1;
    }
    list.push(func);
    0
}
