//! Type objects at run time: heap types (`PyType_FromSpec` and friends), calling a type,
//! `object.__new__`/`__init__`, instance deallocation of heap types, instance dicts, and the
//! type query functions (`PyType_GetModule*`, `GetSlot`, `GetName`, ...).
//!
//! Decisions other parts of gilgate rely on:
//! - Managed dicts and managed weak reference lists (`Py_TPFLAGS_MANAGED_DICT`/`_WEAKREF`)
//!   live in a 16-byte pre-header before the object (dict at -8, weakrefs at -16, as in a
//!   3.14t build). `objimpl::alloc_object` reserves it and `objimpl::free_object` /
//!   `PyObject_GC_Del` release it; `object::dict_ptr` and `object::weaklist_ptr` find them.
//! - Descriptors hold a *borrowed* `d_type`, and `tp_mro[0]` (the type itself) is stored
//!   without a reference, so a heap type is freed when its last outside reference goes
//!   (instances, subclasses' `tp_base`/`tp_bases`/`tp_mro` and `PyCMethod` objects hold real
//!   references). Cycles through a module (module -> type -> `ht_module`) still leak.
//! - Static types that are declared ready (gilgate's own built-ins) get their `tp_dict` of
//!   descriptors and slot wrappers lazily, on the first lookup (`object::ensure_dict`).
//! - A heap type's `__new__` (in its dict) holds the type borrowed, like descriptors;
//!   `type_dealloc` clears it.
//! - `subtype_dealloc` releases the instance's reference to its heap type itself: gilgate's
//!   own deallocs (`default_dealloc`, `dealloc_as`) leave it to it while it claims the release
//!   (`objimpl::claim_type_release`), an extension's base dealloc follows CPython's rule (a
//!   heap base's releases it, a static base's does not).

pub(crate) mod cache;
pub(crate) mod reduce;
pub(crate) mod slots;
pub(crate) mod superobject;

use crate::descrobject::PyMemberDef;
use crate::export;
use crate::moduleobject::{PyModuleDef, PyModuleObject};
use crate::object::*;
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, incref, new_ref, xdecref, xincref};
use crate::unicodeobject as uni;
use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_ulong, c_void};
use std::ptr::null_mut;

/// `PyHeapTypeObject` as laid out by CPython 3.14t (960 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyHeapTypeObject {
    pub ht_type: PyTypeObject,
    pub as_async: PyAsyncMethods,
    pub as_number: PyNumberMethods,
    pub as_mapping: PyMappingMethods,
    pub as_sequence: PySequenceMethods,
    pub as_buffer: PyBufferProcs,
    pub ht_name: *mut PyObject,
    pub ht_slots: *mut PyObject,
    pub ht_qualname: *mut PyObject,
    pub ht_cached_keys: *mut c_void,
    pub ht_module: *mut PyObject,
    pub _ht_tpname: *mut c_char,
    pub ht_token: *mut c_void,
    pub _spec_cache_getitem: *mut PyObject,
    pub _spec_cache_getitem_version: u32,
    pub _spec_cache_init: *mut PyObject,
    pub unique_id: Py_ssize_t,
}

const _: () = assert!(std::mem::size_of::<PyHeapTypeObject>() == 960);
const _: () = assert!(std::mem::offset_of!(PyHeapTypeObject, ht_token) == 920);
const _: () = assert!(std::mem::offset_of!(PyHeapTypeObject, unique_id) == 952);

/// `PyType_Slot`.
#[repr(C)]
#[derive(Debug)]
pub struct PyType_Slot {
    pub slot: c_int,
    pub pfunc: *mut c_void,
}

/// `PyType_Spec`.
#[repr(C)]
#[derive(Debug)]
pub struct PyType_Spec {
    pub name: *const c_char,
    pub basicsize: c_int,
    pub itemsize: c_int,
    pub flags: c_uint,
    pub slots: *mut PyType_Slot,
}

fn type_error(msg: &str) -> *mut PyObject {
    raise(&raw mut EXC_TypeError, msg)
}

// ---- object.__new__ / __init__, hash, comparison --------------------------------------

unsafe fn excess_args(args: *mut PyObject, kw: *mut PyObject) -> bool {
    // SAFETY: args is NULL or a tuple, kw NULL or a dict (call contract).
    unsafe {
        (!args.is_null() && !crate::tupleobject::items(args).is_empty())
            || (!kw.is_null() && crate::dictobject::is_dict(kw) && crate::dictobject::len(kw) != 0)
    }
}

fn is_object_new(f: newfunc) -> bool {
    f.map(|p| p as usize) == Some(object_new as *const () as usize)
}
pub(crate) fn is_object_init(f: initproc) -> bool {
    f.map(|p| p as usize) == Some(object_init as *const () as usize)
}

/// `object.__new__`.
pub(crate) unsafe extern "C" fn object_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is a ready type.
    unsafe {
        if excess_args(args, kw) {
            if !is_object_new((*t).tp_new) {
                return type_error(
                    "object.__new__() takes exactly one argument (the type to instantiate)",
                );
            }
            if is_object_init((*t).tp_init) {
                return type_error(&format!("{:.200}() takes no arguments", type_name(t)));
            }
        }
        if (*t).tp_flags & Py_TPFLAGS_IS_ABSTRACT != 0 {
            return abstract_instantiation_error(t);
        }
        match (*t).tp_alloc {
            Some(a) => crate::extcall::alloc(a, t, 0),
            None => crate::objimpl::alloc_object(t, 0),
        }
    }
}

/// CPython's TypeError for instantiating a type with abstract methods: their names sorted,
/// each quoted.
unsafe fn abstract_instantiation_error(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: `t` is a live type.
    unsafe {
        let d = (*t).tp_dict;
        let methods = if d.is_null() {
            null_mut()
        } else {
            crate::dictobject::get_str(d, "__abstractmethods__")
        };
        let mut names = Vec::new();
        if !methods.is_null() {
            let it = crate::abstract_::get_iter(methods);
            if it.is_null() {
                return null_mut();
            }
            loop {
                let x = crate::abstract_::iter_next(it);
                if x.is_null() {
                    break;
                }
                names.push(crate::object::str_string(x));
                decref(x);
            }
            decref(it);
            if crate::pyerrors::occurred() {
                return null_mut();
            }
        }
        names.sort();
        let s = if names.len() == 1 { "" } else { "s" };
        type_error(&format!(
            "Can't instantiate abstract class {:.200} without an implementation for abstract method{s} '{}'",
            type_qualname(t),
            names.join("', '")
        ))
    }
}

/// `object.__init__`.
pub(crate) unsafe extern "C" fn object_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let t = ty(op);
        if excess_args(args, kw) {
            if !is_object_init((*t).tp_init) {
                type_error(
                    "object.__init__() takes exactly one argument (the instance to initialize)",
                );
                return -1;
            }
            if is_object_new((*t).tp_new) {
                type_error(&format!(
                    "{:.200}.__init__() takes exactly one argument (the instance to initialize)",
                    type_name(t)
                ));
                return -1;
            }
        }
        0
    }
}

/// `object.__hash__`: the address, rotated as `_Py_HashPointer` does.
pub unsafe extern "C" fn object_hash(op: *mut PyObject) -> Py_hash_t {
    let y = op as usize;
    let h = y.rotate_right(4) as Py_hash_t;
    if h == -1 { -2 } else { h }
}

/// `object.__eq__`/`__ne__`: identity, NotImplemented otherwise.
pub(crate) unsafe extern "C" fn object_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    let notimpl = &raw mut _Py_NotImplementedStruct;
    match op {
        Py_EQ => {
            if a == b {
                crate::boolobject::from_bool(true)
            } else {
                notimpl
            }
        }
        Py_NE => {
            // SAFETY: `a` is a live object (slot contract).
            let Some(f) = (unsafe { (*ty(a)).tp_richcompare }) else {
                return notimpl;
            };
            // SAFETY: as above.
            let r = unsafe { crate::extcall::richcmp(f, a, b, Py_EQ) };
            if r.is_null() || r == notimpl {
                return r;
            }
            // SAFETY: `r` is a live new reference.
            let t = unsafe { truth(r) };
            // SAFETY: we own `r`.
            unsafe { decref(r) };
            if t < 0 {
                return null_mut();
            }
            crate::boolobject::from_bool(t == 0)
        }
        _ => notimpl,
    }
}

