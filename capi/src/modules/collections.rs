//! gilgate's own `collections` package (CPython's `Lib/collections/__init__.py` with the C
//! parts of `Modules/_collectionsmodule.c`), written natively: `deque` ([`deque`]),
//! `defaultdict`, `OrderedDict` and `Counter` ([`dicts`]), `namedtuple` ([`namedtuple`]),
//! `ChainMap`, `UserDict`, `UserList` and `UserString` ([`user`]).
//!
//! `collections.abc` is CPython's `_collections_abc` module, provided by its own module file:
//! the package imports it by name when it is created and, when gilgate has it, binds it as the
//! attribute `abc` and as `sys.modules['collections.abc']` (so `import collections.abc` finds
//! it there); without it, this package still works and `collections.abc` is not found.

use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, PyTypeObject};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::refcount::{decref, xdecref};
use std::ffi::CStr;
use std::ptr::null_mut;
use std::sync::OnceLock;

pub(crate) mod deque;
pub(crate) mod dicts;
pub(crate) mod namedtuple;
pub(crate) mod user;

/// The package (address; created once, kept for the process).
static MODULE: OnceLock<usize> = OnceLock::new();

/// The `collections` package (a borrowed, process-lifetime reference; NULL with an exception
/// if it could not be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "collections", build)
}

/// `collections.abc`: the `_collections_abc` module, imported by name (borrowed; NULL with the
/// import's error when gilgate has no such module).
pub(crate) fn abc_module() -> *mut PyObject {
    static ABC: OnceLock<usize> = OnceLock::new();
    if let Some(&m) = ABC.get() {
        return m as *mut PyObject;
    }
    let m = crate::import::import_module("_collections_abc");
    if m.is_null() {
        return m;
    }
    // The first import keeps its reference for the process.
    let mut first = false;
    let kept = *ABC.get_or_init(|| {
        first = true;
        m as usize
    });
    if kept != m as usize {
        // SAFETY: our extra reference.
        unsafe { decref(m) };
    }
    if first {
        register_with_abcs(kept as *mut PyObject);
    }
    kept as *mut PyObject
}

/// What `collections/__init__.py` registers (`MutableSequence.register(deque)`), and the ABC
/// each wrapper class derives from in CPython (registered here: gilgate's classes are static
/// types, so `isinstance`/`issubclass` hold though the ABCs are not in their MRO). Failures
/// are dropped: the classes work without the ABCs.
fn register_with_abcs(abc: *mut PyObject) {
    let pairs: [(&CStr, *mut PyTypeObject); 5] = [
        (c"MutableSequence", &raw mut deque::Deque_Type),
        (c"MutableMapping", &raw mut user::UserDict_Type),
        (c"MutableMapping", &raw mut user::ChainMap_Type),
        (c"MutableSequence", &raw mut user::UserList_Type),
        (c"Sequence", &raw mut user::UserString_Type),
    ];
    for (name, t) in pairs {
        // SAFETY: `abc` is the live `_collections_abc` module; `t` a ready static type.
        unsafe {
            let a = crate::object::PyObject_GetAttrString(abc, name.as_ptr());
            if a.is_null() {
                crate::pyerrors::clear();
                continue;
            }
            let r = crate::abstract_::call_method(a, "register", &[t.cast()]);
            decref(a);
            if r.is_null() {
                crate::pyerrors::clear();
            } else {
                decref(r);
            }
        }
    }
}

/// The static types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    let mut v = deque::static_types();
    v.extend(dicts::static_types());
    v.extend(namedtuple::static_types());
    v.extend(user::static_types());
    for &t in &v {
        // SAFETY: our own static types, patched once before start-up hands them out.
        unsafe { inherit_from_base(t) };
    }
    v
}

