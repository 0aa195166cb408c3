//! The `_io` module gilgate provides itself: only the abstract I/O base classes (`_IOBase`,
//! `_RawIOBase`, `_BufferedIOBase`, `_TextIOBase`) that extensions look up or derive from
//! (`sys.stdout`'s type derives from `_TextIOBase`). CPython's is `Modules/_io/_iomodule.c`.

use crate::object::{Py_TPFLAGS_BASETYPE, PyObject, PyTypeObject, static_type};
use std::ffi::CStr;
use std::sync::OnceLock;

const fn io_type(name: &'static CStr) -> PyTypeObject {
    static_type(name, 40, 0, Py_TPFLAGS_BASETYPE)
}

/// `_io._IOBase`.
pub(crate) static mut IOBase_Type: PyTypeObject = io_type(c"_io._IOBase");
/// `_io._RawIOBase`.
pub(crate) static mut RawIOBase_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut IOBase_Type,
    ..io_type(c"_io._RawIOBase")
};
/// `_io._BufferedIOBase`.
pub(crate) static mut BufferedIOBase_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut IOBase_Type,
    ..io_type(c"_io._BufferedIOBase")
};
/// `_io._TextIOBase`.
pub(crate) static mut TextIOBase_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut IOBase_Type,
    ..io_type(c"_io._TextIOBase")
};

/// The types start-up readies (listed in `config::INITTAB`) (base first).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut IOBase_Type,
        &raw mut RawIOBase_Type,
        &raw mut BufferedIOBase_Type,
        &raw mut TextIOBase_Type,
    ]
}

/// The `_io` module (borrowed; lives for the process), or NULL with an exception.
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "_io", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("_io");
    // SAFETY: a live str; the types are static and ready.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if !m.is_null() {
            let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
            for (k, t) in [
                ("_IOBase", &raw mut IOBase_Type),
                ("_RawIOBase", &raw mut RawIOBase_Type),
                ("_BufferedIOBase", &raw mut BufferedIOBase_Type),
                ("_TextIOBase", &raw mut TextIOBase_Type),
            ] {
                crate::dictobject::set_item_str(d, k, t.cast());
            }
        }
        m
    }
}