#[export]
pub unsafe fn PyObject_HashNotImplemented(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live object, per the C API contract.
    let tn = unsafe { type_name(ty(op)) };
    type_error(&format!("unhashable type: '{tn:.200}'"));
    -1
}

#[export(unguarded)]
pub unsafe fn PyObject_GenericHash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: pure address arithmetic.
    unsafe { object_hash(op) }
}

#[export]
pub unsafe fn PyObject_SelfIter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_ref(op) }
}

// ---- calling a type ------------------------------------------------------------------------

/// `type.__call__`: `tp_new`, then `tp_init` when the result is an instance of the type.
pub unsafe extern "C" fn type_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract: `op` is a type, args a tuple, kw NULL or a dict.
    unsafe {
        let t = op.cast::<PyTypeObject>();
        if t == &raw mut PyType_Type && !args.is_null() {
            let items = crate::tupleobject::items(args);
            let nkw = if kw.is_null() {
                0
            } else {
                crate::dictobject::len(kw)
            };
            if items.len() == 1 && nkw == 0 {
                return new_ref(ty(items[0]).cast());
            }
            if items.len() != 3 {
                return type_error("type() takes 1 or 3 arguments");
            }
        }
        if args.is_null() {
            let empty = crate::abstract_::empty_args();
            if empty.is_null() {
                return empty;
            }
            return construct(t, empty, kw);
        }
        construct(t, args, kw)
    }
}

/// Whether a callable whose type has this `tp_call` is called by [`type_call`]: a type whose
/// metatype does not override `__call__`.
pub(crate) fn is_type_call(call: ternaryfunc) -> bool {
    call.map(|p| p as usize) == Some(type_call as *const () as usize)
}

/// The call of type `t` with the `nargs` positional arguments at `args` and no keywords, for a
/// callable [`is_type_call`] answers for: what [`type_call`] does with the tuple a `tp_call`
/// would be given, without the generic `tp_call` hop (the vectorcall family's path for types,
/// which have no vectorcall of their own). `type` itself keeps [`type_call`]'s one- and
/// three-argument forms.
///
/// # Safety
/// `t` a live type; `args` points at `nargs` live objects.
#[inline(never)]
pub(crate) unsafe fn call_type_positional(
    t: *mut PyTypeObject,
    args: *const *mut PyObject,
    nargs: usize,
) -> *mut PyObject {
    // SAFETY: forwarded contract; the tuple holds its own references to the arguments.
    unsafe {
        let tuple = crate::abstract_::args_tuple(args, nargs);
        if tuple.is_null() {
            return tuple;
        }
        let obj = if t == &raw mut PyType_Type {
            type_call(t.cast(), tuple, null_mut())
        } else {
            construct(t, tuple, null_mut())
        };
        // The shared empty tuple is immortal: only a tuple of arguments needs releasing.
        if nargs != 0 {
            decref(tuple);
        }
        obj
    }
}

/// [`type_call`]'s steps for a type other than `type`'s own one- and three-argument forms:
/// `tp_new`, then `tp_init` when the result is an instance of `t`.
///
/// # Safety
/// `t` a live type, `args` a live tuple, `kw` NULL or a live dict.
#[inline(always)]
unsafe fn construct(t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(new) = (*t).tp_new else {
            return cannot_create(t);
        };
        let obj = crate::extcall::new(new, t, args, kw);
        if obj.is_null() || !type_check(obj, t) {
            return obj;
        }
        // `object.__init__` without arguments does nothing (it only checks for excess ones):
        // skipped, as a call that cannot fail.
        if let Some(init) = (*ty(obj)).tp_init
            && (!is_object_init(Some(init)) || excess_args(args, kw))
            && crate::extcall::objobjarg(init, obj, args, kw) < 0
        {
            decref(obj);
            return null_mut();
        }
        obj
    }
}

/// The TypeError of calling a type without `tp_new`.
///
/// # Safety
/// `t` a live type.
#[cold]
#[inline(never)]
unsafe fn cannot_create(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    type_error(&format!("cannot create '{}' instances", unsafe {
        type_name(t)
    }))
}

// ---- T.__new__ ----------------------------------------------------------------------------

/// The method table row of every type's `__new__` (CPython's `tp_new_wrapper`).
static mut TP_NEW_DEF: crate::methodobject::PyMethodDef = crate::methodobject::PyMethodDef {
    ml_name: c"__new__".as_ptr(),
    ml_meth: tp_new_wrapper
        as unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject
        as *mut c_void,
    ml_flags: crate::methodobject::METH_VARARGS | crate::methodobject::METH_KEYWORDS,
    ml_doc: c"__new__($type, *args, **kwargs)\n--\n\nCreate and return a new object.  See help(type) for accurate signature.".as_ptr(),
};

/// The same row for heap types: a method made from it holds its type *borrowed* (the type's
/// dict holds the method, and gilgate has no collector to free that cycle, so a strong
/// reference would keep every heap type alive); `type_dealloc` clears it to NULL, so a method
/// that outlives its type raises instead of reading a freed type.
static mut TP_NEW_DEF_HEAP: crate::methodobject::PyMethodDef = crate::methodobject::PyMethodDef {
    ml_name: c"__new__".as_ptr(),
    ml_meth: tp_new_wrapper
        as unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject
        as *mut c_void,
    ml_flags: crate::methodobject::METH_VARARGS | crate::methodobject::METH_KEYWORDS,
    ml_doc: c"__new__($type, *args, **kwargs)\n--\n\nCreate and return a new object.  See help(type) for accurate signature.".as_ptr(),
};

/// Whether `ml` is the row of a type's own `__new__` (CPython's `tp_new_wrapper`).
pub(crate) fn is_tp_new_def(ml: *const crate::methodobject::PyMethodDef) -> bool {
    std::ptr::eq(ml, &raw const TP_NEW_DEF_HEAP) || std::ptr::eq(ml, &raw const TP_NEW_DEF)
}

/// Whether a builtin function made from `ml` holds its `self` borrowed (a heap type's
/// `__new__`).
pub(crate) fn borrows_self(ml: *const crate::methodobject::PyMethodDef) -> bool {
    std::ptr::eq(ml, &raw const TP_NEW_DEF_HEAP)
}

