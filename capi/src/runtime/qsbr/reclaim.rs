//! The delayed-free scheme itself (`Python/qsbr.c` and the delayed-free queues of
//! `Objects/obmalloc.c`): the write sequence, the slots holding each thread's read sequence,
//! online / offline / quiescent, `free_delayed`'s per-thread queue, its processing, and the
//! shared list of blocks left by exited threads. FFI-free: every atomic, mutex and
//! thread-local comes from `crate::sync` (or loom's, declared beside std's below) and blocks
//! are freed through the parent's `free_block` (and `FREE_AT_ONCE`). The model crate
//! (`capi/model`) compiles this file against loom with a parent of its own.

use crate::sync::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Mutex, Ordering, fence, lock};
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr::{null, null_mut};

/// `QSBR_OFFLINE`, `QSBR_INITIAL`, `QSBR_INCR` (`pycore_qsbr.h`).
pub(crate) const QSBR_OFFLINE: u64 = 0;
pub(crate) const QSBR_INITIAL: u64 = 1;
pub(crate) const QSBR_INCR: u64 = 2;

/// A queue reaching this many blocks is processed at once (bounds the memory a thread that
/// never reaches a safe point holds back, when the others do).
const PROCESS_AT: usize = 64;

/// One thread's read sequence, on a cache line of its own.
#[repr(align(64))]
pub(crate) struct Slot {
    seq: AtomicU64,
    taken: AtomicBool,
    /// The thread's read-section counter: odd while it is inside a read section (see
    /// [`ReadSection`]); only the slot's thread writes it.
    read: AtomicU64,
}

impl Slot {
    #[cfg(not(loom))]
    const fn new() -> Slot {
        Slot {
            seq: AtomicU64::new(QSBR_OFFLINE),
            taken: AtomicBool::new(false),
            read: AtomicU64::new(0),
        }
    }

    /// Under loom nothing is `const`.
    #[cfg(loom)]
    fn new() -> Slot {
        Slot {
            seq: AtomicU64::new(QSBR_OFFLINE),
            taken: AtomicBool::new(false),
            read: AtomicU64::new(0),
        }
    }
}

#[cfg(not(loom))]
const BLOCK_SLOTS: usize = 16;
/// Under loom: two, so that a third thread's slot makes a second block.
#[cfg(loom)]
const BLOCK_SLOTS: usize = 2;

/// Stores `v` in `a` (a slot's own counter) with a full barrier after it, so that no later
/// load of this thread passes the store: on x86-64 one sequentially consistent swap (`xchg`,
/// a locked instruction, a full barrier there), elsewhere and under the model checker a swap
/// and a sequentially consistent fence. A swap, not a store: as a read-modify-write it also
/// continues the release sequence of the counter's previous value.
#[inline]
fn store_then_fence(a: &AtomicU64, v: u64) {
    #[cfg(all(target_arch = "x86_64", not(loom)))]
    a.swap(v, Ordering::SeqCst);
    #[cfg(not(all(target_arch = "x86_64", not(loom))))]
    {
        a.swap(v, Ordering::Relaxed);
        fence(Ordering::SeqCst);
    }
}

/// Slots come in blocks that are never freed (a block outlives every thread that used it), so
/// a scan needs no lock.
struct Block {
    slots: [Slot; BLOCK_SLOTS],
    next: AtomicPtr<Block>,
}

impl Block {
    #[cfg(not(loom))]
    const fn new() -> Block {
        Block {
            slots: [const { Slot::new() }; BLOCK_SLOTS],
            next: AtomicPtr::new(null_mut()),
        }
    }

    #[cfg(loom)]
    fn new() -> Block {
        Block {
            slots: std::array::from_fn(|_| Slot::new()),
            next: AtomicPtr::new(null_mut()),
        }
    }
}

/// A block of memory waiting for readers to pass `goal`.
pub(crate) struct Deferred {
    ptr: *mut c_void,
    goal: u64,
}

// SAFETY: a deferred block is unreachable for new readers; whichever thread frees it owns it.
unsafe impl Send for Deferred {}

