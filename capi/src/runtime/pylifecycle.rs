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
    static RESULT: OnceLock<Result<(), String>> = OnceLock::new();
    RESULT.get_or_init(init_once).clone()
}

fn init_once() -> Result<(), String> {
    for t in static_types() {
        // SAFETY: these are gilgate's own static type objects; start-up runs once.
        if unsafe { crate::object::type_ready(t) } < 0 {
            let e = crate::pyerrors::take_exception();
            return Err(format!("gilgate: could not ready a built-in type: {e:?}"));
        }
    }
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
