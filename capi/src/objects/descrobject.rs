//! `descrobject.h` and CPython's `Objects/descrobject.c`: member and getset definitions, the
//! descriptor objects (method, classmethod, member, getset, wrapper). The slot wrappers,
//! `property` and `mappingproxy` are submodules (same header, same CPython file), re-exported.

pub(crate) mod mappingproxy;
pub(crate) mod property;
pub(crate) mod slotwrappers;

pub(crate) use mappingproxy::*;
pub(crate) use slotwrappers::*;

use crate::export;
use crate::object::PyObject;
use crate::pyport::Py_ssize_t;
use std::ffi::{c_char, c_int, c_void};

pub type getter = Option<unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject>;
pub type setter = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut c_void) -> c_int>;

/// `PyMemberDef` (40 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyMemberDef {
    pub name: *const c_char,
    pub type_: c_int,
    pub offset: Py_ssize_t,
    pub flags: c_int,
    pub doc: *const c_char,
}

impl PyMemberDef {
    /// The all-NULL row that ends a member table.
    pub(crate) const END: PyMemberDef = PyMemberDef {
        name: std::ptr::null(),
        type_: 0,
        offset: 0,
        flags: 0,
        doc: std::ptr::null(),
    };
}

/// `PyGetSetDef` (40 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyGetSetDef {
    pub name: *const c_char,
    pub get: getter,
    pub set: setter,
    pub doc: *const c_char,
    pub closure: *mut c_void,
}

impl PyGetSetDef {
    /// The all-NULL row that ends a getset table.
    pub(crate) const END: PyGetSetDef = PyGetSetDef {
        name: std::ptr::null(),
        get: None,
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    };
}

// Member types (`Py_T_*`, structmember.h numbering) and flags.
pub const Py_T_SHORT: c_int = 0;
pub const Py_T_INT: c_int = 1;
pub const Py_T_LONG: c_int = 2;
pub const Py_T_FLOAT: c_int = 3;
pub const Py_T_DOUBLE: c_int = 4;
pub const Py_T_STRING: c_int = 5;
pub(crate) const Py_T_OBJECT: c_int = 6;
pub const Py_T_CHAR: c_int = 7;
pub const Py_T_BYTE: c_int = 8;
pub const Py_T_UBYTE: c_int = 9;
pub const Py_T_USHORT: c_int = 10;
pub const Py_T_UINT: c_int = 11;
pub const Py_T_ULONG: c_int = 12;
pub const Py_T_STRING_INPLACE: c_int = 13;
pub const Py_T_BOOL: c_int = 14;
pub const Py_T_OBJECT_EX: c_int = 16;
pub const Py_T_LONGLONG: c_int = 17;
pub const Py_T_ULONGLONG: c_int = 18;
pub const Py_T_PYSSIZET: c_int = 19;
pub(crate) const Py_T_NONE: c_int = 20;
pub const Py_READONLY: c_int = 1;

