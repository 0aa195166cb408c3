//! `gilgate::embed` from several Rust threads (issue 9 item 7): `PyRef`s shared and dropped
//! across threads, the attach guard every call takes, `allow_threads`, and
//! `examples/threads.rs` run as a test. Each test runs in a child process (one lock and one
//! policy per process); thousands of calls, no timing asserted, and a hang guard.

mod support;

#[allow(dead_code)]
#[path = "../examples/threads.rs"]
mod example;

use gilgate::Policy;
use gilgate::embed::{self, Host, PyRef};
use gilgate_test_extensions::samples_dir;
use std::sync::mpsc;
use std::time::Duration;
use support::in_child;

/// Runs `f` on a thread and fails the test if it has not finished after `secs` seconds.
fn with_hang_guard<R: Send + 'static>(secs: u64, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test body panicked"),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            eprintln!("hang guard: no result after {secs} s");
            std::process::exit(3);
        }
    }
}

fn host(policy: Policy) -> Host {
    Host::builder().policy(policy).path(samples_dir()).build()
}

#[test]
fn example_threads_counts_exactly() {
    if !in_child("example_threads_counts_exactly") {
        return;
    }
    let dir = samples_dir().to_string_lossy().into_owned();
    let (n, len, bumps) = with_hang_guard(120, move || example::run(&dir)).expect("example");
    let total = example::THREADS * example::PER_THREAD;
    assert_eq!(n, total as i64);
    assert_eq!(len, total);
    assert_eq!(bumps, total as i64);
}

/// Several threads call an undeclared module's racy bump() through the embed API under `on`:
/// exact, because each call attaches (taking the lock) and detaches after.
#[test]
fn threads_share_a_module_under_on() {
    if !in_child("threads_share_a_module_under_on") {
        return;
    }
    with_hang_guard(120, || {
        let mut h = host(Policy::On);
        let m = h.import("racy_counter").expect("import");
        m.call("reset", ()).expect("reset");
        embed::allow_threads(|| {
            std::thread::scope(|s| {
                for _ in 0..4 {
                    let m = m.clone();
                    s.spawn(move || {
                        for _ in 0..2000 {
                            m.call("bump", ()).expect("bump");
                        }
                        // Between calls the thread rests detached.
                        assert!(!embed::is_attached());
                    });
                }
            })
        });
        let v: i64 = m.call("value", ()).expect("value").extract().expect("int");
        assert_eq!(v, 8000);
    });
}

/// PyRefs made on one thread are cloned, used and dropped on others; the objects are freed
/// once the last reference goes, wherever that is.
#[test]
fn pyrefs_cross_threads_and_are_freed() {
    if !in_child("pyrefs_cross_threads_and_are_freed") {
        return;
    }
    with_hang_guard(120, || {
        let _h = host(Policy::Off);
        // First uses fill the runtime's caches (interned names, ...) for good: warm them.
        let warm = embed::list(vec![]).expect("list");
        warm.call_method("append", (1000,)).expect("append");
        warm.call_method("pop", ()).expect("pop");
        drop(warm);
        let before = gilgate::capi::host::live_objects();
        let shared: Vec<PyRef> = (0..64)
            .map(|i| {
                embed::list(vec![embed::IntoPy::into_py(i * 1000).expect("int")]).expect("list")
            })
            .collect();
        let shared = std::sync::Arc::new(shared);
        embed::allow_threads(|| {
            std::thread::scope(|s| {
                for t in 0..4usize {
                    let shared = shared.clone();
                    s.spawn(move || {
                        for round in 0..500 {
                            // Threads meet on the same lists: a pop may hand back an int
                            // another thread made (dropped here, a non-owner).
                            let o = shared[(t * 7 + round) % shared.len()].clone();
                            o.call_method("append", (round,)).expect("append");
                            o.call_method("pop", ()).expect("pop");
                            let first: i64 = o.get_item(0).expect("item").extract().expect("int");
                            assert_eq!(first % 1000, 0);
                            drop(o);
                        }
                    });
                }
            })
        });
        // The last references go on other threads.
        embed::allow_threads(|| {
            std::thread::spawn(move || drop(shared))
                .join()
                .expect("dropper");
        });
        gilgate::capi::host::merge_pending();
        let after = gilgate::capi::host::live_objects();
        assert!(
            after <= before,
            "objects left: {} (before {before}, after {after})",
            after - before
        );
    });
}

/// The guard: a new thread is not attached; `attach()` attaches it (direct C API calls are
/// then allowed) and nests; dropping the outer guard detaches; inside `allow_threads` an
/// attached thread is detached and embed calls still work.
#[test]
fn attach_guard_and_allow_threads() {
    if !in_child("attach_guard_and_allow_threads") {
        return;
    }
    with_hang_guard(60, || {
        let _h = host(Policy::On);
        // This thread started the runtime and is attached: it waits detached.
        let t = std::thread::spawn(|| {
            assert!(!embed::is_attached());
            {
                let _g = embed::attach();
                assert!(embed::is_attached());
                {
                    let _inner = embed::attach();
                    assert!(embed::is_attached());
                }
                assert!(embed::is_attached());
                // Direct C API: needs the attached state.
                assert!(gilgate::capi::ffi::PyErr_Occurred().is_null());
                embed::allow_threads(|| {
                    assert!(!embed::is_attached());
                    let v: i64 = embed::list(vec![])
                        .and_then(|l| {
                            l.call_method("append", (5,))?;
                            l.get_item(0)?.extract()
                        })
                        .expect("call inside allow_threads");
                    assert_eq!(v, 5);
                    assert!(!embed::is_attached());
                });
                assert!(embed::is_attached());
            }
            assert!(!embed::is_attached());
        });
        embed::allow_threads(|| t.join()).expect("thread");
    });
}
