//! `--gil module`: one shared, re-entrant, fair lock held while code of a module that did not
//! declare free-threading support runs.
//!
//! Code is attributed to a module **by address**: the loader registers the executable
//! `PT_LOAD` segments of every undeclared module's `.so` (and of the private libraries it
//! loaded from its wheel's `<pkg>.libs/` folder) with [`register`]; [`crate::extcall`]'s
//! `into_extension` looks the callee's address up and, when it lies in a registered range,
//! holds the lock around the call (also on unwind). So a module's functions, its types' slots
//! and deallocators (inherited ones too: the pointer is the module's), its exec and the
//! callbacks it registered are covered, and gilgate's own functions never are.
//!
//! - **Cost when off**: [`active`] is one relaxed atomic load; the policy switches it on once,
//!   before any module loads ([`activate`]).
//! - **Cost when on**: `into_extension` hands the call to [`call_at`] (out of line, so that
//!   with the policy off its callers keep nothing for this path). There a callee in gilgate's
//!   own code (the built-in types' slots, which every `PyNumber_*`, dealloc or call of a
//!   built-in passes through `into_extension`) is told apart by one range test ([`own_code`]:
//!   the executable segment this runtime is linked into, found when the policy is switched on);
//!   only other callees are looked up ([`covers`]), and only a covered one takes the cold
//!   locking path ([`call_locked`]).
//! - **Lookup**: the ranges are an immutable sorted snapshot behind an `AtomicPtr`; a change
//!   builds a new snapshot under a mutex and publishes it. Old snapshots are leaked (a reader may
//!   still be searching one; there is one per registration, a few hundred bytes each).
//! - **Fairness**: a ticket lock (FIFO hand-off): each acquisition takes the next ticket and
//!   waits until it is served, so no waiter starves. Re-entrant: the owner enters again by
//!   bumping its depth (A's code calling B's code calling A's).
//! - **Detach releases it**: `ceval::detach` calls [`release_for_detach`] (the depth is saved
//!   per thread) and `ceval::attach` calls [`reacquire_for_attach`] first, while still detached.
//!   Waiting for the lock detaches, so it cannot deadlock with a `PyMutex`, a critical section
//!   or the process's lock (which is never enabled under `module` anyway).
//!
//! The lock itself is [`fair::FairLock`] (`module_lock/fair.rs`), which takes its mutex and
//! condition variable from `crate::sync` only, so the model crate (`capi/model`) can compile it
//! against loom; this file holds what binds it to threads, thread states and addresses.

mod fair;

pub(crate) use fair::FairLock;
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

// ---- the process's lock and this thread's part in it ---------------------------------------

static ACTIVE: AtomicBool = AtomicBool::new(false);
static LOCK: FairLock = FairLock::new();
static NEXT_TOKEN: AtomicUsize = AtomicUsize::new(1);

