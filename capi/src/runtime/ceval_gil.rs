//! The global lock of the process (CPython's `Python/ceval_gil.c` in the free-threaded build):
//! one per process, switched by a counter (`enabled`: 0 off, `1..INT_MAX-1` transient requests,
//! `INT_MAX` on for good), taken by every attach and dropped by every detach while enabled, with
//! CPython's switch interval and forced hand-off.
//!
//! - `take` blocks (the caller is detached: it holds no other runtime lock) until the lock is
//!   free; after waiting one interval without a hand-off it sets the holder's drop request
//!   (`_PY_GIL_DROP_REQUEST_BIT` in its `eval_breaker`). The holder honours it at its next safe
//!   point (`ceval::safe_point`): it detaches, which drops the lock and waits until another
//!   thread took it, and attaches again.
//! - `configure` fixes the process's setting once (`PYTHON_GIL=1`: on for good, `=0`: never on,
//!   default: switched by imports), as CPython's `enable_gil`; the transient/permanent/disable
//!   requests do nothing unless the setting is the default.
//!
//! Not done yet: the stop-the-world pause of `_PyEval_EnableGILTransient`. Turning the lock on
//! here takes it for the caller without waiting for the others; threads that are attached at
//! that moment keep running without it until they next detach, attach or reach a safe point
//! (`ceval::safe_point`), where they start waiting for it.

use crate::pystate::PyThreadState;
use std::sync::atomic::{AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// `enabled` when on for good.
pub(crate) const PERMANENT: i32 = i32::MAX;
/// `_PY_GIL_DROP_REQUEST_BIT`.
pub(crate) const DROP_REQUEST: usize = 1;
/// CPython's `DEFAULT_INTERVAL` in µs.
const DEFAULT_INTERVAL_US: u64 = 5000;

/// How the process's lock was configured (`PyConfig.enable_gil`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GilConfig {
    /// Off at start, switched by imports of undeclared modules (`_PyConfig_GIL_DEFAULT`).
    Default,
    /// On for good (`PYTHON_GIL=1`).
    Enable,
    /// Never on (`PYTHON_GIL=0`).
    Disable,
}

struct Inner {
    locked: bool,
    /// The thread state that last held the lock (an address; 0 before the first).
    last_holder: usize,
    /// Counts hand-offs to a different thread.
    switch_number: u64,
}

struct Gil {
    enabled: AtomicI32,
    interval_us: AtomicU64,
    /// The thread state holding the lock now (0: none), for drop requests.
    holder: AtomicUsize,
    inner: Mutex<Inner>,
    /// Signalled when the lock is dropped (or disabled).
    cond: Condvar,
    /// Signalled when a thread took the lock (forced switching).
    switch_cond: Condvar,
    config: Mutex<Option<GilConfig>>,
}

static GIL: Gil = Gil {
    enabled: AtomicI32::new(0),
    interval_us: AtomicU64::new(DEFAULT_INTERVAL_US),
    holder: AtomicUsize::new(0),
    inner: Mutex::new(Inner {
        locked: false,
        last_holder: 0,
        switch_number: 0,
    }),
    cond: Condvar::new(),
    switch_cond: Condvar::new(),
    config: Mutex::new(None),
};

fn inner() -> MutexGuard<'static, Inner> {
    GIL.inner.lock().unwrap_or_else(|e| e.into_inner())
}

/// `eval_breaker` of a thread state as an atomic.
///
/// # Safety
/// `ts` must be a live thread state.
pub(crate) unsafe fn breaker(ts: *mut PyThreadState) -> &'static AtomicUsize {
    // SAFETY: the field is a word every party accesses atomically; `ts` is live (contract).
    unsafe { AtomicUsize::from_ptr(&raw mut (*ts).eval_breaker) }
}

fn set_holds(ts: *mut PyThreadState, v: bool) {
    // SAFETY: `ts` is the live state of the thread taking or dropping the lock; only that
    // thread writes its `holds_gil`.
    unsafe { (*ts).holds_gil = std::ffi::c_int::from(v) };
}

