//! `pythread.h`: locks, thread identities and thread-specific storage.
//!
//! A `PyThread_type_lock` is a plain (non-reentrant) lock that any thread may release, so it
//! is a flag under a mutex with a condition variable rather than a `std::sync::Mutex` guard.

use crate::export;
use std::ffi::{c_int, c_uint, c_ulong, c_void};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// `PY_LOCK_FAILURE`.
pub const PY_LOCK_FAILURE: c_int = 0;
/// `PY_LOCK_ACQUIRED`.
pub const PY_LOCK_ACQUIRED: c_int = 1;
/// `PY_LOCK_INTR` (never returned: gilgate has no signal handlers that interrupt waits).
pub const PY_LOCK_INTR: c_int = 2;

/// A lock any thread may release.
#[derive(Default)]
pub(crate) struct ThreadLock {
    held: Mutex<bool>,
    freed: Condvar,
}

impl ThreadLock {
    /// Tries to take the lock, waiting at most `timeout` (`None`: forever).
    pub(crate) fn acquire(&self, timeout: Option<Duration>) -> bool {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = timeout.map(|t| Instant::now() + t);
        while *held {
            match deadline {
                None => held = self.freed.wait(held).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    held = self
                        .freed
                        .wait_timeout(held, d - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
        *held = true;
        true
    }

    /// Releases the lock (releasing an unheld lock is a caller bug; it stays released).
    pub(crate) fn release(&self) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        *held = false;
        self.freed.notify_one();
    }
}

/// # Safety
/// `lock` must come from `PyThread_allocate_lock` and not be freed.
unsafe fn lock_ref<'a>(lock: *mut c_void) -> &'a ThreadLock {
    // SAFETY: the caller's guarantee: a live boxed ThreadLock.
    unsafe { &*lock.cast::<ThreadLock>() }
}

#[export(unguarded)]
pub fn PyThread_init_thread() {}

#[export]
pub fn PyThread_allocate_lock() -> *mut c_void {
    Box::into_raw(Box::new(ThreadLock::default())).cast()
}

#[export]
pub unsafe fn PyThread_free_lock(lock: *mut c_void) {
    if !lock.is_null() {
        // SAFETY: the lock came from PyThread_allocate_lock (C API contract).
        drop(unsafe { Box::from_raw(lock.cast::<ThreadLock>()) });
    }
}

/// The timeout for a microsecond count: negative waits forever.
fn timeout_of(microseconds: i64) -> Option<Duration> {
    u64::try_from(microseconds).ok().map(Duration::from_micros)
}

#[export]
pub unsafe fn PyThread_acquire_lock(lock: *mut c_void, waitflag: c_int) -> c_int {
    let t = if waitflag != 0 {
        None
    } else {
        Some(Duration::ZERO)
    };
    // SAFETY: C API contract: a live lock.
    c_int::from(unsafe { lock_ref(lock) }.acquire(t))
}

#[export]
pub unsafe fn PyThread_acquire_lock_timed(
    lock: *mut c_void,
    microseconds: i64,
    intr_flag: c_int,
) -> c_int {
    let _ = intr_flag;
    // SAFETY: C API contract: a live lock.
    if unsafe { lock_ref(lock) }.acquire(timeout_of(microseconds)) {
        PY_LOCK_ACQUIRED
    } else {
        PY_LOCK_FAILURE
    }
}

#[export]
pub unsafe fn PyThread_release_lock(lock: *mut c_void) {
    // SAFETY: C API contract: a live lock.
    unsafe { lock_ref(lock) }.release()
}

#[export(unguarded)]
pub fn PyThread_get_thread_ident() -> c_ulong {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as c_ulong }
}

#[export(unguarded)]
pub fn PyThread_get_thread_native_id() -> c_ulong {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() as c_ulong }
}

#[export(unguarded)]
pub fn PyThread_get_stacksize() -> usize {
    0
}

