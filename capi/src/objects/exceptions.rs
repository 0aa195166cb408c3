//! The built-in exception types (CPython's `Objects/exceptions.c`): instance layouts,
//! their members and getters, `BaseException`'s slots, the `PyException_*` functions and the
//! 70 static types with their `PyExc_*` pointers. `pyerrors.h` declares them; the error
//! indicator and the `PyErr_*` functions are in `runtime/pyerrors.rs`, which re-exports these.

use crate::descrobject::{Py_T_OBJECT, Py_T_PYSSIZET, PyGetSetDef, PyMemberDef};
use crate::object::{
    Py_TPFLAGS_BASE_EXC_SUBCLASS, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC, PyObject, PyTypeObject,
    static_type, ty, type_short_name,
};
use crate::pyerrors::raise;
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref, xincref};
use crate::tupleobject as tuple;
use crate::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;

/// `PyBaseExceptionObject` (88 bytes); subclasses append their fields at 88.
#[repr(C)]
pub struct PyBaseExceptionObject {
    pub ob_base: PyObject,
    pub dict: *mut PyObject,
    pub args: *mut PyObject,
    pub notes: *mut PyObject,
    pub traceback: *mut PyObject,
    pub context: *mut PyObject,
    pub cause: *mut PyObject,
    pub suppress_context: c_char,
}

/// `PyImportErrorObject` (120 bytes).
#[repr(C)]
pub struct PyImportErrorObject {
    pub base: PyBaseExceptionObject,
    pub msg: *mut PyObject,
    pub name: *mut PyObject,
    pub path: *mut PyObject,
    pub name_from: *mut PyObject,
}

/// Which instance layout an exception type uses (fields after offset 88).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Base,
    Key,
    Group,
    SystemExit,
    StopIteration,
    Attribute,
    Name,
    Import,
    Os,
    Syntax,
    Unicode,
}

impl Kind {
    /// Offsets (from 88) of the object fields this layout owns.
    fn object_fields(self) -> &'static [usize] {
        match self {
            Kind::Base | Kind::Key => &[],
            Kind::Group => &[88, 96, 104],
            Kind::SystemExit | Kind::StopIteration | Kind::Name => &[88],
            Kind::Attribute => &[88, 96],
            Kind::Import => &[88, 96, 104, 112],
            Kind::Os => &[88, 96, 104, 112],
            Kind::Syntax => &[88, 96, 104, 112, 120, 128, 136, 144, 152],
            Kind::Unicode => &[88, 96, 120],
        }
    }
}

const fn member(name: &'static CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: Py_T_OBJECT,
        offset: offset as Py_ssize_t,
        flags: 0,
        doc: std::ptr::null(),
    }
}

const MEMBER_END: PyMemberDef = PyMemberDef {
    name: std::ptr::null(),
    type_: 0,
    offset: 0,
    flags: 0,
    doc: std::ptr::null(),
};

static mut MEMBERS_IMPORT: [PyMemberDef; 4] = [
    member(c"msg", 88),
    member(c"name", 96),
    member(c"path", 104),
    MEMBER_END,
];
static mut MEMBERS_OS: [PyMemberDef; 6] = [
    member(c"errno", 88),
    member(c"strerror", 96),
    member(c"filename", 104),
    member(c"filename2", 112),
    PyMemberDef {
        name: c"characters_written".as_ptr(),
        type_: Py_T_PYSSIZET,
        offset: 120,
        flags: 0,
        doc: std::ptr::null(),
    },
    MEMBER_END,
];
static mut MEMBERS_SYSTEMEXIT: [PyMemberDef; 2] = [member(c"code", 88), MEMBER_END];
static mut MEMBERS_STOPITERATION: [PyMemberDef; 2] = [member(c"value", 88), MEMBER_END];
static mut MEMBERS_NAME: [PyMemberDef; 2] = [member(c"name", 88), MEMBER_END];
static mut MEMBERS_ATTRIBUTE: [PyMemberDef; 3] =
    [member(c"obj", 88), member(c"name", 96), MEMBER_END];
static mut MEMBERS_GROUP: [PyMemberDef; 3] = [
    member(c"message", 88),
    member(c"exceptions", 96),
    MEMBER_END,
];
static mut MEMBERS_SYNTAX: [PyMemberDef; 8] = [
    member(c"msg", 88),
    member(c"filename", 96),
    member(c"lineno", 104),
    member(c"offset", 112),
    member(c"end_lineno", 120),
    member(c"end_offset", 128),
    member(c"text", 136),
    MEMBER_END,
];
static mut MEMBERS_UNICODE: [PyMemberDef; 4] = [
    member(c"encoding", 88),
    member(c"object", 96),
    member(c"reason", 120),
    MEMBER_END,
];

const fn members_of(kind: Kind) -> *mut PyMemberDef {
    match kind {
        Kind::Base | Kind::Key => null_mut(),
        Kind::Import => (&raw mut MEMBERS_IMPORT).cast(),
        Kind::Os => (&raw mut MEMBERS_OS).cast(),
        Kind::SystemExit => (&raw mut MEMBERS_SYSTEMEXIT).cast(),
        Kind::StopIteration => (&raw mut MEMBERS_STOPITERATION).cast(),
        Kind::Name => (&raw mut MEMBERS_NAME).cast(),
        Kind::Attribute => (&raw mut MEMBERS_ATTRIBUTE).cast(),
        Kind::Group => (&raw mut MEMBERS_GROUP).cast(),
        Kind::Syntax => (&raw mut MEMBERS_SYNTAX).cast(),
        Kind::Unicode => (&raw mut MEMBERS_UNICODE).cast(),
    }
}

