//! The few C API entry points the loader calls, found by name in the process's dynamic
//! symbol table: the loader talks to the runtime through the same exported ABI extensions use.

use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyTypeObject;
use std::ffi::{CStr, c_int, c_void};

fn lookup(name: &CStr) -> *mut c_void {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name has no preconditions.
    unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) }
}

fn lookup_required(name: &CStr) -> *mut c_void {
    let p = lookup(name);
    assert!(
        !p.is_null(),
        "gilgate: the C API symbol {} is not exported by this program (link it with -rdynamic)",
        name.to_string_lossy()
    );
    p
}

/// Whether the error indicator is set (`PyErr_Occurred() != NULL`).
pub fn err_occurred() -> bool {
    let f = lookup_required(c"PyErr_Occurred");
    // SAFETY: `PyErr_Occurred` has this signature in the C API; it takes no arguments.
    let f: unsafe extern "C" fn() -> *mut PyObject = unsafe { std::mem::transmute(f) };
    // SAFETY: calling a C API function without arguments on the current thread.
    !unsafe { f() }.is_null()
}

/// `PyObject_TypeCheck(o, &<type_symbol>)`.
///
/// # Safety
/// `o` must be a valid object with a non-NULL type.
pub unsafe fn type_check(o: *mut PyObject, type_symbol: &CStr) -> bool {
    let ty = lookup_required(type_symbol) as *mut PyTypeObject;
    // SAFETY: the caller guarantees `o` is a valid object.
    let ob_type = unsafe { (*o).ob_type };
    if ob_type == ty {
        return true;
    }
    let f = lookup_required(c"PyType_IsSubtype");
    // SAFETY: `PyType_IsSubtype(PyTypeObject*, PyTypeObject*) -> int` is the C API signature.
    let f: unsafe extern "C" fn(*mut PyTypeObject, *mut PyTypeObject) -> c_int =
        unsafe { std::mem::transmute(f) };
    // SAFETY: both arguments are type objects.
    unsafe { f(ob_type, ty) != 0 }
}

/// The `tp_name` of an object's type, for messages.
///
/// # Safety
/// `o` must be a valid object.
pub unsafe fn type_name(o: *mut PyObject) -> String {
    // SAFETY: the caller guarantees `o` is valid; a type's `tp_name` is a C string.
    unsafe {
        let ty = (*o).ob_type;
        if ty.is_null() || (*ty).tp_name.is_null() {
            return "?".into();
        }
        CStr::from_ptr((*ty).tp_name).to_string_lossy().into_owned()
    }
}

/// `PyModule_ExecDef(module, def)`.
///
/// # Safety
/// `module` must be a module created from `def`.
pub unsafe fn module_exec_def(module: *mut PyObject, def: *mut c_void) -> c_int {
    let f = lookup_required(c"PyModule_ExecDef");
    // SAFETY: `int PyModule_ExecDef(PyObject *, PyModuleDef *)` is the C API signature.
    let f: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> c_int =
        unsafe { std::mem::transmute(f) };
    // SAFETY: the caller's guarantee.
    unsafe { f(module, def) }
}

/// The `name` attribute of an `ImportError` (or subclass) instance: the module that could not
/// be imported; `None` for other exceptions or when `name` is not a str. Leaves no error set.
///
/// # Safety
/// `e` must be a live exception object.
pub unsafe fn import_error_name(e: *mut PyObject) -> Option<String> {
    let var = lookup_required(c"PyExc_ImportError") as *mut *mut PyObject;
    let matches = lookup_required(c"PyErr_GivenExceptionMatches");
    let getattr = lookup_required(c"PyObject_GetAttrString");
    let as_utf8 = lookup_required(c"PyUnicode_AsUTF8");
    let decref = lookup_required(c"Py_DecRef");
    // SAFETY: the C API's signatures for these functions.
    let (matches, getattr, as_utf8, decref) = unsafe {
        (
            std::mem::transmute::<
                *mut c_void,
                unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int,
            >(matches),
            std::mem::transmute::<
                *mut c_void,
                unsafe extern "C" fn(*mut PyObject, *const std::ffi::c_char) -> *mut PyObject,
            >(getattr),
            std::mem::transmute::<
                *mut c_void,
                unsafe extern "C" fn(*mut PyObject) -> *const std::ffi::c_char,
            >(as_utf8),
            std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut PyObject)>(decref),
        )
    };
    // SAFETY: `PyExc_ImportError` is a data symbol holding the type object's address; `e` is a
    // live exception (caller); the attribute is a new reference released here, and an error
    // raised while reading it is cleared so the caller's indicator stays as it was.
    unsafe {
        if matches(e, *var) == 0 {
            return None;
        }
        let name = getattr(e, c"name".as_ptr());
        let text = if name.is_null() {
            None
        } else {
            let p = as_utf8(name);
            let t = (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned());
            decref(name);
            t
        };
        if err_occurred() {
            gilgate_capi::host::clear_error();
        }
        text.filter(|t| !t.is_empty())
    }
}
