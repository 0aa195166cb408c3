//! `threading` (CPython's `Lib/threading.py`), natively, over `_thread` (`threadmodule.rs`).
//!
//! CPython writes `Condition`, `Semaphore`, `BoundedSemaphore`, `Event`, `Barrier`, `Thread`
//! and `Timer` as Python classes on top of `_thread`'s lock; here they are static types whose
//! state is a [`Core`] (a small state under a mutex with a condition variable; every wait
//! detaches). `Lock` and `RLock` are `_thread`'s types, as in CPython. A `Thread` runs on a
//! real OS thread with its own thread state; its `run` is looked up on the object, so a
//! subclass's `run` is called. What CPython's Python code does that gilgate cannot: trace and
//! profile functions are stored and returned (`settrace`, ...) but never called, as gilgate
//! runs no Python frames; `excepthook` prints the exception without Python frames.

use crate::abc::{Obj, call, call_method, getattr, truth};
use crate::importlib::py_args;
use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{decref, incref, xdecref};
use crate::threadmodule::{Core, deadline, ident, seconds};
use std::collections::{HashMap, VecDeque};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

// ---- shared helpers -------------------------------------------------------------------------

/// An object whose state is a boxed `T` (NULL until `__init__` ran).
#[repr(C)]
struct Boxed<T> {
    ob_base: PyObject,
    inner: *mut T,
    weakreflist: *mut PyObject,
    dict: *mut PyObject,
}

/// # Safety
/// `op` must be a live object of a type laid out as `Boxed<T>`.
unsafe fn inner<'a, T>(op: *mut PyObject) -> Option<&'a T> {
    // SAFETY: forwarded contract.
    let p = unsafe { (*op.cast::<Boxed<T>>()).inner };
    if p.is_null() {
        let _ = raise(&raw mut EXC_RuntimeError, "object is not initialized");
        None
    } else {
        // SAFETY: set by `__init__` from Box::into_raw; lives until dealloc.
        Some(unsafe { &*p })
    }
}

/// Installs a new state (dropping an older one: `__init__` called again).
///
/// # Safety
/// `op` must be a live `Boxed<T>`.
unsafe fn set_inner<T>(op: *mut PyObject, v: T) {
    // SAFETY: forwarded contract.
    unsafe {
        let b = op.cast::<Boxed<T>>();
        let old = std::mem::replace(&mut (*b).inner, Box::into_raw(Box::new(v)));
        if !old.is_null() {
            drop(Box::from_raw(old));
        }
    }
}

unsafe extern "C" fn boxed_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract; the layout starts with Boxed<()>'s fields.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if !op.is_null() {
            let b = op.cast::<Boxed<()>>();
            (*b).inner = null_mut();
            (*b).weakreflist = null_mut();
            (*b).dict = null_mut();
        }
        op
    }
}

/// What a [`Boxed`] state releases when its object dies (its Python references).
trait Release {
    fn release(&mut self) {}
}

unsafe extern "C" fn boxed_dealloc<T: Release>(op: *mut PyObject) {
    // SAFETY: a dead Boxed<T> (slot contract).
    unsafe {
        let b = op.cast::<Boxed<T>>();
        if !(*b).weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        if !(*b).inner.is_null() {
            let mut v = Box::from_raw((*b).inner);
            (*b).inner = null_mut();
            v.release();
        }
        let d = std::mem::replace(&mut (*b).dict, null_mut());
        xdecref(d);
        crate::objimpl::default_dealloc(op);
    }
}

/// The `timeout` argument: None -> no deadline; a number -> its deadline (negative: now,
/// as CPython's Python code passes it to a lock that treats it as "do not wait" only for
/// `Event`/`Condition`, which clamp negatives to 0). Err with the error set.
///
/// # Safety
/// `o` NULL or live.
unsafe fn timeout_arg(o: *mut PyObject) -> Result<Option<Instant>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if o.is_null() || o == crate::object::none() {
            return Ok(None);
        }
        let t = seconds(o).ok_or(())?;
        Ok(deadline(t.max(0.0)))
    }
}

fn none() -> *mut PyObject {
    crate::object::new_none()
}

fn py_bool(b: bool) -> *mut PyObject {
    crate::boolobject::from_bool(b)
}

/// A Python method's arguments after `self`, with CPython's texts (which count `self`).
///
/// # Safety
/// `args` a tuple, `kw` NULL or a dict.
unsafe fn m_args(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe {
        let given = crate::tupleobject::items(args).len();
        let n = names.len();
        if given > n {
            let takes = if required < n {
                format!("from {} to {} positional arguments", required + 1, n + 1)
            } else if n == 0 {
                "1 positional argument".to_string()
            } else {
                format!("{} positional arguments", n + 1)
            };
            let verb = if given + 1 == 1 { "was" } else { "were" };
            raise(
                &raw mut EXC_TypeError,
                &format!("{func}() takes {takes} but {} {verb} given", given + 1),
            );
            return None;
        }
        py_args(func, args, kw, names, required)
    }
}

/// `<threading.NAME at 0x...: extra>` as CPython's Python reprs give it.
///
/// # Safety
/// `op` live.
unsafe fn at_repr(op: *mut PyObject, extra: &str) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let t = unsafe { crate::object::fully_qualified_name(crate::object::ty(op), '.') };
    crate::unicodeobject::from_str(&format!("<{t} at {op:p}: {extra}>"))
}

// ---- Event ----------------------------------------------------------------------------------

struct EventState {
    core: Core<bool>,
}
impl Release for EventState {}

unsafe extern "C" fn event_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> i32 {
    // SAFETY: slot contract.
    unsafe {
        if m_args("Event.__init__", args, kw, &[], 0).is_none() {
            return -1;
        }
        set_inner(
            op,
            EventState {
                core: Core::new(false),
            },
        );
    }
    0
}

unsafe extern "C" fn event_is_set(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Event.
    match unsafe { inner::<EventState>(op) } {
        Some(e) => py_bool(*e.core.lock()),
        None => null_mut(),
    }
}

unsafe extern "C" fn event_set(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Event.
    let Some(e) = (unsafe { inner::<EventState>(op) }) else {
        return null_mut();
    };
    *e.core.lock() = true;
    e.core.wake_all();
    none()
}

unsafe extern "C" fn event_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Event.
    let Some(e) = (unsafe { inner::<EventState>(op) }) else {
        return null_mut();
    };
    *e.core.lock() = false;
    none()
}

unsafe extern "C" fn event_wait(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Event.wait", null_mut(), || {
        // SAFETY: a method of Event: live arguments.
        unsafe {
            let Some(e) = inner::<EventState>(op) else {
                return null_mut();
            };
            let Some(v) = m_args("Event.wait", args, kw, &["timeout"], 0) else {
                return null_mut();
            };
            let t = v[0];
            if !t.is_null()
                && t != crate::object::none()
                && !crate::floatobject::is_float(t)
                && !crate::longobject::is_int(t)
            {
                let n = crate::object::tname(t);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("'<=' not supported between instances of '{n}' and 'int'"),
                );
            }
            let Ok(d) = timeout_arg(v[0]) else {
                return null_mut();
            };
            py_bool(e.core.wait_for(d, |s| *s))
        }
    })
}

unsafe extern "C" fn event_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Event.
    unsafe {
        let p = (*op.cast::<Boxed<EventState>>()).inner;
        let set = !p.is_null() && *(*p).core.lock();
        at_repr(op, if set { "set" } else { "unset" })
    }
}

static mut EVENT_METHODS: [PyMethodDef; 7] = [
    method(c"is_set", event_is_set as *mut c_void, METH_NOARGS),
    method(c"isSet", event_is_set as *mut c_void, METH_NOARGS),
    method(c"set", event_set as *mut c_void, METH_NOARGS),
    method(c"clear", event_clear as *mut c_void, METH_NOARGS),
    method(
        c"wait",
        event_wait as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"_at_fork_reinit", event_clear as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

/// `threading.Event`.
pub(crate) static mut Event_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(boxed_new),
    tp_init: Some(event_init),
    tp_dealloc: Some(boxed_dealloc::<EventState>),
    tp_repr: Some(event_repr),
    tp_methods: (&raw mut EVENT_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<EventState>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<EventState>, dict) as isize,
    ..static_type(
        c"threading.Event",
        size_of::<Boxed<EventState>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

// ---- Semaphore, BoundedSemaphore -----------------------------------------------------------

struct SemState {
    core: Core<usize>,
    initial: usize,
}
impl Release for SemState {}

unsafe extern "C" fn sem_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> i32 {
    // SAFETY: slot contract.
    unsafe {
        let name = if crate::object::ty(op) == &raw mut BoundedSemaphore_Type {
            "BoundedSemaphore.__init__"
        } else {
            "Semaphore.__init__"
        };
        let Some(v) = m_args(name, args, kw, &["value"], 0) else {
            return -1;
        };
        let n = if v[0].is_null() {
            1
        } else {
            let n = crate::abstract_::PyNumber_AsSsize_t(v[0], null_mut());
            if n == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                return -1;
            }
            n
        };
        if n < 0 {
            raise(
                &raw mut EXC_ValueError,
                "semaphore initial value must be >= 0",
            );
            return -1;
        }
        set_inner(
            op,
            SemState {
                core: Core::new(n as usize),
                initial: n as usize,
            },
        );
    }
    0
}

unsafe extern "C" fn sem_acquire(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Semaphore.acquire", null_mut(), || {
        // SAFETY: a method of Semaphore: live arguments.
        unsafe {
            let Some(s) = inner::<SemState>(op) else {
                return null_mut();
            };
            let Some(v) = m_args("Semaphore.acquire", args, kw, &["blocking", "timeout"], 0) else {
                return null_mut();
            };
            let blocking = if v[0].is_null() {
                true
            } else {
                match truth(v[0]) {
                    Ok(b) => b,
                    Err(()) => return null_mut(),
                }
            };
            let has_timeout = !v[1].is_null() && v[1] != crate::object::none();
            if !blocking && has_timeout {
                return raise(
                    &raw mut EXC_ValueError,
                    "can't specify timeout for non-blocking acquire",
                );
            }
            let d = if !blocking {
                Some(Instant::now())
            } else {
                match timeout_arg(v[1]) {
                    Ok(d) => d,
                    Err(()) => return null_mut(),
                }
            };
            py_bool(s.core.wait_for(d, |n| {
                if *n > 0 {
                    *n -= 1;
                    true
                } else {
                    false
                }
            }))
        }
    })
}

