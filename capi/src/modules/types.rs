//! gilgate's own `types` module (CPython's `Lib/types.py`, with `SimpleNamespace` from
//! `Objects/namespaceobject.c`): the interpreter's own type objects under their public names
//! (`types.MappingProxyType is type(object.__dict__)`, ...), `SimpleNamespace`,
//! `DynamicClassAttribute`, `new_class`, `prepare_class`, `resolve_bases` and
//! `get_original_bases`. `coroutine` is listed in `capi/data/stdlib-needs-python.tsv`: on a
//! function it rewrites the function's code, which needs Python.

use crate::abc::{
    Body, FuncDef, Kind, Obj, call, call_method, collect, getattr, getattr_opt, py_bool, truth,
    type_error,
};
use crate::object::{PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_AttributeError, raise};
use crate::refcount::{decref, new_ref};
use crate::unicodeobject as uni;
use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::OnceLock;

// ---- SimpleNamespace -------------------------------------------------------------------------

/// CPython's `_PyNamespaceObject`: a header and the instance dict.
#[repr(C)]
pub(crate) struct NamespaceObject {
    ob_base: PyObject,
    ns_dict: *mut PyObject,
}

/// `types.SimpleNamespace`.
pub(crate) static mut SimpleNamespace_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(ns_dealloc),
    tp_repr: Some(ns_repr),
    tp_richcompare: Some(ns_richcompare),
    tp_hash: Some(crate::typeobject::PyObject_HashNotImplemented),
    tp_init: Some(ns_init),
    tp_new: Some(ns_new),
    tp_methods: (&raw const NS_METHODS).cast_mut().cast(),
    tp_getset: (&raw const NS_GETSET).cast_mut().cast(),
    tp_dictoffset: std::mem::offset_of!(NamespaceObject, ns_dict) as isize,
    ..static_type(
        c"types.SimpleNamespace",
        std::mem::size_of::<NamespaceObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

static mut NS_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(ns_get_dict),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

unsafe extern "C" fn ns_get_dict(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live namespace (getter contract).
    unsafe { new_ref(ns_dict(op)) }
}

static mut NS_METHODS: [crate::methodobject::PyMethodDef; 3] = [
    crate::longobject::method(
        c"__reduce__",
        ns_reduce as *mut std::ffi::c_void,
        crate::methodobject::METH_NOARGS,
    ),
    crate::longobject::method(
        c"__replace__",
        ns_replace as *mut std::ffi::c_void,
        crate::methodobject::METH_VARARGS | crate::methodobject::METH_KEYWORDS,
    ),
    crate::methodobject::PyMethodDef::END,
];

unsafe extern "C" fn ns_new(
    t: *mut PyTypeObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            decref(op);
            return null_mut();
        }
        (*op.cast::<NamespaceObject>()).ns_dict = d;
        op
    }
}

unsafe extern "C" fn ns_dealloc(op: *mut PyObject) {
    // SAFETY: a dead namespace (slot contract).
    unsafe {
        crate::refcount::xdecref((*op.cast::<NamespaceObject>()).ns_dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe fn ns_dict(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live namespace (caller).
    unsafe { (*op.cast::<NamespaceObject>()).ns_dict }
}

/// `SimpleNamespace(mapping_or_iterable=(), /, **kwargs)`.
unsafe extern "C" fn ns_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            type_error(&format!(
                "SimpleNamespace expected at most 1 argument, got {}",
                a.len()
            ));
            return -1;
        }
        let d = ns_dict(op);
        let mut sources = Vec::new();
        if let Some(&arg) = a.first() {
            let m = call((&raw mut crate::dictobject::PyDict_Type).cast(), &[arg]);
            if m.is_null() {
                return -1;
            }
            sources.push(m);
        }
        if !kw.is_null() {
            sources.push(Obj::borrowed(kw));
        }
        for src in sources {
            for (k, v) in crate::abc::dict_items(src.ptr()) {
                if !uni::is_str(k.ptr()) {
                    type_error("keywords must be strings");
                    return -1;
                }
                if crate::dictobject::set_item(d, k.ptr(), v.ptr()) < 0 {
                    return -1;
                }
            }
        }
        0
    }
}

