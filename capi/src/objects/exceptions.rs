//! The built-in exception types (CPython's `Objects/exceptions.c`): instance layouts,
//! their members and getters, `BaseException`'s slots, the `PyException_*` functions and the
//! 70 static types with their `PyExc_*` pointers. `pyerrors.h` declares them; the error
//! indicator and the `PyErr_*` functions are in `runtime/pyerrors.rs`, which re-exports these.

use crate::descrobject::{Py_T_OBJECT, Py_T_PYSSIZET, PyGetSetDef, PyMemberDef};
use crate::export;
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

static mut MEMBERS_IMPORT: [PyMemberDef; 4] = [
    member(c"msg", 88),
    member(c"name", 96),
    member(c"path", 104),
    PyMemberDef::END,
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
    PyMemberDef::END,
];
static mut MEMBERS_SYSTEMEXIT: [PyMemberDef; 2] = [member(c"code", 88), PyMemberDef::END];
static mut MEMBERS_STOPITERATION: [PyMemberDef; 2] = [member(c"value", 88), PyMemberDef::END];
static mut MEMBERS_NAME: [PyMemberDef; 2] = [member(c"name", 88), PyMemberDef::END];
static mut MEMBERS_ATTRIBUTE: [PyMemberDef; 3] =
    [member(c"obj", 88), member(c"name", 96), PyMemberDef::END];
static mut MEMBERS_GROUP: [PyMemberDef; 3] = [
    member(c"message", 88),
    member(c"exceptions", 96),
    PyMemberDef::END,
];
static mut MEMBERS_SYNTAX: [PyMemberDef; 8] = [
    member(c"msg", 88),
    member(c"filename", 96),
    member(c"lineno", 104),
    member(c"offset", 112),
    member(c"end_lineno", 120),
    member(c"end_offset", 128),
    member(c"text", 136),
    PyMemberDef::END,
];
static mut MEMBERS_UNICODE: [PyMemberDef; 4] = [
    member(c"encoding", 88),
    member(c"object", 96),
    member(c"reason", 120),
    PyMemberDef::END,
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

static mut BASE_GETSET: [PyGetSetDef; 7] = [
    PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(crate::typeobject::PyObject_GenericGetDict),
        set: Some(crate::typeobject::PyObject_GenericSetDict),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    getset(c"args", get_args, None),
    getset(c"__cause__", get_cause, Some(set_cause_attr)),
    getset(c"__context__", get_context, Some(set_context_attr)),
    getset(c"__traceback__", get_traceback, Some(set_traceback_attr)),
    getset(c"__suppress_context__", get_suppress, Some(set_suppress)),
    PyGetSetDef::END,
];

/// `__reduce__` and `__setstate__`: an exception pickles and copies as `type(e)(*e.args)`
/// with its instance dict restored.
static mut BASE_METHODS: [crate::methodobject::PyMethodDef; 5] = [
    crate::methodobject::PyMethodDef {
        ml_name: c"add_note".as_ptr(),
        ml_meth: exc_add_note as unsafe extern "C" fn(_, _) -> _ as *mut c_void,
        ml_flags: crate::methodobject::METH_O,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"with_traceback".as_ptr(),
        ml_meth: exc_with_traceback as unsafe extern "C" fn(_, _) -> _ as *mut c_void,
        ml_flags: crate::methodobject::METH_O,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"__reduce__".as_ptr(),
        ml_meth: exc_reduce as unsafe extern "C" fn(_, _) -> _ as *mut c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef {
        ml_name: c"__setstate__".as_ptr(),
        ml_meth: exc_setstate as unsafe extern "C" fn(_, _) -> _ as *mut c_void,
        ml_flags: crate::methodobject::METH_O,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef::END,
];

/// `BaseException.__reduce__`: `(type, args)`, or `(type, args, dict)` once the instance has
/// a dict.
unsafe extern "C" fn exc_reduce(op: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception (method contract).
    unsafe {
        let b = op.cast::<PyBaseExceptionObject>();
        let args = if (*b).args.is_null() {
            tuple::new_tuple(0)
        } else {
            new_ref((*b).args)
        };
        if args.is_null() {
            return args;
        }
        // OSError's file names go back into the args (CPython's `OSError.__reduce__`)
        let set = |p: *mut PyObject| !p.is_null() && p != crate::object::none();
        let args = if matches!(kind_of(ty(op)), Kind::Os)
            && tuple::items(args).len() == 2
            && set(*field(op, 104))
        {
            let mut v = tuple::items(args).to_vec();
            v.push(*field(op, 104));
            if set(*field(op, 112)) {
                v.push(crate::object::none());
                v.push(*field(op, 112));
            }
            decref(args);
            let t = tuple::from_slice(&v);
            if t.is_null() {
                return t;
            }
            t
        } else {
            args
        };
        let t: *mut PyObject = ty(op).cast();
        let r = if (*b).dict.is_null() {
            tuple::from_slice(&[t, args])
        } else {
            tuple::from_slice(&[t, args, (*b).dict])
        };
        decref(args);
        r
    }
}

/// `BaseException.__setstate__(state)`: each item of a dict state becomes an attribute.
unsafe extern "C" fn exc_setstate(op: *mut PyObject, state: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception and argument (method contract).
    unsafe {
        if state != crate::object::none() {
            if !crate::dictobject::is_dict(state) {
                return raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    "state is not a dictionary",
                );
            }
            for (k, v) in crate::dictobject::owned_entries(state) {
                let r = crate::object::setattr(op, k, v);
                decref(k);
                decref(v);
                if r < 0 {
                    return null_mut();
                }
            }
        }
        crate::object::new_none()
    }
}

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
        } else if matches!(kind, Kind::Os) {
            os_error_str
        } else {
            exc_str
        }),
        tp_dictoffset: 32,
        tp_getset: &raw mut BASE_GETSET as *mut PyGetSetDef,
        tp_methods: &raw mut BASE_METHODS as *mut crate::methodobject::PyMethodDef,
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