unsafe extern "C" fn sem_enter(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Semaphore; an empty tuple.
    unsafe {
        let t = crate::tupleobject::new_tuple(0);
        let r = sem_acquire(op, t, null_mut());
        decref(t);
        r
    }
}

unsafe extern "C" fn sem_release(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Semaphore.release", null_mut(), || {
        // SAFETY: a method of Semaphore: live arguments.
        unsafe {
            let Some(s) = inner::<SemState>(op) else {
                return null_mut();
            };
            let bounded = crate::object::type_check(op, &raw mut BoundedSemaphore_Type);
            let Some(v) = m_args("Semaphore.release", args, kw, &["n"], 0) else {
                return null_mut();
            };
            let n = if v[0].is_null() {
                1
            } else {
                let n = crate::abstract_::PyNumber_AsSsize_t(v[0], null_mut());
                if n == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                    return null_mut();
                }
                n
            };
            if n < 1 {
                return raise(&raw mut EXC_ValueError, "n must be one or more");
            }
            {
                let mut g = s.core.lock();
                if bounded && *g + n as usize > s.initial {
                    return raise(&raw mut EXC_ValueError, "Semaphore released too many times");
                }
                *g += n as usize;
            }
            s.core.wake_all();
            none()
        }
    })
}

unsafe extern "C" fn sem_exit(op: *mut PyObject, _args: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Semaphore; an empty tuple.
    unsafe {
        let t = crate::tupleobject::new_tuple(0);
        let r = sem_release(op, t, null_mut());
        decref(t);
        r
    }
}

unsafe extern "C" fn sem_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Semaphore.
    unsafe {
        let p = (*op.cast::<Boxed<SemState>>()).inner;
        let (v, i) = if p.is_null() {
            (0, 0)
        } else {
            (*(*p).core.lock(), (*p).initial)
        };
        if crate::object::type_check(op, &raw mut BoundedSemaphore_Type) {
            at_repr(op, &format!("value={v}/{i}"))
        } else {
            at_repr(op, &format!("value={v}"))
        }
    }
}

static mut SEM_METHODS: [PyMethodDef; 5] = [
    method(
        c"acquire",
        sem_acquire as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"release",
        sem_release as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"__enter__", sem_enter as *mut c_void, METH_NOARGS),
    method(c"__exit__", sem_exit as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

/// `threading.Semaphore`.
pub(crate) static mut Semaphore_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(boxed_new),
    tp_init: Some(sem_init),
    tp_dealloc: Some(boxed_dealloc::<SemState>),
    tp_repr: Some(sem_repr),
    tp_methods: (&raw mut SEM_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<SemState>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<SemState>, dict) as isize,
    ..static_type(
        c"threading.Semaphore",
        size_of::<Boxed<SemState>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// `threading.BoundedSemaphore` (a `Semaphore` whose `release` refuses to go past the
/// initial value).
pub(crate) static mut BoundedSemaphore_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut Semaphore_Type,
    tp_new: Some(boxed_new),
    tp_init: Some(sem_init),
    tp_dealloc: Some(boxed_dealloc::<SemState>),
    tp_repr: Some(sem_repr),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<SemState>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<SemState>, dict) as isize,
    ..static_type(
        c"threading.BoundedSemaphore",
        size_of::<Boxed<SemState>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

// ---- Condition ------------------------------------------------------------------------------

/// The waiters of a condition: tickets in arrival order and those notified.
#[derive(Default)]
struct Waiters {
    next: u64,
    waiting: VecDeque<u64>,
    woken: Vec<u64>,
}

struct CondState {
    lock: *mut PyObject,
    core: Core<Waiters>,
}
// SAFETY: the lock reference is only used by attached threads through the C API.
unsafe impl Send for CondState {}
// SAFETY: as above.
unsafe impl Sync for CondState {}
impl Release for CondState {
    fn release(&mut self) {
        // SAFETY: the condition's own reference.
        unsafe { decref(self.lock) };
    }
}

unsafe extern "C" fn cond_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> i32 {
    // SAFETY: slot contract.
    unsafe {
        let Some(v) = m_args("Condition.__init__", args, kw, &["lock"], 0) else {
            return -1;
        };
        let lock = if v[0].is_null() || v[0] == crate::object::none() {
            let l = crate::threadmodule::new_lock(&raw mut crate::threadmodule::RLock_Type);
            if l.is_null() {
                return -1;
            }
            l
        } else {
            incref(v[0]);
            v[0]
        };
        // `acquire` and `release` are the lock's own bound methods, as in CPython.
        for name in ["acquire", "release"] {
            let m = getattr(lock, name);
            if m.is_null()
                || crate::object::setattr(op, crate::unicodeobject::intern(name), m.ptr()) < 0
            {
                decref(lock);
                return -1;
            }
        }
        set_inner(
            op,
            CondState {
                lock,
                core: Core::new(Waiters::default()),
            },
        );
    }
    0
}

/// Whether the calling thread holds the condition's lock (CPython's `_is_owned`: the lock's
/// own method, else a non-blocking acquire that fails).
///
/// # Safety
/// `lock` live; attached.
unsafe fn owned(lock: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(m) = crate::abc::getattr_opt(lock, "_is_owned")? {
            let r = call(m.ptr(), &[]);
            if r.is_null() {
                return Err(());
            }
            return truth(r.ptr());
        }
        let f = py_bool(false);
        let r = call_method(lock, "acquire", &[f]);
        decref(f);
        if r.is_null() {
            return Err(());
        }
        if truth(r.ptr())? {
            let x = call_method(lock, "release", &[]);
            if x.is_null() {
                return Err(());
            }
            Ok(false)
        } else {
            Ok(true)
        }
    }
}

unsafe extern "C" fn cond_enter(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Condition.
    unsafe {
        let Some(c) = inner::<CondState>(op) else {
            return null_mut();
        };
        call_method(c.lock, "__enter__", &[]).into_raw()
    }
}

unsafe extern "C" fn cond_exit(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Condition.
    unsafe {
        let Some(c) = inner::<CondState>(op) else {
            return null_mut();
        };
        let m = getattr(c.lock, "__exit__");
        if m.is_null() {
            return null_mut();
        }
        crate::abstract_::PyObject_Call(m.ptr(), args, null_mut())
    }
}

/// `Condition.wait` for `d`: releases the lock, waits for a notification, re-takes the lock.
///
/// # Safety
/// `c` a live condition's state; attached.
unsafe fn cond_wait_until(c: &CondState, d: Option<Instant>) -> Option<bool> {
    // SAFETY: forwarded contract.
    unsafe {
        match owned(c.lock) {
            Err(()) => return None,
            Ok(false) => {
                raise(&raw mut EXC_RuntimeError, "cannot wait on un-acquired lock");
                return None;
            }
            Ok(true) => {}
        }
        let ticket = {
            let mut w = c.core.lock();
            let t = w.next;
            w.next += 1;
            w.waiting.push_back(t);
            t
        };
        let saved = match crate::abc::getattr_opt(c.lock, "_release_save") {
            Err(()) => return None,
            Ok(Some(m)) => call(m.ptr(), &[]),
            Ok(None) => {
                let r = call_method(c.lock, "release", &[]);
                if r.is_null() { r } else { Obj::new(none()) }
            }
        };
        if saved.is_null() {
            c.core.lock().waiting.retain(|&t| t != ticket);
            return None;
        }
        let got = c.core.wait_for(d, |w| {
            if let Some(i) = w.woken.iter().position(|&t| t == ticket) {
                w.woken.swap_remove(i);
                true
            } else {
                false
            }
        });
        if !got {
            let mut w = c.core.lock();
            w.waiting.retain(|&t| t != ticket);
            w.woken.retain(|&t| t != ticket);
        }
        let r = match crate::abc::getattr_opt(c.lock, "_acquire_restore") {
            Err(()) => return None,
            Ok(Some(m)) => call(m.ptr(), &[saved.ptr()]),
            Ok(None) => call_method(c.lock, "acquire", &[]),
        };
        if r.is_null() {
            return None;
        }
        Some(got)
    }
}

unsafe extern "C" fn cond_wait(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Condition.wait", null_mut(), || {
        // SAFETY: a method of Condition: live arguments.
        unsafe {
            let Some(c) = inner::<CondState>(op) else {
                return null_mut();
            };
            let Some(v) = m_args("Condition.wait", args, kw, &["timeout"], 0) else {
                return null_mut();
            };
            let Ok(d) = timeout_arg(v[0]) else {
                return null_mut();
            };
            match cond_wait_until(c, d) {
                Some(b) => py_bool(b),
                None => null_mut(),
            }
        }
    })
}

