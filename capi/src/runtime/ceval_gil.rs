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
//! Switching the lock on from off stops the world first (`stop_the_world`, CPython's
//! `_PyEval_StopTheWorldAll`): every other state is moved to `_Py_THREAD_SUSPENDED` (a detached
//! one at once, an attached one at its next detach or safe point, asked through
//! `_PY_EVAL_PLEASE_STOP_BIT`), the counter changes, the world restarts, and every thread then
//! attaches through the lock. As in CPython, a thread that stays attached without reaching a
//! safe point (a loop in C that never detaches) holds the switch up.

use crate::pystate::PyThreadState;
use std::sync::atomic::{AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// `enabled` when on for good.
pub(crate) const PERMANENT: i32 = i32::MAX;
/// `_PY_GIL_DROP_REQUEST_BIT`.
pub(crate) const DROP_REQUEST: usize = 1;
/// `_PY_EVAL_PLEASE_STOP_BIT`.
pub(crate) const PLEASE_STOP: usize = 1 << 5;
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
    /// Threads waiting on `cond` (in `take`): a drop signals only when there is one, so an
    /// uncontended drop makes no system call (std's condition variable always does).
    waiters: u32,
    /// Threads waiting on `switch_cond` (in a forced switch's `drop_lock`).
    switch_waiters: u32,
}

impl Inner {
    /// Wakes one thread waiting in `take`, if any.
    fn wake_one_taker(&self) {
        if self.waiters > 0 {
            GIL.cond.notify_one();
        }
    }
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
        waiters: 0,
        switch_waiters: 0,
    }),
    cond: Condvar::new(),
    switch_cond: Condvar::new(),
    config: Mutex::new(None),
};

// ---- stop-the-world ---------------------------------------------------------------------------

/// Serialises pauses (held from stop to start).
static STW_SERIAL: Mutex<()> = Mutex::new(());
/// Whether a pause is requested (changed under the registry's lock).
static STW_REQUESTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Signalled when a thread stops for a pause and when the world restarts.
static STW_LOCK: Mutex<()> = Mutex::new(());
static STW_CV: Condvar = Condvar::new();

/// Whether a pause is requested.
pub(crate) fn stop_requested() -> bool {
    STW_REQUESTED.load(Ordering::SeqCst)
}

fn stw_wait(timeout: Duration) {
    let g = STW_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let _ = STW_CV.wait_timeout(g, timeout);
}

fn stw_notify() {
    let _g = STW_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    STW_CV.notify_all();
}

/// Stops every thread (the caller is detached, so its own state is suspended too): returns once
/// every state is suspended; the guard keeps other pauses out until `start_the_world`.
fn stop_the_world() -> MutexGuard<'static, ()> {
    use crate::pystate::{ATTACHED, DETACHED, SUSPENDED, state_word};
    let serial = STW_SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    crate::pystate::with_registry(|| STW_REQUESTED.store(true, Ordering::SeqCst));
    loop {
        let mut running = 0usize;
        crate::pystate::for_each_state(|ts| {
            // SAFETY: a live, linked state (the registry's lock is held).
            let w = unsafe { state_word(ts) };
            let st = w.load(Ordering::SeqCst);
            if st == DETACHED
                && w.compare_exchange(DETACHED, SUSPENDED, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            {
                return;
            }
            if st != SUSPENDED {
                if st == ATTACHED || w.load(Ordering::SeqCst) == ATTACHED {
                    // SAFETY: as above.
                    unsafe { breaker(ts) }.fetch_or(PLEASE_STOP, Ordering::SeqCst);
                }
                running += 1;
            }
        });
        if running == 0 {
            break;
        }
        stw_wait(Duration::from_millis(1));
    }
    serial
}