/// The shared state (`struct _qsbr_shared`).
pub(crate) struct Qsbr {
    wr_seq: AtomicU64,
    first: Block,
    /// One more than the highest slot index ever taken: scans stop there.
    high: AtomicUsize,
    /// Blocks left by threads that exited before their goals were reached.
    abandoned: Mutex<Vec<Deferred>>,
    abandoned_len: AtomicUsize,
}

impl Qsbr {
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Qsbr {
        Qsbr {
            wr_seq: AtomicU64::new(QSBR_INITIAL),
            first: Block::new(),
            high: AtomicUsize::new(0),
            abandoned: Mutex::new(Vec::new()),
            abandoned_len: AtomicUsize::new(0),
        }
    }

    /// Under loom nothing is `const`.
    #[cfg(loom)]
    pub(crate) fn new() -> Qsbr {
        Qsbr {
            wr_seq: AtomicU64::new(QSBR_INITIAL),
            first: Block::new(),
            high: AtomicUsize::new(0),
            abandoned: Mutex::new(Vec::new()),
            abandoned_len: AtomicUsize::new(0),
        }
    }

    /// Takes a free slot (offline), adding a block when every slot is taken.
    pub(crate) fn register(&self) -> *const Slot {
        let mut block: *const Block = &self.first;
        let mut base = 0;
        loop {
            // SAFETY: blocks are never freed.
            let b = unsafe { &*block };
            for (i, s) in b.slots.iter().enumerate() {
                if s.taken
                    .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
                {
                    // SeqCst: a writer's scan (`wait_readers`, after its fence) that misses
                    // this slot is ordered before the slot's first read section, which then
                    // sees what the writer unlinked.
                    self.high.fetch_max(base + i + 1, Ordering::SeqCst);
                    return s;
                }
            }
            let mut next = b.next.load(Ordering::Acquire);
            if next.is_null() {
                let fresh = Box::into_raw(Box::new(Block::new()));
                match b.next.compare_exchange(
                    null_mut(),
                    fresh,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                ) {
                    Ok(_) => next = fresh,
                    Err(other) => {
                        // SAFETY: `fresh` was never published.
                        drop(unsafe { Box::from_raw(fresh) });
                        next = other;
                    }
                }
            }
            block = next;
            base += BLOCK_SLOTS;
        }
    }

    /// Gives `slot` back (offline).
    pub(crate) fn unregister(&self, slot: &Slot) {
        slot.seq.store(QSBR_OFFLINE, Ordering::Release);
        slot.taken.store(false, Ordering::Release);
    }

    /// `_Py_qsbr_attach`: the slot goes online at the current write sequence. The fence orders
    /// the slot's store before every read the thread makes after attaching, against a writer's
    /// fence between unlinking storage and scanning the slots.
    ///
    /// On x86-64 the store is a sequentially consistent swap instead (`xchg`, what CPython's
    /// sequentially consistent store compiles to): a locked instruction is a full barrier there,
    /// so later loads cannot pass it, as with the fence, at the price of one atomic operation
    /// rather than a store and an `mfence`. The model checker and other targets keep the fence.
    #[inline]
    pub(crate) fn online(&self, slot: &Slot) {
        let seq = self.wr_seq.load(Ordering::Acquire);
        store_then_fence(&slot.seq, seq);
    }

    /// `_Py_qsbr_detach`.
    #[inline]
    pub(crate) fn offline(&self, slot: &Slot) {
        slot.seq.store(QSBR_OFFLINE, Ordering::Release);
    }

    /// `_Py_qsbr_quiescent_state`: the thread holds no pointer it read lock-free before.
    pub(crate) fn quiescent(&self, slot: &Slot) {
        if slot.seq.load(Ordering::Relaxed) != QSBR_OFFLINE {
            slot.seq
                .store(self.wr_seq.load(Ordering::Acquire), Ordering::Release);
        }
    }

    /// Enters a read section on `slot` (called by the slot's thread only): the counter goes
    /// odd. The swap is an atomic read-modify-write, so a writer whose acquire load sees a
    /// later value of the counter also synchronises with the release store that ended the
    /// section before; and it is ordered before every read the section makes, against the
    /// fence `wait_readers` makes between the writer's unlinking and its scan (on x86-64 the
    /// sequentially consistent swap is one `xchg`, a full barrier; elsewhere and under the
    /// model checker a fence follows it).
    #[inline]
    pub(crate) fn read_enter(&self, slot: &Slot, cur: u64) -> u64 {
        let v = cur + 1;
        store_then_fence(&slot.read, v);
        v
    }