thread_local! {
    /// The namespaces whose repr is being made on this thread (recursion shows `...`).
    static IN_REPR: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

unsafe extern "C" fn ns_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live namespace (slot contract).
    unsafe {
        let t = ty(op);
        let name = if t == &raw mut SimpleNamespace_Type {
            "namespace".to_string()
        } else {
            crate::object::type_short_name(t)
        };
        if IN_REPR.with(|r| r.borrow().contains(&(op as usize))) {
            return uni::from_str(&format!("{name}(...)"));
        }
        IN_REPR.with(|r| r.borrow_mut().push(op as usize));
        let mut parts = Vec::new();
        let mut failed = false;
        for (k, v) in crate::abc::dict_items(ns_dict(op)) {
            if !uni::is_str(k.ptr()) {
                continue;
            }
            let r = Obj::new(crate::object::repr(v.ptr()));
            if r.is_null() {
                failed = true;
                break;
            }
            parts.push(format!(
                "{}={}",
                uni::as_str(k.ptr()).unwrap_or(""),
                uni::as_str(r.ptr()).unwrap_or("")
            ));
        }
        IN_REPR.with(|r| r.borrow_mut().retain(|&x| x != op as usize));
        if failed {
            return null_mut();
        }
        uni::from_str(&format!("{name}({})", parts.join(", ")))
    }
}

unsafe extern "C" fn ns_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let t = &raw mut SimpleNamespace_Type;
        if (op == crate::object::Py_EQ || op == crate::object::Py_NE)
            && crate::object::type_check(a, t)
            && crate::object::type_check(b, t)
        {
            return crate::abstract_::PyObject_RichCompare(ns_dict(a), ns_dict(b), op);
        }
        crate::abc::not_implemented()
    }
}

unsafe extern "C" fn ns_reduce(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe {
        let empty = Obj::new(crate::tupleobject::new_tuple(0));
        crate::tupleobject::from_slice(&[ty(op).cast(), empty.ptr(), ns_dict(op)])
    }
}

unsafe extern "C" fn ns_replace(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_VARARGS | METH_KEYWORDS contract.
    unsafe {
        if !crate::tupleobject::items(args).is_empty() {
            return type_error("__replace__() takes no positional arguments");
        }
        let empty = Obj::new(crate::tupleobject::new_tuple(0));
        let r = Obj::new(crate::object::call(ty(op).cast(), empty.ptr(), ns_dict(op)));
        if r.is_null() {
            return null_mut();
        }
        if !kw.is_null() && crate::dictobject::PyDict_Update(ns_dict(r.ptr()), kw) < 0 {
            return null_mut();
        }
        r.into_raw()
    }
}

// ---- DynamicClassAttribute -------------------------------------------------------------------

/// `x.<name>` when given (NULL/None: None).
fn arg(a: &[*mut PyObject], i: usize) -> *mut PyObject {
    match a.get(i).copied() {
        Some(x) if !x.is_null() => x,
        _ => crate::object::none(),
    }
}