/// Reads member `m` of `op` (`PyMember_GetOne`): a new reference or NULL with an error.
///
/// # Safety
/// `op` must be a live object whose layout has the member; `m` a valid member entry.
pub(crate) unsafe fn read_member(op: *mut PyObject, m: *const PyMemberDef) -> *mut PyObject {
    // SAFETY: forwarded contract: the member's offset and type describe `op`'s memory.
    unsafe {
        let p = op.cast::<u8>().offset((*m).offset);
        // Every integer kind that fits an i64 takes one (inlined) `from_i64`.
        let int = match (*m).type_ {
            Py_T_SHORT => Some(i64::from(p.cast::<i16>().read_unaligned())),
            Py_T_INT => Some(i64::from(p.cast::<i32>().read_unaligned())),
            Py_T_LONG | Py_T_LONGLONG | Py_T_PYSSIZET => Some(p.cast::<i64>().read_unaligned()),
            Py_T_BYTE => Some(i64::from(p.cast::<i8>().read())),
            Py_T_UBYTE => Some(i64::from(p.read())),
            Py_T_USHORT => Some(i64::from(p.cast::<u16>().read_unaligned())),
            Py_T_UINT => Some(i64::from(p.cast::<u32>().read_unaligned())),
            _ => None,
        };
        if let Some(v) = int {
            return crate::longobject::from_i64(v);
        }
        match (*m).type_ {
            Py_T_OBJECT | Py_T_OBJECT_EX => {
                // Loaded and increfed under `op`'s mutex, which `write_member` holds while it
                // swaps the slot: a racing store cannot release the value between the load
                // and the incref. (CPython 3.14t tries a lock-free try-incref first; that
                // needs object memory kept valid by QSBR, which gilgate does not have.)
                let v = {
                    let _g = crate::object::ObjectLock::new(op);
                    let v = std::sync::atomic::AtomicPtr::from_ptr(p.cast::<*mut PyObject>())
                        .load(std::sync::atomic::Ordering::Acquire);
                    crate::refcount::xincref(v);
                    v
                };
                if v.is_null() {
                    if (*m).type_ == Py_T_OBJECT {
                        return crate::object::new_none();
                    }
                    let name = std::ffi::CStr::from_ptr((*m).name).to_string_lossy();
                    // CPython 3.14 names the type fully qualified (`%T`)
                    let tn = crate::object::fully_qualified_name(crate::object::ty(op), '.');
                    return crate::pyerrors::raise(
                        &raw mut crate::pyerrors::EXC_AttributeError,
                        &format!("'{tn}' object has no attribute '{name}'"),
                    );
                }
                v
            }
            Py_T_ULONG | Py_T_ULONGLONG => {
                crate::longobject::from_i128(i128::from(p.cast::<u64>().read_unaligned()))
            }
            // A one-character str of the byte, decoded as UTF-8 (CPython:
            // `PyUnicode_FromStringAndSize(&byte, 1)`, so a byte above 0x7f fails).
            Py_T_CHAR => crate::unicodeobject::from_utf8(std::slice::from_raw_parts(p, 1)),
            Py_T_BOOL => crate::boolobject::from_bool(p.read() != 0),
            Py_T_FLOAT => crate::floatobject::from_f64(f64::from(p.cast::<f32>().read_unaligned())),
            Py_T_DOUBLE => crate::floatobject::from_f64(p.cast::<f64>().read_unaligned()),
            Py_T_STRING => {
                let s = *p.cast::<*const c_char>();
                if s.is_null() {
                    crate::object::new_none()
                } else {
                    crate::unicodeobject::from_cstr(s)
                }
            }
            Py_T_STRING_INPLACE => crate::unicodeobject::from_cstr(p.cast()),
            Py_T_NONE => crate::object::new_none(),
            _ => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "bad memberdescr type",
            ),
        }
    }
}

// =========================================================================================
// Descriptor objects: method, classmethod, member, getset and (minimal) wrapper descriptors.
// =========================================================================================

use crate::methodobject::{METH_CLASS, METH_METHOD, METH_STATIC, PyMethodDef};
use crate::object::{
    Py_TPFLAGS_METHOD_DESCRIPTOR, PyTypeObject, is_subtype, static_type, ty, type_name,
    vectorcallfunc,
};
use crate::pyerrors::{EXC_AttributeError, EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ptr::null_mut;

/// `PyDescrObject` (56 bytes). `d_type` is a *borrowed* reference in gilgate: the descriptor
/// lives in its type's dict, and a strong reference would make every heap type a cycle that
/// only a collector could free.
#[repr(C)]
#[derive(Debug)]
pub struct PyDescrObject {
    pub ob_base: PyObject,
    pub d_type: *mut PyTypeObject,
    pub d_name: *mut PyObject,
    pub d_qualname: *mut PyObject,
}

/// `PyMethodDescrObject` (72 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyMethodDescrObject {
    pub d_common: PyDescrObject,
    pub d_method: *mut PyMethodDef,
    pub vectorcall: vectorcallfunc,
}

/// `PyMemberDescrObject` (64 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyMemberDescrObject {
    pub d_common: PyDescrObject,
    pub d_member: *mut PyMemberDef,
}

/// `PyGetSetDescrObject` (64 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyGetSetDescrObject {
    pub d_common: PyDescrObject,
    pub d_getset: *mut PyGetSetDef,
}