/// `Py_tss_t` (`include/pythread.h`): an initialized flag and a pthread key.
#[repr(C)]
pub struct Py_tss_t {
    pub _is_initialized: c_int,
    pub _key: libc::pthread_key_t,
}

#[export]
pub fn PyThread_tss_alloc() -> *mut Py_tss_t {
    let p = crate::pymem::malloc(std::mem::size_of::<Py_tss_t>()).cast::<Py_tss_t>();
    if !p.is_null() {
        // SAFETY: a fresh block of the right size.
        unsafe {
            p.write(Py_tss_t {
                _is_initialized: 0,
                _key: 0,
            })
        };
    }
    p
}

#[export]
pub unsafe fn PyThread_tss_free(key: *mut Py_tss_t) {
    if !key.is_null() {
        // SAFETY: a key from PyThread_tss_alloc (C API contract).
        unsafe {
            PyThread_tss_delete(key);
            crate::pymem::free(key.cast());
        }
    }
}

#[export]
pub unsafe fn PyThread_tss_is_created(key: *mut Py_tss_t) -> c_int {
    // SAFETY: C API contract: a valid key.
    unsafe { c_int::from((*key)._is_initialized != 0) }
}

#[export]
pub unsafe fn PyThread_tss_create(key: *mut Py_tss_t) -> c_int {
    // SAFETY: C API contract: a valid key; pthread_key_create writes the new key.
    unsafe {
        if (*key)._is_initialized != 0 {
            return 0;
        }
        if libc::pthread_key_create(&mut (*key)._key, None) != 0 {
            return -1;
        }
        (*key)._is_initialized = 1;
    }
    0
}

#[export]
pub unsafe fn PyThread_tss_delete(key: *mut Py_tss_t) {
    // SAFETY: C API contract: a valid key; deleting a created pthread key.
    unsafe {
        if (*key)._is_initialized != 0 {
            libc::pthread_key_delete((*key)._key);
            (*key)._is_initialized = 0;
        }
    }
}

#[export]
pub unsafe fn PyThread_tss_set(key: *mut Py_tss_t, value: *mut c_void) -> c_int {
    // SAFETY: C API contract: a created key.
    unsafe {
        if libc::pthread_setspecific((*key)._key, value) == 0 {
            0
        } else {
            -1
        }
    }
}

#[export]
pub unsafe fn PyThread_tss_get(key: *mut Py_tss_t) -> *mut c_void {
    // SAFETY: C API contract: a created key.
    unsafe { libc::pthread_getspecific((*key)._key) }
}

// The old TLS key API (deprecated since 3.7; keys are pthread keys passed as int).

#[export(unguarded)]
pub fn PyThread_create_key() -> c_int {
    let mut k: libc::pthread_key_t = 0;
    // SAFETY: pthread_key_create writes the new key into `k`.
    if unsafe { libc::pthread_key_create(&mut k, None) } != 0 {
        return -1;
    }
    c_int::try_from(k).unwrap_or(-1)
}

#[export(unguarded)]
pub fn PyThread_delete_key(key: c_int) {
    // SAFETY: deleting a key (an invalid key gives EINVAL, ignored like CPython).
    unsafe { libc::pthread_key_delete(key as c_uint) };
}

#[export(unguarded)]
pub fn PyThread_set_key_value(key: c_int, value: *mut c_void) -> c_int {
    // SAFETY: pthread_setspecific validates the key.
    if unsafe { libc::pthread_setspecific(key as c_uint, value) } == 0 {
        0
    } else {
        -1
    }
}

#[export(unguarded)]
pub fn PyThread_get_key_value(key: c_int) -> *mut c_void {
    // SAFETY: pthread_getspecific returns NULL for an unknown key.
    unsafe { libc::pthread_getspecific(key as c_uint) }
}

#[export(unguarded)]
pub fn PyThread_delete_key_value(key: c_int) {
    // SAFETY: pthread_setspecific validates the key.
    unsafe { libc::pthread_setspecific(key as c_uint, std::ptr::null()) };
}