unsafe fn setattr(o: *mut PyObject, name: &str, v: *mut PyObject) -> Result<(), ()> {
    let n = Obj::new(uni::from_str(name));
    // SAFETY: live objects (caller).
    if n.is_null() || unsafe { crate::object::setattr(o, n.ptr(), v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

/// `DynamicClassAttribute.__init__(self, fget=None, fset=None, fdel=None, doc=None)`.
unsafe fn dca_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let s = a[0];
        let (fget, fset, fdel, doc) = (arg(a, 1), arg(a, 2), arg(a, 3), arg(a, 4));
        let none = crate::object::none();
        let r = (|| -> Result<(), ()> {
            setattr(s, "fget", fget)?;
            setattr(s, "fset", fset)?;
            setattr(s, "fdel", fdel)?;
            let doc_true = truth(doc)?;
            // (gilgate's None has no `__doc__`: a missing one counts as None.)
            let d = if doc_true {
                Obj::borrowed(doc)
            } else {
                getattr_opt(fget, "__doc__")?.unwrap_or_else(|| Obj::borrowed(none))
            };
            setattr(s, "__doc__", d.ptr())?;
            setattr(s, "overwrite_doc", py_bool(doc == none))?;
            let abs = crate::abc::is_abstract(fget)?;
            let b = Obj::new(py_bool(abs));
            setattr(s, "__isabstractmethod__", b.ptr())
        })();
        match r {
            Ok(()) => crate::object::new_none(),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn dca_get(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (s, inst) = (a[0], arg(a, 1));
        if inst == crate::object::none() {
            let ab = getattr(s, "__isabstractmethod__");
            if ab.is_null() {
                return null_mut();
            }
            return match truth(ab.ptr()) {
                Err(()) => null_mut(),
                Ok(true) => new_ref(s),
                Ok(false) => {
                    crate::pyerrors::PyErr_SetNone((&raw mut EXC_AttributeError).cast());
                    null_mut()
                }
            };
        }
        let f = getattr(s, "fget");
        if f.is_null() {
            return null_mut();
        }
        if f.ptr() == crate::object::none() {
            return raise(&raw mut EXC_AttributeError, "unreadable attribute");
        }
        call(f.ptr(), &[inst]).into_raw()
    }
}

unsafe fn dca_call(
    s: *mut PyObject,
    field: &str,
    msg: &str,
    args: &[*mut PyObject],
) -> *mut PyObject {
    // SAFETY: live arguments (caller).
    unsafe {
        let f = getattr(s, field);
        if f.is_null() {
            return null_mut();
        }
        if f.ptr() == crate::object::none() {
            return raise(&raw mut EXC_AttributeError, msg);
        }
        if call(f.ptr(), args).is_null() {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe fn dca_set(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { dca_call(a[0], "fset", "can't set attribute", &[a[1], a[2]]) }
}

unsafe fn dca_delete(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { dca_call(a[0], "fdel", "can't delete attribute", &[a[1]]) }
}

/// `getter`/`setter`/`deleter`: a copy with one accessor replaced (`which` 0, 1, 2).
unsafe fn dca_copy(a: &[*mut PyObject], which: usize) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let s = a[0];
        let (fget, fset, fdel, doc, ow) = (
            getattr(s, "fget"),
            getattr(s, "fset"),
            getattr(s, "fdel"),
            getattr(s, "__doc__"),
            getattr(s, "overwrite_doc"),
        );
        if fget.is_null() || fset.is_null() || fdel.is_null() || doc.is_null() || ow.is_null() {
            return null_mut();
        }
        let mut fs = [fget.ptr(), fset.ptr(), fdel.ptr()];
        fs[which] = a[1];
        let doc = if which == 0 {
            let Ok(ow_true) = truth(ow.ptr()) else {
                return null_mut();
            };
            let fdoc = if ow_true {
                let d = getattr(a[1], "__doc__");
                if d.is_null() {
                    return null_mut();
                }
                d
            } else {
                Obj::borrowed(crate::object::none())
            };
            match truth(fdoc.ptr()) {
                Err(()) => return null_mut(),
                Ok(true) => fdoc,
                Ok(false) => doc,
            }
        } else {
            doc
        };
        let r = call(ty(s).cast(), &[fs[0], fs[1], fs[2], doc.ptr()]);
        if r.is_null() || setattr(r.ptr(), "overwrite_doc", ow.ptr()).is_err() {
            return null_mut();
        }
        r.into_raw()
    }
}
unsafe fn dca_getter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { dca_copy(a, 0) }
}
unsafe fn dca_setter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { dca_copy(a, 1) }
}
unsafe fn dca_deleter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { dca_copy(a, 2) }
}

const fn m(q: &'static str, p: &'static [&'static str], req: usize, body: Body) -> FuncDef {
    FuncDef::new(q, p, req, Kind::Method, body)
}

static DCA: [FuncDef; 7] = [
    m(
        "DynamicClassAttribute.__init__",
        &["self", "fget", "fset", "fdel", "doc"],
        1,
        dca_init,
    ),
    m(
        "DynamicClassAttribute.__get__",
        &["self", "instance", "ownerclass"],
        2,
        dca_get,
    ),
    m(
        "DynamicClassAttribute.__set__",
        &["self", "instance", "value"],
        3,
        dca_set,
    ),
    m(
        "DynamicClassAttribute.__delete__",
        &["self", "instance"],
        2,
        dca_delete,
    ),
    m(
        "DynamicClassAttribute.getter",
        &["self", "fget"],
        2,
        dca_getter,
    ),
    m(
        "DynamicClassAttribute.setter",
        &["self", "fset"],
        2,
        dca_setter,
    ),
    m(
        "DynamicClassAttribute.deleter",
        &["self", "fdel"],
        2,
        dca_deleter,
    ),
];

// ---- functions -------------------------------------------------------------------------------

/// `resolve_bases(bases)`.
unsafe fn f_resolve_bases(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let bases = a[0];
        let Ok(items) = collect(bases) else {
            return null_mut();
        };
        let mut out: Vec<Obj> = Vec::new();
        let mut updated = false;
        for b in items {
            if crate::object::is_type(b.ptr()) {
                out.push(b);
                continue;
            }
            let f = match getattr_opt(b.ptr(), "__mro_entries__") {
                Err(()) => return null_mut(),
                Ok(None) => {
                    out.push(b);
                    continue;
                }
                Ok(Some(f)) => f,
            };
            let nb = call(f.ptr(), &[bases]);
            if nb.is_null() {
                return null_mut();
            }
            updated = true;
            if !crate::tupleobject::is_tuple(nb.ptr()) {
                return type_error("__mro_entries__ must return a tuple");
            }
            out.extend(
                crate::tupleobject::items(nb.ptr())
                    .iter()
                    .map(|&x| Obj::borrowed(x)),
            );
        }
        if !updated {
            return new_ref(bases);
        }
        let ptrs: Vec<*mut PyObject> = out.iter().map(Obj::ptr).collect();
        crate::tupleobject::from_slice(&ptrs)
    }
}

const META_CONFLICT: &str = "metaclass conflict: the metaclass of a derived class must be a \
                             (non-strict) subclass of the metaclasses of all its bases";

/// CPython's `_calculate_meta(meta, bases)`.
unsafe fn calculate_meta(meta: *mut PyObject, bases: *mut PyObject) -> Result<Obj, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let mut winner = Obj::borrowed(meta);
        for b in collect(bases)? {
            let bm: *mut PyObject = ty(b.ptr()).cast();
            let sub = |x: *mut PyObject, y: *mut PyObject| -> Result<bool, ()> {
                match crate::abstract_::PyObject_IsSubclass(x, y) {
                    r if r < 0 => Err(()),
                    r => Ok(r == 1),
                }
            };
            if sub(winner.ptr(), bm)? {
                continue;
            }
            if sub(bm, winner.ptr())? {
                winner = Obj::borrowed(bm);
                continue;
            }
            type_error(META_CONFLICT);
            return Err(());
        }
        Ok(winner)
    }
}