    /// Enters a *light* read section on `slot`: the counter goes odd by a release store
    /// followed by a compiler fence only, with no barrier instruction. It is sound against
    /// writers that call [`Qsbr::wait_light_readers`] only, whose system call
    /// (`membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`) runs a full barrier on every CPU that
    /// runs one of the process's threads, between the writer's unlinking and its scan: a
    /// section whose loads came before that barrier has its store before it too (the compiler
    /// fence keeps the program order, the barrier drains the store buffer), so the scan sees
    /// it odd; a section whose store came after it loads after it, and sees the unlinking (a
    /// thread that was not running passed through a context switch, a full barrier, instead).
    /// A release store rather than a relaxed one: a writer whose acquire load sees this value
    /// then also synchronises with the release store that ended the previous section. When
    /// the system call is unavailable (decided once, before the first slot is handed out, see
    /// `super::asymmetric`) and under the model checker, the section is a heavy one.
    #[inline]
    pub(crate) fn read_enter_light(&self, slot: &Slot, cur: u64) -> u64 {
        let v = cur + 1;
        if super::asymmetric() {
            slot.read.store(v, Ordering::Release);
            std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
        } else {
            store_then_fence(&slot.read, v);
        }
        v
    }

    /// Leaves the read section `read_enter` returned `v` for.
    #[inline]
    pub(crate) fn read_exit(&self, slot: &Slot, v: u64) {
        slot.read.store(v + 1, Ordering::Release);
    }

    /// Waits until every read section in progress on another slot than `me` has ended (one
    /// that starts after this call's fence sees what the caller unlinked before it). Read
    /// sections never wait for anything (no lock, no detach, no safe point inside), so each
    /// ends after a bounded number of its own steps: the wait cannot deadlock, whatever locks
    /// the caller holds.
    pub(crate) fn wait_readers(&self, me: *const Slot) {
        self.for_each_other_slot(me, |s| {
            let v = s.read.load(Ordering::Acquire);
            if v & 1 == 0 {
                return;
            }
            let mut spins = 0u32;
            while s.read.load(Ordering::Acquire) == v {
                spins += 1;
                #[cfg(not(loom))]
                if spins < 256 {
                    std::hint::spin_loop();
                    continue;
                }
                let _ = spins;
                crate::sync::yield_now();
            }
        });
    }

    /// [`Qsbr::wait_readers`] for writers of structures read in light sections (as well as
    /// heavy ones: the two kinds share the slot's counter). With the asymmetric scheme on, a
    /// `membarrier` system call first makes every other running thread of the process pass a
    /// full barrier (see [`Qsbr::read_enter_light`]); a heavy writer, which never makes it,
    /// waits for light sections too (a light section on the shared counter only makes it wait
    /// a few loads longer) but relies only on heavy sections' barriers, as it did before.
    ///
    /// A writer that is the only thread ever to have had a slot skips the system call (a
    /// single-threaded program's class attribute writes pay no more than before): a slot
    /// handed out after this check's sequentially consistent load of `high` is ordered after
    /// it, so its first section sees what the caller unlinked (as in `register`).
    pub(crate) fn wait_light_readers(&self, me: *const Slot) {
        super::decide_asymmetric();
        if super::asymmetric() && self.others_registered(me) {
            super::membarrier();
        }
        self.wait_readers(me);
    }

    /// Whether a slot other than `me` was ever handed out, after a sequentially consistent
    /// fence (the caller's earlier stores are ordered before the load).
    fn others_registered(&self, me: *const Slot) -> bool {
        fence(Ordering::SeqCst);
        match self.high.load(Ordering::SeqCst) {
            0 => false,
            1 => !std::ptr::eq(me, &self.first.slots[0]),
            _ => true,
        }
    }

