//! `frameobject.h` / `cpython/pyframe.h`: frame objects (CPython's `Objects/frameobject.c`).
//!
//! gilgate runs no Python code, so the only frames are the ones extensions make with
//! `PyFrame_New` for tracebacks (Cython's `__Pyx_AddTraceback`). The object starts with
//! CPython 3.14t's `struct _frame` (96 bytes; Cython writes `f_lineno` at 56); gilgate's own
//! part follows it, and `f_frame` points there (its first word is the code object, where
//! CPython's interpreter frame keeps `f_executable`). No frame is ever executing: `f_back` is
//! None and `PyThreadState_GetFrame` answers NULL.

use crate::codeobject::{PyCode_Type, PyCodeObject, addr2line};
use crate::descrobject::PyGetSetDef;
use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pystate::PyThreadState;
use crate::refcount::{new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_char, c_int, c_void};
use std::ptr::null_mut;

/// `PyFrameObject` (`struct _frame`, 96 bytes).
#[repr(C)]
pub struct PyFrameObject {
    pub ob_base: PyObject,
    pub f_back: *mut PyFrameObject,
    pub f_frame: *mut c_void,
    pub f_trace: *mut PyObject,
    pub f_lineno: c_int,
    pub f_trace_lines: c_char,
    pub f_trace_opcodes: c_char,
    pub f_extra_locals: *mut PyObject,
    pub f_locals_cache: *mut PyObject,
    pub f_overwritten_fast_locals: *mut PyObject,
    pub _f_frame_data: [*mut PyObject; 1],
}

/// What CPython keeps in the interpreter frame, for a frame gilgate made.
#[repr(C)]
struct FrameData {
    /// The code object (owned); first, like CPython's `f_executable`.
    code: *mut PyObject,
    globals: *mut PyObject,
    builtins: *mut PyObject,
    /// NULL until `f_locals` is read (then an empty dict, kept).
    locals: *mut PyObject,
    /// Byte offset of the last instruction (`f_lasti`).
    lasti: c_int,
}

/// The whole object: CPython's part, then gilgate's.
#[repr(C)]
struct Frame {
    frame: PyFrameObject,
    data: FrameData,
}

const fn getter(
    name: &'static std::ffi::CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
) -> PyGetSetDef {
    PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    }
}

static mut FRAME_GETSET: [PyGetSetDef; 11] = [
    getter(c"f_code", get_code),
    getter(c"f_lineno", get_lineno),
    getter(c"f_lasti", get_lasti),
    getter(c"f_back", get_back),
    getter(c"f_globals", get_globals),
    getter(c"f_builtins", get_builtins),
    getter(c"f_locals", get_locals),
    getter(c"f_trace", get_trace),
    getter(c"f_trace_lines", get_trace_lines),
    getter(c"f_generator", get_generator),
    PyGetSetDef::END,
];

#[export]
pub static mut PyFrame_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(frame_dealloc),
    tp_repr: Some(frame_repr),
    tp_getset: &raw mut FRAME_GETSET as *mut PyGetSetDef,
    ..static_type(c"frame", std::mem::size_of::<Frame>(), 0, 0)
};

/// Whether `op` is a frame.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_frame(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyFrame_Type }
}

/// gilgate's part of a frame.
///
/// # Safety
/// `f` must be a live frame.
unsafe fn data<'a>(f: *mut PyObject) -> &'a mut FrameData {
    // SAFETY: forwarded contract: every frame is a `Frame`.
    unsafe { &mut (*f.cast::<Frame>()).data }
}

/// The frame's code object (borrowed).
///
/// # Safety
/// `f` must be a live frame.
pub(crate) unsafe fn code(f: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { data(f).code }
}

/// The frame's globals (borrowed; a dict).
///
/// # Safety
/// `f` must be a live frame.
pub(crate) unsafe fn globals(f: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { data(f).globals }
}

/// The line a traceback shows for the frame (`PyFrame_GetLineNumber`): the written
/// `f_lineno` when not zero, else the line of `f_lasti` in the code's table (-1 if none).
///
/// # Safety
/// `f` must be a live frame.
pub(crate) unsafe fn line_number(f: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let l = (*f.cast::<PyFrameObject>()).f_lineno;
        if l > 0 {
            return l;
        }
        let d = data(f);
        addr2line(d.code.cast(), d.lasti)
    }
}

/// The frame's `f_lasti`.
///
/// # Safety
/// `f` must be a live frame.
pub(crate) unsafe fn lasti(f: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { data(f).lasti }
}

/// `PyFrame_New`: a frame for `code` with these globals (a dict) and locals (NULL or a
/// mapping).
///
/// # Safety
/// `code` and `globals` must be live objects; `locals` NULL or live.
pub(crate) unsafe fn new_frame(
    code: *mut PyObject,
    globals: *mut PyObject,
    locals: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if code.is_null() || ty(code) != &raw mut PyCode_Type {
            return crate::pyerrors::bad_internal_call();
        }
        if globals.is_null() || !crate::dictobject::is_dict(globals) {
            return crate::pyerrors::bad_internal_call();
        }
        let mut builtins = crate::dictobject::get_str(globals, "__builtins__");
        if !builtins.is_null() && crate::moduleobject::is_module(builtins) {
            builtins = (*builtins.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        }
        if builtins.is_null() || !crate::dictobject::is_dict(builtins) {
            builtins = crate::bltinmodule::builtins_dict();
        }
        let f = crate::objimpl::alloc_object(&raw mut PyFrame_Type, 0);
        if f.is_null() {
            return f;
        }
        let fr = f.cast::<Frame>();
        (*fr).frame.f_frame = (&raw mut (*fr).data).cast();
        (*fr).frame.f_trace_lines = 1;
        let co = code.cast::<PyCodeObject>();
        (*fr).data = FrameData {
            code: new_ref(code),
            globals: new_ref(globals),
            builtins: if builtins.is_null() {
                null_mut()
            } else {
                new_ref(builtins)
            },
            locals: if locals.is_null() {
                null_mut()
            } else {
                new_ref(locals)
            },
            // As CPython: the frame counts as having run its first RESUME.
            lasti: ((*co)._co_firsttraceable + 1) * 2,
        };
        f
    }
}

