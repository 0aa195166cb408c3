//! gilgate's own `abc` module (CPython's `Lib/abc.py` over `Modules/_abc.c`): `ABCMeta` (a
//! metaclass deriving from `type` whose `__instancecheck__`/`__subclasscheck__` consult the
//! registry, the caches and `__subclasshook__`), `ABC`, `abstractmethod`,
//! `update_abstractmethods`, `get_cache_token` and `abstractproperty`.
//!
//! It also holds what gilgate's other Python-level standard-library modules
//! (`_collections_abc`, `numbers`, `types`) build their classes from: [`Func`], a function
//! object written in Rust that binds to instances as a Python function does (`type` name
//! `function`), and the small owned-reference helpers ([`Obj`]) their bodies use.

use crate::object::{PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_AttributeError, EXC_RuntimeError, EXC_TypeError, raise};
use crate::refcount::{decref, incref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

// ---- owned references ------------------------------------------------------------------------

/// An owned (strong) reference, released on drop; NULL means "an exception is set".
pub(crate) struct Obj(pub *mut PyObject);

impl Obj {
    /// Takes ownership of a new reference (NULL allowed).
    pub(crate) fn new(p: *mut PyObject) -> Obj {
        Obj(p)
    }
    /// A new reference to a borrowed object.
    pub(crate) fn borrowed(p: *mut PyObject) -> Obj {
        // SAFETY: a live object (caller).
        Obj(unsafe { new_ref(p) })
    }
    pub(crate) fn is_null(&self) -> bool {
        self.0.is_null()
    }
    /// Gives the reference away.
    pub(crate) fn into_raw(self) -> *mut PyObject {
        let p = self.0;
        std::mem::forget(self);
        p
    }
    pub(crate) fn ptr(&self) -> *mut PyObject {
        self.0
    }
}

impl Drop for Obj {
    fn drop(&mut self) {
        // SAFETY: an owned reference (or NULL).
        unsafe { xdecref(self.0) }
    }
}

/// `o.name` (NULL with an exception).
pub(crate) unsafe fn getattr(o: *mut PyObject, name: &str) -> Obj {
    let n = Obj::new(uni::from_str(name));
    if n.is_null() {
        return n;
    }
    // SAFETY: live objects (caller).
    Obj::new(unsafe { crate::object::getattr(o, n.ptr()) })
}

/// `getattr(o, name, None)` as Option: None when absent (AttributeError cleared); Err on
/// another error.
pub(crate) unsafe fn getattr_opt(o: *mut PyObject, name: &str) -> Result<Option<Obj>, ()> {
    let n = Obj::new(uni::from_str(name));
    if n.is_null() {
        return Err(());
    }
    let mut v = null_mut();
    // SAFETY: live objects (caller).
    match unsafe { crate::object::getattr_opt(o, n.ptr(), &mut v) } {
        r if r < 0 => Err(()),
        0 => Ok(None),
        _ => Ok(Some(Obj::new(v))),
    }
}

/// `callable(*args)`.
pub(crate) unsafe fn call(callable: *mut PyObject, args: &[*mut PyObject]) -> Obj {
    // SAFETY: live objects (caller).
    Obj::new(unsafe { crate::abstract_::call_args(callable, args) })
}

/// `o.name(*args)`.
pub(crate) unsafe fn call_method(o: *mut PyObject, name: &str, args: &[*mut PyObject]) -> Obj {
    // SAFETY: live objects (caller).
    Obj::new(unsafe { crate::abstract_::call_method(o, name, args) })
}

/// `bool(o)`: Err on error.
pub(crate) unsafe fn truth(o: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live object (caller).
    match unsafe { crate::object::truth(o) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

/// The items of an iterable, in order (Err with an exception set).
pub(crate) unsafe fn collect(it: *mut PyObject) -> Result<Vec<Obj>, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        let i = Obj::new(crate::abstract_::get_iter(it));
        if i.is_null() {
            return Err(());
        }
        let mut out = Vec::new();
        loop {
            let x = crate::abstract_::iter_next(i.ptr());
            if x.is_null() {
                break;
            }
            out.push(Obj::new(x));
        }
        if crate::pyerrors::occurred() {
            Err(())
        } else {
            Ok(out)
        }
    }
}

/// A dict's items (new references), in order.
pub(crate) unsafe fn dict_items(d: *mut PyObject) -> Vec<(Obj, Obj)> {
    let mut out = Vec::new();
    let mut pos: crate::pyport::Py_ssize_t = 0;
    let mut k = null_mut();
    let mut v = null_mut();
    // SAFETY: `d` is a live dict (caller); the pointers written are borrowed, then owned.
    unsafe {
        while crate::dictobject::PyDict_Next(d, &mut pos, &mut k, &mut v) != 0 {
            out.push((Obj::borrowed(k), Obj::borrowed(v)));
        }
    }
    out
}

/// `True`/`False` as a new reference.
pub(crate) fn py_bool(b: bool) -> *mut PyObject {
    let o = if b {
        crate::boolobject::true_()
    } else {
        crate::boolobject::false_()
    };
    // SAFETY: the immortal bools.
    unsafe { new_ref(o) }
}

/// `NotImplemented` as a new reference.
pub(crate) fn not_implemented() -> *mut PyObject {
    // SAFETY: the immortal NotImplemented.
    unsafe { new_ref(&raw mut crate::object::_Py_NotImplementedStruct) }
}

pub(crate) fn is_not_implemented(o: *mut PyObject) -> bool {
    o == &raw mut crate::object::_Py_NotImplementedStruct
}

pub(crate) fn type_error(msg: &str) -> *mut PyObject {
    raise(&raw mut EXC_TypeError, msg)
}

// ---- functions written in Rust that bind like Python functions ---------------------------------

/// The body of a [`Func`]: the positional arguments (the bound instance first, as a Python
/// function sees `self`) after the parameter check, and the keyword dict (NULL or a dict)
/// when the function takes `**kwargs`.
pub(crate) type Body = unsafe fn(&[*mut PyObject], *mut PyObject) -> *mut PyObject;

/// What a [`Func`] is: its qualified name, parameters (positional names, how many are
/// required, whether it takes `*args`/`**kwargs`), kind and body.
pub(crate) struct FuncDef {
    pub qualname: &'static str,
    pub params: &'static [&'static str],
    pub required: usize,
    pub varargs: bool,
    pub kwargs: bool,
    /// How many of `params` may be passed by position (the rest are keyword-only).
    pub positional: usize,
    pub kind: Kind,
    pub body: Body,
}