/// gilgate's static types are built ready (no `PyType_Ready` pass), so a subtype of `dict`
/// takes what it leaves empty from its base here: the protocol tables (whole, or slot by
/// slot), iteration, hashing, comparison and deallocation.
///
/// # Safety
/// `t` must be one of this module's static types, not yet in use.
unsafe fn inherit_from_base(t: *mut PyTypeObject) {
    // SAFETY: forwarded contract; the base is a ready static type.
    unsafe {
        let t = &mut *t;
        let b = &*t.tp_base;
        if t.tp_base == &raw mut crate::object::PyBaseObject_Type {
            return;
        }
        macro_rules! sub {
            ($field:ident, $($f:ident),*) => {
                if t.$field.is_null() {
                    t.$field = b.$field;
                } else if !b.$field.is_null() {
                    let (ts, bs) = (&mut *t.$field, &*b.$field);
                    $( if ts.$f.is_none() { ts.$f = bs.$f; } )*
                }
            };
        }
        sub!(tp_as_mapping, mp_length, mp_subscript, mp_ass_subscript);
        sub!(
            tp_as_sequence,
            sq_length,
            sq_concat,
            sq_repeat,
            sq_item,
            sq_ass_item,
            sq_contains,
            sq_inplace_concat,
            sq_inplace_repeat
        );
        sub!(tp_as_number, nb_or, nb_inplace_or, nb_bool);
        macro_rules! copy {
            ($($f:ident),*) => { $( if t.$f.is_none() { t.$f = b.$f; } )* };
        }
        copy!(tp_iter, tp_iternext, tp_hash, tp_richcompare, tp_init);
        if t.tp_basicsize == 0 {
            t.tp_basicsize = b.tp_basicsize;
        }
        if let (Some(mine), Some(object_repr)) =
            (t.tp_repr, crate::object::PyBaseObject_Type.tp_repr)
            && std::ptr::fn_addr_eq(mine, object_repr)
        {
            t.tp_repr = b.tp_repr;
        }
        if matches!(t.tp_dealloc, Some(f) if std::ptr::fn_addr_eq(f, crate::objimpl::plain_dealloc as unsafe extern "C" fn(_)))
        {
            t.tp_dealloc = b.tp_dealloc;
        }
    }
}

static mut FUNCTIONS: [PyMethodDef; 2] = [
    crate::longobject::method(
        c"namedtuple",
        namedtuple::namedtuple as *mut std::ffi::c_void,
        crate::methodobject::METH_VARARGS | crate::methodobject::METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("collections");
    // SAFETY: `name` is a live str; the tables and types are static and ready; every object
    // put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        // `deque[int]`, `defaultdict[str, int]` (the dict subclasses inherit dict's).
        for t in [&raw mut deque::Deque_Type, &raw mut dicts::DefaultDict_Type] {
            if !crate::genericaliasobject::add_class_getitem(t) {
                decref(m);
                return null_mut();
            }
        }
        let types: [(&str, *mut PyTypeObject); 8] = [
            ("deque", &raw mut deque::Deque_Type),
            ("defaultdict", &raw mut dicts::DefaultDict_Type),
            ("OrderedDict", &raw mut dicts::OrderedDict_Type),
            ("Counter", &raw mut dicts::Counter_Type),
            ("ChainMap", &raw mut user::ChainMap_Type),
            ("UserDict", &raw mut user::UserDict_Type),
            ("UserList", &raw mut user::UserList_Type),
            ("UserString", &raw mut user::UserString_Type),
        ];
        for (k, t) in types {
            crate::dictobject::set_item_str(d, k, t.cast());
        }
        // `__path__` = []: a package, so `collections.abc` is looked for.
        let path = crate::listobject::new_list(0);
        crate::dictobject::set_item_str(d, "__path__", path);
        xdecref(path);
        let all = crate::listobject::new_list(0);
        for n in [
            "ChainMap",
            "Counter",
            "OrderedDict",
            "UserDict",
            "UserList",
            "UserString",
            "defaultdict",
            "deque",
            "namedtuple",
        ] {
            let s = crate::unicodeobject::from_str(n);
            crate::listobject::append(all, s);
            decref(s);
        }
        crate::dictobject::set_item_str(d, "__all__", all);
        decref(all);
        // `collections.abc`, when gilgate has `_collections_abc`; else later, on import.
        let abc = abc_module();
        if abc.is_null() {
            crate::pyerrors::clear();
        } else {
            crate::dictobject::set_item_str(d, "abc", abc);
            let sys_modules = crate::import::modules_dict();
            if !sys_modules.is_null() {
                crate::dictobject::set_item_str(sys_modules, "collections.abc", abc);
            }
        }
        m
    }
}

