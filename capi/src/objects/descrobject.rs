//! `descrobject.h`: member and getset definitions.

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
    use crate::longobject::from_i128;
    // SAFETY: forwarded contract: the member's offset and type describe `op`'s memory.
    unsafe {
        let p = op.cast::<u8>().offset((*m).offset);
        match (*m).type_ {
            Py_T_OBJECT | Py_T_OBJECT_EX => {
                let v = *p.cast::<*mut PyObject>();
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
                crate::refcount::new_ref(v)
            }
            Py_T_SHORT => from_i128(i128::from(p.cast::<i16>().read_unaligned())),
            Py_T_INT => from_i128(i128::from(p.cast::<i32>().read_unaligned())),
            Py_T_LONG | Py_T_LONGLONG | Py_T_PYSSIZET => {
                from_i128(i128::from(p.cast::<i64>().read_unaligned()))
            }
            Py_T_BYTE => from_i128(i128::from(p.cast::<i8>().read())),
            Py_T_UBYTE | Py_T_CHAR => from_i128(i128::from(p.read())),
            Py_T_USHORT => from_i128(i128::from(p.cast::<u16>().read_unaligned())),
            Py_T_UINT => from_i128(i128::from(p.cast::<u32>().read_unaligned())),
            Py_T_ULONG | Py_T_ULONGLONG => from_i128(i128::from(p.cast::<u64>().read_unaligned())),
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

#[unsafe(no_mangle)]
pub static mut PyMethodDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
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

#[unsafe(no_mangle)]
pub static mut PyClassMethodDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
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

#[unsafe(no_mangle)]
pub static mut PyMemberDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
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

#[unsafe(no_mangle)]
pub static mut PyGetSetDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
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
#[unsafe(no_mangle)]
pub static mut PyWrapperDescr_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(descr_dealloc),
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
            Some(f) => f(obj, (*g).closure),
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
            Some(f) => f(obj, v, (*g).closure),
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

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDescr_NewMethod(
    t: *mut PyTypeObject,
    ml: *mut PyMethodDef,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyDescr_NewMethod", null_mut(), || unsafe {
        new_method(t, ml)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDescr_NewClassMethod(
    t: *mut PyTypeObject,
    ml: *mut PyMethodDef,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyDescr_NewClassMethod", null_mut(), || unsafe {
        new_classmethod(t, ml)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDescr_NewMember(
    t: *mut PyTypeObject,
    m: *mut PyMemberDef,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyDescr_NewMember", null_mut(), || unsafe {
        new_member(t, m)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDescr_NewGetSet(
    t: *mut PyTypeObject,
    g: *mut PyGetSetDef,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyDescr_NewGetSet", null_mut(), || unsafe {
        new_getset(t, g)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDescr_IsData(d: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    crate::ffi_guard::guard("PyDescr_IsData", 0, || unsafe {
        c_int::from((*ty(d)).tp_descr_set.is_some())
    })
}

// ---- slot wrappers (`<slot wrapper '__repr__' of 'T' objects>`) ---------------------------

/// How a slot is called from Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WrapKind {
    /// `f(self) -> object` (`tp_repr`, `tp_iter`, `nb_negative`, ...).
    Unary,
    /// `tp_iternext`: NULL without an error means StopIteration.
    Next,
    /// `f(self) -> Py_ssize_t`.
    Len,
    /// `f(self) -> Py_hash_t`.
    Hash,
    /// `f(self) -> int` as a bool.
    Inquiry,
    /// `f(self, other) -> object`.
    Binary,
    /// A number slot called with the operands swapped: `__radd__(other)` is `f(other, self)`.
    BinaryRight,
    /// `nb_power` as `__pow__(value, mod=None)`: `f(self, value, mod)`.
    Ternary,
    /// `nb_power` as `__rpow__(value, mod=None)`: `f(value, self, mod)`.
    TernaryRight,
    /// `mp_ass_subscript` as `__setitem__(key, value)`, returning None.
    SetItem,
    /// `mp_ass_subscript` with a NULL value as `__delitem__(key)`, returning None.
    DelItem,
    /// `f(self, other) -> int` as a bool (`sq_contains`).
    Contains,
    /// `tp_richcompare` with the given operator.
    RichCompare(c_int),
    /// `f(self, args, kwargs) -> object` (`tp_call`).
    Call,
    /// `f(self, args, kwargs) -> int` (`tp_init`), returning None.
    Init,
    /// `tp_descr_get` as `__get__(instance, owner=None)`.
    DescrGet,
    /// `tp_descr_set` as `__set__(instance, value)`, returning None.
    DescrSet,
    /// `tp_descr_set` with a NULL value as `__delete__(instance)`, returning None.
    DescrDelete,
}

/// One entry of gilgate's slot wrapper table (`d_base` of a wrapper descriptor points here).
#[derive(Debug)]
pub(crate) struct SlotWrapper {
    pub name: &'static std::ffi::CStr,
    pub kind: WrapKind,
    /// Reads the slot's function pointer (as an address) from a type, 0 when unset.
    pub get: unsafe fn(*mut PyTypeObject) -> usize,
}

macro_rules! own_slot {
    ($f:ident) => {
        |t: *mut PyTypeObject| {
            // SAFETY: `t` is a type object.
            unsafe { (*t).$f.map_or(0, |f| f as usize) }
        }
    };
    ($sub:ident . $f:ident) => {
        |t: *mut PyTypeObject| {
            // SAFETY: `t` is a type object; the sub-structure is NULL or valid.
            unsafe {
                let s = (*t).$sub;
                if s.is_null() {
                    0
                } else {
                    (*s).$f.map_or(0, |f| f as usize)
                }
            }
        }
    };
}

/// The slots gilgate exposes as `__dunder__` wrappers, in CPython's naming.
pub(crate) static SLOT_WRAPPERS: &[SlotWrapper] = &[
    SlotWrapper {
        name: c"__repr__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_repr),
    },
    SlotWrapper {
        name: c"__str__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_str),
    },
    SlotWrapper {
        name: c"__hash__",
        kind: WrapKind::Hash,
        get: own_slot!(tp_hash),
    },
    SlotWrapper {
        name: c"__call__",
        kind: WrapKind::Call,
        get: own_slot!(tp_call),
    },
    SlotWrapper {
        name: c"__iter__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_iter),
    },
    SlotWrapper {
        name: c"__next__",
        kind: WrapKind::Next,
        get: own_slot!(tp_iternext),
    },
    SlotWrapper {
        name: c"__init__",
        kind: WrapKind::Init,
        get: own_slot!(tp_init),
    },
    SlotWrapper {
        name: c"__get__",
        kind: WrapKind::DescrGet,
        get: own_slot!(tp_descr_get),
    },
    SlotWrapper {
        name: c"__set__",
        kind: WrapKind::DescrSet,
        get: own_slot!(tp_descr_set),
    },
    SlotWrapper {
        name: c"__delete__",
        kind: WrapKind::DescrDelete,
        get: own_slot!(tp_descr_set),
    },
    SlotWrapper {
        name: c"__lt__",
        kind: WrapKind::RichCompare(0),
        get: own_slot!(tp_richcompare),
    },
    SlotWrapper {
        name: c"__le__",
        kind: WrapKind::RichCompare(1),
        get: own_slot!(tp_richcompare),
    },
    SlotWrapper {
        name: c"__eq__",
        kind: WrapKind::RichCompare(2),
        get: own_slot!(tp_richcompare),
    },
    SlotWrapper {
        name: c"__ne__",
        kind: WrapKind::RichCompare(3),
        get: own_slot!(tp_richcompare),
    },
    SlotWrapper {
        name: c"__gt__",
        kind: WrapKind::RichCompare(4),
        get: own_slot!(tp_richcompare),
    },
    SlotWrapper {
        name: c"__ge__",
        kind: WrapKind::RichCompare(5),
        get: own_slot!(tp_richcompare),
    },
    SlotWrapper {
        name: c"__len__",
        kind: WrapKind::Len,
        get: own_slot!(tp_as_mapping.mp_length),
    },
    SlotWrapper {
        name: c"__len__",
        kind: WrapKind::Len,
        get: own_slot!(tp_as_sequence.sq_length),
    },
    SlotWrapper {
        name: c"__getitem__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_mapping.mp_subscript),
    },
    SlotWrapper {
        name: c"__setitem__",
        kind: WrapKind::SetItem,
        get: own_slot!(tp_as_mapping.mp_ass_subscript),
    },
    SlotWrapper {
        name: c"__delitem__",
        kind: WrapKind::DelItem,
        get: own_slot!(tp_as_mapping.mp_ass_subscript),
    },
    SlotWrapper {
        name: c"__contains__",
        kind: WrapKind::Contains,
        get: own_slot!(tp_as_sequence.sq_contains),
    },
    SlotWrapper {
        name: c"__add__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_add),
    },
    SlotWrapper {
        name: c"__sub__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_subtract),
    },
    SlotWrapper {
        name: c"__mul__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_multiply),
    },
    SlotWrapper {
        name: c"__radd__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_add),
    },
    SlotWrapper {
        name: c"__rsub__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_subtract),
    },
    SlotWrapper {
        name: c"__rmul__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_multiply),
    },
    SlotWrapper {
        name: c"__mod__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_remainder),
    },
    SlotWrapper {
        name: c"__rmod__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_remainder),
    },
    SlotWrapper {
        name: c"__divmod__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_divmod),
    },
    SlotWrapper {
        name: c"__rdivmod__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_divmod),
    },
    SlotWrapper {
        name: c"__pow__",
        kind: WrapKind::Ternary,
        get: own_slot!(tp_as_number.nb_power),
    },
    SlotWrapper {
        name: c"__rpow__",
        kind: WrapKind::TernaryRight,
        get: own_slot!(tp_as_number.nb_power),
    },
    SlotWrapper {
        name: c"__neg__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_negative),
    },
    SlotWrapper {
        name: c"__pos__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_positive),
    },
    SlotWrapper {
        name: c"__abs__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_absolute),
    },
    SlotWrapper {
        name: c"__bool__",
        kind: WrapKind::Inquiry,
        get: own_slot!(tp_as_number.nb_bool),
    },
    SlotWrapper {
        name: c"__invert__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_invert),
    },
    SlotWrapper {
        name: c"__lshift__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_lshift),
    },
    SlotWrapper {
        name: c"__rlshift__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_lshift),
    },
    SlotWrapper {
        name: c"__rshift__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_rshift),
    },
    SlotWrapper {
        name: c"__rrshift__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_rshift),
    },
    SlotWrapper {
        name: c"__and__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_and),
    },
    SlotWrapper {
        name: c"__rand__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_and),
    },
    SlotWrapper {
        name: c"__xor__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_xor),
    },
    SlotWrapper {
        name: c"__rxor__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_xor),
    },
    SlotWrapper {
        name: c"__or__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_or),
    },
    SlotWrapper {
        name: c"__ror__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_or),
    },
    SlotWrapper {
        name: c"__int__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_int),
    },
    SlotWrapper {
        name: c"__float__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_float),
    },
    SlotWrapper {
        name: c"__index__",
        kind: WrapKind::Unary,
        get: own_slot!(tp_as_number.nb_index),
    },
    SlotWrapper {
        name: c"__floordiv__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_floor_divide),
    },
    SlotWrapper {
        name: c"__rfloordiv__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_floor_divide),
    },
    SlotWrapper {
        name: c"__truediv__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_true_divide),
    },
    SlotWrapper {
        name: c"__rtruediv__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_true_divide),
    },
    SlotWrapper {
        name: c"__matmul__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_matrix_multiply),
    },
    SlotWrapper {
        name: c"__rmatmul__",
        kind: WrapKind::BinaryRight,
        get: own_slot!(tp_as_number.nb_matrix_multiply),
    },
];

/// The error text for `__get__(instance, owner=None)` given `n` arguments, or None when `n` fits
/// (CPython 3.14 unpacks them like `PyArg_UnpackTuple` named after the wrapper).
fn get_args(name: &str, n: usize) -> Option<String> {
    match n {
        0 => Some(format!("{name} expected at least 1 argument, got 0")),
        1 | 2 => None,
        _ => Some(format!("{name} expected at most 2 arguments, got {n}")),
    }
}

/// A bound slot wrapper (`method-wrapper`).
#[repr(C)]
#[derive(Debug)]
pub(crate) struct MethodWrapperObject {
    pub ob_base: PyObject,
    pub descr: *mut PyObject,
    pub self_: *mut PyObject,
}

pub(crate) static mut MethodWrapper_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(method_wrapper_dealloc),
    tp_repr: Some(method_wrapper_repr),
    tp_call: Some(method_wrapper_call),
    ..static_type(
        c"method-wrapper",
        std::mem::size_of::<MethodWrapperObject>(),
        0,
        0,
    )
};

unsafe extern "C" fn method_wrapper_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead method-wrapper (slot contract).
    unsafe {
        let w = op.cast::<MethodWrapperObject>();
        xdecref((*w).descr);
        xdecref((*w).self_);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn method_wrapper_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live method-wrapper (slot contract).
    unsafe {
        let w = op.cast::<MethodWrapperObject>();
        let s = (*w).self_;
        uni::from_str(&format!(
            "<method-wrapper '{}' of {} object at {s:p}>",
            descr_name((*w).descr),
            type_name(ty(s))
        ))
    }
}

/// Adds the slot wrappers of the slots `t` defines itself (not inherited) to `dict`; existing
/// names win.
///
/// # Safety
/// `t` must be a type object (before inheritance) and `dict` its dict.
pub(crate) unsafe fn add_slot_wrappers(t: *mut PyTypeObject, dict: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let not_impl = crate::typeobject::PyObject_HashNotImplemented as *const () as usize;
        for w in SLOT_WRAPPERS {
            let f = (w.get)(t);
            if f == 0 {
                continue;
            }
            let name = w.name.to_str().unwrap_or("?");
            if !crate::dictobject::get_str(dict, name).is_null() {
                continue;
            }
            if w.kind == WrapKind::Hash && f == not_impl {
                if crate::dictobject::set_item_str(dict, name, crate::object::none()) < 0 {
                    return -1;
                }
                continue;
            }
            let op = descr_new(&raw mut PyWrapperDescr_Type, t, w.name.as_ptr());
            if op.is_null() {
                return -1;
            }
            let d = op.cast::<PyWrapperDescrObject>();
            (*d).d_base = (w as *const SlotWrapper).cast_mut().cast();
            (*d).d_wrapped = f as *mut c_void;
            let r = crate::dictobject::set_item_str(dict, name, op);
            decref(op);
            if r < 0 {
                return -1;
            }
        }
        0
    }
}

unsafe extern "C" fn wrapper_descr_get(
    d: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `d` is a live wrapper descriptor (slot contract).
    unsafe {
        if obj.is_null() {
            return new_ref(d);
        }
        if descr_check(d, obj).is_err() {
            return null_mut();
        }
        let op = crate::objimpl::alloc_object(&raw mut MethodWrapper_Type, 0);
        if op.is_null() {
            return op;
        }
        let w = op.cast::<MethodWrapperObject>();
        (*w).descr = new_ref(d);
        (*w).self_ = new_ref(obj);
        op
    }
}

unsafe extern "C" fn wrapper_descr_call(
    d: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe {
        let items = crate::tupleobject::items(args);
        let Some((&first, rest)) = items.split_first() else {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "descriptor '{}' of '{}' object needs an argument",
                    descr_name(d),
                    descr_type_name(d)
                ),
            );
        };
        // a call checks `self` with its own text (binding through __get__ keeps descr_check's)
        let owner = (*d.cast::<PyDescrObject>()).d_type;
        if !owner.is_null() && ty(first) != owner && !is_subtype(ty(first), owner) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "descriptor '{}' requires a '{:.100}' object but received a '{:.100}'",
                    descr_name(d),
                    type_name(owner),
                    type_name(ty(first))
                ),
            );
        }
        let rest = crate::tupleobject::from_slice(rest);
        if rest.is_null() {
            return rest;
        }
        let r = call_wrapper(d, first, rest, kw);
        decref(rest);
        r
    }
}