/// `PyWrapperDescrObject` (72 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyWrapperDescrObject {
    pub d_common: PyDescrObject,
    pub d_base: *mut c_void,
    pub d_wrapped: *mut c_void,
}

const DESCR_FLAGS: std::ffi::c_ulong = 0;

/// `__objclass__` and `__name__`, which every descriptor type has (Cython's pickling set-up
/// reads a method descriptor's `__name__`).
static mut DESCR_MEMBERS: [PyMemberDef; 3] = [
    member(
        c"__objclass__",
        std::mem::offset_of!(PyDescrObject, d_type),
        Py_READONLY,
    ),
    member(
        c"__name__",
        std::mem::offset_of!(PyDescrObject, d_name),
        Py_READONLY,
    ),
    PyMemberDef::END,
];

/// `__qualname__`: the owning type's qualified name, a dot, the descriptor's name.
static mut DESCR_GETSET: [PyGetSetDef; 2] = [
    PyGetSetDef {
        name: c"__qualname__".as_ptr(),
        get: Some(descr_get_qualname),
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    },
    PyGetSetDef::END,
];

unsafe extern "C" fn descr_get_qualname(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live descriptor (getter contract); d_type is NULL or a type.
    unsafe {
        let d = op.cast::<PyDescrObject>();
        if !(*d).d_qualname.is_null() {
            return new_ref((*d).d_qualname);
        }
        let t = (*d).d_type;
        if t.is_null() {
            return raise(
                &raw mut EXC_TypeError,
                "<descriptor>.__objclass__.__qualname__ is not a unicode object",
            );
        }
        uni::from_str(&format!(
            "{}.{}",
            crate::object::type_qualname(t),
            descr_name(op)
        ))
    }
}

#[export]
pub static mut PyMethodDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
    tp_members: (&raw mut DESCR_MEMBERS).cast(),
    tp_getset: (&raw mut DESCR_GETSET).cast(),
    tp_repr: Some(method_descr_repr),
    tp_call: Some(method_descr_call),
    tp_descr_get: Some(method_descr_get),
    ..static_type(
        c"method_descriptor",
        std::mem::size_of::<PyMethodDescrObject>(),
        0,
        DESCR_FLAGS | Py_TPFLAGS_METHOD_DESCRIPTOR,
    )
};

#[export]
pub static mut PyClassMethodDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
    tp_members: (&raw mut DESCR_MEMBERS).cast(),
    tp_getset: (&raw mut DESCR_GETSET).cast(),
    tp_repr: Some(method_descr_repr),
    tp_call: Some(classmethod_descr_call),
    tp_descr_get: Some(classmethod_descr_get),
    ..static_type(
        c"classmethod_descriptor",
        std::mem::size_of::<PyMethodDescrObject>(),
        0,
        DESCR_FLAGS,
    )
};

#[export]
pub static mut PyMemberDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
    tp_members: (&raw mut DESCR_MEMBERS).cast(),
    tp_getset: (&raw mut DESCR_GETSET).cast(),
    tp_repr: Some(member_descr_repr),
    tp_descr_get: Some(member_descr_get),
    tp_descr_set: Some(member_descr_set),
    ..static_type(
        c"member_descriptor",
        std::mem::size_of::<PyMemberDescrObject>(),
        0,
        DESCR_FLAGS,
    )
};

#[export]
pub static mut PyGetSetDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
    tp_members: (&raw mut DESCR_MEMBERS).cast(),
    tp_getset: (&raw mut DESCR_GETSET).cast(),
    tp_repr: Some(getset_descr_repr),
    tp_descr_get: Some(getset_descr_get),
    tp_descr_set: Some(getset_descr_set),
    ..static_type(
        c"getset_descriptor",
        std::mem::size_of::<PyGetSetDescrObject>(),
        0,
        DESCR_FLAGS,
    )
};

/// Wrapper descriptors: `__repr__`, `__len__`, ... in type dicts, calling the type's slot.
#[export]
pub static mut PyWrapperDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
    tp_members: (&raw mut DESCR_MEMBERS).cast(),
    tp_getset: (&raw mut DESCR_GETSET).cast(),
    tp_repr: Some(wrapper_descr_repr),
    tp_descr_get: Some(wrapper_descr_get),
    tp_call: Some(wrapper_descr_call),
    ..static_type(
        c"wrapper_descriptor",
        std::mem::size_of::<PyWrapperDescrObject>(),
        0,
        DESCR_FLAGS | Py_TPFLAGS_METHOD_DESCRIPTOR,
    )
};

