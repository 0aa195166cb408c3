//! `_thread` (CPython's `Modules/_threadmodule.c`): the lock and reentrant lock types, thread
//! identities, starting threads and the counters `threading` builds on.
//!
//! Every lock is a [`Core`]: a small state under a std mutex with a condition variable. A
//! thread that has to wait detaches first (`ceval::detach`, the project's rule: a waiting
//! thread holds neither the lock nor its critical sections) and re-attaches after. The lock
//! objects only hold a pointer to their core, so the cores are shared freely between threads.
//! A new thread (`start_new_thread`) gets its own thread state through `PyGILState_Ensure`
//! and drops it when the function returns.

use crate::importlib::py_args;
use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_NOARGS, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_OverflowError, EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{decref, incref};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// `_thread.TIMEOUT_MAX` on 64-bit Linux (CPython's `PY_TIMEOUT_MAX` in seconds).
pub(crate) const TIMEOUT_MAX: f64 = 9223372036.0;

/// A state `S` under a mutex, with a condition variable for the threads waiting on it.
pub(crate) struct Core<S> {
    st: Mutex<S>,
    cv: Condvar,
}

impl<S> Core<S> {
    pub(crate) fn new(s: S) -> Core<S> {
        Core {
            st: Mutex::new(s),
            cv: Condvar::new(),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, S> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes every waiter (they re-check their condition).
    pub(crate) fn wake_all(&self) {
        self.cv.notify_all();
    }

    /// Runs `take` on the state until it returns true or `deadline` passes (`None`: never).
    /// Waits detached. True when `take` succeeded.
    pub(crate) fn wait_for(
        &self,
        deadline: Option<Instant>,
        mut take: impl FnMut(&mut S) -> bool,
    ) -> bool {
        {
            let mut g = self.lock();
            if take(&mut g) {
                return true;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return false;
            }
        }
        // every wait in the runtime detaches
        let ts = crate::ceval::detach();
        let mut ok = false;
        {
            let mut g = self.lock();
            loop {
                if take(&mut g) {
                    ok = true;
                    break;
                }
                match deadline {
                    None => g = self.cv.wait(g).unwrap_or_else(|e| e.into_inner()),
                    Some(d) => {
                        let now = Instant::now();
                        if now >= d {
                            break;
                        }
                        g = self
                            .cv
                            .wait_timeout(g, d - now)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                }
            }
        }
        crate::ceval::attach(ts);
        ok
    }
}

/// The identity `get_ident` gives (the pthread handle, as CPython's).
pub(crate) fn ident() -> u64 {
    crate::pythread::PyThread_get_thread_ident() as u64
}

/// A lock's state: for a plain lock only `count` (0 or 1) is used; an `RLock` has its owner.
#[derive(Default)]
pub(crate) struct LockState {
    pub(crate) owner: u64,
    pub(crate) count: usize,
}

pub(crate) type LockCore = Core<LockState>;

/// A `_thread.lock` or `_thread.RLock` object.
#[repr(C)]
pub(crate) struct LockObject {
    ob_base: PyObject,
    core: *const LockCore,
    weakreflist: *mut PyObject,
}

/// # Safety
/// `op` must be a live lock or RLock.
pub(crate) unsafe fn core<'a>(op: *mut PyObject) -> &'a LockCore {
    // SAFETY: forwarded contract: the core lives as long as the object.
    unsafe { &*(*op.cast::<LockObject>()).core }
}

/// Converts a timeout object to seconds as CPython's `_PyTime_FromSecondsObject` reads it.
/// None with the error set.
///
/// # Safety
/// `o` must be a live object.
pub(crate) unsafe fn seconds(o: *mut PyObject) -> Option<f64> {
    // SAFETY: a live object (caller).
    unsafe {
        if crate::floatobject::is_float(o) {
            let v = crate::floatobject::PyFloat_AsDouble(o);
            if v.is_nan() {
                raise(&raw mut EXC_ValueError, "Invalid value NaN (not a number)");
                return None;
            }
            return in_range(v);
        }
        if crate::longobject::is_int(o) {
            return in_range(crate::longobject::to_f64(o).ok()?);
        }
        let t = crate::object::tname(o);
        raise(
            &raw mut EXC_TypeError,
            &format!("'{t}' object cannot be interpreted as an integer or float"),
        );
        None
    }
}

/// `v` seconds if they fit CPython's `PyTime_t` (signed 64-bit nanoseconds).
fn in_range(v: f64) -> Option<f64> {
    if (v * 1e9).abs() >= 9.223_372_036_854_776e18 {
        raise(
            &raw mut EXC_OverflowError,
            "timestamp out of range for C PyTime_t",
        );
        None
    } else {
        Some(v)
    }
}

/// The deadline of a timeout in seconds (negative: none).
pub(crate) fn deadline(timeout: f64) -> Option<Instant> {
    if timeout < 0.0 {
        None
    } else {
        Some(Instant::now() + Duration::from_secs_f64(timeout.min(TIMEOUT_MAX)))
    }
}

/// `acquire(blocking=True, timeout=-1)`'s arguments, with CPython's checks: the deadline
/// (`Ok(None)`: wait forever) or `Err(true)` for a non-blocking try, `Err(false)` with the
/// error set.
///
/// # Safety
/// `args` a tuple, `kw` NULL or a dict.
unsafe fn acquire_args(args: *mut PyObject, kw: *mut PyObject) -> Result<Option<Instant>, bool> {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let kwp = if kw.is_null() {
            Vec::new()
        } else {
            crate::dictobject::entries(kw)
        };
        if pos.len() + kwp.len() > 2 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "acquire() takes at most 2 arguments ({} given)",
                    pos.len() + kwp.len()
                ),
            );
            return Err(false);
        }
        let mut v = [null_mut(); 2];
        v[..pos.len()].copy_from_slice(pos);
        for (k, x) in kwp {
            let name = crate::unicodeobject::as_str(k).unwrap_or("");
            let i = match name {
                "blocking" => 0,
                "timeout" => 1,
                _ => {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("acquire() got an unexpected keyword argument '{name}'"),
                    );
                    return Err(false);
                }
            };
            if !v[i].is_null() {
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "argument for acquire() given by name ('{name}') and position ({})",
                        i + 1
                    ),
                );
                return Err(false);
            }
            v[i] = x;
        }
        let blocking = if v[0].is_null() {
            true
        } else {
            match crate::abc::truth(v[0]) {
                Ok(b) => b,
                Err(()) => return Err(false),
            }
        };
        let timeout = if v[1].is_null() {
            -1.0
        } else {
            match seconds(v[1]) {
                Some(t) => t,
                None => return Err(false),
            }
        };
        if !blocking && timeout != -1.0 {
            raise(
                &raw mut EXC_ValueError,
                "can't specify a timeout for a non-blocking call",
            );
            return Err(false);
        }
        if timeout < 0.0 && timeout != -1.0 {
            raise(
                &raw mut EXC_ValueError,
                "timeout value must be a non-negative number",
            );
            return Err(false);
        }
        if !blocking {
            return Err(true);
        }
        if timeout > TIMEOUT_MAX {
            raise(&raw mut EXC_OverflowError, "timeout value is too large");
            return Err(false);
        }
        Ok(deadline(timeout))
    }
}

