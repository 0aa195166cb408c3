//! gilgate's own `functools` module (CPython's `Lib/functools.py` over
//! `Modules/_functoolsmodule.c`, written natively).
//!
//! - `reduce` and `cmp_to_key` are builtin functions of `_functools`; `cmp_to_key` gives
//!   `functools.KeyWrapper` objects, as CPython's C version does.
//! - `partial` (CPython 3.14t's object layout, with `Placeholder`) and `partialmethod` are in
//!   `functools/partial.rs`.
//! - `lru_cache`, `cache` and `cached_property` are in `functools/lru.rs`, `singledispatch`
//!   and `singledispatchmethod` in `functools/dispatch.rs`.
//! - `update_wrapper`, `wraps`, `total_ordering`, `lru_cache`, `cache` and `singledispatch`
//!   are functions (`abc::Func`); `wraps` returns `partial(update_wrapper, wrapped=...)` as
//!   CPython's does, and `lru_cache(maxsize)` returns a partial of a private decorating
//!   function (CPython's is a closure).
//! - `_lru_cache_wrapper` keeps its cache in a dict ordered from least to most recently used
//!   (a hit moves the key to the end; an insert past `maxsize` drops the first key). The
//!   bookkeeping runs under the wrapper's critical section, the user function outside it, so
//!   a shared cache is safe from many threads and a recursive cached function works.
//! - `cached_property`, `singledispatchmethod` and singledispatch's function are static types
//!   (CPython's are a Python class and a Python function), written before `type()` filled
//!   slots from a class's dunders (`__get__` would now reach `tp_descr_get`).
//! - Dispatch: the first class of the argument's `__mro__` that is registered wins; registered
//!   classes that are not in the `__mro__` (ABCs the class is registered with) are placed after
//!   the last class of the `__mro__` that is their subclass, and two unrelated ones matching at
//!   the same place raise CPython's "Ambiguous dispatch" (CPython runs a C3 merge; the order is
//!   the same for the usual cases).

mod dispatch;
mod lru;
mod partial;

use crate::abc::{FuncDef, Kind, Obj, call, getattr, getattr_opt, new_func};
use crate::bytes_methods::def;
use crate::descrobject::PyGetSetDef;
use crate::methodobject::PyMethodDef;
use crate::object::{Py_TPFLAGS_BASETYPE, PyObject, PyTypeObject, none, static_type, ty};
use crate::pyerrors::{EXC_AttributeError, EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicIsize, Ordering};

use dispatch::f_singledispatch;
pub(crate) use dispatch::{Dispatch_Type, DispatchGet_Type, DispatchMethod_Type};
pub(crate) use lru::{CachedProperty_Type, LruWrapper_Type};
use lru::{f_cache, f_lru_cache};
pub(crate) use partial::{Partial_Type, PartialMethod_Type, Placeholder_Type};

fn s(v: &str) -> *mut PyObject {
    uni::from_str(v)
}

fn err_type(msg: &str) -> *mut PyObject {
    raise(&raw mut EXC_TypeError, msg)
}

/// `setattr(o, name, v)`: negative with the error set.
unsafe fn setattr_str(o: *mut PyObject, name: &str, v: *mut PyObject) -> std::ffi::c_int {
    // SAFETY: live objects (caller).
    unsafe { crate::object::setattr(o, uni::intern(name), v) }
}

/// The `__dict__` entry of a type with `tp_dictoffset`.
const fn getset_dict() -> PyGetSetDef {
    PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(crate::typeobject::PyObject_GenericGetDict),
        set: Some(crate::typeobject::PyObject_GenericSetDict),
        doc: std::ptr::null(),
        closure: null_mut(),
    }
}

/// `partial(func, *args, **kw)` (kw NULL or a dict).
unsafe fn new_partial_from(
    func: *mut PyObject,
    args: &[*mut PyObject],
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe { partial::new_partial_raw(&raw mut Partial_Type, func, &[], args, null_mut(), kw) }
}

