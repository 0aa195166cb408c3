//! `traceback.h`: traceback objects and their printing (CPython's `Python/traceback.c`).
//!
//! An exception's `__traceback__` is a chain of entries, outermost first (`tb_next` goes
//! towards where the error was raised). gilgate runs no Python code, so every entry comes from
//! an extension: `PyTraceBack_Here(frame)` puts one in front of the current exception's chain,
//! as Cython's `__Pyx_AddTraceback` does for each function an error leaves. `tb_lineno` is
//! stored as -1 and computed from the frame's code and `tb_lasti` when read, as in CPython
//! 3.14 (so `walk`ing the fields directly sees -1, the attribute the line).

use crate::codeobject::{PyCodeObject, addr2line};
use crate::descrobject::{Py_READONLY, Py_T_INT, PyGetSetDef, PyMemberDef};
use crate::export;
use crate::frameobject::{PyFrameObject, is_frame};
use crate::object::{PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// `PyTracebackObject` (`struct _traceback`, 56 bytes).
#[repr(C)]
pub struct PyTracebackObject {
    pub ob_base: PyObject,
    pub tb_next: *mut PyTracebackObject,
    pub tb_frame: *mut PyFrameObject,
    pub tb_lasti: c_int,
    pub tb_lineno: c_int,
}

static mut TB_MEMBERS: [PyMemberDef; 2] = [
    PyMemberDef {
        name: c"tb_lasti".as_ptr(),
        type_: Py_T_INT,
        offset: std::mem::offset_of!(PyTracebackObject, tb_lasti) as Py_ssize_t,
        flags: Py_READONLY,
        doc: std::ptr::null(),
    },
    PyMemberDef::END,
];

static mut TB_GETSET: [PyGetSetDef; 4] = [
    PyGetSetDef {
        name: c"tb_next".as_ptr(),
        get: Some(get_next),
        set: Some(set_next),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"tb_frame".as_ptr(),
        get: Some(get_frame),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"tb_lineno".as_ptr(),
        get: Some(get_lineno),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

#[export]
pub static mut PyTraceBack_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(tb_dealloc),
    tp_members: &raw mut TB_MEMBERS as *mut PyMemberDef,
    tp_getset: &raw mut TB_GETSET as *mut PyGetSetDef,
    ..static_type(c"traceback", std::mem::size_of::<PyTracebackObject>(), 0, 0)
};

/// Whether `op` is a traceback.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_traceback(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyTraceBack_Type }
}

unsafe extern "C" fn tb_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead traceback (slot contract). A long chain is released one entry
    // at a time rather than by recursion.
    unsafe {
        let tb = op.cast::<PyTracebackObject>();
        xdecref((*tb).tb_frame.cast());
        let next = (*tb).tb_next;
        crate::objimpl::default_dealloc(op);
        xdecref(next.cast());
    }
}

unsafe extern "C" fn get_next(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live traceback.
    unsafe {
        let n = (*op.cast::<PyTracebackObject>()).tb_next;
        if n.is_null() {
            crate::object::new_none()
        } else {
            new_ref(n.cast())
        }
    }
}

unsafe extern "C" fn set_next(op: *mut PyObject, v: *mut PyObject, _c: *mut c_void) -> c_int {
    // SAFETY: setter contract: a live traceback, `v` NULL (delete) or live.
    unsafe {
        if v.is_null() {
            raise(&raw mut EXC_TypeError, "can't delete tb_next attribute");
            return -1;
        }
        let new = if v == crate::object::none() {
            null_mut()
        } else if is_traceback(v) {
            // A chain must not come back to this entry.
            let mut c = v.cast::<PyTracebackObject>();
            while !c.is_null() {
                if c.cast::<PyObject>() == op {
                    raise(&raw mut EXC_ValueError, "traceback loop detected");
                    return -1;
                }
                c = (*c).tb_next;
            }
            new_ref(v).cast::<PyTracebackObject>()
        } else {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "expected traceback object, got '{}'",
                    crate::object::tname(v)
                ),
            );
            return -1;
        };
        let tb = op.cast::<PyTracebackObject>();
        let old = std::mem::replace(&mut (*tb).tb_next, new);
        xdecref(old.cast());
        0
    }
}

unsafe extern "C" fn get_frame(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { new_ref((*op.cast::<PyTracebackObject>()).tb_frame.cast()) }
}

