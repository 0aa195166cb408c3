//! gilgate's own `operator` module (CPython's `Lib/operator.py` over `Modules/_operator.c`,
//! written natively): the functions of the abstract protocol (`add` ... `is_not_none`), their
//! dunder aliases (`__add__` is `add`, as `operator.py` binds them), and the three callable
//! types `attrgetter` (dotted names split once), `itemgetter` and `methodcaller`, with
//! CPython's reprs, `__reduce__` and error texts.

use crate::bytes_methods::def;
use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, incref, xdecref};
use std::ffi::CStr;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// `_PyArg_CheckPositional`'s test: false with CPython's "NAME expected ..." error set.
fn check(name: &str, n: usize, min: usize, max: usize) -> bool {
    crate::getargs::check_positional(
        Some(name),
        n as Py_ssize_t,
        min as Py_ssize_t,
        max as Py_ssize_t,
    )
}

/// A tuple holding new references to `items`.
///
/// # Safety
/// Every item is live.
unsafe fn tuple_of(items: &[*mut PyObject]) -> *mut PyObject {
    let t = crate::tupleobject::new_tuple(items.len());
    if t.is_null() {
        return t;
    }
    for (i, &v) in items.iter().enumerate() {
        // SAFETY: a fresh tuple; `v` live (forwarded contract).
        unsafe {
            incref(v);
            crate::tupleobject::PyTuple_SetItem(t, i as isize, v);
        }
    }
    t
}

/// A new bool (or NULL on error, `r < 0`).
fn bool_of(r: std::ffi::c_int) -> *mut PyObject {
    if r < 0 {
        null_mut()
    } else {
        crate::boolobject::from_bool(r != 0)
    }
}

macro_rules! binary {
    ($($f:ident, $name:literal, |$x:ident, $y:ident| $body:expr;)*) => {$(
        /// One of `operator`'s two-argument functions.
        unsafe fn $f(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
            if !check($name, a.len(), 2, 2) {
                return null_mut();
            }
            let ($x, $y) = (a[0], a[1]);
            // SAFETY: two live arguments (method contract) for the protocol call.
            unsafe { $body }
        }
    )*};
}

use crate::abstract_ as ab;

binary! {
    op_add, "add", |a, b| ab::PyNumber_Add(a, b);
    op_sub, "sub", |a, b| ab::PyNumber_Subtract(a, b);
    op_mul, "mul", |a, b| ab::PyNumber_Multiply(a, b);
    op_matmul, "matmul", |a, b| ab::PyNumber_MatrixMultiply(a, b);
    op_floordiv, "floordiv", |a, b| ab::PyNumber_FloorDivide(a, b);
    op_truediv, "truediv", |a, b| ab::PyNumber_TrueDivide(a, b);
    op_mod, "mod", |a, b| ab::PyNumber_Remainder(a, b);
    op_lshift, "lshift", |a, b| ab::PyNumber_Lshift(a, b);
    op_rshift, "rshift", |a, b| ab::PyNumber_Rshift(a, b);
    op_and, "and_", |a, b| ab::PyNumber_And(a, b);
    op_or, "or_", |a, b| ab::PyNumber_Or(a, b);
    op_xor, "xor", |a, b| ab::PyNumber_Xor(a, b);
    op_pow, "pow", |a, b| ab::PyNumber_Power(a, b, crate::object::none());
    op_iadd, "iadd", |a, b| ab::PyNumber_InPlaceAdd(a, b);
    op_isub, "isub", |a, b| ab::PyNumber_InPlaceSubtract(a, b);
    op_imul, "imul", |a, b| ab::PyNumber_InPlaceMultiply(a, b);
    op_imatmul, "imatmul", |a, b| ab::PyNumber_InPlaceMatrixMultiply(a, b);
    op_ifloordiv, "ifloordiv", |a, b| ab::PyNumber_InPlaceFloorDivide(a, b);
    op_itruediv, "itruediv", |a, b| ab::PyNumber_InPlaceTrueDivide(a, b);
    op_imod, "imod", |a, b| ab::PyNumber_InPlaceRemainder(a, b);
    op_ilshift, "ilshift", |a, b| ab::PyNumber_InPlaceLshift(a, b);
    op_irshift, "irshift", |a, b| ab::PyNumber_InPlaceRshift(a, b);
    op_iand, "iand", |a, b| ab::PyNumber_InPlaceAnd(a, b);
    op_ior, "ior", |a, b| ab::PyNumber_InPlaceOr(a, b);
    op_ixor, "ixor", |a, b| ab::PyNumber_InPlaceXor(a, b);
    op_ipow, "ipow", |a, b| ab::PyNumber_InPlacePower(a, b, crate::object::none());
    op_concat, "concat", |a, b| ab::PySequence_Concat(a, b);
    op_iconcat, "iconcat", |a, b| ab::PySequence_InPlaceConcat(a, b);
    op_lt, "lt", |a, b| ab::PyObject_RichCompare(a, b, 0);
    op_le, "le", |a, b| ab::PyObject_RichCompare(a, b, 1);
    op_eq, "eq", |a, b| ab::PyObject_RichCompare(a, b, 2);
    op_ne, "ne", |a, b| ab::PyObject_RichCompare(a, b, 3);
    op_gt, "gt", |a, b| ab::PyObject_RichCompare(a, b, 4);
    op_ge, "ge", |a, b| ab::PyObject_RichCompare(a, b, 5);
    op_contains, "contains", |a, b| bool_of(ab::PySequence_Contains(a, b));
    op_getitem, "getitem", |a, b| ab::PyObject_GetItem(a, b);
    op_delitem, "delitem", |a, b| none_or(ab::PyObject_DelItem(a, b));
    op_count_of, "countOf", |a, b| ssize(ab::PySequence_Count(a, b));
    op_index_of, "indexOf", |a, b| ssize(ab::PySequence_Index(a, b));
}