/// Puts `__new__` into `dict`, the dict of `t`, when `t` has a `tp_new` of its own (set before
/// it was readied, not inherited) and `dict` has none: a builtin method bound to `t`, as
/// CPython's `type_ready_set_new` adds. Lookups on subtypes find it through the MRO.
///
/// # Safety
/// `t` must be a type object and `dict` its live dict.
pub(crate) unsafe fn add_tp_new_wrapper(t: *mut PyTypeObject, dict: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract; the method rows are statics that outlive the method.
    unsafe {
        if (*t).tp_new.is_none()
            || (*t).tp_flags & Py_TPFLAGS_DISALLOW_INSTANTIATION != 0
            || !crate::dictobject::get_str(dict, "__new__").is_null()
        {
            return 0;
        }
        let heap = (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0;
        let def = if heap {
            &raw mut TP_NEW_DEF_HEAP
        } else {
            &raw mut TP_NEW_DEF
        };
        let f = crate::methodobject::new_cfunction(def, t.cast(), null_mut(), null_mut());
        if f.is_null() {
            return -1;
        }
        if heap {
            // the method's reference to its type is borrowed (see TP_NEW_DEF_HEAP)
            decref(t.cast());
        }
        let r = crate::dictobject::set_item_str(dict, "__new__", f);
        decref(f);
        r
    }
}

/// `T.__new__(S, *args, **kwargs)`: `T.tp_new(S, args, kwargs)` after CPython's checks: `S` is
/// a type, a subtype of `T`, and `T`'s `tp_new` is the one `S` itself uses (else
/// `object.__new__(int)` would build an int without int's constructor).
unsafe extern "C" fn tp_new_wrapper(
    self_: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_VARARGS|METH_KEYWORDS contract: `self_` is the type the method was made
    // for, `args` a tuple, `kw` NULL or a dict.
    unsafe {
        if self_.is_null() || !is_type(self_) {
            return raise(
                &raw mut EXC_SystemError,
                "__new__() called with non-type 'self'",
            );
        }
        let t = self_.cast::<PyTypeObject>();
        let tname = type_name(t);
        let items = crate::tupleobject::items(args);
        let Some((&first, rest)) = items.split_first() else {
            return type_error(&format!("{tname}.__new__(): not enough arguments"));
        };
        if !is_type(first) {
            return type_error(&format!(
                "{tname}.__new__(X): X is not a type object ({})",
                type_name(ty(first))
            ));
        }
        let sub = first.cast::<PyTypeObject>();
        let sname = type_name(sub);
        if !is_subtype(sub, t) {
            return type_error(&format!(
                "{tname}.__new__({sname}): {sname} is not a subtype of {tname}"
            ));
        }
        // The nearest base of `sub` whose tp_new is not a class-level `__new__` (the generic
        // slot function) must use `t`'s tp_new.
        let mut base = sub;
        while !base.is_null() && slots::is_generic_new((*base).tp_new) {
            base = (*base).tp_base;
        }
        if !base.is_null() {
            let own = (*base).tp_new.map(|f| f as usize);
            if own != (*t).tp_new.map(|f| f as usize) {
                if own.is_none() {
                    return type_error(&format!("cannot create '{sname}' instances"));
                }
                return type_error(&format!(
                    "{tname}.__new__({sname}) is not safe, use {}.__new__()",
                    type_name(base)
                ));
            }
        }
        let Some(new) = (*t).tp_new else {
            return type_error(&format!("cannot create '{tname}' instances"));
        };
        let rest = crate::tupleobject::from_slice(rest);
        if rest.is_null() {
            return null_mut();
        }
        let r = crate::extcall::new(new, sub, rest, kw);
        decref(rest);
        r
    }
}

// ---- type(name, bases, dict) ---------------------------------------------------------------

/// `type.__new__(metatype, name, bases, dict)`: a heap type from a Python-level namespace.
/// The namespace's values go into the type's dict as they are (C functions, descriptors,
/// properties, plain values); `__set_name__` is called on those that have it. The slots then
/// follow the dunders of the class and its bases (`slots::fixup_slot_dispatchers`).
pub(crate) unsafe extern "C" fn type_new(
    meta: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: `meta` is a type, args a tuple, kw NULL or a dict.
    unsafe {
        let items = crate::tupleobject::items(args);
        if items.len() != 3 {
            return type_error(&format!(
                "type.__new__() takes exactly 3 arguments ({} given)",
                items.len()
            ));
        }
        let (name, bases, ns) = (items[0], items[1], items[2]);
        let checks = [
            (name, uni::is_str(name), 1, "str"),
            (bases, crate::tupleobject::is_tuple(bases), 2, "tuple"),
            (ns, crate::dictobject::is_dict(ns), 3, "dict"),
        ];
        for (o, ok, i, want) in checks {
            if !ok {
                return type_error(&format!(
                    "type.__new__() argument {i} must be {want}, not {}",
                    type_name(ty(o))
                ));
            }
        }
        // The most derived metaclass of `meta` and the bases' metaclasses.
        let mut winner = meta;
        for &b in crate::tupleobject::items(bases) {
            let bt = ty(b);
            if is_subtype(winner, bt) {
                continue;
            }
            if is_subtype(bt, winner) {
                winner = bt;
                continue;
            }
            return type_error(
                "metaclass conflict: the metaclass of a derived class must be a (non-strict) \
                 subclass of the metaclasses of all its bases",
            );
        }
        if winner != meta
            && let Some(new) = (*winner).tp_new
            && new as usize != type_new as *const () as usize
        {
            return crate::extcall::new(new, winner, args, kw);
        }
        let base_tuple = if crate::tupleobject::items(bases).is_empty() {
            crate::tupleobject::from_slice(&[(&raw mut PyBaseObject_Type).cast()])
        } else {
            new_ref(bases)
        };
        if base_tuple.is_null() {
            return null_mut();
        }
        let r = type_new_impl(winner, name, base_tuple, ns, kw);
        decref(base_tuple);
        r
    }
}

thread_local! {
    /// The `__name__` of the namespace code runs in on this thread (gilgate eval's module),
    /// standing in for the calling frame's globals CPython reads `__module__` from.
    static CALLER_MODULE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with `name` as the calling namespace's `__name__`: classes that `type(name, bases,
/// dict)` makes meanwhile without a `__module__` of their own get it (CPython takes it from the
/// caller's globals).
pub fn with_caller_module<R>(name: Option<&str>, f: impl FnOnce() -> R) -> R {
    let prev = CALLER_MODULE.with(|c| c.replace(name.map(str::to_string)));
    let r = f();
    CALLER_MODULE.with(|c| *c.borrow_mut() = prev);
    r
}

/// `type.__init__`: accepts what `type.__new__` accepted (1 or 3 arguments, no keywords
/// for a plain `type`), so metaclasses deriving from `type` can be called.
pub(crate) unsafe extern "C" fn type_init(
    _op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    // SAFETY: tp_init contract: args a tuple, kw NULL or a dict.
    unsafe {
        let n = crate::tupleobject::items(args).len();
        if n == 1 && !kw.is_null() && crate::dictobject::len(kw) != 0 {
            type_error("type.__init__() takes no keyword arguments");
            return -1;
        }
        if n != 1 && n != 3 {
            type_error("type.__init__() takes 1 or 3 arguments");
            return -1;
        }
        0
    }
}

unsafe fn type_new_impl(
    meta: *mut PyTypeObject,
    name: *mut PyObject,
    bases: *mut PyObject,
    ns: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects of the checked types.
    unsafe {
        let name_s = uni::as_str(name).unwrap_or("?").to_string();
        if name_s.contains('\0') {
            return raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "type name must not contain null characters",
            );
        }
        let qualname = crate::dictobject::get_str(ns, "__qualname__");
        if !qualname.is_null() && !uni::is_str(qualname) {
            return type_error(&format!(
                "type __qualname__ must be a str, not {}",
                type_name(ty(qualname))
            ));
        }
        for &b in crate::tupleobject::items(bases) {
            if !is_type(b) {
                return type_error("bases must be types");
            }
        }
        // The layout base decides whether instances get a dict and weak references.
        let all = crate::tupleobject::items(bases);
        let widest = all
            .iter()
            .map(|&b| (*b.cast::<PyTypeObject>()).tp_basicsize)
            .max()
            .unwrap_or(0);
        let base = all
            .iter()
            .map(|&b| b.cast::<PyTypeObject>())
            .find(|&b| (*b).tp_basicsize == widest)
            .unwrap_or(all[0].cast());
        if type_ready(base) < 0 {
            return null_mut();
        }
        let mut flags = Py_TPFLAGS_BASETYPE;
        let has_dict = |b: *mut PyTypeObject| {
            (*b).tp_dictoffset != 0 || (*b).tp_flags & Py_TPFLAGS_MANAGED_DICT != 0
        };
        // As CPython: only the solid base decides (a mixin with a dict, such as an enum class
        // mixed with `str`, leaves the instance layout to the solid base).
        let may_add_dict = !has_dict(base);
        let may_add_weak = (*base).tp_weaklistoffset == 0
            && (*base).tp_flags & Py_TPFLAGS_MANAGED_WEAKREF == 0
            && (*base).tp_itemsize == 0;
        let slots = crate::dictobject::get_str(ns, "__slots__");
        let layout = if slots.is_null() {
            SlotsLayout {
                names: Vec::new(),
                add_dict: may_add_dict,
                add_weak: may_add_weak,
            }
        } else {
            match parse_slots(slots, ns, &name_s, base, may_add_dict, may_add_weak) {
                Ok(l) => l,
                Err(()) => return null_mut(),
            }
        };
        if layout.add_dict {
            flags |= Py_TPFLAGS_MANAGED_DICT;
        }
        if layout.add_weak {
            flags |= Py_TPFLAGS_MANAGED_WEAKREF;
        }
        // One object member per slot, after the base's part of the instance.
        let names: Vec<CString> = layout
            .names
            .iter()
            .map(|n| CString::new(n.as_str()).unwrap_or_default())
            .collect();
        let mut members: Vec<PyMemberDef> = names
            .iter()
            .enumerate()
            .map(|(i, n)| PyMemberDef {
                name: n.as_ptr(),
                type_: crate::descrobject::Py_T_OBJECT_EX,
                offset: (i * std::mem::size_of::<*mut PyObject>()) as Py_ssize_t,
                flags: crate::structmember::Py_RELATIVE_OFFSET,
                doc: std::ptr::null(),
            })
            .collect();
        members.push(PyMemberDef::END);
        // The namespace without `__qualname__` (it becomes ht_qualname).
        let d = crate::dictobject::copy(ns);
        if d.is_null() {
            return null_mut();
        }
        if crate::dictobject::get_str(d, "__module__").is_null()
            && let Some(m) = CALLER_MODULE.with(|c| c.borrow().clone())
        {
            let m = uni::from_str(&m);
            if m.is_null() || crate::dictobject::set_item_str(d, "__module__", m) < 0 {
                xdecref(m);
                decref(d);
                return null_mut();
            }
            decref(m);
        }
        if !qualname.is_null() {
            let k = uni::from_str("__qualname__");
            let r = crate::dictobject::del_item(d, k);
            decref(k);
            if r < 0 {
                decref(d);
                return null_mut();
            }
        }
        // The spec name has no dot, so `from_metaclass` adds no `__module__`; the real name
        // (dots and all) is put in place afterwards.
        let spec_name = CString::new(name_s.replace('.', "_")).unwrap_or_default();
        let mut type_slots = vec![];
        if !layout.names.is_empty() {
            type_slots.push(PyType_Slot {
                slot: crate::typeslots::Py_tp_members,
                pfunc: members.as_mut_ptr().cast(),
            });
        }
        type_slots.push(PyType_Slot {
            slot: 0,
            pfunc: null_mut(),
        });
        let mut spec = PyType_Spec {
            name: spec_name.as_ptr(),
            basicsize: -((layout.names.len() * std::mem::size_of::<*mut PyObject>()) as c_int),
            itemsize: 0,
            flags: flags as c_uint,
            slots: type_slots.as_mut_ptr(),
        };
        let op = from_metaclass_ns(meta, null_mut(), &mut spec, bases, d, true);
        decref(d);
        // The member names live as long as the type (its member table points at them).
        for n in names {
            let _ = n.into_raw();
        }
        if op.is_null() {
            return op;
        }
        let t = op.cast::<PyTypeObject>();
        let ht = t.cast::<PyHeapTypeObject>();
        let tpname = CString::new(name_s.clone()).unwrap_or_default().into_raw();
        drop(CString::from_raw((*ht)._ht_tpname));
        (*ht)._ht_tpname = tpname;
        (*t).tp_name = tpname;
        let old = std::mem::replace(&mut (*ht).ht_name, new_ref(name));
        xdecref(old);
        let q = if qualname.is_null() { name } else { qualname };
        let old = std::mem::replace(&mut (*ht).ht_qualname, new_ref(q));
        xdecref(old);
        let doc = crate::dictobject::get_str((*t).tp_dict, "__doc__");
        if !doc.is_null()
            && let Some(text) = uni::as_str(doc)
        {
            (*t).tp_doc = CString::new(text).unwrap_or_default().into_raw();
        }
        if order_type_dict(t, ns, &layout.names) < 0 {
            decref(op);
            return null_mut();
        }
        // The slots follow the dunders of the class and its bases (before `__set_name__`
        // runs code that may use instances).
        slots::fixup_slot_dispatchers(t);
        if set_names(t) < 0 {
            decref(op);
            return null_mut();
        }
        if !kw.is_null() && crate::dictobject::len(kw) != 0 {
            // object.__init_subclass__ takes no keyword arguments.
            let msg = format!(
                "{}.__init_subclass__() takes no keyword arguments",
                type_qualname(t)
            );
            decref(op);
            return type_error(&msg);
        }
        op
    }
}

/// What `__slots__` asks for: the (mangled, sorted) member names and whether instances get a
/// dict and weak references.
struct SlotsLayout {
    names: Vec<String>,
    add_dict: bool,
    add_weak: bool,
}

/// CPython's name mangling of `__private` names inside class `class`.
fn mangle(class: &str, name: &str) -> String {
    let owner = class.trim_start_matches('_');
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') || owner.is_empty() {
        return name.to_string();
    }
    format!("_{owner}{name}")
}

fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c == '_' || c.is_alphabetic())
        && cs.all(|c| c == '_' || c.is_alphanumeric())
}

/// Reads `__slots__` (a str or an iterable of str) with CPython's checks and texts.
unsafe fn parse_slots(
    slots: *mut PyObject,
    ns: *mut PyObject,
    class: &str,
    base: *mut PyTypeObject,
    may_add_dict: bool,
    may_add_weak: bool,
) -> Result<SlotsLayout, ()> {
    // SAFETY: live objects.
    unsafe {
        let items = if uni::is_str(slots) {
            vec![new_ref(slots)]
        } else {
            crate::iterobject::collect(slots)?
        };
        let release = |v: &[*mut PyObject]| {
            for &o in v {
                decref(o);
            }
        };
        let mut layout = SlotsLayout {
            names: Vec::new(),
            add_dict: false,
            add_weak: false,
        };
        for &o in &items {
            let Some(text) = uni::is_str(o).then(|| uni::as_str(o)).flatten() else {
                let msg = if uni::is_str(o) {
                    "__slots__ must be identifiers".to_string()
                } else {
                    format!(
                        "__slots__ items must be strings, not '{:.200}'",
                        type_name(ty(o))
                    )
                };
                release(&items);
                type_error(&msg);
                return Err(());
            };
            if !is_identifier(text) {
                release(&items);
                type_error("__slots__ must be identifiers");
                return Err(());
            }
            match text {
                "__dict__" => {
                    if !may_add_dict || layout.add_dict {
                        release(&items);
                        type_error("__dict__ slot disallowed: we already got one");
                        return Err(());
                    }
                    layout.add_dict = true;
                }
                "__weakref__" => {
                    if !may_add_weak || layout.add_weak {
                        release(&items);
                        type_error("__weakref__ slot disallowed: we already got one");
                        return Err(());
                    }
                    layout.add_weak = true;
                }
                _ => {
                    if !crate::dictobject::get_str(ns, text).is_null() {
                        release(&items);
                        raise(
                            &raw mut crate::pyerrors::EXC_ValueError,
                            &format!("'{text}' in __slots__ conflicts with class variable"),
                        );
                        return Err(());
                    }
                    let m = mangle(class, text);
                    if !layout.names.contains(&m) {
                        layout.names.push(m);
                    }
                }
            }
        }
        release(&items);
        if !layout.names.is_empty() && (*base).tp_itemsize != 0 {
            type_error(&format!(
                "nonempty __slots__ not supported for subtype of '{}'",
                type_name(base)
            ));
            return Err(());
        }
        layout.names.sort();
        Ok(layout)
    }
}