/// `prepare_class(name, bases=(), kwds=None)` as (meta, ns, kwds).
unsafe fn prepare(
    name: *mut PyObject,
    bases: *mut PyObject,
    kwds: *mut PyObject,
) -> Result<(Obj, Obj, Obj), ()> {
    // SAFETY: live objects (caller); `kwds` None or a mapping.
    unsafe {
        let kw = if kwds == crate::object::none() {
            Obj::new(crate::dictobject::new_dict())
        } else {
            call((&raw mut crate::dictobject::PyDict_Type).cast(), &[kwds])
        };
        if kw.is_null() {
            return Err(());
        }
        let given = crate::dictobject::get_str(kw.ptr(), "metaclass");
        let mut meta = if !given.is_null() {
            let m = Obj::borrowed(given);
            let k = Obj::new(uni::from_str("metaclass"));
            if crate::dictobject::del_item(kw.ptr(), k.ptr()) < 0 {
                return Err(());
            }
            m
        } else {
            let items = collect(bases)?;
            match items.first() {
                Some(b) => Obj::borrowed(ty(b.ptr()).cast()),
                None => Obj::borrowed((&raw mut crate::object::PyType_Type).cast()),
            }
        };
        if crate::object::is_type(meta.ptr()) {
            meta = calculate_meta(meta.ptr(), bases)?;
        }
        let ns = match getattr_opt(meta.ptr(), "__prepare__")? {
            Some(p) => {
                let args = Obj::new(crate::tupleobject::from_slice(&[name, bases]));
                let r = Obj::new(crate::object::call(p.ptr(), args.ptr(), kw.ptr()));
                if r.is_null() {
                    return Err(());
                }
                r
            }
            None => Obj::new(crate::dictobject::new_dict()),
        };
        if ns.is_null() {
            return Err(());
        }
        Ok((meta, ns, kw))
    }
}

