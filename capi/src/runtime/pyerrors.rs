//! `pyerrors.h`: the exception types (CPython's hierarchy and instance layouts), the
//! per-thread error indicator (kept in `PyThreadState.current_exception`) and the `PyErr_*`
//! functions.

use crate::descrobject::{Py_T_OBJECT, Py_T_PYSSIZET, PyGetSetDef, PyMemberDef};
use crate::object::{
    Py_TPFLAGS_BASE_EXC_SUBCLASS, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_HEAPTYPE,
    Py_TPFLAGS_READY, PyObject, PyTypeObject, static_type, ty, type_check, type_short_name,
};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, incref, new_ref, xdecref, xincref};
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

unsafe fn field(op: *mut PyObject, off: usize) -> *mut *mut PyObject {
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

// ---- the error indicator -------------------------------------------------------------------

fn slot() -> Option<&'static mut *mut PyObject> {
    let ts = crate::pystate::current();
    // SAFETY: the thread state belongs to the calling thread and lives until it exits.
    unsafe { ts.as_mut().map(|t| &mut t.current_exception) }
}

/// Takes the current exception out of the indicator (an owned reference, or NULL).
pub fn take_raised() -> *mut PyObject {
    slot().map_or(null_mut(), |s| std::mem::replace(s, null_mut()))
}

/// Puts `exc` (an owned reference, or NULL to clear) into the indicator.
pub(crate) fn restore_raised(exc: *mut PyObject) {
    if let Some(s) = slot() {
        let old = std::mem::replace(s, exc);
        // SAFETY: the indicator owned `old`.
        unsafe { xdecref(old) };
    } else {
        // SAFETY: we own `exc` and cannot store it.
        unsafe { xdecref(exc) };
    }
}

/// Whether an exception is set.
pub fn occurred() -> bool {
    slot().is_some_and(|s| !s.is_null())
}

/// The current exception (borrowed) or NULL.
pub fn current() -> *mut PyObject {
    slot().map_or(null_mut(), |s| *s)
}

/// `PyErr_Clear`.
pub fn clear() {
    restore_raised(null_mut());
}

/// Clears the indicator when `cond` holds.
pub(crate) fn clear_if(cond: bool) {
    if cond {
        clear();
    }
}

/// Whether the current exception is an instance of `t`.
pub(crate) fn matches_current(t: *mut PyTypeObject) -> bool {
    let c = current();
    // SAFETY: the current exception is live.
    !c.is_null() && unsafe { type_check(c, t) }
}

/// `PyErr_SetObject(t, value)`.
///
/// # Safety
/// `t` must be a live object; `value` NULL or live.
pub(crate) unsafe fn set_object(t: *mut PyObject, value: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        if t.is_null() || !is_exception_class(t) {
            let r = if t.is_null() {
                "NULL".into()
            } else {
                crate::object::repr_string(t)
            };
            let msg = format!("_PyErr_SetObject: exception {r} is not a BaseException subclass");
            set_object((&raw mut EXC_SystemError).cast(), null_mut());
            let e = current();
            let s = uni::from_str(&msg);
            replace_args(e, s);
            decref(s);
            return;
        }
        let tt = t.cast::<PyTypeObject>();
        let exc = if !value.is_null() && type_check(value, tt) {
            new_ref(value)
        } else {
            let args = if value.is_null() || value == crate::object::none() {
                tuple::new_tuple(0)
            } else if tuple::is_tuple(value) {
                new_ref(value)
            } else {
                tuple::from_slice(&[value])
            };
            if args.is_null() {
                return;
            }
            let e = new_exception(tt, args);
            decref(args);
            if e.is_null() {
                return;
            }
            e
        };
        restore_raised(exc);
    }
}