/// `repr(o)` as a Rust string (None with the error set).
unsafe fn repr_str(o: *mut PyObject) -> Option<String> {
    // SAFETY: a live object (caller).
    unsafe { partial::reprs(&[o]).map(|mut v| v.remove(0)) }
}

/// A dict from `(name, value)` pairs (values borrowed).
unsafe fn dict_of(pairs: &[(&str, *mut PyObject)]) -> Obj {
    let d = Obj::new(crate::dictobject::new_dict());
    if d.is_null() {
        return d;
    }
    for &(k, v) in pairs {
        // SAFETY: a fresh dict; live values (caller).
        if unsafe { crate::dictobject::set_item_str(d.ptr(), k, v) } < 0 {
            return Obj::new(null_mut());
        }
    }
    d
}

/// Argument Clinic's unpacking: `pos` then the keyword pairs matched to `names` (the first
/// `required` of them required); CPython's messages, missing arguments before unknown
/// keywords. None with the error set.
fn parse_args(
    fname: &str,
    names: &[&str],
    required: usize,
    pos: &[*mut PyObject],
    kw: &[(*mut PyObject, *mut PyObject)],
) -> Option<Vec<*mut PyObject>> {
    let total = pos.len() + kw.len();
    if total > names.len() {
        let s = if names.len() == 1 { "" } else { "s" };
        err_type(&format!(
            "{fname}() takes at most {} argument{s} ({total} given)",
            names.len()
        ));
        return None;
    }
    let mut out: Vec<*mut PyObject> = vec![null_mut(); names.len()];
    out[..pos.len()].copy_from_slice(pos);
    let mut used = vec![false; kw.len()];
    for (i, name) in names.iter().enumerate() {
        for (j, &(k, v)) in kw.iter().enumerate() {
            // SAFETY: keyword names are live strs.
            if unsafe { uni::as_str(k) } == Some(name) {
                if i < pos.len() {
                    err_type(&format!(
                        "argument for {fname}() given by name ('{name}') and position ({})",
                        i + 1
                    ));
                    return None;
                }
                out[i] = v;
                used[j] = true;
            }
        }
        if i < required && out[i].is_null() {
            err_type(&format!(
                "{fname}() missing required argument '{name}' (pos {})",
                i + 1
            ));
            return None;
        }
    }
    if let Some(j) = used.iter().position(|u| !u) {
        // SAFETY: keyword names are live strs.
        let k = unsafe { uni::as_str(kw[j].0) }.unwrap_or("");
        err_type(&format!(
            "{fname}() got an unexpected keyword argument '{k}'"
        ));
        return None;
    }
    Some(out)
}

/// The keyword pairs of a dict (NULL: none), borrowed.
unsafe fn kw_pairs(kw: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    if kw.is_null() {
        Vec::new()
    } else {
        // SAFETY: a live dict (caller).
        unsafe { crate::dictobject::entries(kw) }
    }
}

/// The keyword pairs of a vectorcall.
unsafe fn vc_pairs(
    args: *const *mut PyObject,
    n: usize,
    kwnames: *mut PyObject,
) -> Vec<(*mut PyObject, *mut PyObject)> {
    if kwnames.is_null() {
        return Vec::new();
    }
    // SAFETY: vectorcall contract: the keywords' values follow the positional ones.
    unsafe {
        let names = crate::tupleobject::items(kwnames);
        let vals = std::slice::from_raw_parts(args.add(n), names.len());
        names.iter().copied().zip(vals.iter().copied()).collect()
    }
}

// ---- reduce, cmp_to_key ---------------------------------------------------------------------

