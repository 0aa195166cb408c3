//! gilgate's own `functools` module (CPython's `Lib/functools.py` over
//! `Modules/_functoolsmodule.c`, written natively).
//!
//! - `reduce` and `cmp_to_key` are builtin functions of `_functools`; `cmp_to_key` gives
//!   `functools.KeyWrapper` objects, as CPython's C version does.
//! - `partial` (CPython 3.14t's object layout, with `Placeholder`) and `partialmethod` are in
//!   `functools/partial.rs`.
//! - `update_wrapper`, `wraps`, `total_ordering`, `lru_cache`, `cache` and `singledispatch`
//!   are functions (`abc::Func`); `wraps` returns `partial(update_wrapper, wrapped=...)` as
//!   CPython's does, and `lru_cache(maxsize)` returns a partial of a private decorating
//!   function (CPython's is a closure).
//! - `_lru_cache_wrapper` keeps its cache in a dict ordered from least to most recently used
//!   (a hit moves the key to the end; an insert past `maxsize` drops the first key). The
//!   bookkeeping runs under the wrapper's critical section, the user function outside it, so
//!   a shared cache is safe from many threads and a recursive cached function works.
//! - `cached_property`, `singledispatchmethod` and singledispatch's function are static types
//!   (CPython's are a Python class and a Python function): `type()` fills no slot from a
//!   class's `__get__`, so a descriptor must be a type with `tp_descr_get`.
//! - Dispatch: the first class of the argument's `__mro__` that is registered wins; registered
//!   classes that are not in the `__mro__` (ABCs the class is registered with) are placed after
//!   the last class of the `__mro__` that is their subclass, and two unrelated ones matching at
//!   the same place raise CPython's "Ambiguous dispatch" (CPython runs a C3 merge; the order is
//!   the same for the usual cases).

mod partial;

use crate::abc::{FuncDef, Kind, Obj, call, getattr, getattr_opt, new_func};
use crate::bytes_methods::def;
use crate::descrobject::PyGetSetDef;
use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, PyTypeObject, Py_TPFLAGS_BASETYPE, none, static_type, ty};
use crate::pyerrors::{EXC_AttributeError, EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicIsize, Ordering};

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
        err_type(&format!("{fname}() got an unexpected keyword argument '{k}'"));
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
            return err_type(&format!("reduce() takes at most 3 arguments ({} given)", n + nk));
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
                return err_type("argument for reduce() given by name ('initial') and position (3)");
            } else {
                return err_type(&format!("reduce() got an unexpected keyword argument '{ks}'"));
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
                if setattr_str(cls, name, fns[i] as *mut PyObject) < 0 {
                    return null_mut();
                }
            }
        }
        new_ref(cls)
    }
}

// ---- lru_cache ------------------------------------------------------------------------------

/// `functools._lru_cache_wrapper`.
#[repr(C)]
struct LruWrapper {
    ob_base: PyObject,
    func: *mut PyObject,
    /// Keys to results, least recently used first.
    cache: *mut PyObject,
    /// -1: unbounded.
    maxsize: Py_ssize_t,
    typed: bool,
    hits: AtomicIsize,
    misses: AtomicIsize,
    info_type: *mut PyObject,
    dict: *mut PyObject,
    weakreflist: *mut PyObject,
}

unsafe fn lw<'a>(op: *mut PyObject) -> &'a LruWrapper {
    // SAFETY: a live wrapper (caller).
    unsafe { &*op.cast::<LruWrapper>() }
}

/// The separator between positional and keyword parts of a key (`_make_key`'s `kwd_mark`).
fn kwd_mark() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    // SAFETY: object() takes no arguments.
    *M.get_or_init(|| unsafe {
        crate::abstract_::call_args((&raw mut crate::object::PyBaseObject_Type).cast(), &[])
            as usize
    }) as *mut PyObject
}

unsafe fn make_key(args: *mut PyObject, kw: *mut PyObject, typed: bool) -> *mut PyObject {
    // SAFETY: args a tuple, kw NULL or a dict.
    unsafe {
        let a = crate::tupleobject::items(args);
        let kwn = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw)
        };
        if !typed && kwn == 0 {
            if a.len() == 1 {
                let t = ty(a[0]);
                if t == &raw mut crate::unicodeobject::PyUnicode_Type
                    || t == &raw mut crate::longobject::PyLong_Type
                {
                    return new_ref(a[0]);
                }
            }
            return new_ref(args);
        }
        let mut v: Vec<*mut PyObject> = a.to_vec();
        let entries = if kwn > 0 {
            crate::dictobject::entries(kw)
        } else {
            Vec::new()
        };
        if kwn > 0 {
            v.push(kwd_mark());
            for &(k, val) in &entries {
                v.push(k);
                v.push(val);
            }
        }
        if typed {
            for &x in a {
                v.push(ty(x).cast());
            }
            for &(_, val) in &entries {
                v.push(ty(val).cast());
            }
        }
        crate::tupleobject::from_slice(&v)
    }
}

unsafe extern "C" fn lru_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools._lru_cache_wrapper", null_mut(), || {
        // SAFETY: tp_call contract on a live wrapper.
        unsafe {
            let w = lw(op);
            if w.maxsize == 0 {
                w.misses.fetch_add(1, Ordering::Relaxed);
                return crate::abstract_::call(w.func, args, kw);
            }
            let key = Obj::new(make_key(args, kw, w.typed));
            if key.is_null() || crate::object::PyObject_Hash(key.ptr()) == -1 {
                return null_mut();
            }
            {
                crate::critical_section::hold!(_g, op);
                let hit = crate::dictobject::get_ref(w.cache, key.ptr());
                if !hit.is_null() {
                    w.hits.fetch_add(1, Ordering::Relaxed);
                    if w.maxsize > 0 {
                        // Most recently used: to the end.
                        if crate::dictobject::del_item(w.cache, key.ptr()) < 0
                            || crate::dictobject::set_item(w.cache, key.ptr(), hit) < 0
                        {
                            decref(hit);
                            return null_mut();
                        }
                    }
                    return hit;
                }
                if !crate::pyerrors::PyErr_Occurred().is_null() {
                    return null_mut();
                }
                w.misses.fetch_add(1, Ordering::Relaxed);
            }
            let r = crate::abstract_::call(w.func, args, kw);
            if r.is_null() {
                return r;
            }
            crate::critical_section::hold!(_g, op);
            if crate::dictobject::set_item(w.cache, key.ptr(), r) < 0 {
                decref(r);
                return null_mut();
            }
            if w.maxsize > 0 {
                while crate::dictobject::len(w.cache) > w.maxsize {
                    let keys = crate::dictobject::owned_keys(w.cache);
                    let Some(&first) = keys.first() else { break };
                    let rc = crate::dictobject::del_item(w.cache, first);
                    for k in keys {
                        decref(k);
                    }
                    if rc < 0 {
                        decref(r);
                        return null_mut();
                    }
                }
            }
            r
        }
    })
}