unsafe fn f_prepare_class(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let empty = Obj::new(crate::tupleobject::new_tuple(0));
        let bases = if a.get(1).is_some_and(|b| !b.is_null()) {
            a[1]
        } else {
            empty.ptr()
        };
        match prepare(a[0], bases, arg(a, 2)) {
            Ok((m, n, k)) => crate::tupleobject::from_slice(&[m.ptr(), n.ptr(), k.ptr()]),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn f_new_class(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let empty = Obj::new(crate::tupleobject::new_tuple(0));
        let bases = if a.get(1).is_some_and(|b| !b.is_null()) {
            a[1]
        } else {
            empty.ptr()
        };
        let resolved = Obj::new(f_resolve_bases(&[bases], null_mut()));
        if resolved.is_null() {
            return null_mut();
        }
        let Ok((meta, ns, kw)) = prepare(a[0], resolved.ptr(), arg(a, 2)) else {
            return null_mut();
        };
        let body = arg(a, 3);
        if body != crate::object::none() && call(body, &[ns.ptr()]).is_null() {
            return null_mut();
        }
        if resolved.ptr() != bases
            && crate::abstract_::PyObject_SetItem(ns.ptr(), uni::intern("__orig_bases__"), bases)
                < 0
        {
            return null_mut();
        }
        let args = Obj::new(crate::tupleobject::from_slice(&[
            a[0],
            resolved.ptr(),
            ns.ptr(),
        ]));
        crate::object::call(meta.ptr(), args.ptr(), kw.ptr())
    }
}

unsafe fn f_get_original_bases(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let cls = a[0];
        let d = getattr(cls, "__dict__");
        if d.is_null() {
            if crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
                crate::pyerrors::clear();
                return type_error(&format!(
                    "Expected an instance of type, not '{}'",
                    crate::object::type_short_name(ty(cls))
                ));
            }
            return null_mut();
        }
        let b = getattr(cls, "__bases__");
        if b.is_null() {
            if crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
                crate::pyerrors::clear();
                return type_error(&format!(
                    "Expected an instance of type, not '{}'",
                    crate::object::type_short_name(ty(cls))
                ));
            }
            return null_mut();
        }
        let k = Obj::new(uni::from_str("__orig_bases__"));
        call_method(d.ptr(), "get", &[k.ptr(), b.ptr()]).into_raw()
    }
}

/// `coroutine(func)`: a generator-based coroutine needs the function's code rewritten (or a
/// Python wrapper), so gilgate raises after CPython's argument check.
unsafe fn f_coroutine(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        if !crate::abstract_::callable_check(a[0]) {
            return type_error("types.coroutine() expects a callable");
        }
    }
    crate::pyerrors::set_system_error(
        "gilgate: types.coroutine() wraps a function in Python code; gilgate runs no Python code",
    );
    null_mut()
}

static FUNCS: [FuncDef; 5] = [
    FuncDef::new(
        "new_class",
        &["name", "bases", "kwds", "exec_body"],
        1,
        Kind::Static,
        f_new_class,
    ),
    FuncDef::new(
        "resolve_bases",
        &["bases"],
        1,
        Kind::Static,
        f_resolve_bases,
    ),
    FuncDef::new(
        "prepare_class",
        &["name", "bases", "kwds"],
        1,
        Kind::Static,
        f_prepare_class,
    ),
    FuncDef::new(
        "get_original_bases",
        &["cls"],
        1,
        Kind::Static,
        f_get_original_bases,
    ),
    FuncDef::new("coroutine", &["func"], 1, Kind::Static, f_coroutine),
];

// ---- the module ------------------------------------------------------------------------------

/// The static types start-up readies for this module.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut SimpleNamespace_Type]
}

static MADE: OnceLock<usize> = OnceLock::new();

/// The `types` module (a borrowed, process-lifetime reference; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "types", build)
}

