//! `singledispatch` (its generic functions: a static type named `function`, as CPython's are
//! Python functions) and `singledispatchmethod` with `_singledispatchmethod_get`.

use super::*;

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

pub(super) unsafe fn f_singledispatch(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
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

unsafe fn sd_register_impl(
    op: *mut PyObject,
    cls: *mut PyObject,
    func: *mut PyObject,
) -> *mut PyObject {
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
                    if let Ok(items) = crate::abc::collect(om.ptr())
                        && items.iter().any(|x| x.ptr() == e)
                    {
                        strict = true;
                    }
                }
            }
            if !strict {
                kept.push(e);
            }
        }
        // Composed MRO: each ABC after the last MRO class that is its subclass.
        let mut composed: Vec<(*mut PyObject, bool)> =
            mro.iter().map(|m| (m.ptr(), true)).collect();
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
                let same =
                    crate::abstract_::rich_compare_bool(d.token, cur.ptr(), crate::object::Py_EQ);
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
                return err_type(
                    "singledispatchmethod.__init__() got an unexpected keyword argument",
                );
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

static mut SDM_METHODS: [PyMethodDef; 2] =
    [def!(c"register", fast, sdm_register), PyMethodDef::END];

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

unsafe extern "C" fn sdm_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live singledispatchmethod.
    unsafe {
        let func = sdm(op).func;
        let mut name = "?".to_string();
        for attr in ["__qualname__", "__name__"] {
            match getattr_opt(func, attr) {
                Err(()) => return null_mut(),
                Ok(Some(v)) => {
                    let st = Obj::new(crate::object::str(v.ptr()));
                    if st.is_null() {
                        return null_mut();
                    }
                    name = uni::as_str(st.ptr()).unwrap_or("?").to_string();
                    break;
                }
                Ok(None) => {}
            }
        }
        s(&format!("<single dispatch method descriptor {name}>"))
    }
}

pub(crate) static mut DispatchMethod_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(sdm_new),
    tp_repr: Some(sdm_repr),
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
        let d = &*op.cast::<DispatchGet>();
        let func = sdm(d.unbound).func;
        match uni::as_str(name).unwrap_or("") {
            // CPython's instance attributes (copied from the function when made; absent when
            // the function lacks them) and properties.
            "__module__" | "__doc__" => return crate::object::getattr(func, name),
            "__wrapped__" => return new_ref(func),
            "register" => return getattr(d.unbound, "register").into_raw(),
            _ => {}
        }
        let r = crate::object::PyObject_GenericGetAttr(op, name);
        if !r.is_null() || !crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
            return r;
        }
        // CPython's `__getattr__`: these few names come from the function.
        let forwarded = [
            "__name__",
            "__qualname__",
            "__isabstractmethod__",
            "__annotations__",
            "__type_params__",
        ];
        if !forwarded.contains(&uni::as_str(name).unwrap_or("")) {
            // CPython's `__getattr__` raises a bare AttributeError.
            crate::pyerrors::PyErr_Clear();
            crate::pyerrors::PyErr_SetNone((&raw mut EXC_AttributeError).cast());
            return null_mut();
        }
        crate::pyerrors::PyErr_Clear();
        crate::object::getattr(func, name)
    }
}

unsafe extern "C" fn dg_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object of the type.
    unsafe {
        let mut name = "?".to_string();
        for attr in ["__qualname__", "__name__"] {
            match getattr_opt(op, attr) {
                Err(()) => return null_mut(),
                Ok(Some(v)) => {
                    let st = Obj::new(crate::object::str(v.ptr()));
                    if st.is_null() {
                        return null_mut();
                    }
                    name = uni::as_str(st.ptr()).unwrap_or("?").to_string();
                    break;
                }
                Ok(None) => {}
            }
        }
        let d = &*op.cast::<DispatchGet>();
        let text = if d.obj != none() {
            let Some(r) = repr_str(d.obj) else {
                return null_mut();
            };
            format!("<bound single dispatch method {name} of {r}>")
        } else {
            format!("<single dispatch method {name}>")
        };
        s(&text)
    }
}

pub(crate) static mut DispatchGet_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(dg_dealloc),
    tp_repr: Some(dg_repr),
    tp_call: Some(dg_call),
    tp_getattro: Some(dg_getattro),
    ..static_type(
        c"functools._singledispatchmethod_get",
        size_of::<DispatchGet>(),
        0,
        0,
    )
};