unsafe extern "C" fn lru_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools._lru_cache_wrapper", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let a = crate::tupleobject::items(args);
            let Some(v) = parse_args(
                "lru_cache",
                &["user_function", "maxsize", "typed", "cache_info_type"],
                4,
                a,
                &kw_pairs(kw),
            ) else {
                return null_mut();
            };
            new_lru(t, v[0], v[1], v[2], v[3])
        }
    })
}

unsafe fn new_lru(
    t: *mut PyTypeObject,
    func: *mut PyObject,
    maxsize: *mut PyObject,
    typed: *mut PyObject,
    info: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe {
        if !crate::abstract_::callable_check(func) {
            return err_type("the first argument must be callable");
        }
        let max = if maxsize == none() {
            -1
        } else if crate::abstract_::index_check(maxsize) {
            let m = crate::abstract_::as_ssize_t(maxsize, &raw mut crate::pyerrors::EXC_OverflowError);
            if m == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                return null_mut();
            }
            m.max(0)
        } else {
            return err_type("maxsize should be integer or None");
        };
        let Ok(typed) = crate::abc::truth(typed) else {
            return null_mut();
        };
        let cache = crate::dictobject::new_dict();
        if cache.is_null() {
            return null_mut();
        }
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            decref(cache);
            return op;
        }
        std::ptr::write(
            op.cast::<LruWrapper>().cast::<u8>().add(size_of::<PyObject>()).cast(),
            LruFields {
                func: new_ref(func),
                cache,
                maxsize: max,
                typed,
                hits: AtomicIsize::new(0),
                misses: AtomicIsize::new(0),
                info_type: new_ref(info),
                dict: null_mut(),
                weakreflist: null_mut(),
            },
        );
        op
    }
}

/// The fields of [`LruWrapper`] after the header (written at once into a fresh object).
#[repr(C)]
struct LruFields {
    func: *mut PyObject,
    cache: *mut PyObject,
    maxsize: Py_ssize_t,
    typed: bool,
    hits: AtomicIsize,
    misses: AtomicIsize,
    info_type: *mut PyObject,
    dict: *mut PyObject,
    weakreflist: *mut PyObject,
}