/// Rebuilds the type dict in CPython's order: the namespace's entries first, then `__module__`,
/// the slots' members, `__dict__`, `__weakref__`, `__doc__` and whatever else readying added.
unsafe fn order_type_dict(t: *mut PyTypeObject, ns: *mut PyObject, slots: &[String]) -> c_int {
    // SAFETY: `t` is a ready heap type with a dict; `ns` a dict.
    unsafe {
        let old = (*t).tp_dict;
        let new = crate::dictobject::new_dict();
        if new.is_null() {
            return -1;
        }
        let mut keys: Vec<*mut PyObject> = crate::dictobject::entries(ns)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|&k| uni::as_str(k) != Some("__qualname__"))
            .collect();
        // The old dict's entries are the ones to carry over; the namespace's keys and the
        // special names only decide the order.
        let owned: Vec<*mut PyObject> = std::iter::once("__module__")
            .chain(slots.iter().map(String::as_str))
            .chain(["__dict__", "__weakref__", "__doc__"])
            .map(uni::from_str)
            .collect();
        keys.extend(owned.iter().copied().filter(|k| !k.is_null()));
        keys.extend(crate::dictobject::entries(old).into_iter().map(|(k, _)| k));
        let mut r = 0;
        for k in keys {
            let v = crate::dictobject::get(old, k);
            if !v.is_null()
                && crate::dictobject::get(new, k).is_null()
                && crate::dictobject::set_item(new, k, v) < 0
            {
                r = -1;
                break;
            }
        }
        for k in owned {
            xdecref(k);
        }
        if r < 0 {
            decref(new);
            return -1;
        }
        cache::dict_replaced(t, old);
        (*t).tp_dict = new;
        decref(old);
        0
    }
}

/// Calls `__set_name__(type, key)` on each value of the type dict whose type has one.
unsafe fn set_names(t: *mut PyTypeObject) -> c_int {
    // SAFETY: `t` is a ready heap type with a dict.
    unsafe {
        let entries = crate::dictobject::entries((*t).tp_dict);
        for &(k, v) in &entries {
            incref(k);
            incref(v);
        }
        let name = uni::from_str("__set_name__");
        let mut r = 0;
        for &(k, v) in &entries {
            if r < 0 || name.is_null() {
                break;
            }
            let f = type_lookup_ref(ty(v), name);
            if f.is_null() {
                continue;
            }
            let bound = match (*ty(f)).tp_descr_get {
                Some(g) => crate::extcall::ternary(g, f, v, ty(v).cast()),
                None => new_ref(f),
            };
            decref(f);
            if bound.is_null() {
                r = -1;
                break;
            }
            let res = crate::abstract_::call_args(bound, &[t.cast(), k]);
            decref(bound);
            if res.is_null() {
                r = -1;
            } else {
                decref(res);
            }
        }
        for &(k, v) in &entries {
            decref(k);
            decref(v);
        }
        if name.is_null() {
            return -1;
        }
        decref(name);
        r
    }
}

// ---- instance dicts ------------------------------------------------------------------------

/// `PyObject_GenericGetDict`: the instance dict, created on first use.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn generic_get_dict(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(dp) = dict_ptr(op) else {
            return raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                "This object has no __dict__",
            );
        };
        instance_dict_ref(op, dp, true)
    }
}

/// `PyObject_GenericSetDict`.
///
/// # Safety
/// `op` must be a live object, `v` NULL or live.
pub(crate) unsafe fn generic_set_dict(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(dp) = dict_ptr(op) else {
            raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                "This object has no __dict__",
            );
            return -1;
        };
        if v.is_null() {
            type_error("cannot delete __dict__");
            return -1;
        }
        if !crate::dictobject::is_dict(v) {
            type_error(&format!(
                "__dict__ must be set to a dictionary, not a '{:.200}'",
                type_name(ty(v))
            ));
            return -1;
        }
        // Swapped under the object's mutex (a reader creating the dict holds it); lock-free
        // readers (`object::instance_dict_ref`, `dictobject::slot_get_ref_lockfree`) are
        // waited out before the old dict is released.
        let old = {
            let _g = ObjectLock::new(op);
            std::sync::atomic::AtomicPtr::from_ptr(dp)
                .swap(new_ref(v), std::sync::atomic::Ordering::AcqRel)
        };
        if !old.is_null() {
            crate::qsbr::wait_readers();
        }
        xdecref(old);
        0
    }
}

#[export]
pub unsafe fn PyObject_GenericGetDict(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { generic_get_dict(op) }
}

#[export]
pub unsafe fn PyObject_GenericSetDict(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe { generic_set_dict(op, v) }
}

#[export]
pub unsafe fn _PyObject_GetDictPtr(op: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { dict_ptr(op).unwrap_or(null_mut()) }
}

#[export]
pub unsafe fn PyObject_ClearManagedDict(op: *mut PyObject) {
    // SAFETY: a live object of a managed-dict type, per the C API contract.
    unsafe {
        if (*ty(op)).tp_flags & Py_TPFLAGS_MANAGED_DICT != 0
            && let Some(dp) = dict_ptr(op)
        {
            let d = {
                let _g = ObjectLock::new(op);
                std::sync::atomic::AtomicPtr::from_ptr(dp)
                    .swap(null_mut(), std::sync::atomic::Ordering::AcqRel)
            };
            // Lock-free readers of the slot (`object::instance_dict_ref`,
            // `dictobject::slot_get_ref_lockfree`) are waited out
            // before the dict is released, unless the object is being deallocated (no other
            // thread holds a reference to read it through).
            if !d.is_null() && crate::refcount::refcnt(op) > 0 {
                crate::qsbr::wait_readers();
            }
            xdecref(d);
        }
    }
}

#[export]
pub unsafe fn PyObject_VisitManagedDict(
    op: *mut PyObject,
    visit: visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: a live object; `visit` a valid visitor, per the C API contract.
    unsafe {
        if (*ty(op)).tp_flags & Py_TPFLAGS_MANAGED_DICT == 0 {
            return 0;
        }
        match (dict_ptr(op), visit) {
            (Some(dp), Some(v)) if !(*dp).is_null() => crate::extcall::visit(v, *dp, arg),
            _ => 0,
        }
    }
}

// ---- deallocation ------------------------------------------------------------------------

/// `_PyGC_BITS_FINALIZED` of `ob_gc_bits`: `tp_finalize` already ran.
const GC_BITS_FINALIZED: u8 = 1 << 1;

/// Whether `tp_finalize` already ran on `op` (`_PyGC_FINALIZED`).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_finalized(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract; the bits are read atomically.
    unsafe {
        std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op).ob_gc_bits)
            .load(std::sync::atomic::Ordering::Relaxed)
            & GC_BITS_FINALIZED
            != 0
    }
}

/// `PyObject_CallFinalizer`: runs `tp_finalize` once per object (PEP 442), keeping the
/// current exception.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn call_finalizer(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(fin) = (*ty(op)).tp_finalize else {
            return;
        };
        let bits = std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op).ob_gc_bits);
        if bits.fetch_or(GC_BITS_FINALIZED, std::sync::atomic::Ordering::Relaxed)
            & GC_BITS_FINALIZED
            != 0
        {
            return;
        }
        let saved = crate::pyerrors::take_raised();
        crate::extcall::destructor(fin, op);
        crate::pyerrors::restore_raised(saved);
    }
}

/// `PyObject_CallFinalizerFromDealloc`: runs the finalizer on an object whose count reached
/// zero; -1 when the finalizer resurrected it (the dealloc must stop).
///
/// # Safety
/// `op` must be an object in its `tp_dealloc` (count zero).
pub(crate) unsafe fn call_finalizer_from_dealloc(op: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract; the object is revived for the duration of the call, with
    // CPython 3.14t's resurrect start/end (no plain count stores racing another thread's
    // shared increments when the finalizer published the object).
    unsafe {
        crate::object::extra::resurrect_start(op);
        call_finalizer(op);
        if crate::object::extra::resurrect_end(op) {
            -1
        } else {
            0
        }
    }
}

#[export]
pub unsafe fn PyObject_CallFinalizer(op: *mut PyObject) {
    // SAFETY: a live object, per the C API contract.
    unsafe { call_finalizer(op) }
}

