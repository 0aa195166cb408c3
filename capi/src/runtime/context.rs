//! Context variables (CPython's `Python/context.c`): `Context`, `ContextVar` and `Token` of
//! `_contextvars`, and the `PyContext_*`/`PyContextVar_*` C API.
//!
//! A context's variables are a dict that is never changed once made (a `set` or `reset`
//! replaces the context's dict by a changed copy, CPython's HAMT semantics at O(n) per change),
//! so `PyContext_Copy` shares it and a copy never sees later changes of its source. The current
//! context is the thread state's `context` (made empty on first use, per thread);
//! `PyContext_Enter`/`Exit` and `Context.run` switch it. A context's dict pointer and its
//! entered flag are read and changed under the object's lock, so a context shared between
//! threads is entered by one at a time (the other gets CPython's "is already entered").
//! gilgate provides no `contextvars` module: the types are reached through the objects.

use crate::export;
use crate::methodobject::{METH_FASTCALL, METH_KEYWORDS, METH_NOARGS, METH_O, PyMethodDef};
use crate::object::*;
use crate::pyerrors::{EXC_LookupError, EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, incref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_char, c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

#[repr(C)]
struct Context {
    ob_base: PyObject,
    /// The context that was current when this one was entered (owned; NULL when not entered).
    prev: *mut PyObject,
    /// The variables: a dict never changed once made (owned).
    vars: *mut PyObject,
    entered: c_int,
}

#[repr(C)]
struct ContextVar {
    ob_base: PyObject,
    name: *mut PyObject,
    /// NULL: no default.
    default: *mut PyObject,
}

#[repr(C)]
struct Token {
    ob_base: PyObject,
    ctx: *mut PyObject,
    var: *mut PyObject,
    /// NULL: the variable had no value (`Token.MISSING`).
    old: *mut PyObject,
    used: c_int,
}

// ---- the types ----------------------------------------------------------------------------------

/// `_contextvars.Context`.
#[export]
pub static mut PyContext_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(context_tp_new),
    tp_dealloc: Some(context_dealloc),
    tp_hash: Some(crate::typeobject::PyObject_HashNotImplemented),
    tp_richcompare: Some(context_richcompare),
    tp_iter: Some(context_iter),
    tp_as_mapping: (&raw mut CONTEXT_MAPPING).cast(),
    tp_as_sequence: (&raw mut CONTEXT_SEQUENCE).cast(),
    tp_methods: (&raw mut CONTEXT_METHODS).cast(),
    ..static_type(
        c"_contextvars.Context",
        std::mem::size_of::<Context>(),
        0,
        0,
    )
};

/// `_contextvars.ContextVar`.
#[export]
pub static mut PyContextVar_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(var_tp_new),
    tp_dealloc: Some(var_dealloc),
    tp_repr: Some(var_repr),
    tp_members: (&raw mut VAR_MEMBERS).cast(),
    tp_methods: (&raw mut VAR_METHODS).cast(),
    ..static_type(
        c"_contextvars.ContextVar",
        std::mem::size_of::<ContextVar>(),
        0,
        0,
    )
};

/// `_contextvars.Token`.
#[export]
pub static mut PyContextToken_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(token_tp_new),
    tp_dealloc: Some(token_dealloc),
    tp_repr: Some(token_repr),
    tp_getset: (&raw mut TOKEN_GETSET).cast(),
    tp_methods: (&raw mut TOKEN_METHODS).cast(),
    ..static_type(c"_contextvars.Token", std::mem::size_of::<Token>(), 0, 0)
};

/// The type of `Token.MISSING`.
static mut Missing_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(missing_repr),
    ..static_type(c"Token.MISSING", std::mem::size_of::<PyObject>(), 0, 0)
};

static mut CONTEXT_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(context_len),
    mp_subscript: Some(context_getitem),
    mp_ass_subscript: None,
};

static mut CONTEXT_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_contains: Some(context_contains),
    ..crate::collections::SQ_EMPTY
};

const fn method(name: &'static std::ffi::CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type FastKw = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    Py_ssize_t,
    *mut PyObject,
) -> *mut PyObject;
type Binary = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

static mut CONTEXT_METHODS: [PyMethodDef; 4] = [
    method(
        c"run",
        context_run as FastKw as *mut c_void,
        METH_FASTCALL | METH_KEYWORDS,
    ),
    method(
        c"copy",
        context_copy_meth as Binary as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"get",
        context_get_meth as Fast as *mut c_void,
        METH_FASTCALL,
    ),
    PyMethodDef::END,
];

