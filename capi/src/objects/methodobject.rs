//! `methodobject.h`: `PyMethodDef`, the `METH_*` flags and builtin function objects.

use crate::export;
use crate::object::{PyObject, vectorcallfunc};
use std::ffi::{c_char, c_int, c_void};

/// One entry of a method table (32 bytes). `ml_meth`'s real signature depends on `ml_flags`.
#[repr(C)]
#[derive(Debug)]
pub struct PyMethodDef {
    pub ml_name: *const c_char,
    pub ml_meth: *mut c_void,
    pub ml_flags: c_int,
    pub ml_doc: *const c_char,
}

impl PyMethodDef {
    /// The all-NULL row that ends a method table.
    pub(crate) const END: PyMethodDef = PyMethodDef {
        ml_name: std::ptr::null(),
        ml_meth: std::ptr::null_mut(),
        ml_flags: 0,
        ml_doc: std::ptr::null(),
    };
}

pub const METH_VARARGS: c_int = 0x0001;
pub const METH_KEYWORDS: c_int = 0x0002;
pub const METH_NOARGS: c_int = 0x0004;
pub const METH_O: c_int = 0x0008;
pub const METH_CLASS: c_int = 0x0010;
pub const METH_STATIC: c_int = 0x0020;
pub const METH_COEXIST: c_int = 0x0040;
pub const METH_FASTCALL: c_int = 0x0080;
pub const METH_STACKLESS: c_int = 0x0000;
pub const METH_METHOD: c_int = 0x0200;

/// `PyCFunctionObject` (72 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyCFunctionObject {
    pub ob_base: PyObject,
    pub m_ml: *mut PyMethodDef,
    pub m_self: *mut PyObject,
    pub m_module: *mut PyObject,
    pub m_weakreflist: *mut PyObject,
    pub vectorcall: vectorcallfunc,
}

/// `PyCMethodObject` (80 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyCMethodObject {
    pub func: PyCFunctionObject,
    pub mm_class: *mut crate::object::PyTypeObject,
}

use crate::object::{PyTypeObject, static_type};
use crate::refcount::{new_ref, xdecref, xincref};
use std::ptr::null_mut;

#[export]
pub static mut PyCFunction_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(cfunction_dealloc),
    tp_repr: Some(cfunction_repr),
    tp_call: Some(cfunction_call),
    tp_getset: (&raw const CFUNCTION_GETSET).cast_mut().cast(),
    tp_vectorcall_offset: std::mem::offset_of!(PyCFunctionObject, vectorcall) as isize,
    ..static_type(
        c"builtin_function_or_method",
        std::mem::size_of::<PyCFunctionObject>(),
        0,
        crate::object::Py_TPFLAGS_HAVE_VECTORCALL,
    )
};

#[export]
pub static mut PyCMethod_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyCFunction_Type,
    tp_dealloc: Some(cfunction_dealloc),
    tp_repr: Some(cfunction_repr),
    tp_call: Some(cfunction_call),
    tp_vectorcall_offset: std::mem::offset_of!(PyCFunctionObject, vectorcall) as isize,
    ..static_type(
        c"builtin_method",
        std::mem::size_of::<PyCMethodObject>(),
        0,
        crate::object::Py_TPFLAGS_HAVE_VECTORCALL,
    )
};

