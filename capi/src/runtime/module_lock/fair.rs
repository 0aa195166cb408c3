//! The per-module lock's core: a re-entrant ticket lock (FIFO hand-off: each acquisition takes
//! the next ticket and waits until it is served, so no waiter starves) whose waiters block on
//! a condition variable. It knows nothing of threads or thread states: callers pass a per-thread
//! token (never 0), and `module_lock.rs` does the detaching around a wait. Its mutex and
//! condition variable come from `crate::sync` (std's, or loom's in the model crate).

use crate::sync::{Condvar, Mutex, MutexGuard};

/// A re-entrant ticket lock whose waiters block on a condition variable. `owner` is a
/// per-thread token (never 0); `depth` counts the owner's entries.
pub(crate) struct FairLock {
    state: Mutex<State>,
    cond: Condvar,
}

struct State {
    owner: usize,
    depth: usize,
    /// The next ticket to hand out.
    next: u64,
    /// The ticket whose holder may own the lock now.
    serving: u64,
}

impl State {
    const FREE: State = State {
        owner: 0,
        depth: 0,
        next: 0,
        serving: 0,
    };
}

impl FairLock {
    #[cfg(not(loom))]
    pub(crate) const fn new() -> FairLock {
        FairLock {
            state: Mutex::new(State::FREE),
            cond: Condvar::new(),
        }
    }

    /// Under loom nothing is `const`.
    #[cfg(loom)]
    pub(crate) fn new() -> FairLock {
        FairLock {
            state: Mutex::new(State::FREE),
            cond: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Enters without waiting when `me` owns the lock already or nobody holds or waits for it.
    pub(crate) fn try_enter(&self, me: usize) -> bool {
        let mut s = self.state();
        if s.owner == me {
            s.depth += 1;
            return true;
        }
        if s.owner == 0 && s.serving == s.next {
            s.next += 1;
            s.owner = me;
            s.depth = 1;
            return true;
        }
        false
    }

    /// Takes the lock with `depth` entries without waiting when nobody holds or waits for it.
    /// `me` must not own it.
    pub(crate) fn try_enter_with(&self, me: usize, depth: usize) -> bool {
        let mut s = self.state();
        if s.owner == 0 && s.serving == s.next {
            s.next += 1;
            s.owner = me;
            s.depth = depth;
            return true;
        }
        false
    }

    /// Waits for a turn (after every thread that asked before) and takes the lock with
    /// `depth` entries. `me` must not own it.
    pub(crate) fn acquire(&self, me: usize, depth: usize) {
        let mut s = self.state();
        debug_assert_ne!(s.owner, me, "FairLock::acquire by its owner");
        let ticket = s.next;
        s.next += 1;
        while s.serving != ticket {
            s = self.cond.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        debug_assert_eq!(s.owner, 0);
        s.owner = me;
        s.depth = depth;
    }

    /// Leaves one entry; the last one releases the lock to the next ticket. False when `me`
    /// does not own it (nothing changes).
    pub(crate) fn leave(&self, me: usize) -> bool {
        let mut s = self.state();
        if s.owner != me {
            return false;
        }
        s.depth -= 1;
        if s.depth == 0 {
            Self::release(&mut s);
            drop(s);
            self.cond.notify_all();
        }
        true
    }

    /// Releases every entry of `me`; returns how many there were (0: `me` did not own it).
    pub(crate) fn release_all(&self, me: usize) -> usize {
        let mut s = self.state();
        if s.owner != me {
            return 0;
        }
        let depth = s.depth;
        Self::release(&mut s);
        drop(s);
        self.cond.notify_all();
        depth
    }

    fn release(s: &mut State) {
        s.owner = 0;
        s.depth = 0;
        s.serving += 1;
    }

    /// The owner's token (0: free) and its depth.
    pub(crate) fn owner(&self) -> (usize, usize) {
        let s = self.state();
        (s.owner, s.depth)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn reentrant_and_exclusive() {
        let l = FairLock::new();
        assert!(l.try_enter(1));
        assert!(l.try_enter(1), "the owner enters again");
        assert!(!l.try_enter(2), "another thread does not");
        assert_eq!(l.owner(), (1, 2));
        assert!(l.leave(1));
        assert_eq!(l.owner(), (1, 1));
        assert!(!l.leave(2), "only the owner leaves");
        assert_eq!(l.release_all(1), 1);
        assert_eq!(l.owner(), (0, 0));
        assert!(l.try_enter(2));
        assert_eq!(l.release_all(2), 1);
    }

    /// Threads count in a plain counter (a load and a store, not an atomic add) under the
    /// lock, entering it twice each round: the total is exact and the lock ends free.
    #[test]
    fn exact_count() {
        const THREADS: usize = 4;
        const ROUNDS: usize = 5000;
        let lock = Arc::new(FairLock::new());
        let counter = Arc::new(AtomicU64::new(0));
        let hs: Vec<_> = (0..THREADS)
            .map(|t| {
                let (lock, counter) = (lock.clone(), counter.clone());
                std::thread::spawn(move || {
                    let me = 100 + t;
                    for _ in 0..ROUNDS {
                        if !lock.try_enter(me) {
                            lock.acquire(me, 1);
                        }
                        assert!(lock.try_enter(me), "re-entry");
                        let v = counter.load(Ordering::Relaxed);
                        std::hint::spin_loop();
                        counter.store(v + 1, Ordering::Relaxed);
                        assert!(lock.leave(me));
                        assert!(lock.leave(me));
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::SeqCst), (THREADS * ROUNDS) as u64);
        assert_eq!(lock.owner(), (0, 0));
    }

    /// A waiter is served in ticket order: while thread 1 holds the lock, thread 2 then
    /// thread 3 queue; the release hands it to 2, whose release hands it to 3 even though 1
    /// asks again meanwhile.
    #[test]
    fn hand_off_in_ticket_order() {
        for _ in 0..200 {
            let lock = Arc::new(FairLock::new());
            let order = Arc::new(Mutex::new(Vec::new()));
            assert!(lock.try_enter(1));
            let spawn = |me: usize| {
                let (lock, order) = (lock.clone(), order.clone());
                std::thread::spawn(move || {
                    lock.acquire(me, 1);
                    order.lock().unwrap().push(me);
                    lock.leave(me);
                })
            };
            let queued = |n: u64| {
                while lock.state().next < n {
                    std::thread::yield_now();
                }
            };
            let h2 = spawn(2);
            queued(2);
            let h3 = spawn(3);
            queued(3);
            assert_eq!(lock.release_all(1), 1);
            // Thread 1 asks again at once: it does not get ahead of 2 and 3 (try_enter
            // succeeds only once both have been served).
            if lock.try_enter(1) {
                assert_eq!(order.lock().unwrap().len(), 2);
                lock.leave(1);
            }
            h2.join().unwrap();
            h3.join().unwrap();
            assert_eq!(*order.lock().unwrap(), vec![2, 3]);
        }
    }
}
