//! CPython's `Objects/object.c`: the base types (`object`, `type`), the singletons (`None`,
//! `NotImplemented`, `Ellipsis`) and the generic object protocol (attributes, comparison,
//! hashing, repr/str, truth). The layouts and constants of `object.h` are in `abi/object.rs`,
//! re-exported here so `crate::object::PyObject` names them where C names them.

pub(crate) use crate::abi::object::*;

pub(crate) mod extra;

use crate::export;
use crate::pyerrors::{self as err, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::typeobject::{
    PyHeapTypeObject, PyObject_HashNotImplemented, generic_get_dict, generic_set_dict,
};
use crate::unicodeobject as uni;
use std::ffi::{c_char, c_int, c_ulong, c_void};
use std::ptr::null_mut;

/// Flags every built-in static type of gilgate carries.
const STATIC_READY: c_ulong = Py_TPFLAGS_READY | Py_TPFLAGS_IMMUTABLETYPE;

#[export]
pub static mut PyType_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyBaseObject_Type,
    tp_getattro: Some(type_getattro),
    tp_setattro: Some(type_setattro),
    tp_repr: Some(type_repr),
    tp_call: Some(crate::typeobject::type_call),
    tp_new: Some(crate::typeobject::type_new),
    tp_init: Some(crate::typeobject::type_init),
    tp_dealloc: Some(crate::typeobject::type_dealloc),
    tp_hash: Some(crate::typeobject::object_hash),
    tp_richcompare: Some(crate::typeobject::object_richcompare),
    tp_weaklistoffset: std::mem::offset_of!(PyTypeObject, tp_weaklist) as Py_ssize_t,
    tp_free: Some(crate::pymem::PyObject_Free),
    // CPython's `type` inherits `PyType_GenericAlloc` from `object` when readied; extensions
    // call it directly (pybind11 allocates its metaclass with `PyType_Type.tp_alloc`).
    tp_alloc: Some(crate::objimpl::PyType_GenericAlloc),
    tp_methods: (&raw mut crate::typeobject::TYPE_METHODS).cast(),
    // Calling a type goes through its own `tp_vectorcall` when it has one (CPython's
    // `type` sets this offset and the flag; a NULL `tp_vectorcall` falls back to `type_call`).
    tp_vectorcall_offset: std::mem::offset_of!(PyTypeObject, tp_vectorcall) as Py_ssize_t,
    ..PyTypeObject::new_static(
        &raw mut PyType_Type,
        c"type",
        960,
        40,
        STATIC_READY | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TYPE_SUBCLASS | Py_TPFLAGS_HAVE_VECTORCALL,
    )
};

/// `object.__class__`.
static mut OBJECT_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"__class__".as_ptr(),
        get: Some(object_get_class),
        set: Some(object_set_class),
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

unsafe extern "C" fn object_get_class(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: `op` is live.
    unsafe { new_ref(ty(op).cast()) }
}

/// `obj.__class__ = cls`: allowed between mutable (heap) types, or module subclasses, whose
/// instances have the same layout, as CPython checks it.
unsafe extern "C" fn object_set_class(
    op: *mut PyObject,
    value: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    let type_error = |msg: &str| {
        raise(&raw mut crate::pyerrors::EXC_TypeError, msg);
        -1
    };
    // SAFETY: setter contract: `op` is live, `value` NULL or live.
    unsafe {
        if value.is_null() {
            return type_error("can't delete __class__ attribute");
        }
        if !is_type(value) {
            return type_error(&format!(
                "__class__ must be set to a class, not '{}' object",
                type_name(ty(value))
            ));
        }
        let new = value.cast::<PyTypeObject>();
        let old = ty(op);
        let module = &raw mut crate::moduleobject::PyModule_Type;
        let both_modules = is_subtype(new, module) && is_subtype(old, module);
        if !both_modules && ((*new).tp_flags | (*old).tp_flags) & Py_TPFLAGS_IMMUTABLETYPE != 0 {
            return type_error(
                "__class__ assignment only supported for mutable types or ModuleType subclasses",
            );
        }
        if let Err(msg) = compatible_for_assignment(old, new, "__class__") {
            return type_error(&msg);
        }
        if (*new).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            crate::refcount::incref(new.cast());
        }
        (*op).ob_type = new;
        if (*old).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            decref(old.cast());
        }
        0
    }
}

/// Whether `child` adds nothing to its base's instance layout.
unsafe fn same_layout_as_base(child: *mut PyTypeObject) -> bool {
    // SAFETY: a type object; its base (if any) is one too.
    unsafe {
        let parent = (*child).tp_base;
        if parent.is_null() {
            return false;
        }
        let gc = |t: *mut PyTypeObject| (*t).tp_flags & Py_TPFLAGS_HAVE_GC;
        (*child).tp_basicsize == (*parent).tp_basicsize
            && (*child).tp_itemsize == (*parent).tp_itemsize
            && (*child).tp_dictoffset == (*parent).tp_dictoffset
            && (*child).tp_weaklistoffset == (*parent).tp_weaklistoffset
            && gc(child) == gc(parent)
            && (fn_addr((*child).tp_dealloc)
                == fn_addr(Some(
                    crate::typeobject::subtype_dealloc as unsafe extern "C" fn(_),
                ))
                || fn_addr((*child).tp_dealloc) == fn_addr((*parent).tp_dealloc))
    }
}

/// CPython's check that instances of `old` can become instances of `new`.
unsafe fn compatible_for_assignment(
    old: *mut PyTypeObject,
    new: *mut PyTypeObject,
    attr: &str,
) -> Result<(), String> {
    // SAFETY: type objects.
    unsafe {
        let (nn, on) = (type_name(new), type_name(old));
        if fn_addr((*new).tp_free) != fn_addr((*old).tp_free) {
            return Err(format!(
                "{attr} assignment: '{nn}' deallocator differs from '{on}'"
            ));
        }
        let (mut nb, mut ob) = (new, old);
        while same_layout_as_base(nb) {
            nb = (*nb).tp_base;
        }
        while same_layout_as_base(ob) {
            ob = (*ob).tp_base;
        }
        let differs = (nb != ob
            && ((*nb).tp_base != (*ob).tp_base || (*nb).tp_basicsize != (*ob).tp_basicsize))
            || ((*old).tp_flags & Py_TPFLAGS_PREHEADER) != ((*new).tp_flags & Py_TPFLAGS_PREHEADER);
        if differs {
            return Err(format!(
                "{attr} assignment: '{nn}' object layout differs from '{on}'"
            ));
        }
        Ok(())
    }
}

/// `object`'s methods: `__format__` and the default pickling protocol
/// (`typeobject/reduce.rs`).
static mut OBJECT_METHODS: [crate::methodobject::PyMethodDef; 9] = [
    object_method(
        c"__sizeof__",
        object_sizeof,
        crate::methodobject::METH_NOARGS,
    ),
    object_method(c"__dir__", object_dir, crate::methodobject::METH_NOARGS),
    object_method(
        c"__init_subclass__",
        object_init_subclass,
        crate::methodobject::METH_CLASS | crate::methodobject::METH_NOARGS,
    ),
    object_method(
        c"__subclasshook__",
        object_subclasshook,
        crate::methodobject::METH_CLASS | crate::methodobject::METH_O,
    ),
    crate::bytes_methods::def!(c"__format__", o, crate::formatter_unicode::format_object),
    object_method(
        c"__reduce_ex__",
        crate::typeobject::reduce::object_reduce_ex,
        crate::methodobject::METH_O,
    ),
    object_method(
        c"__reduce__",
        crate::typeobject::reduce::object_reduce,
        crate::methodobject::METH_NOARGS,
    ),
    object_method(
        c"__getstate__",
        crate::typeobject::reduce::object_getstate,
        crate::methodobject::METH_NOARGS,
    ),
    crate::methodobject::PyMethodDef::END,
];

/// `object.__sizeof__()`: the type's basic size plus its item size times the object's
/// `ob_size` (for variable-size types).
unsafe extern "C" fn object_sizeof(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (method contract); a type with an item size lays its objects out
    // as `PyVarObject`.
    unsafe {
        let t = ty(op);
        let mut n = (*t).tp_basicsize as i128;
        if (*t).tp_itemsize > 0 {
            let size = (*op.cast::<crate::object::PyVarObject>()).ob_size;
            n += (*t).tp_itemsize as i128 * (size as i128).abs();
        }
        crate::longobject::from_i128(n)
    }
}

/// `object.__dir__()`: the default listing `dir()` makes (unsorted order does not matter:
/// `dir()` sorts).
unsafe extern "C" fn object_dir(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (method contract).
    unsafe { crate::bltinmodule::default_dir(op) }
}

/// `object.__init_subclass__()`: does nothing.
unsafe extern "C" fn object_init_subclass(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    new_none()
}

/// `object.__subclasshook__(subclass)`: NotImplemented (the ABCs decide by their own hooks).
unsafe extern "C" fn object_subclasshook(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::iterobject::not_implemented()
}

type ObjectMethod = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

const fn object_method(
    name: &'static std::ffi::CStr,
    f: ObjectMethod,
    flags: c_int,
) -> crate::methodobject::PyMethodDef {
    crate::methodobject::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f as *mut c_void,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

#[export]
pub static mut PyBaseObject_Type: PyTypeObject = PyTypeObject {
    tp_getset: (&raw mut OBJECT_GETSET).cast(),
    tp_methods: (&raw mut OBJECT_METHODS).cast(),
    tp_getattro: Some(PyObject_GenericGetAttr),
    tp_setattro: Some(PyObject_GenericSetAttr),
    tp_repr: Some(object_repr),
    tp_str: Some(object_str),
    tp_hash: Some(crate::typeobject::object_hash),
    tp_richcompare: Some(crate::typeobject::object_richcompare),
    tp_dealloc: Some(crate::objimpl::plain_dealloc),
    tp_init: Some(crate::typeobject::object_init),
    tp_alloc: Some(crate::objimpl::PyType_GenericAlloc),
    tp_new: Some(crate::typeobject::object_new),
    tp_free: Some(crate::pymem::PyObject_Free),
    ..PyTypeObject::new_static(
        &raw mut PyType_Type,
        c"object",
        std::mem::size_of::<PyObject>() as Py_ssize_t,
        0,
        STATIC_READY | Py_TPFLAGS_BASETYPE,
    )
};

/// `object.__str__`: the object's `repr` (through its type's `tp_repr`).
unsafe extern "C" fn object_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe { repr(op) }
}