unsafe extern "C" fn cfunction_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead function object (slot contract).
    unsafe {
        let f = op.cast::<PyCFunctionObject>();
        if !crate::typeobject::borrows_self((*f).m_ml) {
            xdecref((*f).m_self);
        }
        xdecref((*f).m_module);
        if (*op).ob_type == &raw mut PyCMethod_Type {
            xdecref((*op.cast::<PyCMethodObject>()).mm_class.cast());
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn cfunction_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live function object (slot contract).
    unsafe {
        let f = op.cast::<PyCFunctionObject>();
        let name = std::ffi::CStr::from_ptr((*(*f).m_ml).ml_name).to_string_lossy();
        let s = (*f).m_self;
        if s.is_null() || crate::moduleobject::is_module(s) {
            crate::unicodeobject::from_str(&format!("<built-in function {name}>"))
        } else {
            let tn = crate::object::type_name(crate::object::ty(s));
            crate::unicodeobject::from_str(&format!(
                "<built-in method {name} of {tn} object at {s:p}>"
            ))
        }
    }
}

/// `PyCMethod_New`: a builtin function for `ml` bound to `self_` (calling comes later).
///
/// # Safety
/// `ml` must outlive the function object; the others NULL or live.
pub(crate) unsafe fn new_cfunction(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let flags = (*ml).ml_flags & !(METH_CLASS | METH_STATIC | METH_COEXIST);
        let known = [
            METH_VARARGS,
            METH_VARARGS | METH_KEYWORDS,
            METH_NOARGS,
            METH_O,
            METH_FASTCALL,
            METH_FASTCALL | METH_KEYWORDS,
            METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
        ];
        if !known.contains(&flags) {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                &format!(
                    "{} method: bad call flags",
                    std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy()
                ),
            );
        }
        let is_method = flags & METH_METHOD != 0;
        if is_method && cls.is_null() {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "attempting to create PyCMethod with a METH_METHOD flag but no class",
            );
        }
        if !is_method && !cls.is_null() {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "attempting to create PyCFunction with class but no METH_METHOD flag",
            );
        }
        let t = if is_method {
            &raw mut PyCMethod_Type
        } else {
            &raw mut PyCFunction_Type
        };
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let f = op.cast::<PyCFunctionObject>();
        (*f).m_ml = ml;
        xincref(self_);
        (*f).m_self = self_;
        xincref(module);
        (*f).m_module = module;
        (*f).vectorcall = vectorcall_for(flags);
        if is_method {
            (*op.cast::<PyCMethodObject>()).mm_class = new_ref(cls.cast()).cast();
        }
        op
    }
}

#[export]
pub unsafe fn PyCMethod_New(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_cfunction(ml, self_, module, cls) }
}

#[export]
pub unsafe fn PyCFunction_NewEx(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_cfunction(ml, self_, module, null_mut()) }
}

#[export]
pub unsafe fn PyCFunction_New(ml: *mut PyMethodDef, self_: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_cfunction(ml, self_, null_mut(), null_mut()) }
}

// ---- calling ------------------------------------------------------------------------------

type Py_ssize_t = isize;

/// The calling convention bits of `ml_flags`.
fn convention(flags: c_int) -> c_int {
    flags & !(METH_CLASS | METH_STATIC | METH_COEXIST)
}

/// The vectorcall entry for a convention (`METH_VARARGS` ones go through `tp_call`).
fn vectorcall_for(flags: c_int) -> vectorcallfunc {
    match convention(flags) {
        METH_NOARGS => Some(vc_noargs),
        METH_O => Some(vc_o),
        METH_FASTCALL => Some(vc_fastcall),
        f if f == METH_FASTCALL | METH_KEYWORDS => Some(vc_fastcall_keywords),
        f if f == METH_METHOD | METH_FASTCALL | METH_KEYWORDS => Some(vc_method),
        _ => None,
    }
}

/// `_PyObject_FunctionStr` for a builtin function: `module.qualname()`, without the module
/// when it is `builtins` or absent.
///
/// # Safety
/// `func` must be a live builtin function object.
pub(crate) unsafe fn function_str(func: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        let f = func.cast::<PyCFunctionObject>();
        let name = std::ffi::CStr::from_ptr((*(*f).m_ml).ml_name).to_string_lossy();
        let s = (*f).m_self;
        let qual = if s.is_null() || crate::moduleobject::is_module(s) {
            name.into_owned()
        } else if crate::object::is_type(s) {
            format!("{}.{name}", crate::object::type_short_name(s.cast()))
        } else {
            format!(
                "{}.{name}",
                crate::object::type_short_name(crate::object::ty(s))
            )
        };
        let m = (*f).m_module;
        match (!m.is_null())
            .then(|| crate::unicodeobject::as_str(m))
            .flatten()
        {
            Some(module) if module != "builtins" => format!("{module}.{qual}()"),
            _ => format!("{qual}()"),
        }
    }
}

fn type_error(msg: &str) -> *mut PyObject {
    crate::pyerrors::raise(&raw mut crate::pyerrors::EXC_TypeError, msg)
}

/// Raises "takes no keyword arguments" when `kwnames` is a non-empty tuple.
unsafe fn reject_kwnames(func: *mut PyObject, kwnames: *mut PyObject) -> bool {
    // SAFETY: `kwnames` NULL or a tuple; `func` a live function object.
    unsafe {
        if !kwnames.is_null() && !crate::tupleobject::items(kwnames).is_empty() {
            type_error(&format!(
                "{} takes no keyword arguments",
                function_str(func)
            ));
            return true;
        }
    }
    false
}