unsafe fn op_is(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !check("is_", a.len(), 2, 2) {
        return null_mut();
    }
    crate::boolobject::from_bool(a[0] == a[1])
}

unsafe fn op_is_not(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !check("is_not", a.len(), 2, 2) {
        return null_mut();
    }
    crate::boolobject::from_bool(a[0] != a[1])
}

/// None for a C status 0, NULL for -1.
fn none_or(r: std::ffi::c_int) -> *mut PyObject {
    if r < 0 {
        null_mut()
    } else {
        crate::object::new_none()
    }
}

/// An int for a C size, NULL for -1 (the error is set).
fn ssize(r: Py_ssize_t) -> *mut PyObject {
    if r < 0 {
        null_mut()
    } else {
        crate::longobject::from_i64(r as i64)
    }
}

unsafe fn op_setitem(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !check("setitem", a.len(), 3, 3) {
        return null_mut();
    }
    // SAFETY: three live arguments.
    none_or(unsafe { ab::PyObject_SetItem(a[0], a[1], a[2]) })
}

unsafe fn op_neg(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { ab::PyNumber_Negative(a) }
}
unsafe fn op_pos(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { ab::PyNumber_Positive(a) }
}
unsafe fn op_abs(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { ab::PyNumber_Absolute(a) }
}
unsafe fn op_inv(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { ab::PyNumber_Invert(a) }
}
unsafe fn op_index(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { ab::PyNumber_Index(a) }
}
unsafe fn op_not(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    bool_of(unsafe { crate::object::PyObject_Not(a) })
}
unsafe fn op_truth(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    bool_of(unsafe { crate::object::PyObject_IsTrue(a) })
}
unsafe fn op_is_none(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    crate::boolobject::from_bool(a == crate::object::none())
}
unsafe fn op_is_not_none(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    crate::boolobject::from_bool(a != crate::object::none())
}

/// `length_hint(obj, default=0, /)`.
unsafe fn op_length_hint(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !check("length_hint", a.len(), 1, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let mut default: Py_ssize_t = 0;
        if a.len() == 2 {
            let i = ab::PyNumber_Index(a[1]);
            if i.is_null() {
                return null_mut();
            }
            default = crate::longobject::PyLong_AsSsize_t(i);
            decref(i);
            if default == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                return null_mut();
            }
        }
        let r = ab::PyObject_LengthHint(a[0], default);
        if r < 0 && !crate::pyerrors::PyErr_Occurred().is_null() {
            return null_mut();
        }
        crate::longobject::from_i64(r as i64)
    }
}