unsafe extern "C" fn method_wrapper_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live method-wrapper (tp_call contract).
    unsafe {
        let w = op.cast::<MethodWrapperObject>();
        call_wrapper((*w).descr, (*w).self_, args, kw)
    }
}

/// Calls the slot behind wrapper descriptor `d` on `self_` with Python arguments.
unsafe fn call_wrapper(
    d: *mut PyObject,
    self_: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    use crate::object::{
        binaryfunc, hashfunc, initproc, inquiry, lenfunc, objobjargproc, objobjproc, richcmpfunc,
        ternaryfunc, unaryfunc,
    };
    // SAFETY: `d` is a wrapper descriptor made by `add_slot_wrappers`: d_base points into
    // SLOT_WRAPPERS and d_wrapped is a function of the kind it names.
    unsafe {
        let wd = d.cast::<PyWrapperDescrObject>();
        let w = &*(*wd).d_base.cast::<SlotWrapper>();
        let f = (*wd).d_wrapped;
        let name = descr_name(d);
        let items = crate::tupleobject::items(args);
        let has_kw = !kw.is_null() && crate::dictobject::len(kw) != 0;
        if has_kw && !matches!(w.kind, WrapKind::Call | WrapKind::Init) {
            return raise(
                &raw mut EXC_TypeError,
                &format!("wrapper {name}() takes no keyword arguments"),
            );
        }
        let want = match w.kind {
            WrapKind::Unary
            | WrapKind::Next
            | WrapKind::Len
            | WrapKind::Hash
            | WrapKind::Inquiry => Some(0),
            WrapKind::Binary
            | WrapKind::BinaryRight
            | WrapKind::Contains
            | WrapKind::RichCompare(_)
            | WrapKind::DelItem
            | WrapKind::DescrDelete => Some(1),
            // CPython 3.14 names the wrapper in these two-argument checks.
            WrapKind::SetItem | WrapKind::DescrSet => {
                if items.len() != 2 {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("{name} expected 2 arguments, got {}", items.len()),
                    );
                }
                None
            }
            WrapKind::Ternary | WrapKind::TernaryRight => {
                if !matches!(items.len(), 1 | 2) {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("expected 1 or 2 arguments, got {}", items.len()),
                    );
                }
                None
            }
            WrapKind::Call | WrapKind::Init => None,
            WrapKind::DescrGet => {
                if let Some(msg) = get_args(&name, items.len()) {
                    return raise(&raw mut EXC_TypeError, &msg);
                }
                None
            }
        };
        if let Some(n) = want
            && items.len() != n
        {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "expected {n} argument{}, got {}",
                    if n == 1 { "" } else { "s" },
                    items.len()
                ),
            );
        }
        macro_rules! cast {
            ($t:ty) => {
                std::mem::transmute_copy::<*mut c_void, $t>(&f).unwrap()
            };
        }
        match w.kind {
            WrapKind::Unary => cast!(unaryfunc)(self_),
            WrapKind::Next => {
                let r = cast!(unaryfunc)(self_);
                if r.is_null() && !crate::pyerrors::occurred() {
                    return raise(&raw mut crate::pyerrors::EXC_StopIteration, "");
                }
                r
            }
            WrapKind::Len => {
                let n = cast!(lenfunc)(self_);
                if n < 0 {
                    null_mut()
                } else {
                    crate::longobject::from_i128(n as i128)
                }
            }
            WrapKind::Hash => {
                let h = cast!(hashfunc)(self_);
                if h == -1 && crate::pyerrors::occurred() {
                    null_mut()
                } else {
                    crate::longobject::from_i128(h as i128)
                }
            }
            WrapKind::Inquiry => {
                let r = cast!(inquiry)(self_);
                if r < 0 {
                    null_mut()
                } else {
                    crate::boolobject::from_bool(r != 0)
                }
            }
            WrapKind::Binary => cast!(binaryfunc)(self_, items[0]),
            WrapKind::BinaryRight => cast!(binaryfunc)(items[0], self_),
            WrapKind::Ternary | WrapKind::TernaryRight => {
                let modulus = items.get(1).copied().unwrap_or_else(crate::object::none);
                if w.kind == WrapKind::Ternary {
                    cast!(ternaryfunc)(self_, items[0], modulus)
                } else {
                    cast!(ternaryfunc)(items[0], self_, modulus)
                }
            }
            WrapKind::SetItem | WrapKind::DelItem => {
                let value = if w.kind == WrapKind::SetItem {
                    items[1]
                } else {
                    null_mut()
                };
                if cast!(objobjargproc)(self_, items[0], value) < 0 {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
            WrapKind::Contains => {
                let r = cast!(objobjproc)(self_, items[0]);
                if r < 0 {
                    null_mut()
                } else {
                    crate::boolobject::from_bool(r != 0)
                }
            }
            WrapKind::RichCompare(op) => cast!(richcmpfunc)(self_, items[0], op),
            WrapKind::Call => cast!(ternaryfunc)(self_, args, kw),
            WrapKind::DescrGet => {
                let none = crate::object::none();
                let opt = |o: *mut PyObject| if o == none { null_mut() } else { o };
                let obj = opt(items[0]);
                let owner = items.get(1).copied().map_or(null_mut(), opt);
                if obj.is_null() && owner.is_null() {
                    return raise(&raw mut EXC_TypeError, "__get__(None, None) is invalid");
                }
                cast!(crate::object::descrgetfunc)(self_, obj, owner)
            }
            WrapKind::DescrSet | WrapKind::DescrDelete => {
                let value = if w.kind == WrapKind::DescrSet {
                    items[1]
                } else {
                    null_mut()
                };
                if cast!(crate::object::descrsetfunc)(self_, items[0], value) < 0 {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
            WrapKind::Init => {
                if cast!(initproc)(self_, args, kw) < 0 {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
        }
    }
}

// =========================================================================================
// `property` (PyProperty_Type) and `mappingproxy` (PyDictProxy_Type, PyDictProxy_New).
// =========================================================================================

use crate::methodobject::{METH_O, METH_VARARGS};
use crate::object::{PyMappingMethods, PyNumberMethods, PySequenceMethods};

/// A `property` object (the layout of CPython's `propertyobject`).
#[repr(C)]
#[derive(Debug)]
pub(crate) struct PyPropertyObject {
    pub ob_base: PyObject,
    pub prop_get: *mut PyObject,
    pub prop_set: *mut PyObject,
    pub prop_del: *mut PyObject,
    pub prop_doc: *mut PyObject,
    pub prop_name: *mut PyObject,
    /// Whether `prop_doc` was taken from the getter's `__doc__`.
    pub getter_doc: c_int,
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

const MEMBER_END: PyMemberDef = PyMemberDef {
    name: std::ptr::null(),
    type_: 0,
    offset: 0,
    flags: 0,
    doc: std::ptr::null(),
};

const GETSET_END: PyGetSetDef = PyGetSetDef {
    name: std::ptr::null(),
    get: None,
    set: None,
    doc: std::ptr::null(),
    closure: null_mut(),
};

const METHOD_END: PyMethodDef = PyMethodDef {
    ml_name: std::ptr::null(),
    ml_meth: null_mut(),
    ml_flags: 0,
    ml_doc: std::ptr::null(),
};

const fn method(name: &'static std::ffi::CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

type Meth = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

static mut PROPERTY_MEMBERS: [PyMemberDef; 5] = [
    member(
        c"fget",
        std::mem::offset_of!(PyPropertyObject, prop_get),
        Py_READONLY,
    ),
    member(
        c"fset",
        std::mem::offset_of!(PyPropertyObject, prop_set),
        Py_READONLY,
    ),
    member(
        c"fdel",
        std::mem::offset_of!(PyPropertyObject, prop_del),
        Py_READONLY,
    ),
    member(
        c"__doc__",
        std::mem::offset_of!(PyPropertyObject, prop_doc),
        0,
    ),
    MEMBER_END,
];

static mut PROPERTY_GETSET: [PyGetSetDef; 3] = [
    PyGetSetDef {
        name: c"__name__".as_ptr(),
        get: Some(property_get_name),
        set: Some(property_set_name_attr),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"__isabstractmethod__".as_ptr(),
        get: Some(property_get_isabstract),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    GETSET_END,
];

static mut PROPERTY_METHODS: [PyMethodDef; 5] = [
    method(c"getter", property_getter as Meth as *mut c_void, METH_O),
    method(c"setter", property_setter as Meth as *mut c_void, METH_O),
    method(c"deleter", property_deleter as Meth as *mut c_void, METH_O),
    method(
        c"__set_name__",
        property_set_name as Meth as *mut c_void,
        METH_VARARGS,
    ),
    METHOD_END,
];

#[unsafe(no_mangle)]
pub static mut PyProperty_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(property_dealloc),
    tp_descr_get: Some(property_descr_get),
    tp_descr_set: Some(property_descr_set),
    tp_init: Some(property_init),
    tp_new: Some(crate::objimpl::PyType_GenericNew),
    tp_members: (&raw mut PROPERTY_MEMBERS).cast(),
    tp_getset: (&raw mut PROPERTY_GETSET).cast(),
    tp_methods: (&raw mut PROPERTY_METHODS).cast(),
    ..static_type(
        c"property",
        std::mem::size_of::<PyPropertyObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

unsafe fn as_prop<'a>(op: *mut PyObject) -> &'a mut PyPropertyObject {
    // SAFETY: callers pass a live property (or subclass) instance.
    unsafe { &mut *op.cast::<PyPropertyObject>() }
}

/// Stores `v` (new reference taken here, NULL allowed) in `slot`, releasing the old value.
unsafe fn replace(slot: &mut *mut PyObject, v: *mut PyObject) {
    let old = std::mem::replace(slot, v);
    // SAFETY: `v` is NULL or live; the slot owned `old`.
    unsafe {
        crate::refcount::xincref(v);
        xdecref(old);
    }
}

unsafe extern "C" fn property_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead property (slot contract).
    unsafe {
        let p = as_prop(op);
        for f in [
            &mut p.prop_get,
            &mut p.prop_set,
            &mut p.prop_del,
            &mut p.prop_doc,
            &mut p.prop_name,
        ] {
            xdecref(std::mem::replace(f, null_mut()));
        }
        crate::objimpl::default_dealloc(op);
    }
}

/// The property's name: the one `__set_name__` gave, else the getter's `__name__`.
/// `Ok(NULL)` when there is none.
unsafe fn property_name(p: &PyPropertyObject) -> Result<*mut PyObject, ()> {
    // SAFETY: the fields are NULL or live.
    unsafe {
        if !p.prop_name.is_null() {
            return Ok(new_ref(p.prop_name));
        }
        if p.prop_get.is_null() {
            return Ok(null_mut());
        }
        let name = uni::from_str("__name__");
        if name.is_null() {
            return Err(());
        }
        let mut out = null_mut();
        let r = crate::object::getattr_opt(p.prop_get, name, &mut out);
        decref(name);
        if r < 0 { Err(()) } else { Ok(out) }
    }
}

/// Raises "property 'x' of 'C' object has no getter" (or the shorter forms).
unsafe fn property_missing(p: &PyPropertyObject, obj: *mut PyObject, what: &str) {
    // SAFETY: `obj` is NULL or live.
    unsafe {
        let Ok(name) = property_name(p) else { return };
        let msg = match (name.is_null(), obj.is_null()) {
            (_, true) => format!("property has no {what}"),
            (true, false) => {
                let q = crate::object::type_qualname(ty(obj));
                format!("property of '{q}' object has no {what}")
            }
            (false, false) => {
                let q = crate::object::type_qualname(ty(obj));
                let n = crate::object::repr_string(name);
                format!("property {n} of '{q}' object has no {what}")
            }
        };
        xdecref(name);
        raise(&raw mut EXC_AttributeError, &msg);
    }
}

unsafe extern "C" fn property_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live property (slot contract); `obj` NULL or live.
    unsafe {
        if obj.is_null() || obj == crate::object::none() {
            return new_ref(op);
        }
        let p = as_prop(op);
        if p.prop_get.is_null() {
            property_missing(p, obj, "getter");
            return null_mut();
        }
        crate::abstract_::call_args(p.prop_get, &[obj])
    }
}

unsafe extern "C" fn property_descr_set(
    op: *mut PyObject,
    obj: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: `op` is a live property (slot contract); `obj`, `value` NULL or live.
    unsafe {
        let p = as_prop(op);
        let (f, what) = if value.is_null() {
            (p.prop_del, "deleter")
        } else {
            (p.prop_set, "setter")
        };
        if f.is_null() {
            property_missing(p, obj, what);
            return -1;
        }
        let r = if value.is_null() {
            crate::abstract_::call_args(f, &[obj])
        } else {
            crate::abstract_::call_args(f, &[obj, value])
        };
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}

/// `property.__init__(fget=None, fset=None, fdel=None, doc=None)`.
unsafe extern "C" fn property_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    const NAMES: [&str; 4] = ["fget", "fset", "fdel", "doc"];
    // SAFETY: tp_init contract: `op` is a property, args a tuple, kw NULL or a dict.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let nkw = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw) as usize
        };
        if pos.len() + nkw > 4 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "property() takes at most 4 arguments ({} given)",
                    pos.len() + nkw
                ),
            );
            return -1;
        }
        let mut vals = [null_mut::<PyObject>(); 4];
        vals[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let Some(i) = uni::as_str(k).and_then(|s| NAMES.iter().position(|n| *n == s))
                else {
                    let msg = if uni::is_str(k) {
                        format!(
                            "property() got an unexpected keyword argument {}",
                            crate::object::repr_string(k)
                        )
                    } else {
                        "keywords must be strings".to_string()
                    };
                    raise(&raw mut EXC_TypeError, &msg);
                    return -1;
                };
                if i < pos.len() {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "argument for property() given by name ('{}') and position ({})",
                            NAMES[i],
                            i + 1
                        ),
                    );
                    return -1;
                }
                vals[i] = v;
            }
        }
        let none = crate::object::none();
        let opt = |v: *mut PyObject| if v == none { null_mut() } else { v };
        let (fget, fset, fdel, doc) = (opt(vals[0]), opt(vals[1]), opt(vals[2]), opt(vals[3]));
        let p = as_prop(op);
        replace(&mut p.prop_get, fget);
        replace(&mut p.prop_set, fset);
        replace(&mut p.prop_del, fdel);
        replace(&mut p.prop_doc, null_mut());
        replace(&mut p.prop_name, null_mut());
        p.getter_doc = 0;
        let mut prop_doc = null_mut();
        if !doc.is_null() {
            prop_doc = new_ref(doc);
        } else if !fget.is_null() {
            let name = uni::from_str("__doc__");
            if name.is_null() {
                return -1;
            }
            let r = crate::object::getattr_opt(fget, name, &mut prop_doc);
            decref(name);
            if r < 0 {
                return -1;
            }
            if prop_doc == none {
                decref(prop_doc);
                prop_doc = null_mut();
            }
            if !prop_doc.is_null() {
                p.getter_doc = 1;
            }
        }
        if ty(op) == &raw mut PyProperty_Type {
            p.prop_doc = prop_doc;
            return 0;
        }
        // A subclass: `__doc__` goes through attribute assignment (the subclass's dict or
        // slot), or the class's own `__doc__` would shadow it.
        if prop_doc.is_null() {
            prop_doc = new_ref(none);
        }
        let name = uni::from_str("__doc__");
        if name.is_null() {
            decref(prop_doc);
            return -1;
        }
        let r = crate::object::setattr(op, name, prop_doc);
        decref(name);
        decref(prop_doc);
        if r < 0 {
            if p.getter_doc == 0 && crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
                crate::pyerrors::clear();
                return 0;
            }
            return -1;
        }
        0
    }
}

