//! `import.h`: module specs and imports.

use crate::object::{PyObject, PyTypeObject, static_type};
use crate::refcount::decref;
use crate::unicodeobject as uni;
use std::ptr::null_mut;

/// The instance layout of gilgate's `ModuleSpec`: a header and an attribute dict.
#[repr(C)]
pub struct SpecObject {
    pub ob_base: PyObject,
    pub dict: *mut PyObject,
}

/// `ModuleSpec` (importlib's class, here a static type whose attributes live in the dict).
pub static mut ModuleSpec_Type: PyTypeObject = PyTypeObject {
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