unsafe fn f_reduce(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS: `n` positional arguments then the keywords'.
    unsafe {
        let n = n as usize;
        let nk = if kwnames.is_null() {
            0
        } else {
            crate::tupleobject::items(kwnames).len()
        };
        let all = std::slice::from_raw_parts(args, n + nk);
        let mut initial = null_mut();
        if n > 3 || n + nk > 3 {
            return err_type(&format!(
                "reduce() takes at most 3 arguments ({} given)",
                n + nk
            ));
        }
        if n < 2 {
            return err_type(&format!(
                "reduce() takes at least 2 positional arguments ({n} given)"
            ));
        }
        if n == 3 {
            initial = all[2];
        }
        for i in 0..nk {
            let k = crate::tupleobject::items(kwnames)[i];
            let ks = uni::as_str(k).unwrap_or("");
            if ks == "initial" && initial.is_null() {
                initial = all[n + i];
            } else if ks == "initial" {
                return err_type(
                    "argument for reduce() given by name ('initial') and position (3)",
                );
            } else {
                return err_type(&format!(
                    "reduce() got an unexpected keyword argument '{ks}'"
                ));
            }
        }
        let (func, seq) = (all[0], all[1]);
        let it = Obj::new(crate::abstract_::get_iter(seq));
        if it.is_null() {
            if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                crate::pyerrors::PyErr_Clear();
                return err_type("reduce() arg 2 must support iteration");
            }
            return null_mut();
        }
        let mut acc = if initial.is_null() {
            Obj::new(null_mut())
        } else {
            Obj::new(new_ref(initial))
        };
        loop {
            let x = Obj::new(crate::abstract_::iter_next(it.ptr()));
            if x.is_null() {
                if crate::pyerrors::PyErr_Occurred().is_null() {
                    break;
                }
                return null_mut();
            }
            if acc.is_null() {
                acc = x;
            } else {
                let r = Obj::new(crate::abstract_::call_args(func, &[acc.ptr(), x.ptr()]));
                if r.is_null() {
                    return null_mut();
                }
                acc = r;
            }
        }
        if acc.is_null() {
            return err_type("reduce() of empty iterable with no initial value");
        }
        acc.into_raw()
    }
}

/// `functools.KeyWrapper`: the comparison function and the wrapped object (NULL in the one
/// `cmp_to_key` returns).
#[repr(C)]
struct KeyWrapper {
    ob_base: PyObject,
    cmp: *mut PyObject,
    object: *mut PyObject,
}

unsafe fn new_key(cmp: *mut PyObject, object: *mut PyObject) -> *mut PyObject {
    // SAFETY: the type is ready; live objects (caller).
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut KeyWrapper_Type, 0);
        if op.is_null() {
            return op;
        }
        let k = &mut *op.cast::<KeyWrapper>();
        k.cmp = new_ref(cmp);
        k.object = if object.is_null() {
            null_mut()
        } else {
            new_ref(object)
        };
        op
    }
}

unsafe fn f_cmp_to_key(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let pos = std::slice::from_raw_parts(args, n as usize);
        let kw = vc_pairs(args, n as usize, kwnames);
        match parse_args("cmp_to_key", &["mycmp"], 1, pos, &kw) {
            Some(v) => new_key(v[0], null_mut()),
            None => null_mut(),
        }
    }
}

unsafe extern "C" fn key_dealloc(op: *mut PyObject) {
    // SAFETY: a dead KeyWrapper.
    unsafe {
        let k = &mut *op.cast::<KeyWrapper>();
        xdecref(k.cmp);
        xdecref(k.object);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn key_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.KeyWrapper", null_mut(), || {
        // SAFETY: tp_call contract.
        unsafe {
            let a = crate::tupleobject::items(args);
            let Some(v) = parse_args("K", &["obj"], 1, a, &kw_pairs(kw)) else {
                return null_mut();
            };
            let obj = v[0];
            new_key((*op.cast::<KeyWrapper>()).cmp, obj)
        }
    })
}

unsafe extern "C" fn key_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: std::ffi::c_int,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.KeyWrapper", null_mut(), || {
        // SAFETY: live objects (slot contract).
        unsafe {
            if !crate::object::type_check(b, &raw mut KeyWrapper_Type) {
                return err_type("other argument must be K instance");
            }
            let (ka, kb) = (&*a.cast::<KeyWrapper>(), &*b.cast::<KeyWrapper>());
            if ka.object.is_null() || kb.object.is_null() {
                return raise(&raw mut EXC_AttributeError, "object");
            }
            let r = Obj::new(crate::abstract_::call_args(ka.cmp, &[ka.object, kb.object]));
            if r.is_null() {
                return null_mut();
            }
            let zero = Obj::new(crate::longobject::from_i64(0));
            crate::abstract_::rich_compare(r.ptr(), zero.ptr(), op)
        }
    })
}