/// `getter`/`setter`/`deleter`: a new property of the same type with one function replaced.
unsafe fn property_copy(
    old: *mut PyObject,
    get: *mut PyObject,
    set: *mut PyObject,
    del: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `old` is a live property; the functions NULL or live.
    unsafe {
        let p = as_prop(old);
        let none = crate::object::none();
        let pick = |new: *mut PyObject, cur: *mut PyObject| {
            if !new.is_null() && new != none {
                new
            } else if !cur.is_null() {
                cur
            } else {
                none
            }
        };
        let get = pick(get, p.prop_get);
        let set = pick(set, p.prop_set);
        let del = pick(del, p.prop_del);
        // A doc taken from the old getter is taken afresh from the new one.
        let doc = if (p.getter_doc != 0 && get != none) || p.prop_doc.is_null() {
            none
        } else {
            p.prop_doc
        };
        let new = crate::abstract_::call_args(ty(old).cast(), &[get, set, del, doc]);
        if !new.is_null() && is_subtype(ty(new), &raw mut PyProperty_Type) {
            let name = p.prop_name;
            replace(&mut as_prop(new).prop_name, name);
        }
        new
    }
}

unsafe extern "C" fn property_getter(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(op, f, null_mut(), null_mut()) }
}

unsafe extern "C" fn property_setter(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(op, null_mut(), f, null_mut()) }
}