static mut VAR_METHODS: [PyMethodDef; 4] = [
    method(c"get", var_get_meth as Fast as *mut c_void, METH_FASTCALL),
    method(c"set", var_set_meth as Binary as *mut c_void, METH_O),
    method(c"reset", var_reset_meth as Binary as *mut c_void, METH_O),
    PyMethodDef::END,
];

static mut VAR_MEMBERS: [crate::descrobject::PyMemberDef; 2] = [
    crate::descrobject::PyMemberDef {
        name: c"name".as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: std::mem::offset_of!(ContextVar, name) as Py_ssize_t,
        flags: crate::descrobject::Py_READONLY,
        doc: std::ptr::null(),
    },
    crate::descrobject::PyMemberDef::END,
];

static mut TOKEN_GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::descrobject::PyGetSetDef {
        name: c"var".as_ptr(),
        get: Some(token_var),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef {
        name: c"old_value".as_ptr(),
        get: Some(token_old_value),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

static mut TOKEN_METHODS: [PyMethodDef; 3] = [
    method(
        c"__enter__",
        token_enter as Binary as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"__exit__",
        token_exit as Fast as *mut c_void,
        METH_FASTCALL,
    ),
    PyMethodDef::END,
];

// ---- helpers --------------------------------------------------------------------------------

fn is_context(o: *mut PyObject) -> bool {
    // SAFETY: a live object.
    unsafe { ty(o) == &raw mut PyContext_Type }
}
fn is_var(o: *mut PyObject) -> bool {
    // SAFETY: a live object.
    unsafe { ty(o) == &raw mut PyContextVar_Type }
}
fn is_token(o: *mut PyObject) -> bool {
    // SAFETY: a live object.
    unsafe { ty(o) == &raw mut PyContextToken_Type }
}

/// `Token.MISSING` (borrowed, made once; also put in `Token`'s dict).
fn missing() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    *M.get_or_init(|| {
        // SAFETY: a static type; the object is kept for the process.
        unsafe {
            let m = crate::objimpl::alloc_object(&raw mut Missing_Type, 0);
            let d = ensure_dict(&raw mut PyContextToken_Type);
            if !m.is_null() && !d.is_null() {
                crate::dictobject::set_item_str(d, "MISSING", m);
            }
            m as usize
        }
    }) as *mut PyObject
}

fn repr_text(o: *mut PyObject) -> Option<String> {
    // SAFETY: a live object; the repr is released here.
    unsafe {
        let r = crate::object::repr(o);
        if r.is_null() {
            return None;
        }
        let s = uni::as_str(r).map(str::to_string);
        decref(r);
        s
    }
}

/// A new empty context.
fn new_context(vars: *mut PyObject) -> *mut PyObject {
    // SAFETY: a static type; `vars` NULL (a new empty dict) or a live dict we get a reference
    // to.
    unsafe {
        let vars = if vars.is_null() {
            crate::dictobject::new_dict()
        } else {
            new_ref(vars)
        };
        if vars.is_null() {
            return null_mut();
        }
        let op = crate::objimpl::alloc_object(&raw mut PyContext_Type, 0);
        if op.is_null() {
            decref(vars);
            return op;
        }
        let c = op.cast::<Context>();
        (*c).prev = null_mut();
        (*c).vars = vars;
        (*c).entered = 0;
        op
    }
}

/// The context's variables (a new reference to its current dict).
fn vars_of(ctx: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live context; the pointer is read and its reference taken under the lock its
    // writers hold.
    unsafe {
        let _g = ObjectLock::new(ctx);
        new_ref((*ctx.cast::<Context>()).vars)
    }
}

/// Replaces the context's variables by `vars` (a reference given).
fn replace_vars(ctx: *mut PyObject, vars: *mut PyObject) {
    // SAFETY: a live context; the old dict is released after the lock.
    unsafe {
        let old = {
            let _g = ObjectLock::new(ctx);
            std::mem::replace(&mut (*ctx.cast::<Context>()).vars, vars)
        };
        decref(old);
    }
}

/// The current context of the calling thread (borrowed; made empty on first use).
fn current() -> *mut PyObject {
    let ts = crate::pystate::current();
    // SAFETY: the calling thread's own state.
    unsafe {
        if (*ts).context.is_null() {
            let c = new_context(null_mut());
            if c.is_null() {
                return c;
            }
            (*ts).context = c;
            (*ts).context_ver += 1;
        }
        (*ts).context
    }
}

/// `var`'s value in `ctx` (new reference), None when it has none.
fn lookup(ctx: *mut PyObject, var: *mut PyObject) -> Option<*mut PyObject> {
    let vars = vars_of(ctx);
    // SAFETY: live dict and key.
    unsafe {
        let v = crate::dictobject::get_ref_quiet(vars, var);
        decref(vars);
        (!v.is_null()).then_some(v)
    }
}

/// Sets (`value` non-NULL) or deletes `var` in the current context: a changed copy of its
/// variables. Deleting an absent variable raises `LookupError(var)`.
fn change(var: *mut PyObject, value: *mut PyObject) -> c_int {
    let ctx = current();
    if ctx.is_null() {
        return -1;
    }
    let vars = vars_of(ctx);
    // SAFETY: live objects; the copy is ours until it replaces the context's.
    unsafe {
        let copy = crate::dictobject::copy(vars);
        decref(vars);
        if copy.is_null() {
            return -1;
        }
        let r = if value.is_null() {
            let had = crate::dictobject::get_ref_quiet(copy, var);
            if had.is_null() {
                crate::pyerrors::set_object((&raw mut EXC_LookupError).cast(), var);
                -1
            } else {
                decref(had);
                crate::dictobject::del_item(copy, var)
            }
        } else {
            crate::dictobject::PyDict_SetItem(copy, var, value)
        };
        if r < 0 {
            decref(copy);
            return -1;
        }
        replace_vars(ctx, copy);
        0
    }
}

// ---- the C API --------------------------------------------------------------------------------

#[export]
pub fn PyContext_New() -> *mut PyObject {
    new_context(null_mut())
}

#[export]
pub unsafe fn PyContext_Copy(ctx: *mut PyObject) -> *mut PyObject {
    if ctx.is_null() || !is_context(ctx) {
        return raise(
            &raw mut EXC_TypeError,
            "an instance of Context was expected",
        );
    }
    let vars = vars_of(ctx);
    let c = new_context(vars);
    // SAFETY: our reference.
    unsafe { decref(vars) };
    c
}

#[export]
pub fn PyContext_CopyCurrent() -> *mut PyObject {
    let ctx = current();
    if ctx.is_null() {
        return ctx;
    }
    // SAFETY: a live context.
    unsafe { PyContext_Copy(ctx) }
}

#[export]
pub unsafe fn PyContext_Enter(ctx: *mut PyObject) -> c_int {
    if ctx.is_null() || !is_context(ctx) {
        raise(
            &raw mut EXC_TypeError,
            "an instance of Context was expected",
        );
        return -1;
    }
    let ts = crate::pystate::current();
    // SAFETY: a live context and the calling thread's own state.
    unsafe {
        let c = ctx.cast::<Context>();
        {
            let _g = ObjectLock::new(ctx);
            if (*c).entered == 0 {
                (*c).entered = 1;
                (*c).prev = std::mem::replace(&mut (*ts).context, new_ref(ctx));
                (*ts).context_ver += 1;
                return 0;
            }
        }
        let r = repr_text(ctx).unwrap_or_default();
        raise(
            &raw mut EXC_RuntimeError,
            &format!("cannot enter context: {r} is already entered"),
        );
        -1
    }
}

#[export]
pub unsafe fn PyContext_Exit(ctx: *mut PyObject) -> c_int {
    if ctx.is_null() || !is_context(ctx) {
        raise(
            &raw mut EXC_TypeError,
            "an instance of Context was expected",
        );
        return -1;
    }
    let ts = crate::pystate::current();
    // SAFETY: a live context and the calling thread's own state.
    unsafe {
        let c = ctx.cast::<Context>();
        if (*c).entered == 0 {
            let r = repr_text(ctx).unwrap_or_default();
            raise(
                &raw mut EXC_RuntimeError,
                &format!("cannot exit context: {r} has not been entered"),
            );
            return -1;
        }
        if (*ts).context != ctx {
            raise(
                &raw mut EXC_RuntimeError,
                "cannot exit context: thread state references a different context object",
            );
            return -1;
        }
        let prev = {
            let _g = ObjectLock::new(ctx);
            (*c).entered = 0;
            std::mem::replace(&mut (*c).prev, null_mut())
        };
        (*ts).context = prev;
        (*ts).context_ver += 1;
        // the thread state's reference
        decref(ctx);
        0
    }
}

/// A new variable named `name` (a str) with `default` (NULL: none).
fn new_var(name: *mut PyObject, default: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects; a static type.
    unsafe {
        if !uni::is_str(name) {
            return raise(
                &raw mut EXC_TypeError,
                "context variable name must be a str",
            );
        }
        let op = crate::objimpl::alloc_object(&raw mut PyContextVar_Type, 0);
        if op.is_null() {
            return op;
        }
        let v = op.cast::<ContextVar>();
        (*v).name = new_ref(name);
        if !default.is_null() {
            incref(default);
        }
        (*v).default = default;
        op
    }
}

#[export]
pub unsafe fn PyContextVar_New(name: *const c_char, def: *mut PyObject) -> *mut PyObject {
    // SAFETY: a NUL-terminated string, per the C API contract.
    unsafe {
        if name.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        let n = uni::from_cstr(name);
        if n.is_null() {
            return n;
        }
        let v = new_var(n, def);
        decref(n);
        v
    }
}

#[export]
pub unsafe fn PyContextVar_Get(
    var: *mut PyObject,
    default_value: *mut PyObject,
    value: *mut *mut PyObject,
) -> c_int {
    if var.is_null() || !is_var(var) {
        raise(
            &raw mut EXC_TypeError,
            "an instance of ContextVar was expected",
        );
        return -1;
    }
    // SAFETY: a live variable and a writable out pointer, per the C API contract.
    unsafe {
        let ts = crate::pystate::current();
        let found = if (*ts).context.is_null() {
            None
        } else {
            lookup((*ts).context, var)
        };
        *value = match found {
            Some(v) => v,
            None if !default_value.is_null() => new_ref(default_value),
            None => {
                let d = (*var.cast::<ContextVar>()).default;
                if d.is_null() { null_mut() } else { new_ref(d) }
            }
        };
        0
    }
}

#[export]
pub unsafe fn PyContextVar_Set(var: *mut PyObject, value: *mut PyObject) -> *mut PyObject {
    if var.is_null() || !is_var(var) {
        return raise(
            &raw mut EXC_TypeError,
            "an instance of ContextVar was expected",
        );
    }
    let ctx = current();
    if ctx.is_null() {
        return ctx;
    }
    let old = lookup(ctx, var).unwrap_or(null_mut());
    missing();
    // SAFETY: a static type; live objects.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyContextToken_Type, 0);
        if op.is_null() {
            xdecref(old);
            return op;
        }
        let t = op.cast::<Token>();
        (*t).ctx = new_ref(ctx);
        (*t).var = new_ref(var);
        (*t).old = old;
        (*t).used = 0;
        if change(var, value) < 0 {
            decref(op);
            return null_mut();
        }
        op
    }
}