    /// Calls `f` on every slot ever handed out except `me`, after a sequentially consistent
    /// fence (so the caller's earlier stores are ordered before every load `f` makes). Blocks
    /// are never freed, so the walk needs no lock.
    fn for_each_other_slot(&self, me: *const Slot, mut f: impl FnMut(&Slot)) {
        fence(Ordering::SeqCst);
        let high = self.high.load(Ordering::SeqCst);
        let mut block: *const Block = &self.first;
        let mut base = 0;
        while !block.is_null() && base < high {
            // SAFETY: blocks are never freed.
            let b = unsafe { &*block };
            for s in b.slots.iter().take(high - base) {
                if !std::ptr::eq(s, me) {
                    f(s);
                }
            }
            block = b.next.load(Ordering::Acquire);
            base += BLOCK_SLOTS;
        }
    }

    /// `_Py_qsbr_advance`: a new write sequence, the goal of what was unlinked before.
    pub(crate) fn advance(&self) -> u64 {
        self.wr_seq.fetch_add(QSBR_INCR, Ordering::SeqCst) + QSBR_INCR
    }

    /// The smallest read sequence of the online slots other than `me` (`u64::MAX` when there
    /// is none): what `_Py_qsbr_poll` compares a goal with.
    pub(crate) fn min_online_except(&self, me: *const Slot) -> u64 {
        let mut min = u64::MAX;
        self.for_each_other_slot(me, |s| {
            let seq = s.seq.load(Ordering::Acquire);
            if seq != QSBR_OFFLINE && seq < min {
                min = seq;
            }
        });
        min
    }

    /// Frees the blocks of `queue` whose goal every online slot but `me` has reached.
    ///
    /// # Safety
    /// Every block of `queue` must be a live allocation from `pymem`, unreachable for new
    /// readers.
    unsafe fn process(&self, me: *const Slot, queue: &mut Vec<Deferred>) {
        if queue.is_empty() {
            return;
        }
        let min = self.min_online_except(me);
        // Goals only grow along a queue: the ready ones are a prefix.
        let ready = queue.iter().take_while(|d| d.goal <= min).count();
        for d in queue.drain(..ready) {
            // SAFETY: no online reader can still hold `d.ptr` (caller's contract for the rest).
            unsafe { super::free_block(d.ptr) };
        }
    }

    /// Frees what exited threads left behind, when another thread is not doing it already.
    fn process_abandoned(&self) {
        if self.abandoned_len.load(Ordering::Relaxed) == 0 {
            return;
        }
        let Ok(mut list) = self.abandoned.try_lock() else {
            return;
        };
        // The threads that queued these are gone: every online slot counts.
        // SAFETY: blocks handed over by `abandon`, unreachable for new readers.
        unsafe { self.process(null(), &mut list) };
        self.abandoned_len.store(list.len(), Ordering::Relaxed);
    }

    /// Hands an exiting thread's queue over.
    fn abandon(&self, queue: &mut Vec<Deferred>) {
        if queue.is_empty() {
            return;
        }
        let mut list = lock(&self.abandoned);
        list.append(queue);
        list.sort_by_key(|d| d.goal);
        self.abandoned_len.store(list.len(), Ordering::Relaxed);
    }
}

/// The process's one QSBR state (one interpreter).
#[cfg(not(loom))]
static QSBR: Qsbr = Qsbr::new();

// Loom's atomics and mutexes are made inside each explored execution, not in a constant.
#[cfg(loom)]
loom::lazy_static! {
    static ref QSBR: Qsbr = Qsbr::new();
}

// ---- per-thread glue ------------------------------------------------------------------------

/// The calling thread's queue; what is left when the thread exits goes to the shared list.
struct Queue(RefCell<Vec<Deferred>>);

impl Drop for Queue {
    fn drop(&mut self) {
        let q = self.0.get_mut();
        if !q.is_empty() {
            QSBR.abandon(q);
        }
    }
}

/// Gives the thread's slot back when it exits.
struct SlotGuard;

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let s = SLOT.try_with(|s| s.replace(null())).unwrap_or(null());
        if !s.is_null() {
            // SAFETY: slots live for the whole process.
            QSBR.unregister(unsafe { &*s });
        }
    }
}

