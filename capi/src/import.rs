//! `import.h`: module specs and imports.

use crate::object::PyObject;

/// A new module spec object (what importlib's `ModuleSpec` gives a create slot): `name`,
/// `loader` (None), `origin`, `parent` (the package part of `name`, `''` for top level),
/// `submodule_search_locations` (None), `has_location`. Returns a new reference.
pub fn new_module_spec(name: &str, origin: Option<&str>) -> *mut PyObject {
    let _ = (name, origin);
    unimplemented!("new_module_spec")
}