#[export]
pub unsafe fn PyContextVar_Reset(var: *mut PyObject, token: *mut PyObject) -> c_int {
    if var.is_null() || !is_var(var) {
        raise(
            &raw mut EXC_TypeError,
            "an instance of ContextVar was expected",
        );
        return -1;
    }
    if token.is_null() || !is_token(token) {
        raise(&raw mut EXC_TypeError, "an instance of Token was expected");
        return -1;
    }
    // SAFETY: a live token.
    unsafe {
        let t = token.cast::<Token>();
        if (*t).used != 0 {
            let r = repr_text(token).unwrap_or_default();
            raise(
                &raw mut EXC_RuntimeError,
                &format!("{r} has already been used once"),
            );
            return -1;
        }
        if (*t).var != var {
            let r = repr_text(token).unwrap_or_default();
            raise(
                &raw mut EXC_ValueError,
                &format!("{r} was created by a different ContextVar"),
            );
            return -1;
        }
        let ctx = current();
        if ctx.is_null() {
            return -1;
        }
        if ctx != (*t).ctx {
            let r = repr_text(token).unwrap_or_default();
            raise(
                &raw mut EXC_ValueError,
                &format!("{r} was created in a different Context"),
            );
            return -1;
        }
        (*t).used = 1;
        change(var, (*t).old)
    }
}