unsafe extern "C" fn key_obj(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live KeyWrapper.
    unsafe {
        let o = (*op.cast::<KeyWrapper>()).object;
        new_ref(if o.is_null() { none() } else { o })
    }
}

static mut KEY_GETSET: [PyGetSetDef; 2] = [
    PyGetSetDef {
        name: c"obj".as_ptr(),
        get: Some(key_obj),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

pub(crate) static mut KeyWrapper_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(key_dealloc),
    tp_call: Some(key_call),
    tp_richcompare: Some(key_richcompare),
    tp_hash: Some(crate::typeobject::PyObject_HashNotImplemented),
    tp_getset: (&raw mut KEY_GETSET).cast(),
    ..static_type(c"functools.KeyWrapper", size_of::<KeyWrapper>(), 0, 0)
};

static mut FUNCTIONS: [PyMethodDef; 3] = [
    def!(c"reduce", kw, f_reduce),
    def!(c"cmp_to_key", kw, f_cmp_to_key),
    PyMethodDef::END,
];

// ---- update_wrapper, wraps ------------------------------------------------------------------

const ASSIGNMENTS: [&str; 6] = [
    "__module__",
    "__name__",
    "__qualname__",
    "__doc__",
    "__annotate__",
    "__type_params__",
];

/// The module's `WRAPPER_ASSIGNMENTS` and `WRAPPER_UPDATES` (borrowed, process-lifetime).
fn wrapper_defaults() -> (*mut PyObject, *mut PyObject) {
    static D: OnceLock<(usize, usize)> = OnceLock::new();
    let &(a, u) = D.get_or_init(|| {
        let a: Vec<*mut PyObject> = ASSIGNMENTS.iter().map(|x| uni::intern(x)).collect();
        // SAFETY: interned strs are live.
        unsafe {
            let a = crate::tupleobject::from_slice(&a);
            let u = crate::tupleobject::from_slice(&[uni::intern("__dict__")]);
            (a as usize, u as usize)
        }
    });
    (a as *mut PyObject, u as *mut PyObject)
}

/// `update_wrapper(wrapper, wrapped, assigned, updated)` as `functools.py` does it.
unsafe fn update_wrapper(
    wrapper: *mut PyObject,
    wrapped: *mut PyObject,
    assigned: *mut PyObject,
    updated: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe {
        let Ok(names) = crate::abc::collect(assigned) else {
            return null_mut();
        };
        for n in &names {
            let v = Obj::new(crate::object::getattr(wrapped, n.ptr()));
            if v.is_null() {
                if crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
                    crate::pyerrors::PyErr_Clear();
                    continue;
                }
                return null_mut();
            }
            if crate::object::setattr(wrapper, n.ptr(), v.ptr()) < 0 {
                return null_mut();
            }
        }
        let Ok(names) = crate::abc::collect(updated) else {
            return null_mut();
        };
        for n in &names {
            let target = Obj::new(crate::object::getattr(wrapper, n.ptr()));
            if target.is_null() {
                return null_mut();
            }
            let src = Obj::new(crate::object::getattr(wrapped, n.ptr()));
            let src = if src.is_null() {
                if !crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
                    return null_mut();
                }
                crate::pyerrors::PyErr_Clear();
                Obj::new(crate::dictobject::new_dict())
            } else {
                src
            };
            if crate::abc::call_method(target.ptr(), "update", &[src.ptr()]).is_null() {
                return null_mut();
            }
        }
        if setattr_str(wrapper, "__wrapped__", wrapped) < 0 {
            return null_mut();
        }
        new_ref(wrapper)
    }
}

unsafe fn f_update_wrapper(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    let (da, du) = wrapper_defaults();
    let assigned = if a[2].is_null() { da } else { a[2] };
    let updated = if a[3].is_null() { du } else { a[3] };
    // SAFETY: live arguments (Func contract).
    unsafe { update_wrapper(a[0], a[1], assigned, updated) }
}