unsafe extern "C" fn lru_dealloc(op: *mut PyObject) {
    // SAFETY: a dead wrapper.
    unsafe {
        let w = &mut *op.cast::<LruWrapper>();
        if !w.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        xdecref(w.func);
        xdecref(w.cache);
        xdecref(w.info_type);
        xdecref(w.dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn lru_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live wrapper; obj NULL or live.
    unsafe {
        if obj.is_null() || obj == none() {
            new_ref(op)
        } else {
            crate::classobject::new_method(op, obj)
        }
    }
}

unsafe fn lru_cache_info(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live wrapper.
    unsafe {
        let w = lw(op);
        let cur = {
            crate::critical_section::hold!(_g, op);
            crate::dictobject::len(w.cache)
        };
        let h = Obj::new(crate::longobject::from_i64(w.hits.load(Ordering::Relaxed) as i64));
        let m = Obj::new(crate::longobject::from_i64(w.misses.load(Ordering::Relaxed) as i64));
        let mx = if w.maxsize < 0 {
            Obj::new(new_ref(none()))
        } else {
            Obj::new(crate::longobject::from_i64(w.maxsize as i64))
        };
        let c = Obj::new(crate::longobject::from_i64(cur as i64));
        call(w.info_type, &[h.ptr(), m.ptr(), mx.ptr(), c.ptr()]).into_raw()
    }
}

unsafe fn lru_cache_clear(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live wrapper.
    unsafe {
        let w = lw(op);
        crate::critical_section::hold!(_g, op);
        w.hits.store(0, Ordering::Relaxed);
        w.misses.store(0, Ordering::Relaxed);
        crate::dictobject::PyDict_Clear(w.cache);
        new_ref(none())
    }
}

unsafe fn lru_reduce(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live wrapper.
    unsafe { getattr(op, "__qualname__").into_raw() }
}

unsafe fn lru_copy(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live wrapper.
    unsafe { new_ref(op) }
}

unsafe fn lru_deepcopy(op: *mut PyObject, _memo: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live wrapper.
    unsafe { new_ref(op) }
}

static mut LRU_METHODS: [PyMethodDef; 6] = [
    def!(c"cache_info", noargs, lru_cache_info),
    def!(c"cache_clear", noargs, lru_cache_clear),
    def!(c"__reduce__", noargs, lru_reduce),
    def!(c"__copy__", noargs, lru_copy),
    def!(c"__deepcopy__", o, lru_deepcopy),
    PyMethodDef::END,
];

static mut LRU_GETSET: [PyGetSetDef; 2] = [getset_dict(), PyGetSetDef::END];

pub(crate) static mut LruWrapper_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(lru_new),
    tp_dealloc: Some(lru_dealloc),
    tp_call: Some(lru_call),
    tp_descr_get: Some(lru_descr_get),
    tp_methods: (&raw mut LRU_METHODS).cast(),
    tp_getset: (&raw mut LRU_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(LruWrapper, dict) as isize,
    tp_weaklistoffset: std::mem::offset_of!(LruWrapper, weakreflist) as Py_ssize_t,
    ..static_type(
        c"functools._lru_cache_wrapper",
        size_of::<LruWrapper>(),
        0,
        Py_TPFLAGS_BASETYPE | crate::object::Py_TPFLAGS_METHOD_DESCRIPTOR,
    )
};

/// `_CacheInfo` (borrowed, made with the module).
fn cache_info_type() -> *mut PyObject {
    // SAFETY: the module holds it.
    unsafe { crate::dictobject::get_str(module_dict(), "_CacheInfo") }
}

/// Wraps `func` in an lru cache with `cache_parameters` and `update_wrapper` applied.
unsafe fn decorate(func: *mut PyObject, maxsize: *mut PyObject, typed: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe {
        let w = Obj::new(new_lru(
            &raw mut LruWrapper_Type,
            func,
            maxsize,
            typed,
            cache_info_type(),
        ));
        if w.is_null() {
            return null_mut();
        }
        let params = dict_of(&[("maxsize", maxsize), ("typed", typed)]);
        if params.is_null() {
            return null_mut();
        }
        let dict_type = (&raw mut crate::dictobject::PyDict_Type).cast::<PyObject>();
        let cp = Obj::new(new_partial_from(dict_type, &[], params.ptr()));
        if cp.is_null() || setattr_str(w.ptr(), "cache_parameters", cp.ptr()) < 0 {
            return null_mut();
        }
        let (da, du) = wrapper_defaults();
        update_wrapper(w.ptr(), func, da, du)
    }
}

unsafe fn f_lru_decorate(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { decorate(a[2], a[0], a[1]) }
}

static LRU_DECORATE: FuncDef = FuncDef::new(
    "lru_cache.<locals>.decorating_function",
    &["maxsize", "typed", "user_function"],
    3,
    Kind::Static,
    f_lru_decorate,
);

unsafe fn f_lru_cache(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); NULL for an omitted optional one.
    unsafe {
        let f = crate::boolobject::from_bool(false);
        let typed = Obj::new(if a[1].is_null() { f } else { new_ref(a[1]) });
        if !a[1].is_null() {
            decref(f);
        }
        let mut maxsize = if a[0].is_null() {
            Obj::new(crate::longobject::from_i64(128))
        } else {
            Obj::new(new_ref(a[0]))
        };
        if crate::abstract_::is_long(maxsize.ptr()) {
            if crate::longobject::sign_of(maxsize.ptr()) < 0 {
                maxsize = Obj::new(crate::longobject::from_i64(0));
            }
        } else if crate::abstract_::callable_check(maxsize.ptr())
            && crate::boolobject::is_bool(typed.ptr())
        {
            let m = Obj::new(crate::longobject::from_i64(128));
            return decorate(maxsize.ptr(), m.ptr(), typed.ptr());
        } else if maxsize.ptr() != none() {
            return err_type("Expected first argument to be an integer, a callable, or None");
        }
        let d = Obj::new(new_func(&LRU_DECORATE, null_mut()));
        if d.is_null() {
            return null_mut();
        }
        new_partial_from(d.ptr(), &[maxsize.ptr(), typed.ptr()], null_mut())
    }
}

unsafe fn f_cache(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let f = Obj::new(crate::boolobject::from_bool(false));
        decorate(a[0], none(), f.ptr())
    }
}

// ---- cached_property ------------------------------------------------------------------------

/// `functools.cached_property`: the function, the attribute name (NULL until `__set_name__`),
/// the instance dict (`__doc__`, `__module__`, as CPython's instances have).
#[repr(C)]
struct CachedProperty {
    ob_base: PyObject,
    func: *mut PyObject,
    attrname: *mut PyObject,
    dict: *mut PyObject,
}

unsafe fn cp<'a>(op: *mut PyObject) -> &'a mut CachedProperty {
    // SAFETY: a live cached_property (caller).
    unsafe { &mut *op.cast::<CachedProperty>() }
}

unsafe extern "C" fn cp_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.cached_property", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let a = crate::tupleobject::items(args);
            let mut func = a.first().copied();
            if !kw.is_null() {
                for (k, v) in crate::dictobject::entries(kw) {
                    if uni::as_str(k) == Some("func") && func.is_none() {
                        func = Some(v);
                    } else {
                        return err_type(&format!(
                            "cached_property.__init__() got an unexpected keyword argument '{}'",
                            uni::as_str(k).unwrap_or("")
                        ));
                    }
                }
            }
            if a.len() > 1 {
                return err_type(&format!(
                    "cached_property.__init__() takes 2 positional arguments but {} were given",
                    a.len() + 1
                ));
            }
            let Some(func) = func else {
                return err_type(
                    "cached_property.__init__() missing 1 required positional argument: 'func'",
                );
            };
            let doc = match getattr_opt(func, "__doc__") {
                Err(()) => return null_mut(),
                Ok(v) => v,
            };
            let m = match getattr_opt(func, "__module__") {
                Err(()) => return null_mut(),
                Ok(v) => v,
            };
            let d = dict_of(&[
                ("__doc__", doc.as_ref().map_or(none(), Obj::ptr)),
                ("__module__", m.as_ref().map_or(none(), Obj::ptr)),
            ]);
            if d.is_null() {
                return null_mut();
            }
            let op = crate::objimpl::alloc_object(t, 0);
            if op.is_null() {
                return op;
            }
            let c = cp(op);
            c.func = new_ref(func);
            c.attrname = null_mut();
            c.dict = d.into_raw();
            op
        }
    })
}

