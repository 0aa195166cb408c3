//! `lru_cache`/`cache` (the `_lru_cache_wrapper` type: CPython's C object; the decorators are
//! Python functions in CPython) and `cached_property` (a Python class in CPython, a static type
//! here so that instances are non-data descriptors through `tp_descr_get`).

use super::*;

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
            let m =
                crate::abstract_::as_ssize_t(maxsize, &raw mut crate::pyerrors::EXC_OverflowError);
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
            op.cast::<LruWrapper>()
                .cast::<u8>()
                .add(size_of::<PyObject>())
                .cast(),
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
        let h = Obj::new(crate::longobject::from_i64(
            w.hits.load(Ordering::Relaxed) as i64
        ));
        let m = Obj::new(crate::longobject::from_i64(
            w.misses.load(Ordering::Relaxed) as i64,
        ));
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
unsafe fn decorate(
    func: *mut PyObject,
    maxsize: *mut PyObject,
    typed: *mut PyObject,
) -> *mut PyObject {
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

pub(super) unsafe fn f_lru_cache(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
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

pub(super) unsafe fn f_cache(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
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
                    return err_type(&format!(
                        "No '__dict__' attribute on {tr} instance to cache {nr} property."
                    ));
                }
            };
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