unsafe fn f_wraps(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    let (da, du) = wrapper_defaults();
    let assigned = if a[1].is_null() { da } else { a[1] };
    let updated = if a[2].is_null() { du } else { a[2] };
    // SAFETY: live arguments (Func contract); the module exists when its function runs.
    unsafe {
        let uw = getattr(module(), "update_wrapper");
        if uw.is_null() {
            return null_mut();
        }
        let kw = dict_of(&[
            ("wrapped", a[0]),
            ("assigned", assigned),
            ("updated", updated),
        ]);
        if kw.is_null() {
            return null_mut();
        }
        new_partial_from(uw.ptr(), &[], kw.ptr())
    }
}

// ---- total_ordering -------------------------------------------------------------------------

/// How a derived comparison combines the root's result `r` with `self == other` /
/// `self != other`.
#[derive(Clone, Copy)]
enum Derive {
    /// `not r and self != other`
    NotAndNe,
    /// `r or self == other`
    OrEq,
    /// `not r`
    Not,
    /// `not r or self == other`
    NotOrEq,
    /// `r and self != other`
    AndNe,
}

unsafe fn derived(a: &[*mut PyObject], root: &str, how: Derive) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (me, other) = (a[0], a[1]);
        let m = getattr(ty(me).cast(), root);
        if m.is_null() {
            return null_mut();
        }
        let r = call(m.ptr(), &[me, other]);
        if r.is_null() || crate::abc::is_not_implemented(r.ptr()) {
            return r.into_raw();
        }
        let Ok(t) = crate::abc::truth(r.ptr()) else {
            return null_mut();
        };
        let cmp = |op| crate::abstract_::rich_compare(me, other, op);
        match how {
            Derive::NotAndNe => {
                if t {
                    crate::abc::py_bool(false)
                } else {
                    cmp(crate::object::Py_NE)
                }
            }
            Derive::OrEq => {
                if t {
                    r.into_raw()
                } else {
                    cmp(crate::object::Py_EQ)
                }
            }
            Derive::Not => crate::abc::py_bool(!t),
            Derive::NotOrEq => {
                if !t {
                    crate::abc::py_bool(true)
                } else {
                    cmp(crate::object::Py_EQ)
                }
            }
            Derive::AndNe => {
                if !t {
                    r.into_raw()
                } else {
                    cmp(crate::object::Py_NE)
                }
            }
        }
    }
}

macro_rules! derived_fns {
    ($($f:ident, $name:literal, $root:literal, $how:ident;)*) => {
        $(unsafe fn $f(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
            // SAFETY: forwarded Func contract.
            unsafe { derived(a, $root, Derive::$how) }
        })*
        static DERIVED: &[FuncDef] = &[$(FuncDef::new($name, &["self", "other"], 2, Kind::Method, $f),)*];
    };
}

derived_fns! {
    gt_from_lt, "_gt_from_lt", "__lt__", NotAndNe;
    le_from_lt, "_le_from_lt", "__lt__", OrEq;
    ge_from_lt, "_ge_from_lt", "__lt__", Not;
    ge_from_le, "_ge_from_le", "__le__", NotOrEq;
    lt_from_le, "_lt_from_le", "__le__", AndNe;
    gt_from_le, "_gt_from_le", "__le__", Not;
    lt_from_gt, "_lt_from_gt", "__gt__", NotAndNe;
    ge_from_gt, "_ge_from_gt", "__gt__", OrEq;
    le_from_gt, "_le_from_gt", "__gt__", Not;
    le_from_ge, "_le_from_ge", "__ge__", NotOrEq;
    gt_from_ge, "_gt_from_ge", "__ge__", AndNe;
    lt_from_ge, "_lt_from_ge", "__ge__", Not;
}

