//! What each thread is waiting on right now: the process's lock, a `PyMutex`, a critical
//! section, the `module` policy's per-module lock (`module_lock.rs`: `enter` and the re-take
//! on attach, when contended). The blocking paths
//! each hold a [`Waiting`] guard while they block; a driver (`gilgate stress --timeout`) takes a thread's
//! [`WaitHandle`] up front and reads it from another thread when the thread seems stuck.
//!
//! The guards sit in `lock.rs`'s `lock` and `lock_slow` (a `PyMutex` that is not free),
//! `critical_section.rs`'s `lock` (the section core's, contended) and `ceval_gil::take` (the
//! lock held by another thread). A record nests: an inner wait replaces the outer one until
//! it ends (a section's wait that parks and then re-takes the process's lock on attach shows
//! the lock meanwhile), except that waiting on the mutex a recorded section waits for keeps
//! the section (more telling).
//! Reads are racy snapshots by design: good for a diagnostic, never for synchronisation.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// What a thread waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// The process's lock (the GIL), in `take`.
    Lock,
    /// The `module` policy's per-module lock.
    ModuleLock,
    /// A `PyMutex` locked directly, by its address.
    Mutex(usize),
    /// A critical section, by the mutex it waits for (an object's `ob_mutex`, or the mutex of a
    /// `BeginMutex` section); of a two-object section, the one it waits for now.
    Section(usize),
}

/// Where `ob_mutex` sits in `PyObject` (after `ob_tid` and `ob_flags`).
const OB_MUTEX_OFFSET: usize = std::mem::offset_of!(crate::object::PyObject, ob_mutex);

impl std::fmt::Display for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let obj = |m: usize| m.wrapping_sub(OB_MUTEX_OFFSET);
        match *self {
            Wait::Lock => write!(f, "the process's lock (GIL)"),
            Wait::ModuleLock => write!(f, "the module lock"),
            Wait::Mutex(m) => write!(f, "a PyMutex at {m:#x}"),
            Wait::Section(m) => write!(
                f,
                "a critical section on the object at {:#x} (its ob_mutex {m:#x})",
                obj(m)
            ),
        }
    }
}

const NONE: u8 = 0;
const LOCK: u8 = 1;
const MODULE_LOCK: u8 = 2;
const MUTEX: u8 = 3;
const SECTION: u8 = 4;

/// One thread's record.
#[derive(Debug, Default)]
struct Slot {
    kind: AtomicU8,
    addr: AtomicUsize,
}

impl Slot {
    fn get(&self) -> Option<Wait> {
        let a = self.addr.load(Ordering::Relaxed);
        match self.kind.load(Ordering::Acquire) {
            LOCK => Some(Wait::Lock),
            MODULE_LOCK => Some(Wait::ModuleLock),
            MUTEX => Some(Wait::Mutex(a)),
            SECTION => Some(Wait::Section(a)),
            _ => None,
        }
    }

    fn set(&self, w: Option<Wait>) {
        let (k, a) = match w {
            None => (NONE, 0),
            Some(Wait::Lock) => (LOCK, 0),
            Some(Wait::ModuleLock) => (MODULE_LOCK, 0),
            Some(Wait::Mutex(m)) => (MUTEX, m),
            Some(Wait::Section(m)) => (SECTION, m),
        };
        self.addr.store(a, Ordering::Relaxed);
        self.kind.store(k, Ordering::Release);
    }
}

thread_local! {
    static SLOT: Arc<Slot> = Arc::new(Slot::default());
}

/// Records a wait until dropped (then the previous record comes back).
#[must_use = "the record lasts as long as the guard"]
pub(crate) struct Waiting {
    prev: Option<Option<Wait>>,
}

/// Records that the calling thread now waits on `w` (one line at each blocking path:
/// `let _w = wait_record::waiting(Wait::Lock);`).
pub(crate) fn waiting(w: Wait) -> Waiting {
    let prev = SLOT
        .try_with(|s| {
            let prev = s.get();
            let keep = matches!((prev, w), (Some(Wait::Section(s)), Wait::Mutex(m)) if m == s);
            if !keep {
                s.set(Some(w));
            }
            prev
        })
        .ok();
    Waiting { prev }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Some(prev) = self.prev {
            let _ = SLOT.try_with(|s| s.set(prev));
        }
    }
}

/// A thread's record, readable from any thread.
#[derive(Clone, Debug)]
pub struct WaitHandle(Arc<Slot>);

impl WaitHandle {
    /// What the thread waits on now (None: it is not blocked in the runtime).
    pub fn get(&self) -> Option<Wait> {
        self.0.get()
    }
}

/// The calling thread's record, to be read later from another thread.
pub fn this_thread() -> WaitHandle {
    WaitHandle(SLOT.with(Arc::clone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_nest_and_a_section_outlasts_its_mutex() {
        let h = this_thread();
        assert_eq!(h.get(), None);
        {
            let _s = waiting(Wait::Section(0x1010));
            assert_eq!(h.get(), Some(Wait::Section(0x1010)));
            {
                let _m = waiting(Wait::Mutex(0x1010));
                assert_eq!(h.get(), Some(Wait::Section(0x1010)));
                let _l = waiting(Wait::Lock);
                assert_eq!(h.get(), Some(Wait::Lock));
            }
            assert_eq!(h.get(), Some(Wait::Section(0x1010)));
            let _m = waiting(Wait::Mutex(0x2000));
            assert_eq!(h.get(), Some(Wait::Mutex(0x2000)));
        }
        assert_eq!(h.get(), None);
        assert_eq!(
            Wait::Section(0x100a).to_string(),
            "a critical section on the object at 0x1000 (its ob_mutex 0x100a)"
        );
    }

    #[test]
    fn another_thread_reads_the_record() {
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            let _w = waiting(Wait::Mutex(0x42));
            tx.send(this_thread()).unwrap();
            let _ = done_rx.recv();
        });
        let h = rx.recv().unwrap();
        assert_eq!(h.get(), Some(Wait::Mutex(0x42)));
        done_tx.send(()).unwrap();
        t.join().unwrap();
        assert_eq!(h.get(), None);
    }
}