unsafe extern "C" fn cp_dealloc(op: *mut PyObject) {
    // SAFETY: a dead cached_property.
    unsafe {
        let c = cp(op);
        xdecref(c.func);
        xdecref(c.attrname);
        xdecref(c.dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe fn cp_set_name(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        if a.len() != 2 {
            return err_type(&format!(
                "cached_property.__set_name__() takes 3 positional arguments but {} were given",
                a.len() + 1
            ));
        }
        let name = a[1];
        crate::critical_section::hold!(_g, op);
        let c = cp(op);
        if c.attrname.is_null() {
            c.attrname = new_ref(name);
        } else {
            let eq = crate::abstract_::rich_compare_bool(name, c.attrname, crate::object::Py_EQ);
            if eq < 0 {
                return null_mut();
            }
            if eq == 0 {
                let (Some(old), Some(new)) = (repr_str(c.attrname), repr_str(name)) else {
                    return null_mut();
                };
                return err_type(&format!(
                    "Cannot assign the same cached_property to two different names ({old} and {new})."
                ));
            }
        }
        new_ref(none())
    }
}

unsafe extern "C" fn cp_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.cached_property.__get__", null_mut(), || {
        // SAFETY: a live cached_property; obj NULL or live.
        unsafe {
            if obj.is_null() || obj == none() {
                return new_ref(op);
            }
            let name = {
                crate::critical_section::hold!(_g, op);
                let n = cp(op).attrname;
                if n.is_null() { n } else { new_ref(n) }
            };
            if name.is_null() {
                return err_type(
                    "Cannot use cached_property instance without calling __set_name__ on it.",
                );
            }
            let name = Obj::new(name);
            let tn = crate::object::type_qualname(ty(obj));
            let cache = match getattr_opt(obj, "__dict__") {
                Err(()) => return null_mut(),
                Ok(Some(d)) => d,
                Ok(None) => {
                    let Some(nr) = repr_str(name.ptr()) else {
                        return null_mut();
                    };
                    let tn = uni::from_str(ty_name(obj).as_str());
                    let tr = repr_str(tn).unwrap_or_default();
                    decref(tn);
                    let _ = tn;
                    return err_type(&format!(
                        "No '__dict__' attribute on {tr} instance to cache {nr} property."
                    ));
                }
            };
            let _ = tn;
            let got = crate::abc::call_method(cache.ptr(), "get", &[name.ptr()]);
            if got.is_null() {
                return null_mut();
            }
            // `get` gives None both for a missing key and a cached None: ask `in` then.
            if got.ptr() != none() {
                return got.into_raw();
            }
            let present = crate::abstract_::contains(cache.ptr(), name.ptr());
            if present < 0 {
                return null_mut();
            }
            if present == 1 {
                return got.into_raw();
            }
            let v = Obj::new(crate::abstract_::call_args(cp(op).func, &[obj]));
            if v.is_null() {
                return null_mut();
            }
            if crate::abstract_::set_item(cache.ptr(), name.ptr(), v.ptr()) < 0 {
                if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    crate::pyerrors::PyErr_Clear();
                    let tn = uni::from_str(ty_name(obj).as_str());
                    let tr = repr_str(tn).unwrap_or_default();
                    decref(tn);
                    let nr = repr_str(name.ptr()).unwrap_or_default();
                    return err_type(&format!(
                        "The '__dict__' attribute on {tr} instance does not support item assignment for caching {nr} property."
                    ));
                }
                return null_mut();
            }
            v.into_raw()
        }
    })
}

/// `type(o).__name__`.
unsafe fn ty_name(o: *mut PyObject) -> String {
    // SAFETY: a live object (caller).
    unsafe {
        let n = getattr(ty(o).cast(), "__name__");
        if n.is_null() {
            crate::pyerrors::PyErr_Clear();
            return String::new();
        }
        uni::as_str(n.ptr()).unwrap_or("").to_string()
    }
}