/// `_convert`: for each root, the three operations it gives (name, index into DERIVED).
const CONVERT: [(&str, [(&str, usize); 3]); 4] = [
    ("__lt__", [("__gt__", 0), ("__le__", 1), ("__ge__", 2)]),
    ("__le__", [("__ge__", 3), ("__lt__", 4), ("__gt__", 5)]),
    ("__gt__", [("__lt__", 6), ("__ge__", 7), ("__le__", 8)]),
    ("__ge__", [("__le__", 9), ("__gt__", 10), ("__lt__", 11)]),
];

/// The module's `_xx_from_yy` functions (made once).
fn derived_objs() -> &'static [usize] {
    static D: OnceLock<Vec<usize>> = OnceLock::new();
    D.get_or_init(|| {
        DERIVED
            .iter()
            .map(|d| new_func(d, null_mut()) as usize)
            .collect()
    })
}

unsafe fn f_total_ordering(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let cls = a[0];
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let mut roots = Vec::new();
        for (op, _) in CONVERT {
            let mine = match getattr_opt(cls, op) {
                Err(()) => return null_mut(),
                Ok(v) => v,
            };
            let base = getattr(object, op);
            if mine.as_ref().map(Obj::ptr) != Some(base.ptr()) {
                roots.push(op);
            }
        }
        let Some(&root) = roots.iter().max() else {
            return raise(
                &raw mut EXC_ValueError,
                "must define at least one ordering operation: < > <= >=",
            );
        };
        let fns = derived_objs();
        for (op, conv) in CONVERT {
            if op != root {
                continue;
            }
            for (name, i) in conv {
                if roots.contains(&name) {
                    continue;
                }
                // CPython renames the shared function object (`opfunc.__name__ = opname`); its
                // `__qualname__` stays `_xx_from_yy`.
                let f = fns[i] as *mut PyObject;
                let n = Obj::new(crate::unicodeobject::from_str(name));
                if n.is_null() || setattr_str(f, "__name__", n.ptr()) < 0 {
                    return null_mut();
                }
                if setattr_str(cls, name, f) < 0 {
                    return null_mut();
                }
            }
        }
        new_ref(cls)
    }
}

// ---- the module -----------------------------------------------------------------------------

static DEFS: &[FuncDef] = &[
    FuncDef::new(
        "update_wrapper",
        &["wrapper", "wrapped", "assigned", "updated"],
        2,
        Kind::Static,
        f_update_wrapper,
    ),
    FuncDef::new(
        "wraps",
        &["wrapped", "assigned", "updated"],
        1,
        Kind::Static,
        f_wraps,
    ),
    FuncDef::new(
        "total_ordering",
        &["cls"],
        1,
        Kind::Static,
        f_total_ordering,
    ),
    FuncDef::new(
        "lru_cache",
        &["maxsize", "typed"],
        0,
        Kind::Static,
        f_lru_cache,
    ),
    FuncDef::new("cache", &["user_function"], 1, Kind::Static, f_cache),
    FuncDef::new(
        "singledispatch",
        &["func"],
        1,
        Kind::Static,
        f_singledispatch,
    ),
];

const ALL: [&str; 15] = [
    "update_wrapper",
    "wraps",
    "WRAPPER_ASSIGNMENTS",
    "WRAPPER_UPDATES",
    "total_ordering",
    "cache",
    "cmp_to_key",
    "lru_cache",
    "reduce",
    "partial",
    "partialmethod",
    "singledispatch",
    "singledispatchmethod",
    "cached_property",
    "Placeholder",
];

static MODULE: OnceLock<usize> = OnceLock::new();

/// The `functools` module (borrowed, process-lifetime; NULL with an exception if it could not
/// be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "functools", build)
}

fn module_dict() -> *mut PyObject {
    let m = MODULE.get().copied().unwrap_or(0) as *mut PyObject;
    if m.is_null() {
        return crate::dictobject::new_dict();
    }
    // SAFETY: a live module.
    unsafe { (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict }
}

/// The static types start-up readies for this module.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut Placeholder_Type,
        &raw mut Partial_Type,
        &raw mut PartialMethod_Type,
        &raw mut KeyWrapper_Type,
        &raw mut LruWrapper_Type,
        &raw mut CachedProperty_Type,
        &raw mut Dispatch_Type,
        &raw mut DispatchMethod_Type,
        &raw mut DispatchGet_Type,
    ]
}