/// A static type deriving from `object`, with the generic attribute slots filled in.
pub const fn static_type(
    name: &'static std::ffi::CStr,
    basicsize: usize,
    itemsize: usize,
    flags: c_ulong,
) -> PyTypeObject {
    PyTypeObject {
        tp_base: &raw mut PyBaseObject_Type,
        tp_getattro: Some(PyObject_GenericGetAttr),
        tp_setattro: Some(PyObject_GenericSetAttr),
        tp_dealloc: Some(crate::objimpl::plain_dealloc),
        tp_free: Some(crate::pymem::PyObject_Free),
        tp_repr: Some(object_repr),
        ..PyTypeObject::new_static(
            &raw mut PyType_Type,
            name,
            basicsize as Py_ssize_t,
            itemsize as Py_ssize_t,
            flags | STATIC_READY,
        )
    }
}

static mut NONE_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_bool: Some(none_bool),
    ..crate::setobject::const_default_number()
};

/// `bool(None)`: False.
unsafe extern "C" fn none_bool(_: *mut PyObject) -> c_int {
    0
}

static mut NOTIMPL_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_bool: Some(notimpl_bool),
    ..crate::setobject::const_default_number()
};

/// `bool(NotImplemented)`: a TypeError since 3.14.
unsafe extern "C" fn notimpl_bool(_: *mut PyObject) -> c_int {
    crate::pyerrors::raise(
        &raw mut crate::pyerrors::EXC_TypeError,
        "NotImplemented should not be used in a boolean context",
    );
    -1
}

#[export]
pub static mut _PyNone_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(none_repr),
    tp_as_number: &raw mut NONE_AS_NUMBER,
    tp_new: Some(singleton_new),
    ..static_type(c"NoneType", std::mem::size_of::<PyObject>(), 0, 0)
};

#[export]
pub static mut _PyNotImplemented_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(notimpl_repr),
    tp_as_number: &raw mut NOTIMPL_AS_NUMBER,
    tp_new: Some(singleton_new),
    ..static_type(c"NotImplementedType", std::mem::size_of::<PyObject>(), 0, 0)
};

#[export]
pub static mut PyEllipsis_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(ellipsis_repr),
    tp_new: Some(singleton_new),
    ..static_type(c"ellipsis", std::mem::size_of::<PyObject>(), 0, 0)
};

/// `NoneType()`, `NotImplementedType()`, `ellipsis()`: the type's singleton.
unsafe extern "C" fn singleton_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is one of the three singleton types.
    unsafe {
        if (!args.is_null() && !crate::tupleobject::items(args).is_empty())
            || (!kw.is_null() && crate::dictobject::len(kw) != 0)
        {
            return raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!(
                    "{} takes no arguments",
                    if t == &raw mut PyEllipsis_Type {
                        "EllipsisType".to_string()
                    } else {
                        type_name(t)
                    }
                ),
            );
        }
        let v = if t == &raw mut _PyNone_Type {
            none()
        } else if t == &raw mut _PyNotImplemented_Type {
            &raw mut _Py_NotImplementedStruct
        } else {
            &raw mut _Py_EllipsisObject
        };
        new_ref(v)
    }
}

#[export]
pub static mut _Py_NoneStruct: PyObject = PyObject::static_immortal(&raw mut _PyNone_Type);

#[export]
pub static mut _Py_NotImplementedStruct: PyObject =
    PyObject::static_immortal(&raw mut _PyNotImplemented_Type);

#[export]
pub static mut _Py_EllipsisObject: PyObject = PyObject::static_immortal(&raw mut PyEllipsis_Type);

/// `Py_None` (borrowed).
#[inline]
pub fn none() -> *mut PyObject {
    &raw mut _Py_NoneStruct
}

/// A new reference to `None`.
#[inline]
pub fn new_none() -> *mut PyObject {
    none()
}

/// `Py_TYPE(op)`.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub unsafe fn ty(op: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: forwarded contract.
    unsafe { (*op).ob_type }
}

/// The `tp_name` of a type as a Rust string.
///
/// # Safety
/// `t` must point to a type object.
pub unsafe fn type_name(t: *mut PyTypeObject) -> String {
    // SAFETY: forwarded contract; tp_name is a NUL-terminated string or NULL.
    unsafe {
        let n = (*t).tp_name;
        if n.is_null() {
            return "?".into();
        }
        std::ffi::CStr::from_ptr(n).to_string_lossy().into_owned()
    }
}

/// The `tp_name` of `op`'s type as a Rust string (what error messages print).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn tname(op: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe { type_name(ty(op)) }
}

/// The type's short name (`tp_name` after the last dot), as `__name__` reports it.
///
/// # Safety
/// `t` must point to a type object.
pub unsafe fn type_short_name(t: *mut PyTypeObject) -> String {
    // SAFETY: forwarded contract; heap types made by gilgate carry `ht_name`.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            let n = (*t.cast::<PyHeapTypeObject>()).ht_name;
            if !n.is_null()
                && let Some(s) = uni::as_str(n)
            {
                return s.to_string();
            }
        }
    }
    // SAFETY: forwarded contract.
    let full = unsafe { type_name(t) };
    match full.rfind('.') {
        Some(i) => full[i + 1..].to_string(),
        None => full,
    }
}

/// `PyType_IsSubtype`: walks `tp_mro` when set, else the `tp_base` chain.
///
/// # Safety
/// Both must point to type objects.
pub unsafe fn is_subtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract; tp_mro is NULL or a tuple of types.
    unsafe {
        let mro = (*a).tp_mro;
        if !mro.is_null() && crate::tupleobject::is_tuple(mro) {
            return crate::tupleobject::items(mro)
                .iter()
                .any(|&t| t.cast::<PyTypeObject>() == b);
        }
        let mut t = a;
        while !t.is_null() {
            if t == b {
                return true;
            }
            t = (*t).tp_base;
        }
        b == &raw mut PyBaseObject_Type
    }
}

unsafe extern "C" {
    #[link_name = "PyObject_Call"]
    fn exported_call(
        callable: *mut PyObject,
        args: *mut PyObject,
        kw: *mut PyObject,
    ) -> *mut PyObject;
}

/// Calls `callable(*args, **kw)`: its type's `tp_call` when it has one, else the exported
/// `PyObject_Call` (the calls machinery; vectorcall-only objects).
///
/// # Safety
/// `callable` must be live, `args` a tuple, `kw` NULL or a dict.
pub(crate) unsafe fn call(
    callable: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        match (*ty(callable)).tp_call {
            Some(f) => crate::extcall::ternary(f, callable, args, kw),
            None => exported_call(callable, args, kw),
        }
    }
}

/// `PyObject_TypeCheck(op, t)`.
///
/// # Safety
/// `op` must be a live object and `t` a type object.
#[inline]
pub(crate) unsafe fn type_check(op: *mut PyObject, t: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == t || is_subtype(ty(op), t) }
}

/// Whether `op`'s type has `flag` in `tp_flags`.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn has_flag(op: *mut PyObject, flag: c_ulong) -> bool {
    // SAFETY: forwarded contract.
    unsafe { (*ty(op)).tp_flags & flag != 0 }
}

/// Whether `op` is a type object.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_type(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { has_flag(op, Py_TPFLAGS_TYPE_SUBCLASS) }
}

/// `Py_TPFLAGS_PREHEADER`: the instance has gilgate's two pre-header words (managed dict and
/// managed weak reference list) just before the object header.
pub const Py_TPFLAGS_PREHEADER: c_ulong = Py_TPFLAGS_MANAGED_DICT | Py_TPFLAGS_MANAGED_WEAKREF;
pub const Py_TPFLAGS_MANAGED_WEAKREF: c_ulong = 1 << 3;
/// Where the managed dict pointer lives, relative to the object (free-threaded layout).
pub(crate) const MANAGED_DICT_OFFSET: Py_ssize_t = -8;
/// Where the managed weak reference list lives, relative to the object.
pub(crate) const MANAGED_WEAKREF_OFFSET: Py_ssize_t = -16;

const SUBCLASS_BITS: c_ulong = Py_TPFLAGS_LONG_SUBCLASS
    | Py_TPFLAGS_LIST_SUBCLASS
    | Py_TPFLAGS_TUPLE_SUBCLASS
    | Py_TPFLAGS_BYTES_SUBCLASS
    | Py_TPFLAGS_UNICODE_SUBCLASS
    | Py_TPFLAGS_DICT_SUBCLASS
    | Py_TPFLAGS_BASE_EXC_SUBCLASS
    | Py_TPFLAGS_TYPE_SUBCLASS;

fn fn_addr<T>(f: Option<T>) -> usize
where
    T: Copy,
{
    match f {
        // SAFETY: every slot type is a plain function pointer, the size of usize.
        Some(p) => unsafe { std::mem::transmute_copy::<T, usize>(&p) },
        None => 0,
    }
}

/// What a type inherits from its direct base only (`inherit_special`): sizes, offsets, the
/// subclass flags, the pre-header flags and GC.
///
/// # Safety
/// Both must point to type objects; `t` must be writable.
unsafe fn inherit_special(t: *mut PyTypeObject, base: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let t = &mut *t;
        let b = &*base;
        if t.tp_flags & Py_TPFLAGS_HAVE_GC == 0
            && b.tp_flags & Py_TPFLAGS_HAVE_GC != 0
            && t.tp_traverse.is_none()
            && t.tp_clear.is_none()
        {
            t.tp_flags |= Py_TPFLAGS_HAVE_GC;
            t.tp_traverse = b.tp_traverse;
            t.tp_clear = b.tp_clear;
        }
        t.tp_flags |= b.tp_flags & Py_TPFLAGS_PREHEADER;
        if t.tp_flags & Py_TPFLAGS_PREHEADER != 0 {
            t.tp_flags |= Py_TPFLAGS_HAVE_GC;
        }
        if t.tp_basicsize == 0 {
            t.tp_basicsize = b.tp_basicsize;
        }
        if t.tp_itemsize == 0 {
            t.tp_itemsize = b.tp_itemsize;
        }
        if t.tp_weaklistoffset == 0 {
            t.tp_weaklistoffset = b.tp_weaklistoffset;
        }
        if t.tp_dictoffset == 0 {
            t.tp_dictoffset = b.tp_dictoffset;
        }
        t.tp_flags |= b.tp_flags & SUBCLASS_BITS;
    }
}