#[export]
pub unsafe fn PyObject_CallFinalizerFromDealloc(op: *mut PyObject) -> c_int {
    // SAFETY: an object being deallocated, per the C API contract.
    unsafe { call_finalizer_from_dealloc(op) }
}

/// The `tp_dealloc` gilgate gives heap types that declare none (`subtype_dealloc`): clears
/// the weak references and the instance dict the subtype added, runs the nearest base's
/// dealloc, and drops the instance's reference to its type.
pub(crate) unsafe extern "C" fn subtype_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead instance of a heap type (slot contract).
    unsafe {
        let t = ty(op);
        if (*t).tp_finalize.is_some() && call_finalizer_from_dealloc(op) < 0 {
            return;
        }
        let mut base = t;
        while !base.is_null()
            && (*base).tp_dealloc.map(|f| f as usize) == Some(subtype_dealloc as *const () as usize)
        {
            clear_slots(base, op);
            base = (*base).tp_base;
        }
        let has_weak = |x: *mut PyTypeObject| {
            !x.is_null()
                && ((*x).tp_weaklistoffset != 0 || (*x).tp_flags & Py_TPFLAGS_MANAGED_WEAKREF != 0)
        };
        if has_weak(t) && !has_weak(base) {
            crate::weakrefobject::clear_weakrefs(op);
        }
        let has_dict = |x: *mut PyTypeObject| {
            !x.is_null()
                && ((*x).tp_dictoffset != 0 || (*x).tp_flags & Py_TPFLAGS_MANAGED_DICT != 0)
        };
        if has_dict(t)
            && !has_dict(base)
            && let Some(dp) = dict_ptr(op)
        {
            let d = *dp;
            *dp = null_mut();
            xdecref(d);
        }
        incref(t.cast());
        let base_dealloc = if base.is_null() {
            None
        } else {
            (*base).tp_dealloc
        };
        // Who drops the instance's reference to `t`: gilgate's own deallocs leave it to this
        // function (the claim); an extension's follows CPython's rule (a heap base's dealloc
        // releases its instance's type, a static base's does not).
        let prev = crate::objimpl::claim_type_release(op, t);
        match base_dealloc {
            Some(f) => crate::extcall::destructor(f, op),
            None => crate::objimpl::default_dealloc(op),
        }
        let reached_ours = crate::objimpl::end_type_release(prev);
        let base_is_heap = !base.is_null() && (*base).tp_flags & Py_TPFLAGS_HEAPTYPE != 0;
        if reached_ours || !base_is_heap {
            decref(t.cast());
        }
        decref(t.cast());
    }
}

/// Releases the writable object members (`Py_T_OBJECT_EX`, `__slots__`) a heap type added to
/// its instances, as CPython's default dealloc does.
unsafe fn clear_slots(t: *mut PyTypeObject, op: *mut PyObject) {
    // SAFETY: `t` is a heap type in `op`'s chain; its members describe `op`'s memory.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            return;
        }
        let mut m = (*t).tp_members;
        while !m.is_null() && !(*m).name.is_null() {
            if (*m).type_ == crate::descrobject::Py_T_OBJECT_EX
                && (*m).flags & crate::descrobject::Py_READONLY == 0
            {
                let slot = op.cast::<u8>().offset((*m).offset).cast::<*mut PyObject>();
                let v = std::mem::replace(&mut *slot, null_mut());
                xdecref(v);
            }
            m = m.add(1);
        }
    }
}

/// `tp_dealloc` of `type`: frees a heap type when its last reference goes.
pub(crate) unsafe extern "C" fn type_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead heap type (static types are immortal).
    unsafe {
        let t = op.cast::<PyTypeObject>();
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            return;
        }
        if !(*t).tp_weaklist.is_null() {
            crate::weakrefobject::clear_weakrefs(op);
        }
        let ht = t.cast::<PyHeapTypeObject>();
        cache::forget(t);
        slots::remove_subclass(t);
        slots::clear_subclasses(t);
        let mro = (*t).tp_mro;
        if !mro.is_null() && crate::tupleobject::is_tuple(mro) {
            let first = mro
                .cast::<u8>()
                .add(std::mem::offset_of!(
                    crate::tupleobject::PyTupleObject,
                    ob_item
                ))
                .cast::<*mut PyObject>();
            if *first == op {
                *first = null_mut();
            }
        }
        (*t).tp_mro = null_mut();
        xdecref(mro);
        // Its `__new__` holds it borrowed: detach it before the type goes.
        if !(*t).tp_dict.is_null() {
            let f = crate::dictobject::get_str((*t).tp_dict, "__new__");
            if !f.is_null() && crate::methodobject::is_cfunction(f) {
                let cf = f.cast::<crate::methodobject::PyCFunctionObject>();
                if borrows_self((*cf).m_ml) && (*cf).m_self == op {
                    (*cf).m_self = null_mut();
                }
            }
        }
        for p in [
            &raw mut (*t).tp_dict,
            &raw mut (*t).tp_bases,
            &raw mut (*t).tp_cache,
            &raw mut (*ht).ht_name,
            &raw mut (*ht).ht_qualname,
            &raw mut (*ht).ht_slots,
            &raw mut (*ht).ht_module,
        ] {
            let v = *p;
            *p = null_mut();
            xdecref(v);
        }
        let base = (*t).tp_base;
        (*t).tp_base = null_mut();
        xdecref(base.cast());
        if !(*ht)._ht_tpname.is_null() {
            drop(CString::from_raw((*ht)._ht_tpname));
            (*ht)._ht_tpname = null_mut();
            (*t).tp_name = std::ptr::null();
            if !(*t).tp_doc.is_null() {
                drop(CString::from_raw((*t).tp_doc.cast_mut()));
                (*t).tp_doc = std::ptr::null();
            }
            if !(*t).tp_members.is_null() {
                crate::pymem::free((*t).tp_members.cast());
                (*t).tp_members = null_mut();
            }
        }
        HEAP_TYPES_FREED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        crate::objimpl::default_dealloc(op);
    }
}

/// Number of heap types freed so far (for leak tests).
pub(crate) static HEAP_TYPES_FREED: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

// ---- heap types from specs ---------------------------------------------------------------

fn cstr_lossy(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: a NUL-terminated string per the C API contract.
    unsafe { CStr::from_ptr(p).to_string_lossy().into_owned() }
}

/// `PyType_FromMetaclass`: builds and readies a heap type from `spec`.
///
/// # Safety
/// `spec` must be a valid spec whose slot array ends with `{0, NULL}`; the others NULL or live.
pub(crate) unsafe fn from_metaclass(
    meta: *mut PyTypeObject,
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases_in: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { from_metaclass_ns(meta, module, spec, bases_in, null_mut(), false) }
}