/// How a [`Func`] binds and whether it is abstract.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An instance method (binds to the instance).
    Method,
    /// An abstract instance method (`__isabstractmethod__` is True).
    Abstract,
    /// A class method (binds to the class).
    Class,
    /// A module-level function or a static method (never binds).
    Static,
}

impl FuncDef {
    pub(crate) const fn new(
        qualname: &'static str,
        params: &'static [&'static str],
        required: usize,
        kind: Kind,
        body: Body,
    ) -> FuncDef {
        FuncDef {
            qualname,
            params,
            required,
            varargs: false,
            kwargs: false,
            positional: params.len(),
            kind,
            body,
        }
    }
    /// Makes the parameters after the first `n` keyword-only.
    pub(crate) const fn with_kwonly(mut self, n: usize) -> FuncDef {
        self.positional = n;
        self
    }
    pub(crate) const fn with_kwargs(mut self) -> FuncDef {
        self.kwargs = true;
        self
    }
    pub(crate) const fn with_varargs(mut self) -> FuncDef {
        self.varargs = true;
        self
    }
    /// The last part of the qualified name.
    pub(crate) fn name(&self) -> &'static str {
        self.qualname.rsplit('.').next().unwrap_or(self.qualname)
    }
}

/// A function object written in Rust (its `type` is named `function`, as Python functions'
/// is): unbound it is the function, bound (`__self__` set) it is the method.
#[repr(C)]
pub(crate) struct Func {
    ob_base: PyObject,
    def: *const FuncDef,
    bound: *mut PyObject,
    dict: *mut PyObject,
    /// `__name__` and `__qualname__` once assigned (NULL: the def's), read and swapped under
    /// the object's lock.
    name: *mut PyObject,
    qualname: *mut PyObject,
}

/// The type of [`Func`] objects.
pub(crate) static mut Func_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(func_dealloc),
    tp_repr: Some(func_repr),
    tp_call: Some(func_call),
    tp_descr_get: Some(func_descr_get),
    tp_getset: (&raw const FUNC_GETSET).cast_mut().cast(),
    tp_dictoffset: std::mem::offset_of!(Func, dict) as isize,
    ..static_type(c"function", std::mem::size_of::<Func>(), 0, 0)
};

static mut FUNC_GETSET: [crate::descrobject::PyGetSetDef; 5] = [
    getset(c"__name__", func_name, Some(func_set_name)),
    getset(c"__qualname__", func_qualname, Some(func_set_qualname)),
    getset(c"__self__", func_self, None),
    getset(c"__isabstractmethod__", func_isabstract, None),
    crate::descrobject::PyGetSetDef::END,
];

const fn getset(
    name: &'static std::ffi::CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
    set: crate::descrobject::setter,
) -> crate::descrobject::PyGetSetDef {
    crate::descrobject::PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set,
        doc: std::ptr::null(),
        closure: null_mut(),
    }
}

/// A new [`Func`] for `def` (which lives for the process), bound to `bound` (NULL: unbound).
pub(crate) fn new_func(def: &'static FuncDef, bound: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func_Type is readied at start-up.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut Func_Type, 0) };
    if op.is_null() {
        return op;
    }
    // SAFETY: a fresh Func.
    unsafe {
        let f = op.cast::<Func>();
        (*f).def = def;
        if !bound.is_null() {
            incref(bound);
        }
        (*f).bound = bound;
        (*f).dict = null_mut();
        (*f).name = null_mut();
        (*f).qualname = null_mut();
    }
    op
}

unsafe fn def_of(op: *mut PyObject) -> &'static FuncDef {
    // SAFETY: `op` is a live Func whose def lives for the process.
    unsafe { &*(*op.cast::<Func>()).def }
}