unsafe extern "C" fn property_deleter(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(op, null_mut(), null_mut(), f) }
}

unsafe extern "C" fn property_set_name(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_VARARGS contract: `args` is a tuple.
    unsafe {
        let items = crate::tupleobject::items(args);
        if items.len() != 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "__set_name__() takes 2 positional arguments but {} were given",
                    items.len()
                ),
            );
        }
        replace(&mut as_prop(op).prop_name, items[1]);
        crate::object::new_none()
    }
}

unsafe extern "C" fn property_get_name(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        match property_name(as_prop(op)) {
            Err(()) => null_mut(),
            Ok(n) if n.is_null() => raise(
                &raw mut EXC_AttributeError,
                "'property' object has no attribute '__name__'",
            ),
            Ok(n) => n,
        }
    }
}

unsafe extern "C" fn property_set_name_attr(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    // SAFETY: setter contract; `v` NULL or live.
    unsafe { replace(&mut as_prop(op).prop_name, v) };
    0
}

unsafe extern "C" fn property_get_isabstract(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract; the functions are NULL or live.
    unsafe {
        let p = as_prop(op);
        let name = uni::from_str("__isabstractmethod__");
        if name.is_null() {
            return name;
        }
        for f in [p.prop_get, p.prop_set, p.prop_del] {
            if f.is_null() {
                continue;
            }
            let mut v = null_mut();
            let r = crate::object::getattr_opt(f, name, &mut v);
            let t = if r > 0 {
                let t = crate::object::truth(v);
                decref(v);
                t
            } else {
                r
            };
            if t != 0 {
                decref(name);
                return if t < 0 {
                    null_mut()
                } else {
                    crate::boolobject::from_bool(true)
                };
            }
        }
        decref(name);
        crate::boolobject::from_bool(false)
    }
}