/// Replaces an exception's args with `(msg,)` (also its ImportError `msg`).
unsafe fn replace_args(e: *mut PyObject, msg: *mut PyObject) {
    // SAFETY: `e` is a live exception and `msg` a live object.
    unsafe {
        let b = e.cast::<PyBaseExceptionObject>();
        let a = tuple::from_slice(&[msg]);
        let old = std::mem::replace(&mut (*b).args, a);
        xdecref(old);
    }
}

/// Raises `t(msg)` and returns NULL (for `return raise(...)` in pointer-returning code).
pub fn raise(t: *mut PyTypeObject, msg: &str) -> *mut PyObject {
    let s = uni::from_str(msg);
    if s.is_null() {
        return null_mut();
    }
    // SAFETY: `t` is one of the exception type objects; `s` is our reference.
    unsafe {
        set_object(t.cast(), s);
        decref(s);
    }
    null_mut()
}

/// Raises AttributeError(msg) with its `obj` and `name` fields set; returns NULL.
///
/// # Safety
/// `obj` and `name` must be live objects.
pub(crate) unsafe fn raise_attribute_error(
    msg: &str,
    obj: *mut PyObject,
    name: *mut PyObject,
) -> *mut PyObject {
    raise(&raw mut EXC_AttributeError, msg);
    let e = current();
    // SAFETY: `e` is the AttributeError just raised (layout Kind::Attribute).
    unsafe {
        if !e.is_null() && kind_of(ty(e)) == Kind::Attribute {
            *field(e, 88) = new_ref(obj);
            *field(e, 96) = new_ref(name);
        }
    }
    null_mut()
}

/// `PyErr_NoMemory`; returns NULL.
pub(crate) fn no_memory() -> *mut PyObject {
    // SAFETY: MemoryError is an exception type.
    unsafe { set_object((&raw mut EXC_MemoryError).cast(), null_mut()) };
    null_mut()
}

/// `PyErr_BadInternalCall`; returns NULL.
pub(crate) fn bad_internal_call() -> *mut PyObject {
    raise(
        &raw mut EXC_SystemError,
        "bad argument to internal function",
    )
}

/// Raises `t(msg)` chained to the current exception (`__cause__` and `__context__`), as
/// CPython's `_PyErr_FormatFromCause`. Returns NULL.
pub(crate) fn raise_from_cause(t: *mut PyTypeObject, msg: &str) -> *mut PyObject {
    let cause = take_raised();
    raise(t, msg);
    if !cause.is_null() {
        let e = current();
        // SAFETY: `e` is the fresh exception; `cause` is our owned reference.
        unsafe {
            if e.is_null() {
                decref(cause);
            } else {
                incref(cause);
                set_cause(e, cause);
                set_context(e, cause);
            }
        }
    }
    null_mut()
}

/// Sets the error indicator to a `SystemError` with this message.
pub(crate) fn set_system_error(msg: &str) {
    raise(&raw mut EXC_SystemError, msg);
}

/// A Python exception taken out of the error indicator, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExcInfo {
    /// The exception type's `__name__` (`"SystemError"`).
    pub type_name: String,
    /// `str()` of the exception.
    pub message: String,
    /// The `__cause__`, if any.
    pub cause: Option<Box<ExcInfo>>,
}

/// Describes a live exception object.
///
/// # Safety
/// `e` must be a live exception.
pub unsafe fn describe(e: *mut PyObject, depth: usize) -> ExcInfo {
    // SAFETY: forwarded contract.
    unsafe {
        let cause = (*e.cast::<PyBaseExceptionObject>()).cause;
        ExcInfo {
            type_name: type_short_name(ty(e)),
            message: crate::object::str_string(e),
            cause: if cause.is_null() || depth > 32 {
                None
            } else {
                Some(Box::new(describe(cause, depth + 1)))
            },
        }
    }
}

/// Takes the current exception out of this thread's error indicator (clearing it).
pub fn take_exception() -> Option<ExcInfo> {
    let e = take_raised();
    if e.is_null() {
        return None;
    }
    // SAFETY: `e` is the owned exception from the indicator.
    unsafe {
        let info = describe(e, 0);
        decref(e);
        Some(info)
    }
}

