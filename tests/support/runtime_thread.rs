//! One thread that runs every runtime workload of a test binary, in turn (used by the leak
//! tests of both trees: `tests/leaks.rs` and `capi/tests/leaks.rs`; capi's support module
//! includes this file by `#[path]`).
#![allow(dead_code)]

use std::sync::Mutex;
use std::sync::mpsc::{Sender, channel};

type Job = Box<dyn FnOnce() + Send>;

/// Runs `f` on the one thread that runs every workload of this binary, and waits for it; a
/// panic of `f` is raised again here with its message. The live-object count is exact only
/// when no other thread creates or frees objects meanwhile: a finished test's thread frees its
/// per-thread runtime state as it exits, which could land in the middle of the next test's
/// measurement if each test used its own thread.
pub fn on_runtime_thread(f: impl FnOnce() + Send + 'static) {
    static RUNNER: Mutex<Option<Sender<Job>>> = Mutex::new(None);
    let (done_tx, done_rx) = channel();
    let job: Job = Box::new(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = done_tx.send(r);
    });
    {
        let mut runner = RUNNER.lock().unwrap_or_else(|e| e.into_inner());
        let tx = runner.get_or_insert_with(|| {
            let (tx, rx) = channel::<Job>();
            std::thread::spawn(move || {
                for job in rx {
                    job();
                }
            });
            tx
        });
        tx.send(job).expect("the runtime thread is alive");
    }
    if let Err(p) = done_rx.recv().expect("the job reports back") {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the workload panicked".into());
        panic!("{msg}");
    }
}