unsafe extern "C" fn cond_wait_for(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Condition.wait_for", null_mut(), || {
        // SAFETY: a method of Condition: live arguments.
        unsafe {
            let Some(c) = inner::<CondState>(op) else {
                return null_mut();
            };
            let Some(v) = m_args("Condition.wait_for", args, kw, &["predicate", "timeout"], 1)
            else {
                return null_mut();
            };
            let Ok(d) = timeout_arg(v[1]) else {
                return null_mut();
            };
            loop {
                let r = call(v[0], &[]);
                if r.is_null() {
                    return null_mut();
                }
                match truth(r.ptr()) {
                    Err(()) => return null_mut(),
                    Ok(true) => return r.into_raw(),
                    Ok(false) => {}
                }
                if d.is_some_and(|d| Instant::now() >= d) {
                    return r.into_raw();
                }
                if cond_wait_until(c, d).is_none() {
                    return null_mut();
                }
            }
        }
    })
}

/// `notify(n)`: wakes up to `n` waiters (all when `None`).
///
/// # Safety
/// `op` a live Condition; attached.
unsafe fn cond_notify_n(op: *mut PyObject, n: Option<usize>) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(c) = inner::<CondState>(op) else {
            return null_mut();
        };
        match owned(c.lock) {
            Err(()) => return null_mut(),
            Ok(false) => {
                return raise(
                    &raw mut EXC_RuntimeError,
                    "cannot notify on un-acquired lock",
                );
            }
            Ok(true) => {}
        }
        {
            let mut w = c.core.lock();
            let k = n.unwrap_or(usize::MAX).min(w.waiting.len());
            for _ in 0..k {
                if let Some(t) = w.waiting.pop_front() {
                    w.woken.push(t);
                }
            }
        }
        c.core.wake_all();
        none()
    }
}

unsafe extern "C" fn cond_notify(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Condition.notify", null_mut(), || {
        // SAFETY: a method of Condition: live arguments.
        unsafe {
            let Some(v) = m_args("Condition.notify", args, kw, &["n"], 0) else {
                return null_mut();
            };
            let n = if v[0].is_null() {
                1
            } else {
                let n = crate::abstract_::PyNumber_AsSsize_t(v[0], null_mut());
                if n == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                    return null_mut();
                }
                n.max(0) as usize
            };
            cond_notify_n(op, Some(n))
        }
    })
}

unsafe extern "C" fn cond_notify_all(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Condition.
    unsafe { cond_notify_n(op, None) }
}

