//! gilgate's own `__future__` module. CPython's is Python (`Lib/__future__.py`, so no C file
//! stem to follow; this file is named after the module): the ten feature records
//! (`nested_scopes` ... `annotations`, each a `_Feature` with its optional and mandatory
//! releases and compiler flag), `all_feature_names`, the `CO_*` flags and the `_Feature` class
//! itself. mypyc-compiled modules import it for `from __future__ import annotations`.

use crate::longobject::method;
use crate::methodobject::{METH_NOARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::refcount::{decref, incref, xdecref};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// A `_Feature`: the three attributes CPython's class sets in `__init__`.
#[repr(C)]
struct Feature {
    ob_base: PyObject,
    optional: *mut PyObject,
    mandatory: *mut PyObject,
    compiler_flag: *mut PyObject,
}

/// # Safety
/// `op` must be a live `_Feature`.
unsafe fn field<'a>(op: *mut PyObject, i: usize) -> &'a mut *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let f = &mut *op.cast::<Feature>();
        match i {
            0 => &mut f.optional,
            1 => &mut f.mandatory,
            _ => &mut f.compiler_flag,
        }
    }
}

unsafe extern "C" fn feature_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("__future__._Feature", null_mut(), || {
        // SAFETY: tp_new contract: a type, a tuple and NULL or a dict.
        unsafe {
            let given = crate::tupleobject::items(args).len();
            if given > 3 {
                // a Python method: `self` counts among the positional arguments
                return crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    &format!(
                        "_Feature.__init__() takes 4 positional arguments but {} were given",
                        given + 1
                    ),
                );
            }
            let names = ["optionalRelease", "mandatoryRelease", "compiler_flag"];
            let Some(a) = crate::importlib::py_args("_Feature.__init__", args, kw, &names, 3)
            else {
                return null_mut();
            };
            let op = crate::objimpl::alloc_object(t, 0);
            if op.is_null() {
                return null_mut();
            }
            for (i, &v) in a.iter().enumerate() {
                incref(v);
                *field(op, i) = v;
            }
            op
        }
    })
}

unsafe extern "C" fn feature_dealloc(op: *mut PyObject) {
    // SAFETY: a dead _Feature (slot contract): its fields are owned.
    unsafe {
        for i in 0..3 {
            xdecref(*field(op, i));
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn feature_get(op: *mut PyObject, c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live _Feature; the closure is the field's index.
    unsafe { get(op, c as usize) }
}

unsafe extern "C" fn feature_set(
    op: *mut PyObject,
    v: *mut PyObject,
    c: *mut c_void,
) -> std::ffi::c_int {
    // SAFETY: setter contract: a live _Feature; `v` live (NULL to delete, which CPython's
    // instance attributes allow; gilgate keeps None then).
    unsafe {
        let v = if v.is_null() {
            crate::object::none()
        } else {
            v
        };
        incref(v);
        let slot = field(op, c as usize);
        let old = std::mem::replace(slot, v);
        xdecref(old);
        0
    }
}

/// A new reference to field `i` of a live `_Feature`.
///
/// # Safety
/// `op` must be a live `_Feature`.
unsafe fn get(op: *mut PyObject, i: usize) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let v = *field(op, i);
        incref(v);
        v
    }
}

unsafe extern "C" fn get_optional(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of _Feature.
    unsafe { get(op, 0) }
}

unsafe extern "C" fn get_mandatory(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of _Feature.
    unsafe { get(op, 1) }
}

unsafe extern "C" fn feature_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live _Feature whose fields are live.
    unsafe {
        let t = crate::tupleobject::new_tuple(3);
        if t.is_null() {
            return t;
        }
        for i in 0..3 {
            let v = *field(op, i);
            incref(v);
            crate::tupleobject::PyTuple_SetItem(t, i as isize, v);
        }
        let r = crate::object::PyObject_Repr(t);
        decref(t);
        if r.is_null() {
            return r;
        }
        let s = crate::object::str_string(r);
        decref(r);
        crate::unicodeobject::from_str(&format!("_Feature{s}"))
    }
}

