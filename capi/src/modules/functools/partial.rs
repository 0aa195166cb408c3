//! `functools.partial` (CPython's `Modules/_functoolsmodule.c` object, in its 3.14t layout:
//! Cython code such as cytoolz reads `fn`, `args` and `kw` from the struct), the `Placeholder`
//! singleton of 3.14, and `partialmethod` (a Python class in CPython, a static type here).

use super::{err_type, getset_dict, new_partial_from, s};
use crate::abc::{Obj, getattr_opt};
use crate::bytes_methods::def;
use crate::descrobject::PyGetSetDef;
use crate::descrobject::PyMemberDef;
use crate::methodobject::PyMethodDef;
use crate::object::{Py_TPFLAGS_BASETYPE, PyObject, PyTypeObject, none, static_type, ty};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, incref, new_ref, xdecref};
use std::ptr::null_mut;

// ---- Placeholder ---------------------------------------------------------------------------

static mut PLACEHOLDER: *mut PyObject = null_mut();

/// The `Placeholder` singleton (borrowed).
pub(crate) fn placeholder() -> *mut PyObject {
    // SAFETY: written once at module creation, before any reader; read-only afterwards.
    unsafe { PLACEHOLDER }
}

/// Makes the singleton (called once, while the module is built).
pub(super) fn make_placeholder() -> bool {
    // SAFETY: the type is readied at start-up; the one writer runs under the module's OnceLock.
    unsafe {
        if PLACEHOLDER.is_null() {
            PLACEHOLDER = crate::objimpl::alloc_object(&raw mut Placeholder_Type, 0);
        }
        !PLACEHOLDER.is_null()
    }
}

unsafe extern "C" fn placeholder_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        if !crate::tupleobject::items(args).is_empty()
            || (!kw.is_null() && crate::dictobject::len(kw) != 0)
        {
            return err_type("PlaceholderType takes no arguments");
        }
        new_ref(placeholder())
    }
}

unsafe extern "C" fn placeholder_repr(_op: *mut PyObject) -> *mut PyObject {
    s("Placeholder")
}

unsafe fn placeholder_reduce(_op: *mut PyObject) -> *mut PyObject {
    s("Placeholder")
}

static mut PLACEHOLDER_METHODS: [PyMethodDef; 2] = [
    def!(c"__reduce__", noargs, placeholder_reduce),
    PyMethodDef::END,
];

pub(crate) static mut Placeholder_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(placeholder_new),
    tp_repr: Some(placeholder_repr),
    tp_methods: (&raw mut PLACEHOLDER_METHODS).cast(),
    ..static_type(c"functools._PlaceholderType", size_of::<PyObject>(), 0, 0)
};

// ---- partial --------------------------------------------------------------------------------

/// CPython 3.14t's `partialobject`: the first five fields are what Cython code reads.
#[repr(C)]
pub(crate) struct Partial {
    ob_base: PyObject,
    pub(crate) func: *mut PyObject,
    pub(crate) args: *mut PyObject,
    pub(crate) kw: *mut PyObject,
    dict: *mut PyObject,
    weakreflist: *mut PyObject,
    placeholder: *mut PyObject,
    phcount: Py_ssize_t,
    vectorcall: *mut std::ffi::c_void,
}

unsafe fn pt<'a>(op: *mut PyObject) -> &'a mut Partial {
    // SAFETY: the caller passes a live partial.
    unsafe { &mut *op.cast::<Partial>() }
}

fn count_ph(items: &[*mut PyObject]) -> Py_ssize_t {
    let ph = placeholder();
    items.iter().filter(|&&x| x == ph).count() as Py_ssize_t
}

/// The positional arguments of a flattened partial: `old`'s placeholders filled from `new` in
/// order, the rest of `new` after them (new references in a fresh tuple).
pub(crate) unsafe fn merge_args(old: &[*mut PyObject], new: &[*mut PyObject]) -> *mut PyObject {
    let ph = placeholder();
    let mut out: Vec<*mut PyObject> = Vec::with_capacity(old.len() + new.len());
    let mut j = 0;
    for &o in old {
        if o == ph && j < new.len() {
            out.push(new[j]);
            j += 1;
        } else {
            out.push(o);
        }
    }
    out.extend_from_slice(&new[j..]);
    // SAFETY: every item is live (callers' contract).
    unsafe { crate::tupleobject::from_slice(&out) }
}