/// [`from_metaclass`] whose type dict starts as a copy of `ns` (NULL: empty), as `type(name,
/// bases, dict)` needs: the namespace's entries win over the descriptors readying adds.
///
/// # Safety
/// As [`from_metaclass`]; `ns` NULL or a dict.
unsafe fn from_metaclass_ns(
    meta: *mut PyTypeObject,
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases_in: *mut PyObject,
    ns: *mut PyObject,
    from_type_new: bool,
) -> *mut PyObject {
    use crate::typeslots as ts;
    // SAFETY: forwarded contract.
    unsafe {
        let full = cstr_lossy((*spec).name);
        let mut slots: Vec<(c_int, *mut c_void)> = Vec::new();
        let mut s = (*spec).slots;
        while !s.is_null() && (*s).slot != 0 {
            slots.push(((*s).slot, (*s).pfunc));
            s = s.add(1);
        }
        let find = |id: c_int| slots.iter().find(|(k, _)| *k == id).map(|(_, v)| *v);
        for &(id, _) in &slots {
            if !(1..=ts::Py_tp_token).contains(&id) {
                return raise(
                    &raw mut crate::pyerrors::EXC_RuntimeError,
                    "invalid slot offset",
                );
            }
        }
        // Bases.
        let bases: *mut PyObject = if !bases_in.is_null() {
            if crate::tupleobject::is_tuple(bases_in) {
                new_ref(bases_in)
            } else {
                crate::tupleobject::from_slice(&[bases_in])
            }
        } else if let Some(b) = find(ts::Py_tp_bases) {
            new_ref(b.cast())
        } else if let Some(b) = find(ts::Py_tp_base) {
            crate::tupleobject::from_slice(&[b.cast()])
        } else {
            crate::tupleobject::from_slice(&[(&raw mut PyBaseObject_Type).cast()])
        };
        if bases.is_null() {
            return null_mut();
        }
        let base_list: Vec<*mut PyTypeObject> = crate::tupleobject::items(bases)
            .iter()
            .map(|&b| b.cast())
            .collect();
        for &b in &base_list {
            if !is_type(b.cast()) {
                decref(bases);
                return type_error("bases must be types");
            }
            if (*b).tp_flags & Py_TPFLAGS_BASETYPE == 0 {
                decref(bases);
                return type_error(&format!(
                    "type '{:.100}' is not an acceptable base type",
                    type_name(b)
                ));
            }
            if type_ready(b) < 0 {
                decref(bases);
                return null_mut();
            }
        }
        // The layout base: the first base with the largest instances (`int` for `(ABC,
        // int)`, as CPython's solid base), else the first.
        let widest = base_list
            .iter()
            .map(|&b| (*b).tp_basicsize)
            .max()
            .unwrap_or(0);
        let Some(&base) = base_list
            .iter()
            .find(|&&b| b != &raw mut PyBaseObject_Type && (*b).tp_basicsize == widest)
            .or(base_list.first())
        else {
            decref(bases);
            return type_error("bases must not be empty");
        };
        let meta = if meta.is_null() {
            ty(base.cast())
        } else {
            meta
        };
        // A metaclass's own `tp_new` (ABCMeta's) reaches here through `type.__new__`.
        if !from_type_new
            && meta != &raw mut PyType_Type
            && (*meta).tp_new.is_some()
            && (*meta).tp_new.map(|f| f as usize) != Some(type_new as *const () as usize)
        {
            decref(bases);
            return type_error("Metaclasses with custom tp_new are not supported.");
        }
        // Sizes.
        let align = |x: Py_ssize_t| (x + 7) & !7;
        let base_size = (*base).tp_basicsize;
        let (basicsize, data_offset) = match (*spec).basicsize {
            0 => (base_size, base_size),
            n if n < 0 => (align(base_size) + (-n) as Py_ssize_t, align(base_size)),
            n => (n as Py_ssize_t, base_size),
        };
        let itemsize = if (*spec).itemsize == 0 {
            (*base).tp_itemsize
        } else {
            (*spec).itemsize as Py_ssize_t
        };
        // The type object.
        let op = crate::objimpl::alloc_object(meta, 0);
        if op.is_null() {
            decref(bases);
            return op;
        }
        let t = op.cast::<PyTypeObject>();
        let ht = t.cast::<PyHeapTypeObject>();
        let short = match full.rfind('.') {
            Some(i) => &full[i + 1..],
            None => &full[..],
        };
        (*ht).ht_name = uni::from_str(short);
        (*ht).ht_qualname = uni::from_str(short);
        let tpname = CString::new(full.clone()).unwrap_or_default().into_raw();
        (*ht)._ht_tpname = tpname;
        (*t).tp_name = tpname;
        (*t).tp_flags = c_ulong::from((*spec).flags) | Py_TPFLAGS_HEAPTYPE;
        (*t).tp_basicsize = basicsize;
        (*t).tp_itemsize = itemsize;
        (*t).tp_as_async = &raw mut (*ht).as_async;
        (*t).tp_as_number = &raw mut (*ht).as_number;
        (*t).tp_as_sequence = &raw mut (*ht).as_sequence;
        (*t).tp_as_mapping = &raw mut (*ht).as_mapping;
        (*t).tp_as_buffer = &raw mut (*ht).as_buffer;
        (*t).tp_base = new_ref(base.cast()).cast();
        (*t).tp_bases = bases;
        (*ht).ht_module = module;
        xincref(module);
        (*ht).ht_token = std::ptr::null_mut();
        for &(id, v) in &slots {
            match id {
                ts::Py_tp_base | ts::Py_tp_bases => {}
                ts::Py_tp_doc => {
                    if !v.is_null() {
                        let doc = cstr_lossy(v.cast());
                        (*t).tp_doc = CString::new(doc).unwrap_or_default().into_raw();
                    }
                }
                ts::Py_tp_token => {
                    (*ht).ht_token = if v.is_null() { spec.cast() } else { v };
                }
                ts::Py_tp_members => {
                    let members = v.cast::<PyMemberDef>();
                    let mut n = 0;
                    while !(*members.add(n)).name.is_null() {
                        n += 1;
                    }
                    let copy = crate::pymem::calloc(n + 1, std::mem::size_of::<PyMemberDef>())
                        .cast::<PyMemberDef>();
                    if copy.is_null() {
                        decref(op);
                        return crate::pyerrors::no_memory();
                    }
                    let mut k = 0;
                    for i in 0..n {
                        let m = &*members.add(i);
                        let mut off = m.offset;
                        let mut flags = m.flags;
                        if flags & crate::structmember::Py_RELATIVE_OFFSET != 0 {
                            if (*spec).basicsize >= 0 {
                                decref(op);
                                return raise(
                                    &raw mut EXC_SystemError,
                                    "With Py_RELATIVE_OFFSET, basicsize must be negative.",
                                );
                            }
                            off += data_offset;
                            flags &= !crate::structmember::Py_RELATIVE_OFFSET;
                        }
                        match cstr_lossy(m.name).as_str() {
                            "__dictoffset__" => (*t).tp_dictoffset = off,
                            "__weaklistoffset__" => (*t).tp_weaklistoffset = off,
                            "__vectorcalloffset__" => (*t).tp_vectorcall_offset = off,
                            _ => {
                                copy.add(k).write(PyMemberDef {
                                    name: m.name,
                                    type_: m.type_,
                                    offset: off,
                                    flags,
                                    doc: m.doc,
                                });
                                k += 1;
                            }
                        }
                    }
                    (*t).tp_members = copy;
                }
                _ => {
                    if ts::set_slot(ht, id, v).is_err() {
                        decref(op);
                        return raise(
                            &raw mut crate::pyerrors::EXC_RuntimeError,
                            "invalid slot offset",
                        );
                    }
                }
            }
        }
        if (*t).tp_dealloc.is_none() {
            (*t).tp_dealloc = Some(subtype_dealloc);
        }
        let d = if ns.is_null() {
            crate::dictobject::new_dict()
        } else {
            crate::dictobject::copy(ns)
        };
        if d.is_null() {
            decref(op);
            return null_mut();
        }
        (*t).tp_dict = d;
        if type_ready(t) < 0 {
            decref(op);
            return null_mut();
        }
        slots::add_subclass(t);
        // `__module__` comes after the descriptors, as in CPython: a `__module__` member or
        // getset of the type (zope.interface's InterfaceBase has one) keeps its place.
        if let Some(i) = full.rfind('.')
            && crate::dictobject::get_str(d, "__module__").is_null()
        {
            let m = uni::from_str(&full[..i]);
            if m.is_null() || crate::dictobject::set_item_str(d, "__module__", m) < 0 {
                xdecref(m);
                decref(op);
                return null_mut();
            }
            decref(m);
        }
        op
    }
}

#[export]
pub unsafe fn PyType_FromMetaclass(
    meta: *mut PyTypeObject,
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { from_metaclass(meta, module, spec, bases) }
}

#[export]
pub unsafe fn PyType_FromModuleAndSpec(
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { from_metaclass(null_mut(), module, spec, bases) }
}

#[export]
pub unsafe fn PyType_FromSpecWithBases(
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { from_metaclass(null_mut(), null_mut(), spec, bases) }
}

#[export]
pub unsafe fn PyType_FromSpec(spec: *mut PyType_Spec) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { from_metaclass(null_mut(), null_mut(), spec, null_mut()) }
}

