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
pub(crate) struct Inittab {
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
pub(crate) static INITTAB: &[Inittab] = &[
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
    Inittab {
        name: "abc",
        module: crate::abc::module,
        static_types: Some(crate::abc::static_types),
    },
    // `collections.abc` itself (CPython 3.14's module object of that name).
    Inittab {
        name: "_collections_abc",
        module: crate::collections_abc::module,
        static_types: None,
    },
    Inittab {
        name: "numbers",
        module: crate::numbers::module,
        static_types: None,
    },
    Inittab {
        name: "enum",
        module: crate::r#enum::module,
        static_types: None,
    },
    Inittab {
        name: "types",
        module: crate::types::module,
        static_types: Some(crate::types::static_types),
    },
    Inittab {
        name: "__future__",
        module: crate::future::module,
        static_types: Some(crate::future::static_types),
    },
    Inittab {
        name: "importlib",
        module: crate::importlib::module,
        static_types: Some(crate::importlib::static_types),
    },
    Inittab {
        name: "importlib._bootstrap",
        module: crate::importlib::bootstrap_module,
        static_types: None,
    },
    Inittab {
        name: "math",
        module: crate::mathmodule::module,
        static_types: None,
    },
    Inittab {
        name: "zlib",
        module: crate::zlibmodule::module,
        static_types: Some(crate::zlibmodule::static_types),
    },
    Inittab {
        name: "collections",
        module: crate::collections::module,
        static_types: Some(crate::collections::static_types),
    },
    Inittab {
        name: "operator",
        module: crate::operator::module,
        static_types: Some(crate::operator::static_types),
    },
    Inittab {
        name: "functools",
        module: crate::functools::module,
        static_types: Some(crate::functools::static_types),
    },
    Inittab {
        name: "heapq",
        module: crate::heapq::module,
        static_types: Some(crate::heapq::static_types),
    },
    Inittab {
        name: "itertools",
        module: crate::itertoolsmodule::module,
        static_types: Some(crate::itertoolsmodule::static_types),
    },
    Inittab {
        name: "copy",
        module: crate::copy::module,
        static_types: None,
    },
    Inittab {
        name: "weakref",
        module: crate::weakref::module,
        static_types: Some(crate::weakref::static_types),
    },
    Inittab {
        name: "copyreg",
        module: crate::copyreg::module,
        static_types: None,
    },
    Inittab {
        name: "string",
        module: crate::string::module,
        static_types: None,
    },
    Inittab {
        name: "logging",
        module: crate::logging::module,
        static_types: None,
    },
    Inittab {
        name: "warnings",
        module: crate::modules::warnings::module,
        static_types: Some(crate::modules::warnings::static_types),
    },
    Inittab {
        name: "_warnings",
        module: crate::modules::warnings::c_module,
        static_types: None,
    },
    Inittab {
        name: "array",
        module: crate::arraymodule::module,
        static_types: Some(crate::arraymodule::static_types),
    },
    Inittab {
        name: "_thread",
        module: crate::threadmodule::module,
        static_types: Some(crate::threadmodule::static_types),
    },
    Inittab {
        name: "threading",
        module: crate::threading::module,
        static_types: Some(crate::threading::static_types),
    },
    Inittab {
        name: "stat",
        module: crate::stat::module,
        static_types: None,
    },
    Inittab {
        name: "posixpath",
        module: crate::posixpath::module,
        static_types: None,
    },
    Inittab {
        name: "os.path",
        module: crate::posixpath::module,
        static_types: None,
    },
    Inittab {
        name: "os",
        module: crate::posixmodule::module,
        static_types: None,
    },
    Inittab {
        name: "posix",
        module: crate::posixmodule::posix_module,
        static_types: None,
    },
];

/// The names of the built-in modules, in table order (`sys.builtin_module_names` sorts them).
pub fn names() -> impl Iterator<Item = &'static str> {
    INITTAB.iter().map(|e| e.name)
}

/// The built-in module named `name`, if gilgate has one.
pub(crate) fn find(name: &str) -> Option<&'static Inittab> {
    INITTAB.iter().find(|e| e.name == name)
}

/// The static types of every built-in module, in table order (bases first).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    INITTAB
        .iter()
        .filter_map(|e| e.static_types)
        .flat_map(|f| f())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_imports_under_its_name_and_its_types_are_ready() {
        crate::pylifecycle::initialize().expect("runtime initializes");
        for (i, e) in INITTAB.iter().enumerate() {
            assert!(
                INITTAB[..i].iter().all(|o| o.name != e.name),
                "{} twice",
                e.name
            );
            assert!(crate::import::is_builtin_name(e.name));
            let m = crate::import::import_module(e.name);
            assert!(!m.is_null(), "import {}", e.name);
            assert_eq!(m, (e.module)(), "{} is the table's module", e.name);
            // SAFETY: `m` is a live module; `__name__` is a str it holds.
            unsafe {
                let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
                let n = crate::dictobject::get_str(d, "__name__");
                // `_collections_abc` is the module named `collections.abc`, and `os.path` is
                // `posixpath`, as in CPython.
                let want = match e.name {
                    "_collections_abc" => "collections.abc",
                    "os.path" => "posixpath",
                    n => n,
                };
                assert_eq!(crate::unicodeobject::as_str(n), Some(want));
                crate::refcount::decref(m);
            }
        }
        assert!(find("no_such_builtin").is_none());
        assert!(!crate::import::is_builtin_name("no_such_builtin"));
        let types = static_types();
        assert!(types.contains(&(&raw mut crate::iomodule::TextIOBase_Type)));
        for t in types {
            // SAFETY: the table's types are gilgate's static type objects.
            let flags = unsafe { (*t).tp_flags };
            assert_ne!(flags & crate::object::Py_TPFLAGS_READY, 0);
        }
    }

    #[test]
    fn import_and_start_up_name_no_builtin_module() {
        for (file, src) in [
            ("runtime/import.rs", include_str!("../runtime/import.rs")),
            (
                "runtime/pylifecycle.rs",
                include_str!("../runtime/pylifecycle.rs"),
            ),
        ] {
            for e in INITTAB {
                let lit = format!("\"{}\"", e.name);
                assert!(!src.contains(&lit), "{file} names {lit}: read INITTAB");
            }
        }
        // Module types reach start-up through this table only.
        for line in include_str!("../runtime/pylifecycle.rs").lines() {
            if line.contains("::static_types()") {
                assert!(line.contains("config::static_types()"), "{line}");
            }
        }
    }
}
