//! Slot wrappers (`<slot wrapper '__repr__' of 'T' objects>`): the Python-visible methods
//! (`__repr__`, `__add__`, `__radd__`, ...) a type gets for each C slot it fills, and how each
//! kind of slot is called from Python (CPython keeps them in `Objects/descrobject.c` and the
//! slot table in `Objects/typeobject.c`).

use super::*;

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
    /// `bf_getbuffer` as `__buffer__(flags)`: a memoryview of the object.
    Buffer,
    /// `ssizeargfunc` (`sq_repeat`, `sq_inplace_repeat`) as `__mul__(n)`/`__rmul__(n)`: the
    /// argument as an index-sized integer (OverflowError when too big).
    IndexArg,
    /// `sq_item` as `__getitem__(i)`: a negative index counts from `sq_length`.
    SqItem,
    /// `sq_ass_item` as `__setitem__(i, value)`, returning None.
    SqSetItem,
    /// `sq_ass_item` with a NULL value as `__delitem__(i)`, returning None.
    SqDelItem,
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
        name: c"__buffer__",
        kind: WrapKind::Buffer,
        get: own_slot!(tp_as_buffer.bf_getbuffer),
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
    }, // (after the number and mapping slots: where a type has both, theirs win, as in CPython)
    SlotWrapper {
        name: c"__getattribute__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_getattro),
    },
    SlotWrapper {
        name: c"__setattr__",
        kind: WrapKind::SetItem,
        get: own_slot!(tp_setattro),
    },
    SlotWrapper {
        name: c"__delattr__",
        kind: WrapKind::DelItem,
        get: own_slot!(tp_setattro),
    },
    SlotWrapper {
        name: c"__iadd__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_add),
    },
    SlotWrapper {
        name: c"__isub__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_subtract),
    },
    SlotWrapper {
        name: c"__imul__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_multiply),
    },
    SlotWrapper {
        name: c"__imod__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_remainder),
    },
    SlotWrapper {
        name: c"__ilshift__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_lshift),
    },
    SlotWrapper {
        name: c"__irshift__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_rshift),
    },
    SlotWrapper {
        name: c"__iand__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_and),
    },
    SlotWrapper {
        name: c"__ixor__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_xor),
    },
    SlotWrapper {
        name: c"__ior__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_or),
    },
    SlotWrapper {
        name: c"__ifloordiv__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_floor_divide),
    },
    SlotWrapper {
        name: c"__itruediv__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_true_divide),
    },
    SlotWrapper {
        name: c"__imatmul__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_number.nb_inplace_matrix_multiply),
    },
    SlotWrapper {
        name: c"__getitem__",
        kind: WrapKind::SqItem,
        get: own_slot!(tp_as_sequence.sq_item),
    },
    SlotWrapper {
        name: c"__setitem__",
        kind: WrapKind::SqSetItem,
        get: own_slot!(tp_as_sequence.sq_ass_item),
    },
    SlotWrapper {
        name: c"__delitem__",
        kind: WrapKind::SqDelItem,
        get: own_slot!(tp_as_sequence.sq_ass_item),
    },
    SlotWrapper {
        name: c"__add__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_sequence.sq_concat),
    },
    SlotWrapper {
        name: c"__mul__",
        kind: WrapKind::IndexArg,
        get: own_slot!(tp_as_sequence.sq_repeat),
    },
    SlotWrapper {
        name: c"__rmul__",
        kind: WrapKind::IndexArg,
        get: own_slot!(tp_as_sequence.sq_repeat),
    },
    SlotWrapper {
        name: c"__iadd__",
        kind: WrapKind::Binary,
        get: own_slot!(tp_as_sequence.sq_inplace_concat),
    },
    SlotWrapper {
        name: c"__imul__",
        kind: WrapKind::IndexArg,
        get: own_slot!(tp_as_sequence.sq_inplace_repeat),
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
            let unhashable = crate::iterobject::unhashable as *const () as usize;
            if w.kind == WrapKind::Hash && (f == not_impl || f == unhashable) {
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

pub(crate) unsafe extern "C" fn wrapper_descr_get(
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

pub(crate) unsafe extern "C" fn wrapper_descr_call(
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
            | WrapKind::Buffer
            | WrapKind::Contains
            | WrapKind::RichCompare(_)
            | WrapKind::DelItem
            | WrapKind::IndexArg
            | WrapKind::SqItem
            | WrapKind::SqDelItem
            | WrapKind::DescrDelete => Some(1),
            // CPython 3.14 names the wrapper in these two-argument checks.
            WrapKind::SetItem | WrapKind::SqSetItem | WrapKind::DescrSet => {
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
            WrapKind::Unary => crate::extcall::unary(cast!(unaryfunc), self_),
            WrapKind::Next => {
                let r = crate::extcall::unary(cast!(unaryfunc), self_);
                if r.is_null() && !crate::pyerrors::occurred() {
                    return raise(&raw mut crate::pyerrors::EXC_StopIteration, "");
                }
                r
            }
            WrapKind::Len => {
                let n = crate::extcall::ssize(cast!(lenfunc), self_);
                if n < 0 {
                    null_mut()
                } else {
                    crate::longobject::from_i128(n as i128)
                }
            }
            WrapKind::Hash => {
                let h = crate::extcall::hash(cast!(hashfunc), self_);
                if h == -1 && crate::pyerrors::occurred() {
                    null_mut()
                } else {
                    crate::longobject::from_i128(h as i128)
                }
            }
            WrapKind::Inquiry => {
                let r = crate::extcall::inquiry(cast!(inquiry), self_);
                if r < 0 {
                    null_mut()
                } else {
                    crate::boolobject::from_bool(r != 0)
                }
            }
            WrapKind::Binary => crate::extcall::binary(cast!(binaryfunc), self_, items[0]),
            WrapKind::Buffer => {
                if !crate::longobject::is_int(items[0]) {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "'{}' object cannot be interpreted as an integer",
                            crate::object::tname(items[0])
                        ),
                    );
                }
                crate::memoryobject::PyMemoryView_FromObject(self_)
            }
            WrapKind::BinaryRight => crate::extcall::binary(cast!(binaryfunc), items[0], self_),
            WrapKind::Ternary | WrapKind::TernaryRight => {
                let modulus = items.get(1).copied().unwrap_or_else(crate::object::none);
                if w.kind == WrapKind::Ternary {
                    crate::extcall::ternary(cast!(ternaryfunc), self_, items[0], modulus)
                } else {
                    crate::extcall::ternary(cast!(ternaryfunc), items[0], self_, modulus)
                }
            }
            WrapKind::SetItem | WrapKind::DelItem => {
                let value = if w.kind == WrapKind::SetItem {
                    items[1]
                } else {
                    null_mut()
                };
                if crate::extcall::objobjarg(cast!(objobjargproc), self_, items[0], value) < 0 {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
            WrapKind::Contains => {
                let r = crate::extcall::objobj(cast!(objobjproc), self_, items[0]);
                if r < 0 {
                    null_mut()
                } else {
                    crate::boolobject::from_bool(r != 0)
                }
            }
            WrapKind::RichCompare(op) => {
                crate::extcall::richcmp(cast!(richcmpfunc), self_, items[0], op)
            }
            WrapKind::Call => crate::extcall::ternary(cast!(ternaryfunc), self_, args, kw),
            WrapKind::DescrGet => {
                let none = crate::object::none();
                let opt = |o: *mut PyObject| if o == none { null_mut() } else { o };
                let obj = opt(items[0]);
                let owner = items.get(1).copied().map_or(null_mut(), opt);
                if obj.is_null() && owner.is_null() {
                    return raise(&raw mut EXC_TypeError, "__get__(None, None) is invalid");
                }
                crate::extcall::ternary(cast!(crate::object::descrgetfunc), self_, obj, owner)
            }
            WrapKind::DescrSet | WrapKind::DescrDelete => {
                let value = if w.kind == WrapKind::DescrSet {
                    items[1]
                } else {
                    null_mut()
                };
                if crate::extcall::objobjarg(
                    cast!(crate::object::descrsetfunc),
                    self_,
                    items[0],
                    value,
                ) < 0
                {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
            WrapKind::IndexArg => {
                let n = crate::abstract_::as_ssize_t(
                    items[0],
                    &raw mut crate::pyerrors::EXC_OverflowError,
                );
                if n == -1 && crate::pyerrors::occurred() {
                    return null_mut();
                }
                crate::extcall::ssizearg(cast!(crate::ffi::ssizeargfunc), self_, n)
            }
            WrapKind::SqItem | WrapKind::SqSetItem | WrapKind::SqDelItem => {
                let i = sq_index(self_, items[0]);
                if i == -1 && crate::pyerrors::occurred() {
                    return null_mut();
                }
                if w.kind == WrapKind::SqItem {
                    return crate::extcall::ssizearg(cast!(crate::ffi::ssizeargfunc), self_, i);
                }
                let value = if w.kind == WrapKind::SqSetItem {
                    items[1]
                } else {
                    null_mut()
                };
                if crate::extcall::ssizeobjarg(cast!(crate::ffi::ssizeobjargproc), self_, i, value)
                    < 0
                {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
            WrapKind::Init => {
                if crate::extcall::objobjarg(cast!(initproc), self_, args, kw) < 0 {
                    null_mut()
                } else {
                    crate::object::new_none()
                }
            }
        }
    }
}

/// The index argument of an `sq_item`/`sq_ass_item` wrapper: an index-sized integer
/// (OverflowError when too big), a negative one counted from the end when the type has
/// `sq_length` (CPython's `getindex`). -1 with an error set on failure.
///
/// # Safety
/// `self_` and `arg` must be live objects.
unsafe fn sq_index(self_: *mut PyObject, arg: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract; the sequence methods are NULL or valid.
    unsafe {
        let i = crate::abstract_::as_ssize_t(arg, &raw mut crate::pyerrors::EXC_OverflowError);
        if i == -1 && crate::pyerrors::occurred() {
            return -1;
        }
        if i >= 0 {
            return i;
        }
        let sq = (*ty(self_)).tp_as_sequence;
        match if sq.is_null() { None } else { (*sq).sq_length } {
            Some(len) => {
                let n = crate::extcall::ssize(len, self_);
                if n < 0 { -1 } else { i + n }
            }
            None => i,
        }
    }
}