const fn getset(
    name: &'static CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
    set: Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut c_void) -> c_int>,
) -> PyGetSetDef {
    PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set,
        doc: std::ptr::null(),
        closure: null_mut(),
    }
}

static mut BASE_GETSET: [PyGetSetDef; 6] = [
    getset(c"args", get_args, None),
    getset(c"__cause__", get_cause, Some(set_cause_attr)),
    getset(c"__context__", get_context, Some(set_context_attr)),
    getset(c"__traceback__", get_traceback, None),
    getset(c"__suppress_context__", get_suppress, None),
    PyGetSetDef {
        name: std::ptr::null(),
        get: None,
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
];

/// A static built-in exception type.
const fn exc_type(
    name: &'static CStr,
    base: *mut PyTypeObject,
    size: usize,
    kind: Kind,
) -> PyTypeObject {
    let _ = Py_TPFLAGS_HAVE_GC;
    PyTypeObject {
        tp_base: base,
        tp_dealloc: Some(exc_dealloc),
        tp_repr: Some(exc_repr),
        tp_str: Some(if matches!(kind, Kind::Key) {
            key_error_str
        } else if matches!(kind, Kind::Import) {
            import_error_str
        } else {
            exc_str
        }),
        tp_dictoffset: 32,
        tp_getset: &raw mut BASE_GETSET as *mut PyGetSetDef,
        tp_members: members_of(kind),
        tp_new: Some(exc_tp_new),
        ..static_type(
            name,
            size,
            0,
            Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BASE_EXC_SUBCLASS,
        )
    }
}

/// The layout kind of exception type `t`.
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn kind_of(t: *mut PyTypeObject) -> Kind {
    use crate::object::is_subtype as sub;
    // SAFETY: forwarded contract; the EXC_ statics are type objects.
    unsafe {
        let table: [(*mut PyTypeObject, Kind); 10] = [
            (&raw mut EXC_ImportError, Kind::Import),
            (&raw mut EXC_OSError, Kind::Os),
            (&raw mut EXC_SyntaxError, Kind::Syntax),
            (&raw mut EXC_UnicodeError, Kind::Unicode),
            (&raw mut EXC_AttributeError, Kind::Attribute),
            (&raw mut EXC_NameError, Kind::Name),
            (&raw mut EXC_StopIteration, Kind::StopIteration),
            (&raw mut EXC_SystemExit, Kind::SystemExit),
            (&raw mut EXC_BaseExceptionGroup, Kind::Group),
            (&raw mut EXC_KeyError, Kind::Key),
        ];
        table
            .iter()
            .find(|(b, _)| sub(t, *b))
            .map_or(Kind::Base, |&(_, k)| k)
    }
}

/// Whether `op` is an exception instance.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_exception_instance(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_BASE_EXC_SUBCLASS) }
}

/// Whether `op` is an exception class.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_exception_class(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract; type objects are PyTypeObjects.
    unsafe {
        crate::object::is_type(op)
            && (*op.cast::<PyTypeObject>()).tp_flags & Py_TPFLAGS_BASE_EXC_SUBCLASS != 0
    }
}

pub(crate) unsafe fn field(op: *mut PyObject, off: usize) -> *mut *mut PyObject {
    // SAFETY: the caller checked the layout has an object field at `off`.
    unsafe { op.cast::<u8>().add(off).cast() }
}

/// A new exception instance of `t` with `args` (a tuple; a new reference is taken).
///
/// # Safety
/// `t` must be an exception type, `args` a live tuple.
pub(crate) unsafe fn new_exception(t: *mut PyTypeObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let e = crate::objimpl::alloc_object(t, 0);
        if e.is_null() {
            return e;
        }
        (*e.cast::<PyBaseExceptionObject>()).args = new_ref(args);
        let a = tuple::items(args);
        match kind_of(t) {
            Kind::Import if a.len() == 1 => *field(e, 88) = new_ref(a[0]),
            Kind::StopIteration | Kind::SystemExit => {
                *field(e, 88) = match a.len() {
                    0 => crate::object::new_none(),
                    1 => new_ref(a[0]),
                    _ => new_ref(args),
                }
            }
            Kind::Os if (2..=5).contains(&a.len()) => {
                *field(e, 88) = new_ref(a[0]);
                *field(e, 96) = new_ref(a[1]);
                if a.len() >= 3 {
                    *field(e, 104) = new_ref(a[2]);
                }
            }
            Kind::Syntax if !a.is_empty() => *field(e, 88) = new_ref(a[0]),
            _ => {}
        }
        e
    }
}

unsafe extern "C" fn exc_tp_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: `t` is an exception type, `args` NULL or a tuple.
    unsafe {
        if args.is_null() {
            let empty = tuple::new_tuple(0);
            let e = new_exception(t, empty);
            decref(empty);
            return e;
        }
        new_exception(t, args)
    }
}