/// What the two destructors do at thread exit, called by a model thread as its last step:
/// loom runs thread-local destructors, but one that blocks is not waited for by `join`, and
/// a destructor finds the thread's other locals already gone.
#[cfg(loom)]
pub(crate) fn exit_thread() {
    QUEUE.with(|q| QSBR.abandon(&mut q.0.borrow_mut()));
    QUEUED.with(|c| c.set(0));
    let s = SLOT.with(|s| s.replace(null()));
    if !s.is_null() {
        // SAFETY: slots live for the whole process.
        QSBR.unregister(unsafe { &*s });
    }
}

#[cfg(not(loom))]
thread_local! {
    /// This thread's slot (NULL until its first attach).
    static SLOT: Cell<*const Slot> = const { Cell::new(null()) };
    /// Length of `QUEUE` (a destructor-free copy, cheap to test at every detach and attach).
    static QUEUED: Cell<usize> = const { Cell::new(0) };
    static QUEUE: Queue = const { Queue(RefCell::new(Vec::new())) };
    static SLOT_GUARD: SlotGuard = const { SlotGuard };
}

#[cfg(loom)]
loom::thread_local! {
    static SLOT: Cell<*const Slot> = Cell::new(null());
    static QUEUED: Cell<usize> = Cell::new(0);
    static QUEUE: Queue = Queue(RefCell::new(Vec::new()));
    static SLOT_GUARD: SlotGuard = SlotGuard;
}

/// This thread's slot, or NULL.
#[inline]
fn my_slot() -> *const Slot {
    SLOT.try_with(Cell::get).unwrap_or(null())
}

#[cold]
fn register_slot() -> *const Slot {
    if SLOT_GUARD.try_with(|_| ()).is_err() {
        return null();
    }
    // Before any slot exists, so before any read section: light sections are then light (or
    // heavy) for the life of the process.
    super::decide_asymmetric();
    let s = QSBR.register();
    SLOT.with(|c| c.set(s));
    s
}

/// Whether there is something to process: in this thread's queue, or left by exited threads.
#[inline]
fn queued() -> bool {
    QUEUED.try_with(Cell::get).unwrap_or(0) != 0 || QSBR.abandoned_len.load(Ordering::Relaxed) != 0
}

/// Processes the calling thread's queue (and the abandoned list).
#[cold]
fn process_mine() {
    let me = my_slot();
    let _ = QUEUE.try_with(|q| {
        if let Ok(mut q) = q.0.try_borrow_mut() {
            // SAFETY: the queue holds blocks handed to `free_delayed`.
            unsafe { QSBR.process(me, &mut q) };
            let n = q.len();
            QUEUED.with(|c| c.set(n));
        }
    });
    QSBR.process_abandoned();
}

/// The calling thread attached a thread state: its slot goes online (`ceval::attach`).
#[inline]
pub(crate) fn attach() {
    if online() && queued() {
        process_mine();
    }
}

/// `attach` in two halves, for `ceval::attach`'s fast path: the slot goes online here, and
/// the queue is processed by `process_queued` (its slow path, which keeps `errno`: a delayed
/// decref may run any deallocator) when `has_queued` says so.
/// False when the thread has no slot (none could be registered).
#[inline]
pub(crate) fn online() -> bool {
    let mut s = my_slot();
    if s.is_null() {
        s = register_slot();
        if s.is_null() {
            return false;
        }
    }
    // SAFETY: slots live for the whole process.
    QSBR.online(unsafe { &*s });
    true
}

/// Whether the calling thread's queue (or the abandoned list) has blocks to process.
#[inline]
pub(crate) fn has_queued() -> bool {
    queued()
}

/// Processes the calling thread's queue (and the abandoned list) when there is something.
pub(crate) fn process_queued() {
    if queued() {
        process_mine();
    }
}

/// The calling thread detaches (`ceval::detach`, or its state is deleted while attached): its
/// queue is processed and its slot goes offline.
#[inline]
pub(crate) fn detach() {
    if queued() {
        process_mine();
    }
    let s = my_slot();
    if !s.is_null() {
        // SAFETY: slots live for the whole process.
        QSBR.offline(unsafe { &*s });
    }
}

/// A quiescent point of an attached thread (`ceval::safe_point`).
#[inline]
pub(crate) fn quiescent() {
    let s = my_slot();
    if !s.is_null() {
        // SAFETY: slots live for the whole process.
        QSBR.quiescent(unsafe { &*s });
    }
    if queued() {
        process_mine();
    }
}