/// Takes `c` as a plain lock until `deadline` (`Some(now)`: a try).
pub(crate) fn lock_take(c: &LockCore, deadline: Option<Instant>) -> bool {
    c.wait_for(deadline, |s| {
        if s.count == 0 {
            s.count = 1;
            true
        } else {
            false
        }
    })
}

/// Takes `c` as a reentrant lock for this thread.
pub(crate) fn rlock_take(c: &LockCore, deadline: Option<Instant>) -> bool {
    let me = ident();
    c.wait_for(deadline, |s| {
        if s.count == 0 || s.owner == me {
            s.owner = me;
            s.count += 1;
            true
        } else {
            false
        }
    })
}

unsafe extern "C" fn lock_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: `args` a tuple, `kw` NULL or a dict.
    unsafe {
        let n = crate::tupleobject::items(args).len();
        let k = if kw.is_null() {
            0
        } else {
            crate::dictobject::entries(kw).len()
        };
        // RLock ignores its arguments, as CPython's does
        if n + k > 0 && t == &raw mut Lock_Type {
            raise(
                &raw mut EXC_TypeError,
                &format!("lock expected 0 arguments, got {}", n + k),
            );
            return null_mut();
        }
        new_lock(t)
    }
}

/// A new unlocked lock of type `t`.
///
/// # Safety
/// `t` must be `LockType`, `RLock_Type` or a subtype.
pub(crate) unsafe fn new_lock(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let l = op.cast::<LockObject>();
        (*l).core = Box::into_raw(Box::new(Core::new(LockState::default())));
        (*l).weakreflist = null_mut();
        op
    }
}