/// Checks shared by `partial` and `partialmethod`: no trailing placeholder, none as keyword.
pub(crate) unsafe fn check_placeholders(args: &[*mut PyObject], kw: *mut PyObject) -> bool {
    let ph = placeholder();
    if args.last() == Some(&ph) {
        err_type("trailing Placeholders are not allowed");
        return false;
    }
    if !kw.is_null() {
        // SAFETY: a live dict (caller).
        for (_, v) in unsafe { crate::dictobject::entries(kw) } {
            if v == ph {
                err_type("Placeholder cannot be passed as a keyword argument");
                return false;
            }
        }
    }
    true
}

unsafe extern "C" fn partial_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.partial", null_mut(), || {
        // SAFETY: tp_new contract: args a tuple, kw NULL or a dict.
        unsafe {
            let a = crate::tupleobject::items(args);
            if a.is_empty() {
                return err_type("type 'partial' takes at least one argument");
            }
            let mut func = a[0];
            let mut pargs: &[*mut PyObject] = &[];
            let mut pkw: *mut PyObject = null_mut();
            if crate::object::type_check(func, &raw mut Partial_Type) && pt(func).dict.is_null() {
                let p = pt(func);
                pargs = crate::tupleobject::items(p.args);
                pkw = p.kw;
                func = p.func;
            }
            if !crate::abstract_::callable_check(func) {
                return err_type("the first argument must be callable");
            }
            if !check_placeholders(&a[1..], kw) {
                return null_mut();
            }
            new_partial_raw(t, func, pargs, &a[1..], pkw, kw)
        }
    })
}

/// A new partial of type `t`: `func` with `pargs` merged with `nargs`, keywords `pkw` updated
/// by `kw` (either may be NULL).
pub(crate) unsafe fn new_partial_raw(
    t: *mut PyTypeObject,
    func: *mut PyObject,
    pargs: &[*mut PyObject],
    nargs: &[*mut PyObject],
    pkw: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (caller); `t` is partial or a subtype.
    unsafe {
        let targs = Obj::new(merge_args(pargs, nargs));
        if targs.is_null() {
            return null_mut();
        }
        let d = if pkw.is_null() || crate::dictobject::len(pkw) == 0 {
            if kw.is_null() {
                crate::dictobject::new_dict()
            } else {
                crate::dictobject::copy(kw)
            }
        } else {
            let d = crate::dictobject::copy(pkw);
            if !d.is_null() && !kw.is_null() && crate::dictobject::PyDict_Merge(d, kw, 1) < 0 {
                decref(d);
                return null_mut();
            }
            d
        };
        if d.is_null() {
            return null_mut();
        }
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            decref(d);
            return null_mut();
        }
        let p = pt(op);
        incref(func);
        p.func = func;
        p.phcount = count_ph(crate::tupleobject::items(targs.ptr()));
        p.args = targs.into_raw();
        p.kw = d;
        p.dict = null_mut();
        p.weakreflist = null_mut();
        p.placeholder = new_ref(placeholder());
        p.vectorcall = null_mut();
        op
    }
}