unsafe extern "C" fn frame_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead frame (slot contract).
    unsafe {
        let fr = op.cast::<Frame>();
        let d = &(*fr).data;
        for p in [
            d.code,
            d.globals,
            d.builtins,
            d.locals,
            (*fr).frame.f_trace,
            (*fr).frame.f_back.cast(),
            (*fr).frame.f_extra_locals,
            (*fr).frame.f_locals_cache,
            (*fr).frame.f_overwritten_fast_locals,
        ] {
            xdecref(p);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn frame_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live frame (slot contract).
    unsafe {
        let co = data(op).code.cast::<PyCodeObject>();
        let file = crate::object::repr_string((*co).co_filename);
        let name = crate::object::str_string((*co).co_name);
        let line = line_number(op);
        uni::from_str(&format!(
            "<frame at {op:p}, file {file}, line {line}, code {name}>"
        ))
    }
}

unsafe fn or_none(p: *mut PyObject) -> *mut PyObject {
    if p.is_null() {
        crate::object::new_none()
    } else {
        // SAFETY: `p` is live when not NULL.
        unsafe { new_ref(p) }
    }
}

unsafe extern "C" fn get_code(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live frame.
    unsafe { new_ref(data(op).code) }
}

unsafe extern "C" fn get_lineno(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    let l = unsafe { line_number(op) };
    if l < 0 {
        crate::object::new_none()
    } else {
        crate::longobject::from_i64(i64::from(l))
    }
}

unsafe extern "C" fn get_lasti(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    crate::longobject::from_i64(i64::from(unsafe { data(op).lasti }))
}

unsafe extern "C" fn get_back(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { or_none((*op.cast::<PyFrameObject>()).f_back.cast()) }
}

unsafe extern "C" fn get_globals(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { new_ref(data(op).globals) }
}

unsafe extern "C" fn get_builtins(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { or_none(data(op).builtins) }
}

unsafe extern "C" fn get_locals(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        let d = data(op);
        if d.locals.is_null() {
            d.locals = crate::dictobject::new_dict();
            if d.locals.is_null() {
                return null_mut();
            }
        }
        new_ref(d.locals)
    }
}

unsafe extern "C" fn get_trace(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { or_none((*op.cast::<PyFrameObject>()).f_trace) }
}

unsafe extern "C" fn get_trace_lines(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    crate::boolobject::from_bool(unsafe { (*op.cast::<PyFrameObject>()).f_trace_lines } != 0)
}

unsafe extern "C" fn get_generator(_op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    crate::object::new_none()
}

/// Checks `f` is a frame, raising CPython's `TypeError` otherwise.
unsafe fn check(f: *mut PyFrameObject) -> bool {
    // SAFETY: NULL or a live object.
    if f.is_null() || !unsafe { is_frame(f.cast()) } {
        raise(&raw mut EXC_TypeError, "expected a frame object");
        return false;
    }
    true
}

// ---- exported API ----

#[export]
pub unsafe fn PyFrame_New(
    _tstate: *mut PyThreadState,
    code: *mut PyCodeObject,
    globals: *mut PyObject,
    locals: *mut PyObject,
) -> *mut PyFrameObject {
    // SAFETY: live objects (locals NULL or live), per the C API contract.
    unsafe { new_frame(code.cast(), globals, locals).cast() }
}

#[export]
pub unsafe fn PyFrame_GetCode(f: *mut PyFrameObject) -> *mut PyCodeObject {
    // SAFETY: a live frame, per the C API contract.
    unsafe {
        if !check(f) {
            return null_mut();
        }
        new_ref(code(f.cast())).cast()
    }
}

#[export]
pub unsafe fn PyFrame_GetLineNumber(f: *mut PyFrameObject) -> c_int {
    // SAFETY: a live frame, per the C API contract.
    unsafe { line_number(f.cast()) }
}

#[export]
pub unsafe fn PyFrame_GetLasti(f: *mut PyFrameObject) -> c_int {
    // SAFETY: a live frame, per the C API contract.
    unsafe { lasti(f.cast()) }
}

#[export]
pub unsafe fn PyFrame_GetBack(f: *mut PyFrameObject) -> *mut PyFrameObject {
    // SAFETY: a live frame, per the C API contract.
    unsafe {
        let b = (*f).f_back;
        if !b.is_null() {
            new_ref(b.cast());
        }
        b
    }
}

#[export]
pub unsafe fn PyFrame_GetGlobals(f: *mut PyFrameObject) -> *mut PyObject {
    // SAFETY: a live frame, per the C API contract.
    unsafe { get_globals(f.cast(), null_mut()) }
}

#[export]
pub unsafe fn PyFrame_GetBuiltins(f: *mut PyFrameObject) -> *mut PyObject {
    // SAFETY: a live frame, per the C API contract.
    unsafe { get_builtins(f.cast(), null_mut()) }
}

#[export]
pub unsafe fn PyFrame_GetLocals(f: *mut PyFrameObject) -> *mut PyObject {
    // SAFETY: a live frame, per the C API contract.
    unsafe { get_locals(f.cast(), null_mut()) }
}

#[export]
pub unsafe fn PyFrame_GetGenerator(_f: *mut PyFrameObject) -> *mut PyObject {
    null_mut()
}