unsafe extern "C" fn lock_dealloc(op: *mut PyObject) {
    // SAFETY: a dead lock object (slot contract); its core came from Box::into_raw.
    unsafe {
        let l = op.cast::<LockObject>();
        if !(*l).weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        if !(*l).core.is_null() {
            drop(Box::from_raw((*l).core.cast_mut()));
            (*l).core = std::ptr::null();
        }
        crate::objimpl::default_dealloc(op);
    }
}

fn acquired(ok: bool) -> *mut PyObject {
    crate::boolobject::from_bool(ok)
}

/// `acquire(blocking=True, timeout=-1)` of a lock or RLock object: `take` waits until the
/// deadline the arguments give (a non-blocking try is a deadline of now).
///
/// # Safety
/// `op` a lock or RLock object, `args` a tuple, `kw` NULL or a dict.
unsafe fn acquire_with(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
    take: fn(&LockCore, Option<Instant>) -> bool,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let c = core(op);
        match acquire_args(args, kw) {
            Ok(d) => acquired(take(c, d)),
            Err(true) => acquired(take(c, Some(Instant::now()))),
            Err(false) => null_mut(),
        }
    }
}

unsafe extern "C" fn lock_acquire(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("lock.acquire", null_mut(), || {
        // SAFETY: a method of lock: live arguments.
        unsafe { acquire_with(op, args, kw, lock_take) }
    })
}

unsafe extern "C" fn lock_enter(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("lock.__enter__", null_mut(), || {
        // SAFETY: a method of lock.
        acquired(lock_take(unsafe { core(op) }, None))
    })
}

unsafe extern "C" fn lock_release(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("lock.release", null_mut(), || {
        // SAFETY: a method of lock.
        let c = unsafe { core(op) };
        {
            let mut s = c.lock();
            if s.count == 0 {
                return raise(&raw mut EXC_RuntimeError, "release unlocked lock");
            }
            s.count = 0;
        }
        c.wake_all();
        crate::object::new_none()
    })
}

unsafe extern "C" fn lock_exit(op: *mut PyObject, _args: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of lock (any arguments).
    unsafe { lock_release(op, null_mut()) }
}

unsafe extern "C" fn lock_locked(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of lock or RLock.
    let c = unsafe { core(op) };
    crate::boolobject::from_bool(c.lock().count > 0)
}

unsafe extern "C" fn lock_at_fork_reinit(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of lock or RLock.
    let c = unsafe { core(op) };
    *c.lock() = LockState::default();
    c.wake_all();
    crate::object::new_none()
}

unsafe extern "C" fn lock_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live lock.
    unsafe {
        let held = core(op).lock().count > 0;
        let tn = crate::object::fully_qualified_name(crate::object::ty(op), '.');
        crate::unicodeobject::from_str(&format!(
            "<{} {tn} object at {op:p}>",
            if held { "locked" } else { "unlocked" },
        ))
    }
}

// --- RLock ---

unsafe extern "C" fn rlock_acquire(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("RLock.acquire", null_mut(), || {
        // SAFETY: a method of RLock: live arguments.
        unsafe { acquire_with(op, args, kw, rlock_take) }
    })
}

unsafe extern "C" fn rlock_enter(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("RLock.__enter__", null_mut(), || {
        // SAFETY: a method of RLock.
        acquired(rlock_take(unsafe { core(op) }, None))
    })
}