/// Whether a vectorcall has no keyword names, the first condition of its unguarded path. On
/// that path gilgate runs no Rust that can panic before the C callee (it reads two fields and
/// calls through `extcall`), so it needs no guard frame; everything else (errors, keywords,
/// taking the per-module lock) takes the guarded path.
///
/// The second condition is that no per-module lock is to be taken for the callee. With the lock
/// off (every policy but `module`) each `vc_*` jumps straight to the callee; under `module` it
/// jumps to its `*_module` twin, out of line, which tests the callee's address
/// ([`crate::extcall::lock_off_for`]). Keeping that test out of the `vc_*` function keeps its
/// common path a tail jump with no stack frame: inline, the lookup's call made every vectorcall
/// save and restore six registers (22 more instructions per METH_FASTCALL call, stop 29).
///
/// # Safety
/// `kwnames` NULL or a live tuple.
#[inline(always)]
unsafe fn no_keywords(kwnames: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    kwnames.is_null() || unsafe { crate::tupleobject::items(kwnames) }.is_empty()
}

unsafe fn parts(func: *mut PyObject) -> (*mut PyObject, *mut std::ffi::c_void) {
    // SAFETY: `func` is a live function object (vectorcall contract).
    unsafe {
        let f = func.cast::<PyCFunctionObject>();
        ((*f).m_self, (*(*f).m_ml).ml_meth)
    }
}

/// The body of the `vc_*_module` twins: `unlocked(off, self, meth)` when the lock does not
/// cover the function's C code, else `guarded()`.
///
/// # Safety
/// `func` a live function object (vectorcall contract).
#[inline(always)]
unsafe fn by_module_lock(
    func: *mut PyObject,
    unlocked: impl FnOnce(
        crate::extcall::LockOff,
        *mut PyObject,
        *mut std::ffi::c_void,
    ) -> *mut PyObject,
    guarded: impl FnOnce() -> *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let (s, m) = unsafe { parts(func) };
    match crate::extcall::lock_off_for(m as usize) {
        Some(off) => unlocked(off, s, m),
        None => guarded(),
    }
}

/// The unguarded METH_FASTCALL crossing, shared by `vc_fastcall` and its module twin.
///
/// # Safety
/// `s`, `m` the parts of a live METH_FASTCALL function object; `args` as the vectorcall passed.
#[inline(always)]
unsafe fn fastcall_unlocked(
    off: crate::extcall::LockOff,
    s: *mut PyObject,
    m: *mut std::ffi::c_void,
    args: *const *mut PyObject,
    nargsf: usize,
) -> *mut PyObject {
    let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
    // SAFETY: forwarded contract.
    unsafe { crate::extcall::meth_fastcall_unlocked(off, m, s, args, nargs as Py_ssize_t) }
}

/// The unguarded METH_FASTCALL|METH_KEYWORDS crossing, shared by `vc_fastcall_keywords` and its
/// module twin.
///
/// # Safety
/// As [`fastcall_unlocked`], for a FASTCALL|KEYWORDS function; `kwnames` as passed.
#[inline(always)]
unsafe fn fastcall_keywords_unlocked(
    off: crate::extcall::LockOff,
    s: *mut PyObject,
    m: *mut std::ffi::c_void,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
    // SAFETY: forwarded contract.
    unsafe {
        crate::extcall::meth_fastcall_keywords_unlocked(
            off,
            m,
            s,
            args,
            nargs as Py_ssize_t,
            kwnames,
        )
    }
}

unsafe extern "C" fn vc_noargs(
    func: *mut PyObject,
    _args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
    // SAFETY: vectorcall contract; ml_meth has the METH_NOARGS signature.
    unsafe {
        if nargs == 0 && no_keywords(kwnames) {
            let Some(off) = crate::extcall::lock_off() else {
                return vc_noargs_module(func, _args, nargsf, kwnames);
            };
            let (s, m) = parts(func);
            return crate::extcall::meth_unlocked(off, m, s, null_mut());
        }
    }
    // SAFETY: forwarded vectorcall contract.
    unsafe { vc_noargs_guarded(func, _args, nargsf, kwnames) }
}