unsafe extern "C" fn cond_is_owned(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Condition.
    unsafe {
        let Some(c) = inner::<CondState>(op) else {
            return null_mut();
        };
        match owned(c.lock) {
            Ok(b) => py_bool(b),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn cond_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Condition.
    unsafe {
        let p = (*op.cast::<Boxed<CondState>>()).inner;
        if p.is_null() {
            return crate::unicodeobject::from_str("<Condition>");
        }
        let r = crate::object::PyObject_Repr((*p).lock);
        if r.is_null() {
            return r;
        }
        let lr = crate::unicodeobject::as_str(r).unwrap_or("").to_string();
        decref(r);
        let n = (*p).core.lock().waiting.len();
        crate::unicodeobject::from_str(&format!("<Condition({lr}, {n})>"))
    }
}

static mut COND_METHODS: [PyMethodDef; 9] = [
    method(c"__enter__", cond_enter as *mut c_void, METH_NOARGS),
    method(c"__exit__", cond_exit as *mut c_void, METH_VARARGS),
    method(
        c"wait",
        cond_wait as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"wait_for",
        cond_wait_for as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"notify",
        cond_notify as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"notify_all", cond_notify_all as *mut c_void, METH_NOARGS),
    method(c"notifyAll", cond_notify_all as *mut c_void, METH_NOARGS),
    method(c"_is_owned", cond_is_owned as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

/// `threading.Condition`.
pub(crate) static mut Condition_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(boxed_new),
    tp_init: Some(cond_init),
    tp_dealloc: Some(boxed_dealloc::<CondState>),
    tp_repr: Some(cond_repr),
    tp_methods: (&raw mut COND_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<CondState>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<CondState>, dict) as isize,
    ..static_type(
        c"threading.Condition",
        size_of::<Boxed<CondState>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

// ---- Barrier --------------------------------------------------------------------------------

struct BarState {
    count: usize,
    generation: u64,
    broken: bool,
    /// The generation a `reset` ended while threads waited in it (they raise).
    reset_generation: Option<u64>,
}

struct BarrierS {
    parties: usize,
    action: *mut PyObject,
    timeout: *mut PyObject,
    core: Core<BarState>,
}
// SAFETY: the references are only used by attached threads through the C API.
unsafe impl Send for BarrierS {}
// SAFETY: as above.
unsafe impl Sync for BarrierS {}
impl Release for BarrierS {
    fn release(&mut self) {
        // SAFETY: the barrier's own references.
        unsafe {
            xdecref(self.action);
            xdecref(self.timeout);
        }
    }
}

static BROKEN_BARRIER: OnceLock<usize> = OnceLock::new();

/// `threading.BrokenBarrierError` (a `RuntimeError`).
fn broken_barrier_error() -> *mut PyObject {
    *BROKEN_BARRIER.get_or_init(|| {
        // SAFETY: a static name and base.
        unsafe {
            crate::pyerrors::PyErr_NewException(
                c"threading.BrokenBarrierError".as_ptr(),
                (&raw mut EXC_RuntimeError).cast(),
                null_mut(),
            ) as usize
        }
    }) as *mut PyObject
}

fn raise_broken() -> *mut PyObject {
    // SAFETY: the live exception class.
    unsafe { crate::pyerrors::set_object(broken_barrier_error(), null_mut()) };
    null_mut()
}

unsafe extern "C" fn barrier_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> i32 {
    // SAFETY: slot contract.
    unsafe {
        let Some(v) = m_args(
            "Barrier.__init__",
            args,
            kw,
            &["parties", "action", "timeout"],
            1,
        ) else {
            return -1;
        };
        let n = crate::abstract_::PyNumber_AsSsize_t(v[0], null_mut());
        if n == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
            return -1;
        }
        if n < 1 {
            raise(&raw mut EXC_ValueError, "parties must be >= 1");
            return -1;
        }
        let action = if v[1].is_null() || v[1] == crate::object::none() {
            null_mut()
        } else {
            incref(v[1]);
            v[1]
        };
        let timeout = if v[2].is_null() || v[2] == crate::object::none() {
            null_mut()
        } else {
            incref(v[2]);
            v[2]
        };
        set_inner(
            op,
            BarrierS {
                parties: n as usize,
                action,
                timeout,
                core: Core::new(BarState {
                    count: 0,
                    generation: 0,
                    broken: false,
                    reset_generation: None,
                }),
            },
        );
    }
    0
}

/// Breaks the barrier: every waiter raises `BrokenBarrierError`.
fn barrier_break(b: &BarrierS) {
    {
        let mut s = b.core.lock();
        s.broken = true;
        s.count = 0;
    }
    b.core.wake_all();
}

unsafe extern "C" fn barrier_wait(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Barrier.wait", null_mut(), || {
        // SAFETY: a method of Barrier: live arguments.
        unsafe {
            let Some(b) = inner::<BarrierS>(op) else {
                return null_mut();
            };
            let Some(v) = m_args("Barrier.wait", args, kw, &["timeout"], 0) else {
                return null_mut();
            };
            let t = if v[0].is_null() || v[0] == crate::object::none() {
                b.timeout
            } else {
                v[0]
            };
            let Ok(d) = timeout_arg(t) else {
                return null_mut();
            };
            let (index, generation, last) = {
                let mut s = b.core.lock();
                if s.broken {
                    return raise_broken();
                }
                let i = s.count;
                s.count += 1;
                (i, s.generation, s.count == b.parties)
            };
            if last {
                if !b.action.is_null() {
                    let r = call(b.action, &[]);
                    if r.is_null() {
                        barrier_break(b);
                        return null_mut();
                    }
                }
                {
                    let mut s = b.core.lock();
                    s.count = 0;
                    s.generation += 1;
                }
                b.core.wake_all();
                return crate::longobject::from_i64(index as i64);
            }
            let released = b
                .core
                .wait_for(d, |s| s.generation != generation || s.broken);
            if !released {
                let moved = b.core.lock().generation != generation;
                if !moved {
                    barrier_break(b);
                    return raise_broken();
                }
            }
            let s = b.core.lock();
            if s.generation != generation && s.reset_generation != Some(generation) {
                crate::longobject::from_i64(index as i64)
            } else {
                drop(s);
                raise_broken()
            }
        }
    })
}

unsafe extern "C" fn barrier_reset(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Barrier.
    let Some(b) = (unsafe { inner::<BarrierS>(op) }) else {
        return null_mut();
    };
    {
        let mut s = b.core.lock();
        if s.count > 0 {
            s.reset_generation = Some(s.generation);
            s.generation += 1;
            s.count = 0;
        }
        s.broken = false;
    }
    b.core.wake_all();
    none()
}

unsafe extern "C" fn barrier_abort(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Barrier.
    let Some(b) = (unsafe { inner::<BarrierS>(op) }) else {
        return null_mut();
    };
    barrier_break(b);
    none()
}

unsafe extern "C" fn barrier_parties(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Barrier.
    match unsafe { inner::<BarrierS>(op) } {
        Some(b) => crate::longobject::from_i64(b.parties as i64),
        None => null_mut(),
    }
}

unsafe extern "C" fn barrier_n_waiting(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Barrier.
    match unsafe { inner::<BarrierS>(op) } {
        Some(b) => crate::longobject::from_i64(b.core.lock().count as i64),
        None => null_mut(),
    }
}

unsafe extern "C" fn barrier_broken(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Barrier.
    match unsafe { inner::<BarrierS>(op) } {
        Some(b) => py_bool(b.core.lock().broken),
        None => null_mut(),
    }
}

unsafe extern "C" fn barrier_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Barrier.
    unsafe {
        let p = (*op.cast::<Boxed<BarrierS>>()).inner;
        if p.is_null() {
            return at_repr(op, "uninitialized");
        }
        let (broken, n) = {
            let s = (*p).core.lock();
            (s.broken, s.count)
        };
        if broken {
            at_repr(op, "broken")
        } else {
            at_repr(op, &format!("waiters={n}/{}", (*p).parties))
        }
    }
}

static mut BARRIER_METHODS: [PyMethodDef; 4] = [
    method(
        c"wait",
        barrier_wait as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"reset", barrier_reset as *mut c_void, METH_NOARGS),
    method(c"abort", barrier_abort as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut BARRIER_GETSET: [crate::descrobject::PyGetSetDef; 4] = [
    crate::longobject::getset(c"parties", Some(barrier_parties)),
    crate::longobject::getset(c"n_waiting", Some(barrier_n_waiting)),
    crate::longobject::getset(c"broken", Some(barrier_broken)),
    crate::descrobject::PyGetSetDef::END,
];

/// `threading.Barrier`.
pub(crate) static mut Barrier_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(boxed_new),
    tp_init: Some(barrier_init),
    tp_dealloc: Some(boxed_dealloc::<BarrierS>),
    tp_repr: Some(barrier_repr),
    tp_methods: (&raw mut BARRIER_METHODS).cast(),
    tp_getset: (&raw mut BARRIER_GETSET).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<BarrierS>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<BarrierS>, dict) as isize,
    ..static_type(
        c"threading.Barrier",
        size_of::<Boxed<BarrierS>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

// ---- Thread, Timer --------------------------------------------------------------------------

#[derive(Default)]
struct TState {
    start_called: bool,
    started: bool,
    done: bool,
    ident: u64,
    native_id: u64,
}

struct ThreadS {
    /// target, args, kwargs (owned; 0 when absent or after `run`).
    call: Mutex<[usize; 3]>,
    /// The name (an owned str).
    name: Mutex<usize>,
    daemon: std::sync::atomic::AtomicBool,
    /// `run` has run (CPython deletes the target's attributes then).
    ran: std::sync::atomic::AtomicBool,
    st: Core<TState>,
}
impl Release for ThreadS {
    fn release(&mut self) {
        let c = *self.call.lock().unwrap_or_else(|e| e.into_inner());
        let n = *self.name.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: the thread object's own references.
        unsafe {
            for p in c {
                xdecref(p as *mut PyObject);
            }
            xdecref(n as *mut PyObject);
        }
    }
}

/// CPython's `_counter` for default names (`Thread-N`, `Dummy-N`).
static COUNTER: AtomicU64 = AtomicU64::new(1);

/// Running `Thread` objects by ident (owned references): CPython's `_active`.
static ACTIVE: Mutex<Vec<(u64, usize)>> = Mutex::new(Vec::new());

/// The `_MainThread` object (owned for the process).
static MAIN: OnceLock<usize> = OnceLock::new();

fn active() -> std::sync::MutexGuard<'static, Vec<(u64, usize)>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// A `Thread` state already started on thread `id` (the main and dummy threads).
fn running_state(name: &str, daemon: bool, id: u64) -> ThreadS {
    ThreadS {
        call: Mutex::new([0; 3]),
        name: Mutex::new(crate::unicodeobject::from_str(name) as usize),
        daemon: std::sync::atomic::AtomicBool::new(daemon),
        ran: std::sync::atomic::AtomicBool::new(false),
        st: Core::new(TState {
            start_called: true,
            started: true,
            done: false,
            ident: id,
            native_id: crate::pythread::PyThread_get_thread_native_id() as u64,
        }),
    }
}

/// A new object of type `t` (a Thread type) in state `s`, registered as running.
///
/// # Safety
/// `t` a Thread type; attached.
unsafe fn new_running(t: *mut PyTypeObject, s: ThreadS) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = boxed_new(t, null_mut(), null_mut());
        if op.is_null() {
            return op;
        }
        let id = s.st.lock().ident;
        set_inner(op, s);
        incref(op);
        active().push((id, op as usize));
        op
    }
}

/// When the thread that imported `threading` (the main thread here) has exited, the first
/// unknown thread asking takes its place (gilgate has no interpreter main thread of its own);
/// checked by whether its native id is still a task of this process.
fn adopt_main(me: u64, native: u64) -> Option<usize> {
    let &p = MAIN.get()?;
    // SAFETY: the process-lifetime main thread object.
    let s = unsafe { inner::<ThreadS>(p as *mut PyObject) }?;
    let mut g = s.st.lock();
    if std::path::Path::new(&format!("/proc/self/task/{}", g.native_id)).exists() {
        return None;
    }
    let old = g.ident;
    g.ident = me;
    g.native_id = native;
    drop(g);
    for e in active().iter_mut() {
        if e.1 == p && e.0 == old {
            e.0 = me;
        }
    }
    Some(p)
}

/// `current_thread()`: the running Thread object of this thread (a `_DummyThread` made and
/// registered for a thread `threading` did not start, as CPython does). New reference.
fn current() -> *mut PyObject {
    let me = ident();
    let native = crate::pythread::PyThread_get_thread_native_id() as u64;
    let found = active().iter().find(|(i, _)| *i == me).map(|&(_, p)| p);
    // pthread idents are reused once a thread exits: an entry whose native id differs belongs
    // to a thread that ended without `threading` seeing it (the main or a dummy thread)
    let found = found.filter(|&p| {
        // SAFETY: the registry's live Thread object.
        let Some(s) = (unsafe { inner::<ThreadS>(p as *mut PyObject) }) else {
            return false;
        };
        let mut g = s.st.lock();
        if g.native_id == native {
            return true;
        }
        if MAIN.get() == Some(&p) {
            // the thread that imported `threading` has exited: this one takes its place
            g.native_id = native;
            return true;
        }
        drop(g);
        let mut a = active();
        if let Some(i) = a.iter().position(|&(_, q)| q == p) {
            a.remove(i);
            drop(a);
            // SAFETY: the registry's reference.
            unsafe { decref(p as *mut PyObject) };
        }
        false
    });
    let found = found.or_else(|| adopt_main(me, native));
    if let Some(p) = found {
        let p = p as *mut PyObject;
        // SAFETY: the registry's live object.
        unsafe { incref(p) };
        return p;
    }
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    // SAFETY: the dummy type; attached (a method call).
    unsafe {
        new_running(
            &raw mut DummyThread_Type,
            running_state(&format!("Dummy-{n}"), true, me),
        )
    }
}

unsafe extern "C" fn thread_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> i32 {
    // SAFETY: slot contract.
    unsafe {
        let Some(v) = m_args(
            "Thread.__init__",
            args,
            kw,
            &[
                "group", "target", "name", "args", "kwargs", "daemon", "context",
            ],
            0,
        ) else {
            return -1;
        };
        let is_none = |o: *mut PyObject| o.is_null() || o == crate::object::none();
        if !is_none(v[0]) {
            raise(
                &raw mut crate::pyerrors::EXC_AssertionError,
                "group argument must be None for now",
            );
            return -1;
        }
        let target = if is_none(v[1]) { null_mut() } else { v[1] };
        let name = if !is_none(v[2]) {
            crate::object::str(v[2])
        } else {
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let mut s = format!("Thread-{n}");
            if !target.is_null() {
                match crate::abc::getattr_opt(target, "__name__") {
                    Err(()) => crate::pyerrors::clear_if(true),
                    Ok(Some(tn)) => {
                        if let Some(t) = crate::unicodeobject::as_str(tn.ptr()) {
                            s.push_str(&format!(" ({t})"));
                        }
                    }
                    Ok(None) => {}
                }
            }
            crate::unicodeobject::from_str(&s)
        };
        if name.is_null() {
            return -1;
        }
        let targs = if v[3].is_null() {
            crate::tupleobject::new_tuple(0)
        } else {
            incref(v[3]);
            v[3]
        };
        if targs.is_null() {
            decref(name);
            return -1;
        }
        let tkw = if is_none(v[4]) {
            null_mut()
        } else {
            incref(v[4]);
            v[4]
        };
        let daemon = if is_none(v[5]) {
            let c = current();
            let d = inner::<ThreadS>(c).is_some_and(|s| s.daemon.load(Ordering::SeqCst));
            decref(c);
            d
        } else {
            match truth(v[5]) {
                Ok(b) => b,
                Err(()) => {
                    decref(name);
                    decref(targs);
                    xdecref(tkw);
                    return -1;
                }
            }
        };
        crate::refcount::xincref(target);
        set_inner(
            op,
            ThreadS {
                call: Mutex::new([target as usize, targs as usize, tkw as usize]),
                name: Mutex::new(name as usize),
                daemon: std::sync::atomic::AtomicBool::new(daemon),
                ran: std::sync::atomic::AtomicBool::new(false),
                st: Core::new(TState::default()),
            },
        );
    }
    0
}

/// Runs `threading.excepthook(ExceptHookArgs(...))` for exception `e` raised in `thread`.
///
/// # Safety
/// Live objects; attached.
unsafe fn report(e: *mut PyObject, thread: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let t = crate::object::ty(e).cast::<PyObject>();
        let tb = crate::pyerrors::PyException_GetTraceback(e);
        let tb = if tb.is_null() {
            Obj::borrowed(crate::object::none())
        } else {
            Obj::new(tb)
        };
        let a = new_hook_args(&[t, e, tb.ptr(), thread]);
        if a.is_null() {
            crate::pyerrors::PyErr_WriteUnraisable(null_mut());
            return;
        }
        let hook = getattr(module(), "excepthook");
        let r = if hook.is_null() {
            hook
        } else {
            call(hook.ptr(), &[a.ptr()])
        };
        if r.is_null() {
            crate::pyerrors::PyErr_WriteUnraisable(null_mut());
        }
    }
}