fn build() -> *mut PyObject {
    unsafe extern "C" {
        static mut PyAsyncGen_Type: PyTypeObject;
        static mut PyCell_Type: PyTypeObject;
        static mut PyCoro_Type: PyTypeObject;
        static mut PyFunction_Type: PyTypeObject;
        static mut PyGen_Type: PyTypeObject;
        static mut Py_GenericAliasType: PyTypeObject;
        static mut _PyUnion_Type: PyTypeObject;
    }
    let name = uni::intern("types");
    // SAFETY: `name` is a live str; the types named are gilgate's type objects.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        // `type([].__len__)`: the bound slot wrapper.
        let sample = Obj::new(crate::listobject::new_list(0));
        let wrapper = getattr(sample.ptr(), "__len__");
        if wrapper.is_null() {
            return null_mut();
        }
        let t = |p: *mut PyTypeObject| p.cast::<PyObject>();
        let types: [(&str, *mut PyObject); 27] = [
            ("AsyncGeneratorType", t(&raw mut PyAsyncGen_Type)),
            (
                "BuiltinFunctionType",
                t(&raw mut crate::methodobject::PyCFunction_Type),
            ),
            (
                "BuiltinMethodType",
                t(&raw mut crate::methodobject::PyCFunction_Type),
            ),
            ("CapsuleType", t(&raw mut crate::pycapsule::PyCapsule_Type)),
            ("CellType", t(&raw mut PyCell_Type)),
            (
                "ClassMethodDescriptorType",
                t(&raw mut crate::descrobject::PyClassMethodDescr_Type),
            ),
            ("CodeType", t(&raw mut crate::codeobject::PyCode_Type)),
            ("CoroutineType", t(&raw mut PyCoro_Type)),
            ("EllipsisType", t(&raw mut crate::object::PyEllipsis_Type)),
            ("FrameType", t(&raw mut crate::frameobject::PyFrame_Type)),
            ("FunctionType", t(&raw mut PyFunction_Type)),
            ("GeneratorType", t(&raw mut PyGen_Type)),
            ("GenericAlias", t(&raw mut Py_GenericAliasType)),
            (
                "GetSetDescriptorType",
                t(&raw mut crate::descrobject::PyGetSetDescr_Type),
            ),
            ("LambdaType", t(&raw mut PyFunction_Type)),
            (
                "MappingProxyType",
                t(&raw mut crate::descrobject::PyDictProxy_Type),
            ),
            (
                "MemberDescriptorType",
                t(&raw mut crate::descrobject::PyMemberDescr_Type),
            ),
            (
                "MethodDescriptorType",
                t(&raw mut crate::descrobject::PyMethodDescr_Type),
            ),
            ("MethodType", t(&raw mut crate::classobject::PyMethod_Type)),
            ("MethodWrapperType", ty(wrapper.ptr()).cast()),
            ("ModuleType", t(&raw mut crate::moduleobject::PyModule_Type)),
            ("NoneType", t(&raw mut crate::object::_PyNone_Type)),
            (
                "NotImplementedType",
                t(&raw mut crate::object::_PyNotImplemented_Type),
            ),
            ("SimpleNamespace", t(&raw mut SimpleNamespace_Type)),
            (
                "TracebackType",
                t(&raw mut crate::traceback::PyTraceBack_Type),
            ),
            ("UnionType", t(&raw mut _PyUnion_Type)),
            (
                "WrapperDescriptorType",
                t(&raw mut crate::descrobject::PyWrapperDescr_Type),
            ),
        ];
        for (k, v) in types {
            crate::dictobject::set_item_str(d, k, v);
        }
        if crate::abc::add_funcs(d, &FUNCS).is_err() {
            return null_mut();
        }
        // DynamicClassAttribute: a plain class whose dunders drive its slots.
        let dca = crate::abc::make_class(
            &raw mut crate::object::PyType_Type,
            "types",
            "DynamicClassAttribute",
            &[],
            &DCA,
            &[],
        );
        if dca.is_null() {
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "DynamicClassAttribute", dca.ptr());
        let all = [
            "AsyncGeneratorType",
            "BuiltinFunctionType",
            "BuiltinMethodType",
            "CapsuleType",
            "CellType",
            "ClassMethodDescriptorType",
            "CodeType",
            "CoroutineType",
            "EllipsisType",
            "FrameType",
            "FunctionType",
            "GeneratorType",
            "GenericAlias",
            "GetSetDescriptorType",
            "LambdaType",
            "MappingProxyType",
            "MemberDescriptorType",
            "MethodDescriptorType",
            "MethodType",
            "MethodWrapperType",
            "ModuleType",
            "NoneType",
            "NotImplementedType",
            "SimpleNamespace",
            "TracebackType",
            "UnionType",
            "WrapperDescriptorType",
            "new_class",
            "resolve_bases",
            "prepare_class",
            "get_original_bases",
            "DynamicClassAttribute",
            "coroutine",
        ];
        let l = Obj::new(crate::listobject::new_list(0));
        for n in all {
            let s = Obj::new(uni::from_str(n));
            crate::listobject::append(l.ptr(), s.ptr());
        }
        crate::dictobject::set_item_str(d, "__all__", l.ptr());
        m
    }
}