thread_local! {
    /// This thread's token (0 until first used).
    static TOKEN: Cell<usize> = const { Cell::new(0) };
    /// The depth a detach released, re-taken by the next attach.
    static SAVED: Cell<usize> = const { Cell::new(0) };
    /// For each open `PyGILState_Ensure` of this thread: whether it entered the lock.
    static ENSURED: std::cell::RefCell<Vec<bool>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn me() -> usize {
    TOKEN.with(|t| {
        let v = t.get();
        if v != 0 {
            return v;
        }
        let v = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
        t.set(v);
        v
    })
}

/// Whether the process runs under the `module` policy (one relaxed load).
#[inline(always)]
pub(crate) fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// Switches the per-module lock on for the process (the `module` policy; once, before any
/// module loads). It is never switched off.
pub fn activate() {
    if let Some((start, end)) = own_segment() {
        // Under the registrations' mutex: a registration made meanwhile either is seen here or
        // sees the segment (`register`).
        let spans = SPANS.lock().unwrap_or_else(|e| e.into_inner());
        if !spans.iter().any(|s| s.start < end && start < s.end) {
            OWN_START.store(start, Ordering::Relaxed);
            OWN_LEN.store(end - start, Ordering::Relaxed);
        }
    }
    ACTIVE.store(true, Ordering::SeqCst);
}

/// The executable segment of the loaded object this runtime's code is linked into.
fn own_segment() -> Option<(usize, usize)> {
    let here = activate as fn() as usize;
    code_ranges(here, &[])
        .into_iter()
        .find(|&(s, e)| s <= here && here < e)
}

/// The executable segment holding this runtime's code (`[start, start + len)`; empty until
/// [`activate`], and for good once a registration overlaps it, see [`register`]).
static OWN_START: AtomicUsize = AtomicUsize::new(0);
static OWN_LEN: AtomicUsize = AtomicUsize::new(0);

/// Whether `addr` lies in gilgate's own code, which no registration covers: two relaxed loads
/// and one compare.
#[inline(always)]
pub(crate) fn own_code(addr: usize) -> bool {
    addr.wrapping_sub(OWN_START.load(Ordering::Relaxed)) < OWN_LEN.load(Ordering::Relaxed)
}

/// Whether the process runs under the per-module lock.
pub fn is_active() -> bool {
    active()
}

/// Enters the lock for this thread: at once when it owns it or it is free; else waits
/// detached (the attached state, if any, is detached while waiting and attached again).
pub(crate) fn enter() {
    let me = me();
    if LOCK.try_enter(me) {
        return;
    }
    let ts = crate::ceval::detach();
    // The detach released nothing of ours (we did not own the lock), so SAVED is 0 here and
    // the attach below re-takes nothing; we take our one entry ourselves, detached.
    {
        let _w = crate::wait_record::waiting(crate::wait_record::Wait::ModuleLock);
        LOCK.acquire(me, 1);
    }
    crate::ceval::attach(ts);
}

/// Leaves one entry of this thread. When a detach inside the call released the lock and no
/// attach took it back (a thread that returned detached), the saved depth shrinks instead.
pub(crate) fn leave() {
    let me = me();
    if !LOCK.leave(me) {
        SAVED.with(|s| s.set(s.get().saturating_sub(1)));
    }
}

/// Called by `ceval::detach` (the state is already marked detached): releases this thread's
/// entries and remembers how many.
pub(crate) fn release_for_detach() {
    if !active() {
        return;
    }
    let n = LOCK.release_all(me());
    if n != 0 {
        SAVED.with(|s| s.set(s.get() + n));
    }
}

/// Called by `ceval::attach` before anything else (still detached): takes back what the
/// last detach released, waiting for its turn.
pub(crate) fn reacquire_for_attach() {
    if !active() {
        return;
    }
    let n = SAVED.with(|s| s.replace(0));
    if n != 0 {
        let me = me();
        if !LOCK.try_enter_with(me, n) {
            let _w = crate::wait_record::waiting(crate::wait_record::Wait::ModuleLock);
            LOCK.acquire(me, n);
        }
    }
}

/// Leaves one entry when dropped (the call returned or unwound).
pub(crate) struct Entered;

impl Drop for Entered {
    fn drop(&mut self) {
        leave();
    }
}

/// Whether a call to `addr` must hold the lock (the policy is `module`): not for gilgate's own
/// code (inline), else when a registration covers it (out of line).
#[inline(always)]
pub(crate) fn must_lock(addr: usize) -> bool {
    !own_code(addr) && covers(addr)
}

/// `into_extension` with the policy on: runs `call` holding the lock when `addr` must lock,
/// else just runs it. Out of line, so that `into_extension`'s callers keep nothing of this.
#[inline(never)]
pub(crate) fn call_at<R>(addr: usize, call: impl FnOnce() -> R) -> R {
    if must_lock(addr) {
        call_locked(call)
    } else {
        call()
    }
}

/// `into_extension`'s locking path (a callee in an undeclared module's code): runs `call`
/// holding the lock, leaving it also when the call unwinds.
#[cold]
#[inline(never)]
pub(crate) fn call_locked<R>(call: impl FnOnce() -> R) -> R {
    enter();
    let _g = Entered;
    call()
}

/// `PyGILState_Ensure` (the thread is attached now): a call from registered module code
/// enters the lock until the matching `PyGILState_Release`.
pub(crate) fn after_ensure(caller: usize) {
    if !active() {
        return;
    }
    let take = covers(caller);
    if take {
        enter();
    }
    ENSURED.with(|e| e.borrow_mut().push(take));
}

/// `PyGILState_Release` (still attached): leaves what the matching Ensure entered.
pub(crate) fn before_release() {
    if !active() {
        return;
    }
    if ENSURED.with(|e| e.borrow_mut().pop()) == Some(true) {
        leave();
    }
}

/// Whether this thread owns the lock now (for tests and the stress report).
pub fn held_by_me() -> bool {
    LOCK.owner().0 == me()
}

// ---- the address ranges -------------------------------------------------------------------

/// One registered range: `[start, end)`, and the registration it belongs to.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    owner: u64,
}