unsafe extern "C" fn func_dealloc(op: *mut PyObject) {
    // SAFETY: a dead Func (slot contract).
    unsafe {
        let f = op.cast::<Func>();
        xdecref((*f).bound);
        xdecref((*f).dict);
        xdecref((*f).name);
        xdecref((*f).qualname);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn func_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Func (slot contract).
    unsafe {
        let f = op.cast::<Func>();
        let qn = Obj::new(func_qualname(op, null_mut()));
        if qn.is_null() {
            return null_mut();
        }
        let q = uni::as_str(qn.ptr()).unwrap_or("");
        if (*f).bound.is_null() {
            uni::from_str(&format!("<function {q} at {op:p}>"))
        } else {
            let r = Obj::new(crate::object::repr((*f).bound));
            if r.is_null() {
                return null_mut();
            }
            let rs = uni::as_str(r.ptr()).unwrap_or("");
            uni::from_str(&format!("<bound method {q} of {rs}>"))
        }
    }
}

unsafe extern "C" fn func_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live Func (slot contract); obj/t NULL or live.
    unsafe {
        let def = def_of(op);
        if !(*op.cast::<Func>()).bound.is_null() {
            return new_ref(op);
        }
        match def.kind {
            Kind::Static => new_ref(op),
            Kind::Class => {
                let owner = if t.is_null() { ty(obj).cast() } else { t };
                bind(op, owner)
            }
            Kind::Method | Kind::Abstract => {
                if obj.is_null() || obj == crate::object::none() {
                    new_ref(op)
                } else {
                    bind(op, obj)
                }
            }
        }
    }
}

/// `op` bound to `to`: a new Func with the same def and the names assigned to `op` (a method's
/// `__name__` is its function's).
///
/// # Safety
/// `op` must be a live unbound Func, `to` live.
unsafe fn bind(op: *mut PyObject, to: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; the new Func is not shared yet.
    unsafe {
        let b = new_func(def_of(op), to);
        if !b.is_null() {
            let f = b.cast::<Func>();
            (*f).name = assigned(op, false);
            (*f).qualname = assigned(op, true);
        }
        b
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

unsafe extern "C" fn func_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live Func; args a tuple, kw NULL or a dict (tp_call contract).
    unsafe {
        let def = def_of(op);
        let bound = (*op.cast::<Func>()).bound;
        let mut v: Vec<*mut PyObject> = Vec::new();
        if !bound.is_null() {
            v.push(bound);
        }
        if !args.is_null() {
            v.extend_from_slice(crate::tupleobject::items(args));
        }
        let q = def.qualname;
        let max = def.params.len();
        let npos = def.positional.min(max);
        if v.len() > npos && !def.varargs {
            let max = npos;
            let takes = if def.required == max {
                plural(max, "positional argument")
            } else {
                format!("from {} to {max} positional arguments", def.required)
            };
            let was = if v.len() == 1 { "was" } else { "were" };
            return type_error(&format!("{q}() takes {takes} but {} {was} given", v.len()));
        }
        // Keywords naming positional parameters fill them; the rest go to **kwargs.
        let mut filled: Vec<Option<*mut PyObject>> =
            (0..max.max(v.len())).map(|i| v.get(i).copied()).collect();
        let mut rest = Obj::new(null_mut());
        if !kw.is_null() && crate::dictobject::len(kw) != 0 {
            for (k, val) in dict_items(kw) {
                let (k, val) = (k.ptr(), val.ptr());
                let ks = uni::as_str(k).unwrap_or("");
                if let Some(i) = def.params.iter().position(|p| *p == ks) {
                    if filled[i].is_some() {
                        return type_error(&format!(
                            "{q}() got multiple values for argument '{ks}'"
                        ));
                    }
                    filled[i] = Some(val);
                } else if def.kwargs {
                    if rest.is_null() {
                        rest = Obj::new(crate::dictobject::new_dict());
                        if rest.is_null() {
                            return null_mut();
                        }
                    }
                    if crate::dictobject::set_item(rest.ptr(), k, val) < 0 {
                        return null_mut();
                    }
                } else {
                    return type_error(&format!("{q}() got an unexpected keyword argument '{ks}'"));
                }
            }
        }
        let missing: Vec<&str> = (0..def.required)
            .filter(|&i| filled[i].is_none())
            .map(|i| def.params[i])
            .collect();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
            let list = match names.len() {
                1 => names[0].clone(),
                2 => format!("{} and {}", names[0], names[1]),
                n => format!("{}, and {}", names[..n - 1].join(", "), names[n - 1]),
            };
            return type_error(&format!(
                "{q}() missing {} required positional argument{}: {list}",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            ));
        }
        // Optional parameters left unfilled are passed as NULL (the body picks its default).
        let passed: Vec<*mut PyObject> = filled.iter().map(|x| x.unwrap_or(null_mut())).collect();
        (def.body)(&passed, rest.ptr())
    }
}

/// The `__name__` (`qual` false) or `__qualname__` slot of a Func: the assigned str (new
/// reference), else NULL.
///
/// # Safety
/// `op` must be a live Func.
unsafe fn assigned(op: *mut PyObject, qual: bool) -> *mut PyObject {
    // SAFETY: forwarded contract; the slot is read and its reference taken under the lock its
    // writer holds.
    unsafe {
        let f = op.cast::<Func>();
        let _g = crate::object::ObjectLock::new(op);
        let v = if qual { (*f).qualname } else { (*f).name };
        if !v.is_null() {
            incref(v);
        }
        v
    }
}

/// Assigns `__name__` or `__qualname__` (CPython's function setters: a str, never deleted).
///
/// # Safety
/// `op` must be a live Func, `v` NULL or live.
unsafe fn assign(op: *mut PyObject, v: *mut PyObject, qual: bool) -> c_int {
    // SAFETY: forwarded contract; the old value is released after the lock.
    unsafe {
        if v.is_null() || !uni::is_str(v) {
            let what = if qual { "__qualname__" } else { "__name__" };
            type_error(&format!("{what} must be set to a string object"));
            return -1;
        }
        incref(v);
        let f = op.cast::<Func>();
        let old = {
            let _g = crate::object::ObjectLock::new(op);
            let slot = if qual {
                &mut (*f).qualname
            } else {
                &mut (*f).name
            };
            std::mem::replace(slot, v)
        };
        xdecref(old);
        0
    }
}