/// The built-in exception type called `name`, if any (aliases included).
pub(crate) fn exception_type(name: &str) -> Option<*mut PyTypeObject> {
    let name = match name {
        "IOError" | "EnvironmentError" => "OSError",
        n => n,
    };
    builtin_exceptions()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, t)| t)
}

/// Sets the error indicator: an exception of type `PyExc_<type_name>` with `msg`
/// (`SystemError` if there is no such type).
pub fn set_error(type_name: &str, msg: &str) {
    match exception_type(type_name) {
        Some(t) => raise(t, msg),
        None => raise(&raw mut EXC_SystemError, &format!("{type_name}: {msg}")),
    };
}

/// `PyErr_GivenExceptionMatches`.
///
/// # Safety
/// Both must be NULL or live objects.
pub(crate) unsafe fn given_matches(err: *mut PyObject, exc: *mut PyObject) -> bool {
    if err.is_null() || exc.is_null() {
        return false;
    }
    // SAFETY: forwarded contract.
    unsafe {
        if tuple::is_tuple(exc) {
            return tuple::items(exc).iter().any(|&e| given_matches(err, e));
        }
        let err = if is_exception_instance(err) {
            ty(err).cast::<PyObject>()
        } else {
            err
        };
        if is_exception_class(err) && is_exception_class(exc) {
            return crate::object::is_subtype(err.cast(), exc.cast());
        }
        err == exc
    }
}