/// Every registration's spans (the writer's copy).
static SPANS: Mutex<Vec<Span>> = Mutex::new(Vec::new());
/// The readers' snapshot: sorted, merged `[start, end)` ranges; NULL: none.
static SNAPSHOT: AtomicPtr<Vec<(usize, usize)>> = AtomicPtr::new(std::ptr::null_mut());
static NEXT_OWNER: AtomicUsize = AtomicUsize::new(1);

/// Whether `addr` lies in a registered range (lock-free).
#[inline(never)]
pub(crate) fn covers(addr: usize) -> bool {
    let p = SNAPSHOT.load(Ordering::Acquire);
    if p.is_null() {
        return false;
    }
    // SAFETY: snapshots are published fully built and never freed (see the module doc).
    let ranges = unsafe { &*p };
    let i = ranges.partition_point(|&(start, _)| start <= addr);
    i > 0 && addr < ranges[i - 1].1
}

fn publish(spans: &[Span]) {
    let mut v: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
    v.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    // The old snapshot is leaked on purpose: a reader may still hold it.
    SNAPSHOT.store(Box::into_raw(Box::new(merged)), Ordering::Release);
}

/// Registers ranges of code as one module's; returns the registration's id.
pub fn register(ranges: &[(usize, usize)]) -> u64 {
    let owner = NEXT_OWNER.fetch_add(1, Ordering::Relaxed) as u64;
    let mut spans = SPANS.lock().unwrap_or_else(|e| e.into_inner());
    let (own, len) = (
        OWN_START.load(Ordering::Relaxed),
        OWN_LEN.load(Ordering::Relaxed),
    );
    if len != 0 && ranges.iter().any(|&(s, e)| s < own + len && own < e) {
        // Code registered inside the runtime's own segment (not something the loader does:
        // it registers modules' files): the inline test would skip it, so every callee is
        // looked up from now on. Stored before the snapshot that covers it is published.
        OWN_LEN.store(0, Ordering::SeqCst);
    }
    spans.extend(
        ranges
            .iter()
            .filter(|(s, e)| s < e)
            .map(|&(start, end)| Span { start, end, owner }),
    );
    publish(&spans);
    owner
}

/// Drops a registration (the module turned out to declare free-threading support). A thread
/// inside its code keeps its entry until the call returns.
pub fn unregister(owner: u64) {
    let mut spans = SPANS.lock().unwrap_or_else(|e| e.into_inner());
    spans.retain(|s| s.owner != owner);
    publish(&spans);
}