unsafe extern "C" fn func_name(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live Func (getter contract).
    unsafe {
        let v = assigned(op, false);
        if v.is_null() {
            uni::from_str(def_of(op).name())
        } else {
            v
        }
    }
}
unsafe extern "C" fn func_qualname(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live Func (getter contract).
    unsafe {
        let v = assigned(op, true);
        if v.is_null() {
            uni::from_str(def_of(op).qualname)
        } else {
            v
        }
    }
}
unsafe extern "C" fn func_set_name(op: *mut PyObject, v: *mut PyObject, _c: *mut c_void) -> c_int {
    // SAFETY: a live Func (setter contract).
    unsafe { assign(op, v, false) }
}
unsafe extern "C" fn func_set_qualname(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    // SAFETY: a live Func (setter contract).
    unsafe { assign(op, v, true) }
}
unsafe extern "C" fn func_self(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live Func (getter contract).
    unsafe {
        let b = (*op.cast::<Func>()).bound;
        if b.is_null() {
            raise(
                &raw mut EXC_AttributeError,
                "'function' object has no attribute '__self__'",
            )
        } else {
            new_ref(b)
        }
    }
}
unsafe extern "C" fn func_isabstract(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live Func (getter contract).
    unsafe {
        let f = op.cast::<Func>();
        if !(*f).dict.is_null() {
            let v = crate::dictobject::get_str((*f).dict, "__isabstractmethod__");
            if !v.is_null() {
                return new_ref(v);
            }
        }
        if def_of(op).kind == Kind::Abstract {
            return py_bool(true);
        }
        raise(
            &raw mut EXC_AttributeError,
            "'function' object has no attribute '__isabstractmethod__'",
        )
    }
}

/// Puts a [`Func`] for each def into `dict` under its name.
pub(crate) unsafe fn add_funcs(dict: *mut PyObject, defs: &'static [FuncDef]) -> Result<(), ()> {
    for d in defs {
        let f = Obj::new(new_func(d, null_mut()));
        // SAFETY: `dict` is a live dict.
        if f.is_null() || unsafe { crate::dictobject::set_item_str(dict, d.name(), f.ptr()) } < 0 {
            return Err(());
        }
    }
    Ok(())
}

// ---- ABCMeta ---------------------------------------------------------------------------------

/// `get_cache_token()`: bumped by every `register`, so negative caches are refreshed.
static INVALIDATION: AtomicI64 = AtomicI64::new(0);

/// A class's ABC state, kept in its own dict under `_abc_impl`: a list of the registry (a
/// set), the positive and negative caches (sets), the negative cache's token (an int) and
/// the ABC subclasses made through `ABCMeta` (a list; CPython asks `type.__subclasses__()`).
const REGISTRY: usize = 0;
const CACHE: usize = 1;
const NEGATIVE: usize = 2;
const NEG_VERSION: usize = 3;
const SUBCLASSES: usize = 4;

/// `cls`'s own ABC state (created when missing, e.g. for a class made by `PyType_FromSpec`).
unsafe fn abc_state(cls: *mut PyObject) -> Obj {
    // SAFETY: `cls` is a live type.
    unsafe {
        let t = cls.cast::<PyTypeObject>();
        let d = crate::object::ensure_dict(t);
        if d.is_null() {
            return Obj::new(null_mut());
        }
        let v = crate::dictobject::get_str(d, "_abc_impl");
        if !v.is_null() && crate::listobject::is_list(v) && crate::listobject::items(v).len() == 5 {
            return Obj::borrowed(v);
        }
        let l = Obj::new(crate::listobject::new_list(0));
        if l.is_null() {
            return l;
        }
        for i in 0..5 {
            let x = match i {
                NEG_VERSION => {
                    crate::longobject::from_i128(i128::from(INVALIDATION.load(Ordering::SeqCst)))
                }
                SUBCLASSES => crate::listobject::new_list(0),
                _ => crate::setobject::PySet_New(null_mut()),
            };
            if x.is_null() || crate::listobject::append(l.ptr(), x) < 0 {
                xdecref(x);
                return Obj::new(null_mut());
            }
            decref(x);
        }
        if crate::dictobject::set_item_str(d, "_abc_impl", l.ptr()) < 0 {
            return Obj::new(null_mut());
        }
        l
    }
}

unsafe fn part(state: &Obj, i: usize) -> *mut PyObject {
    // SAFETY: a state list of five items (abc_state).
    unsafe { crate::listobject::items(state.ptr())[i] }
}

/// The negative cache's token, read under the list's own reference (another thread may
/// replace it meanwhile).
unsafe fn neg_version(state: &Obj) -> i64 {
    // SAFETY: a state list of five items (abc_state).
    unsafe {
        let v = Obj::new(crate::listobject::PyList_GetItemRef(
            state.ptr(),
            NEG_VERSION as isize,
        ));
        if v.is_null() {
            crate::pyerrors::clear();
            return -1;
        }
        crate::longobject::PyLong_AsLongLong(v.ptr())
    }
}

