//! The models of what keeps memory valid between threads: biased reference counting's queues
//! (`refcount/brc.rs`) and delayed freeing (`qsbr/reclaim.rs`). Objects and arrays are the
//! model parents' (`refcount.rs`, `qsbr.rs`): a free marks them, and every later access, a
//! second free, or an access loom cannot order before the free fails the model.

use crate::qsbr::Array;
use crate::qsbr::reclaim::{
    ReadSection, abandoned_frees, attach, detach, free_delayed, pending_frees, quiescent,
    wait_light_readers, wait_readers,
};
use crate::refcount::PyObject;
use crate::refcount::brc::{decref_shared, merge_pending, pending_count};
use loom::sync::Arc;
use loom::sync::atomic::{AtomicPtr, Ordering};
use loom::thread;

/// A model thread's last step: what its thread-local destructors do at exit (loom runs them
/// too, but does not wait for one that blocks, and a model's main thread runs them after its
/// execution's statics are gone).
fn exit_thread() {
    crate::refcount::brc::exit_thread();
    crate::qsbr::reclaim::exit_thread();
}

// ---- biased reference counting ----------------------------------------------------------

/// An object whose owner handed its two references (both in the local count) to two other
/// threads: the first foreign decref finds the shared count at zero and queues the object, the
/// second only lowers the shared count (so it is queued once), and the owner's merges, one
/// racing with the decrefs and one after them, free it exactly once.
#[test]
fn brc_foreign_decrefs_queue_once_and_the_owner_frees_once() {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.check(|| {
        let o = Arc::new(PyObject::new(2));
        let ts: Vec<_> = (0..2)
            .map(|_| {
                let o = o.clone();
                // SAFETY: each thread drops one of the two references.
                thread::spawn(move || unsafe { decref_shared(o.ptr()) })
            })
            .collect();
        merge_pending();
        for t in ts {
            t.join().unwrap();
        }
        merge_pending();
        assert_eq!(o.frees(), 1, "freed exactly once, by the owner's merge");
        assert_eq!(pending_count(), 0);
        exit_thread();
    });
}

/// The owner's merge races with a foreign thread dropping two objects, one after the other:
/// whatever the order, an object queued after the owner tested (or cleared) its "has work"
/// flag is found at its next merge; none is left in the queue with the flag clear.
#[test]
fn brc_the_work_flag_never_loses_a_queued_object() {
    loom::model(|| {
        let objs = Arc::new([PyObject::new(1), PyObject::new(1)]);
        let o2 = objs.clone();
        let t = thread::spawn(move || {
            for o in o2.iter() {
                // SAFETY: the foreign thread drops each object's only reference.
                unsafe { decref_shared(o.ptr()) };
            }
        });
        merge_pending();
        t.join().unwrap();
        merge_pending();
        for o in objs.iter() {
            assert_eq!(o.frees(), 1, "each queued object was merged and freed");
        }
        exit_thread();
    });
}

/// An owner thread exits while another thread drops the reference it handed over: queued
/// before the exit, the exiting owner merges it; after, the decref finds no owner and merges
/// on the spot. Either way it is freed once and nothing is left queued.
#[test]
fn brc_an_exiting_owner_leaves_nothing_behind() {
    loom::model(|| {
        let owner = thread::spawn(|| {
            let o = Arc::new(PyObject::new(1));
            let o2 = o.clone();
            // SAFETY: the foreign thread drops the object's only reference.
            let f = thread::spawn(move || unsafe { decref_shared(o2.ptr()) });
            exit_thread();
            (o, f)
        });
        let (o, f) = owner.join().unwrap();
        f.join().unwrap();
        assert_eq!(
            o.frees(),
            1,
            "freed once, by the exiting owner or on the spot"
        );
    });
}

// ---- delayed freeing ----------------------------------------------------------------------

/// A container's storage: the array readers find, and the old and new arrays.
struct Storage {
    current: AtomicPtr<Array>,
    old: Array,
    new: Array,
}

impl Storage {
    fn new() -> Arc<Storage> {
        let s = Arc::new(Storage {
            current: AtomicPtr::new(std::ptr::null_mut()),
            old: Array::new(1),
            new: Array::new(2),
        });
        s.current.store(s.old.ptr(), Ordering::Release);
        s
    }

    /// A lock-free read of whatever array is current.
    fn read(&self) -> usize {
        let p = self.current.load(Ordering::Acquire);
        // SAFETY: both arrays live as long as `self`; whether `p` was freed is what the
        // model checks.
        unsafe { &*p }.read()
    }

    /// The writer's replacement: publish the new array, retire the old one.
    fn replace(&self) {
        self.current.store(self.new.ptr(), Ordering::Release);
        // SAFETY: the old array is unreachable for new readers.
        unsafe { free_delayed(self.old.ptr().cast()) };
    }
}