// ---- mappingproxy ---------------------------------------------------------------------------

/// A read-only view of a mapping (CPython's `mappingproxyobject`).
#[repr(C)]
#[derive(Debug)]
pub(crate) struct MappingProxyObject {
    pub ob_base: PyObject,
    pub mapping: *mut PyObject,
    /// For a type's `__dict__`: the type, kept alive while the proxy lives (the descriptors
    /// in its dict hold a borrowed `d_type`). NULL otherwise.
    pub owner: *mut PyObject,
}

static mut PROXY_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(proxy_len),
    mp_subscript: Some(proxy_getitem),
    mp_ass_subscript: None,
};

static mut PROXY_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: None,
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(proxy_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut PROXY_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_or: Some(proxy_or),
    nb_inplace_or: Some(proxy_ior),
    ..crate::longobject::NB_EMPTY
};

type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;

static mut PROXY_METHODS: [PyMethodDef; 6] = [
    method(
        c"get",
        proxy_get as Fast as *mut c_void,
        crate::methodobject::METH_FASTCALL,
    ),
    method(
        c"keys",
        proxy_keys as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    method(
        c"values",
        proxy_values as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    method(
        c"items",
        proxy_items as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    method(
        c"copy",
        proxy_copy as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    METHOD_END,
];

#[unsafe(no_mangle)]
pub static mut PyDictProxy_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(proxy_dealloc),
    tp_repr: Some(proxy_repr),
    tp_str: Some(proxy_str),
    tp_hash: Some(proxy_hash),
    tp_richcompare: Some(proxy_richcompare),
    tp_iter: Some(proxy_iter),
    tp_as_mapping: &raw mut PROXY_AS_MAPPING,
    tp_as_sequence: &raw mut PROXY_AS_SEQUENCE,
    tp_as_number: &raw mut PROXY_AS_NUMBER,
    tp_methods: (&raw mut PROXY_METHODS).cast(),
    tp_new: Some(proxy_new),
    ..static_type(
        c"mappingproxy",
        std::mem::size_of::<MappingProxyObject>(),
        0,
        crate::object::Py_TPFLAGS_MAPPING,
    )
};

unsafe fn mapping_of(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: callers pass a live mappingproxy.
    unsafe { (*op.cast::<MappingProxyObject>()).mapping }
}

/// `PyDictProxy_New`: checks that `mapping` is a mapping (not a list or tuple).
///
/// # Safety
/// `mapping` must be a live object.
pub(crate) unsafe fn dictproxy_new(mapping: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(mapping);
        let is_mapping = (*t)
            .tp_as_mapping
            .as_ref()
            .is_some_and(|m| m.mp_subscript.is_some());
        if !is_mapping
            || crate::object::has_flag(mapping, crate::object::Py_TPFLAGS_LIST_SUBCLASS)
            || crate::tupleobject::is_tuple(mapping)
        {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "mappingproxy() argument must be a mapping, not {}",
                    type_name(t)
                ),
            );
        }
        let op = crate::objimpl::alloc_object(&raw mut PyDictProxy_Type, 0);
        if !op.is_null() {
            let p = op.cast::<MappingProxyObject>();
            (*p).mapping = new_ref(mapping);
            (*p).owner = null_mut();
        }
        op
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyDictProxy_New(mapping: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    crate::ffi_guard::guard("PyDictProxy_New", null_mut(), || unsafe {
        if mapping.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        dictproxy_new(mapping)
    })
}

unsafe extern "C" fn proxy_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let mut mapping = pos.first().copied().unwrap_or(null_mut());
        let mut n = pos.len();
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                if uni::as_str(k) != Some("mapping") {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "mappingproxy() got an unexpected keyword argument '{}'",
                            uni::as_str(k).unwrap_or("?")
                        ),
                    );
                }
                if !mapping.is_null() {
                    return raise(
                        &raw mut EXC_TypeError,
                        "argument for mappingproxy() given by name ('mapping') and position (1)",
                    );
                }
                mapping = v;
                n += 1;
            }
        }
        if n > 1 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("mappingproxy() takes at most 1 argument ({n} given)"),
            );
        }
        if mapping.is_null() {
            return raise(
                &raw mut EXC_TypeError,
                "mappingproxy() missing required argument 'mapping' (pos 1)",
            );
        }
        dictproxy_new(mapping)
    }
}