/// Whether `o` has a true `__isabstractmethod__` (CPython's `_PyObject_IsAbstract`).
pub(crate) unsafe fn is_abstract(o: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        match getattr_opt(o, "__isabstractmethod__")? {
            None => Ok(false),
            Some(v) => truth(v.ptr()),
        }
    }
}

/// The abstract method names of `cls`: its own dict's abstract values, then the bases'
/// abstract names still abstract on `cls`; stored as `cls.__abstractmethods__`.
unsafe fn compute_abstracts(cls: *mut PyObject) -> Result<(), ()> {
    // SAFETY: `cls` is a live type.
    unsafe {
        let t = cls.cast::<PyTypeObject>();
        let abstracts = Obj::new(crate::setobject::PySet_New(null_mut()));
        if abstracts.is_null() {
            return Err(());
        }
        let d = crate::object::ensure_dict(t);
        for (k, v) in dict_items(d) {
            if is_abstract(v.ptr())? && crate::setobject::PySet_Add(abstracts.ptr(), k.ptr()) < 0 {
                return Err(());
            }
        }
        for b in crate::object::bases_list(t) {
            let Some(names) = getattr_opt(b.cast(), "__abstractmethods__")? else {
                continue;
            };
            for name in collect(names.ptr())? {
                let Some(n) = uni::as_str(name.ptr()) else {
                    continue;
                };
                let Some(v) = getattr_opt(cls, n)? else {
                    continue;
                };
                if is_abstract(v.ptr())?
                    && crate::setobject::PySet_Add(abstracts.ptr(), name.ptr()) < 0
                {
                    return Err(());
                }
            }
        }
        let fs = Obj::new(crate::setobject::PyFrozenSet_New(abstracts.ptr()));
        if fs.is_null() {
            return Err(());
        }
        let n = Obj::new(uni::from_str("__abstractmethods__"));
        if crate::object::setattr(cls, n.ptr(), fs.ptr()) < 0 {
            return Err(());
        }
        Ok(())
    }
}

/// `_abc_init`: the abstract methods, the ABC state, the collection flag of
/// `__abc_tpflags__`, and the class noted as a subclass of its ABC bases.
unsafe fn abc_init(cls: *mut PyObject) -> Result<(), ()> {
    // SAFETY: `cls` is a live type.
    unsafe {
        compute_abstracts(cls)?;
        let t = cls.cast::<PyTypeObject>();
        let d = crate::object::ensure_dict(t);
        let _ = crate::dictobject::get_str(d, "_abc_impl");
        let k = Obj::new(uni::from_str("_abc_impl"));
        if !crate::dictobject::get(d, k.ptr()).is_null()
            && crate::dictobject::del_item(d, k.ptr()) < 0
        {
            return Err(());
        }
        if abc_state(cls).is_null() {
            return Err(());
        }
        let flags = crate::dictobject::get_str(d, "__abc_tpflags__");
        if !flags.is_null() {
            let f = crate::longobject::PyLong_AsLong(flags);
            let mask = (crate::object::Py_TPFLAGS_SEQUENCE | crate::object::Py_TPFLAGS_MAPPING)
                as std::ffi::c_long;
            (*t).tp_flags |= (f & mask) as std::ffi::c_ulong;
            let k = Obj::new(uni::from_str("__abc_tpflags__"));
            if crate::dictobject::del_item(d, k.ptr()) < 0 {
                return Err(());
            }
        }
        for b in crate::object::bases_list(t) {
            if crate::object::is_subtype(ty(b.cast()), abcmeta()) {
                let s = abc_state(b.cast());
                if s.is_null() || crate::listobject::append(part(&s, SUBCLASSES), cls) < 0 {
                    return Err(());
                }
            }
        }
        Ok(())
    }
}

/// `ABCMeta.__new__(mcls, name, bases, namespace, **kwargs)`.
unsafe extern "C" fn abcmeta_new(
    meta: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let cls = Obj::new(crate::typeobject::type_new(meta, args, kw));
        if cls.is_null() || !crate::object::is_type(cls.ptr()) {
            return cls.into_raw();
        }
        if abc_init(cls.ptr()).is_err() {
            return null_mut();
        }
        cls.into_raw()
    }
}