/// `call(obj, /, *args, **kwargs)`.
unsafe fn op_call(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    if !check("call", n as usize, 1, usize::MAX >> 1) {
        return null_mut();
    }
    // SAFETY: vectorcall arguments: `n` positional ones, then the keywords' values.
    unsafe { ab::PyObject_Vectorcall(*args, args.add(1), (n - 1) as usize, kwnames) }
}

static mut FUNCTIONS: [PyMethodDef; 55] = [
    def!(c"abs", o, op_abs),
    def!(c"add", fast, op_add),
    def!(c"and_", fast, op_and),
    def!(c"call", kw, op_call),
    def!(c"concat", fast, op_concat),
    def!(c"contains", fast, op_contains),
    def!(c"countOf", fast, op_count_of),
    def!(c"delitem", fast, op_delitem),
    def!(c"eq", fast, op_eq),
    def!(c"floordiv", fast, op_floordiv),
    def!(c"ge", fast, op_ge),
    def!(c"getitem", fast, op_getitem),
    def!(c"gt", fast, op_gt),
    def!(c"iadd", fast, op_iadd),
    def!(c"iand", fast, op_iand),
    def!(c"iconcat", fast, op_iconcat),
    def!(c"ifloordiv", fast, op_ifloordiv),
    def!(c"ilshift", fast, op_ilshift),
    def!(c"imatmul", fast, op_imatmul),
    def!(c"imod", fast, op_imod),
    def!(c"imul", fast, op_imul),
    def!(c"index", o, op_index),
    def!(c"indexOf", fast, op_index_of),
    def!(c"inv", o, op_inv),
    def!(c"invert", o, op_inv),
    def!(c"ior", fast, op_ior),
    def!(c"ipow", fast, op_ipow),
    def!(c"irshift", fast, op_irshift),
    def!(c"is_", fast, op_is),
    def!(c"is_none", o, op_is_none),
    def!(c"is_not", fast, op_is_not),
    def!(c"is_not_none", o, op_is_not_none),
    def!(c"isub", fast, op_isub),
    def!(c"itruediv", fast, op_itruediv),
    def!(c"ixor", fast, op_ixor),
    def!(c"le", fast, op_le),
    def!(c"length_hint", fast, op_length_hint),
    def!(c"lshift", fast, op_lshift),
    def!(c"lt", fast, op_lt),
    def!(c"matmul", fast, op_matmul),
    def!(c"mod", fast, op_mod),
    def!(c"mul", fast, op_mul),
    def!(c"ne", fast, op_ne),
    def!(c"neg", o, op_neg),
    def!(c"not_", o, op_not),
    def!(c"or_", fast, op_or),
    def!(c"pos", o, op_pos),
    def!(c"pow", fast, op_pow),
    def!(c"rshift", fast, op_rshift),
    def!(c"setitem", fast, op_setitem),
    def!(c"sub", fast, op_sub),
    def!(c"truediv", fast, op_truediv),
    def!(c"truth", o, op_truth),
    def!(c"xor", fast, op_xor),
    PyMethodDef::END,
];

/// The dunder aliases `operator.py` binds (`__add__ = add`), as (alias, function).
const ALIASES: [(&str, &str); 46] = [
    ("__lt__", "lt"),
    ("__le__", "le"),
    ("__eq__", "eq"),
    ("__ne__", "ne"),
    ("__ge__", "ge"),
    ("__gt__", "gt"),
    ("__not__", "not_"),
    ("__abs__", "abs"),
    ("__add__", "add"),
    ("__and__", "and_"),
    ("__call__", "call"),
    ("__floordiv__", "floordiv"),
    ("__index__", "index"),
    ("__inv__", "inv"),
    ("__invert__", "invert"),
    ("__lshift__", "lshift"),
    ("__mod__", "mod"),
    ("__mul__", "mul"),
    ("__matmul__", "matmul"),
    ("__neg__", "neg"),
    ("__or__", "or_"),
    ("__pos__", "pos"),
    ("__pow__", "pow"),
    ("__rshift__", "rshift"),
    ("__sub__", "sub"),
    ("__truediv__", "truediv"),
    ("__xor__", "xor"),
    ("__concat__", "concat"),
    ("__contains__", "contains"),
    ("__delitem__", "delitem"),
    ("__getitem__", "getitem"),
    ("__setitem__", "setitem"),
    ("__iadd__", "iadd"),
    ("__iand__", "iand"),
    ("__iconcat__", "iconcat"),
    ("__ifloordiv__", "ifloordiv"),
    ("__ilshift__", "ilshift"),
    ("__imod__", "imod"),
    ("__imul__", "imul"),
    ("__imatmul__", "imatmul"),
    ("__ior__", "ior"),
    ("__ipow__", "ipow"),
    ("__irshift__", "irshift"),
    ("__isub__", "isub"),
    ("__itruediv__", "itruediv"),
    ("__ixor__", "ixor"),
];