/// Whether `ts` holds the lock.
pub(crate) fn holds(ts: *mut PyThreadState) -> bool {
    // SAFETY: `ts` is a live state (callers pass their own).
    !ts.is_null() && unsafe { (*ts).holds_gil } != 0
}

/// Whether the lock is enabled (`_PyEval_IsGILEnabled`): what `sys._is_gil_enabled()` says.
pub fn enabled() -> bool {
    GIL.enabled.load(Ordering::SeqCst) != 0
}

/// The raw counter: 0 off, `1..INT_MAX-1` transient requests, `INT_MAX` on for good.
pub fn counter() -> i32 {
    GIL.enabled.load(Ordering::SeqCst)
}

/// The configured setting, if `configure` was called.
pub fn config() -> Option<GilConfig> {
    *GIL.config.lock().unwrap_or_else(|e| e.into_inner())
}

/// `take_gil`: blocks until `ts` holds the lock; returns at once (false) when it is disabled.
/// The caller is detached and holds no other runtime lock.
pub(crate) fn take(ts: *mut PyThreadState) -> bool {
    if !enabled() {
        return false;
    }
    let errno = std::io::Error::last_os_error().raw_os_error();
    let mut g = inner();
    while g.locked {
        let before = g.switch_number;
        let interval = Duration::from_micros(GIL.interval_us.load(Ordering::Relaxed).max(1));
        let (ng, res) = GIL
            .cond
            .wait_timeout(g, interval)
            .unwrap_or_else(|e| e.into_inner());
        g = ng;
        if res.timed_out() && g.locked && g.switch_number == before {
            let h = GIL.holder.load(Ordering::SeqCst) as *mut PyThreadState;
            if !h.is_null() {
                // SAFETY: the holder's state stays alive while it holds the lock, and it holds
                // it (locked, no switch) while we hold `inner`.
                unsafe { breaker(h) }.fetch_or(DROP_REQUEST, Ordering::SeqCst);
            }
        }
        if !enabled() {
            // Disabled meanwhile: wake the next waiter, which will bail out too.
            GIL.cond.notify_one();
            restore_errno(errno);
            return false;
        }
    }
    if !enabled() {
        GIL.cond.notify_one();
        restore_errno(errno);
        return false;
    }
    g.locked = true;
    if g.last_holder != ts as usize {
        g.last_holder = ts as usize;
        g.switch_number += 1;
    }
    GIL.holder.store(ts as usize, Ordering::SeqCst);
    GIL.switch_cond.notify_all();
    set_holds(ts, true);
    // SAFETY: `ts` is the caller's live state.
    unsafe { breaker(ts) }.fetch_and(!DROP_REQUEST, Ordering::SeqCst);
    drop(g);
    restore_errno(errno);
    true
}

fn restore_errno(e: Option<i32>) {
    if let Some(e) = e {
        // SAFETY: errno is the calling thread's own.
        unsafe { *libc::__errno_location() = e };
    }
}

/// `drop_gil`: releases the lock if `ts` holds it. Unless `final_release`, when another thread
/// asked for the lock (`ts`'s drop request is set), waits until some other thread took it, so
/// the caller cannot take it straight back (CPython's forced switching).
pub(crate) fn drop_lock(ts: *mut PyThreadState, final_release: bool) {
    if !holds(ts) {
        return;
    }
    let mut g = inner();
    if !final_release {
        g.last_holder = ts as usize;
    }
    g.locked = false;
    GIL.holder.store(0, Ordering::SeqCst);
    set_holds(ts, false);
    GIL.cond.notify_one();
    // SAFETY: `ts` is the caller's live state.
    let asked = !final_release && unsafe { breaker(ts) }.load(Ordering::SeqCst) & DROP_REQUEST != 0;
    if asked {
        // SAFETY: as above.
        unsafe { breaker(ts) }.fetch_and(!DROP_REQUEST, Ordering::SeqCst);
        while g.last_holder == ts as usize && enabled() {
            let (ng, _) = GIL
                .switch_cond
                .wait_timeout(g, Duration::from_millis(10))
                .unwrap_or_else(|e| e.into_inner());
            g = ng;
            if !g.locked && g.last_holder == ts as usize {
                // Nobody took it within the wait (the waiter left): stop waiting when it is
                // still free after a hand-off was possible.
                GIL.cond.notify_one();
            }
        }
    }
}

