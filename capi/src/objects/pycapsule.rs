//! `pycapsule.h`: capsules, opaque C pointers that extension modules hand to each other
//! (usually as a module attribute named `<module>.<attr>` that `PyCapsule_Import` finds).

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_AttributeError, EXC_ImportError, EXC_ValueError, raise};
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;

/// `PyCapsule_Destructor`.
pub type Destructor = Option<unsafe extern "C" fn(*mut PyObject)>;

/// The instance layout of a capsule (private in CPython too; the same fields).
#[repr(C)]
pub(crate) struct PyCapsule {
    pub ob_base: PyObject,
    pub pointer: *mut c_void,
    pub name: *const c_char,
    pub context: *mut c_void,
    pub destructor: Destructor,
    pub traverse: *mut c_void,
    pub clear: *mut c_void,
}

#[export]
pub static mut PyCapsule_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(capsule_dealloc),
    tp_repr: Some(capsule_repr),
    ..static_type(c"PyCapsule", std::mem::size_of::<PyCapsule>(), 0, 0)
};

unsafe extern "C" fn capsule_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead capsule (slot contract); the destructor is the owner's callback
    // and expects the capsule itself.
    unsafe {
        if let Some(d) = (*op.cast::<PyCapsule>()).destructor {
            crate::extcall::destructor(d, op);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn capsule_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live capsule (slot contract).
    let name = unsafe { (*op.cast::<PyCapsule>()).name };
    let shown = if name.is_null() {
        "NULL".to_string()
    } else {
        // SAFETY: a capsule's name is a NUL-terminated string owned by its creator.
        format!("\"{}\"", unsafe { CStr::from_ptr(name) }.to_string_lossy())
    };
    crate::unicodeobject::from_str(&format!("<capsule object {shown} at {op:p}>"))
}

/// Whether two capsule names match: both NULL, or equal strings.
///
/// # Safety
/// Non-NULL names must be NUL-terminated.
unsafe fn names_match(a: *const c_char, b: *const c_char) -> bool {
    if a.is_null() || b.is_null() {
        return a == b;
    }
    // SAFETY: both are NUL-terminated (caller).
    unsafe { CStr::from_ptr(a) == CStr::from_ptr(b) }
}

/// The capsule behind `op` when it is a capsule with a non-NULL pointer; otherwise raises
/// `ValueError("<api> called with invalid PyCapsule object")`.
///
/// # Safety
/// `op` is NULL or a live object.
unsafe fn legal(op: *mut PyObject, api: &str) -> Option<*mut PyCapsule> {
    // SAFETY: `op` is NULL or live (caller).
    let ok = !op.is_null()
        && unsafe { (*op).ob_type } == &raw mut PyCapsule_Type
        && !unsafe { (*op.cast::<PyCapsule>()).pointer }.is_null();
    if ok {
        Some(op.cast())
    } else {
        raise(
            &raw mut EXC_ValueError,
            &format!("{api} called with invalid PyCapsule object"),
        );
        None
    }
}

/// A new capsule (new reference), or NULL with `ValueError` for a NULL pointer.
pub(crate) fn new_capsule(
    pointer: *mut c_void,
    name: *const c_char,
    destructor: Destructor,
) -> *mut PyObject {
    if pointer.is_null() {
        return raise(
            &raw mut EXC_ValueError,
            "PyCapsule_New called with null pointer",
        );
    }
    // SAFETY: PyCapsule_Type is a static type readied at start-up.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut PyCapsule_Type, 0) };
    if op.is_null() {
        return op;
    }
    // SAFETY: a fresh zeroed capsule.
    unsafe {
        let c = op.cast::<PyCapsule>();
        (*c).pointer = pointer;
        (*c).name = name;
        (*c).destructor = destructor;
    }
    op
}

/// The capsule's pointer when its name matches `name`; NULL with `ValueError` otherwise.
///
/// # Safety
/// `op` is NULL or a live object; `name` NULL or NUL-terminated.
pub(crate) unsafe fn get_pointer(op: *mut PyObject, name: *const c_char) -> *mut c_void {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(c) = legal(op, "PyCapsule_GetPointer") else {
            return null_mut();
        };
        if !names_match((*c).name, name) {
            raise(
                &raw mut EXC_ValueError,
                "PyCapsule_GetPointer called with incorrect name",
            );
            return null_mut();
        }
        (*c).pointer
    }
}

/// `PyCapsule_IsValid`: a capsule with a pointer and this name (never raises).
///
/// # Safety
/// `op` is NULL or a live object; `name` NULL or NUL-terminated.
pub(crate) unsafe fn is_valid(op: *mut PyObject, name: *const c_char) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        !op.is_null()
            && (*op).ob_type == &raw mut PyCapsule_Type
            && !(*op.cast::<PyCapsule>()).pointer.is_null()
            && names_match((*op.cast::<PyCapsule>()).name, name)
    }
}