// --- helpers shared by the parts ---

/// A new str.
pub(crate) fn s(text: &str) -> *mut PyObject {
    crate::unicodeobject::from_str(text)
}

/// The type's `__name__` (`_PyType_Name`).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn type_name_of(op: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    let full = unsafe { crate::object::type_name(crate::object::ty(op)) };
    match full.rfind('.') {
        Some(i) => full[i + 1..].to_string(),
        None => full,
    }
}

/// The repr of `op` as a Rust string (None with the exception set).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn repr_of(op: *mut PyObject) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe { crate::iterobject::repr_all(&[op]).map(|mut v| v.remove(0)) }
}

/// Positional and keyword arguments by name (`names` in order; borrowed, NULL where not
/// given), with CPython's argument-clinic messages; None with TypeError.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
pub(crate) unsafe fn parse(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        if pos.len() > names.len() {
            let expected = if required == names.len() {
                format!("{}", names.len())
            } else {
                format!("at most {}", names.len())
            };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes {expected} argument{} ({} given)",
                    if names.len() == 1 { "" } else { "s" },
                    pos.len()
                ),
            );
            return None;
        }
        let mut out = vec![null_mut(); names.len()];
        out[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = crate::unicodeobject::as_str(k).unwrap_or("");
                match names.iter().position(|n| *n == key) {
                    Some(i) if i < pos.len() => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for {func}() given by name ('{key}') and position ({})",
                                i + 1
                            ),
                        );
                        return None;
                    }
                    Some(i) => out[i] = v,
                    None => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got an unexpected keyword argument '{key}'"),
                        );
                        return None;
                    }
                }
            }
        }
        if let Some(i) = out[..required].iter().position(|p| p.is_null()) {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() missing required argument '{}' (pos {})",
                    names[i],
                    i + 1
                ),
            );
            return None;
        }
        Some(out)
    }
}

/// Raises `TypeError: NAME() takes no keyword arguments` when `kw` holds any.
///
/// # Safety
/// `kw` must be NULL or a dict.
pub(crate) unsafe fn no_keywords(func: &str, kw: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    if !kw.is_null() && unsafe { crate::dictobject::PyDict_Size(kw) } > 0 {
        raise(
            &raw mut EXC_TypeError,
            &format!("{func}() takes no keyword arguments"),
        );
        return false;
    }
    true
}

/// A new tuple of `objs` (each gets a new reference).
///
/// # Safety
/// Each must be a live object.
pub(crate) unsafe fn tuple_of(objs: &[*mut PyObject]) -> *mut PyObject {
    let t = crate::tupleobject::new_tuple(objs.len());
    if t.is_null() {
        return t;
    }
    for (i, &o) in objs.iter().enumerate() {
        // SAFETY: a fresh tuple of this size; the new reference is stolen by the slot.
        unsafe {
            crate::tupleobject::PyTuple_SetItem(
                t,
                i as crate::pyport::Py_ssize_t,
                crate::refcount::new_ref(o),
            );
        }
    }
    t
}

/// A sequence table with no slots (filled per type with `..SQ_EMPTY`).
pub(crate) const SQ_EMPTY: crate::object::PySequenceMethods = crate::object::PySequenceMethods {
    sq_length: None,
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: None,
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

/// Drops each reference.
///
/// # Safety
/// Each must be an owned reference.
pub(crate) unsafe fn release(v: Vec<*mut PyObject>) {
    for o in v {
        // SAFETY: forwarded contract.
        unsafe { decref(o) };
    }
}