/// The layout kind of exception type `t`: which object fields its instances have after
/// `PyBaseExceptionObject`'s. A KeyError's layout is the base one, so this never answers
/// [`Kind::Key`] (that kind only picks the static KeyError's `tp_str`).
///
/// # Safety
/// `t` must be a type object.
pub(crate) unsafe fn kind_of(t: *mut PyTypeObject) -> Kind {
    use crate::object::is_subtype as sub;
    // SAFETY: forwarded contract; the EXC_ statics are type objects.
    unsafe {
        // Every kind but Base and Key lays out object fields after PyBaseExceptionObject (the
        // table's types are larger: checked where they are defined), and a subtype is never
        // smaller than its base; so a type no larger than PyBaseExceptionObject (ValueError,
        // TypeError, KeyError, ... and their subclasses) has the base layout, with no walk of
        // its MRO.
        if (*t).tp_basicsize <= std::mem::size_of::<PyBaseExceptionObject>() as Py_ssize_t {
            return Kind::Base;
        }
        let table: [(*mut PyTypeObject, Kind); 9] = [
            (&raw mut EXC_ImportError, Kind::Import),
            (&raw mut EXC_OSError, Kind::Os),
            (&raw mut EXC_SyntaxError, Kind::Syntax),
            (&raw mut EXC_UnicodeError, Kind::Unicode),
            (&raw mut EXC_AttributeError, Kind::Attribute),
            (&raw mut EXC_NameError, Kind::Name),
            (&raw mut EXC_StopIteration, Kind::StopIteration),
            (&raw mut EXC_SystemExit, Kind::SystemExit),
            (&raw mut EXC_BaseExceptionGroup, Kind::Group),
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
        let e = if listed(t) {
            // A block of the exceptions' free list: every field is written here.
            let e = crate::objimpl::alloc_listed(
                crate::objimpl::FreeKind::Exception,
                t,
                std::mem::size_of::<PyBaseExceptionObject>(),
            );
            if !e.is_null() {
                let b = e.cast::<PyBaseExceptionObject>();
                (&raw mut (*b).dict).write(null_mut());
                (&raw mut (*b).args).write(null_mut());
                (&raw mut (*b).notes).write(null_mut());
                (&raw mut (*b).traceback).write(null_mut());
                (&raw mut (*b).context).write(null_mut());
                (&raw mut (*b).cause).write(null_mut());
                (&raw mut (*b).suppress_context).write(0);
            }
            e
        } else {
            crate::objimpl::alloc_object(t, 0)
        };
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
                    // CPython keeps (errno, strerror) as the args when a file name is given
                    let two = tuple::from_slice(&a[..2]);
                    if !two.is_null() {
                        let b = e.cast::<PyBaseExceptionObject>();
                        let old = std::mem::replace(&mut (*b).args, two);
                        xdecref(old);
                    }
                }
                if a.len() == 5 {
                    *field(e, 112) = new_ref(a[4]);
                }
            }
            Kind::Syntax if !a.is_empty() => *field(e, 88) = new_ref(a[0]),
            _ => {}
        }
        e
    }
}