/// Whether the type's own dict defines `__eq__` or `__hash__` (then neither comparison slot
/// is inherited).
unsafe fn overrides_hash(t: *mut PyTypeObject) -> bool {
    // SAFETY: `t` is a type; tp_dict is NULL or a dict.
    unsafe {
        let d = (*t).tp_dict;
        !d.is_null()
            && (!crate::dictobject::get_str(d, "__eq__").is_null()
                || !crate::dictobject::get_str(d, "__hash__").is_null())
    }
}

/// Copies the slots `t` leaves empty from `base` (one entry of the MRO; `inherit_slots`).
///
/// # Safety
/// Both must point to type objects; `t` must be writable.
unsafe fn inherit_slots(t: *mut PyTypeObject, base: *mut PyTypeObject) {
    // SAFETY: forwarded contract; the sub-structures are NULL or valid.
    unsafe {
        let over_hash = overrides_hash(t);
        let t = &mut *t;
        let b = &*base;
        macro_rules! sub {
            ($field:ident, $($f:ident),*) => {
                if !t.$field.is_null() && !b.$field.is_null() && t.$field != b.$field {
                    let (ts, bs) = (&mut *t.$field, &*b.$field);
                    $( if ts.$f.is_none() { ts.$f = bs.$f; } )*
                }
            };
        }
        sub!(
            tp_as_number,
            nb_add,
            nb_subtract,
            nb_multiply,
            nb_remainder,
            nb_divmod,
            nb_power,
            nb_negative,
            nb_positive,
            nb_absolute,
            nb_bool,
            nb_invert,
            nb_lshift,
            nb_rshift,
            nb_and,
            nb_xor,
            nb_or,
            nb_int,
            nb_float,
            nb_inplace_add,
            nb_inplace_subtract,
            nb_inplace_multiply,
            nb_inplace_remainder,
            nb_inplace_power,
            nb_inplace_lshift,
            nb_inplace_rshift,
            nb_inplace_and,
            nb_inplace_xor,
            nb_inplace_or,
            nb_floor_divide,
            nb_true_divide,
            nb_inplace_floor_divide,
            nb_inplace_true_divide,
            nb_index,
            nb_matrix_multiply,
            nb_inplace_matrix_multiply
        );
        sub!(tp_as_async, am_await, am_aiter, am_anext, am_send);
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
        sub!(tp_as_mapping, mp_length, mp_subscript, mp_ass_subscript);
        sub!(tp_as_buffer, bf_getbuffer, bf_releasebuffer);
        macro_rules! copy {
            ($($f:ident),*) => { $( if t.$f.is_none() { t.$f = b.$f; } )* };
        }
        copy!(tp_dealloc);
        if t.tp_getattr.is_none() && t.tp_getattro.is_none() {
            t.tp_getattr = b.tp_getattr;
            t.tp_getattro = b.tp_getattro;
        }
        if t.tp_setattr.is_none() && t.tp_setattro.is_none() {
            t.tp_setattr = b.tp_setattr;
            t.tp_setattro = b.tp_setattro;
        }
        copy!(tp_repr, tp_str);
        if t.tp_call.is_none() {
            t.tp_call = b.tp_call;
            // Since 3.12 heap types inherit the flag too (metaclasses deriving from `type`).
            if b.tp_flags & Py_TPFLAGS_HAVE_VECTORCALL != 0 {
                t.tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
            }
        }
        if t.tp_vectorcall_offset == 0 {
            t.tp_vectorcall_offset = b.tp_vectorcall_offset;
        }
        if t.tp_richcompare.is_none() && t.tp_hash.is_none() && !over_hash {
            t.tp_richcompare = b.tp_richcompare;
            t.tp_hash = b.tp_hash;
        }
        copy!(tp_iter, tp_iternext, tp_descr_get);
        if b.tp_descr_get.is_some()
            && fn_addr(t.tp_descr_get) == fn_addr(b.tp_descr_get)
            && b.tp_flags & Py_TPFLAGS_METHOD_DESCRIPTOR != 0
        {
            t.tp_flags |= Py_TPFLAGS_METHOD_DESCRIPTOR;
        }
        copy!(tp_descr_set, tp_init, tp_alloc, tp_is_gc, tp_finalize);
        if t.tp_dictoffset == 0 {
            t.tp_dictoffset = b.tp_dictoffset;
        }
        let gc = Py_TPFLAGS_HAVE_GC;
        if t.tp_flags & gc == b.tp_flags & gc {
            copy!(tp_free, tp_traverse, tp_clear);
        } else if t.tp_flags & gc != 0
            && t.tp_free.is_none()
            && fn_addr(b.tp_free)
                == fn_addr(Some(
                    crate::pymem::PyObject_Free as unsafe extern "C" fn(*mut c_void),
                ))
        {
            t.tp_free = Some(crate::objimpl::PyObject_GC_Del);
        }
    }
}

/// The C3 linearisation of `t` over `bases` (each base's MRO as a list of types).
/// `Err(msg)` when no consistent order exists.
pub(crate) fn c3_merge(
    t: *mut PyTypeObject,
    mut seqs: Vec<Vec<*mut PyTypeObject>>,
) -> Result<Vec<*mut PyTypeObject>, Vec<*mut PyTypeObject>> {
    let mut out = vec![t];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let candidate = seqs
            .iter()
            .map(|s| s[0])
            .find(|&c| !seqs.iter().any(|s| s[1..].contains(&c)));
        let Some(c) = candidate else {
            let mut heads: Vec<*mut PyTypeObject> = Vec::new();
            for s in &seqs {
                if !heads.contains(&s[0]) {
                    heads.push(s[0]);
                }
            }
            return Err(heads);
        };
        out.push(c);
        for s in &mut seqs {
            if s[0] == c {
                s.remove(0);
            }
        }
    }
}

/// The MRO of a type as a list: its `tp_mro` tuple, or the `tp_base` chain for static types
/// that never went through `PyType_Ready`.
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn mro_list(t: *mut PyTypeObject) -> Vec<*mut PyTypeObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let mro = (*t).tp_mro;
        if !mro.is_null() && crate::tupleobject::is_tuple(mro) {
            let mut v: Vec<*mut PyTypeObject> = crate::tupleobject::items(mro)
                .iter()
                .map(|&o| o.cast())
                .collect();
            if v.first() != Some(&t) {
                v.insert(0, t);
            }
            return v;
        }
        let mut v = Vec::new();
        let mut cur = t;
        while !cur.is_null() {
            v.push(cur);
            cur = (*cur).tp_base;
        }
        let object = &raw mut PyBaseObject_Type;
        if v.last() != Some(&object) && t != object {
            v.push(object);
        }
        v
    }
}

/// Calls `f` on each type of `t`'s MRO in order until it returns `Some` (no allocation: the
/// hot path of every attribute lookup).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn find_in_mro<R>(
    t: *mut PyTypeObject,
    mut f: impl FnMut(*mut PyTypeObject) -> Option<R>,
) -> Option<R> {
    // SAFETY: forwarded contract; tp_mro is NULL or a tuple of types.
    unsafe {
        let mro = (*t).tp_mro;
        if !mro.is_null() && crate::tupleobject::is_tuple(mro) {
            let items = crate::tupleobject::items(mro);
            if items.first().copied() != Some(t.cast())
                && let Some(r) = f(t)
            {
                return Some(r);
            }
            for &o in items {
                if !o.is_null()
                    && let Some(r) = f(o.cast())
                {
                    return Some(r);
                }
            }
            return None;
        }
        let object = &raw mut PyBaseObject_Type;
        let mut cur = t;
        let mut saw_object = false;
        while !cur.is_null() {
            saw_object |= cur == object;
            if let Some(r) = f(cur) {
                return Some(r);
            }
            cur = (*cur).tp_base;
        }
        if !saw_object { f(object) } else { None }
    }
}

/// The items of `tp_bases` (or `[tp_base]`).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn bases_list(t: *mut PyTypeObject) -> Vec<*mut PyTypeObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let b = (*t).tp_bases;
        if !b.is_null() && crate::tupleobject::is_tuple(b) {
            return crate::tupleobject::items(b)
                .iter()
                .map(|&o| o.cast())
                .collect();
        }
        if (*t).tp_base.is_null() {
            Vec::new()
        } else {
            vec![(*t).tp_base]
        }
    }
}

/// Computes and stores `tp_mro`. The tuple's first item is the type itself, stored without
/// a reference (a strong self-reference would keep heap types alive forever); `type_dealloc`
/// clears that slot before releasing the tuple.
unsafe fn compute_mro(t: *mut PyTypeObject) -> c_int {
    // SAFETY: `t` is a type object being readied; its bases are ready.
    unsafe {
        let bases = bases_list(t);
        let mut seqs: Vec<Vec<*mut PyTypeObject>> = bases.iter().map(|&b| mro_list(b)).collect();
        seqs.push(bases.clone());
        let order = match c3_merge(t, seqs) {
            Ok(o) => o,
            Err(heads) => {
                let names: Vec<String> = heads.iter().map(|&h| type_short_name(h)).collect();
                raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    &format!(
                        "Cannot create a consistent method resolution order (MRO) for bases {}",
                        names.join(", ")
                    ),
                );
                return -1;
            }
        };
        let tuple = crate::tupleobject::new_tuple(order.len());
        if tuple.is_null() {
            return -1;
        }
        let items = std::slice::from_raw_parts_mut(
            tuple
                .cast::<u8>()
                .add(std::mem::offset_of!(
                    crate::tupleobject::PyTupleObject,
                    ob_item
                ))
                .cast::<*mut PyObject>(),
            order.len(),
        );
        items[0] = t.cast();
        for (slot, &o) in items[1..].iter_mut().zip(&order[1..]) {
            *slot = new_ref(o.cast());
        }
        let old = (*t).tp_mro;
        (*t).tp_mro = tuple;
        xdecref(old);
        0
    }
}