unsafe fn set_contains(s: *mut PyObject, k: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live set (caller).
    match unsafe { crate::setobject::PySet_Contains(s, k) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

unsafe fn set_add(s: *mut PyObject, k: *mut PyObject) -> Result<(), ()> {
    // SAFETY: a live set (caller).
    if unsafe { crate::setobject::PySet_Add(s, k) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

fn result(r: Result<bool, ()>) -> *mut PyObject {
    match r {
        Ok(b) => py_bool(b),
        Err(()) => null_mut(),
    }
}

/// `ABCMeta.__subclasscheck__(cls, subclass)`.
unsafe extern "C" fn abcmeta_subclasscheck(
    cls: *mut PyObject,
    subclass: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O contract: live objects.
    result(unsafe { subclasscheck(cls, subclass) })
}

unsafe fn subclasscheck(cls: *mut PyObject, subclass: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        if !crate::object::is_type(subclass) {
            type_error("issubclass() arg 1 must be a class");
            return Err(());
        }
        let st = abc_state(cls);
        if st.is_null() {
            return Err(());
        }
        if set_contains(part(&st, CACHE), subclass)? {
            return Ok(true);
        }
        let now = INVALIDATION.load(Ordering::SeqCst);
        let ver = neg_version(&st);
        if ver < now {
            if crate::setobject::PySet_Clear(part(&st, NEGATIVE)) < 0 {
                return Err(());
            }
            let v = crate::longobject::from_i128(i128::from(now));
            if v.is_null()
                || crate::listobject::PyList_SetItem(st.ptr(), NEG_VERSION as isize, v) < 0
            {
                return Err(());
            }
        } else if set_contains(part(&st, NEGATIVE), subclass)? {
            return Ok(false);
        }
        // The hook (a missing one counts as NotImplemented).
        if let Some(hook) = getattr_opt(cls, "__subclasshook__")? {
            let ok = call(hook.ptr(), &[subclass]);
            if ok.is_null() {
                return Err(());
            }
            let t = crate::boolobject::true_();
            if ok.ptr() == t || ok.ptr() == crate::boolobject::false_() {
                let b = ok.ptr() == t;
                set_add(part(&st, if b { CACHE } else { NEGATIVE }), subclass)?;
                return Ok(b);
            }
            if !is_not_implemented(ok.ptr()) {
                raise(
                    &raw mut crate::pyerrors::EXC_AssertionError,
                    "__subclasshook__ must return either False, True, or NotImplemented",
                );
                return Err(());
            }
        }
        // A direct subclass.
        if crate::object::is_subtype(subclass.cast(), cls.cast()) {
            set_add(part(&st, CACHE), subclass)?;
            return Ok(true);
        }
        // A registered class (not cached) or a subclass of one.
        if set_contains(part(&st, REGISTRY), subclass)? {
            return Ok(true);
        }
        let registry = collect(part(&st, REGISTRY))?;
        for r in registry {
            match crate::abstract_::PyObject_IsSubclass(subclass, r.ptr()) {
                r if r < 0 => return Err(()),
                0 => {}
                _ => {
                    set_add(part(&st, CACHE), subclass)?;
                    return Ok(true);
                }
            }
        }
        // A subclass of one of the ABC's subclasses.
        let subs: Vec<Obj> = crate::listobject::items(part(&st, SUBCLASSES))
            .iter()
            .map(|&x| Obj::borrowed(x))
            .collect();
        for s in subs {
            match crate::abstract_::PyObject_IsSubclass(subclass, s.ptr()) {
                r if r < 0 => return Err(()),
                0 => {}
                _ => {
                    set_add(part(&st, CACHE), subclass)?;
                    return Ok(true);
                }
            }
        }
        set_add(part(&st, NEGATIVE), subclass)?;
        Ok(false)
    }
}

/// `ABCMeta.__instancecheck__(cls, instance)`.
unsafe extern "C" fn abcmeta_instancecheck(
    cls: *mut PyObject,
    instance: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O contract: live objects.
    result(unsafe { instancecheck(cls, instance) })
}

unsafe fn instancecheck(cls: *mut PyObject, instance: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let st = abc_state(cls);
        if st.is_null() {
            return Err(());
        }
        let subclass = getattr(instance, "__class__");
        if subclass.is_null() {
            return Err(());
        }
        if set_contains(part(&st, CACHE), subclass.ptr())? {
            return Ok(true);
        }
        let subtype: *mut PyObject = ty(instance).cast();
        let check = |c: *mut PyObject| -> Result<bool, ()> {
            let r = call_method(cls, "__subclasscheck__", &[c]);
            if r.is_null() {
                return Err(());
            }
            truth(r.ptr())
        };
        if subtype == subclass.ptr() {
            let ver = neg_version(&st);
            if ver == INVALIDATION.load(Ordering::SeqCst)
                && set_contains(part(&st, NEGATIVE), subclass.ptr())?
            {
                return Ok(false);
            }
            return check(subclass.ptr());
        }
        Ok(check(subclass.ptr())? || check(subtype)?)
    }
}

/// `ABCMeta.register(cls, subclass)`: returns `subclass` (a class decorator).
unsafe extern "C" fn abcmeta_register(
    cls: *mut PyObject,
    subclass: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O contract: live objects.
    unsafe {
        if !crate::object::is_type(subclass) {
            return type_error("Can only register classes");
        }
        match crate::abstract_::PyObject_IsSubclass(subclass, cls) {
            r if r < 0 => return null_mut(),
            0 => {}
            _ => return new_ref(subclass),
        }
        match crate::abstract_::PyObject_IsSubclass(cls, subclass) {
            r if r < 0 => return null_mut(),
            0 => {}
            _ => {
                return raise(
                    &raw mut EXC_RuntimeError,
                    "Refusing to create an inheritance cycle",
                );
            }
        }
        let st = abc_state(cls);
        if st.is_null() || set_add(part(&st, REGISTRY), subclass).is_err() {
            return null_mut();
        }
        INVALIDATION.fetch_add(1, Ordering::SeqCst);
        // A mutable class registered as a Sequence or Mapping gets the collection flag.
        let flags = (*cls.cast::<PyTypeObject>()).tp_flags
            & (crate::object::Py_TPFLAGS_SEQUENCE | crate::object::Py_TPFLAGS_MAPPING);
        let st = subclass.cast::<PyTypeObject>();
        if flags != 0 && (*st).tp_flags & crate::object::Py_TPFLAGS_IMMUTABLETYPE == 0 {
            (*st).tp_flags |= flags;
        }
        new_ref(subclass)
    }
}

/// `ABCMeta._abc_registry_clear(cls)`.
unsafe extern "C" fn abcmeta_registry_clear(
    cls: *mut PyObject,
    _a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { clear_parts(cls, &[REGISTRY]) }
}

/// `ABCMeta._abc_caches_clear(cls)`.
unsafe extern "C" fn abcmeta_caches_clear(cls: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { clear_parts(cls, &[CACHE, NEGATIVE]) }
}

unsafe fn clear_parts(cls: *mut PyObject, parts: &[usize]) -> *mut PyObject {
    // SAFETY: a live type (caller).
    unsafe {
        let st = abc_state(cls);
        if st.is_null() {
            return null_mut();
        }
        for &p in parts {
            if crate::setobject::PySet_Clear(part(&st, p)) < 0 {
                return null_mut();
            }
        }
        crate::object::new_none()
    }
}

static mut ABCMETA_METHODS: [crate::methodobject::PyMethodDef; 6] = [
    crate::longobject::method(
        c"__instancecheck__",
        abcmeta_instancecheck as *mut c_void,
        crate::methodobject::METH_O,
    ),
    crate::longobject::method(
        c"__subclasscheck__",
        abcmeta_subclasscheck as *mut c_void,
        crate::methodobject::METH_O,
    ),
    crate::longobject::method(
        c"register",
        abcmeta_register as *mut c_void,
        crate::methodobject::METH_O,
    ),
    crate::longobject::method(
        c"_abc_registry_clear",
        abcmeta_registry_clear as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    crate::longobject::method(
        c"_abc_caches_clear",
        abcmeta_caches_clear as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    crate::methodobject::PyMethodDef::END,
];

/// The module (its address), made once.
static MADE: OnceLock<usize> = OnceLock::new();
/// `abc.ABCMeta` (its address), set while the module is made.
static ABCMETA: AtomicUsize = AtomicUsize::new(0);

/// `abc.ABCMeta` (borrowed; NULL with an exception).
pub(crate) fn abcmeta() -> *mut PyTypeObject {
    if ABCMETA.load(Ordering::SeqCst) == 0 {
        module();
    }
    ABCMETA.load(Ordering::SeqCst) as *mut PyTypeObject
}

/// The `abc` module (a borrowed, process-lifetime reference; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "abc", build)
}

/// The static types start-up readies for this module.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut Func_Type]
}

/// A class made by calling `meta(name, bases, ns)`; `ns` gets `__module__` = `module` and the
/// functions of `defs`.
pub(crate) unsafe fn make_class(
    meta: *mut PyTypeObject,
    module: &str,
    name: &str,
    bases: &[*mut PyObject],
    defs: &'static [FuncDef],
    extra: &[(&str, *mut PyObject)],
) -> Obj {
    // SAFETY: live objects (caller).
    unsafe {
        let ns = Obj::new(crate::dictobject::new_dict());
        let m = Obj::new(uni::from_str(module));
        if ns.is_null()
            || m.is_null()
            || crate::dictobject::set_item_str(ns.ptr(), "__module__", m.ptr()) < 0
        {
            return Obj::new(null_mut());
        }
        for &(k, v) in extra {
            if crate::dictobject::set_item_str(ns.ptr(), k, v) < 0 {
                return Obj::new(null_mut());
            }
        }
        if add_funcs(ns.ptr(), defs).is_err() {
            return Obj::new(null_mut());
        }
        let n = Obj::new(uni::from_str(name));
        let b = Obj::new(crate::tupleobject::from_slice(bases));
        if n.is_null() || b.is_null() {
            return Obj::new(null_mut());
        }
        call(meta.cast(), &[n.ptr(), b.ptr(), ns.ptr()])
    }
}

// ---- module functions ------------------------------------------------------------------------

unsafe fn f_abstractmethod(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let n = Obj::new(uni::from_str("__isabstractmethod__"));
        if crate::object::setattr(a[0], n.ptr(), crate::boolobject::true_()) < 0 {
            return null_mut();
        }
        new_ref(a[0])
    }
}

unsafe fn f_get_cache_token(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(i128::from(INVALIDATION.load(Ordering::SeqCst)))
}

unsafe fn f_update_abstractmethods(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let cls = a[0];
        match getattr_opt(cls, "__abstractmethods__") {
            Err(()) => return null_mut(),
            Ok(None) => return new_ref(cls),
            Ok(Some(_)) => {}
        }
        if !crate::object::is_type(cls) {
            return new_ref(cls);
        }
        if compute_abstracts(cls).is_err() {
            return null_mut();
        }
        new_ref(cls)
    }
}