unsafe extern "C" fn rlock_release(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("RLock.release", null_mut(), || {
        // SAFETY: a method of RLock.
        let c = unsafe { core(op) };
        {
            let mut s = c.lock();
            if s.count == 0 || s.owner != ident() {
                return raise(&raw mut EXC_RuntimeError, "cannot release un-acquired lock");
            }
            s.count -= 1;
            if s.count > 0 {
                return crate::object::new_none();
            }
            s.owner = 0;
        }
        c.wake_all();
        crate::object::new_none()
    })
}

unsafe extern "C" fn rlock_exit(op: *mut PyObject, _args: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of RLock (any arguments).
    unsafe { rlock_release(op, null_mut()) }
}

unsafe extern "C" fn rlock_is_owned(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of RLock.
    let s = unsafe { core(op) }.lock();
    crate::boolobject::from_bool(s.count > 0 && s.owner == ident())
}

unsafe extern "C" fn rlock_recursion_count(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of RLock.
    let s = unsafe { core(op) }.lock();
    let n = if s.owner == ident() { s.count } else { 0 };
    crate::longobject::from_i64(n as i64)
}

unsafe extern "C" fn rlock_release_save(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("RLock._release_save", null_mut(), || {
        // SAFETY: a method of RLock.
        let c = unsafe { core(op) };
        let (count, owner) = {
            let mut s = c.lock();
            if s.count == 0 {
                return raise(&raw mut EXC_RuntimeError, "cannot release un-acquired lock");
            }
            let r = (s.count, s.owner);
            *s = LockState::default();
            r
        };
        c.wake_all();
        crate::longobject::pair(
            crate::longobject::from_i64(count as i64),
            crate::longobject::from_i128(i128::from(owner)),
        )
    })
}

unsafe extern "C" fn rlock_acquire_restore(
    op: *mut PyObject,
    state: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("RLock._acquire_restore", null_mut(), || {
        // SAFETY: a method of RLock; METH_O gives a live argument.
        unsafe {
            let c = core(op);
            let items = if crate::tupleobject::is_tuple(state) {
                crate::tupleobject::items(state)
            } else {
                &[]
            };
            if items.len() != 2 {
                return raise(
                    &raw mut EXC_TypeError,
                    "_acquire_restore() argument 1 must be tuple",
                );
            }
            let Ok(count) = crate::longobject::to_f64(items[0]) else {
                return null_mut();
            };
            let me = ident();
            c.wait_for(None, |s| {
                if s.count == 0 {
                    s.owner = me;
                    s.count = count as usize;
                    true
                } else {
                    false
                }
            });
            crate::object::new_none()
        }
    })
}

unsafe extern "C" fn rlock_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live RLock.
    unsafe {
        let (owner, count) = {
            let s = core(op).lock();
            (s.owner, s.count)
        };
        let tn = crate::object::fully_qualified_name(crate::object::ty(op), '.');
        crate::unicodeobject::from_str(&format!(
            "<{} {tn} object owner={owner} count={count} at {op:p}>",
            if count > 0 { "locked" } else { "unlocked" },
        ))
    }
}