static READY_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Gives a static type that was declared ready (gilgate's built-ins) its `tp_dict` of
/// descriptors on first use.
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn ensure_dict(t: *mut PyTypeObject) -> *mut PyObject {
    use std::sync::atomic::{AtomicPtr, Ordering};
    // SAFETY: forwarded contract; `tp_dict` is an aligned pointer field that is published once
    // (release, under READY_LOCK) and read by threads that may race that publication (acquire).
    unsafe {
        let slot = AtomicPtr::from_ptr(&raw mut (*t).tp_dict);
        let d = slot.load(Ordering::Acquire);
        if !d.is_null() {
            return d;
        }
        let _g = READY_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let d = slot.load(Ordering::Acquire);
        if !d.is_null() {
            return d;
        }
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            return d;
        }
        if crate::descrobject::add_slot_wrappers(t, d) < 0
            || crate::descrobject::add_descriptors(t, d) < 0
            || crate::typeobject::add_tp_new_wrapper(t, d) < 0
            || set_doc_in(t, d) < 0
        {
            err::clear();
        }
        // Start-up left this to the first use of the dict (`init_builtin_generics`).
        if crate::genericaliasobject::is_builtin_generic(t)
            && !crate::genericaliasobject::add_class_getitem_to(t, d)
        {
            err::clear();
        }
        slot.store(d, Ordering::Release);
        d
    }
}

/// The docstring without its `Name(signature)\n--\n\n` header (the text signature
/// convention of `tp_doc`).
pub(crate) fn doc_without_signature<'a>(name: &str, doc: &'a str) -> &'a str {
    let Some(rest) = doc.strip_prefix(name) else {
        return doc;
    };
    if !rest.starts_with('(') {
        return doc;
    }
    match rest.find(")\n--\n\n") {
        Some(i) => &rest[i + 6..],
        None => doc,
    }
}

/// `__doc__` in the type's dict, from `tp_doc` (None when there is none).
unsafe fn set_doc(t: *mut PyTypeObject) -> c_int {
    // SAFETY: `t` is a type with a dict.
    unsafe { set_doc_in(t, (*t).tp_dict) }
}

/// `set_doc` into `d`, the dict `t` is getting.
unsafe fn set_doc_in(t: *mut PyTypeObject, d: *mut PyObject) -> c_int {
    // SAFETY: `t` is a type and `d` a dict.
    unsafe {
        if !crate::dictobject::get_str(d, "__doc__").is_null() {
            return 0;
        }
        let doc = if (*t).tp_doc.is_null() {
            new_none()
        } else {
            // CPython takes the name from `tp_name` here, never from a heap type's `ht_name`:
            // Cython readies its static types with `Py_TPFLAGS_HEAPTYPE` set for the call,
            // on a struct that has no heap type fields.
            let text = std::ffi::CStr::from_ptr((*t).tp_doc).to_string_lossy();
            // the name from `tp_name` only, as CPython's `_PyType_Name`: Cython readies its
            // static types with Py_TPFLAGS_HEAPTYPE set for the call, so `ht_name` is not there
            let full = type_name(t);
            let short = full.rsplit('.').next().unwrap_or(&full).to_string();
            uni::from_str(doc_without_signature(&short, &text))
        };
        if doc.is_null() {
            return -1;
        }
        let r = crate::dictobject::set_item_str(d, "__doc__", doc);
        decref(doc);
        r
    }
}

static mut DICT_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(dict_getter),
        set: Some(dict_setter),
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

/// `__weakref__` of heap types with a weak reference list.
static mut WEAKREF_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"__weakref__".as_ptr(),
        get: Some(weakref_getter),
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

unsafe extern "C" fn dict_getter(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: `op` is a live instance.
    unsafe { generic_get_dict(op) }
}

unsafe extern "C" fn weakref_getter(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: `op` is a live instance.
    unsafe {
        let r = crate::weakrefobject::first_ref(op);
        if r.is_null() { new_none() } else { r }
    }
}

unsafe extern "C" fn dict_setter(op: *mut PyObject, v: *mut PyObject, _c: *mut c_void) -> c_int {
    // SAFETY: setter contract.
    unsafe { generic_set_dict(op, v) }
}

/// `PyType_Ready`: bases, dict of descriptors, MRO, inherited slots, `__doc__`, hash.
///
/// # Safety
/// `t` must point to a writable type object.
pub(crate) unsafe fn type_ready(t: *mut PyTypeObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_READY != 0 {
            return 0;
        }
        // One type is readied at a time, so that a second thread never sees a half-ready
        // type (READYING only guards against recursion within the readying thread).
        let _g = TYPE_READY_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        type_ready_locked(t)
    }
}

static TYPE_READY_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `type_ready` with `TYPE_READY_LOCK` held.
unsafe fn type_ready_locked(t: *mut PyTypeObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & (Py_TPFLAGS_READY | Py_TPFLAGS_READYING) != 0 {
            return 0;
        }
        (*t).tp_flags |= Py_TPFLAGS_READYING;
        let r = type_ready_inner(t);
        (*t).tp_flags &= !Py_TPFLAGS_READYING;
        if r == 0 {
            (*t).tp_flags |= Py_TPFLAGS_READY;
        }
        r
    }
}

unsafe fn type_ready_inner(t: *mut PyTypeObject) -> c_int {
    // SAFETY: `t` is a writable type object (caller contract).
    unsafe {
        let object = &raw mut PyBaseObject_Type;
        if (*t).tp_name.is_null() {
            raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "Type does not define the tp_name field.",
            );
            return -1;
        }
        if (*t).tp_base.is_null() && t != object {
            (*t).tp_base = object;
        }
        let base = (*t).tp_base;
        if !base.is_null() && type_ready_locked(base) < 0 {
            return -1;
        }
        if (*t).ob_base.ob_base.ob_type.is_null() {
            (*t).ob_base.ob_base.ob_type = if base.is_null() {
                &raw mut PyType_Type
            } else {
                (*base).ob_base.ob_base.ob_type
            };
        }
        if (*t).tp_bases.is_null() {
            let b = if base.is_null() {
                crate::tupleobject::new_tuple(0)
            } else {
                crate::tupleobject::from_slice(&[base.cast()])
            };
            if b.is_null() {
                return -1;
            }
            (*t).tp_bases = b;
        }
        for b in bases_list(t) {
            if type_ready_locked(b) < 0 {
                return -1;
            }
        }
        if (*t).tp_dict.is_null() {
            let d = crate::dictobject::new_dict();
            if d.is_null() {
                return -1;
            }
            (*t).tp_dict = d;
        }
        // Whether `t` has a tp_new of its own, before inheritance (its `__new__`).
        let own_new = (*t).tp_new.is_some();
        if crate::descrobject::add_slot_wrappers(t, (*t).tp_dict) < 0
            || crate::descrobject::add_descriptors(t, (*t).tp_dict) < 0
            || set_doc(t) < 0
        {
            return -1;
        }
        if compute_mro(t) < 0 {
            return -1;
        }
        if !base.is_null() {
            inherit_special(t, base);
        }
        for b in mro_list(t).into_iter().skip(1) {
            inherit_slots(t, b);
        }
        if !base.is_null() {
            let tt = &mut *t;
            let bb = &*base;
            if tt.tp_as_async.is_null() {
                tt.tp_as_async = bb.tp_as_async;
            }
            if tt.tp_as_number.is_null() {
                tt.tp_as_number = bb.tp_as_number;
            }
            if tt.tp_as_sequence.is_null() {
                tt.tp_as_sequence = bb.tp_as_sequence;
            }
            if tt.tp_as_mapping.is_null() {
                tt.tp_as_mapping = bb.tp_as_mapping;
            }
            if tt.tp_as_buffer.is_null() {
                tt.tp_as_buffer = bb.tp_as_buffer;
            }
            if tt.tp_new.is_none() {
                tt.tp_new = bb.tp_new;
            }
        }
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            (*t).tp_flags |= Py_TPFLAGS_IMMUTABLETYPE;
        }
        if (*t).tp_new.is_none() && base == object && (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            (*t).tp_flags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
        }
        if (*t).tp_flags & Py_TPFLAGS_DISALLOW_INSTANTIATION != 0 {
            (*t).tp_new = None;
        } else if own_new && crate::typeobject::add_tp_new_wrapper(t, (*t).tp_dict) < 0 {
            return -1;
        }
        if (*t).tp_flags & Py_TPFLAGS_MANAGED_DICT != 0 {
            (*t).tp_dictoffset = -1;
        }
        if (*t).tp_flags & Py_TPFLAGS_MANAGED_WEAKREF != 0 {
            (*t).tp_weaklistoffset = MANAGED_WEAKREF_OFFSET;
        }
        if (*t).tp_flags & Py_TPFLAGS_PREHEADER != 0
            && fn_addr((*t).tp_free)
                == fn_addr(Some(
                    crate::pymem::PyObject_Free as unsafe extern "C" fn(*mut c_void),
                ))
        {
            (*t).tp_free = Some(crate::objimpl::PyObject_GC_Del);
        }
        if (*t).tp_hash.is_none() {
            let d = (*t).tp_dict;
            if crate::dictobject::get_str(d, "__hash__").is_null()
                && crate::dictobject::set_item_str(d, "__hash__", none()) < 0
            {
                return -1;
            }
            (*t).tp_hash = Some(PyObject_HashNotImplemented);
        }
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0
            && (*t).tp_weaklistoffset != 0
            && crate::dictobject::get_str((*t).tp_dict, "__weakref__").is_null()
        {
            let g = crate::descrobject::new_getset(t, (&raw mut WEAKREF_GETSET).cast());
            if g.is_null() {
                return -1;
            }
            let r = crate::dictobject::set_item_str((*t).tp_dict, "__weakref__", g);
            decref(g);
            if r < 0 {
                return -1;
            }
        }
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0
            && ((*t).tp_dictoffset != 0)
            && crate::dictobject::get_str((*t).tp_dict, "__dict__").is_null()
        {
            let g = crate::descrobject::new_getset(t, (&raw mut DICT_GETSET).cast());
            if g.is_null() {
                return -1;
            }
            let r = crate::dictobject::set_item_str((*t).tp_dict, "__dict__", g);
            decref(g);
            if r < 0 {
                return -1;
            }
        }
        0
    }
}
#[export]
pub unsafe fn PyType_Ready(t: *mut PyTypeObject) -> c_int {
    // SAFETY: `t` is a type object, per the C API contract.
    unsafe { type_ready(t) }
}