static FUNCS: [FuncDef; 3] = [
    FuncDef::new(
        "abstractmethod",
        &["funcobj"],
        1,
        Kind::Static,
        f_abstractmethod,
    ),
    FuncDef::new("get_cache_token", &[], 0, Kind::Static, f_get_cache_token),
    FuncDef::new(
        "update_abstractmethods",
        &["cls"],
        1,
        Kind::Static,
        f_update_abstractmethods,
    ),
];

/// `abstractclassmethod.__init__(callable)` (and abstractstaticmethod's): sets
/// `callable.__isabstractmethod__`, then the base's `__init__`.
unsafe extern "C" fn abstract_wrapper_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> std::ffi::c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let a = crate::tupleobject::items(args);
        let tn = crate::object::type_name(ty(op));
        if a.is_empty() {
            type_error(&format!(
                "{tn}.__init__() missing 1 required positional argument: 'callable'"
            ));
            return -1;
        }
        if a.len() > 1 {
            type_error(&format!(
                "{tn}.__init__() takes 2 positional arguments but {} were given",
                a.len() + 1
            ));
            return -1;
        }
        let marked = f_abstractmethod(a, null_mut());
        if marked.is_null() {
            return -1;
        }
        decref(marked);
        let base = (*ty(op)).tp_base;
        match (*base).tp_init {
            Some(init) => crate::extcall::objobjarg(init, op, args, kw),
            None => 0,
        }
    }
}