// ---- queries -------------------------------------------------------------------------------

unsafe fn is_heap(t: *mut PyTypeObject) -> bool {
    // SAFETY: `t` is a type object (caller contract).
    unsafe { (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 }
}

/// `PyType_GetModule` (borrowed).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn get_module(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !is_heap(t) {
            return type_error(&format!(
                "PyType_GetModule: Type '{}' is not a heap type",
                type_name(t)
            ));
        }
        let m = (*t.cast::<PyHeapTypeObject>()).ht_module;
        if m.is_null() {
            return type_error(&format!(
                "PyType_GetModule: Type '{}' has no associated module",
                type_name(t)
            ));
        }
        m
    }
}

#[export]
pub unsafe fn PyType_GetModule(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a type object, per the C API contract.
    unsafe { get_module(t) }
}

#[export]
pub unsafe fn PyType_GetModuleState(t: *mut PyTypeObject) -> *mut c_void {
    // SAFETY: a type object, per the C API contract.
    unsafe {
        let m = get_module(t);
        if m.is_null() {
            return null_mut();
        }
        (*m.cast::<PyModuleObject>()).md_state
    }
}

/// `PyType_GetModuleByDef` (borrowed): the module of the first heap type in the MRO whose
/// module was made from `def`.
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn get_module_by_def(
    t: *mut PyTypeObject,
    def: *mut PyModuleDef,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let found = find_in_mro(t, |x| {
            if !is_heap(x) {
                return None;
            }
            let m = (*x.cast::<PyHeapTypeObject>()).ht_module;
            (!m.is_null()
                && crate::moduleobject::is_module(m)
                && (*m.cast::<PyModuleObject>()).md_def == def)
                .then_some(m)
        });
        if let Some(m) = found {
            return m;
        }
        type_error(&format!(
            "PyType_GetModuleByDef: No superclass of '{}' has the given module",
            type_name(t)
        ))
    }
}

#[export]
pub unsafe fn PyType_GetModuleByDef(t: *mut PyTypeObject, def: *mut PyModuleDef) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { get_module_by_def(t, def) }
}

#[export]
pub unsafe fn PyType_GetSlot(t: *mut PyTypeObject, slot: c_int) -> *mut c_void {
    // SAFETY: a type object, per the C API contract.
    match unsafe { crate::typeslots::get_slot(t, slot) } {
        Ok(v) => v,
        Err(()) => {
            crate::pyerrors::bad_internal_call();
            null_mut()
        }
    }
}

#[export]
pub unsafe fn PyType_GetName(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a type object, per the C API contract.
    unsafe { uni::from_str(&type_short_name(t)) }
}

#[export]
pub unsafe fn PyType_GetQualName(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a type object, per the C API contract.
    unsafe { uni::from_str(&type_qualname(t)) }
}

#[export]
pub unsafe fn PyType_GetModuleName(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a type object, per the C API contract.
    unsafe { type_module_obj(t) }
}

#[export]
pub unsafe fn PyType_GetFullyQualifiedName(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a type object, per the C API contract.
    uni::from_str(&unsafe { crate::object::fully_qualified_name(t, '.') })
}

#[export]
pub unsafe fn PyType_GetBaseByToken(
    t: *mut PyTypeObject,
    token: *mut c_void,
    result: *mut *mut PyTypeObject,
) -> c_int {
    // SAFETY: per the C API contract; `result` NULL or writable.
    unsafe {
        if !result.is_null() {
            *result = null_mut();
        }
        if token.is_null() {
            raise(
                &raw mut EXC_SystemError,
                "PyType_GetBaseByToken called with token=NULL",
            );
            return -1;
        }
        if !is_type(t.cast()) {
            type_error(&format!(
                "expected a type, got a '{}' object",
                type_name(ty(t.cast()))
            ));
            return -1;
        }
        if !is_heap(t) {
            return 0;
        }
        for x in mro_list(t) {
            if is_heap(x) && (*x.cast::<PyHeapTypeObject>()).ht_token == token {
                if !result.is_null() {
                    *result = new_ref(x.cast()).cast();
                }
                return 1;
            }
        }
        0
    }
}

#[export(unguarded)]
pub unsafe fn PyType_Modified(t: *mut PyTypeObject) {
    if t.is_null() {
        return;
    }
    // SAFETY: a live type, per the C API contract.
    unsafe { cache::modified(t) }
}

#[export]
pub unsafe fn PyType_GetDict(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a type object, per the C API contract.
    unsafe {
        let d = ensure_dict(t);
        if d.is_null() { d } else { new_ref(d) }
    }
}

#[export]
pub unsafe fn _PyType_Lookup(t: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a type and a str, per the C API contract.
    unsafe { type_lookup(t, name) }
}

#[export]
pub unsafe fn _PyType_LookupRef(t: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a type and a str, per the C API contract.
    unsafe { type_lookup_ref(t, name) }
}

#[export]
pub unsafe fn _PyType_Name(t: *mut PyTypeObject) -> *const c_char {
    // SAFETY: a type object, per the C API contract.
    unsafe {
        let n = (*t).tp_name;
        let s = CStr::from_ptr(n).to_bytes();
        match s.iter().rposition(|&c| c == b'.') {
            Some(i) => n.add(i + 1),
            None => n,
        }
    }
}

#[export]
pub unsafe fn PyType_SUPPORTS_WEAKREFS(t: *mut PyTypeObject) -> c_int {
    // SAFETY: a type object, per the C API contract.
    unsafe { c_int::from((*t).tp_weaklistoffset != 0) }
}

/// `PyType_Freeze`: the type becomes immutable (`Py_TPFLAGS_IMMUTABLETYPE`: its attributes
/// can no longer be set or deleted); every other class of its MRO must be immutable already.
#[export]
pub unsafe fn PyType_Freeze(t: *mut PyTypeObject) -> c_int {
    // SAFETY: a type object, per the C API contract; the MRO is a tuple of types.
    unsafe {
        let mro = (*t).tp_mro;
        if mro.is_null() || !crate::tupleobject::is_tuple(mro) {
            raise(&raw mut EXC_TypeError, "unable to get the type MRO");
            return -1;
        }
        for &b in crate::tupleobject::items(mro).iter().skip(1) {
            let b: *mut PyTypeObject = b.cast();
            if (*b).tp_flags & Py_TPFLAGS_IMMUTABLETYPE == 0 {
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "Creating immutable type {} from mutable base {}",
                        CStr::from_ptr((*t).tp_name).to_string_lossy(),
                        CStr::from_ptr((*b).tp_name).to_string_lossy()
                    ),
                );
                return -1;
            }
        }
        std::sync::atomic::AtomicU64::from_ptr((&raw mut (*t).tp_flags).cast()).fetch_or(
            Py_TPFLAGS_IMMUTABLETYPE,
            std::sync::atomic::Ordering::SeqCst,
        );
        0
    }
}

/// The types of `t`'s method resolution order (static types without `tp_mro`: their base
/// chain), borrowed.
///
/// # Safety
/// `t` is a live type.
pub(crate) unsafe fn mro_types(t: *mut PyTypeObject) -> Vec<*mut PyTypeObject> {
    let mut out = Vec::new();
    // SAFETY: forwarded contract.
    unsafe {
        crate::object::find_in_mro(t, |c| {
            out.push(c);
            None::<()>
        })
    };
    out
}

/// `type.mro()`: the type's method resolution order as a list.
unsafe fn m_mro(t: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live type.
    unsafe {
        let items: Vec<*mut PyObject> = mro_types(t.cast())
            .into_iter()
            .map(|c| crate::refcount::new_ref(c.cast()))
            .collect();
        crate::listobject::from_vec(items)
    }
}

/// `type`'s methods (`tp_methods` of `PyType_Type`).
pub(crate) static mut TYPE_METHODS: [crate::methodobject::PyMethodDef; 2] = [
    crate::bytes_methods::def!(c"mro", noargs, m_mro),
    crate::methodobject::PyMethodDef::END,
];