unsafe extern "C" fn exc_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead exception (slot contract).
    unsafe {
        let b = op.cast::<PyBaseExceptionObject>();
        for p in [
            (*b).dict,
            (*b).args,
            (*b).notes,
            (*b).traceback,
            (*b).context,
            (*b).cause,
        ] {
            xdecref(p);
        }
        for &off in kind_of(ty(op)).object_fields() {
            xdecref(*field(op, off));
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe fn args_of<'a>(op: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: `op` is a live exception; `args` is NULL or a tuple.
    unsafe {
        let a = (*op.cast::<PyBaseExceptionObject>()).args;
        if a.is_null() || !tuple::is_tuple(a) {
            &[]
        } else {
            tuple::items(a)
        }
    }
}

unsafe extern "C" fn exc_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live exception (slot contract).
    unsafe {
        match args_of(op) {
            [] => uni::from_str(""),
            [one] => crate::object::str(*one),
            _ => crate::object::str((*op.cast::<PyBaseExceptionObject>()).args),
        }
    }
}

unsafe extern "C" fn key_error_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live KeyError (slot contract).
    unsafe {
        match args_of(op) {
            [one] => crate::object::repr(*one),
            _ => exc_str(op),
        }
    }
}

unsafe extern "C" fn import_error_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live ImportError (slot contract).
    unsafe {
        let msg = *field(op, 88);
        if !msg.is_null() && msg != crate::object::none() {
            return crate::object::str(msg);
        }
        exc_str(op)
    }
}

unsafe extern "C" fn exc_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live exception (slot contract).
    unsafe {
        let name = type_short_name(ty(op));
        let inner = match args_of(op) {
            [] => String::new(),
            [one] => crate::object::repr_string(*one),
            _ => {
                let r = crate::object::repr_string((*op.cast::<PyBaseExceptionObject>()).args);
                r[1..r.len() - 1].to_string()
            }
        };
        uni::from_str(&format!("{name}({inner})"))
    }
}

unsafe extern "C" fn get_args(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live exception (getter contract).
    unsafe {
        let a = (*op.cast::<PyBaseExceptionObject>()).args;
        if a.is_null() {
            tuple::new_tuple(0)
        } else {
            new_ref(a)
        }
    }
}

unsafe fn none_or(p: *mut PyObject) -> *mut PyObject {
    // SAFETY: `p` is NULL or live.
    if p.is_null() {
        crate::object::new_none()
    } else {
        // SAFETY: `p` is a live object when not NULL.
        unsafe { new_ref(p) }
    }
}

unsafe extern "C" fn get_cause(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live exception (getter contract).
    unsafe { none_or((*op.cast::<PyBaseExceptionObject>()).cause) }
}

unsafe extern "C" fn get_context(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live exception (getter contract).
    unsafe { none_or((*op.cast::<PyBaseExceptionObject>()).context) }
}

unsafe extern "C" fn get_traceback(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live exception (getter contract).
    unsafe { none_or((*op.cast::<PyBaseExceptionObject>()).traceback) }
}

unsafe extern "C" fn get_suppress(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live exception (getter contract).
    crate::boolobject::from_bool(
        unsafe { (*op.cast::<PyBaseExceptionObject>()).suppress_context } != 0,
    )
}

unsafe fn chain_value(v: *mut PyObject, what: &str) -> Result<*mut PyObject, ()> {
    // SAFETY: `v` is NULL or a live object.
    unsafe {
        if v.is_null() {
            raise(
                &raw mut EXC_TypeError,
                &format!("{what} may not be deleted"),
            );
            return Err(());
        }
        if v == crate::object::none() {
            return Ok(null_mut());
        }
        if !is_exception_instance(v) {
            raise(
                &raw mut EXC_TypeError,
                &format!("exception {what} must be None or derive from BaseException"),
            );
            return Err(());
        }
        Ok(new_ref(v))
    }
}

unsafe extern "C" fn set_cause_attr(op: *mut PyObject, v: *mut PyObject, _c: *mut c_void) -> c_int {
    // SAFETY: `op` is a live exception (setter contract).
    unsafe {
        match chain_value(v, "cause") {
            Ok(c) => {
                set_cause(op, c);
                0
            }
            Err(()) => -1,
        }
    }
}

unsafe extern "C" fn set_context_attr(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    // SAFETY: `op` is a live exception (setter contract).
    unsafe {
        match chain_value(v, "context") {
            Ok(c) => {
                set_context(op, c);
                0
            }
            Err(()) => -1,
        }
    }
}

/// Sets `__cause__` (stealing `cause`, NULL clears) and `__suppress_context__`.
///
/// # Safety
/// `exc` must be a live exception; `cause` NULL or an owned reference.
pub(crate) unsafe fn set_cause(exc: *mut PyObject, cause: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let b = exc.cast::<PyBaseExceptionObject>();
        let old = std::mem::replace(&mut (*b).cause, cause);
        (*b).suppress_context = 1;
        xdecref(old);
    }
}