// ---- attrgetter, itemgetter, methodcaller ---------------------------------------------------

/// An `attrgetter` (`attrs`: a tuple whose items are a str, or a tuple of strs for a dotted
/// name), an `itemgetter` (`attrs`: the items; one item gives the item, more give a tuple) or
/// a `methodcaller` (`attrs`: the name then the arguments; `kwargs`: a dict or NULL).
#[repr(C)]
struct Getter {
    ob_base: PyObject,
    attrs: *mut PyObject,
    kwargs: *mut PyObject,
}

/// # Safety
/// `op` is a live getter.
unsafe fn parts<'a>(op: *mut PyObject) -> (&'a [*mut PyObject], *mut PyObject) {
    // SAFETY: forwarded contract; `attrs` is a tuple for the object's life.
    unsafe {
        let g = &*op.cast::<Getter>();
        (crate::tupleobject::items(g.attrs), g.kwargs)
    }
}

/// A new getter of type `t` holding `attrs` and `kwargs` (references taken).
///
/// # Safety
/// `t` is one of the three types; `attrs` a tuple; `kwargs` NULL or a dict.
unsafe fn new_getter(
    t: *mut PyTypeObject,
    attrs: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            decref(attrs);
            xdecref(kwargs);
            return op;
        }
        let g = &mut *op.cast::<Getter>();
        g.attrs = attrs;
        g.kwargs = kwargs;
        op
    }
}

unsafe extern "C" fn getter_dealloc(op: *mut PyObject) {
    // SAFETY: a dead getter (slot contract): its fields are owned.
    unsafe {
        let g = &mut *op.cast::<Getter>();
        xdecref(g.attrs);
        xdecref(g.kwargs);
        crate::objimpl::default_dealloc(op);
    }
}

/// `_PyArg_NoKeywords`: false with "NAME() takes no keyword arguments" set.
///
/// # Safety
/// `kw` is NULL or a dict.
unsafe fn no_keywords(name: &str, kw: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        if !kw.is_null() && !crate::dictobject::entries(kw).is_empty() {
            raise(
                &raw mut EXC_TypeError,
                &format!("{name}() takes no keyword arguments"),
            );
            return false;
        }
    }
    true
}

/// The one argument of a getter's call.
///
/// # Safety
/// `args` a tuple, `kw` NULL or a dict.
unsafe fn one_arg(name: &str, args: *mut PyObject, kw: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if !no_keywords(name, kw) {
            return None;
        }
        let a = crate::tupleobject::items(args);
        if !check(name, a.len(), 1, 1) {
            return None;
        }
        Some(a[0])
    }
}

unsafe extern "C" fn attrgetter_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("operator.attrgetter", null_mut(), || {
        // SAFETY: tp_new contract: a tuple and NULL or a dict.
        unsafe {
            if !no_keywords("attrgetter", kw) {
                return null_mut();
            }
            let a = crate::tupleobject::items(args);
            if a.is_empty() {
                check("attrgetter", 0, 1, 1);
                return null_mut();
            }
            let mut out = Vec::with_capacity(a.len());
            for &name in a {
                let Some(s) = crate::unicodeobject::as_str(name)
                    .filter(|_| crate::unicodeobject::is_str(name))
                else {
                    for o in out {
                        decref(o);
                    }
                    return raise(&raw mut EXC_TypeError, "attribute name must be a string");
                };
                if s.contains('.') {
                    let pieces: Vec<*mut PyObject> =
                        s.split('.').map(crate::unicodeobject::intern).collect();
                    out.push(tuple_of(&pieces));
                } else {
                    out.push(tuple_of(&[crate::unicodeobject::intern(s)]));
                    let last = out.pop().unwrap_or(null_mut());
                    let first = crate::tupleobject::items(last)[0];
                    incref(first);
                    decref(last);
                    out.push(first);
                }
            }
            let attrs = crate::tupleobject::new_tuple(out.len());
            for (i, o) in out.into_iter().enumerate() {
                crate::tupleobject::PyTuple_SetItem(attrs, i as isize, o);
            }
            new_getter(t, attrs, null_mut())
        }
    })
}

