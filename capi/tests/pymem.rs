//! `pymem.h`'s allocators across threads (issue 12, 2-thread scaling): the memory a thread frees
//! stays with that thread while it lives (mimalloc's segments are owned by a thread, as in
//! CPython 3.13t's mimalloc), so two threads that each make and drop many objects never trade
//! pages, whose cache lines would otherwise move from one core to the other on every round.
//! With mimalloc v3 (a page freed empty goes back to the process's shared arena), the second
//! thread below was served from the first one's freed pages.

use gilgate_capi::ffi::{PyObject_Free, PyObject_Malloc};
use std::collections::BTreeSet;
use std::sync::mpsc;
use std::thread;

/// An int's block size, and enough of them to fill about 15 pages of 64 KiB.
const BLOCK: usize = 48;
const COUNT: usize = 20_000;
/// mimalloc's small-object page size (both v2 and v3); pages are aligned to it.
const PAGE: usize = 64 * 1024;

/// Allocates `COUNT` blocks and writes each, returning their addresses.
fn alloc_all() -> Vec<usize> {
    (0..COUNT)
        .map(|i| {
            let p = PyObject_Malloc(BLOCK).cast::<u8>();
            assert!(!p.is_null(), "PyObject_Malloc({BLOCK}) failed");
            // SAFETY: a fresh block of BLOCK bytes.
            unsafe { p.write_bytes(i as u8, BLOCK) };
            p as usize
        })
        .collect()
}

fn free_all(blocks: Vec<usize>) {
    for p in blocks {
        // SAFETY: each block came from PyObject_Malloc and is freed once.
        unsafe { PyObject_Free(p as *mut std::ffi::c_void) };
    }
}

fn pages(blocks: &[usize]) -> BTreeSet<usize> {
    blocks.iter().map(|&p| p / PAGE).collect()
}

#[test]
fn pages_a_live_thread_freed_are_not_handed_to_another_thread() {
    for round in 0..5 {
        let (freed_tx, freed_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let first = thread::spawn(move || {
            // One block stays live until the end: the thread keeps memory of its own, as any
            // thread running Python code does.
            let keep = PyObject_Malloc(BLOCK) as usize;
            let blocks = alloc_all();
            let mut freed = pages(&blocks);
            freed.remove(&(keep / PAGE));
            free_all(blocks);
            freed_tx.send(freed).unwrap();
            done_rx.recv().unwrap();
            free_all(vec![keep]);
        });
        let freed = freed_rx.recv().unwrap();
        assert!(freed.len() > 10, "round {round}: {} pages", freed.len());
        // The first thread is alive (waiting) while the second one allocates.
        let served = thread::spawn(|| {
            let blocks = alloc_all();
            let served = pages(&blocks);
            free_all(blocks);
            served
        })
        .join()
        .unwrap();
        done_tx.send(()).unwrap();
        first.join().unwrap();
        let traded: Vec<_> = freed.intersection(&served).collect();
        assert!(
            traded.is_empty(),
            "round {round}: {} of the {} pages the first thread freed served the second",
            traded.len(),
            freed.len()
        );
    }
}