/// Restarts the world: every suspended state becomes detached, and its thread goes on.
fn start_the_world(serial: MutexGuard<'static, ()>) {
    use crate::pystate::{DETACHED, SUSPENDED, state_word};
    crate::pystate::for_each_state(|ts| {
        // SAFETY: a live, linked state (the registry's lock is held).
        unsafe {
            let _ = state_word(ts).compare_exchange(
                SUSPENDED,
                DETACHED,
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
            breaker(ts).fetch_and(!PLEASE_STOP, Ordering::SeqCst);
        }
    });
    crate::pystate::with_registry(|| STW_REQUESTED.store(false, Ordering::SeqCst));
    stw_notify();
    drop(serial);
}

/// In `attach`: waits while `ts` is suspended by a pause.
pub(crate) fn wait_while_suspended(ts: *mut PyThreadState) {
    // SAFETY: the caller's live state.
    let w = unsafe { crate::pystate::state_word(ts) };
    while w.load(Ordering::SeqCst) == crate::pystate::SUSPENDED {
        stw_wait(Duration::from_millis(10));
    }
}

/// At a safe point: whether a pause asked this thread to stop.
pub(crate) fn stop_asked(ts: *mut PyThreadState) -> bool {
    // SAFETY: the caller's live state.
    !ts.is_null() && unsafe { breaker(ts) }.load(Ordering::Relaxed) & PLEASE_STOP != 0
}

/// At a safe point, after detaching for a pause: waits until the pause took this thread's
/// state (or ended), so that attaching again does not race the pause.
pub(crate) fn stop_here(ts: *mut PyThreadState) {
    // SAFETY: the caller's live state.
    unsafe { breaker(ts) }.fetch_and(!PLEASE_STOP, Ordering::SeqCst);
    stw_notify();
    // SAFETY: as above.
    let w = unsafe { crate::pystate::state_word(ts) };
    while stop_requested() && w.load(Ordering::SeqCst) == crate::pystate::DETACHED {
        stw_wait(Duration::from_millis(1));
    }
}

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
#[inline]
pub(crate) fn holds(ts: *mut PyThreadState) -> bool {
    // SAFETY: `ts` is a live state (callers pass their own).
    !ts.is_null() && unsafe { (*ts).holds_gil } != 0
}

/// Whether the lock is enabled (`_PyEval_IsGILEnabled`): what `sys._is_gil_enabled()` says.
#[inline]
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
    let _w = g
        .locked
        .then(|| crate::wait_record::waiting(crate::wait_record::Wait::Lock));
    while g.locked {
        let before = g.switch_number;
        let interval = Duration::from_micros(GIL.interval_us.load(Ordering::Relaxed).max(1));
        g.waiters += 1;
        let (ng, res) = GIL
            .cond
            .wait_timeout(g, interval)
            .unwrap_or_else(|e| e.into_inner());
        g = ng;
        g.waiters -= 1;
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
            g.wake_one_taker();
            restore_errno(errno);
            return false;
        }
    }
    if !enabled() {
        g.wake_one_taker();
        restore_errno(errno);
        return false;
    }
    g.locked = true;
    if g.last_holder != ts as usize {
        g.last_holder = ts as usize;
        g.switch_number += 1;
    }
    GIL.holder.store(ts as usize, Ordering::SeqCst);
    if g.switch_waiters > 0 {
        GIL.switch_cond.notify_all();
    }
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
    g.wake_one_taker();
    // SAFETY: `ts` is the caller's live state.
    let asked = !final_release && unsafe { breaker(ts) }.load(Ordering::SeqCst) & DROP_REQUEST != 0;
    if asked {
        // SAFETY: as above.
        unsafe { breaker(ts) }.fetch_and(!DROP_REQUEST, Ordering::SeqCst);
        while g.last_holder == ts as usize && enabled() {
            g.switch_waiters += 1;
            let (ng, _) = GIL
                .switch_cond
                .wait_timeout(g, Duration::from_millis(10))
                .unwrap_or_else(|e| e.into_inner());
            g = ng;
            g.switch_waiters -= 1;
            if !g.locked && g.last_holder == ts as usize {
                // Nobody took it within the wait (the waiter left): stop waiting when it is
                // still free after a hand-off was possible.
                g.wake_one_taker();
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
        GilConfig::Enable => {
            switch_on(|_| Some(PERMANENT));
        }
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

/// Turns the lock on with counter `value` from off: detaches the caller, stops the world,
/// changes the counter, restarts the world and attaches the caller again (waiting for the
/// lock). True when this call changed it from 0.
fn switch_on(value: impl Fn(i32) -> Option<i32>) -> bool {
    let ts = crate::ceval::detach();
    let serial = stop_the_world();
    let was_off = GIL
        .enabled
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, value)
        .is_ok_and(|v| v == 0);
    start_the_world(serial);
    crate::ceval::attach(ts);
    was_off
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
    switch_on(|v| (v != PERMANENT).then(|| v + 1))
}

/// `_PyEval_EnableGILPermanent`: true when this call made it permanent.
pub fn enable_permanent() -> bool {
    if !changes_allowed() || counter() == PERMANENT {
        return false;
    }
    if counter() == 0 {
        switch_on(|_| Some(PERMANENT));
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