unsafe extern "C" fn partial_dealloc(op: *mut PyObject) {
    // SAFETY: a dead partial (slot contract): its fields are owned.
    unsafe {
        let p = pt(op);
        if !p.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        xdecref(p.func);
        xdecref(p.args);
        xdecref(p.kw);
        xdecref(p.dict);
        xdecref(p.placeholder);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn partial_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.partial", null_mut(), || {
        // SAFETY: tp_call contract on a live partial.
        unsafe {
            let p = pt(op);
            let a = crate::tupleobject::items(args);
            if (a.len() as Py_ssize_t) < p.phcount {
                return err_type(&format!(
                    "missing positional arguments in 'partial' call; expected at least {}, got {}",
                    p.phcount,
                    a.len()
                ));
            }
            let all = Obj::new(merge_args(crate::tupleobject::items(p.args), a));
            if all.is_null() {
                return null_mut();
            }
            let k = if crate::dictobject::len(p.kw) == 0 {
                if kw.is_null() {
                    Obj::new(null_mut())
                } else {
                    Obj::borrowed(kw)
                }
            } else if kw.is_null() || crate::dictobject::len(kw) == 0 {
                Obj::borrowed(p.kw)
            } else {
                let d = Obj::new(crate::dictobject::copy(p.kw));
                if d.is_null() || crate::dictobject::PyDict_Merge(d.ptr(), kw, 1) < 0 {
                    return null_mut();
                }
                d
            };
            crate::abstract_::call(p.func, all.ptr(), k.ptr())
        }
    })
}

unsafe extern "C" fn partial_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live partial; obj NULL or live.
    unsafe {
        if obj.is_null() || obj == none() {
            new_ref(op)
        } else {
            crate::classobject::new_method(op, obj)
        }
    }
}

/// `repr` of each item, or None with the error set.
pub(crate) unsafe fn reprs(items: &[*mut PyObject]) -> Option<Vec<String>> {
    let mut v = Vec::with_capacity(items.len());
    for &x in items {
        // SAFETY: live items (caller).
        let r = Obj::new(unsafe { crate::object::repr(x) });
        if r.is_null() {
            return None;
        }
        // SAFETY: repr gives a str.
        v.push(
            unsafe { crate::unicodeobject::as_str(r.ptr()) }
                .unwrap_or("")
                .to_string(),
        );
    }
    Some(v)
}

/// `k=repr(v)` for each entry of a keyword dict (`str(k)` for the key).
pub(crate) unsafe fn kw_reprs(d: *mut PyObject) -> Option<Vec<String>> {
    let mut v = Vec::new();
    // SAFETY: a live dict (caller); the entries are held while used.
    unsafe {
        for (k, val) in crate::abc::dict_items(d) {
            let ks = Obj::new(crate::object::str(k.ptr()));
            if ks.is_null() {
                return None;
            }
            let r = reprs(&[val.ptr()])?;
            v.push(format!(
                "{}={}",
                crate::unicodeobject::as_str(ks.ptr()).unwrap_or(""),
                r[0]
            ));
        }
    }
    Some(v)
}

/// `module.qualname` of `op`'s type.
pub(crate) unsafe fn type_path(op: *mut PyObject) -> String {
    // SAFETY: a live object (caller).
    unsafe {
        let t = ty(op);
        format!(
            "{}.{}",
            crate::object::type_module_name(t),
            crate::object::type_qualname(t)
        )
    }
}

unsafe extern "C" fn partial_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live partial (slot contract).
    unsafe {
        let name = type_path(op);
        if !crate::iterobject::repr_enter(op) {
            return s("...");
        }
        let p = pt(op);
        let (f, a, k) = (
            Obj::borrowed(p.func),
            Obj::borrowed(p.args),
            Obj::borrowed(p.kw),
        );
        let mut parts = reprs(&[f.ptr()]);
        if let Some(v) = parts.as_mut() {
            match reprs(crate::tupleobject::items(a.ptr())) {
                Some(more) => v.extend(more),
                None => parts = None,
            }
        }
        if let Some(v) = parts.as_mut() {
            match kw_reprs(k.ptr()) {
                Some(more) => v.extend(more),
                None => parts = None,
            }
        }
        crate::iterobject::repr_leave(op);
        match parts {
            Some(v) => s(&format!("{name}({})", v.join(", "))),
            None => null_mut(),
        }
    }
}