/// `vc_noargs` under the `module` policy, once its arguments passed (see [`no_keywords`]).
///
/// # Safety
/// The vectorcall contract.
#[inline(never)]
unsafe fn vc_noargs_module(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract; ml_meth has the METH_NOARGS signature.
    unsafe {
        by_module_lock(
            func,
            |off, s, m| crate::extcall::meth_unlocked(off, m, s, null_mut()),
            || vc_noargs_guarded(func, args, nargsf, kwnames),
        )
    }
}

/// `vc_noargs`'s guarded path (checks, errors, the per-module lock), out of line so that the
/// unguarded call above needs no stack frame of its own and jumps straight to the callee.
///
/// # Safety
/// The vectorcall contract.
#[cold]
#[inline(never)]
unsafe fn vc_noargs_guarded(
    func: *mut PyObject,
    _args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("builtin function call", null_mut(), || {
        // SAFETY: vectorcall contract; ml_meth has the METH_NOARGS signature.
        unsafe {
            if reject_kwnames(func, kwnames) {
                return null_mut();
            }
            let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
            if nargs != 0 {
                return type_error(&format!(
                    "{} takes no arguments ({nargs} given)",
                    function_str(func)
                ));
            }
            let (s, m) = parts(func);
            crate::extcall::meth(m, s, null_mut())
        }
    })
}

unsafe extern "C" fn vc_o(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
    // SAFETY: vectorcall contract; ml_meth has the METH_O signature.
    unsafe {
        if nargs == 1 && no_keywords(kwnames) {
            let Some(off) = crate::extcall::lock_off() else {
                return vc_o_module(func, args, nargsf, kwnames);
            };
            let (s, m) = parts(func);
            return crate::extcall::meth_unlocked(off, m, s, *args);
        }
    }
    // SAFETY: forwarded vectorcall contract.
    unsafe { vc_o_guarded(func, args, nargsf, kwnames) }
}

/// `vc_o` under the `module` policy, once its arguments passed (see [`no_keywords`]).
///
/// # Safety
/// The vectorcall contract, with one argument.
#[inline(never)]
unsafe fn vc_o_module(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract; ml_meth has the METH_O signature.
    unsafe {
        by_module_lock(
            func,
            |off, s, m| crate::extcall::meth_unlocked(off, m, s, *args),
            || vc_o_guarded(func, args, nargsf, kwnames),
        )
    }
}

/// `vc_o`'s guarded path (checks, errors, the per-module lock), out of line so that the
/// unguarded call above needs no stack frame of its own and jumps straight to the callee.
///
/// # Safety
/// The vectorcall contract.
#[cold]
#[inline(never)]
unsafe fn vc_o_guarded(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("builtin function call", null_mut(), || {
        // SAFETY: vectorcall contract; ml_meth has the METH_O signature.
        unsafe {
            if reject_kwnames(func, kwnames) {
                return null_mut();
            }
            let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
            if nargs != 1 {
                return type_error(&format!(
                    "{} takes exactly one argument ({nargs} given)",
                    function_str(func)
                ));
            }
            let (s, m) = parts(func);
            crate::extcall::meth(m, s, *args)
        }
    })
}

unsafe extern "C" fn vc_fastcall(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract; ml_meth has the METH_FASTCALL signature.
    unsafe {
        if no_keywords(kwnames) {
            let Some(off) = crate::extcall::lock_off() else {
                return vc_fastcall_module(func, args, nargsf, kwnames);
            };
            let (s, m) = parts(func);
            return fastcall_unlocked(off, s, m, args, nargsf);
        }
    }
    // SAFETY: forwarded vectorcall contract.
    unsafe { vc_fastcall_guarded(func, args, nargsf, kwnames) }
}

/// `vc_fastcall` under the `module` policy, without keyword names (see [`no_keywords`]).
///
/// # Safety
/// The vectorcall contract.
#[inline(never)]
unsafe fn vc_fastcall_module(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract; ml_meth has the METH_FASTCALL signature.
    unsafe {
        by_module_lock(
            func,
            |off, s, m| fastcall_unlocked(off, s, m, args, nargsf),
            || vc_fastcall_guarded(func, args, nargsf, kwnames),
        )
    }
}

/// `vc_fastcall`'s guarded path (checks, errors, the per-module lock), out of line so that the
/// unguarded call above needs no stack frame of its own and jumps straight to the callee.
///
/// # Safety
/// The vectorcall contract.
#[cold]
#[inline(never)]
unsafe fn vc_fastcall_guarded(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("builtin function call", null_mut(), || {
        // SAFETY: vectorcall contract; ml_meth has the METH_FASTCALL signature.
        unsafe {
            if reject_kwnames(func, kwnames) {
                return null_mut();
            }
            let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
            let (s, m) = parts(func);
            crate::extcall::meth_fastcall(m, s, args, nargs as Py_ssize_t)
        }
    })
}