unsafe extern "C" fn descr_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead descriptor (slot contract); d_type is borrowed.
    unsafe {
        let d = op.cast::<PyDescrObject>();
        xdecref((*d).d_name);
        xdecref((*d).d_qualname);
        crate::objimpl::default_dealloc(op);
    }
}

/// The descriptor's name as text.
///
/// # Safety
/// `d` must be a live descriptor.
pub(crate) unsafe fn descr_name(d: *mut PyObject) -> String {
    // SAFETY: forwarded contract; d_name is NULL or a str.
    unsafe {
        let n = (*d.cast::<PyDescrObject>()).d_name;
        if n.is_null() {
            return "?".into();
        }
        uni::as_str(n).unwrap_or("?").to_string()
    }
}

/// The name of the descriptor's owning type.
unsafe fn descr_type_name(d: *mut PyObject) -> String {
    // SAFETY: `d` is a live descriptor; d_type is NULL or a type.
    unsafe {
        let t = (*d.cast::<PyDescrObject>()).d_type;
        if t.is_null() {
            "?".into()
        } else {
            type_name(t)
        }
    }
}

fn descr_repr_fmt(d: *mut PyObject, kind: &str) -> *mut PyObject {
    // SAFETY: `d` is a live descriptor (slot contract of the callers).
    let (n, t) = unsafe { (descr_name(d), descr_type_name(d)) };
    uni::from_str(&format!("<{kind} '{n}' of '{t}' objects>"))
}

unsafe extern "C" fn method_descr_repr(d: *mut PyObject) -> *mut PyObject {
    descr_repr_fmt(d, "method")
}
unsafe extern "C" fn member_descr_repr(d: *mut PyObject) -> *mut PyObject {
    descr_repr_fmt(d, "member")
}
unsafe extern "C" fn getset_descr_repr(d: *mut PyObject) -> *mut PyObject {
    descr_repr_fmt(d, "attribute")
}
unsafe extern "C" fn wrapper_descr_repr(d: *mut PyObject) -> *mut PyObject {
    descr_repr_fmt(d, "slot wrapper")
}

/// Allocates a descriptor of type `dt` for `owner` named `name`.
unsafe fn descr_new(
    dt: *mut PyTypeObject,
    owner: *mut PyTypeObject,
    name: *const c_char,
) -> *mut PyObject {
    // SAFETY: `dt` is a ready static descriptor type; `name` a C string.
    unsafe {
        let op = crate::objimpl::alloc_object(dt, 0);
        if op.is_null() {
            return op;
        }
        let d = op.cast::<PyDescrObject>();
        (*d).d_type = owner;
        let n = uni::from_cstr(name);
        if n.is_null() {
            decref(op);
            return null_mut();
        }
        (*d).d_name = n;
        op
    }
}

/// `PyDescr_NewMethod`.
///
/// # Safety
/// `owner` must be a type; `ml` must outlive the descriptor.
pub(crate) unsafe fn new_method(owner: *mut PyTypeObject, ml: *mut PyMethodDef) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = descr_new(&raw mut PyMethodDescr_Type, owner, (*ml).ml_name);
        if !op.is_null() {
            (*op.cast::<PyMethodDescrObject>()).d_method = ml;
        }
        op
    }
}

/// `PyDescr_NewClassMethod`.
///
/// # Safety
/// As [`new_method`].
pub(crate) unsafe fn new_classmethod(
    owner: *mut PyTypeObject,
    ml: *mut PyMethodDef,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = descr_new(&raw mut PyClassMethodDescr_Type, owner, (*ml).ml_name);
        if !op.is_null() {
            (*op.cast::<PyMethodDescrObject>()).d_method = ml;
        }
        op
    }
}