unsafe extern "C" fn cp_get_attrname(
    op: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> *mut PyObject {
    // SAFETY: a live cached_property.
    unsafe {
        crate::critical_section::hold!(_g, op);
        let n = cp(op).attrname;
        new_ref(if n.is_null() { none() } else { n })
    }
}

unsafe extern "C" fn cp_set_attrname(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> std::ffi::c_int {
    // SAFETY: a live cached_property; v NULL (delete) or live.
    unsafe {
        let new = if v.is_null() || v == none() {
            null_mut()
        } else {
            new_ref(v)
        };
        let old = {
            crate::critical_section::hold!(_g, op);
            std::mem::replace(&mut cp(op).attrname, new)
        };
        xdecref(old);
        0
    }
}

unsafe extern "C" fn cp_get_func(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live cached_property.
    unsafe { new_ref(cp(op).func) }
}

static mut CP_METHODS: [PyMethodDef; 3] = [
    def!(c"__set_name__", fast, cp_set_name),
    def!(c"__class_getitem__", class_o, lru_class_getitem),
    PyMethodDef::END,
];

unsafe fn lru_class_getitem(cls: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { crate::genericaliasobject::Py_GenericAlias(cls, arg) }
}

static mut CP_GETSET: [PyGetSetDef; 4] = [
    getset_dict(),
    PyGetSetDef {
        name: c"attrname".as_ptr(),
        get: Some(cp_get_attrname),
        set: Some(cp_set_attrname),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"func".as_ptr(),
        get: Some(cp_get_func),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

pub(crate) static mut CachedProperty_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(cp_new),
    tp_dealloc: Some(cp_dealloc),
    tp_descr_get: Some(cp_descr_get),
    tp_methods: (&raw mut CP_METHODS).cast(),
    tp_getset: (&raw mut CP_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(CachedProperty, dict) as isize,
    ..static_type(
        c"functools.cached_property",
        size_of::<CachedProperty>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

// ---- singledispatch -------------------------------------------------------------------------

/// A singledispatch generic function: the default implementation, the registry (type ->
/// implementation), the dispatch cache, the ABC cache token (NULL: no ABC registered) and the
/// instance dict (`update_wrapper`'s attributes).
#[repr(C)]
struct Dispatch {
    ob_base: PyObject,
    func: *mut PyObject,
    registry: *mut PyObject,
    cache: *mut PyObject,
    token: *mut PyObject,
    dict: *mut PyObject,
}

unsafe fn sd<'a>(op: *mut PyObject) -> &'a mut Dispatch {
    // SAFETY: a live dispatch function (caller).
    unsafe { &mut *op.cast::<Dispatch>() }
}

unsafe fn f_singledispatch(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let func = a[0];
        let reg = Obj::new(crate::dictobject::new_dict());
        let cache = Obj::new(crate::dictobject::new_dict());
        if reg.is_null() || cache.is_null() {
            return null_mut();
        }
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        if crate::dictobject::set_item(reg.ptr(), object, func) < 0 {
            return null_mut();
        }
        let op = crate::objimpl::alloc_object(&raw mut Dispatch_Type, 0);
        if op.is_null() {
            return op;
        }
        let d = sd(op);
        d.func = new_ref(func);
        d.registry = reg.into_raw();
        d.cache = cache.into_raw();
        d.token = null_mut();
        d.dict = null_mut();
        let w = Obj::new(op);
        let (da, du) = wrapper_defaults();
        update_wrapper(w.ptr(), func, da, du)
    }
}

unsafe extern "C" fn sd_dealloc(op: *mut PyObject) {
    // SAFETY: a dead dispatch function.
    unsafe {
        let d = sd(op);
        xdecref(d.func);
        xdecref(d.registry);
        xdecref(d.cache);
        xdecref(d.token);
        xdecref(d.dict);
        crate::objimpl::default_dealloc(op);
    }
}

/// `_is_valid_dispatch_type`: a class, or a union of classes.
unsafe fn valid_dispatch_type(cls: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        if crate::object::is_type(cls) {
            return Ok(true);
        }
        if is_union(cls) {
            let args = getattr(cls, "__args__");
            if args.is_null() {
                return Err(());
            }
            let items = crate::abc::collect(args.ptr())?;
            return Ok(items.iter().all(|x| crate::object::is_type(x.ptr())));
        }
        Ok(false)
    }
}

unsafe fn is_union(o: *mut PyObject) -> bool {
    // SAFETY: a live object; the types module exists once functools is made.
    unsafe {
        let u = crate::dictobject::get_str(module_dict(), "UnionType");
        !u.is_null() && ty(o).cast::<PyObject>() == u
    }
}

unsafe fn sd_register_impl(op: *mut PyObject, cls: *mut PyObject, func: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects; func NULL or None when omitted.
    unsafe {
        let func = if func == none() { null_mut() } else { func };
        let Ok(valid) = valid_dispatch_type(cls) else {
            return null_mut();
        };
        if valid {
            if func.is_null() {
                let reg = getattr(op, "register");
                if reg.is_null() {
                    return null_mut();
                }
                return new_partial_from(reg.ptr(), &[cls], null_mut());
            }
        } else {
            let Some(r) = repr_str(cls) else {
                return null_mut();
            };
            if !func.is_null() {
                return err_type(&format!(
                    "Invalid first argument to `register()`. {r} is not a class or union type."
                ));
            }
            let ann = match getattr_opt(cls, "__annotate__") {
                Err(()) => return null_mut(),
                Ok(v) => v,
            };
            let has = match &ann {
                Some(a) => crate::abc::truth(a.ptr()) == Ok(true),
                None => false,
            };
            if !has {
                return err_type(&format!(
                    "Invalid first argument to `register()`: {r}. Use either `@register(some_class)` or plain `@register` on an annotated function."
                ));
            }
            return raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                "gilgate: singledispatch register() by annotation needs typing.get_type_hints; gilgate runs no Python code",
            );
        }
        let d = sd(op);
        if is_union(cls) {
            let args = getattr(cls, "__args__");
            let Ok(items) = crate::abc::collect(args.ptr()) else {
                return null_mut();
            };
            for t in items {
                if crate::dictobject::set_item(d.registry, t.ptr(), func) < 0 {
                    return null_mut();
                }
            }
        } else if crate::dictobject::set_item(d.registry, cls, func) < 0 {
            return null_mut();
        }
        {
            crate::critical_section::hold!(_g, op);
            if d.token.is_null() {
                match getattr_opt(cls, "__abstractmethods__") {
                    Err(()) => return null_mut(),
                    Ok(Some(_)) => d.token = cache_token(),
                    Ok(None) => {}
                }
            }
        }
        crate::dictobject::PyDict_Clear(d.cache);
        new_ref(func)
    }
}

unsafe fn sd_register(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        match a.len() {
            1 => sd_register_impl(op, a[0], null_mut()),
            2 => sd_register_impl(op, a[0], a[1]),
            0 => err_type("register() missing 1 required positional argument: 'cls'"),
            n => err_type(&format!(
                "register() takes from 1 to 2 positional arguments but {n} were given"
            )),
        }
    }
}

/// `abc.get_cache_token()` (new reference).
fn cache_token() -> *mut PyObject {
    // SAFETY: the abc module is built in.
    unsafe {
        let f = getattr(crate::abc::module(), "get_cache_token");
        if f.is_null() {
            return null_mut();
        }
        call(f.ptr(), &[]).into_raw()
    }
}

/// `issubclass(a, b)`.
unsafe fn subclass(a: *mut PyObject, b: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_IsSubclass(a, b) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

/// `_find_impl(cls, registry)`, see the module comment for the order.
unsafe fn find_impl(cls: *mut PyObject, registry: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe {
        let mro_obj = getattr(cls, "__mro__");
        if mro_obj.is_null() {
            return null_mut();
        }
        let Ok(mro) = crate::abc::collect(mro_obj.ptr()) else {
            return null_mut();
        };
        let keys: Vec<Obj> = crate::abc::dict_items(registry)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        // Registered classes outside the MRO that `cls` derives from (its ABCs).
        let mut extra: Vec<*mut PyObject> = Vec::new();
        for k in &keys {
            let k = k.ptr();
            if mro.iter().any(|m| m.ptr() == k) || !crate::object::is_type(k) {
                continue;
            }
            match subclass(cls, k) {
                Err(()) => return null_mut(),
                Ok(true) => extra.push(k),
                Ok(false) => {}
            }
        }
        // Drop strict bases of other entries.
        let mut kept = Vec::new();
        for &e in &extra {
            let mut strict = false;
            for &o in &extra {
                if o != e {
                    let om = getattr(o, "__mro__");
                    if let Ok(items) = crate::abc::collect(om.ptr()) {
                        if items.iter().any(|x| x.ptr() == e) {
                            strict = true;
                        }
                    }
                }
            }
            if !strict {
                kept.push(e);
            }
        }
        // Composed MRO: each ABC after the last MRO class that is its subclass.
        let mut composed: Vec<(*mut PyObject, bool)> = mro.iter().map(|m| (m.ptr(), true)).collect();
        for &e in &kept {
            let mut at = 0;
            for (i, m) in mro.iter().enumerate() {
                match subclass(m.ptr(), e) {
                    Err(()) => return null_mut(),
                    Ok(true) => at = i,
                    Ok(false) => {}
                }
            }
            let pos = composed
                .iter()
                .position(|&(p, _)| p == mro[at].ptr())
                .unwrap_or(0);
            let mut ins = pos + 1;
            while ins < composed.len() && !composed[ins].1 {
                ins += 1;
            }
            composed.insert(ins, (e, false));
        }
        let mut found: Option<(*mut PyObject, bool)> = None;
        for &(t, in_mro) in &composed {
            let present = crate::dictobject::PyDict_Contains(registry, t);
            if present < 0 {
                return null_mut();
            }
            if let Some((m, m_in)) = found {
                if present == 1 && !in_mro && !m_in {
                    match subclass(m, t) {
                        Err(()) => return null_mut(),
                        Ok(true) => {}
                        Ok(false) => {
                            let (Some(a), Some(b)) = (repr_str(m), repr_str(t)) else {
                                return null_mut();
                            };
                            return raise(
                                &raw mut EXC_RuntimeError,
                                &format!("Ambiguous dispatch: {a} or {b}"),
                            );
                        }
                    }
                }
                break;
            }
            if present == 1 {
                found = Some((t, in_mro));
            }
        }
        match found {
            Some((t, _)) => crate::dictobject::get_ref(registry, t),
            None => new_ref(none()),
        }
    }
}

unsafe fn sd_dispatch_impl(op: *mut PyObject, cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let d = sd(op);
        {
            crate::critical_section::hold!(_g, op);
            if !d.token.is_null() {
                let cur = Obj::new(cache_token());
                if cur.is_null() {
                    return null_mut();
                }
                let same = crate::abstract_::rich_compare_bool(d.token, cur.ptr(), crate::object::Py_EQ);
                if same < 0 {
                    return null_mut();
                }
                if same == 0 {
                    crate::dictobject::PyDict_Clear(d.cache);
                    let old = std::mem::replace(&mut d.token, cur.into_raw());
                    decref(old);
                }
            }
        }
        let hit = crate::dictobject::get_ref(d.cache, cls);
        if !hit.is_null() || !crate::pyerrors::PyErr_Occurred().is_null() {
            return hit;
        }
        let mut imp = crate::dictobject::get_ref(d.registry, cls);
        if imp.is_null() {
            if !crate::pyerrors::PyErr_Occurred().is_null() {
                return null_mut();
            }
            imp = find_impl(cls, d.registry);
            if imp.is_null() {
                return null_mut();
            }
        }
        if crate::dictobject::set_item(d.cache, cls, imp) < 0 {
            decref(imp);
            return null_mut();
        }
        imp
    }
}

unsafe fn sd_dispatch(op: *mut PyObject, cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { sd_dispatch_impl(op, cls) }
}

unsafe fn sd_clear_cache(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dispatch function.
    unsafe {
        crate::dictobject::PyDict_Clear(sd(op).cache);
        new_ref(none())
    }
}

/// The name used in "requires at least 1 positional argument".
unsafe fn func_name(func: *mut PyObject, default: &str) -> String {
    // SAFETY: a live object (caller).
    unsafe {
        match getattr_opt(func, "__name__") {
            Ok(Some(n)) => {
                let st = Obj::new(crate::object::str(n.ptr()));
                if st.is_null() {
                    crate::pyerrors::PyErr_Clear();
                    return default.to_string();
                }
                uni::as_str(st.ptr()).unwrap_or(default).to_string()
            }
            Ok(None) => default.to_string(),
            Err(()) => {
                crate::pyerrors::PyErr_Clear();
                default.to_string()
            }
        }
    }
}

unsafe extern "C" fn sd_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.singledispatch", null_mut(), || {
        // SAFETY: tp_call contract.
        unsafe {
            let a = crate::tupleobject::items(args);
            let Some(&first) = a.first() else {
                let n = func_name(sd(op).func, "singledispatch function");
                return err_type(&format!("{n} requires at least 1 positional argument"));
            };
            let cls = getattr(first, "__class__");
            if cls.is_null() {
                return null_mut();
            }
            let imp = Obj::new(sd_dispatch_impl(op, cls.ptr()));
            if imp.is_null() {
                return null_mut();
            }
            crate::abstract_::call(imp.ptr(), args, kw)
        }
    })
}