#[export]
pub unsafe fn PyType_IsSubtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> c_int {
    // SAFETY: both are type objects, per the C API contract.
    c_int::from(unsafe { is_subtype(a, b) })
}

#[export]
pub unsafe fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong {
    // SAFETY: `t` is a type object, per the C API contract.
    unsafe { (*t).tp_flags }
}

#[export]
pub unsafe fn PyObject_Type(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live object, per the C API contract.
    unsafe { new_ref(ty(op).cast()) }
}

#[export]
pub fn Py_NewRef(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_ref(op) }
}

#[export]
pub fn Py_XNewRef(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { crate::refcount::xincref(op) };
    op
}

#[export(unguarded)]
pub fn Py_Is(a: *mut PyObject, b: *mut PyObject) -> c_int {
    c_int::from(a == b)
}

#[export(unguarded)]
pub fn Py_IsNone(a: *mut PyObject) -> c_int {
    c_int::from(a == none())
}

#[export(unguarded)]
pub fn Py_IsTrue(a: *mut PyObject) -> c_int {
    c_int::from(a == crate::boolobject::true_())
}

#[export(unguarded)]
pub fn Py_IsFalse(a: *mut PyObject) -> c_int {
    c_int::from(a == crate::boolobject::false_())
}

// ---- repr / str ---------------------------------------------------------------------------

unsafe extern "C" fn none_repr(_op: *mut PyObject) -> *mut PyObject {
    uni::from_str("None")
}
unsafe extern "C" fn notimpl_repr(_op: *mut PyObject) -> *mut PyObject {
    uni::from_str("NotImplemented")
}
unsafe extern "C" fn ellipsis_repr(_op: *mut PyObject) -> *mut PyObject {
    uni::from_str("Ellipsis")
}

/// `<mod.Name object at 0x...>` (just the name for built-in types).
pub(crate) unsafe extern "C" fn object_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live object (slot contract).
    let name = unsafe { type_display_name(ty(op)) };
    uni::from_str(&format!("<{name} object at {op:p}>"))
}

/// `module.qualname`, or the qualname alone for `builtins` types.
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn type_display_name(t: *mut PyTypeObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        let m = type_module_name(t);
        let q = type_qualname(t);
        if m == "builtins" {
            q
        } else {
            format!("{m}.{q}")
        }
    }
}

unsafe extern "C" fn type_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a type object (slot contract).
    let name = unsafe { type_display_name(op.cast()) };
    uni::from_str(&format!("<class '{name}'>"))
}

/// `PyObject_Repr`.
///
/// # Safety
/// `op` must be NULL or a live object.
pub unsafe fn repr(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return uni::from_str("<NULL>");
    }
    // SAFETY: forwarded contract.
    unsafe {
        match (*ty(op)).tp_repr {
            Some(f) => crate::extcall::unary(f, op),
            None => object_repr(op),
        }
    }
}

/// `PyObject_Str`.
///
/// # Safety
/// `op` must be NULL or a live object.
pub(crate) unsafe fn str(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return uni::from_str("<NULL>");
    }
    // SAFETY: forwarded contract.
    unsafe {
        if uni::is_exact_str(op) {
            return new_ref(op);
        }
        match (*ty(op)).tp_str {
            Some(f) => crate::extcall::unary(f, op),
            None => repr(op),
        }
    }
}

/// `str(op)` as a Rust string (a placeholder when it fails; the error is cleared).
///
/// # Safety
/// `op` must be NULL or a live object.
pub unsafe fn str_string(op: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe { to_rust_string(str(op)) }
}

/// `repr(op)` as a Rust string (a placeholder when it fails; the error is cleared).
///
/// # Safety
/// `op` must be NULL or a live object.
pub unsafe fn repr_string(op: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe { to_rust_string(repr(op)) }
}

/// Consumes a new reference to a str (or NULL with an exception) and returns its text.
unsafe fn to_rust_string(s: *mut PyObject) -> String {
    if s.is_null() {
        err::clear();
        return "<unprintable object>".into();
    }
    // SAFETY: `s` is a live new reference handed to us.
    unsafe {
        let out = uni::as_str(s)
            .map(str::to_owned)
            .unwrap_or_else(|| "<unprintable object>".into());
        decref(s);
        out
    }
}

#[export]
pub unsafe fn PyObject_Repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { repr(op) }
}

#[export]
pub unsafe fn PyObject_Str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { str(op) }
}

/// `PyObject_Dir(op)`: `dir(op)`, a sorted list of names. With NULL, CPython lists the calling
/// Python frame's locals; gilgate has no Python frames, so that is `dir()`'s documented error.
#[export]
pub unsafe fn PyObject_Dir(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return crate::bltinmodule::needs_python("dir() without an argument");
    }
    // SAFETY: a live object, per the C API contract.
    unsafe { crate::bltinmodule::dir_of(op) }
}

/// `ascii(op)`: the repr with every non-ASCII code point escaped (`\xhh`, `\uhhhh`,
/// `\Uhhhhhhhh`).
///
/// # Safety
/// `op` must be NULL or a live object.
pub(crate) unsafe fn ascii(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; `r` is our str.
    unsafe {
        let r = repr(op);
        if r.is_null() {
            return r;
        }
        let units = uni::chars(r);
        decref(r);
        let mut out: Vec<u32> = Vec::with_capacity(units.len());
        for u in units {
            let escaped = match u {
                0..=0x7f => {
                    out.push(u);
                    continue;
                }
                0x80..=0xff => format!("\\x{u:02x}"),
                0x100..=0xffff => format!("\\u{u:04x}"),
                _ => format!("\\U{u:08x}"),
            };
            out.extend(escaped.chars().map(u32::from));
        }
        uni::from_ucs4(&out)
    }
}

#[export]
pub unsafe fn PyObject_ASCII(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { ascii(op) }
}

// ---- hash and comparison ------------------------------------------------------------------

/// `PyObject_Hash`: `tp_hash`, else identity.
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: forwarded contract.
    unsafe {
        match (*ty(op)).tp_hash {
            Some(f) => crate::extcall::hash(f, op),
            None => {
                let h = ((op as usize) >> 4 | (op as usize) << 60) as Py_hash_t;
                if h == -1 { -2 } else { h }
            }
        }
    }
}

#[export]
pub unsafe fn PyObject_Hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live object, per the C API contract.
    unsafe { hash(op) }
}

/// `PyObject_RichCompareBool(a, b, Py_EQ)` for the built-in value types; other objects
/// compare by identity unless their type has `tp_richcompare`. -1 on error.
///
/// # Safety
/// Both must be live objects.
pub unsafe fn eq(a: *mut PyObject, b: *mut PyObject) -> c_int {
    if a == b {
        return 1;
    }
    // SAFETY: forwarded contract.
    unsafe {
        if uni::is_str(a) && uni::is_str(b) {
            return c_int::from(uni::equal(a, b));
        }
        if crate::longobject::is_int(a) && crate::longobject::is_int(b) {
            return c_int::from(crate::longobject::compare(a, b) == std::cmp::Ordering::Equal);
        }
        let (fa, fb) = (
            crate::floatobject::is_float(a),
            crate::floatobject::is_float(b),
        );
        if fa && fb {
            return c_int::from(crate::floatobject::value(a) == crate::floatobject::value(b));
        }
        // A float and an int compare exactly, as CPython's float_richcompare does (converting
        // an int above 2**53 to a double would round it).
        for (f, i, is_f) in [(a, b, fa), (b, a, fb)] {
            if is_f && crate::longobject::is_int(i) {
                let x = crate::floatobject::value(f);
                if !x.is_finite() {
                    return 0;
                }
                let ord = match crate::longobject::compact(i) {
                    Some(y) if y.unsigned_abs() <= 1 << 53 => x.partial_cmp(&(y as f64)),
                    _ => Some(crate::floatobject::compare_with_int(
                        x,
                        &crate::longobject::to_bigint(i),
                    )),
                };
                return c_int::from(ord == Some(std::cmp::Ordering::Equal));
            }
        }
        if crate::tupleobject::is_tuple(a) && crate::tupleobject::is_tuple(b) {
            let (x, y) = (crate::tupleobject::items(a), crate::tupleobject::items(b));
            if x.len() != y.len() {
                return 0;
            }
            for (p, q) in x.iter().zip(y) {
                match eq(*p, *q) {
                    1 => {}
                    r => return r,
                }
            }
            return 1;
        }
        for (x, y) in [(a, b), (b, a)] {
            if let Some(f) = (*ty(x)).tp_richcompare {
                let r = crate::extcall::richcmp(f, x, y, Py_EQ);
                if r.is_null() {
                    return -1;
                }
                if r == (&raw mut _Py_NotImplementedStruct) {
                    decref(r);
                    continue;
                }
                let t = truth(r);
                decref(r);
                return t;
            }
        }
        0
    }
}

/// `PyObject_IsTrue`.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn truth(op: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if op == crate::boolobject::true_() {
            return 1;
        }
        if op == crate::boolobject::false_() || op == none() {
            return 0;
        }
        let t = ty(op);
        if !(*t).tp_as_number.is_null()
            && let Some(f) = (*(*t).tp_as_number).nb_bool
        {
            return crate::extcall::inquiry(f, op);
        }
        // A length, from the mapping methods first (CPython's order).
        let len = if !(*t).tp_as_mapping.is_null()
            && let Some(f) = (*(*t).tp_as_mapping).mp_length
        {
            Some(f)
        } else if !(*t).tp_as_sequence.is_null()
            && let Some(f) = (*(*t).tp_as_sequence).sq_length
        {
            Some(f)
        } else {
            None
        };
        if let Some(f) = len {
            let n = crate::extcall::ssize(f, op);
            return if n < 0 { -1 } else { c_int::from(n > 0) };
        }
        if crate::longobject::is_int(op) {
            return c_int::from(crate::longobject::value_i128(op) != Some(0));
        }
        if let Some(f) = crate::floatobject::as_f64(op) {
            return c_int::from(f != 0.0);
        }
        if uni::is_str(op) {
            return c_int::from(uni::length(op) != 0);
        }
        if crate::tupleobject::is_tuple(op) {
            return c_int::from(!crate::tupleobject::items(op).is_empty());
        }
        if crate::dictobject::is_dict(op) {
            return c_int::from(crate::dictobject::len(op) != 0);
        }
        1
    }
}

#[export]
pub unsafe fn PyObject_IsTrue(op: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    unsafe { truth(op) }
}