/// `PyDescr_NewMember`.
///
/// # Safety
/// `owner` must be a type; `m` must outlive the descriptor.
pub(crate) unsafe fn new_member(owner: *mut PyTypeObject, m: *mut PyMemberDef) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = descr_new(&raw mut PyMemberDescr_Type, owner, (*m).name);
        if !op.is_null() {
            (*op.cast::<PyMemberDescrObject>()).d_member = m;
        }
        op
    }
}

/// `PyDescr_NewGetSet`.
///
/// # Safety
/// `owner` must be a type; `g` must outlive the descriptor.
pub(crate) unsafe fn new_getset(owner: *mut PyTypeObject, g: *mut PyGetSetDef) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = descr_new(&raw mut PyGetSetDescr_Type, owner, (*g).name);
        if !op.is_null() {
            (*op.cast::<PyGetSetDescrObject>()).d_getset = g;
        }
        op
    }
}

/// The instance check of a descriptor's `__get__`/`__set__`: `Err` with TypeError set when
/// `obj` is not an instance of the owning type.
unsafe fn descr_check(d: *mut PyObject, obj: *mut PyObject) -> Result<(), ()> {
    // SAFETY: `d` is a live descriptor and `obj` a live object (slot contract).
    unsafe {
        let owner = (*d.cast::<PyDescrObject>()).d_type;
        if owner.is_null() || ty(obj) == owner || is_subtype(ty(obj), owner) {
            return Ok(());
        }
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "descriptor '{}' for '{:.100}' objects doesn't apply to a '{:.100}' object",
                descr_name(d),
                type_name(owner),
                type_name(ty(obj))
            ),
        );
        Err(())
    }
}

/// Binds a method definition to `self_` as a builtin method object.
unsafe fn bind(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: `ml` is a live method definition; `self_` live.
    unsafe {
        let cls = if (*ml).ml_flags & METH_METHOD != 0 {
            cls
        } else {
            null_mut()
        };
        crate::methodobject::new_cfunction(ml, self_, null_mut(), cls)
    }
}

unsafe extern "C" fn method_descr_get(
    d: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `d` is a live method descriptor (slot contract).
    unsafe {
        if obj.is_null() {
            return new_ref(d);
        }
        if descr_check(d, obj).is_err() {
            return null_mut();
        }
        let md = d.cast::<PyMethodDescrObject>();
        bind((*md).d_method, obj, (*md).d_common.d_type)
    }
}

unsafe extern "C" fn classmethod_descr_get(
    d: *mut PyObject,
    obj: *mut PyObject,
    t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `d` is a live classmethod descriptor (slot contract).
    unsafe {
        let md = d.cast::<PyMethodDescrObject>();
        let owner = (*md).d_common.d_type;
        let t = if t.is_null() { ty(obj).cast() } else { t };
        if !crate::object::is_type(t) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "descriptor '{}' for type '{:.100}' needs a type, not a '{:.100}' as arg 2",
                    descr_name(d),
                    type_name(owner),
                    type_name(ty(t))
                ),
            );
        }
        let tt = t.cast::<PyTypeObject>();
        if !owner.is_null() && tt != owner && !is_subtype(tt, owner) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "descriptor '{}' for type '{:.100}' doesn't apply to type '{:.100}'",
                    descr_name(d),
                    type_name(owner),
                    type_name(tt)
                ),
            );
        }
        bind((*md).d_method, t, owner)
    }
}

/// Calls the method descriptor `d` unbound: `args[0]` is `self`, the rest the arguments.
unsafe fn call_unbound(
    d: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
    classmethod: bool,
) -> *mut PyObject {
    // SAFETY: `d` is a live method descriptor; `args` a tuple (tp_call contract).
    unsafe {
        let items = crate::tupleobject::items(args);
        let Some((&first, rest)) = items.split_first() else {
            let t = (*d.cast::<PyDescrObject>()).d_type;
            let owner = if classmethod || t.is_null() {
                descr_type_name(d)
            } else {
                crate::object::type_qualname(t)
            };
            let msg = if classmethod {
                format!(
                    "descriptor '{}' of '{owner:.100}' object needs an argument",
                    descr_name(d)
                )
            } else {
                format!(
                    "unbound method {owner:.100}.{}() needs an argument",
                    descr_name(d)
                )
            };
            return raise(&raw mut EXC_TypeError, &msg);
        };
        let bound = if classmethod {
            classmethod_descr_get(d, null_mut(), first)
        } else {
            method_descr_get(d, first, null_mut())
        };
        if bound.is_null() {
            return null_mut();
        }
        let rest = crate::tupleobject::from_slice(rest);
        if rest.is_null() {
            decref(bound);
            return null_mut();
        }
        let r = crate::object::call(bound, rest, kw);
        decref(rest);
        decref(bound);
        r
    }
}