unsafe extern "C" fn vc_fastcall_keywords(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // Keywords go to the callee as they are, so only the lock decides (see `no_keywords`).
    let Some(off) = crate::extcall::lock_off() else {
        // SAFETY: forwarded vectorcall contract.
        return unsafe { vc_fastcall_keywords_module(func, args, nargsf, kwnames) };
    };
    // SAFETY: vectorcall contract; ml_meth has the FASTCALL|KEYWORDS signature.
    unsafe {
        let (s, m) = parts(func);
        fastcall_keywords_unlocked(off, s, m, args, nargsf, kwnames)
    }
}

/// `vc_fastcall_keywords` under the `module` policy (see [`no_keywords`]).
///
/// # Safety
/// The vectorcall contract.
#[inline(never)]
unsafe fn vc_fastcall_keywords_module(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract; ml_meth has the FASTCALL|KEYWORDS signature.
    unsafe {
        by_module_lock(
            func,
            |off, s, m| fastcall_keywords_unlocked(off, s, m, args, nargsf, kwnames),
            || vc_fastcall_keywords_guarded(func, args, nargsf, kwnames),
        )
    }
}

/// `vc_fastcall_keywords`'s guarded path (checks, errors, the per-module lock), out of line so that the
/// unguarded call above needs no stack frame of its own and jumps straight to the callee.
///
/// # Safety
/// The vectorcall contract.
#[cold]
#[inline(never)]
unsafe fn vc_fastcall_keywords_guarded(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("builtin function call", null_mut(), || {
        // SAFETY: vectorcall contract; ml_meth has the FASTCALL|KEYWORDS signature.
        unsafe {
            let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
            let (s, m) = parts(func);
            crate::extcall::meth_fastcall_keywords(m, s, args, nargs as Py_ssize_t, kwnames)
        }
    })
}

unsafe extern "C" fn vc_method(
    func: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("builtin function call", null_mut(), || {
        // SAFETY: vectorcall contract; a PyCMethod object whose ml_meth is a PyCMethod.
        unsafe {
            let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
            let (s, m) = parts(func);
            let cls = (*func.cast::<PyCMethodObject>()).mm_class;
            crate::extcall::meth_method(m, s, cls, args, nargs, kwnames)
        }
    })
}

/// `tp_call` of builtin functions (and `PyCFunction_Call`).
///
/// # Safety
/// `func` a live function object, `args` a tuple, `kwargs` NULL or a dict.
pub(crate) unsafe fn call_cfunction(
    func: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract; ml_meth's signature follows its flags.
    unsafe {
        let f = func.cast::<PyCFunctionObject>();
        let ml = (*f).m_ml;
        let conv = convention((*ml).ml_flags);
        if conv & METH_VARARGS == 0 {
            return crate::abstract_::PyVectorcall_Call(func, args, kwargs);
        }
        let s = (*f).m_self;
        let r = if conv & METH_KEYWORDS != 0 {
            crate::extcall::meth_keywords((*ml).ml_meth, s, args, kwargs)
        } else {
            if !kwargs.is_null() && crate::dictobject::len(kwargs) != 0 {
                let name = std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy();
                return type_error(&format!(
                    "{}() takes no keyword arguments",
                    crate::abstract_::trunc(&name, 200)
                ));
            }
            crate::extcall::meth((*ml).ml_meth, s, args)
        };
        crate::abstract_::check_result(func, r)
    }
}

unsafe extern "C" fn cfunction_call(
    func: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("builtin function call", null_mut(), || unsafe {
        call_cfunction(func, args, kwargs)
    })
}

/// Whether `op` is a builtin function (or method) object.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_cfunction(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyCFunction_Type) }
}

fn bad_call() -> *mut PyObject {
    crate::pyerrors::bad_internal_call()
}

#[export]
pub unsafe fn PyCFunction_Call(
    func: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if func.is_null() || !is_cfunction(func) || args.is_null() {
            return bad_call();
        }
        call_cfunction(func, args, kwargs)
    }
}