fn build() -> *mut PyObject {
    let name = uni::intern("abc");
    // SAFETY: `name` is a live str; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if add_funcs(d, &FUNCS).is_err() {
            return null_mut();
        }
        // ABCMeta: a heap type deriving from `type`, with its own tp_new.
        let mut slots = [
            crate::typeobject::PyType_Slot {
                slot: crate::typeslots::Py_tp_new,
                pfunc: abcmeta_new as *mut c_void,
            },
            crate::typeobject::PyType_Slot {
                slot: crate::typeslots::Py_tp_methods,
                pfunc: (&raw mut ABCMETA_METHODS).cast(),
            },
            crate::typeobject::PyType_Slot {
                slot: crate::typeslots::Py_tp_dealloc,
                pfunc: crate::object::PyType_Type
                    .tp_dealloc
                    .map_or(null_mut(), |f| f as *mut c_void),
            },
            crate::typeobject::PyType_Slot {
                slot: 0,
                pfunc: null_mut(),
            },
        ];
        let mut spec = crate::typeobject::PyType_Spec {
            name: c"abc.ABCMeta".as_ptr(),
            basicsize: 0,
            itemsize: 0,
            flags: crate::object::Py_TPFLAGS_BASETYPE as std::ffi::c_uint,
            slots: slots.as_mut_ptr(),
        };
        let meta = crate::typeobject::PyType_FromSpecWithBases(
            &mut spec,
            (&raw mut crate::object::PyType_Type).cast(),
        );
        if meta.is_null() {
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "ABCMeta", meta);
        // Set before `ABC` is made: `abcmeta()` is read while making it.
        ABCMETA.store(meta as usize, Ordering::SeqCst);
        let abc = {
            let empty = Obj::new(crate::tupleobject::new_tuple(0));
            let ns = Obj::new(crate::dictobject::new_dict());
            let modname = Obj::new(uni::from_str("abc"));
            let n = Obj::new(uni::from_str("ABC"));
            let bases = Obj::new(crate::tupleobject::new_tuple(0));
            if empty.is_null() || ns.is_null() || modname.is_null() || n.is_null() {
                return null_mut();
            }
            crate::dictobject::set_item_str(ns.ptr(), "__module__", modname.ptr());
            crate::dictobject::set_item_str(ns.ptr(), "__slots__", empty.ptr());
            let args = Obj::new(crate::tupleobject::from_slice(&[
                n.ptr(),
                bases.ptr(),
                ns.ptr(),
            ]));
            let c = Obj::new(abcmeta_new(meta.cast(), args.ptr(), null_mut()));
            if c.is_null() {
                return null_mut();
            }
            c
        };
        crate::dictobject::set_item_str(d, "ABC", abc.ptr());
        // abstractproperty: a property whose `__isabstractmethod__` is True.
        let prop = {
            let ns = Obj::new(crate::dictobject::new_dict());
            let modname = Obj::new(uni::from_str("abc"));
            let n = Obj::new(uni::from_str("abstractproperty"));
            let bases = Obj::new(crate::tupleobject::from_slice(&[
                (&raw mut crate::descrobject::property::PyProperty_Type).cast(),
            ]));
            crate::dictobject::set_item_str(ns.ptr(), "__module__", modname.ptr());
            crate::dictobject::set_item_str(
                ns.ptr(),
                "__isabstractmethod__",
                crate::boolobject::true_(),
            );
            call(
                (&raw mut crate::object::PyType_Type).cast(),
                &[n.ptr(), bases.ptr(), ns.ptr()],
            )
        };
        if prop.is_null() {
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "abstractproperty", prop.ptr());
        // abstractclassmethod / abstractstaticmethod: mark the callable abstract, then wrap it.
        for (k, base) in [
            (
                "abstractclassmethod",
                &raw mut crate::funcobject::PyClassMethod_Type,
            ),
            (
                "abstractstaticmethod",
                &raw mut crate::funcobject::PyStaticMethod_Type,
            ),
        ] {
            let ns = Obj::new(crate::dictobject::new_dict());
            let modname = Obj::new(uni::from_str("abc"));
            let n = Obj::new(uni::from_str(k));
            let bases = Obj::new(crate::tupleobject::from_slice(&[base.cast()]));
            crate::dictobject::set_item_str(ns.ptr(), "__module__", modname.ptr());
            crate::dictobject::set_item_str(
                ns.ptr(),
                "__isabstractmethod__",
                crate::boolobject::true_(),
            );
            let c = call(
                (&raw mut crate::object::PyType_Type).cast(),
                &[n.ptr(), bases.ptr(), ns.ptr()],
            );
            if c.is_null() {
                return null_mut();
            }
            (*c.ptr().cast::<PyTypeObject>()).tp_init = Some(abstract_wrapper_init);
            crate::dictobject::set_item_str(d, k, c.ptr());
        }
        m
    }
}