/// `type.__dict__`: a proxy of the type's dict that keeps the type alive.
///
/// # Safety
/// `t` must be a type object with a dict.
pub(crate) unsafe fn type_dict_proxy(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let p = dictproxy_new((*t).tp_dict);
        if !p.is_null() {
            (*p.cast::<MappingProxyObject>()).owner = new_ref(t.cast());
        }
        p
    }
}

unsafe extern "C" fn proxy_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead mappingproxy (slot contract).
    unsafe {
        xdecref((*op.cast::<MappingProxyObject>()).owner);
        xdecref(mapping_of(op));
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn proxy_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe {
        let r = crate::object::repr(mapping_of(op));
        if r.is_null() {
            return r;
        }
        let s = format!("mappingproxy({})", uni::as_str(r).unwrap_or(""));
        decref(r);
        uni::from_str(&s)
    }
}

unsafe extern "C" fn proxy_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::object::str(mapping_of(op)) }
}

unsafe extern "C" fn proxy_hash(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::object::hash(mapping_of(op)) }
}

unsafe extern "C" fn proxy_richcompare(
    op: *mut PyObject,
    w: *mut PyObject,
    cmp: c_int,
) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy, `w` live (slot contract).
    unsafe { crate::abstract_::rich_compare(mapping_of(op), w, cmp) }
}