/// A built-in module's accessor (`types::module`, ...).
type ModuleFn = fn() -> *mut PyObject;

fn build() -> *mut PyObject {
    // SAFETY: start-up readied the types; every object put in the dict is live.
    unsafe {
        if !partial::make_placeholder() {
            return null_mut();
        }
        let m = crate::moduleobject::new_module(uni::intern("functools"));
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let c = Obj::new(crate::moduleobject::new_module(uni::intern("_functools")));
        if c.is_null()
            || crate::moduleobject::add_functions(c.ptr(), (&raw mut FUNCTIONS).cast()) < 0
        {
            return null_mut();
        }
        for n in ["reduce", "cmp_to_key"] {
            let f = getattr(c.ptr(), n);
            if f.is_null() || crate::dictobject::set_item_str(d, n, f.ptr()) < 0 {
                return null_mut();
            }
        }
        if crate::abc::add_funcs(d, DEFS).is_err() {
            return null_mut();
        }
        let (wa, wu) = wrapper_defaults();
        let types: [(&str, *mut PyTypeObject); 6] = [
            ("partial", &raw mut Partial_Type),
            ("partialmethod", &raw mut PartialMethod_Type),
            ("_PlaceholderType", &raw mut Placeholder_Type),
            ("_lru_cache_wrapper", &raw mut LruWrapper_Type),
            ("cached_property", &raw mut CachedProperty_Type),
            ("singledispatchmethod", &raw mut DispatchMethod_Type),
        ];
        for (n, t) in types {
            crate::dictobject::set_item_str(d, n, t.cast());
        }
        crate::dictobject::set_item_str(d, "Placeholder", partial::placeholder());
        crate::dictobject::set_item_str(d, "WRAPPER_ASSIGNMENTS", wa);
        crate::dictobject::set_item_str(d, "WRAPPER_UPDATES", wu);
        for (i, def) in DERIVED.iter().enumerate() {
            crate::dictobject::set_item_str(d, def.qualname, derived_objs()[i] as *mut PyObject);
        }
        // Re-exports: the same objects the other modules provide.
        let reexports: [(ModuleFn, &str); 8] = [
            (crate::threadmodule::module, "RLock"),
            (crate::types::module, "GenericAlias"),
            (crate::types::module, "MappingProxyType"),
            (crate::types::module, "MethodType"),
            (crate::types::module, "UnionType"),
            (crate::collections::module, "namedtuple"),
            (crate::operator::module, "itemgetter"),
            (crate::abc::module, "get_cache_token"),
        ];
        for (src, name) in reexports {
            let sm = src();
            if sm.is_null() {
                return null_mut();
            }
            let v = getattr(sm, name);
            if v.is_null() || crate::dictobject::set_item_str(d, name, v.ptr()) < 0 {
                return null_mut();
            }
        }
        // _CacheInfo = namedtuple('CacheInfo', [...]) with __module__ 'functools'.
        let nt = getattr(crate::collections::module(), "namedtuple");
        let fields = Obj::new(uni::from_str("hits misses maxsize currsize"));
        let name = Obj::new(uni::from_str("CacheInfo"));
        let args = Obj::new(crate::tupleobject::from_slice(&[name.ptr(), fields.ptr()]));
        let modname = Obj::new(uni::from_str("functools"));
        let kw = dict_of(&[("module", modname.ptr())]);
        if nt.is_null() || args.is_null() || kw.is_null() {
            return null_mut();
        }
        let ci = Obj::new(crate::abstract_::call(nt.ptr(), args.ptr(), kw.ptr()));
        if ci.is_null() || crate::dictobject::set_item_str(d, "_CacheInfo", ci.ptr()) < 0 {
            return null_mut();
        }
        let all = Obj::new(crate::listobject::new_list(0));
        for n in ALL {
            let v = Obj::new(uni::from_str(n));
            crate::listobject::append(all.ptr(), v.ptr());
        }
        crate::dictobject::set_item_str(d, "__all__", all.ptr());
        m
    }
}