// ---- Context's slots and methods --------------------------------------------------------------

unsafe extern "C" fn context_tp_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: a tuple and NULL or a dict.
    unsafe {
        if !crate::tupleobject::items(args).is_empty()
            || (!kw.is_null() && crate::dictobject::len(kw) > 0)
        {
            return raise(
                &raw mut EXC_TypeError,
                "Context() does not accept any arguments",
            );
        }
    }
    PyContext_New()
}

unsafe extern "C" fn context_dealloc(op: *mut PyObject) {
    // SAFETY: a dead context (slot contract).
    unsafe {
        let c = op.cast::<Context>();
        xdecref((*c).prev);
        xdecref((*c).vars);
        crate::objimpl::default_dealloc(op);
    }
}

/// A ContextVar key, else CPython's TypeError.
fn need_var_key(key: *mut PyObject) -> bool {
    if is_var(key) {
        return true;
    }
    let r = repr_text(key).unwrap_or_default();
    raise(
        &raw mut EXC_TypeError,
        &format!("a ContextVar key was expected, got {r}"),
    );
    false
}

unsafe extern "C" fn context_getitem(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    if !need_var_key(key) {
        return null_mut();
    }
    match lookup(op, key) {
        Some(v) => v,
        None => {
            // SAFETY: a live key.
            unsafe {
                crate::pyerrors::set_object((&raw mut crate::pyerrors::EXC_KeyError).cast(), key)
            };
            null_mut()
        }
    }
}