/// `getattr` along one dotted name (a str, or a tuple of its pieces).
///
/// # Safety
/// Both live.
unsafe fn get_dotted(obj: *mut PyObject, attr: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::unicodeobject::is_str(attr) {
            return crate::object::PyObject_GetAttr(obj, attr);
        }
        incref(obj);
        let mut cur = obj;
        for &p in crate::tupleobject::items(attr) {
            let next = crate::object::PyObject_GetAttr(cur, p);
            decref(cur);
            if next.is_null() {
                return next;
            }
            cur = next;
        }
        cur
    }
}

unsafe extern "C" fn attrgetter_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("operator.attrgetter", null_mut(), || {
        // SAFETY: tp_call contract on a live attrgetter.
        unsafe {
            let Some(obj) = one_arg("attrgetter", args, kw) else {
                return null_mut();
            };
            let (attrs, _) = parts(op);
            if attrs.len() == 1 {
                return get_dotted(obj, attrs[0]);
            }
            let t = crate::tupleobject::new_tuple(attrs.len());
            for (i, &a) in attrs.iter().enumerate() {
                let v = get_dotted(obj, a);
                if v.is_null() {
                    decref(t);
                    return v;
                }
                crate::tupleobject::PyTuple_SetItem(t, i as isize, v);
            }
            t
        }
    })
}

/// The dotted names of an attrgetter, as strs (new references).
///
/// # Safety
/// `op` a live attrgetter.
unsafe fn attr_names(op: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        parts(op)
            .0
            .iter()
            .map(|&a| {
                if crate::unicodeobject::is_str(a) {
                    incref(a);
                    a
                } else {
                    let s: Vec<&str> = crate::tupleobject::items(a)
                        .iter()
                        .map(|&p| crate::unicodeobject::as_str(p).unwrap_or(""))
                        .collect();
                    crate::unicodeobject::from_str(&s.join("."))
                }
            })
            .collect()
    }
}

/// `repr(x)` as a Rust string (None: an error is set).
///
/// # Safety
/// `x` live.
unsafe fn repr_of(x: *mut PyObject) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe {
        let r = crate::object::PyObject_Repr(x);
        if r.is_null() {
            return None;
        }
        let s = crate::object::str_string(r);
        decref(r);
        Some(s)
    }
}

/// `TYPE(a, b, ...)` for the reprs of `items` (an error: NULL).
///
/// # Safety
/// Every item live.
unsafe fn call_repr(
    tname: &str,
    items: &[*mut PyObject],
    kw: &[(String, *mut PyObject)],
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let mut parts = Vec::new();
        for &i in items {
            let Some(r) = repr_of(i) else {
                return null_mut();
            };
            parts.push(r);
        }
        for (k, v) in kw {
            let Some(r) = repr_of(*v) else {
                return null_mut();
            };
            parts.push(format!("{k}={r}"));
        }
        crate::unicodeobject::from_str(&format!("{tname}({})", parts.join(", ")))
    }
}

unsafe extern "C" fn attrgetter_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live attrgetter.
    unsafe {
        let names = attr_names(op);
        let r = call_repr("operator.attrgetter", &names, &[]);
        for n in names {
            decref(n);
        }
        r
    }
}

unsafe fn attrgetter_reduce(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live attrgetter.
    unsafe {
        let names = attr_names(op);
        let args = tuple_of(&names);
        for n in names {
            decref(n);
        }
        let r = tuple_of(&[crate::object::ty(op).cast(), args]);
        decref(args);
        r
    }
}