/// `OSError(errno, strerror, ...)` itself picks the subclass for the error number, as
/// CPython's `OSError.__new__` does (`OSError(2, 'x')` is a FileNotFoundError).
///
/// # Safety
/// `t` must be an exception type, `args` NULL or a tuple.
unsafe fn oserror_subclass(t: *mut PyTypeObject, args: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: forwarded contract.
    unsafe {
        if t != &raw mut EXC_OSError || args.is_null() {
            return t;
        }
        let a = tuple::items(args);
        if !(2..=5).contains(&a.len()) || !crate::abstract_::is_long(a[0]) {
            return t;
        }
        let n = crate::longobject::PyLong_AsLong(a[0]);
        if n == -1 && crate::pyerrors::occurred() {
            crate::pyerrors::clear();
            return t;
        }
        let Ok(n) = c_int::try_from(n) else {
            return t;
        };
        match n {
            libc::EAGAIN | libc::EALREADY | libc::EINPROGRESS => &raw mut EXC_BlockingIOError,
            libc::ECHILD => &raw mut EXC_ChildProcessError,
            libc::EPIPE | libc::ESHUTDOWN => &raw mut EXC_BrokenPipeError,
            libc::ECONNABORTED => &raw mut EXC_ConnectionAbortedError,
            libc::ECONNREFUSED => &raw mut EXC_ConnectionRefusedError,
            libc::ECONNRESET => &raw mut EXC_ConnectionResetError,
            libc::EEXIST => &raw mut EXC_FileExistsError,
            libc::ENOENT => &raw mut EXC_FileNotFoundError,
            libc::EISDIR => &raw mut EXC_IsADirectoryError,
            libc::ENOTDIR => &raw mut EXC_NotADirectoryError,
            libc::EINTR => &raw mut EXC_InterruptedError,
            libc::EACCES | libc::EPERM => &raw mut EXC_PermissionError,
            libc::ESRCH => &raw mut EXC_ProcessLookupError,
            libc::ETIMEDOUT => &raw mut EXC_TimeoutError,
            _ => t,
        }
    }
}

/// The instance `PyErr_SetObject` makes of exception type `t` for positional `args` (a tuple):
/// the type called with them, as CPython does (so a subclass's `__new__` and `__init__` run,
/// and `OSError` picks its subclass for the error number); a type whose `tp_new` is the
/// built-in exceptions' and whose `tp_init` is `object`'s is made directly, which is the same.
/// NULL with the call's error set, or the TypeError of a call that made no exception.
///
/// # Safety
/// `t` must be an exception type, `args` a live tuple.
#[inline]
pub(crate) unsafe fn instantiate(t: *mut PyTypeObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let plain_new = (*t).tp_new.is_some_and(|f| {
            std::ptr::fn_addr_eq(f, exc_tp_new as unsafe extern "C" fn(_, _, _) -> _)
        });
        let plain_init = (*t).tp_init.is_none() || crate::typeobject::is_object_init((*t).tp_init);
        if plain_new && plain_init {
            // What `exc_tp_new` does with a tuple, without its frame.
            let t = if t == &raw mut EXC_OSError {
                oserror_subclass(t, args)
            } else {
                t
            };
            return new_exception(t, args);
        }
        let e = crate::object::call(t.cast(), args, null_mut());
        if !e.is_null() && !is_exception_instance(e) {
            let msg = format!(
                "calling {} should have returned an instance of BaseException, not {}",
                crate::object::repr_string(t.cast()),
                crate::object::type_name(ty(e))
            );
            decref(e);
            return raise(&raw mut EXC_TypeError, &msg);
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
        let t = oserror_subclass(t, args);
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
        if listed(ty(op)) && crate::objimpl::frees_plainly(ty(op)) {
            crate::objimpl::free_listed(crate::objimpl::FreeKind::Exception, op);
        } else {
            crate::objimpl::default_dealloc(op);
        }
    }
}