#[export]
pub unsafe fn PyObject_Not(op: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    match unsafe { truth(op) } {
        r if r < 0 => r,
        r => 1 - r,
    }
}

// ---- attributes ---------------------------------------------------------------------------

/// The address of the instance dict slot of `op`, if its type has one (managed dicts live in
/// the pre-header, `tp_dictoffset > 0` counts from the start, `< 0` from the end of a
/// variable-size object).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn dict_ptr(op: *mut PyObject) -> Option<*mut *mut PyObject> {
    // SAFETY: forwarded contract; the offsets describe the instance's memory.
    unsafe {
        let t = ty(op);
        if (*t).tp_flags & Py_TPFLAGS_MANAGED_DICT != 0 {
            return Some(op.cast::<u8>().offset(MANAGED_DICT_OFFSET).cast());
        }
        let off = (*t).tp_dictoffset;
        if off == 0 {
            return None;
        }
        if off > 0 {
            return Some(op.cast::<u8>().offset(off).cast());
        }
        let n = (*op.cast::<PyVarObject>()).ob_size.abs();
        let size = ((*t).tp_basicsize + n * (*t).tp_itemsize + 7) & !7;
        Some(op.cast::<u8>().offset(size + off).cast())
    }
}

/// The address of the weak reference list head of `op`, if its type supports weak references.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn weaklist_ptr(op: *mut PyObject) -> Option<*mut *mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(op);
        if (*t).tp_flags & Py_TPFLAGS_MANAGED_WEAKREF != 0 {
            return Some(op.cast::<u8>().offset(MANAGED_WEAKREF_OFFSET).cast());
        }
        let off = (*t).tp_weaklistoffset;
        if off <= 0 {
            return None;
        }
        Some(op.cast::<u8>().offset(off).cast())
    }
}

/// `_PyType_Lookup`: `name` along the MRO's dicts (borrowed result, no error), through the
/// type attribute cache (`typeobject::cache`).
///
/// # Safety
/// `t` must be a type object and `name` a str.
pub(crate) unsafe fn type_lookup(t: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; the type's dict keeps holding the value.
    unsafe {
        let v = type_lookup_ref(t, name);
        xdecref(v);
        v
    }
}

/// `_PyType_LookupRef`: `name` along the MRO's dicts as a new reference, or NULL when absent
/// (no error), through the type attribute cache (`typeobject::cache`).
///
/// # Safety
/// `t` must be a type object and `name` a str.
#[inline]
pub(crate) unsafe fn type_lookup_ref(t: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { crate::typeobject::cache::lookup_ref(t, name) }
}

/// `type_lookup_ref` without the cache: the reference is taken under the dict's critical
/// section (a concurrent class attribute change cannot free it first).
///
/// # Safety
/// `t` must be a type object and `name` a str.
pub(crate) unsafe fn type_lookup_ref_uncached(
    t: *mut PyTypeObject,
    name: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        find_in_mro(t, |cur| {
            let d = ensure_dict(cur);
            if !d.is_null() && crate::dictobject::is_dict(d) {
                let v = crate::dictobject::get_ref_quiet(d, name);
                if !v.is_null() {
                    return Some(v);
                }
            }
            None
        })
        .unwrap_or(null_mut())
    }
}

/// `op`'s `ob_mutex` held around a few loads and stores of one of its slots (nothing in
/// between waits or detaches): the exclusion of `Py_BEGIN_CRITICAL_SECTION(op)` without its
/// bookkeeping. A thread whose active critical section already holds the mutex goes on without
/// locking; a contended lock parks detached like a section's (the slow path, as the list's
/// lock). Used for the per-object slots (instance dict, object members).
pub(crate) struct ObjectLock(*mut PyMutex, bool);

impl ObjectLock {
    /// Locks `op` (a live object).
    #[inline]
    pub(crate) fn new(op: *mut PyObject) -> ObjectLock {
        // SAFETY: `op` is a live object (every caller's contract).
        let m = unsafe { &raw mut (*op).ob_mutex };
        if crate::lock::lock_fast(m) {
            return ObjectLock(m, true);
        }
        ObjectLock::contended(m)
    }

    #[cold]
    fn contended(m: *mut PyMutex) -> ObjectLock {
        if crate::critical_section::held_by_current_thread(m) {
            return ObjectLock(m, false);
        }
        crate::lock::lock(m);
        ObjectLock(m, true)
    }
}

impl Drop for ObjectLock {
    #[inline]
    fn drop(&mut self) {
        if self.1 {
            crate::lock::unlock(self.0);
        }
    }
}

/// A new reference to the instance dict in slot `dp` of `op` (NULL when there is none yet and
/// `create` is false). The slot is read lock-free inside a read section: `__dict__`
/// assignment and `PyObject_ClearManagedDict` swap it under `op`'s mutex (`ObjectLock`) and
/// wait out the read sections before they release the old dict, so a reader never increfs a
/// dict already released. A dict created lazily is published under the mutex, so two
/// threads creating it get one dict.
///
/// # Safety
/// `op` must be a live object and `dp` its dict slot (`dict_ptr`).
#[inline]
pub(crate) unsafe fn instance_dict_ref(
    op: *mut PyObject,
    dp: *mut *mut PyObject,
    create: bool,
) -> *mut PyObject {
    use std::sync::atomic::{AtomicPtr, Ordering};
    // SAFETY: forwarded contract; the slot is an aligned pointer field.
    unsafe {
        if let Some(sec) = crate::qsbr::ReadSection::enter() {
            let d = AtomicPtr::from_ptr(dp).load(Ordering::Acquire);
            if !d.is_null() || !create {
                crate::refcount::xincref(d);
                drop(sec);
                return d;
            }
        }
        instance_dict_locked(op, dp, create)
    }
}

/// `instance_dict_ref` under `op`'s mutex: creating the dict, or on a thread with no read
/// section.
///
/// # Safety
/// As `instance_dict_ref`.
#[cold]
unsafe fn instance_dict_locked(
    op: *mut PyObject,
    dp: *mut *mut PyObject,
    create: bool,
) -> *mut PyObject {
    use std::sync::atomic::{AtomicPtr, Ordering};
    // SAFETY: forwarded contract; the slot is an aligned pointer field.
    unsafe {
        let slot = AtomicPtr::from_ptr(dp);
        let _g = ObjectLock::new(op);
        let mut d = slot.load(Ordering::Acquire);
        if d.is_null() && create {
            d = crate::dictobject::new_dict();
            if d.is_null() {
                return d;
            }
            slot.store(d, Ordering::Release);
        }
        crate::refcount::xincref(d);
        d
    }
}

/// Raises the standard AttributeError for `op` and `name`.
///
/// # Safety
/// `op` must be a live object and `name` a str.
pub(crate) unsafe fn no_attribute(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let n = uni::as_str(name).unwrap_or("?");
        let msg = format!("'{:.100}' object has no attribute '{n}'", type_name(ty(op)));
        crate::pyerrors::raise_attribute_error(&msg, op, name)
    }
}

/// `PyObject_GenericGetAttr` without raising on a miss: `Ok(NULL)` means "not found".
/// Data descriptors of the type win over the instance dict, which wins over other
/// descriptors and plain class attributes.
///
/// # Safety
/// `op` must be a live object and `name` a str.
#[allow(clippy::result_unit_err)]
pub(crate) unsafe fn generic_getattr_opt(
    op: *mut PyObject,
    name: *mut PyObject,
) -> Result<*mut PyObject, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(op);
        // A member descriptor (a data descriptor: it wins over the instance dict) is read
        // without a reference to it: two threads reading one member of one class would
        // otherwise both write the descriptor's shared count on every read. The definition
        // is copied inside the cache's read section, which keeps the descriptor alive.
        let descr = match crate::typeobject::cache::lookup_peek(t, name, |d| {
            crate::descrobject::member_peek(d, t)
        }) {
            crate::typeobject::cache::Peek::Hit(m) => {
                let r = crate::descrobject::read_member(op, &m);
                return if r.is_null() { Err(()) } else { Ok(r) };
            }
            crate::typeobject::cache::Peek::Ref(d) => d,
        };
        let mut get = None;
        if !descr.is_null() {
            get = (*ty(descr)).tp_descr_get;
            if let Some(f) = get
                && (*ty(descr)).tp_descr_set.is_some()
            {
                let r = crate::extcall::ternary(f, descr, op, t.cast());
                decref(descr);
                return if r.is_null() { Err(()) } else { Ok(r) };
            }
        }
        if let Some(dp) = dict_ptr(op) {
            let v = match crate::dictobject::slot_get_ref_lockfree(dp, name) {
                Some(v) => v,
                None => instance_dict_get_ref(op, dp, name),
            };
            if !v.is_null() {
                xdecref(descr);
                return Ok(v);
            }
        }
        if let Some(f) = get {
            let r = crate::extcall::ternary(f, descr, op, t.cast());
            decref(descr);
            return if r.is_null() { Err(()) } else { Ok(r) };
        }
        Ok(descr)
    }
}

/// The value for `name` in `op`'s instance dict (slot `dp`), a new reference or NULL, with a
/// reference to the dict held around the lookup: `generic_getattr_opt`'s path when the
/// lock-free one cannot answer.
///
/// # Safety
/// As `instance_dict_ref`; `name` a str.
#[inline(never)]
unsafe fn instance_dict_get_ref(
    op: *mut PyObject,
    dp: *mut *mut PyObject,
    name: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let d = instance_dict_ref(op, dp, false);
        if d.is_null() {
            return d;
        }
        // The value's reference is taken under the dict's section.
        let v = crate::dictobject::get_ref_quiet(d, name);
        decref(d);
        v
    }
}

#[export]
pub unsafe fn PyObject_GenericGetAttr(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live object and name, per the C API contract.
    unsafe {
        if !uni::is_str(name) {
            return attr_name_type_error(name);
        }
        match generic_getattr_opt(op, name) {
            Ok(v) if v.is_null() => no_attribute(op, name),
            Ok(v) => v,
            Err(()) => null_mut(),
        }
    }
}

unsafe fn attr_name_type_error(name: *mut PyObject) -> *mut PyObject {
    // SAFETY: `name` is a live object.
    let tn = unsafe { type_name(ty(name)) };
    raise(
        &raw mut crate::pyerrors::EXC_TypeError,
        &format!("attribute name must be string, not '{tn:.200}'"),
    )
}