unsafe fn partial_reduce(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live partial.
    unsafe {
        let p = pt(op);
        let t = ty(op).cast::<PyObject>();
        let fa = Obj::new(crate::tupleobject::from_slice(&[p.func]));
        let d = if p.dict.is_null() { none() } else { p.dict };
        let st = Obj::new(crate::tupleobject::from_slice(&[p.func, p.args, p.kw, d]));
        if fa.is_null() || st.is_null() {
            return null_mut();
        }
        crate::tupleobject::from_slice(&[t, fa.ptr(), st.ptr()])
    }
}

unsafe fn partial_setstate(op: *mut PyObject, state: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live partial and a live argument.
    unsafe {
        if !crate::tupleobject::is_tuple(state) {
            return err_type("invalid partial state");
        }
        let st = crate::tupleobject::items(state);
        if st.len() != 4 {
            return err_type("invalid partial state");
        }
        let (f, a, k, d) = (st[0], st[1], st[2], st[3]);
        if !crate::abstract_::callable_check(f)
            || !crate::tupleobject::is_tuple(a)
            || (k != none() && !crate::dictobject::is_dict(k))
        {
            return err_type("invalid partial state");
        }
        let items = crate::tupleobject::items(a);
        if items.last() == Some(&placeholder()) {
            return err_type("trailing Placeholders are not allowed");
        }
        let nargs = if crate::object::ty(a) == &raw mut crate::tupleobject::PyTuple_Type {
            new_ref(a)
        } else {
            crate::tupleobject::from_slice(items)
        };
        let nkw = if k == none() {
            crate::dictobject::new_dict()
        } else if crate::object::ty(k) == &raw mut crate::dictobject::PyDict_Type {
            new_ref(k)
        } else {
            crate::dictobject::copy(k)
        };
        if nargs.is_null() || nkw.is_null() {
            xdecref(nargs);
            xdecref(nkw);
            return null_mut();
        }
        let ndict = if d == none() { null_mut() } else { new_ref(d) };
        let p = pt(op);
        p.phcount = count_ph(items);
        let old = [p.func, p.args, p.kw, p.dict];
        p.func = new_ref(f);
        p.args = nargs;
        p.kw = nkw;
        p.dict = ndict;
        if !old[3].is_null() {
            // Lock-free readers of the `__dict__` slot are waited out before the old dict goes.
            crate::qsbr::wait_readers();
        }
        for o in old {
            xdecref(o);
        }
        new_ref(none())
    }
}

unsafe fn class_getitem(cls: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { crate::genericaliasobject::Py_GenericAlias(cls, arg) }
}

static mut PARTIAL_METHODS: [PyMethodDef; 4] = [
    def!(c"__reduce__", noargs, partial_reduce),
    def!(c"__setstate__", o, partial_setstate),
    def!(c"__class_getitem__", class_o, class_getitem),
    PyMethodDef::END,
];

const fn member(name: &'static std::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: offset as Py_ssize_t,
        flags: crate::descrobject::Py_READONLY,
        doc: std::ptr::null(),
    }
}

static mut PARTIAL_MEMBERS: [PyMemberDef; 4] = [
    member(c"func", std::mem::offset_of!(Partial, func)),
    member(c"args", std::mem::offset_of!(Partial, args)),
    member(c"keywords", std::mem::offset_of!(Partial, kw)),
    PyMemberDef::END,
];

static mut PARTIAL_GETSET: [PyGetSetDef; 2] = [getset_dict(), PyGetSetDef::END];

pub(crate) static mut Partial_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(partial_new),
    tp_dealloc: Some(partial_dealloc),
    tp_repr: Some(partial_repr),
    tp_call: Some(partial_call),
    tp_descr_get: Some(partial_descr_get),
    tp_methods: (&raw mut PARTIAL_METHODS).cast(),
    tp_members: (&raw mut PARTIAL_MEMBERS).cast(),
    tp_getset: (&raw mut PARTIAL_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(Partial, dict) as isize,
    tp_weaklistoffset: std::mem::offset_of!(Partial, weakreflist) as Py_ssize_t,
    ..static_type(
        c"functools.partial",
        size_of::<Partial>(),
        0,
        Py_TPFLAGS_BASETYPE | crate::object::Py_TPFLAGS_METHOD_DESCRIPTOR,
    )
};