/// Whether instances of `t` take their blocks from the exceptions' free list: a static type
/// (no type reference to hold) with exactly `PyBaseExceptionObject`'s layout and no pre-header
/// (the built-in `ValueError`, `KeyError`, ... and an extension's static type of that size).
///
/// # Safety
/// `t` must be a type object.
#[inline]
unsafe fn listed(t: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        !crate::objimpl::is_heap_type(t)
            && (*t).tp_basicsize == std::mem::size_of::<PyBaseExceptionObject>() as Py_ssize_t
            && (*t).tp_itemsize == 0
            && crate::objimpl::preheader_size(t) == 0
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

/// `[Errno N] text`, with `: 'filename'` (and ` -> 'filename2'`) when given, as CPython's
/// `OSError.__str__`.
unsafe extern "C" fn os_error_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live OSError (slot contract); its fields are NULL or live.
    unsafe {
        let (errno, text) = (*field(op, 88), *field(op, 96));
        let (f1, f2) = (*field(op, 104), *field(op, 112));
        let set = |p: *mut PyObject| !p.is_null() && p != crate::object::none();
        if !set(errno) || !set(text) {
            return exc_str(op);
        }
        let mut out = format!(
            "[Errno {}] {}",
            crate::object::str_string(errno),
            crate::object::str_string(text)
        );
        if set(f1) {
            out.push_str(&format!(": {}", crate::object::repr_string(f1)));
            if set(f2) {
                out.push_str(&format!(" -> {}", crate::object::repr_string(f2)));
            }
        }
        uni::from_str(&out)
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

unsafe extern "C" fn set_traceback_attr(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    // SAFETY: setter contract: a live exception, `v` NULL (delete) or live.
    unsafe {
        if v.is_null() {
            raise(&raw mut EXC_TypeError, "__traceback__ may not be deleted");
            return -1;
        }
        set_traceback(op, v)
    }
}

/// Sets an exception's traceback (`PyException_SetTraceback`): a traceback or None (which
/// clears it); 0, or -1 with CPython's `TypeError`.
///
/// # Safety
/// `exc` must be a live exception, `tb` a live object.
pub(crate) unsafe fn set_traceback(exc: *mut PyObject, tb: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let new = if tb == crate::object::none() {
            null_mut()
        } else if crate::traceback::is_traceback(tb) {
            new_ref(tb)
        } else {
            raise(
                &raw mut EXC_TypeError,
                "__traceback__ must be a traceback or None",
            );
            return -1;
        };
        let b = exc.cast::<PyBaseExceptionObject>();
        let old = std::mem::replace(&mut (*b).traceback, new);
        xdecref(old);
        0
    }
}

unsafe extern "C" fn get_suppress(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: `op` is a live exception (getter contract).
    crate::boolobject::from_bool(
        unsafe { (*op.cast::<PyBaseExceptionObject>()).suppress_context } != 0,
    )
}

/// `__suppress_context__ = v`: a bool only (CPython's `Py_T_BOOL` member), not deletable.
unsafe extern "C" fn set_suppress(op: *mut PyObject, v: *mut PyObject, _c: *mut c_void) -> c_int {
    // SAFETY: setter contract: a live exception, `v` NULL (delete) or live.
    unsafe {
        if v.is_null() {
            raise(
                &raw mut EXC_TypeError,
                "can't delete numeric/char attribute",
            );
            return -1;
        }
        if !crate::boolobject::is_bool(v) {
            raise(&raw mut EXC_TypeError, "attribute value type must be bool");
            return -1;
        }
        (*op.cast::<PyBaseExceptionObject>()).suppress_context =
            c_char::from(v == crate::boolobject::true_());
        0
    }
}

/// `BaseException.add_note(note)`: appends a str to the `__notes__` list in the instance
/// dict (made on first use).
unsafe extern "C" fn exc_add_note(op: *mut PyObject, note: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live exception with a live argument.
    unsafe {
        if !uni::is_str(note) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "add_note() argument must be str, not {}",
                    crate::object::tname(note)
                ),
            );
        }
        let name = uni::intern("__notes__");
        let mut notes = null_mut();
        if crate::object::getattr_opt(op, name, &mut notes) < 0 {
            return null_mut();
        }
        if notes.is_null() {
            notes = crate::listobject::from_vec(Vec::new());
            if notes.is_null() || crate::object::PyObject_SetAttr(op, name, notes) < 0 {
                xdecref(notes);
                return null_mut();
            }
        }
        if !crate::listobject::is_list(notes) {
            decref(notes);
            return raise(
                &raw mut EXC_TypeError,
                "Cannot add note: __notes__ is not a list",
            );
        }
        let r = crate::listobject::PyList_Append(notes, note);
        decref(notes);
        if r < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