unsafe extern "C" fn sd_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        if obj.is_null() || obj == none() {
            new_ref(op)
        } else {
            crate::classobject::new_method(op, obj)
        }
    }
}

unsafe extern "C" fn sd_registry(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live dispatch function.
    unsafe { crate::descrobject::PyDictProxy_New(sd(op).registry) }
}

unsafe extern "C" fn sd_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dispatch function.
    unsafe {
        let q = match getattr_opt(op, "__qualname__") {
            Ok(Some(q)) => uni::as_str(q.ptr()).unwrap_or("?").to_string(),
            Ok(None) => "?".into(),
            Err(()) => return null_mut(),
        };
        s(&format!("<function {q} at {op:p}>"))
    }
}

static mut SD_METHODS: [PyMethodDef; 4] = [
    def!(c"register", fast, sd_register),
    def!(c"dispatch", o, sd_dispatch),
    def!(c"_clear_cache", noargs, sd_clear_cache),
    PyMethodDef::END,
];

static mut SD_GETSET: [PyGetSetDef; 3] = [
    getset_dict(),
    PyGetSetDef {
        name: c"registry".as_ptr(),
        get: Some(sd_registry),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

/// The type of singledispatch's generic functions (a Python function in CPython, hence the
/// name).
pub(crate) static mut Dispatch_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(sd_dealloc),
    tp_call: Some(sd_call),
    tp_repr: Some(sd_repr),
    tp_descr_get: Some(sd_descr_get),
    tp_methods: (&raw mut SD_METHODS).cast(),
    tp_getset: (&raw mut SD_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(Dispatch, dict) as isize,
    ..static_type(c"function", size_of::<Dispatch>(), 0, 0)
};

// ---- singledispatchmethod -------------------------------------------------------------------

/// `functools.singledispatchmethod`: the dispatcher (a singledispatch function over `func`),
/// the function, the instance dict.
#[repr(C)]
struct DispatchMethod {
    ob_base: PyObject,
    dispatcher: *mut PyObject,
    func: *mut PyObject,
    dict: *mut PyObject,
}

unsafe fn sdm<'a>(op: *mut PyObject) -> &'a mut DispatchMethod {
    // SAFETY: a live singledispatchmethod (caller).
    unsafe { &mut *op.cast::<DispatchMethod>() }
}

unsafe extern "C" fn sdm_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.singledispatchmethod", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let a = crate::tupleobject::items(args);
            if (!kw.is_null() && crate::dictobject::len(kw) != 0) || a.len() != 1 {
                if a.is_empty() && (kw.is_null() || crate::dictobject::len(kw) == 0) {
                    return err_type(
                        "singledispatchmethod.__init__() missing 1 required positional argument: 'func'",
                    );
                }
                if kw.is_null() || crate::dictobject::len(kw) == 0 {
                    return err_type(&format!(
                        "singledispatchmethod.__init__() takes 2 positional arguments but {} were given",
                        a.len() + 1
                    ));
                }
                return err_type("singledispatchmethod.__init__() got an unexpected keyword argument");
            }
            let func = a[0];
            if !crate::abstract_::callable_check(func) {
                match getattr_opt(func, "__get__") {
                    Err(()) => return null_mut(),
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        let Some(r) = repr_str(func) else {
                            return null_mut();
                        };
                        return err_type(&format!("{r} is not callable or a descriptor"));
                    }
                }
            }
            let disp = Obj::new(f_singledispatch(&[func], null_mut()));
            if disp.is_null() {
                return null_mut();
            }
            let op = crate::objimpl::alloc_object(t, 0);
            if op.is_null() {
                return op;
            }
            let m = sdm(op);
            m.dispatcher = disp.into_raw();
            m.func = new_ref(func);
            m.dict = null_mut();
            op
        }
    })
}