// ---- partialmethod --------------------------------------------------------------------------

/// A `partialmethod`: the function (or descriptor), the positional arguments (a tuple) and the
/// keywords (a dict); an instance dict for `__dict__`.
#[repr(C)]
struct PartialMethod {
    ob_base: PyObject,
    func: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
    dict: *mut PyObject,
}

unsafe fn pm<'a>(op: *mut PyObject) -> &'a mut PartialMethod {
    // SAFETY: the caller passes a live partialmethod.
    unsafe { &mut *op.cast::<PartialMethod>() }
}

unsafe extern "C" fn pm_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.partialmethod", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let a = crate::tupleobject::items(args);
            if a.is_empty() {
                return err_type(
                    "partialmethod.__init__() missing 1 required positional argument: 'func'",
                );
            }
            let mut func = a[0];
            if !crate::abstract_::callable_check(func) {
                match getattr_opt(func, "__get__") {
                    Err(()) => return null_mut(),
                    Ok(None) => {
                        let r = reprs(&[func]);
                        return match r {
                            Some(r) => err_type(&format!(
                                "the first argument {} must be a callable or a descriptor",
                                r[0]
                            )),
                            None => null_mut(),
                        };
                    }
                    Ok(Some(_)) => {}
                }
            }
            if !check_placeholders(&a[1..], kw) {
                return null_mut();
            }
            let mut pargs: &[*mut PyObject] = &[];
            let mut pkw = null_mut();
            if crate::object::type_check(func, &raw mut PartialMethod_Type) {
                let p = pm(func);
                pargs = crate::tupleobject::items(p.args);
                pkw = p.kw;
                func = p.func;
            }
            let targs = Obj::new(merge_args(pargs, &a[1..]));
            let d = Obj::new(crate::dictobject::new_dict());
            if targs.is_null() || d.is_null() {
                return null_mut();
            }
            if (!pkw.is_null() && crate::dictobject::PyDict_Merge(d.ptr(), pkw, 1) < 0)
                || (!kw.is_null() && crate::dictobject::PyDict_Merge(d.ptr(), kw, 1) < 0)
            {
                return null_mut();
            }
            let op = crate::objimpl::alloc_object(t, 0);
            if op.is_null() {
                return null_mut();
            }
            let p = pm(op);
            p.func = new_ref(func);
            p.args = targs.into_raw();
            p.kw = d.into_raw();
            p.dict = null_mut();
            op
        }
    })
}