static mut LOCK_METHODS: [PyMethodDef; 9] = [
    method(
        c"acquire",
        lock_acquire as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"acquire_lock",
        lock_acquire as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"release", lock_release as *mut c_void, METH_NOARGS),
    method(c"release_lock", lock_release as *mut c_void, METH_NOARGS),
    method(c"locked", lock_locked as *mut c_void, METH_NOARGS),
    method(c"locked_lock", lock_locked as *mut c_void, METH_NOARGS),
    method(c"__enter__", lock_enter as *mut c_void, METH_NOARGS),
    method(c"__exit__", lock_exit as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

static mut LOCK_METHODS2: [PyMethodDef; 2] = [
    method(
        c"_at_fork_reinit",
        lock_at_fork_reinit as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

static mut RLOCK_METHODS: [PyMethodDef; 11] = [
    method(
        c"acquire",
        rlock_acquire as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"release", rlock_release as *mut c_void, METH_NOARGS),
    method(c"locked", lock_locked as *mut c_void, METH_NOARGS),
    method(c"_is_owned", rlock_is_owned as *mut c_void, METH_NOARGS),
    method(
        c"_recursion_count",
        rlock_recursion_count as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"_release_save",
        rlock_release_save as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"_acquire_restore",
        rlock_acquire_restore as *mut c_void,
        crate::methodobject::METH_O,
    ),
    method(
        c"_at_fork_reinit",
        lock_at_fork_reinit as *mut c_void,
        METH_NOARGS,
    ),
    method(c"__enter__", rlock_enter as *mut c_void, METH_NOARGS),
    method(c"__exit__", rlock_exit as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

/// `_thread.lock` (`LockType`, `allocate_lock()`, `threading.Lock`).
pub(crate) static mut Lock_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(lock_new),
    tp_dealloc: Some(lock_dealloc),
    tp_repr: Some(lock_repr),
    tp_methods: (&raw mut LOCK_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(LockObject, weakreflist) as isize,
    ..static_type(c"_thread.lock", size_of::<LockObject>(), 0, 0)
};

/// `_thread.RLock` (`threading.RLock`).
pub(crate) static mut RLock_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(lock_new),
    tp_dealloc: Some(lock_dealloc),
    tp_repr: Some(rlock_repr),
    tp_methods: (&raw mut RLOCK_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(LockObject, weakreflist) as isize,
    ..static_type(
        c"_thread.RLock",
        size_of::<LockObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    // the fork hook lives in a second table only to keep the first one's order CPython's
    let _ = &raw mut LOCK_METHODS2;
    vec![&raw mut Lock_Type, &raw mut RLock_Type]
}

// --- functions ---

/// Threads started by `start_new_thread` that are still running (`_count()`).
pub(crate) static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// The smallest stack size `stack_size` accepts (CPython's on Linux x86-64, recorded).
const MIN_STACK: isize = 53248;

/// The stack size for new threads (0: the system's default).
static STACK_SIZE: AtomicIsize = AtomicIsize::new(0);

unsafe extern "C" fn th_allocate_lock(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: the lock type.
    unsafe { new_lock(&raw mut Lock_Type) }
}

unsafe extern "C" fn th_get_ident(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(i128::from(ident()))
}

unsafe extern "C" fn th_get_native_id(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(i128::from(
        crate::pythread::PyThread_get_thread_native_id() as u64
    ))
}

unsafe extern "C" fn th_count(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i64(RUNNING.load(Ordering::SeqCst) as i64)
}

unsafe extern "C" fn th_daemon_threads_allowed(
    _m: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    crate::boolobject::from_bool(true)
}

unsafe extern "C" fn th_stack_size(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("_thread.stack_size", null_mut(), || {
        // SAFETY: METH_VARARGS: a tuple.
        unsafe {
            let a = crate::tupleobject::items(args);
            if a.len() > 1 {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("stack_size() takes at most 1 argument ({} given)", a.len()),
                );
            }
            let old = STACK_SIZE.load(Ordering::SeqCst);
            if let Some(&v) = a.first() {
                if !crate::longobject::is_int(v) {
                    let t = crate::object::type_name(crate::object::ty(v));
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("'{t}' object cannot be interpreted as an integer"),
                    );
                }
                let Ok(n) = crate::longobject::to_f64(v) else {
                    return null_mut();
                };
                if n != 0.0 && n < MIN_STACK as f64 {
                    return raise(
                        &raw mut EXC_ValueError,
                        &format!("size must be at least {MIN_STACK} bytes"),
                    );
                }
                STACK_SIZE.store(n as isize, Ordering::SeqCst);
            }
            crate::longobject::from_i64(old as i64)
        }
    })
}

/// Starts an OS thread that attaches its own thread state (`PyGILState_Ensure`), runs
/// `body` and drops the state. False if the thread could not be started (`body` is dropped
/// unrun).
pub(crate) fn spawn(body: Box<dyn FnOnce() + Send>) -> bool {
    let mut b = std::thread::Builder::new();
    let ss = STACK_SIZE.load(Ordering::SeqCst);
    if ss > 0 {
        b = b.stack_size(ss as usize);
    }
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let r = b.spawn(move || {
        let g = crate::pystate::_gilgate_gilstate_ensure(null_mut());
        body();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        crate::pystate::PyGILState_Release(g);
    });
    if r.is_err() {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
    r.is_ok()
}

/// Calls `func(*args, **kw)` (references borrowed): Ok, or Err with the raised exception
/// (a new reference).
///
/// # Safety
/// Live objects; `args` a tuple, `kw` NULL or a dict; the thread is attached.
pub(crate) unsafe fn call_catching(
    func: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<(), *mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let r = crate::abstract_::PyObject_Call(func, args, kw);
        if r.is_null() {
            let e = crate::pyerrors::PyErr_GetRaisedException();
            Err(e)
        } else {
            decref(r);
            Ok(())
        }
    }
}

/// Whether `e` is a `SystemExit` (a thread ends silently with one).
///
/// # Safety
/// `e` a live exception.
pub(crate) unsafe fn is_system_exit(e: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        crate::abstract_::PyObject_IsInstance(e, (&raw mut crate::pyerrors::EXC_SystemExit).cast())
            == 1
    }
}

/// A thread function's exception (taken), reported as CPython's unraisable hook prints it:
/// `Exception ignored in thread started by <func>:` and the exception (without Python frames).
///
/// # Safety
/// `func` live, `e` an owned exception; attached.
pub(crate) unsafe fn report_unraisable(func: *mut PyObject, e: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let r = crate::object::repr_string(func);
        let text = crate::threading::exception_line(e);
        decref(e);
        let text = format!("Exception ignored in thread started by {r}:\n{text}");
        let file = crate::sysmodule::get("stderr");
        let w = crate::abc::Obj::new(crate::unicodeobject::from_str(&text));
        if file.is_null()
            || file == crate::object::none()
            || crate::abc::call_method(file, "write", &[w.ptr()]).is_null()
        {
            crate::pyerrors::clear_if(true);
            eprint!("{text}");
        }
    }
}

unsafe extern "C" fn th_start_new_thread(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("_thread.start_new_thread", null_mut(), || {
        // SAFETY: METH_VARARGS: a tuple of live objects.
        unsafe {
            let a = crate::tupleobject::items(args);
            if a.len() < 2 || a.len() > 3 {
                let m = if a.len() < 2 { "at least" } else { "at most" };
                let n = if a.len() < 2 { 2 } else { 3 };
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "start_new_thread expected {m} {n} arguments, got {}",
                        a.len()
                    ),
                );
            }
            if crate::abstract_::PyCallable_Check(a[0]) == 0 {
                return raise(&raw mut EXC_TypeError, "first arg must be callable");
            }
            if !crate::tupleobject::is_tuple(a[1]) {
                return raise(&raw mut EXC_TypeError, "2nd arg must be a tuple");
            }
            let kw = a.get(2).copied().unwrap_or(null_mut());
            if !kw.is_null() && !crate::dictobject::is_dict(kw) {
                return raise(
                    &raw mut EXC_TypeError,
                    "optional 3rd arg must be a dictionary",
                );
            }
            incref(a[0]);
            incref(a[1]);
            crate::refcount::xincref(kw);
            let (f, x, k) = (a[0] as usize, a[1] as usize, kw as usize);
            let ok = spawn(Box::new(move || {
                let (f, x, k) = (f as *mut PyObject, x as *mut PyObject, k as *mut PyObject);
                // the references handed over; the thread is attached
                if let Err(e) = call_catching(f, x, k) {
                    if !e.is_null() && !is_system_exit(e) {
                        report_unraisable(f, e);
                    } else {
                        crate::refcount::xdecref(e);
                    }
                }
                decref(f);
                decref(x);
                crate::refcount::xdecref(k);
            }));
            if ok {
                crate::longobject::from_i64(0)
            } else {
                raise(&raw mut EXC_RuntimeError, "can't start new thread")
            }
        }
    })
}

unsafe extern "C" fn th_exit(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: the live SystemExit class.
    unsafe {
        crate::pyerrors::set_object(
            (&raw mut crate::pyerrors::EXC_SystemExit).cast(),
            null_mut(),
        )
    };
    null_mut()
}

unsafe extern "C" fn th_interrupt_main(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("_thread.interrupt_main", null_mut(), || {
        // SAFETY: live arguments.
        let Some(_v) = (unsafe { py_args("interrupt_main", args, kw, &["signum"], 0) }) else {
            return null_mut();
        };
        raise(
            &raw mut crate::pyerrors::EXC_NotImplementedError,
            "gilgate runs no Python code: interrupt_main() is not available",
        )
    })
}

unsafe extern "C" fn th_set_name(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("_thread.set_name", null_mut(), || {
        // SAFETY: live arguments.
        unsafe {
            let pos = crate::tupleobject::items(args);
            let kwp = if kw.is_null() {
                Vec::new()
            } else {
                crate::dictobject::entries(kw)
            };
            if pos.is_empty() && kwp.is_empty() {
                return raise(
                    &raw mut EXC_TypeError,
                    "set_name() missing required argument 'name' (pos 1)",
                );
            }
            let Some(v) = py_args("set_name", args, kw, &["name"], 1) else {
                return null_mut();
            };
            let Some(name) = crate::unicodeobject::as_str(v[0]) else {
                let t = crate::object::type_name(crate::object::ty(v[0]));
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("set_name() argument 'name' must be str, not {t}"),
                );
            };
            // Linux limits a thread name to 15 bytes; cut at a character boundary.
            let mut cut = name.len().min(15);
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            if let Ok(c) = std::ffi::CString::new(&name[..cut]) {
                libc::pthread_setname_np(libc::pthread_self(), c.as_ptr());
            }
            crate::object::new_none()
        }
    })
}