/// The line an entry shows: its stored `tb_lineno`, or (-1) the line of `tb_lasti` in the
/// frame's code; -1 when there is none.
///
/// # Safety
/// `tb` must be a live traceback.
pub(crate) unsafe fn lineno(tb: *mut PyTracebackObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if (*tb).tb_lineno != -1 {
            return (*tb).tb_lineno;
        }
        let code = crate::frameobject::code((*tb).tb_frame.cast());
        addr2line(code.cast(), (*tb).tb_lasti)
    }
}

unsafe extern "C" fn get_lineno(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    let l = unsafe { lineno(op.cast()) };
    if l < 0 {
        crate::object::new_none()
    } else {
        crate::longobject::from_i64(i64::from(l))
    }
}

/// A new entry for `frame` in front of `next` (NULL or a traceback).
///
/// # Safety
/// `frame` must be a live frame, `next` NULL or a live traceback.
pub(crate) unsafe fn new_entry(next: *mut PyObject, frame: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let t = crate::objimpl::alloc_object(&raw mut PyTraceBack_Type, 0);
        if t.is_null() {
            return t;
        }
        let tb = t.cast::<PyTracebackObject>();
        (*tb).tb_next = if next.is_null() {
            null_mut()
        } else {
            new_ref(next).cast()
        };
        (*tb).tb_frame = new_ref(frame).cast();
        (*tb).tb_lasti = crate::frameobject::lasti(frame);
        (*tb).tb_lineno = -1;
        t
    }
}

/// The lines CPython's traceback printer writes for a chain, outermost first: each entry's
/// `  File "<file>", line <n>, in <name>`, then its source line when [`SourceLines`] finds
/// one, stripped and indented by four spaces.
///
/// # Safety
/// `tb` must be NULL or a live traceback.
pub(crate) unsafe fn format_entries(tb: *mut PyObject) -> Vec<String> {
    struct Entry {
        file: String,
        name: String,
        line: c_int,
        has_loader: bool,
    }
    let mut entries = Vec::new();
    let mut c = tb.cast::<PyTracebackObject>();
    // SAFETY: forwarded contract; each entry holds its frame and next.
    unsafe {
        while !c.is_null() && entries.len() < 10_000 {
            let frame = (*c).tb_frame.cast::<PyObject>();
            let code = crate::frameobject::code(frame).cast::<PyCodeObject>();
            entries.push(Entry {
                file: uni::as_str((*code).co_filename)
                    .unwrap_or("???")
                    .to_string(),
                name: uni::as_str((*code).co_name).unwrap_or("???").to_string(),
                line: lineno(c),
                has_loader: module_has_loader(crate::frameobject::globals(frame)),
            });
            c = (*c).tb_next;
        }
    }
    let mut lines = SOURCE_LINES.lock().unwrap_or_else(|e| e.into_inner());
    // As CPython's printer does: first every frame's file is offered to the cache with its
    // module (`linecache.lazycache`), then each entry's line is looked up in order.
    let mut lazy: Vec<&str> = Vec::new();
    for e in &entries {
        if e.has_loader && !lines.has(&e.file) && !lazy.contains(&e.file.as_str()) {
            lazy.push(&e.file);
        }
    }
    let mut out = Vec::new();
    for e in &entries {
        let line = if e.line < 0 {
            "???".to_string()
        } else {
            e.line.to_string()
        };
        out.push(format!("  File \"{}\", line {line}, in {}", e.file, e.name));
        let text = if let Some(i) = lazy.iter().position(|f| *f == e.file) {
            // The module's loader is asked for the source, and an extension's loader has
            // none: this lookup finds nothing and drops the entry, so the next one searches.
            lazy.remove(i);
            None
        } else {
            u32::try_from(e.line)
                .ok()
                .and_then(|n| lines.get(&e.file, n))
        };
        if let Some(text) = text {
            out.push(format!("    {text}"));
        }
    }
    out
}