/// Whether the calling thread's state `ts` was asked to drop the lock.
pub(crate) fn drop_requested(ts: *mut PyThreadState) -> bool {
    // SAFETY: `ts` is the caller's live state.
    !ts.is_null() && unsafe { breaker(ts) }.load(Ordering::Relaxed) & DROP_REQUEST != 0
}

/// `sys.getswitchinterval()` in seconds.
pub fn switch_interval() -> f64 {
    GIL.interval_us.load(Ordering::Relaxed) as f64 * 1e-6
}

/// `sys.setswitchinterval(s)` (the caller checked `s > 0`).
pub fn set_switch_interval(s: f64) {
    GIL.interval_us.store((1e6 * s) as u64, Ordering::Relaxed);
}

/// Fixes the process's setting. The first call wins; a later call with another setting is an
/// error carrying the one in force. `Enable` turns the lock on for good and takes it for the
/// calling thread if it is attached.
pub fn configure(c: GilConfig) -> Result<(), GilConfig> {
    let mut cfg = GIL.config.lock().unwrap_or_else(|e| e.into_inner());
    match *cfg {
        Some(old) if old == c => return Ok(()),
        Some(old) => return Err(old),
        None => *cfg = Some(c),
    }
    drop(cfg);
    match c {
        GilConfig::Enable => switch_on(PERMANENT),
        GilConfig::Disable => {
            let ts = crate::pystate::attached();
            GIL.enabled.store(0, Ordering::SeqCst);
            drop_lock(ts, true);
        }
        GilConfig::Default => {}
    }
    Ok(())
}

fn changes_allowed() -> bool {
    matches!(config(), None | Some(GilConfig::Default))
}

/// Turns the lock on with counter `value` while the calling thread is detached, then attaches
/// it again (waiting for the lock). No stop-the-world (see the module doc).
fn switch_on(value: i32) {
    let ts = crate::ceval::detach();
    GIL.enabled.store(value, Ordering::SeqCst);
    crate::ceval::attach(ts);
}

/// `_PyEval_EnableGILTransient`: one more transient request; true when this call turned the
/// lock on. The calling thread holds the lock on return (when the setting allows changes).
pub fn enable_transient() -> bool {
    if !changes_allowed() {
        return false;
    }
    let cur = counter();
    if cur == PERMANENT {
        return false;
    }
    if cur > 0 {
        assert!(
            cur != PERMANENT - 1,
            "Too many transient requests to enable the GIL"
        );
        GIL.enabled.fetch_add(1, Ordering::SeqCst);
        return false;
    }
    let ts = crate::ceval::detach();
    let was_off = GIL
        .enabled
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| {
            (v != PERMANENT).then_some(v + 1)
        })
        .is_ok_and(|v| v == 0);
    crate::ceval::attach(ts);
    was_off
}

/// `_PyEval_EnableGILPermanent`: true when this call made it permanent.
pub fn enable_permanent() -> bool {
    if !changes_allowed() || counter() == PERMANENT {
        return false;
    }
    if counter() == 0 {
        switch_on(PERMANENT);
    } else {
        GIL.enabled.store(PERMANENT, Ordering::SeqCst);
    }
    true
}

/// `_PyEval_DisableGIL`: drops one transient request; true when the lock went off (the caller
/// stays attached and lets waiters go).
pub fn disable() -> bool {
    if !changes_allowed() {
        return false;
    }
    let cur = counter();
    if cur == PERMANENT || cur == 0 {
        return false;
    }
    if GIL.enabled.fetch_sub(1, Ordering::SeqCst) != 1 {
        return false;
    }
    let ts = crate::pystate::attached();
    let mut g = inner();
    if holds(ts) {
        g.locked = false;
        GIL.holder.store(0, Ordering::SeqCst);
        set_holds(ts, false);
        // SAFETY: `ts` is the caller's live state.
        unsafe { breaker(ts) }.fetch_and(!DROP_REQUEST, Ordering::SeqCst);
    }
    GIL.cond.notify_all();
    GIL.switch_cond.notify_all();
    true
}