unsafe extern "C" fn pm_dealloc(op: *mut PyObject) {
    // SAFETY: a dead partialmethod (slot contract).
    unsafe {
        let p = pm(op);
        xdecref(p.func);
        xdecref(p.args);
        xdecref(p.kw);
        xdecref(p.dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn pm_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live partialmethod.
    unsafe {
        let name = type_path(op);
        let p = pm(op);
        let Some(mut v) = reprs(&[p.func]) else {
            return null_mut();
        };
        let Some(more) = reprs(crate::tupleobject::items(p.args)) else {
            return null_mut();
        };
        v.extend(more);
        let Some(more) = kw_reprs(p.kw) else {
            return null_mut();
        };
        v.extend(more);
        s(&format!("{name}({})", v.join(", ")))
    }
}

/// The unbound method a partialmethod stands for: `func(cls_or_self, *args, *more, **kw)`,
/// made as a partial with a leading placeholder.
unsafe fn pm_unbound(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live partialmethod.
    unsafe {
        let p = pm(op);
        let a = crate::tupleobject::items(p.args);
        let r = if a.is_empty() {
            new_partial_from(p.func, &[], p.kw)
        } else {
            let mut v = vec![placeholder()];
            v.extend_from_slice(a);
            new_partial_from(p.func, &v, p.kw)
        };
        if r.is_null() {
            return r;
        }
        let pd = crate::object::dict_ptr(r);
        if let Some(pd) = pd {
            if (*pd).is_null() {
                *pd = crate::dictobject::new_dict();
            }
            if !(*pd).is_null() {
                crate::dictobject::set_item_str(*pd, "__partialmethod__", op);
            }
        }
        r
    }
}

unsafe extern "C" fn pm_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    cls: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("functools.partialmethod.__get__", null_mut(), || {
        // SAFETY: a live partialmethod; obj/cls NULL or live.
        unsafe {
            let p = pm(op);
            let func = p.func;
            let obj = if obj.is_null() { none() } else { obj };
            let cls = if cls.is_null() { none() } else { cls };
            let get = match getattr_opt(func, "__get__") {
                Err(()) => return null_mut(),
                Ok(g) => g,
            };
            if let Some(get) = get {
                let nf = crate::abc::call(get.ptr(), &[obj, cls]);
                if nf.is_null() {
                    return null_mut();
                }
                if nf.ptr() != func {
                    let r = new_partial_from(nf.ptr(), crate::tupleobject::items(p.args), p.kw);
                    if r.is_null() {
                        return r;
                    }
                    match getattr_opt(nf.ptr(), "__self__") {
                        Ok(Some(sf)) => {
                            if super::setattr_str(r, "__self__", sf.ptr()) < 0 {
                                decref(r);
                                return null_mut();
                            }
                        }
                        Ok(None) => {}
                        Err(()) => {
                            decref(r);
                            return null_mut();
                        }
                    }
                    return r;
                }
            }
            let u = Obj::new(pm_unbound(op));
            if u.is_null() {
                return null_mut();
            }
            if obj == none() {
                return u.into_raw();
            }
            crate::classobject::new_method(u.ptr(), obj)
        }
    })
}

unsafe extern "C" fn pm_isabstract(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live partialmethod.
    unsafe {
        match getattr_opt(pm(op).func, "__isabstractmethod__") {
            Err(()) => null_mut(),
            Ok(Some(v)) => v.into_raw(),
            Ok(None) => crate::abc::py_bool(false),
        }
    }
}

static mut PM_METHODS: [PyMethodDef; 2] = [
    def!(c"__class_getitem__", class_o, class_getitem),
    PyMethodDef::END,
];

static mut PM_MEMBERS: [PyMemberDef; 4] = [
    member(c"func", std::mem::offset_of!(PartialMethod, func)),
    member(c"args", std::mem::offset_of!(PartialMethod, args)),
    member(c"keywords", std::mem::offset_of!(PartialMethod, kw)),
    PyMemberDef::END,
];

static mut PM_GETSET: [PyGetSetDef; 3] = [
    getset_dict(),
    PyGetSetDef {
        name: c"__isabstractmethod__".as_ptr(),
        get: Some(pm_isabstract),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

pub(crate) static mut PartialMethod_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(pm_new),
    tp_dealloc: Some(pm_dealloc),
    tp_repr: Some(pm_repr),
    tp_descr_get: Some(pm_descr_get),
    tp_methods: (&raw mut PM_METHODS).cast(),
    tp_members: (&raw mut PM_MEMBERS).cast(),
    tp_getset: (&raw mut PM_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(PartialMethod, dict) as isize,
    ..static_type(
        c"functools.partialmethod",
        size_of::<PartialMethod>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

#[cfg(test)]
mod tests {
    use super::Partial;
    use std::mem::offset_of;

    /// CPython 3.14t's `partialobject` offsets (free-threaded header of 32 bytes).
    #[test]
    fn layout() {
        assert_eq!(offset_of!(Partial, func), 32);
        assert_eq!(offset_of!(Partial, args), 40);
        assert_eq!(offset_of!(Partial, kw), 48);
        assert_eq!(offset_of!(Partial, dict), 56);
        assert_eq!(offset_of!(Partial, weakreflist), 64);
        assert_eq!(offset_of!(Partial, placeholder), 72);
        assert_eq!(offset_of!(Partial, phcount), 80);
        assert_eq!(offset_of!(Partial, vectorcall), 88);
    }
}