// ---- exported API -------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_SetObject(t: *mut PyObject, v: *mut PyObject) {
    // SAFETY: live objects, per the C API contract.
    crate::ffi_guard::guard("PyErr_SetObject", (), || unsafe { set_object(t, v) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_SetString(t: *mut PyObject, msg: *const c_char) {
    crate::ffi_guard::guard("PyErr_SetString", (), || {
        // SAFETY: a live type and a NUL-terminated string, per the C API contract.
        unsafe {
            let s = uni::from_cstr(msg);
            if s.is_null() {
                return;
            }
            set_object(t, s);
            decref(s);
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_SetNone(t: *mut PyObject) {
    // SAFETY: a live type, per the C API contract.
    crate::ffi_guard::guard("PyErr_SetNone", (), || unsafe { set_object(t, null_mut()) })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_Occurred() -> *mut PyObject {
    crate::ffi_guard::guard("PyErr_Occurred", null_mut(), || {
        let c = current();
        // SAFETY: the current exception is live.
        if c.is_null() {
            c
        } else {
            // SAFETY: `c` is a live object when not NULL.
            unsafe { ty(c).cast() }
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_Clear() {
    crate::ffi_guard::guard("PyErr_Clear", (), clear)
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_GetRaisedException() -> *mut PyObject {
    crate::ffi_guard::guard("PyErr_GetRaisedException", null_mut(), take_raised)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_SetRaisedException(e: *mut PyObject) {
    crate::ffi_guard::guard("PyErr_SetRaisedException", (), || restore_raised(e))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_Fetch(
    t: *mut *mut PyObject,
    v: *mut *mut PyObject,
    tb: *mut *mut PyObject,
) {
    crate::ffi_guard::guard("PyErr_Fetch", (), || {
        let e = take_raised();
        // SAFETY: writable out pointers, per the C API contract; `e` is owned.
        unsafe {
            if e.is_null() {
                *t = null_mut();
                *v = null_mut();
                *tb = null_mut();
            } else {
                *t = new_ref(ty(e).cast());
                *tb = (*e.cast::<PyBaseExceptionObject>()).traceback;
                xincref(*tb);
                *v = e;
            }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_Restore(t: *mut PyObject, v: *mut PyObject, tb: *mut PyObject) {
    crate::ffi_guard::guard("PyErr_Restore", (), || {
        // SAFETY: owned references (or NULL), per the C API contract.
        unsafe {
            xdecref(tb);
            if t.is_null() {
                xdecref(v);
                clear();
                return;
            }
            if !v.is_null() && is_exception_instance(v) && type_check(v, t.cast()) {
                decref(t);
                restore_raised(v);
                return;
            }
            set_object(t, v);
            decref(t);
            xdecref(v);
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_NormalizeException(
    t: *mut *mut PyObject,
    v: *mut *mut PyObject,
    _tb: *mut *mut PyObject,
) {
    crate::ffi_guard::guard("PyErr_NormalizeException", (), || {
        // SAFETY: pointers to owned references, per the C API contract.
        unsafe {
            if (*t).is_null()
                || (!(*v).is_null() && is_exception_instance(*v) && type_check(*v, (*t).cast()))
            {
                return;
            }
            let saved = take_raised();
            set_object(*t, *v);
            let e = take_raised();
            restore_raised(saved);
            if !e.is_null() {
                xdecref(*v);
                *v = e;
            }
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_ExceptionMatches(exc: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PyErr_ExceptionMatches", 0, || {
        // SAFETY: the current exception and `exc` are live.
        c_int::from(unsafe { given_matches(current(), exc) })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_GivenExceptionMatches(
    err: *mut PyObject,
    exc: *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("PyErr_GivenExceptionMatches", 0, || {
        // SAFETY: NULL or live objects, per the C API contract.
        c_int::from(unsafe { given_matches(err, exc) })
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_BadInternalCall() {
    crate::ffi_guard::guard("PyErr_BadInternalCall", (), || {
        bad_internal_call();
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyErr_BadInternalCall(file: *const c_char, line: c_int) {
    crate::ffi_guard::guard("_PyErr_BadInternalCall", (), || {
        // SAFETY: NULL or a NUL-terminated file name.
        let f = if file.is_null() {
            "?".into()
        } else {
            // SAFETY: `file` is a C string when not NULL.
            unsafe { CStr::from_ptr(file) }.to_string_lossy()
        };
        raise(
            &raw mut EXC_SystemError,
            &format!("{f}:{line}: bad argument to internal function"),
        );
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_BadArgument() -> c_int {
    crate::ffi_guard::guard("PyErr_BadArgument", 0, || {
        raise(
            &raw mut EXC_TypeError,
            "bad argument type for built-in operation",
        );
        0
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_NoMemory() -> *mut PyObject {
    crate::ffi_guard::guard("PyErr_NoMemory", null_mut(), no_memory)
}

/// `PyErr_Format` after the C shim formatted the message.
///
/// # Safety
/// `t` must be a live type; `msg` a live str (borrowed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _gilgate_err_set_formatted(t: *mut PyObject, msg: *mut PyObject) {
    // SAFETY: forwarded contract.
    crate::ffi_guard::guard("PyErr_Format", (), || unsafe { set_object(t, msg) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_SetImportError(
    msg: *mut PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: NULL or live objects, per the C API contract.
    crate::ffi_guard::guard("PyErr_SetImportError", null_mut(), || unsafe {
        set_import_error((&raw mut EXC_ImportError).cast(), msg, name, path)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_SetImportErrorSubclass(
    t: *mut PyObject,
    msg: *mut PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: NULL or live objects, per the C API contract.
    crate::ffi_guard::guard("PyErr_SetImportErrorSubclass", null_mut(), || unsafe {
        if t.is_null()
            || !is_exception_class(t)
            || !crate::object::is_subtype(t.cast(), &raw mut EXC_ImportError)
        {
            return raise(&raw mut EXC_TypeError, "expected a subclass of ImportError");
        }
        set_import_error(t, msg, name, path)
    })
}

/// Raises an ImportError (subclass `t`) with `msg`, `name` and `path` (each NULL = None).
///
/// # Safety
/// `t` must be ImportError or a subclass; the others NULL or live.
pub(crate) unsafe fn set_import_error(
    t: *mut PyObject,
    msg: *mut PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if msg.is_null() {
            return raise(&raw mut EXC_TypeError, "expected a message argument");
        }
        set_object(t, msg);
        let e = current();
        if !e.is_null() && kind_of(ty(e)) == Kind::Import {
            for (off, v) in [(96, name), (104, path)] {
                let v = if v.is_null() {
                    crate::object::new_none()
                } else {
                    new_ref(v)
                };
                let old = std::mem::replace(&mut *field(e, off), v);
                xdecref(old);
            }
        }
        null_mut()
    }
}

/// Raises ImportError(msg) with `name` and `path` set, from Rust.
pub(crate) fn raise_import_error(msg: &str, name: Option<&str>, path: Option<&str>) {
    let m = uni::from_str(msg);
    let n = name.map_or(null_mut(), uni::from_str);
    let p = path.map_or(null_mut(), uni::from_str);
    // SAFETY: our own fresh references.
    unsafe {
        set_import_error((&raw mut EXC_ImportError).cast(), m, n, p);
        xdecref(m);
        xdecref(n);
        xdecref(p);
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

/// `PyErr_NewException`: a heap exception class named `name` ("module.Class").
///
/// # Safety
/// `name` must be a NUL-terminated string; `base` and `dict` NULL or live.
pub(crate) unsafe fn new_exception_type(
    name: *const c_char,
    doc: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let full = CStr::from_ptr(name).to_string_lossy().into_owned();
        if !full.contains('.') {
            return raise(
                &raw mut EXC_SystemError,
                "PyErr_NewException: name must be module.class",
            );
        }
        let mut base = if base.is_null() {
            (&raw mut EXC_Exception).cast::<PyObject>()
        } else {
            base
        };
        if tuple::is_tuple(base) {
            match tuple::items(base).first() {
                Some(&b) => base = b,
                None => base = (&raw mut EXC_Exception).cast(),
            }
        }
        if !is_exception_class(base) {
            return raise(
                &raw mut EXC_TypeError,
                "exception base must derive from BaseException",
            );
        }
        let t = crate::pymem::calloc(1, 960).cast::<PyTypeObject>();
        if t.is_null() {
            return no_memory();
        }
        crate::objimpl::init_header(t.cast(), &raw mut crate::object::PyType_Type);
        let cname = std::ffi::CString::new(full.clone()).unwrap_or_default();
        (*t).tp_name = cname.into_raw();
        if !doc.is_null() {
            (*t).tp_doc = CStr::from_ptr(doc).to_owned().into_raw();
        }
        (*t).tp_base = base.cast();
        incref(base);
        (*t).tp_flags = Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_BASETYPE;
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            return null_mut();
        }
        if !dict.is_null() && crate::dictobject::is_dict(dict) {
            for (k, v) in crate::dictobject::entries(dict) {
                crate::dictobject::set_item(d, k, v);
            }
        }
        let module = &full[..full.rfind('.').unwrap_or(0)];
        let m = uni::from_str(module);
        crate::dictobject::set_item_str(d, "__module__", m);
        xdecref(m);
        (*t).tp_dict = d;
        if crate::object::type_ready(t) < 0 {
            return null_mut();
        }
        (*t).tp_flags |= Py_TPFLAGS_READY;
        t.cast()
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_NewException(
    name: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyErr_NewException", null_mut(), || unsafe {
        new_exception_type(name, std::ptr::null(), base, dict)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_NewExceptionWithDoc(
    name: *const c_char,
    doc: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyErr_NewExceptionWithDoc", null_mut(), || unsafe {
        new_exception_type(name, doc, base, dict)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyErr_WriteUnraisable(obj: *mut PyObject) {
    crate::ffi_guard::guard("PyErr_WriteUnraisable", (), || {
        if let Some(e) = take_exception() {
            // SAFETY: NULL or a live object.
            let ctx = if obj.is_null() {
                String::new()
            } else {
                // SAFETY: `obj` is live when not NULL.
                unsafe { crate::object::repr_string(obj) }
            };
            tracing::warn!(target: "gilgate::unraisable", "Exception ignored in: {ctx}: {}: {}", e.type_name, e.message);
            eprintln!(
                "Exception ignored in: {ctx}\n{}: {}",
                e.type_name, e.message
            );
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_Print() {
    crate::ffi_guard::guard("PyErr_Print", (), || {
        if let Some(e) = take_exception() {
            eprintln!("{}: {}", e.type_name, e.message);
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyErr_PrintEx(_set_sys_last_vars: c_int) {
    PyErr_Print()
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
pub static mut EXC_OverflowError: PyTypeObject = exc_type(
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
pub static mut EXC_IndexError: PyTypeObject =
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
pub static mut EXC_ValueError: PyTypeObject =
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_and_matching() {
        // SAFETY: static type objects.
        unsafe {
            assert!(crate::object::is_subtype(
                &raw mut EXC_ModuleNotFoundError,
                &raw mut EXC_Exception
            ));
            assert!(crate::object::is_subtype(
                &raw mut EXC_BrokenPipeError,
                &raw mut EXC_OSError
            ));
            assert_eq!({ PyExc_IOError }, { PyExc_OSError });
            assert_eq!(
                (*PyExc_ImportError.cast::<PyTypeObject>()).tp_basicsize,
                120
            );
            assert_ne!(
                (*PyExc_Warning.cast::<PyTypeObject>()).tp_flags & Py_TPFLAGS_BASE_EXC_SUBCLASS,
                0
            );
            PyErr_SetString(PyExc_KeyError, c"k".as_ptr());
            assert_eq!(PyErr_ExceptionMatches(PyExc_LookupError), 1);
            assert_eq!(PyErr_ExceptionMatches(PyExc_ValueError), 0);
            let e = take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("KeyError", "'k'")
            );
        }
    }

    #[test]
    fn from_cause_chains() {
        raise(&raw mut EXC_ValueError, "v");
        raise_from_cause(
            &raw mut EXC_SystemError,
            "initialization of m raised unreported exception",
        );
        let e = take_exception().unwrap();
        assert_eq!(e.type_name, "SystemError");
        let c = e.cause.unwrap();
        assert_eq!(
            (c.type_name.as_str(), c.message.as_str()),
            ("ValueError", "v")
        );
    }

    #[test]
    fn fetch_restore_round_trip_and_import_error_fields() {
        raise_import_error("no such thing", Some("m"), None);
        let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
        // SAFETY: out pointers to locals; references are handed back to Restore.
        unsafe {
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            assert!(!occurred());
            assert_eq!(t, { PyExc_ImportError });
            let name = crate::object::getattr(v, uni::intern("name"));
            assert_eq!(uni::as_str(name), Some("m"));
            decref(name);
            let path = crate::object::getattr(v, uni::intern("path"));
            assert_eq!(path, crate::object::none());
            PyErr_Restore(t, v, tb);
        }
        let e = take_exception().unwrap();
        assert_eq!(e.message, "no such thing");
    }

    #[test]
    fn new_exception_type_inherits() {
        // SAFETY: fresh heap type.
        unsafe {
            let t = PyErr_NewException(c"mymod.MyError".as_ptr(), PyExc_ValueError, null_mut());
            assert!(!t.is_null());
            PyErr_SetString(t, c"boom".as_ptr());
            assert_eq!(PyErr_ExceptionMatches(PyExc_ValueError), 1);
            let e = take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("MyError", "boom")
            );
            assert!(PyErr_NewException(c"NoDot".as_ptr(), null_mut(), null_mut()).is_null());
            assert_eq!(
                take_exception().unwrap().message,
                "PyErr_NewException: name must be module.class"
            );
        }
    }
}