unsafe extern "C" fn context_contains(op: *mut PyObject, key: *mut PyObject) -> c_int {
    if !need_var_key(key) {
        return -1;
    }
    match lookup(op, key) {
        Some(v) => {
            // SAFETY: the lookup's reference.
            unsafe { decref(v) };
            1
        }
        None => 0,
    }
}

unsafe extern "C" fn context_len(op: *mut PyObject) -> Py_ssize_t {
    let vars = vars_of(op);
    // SAFETY: our dict reference.
    unsafe {
        let n = crate::dictobject::len(vars);
        decref(vars);
        n
    }
}

unsafe extern "C" fn context_iter(op: *mut PyObject) -> *mut PyObject {
    let vars = vars_of(op);
    // SAFETY: our dict reference; the dict is never changed, so iterating it is safe.
    unsafe {
        let it = crate::abstract_::PyObject_GetIter(vars);
        decref(vars);
        it
    }
}

unsafe extern "C" fn context_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_context(b) || (op != Py_EQ && op != Py_NE) {
            return new_ref(&raw mut _Py_NotImplementedStruct);
        }
        let (x, y) = (vars_of(a), vars_of(b));
        let r = crate::abstract_::rich_compare(x, y, op);
        decref(x);
        decref(y);
        r
    }
}

unsafe extern "C" fn context_copy_meth(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live context.
    unsafe { PyContext_Copy(op) }
}

unsafe extern "C" fn context_get_meth(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract: `n` arguments.
    unsafe {
        if !crate::getargs::check_positional(Some("get"), n, 1, 2) {
            return null_mut();
        }
        let key = *args;
        if !need_var_key(key) {
            return null_mut();
        }
        match lookup(op, key) {
            Some(v) => v,
            None if n == 2 => new_ref(*args.add(1)),
            None => crate::object::new_none(),
        }
    }
}

unsafe extern "C" fn context_run(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract: `n` positional arguments, then the
    // keyword values `kwnames` names.
    unsafe {
        if n < 1 {
            return raise(
                &raw mut EXC_TypeError,
                "run() missing 1 required positional argument",
            );
        }
        if PyContext_Enter(op) < 0 {
            return null_mut();
        }
        let r =
            crate::abstract_::PyObject_Vectorcall(*args, args.add(1), (n - 1) as usize, kwnames);
        if PyContext_Exit(op) < 0 {
            xdecref(r);
            return null_mut();
        }
        r
    }
}

// ---- ContextVar's --------------------------------------------------------------------------------