unsafe extern "C" fn thread_start(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("Thread.start", null_mut(), || {
        // SAFETY: a method of Thread.
        unsafe {
            let Some(s) = inner::<ThreadS>(op) else {
                return raise(&raw mut EXC_RuntimeError, "thread.__init__() not called");
            };
            {
                let mut g = s.st.lock();
                if g.start_called {
                    return raise(
                        &raw mut EXC_RuntimeError,
                        "threads can only be started once",
                    );
                }
                g.start_called = true;
            }
            incref(op);
            let me = op as usize;
            let ok = crate::threadmodule::spawn(Box::new(move || {
                let op = me as *mut PyObject;
                // the reference handed over; the thread is attached
                thread_body(op);
            }));
            if !ok {
                s.st.lock().start_called = false;
                decref(op);
                return raise(&raw mut EXC_RuntimeError, "can't start new thread");
            }
            s.st.wait_for(None, |g| g.started);
            none()
        }
    })
}

/// The new thread's part of `start`: registers, runs `self.run()`, reports, unregisters.
///
/// # Safety
/// `op` an owned reference to a started Thread; attached.
unsafe fn thread_body(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(s) = inner::<ThreadS>(op) else {
            decref(op);
            return;
        };
        let id = ident();
        incref(op);
        active().push((id, op as usize));
        {
            let mut g = s.st.lock();
            g.ident = id;
            g.native_id = crate::pythread::PyThread_get_thread_native_id() as u64;
            g.started = true;
        }
        s.st.wake_all();
        let r = call_method(op, "run", &[]);
        if r.is_null() {
            let e = crate::pyerrors::PyErr_GetRaisedException();
            if !e.is_null() {
                if !crate::threadmodule::is_system_exit(e) {
                    report(e, op);
                }
                decref(e);
            }
        }
        drop(r);
        let mine = {
            let mut a = active();
            let i = a.iter().position(|&(t, p)| t == id && p == op as usize);
            i.map(|i| a.remove(i))
        };
        if mine.is_some() {
            decref(op);
        }
        s.st.lock().done = true;
        s.st.wake_all();
        decref(op);
    }
}

unsafe extern "C" fn thread_run(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("Thread.run", null_mut(), || {
        // SAFETY: a method of Thread.
        unsafe {
            let Some(s) = inner::<ThreadS>(op) else {
                return null_mut();
            };
            if s.ran.swap(true, Ordering::SeqCst) {
                // CPython's run deletes `_target`, `_args` and `_kwargs` when it ends
                let full = crate::object::type_name(crate::object::ty(op));
                let cls = full.rsplit('.').next().unwrap_or(&full).to_string();
                return raise(
                    &raw mut crate::pyerrors::EXC_AttributeError,
                    &format!("'{cls}' object has no attribute '_target'"),
                );
            }
            let [f, a, k] = std::mem::take(&mut *s.call.lock().unwrap_or_else(|e| e.into_inner()));
            let (f, a, k) = (f as *mut PyObject, a as *mut PyObject, k as *mut PyObject);
            let r = if f.is_null() {
                none()
            } else {
                let t = crate::abstract_::PySequence_Tuple(a);
                let r = if t.is_null() {
                    t
                } else {
                    let r = crate::abstract_::PyObject_Call(f, t, k);
                    decref(t);
                    r
                };
                if r.is_null() {
                    r
                } else {
                    decref(r);
                    none()
                }
            };
            xdecref(f);
            xdecref(a);
            xdecref(k);
            r
        }
    })
}

unsafe extern "C" fn thread_join(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("Thread.join", null_mut(), || {
        // SAFETY: a method of Thread: live arguments.
        unsafe {
            let Some(s) = inner::<ThreadS>(op) else {
                return raise(&raw mut EXC_RuntimeError, "Thread.__init__() not called");
            };
            let Some(v) = m_args("Thread.join", args, kw, &["timeout"], 0) else {
                return null_mut();
            };
            {
                let g = s.st.lock();
                if !g.start_called {
                    return raise(
                        &raw mut EXC_RuntimeError,
                        "cannot join thread before it is started",
                    );
                }
                if g.started && !g.done && g.ident == ident() {
                    return raise(&raw mut EXC_RuntimeError, "cannot join current thread");
                }
            }
            let Ok(d) = timeout_arg(v[0]) else {
                return null_mut();
            };
            s.st.wait_for(d, |g| g.done);
            none()
        }
    })
}

unsafe extern "C" fn thread_is_alive(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Thread.
    match unsafe { inner::<ThreadS>(op) } {
        Some(s) => {
            let g = s.st.lock();
            py_bool(g.started && !g.done)
        }
        None => null_mut(),
    }
}

unsafe extern "C" fn thread_get_name(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Thread.
    match unsafe { inner::<ThreadS>(op) } {
        Some(s) => {
            let n = *s.name.lock().unwrap_or_else(|e| e.into_inner()) as *mut PyObject;
            // SAFETY: the thread's live name.
            unsafe { incref(n) };
            n
        }
        None => null_mut(),
    }
}

unsafe extern "C" fn thread_set_name(op: *mut PyObject, v: *mut PyObject, _c: *mut c_void) -> i32 {
    // SAFETY: a setter of Thread; `v` live or NULL.
    unsafe {
        let Some(s) = inner::<ThreadS>(op) else {
            return -1;
        };
        if v.is_null() {
            raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                "cannot delete name",
            );
            return -1;
        }
        let n = crate::object::str(v);
        if n.is_null() {
            return -1;
        }
        let old = std::mem::replace(
            &mut *s.name.lock().unwrap_or_else(|e| e.into_inner()),
            n as usize,
        );
        xdecref(old as *mut PyObject);
    }
    0
}

unsafe extern "C" fn thread_get_daemon(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Thread.
    match unsafe { inner::<ThreadS>(op) } {
        Some(s) => py_bool(s.daemon.load(Ordering::SeqCst)),
        None => null_mut(),
    }
}

unsafe extern "C" fn thread_set_daemon(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> i32 {
    // SAFETY: a setter of Thread; `v` live or NULL.
    unsafe {
        let Some(s) = inner::<ThreadS>(op) else {
            raise(&raw mut EXC_RuntimeError, "Thread.__init__() not called");
            return -1;
        };
        if v.is_null() {
            raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                "cannot delete daemon",
            );
            return -1;
        }
        if s.st.lock().start_called {
            raise(
                &raw mut EXC_RuntimeError,
                "cannot set daemon status of active thread",
            );
            return -1;
        }
        match truth(v) {
            Ok(b) => s.daemon.store(b, Ordering::SeqCst),
            Err(()) => return -1,
        }
    }
    0
}

unsafe extern "C" fn thread_get_ident(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Thread.
    match unsafe { inner::<ThreadS>(op) } {
        Some(s) => {
            let g = s.st.lock();
            if g.started {
                crate::longobject::from_bigint(&num_bigint::BigInt::from(g.ident))
            } else {
                none()
            }
        }
        None => null_mut(),
    }
}

unsafe extern "C" fn thread_get_native_id(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of Thread.
    match unsafe { inner::<ThreadS>(op) } {
        Some(s) => {
            let g = s.st.lock();
            if g.started {
                crate::longobject::from_bigint(&num_bigint::BigInt::from(g.native_id))
            } else {
                none()
            }
        }
        None => null_mut(),
    }
}

unsafe extern "C" fn thread_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Thread.
    unsafe {
        let full = crate::object::type_name(crate::object::ty(op));
        let cls = full.rsplit('.').next().unwrap_or(&full).to_string();
        let p = (*op.cast::<Boxed<ThreadS>>()).inner;
        if p.is_null() {
            return crate::unicodeobject::from_str(&format!("<{cls}(uninitialized)>"));
        }
        let s = &*p;
        let n = *s.name.lock().unwrap_or_else(|e| e.into_inner()) as *mut PyObject;
        let name = crate::unicodeobject::as_str(n).unwrap_or("").to_string();
        let mut status = {
            let g = s.st.lock();
            let mut st = if g.done {
                "stopped"
            } else if g.started {
                "started"
            } else {
                "initial"
            }
            .to_string();
            if s.daemon.load(Ordering::SeqCst) {
                st.push_str(" daemon");
            }
            if g.started {
                st.push_str(&format!(" {}", g.ident));
            }
            st
        };
        status.shrink_to_fit();
        crate::unicodeobject::from_str(&format!("<{cls}({name}, {status})>"))
    }
}