#[export(unguarded)]
pub fn PyThread_ReInitTLS() {}

// ---- starting threads ------------------------------------------------------------------------

/// What a new OS thread runs: the caller's function and argument.
struct Start {
    func: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
}

extern "C" fn thread_main(p: *mut c_void) -> *mut c_void {
    // SAFETY: `p` is the `Box<Start>` `spawn` leaked for this thread, taken back once.
    let s = unsafe { Box::from_raw(p.cast::<Start>()) };
    // SAFETY: the extension's function with its own argument, as it asked (no thread state is
    // made for it: as in CPython, the function attaches itself, e.g. with PyGILState_Ensure).
    unsafe { crate::extcall::thread_start(s.func, s.arg) };
    std::ptr::null_mut()
}

/// Starts an OS thread running `func(arg)`; its `pthread_t`, or None.
fn spawn(func: unsafe extern "C" fn(*mut c_void), arg: *mut c_void) -> Option<libc::pthread_t> {
    let start = Box::into_raw(Box::new(Start { func, arg }));
    // SAFETY: a zeroed pthread_t is a valid out-slot.
    let mut t: libc::pthread_t = unsafe { std::mem::zeroed() };
    // SAFETY: `thread_main` takes back the box; default attributes.
    let rc = unsafe { libc::pthread_create(&mut t, std::ptr::null(), thread_main, start.cast()) };
    if rc != 0 {
        // SAFETY: the thread was not started, the box is still ours.
        drop(unsafe { Box::from_raw(start) });
        return None;
    }
    Some(t)
}

/// `PyThread_start_new_thread(func, arg)`: runs `func(arg)` on a new, detached OS thread;
/// its identifier, or `PYTHREAD_INVALID_THREAD_ID` (`(unsigned long)-1`).
#[export]
pub unsafe fn PyThread_start_new_thread(
    func: Option<unsafe extern "C" fn(*mut c_void)>,
    arg: *mut c_void,
) -> c_ulong {
    let Some(func) = func else {
        return c_ulong::MAX;
    };
    match spawn(func, arg) {
        Some(t) => {
            // SAFETY: a thread just created, joined by nobody.
            unsafe { libc::pthread_detach(t) };
            t as c_ulong
        }
        None => c_ulong::MAX,
    }
}

/// `PyThread_start_joinable_thread(func, arg, &ident, &handle)`: as `start_new_thread`, the
/// thread to be joined (`PyThread_join_thread`) or detached (`PyThread_detach_thread`) once;
/// 0, or -1 when it could not start.
#[export(err = -1)]
pub unsafe fn PyThread_start_joinable_thread(
    func: Option<unsafe extern "C" fn(*mut c_void)>,
    arg: *mut c_void,
    ident: *mut u64,
    handle: *mut u64,
) -> c_int {
    let Some(func) = func else { return -1 };
    match spawn(func, arg) {
        Some(t) => {
            // SAFETY: writable out-slots (C API contract).
            unsafe {
                *ident = t;
                *handle = t;
            }
            0
        }
        None => -1,
    }
}

/// `PyThread_join_thread(handle)`: waits for the thread to end; 0, or -1.
#[export(err = -1)]
pub fn PyThread_join_thread(handle: u64) -> c_int {
    // SAFETY: a joinable thread's handle (C API contract), joined once.
    let rc = unsafe { libc::pthread_join(handle as libc::pthread_t, std::ptr::null_mut()) };
    if rc == 0 { 0 } else { -1 }
}

/// `PyThread_detach_thread(handle)`: lets the thread's resources go when it ends; 0, or -1.
#[export(err = -1)]
pub fn PyThread_detach_thread(handle: u64) -> c_int {
    // SAFETY: a joinable thread's handle (C API contract), detached once.
    let rc = unsafe { libc::pthread_detach(handle as libc::pthread_t) };
    if rc == 0 { 0 } else { -1 }
}