/// `BaseException.with_traceback(tb)`: sets `__traceback__` and returns the exception.
unsafe extern "C" fn exc_with_traceback(op: *mut PyObject, tb: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live exception with a live argument.
    unsafe {
        if set_traceback(op, tb) < 0 {
            return null_mut();
        }
        new_ref(op)
    }
}

unsafe fn chain_value(v: *mut PyObject, what: &str) -> Result<*mut PyObject, ()> {
    // SAFETY: `v` is NULL or a live object.
    unsafe {
        if v.is_null() {
            raise(
                &raw mut EXC_TypeError,
                &format!("__{what}__ may not be deleted"),
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

#[export]
pub unsafe fn PyException_GetCause(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    unsafe {
        let c = (*e.cast::<PyBaseExceptionObject>()).cause;
        xincref(c);
        c
    }
}

#[export]
pub unsafe fn PyException_SetCause(e: *mut PyObject, c: *mut PyObject) {
    // SAFETY: a live exception and a stolen reference, per the C API contract.
    unsafe { set_cause(e, c) }
}

#[export]
pub unsafe fn PyException_GetContext(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    unsafe {
        let c = (*e.cast::<PyBaseExceptionObject>()).context;
        xincref(c);
        c
    }
}

#[export]
pub unsafe fn PyException_SetContext(e: *mut PyObject, c: *mut PyObject) {
    // SAFETY: a live exception and a stolen reference, per the C API contract.
    unsafe { set_context(e, c) }
}

#[export]
pub unsafe fn PyException_GetTraceback(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    unsafe {
        let c = (*e.cast::<PyBaseExceptionObject>()).traceback;
        xincref(c);
        c
    }
}

#[export]
pub unsafe fn PyException_SetTraceback(e: *mut PyObject, tb: *mut PyObject) -> c_int {
    // SAFETY: a live exception and a live object (borrowed), per the C API contract.
    unsafe {
        if tb.is_null() {
            raise(
                &raw mut EXC_TypeError,
                "__traceback__ must be a traceback or None",
            );
            return -1;
        }
        set_traceback(e, tb)
    }
}

#[export]
pub unsafe fn PyException_GetArgs(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception, per the C API contract.
    unsafe { get_args(e, null_mut()) }
}

#[export]
pub unsafe fn PyException_SetArgs(e: *mut PyObject, args: *mut PyObject) {
    // SAFETY: a live exception and a live tuple (borrowed), per the C API contract.
    unsafe {
        let b = e.cast::<PyBaseExceptionObject>();
        let old = std::mem::replace(&mut (*b).args, new_ref(args));
        xdecref(old);
    }
}

// ---- the built-in exception types: one row each in `data/exceptions.tsv` ----

/// What a row of `data/exceptions.tsv` becomes (build.rs writes the invocation,
/// `$OUT_DIR/gg_exceptions.rs`): the static type object `EXC_<name>`, the exported pointer
/// `PyExc_<name>`, and an entry of [`builtin_exceptions`]. Aliases (`EnvironmentError`,
/// `IOError`) are one more exported pointer to their base's type object.
macro_rules! exception_types {
    (
        types { $( $name:literal $cname:literal $exc:ident $pyexc:ident
                   ($($base:tt)+) $size:literal $kind:ident; )* }
        aliases { $( $alias:ident = $target:ident; )* }
    ) => {
        $(
            pub(crate) static mut $exc: PyTypeObject =
                exc_type($cname, $($base)+, $size, Kind::$kind);
            // `kind_of` relies on it: every kind but Base and Key adds fields.
            const _: () = assert!(
                matches!(Kind::$kind, Kind::Base | Kind::Key)
                    || $size > std::mem::size_of::<PyBaseExceptionObject>()
            );
            #[export]
            pub static mut $pyexc: *mut PyObject = (&raw mut $exc).cast();
        )*
        $(
            #[export]
            pub static mut $alias: *mut PyObject = (&raw mut $target).cast();
        )*

        /// Every built-in exception type, by name (aliases excluded), in the table's order.
        pub(crate) fn builtin_exceptions(
        ) -> [(&'static str, *mut PyTypeObject); [$($name),*].len()] {
            [$(($name, &raw mut $exc)),*]
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/gg_exceptions.rs"));

/// `PyUnicodeDecodeError_Create`: `UnicodeDecodeError(encoding, object[:length], start, end,
/// reason)`.
#[export]
pub unsafe fn PyUnicodeDecodeError_Create(
    encoding: *const std::ffi::c_char,
    object: *const std::ffi::c_char,
    length: Py_ssize_t,
    start: Py_ssize_t,
    end: Py_ssize_t,
    reason: *const std::ffi::c_char,
) -> *mut PyObject {
    // SAFETY: NUL-terminated strings and `length` readable bytes, per the C API contract.
    unsafe {
        if encoding.is_null() || reason.is_null() || (object.is_null() && length > 0) {
            return crate::pyerrors::bad_internal_call();
        }
        let data: &[u8] = if length > 0 {
            std::slice::from_raw_parts(object.cast(), length as usize)
        } else {
            &[]
        };
        let parts = [
            crate::unicodeobject::from_cstr(encoding),
            crate::bytesobject::from_bytes(data),
            crate::longobject::from_i64(start as i64),
            crate::longobject::from_i64(end as i64),
            crate::unicodeobject::from_cstr(reason),
        ];
        let r = if parts.iter().any(|p| p.is_null()) {
            std::ptr::null_mut()
        } else {
            crate::abstract_::call_args((&raw mut EXC_UnicodeDecodeError).cast(), &parts)
        };
        for p in parts {
            xdecref(p);
        }
        r
    }
}

/// `_PyGen_FetchStopIterationValue(&value)`: takes a pending StopIteration's `value` (None
/// when nothing is pending); -1 when another exception is pending (it stays).
#[export(err = -1)]
pub unsafe fn _PyGen_FetchStopIterationValue(pvalue: *mut *mut PyObject) -> c_int {
    // SAFETY: a writable out pointer, per the C API contract; the StopIteration layout keeps
    // `value` at 88.
    unsafe {
        let mut value = null_mut();
        if crate::pyerrors::matches_current(&raw mut EXC_StopIteration) {
            let e = crate::pyerrors::take_raised();
            let v = *field(e, 88);
            value = if v.is_null() {
                crate::object::new_none()
            } else {
                new_ref(v)
            };
            decref(e);
        } else if crate::pyerrors::occurred() {
            return -1;
        }
        if value.is_null() {
            value = crate::object::new_none();
        }
        *pvalue = value;
        0
    }
}