static mut FUNCTIONS: [PyMethodDef; 16] = [
    method(
        c"allocate_lock",
        th_allocate_lock as *mut c_void,
        METH_NOARGS,
    ),
    method(c"allocate", th_allocate_lock as *mut c_void, METH_NOARGS),
    method(c"get_ident", th_get_ident as *mut c_void, METH_NOARGS),
    method(
        c"get_native_id",
        th_get_native_id as *mut c_void,
        METH_NOARGS,
    ),
    method(c"_count", th_count as *mut c_void, METH_NOARGS),
    method(
        c"daemon_threads_allowed",
        th_daemon_threads_allowed as *mut c_void,
        METH_NOARGS,
    ),
    method(c"stack_size", th_stack_size as *mut c_void, METH_VARARGS),
    method(
        c"start_new_thread",
        th_start_new_thread as *mut c_void,
        METH_VARARGS,
    ),
    method(
        c"start_new",
        th_start_new_thread as *mut c_void,
        METH_VARARGS,
    ),
    method(
        c"start_joinable_thread",
        crate::threading::start_joinable_thread as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"_excepthook",
        crate::threading::excepthook as *mut c_void,
        crate::methodobject::METH_O,
    ),
    method(c"exit", th_exit as *mut c_void, METH_NOARGS),
    method(c"exit_thread", th_exit as *mut c_void, METH_NOARGS),
    method(
        c"interrupt_main",
        th_interrupt_main as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"set_name",
        th_set_name as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

/// The `_thread` module (borrowed, process lifetime; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "_thread", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("_thread");
    // SAFETY: `name` is a live str; the tables are static; every value put in is live.
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
        let lt: *mut PyObject = (&raw mut Lock_Type).cast();
        crate::dictobject::set_item_str(d, "LockType", lt);
        crate::dictobject::set_item_str(d, "lock", lt);
        crate::dictobject::set_item_str(d, "RLock", (&raw mut RLock_Type).cast());
        crate::dictobject::set_item_str(d, "error", (&raw mut EXC_RuntimeError).cast());
        let tm = crate::floatobject::PyFloat_FromDouble(TIMEOUT_MAX);
        crate::dictobject::set_item_str(d, "TIMEOUT_MAX", tm);
        decref(tm);
        crate::dictobject::set_item_str(
            d,
            "_local",
            (&raw mut crate::threading::Local_Type).cast(),
        );
        crate::dictobject::set_item_str(
            d,
            "_ThreadHandle",
            (&raw mut crate::threading::Handle_Type).cast(),
        );
        let h = crate::threading::except_hook_args_type();
        if h.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "_ExceptHookArgs", h);
        m
    }
}
