//! A parking lot, after CPython's `Python/parking_lot.c`: a thread waits on an address for as
//! long as a check made under the address's bucket lock says it should; a waker takes the
//! first waiter of an address (first come, first served) and decides, still under the bucket
//! lock, what that waiter is told. `PyMutex` is built on it (`lock.rs`).
//!
//! Why our own and not the `parking_lot_core` crate (which offers the same park/unpark by
//! address): the waiter must detach its thread state around the sleep (which can itself lock
//! and park, when resuming a critical section), and the code is small enough to read whole.
//!
//! Waiters live in a fixed table of 257 buckets keyed by address, each a plain mutex over a
//! queue; a waiter sleeps on its own thread's parker (a mutex, a condition variable and the
//! token its waker leaves). The primitives come from `crate::sync`, so the model crate
//! (`capi/model`) checks this file under loom.

use crate::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::collections::VecDeque;
use std::time::Instant;

#[cfg(not(loom))]
const NUM_BUCKETS: usize = 257;
/// Under loom: fewer buckets (each is a modelled mutex), still more than one, so distinct
/// addresses may or may not share one.
#[cfg(loom)]
const NUM_BUCKETS: usize = 3;

/// One thread's place to sleep: the token a waker leaves (None until woken).
struct Parker {
    token: Mutex<Option<usize>>,
    wake: Condvar,
}

impl Parker {
    fn new() -> Parker {
        Parker {
            token: Mutex::new(None),
            wake: Condvar::new(),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<usize>> {
        self.token.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Leaves `token` and wakes the thread.
    fn post(&self, token: usize) {
        *self.slot() = Some(token);
        self.wake.notify_one();
    }

    /// Sleeps until a token arrives or `deadline` passes (None: the deadline passed).
    fn wait(&self, deadline: Option<Instant>) -> Option<usize> {
        let mut slot = self.slot();
        loop {
            if let Some(t) = slot.take() {
                return Some(t);
            }
            match deadline {
                None => slot = self.wake.wait(slot).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return None;
                    }
                    slot = self
                        .wake
                        .wait_timeout(slot, d - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
    }
}

/// A parked thread: the address it waits on, what it told its waker, where it sleeps.
struct Waiter {
    addr: usize,
    arg: u64,
    parker: Arc<Parker>,
}

type Bucket = Mutex<VecDeque<Waiter>>;

#[cfg(not(loom))]
static BUCKETS: [Bucket; NUM_BUCKETS] = [const { Mutex::new(VecDeque::new()) }; NUM_BUCKETS];

#[cfg(not(loom))]
thread_local! {
    static PARKER: Arc<Parker> = Arc::new(Parker::new());
}

// Loom's mutexes are made inside each explored execution, not in a constant.
#[cfg(loom)]
loom::lazy_static! {
    static ref BUCKETS: Vec<Bucket> = (0..NUM_BUCKETS).map(|_| Mutex::new(VecDeque::new())).collect();
}

#[cfg(loom)]
loom::thread_local! {
    static PARKER: Arc<Parker> = Arc::new(Parker::new());
}

fn bucket(addr: usize) -> MutexGuard<'static, VecDeque<Waiter>> {
    BUCKETS[addr % NUM_BUCKETS]
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn my_parker() -> Arc<Parker> {
    // While the thread's locals are being torn down a fresh parker does as well.
    PARKER
        .try_with(Arc::clone)
        .unwrap_or_else(|_| Arc::new(Parker::new()))
}

/// How a park ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parked {
    /// A waker took this thread off the queue and left this token.
    Woken(usize),
    /// The check failed: the address no longer holds what the caller expected.
    Again,
    /// The deadline passed first.
    TimedOut,
}

/// Parks the calling thread on `addr` if `still_wanted()`, run under the bucket lock, says
/// so; `arg` is shown to the waker. Returns when woken, or at `deadline` (None: never).
pub(crate) fn park(
    addr: usize,
    still_wanted: impl FnOnce() -> bool,
    arg: u64,
    deadline: Option<Instant>,
) -> Parked {
    let parker = my_parker();
    {
        let mut q = bucket(addr);
        if !still_wanted() {
            return Parked::Again;
        }
        q.push_back(Waiter {
            addr,
            arg,
            parker: parker.clone(),
        });
    }
    if let Some(t) = parker.wait(deadline) {
        return Parked::Woken(t);
    }
    // Timed out: leave the queue, unless a waker has already taken us off it (then its token
    // is on the way and must be waited for, or it would reach a later park).
    {
        let mut q = bucket(addr);
        if let Some(i) = q.iter().position(|w| Arc::ptr_eq(&w.parker, &parker)) {
            q.remove(i);
            return Parked::TimedOut;
        }
    }
    Parked::Woken(parker.wait(None).unwrap_or(0))
}

/// Wakes the first thread parked on `addr`. `decide(arg, more)` runs under the bucket lock:
/// `arg` is the woken thread's (None when nobody waits), `more` whether others still wait on
/// `addr`; it returns the token the woken thread gets.
pub(crate) fn unpark_one(addr: usize, decide: impl FnOnce(Option<u64>, bool) -> usize) {
    let woken = {
        let mut q = bucket(addr);
        match q.iter().position(|w| w.addr == addr) {
            Some(i) => {
                let w = q.remove(i).expect("index from position");
                let more = q.iter().any(|o| o.addr == addr);
                let token = decide(Some(w.arg), more);
                Some((w.parker, token))
            }
            None => {
                decide(None, false);
                None
            }
        }
    };
    if let Some((p, token)) = woken {
        p.post(token);
    }
}

/// How many threads are parked on `addr` (for tests and for the timeout report).
#[allow(dead_code)]
pub(crate) fn waiters(addr: usize) -> usize {
    bucket(addr).iter().filter(|w| w.addr == addr).count()
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_failed_check_does_not_park() {
        let x = 7usize;
        let a = &raw const x as usize;
        assert_eq!(park(a, || false, 0, None), Parked::Again);
        assert_eq!(waiters(a), 0);
    }

    #[test]
    fn a_deadline_ends_the_park_and_leaves_the_queue() {
        let x = 7usize;
        let a = &raw const x as usize;
        let d = Instant::now() + std::time::Duration::from_millis(5);
        assert_eq!(park(a, || true, 0, Some(d)), Parked::TimedOut);
        assert_eq!(waiters(a), 0);
    }

    #[test]
    fn wakers_wake_each_parked_thread_once_in_order_of_arrival() {
        let key = Box::leak(Box::new(0u64)) as *mut u64 as usize;
        let parked = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..4u64)
            .map(|i| {
                let parked = parked.clone();
                std::thread::spawn(move || {
                    // Enter the queue in index order.
                    while parked.load(Ordering::Acquire) != i as usize {
                        std::thread::yield_now();
                    }
                    park(
                        key,
                        || {
                            parked.fetch_add(1, Ordering::AcqRel);
                            true
                        },
                        i,
                        None,
                    )
                })
            })
            .collect();
        while parked.load(Ordering::Acquire) != 4 {
            std::thread::yield_now();
        }
        for i in 0..4u64 {
            unpark_one(key, |arg, more| {
                assert_eq!(arg, Some(i));
                assert_eq!(more, i < 3);
                100 + i as usize
            });
        }
        let got: Vec<_> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        let want: Vec<_> = (0..4).map(|i| Parked::Woken(100 + i)).collect();
        assert_eq!(got, want);
        unpark_one(key, |arg, more| {
            assert_eq!((arg, more), (None, false));
            0
        });
    }
}