#[export]
pub unsafe fn PyCFunction_GetFunction(op: *mut PyObject) -> *mut c_void {
    // SAFETY: per the C API contract.
    unsafe {
        if op.is_null() || !is_cfunction(op) {
            bad_call();
            return null_mut();
        }
        (*(*op.cast::<PyCFunctionObject>()).m_ml).ml_meth
    }
}

#[export]
pub unsafe fn PyCFunction_GetSelf(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if op.is_null() || !is_cfunction(op) {
            return bad_call();
        }
        (*op.cast::<PyCFunctionObject>()).m_self
    }
}

#[export]
pub unsafe fn PyCFunction_GetFlags(op: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if op.is_null() || !is_cfunction(op) {
            bad_call();
            return -1;
        }
        (*(*op.cast::<PyCFunctionObject>()).m_ml).ml_flags
    }
}

// ---- attributes: __name__, __qualname__, __module__, __self__, __doc__, __text_signature__ --

use crate::descrobject::PyGetSetDef;

/// A `tp_getset` table (raw pointers are not `Sync`; the table is never written).
#[repr(transparent)]
pub(crate) struct GetSetTable<const N: usize>(pub [PyGetSetDef; N]);
// SAFETY: the table is immutable static data (names, function pointers, NULLs).
unsafe impl<const N: usize> Sync for GetSetTable<N> {}

const fn getset(
    name: &'static std::ffi::CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
) -> PyGetSetDef {
    PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    }
}

static CFUNCTION_GETSET: GetSetTable<7> = GetSetTable([
    getset(c"__name__", cf_name),
    getset(c"__qualname__", cf_qualname),
    getset(c"__module__", cf_module),
    getset(c"__self__", cf_self),
    getset(c"__doc__", cf_doc),
    getset(c"__text_signature__", cf_text_signature),
    PyGetSetDef::END,
]);

/// The method's name as a Rust string.
///
/// # Safety
/// `op` must be a live function object.
unsafe fn ml_name(op: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        std::ffi::CStr::from_ptr((*(*op.cast::<PyCFunctionObject>()).m_ml).ml_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// `ml_doc` split into (signature, doc) the way CPython reads `name(...)\n--\n\n` headers.
fn split_doc(name: &str, doc: &str) -> (Option<String>, String) {
    if let Some(rest) = doc.strip_prefix(name)
        && rest.starts_with('(')
        && let Some(end) = rest.find(")\n--\n\n")
    {
        return (Some(rest[..=end].to_string()), rest[end + 6..].to_string());
    }
    (None, doc.to_string())
}

unsafe fn doc_parts(op: *mut PyObject) -> Option<(Option<String>, String)> {
    // SAFETY: a live function object (getter contract).
    unsafe {
        let d = (*(*op.cast::<PyCFunctionObject>()).m_ml).ml_doc;
        if d.is_null() {
            return None;
        }
        let doc = std::ffi::CStr::from_ptr(d).to_string_lossy();
        Some(split_doc(&ml_name(op), &doc))
    }
}

unsafe extern "C" fn cf_name(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { crate::unicodeobject::from_str(&ml_name(op)) }
}

unsafe extern "C" fn cf_qualname(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        let s = function_str(op);
        let without_call = s.strip_suffix("()").unwrap_or(&s);
        let m = (*op.cast::<PyCFunctionObject>()).m_module;
        let q = match crate::unicodeobject::as_str(m) {
            Some(module) if !m.is_null() => without_call
                .strip_prefix(module)
                .and_then(|r| r.strip_prefix('.'))
                .unwrap_or(without_call),
            _ => without_call,
        };
        crate::unicodeobject::from_str(q)
    }
}

unsafe extern "C" fn cf_module(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        let m = (*op.cast::<PyCFunctionObject>()).m_module;
        if m.is_null() {
            crate::object::new_none()
        } else {
            new_ref(m)
        }
    }
}

unsafe extern "C" fn cf_self(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        let s = (*op.cast::<PyCFunctionObject>()).m_self;
        if s.is_null() {
            crate::object::new_none()
        } else {
            new_ref(s)
        }
    }
}

unsafe extern "C" fn cf_doc(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        match doc_parts(op) {
            Some((_, doc)) => crate::unicodeobject::from_str(&doc),
            None => crate::object::new_none(),
        }
    }
}

unsafe extern "C" fn cf_text_signature(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        match doc_parts(op) {
            Some((Some(sig), _)) => crate::unicodeobject::from_str(&sig),
            _ => crate::object::new_none(),
        }
    }
}