static mut FEATURE_METHODS: [PyMethodDef; 3] = [
    method(
        c"getOptionalRelease",
        get_optional as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"getMandatoryRelease",
        get_mandatory as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

const fn attr(name: &'static std::ffi::CStr, i: usize) -> crate::descrobject::PyGetSetDef {
    crate::descrobject::PyGetSetDef {
        name: name.as_ptr(),
        get: Some(feature_get),
        set: Some(feature_set),
        doc: std::ptr::null(),
        closure: i as *mut c_void,
    }
}

static mut FEATURE_GETSET: [crate::descrobject::PyGetSetDef; 4] = [
    attr(c"optional", 0),
    attr(c"mandatory", 1),
    attr(c"compiler_flag", 2),
    crate::descrobject::PyGetSetDef::END,
];

pub(crate) static mut Feature_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(feature_new),
    tp_dealloc: Some(feature_dealloc),
    tp_repr: Some(feature_repr),
    tp_methods: (&raw mut FEATURE_METHODS).cast(),
    tp_getset: (&raw mut FEATURE_GETSET).cast(),
    ..static_type(
        c"__future__._Feature",
        size_of::<Feature>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut Feature_Type]
}

/// A release as CPython writes it: (major, minor, micro, level, serial).
type Release = (i64, i64, i64, &'static str, i64);

/// The features, in CPython's order: name, optional release, mandatory release, flag name.
const FEATURES: [(&str, Release, Option<Release>, &str); 10] = [
    (
        "nested_scopes",
        (2, 1, 0, "beta", 1),
        Some((2, 2, 0, "alpha", 0)),
        "CO_NESTED",
    ),
    (
        "generators",
        (2, 2, 0, "alpha", 1),
        Some((2, 3, 0, "final", 0)),
        "CO_GENERATOR_ALLOWED",
    ),
    (
        "division",
        (2, 2, 0, "alpha", 2),
        Some((3, 0, 0, "alpha", 0)),
        "CO_FUTURE_DIVISION",
    ),
    (
        "absolute_import",
        (2, 5, 0, "alpha", 1),
        Some((3, 0, 0, "alpha", 0)),
        "CO_FUTURE_ABSOLUTE_IMPORT",
    ),
    (
        "with_statement",
        (2, 5, 0, "alpha", 1),
        Some((2, 6, 0, "alpha", 0)),
        "CO_FUTURE_WITH_STATEMENT",
    ),
    (
        "print_function",
        (2, 6, 0, "alpha", 2),
        Some((3, 0, 0, "alpha", 0)),
        "CO_FUTURE_PRINT_FUNCTION",
    ),
    (
        "unicode_literals",
        (2, 6, 0, "alpha", 2),
        Some((3, 0, 0, "alpha", 0)),
        "CO_FUTURE_UNICODE_LITERALS",
    ),
    (
        "barry_as_FLUFL",
        (3, 1, 0, "alpha", 2),
        Some((4, 0, 0, "alpha", 0)),
        "CO_FUTURE_BARRY_AS_BDFL",
    ),
    (
        "generator_stop",
        (3, 5, 0, "beta", 1),
        Some((3, 7, 0, "alpha", 0)),
        "CO_FUTURE_GENERATOR_STOP",
    ),
    (
        "annotations",
        (3, 7, 0, "beta", 1),
        None,
        "CO_FUTURE_ANNOTATIONS",
    ),
];

/// The compiler flags (CPython's `CO_*` values for these features).
const FLAGS: [(&str, i64); 10] = [
    ("CO_NESTED", 0x0010),
    ("CO_GENERATOR_ALLOWED", 0),
    ("CO_FUTURE_DIVISION", 0x20000),
    ("CO_FUTURE_ABSOLUTE_IMPORT", 0x40000),
    ("CO_FUTURE_WITH_STATEMENT", 0x80000),
    ("CO_FUTURE_PRINT_FUNCTION", 0x100000),
    ("CO_FUTURE_UNICODE_LITERALS", 0x200000),
    ("CO_FUTURE_BARRY_AS_BDFL", 0x400000),
    ("CO_FUTURE_GENERATOR_STOP", 0x800000),
    ("CO_FUTURE_ANNOTATIONS", 0x1000000),
];

fn release(r: Release) -> *mut PyObject {
    let t = crate::tupleobject::new_tuple(5);
    if t.is_null() {
        return t;
    }
    let items = [
        crate::longobject::from_i64(r.0),
        crate::longobject::from_i64(r.1),
        crate::longobject::from_i64(r.2),
        crate::unicodeobject::from_str(r.3),
        crate::longobject::from_i64(r.4),
    ];
    for (i, v) in items.into_iter().enumerate() {
        // SAFETY: a fresh tuple; each item a new reference (NULL only on memory failure,
        // which the tuple holds as an empty slot).
        unsafe { crate::tupleobject::PyTuple_SetItem(t, i as isize, v) };
    }
    t
}

/// The `__future__` module (a borrowed, process-lifetime reference; NULL with an exception if
/// it could not be made).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "__future__", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("__future__");
    // SAFETY: `name` is a live str; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        for (k, v) in FLAGS {
            let o = crate::longobject::from_i64(v);
            crate::dictobject::set_item_str(d, k, o);
            decref(o);
        }
        let all = crate::listobject::PyList_New(0);
        let names = crate::listobject::PyList_New(0);
        if all.is_null() || names.is_null() {
            decref(m);
            return null_mut();
        }
        let s = crate::unicodeobject::from_str("all_feature_names");
        crate::listobject::PyList_Append(all, s);
        decref(s);
        for (fname, opt, mand, flag) in FEATURES {
            let flag = FLAGS
                .iter()
                .find(|(k, _)| *k == flag)
                .map_or(0, |&(_, v)| v);
            let f = crate::objimpl::alloc_object(&raw mut Feature_Type, 0);
            if f.is_null() {
                decref(m);
                return null_mut();
            }
            *field(f, 0) = release(opt);
            *field(f, 1) = match mand {
                Some(r) => release(r),
                None => crate::object::new_none(),
            };
            *field(f, 2) = crate::longobject::from_i64(flag);
            crate::dictobject::set_item_str(d, fname, f);
            decref(f);
            let s = crate::unicodeobject::from_str(fname);
            crate::listobject::PyList_Append(all, s);
            crate::listobject::PyList_Append(names, s);
            decref(s);
        }
        crate::dictobject::set_item_str(d, "all_feature_names", names);
        crate::dictobject::set_item_str(d, "__all__", all);
        crate::dictobject::set_item_str(d, "_Feature", (&raw mut Feature_Type).cast());
        decref(names);
        decref(all);
        m
    }
}