/// Sets `__context__` (stealing `ctx`, NULL clears).
///
/// # Safety
/// `exc` must be a live exception; `ctx` NULL or an owned reference.
pub(crate) unsafe fn set_context(exc: *mut PyObject, ctx: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let b = exc.cast::<PyBaseExceptionObject>();
        let old = std::mem::replace(&mut (*b).context, ctx);
        xdecref(old);
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_GetCause(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    crate::ffi_guard::guard("PyException_GetCause", null_mut(), || unsafe {
        let c = (*e.cast::<PyBaseExceptionObject>()).cause;
        xincref(c);
        c
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_SetCause(e: *mut PyObject, c: *mut PyObject) {
    // SAFETY: a live exception and a stolen reference, per the C API contract.
    crate::ffi_guard::guard("PyException_SetCause", (), || unsafe { set_cause(e, c) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_GetContext(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    crate::ffi_guard::guard("PyException_GetContext", null_mut(), || unsafe {
        let c = (*e.cast::<PyBaseExceptionObject>()).context;
        xincref(c);
        c
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_SetContext(e: *mut PyObject, c: *mut PyObject) {
    // SAFETY: a live exception and a stolen reference, per the C API contract.
    crate::ffi_guard::guard("PyException_SetContext", (), || unsafe {
        set_context(e, c)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_GetTraceback(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    crate::ffi_guard::guard("PyException_GetTraceback", null_mut(), || unsafe {
        let c = (*e.cast::<PyBaseExceptionObject>()).traceback;
        xincref(c);
        c
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_GetArgs(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    crate::ffi_guard::guard("PyException_GetArgs", null_mut(), || unsafe {
        get_args(e, null_mut())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyException_SetArgs(e: *mut PyObject, args: *mut PyObject) {
    crate::ffi_guard::guard("PyException_SetArgs", (), || {
        // SAFETY: a live exception and a live tuple (borrowed), per the C API contract.
        unsafe {
            let b = e.cast::<PyBaseExceptionObject>();
            let old = std::mem::replace(&mut (*b).args, new_ref(args));
            xdecref(old);
        }
    })
}

// ---- generated: the built-in exception types (name, base, layout) ----

pub(crate) static mut EXC_BaseException: PyTypeObject = exc_type(
    c"BaseException",
    &raw mut crate::object::PyBaseObject_Type,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_BaseException: *mut PyObject = (&raw mut EXC_BaseException).cast();
pub(crate) static mut EXC_BaseExceptionGroup: PyTypeObject = exc_type(
    c"BaseExceptionGroup",
    &raw mut EXC_BaseException,
    112,
    Kind::Group,
);
#[unsafe(no_mangle)]
pub static mut PyExc_BaseExceptionGroup: *mut PyObject = (&raw mut EXC_BaseExceptionGroup).cast();
pub(crate) static mut EXC_GeneratorExit: PyTypeObject =
    exc_type(c"GeneratorExit", &raw mut EXC_BaseException, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_GeneratorExit: *mut PyObject = (&raw mut EXC_GeneratorExit).cast();
pub(crate) static mut EXC_KeyboardInterrupt: PyTypeObject = exc_type(
    c"KeyboardInterrupt",
    &raw mut EXC_BaseException,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_KeyboardInterrupt: *mut PyObject = (&raw mut EXC_KeyboardInterrupt).cast();
pub(crate) static mut EXC_SystemExit: PyTypeObject = exc_type(
    c"SystemExit",
    &raw mut EXC_BaseException,
    96,
    Kind::SystemExit,
);
#[unsafe(no_mangle)]
pub static mut PyExc_SystemExit: *mut PyObject = (&raw mut EXC_SystemExit).cast();
pub(crate) static mut EXC_Exception: PyTypeObject =
    exc_type(c"Exception", &raw mut EXC_BaseException, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_Exception: *mut PyObject = (&raw mut EXC_Exception).cast();
pub(crate) static mut EXC_ArithmeticError: PyTypeObject =
    exc_type(c"ArithmeticError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_ArithmeticError: *mut PyObject = (&raw mut EXC_ArithmeticError).cast();
pub(crate) static mut EXC_FloatingPointError: PyTypeObject = exc_type(
    c"FloatingPointError",
    &raw mut EXC_ArithmeticError,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_FloatingPointError: *mut PyObject = (&raw mut EXC_FloatingPointError).cast();
pub(crate) static mut EXC_OverflowError: PyTypeObject = exc_type(
    c"OverflowError",
    &raw mut EXC_ArithmeticError,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_OverflowError: *mut PyObject = (&raw mut EXC_OverflowError).cast();
pub(crate) static mut EXC_ZeroDivisionError: PyTypeObject = exc_type(
    c"ZeroDivisionError",
    &raw mut EXC_ArithmeticError,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_ZeroDivisionError: *mut PyObject = (&raw mut EXC_ZeroDivisionError).cast();
pub(crate) static mut EXC_AssertionError: PyTypeObject =
    exc_type(c"AssertionError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_AssertionError: *mut PyObject = (&raw mut EXC_AssertionError).cast();
pub(crate) static mut EXC_AttributeError: PyTypeObject = exc_type(
    c"AttributeError",
    &raw mut EXC_Exception,
    104,
    Kind::Attribute,
);
#[unsafe(no_mangle)]
pub static mut PyExc_AttributeError: *mut PyObject = (&raw mut EXC_AttributeError).cast();
pub(crate) static mut EXC_BufferError: PyTypeObject =
    exc_type(c"BufferError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_BufferError: *mut PyObject = (&raw mut EXC_BufferError).cast();
pub(crate) static mut EXC_EOFError: PyTypeObject =
    exc_type(c"EOFError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_EOFError: *mut PyObject = (&raw mut EXC_EOFError).cast();
pub(crate) static mut EXC_ImportError: PyTypeObject =
    exc_type(c"ImportError", &raw mut EXC_Exception, 120, Kind::Import);
#[unsafe(no_mangle)]
pub static mut PyExc_ImportError: *mut PyObject = (&raw mut EXC_ImportError).cast();
pub(crate) static mut EXC_ModuleNotFoundError: PyTypeObject = exc_type(
    c"ModuleNotFoundError",
    &raw mut EXC_ImportError,
    120,
    Kind::Import,
);
#[unsafe(no_mangle)]
pub static mut PyExc_ModuleNotFoundError: *mut PyObject = (&raw mut EXC_ModuleNotFoundError).cast();
pub(crate) static mut EXC_ImportCycleError: PyTypeObject = exc_type(
    c"ImportCycleError",
    &raw mut EXC_ImportError,
    120,
    Kind::Import,
);
#[unsafe(no_mangle)]
pub static mut PyExc_ImportCycleError: *mut PyObject = (&raw mut EXC_ImportCycleError).cast();
pub(crate) static mut EXC_LookupError: PyTypeObject =
    exc_type(c"LookupError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_LookupError: *mut PyObject = (&raw mut EXC_LookupError).cast();
pub(crate) static mut EXC_IndexError: PyTypeObject =
    exc_type(c"IndexError", &raw mut EXC_LookupError, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_IndexError: *mut PyObject = (&raw mut EXC_IndexError).cast();
pub(crate) static mut EXC_KeyError: PyTypeObject =
    exc_type(c"KeyError", &raw mut EXC_LookupError, 88, Kind::Key);
#[unsafe(no_mangle)]
pub static mut PyExc_KeyError: *mut PyObject = (&raw mut EXC_KeyError).cast();
pub(crate) static mut EXC_MemoryError: PyTypeObject =
    exc_type(c"MemoryError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_MemoryError: *mut PyObject = (&raw mut EXC_MemoryError).cast();
pub(crate) static mut EXC_NameError: PyTypeObject =
    exc_type(c"NameError", &raw mut EXC_Exception, 96, Kind::Name);
#[unsafe(no_mangle)]
pub static mut PyExc_NameError: *mut PyObject = (&raw mut EXC_NameError).cast();
pub(crate) static mut EXC_UnboundLocalError: PyTypeObject =
    exc_type(c"UnboundLocalError", &raw mut EXC_NameError, 96, Kind::Name);
#[unsafe(no_mangle)]
pub static mut PyExc_UnboundLocalError: *mut PyObject = (&raw mut EXC_UnboundLocalError).cast();
pub(crate) static mut EXC_OSError: PyTypeObject =
    exc_type(c"OSError", &raw mut EXC_Exception, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_OSError: *mut PyObject = (&raw mut EXC_OSError).cast();
pub(crate) static mut EXC_BlockingIOError: PyTypeObject =
    exc_type(c"BlockingIOError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_BlockingIOError: *mut PyObject = (&raw mut EXC_BlockingIOError).cast();
pub(crate) static mut EXC_ChildProcessError: PyTypeObject =
    exc_type(c"ChildProcessError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_ChildProcessError: *mut PyObject = (&raw mut EXC_ChildProcessError).cast();
pub(crate) static mut EXC_ConnectionError: PyTypeObject =
    exc_type(c"ConnectionError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_ConnectionError: *mut PyObject = (&raw mut EXC_ConnectionError).cast();
pub(crate) static mut EXC_BrokenPipeError: PyTypeObject = exc_type(
    c"BrokenPipeError",
    &raw mut EXC_ConnectionError,
    128,
    Kind::Os,
);
#[unsafe(no_mangle)]
pub static mut PyExc_BrokenPipeError: *mut PyObject = (&raw mut EXC_BrokenPipeError).cast();
pub(crate) static mut EXC_ConnectionAbortedError: PyTypeObject = exc_type(
    c"ConnectionAbortedError",
    &raw mut EXC_ConnectionError,
    128,
    Kind::Os,
);
#[unsafe(no_mangle)]
pub static mut PyExc_ConnectionAbortedError: *mut PyObject =
    (&raw mut EXC_ConnectionAbortedError).cast();
pub(crate) static mut EXC_ConnectionRefusedError: PyTypeObject = exc_type(
    c"ConnectionRefusedError",
    &raw mut EXC_ConnectionError,
    128,
    Kind::Os,
);
#[unsafe(no_mangle)]
pub static mut PyExc_ConnectionRefusedError: *mut PyObject =
    (&raw mut EXC_ConnectionRefusedError).cast();
pub(crate) static mut EXC_ConnectionResetError: PyTypeObject = exc_type(
    c"ConnectionResetError",
    &raw mut EXC_ConnectionError,
    128,
    Kind::Os,
);
#[unsafe(no_mangle)]
pub static mut PyExc_ConnectionResetError: *mut PyObject =
    (&raw mut EXC_ConnectionResetError).cast();
pub(crate) static mut EXC_FileExistsError: PyTypeObject =
    exc_type(c"FileExistsError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_FileExistsError: *mut PyObject = (&raw mut EXC_FileExistsError).cast();
pub(crate) static mut EXC_FileNotFoundError: PyTypeObject =
    exc_type(c"FileNotFoundError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_FileNotFoundError: *mut PyObject = (&raw mut EXC_FileNotFoundError).cast();
pub(crate) static mut EXC_InterruptedError: PyTypeObject =
    exc_type(c"InterruptedError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_InterruptedError: *mut PyObject = (&raw mut EXC_InterruptedError).cast();
pub(crate) static mut EXC_IsADirectoryError: PyTypeObject =
    exc_type(c"IsADirectoryError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_IsADirectoryError: *mut PyObject = (&raw mut EXC_IsADirectoryError).cast();
pub(crate) static mut EXC_NotADirectoryError: PyTypeObject =
    exc_type(c"NotADirectoryError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_NotADirectoryError: *mut PyObject = (&raw mut EXC_NotADirectoryError).cast();
pub(crate) static mut EXC_PermissionError: PyTypeObject =
    exc_type(c"PermissionError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_PermissionError: *mut PyObject = (&raw mut EXC_PermissionError).cast();
pub(crate) static mut EXC_ProcessLookupError: PyTypeObject =
    exc_type(c"ProcessLookupError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_ProcessLookupError: *mut PyObject = (&raw mut EXC_ProcessLookupError).cast();
pub(crate) static mut EXC_TimeoutError: PyTypeObject =
    exc_type(c"TimeoutError", &raw mut EXC_OSError, 128, Kind::Os);
#[unsafe(no_mangle)]
pub static mut PyExc_TimeoutError: *mut PyObject = (&raw mut EXC_TimeoutError).cast();
pub(crate) static mut EXC_ReferenceError: PyTypeObject =
    exc_type(c"ReferenceError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_ReferenceError: *mut PyObject = (&raw mut EXC_ReferenceError).cast();
pub(crate) static mut EXC_RuntimeError: PyTypeObject =
    exc_type(c"RuntimeError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_RuntimeError: *mut PyObject = (&raw mut EXC_RuntimeError).cast();
pub(crate) static mut EXC_NotImplementedError: PyTypeObject = exc_type(
    c"NotImplementedError",
    &raw mut EXC_RuntimeError,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_NotImplementedError: *mut PyObject = (&raw mut EXC_NotImplementedError).cast();
pub(crate) static mut EXC_PythonFinalizationError: PyTypeObject = exc_type(
    c"PythonFinalizationError",
    &raw mut EXC_RuntimeError,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_PythonFinalizationError: *mut PyObject =
    (&raw mut EXC_PythonFinalizationError).cast();
pub(crate) static mut EXC_RecursionError: PyTypeObject =
    exc_type(c"RecursionError", &raw mut EXC_RuntimeError, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_RecursionError: *mut PyObject = (&raw mut EXC_RecursionError).cast();
pub(crate) static mut EXC_StopAsyncIteration: PyTypeObject = exc_type(
    c"StopAsyncIteration",
    &raw mut EXC_Exception,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_StopAsyncIteration: *mut PyObject = (&raw mut EXC_StopAsyncIteration).cast();
pub(crate) static mut EXC_StopIteration: PyTypeObject = exc_type(
    c"StopIteration",
    &raw mut EXC_Exception,
    96,
    Kind::StopIteration,
);
#[unsafe(no_mangle)]
pub static mut PyExc_StopIteration: *mut PyObject = (&raw mut EXC_StopIteration).cast();
pub(crate) static mut EXC_SyntaxError: PyTypeObject =
    exc_type(c"SyntaxError", &raw mut EXC_Exception, 160, Kind::Syntax);
#[unsafe(no_mangle)]
pub static mut PyExc_SyntaxError: *mut PyObject = (&raw mut EXC_SyntaxError).cast();
pub(crate) static mut EXC_IndentationError: PyTypeObject = exc_type(
    c"IndentationError",
    &raw mut EXC_SyntaxError,
    160,
    Kind::Syntax,
);
#[unsafe(no_mangle)]
pub static mut PyExc_IndentationError: *mut PyObject = (&raw mut EXC_IndentationError).cast();
pub(crate) static mut EXC_TabError: PyTypeObject = exc_type(
    c"TabError",
    &raw mut EXC_IndentationError,
    160,
    Kind::Syntax,
);
#[unsafe(no_mangle)]
pub static mut PyExc_TabError: *mut PyObject = (&raw mut EXC_TabError).cast();
pub(crate) static mut EXC_SystemError: PyTypeObject =
    exc_type(c"SystemError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_SystemError: *mut PyObject = (&raw mut EXC_SystemError).cast();
pub(crate) static mut EXC_TypeError: PyTypeObject =
    exc_type(c"TypeError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_TypeError: *mut PyObject = (&raw mut EXC_TypeError).cast();
pub(crate) static mut EXC_ValueError: PyTypeObject =
    exc_type(c"ValueError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_ValueError: *mut PyObject = (&raw mut EXC_ValueError).cast();
pub(crate) static mut EXC_UnicodeError: PyTypeObject =
    exc_type(c"UnicodeError", &raw mut EXC_ValueError, 128, Kind::Unicode);
#[unsafe(no_mangle)]
pub static mut PyExc_UnicodeError: *mut PyObject = (&raw mut EXC_UnicodeError).cast();
pub(crate) static mut EXC_UnicodeDecodeError: PyTypeObject = exc_type(
    c"UnicodeDecodeError",
    &raw mut EXC_UnicodeError,
    128,
    Kind::Unicode,
);
#[unsafe(no_mangle)]
pub static mut PyExc_UnicodeDecodeError: *mut PyObject = (&raw mut EXC_UnicodeDecodeError).cast();
pub(crate) static mut EXC_UnicodeEncodeError: PyTypeObject = exc_type(
    c"UnicodeEncodeError",
    &raw mut EXC_UnicodeError,
    128,
    Kind::Unicode,
);
#[unsafe(no_mangle)]
pub static mut PyExc_UnicodeEncodeError: *mut PyObject = (&raw mut EXC_UnicodeEncodeError).cast();
pub(crate) static mut EXC_UnicodeTranslateError: PyTypeObject = exc_type(
    c"UnicodeTranslateError",
    &raw mut EXC_UnicodeError,
    128,
    Kind::Unicode,
);
#[unsafe(no_mangle)]
pub static mut PyExc_UnicodeTranslateError: *mut PyObject =
    (&raw mut EXC_UnicodeTranslateError).cast();
pub(crate) static mut EXC_InterpreterError: PyTypeObject =
    exc_type(c"InterpreterError", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_InterpreterError: *mut PyObject = (&raw mut EXC_InterpreterError).cast();
pub(crate) static mut EXC_InterpreterNotFoundError: PyTypeObject = exc_type(
    c"InterpreterNotFoundError",
    &raw mut EXC_InterpreterError,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_InterpreterNotFoundError: *mut PyObject =
    (&raw mut EXC_InterpreterNotFoundError).cast();
pub(crate) static mut EXC_Warning: PyTypeObject =
    exc_type(c"Warning", &raw mut EXC_Exception, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_Warning: *mut PyObject = (&raw mut EXC_Warning).cast();
pub(crate) static mut EXC_BytesWarning: PyTypeObject =
    exc_type(c"BytesWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_BytesWarning: *mut PyObject = (&raw mut EXC_BytesWarning).cast();
pub(crate) static mut EXC_DeprecationWarning: PyTypeObject =
    exc_type(c"DeprecationWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_DeprecationWarning: *mut PyObject = (&raw mut EXC_DeprecationWarning).cast();
pub(crate) static mut EXC_EncodingWarning: PyTypeObject =
    exc_type(c"EncodingWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_EncodingWarning: *mut PyObject = (&raw mut EXC_EncodingWarning).cast();
pub(crate) static mut EXC_FutureWarning: PyTypeObject =
    exc_type(c"FutureWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_FutureWarning: *mut PyObject = (&raw mut EXC_FutureWarning).cast();
pub(crate) static mut EXC_ImportWarning: PyTypeObject =
    exc_type(c"ImportWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_ImportWarning: *mut PyObject = (&raw mut EXC_ImportWarning).cast();
pub(crate) static mut EXC_PendingDeprecationWarning: PyTypeObject = exc_type(
    c"PendingDeprecationWarning",
    &raw mut EXC_Warning,
    88,
    Kind::Base,
);
#[unsafe(no_mangle)]
pub static mut PyExc_PendingDeprecationWarning: *mut PyObject =
    (&raw mut EXC_PendingDeprecationWarning).cast();
pub(crate) static mut EXC_ResourceWarning: PyTypeObject =
    exc_type(c"ResourceWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_ResourceWarning: *mut PyObject = (&raw mut EXC_ResourceWarning).cast();
pub(crate) static mut EXC_RuntimeWarning: PyTypeObject =
    exc_type(c"RuntimeWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_RuntimeWarning: *mut PyObject = (&raw mut EXC_RuntimeWarning).cast();
pub(crate) static mut EXC_SyntaxWarning: PyTypeObject =
    exc_type(c"SyntaxWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_SyntaxWarning: *mut PyObject = (&raw mut EXC_SyntaxWarning).cast();
pub(crate) static mut EXC_UnicodeWarning: PyTypeObject =
    exc_type(c"UnicodeWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_UnicodeWarning: *mut PyObject = (&raw mut EXC_UnicodeWarning).cast();
pub(crate) static mut EXC_UserWarning: PyTypeObject =
    exc_type(c"UserWarning", &raw mut EXC_Warning, 88, Kind::Base);
#[unsafe(no_mangle)]
pub static mut PyExc_UserWarning: *mut PyObject = (&raw mut EXC_UserWarning).cast();
#[unsafe(no_mangle)]
pub static mut PyExc_EnvironmentError: *mut PyObject = (&raw mut EXC_OSError).cast();
#[unsafe(no_mangle)]
pub static mut PyExc_IOError: *mut PyObject = (&raw mut EXC_OSError).cast();

/// Every built-in exception type, by name (aliases excluded).
pub(crate) fn builtin_exceptions() -> [(&'static str, *mut PyTypeObject); 70] {
    [
        ("BaseException", &raw mut EXC_BaseException),
        ("BaseExceptionGroup", &raw mut EXC_BaseExceptionGroup),
        ("GeneratorExit", &raw mut EXC_GeneratorExit),
        ("KeyboardInterrupt", &raw mut EXC_KeyboardInterrupt),
        ("SystemExit", &raw mut EXC_SystemExit),
        ("Exception", &raw mut EXC_Exception),
        ("ArithmeticError", &raw mut EXC_ArithmeticError),
        ("FloatingPointError", &raw mut EXC_FloatingPointError),
        ("OverflowError", &raw mut EXC_OverflowError),
        ("ZeroDivisionError", &raw mut EXC_ZeroDivisionError),
        ("AssertionError", &raw mut EXC_AssertionError),
        ("AttributeError", &raw mut EXC_AttributeError),
        ("BufferError", &raw mut EXC_BufferError),
        ("EOFError", &raw mut EXC_EOFError),
        ("ImportError", &raw mut EXC_ImportError),
        ("ModuleNotFoundError", &raw mut EXC_ModuleNotFoundError),
        ("ImportCycleError", &raw mut EXC_ImportCycleError),
        ("LookupError", &raw mut EXC_LookupError),
        ("IndexError", &raw mut EXC_IndexError),
        ("KeyError", &raw mut EXC_KeyError),
        ("MemoryError", &raw mut EXC_MemoryError),
        ("NameError", &raw mut EXC_NameError),
        ("UnboundLocalError", &raw mut EXC_UnboundLocalError),
        ("OSError", &raw mut EXC_OSError),
        ("BlockingIOError", &raw mut EXC_BlockingIOError),
        ("ChildProcessError", &raw mut EXC_ChildProcessError),
        ("ConnectionError", &raw mut EXC_ConnectionError),
        ("BrokenPipeError", &raw mut EXC_BrokenPipeError),
        (
            "ConnectionAbortedError",
            &raw mut EXC_ConnectionAbortedError,
        ),
        (
            "ConnectionRefusedError",
            &raw mut EXC_ConnectionRefusedError,
        ),
        ("ConnectionResetError", &raw mut EXC_ConnectionResetError),
        ("FileExistsError", &raw mut EXC_FileExistsError),
        ("FileNotFoundError", &raw mut EXC_FileNotFoundError),
        ("InterruptedError", &raw mut EXC_InterruptedError),
        ("IsADirectoryError", &raw mut EXC_IsADirectoryError),
        ("NotADirectoryError", &raw mut EXC_NotADirectoryError),
        ("PermissionError", &raw mut EXC_PermissionError),
        ("ProcessLookupError", &raw mut EXC_ProcessLookupError),
        ("TimeoutError", &raw mut EXC_TimeoutError),
        ("ReferenceError", &raw mut EXC_ReferenceError),
        ("RuntimeError", &raw mut EXC_RuntimeError),
        ("NotImplementedError", &raw mut EXC_NotImplementedError),
        (
            "PythonFinalizationError",
            &raw mut EXC_PythonFinalizationError,
        ),
        ("RecursionError", &raw mut EXC_RecursionError),
        ("StopAsyncIteration", &raw mut EXC_StopAsyncIteration),
        ("StopIteration", &raw mut EXC_StopIteration),
        ("SyntaxError", &raw mut EXC_SyntaxError),
        ("IndentationError", &raw mut EXC_IndentationError),
        ("TabError", &raw mut EXC_TabError),
        ("SystemError", &raw mut EXC_SystemError),
        ("TypeError", &raw mut EXC_TypeError),
        ("ValueError", &raw mut EXC_ValueError),
        ("UnicodeError", &raw mut EXC_UnicodeError),
        ("UnicodeDecodeError", &raw mut EXC_UnicodeDecodeError),
        ("UnicodeEncodeError", &raw mut EXC_UnicodeEncodeError),
        ("UnicodeTranslateError", &raw mut EXC_UnicodeTranslateError),
        ("InterpreterError", &raw mut EXC_InterpreterError),
        (
            "InterpreterNotFoundError",
            &raw mut EXC_InterpreterNotFoundError,
        ),
        ("Warning", &raw mut EXC_Warning),
        ("BytesWarning", &raw mut EXC_BytesWarning),
        ("DeprecationWarning", &raw mut EXC_DeprecationWarning),
        ("EncodingWarning", &raw mut EXC_EncodingWarning),
        ("FutureWarning", &raw mut EXC_FutureWarning),
        ("ImportWarning", &raw mut EXC_ImportWarning),
        (
            "PendingDeprecationWarning",
            &raw mut EXC_PendingDeprecationWarning,
        ),
        ("ResourceWarning", &raw mut EXC_ResourceWarning),
        ("RuntimeWarning", &raw mut EXC_RuntimeWarning),
        ("SyntaxWarning", &raw mut EXC_SyntaxWarning),
        ("UnicodeWarning", &raw mut EXC_UnicodeWarning),
        ("UserWarning", &raw mut EXC_UserWarning),
    ]
}