unsafe extern "C" fn itemgetter_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("operator.itemgetter", null_mut(), || {
        // SAFETY: tp_new contract: a tuple and NULL or a dict.
        unsafe {
            if !no_keywords("itemgetter", kw) {
                return null_mut();
            }
            let a = crate::tupleobject::items(args);
            if a.is_empty() {
                check("itemgetter", 0, 1, 1);
                return null_mut();
            }
            new_getter(t, tuple_of(a), null_mut())
        }
    })
}

unsafe extern "C" fn itemgetter_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("operator.itemgetter", null_mut(), || {
        // SAFETY: tp_call contract on a live itemgetter.
        unsafe {
            let Some(obj) = one_arg("itemgetter", args, kw) else {
                return null_mut();
            };
            let (items, _) = parts(op);
            if items.len() == 1 {
                return ab::PyObject_GetItem(obj, items[0]);
            }
            let t = crate::tupleobject::new_tuple(items.len());
            for (i, &k) in items.iter().enumerate() {
                let v = ab::PyObject_GetItem(obj, k);
                if v.is_null() {
                    decref(t);
                    return v;
                }
                crate::tupleobject::PyTuple_SetItem(t, i as isize, v);
            }
            t
        }
    })
}

unsafe extern "C" fn itemgetter_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live itemgetter.
    unsafe {
        let (items, _) = parts(op);
        if items.len() == 1 {
            return call_repr("operator.itemgetter", items, &[]);
        }
        let g = &*op.cast::<Getter>();
        let Some(r) = repr_of(g.attrs) else {
            return null_mut();
        };
        crate::unicodeobject::from_str(&format!("operator.itemgetter{r}"))
    }
}

unsafe fn itemgetter_reduce(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live itemgetter.
    unsafe {
        let g = &*op.cast::<Getter>();
        tuple_of(&[crate::object::ty(op).cast(), g.attrs])
    }
}

unsafe extern "C" fn methodcaller_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("operator.methodcaller", null_mut(), || {
        // SAFETY: tp_new contract: a tuple and NULL or a dict.
        unsafe {
            let a = crate::tupleobject::items(args);
            if a.is_empty() {
                return raise(
                    &raw mut EXC_TypeError,
                    "methodcaller needs at least one argument, the method name",
                );
            }
            if !crate::unicodeobject::is_str(a[0]) {
                return raise(&raw mut EXC_TypeError, "method name must be a string");
            }
            let mut items = a.to_vec();
            let name = crate::unicodeobject::as_str(a[0])
                .map(crate::unicodeobject::intern)
                .unwrap_or(a[0]);
            items[0] = name;
            let kwargs = crate::dictobject::new_dict();
            if !kw.is_null() {
                for (k, v) in crate::dictobject::entries(kw) {
                    crate::dictobject::PyDict_SetItem(kwargs, k, v);
                }
            }
            new_getter(t, tuple_of(&items), kwargs)
        }
    })
}

unsafe extern "C" fn methodcaller_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("operator.methodcaller", null_mut(), || {
        // SAFETY: tp_call contract on a live methodcaller.
        unsafe {
            let Some(obj) = one_arg("methodcaller", args, kw) else {
                return null_mut();
            };
            let (items, kwargs) = parts(op);
            let m = crate::object::PyObject_GetAttr(obj, items[0]);
            if m.is_null() {
                return m;
            }
            let rest = tuple_of(&items[1..]);
            let kw = if crate::dictobject::entries(kwargs).is_empty() {
                null_mut()
            } else {
                kwargs
            };
            let r = ab::PyObject_Call(m, rest, kw);
            decref(rest);
            decref(m);
            r
        }
    })
}

unsafe extern "C" fn methodcaller_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live methodcaller.
    unsafe {
        let (items, kwargs) = parts(op);
        let kw: Vec<(String, *mut PyObject)> = crate::dictobject::entries(kwargs)
            .into_iter()
            .map(|(k, v)| (crate::object::str_string(k), v))
            .collect();
        call_repr("operator.methodcaller", items, &kw)
    }
}