static mut THREAD_METHODS: [PyMethodDef; 6] = [
    method(c"start", thread_start as *mut c_void, METH_NOARGS),
    method(c"run", thread_run as *mut c_void, METH_NOARGS),
    method(
        c"join",
        thread_join as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"is_alive", thread_is_alive as *mut c_void, METH_NOARGS),
    method(c"_stop", thread_is_alive as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut THREAD_GETSET: [crate::descrobject::PyGetSetDef; 6] = [
    crate::descrobject::PyGetSetDef {
        name: c"name".as_ptr(),
        get: Some(thread_get_name),
        set: Some(thread_set_name),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef {
        name: c"daemon".as_ptr(),
        get: Some(thread_get_daemon),
        set: Some(thread_set_daemon),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::longobject::getset(c"ident", Some(thread_get_ident)),
    crate::longobject::getset(c"native_id", Some(thread_get_native_id)),
    crate::descrobject::PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(crate::typeobject::PyObject_GenericGetDict),
        set: Some(crate::typeobject::PyObject_GenericSetDict),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

/// `threading.Thread`.
pub(crate) static mut Thread_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(boxed_new),
    tp_init: Some(thread_init),
    tp_dealloc: Some(boxed_dealloc::<ThreadS>),
    tp_repr: Some(thread_repr),
    tp_methods: (&raw mut THREAD_METHODS).cast(),
    tp_getset: (&raw mut THREAD_GETSET).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<ThreadS>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<ThreadS>, dict) as isize,
    ..static_type(
        c"threading.Thread",
        size_of::<Boxed<ThreadS>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// `threading._MainThread`.
pub(crate) static mut MainThread_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut Thread_Type,
    tp_repr: Some(thread_repr),
    tp_new: Some(boxed_new),
    tp_dealloc: Some(boxed_dealloc::<ThreadS>),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<ThreadS>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<ThreadS>, dict) as isize,
    ..static_type(
        c"threading._MainThread",
        size_of::<Boxed<ThreadS>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// `threading._DummyThread`.
pub(crate) static mut DummyThread_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut Thread_Type,
    tp_repr: Some(thread_repr),
    tp_new: Some(boxed_new),
    tp_dealloc: Some(boxed_dealloc::<ThreadS>),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<ThreadS>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<ThreadS>, dict) as isize,
    ..static_type(
        c"threading._DummyThread",
        size_of::<Boxed<ThreadS>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// `Timer(interval, function, args=None, kwargs=None)`: a Thread whose attributes are
/// `interval`, `function`, `args`, `kwargs` and `finished` (an Event), as CPython's.
unsafe extern "C" fn timer_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> i32 {
    // SAFETY: slot contract.
    unsafe {
        let Some(v) = m_args(
            "Timer.__init__",
            args,
            kw,
            &["interval", "function", "args", "kwargs"],
            2,
        ) else {
            return -1;
        };
        let empty = crate::tupleobject::new_tuple(0);
        let r = thread_init(op, empty, null_mut());
        decref(empty);
        if r < 0 {
            return -1;
        }
        let is_none = |o: *mut PyObject| o.is_null() || o == crate::object::none();
        let a = if is_none(v[2]) {
            Obj::new(crate::listobject::PyList_New(0))
        } else {
            Obj::borrowed(v[2])
        };
        let k = if is_none(v[3]) {
            Obj::new(crate::dictobject::new_dict())
        } else {
            Obj::borrowed(v[3])
        };
        let ev = Obj::new(crate::abstract_::PyObject_CallNoArgs(
            (&raw mut Event_Type).cast(),
        ));
        if a.is_null() || k.is_null() || ev.is_null() {
            return -1;
        }
        for (n, x) in [
            ("interval", v[0]),
            ("function", v[1]),
            ("args", a.ptr()),
            ("kwargs", k.ptr()),
            ("finished", ev.ptr()),
        ] {
            if crate::object::setattr(op, crate::unicodeobject::intern(n), x) < 0 {
                return -1;
            }
        }
    }
    0
}

unsafe extern "C" fn timer_cancel(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Timer.
    unsafe {
        let f = getattr(op, "finished");
        if f.is_null() {
            return null_mut();
        }
        call_method(f.ptr(), "set", &[]).into_raw()
    }
}

unsafe extern "C" fn timer_run(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Timer.
    unsafe {
        let f = getattr(op, "finished");
        let i = getattr(op, "interval");
        if f.is_null() || i.is_null() {
            return null_mut();
        }
        if call_method(f.ptr(), "wait", &[i.ptr()]).is_null() {
            return null_mut();
        }
        let set = call_method(f.ptr(), "is_set", &[]);
        if set.is_null() {
            return null_mut();
        }
        match truth(set.ptr()) {
            Err(()) => return null_mut(),
            Ok(true) => {}
            Ok(false) => {
                let func = getattr(op, "function");
                let a = getattr(op, "args");
                let k = getattr(op, "kwargs");
                if func.is_null() || a.is_null() || k.is_null() {
                    return null_mut();
                }
                let t = Obj::new(crate::abstract_::PySequence_Tuple(a.ptr()));
                if t.is_null() {
                    return null_mut();
                }
                let r = Obj::new(crate::abstract_::PyObject_Call(
                    func.ptr(),
                    t.ptr(),
                    k.ptr(),
                ));
                if r.is_null() {
                    return null_mut();
                }
            }
        }
        call_method(f.ptr(), "set", &[]).into_raw()
    }
}

static mut TIMER_METHODS: [PyMethodDef; 3] = [
    method(c"cancel", timer_cancel as *mut c_void, METH_NOARGS),
    method(c"run", timer_run as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

/// `threading.Timer`.
pub(crate) static mut Timer_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut Thread_Type,
    tp_repr: Some(thread_repr),
    tp_new: Some(boxed_new),
    tp_init: Some(timer_init),
    tp_dealloc: Some(boxed_dealloc::<ThreadS>),
    tp_methods: (&raw mut TIMER_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<ThreadS>, weakreflist) as isize,
    tp_dictoffset: std::mem::offset_of!(Boxed<ThreadS>, dict) as isize,
    ..static_type(
        c"threading.Timer",
        size_of::<Boxed<ThreadS>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

// ---- _thread._local -------------------------------------------------------------------------

/// Each thread's attribute dict (owned), by ident. A thread's dict stays until the object dies
/// (CPython drops it when the thread ends).
struct LocalS {
    dicts: Mutex<HashMap<u64, usize>>,
}
impl Release for LocalS {
    fn release(&mut self) {
        let d = std::mem::take(&mut *self.dicts.lock().unwrap_or_else(|e| e.into_inner()));
        for (_, p) in d {
            // SAFETY: the object's own references.
            unsafe { decref(p as *mut PyObject) };
        }
    }
}

unsafe extern "C" fn local_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let n = crate::tupleobject::items(args).len()
            + if kw.is_null() {
                0
            } else {
                crate::dictobject::entries(kw).len()
            };
        if n > 0 && t == &raw mut Local_Type {
            return raise(
                &raw mut EXC_TypeError,
                "Initialization arguments are not supported",
            );
        }
        let op = boxed_new(t, null_mut(), null_mut());
        if !op.is_null() {
            set_inner(
                op,
                LocalS {
                    dicts: Mutex::new(HashMap::new()),
                },
            );
        }
        op
    }
}

/// This thread's dict of a local (borrowed; made on first use). NULL with an error.
///
/// # Safety
/// `op` a live local.
unsafe fn local_dict(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let Some(l) = (unsafe { inner::<LocalS>(op) }) else {
        return null_mut();
    };
    let mut m = l.dicts.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&d) = m.get(&ident()) {
        return d as *mut PyObject;
    }
    let d = crate::dictobject::new_dict();
    if !d.is_null() {
        m.insert(ident(), d as usize);
    }
    d
}

unsafe extern "C" fn local_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract: live objects.
    unsafe {
        let d = local_dict(op);
        if d.is_null() {
            return null_mut();
        }
        if crate::unicodeobject::as_str(name) == Some("__dict__") {
            incref(d);
            return d;
        }
        // a data descriptor of the type first, then the thread's dict, then the rest
        let descr = crate::object::type_lookup(crate::object::ty(op), name);
        if descr.is_null() || (*crate::object::ty(descr)).tp_descr_set.is_none() {
            let v = crate::dictobject::PyDict_GetItemWithError(d, name);
            if !v.is_null() {
                incref(v);
                return v;
            }
            if !crate::pyerrors::PyErr_Occurred().is_null() {
                return null_mut();
            }
        }
        crate::object::PyObject_GenericGetAttr(op, name)
    }
}

unsafe extern "C" fn local_setattro(
    op: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) -> i32 {
    // SAFETY: slot contract: live objects (`v` NULL: delete).
    unsafe {
        let d = local_dict(op);
        if d.is_null() {
            return -1;
        }
        if crate::unicodeobject::as_str(name) == Some("__dict__") {
            let t = crate::object::type_name(crate::object::ty(op));
            raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                &format!("'{t}' object attribute '__dict__' is read-only"),
            );
            return -1;
        }
        if v.is_null() {
            if crate::dictobject::PyDict_DelItem(d, name) < 0 {
                if crate::pyerrors::matches_current((&raw mut crate::pyerrors::EXC_KeyError).cast())
                {
                    crate::pyerrors::clear_if(true);
                    crate::object::no_attribute(op, name);
                }
                return -1;
            }
            return 0;
        }
        crate::dictobject::PyDict_SetItem(d, name, v)
    }
}

/// `_thread._local` (`threading.local`).
pub(crate) static mut Local_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(local_new),
    tp_dealloc: Some(boxed_dealloc::<LocalS>),
    tp_getattro: Some(local_getattro),
    tp_setattro: Some(local_setattro),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<LocalS>, weakreflist) as isize,
    ..static_type(
        c"_thread._local",
        size_of::<Boxed<LocalS>>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

// ---- _thread._ThreadHandle, start_joinable_thread -------------------------------------------

struct HandleS {
    st: std::sync::Arc<Core<TState>>,
}
impl Release for HandleS {}

unsafe extern "C" fn handle_join(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("_ThreadHandle.join", null_mut(), || {
        // SAFETY: a method of _ThreadHandle: live arguments.
        unsafe {
            let Some(h) = inner::<HandleS>(op) else {
                return null_mut();
            };
            let Some(v) = py_args("join", args, kw, &["timeout"], 0) else {
                return null_mut();
            };
            {
                let g = h.st.lock();
                if g.started && !g.done && g.ident == ident() {
                    return raise(&raw mut EXC_RuntimeError, "Cannot join current thread");
                }
            }
            let Ok(d) = timeout_arg(v[0]) else {
                return null_mut();
            };
            h.st.wait_for(d, |g| g.done);
            none()
        }
    })
}

unsafe extern "C" fn handle_is_done(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of _ThreadHandle.
    match unsafe { inner::<HandleS>(op) } {
        Some(h) => py_bool(h.st.lock().done),
        None => null_mut(),
    }
}

unsafe extern "C" fn handle_set_done(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of _ThreadHandle.
    let Some(h) = (unsafe { inner::<HandleS>(op) }) else {
        return null_mut();
    };
    h.st.lock().done = true;
    h.st.wake_all();
    none()
}

unsafe extern "C" fn handle_ident(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a getter of _ThreadHandle.
    match unsafe { inner::<HandleS>(op) } {
        Some(h) => crate::longobject::from_bigint(&num_bigint::BigInt::from(h.st.lock().ident)),
        None => null_mut(),
    }
}

unsafe extern "C" fn handle_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live handle.
    unsafe {
        let p = (*op.cast::<Boxed<HandleS>>()).inner;
        let id = if p.is_null() { 0 } else { (*p).st.lock().ident };
        crate::unicodeobject::from_str(&format!("<_thread._ThreadHandle object: ident={id}>"))
    }
}

static mut HANDLE_METHODS: [PyMethodDef; 4] = [
    method(
        c"join",
        handle_join as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"is_done", handle_is_done as *mut c_void, METH_NOARGS),
    method(c"_set_done", handle_set_done as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut HANDLE_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::longobject::getset(c"ident", Some(handle_ident)),
    crate::descrobject::PyGetSetDef::END,
];

/// `_thread._ThreadHandle`.
pub(crate) static mut Handle_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(boxed_new),
    tp_dealloc: Some(boxed_dealloc::<HandleS>),
    tp_repr: Some(handle_repr),
    tp_methods: (&raw mut HANDLE_METHODS).cast(),
    tp_getset: (&raw mut HANDLE_GETSET).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Boxed<HandleS>, weakreflist) as isize,
    ..static_type(c"_thread._ThreadHandle", size_of::<Boxed<HandleS>>(), 0, 0)
};

/// `_thread.start_joinable_thread(function, handle=None, daemon=True)`.
pub(crate) unsafe extern "C" fn start_joinable_thread(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("_thread.start_joinable_thread", null_mut(), || {
        // SAFETY: live arguments.
        unsafe {
            let Some(v) = py_args(
                "start_joinable_thread",
                args,
                kw,
                &["function", "handle", "daemon"],
                1,
            ) else {
                return null_mut();
            };
            if crate::abstract_::PyCallable_Check(v[0]) == 0 {
                return raise(&raw mut EXC_TypeError, "thread function must be callable");
            }
            let h = if v[1].is_null() || v[1] == crate::object::none() {
                let h = boxed_new(&raw mut Handle_Type, null_mut(), null_mut());
                if h.is_null() {
                    return h;
                }
                set_inner(
                    h,
                    HandleS {
                        st: std::sync::Arc::new(Core::new(TState::default())),
                    },
                );
                h
            } else {
                if !crate::object::type_check(v[1], &raw mut Handle_Type) {
                    return raise(&raw mut EXC_TypeError, "'handle' must be a _ThreadHandle");
                }
                incref(v[1]);
                v[1]
            };
            let Some(hs) = inner::<HandleS>(h) else {
                decref(h);
                return null_mut();
            };
            {
                let mut g = hs.st.lock();
                if g.start_called {
                    decref(h);
                    return raise(&raw mut EXC_RuntimeError, "thread already started");
                }
                g.start_called = true;
            }
            let st = hs.st.clone();
            incref(v[0]);
            let f = v[0] as usize;
            let ok = crate::threadmodule::spawn(Box::new(move || {
                {
                    let mut g = st.lock();
                    g.ident = ident();
                    g.native_id = crate::pythread::PyThread_get_thread_native_id() as u64;
                    g.started = true;
                }
                st.wake_all();
                let f = f as *mut PyObject;
                // the reference handed over; the thread is attached
                let r = call(f, &[]);
                if r.is_null() {
                    let e = crate::pyerrors::PyErr_GetRaisedException();
                    if !e.is_null() && !crate::threadmodule::is_system_exit(e) {
                        crate::threadmodule::report_unraisable(f, e);
                    } else {
                        xdecref(e);
                    }
                }
                drop(r);
                decref(f);
                st.lock().done = true;
                st.wake_all();
            }));
            if !ok {
                decref(v[0]);
                decref(h);
                return raise(&raw mut EXC_RuntimeError, "can't start new thread");
            }
            hs.st.wait_for(None, |g| g.started);
            h
        }
    })
}

// ---- ExceptHookArgs, excepthook -------------------------------------------------------------

static HOOK_ARGS: OnceLock<usize> = OnceLock::new();

static mut HOOK_FIELDS: [crate::structseq::PyStructSequence_Field; 5] = [
    crate::structseq::PyStructSequence_Field {
        name: c"exc_type".as_ptr(),
        doc: c"Exception type".as_ptr(),
    },
    crate::structseq::PyStructSequence_Field {
        name: c"exc_value".as_ptr(),
        doc: c"Exception value".as_ptr(),
    },
    crate::structseq::PyStructSequence_Field {
        name: c"exc_traceback".as_ptr(),
        doc: c"Exception traceback".as_ptr(),
    },
    crate::structseq::PyStructSequence_Field {
        name: c"thread".as_ptr(),
        doc: c"Thread".as_ptr(),
    },
    crate::structseq::PyStructSequence_Field {
        name: std::ptr::null(),
        doc: std::ptr::null(),
    },
];

static mut HOOK_DESC: crate::structseq::PyStructSequence_Desc =
    crate::structseq::PyStructSequence_Desc {
        name: c"_thread._ExceptHookArgs".as_ptr(),
        doc: c"ExceptHookArgs\n\nType used to pass arguments to threading.excepthook.".as_ptr(),
        fields: &raw mut HOOK_FIELDS as *mut crate::structseq::PyStructSequence_Field,
        n_in_sequence: 4,
    };

/// `_thread._ExceptHookArgs` (a struct sequence type), borrowed.
pub(crate) fn except_hook_args_type() -> *mut PyObject {
    *HOOK_ARGS.get_or_init(|| {
        // SAFETY: a static description.
        unsafe { crate::structseq::PyStructSequence_NewType(&raw mut HOOK_DESC) as usize }
    }) as *mut PyObject
}

/// A new `_ExceptHookArgs` of four borrowed values.
///
/// # Safety
/// Live values.
unsafe fn new_hook_args(v: &[*mut PyObject; 4]) -> Obj {
    let t = except_hook_args_type();
    if t.is_null() {
        return Obj::new(null_mut());
    }
    let o = crate::structseq::new_instance(t.cast());
    if o.is_null() {
        return Obj::new(o);
    }
    for (i, &x) in v.iter().enumerate() {
        // SAFETY: a new struct sequence of 4 fields; live values.
        unsafe {
            incref(x);
            crate::structseq::PyStructSequence_SetItem(o, i as isize, x);
        }
    }
    Obj::new(o)
}

/// `_thread._excepthook(args)` (`threading.excepthook`): prints `Exception in thread NAME:`
/// and the exception to `sys.stderr`, nothing for `SystemExit`.
pub(crate) unsafe extern "C" fn excepthook(
    _m: *mut PyObject,
    args: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("_thread._excepthook", null_mut(), || {
        // SAFETY: METH_O: a live argument.
        unsafe {
            let t = except_hook_args_type();
            if t.is_null() {
                return null_mut();
            }
            if crate::object::ty(args) != t.cast() {
                return raise(
                    &raw mut EXC_TypeError,
                    "_thread.excepthook argument type must be ExceptHookArgs",
                );
            }
            let item = |i: isize| crate::structseq::PyStructSequence_GetItem(args, i);
            let (et, ev, tb, th) = (item(0), item(1), item(2), item(3));
            if et == (&raw mut crate::pyerrors::EXC_SystemExit).cast() {
                return none();
            }
            let file = crate::sysmodule::get("stderr");
            if file.is_null() || file == crate::object::none() {
                return none();
            }
            let name = if th != crate::object::none() {
                let n = getattr(th, "name");
                if n.is_null() {
                    crate::pyerrors::clear_if(true);
                    None
                } else {
                    crate::unicodeobject::as_str(n.ptr()).map(str::to_string)
                }
            } else {
                None
            };
            let name = name.unwrap_or_else(|| ident().to_string());
            let mut text = format!("Exception in thread {name}:\n");
            if tb != crate::object::none() {
                text.push_str("Traceback (most recent call last):\n");
            }
            text.push_str(&value_line(et, ev));
            let w = Obj::new(crate::unicodeobject::from_str(&text));
            if call_method(file, "write", &[w.ptr()]).is_null() {
                return null_mut();
            }
            let fl = call_method(file, "flush", &[]);
            if fl.is_null() {
                crate::pyerrors::clear_if(true);
            }
            none()
        }
    })
}

/// `Type: message\n` for an exception type and value, as CPython prints an exception's last
/// line (the module before the qualified name unless it is `builtins` or `__main__`).
///
/// # Safety
/// Live objects; attached.
unsafe fn value_line(et: *mut PyObject, ev: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        let ty_name = if crate::object::is_type(et) {
            let tt = et.cast::<PyTypeObject>();
            let m = crate::object::type_module_name(tt);
            let q = crate::object::type_qualname(tt);
            if m == "builtins" || m == "__main__" {
                q
            } else {
                format!("{m}.{q}")
            }
        } else {
            "<unknown>".to_string()
        };
        let s = Obj::new(crate::object::str(ev));
        let msg = if s.is_null() {
            crate::pyerrors::clear_if(true);
            "<exception str() failed>".to_string()
        } else {
            crate::unicodeobject::as_str(s.ptr())
                .unwrap_or("")
                .to_string()
        };
        if msg.is_empty() {
            format!("{ty_name}\n")
        } else {
            format!("{ty_name}: {msg}\n")
        }
    }
}