/// `PyObject_GenericSetAttr` (value NULL deletes): a data descriptor of the type, else the
/// instance dict.
///
/// # Safety
/// `op` must be a live object, `name` a str, `value` NULL or a live object.
pub(crate) unsafe fn generic_setattr(
    op: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if !uni::is_str(name) {
            attr_name_type_error(name);
            return -1;
        }
        let n = uni::as_str(name).unwrap_or("?");
        let t = ty(op);
        let descr = type_lookup_ref(t, name);
        if !descr.is_null()
            && let Some(f) = (*ty(descr)).tp_descr_set
        {
            let r = crate::extcall::objobjarg(f, descr, op, value);
            decref(descr);
            return r;
        }
        let has_descr = !descr.is_null();
        xdecref(descr);
        let Some(dp) = dict_ptr(op) else {
            let tn = type_name(t);
            let msg = if has_descr {
                format!("'{tn:.100}' object attribute '{n}' is read-only")
            } else if fn_addr((*t).tp_setattro)
                == fn_addr(Some(PyObject_GenericSetAttr as setattrofunc_fn))
            {
                format!(
                    "'{tn:.100}' object has no attribute '{n}' and no __dict__ for setting new attributes"
                )
            } else {
                format!("'{tn:.100}' object has no attribute '{n}'")
            };
            crate::pyerrors::raise_attribute_error(&msg, op, name);
            return -1;
        };
        let d = instance_dict_ref(op, dp, !value.is_null());
        if d.is_null() {
            if value.is_null() {
                no_attribute(op, name);
            }
            return -1;
        }
        let r = if value.is_null() {
            let r = crate::dictobject::del_item(d, name);
            if r < 0 && err::matches_current(&raw mut crate::pyerrors::EXC_KeyError) {
                err::clear();
                no_attribute(op, name);
            }
            r
        } else {
            crate::dictobject::set_item(d, name, value)
        };
        decref(d);
        r
    }
}

type setattrofunc_fn = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int;

#[export]
pub unsafe fn PyObject_GenericSetAttr(
    op: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe { generic_setattr(op, name, value) }
}

/// `PyObject_GetAttr`.
///
/// # Safety
/// `op` must be a live object, `name` a live object.
pub unsafe fn getattr(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !uni::is_str(name) {
            return attr_name_type_error(name);
        }
        let t = ty(op);
        if let Some(f) = (*t).tp_getattro {
            return crate::extcall::binary(f, op, name);
        }
        if let Some(f) = (*t).tp_getattr {
            let Some(c) = uni::as_cstr(name) else {
                return null_mut();
            };
            return crate::extcall::getattr(f, op, c.cast_mut());
        }
        no_attribute(op, name)
    }
}

/// `PyObject_GetOptionalAttr`: 1 found, 0 missing (no error), -1 error.
///
/// # Safety
/// `op` and `name` must be live objects; `out` writable.
pub(crate) unsafe fn getattr_opt(
    op: *mut PyObject,
    name: *mut PyObject,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        *out = null_mut();
        let v = getattr(op, name);
        if v.is_null() {
            if err::matches_current(&raw mut crate::pyerrors::EXC_AttributeError) {
                err::clear();
                return 0;
            }
            return -1;
        }
        *out = v;
        1
    }
}

/// `PyObject_SetAttr` (NULL value deletes).
///
/// # Safety
/// `op` and `name` must be live objects; `value` NULL or live.
pub(crate) unsafe fn setattr(
    op: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if !uni::is_str(name) {
            attr_name_type_error(name);
            return -1;
        }
        let t = ty(op);
        if let Some(f) = (*t).tp_setattro {
            return crate::extcall::objobjarg(f, op, name, value);
        }
        if let Some(f) = (*t).tp_setattr {
            let Some(c) = uni::as_cstr(name) else {
                return -1;
            };
            return crate::extcall::setattr(f, op, c.cast_mut(), value);
        }
        let n = uni::as_str(name).unwrap_or("?");
        let tn = type_name(t);
        let msg = if (*t).tp_getattro.is_none() && (*t).tp_getattr.is_none() {
            format!(
                "'{tn:.100}' object has no attributes ({} .{n})",
                if value.is_null() { "del" } else { "assign to" }
            )
        } else {
            format!(
                "'{tn:.100}' object has only read-only attributes ({} .{n})",
                if value.is_null() { "del" } else { "assign to" }
            )
        };
        raise(&raw mut crate::pyerrors::EXC_TypeError, &msg);
        -1
    }
}

/// Runs `f` with a temporary str for a C attribute name.
unsafe fn with_name<R>(name: *const c_char, err_val: R, f: impl FnOnce(*mut PyObject) -> R) -> R {
    // SAFETY: `name` is a NUL-terminated string, per the C API contract.
    let n = unsafe { uni::from_cstr(name) };
    if n.is_null() {
        return err_val;
    }
    let r = f(n);
    // SAFETY: `n` is our new reference.
    unsafe { decref(n) };
    r
}

#[export]
pub unsafe fn PyObject_GetAttr(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe { getattr(op, name) }
}

#[export]
pub unsafe fn PyObject_GetAttrString(op: *mut PyObject, name: *const c_char) -> *mut PyObject {
    // SAFETY: live object and C string, per the C API contract.
    unsafe { with_name(name, null_mut(), |n| getattr(op, n)) }
}

#[export]
pub unsafe fn PyObject_GetOptionalAttr(
    op: *mut PyObject,
    name: *mut PyObject,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: live objects and a writable out pointer, per the C API contract.
    unsafe { getattr_opt(op, name, out) }
}

#[export]
pub unsafe fn PyObject_GetOptionalAttrString(
    op: *mut PyObject,
    name: *const c_char,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: as PyObject_GetOptionalAttr, with a C string name.
    unsafe { with_name(name, -1, |n| getattr_opt(op, n, out)) }
}

#[export]
pub unsafe fn PyObject_SetAttr(op: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe { setattr(op, name, v) }
}

#[export]
pub unsafe fn PyObject_SetAttrString(
    op: *mut PyObject,
    name: *const c_char,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: live objects and a C string, per the C API contract.
    unsafe { with_name(name, -1, |n| setattr(op, n, v)) }
}

#[export]
pub unsafe fn PyObject_DelAttr(op: *mut PyObject, name: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe { setattr(op, name, null_mut()) }
}

#[export]
pub unsafe fn PyObject_DelAttrString(op: *mut PyObject, name: *const c_char) -> c_int {
    // SAFETY: live object and C string, per the C API contract.
    unsafe { with_name(name, -1, |n| setattr(op, n, null_mut())) }
}

unsafe fn has_attr_with_error(op: *mut PyObject, name: *mut PyObject) -> c_int {
    let mut out = null_mut();
    // SAFETY: forwarded contract.
    unsafe {
        let r = getattr_opt(op, name, &mut out);
        xdecref(out);
        r
    }
}

#[export]
pub unsafe fn PyObject_HasAttrWithError(op: *mut PyObject, name: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe { has_attr_with_error(op, name) }
}

#[export]
pub unsafe fn PyObject_HasAttrStringWithError(op: *mut PyObject, name: *const c_char) -> c_int {
    // SAFETY: live object and C string, per the C API contract.
    unsafe { with_name(name, -1, |n| has_attr_with_error(op, n)) }
}

#[export]
pub unsafe fn PyObject_HasAttr(op: *mut PyObject, name: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    let r = unsafe { has_attr_with_error(op, name) };
    if r < 0 {
        err::clear();
        0
    } else {
        r
    }
}

#[export]
pub unsafe fn PyObject_HasAttrString(op: *mut PyObject, name: *const c_char) -> c_int {
    // SAFETY: live object and C string, per the C API contract.
    let r = unsafe { with_name(name, -1, |n| has_attr_with_error(op, n)) };
    if r < 0 {
        err::clear();
        0
    } else {
        r
    }
}

/// The `__module__` of a type: its dict's `__module__` for heap types, the part of
/// `tp_name` before the last dot for static types (`builtins` without a dot).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn type_module_name(t: *mut PyTypeObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 && !(*t).tp_dict.is_null() {
            let m = crate::dictobject::get_str((*t).tp_dict, "__module__");
            if !m.is_null() {
                // Not a str (a `__module__` member descriptor): names print without a module,
                // as CPython's type repr does.
                return uni::as_str(m).unwrap_or("builtins").to_string();
            }
        }
        let full = type_name(t);
        match full.rfind('.') {
            Some(i) => full[..i].to_string(),
            None => "builtins".into(),
        }
    }
}

/// `type.__module__` as an object (new reference): a heap type's dict entry, whatever it is,
/// else the part of `tp_name` before the last dot (`builtins` without one).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn type_module_obj(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 && !(*t).tp_dict.is_null() {
            // (taken under the type dict's section: `C.__module__ = x` may race)
            let m = crate::dictobject::get_str_ref((*t).tp_dict, "__module__");
            if !m.is_null() {
                return m;
            }
        }
        uni::from_str(&type_module_name(t))
    }
}

/// The `__qualname__` of a type (`ht_qualname` for heap types).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn type_qualname(t: *mut PyTypeObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            let q = (*t.cast::<PyHeapTypeObject>()).ht_qualname;
            if !q.is_null()
                && let Some(s) = uni::as_str(q)
            {
                return s.to_string();
            }
        }
        type_short_name(t)
    }
}

/// A type's fully qualified name as CPython 3.13+ gives it (`%T`, `%N`,
/// `PyType_GetFullyQualifiedName`): `module.qualname`, or the qualname alone for `builtins` and
/// `__main__`; `sep` joins the two (`.`, or `:` for the `#` forms).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn fully_qualified_name(t: *mut PyTypeObject, sep: char) -> String {
    // SAFETY: forwarded contract.
    let (m, q) = unsafe { (type_module_name(t), type_qualname(t)) };
    if m == "builtins" || m == "__main__" {
        q
    } else {
        format!("{m}{sep}{q}")
    }
}