unsafe extern "C" fn var_tp_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: a tuple and NULL or a dict.
    unsafe {
        let a = crate::tupleobject::items(args);
        let nkw = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw) as usize
        };
        if a.len() + nkw > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "ContextVar() takes at most 2 arguments ({} given)",
                    a.len() + nkw
                ),
            );
        }
        if a.len() > 1 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "ContextVar() takes at most 1 positional argument ({} given)",
                    a.len()
                ),
            );
        }
        let mut default = null_mut();
        if nkw > 0 {
            default = crate::dictobject::get_str(kw, "default");
            if default.is_null() || nkw > 1 {
                let bad = crate::dictobject::owned_keys(kw)
                    .into_iter()
                    .map(|k| {
                        let s = uni::as_str(k).unwrap_or("").to_string();
                        decref(k);
                        s
                    })
                    .find(|k| k != "default")
                    .unwrap_or_default();
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("ContextVar() got an unexpected keyword argument '{bad}'"),
                );
            }
        }
        let Some(&name) = a.first() else {
            return raise(
                &raw mut EXC_TypeError,
                "ContextVar() takes exactly 1 positional argument (0 given)",
            );
        };
        new_var(name, default)
    }
}

unsafe extern "C" fn var_dealloc(op: *mut PyObject) {
    // SAFETY: a dead variable (slot contract).
    unsafe {
        let v = op.cast::<ContextVar>();
        xdecref((*v).name);
        xdecref((*v).default);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn var_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live variable (slot contract).
    unsafe {
        let v = op.cast::<ContextVar>();
        let Some(name) = repr_text((*v).name) else {
            return null_mut();
        };
        let default = if (*v).default.is_null() {
            String::new()
        } else {
            match repr_text((*v).default) {
                Some(d) => format!(" default={d}"),
                None => return null_mut(),
            }
        };
        uni::from_str(&format!("<ContextVar name={name}{default} at {op:p}>"))
    }
}

unsafe extern "C" fn var_get_meth(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract: `n` arguments.
    unsafe {
        if n > 1 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("get expected at most 1 argument, got {n}"),
            );
        }
        let default = if n == 1 { *args } else { null_mut() };
        let mut v = null_mut();
        if PyContextVar_Get(op, default, &mut v) < 0 {
            return null_mut();
        }
        if v.is_null() {
            crate::pyerrors::set_object((&raw mut EXC_LookupError).cast(), op);
        }
        v
    }
}

unsafe extern "C" fn var_set_meth(op: *mut PyObject, value: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live variable and value.
    unsafe { PyContextVar_Set(op, value) }
}

unsafe extern "C" fn var_reset_meth(op: *mut PyObject, token: *mut PyObject) -> *mut PyObject {
    if !is_token(token) {
        let r = repr_text(token).unwrap_or_default();
        return raise(
            &raw mut EXC_TypeError,
            &format!("expected an instance of Token, got {r}"),
        );
    }
    // SAFETY: a live variable and token.
    if unsafe { PyContextVar_Reset(op, token) } < 0 {
        return null_mut();
    }
    crate::object::new_none()
}

// ---- Token's ----------------------------------------------------------------------------------

unsafe extern "C" fn token_tp_new(
    _t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    raise(
        &raw mut EXC_RuntimeError,
        "Tokens can only be created by ContextVars",
    )
}

unsafe extern "C" fn token_dealloc(op: *mut PyObject) {
    // SAFETY: a dead token (slot contract).
    unsafe {
        let t = op.cast::<Token>();
        xdecref((*t).ctx);
        xdecref((*t).var);
        xdecref((*t).old);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn token_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live token (slot contract).
    unsafe {
        let t = op.cast::<Token>();
        let Some(var) = repr_text((*t).var) else {
            return null_mut();
        };
        let used = if (*t).used != 0 { " used" } else { "" };
        uni::from_str(&format!("<Token{used} var={var} at {op:p}>"))
    }
}

unsafe extern "C" fn token_var(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live token (getter contract).
    unsafe { new_ref((*op.cast::<Token>()).var) }
}

unsafe extern "C" fn token_old_value(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live token (getter contract).
    unsafe {
        let old = (*op.cast::<Token>()).old;
        if old.is_null() {
            new_ref(missing())
        } else {
            new_ref(old)
        }
    }
}

unsafe extern "C" fn token_enter(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live token.
    unsafe { new_ref(op) }
}

unsafe extern "C" fn token_exit(
    op: *mut PyObject,
    _args: *const *mut PyObject,
    _n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a live token.
    unsafe {
        let var = (*op.cast::<Token>()).var;
        if PyContextVar_Reset(var, op) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn missing_repr(_op: *mut PyObject) -> *mut PyObject {
    uni::from_str("<Token.MISSING>")
}