/// Whether a frame's globals name a module with a loader (`__name__`, and `__spec__` or
/// `__loader__` not None): `linecache.lazycache` then records the file as the module's, whose
/// loader gives no source for an extension.
///
/// # Safety
/// `globals` must be NULL or a live dict.
unsafe fn module_has_loader(globals: *mut PyObject) -> bool {
    if globals.is_null() {
        return false;
    }
    // SAFETY: forwarded contract; borrowed values are only compared with None.
    unsafe {
        let named = !crate::dictobject::get_str(globals, "__name__").is_null();
        let set = |key: &str| {
            let v = crate::dictobject::get_str(globals, key);
            !v.is_null() && v != crate::object::none()
        };
        named && (set("__spec__") || set("__loader__"))
    }
}

/// The source files a traceback has read, for the life of the process, as CPython's
/// `linecache` keeps them: a file is looked for as named (relative to the working folder),
/// then, when relative, under each `sys.path` entry in turn (an extension's entries name
/// files such as `frozenlist/_frozenlist.pyx`, which some wheels ship). Files not found are
/// not remembered, so a later traceback looks again.
struct SourceLines(Vec<(String, Vec<String>)>);

static SOURCE_LINES: std::sync::Mutex<SourceLines> = std::sync::Mutex::new(SourceLines(Vec::new()));

impl SourceLines {
    fn has(&self, file: &str) -> bool {
        self.0.iter().any(|(f, _)| f == file)
    }

    /// Line `n` (from 1) of `file`, stripped; `None` when the file is not found or not
    /// UTF-8, or the line does not exist or is blank.
    fn get(&mut self, file: &str, n: u32) -> Option<String> {
        if n == 0 || file.is_empty() || (file.starts_with('<') && file.ends_with('>')) {
            return None;
        }
        if !self.has(file) {
            let path = std::path::Path::new(file);
            let mut candidates = vec![path.to_path_buf()];
            if !path.is_absolute() {
                candidates.extend(
                    crate::sysmodule::path_entries()
                        .into_iter()
                        .map(|dir| dir.join(path)),
                );
            }
            let found = candidates.into_iter().find(|p| p.is_file())?;
            let text = std::fs::read_to_string(found).ok()?;
            self.0
                .push((file.to_string(), text.lines().map(str::to_string).collect()));
        }
        let (_, lines) = self.0.iter().find(|(f, _)| f == file)?;
        let line = lines.get(usize::try_from(n - 1).ok()?)?.trim();
        (!line.is_empty()).then(|| line.to_string())
    }
}

/// `PyTraceBack_Here(frame)`: prepends an entry for `frame` to the current exception's
/// traceback. 0, or -1 with an exception.
///
/// # Safety
/// `frame` must be a live object.
pub(crate) unsafe fn here(frame: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if frame.is_null() || !is_frame(frame) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let exc = crate::pyerrors::take_raised();
        if exc.is_null() {
            crate::pyerrors::set_system_error("PyTraceBack_Here called without an exception set");
            return -1;
        }
        let b = exc.cast::<crate::exceptions::PyBaseExceptionObject>();
        let new = new_entry((*b).traceback, frame);
        if new.is_null() {
            // Keep the original error as the new one's context.
            let e2 = crate::pyerrors::take_raised();
            if !e2.is_null() {
                crate::exceptions::set_context(e2, exc);
                crate::pyerrors::restore_raised(e2);
            } else {
                crate::pyerrors::restore_raised(exc);
            }
            return -1;
        }
        let old = std::mem::replace(&mut (*b).traceback, new);
        xdecref(old);
        crate::pyerrors::restore_raised(exc);
        0
    }
}

#[export]
pub unsafe fn PyTraceBack_Here(frame: *mut PyFrameObject) -> c_int {
    // SAFETY: a live frame, per the C API contract.
    unsafe { here(frame.cast()) }
}

#[export]
pub unsafe fn PyTraceBack_Print(tb: *mut PyObject, file: *mut PyObject) -> c_int {
    // SAFETY: NULL or live objects, per the C API contract.
    unsafe {
        if tb.is_null() {
            return 0;
        }
        if !is_traceback(tb) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let mut text = String::from("Traceback (most recent call last):\n");
        for l in format_entries(tb) {
            text.push_str(&l);
            text.push('\n');
        }
        let s = uni::from_str(&text);
        if s.is_null() {
            return -1;
        }
        let write = crate::object::getattr(file, uni::intern("write"));
        if write.is_null() {
            decref(s);
            return -1;
        }
        let args = crate::tupleobject::from_slice(&[s]);
        decref(s);
        let r = crate::object::call(write, args, null_mut());
        decref(write);
        decref(args);
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}