/// `type.__getattribute__`: the name attributes, data descriptors of the metatype, the
/// type's own MRO (binding descriptors with `obj = NULL`), then other metatype attributes.
unsafe extern "C" fn type_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a type object and `name` a str (slot contract).
    unsafe {
        if !uni::is_str(name) {
            return attr_name_type_error(name);
        }
        let t = op.cast::<PyTypeObject>();
        let n = uni::as_str(name).unwrap_or("");
        match n {
            "__name__" => return uni::from_str(&type_short_name(t)),
            "__qualname__" => return uni::from_str(&type_qualname(t)),
            "__module__" => return type_module_obj(t),
            "__dict__" => {
                let d = ensure_dict(t);
                if d.is_null() {
                    return d;
                }
                return crate::descrobject::type_dict_proxy(t);
            }
            "__doc__" if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 => {
                return if (*t).tp_doc.is_null() {
                    new_none()
                } else {
                    uni::from_cstr((*t).tp_doc)
                };
            }
            "__base__" => {
                return if (*t).tp_base.is_null() {
                    new_none()
                } else {
                    new_ref((*t).tp_base.cast())
                };
            }
            "__mro__" => {
                let v: Vec<*mut PyObject> = mro_list(t).into_iter().map(|x| x.cast()).collect();
                return crate::tupleobject::from_slice(&v);
            }
            "__bases__" => {
                let v: Vec<*mut PyObject> = bases_list(t).into_iter().map(|x| x.cast()).collect();
                return crate::tupleobject::from_slice(&v);
            }
            "__abstractmethods__" => {
                // Only the type's own dict (CPython's getset on `type`), never `type`'s.
                let d = (*t).tp_dict;
                let v = if t == &raw mut PyType_Type || d.is_null() {
                    null_mut()
                } else {
                    crate::dictobject::get_str(d, "__abstractmethods__")
                };
                if v.is_null() {
                    return crate::pyerrors::raise_attribute_error("__abstractmethods__", op, name);
                }
                return new_ref(v);
            }
            "__flags__" => return crate::longobject::from_i128(i128::from((*t).tp_flags)),
            "__basicsize__" => return crate::longobject::from_i128((*t).tp_basicsize as i128),
            "__itemsize__" => return crate::longobject::from_i128((*t).tp_itemsize as i128),
            "__dictoffset__" => return crate::longobject::from_i128((*t).tp_dictoffset as i128),
            "__weakrefoffset__" => {
                return crate::longobject::from_i128((*t).tp_weaklistoffset as i128);
            }
            _ => {}
        }
        let meta = ty(op);
        let meta_attr = type_lookup_ref(meta, name);
        let mut meta_get = None;
        if !meta_attr.is_null() {
            meta_get = (*ty(meta_attr)).tp_descr_get;
            if let Some(f) = meta_get
                && (*ty(meta_attr)).tp_descr_set.is_some()
            {
                let r = crate::extcall::ternary(f, meta_attr, op, meta.cast());
                decref(meta_attr);
                return r;
            }
        }
        let attr = type_lookup_ref(t, name);
        if !attr.is_null() {
            xdecref(meta_attr);
            let r = match (*ty(attr)).tp_descr_get {
                Some(f) => crate::extcall::ternary(f, attr, null_mut(), op),
                None => new_ref(attr),
            };
            decref(attr);
            return r;
        }
        if let Some(f) = meta_get {
            let r = crate::extcall::ternary(f, meta_attr, op, meta.cast());
            decref(meta_attr);
            return r;
        }
        if !meta_attr.is_null() {
            return meta_attr;
        }
        let msg = format!("type object '{:.100}' has no attribute '{n}'", type_name(t));
        crate::pyerrors::raise_attribute_error(&msg, op, name)
    }
}

/// `type.__setattr__`: immutable types refuse; others store in their dict (data descriptors
/// of the metatype first).
unsafe extern "C" fn type_setattro(
    op: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: `op` is a type object (slot contract).
    unsafe {
        if !uni::is_str(name) {
            attr_name_type_error(name);
            return -1;
        }
        let t = op.cast::<PyTypeObject>();
        let n = uni::as_str(name).unwrap_or("?");
        if (*t).tp_flags & Py_TPFLAGS_IMMUTABLETYPE != 0 {
            raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!(
                    "cannot set '{n}' attribute of immutable type '{}'",
                    type_name(t)
                ),
            );
            return -1;
        }
        if n == "__abstractmethods__" {
            return set_abstractmethods(t, name, value);
        }
        let meta_attr = type_lookup_ref(ty(op), name);
        if !meta_attr.is_null()
            && let Some(f) = (*ty(meta_attr)).tp_descr_set
        {
            let r = crate::extcall::objobjarg(f, meta_attr, op, value);
            decref(meta_attr);
            return r;
        }
        xdecref(meta_attr);
        let d = ensure_dict(t);
        if d.is_null() {
            return -1;
        }
        let r = if value.is_null() {
            if crate::dictobject::del_item(d, name) < 0 {
                if err::matches_current(&raw mut crate::pyerrors::EXC_KeyError) {
                    err::clear();
                    let msg = format!("type object '{:.100}' has no attribute '{n}'", type_name(t));
                    crate::pyerrors::raise_attribute_error(&msg, op, name);
                }
                return -1;
            }
            0
        } else {
            crate::dictobject::set_item(d, name, value)
        };
        if r == 0 && (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            // A dunder's slot follows it, on the type and the subclasses that inherit it.
            crate::typeobject::slots::update_slot(t, n);
        }
        r
    }
}

/// `PyObject_Print`: `repr(op)` (`str(op)` with `Py_PRINT_RAW`) to a C stream, UTF-8 with
/// lone surrogates written as `\\udXXX`; `<nil>` for NULL; -1 with `OSError` when the stream
/// reports an error.
#[export]
pub unsafe fn PyObject_Print(op: *mut PyObject, fp: *mut libc::FILE, flags: c_int) -> c_int {
    // SAFETY: NULL or a live object and an open stream, per the C API contract.
    unsafe {
        libc::clearerr(fp);
        let text = if op.is_null() {
            "<nil>".to_string()
        } else {
            let s = if flags & 1 != 0 { str(op) } else { repr(op) };
            if s.is_null() {
                return -1;
            }
            let t = uni::chars(s)
                .into_iter()
                .map(|u| match char::from_u32(u) {
                    Some(c) => c.to_string(),
                    None => format!("\\u{u:04x}"),
                })
                .collect::<String>();
            decref(s);
            t
        };
        libc::fwrite(text.as_ptr().cast(), 1, text.len(), fp);
        if libc::ferror(fp) != 0 {
            crate::pyerrors::PyErr_SetFromErrno((&raw mut crate::pyerrors::EXC_OSError).cast());
            libc::clearerr(fp);
            return -1;
        }
        0
    }
}

/// `type.__abstractmethods__ = value` (or `del`, `value` NULL): kept in the type's dict, and
/// `Py_TPFLAGS_IS_ABSTRACT` follows the value's truth (what `object.__new__` refuses).
///
/// # Safety
/// `t` a type object, `name` the str `"__abstractmethods__"`, `value` NULL or live.
unsafe fn set_abstractmethods(
    t: *mut PyTypeObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let d = ensure_dict(t);
        if d.is_null() {
            return -1;
        }
        let abstract_ = if value.is_null() {
            if crate::dictobject::get_str(d, "__abstractmethods__").is_null() {
                crate::pyerrors::raise_attribute_error("__abstractmethods__", t.cast(), name);
                return -1;
            }
            if crate::dictobject::del_item(d, name) < 0 {
                return -1;
            }
            false
        } else {
            let b = truth(value);
            if b < 0 || crate::dictobject::set_item(d, name, value) < 0 {
                return -1;
            }
            b == 1
        };
        if abstract_ {
            (*t).tp_flags |= crate::object::Py_TPFLAGS_IS_ABSTRACT;
        } else {
            (*t).tp_flags &= !crate::object::Py_TPFLAGS_IS_ABSTRACT;
        }
        0
    }
}

#[cfg(test)]
mod runtime_tests {
    use super::*;

    #[test]
    fn text_signatures_are_stripped_from_docs() {
        assert_eq!(
            doc_without_signature("Point", "Point(x, y)\n--\n\nA point."),
            "A point."
        );
        assert_eq!(
            doc_without_signature("Point", "Point(x, y)\nA point."),
            "Point(x, y)\nA point."
        );
        assert_eq!(doc_without_signature("Point", "A point."), "A point.");
        assert_eq!(
            doc_without_signature("P", "Point(x)\n--\n\nA"),
            "Point(x)\n--\n\nA"
        );
    }

    #[test]
    fn floats_and_ints_compare_exactly_beyond_2_53() {
        crate::pylifecycle::initialize().expect("initialize");
        let big = crate::longobject::from_i128((1 << 53) + 1);
        let huge = crate::longobject::from_i128((1 << 100) + 1);
        let f53 = crate::floatobject::from_f64((1u64 << 53) as f64);
        let f100 = crate::floatobject::from_f64(2f64.powi(100));
        let small = crate::longobject::from_i128(3);
        let f3 = crate::floatobject::from_f64(3.0);
        let nan = crate::floatobject::from_f64(f64::NAN);
        // SAFETY: live objects made above.
        unsafe {
            assert_eq!(eq(big, f53), 0, "2**53 + 1 != 2.0**53");
            assert_eq!(eq(f53, big), 0);
            assert_eq!(eq(huge, f100), 0);
            let exact = crate::longobject::from_i128(1 << 100);
            assert_eq!(eq(exact, f100), 1);
            assert_eq!(eq(f3, small), 1);
            assert_eq!(eq(nan, small), 0);
            for o in [big, huge, f53, f100, small, f3, nan, exact] {
                decref(o);
            }
        }
    }

    #[test]
    fn singletons_are_immortal_and_typed() {
        // SAFETY: reading static singletons.
        unsafe {
            assert_eq!((*none()).ob_ref_local, u32::MAX);
            assert_eq!(type_name(ty(none())), "NoneType");
            assert_eq!(crate::refcount::refcnt(none()), 3 << 30);
            assert!(is_subtype(
                &raw mut _PyNone_Type,
                &raw mut PyBaseObject_Type
            ));
            assert!(!is_subtype(
                &raw mut PyBaseObject_Type,
                &raw mut _PyNone_Type
            ));
            assert_eq!(repr_string(none()), "None");
            assert_eq!(repr_string((&raw mut PyType_Type).cast()), "<class 'type'>");
        }
    }
}

// Constants, the repr guard, the trashcan and reference helpers (`object/extra.rs`).