/// The last line of exception `e`'s report (`Type: message\n`).
///
/// # Safety
/// `e` a live exception; attached.
pub(crate) unsafe fn exception_line(e: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe { value_line(crate::object::ty(e).cast(), e) }
}

// ---- module functions -----------------------------------------------------------------------

/// The trace and profile functions (`settrace`, `setprofile`): stored and returned only.
static TRACE: AtomicUsize = AtomicUsize::new(0);
static PROFILE: AtomicUsize = AtomicUsize::new(0);

fn store_hook(slot: &AtomicUsize, f: *mut PyObject) -> *mut PyObject {
    let f = if f == crate::object::none() {
        null_mut()
    } else {
        f
    };
    // SAFETY: a live argument (or NULL).
    unsafe { crate::refcount::xincref(f) };
    let old = slot.swap(f as usize, Ordering::SeqCst) as *mut PyObject;
    // SAFETY: the slot's reference.
    unsafe { xdecref(old) };
    none()
}

fn load_hook(slot: &AtomicUsize) -> *mut PyObject {
    let f = slot.load(Ordering::SeqCst) as *mut PyObject;
    if f.is_null() {
        none()
    } else {
        // SAFETY: the slot keeps it alive (replacement races are the caller's, as in CPython).
        unsafe { incref(f) };
        f
    }
}