/// A read section of the calling thread: while it lives, a writer's `wait_readers` waits for
/// it, so what the section reads from a structure whose writers unlink, then call
/// `wait_readers`, then release, stays valid until it ends. A section must be a few loads and
/// increfs: nothing inside may wait, lock, detach, reach a safe point or run code.
pub(crate) struct ReadSection {
    slot: *const Slot,
    seq: u64,
}

impl ReadSection {
    /// Enters a section; `None` when the thread has no slot (it never attached): the caller
    /// takes its locked path then. Sections never nest: nothing inside one can enter another
    /// (they run no code), which the debug build checks.
    #[inline]
    pub(crate) fn enter() -> Option<ReadSection> {
        Self::enter_by(Qsbr::read_enter)
    }

    /// Enters a light section (no barrier instruction; see [`Qsbr::read_enter_light`]): only
    /// for reads of structures whose every writer waits with [`wait_light_readers`] (writers
    /// that are rare, since each makes a system call). `None` as for [`ReadSection::enter`].
    #[inline]
    pub(crate) fn enter_light() -> Option<ReadSection> {
        Self::enter_by(Qsbr::read_enter_light)
    }

    /// The calling thread's slot, its counter made odd by `enter` (heavy or light).
    #[inline(always)]
    fn enter_by(enter: impl FnOnce(&Qsbr, &Slot, u64) -> u64) -> Option<ReadSection> {
        let s = my_slot();
        if s.is_null() {
            return None;
        }
        // SAFETY: slots live for the whole process.
        let slot = unsafe { &*s };
        let cur = slot.read.load(Ordering::Relaxed);
        debug_assert_eq!(cur & 1, 0, "read sections do not nest");
        Some(ReadSection {
            slot: s,
            seq: enter(&QSBR, slot, cur),
        })
    }
}

impl Drop for ReadSection {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: slots live for the whole process.
        QSBR.read_exit(unsafe { &*self.slot }, self.seq);
    }
}

/// Waits out the read sections other threads are in (see [`Qsbr::wait_readers`]): called by
/// a writer after it unlinked something a section may hold and before it releases it.
pub(crate) fn wait_readers() {
    QSBR.wait_readers(my_slot());
}

/// [`wait_readers`] for the writers of structures read in light sections
/// ([`ReadSection::enter_light`]): a `membarrier` system call, then the same wait.
pub(crate) fn wait_light_readers() {
    QSBR.wait_light_readers(my_slot());
}

/// `_PyMem_FreeDelayed(p)`: frees `p` (a `pymem` block just unlinked from a structure other
/// threads may read without a lock) once no other thread can still be reading it.
///
/// # Safety
/// `p` must be NULL or a live block from `pymem` that no new reader can reach.
pub(crate) unsafe fn free_delayed(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    if super::FREE_AT_ONCE {
        // SAFETY: forwarded contract (the negative control frees at once on purpose).
        unsafe { super::free_block(p) };
        return;
    }
    let me = my_slot();
    if QSBR.min_online_except(me) == u64::MAX {
        // SAFETY: no other thread is online, and one that comes online sees the new storage.
        unsafe { super::free_block(p) };
        return;
    }
    let goal = QSBR.advance();
    let pushed = QUEUE.try_with(|q| {
        let mut q = q.0.borrow_mut();
        q.push(Deferred { ptr: p, goal });
        let n = q.len();
        QUEUED.with(|c| c.set(n));
        n
    });
    match pushed {
        Ok(n) if n >= PROCESS_AT => process_mine(),
        Ok(_) => {}
        // The thread is exiting (its queue is gone): the shared list takes the block.
        Err(_) => QSBR.abandon(&mut vec![Deferred { ptr: p, goal }]),
    }
}

/// Blocks waiting in the calling thread's queue (tests and diagnostics).
pub fn pending_frees() -> usize {
    QUEUED.try_with(Cell::get).unwrap_or(0)
}