/// `PyCapsule_Import`: imports the module named by the first component of `path`, follows
/// the remaining components as attributes (importing a submodule of a package when the
/// attribute is missing), and returns the pointer of the capsule found there, whose name
/// must be `path` itself.
pub(crate) fn import_capsule(path: &str) -> *mut c_void {
    let mut parts = path.split('.');
    let first = parts.next().unwrap_or_default();
    let mut obj = crate::import::import_module(first);
    if obj.is_null() {
        if !crate::pyerrors::occurred() {
            raise(
                &raw mut EXC_ImportError,
                &format!("PyCapsule_Import could not import module \"{first}\""),
            );
        }
        return null_mut();
    }
    let mut prefix = first.to_string();
    for part in parts {
        prefix.push('.');
        prefix.push_str(part);
        let key = crate::unicodeobject::from_str(part);
        if key.is_null() {
            // SAFETY: our reference.
            unsafe { crate::refcount::decref(obj) };
            return null_mut();
        }
        let mut next = null_mut();
        // SAFETY: `obj` and `key` are live; getattr_opt gives a new reference or NULL.
        let rc = unsafe { crate::object::getattr_opt(obj, key, &mut next) };
        if rc == 0 && crate::import::is_package(obj) {
            next = crate::import::import_module(&prefix);
            if next.is_null() && crate::import::current_is_not_found(&prefix) {
                // No such submodule either: the attribute's own error, which says when the
                // package's Python code (not run) would have set it.
                crate::pyerrors::clear();
                // SAFETY: live objects; raises the module's AttributeError.
                next = unsafe { crate::object::getattr(obj, key) };
            }
        } else if rc == 0 {
            // SAFETY: live objects; raises AttributeError.
            unsafe { crate::object::no_attribute(obj, key) };
        }
        // SAFETY: our reference.
        unsafe { crate::refcount::decref(key) };
        // SAFETY: our reference.
        unsafe { crate::refcount::decref(obj) };
        if next.is_null() {
            return null_mut();
        }
        obj = next;
    }
    let cname = std::ffi::CString::new(path).unwrap_or_default();
    // SAFETY: `obj` is live; `cname` is NUL-terminated.
    let ptr = if unsafe { is_valid(obj, cname.as_ptr()) } {
        // SAFETY: checked valid above.
        unsafe { (*obj.cast::<PyCapsule>()).pointer }
    } else {
        raise(
            &raw mut EXC_AttributeError,
            &format!("PyCapsule_Import \"{path}\" is not valid"),
        );
        null_mut()
    };
    // SAFETY: our reference; the capsule stays alive in its module.
    unsafe { crate::refcount::decref(obj) };
    ptr
}

#[export]
pub unsafe fn PyCapsule_New(
    pointer: *mut c_void,
    name: *const c_char,
    destructor: Destructor,
) -> *mut PyObject {
    new_capsule(pointer, name, destructor)
}

#[export]
pub unsafe fn PyCapsule_GetPointer(op: *mut PyObject, name: *const c_char) -> *mut c_void {
    // SAFETY: C API contract: `op` NULL or live, `name` NULL or NUL-terminated.
    unsafe { get_pointer(op, name) }
}

#[export]
pub unsafe fn PyCapsule_GetName(op: *mut PyObject) -> *const c_char {
    // SAFETY: C API contract: `op` NULL or live.
    unsafe { legal(op, "PyCapsule_GetName").map_or(std::ptr::null(), |c| (*c).name) }
}

#[export]
pub unsafe fn PyCapsule_GetContext(op: *mut PyObject) -> *mut c_void {
    // SAFETY: C API contract: `op` NULL or live.
    unsafe { legal(op, "PyCapsule_GetContext").map_or(null_mut(), |c| (*c).context) }
}

#[export(err = None)]
pub unsafe fn PyCapsule_GetDestructor(op: *mut PyObject) -> Destructor {
    // SAFETY: C API contract: `op` NULL or live.
    unsafe { legal(op, "PyCapsule_GetDestructor").and_then(|c| (*c).destructor) }
}

#[export]
pub unsafe fn PyCapsule_IsValid(op: *mut PyObject, name: *const c_char) -> c_int {
    // SAFETY: C API contract.
    c_int::from(unsafe { is_valid(op, name) })
}

#[export]
pub unsafe fn PyCapsule_SetPointer(op: *mut PyObject, pointer: *mut c_void) -> c_int {
    if pointer.is_null() {
        raise(
            &raw mut EXC_ValueError,
            "PyCapsule_SetPointer called with null pointer",
        );
        return -1;
    }
    // SAFETY: C API contract: `op` NULL or live.
    match unsafe { legal(op, "PyCapsule_SetPointer") } {
        Some(c) => {
            // SAFETY: a live capsule.
            unsafe { (*c).pointer = pointer };
            0
        }
        None => -1,
    }
}

/// Shared body of the `PyCapsule_Set*` functions for one field.
fn set_field(op: *mut PyObject, api: &'static str, f: impl FnOnce(&mut PyCapsule)) -> c_int {
    // SAFETY: C API contract: `op` NULL or live.
    match unsafe { legal(op, api) } {
        Some(c) => {
            // SAFETY: a live capsule, not otherwise borrowed here.
            f(unsafe { &mut *c });
            0
        }
        None => -1,
    }
}

#[export]
pub unsafe fn PyCapsule_SetName(op: *mut PyObject, name: *const c_char) -> c_int {
    set_field(op, "PyCapsule_SetName", |c| c.name = name)
}

#[export]
pub unsafe fn PyCapsule_SetContext(op: *mut PyObject, context: *mut c_void) -> c_int {
    set_field(op, "PyCapsule_SetContext", |c| c.context = context)
}

#[export]
pub unsafe fn PyCapsule_SetDestructor(op: *mut PyObject, destructor: Destructor) -> c_int {
    set_field(op, "PyCapsule_SetDestructor", |c| c.destructor = destructor)
}

#[export]
pub unsafe fn PyCapsule_Import(name: *const c_char, no_block: c_int) -> *mut c_void {
    let _ = no_block; // imports never block in gilgate (one importing thread)
    if name.is_null() {
        crate::pyerrors::bad_internal_call();
        return null_mut();
    }
    // SAFETY: a NUL-terminated name (C API contract).
    let path = unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned();
    import_capsule(&path)
}