unsafe extern "C" fn proxy_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::abstract_::get_iter(mapping_of(op)) }
}

unsafe extern "C" fn proxy_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::abstract_::size(mapping_of(op)) }
}

unsafe extern "C" fn proxy_getitem(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::abstract_::get_item(mapping_of(op), key) }
}

unsafe extern "C" fn proxy_contains(op: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe {
        let m = mapping_of(op);
        if ty(m) == &raw mut crate::dictobject::PyDict_Type {
            crate::dictobject::PyDict_Contains(m, key)
        } else {
            crate::abstract_::contains(m, key)
        }
    }
}

unsafe extern "C" fn proxy_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands (slot contract).
    unsafe {
        let unwrap = |o: *mut PyObject| {
            if ty(o) == &raw mut PyDictProxy_Type {
                mapping_of(o)
            } else {
                o
            }
        };
        crate::abstract_::PyNumber_Or(unwrap(a), unwrap(b))
    }
}

unsafe extern "C" fn proxy_ior(a: *mut PyObject, _b: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live operand (slot contract).
    let tn = unsafe { type_name(ty(a)) };
    raise(
        &raw mut EXC_TypeError,
        &format!("'|=' is not supported by {tn}; use '|' instead"),
    )
}

unsafe extern "C" fn proxy_get(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract: `args` holds `nargs` live objects.
    unsafe {
        if !(1..=2).contains(&nargs) {
            let msg = if nargs < 1 {
                format!("get expected at least 1 argument, got {nargs}")
            } else {
                format!("get expected at most 2 arguments, got {nargs}")
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let a = std::slice::from_raw_parts(args, nargs as usize);
        crate::abstract_::call_method(mapping_of(op), "get", a)
    }
}

unsafe extern "C" fn proxy_keys(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "keys", &[]) }
}

unsafe extern "C" fn proxy_values(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "values", &[]) }
}

unsafe extern "C" fn proxy_items(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "items", &[]) }
}

unsafe extern "C" fn proxy_copy(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "copy", &[]) }
}