unsafe extern "C" fn method_descr_call(
    d: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe { call_unbound(d, args, kw, false) }
}

unsafe extern "C" fn classmethod_descr_call(
    d: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe { call_unbound(d, args, kw, true) }
}

unsafe extern "C" fn member_descr_get(
    d: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `d` is a live member descriptor (slot contract).
    unsafe {
        if obj.is_null() {
            return new_ref(d);
        }
        if descr_check(d, obj).is_err() {
            return null_mut();
        }
        read_member(obj, (*d.cast::<PyMemberDescrObject>()).d_member)
    }
}

/// For `PyObject_GenericGetAttr`'s lookup that takes no reference (`cache::lookup_peek`): when
/// `d` is a member descriptor (exact type) that applies to instances of `t`, a copy of its
/// member definition, so that the caller reads the member (`read_member`) as `member_descr_get`
/// would, without a reference to `d`. Only loads: it runs inside the cache's read section.
///
/// # Safety
/// `d` must be a live object and `t` a live type.
#[inline]
pub(crate) unsafe fn member_peek(d: *mut PyObject, t: *mut PyTypeObject) -> Option<PyMemberDef> {
    // SAFETY: forwarded contract; a member descriptor's `d_member` points to its definition,
    // which outlives it.
    unsafe {
        if ty(d) != &raw mut PyMemberDescr_Type {
            return None;
        }
        let md = d.cast::<PyMemberDescrObject>();
        let owner = (*md).d_common.d_type;
        let m = (*md).d_member;
        // A descriptor that does not apply raises in `member_descr_get` (the usual path).
        if m.is_null() || !(owner.is_null() || t == owner || is_subtype(t, owner)) {
            return None;
        }
        Some(std::ptr::read(m))
    }
}

unsafe extern "C" fn member_descr_set(
    d: *mut PyObject,
    obj: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: `d` is a live member descriptor (slot contract).
    unsafe {
        if descr_check(d, obj).is_err() {
            return -1;
        }
        crate::structmember::write_member(obj, (*d.cast::<PyMemberDescrObject>()).d_member, v)
    }
}

unsafe extern "C" fn getset_descr_get(
    d: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `d` is a live getset descriptor (slot contract).
    unsafe {
        if obj.is_null() {
            return new_ref(d);
        }
        if descr_check(d, obj).is_err() {
            return null_mut();
        }
        let g = (*d.cast::<PyGetSetDescrObject>()).d_getset;
        match (*g).get {
            Some(f) => crate::extcall::getter(f, obj, (*g).closure),
            None => raise(
                &raw mut EXC_AttributeError,
                &format!(
                    "attribute '{}' of '{:.100}' objects is not readable",
                    descr_name(d),
                    descr_type_name(d)
                ),
            ),
        }
    }
}

unsafe extern "C" fn getset_descr_set(
    d: *mut PyObject,
    obj: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: `d` is a live getset descriptor (slot contract).
    unsafe {
        if descr_check(d, obj).is_err() {
            return -1;
        }
        let g = (*d.cast::<PyGetSetDescrObject>()).d_getset;
        match (*g).set {
            Some(f) => crate::extcall::setter(f, obj, v, (*g).closure),
            None => {
                raise(
                    &raw mut EXC_AttributeError,
                    &format!(
                        "attribute '{}' of '{:.100}' objects is not writable",
                        descr_name(d),
                        descr_type_name(d)
                    ),
                );
                -1
            }
        }
    }
}