/// The executable `PT_LOAD` segments of the loaded object that contains `addr`, and of every
/// loaded object whose file lies in a folder named `*.libs` directly under one of `roots`
/// (the private libraries of a wheel, as auditwheel places them).
pub fn code_ranges(addr: usize, roots: &[std::path::PathBuf]) -> Vec<(usize, usize)> {
    struct Ctx<'a> {
        addr: usize,
        roots: &'a [std::path::PathBuf],
        out: Vec<(usize, usize)>,
    }
    unsafe extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        data: *mut std::ffi::c_void,
    ) -> libc::c_int {
        // SAFETY: the loader passes a valid info for the duration of the call and our context.
        let (info, ctx) = unsafe { (&*info, &mut *data.cast::<Ctx>()) };
        // SAFETY: `dlpi_phdr` holds `dlpi_phnum` program headers.
        let phdrs = unsafe { std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize) };
        let base = info.dlpi_addr as usize;
        let segs: Vec<(usize, usize)> = phdrs
            .iter()
            .filter(|p| p.p_type == libc::PT_LOAD && p.p_flags & libc::PF_X != 0)
            .map(|p| {
                let s = base + p.p_vaddr as usize;
                (s, s + p.p_memsz as usize)
            })
            .collect();
        let contains = segs.iter().any(|&(s, e)| s <= ctx.addr && ctx.addr < e);
        let private = !info.dlpi_name.is_null() && {
            // SAFETY: a NUL-terminated path (possibly empty).
            let name = unsafe { std::ffi::CStr::from_ptr(info.dlpi_name) };
            let path = std::path::Path::new(
                <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name.to_bytes()),
            );
            is_private_lib(path, ctx.roots)
        };
        if contains || private {
            ctx.out.extend(segs);
        }
        0
    }
    let mut ctx = Ctx {
        addr,
        roots,
        out: Vec::new(),
    };
    // SAFETY: `each` matches the callback type and only reads what the loader hands it.
    unsafe { libc::dl_iterate_phdr(Some(each), (&raw mut ctx).cast()) };
    ctx.out
}

fn is_private_lib(path: &std::path::Path, roots: &[std::path::PathBuf]) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    if !dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".libs"))
    {
        return false;
    }
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.parent()
        .is_some_and(|p| roots.iter().any(|r| r.as_path() == p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_segment_holds_the_runtime_and_not_the_c_library() {
        let (start, end) = own_segment().expect("the runtime's executable segment");
        let inside = |f: usize| start <= f && f < end;
        assert!(inside(covers as fn(usize) -> bool as usize));
        assert!(inside(register as fn(&[(usize, usize)]) -> u64 as usize));
        let malloc: unsafe extern "C" fn(libc::size_t) -> *mut libc::c_void = libc::malloc;
        assert!(!inside(malloc as usize));
    }

    #[test]
    fn a_registration_inside_the_own_segment_turns_the_inline_test_off() {
        // A made-up own segment, far from the other test's ranges and from real code.
        OWN_START.store(0x7000, Ordering::SeqCst);
        OWN_LEN.store(0x1000, Ordering::SeqCst);
        assert!(own_code(0x7800) && !must_lock(0x7800));
        let id = register(&[(0x7800, 0x7900)]);
        assert!(!own_code(0x7800));
        assert!(must_lock(0x7800) && !must_lock(0x7a00));
        unregister(id);
        assert!(!must_lock(0x7800));
    }

    #[test]
    fn ranges_snapshot() {
        // Private ranges far from any real code.
        let a = register(&[(0x10, 0x20), (0x40, 0x50)]);
        let b = register(&[(0x18, 0x30)]);
        assert!(covers(0x10) && covers(0x2f) && covers(0x40) && !covers(0x30));
        assert!(!covers(0x50) && !covers(0x0f));
        unregister(a);
        assert!(!covers(0x10) && covers(0x18) && !covers(0x40));
        unregister(b);
        assert!(!covers(0x18));
    }

    #[test]
    fn finds_its_own_code() {
        let f = finds_its_own_code as fn() as usize;
        let r = code_ranges(f, &[]);
        assert!(r.iter().any(|&(s, e)| s <= f && f < e), "{r:x?}");
    }
}