unsafe fn methodcaller_reduce(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live methodcaller.
    unsafe {
        let (items, kwargs) = parts(op);
        let t: *mut PyObject = crate::object::ty(op).cast();
        if crate::dictobject::entries(kwargs).is_empty() {
            let g = &*op.cast::<Getter>();
            return tuple_of(&[t, g.attrs]);
        }
        // (functools.partial(type, name, **kwargs), args)
        let functools = crate::import::PyImport_ImportModule(c"functools".as_ptr());
        if functools.is_null() {
            return null_mut();
        }
        let partial = crate::object::PyObject_GetAttrString(functools, c"partial".as_ptr());
        decref(functools);
        if partial.is_null() {
            return null_mut();
        }
        let pargs = tuple_of(&[t, items[0]]);
        let p = ab::PyObject_Call(partial, pargs, kwargs);
        decref(pargs);
        decref(partial);
        if p.is_null() {
            return p;
        }
        let rest = tuple_of(&items[1..]);
        let r = tuple_of(&[p, rest]);
        decref(p);
        decref(rest);
        r
    }
}

static mut ATTRGETTER_METHODS: [PyMethodDef; 2] = [
    def!(c"__reduce__", noargs, attrgetter_reduce),
    PyMethodDef::END,
];
static mut ITEMGETTER_METHODS: [PyMethodDef; 2] = [
    def!(c"__reduce__", noargs, itemgetter_reduce),
    PyMethodDef::END,
];
static mut METHODCALLER_METHODS: [PyMethodDef; 2] = [
    def!(c"__reduce__", noargs, methodcaller_reduce),
    PyMethodDef::END,
];

pub(crate) static mut AttrGetter_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(attrgetter_new),
    tp_dealloc: Some(getter_dealloc),
    tp_repr: Some(attrgetter_repr),
    tp_call: Some(attrgetter_call),
    tp_methods: (&raw mut ATTRGETTER_METHODS).cast(),
    ..static_type(c"operator.attrgetter", size_of::<Getter>(), 0, 0)
};

pub(crate) static mut ItemGetter_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(itemgetter_new),
    tp_dealloc: Some(getter_dealloc),
    tp_repr: Some(itemgetter_repr),
    tp_call: Some(itemgetter_call),
    tp_methods: (&raw mut ITEMGETTER_METHODS).cast(),
    ..static_type(c"operator.itemgetter", size_of::<Getter>(), 0, 0)
};

pub(crate) static mut MethodCaller_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(methodcaller_new),
    tp_dealloc: Some(getter_dealloc),
    tp_repr: Some(methodcaller_repr),
    tp_call: Some(methodcaller_call),
    tp_methods: (&raw mut METHODCALLER_METHODS).cast(),
    ..static_type(c"operator.methodcaller", size_of::<Getter>(), 0, 0)
};

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut AttrGetter_Type,
        &raw mut ItemGetter_Type,
        &raw mut MethodCaller_Type,
    ]
}

/// The `operator` module (borrowed, process-lifetime; NULL with an exception if it could not
/// be made).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "operator", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("operator");
    // SAFETY: `name` is a live str; the table is static; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let all = crate::listobject::new_list(0);
        let add_all = |n: &str| {
            let s = crate::unicodeobject::from_str(n);
            crate::listobject::append(all, s);
            decref(s);
        };
        let table = &raw mut FUNCTIONS;
        for i in 0..(*table).len() - 1 {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
            let f = crate::methodobject::new_cfunction(
                ml,
                null_mut(),
                crate::unicodeobject::intern("_operator"),
                null_mut(),
            );
            if f.is_null() {
                decref(m);
                return null_mut();
            }
            let k = CStr::from_ptr((*ml).ml_name).to_string_lossy();
            crate::dictobject::set_item_str(d, &k, f);
            decref(f);
            add_all(&k);
        }
        for (alias, of) in ALIASES {
            let f = crate::dictobject::PyDict_GetItemString(
                d,
                std::ffi::CString::new(of).unwrap_or_default().as_ptr(),
            );
            if !f.is_null() {
                crate::dictobject::set_item_str(d, alias, f);
            }
        }
        for (n, t) in [
            ("attrgetter", &raw mut AttrGetter_Type),
            ("itemgetter", &raw mut ItemGetter_Type),
            ("methodcaller", &raw mut MethodCaller_Type),
        ] {
            crate::dictobject::set_item_str(d, n, t.cast());
            add_all(n);
        }
        crate::listobject::PyList_Sort(all);
        crate::dictobject::set_item_str(d, "__all__", all);
        decref(all);
        m
    }
}