/// A reader online (attached) that read the old array before the writer replaced it keeps it
/// from being freed until it passes a quiescent point or goes offline; the writer's later
/// processing frees it exactly once, and never the array in use.
#[test]
fn qsbr_an_online_reader_keeps_the_old_array() {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(3);
    b.check(|| {
        let s = Storage::new();
        let s2 = s.clone();
        let reader = thread::spawn(move || {
            attach();
            let v = s2.read();
            quiescent();
            let w = s2.read();
            detach();
            exit_thread();
            assert!(v <= w, "a reader never goes back to the old array");
        });
        attach();
        s.replace();
        detach();
        reader.join().unwrap();
        attach();
        detach();
        assert_eq!(s.old.frees(), 1, "the retired array is freed once");
        assert_eq!(s.new.frees(), 0);
        assert_eq!(pending_frees(), 0);
        exit_thread();
    });
}

/// Two writers retire one array each while a third thread is online; one detaches, the other
/// exits while still attached (its queue goes to the shared list). The online thread stays
/// online: once it passes a quiescent point after they are done, each retired array has been
/// freed exactly once (by a writer, or by its own processing of the shared list).
#[test]
fn qsbr_every_retired_array_is_freed_once() {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.check(|| {
        let arrays = Arc::new([Array::new(1), Array::new(2)]);
        attach();
        let ts: Vec<_> = (0..2)
            .map(|i| {
                let a = arrays.clone();
                thread::spawn(move || {
                    attach();
                    // SAFETY: the array is reachable from nothing any more.
                    unsafe { free_delayed(a[i].ptr().cast()) };
                    if i == 0 {
                        detach();
                    }
                    // Thread 1 exits attached: its slot is released, its queue abandoned.
                    exit_thread();
                })
            })
            .collect();
        quiescent();
        for t in ts {
            t.join().unwrap();
        }
        quiescent();
        assert_eq!(arrays[0].frees(), 1);
        assert_eq!(arrays[1].frees(), 1);
        assert_eq!(abandoned_frees(), 0);
        detach();
        exit_thread();
    });
}

// ---- read sections ------------------------------------------------------------------------

/// A read section (`ReadSection`) against a writer that unlinks the storage, waits out the
/// sections in progress (`wait_readers`) and frees it at once (the synchronous grace period of
/// the lock-free dict and type-cache reads): whatever array the reader found, it is never
/// freed before the section ends, and the writer frees it exactly once, without waiting for the
/// reader's next quiescent point. Fails without the wait, without the writer's fence, or
/// without the section's (tried).
#[test]
fn a_read_section_is_waited_out_before_a_synchronous_free() {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(3);
    b.check(|| {
        let s = Storage::new();
        let s2 = s.clone();
        let reader = thread::spawn(move || {
            attach();
            let sec = ReadSection::enter().expect("an attached thread has a slot");
            let v = s2.read();
            drop(sec);
            detach();
            exit_thread();
            v
        });
        attach();
        s.current.store(s.new.ptr(), Ordering::Release);
        wait_readers();
        // SAFETY: the old array is unreachable for new readers and no section holds it.
        unsafe { crate::qsbr::free_block(s.old.ptr().cast()) };
        let v = reader.join().unwrap();
        assert!(v == 1 || v == 2);
        assert_eq!(s.old.frees(), 1, "the unlinked array is freed once");
        assert_eq!(s.new.frees(), 0);
        detach();
        exit_thread();
    });
}

/// A light read section (`ReadSection::enter_light`, the type cache's) against a writer that
/// waits with `wait_light_readers`, next to a heavy section on another thread (the two kinds
/// share the slot's counter, and a light writer waits for both). Loom cannot model the
/// `membarrier` system call, so both sections here are what a light one degenerates to
/// without it (a swap and a fence); the asymmetric case is argued in `model/src/qsbr.rs`.
/// Neither reader reads a freed array; the writer frees it once.
#[test]
fn light_and_heavy_sections_are_waited_out_by_a_light_writer() {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.check(|| {
        let s = Storage::new();
        let readers: Vec<_> = [true, false]
            .into_iter()
            .map(|light| {
                let s2 = s.clone();
                thread::spawn(move || {
                    attach();
                    let sec = if light {
                        ReadSection::enter_light()
                    } else {
                        ReadSection::enter()
                    }
                    .expect("an attached thread has a slot");
                    let v = s2.read();
                    drop(sec);
                    detach();
                    exit_thread();
                    v
                })
            })
            .collect();
        attach();
        s.current.store(s.new.ptr(), Ordering::Release);
        wait_light_readers();
        // SAFETY: the old array is unreachable for new readers and no section holds it.
        unsafe { crate::qsbr::free_block(s.old.ptr().cast()) };
        for r in readers {
            let v = r.join().unwrap();
            assert!(v == 1 || v == 2);
        }
        assert_eq!(s.old.frees(), 1, "the unlinked array is freed once");
        detach();
        exit_thread();
    });
}