unsafe extern "C" fn sdm_dealloc(op: *mut PyObject) {
    // SAFETY: a dead singledispatchmethod.
    unsafe {
        let m = sdm(op);
        xdecref(m.dispatcher);
        xdecref(m.func);
        xdecref(m.dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe fn sdm_register(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { sd_register(sdm(op).dispatcher, a) }
}

unsafe extern "C" fn sdm_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    cls: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let g = crate::objimpl::alloc_object(&raw mut DispatchGet_Type, 0);
        if g.is_null() {
            return g;
        }
        let d = &mut *g.cast::<DispatchGet>();
        d.unbound = new_ref(op);
        d.obj = new_ref(if obj.is_null() { none() } else { obj });
        d.cls = new_ref(if cls.is_null() { none() } else { cls });
        g
    }
}

unsafe extern "C" fn sdm_isabstract(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live singledispatchmethod.
    unsafe {
        match getattr_opt(sdm(op).func, "__isabstractmethod__") {
            Err(()) => null_mut(),
            Ok(Some(v)) => v.into_raw(),
            Ok(None) => crate::abc::py_bool(false),
        }
    }
}

unsafe extern "C" fn sdm_get_func(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live singledispatchmethod.
    unsafe { new_ref(sdm(op).func) }
}

unsafe extern "C" fn sdm_get_dispatcher(
    op: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> *mut PyObject {
    // SAFETY: a live singledispatchmethod.
    unsafe { new_ref(sdm(op).dispatcher) }
}

static mut SDM_METHODS: [PyMethodDef; 2] = [
    def!(c"register", fast, sdm_register),
    PyMethodDef::END,
];

static mut SDM_GETSET: [PyGetSetDef; 5] = [
    getset_dict(),
    PyGetSetDef {
        name: c"__isabstractmethod__".as_ptr(),
        get: Some(sdm_isabstract),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"func".as_ptr(),
        get: Some(sdm_get_func),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"dispatcher".as_ptr(),
        get: Some(sdm_get_dispatcher),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

pub(crate) static mut DispatchMethod_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(sdm_new),
    tp_dealloc: Some(sdm_dealloc),
    tp_descr_get: Some(sdm_descr_get),
    tp_methods: (&raw mut SDM_METHODS).cast(),
    tp_getset: (&raw mut SDM_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(DispatchMethod, dict) as isize,
    ..static_type(
        c"functools.singledispatchmethod",
        size_of::<DispatchMethod>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

/// `functools._singledispatchmethod_get`: a singledispatchmethod looked up on `obj`/`cls`.
#[repr(C)]
struct DispatchGet {
    ob_base: PyObject,
    unbound: *mut PyObject,
    obj: *mut PyObject,
    cls: *mut PyObject,
}

unsafe extern "C" fn dg_dealloc(op: *mut PyObject) {
    // SAFETY: a dead object of the type.
    unsafe {
        let d = &mut *op.cast::<DispatchGet>();
        xdecref(d.unbound);
        xdecref(d.obj);
        xdecref(d.cls);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn dg_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools._singledispatchmethod_get", null_mut(), || {
        // SAFETY: tp_call contract.
        unsafe {
            let d = &*op.cast::<DispatchGet>();
            let a = crate::tupleobject::items(args);
            let Some(&first) = a.first() else {
                let n = func_name(sdm(d.unbound).func, "singledispatchmethod method");
                return err_type(&format!("{n} requires at least 1 positional argument"));
            };
            let cls = getattr(first, "__class__");
            if cls.is_null() {
                return null_mut();
            }
            let m = Obj::new(sd_dispatch_impl(sdm(d.unbound).dispatcher, cls.ptr()));
            if m.is_null() {
                return null_mut();
            }
            let get = getattr(m.ptr(), "__get__");
            if get.is_null() {
                return null_mut();
            }
            let bound = call(get.ptr(), &[d.obj, d.cls]);
            if bound.is_null() {
                return null_mut();
            }
            crate::abstract_::call(bound.ptr(), args, kw)
        }
    })
}

unsafe extern "C" fn dg_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let r = crate::object::PyObject_GenericGetAttr(op, name);
        if !r.is_null() || !crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
            return r;
        }
        // Like CPython's `__getattr__`: the function's attributes (its name, doc, ...).
        crate::pyerrors::PyErr_Clear();
        let d = &*op.cast::<DispatchGet>();
        crate::object::getattr(sdm(d.unbound).func, name)
    }
}

pub(crate) static mut DispatchGet_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(dg_dealloc),
    tp_call: Some(dg_call),
    tp_getattro: Some(dg_getattro),
    ..static_type(
        c"functools._singledispatchmethod_get",
        size_of::<DispatchGet>(),
        0,
        0,
    )
};

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
    FuncDef::new("total_ordering", &["cls"], 1, Kind::Static, f_total_ordering),
    FuncDef::new(
        "lru_cache",
        &["maxsize", "typed"],
        0,
        Kind::Static,
        f_lru_cache,
    ),
    FuncDef::new("cache", &["user_function"], 1, Kind::Static, f_cache),
    FuncDef::new("singledispatch", &["func"], 1, Kind::Static, f_singledispatch),
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
    let &m = MODULE.get_or_init(|| build().unwrap_or(0));
    if m == 0 {
        crate::pyerrors::set_system_error("gilgate: the functools module could not be created");
    }
    m as *mut PyObject
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

fn build() -> Option<usize> {
    // SAFETY: start-up readied the types; every object put in the dict is live.
    unsafe {
        if !partial::make_placeholder() {
            return None;
        }
        let m = crate::moduleobject::new_module(uni::intern("functools"));
        if m.is_null() {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let c = Obj::new(crate::moduleobject::new_module(uni::intern("_functools")));
        if c.is_null() || crate::moduleobject::add_functions(c.ptr(), (&raw mut FUNCTIONS).cast()) < 0 {
            return None;
        }
        for n in ["reduce", "cmp_to_key"] {
            let f = getattr(c.ptr(), n);
            if f.is_null() || crate::dictobject::set_item_str(d, n, f.ptr()) < 0 {
                return None;
            }
        }
        if crate::abc::add_funcs(d, DEFS).is_err() {
            return None;
        }
        let (wa, wu) = wrapper_defaults();
        let types: [(&str, *mut PyTypeObject); 7] = [
            ("partial", &raw mut Partial_Type),
            ("partialmethod", &raw mut PartialMethod_Type),
            ("_PlaceholderType", &raw mut Placeholder_Type),
            ("KeyWrapper", &raw mut KeyWrapper_Type),
            ("_lru_cache_wrapper", &raw mut LruWrapper_Type),
            ("cached_property", &raw mut CachedProperty_Type),
            ("singledispatchmethod", &raw mut DispatchMethod_Type),
        ];
        for (n, t) in types {
            if n == "KeyWrapper" {
                continue;
            }
            crate::dictobject::set_item_str(d, n, t.cast());
        }
        crate::dictobject::set_item_str(d, "Placeholder", partial::placeholder());
        crate::dictobject::set_item_str(d, "WRAPPER_ASSIGNMENTS", wa);
        crate::dictobject::set_item_str(d, "WRAPPER_UPDATES", wu);
        for (i, def) in DERIVED.iter().enumerate() {
            crate::dictobject::set_item_str(d, def.qualname, derived_objs()[i] as *mut PyObject);
        }
        // Re-exports: the same objects the other modules provide.
        let reexports: [(fn() -> *mut PyObject, &str, &str); 8] = [
            (crate::types::module, "GenericAlias", "GenericAlias"),
            (crate::types::module, "MappingProxyType", "MappingProxyType"),
            (crate::types::module, "MethodType", "MethodType"),
            (crate::types::module, "UnionType", "UnionType"),
            (crate::collections::module, "namedtuple", "namedtuple"),
            (crate::operator::module, "itemgetter", "itemgetter"),
            (crate::abc::module, "get_cache_token", "get_cache_token"),
            (crate::types::module, "GenericAlias", "GenericAlias"),
        ];
        for (src, from, to) in reexports {
            let sm = src();
            if sm.is_null() {
                return None;
            }
            let v = getattr(sm, from);
            if v.is_null() || crate::dictobject::set_item_str(d, to, v.ptr()) < 0 {
                return None;
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
            return None;
        }
        let ci = Obj::new(crate::abstract_::call(nt.ptr(), args.ptr(), kw.ptr()));
        if ci.is_null() || crate::dictobject::set_item_str(d, "_CacheInfo", ci.ptr()) < 0 {
            return None;
        }
        let _ = EXC_RuntimeError;
        let all = Obj::new(crate::listobject::new_list(0));
        for n in ALL {
            let v = Obj::new(uni::from_str(n));
            crate::listobject::append(all.ptr(), v.ptr());
        }
        crate::dictobject::set_item_str(d, "__all__", all.ptr());
        Some(m as usize)
    }
}