/// Stores the new reference `v` (NULL: an error is set) in `dict` under `name`; 0 or -1.
///
/// # Safety
/// `dict` must be a dict; `v` NULL or a new reference, which this consumes.
unsafe fn store_new(dict: *mut PyObject, name: &str, v: *mut PyObject) -> c_int {
    if v.is_null() {
        return -1;
    }
    // SAFETY: forwarded contract.
    unsafe {
        let r = crate::dictobject::set_item_str(dict, name, v);
        decref(v);
        r.min(0)
    }
}

/// For each entry of a NULL-name-terminated table starting at `first`: unless `dict` already
/// has its name, stores `make(entry)` there. `name_of` reads an entry's name.
///
/// # Safety
/// `first` must be NULL or point to such a table; `dict` must be a dict.
unsafe fn add_missing<T>(
    dict: *mut PyObject,
    first: *mut T,
    name_of: impl Fn(*mut T) -> *const std::ffi::c_char,
    make: impl Fn(*mut T) -> *mut PyObject,
) -> c_int {
    let mut e = first;
    // SAFETY: forwarded contract: every entry up to the terminator is readable.
    unsafe {
        while !e.is_null() && !name_of(e).is_null() {
            let name = std::ffi::CStr::from_ptr(name_of(e)).to_string_lossy();
            if crate::dictobject::get_str(dict, &name).is_null()
                && store_new(dict, &name, make(e)) < 0
            {
                return -1;
            }
            e = e.add(1);
        }
    }
    0
}

/// Adds the descriptors for `tp_methods`, `tp_members` and `tp_getset` of `t` to `dict`
/// (existing keys win, as in CPython; `METH_COEXIST` overrides).
///
/// # Safety
/// `t` must be a type whose tables are NULL-terminated arrays; `dict` a dict.
pub(crate) unsafe fn add_descriptors(t: *mut PyTypeObject, dict: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let mut ml = (*t).tp_methods;
        while !ml.is_null() && !(*ml).ml_name.is_null() {
            let flags = (*ml).ml_flags;
            let name = std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy();
            let exists = !crate::dictobject::get_str(dict, &name).is_null();
            if !exists || flags & crate::methodobject::METH_COEXIST != 0 {
                let v = if flags & METH_CLASS != 0 {
                    if flags & METH_STATIC != 0 {
                        raise(
                            &raw mut crate::pyerrors::EXC_ValueError,
                            "method cannot be both class and static",
                        );
                        return -1;
                    }
                    new_classmethod(t, ml)
                } else if flags & METH_STATIC != 0 {
                    let f =
                        crate::methodobject::new_cfunction(ml, null_mut(), null_mut(), null_mut());
                    if f.is_null() {
                        return -1;
                    }
                    let s = crate::funcobject::new_staticmethod(f);
                    decref(f);
                    s
                } else {
                    new_method(t, ml)
                };
                if store_new(dict, &name, v) < 0 {
                    return -1;
                }
            }
            ml = ml.add(1);
        }
        if add_missing(dict, (*t).tp_members, |m| (*m).name, |m| new_member(t, m)) < 0 {
            return -1;
        }
        add_missing(dict, (*t).tp_getset, |g| (*g).name, |g| new_getset(t, g))
    }
}

#[export]
pub unsafe fn PyDescr_NewMethod(t: *mut PyTypeObject, ml: *mut PyMethodDef) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_method(t, ml) }
}

#[export]
pub unsafe fn PyDescr_NewClassMethod(t: *mut PyTypeObject, ml: *mut PyMethodDef) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_classmethod(t, ml) }
}

#[export]
pub unsafe fn PyDescr_NewMember(t: *mut PyTypeObject, m: *mut PyMemberDef) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_member(t, m) }
}

#[export]
pub unsafe fn PyDescr_NewGetSet(t: *mut PyTypeObject, g: *mut PyGetSetDef) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_getset(t, g) }
}

#[export]
pub unsafe fn PyDescr_IsData(d: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    unsafe { c_int::from((*ty(d)).tp_descr_set.is_some()) }
}

const fn member(name: &'static std::ffi::CStr, offset: usize, flags: c_int) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: Py_T_OBJECT,
        offset: offset as Py_ssize_t,
        flags,
        doc: std::ptr::null(),
    }
}

const fn method(name: &'static std::ffi::CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

type Meth = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