/// Blocks left by exited threads, not freed yet (tests and diagnostics).
pub fn abandoned_frees() -> usize {
    QSBR.abandoned_len.load(Ordering::Relaxed)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn block() -> *mut c_void {
        crate::pymem::malloc(32)
    }

    #[test]
    fn a_goal_is_reached_once_every_other_online_slot_passed_it() {
        let q = Qsbr::new();
        // SAFETY: slots of `q` live as long as `q`.
        let (a, b, c) = unsafe { (&*q.register(), &*q.register(), &*q.register()) };
        // Nobody online: nothing holds anything back.
        assert_eq!(q.min_online_except(null()), u64::MAX);
        q.online(a);
        q.online(b);
        // `a` unlinks something: `b` came online before, so it holds the goal back; `a`'s own
        // slot never does, for `a`.
        let goal = q.advance();
        assert!(q.min_online_except(a) < goal);
        q.quiescent(b);
        assert!(q.min_online_except(a) >= goal);
        assert!(
            q.min_online_except(b) < goal,
            "a is still behind, for anyone else"
        );
        // Going offline releases too; an offline slot's quiescent point changes nothing.
        q.offline(a);
        q.quiescent(a);
        assert_eq!(q.min_online_except(b), u64::MAX);
        // A slot that comes online after the advance is past the goal already.
        q.online(c);
        assert!(q.min_online_except(b) >= goal);
    }

    #[test]
    fn process_frees_the_ready_prefix_and_keeps_the_rest() {
        let q = Qsbr::new();
        // SAFETY: as above.
        let (w, r) = unsafe { (&*q.register(), &*q.register()) };
        q.online(w);
        q.online(r);
        let g1 = q.advance();
        let mut queue = vec![Deferred {
            ptr: block(),
            goal: g1,
        }];
        q.quiescent(r);
        let g2 = q.advance();
        queue.push(Deferred {
            ptr: block(),
            goal: g2,
        });
        // SAFETY: blocks from pymem, reachable from nothing else.
        unsafe { q.process(w, &mut queue) };
        assert_eq!(queue.len(), 1, "r passed the first goal only");
        assert_eq!(queue[0].goal, g2);
        q.quiescent(r);
        // SAFETY: as above.
        unsafe { q.process(w, &mut queue) };
        assert!(queue.is_empty());
    }

    #[test]
    fn slots_are_reused_and_blocks_added_when_all_are_taken() {
        let q = Qsbr::new();
        let first: Vec<*const Slot> = (0..BLOCK_SLOTS + 3).map(|_| q.register()).collect();
        assert_eq!(q.high.load(Ordering::Relaxed), BLOCK_SLOTS + 3);
        // Every slot distinct; one given back is the next one taken.
        for (i, a) in first.iter().enumerate() {
            assert!(first[i + 1..].iter().all(|b| !std::ptr::eq(*a, *b)));
        }
        // SAFETY: a slot of `q`.
        q.unregister(unsafe { &*first[5] });
        assert!(std::ptr::eq(q.register(), first[5]));
        // A slot in the second block counts in scans.
        // SAFETY: as above.
        let late = unsafe { &*first[BLOCK_SLOTS + 2] };
        q.online(late);
        assert_ne!(q.min_online_except(null()), u64::MAX);
    }

    #[test]
    fn a_light_writer_alone_skips_the_system_call_only_when_no_other_slot_was_handed_out() {
        let q = Qsbr::new();
        assert!(!q.others_registered(null()));
        let a = q.register();
        assert!(!q.others_registered(a), "a's own slot is the only one");
        assert!(
            q.others_registered(null()),
            "a thread without a slot is not a"
        );
        let b = q.register();
        assert!(q.others_registered(a) && q.others_registered(b));
        // A slot given back still counts: its next owner may be reading.
        // SAFETY: a slot of `q`.
        q.unregister(unsafe { &*b });
        assert!(q.others_registered(a));
    }

    #[test]
    fn an_exited_threads_blocks_are_freed_by_others() {
        let q = Qsbr::new();
        // SAFETY: as above.
        let r = unsafe { &*q.register() };
        q.online(r);
        let goal = q.advance();
        q.abandon(&mut vec![Deferred { ptr: block(), goal }]);
        q.process_abandoned();
        assert_eq!(
            q.abandoned_len.load(Ordering::Relaxed),
            1,
            "r still holds it"
        );
        q.quiescent(r);
        q.process_abandoned();
        assert_eq!(q.abandoned_len.load(Ordering::Relaxed), 0);
    }
}
