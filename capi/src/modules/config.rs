//! The table of gilgate's built-in modules, after CPython's `Modules/config.c` (its
//! `_PyImport_Inittab`): each module's name, the function that gives the module, and the
//! static types the runtime readies for it at start-up. The import system
//! (`runtime/import.rs`) and start-up (`runtime/pylifecycle.rs`) read this table and name no
//! module themselves.
//!
//! Adding a built-in module: write it in `modules/<stem>.rs` (CPython's file stem), list the
//! file in `modules/mod.rs` (and in the flat re-exports of `lib.rs`), and add its row here.

use crate::object::{PyObject, PyTypeObject};

/// One built-in module (CPython's `struct _inittab`, with the module's static types beside
/// it).
pub struct Inittab {
    /// The name it is imported by.
    pub name: &'static str,
    /// The module: a borrowed reference that lives for the process (created on first use), or
    /// NULL with an exception set.
    pub module: fn() -> *mut PyObject,
    /// The static types the runtime readies at start-up, bases first (`None`: it has none).
    pub static_types: Option<fn() -> Vec<*mut PyTypeObject>>,
}

/// gilgate's built-in modules. Start-up readies their static types in this order, so a module
/// whose types derive from another module's comes after it (`_io` before `sys`: `sys`'s
/// standard stream type derives from `_io._TextIOBase`).
pub static INITTAB: [Inittab; 6] = [
    Inittab {
        name: "builtins",
        module: crate::bltinmodule::module,
        static_types: None,
    },
    Inittab {
        name: "_io",
        module: crate::iomodule::module,
        static_types: Some(crate::iomodule::static_types),
    },
    Inittab {
        name: "sys",
        module: crate::sysmodule::module,
        static_types: Some(crate::sysmodule::static_types),
    },
    Inittab {
        name: "datetime",
        module: crate::datetime::module,
        static_types: Some(crate::datetime::static_types),
    },
    Inittab {
        name: "time",
        module: crate::timemodule::module,
        static_types: None,
    },
    Inittab {
        name: "binascii",
        module: crate::binascii::module,
        static_types: None,
    },
];

/// The built-in module named `name`, if gilgate has one.
pub fn find(name: &str) -> Option<&'static Inittab> {
    INITTAB.iter().find(|e| e.name == name)
}

/// The static types of every built-in module, in table order (bases first).
pub fn static_types() -> Vec<*mut PyTypeObject> {
    INITTAB
        .iter()
        .filter_map(|e| e.static_types)
        .flat_map(|f| f())
        .collect()
}