unsafe extern "C" fn t_settrace(_m: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    store_hook(&TRACE, f)
}
unsafe extern "C" fn t_setprofile(_m: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    store_hook(&PROFILE, f)
}
unsafe extern "C" fn t_gettrace(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    load_hook(&TRACE)
}
unsafe extern "C" fn t_getprofile(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    load_hook(&PROFILE)
}

unsafe extern "C" fn t_current_thread(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    current()
}

unsafe extern "C" fn t_main_thread(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    let m = MAIN.get().copied().unwrap_or(0) as *mut PyObject;
    if m.is_null() {
        return none();
    }
    // SAFETY: the process-lifetime main thread object.
    unsafe { incref(m) };
    m
}

unsafe extern "C" fn t_active_count(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i64(active().len() as i64)
}

unsafe extern "C" fn t_enumerate(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    let items: Vec<usize> = active().iter().map(|&(_, p)| p).collect();
    let l = crate::listobject::PyList_New(0);
    if l.is_null() {
        return l;
    }
    for p in items {
        // SAFETY: a fresh list; registry objects stay alive while their thread runs (a
        // finished thread's object may still be held by the caller of enumerate: the list
        // takes its own reference).
        if unsafe { crate::listobject::PyList_Append(l, p as *mut PyObject) } < 0 {
            // SAFETY: our list.
            unsafe { decref(l) };
            return null_mut();
        }
    }
    l
}

unsafe extern "C" fn t_rlock(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live arguments; the RLock type.
    unsafe {
        crate::abstract_::PyObject_Call((&raw mut crate::threadmodule::RLock_Type).cast(), args, kw)
    }
}

static mut FUNCTIONS: [PyMethodDef; 14] = [
    method(c"settrace", t_settrace as *mut c_void, METH_O),
    method(c"setprofile", t_setprofile as *mut c_void, METH_O),
    method(c"settrace_all_threads", t_settrace as *mut c_void, METH_O),
    method(
        c"setprofile_all_threads",
        t_setprofile as *mut c_void,
        METH_O,
    ),
    method(c"gettrace", t_gettrace as *mut c_void, METH_NOARGS),
    method(c"getprofile", t_getprofile as *mut c_void, METH_NOARGS),
    method(
        c"current_thread",
        t_current_thread as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"currentThread",
        t_current_thread as *mut c_void,
        METH_NOARGS,
    ),
    method(c"main_thread", t_main_thread as *mut c_void, METH_NOARGS),
    method(c"active_count", t_active_count as *mut c_void, METH_NOARGS),
    method(c"activeCount", t_active_count as *mut c_void, METH_NOARGS),
    method(c"enumerate", t_enumerate as *mut c_void, METH_NOARGS),
    method(
        c"RLock",
        t_rlock as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

/// The `threading` module (borrowed, process lifetime; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "threading", build)
}

fn build() -> *mut PyObject {
    let th = crate::threadmodule::module();
    if th.is_null() {
        return null_mut();
    }
    let name = crate::unicodeobject::intern("threading");
    // SAFETY: `name` a live str; static tables; every value put in is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let td = (*th.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        for (ours, theirs) in [
            ("get_ident", "get_ident"),
            ("get_native_id", "get_native_id"),
            ("stack_size", "stack_size"),
            ("TIMEOUT_MAX", "TIMEOUT_MAX"),
            ("ThreadError", "error"),
            ("Lock", "lock"),
            ("_CRLock", "RLock"),
            ("local", "_local"),
            ("excepthook", "_excepthook"),
            ("__excepthook__", "_excepthook"),
            ("ExceptHookArgs", "_ExceptHookArgs"),
            ("_start_joinable_thread", "start_joinable_thread"),
            ("_ThreadHandle", "_ThreadHandle"),
        ] {
            let v = crate::dictobject::get_str(td, theirs);
            if v.is_null() {
                decref(m);
                return null_mut();
            }
            crate::dictobject::set_item_str(d, ours, v);
        }
        let types: [(&str, *mut PyTypeObject); 10] = [
            ("Event", &raw mut Event_Type),
            ("Semaphore", &raw mut Semaphore_Type),
            ("BoundedSemaphore", &raw mut BoundedSemaphore_Type),
            ("Condition", &raw mut Condition_Type),
            ("Barrier", &raw mut Barrier_Type),
            ("Thread", &raw mut Thread_Type),
            ("Timer", &raw mut Timer_Type),
            ("_MainThread", &raw mut MainThread_Type),
            ("_DummyThread", &raw mut DummyThread_Type),
            ("_RLock", &raw mut crate::threadmodule::RLock_Type),
        ];
        for (n, t) in types {
            crate::dictobject::set_item_str(d, n, t.cast());
        }
        let bbe = broken_barrier_error();
        if bbe.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "BrokenBarrierError", bbe);
        let all = [
            "get_ident",
            "active_count",
            "Condition",
            "current_thread",
            "enumerate",
            "main_thread",
            "TIMEOUT_MAX",
            "Event",
            "Lock",
            "RLock",
            "Semaphore",
            "BoundedSemaphore",
            "Thread",
            "Barrier",
            "BrokenBarrierError",
            "Timer",
            "ThreadError",
            "setprofile",
            "settrace",
            "local",
            "stack_size",
            "excepthook",
            "ExceptHookArgs",
            "gettrace",
            "getprofile",
            "setprofile_all_threads",
            "settrace_all_threads",
            "get_native_id",
        ];
        let l = crate::listobject::PyList_New(0);
        for n in all {
            let s = crate::unicodeobject::from_str(n);
            crate::listobject::PyList_Append(l, s);
            decref(s);
        }
        crate::dictobject::set_item_str(d, "__all__", l);
        decref(l);
        // the thread that imports threading first is its main thread, as in CPython
        let main = new_running(
            &raw mut MainThread_Type,
            running_state("MainThread", false, ident()),
        );
        if main.is_null() {
            decref(m);
            return null_mut();
        }
        let _ = MAIN.set(main as usize);
        m
    }
}

/// The types start-up readies (listed in `config::INITTAB`), bases first.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut Event_Type,
        &raw mut Semaphore_Type,
        &raw mut BoundedSemaphore_Type,
        &raw mut Condition_Type,
        &raw mut Barrier_Type,
        &raw mut Thread_Type,
        &raw mut MainThread_Type,
        &raw mut DummyThread_Type,
        &raw mut Timer_Type,
        &raw mut Local_Type,
        &raw mut Handle_Type,
    ]
}
