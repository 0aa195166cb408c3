//! `itertools` objects shared by several threads with the lock off (CPython 3.14t's
//! guarantee is memory safety, not atomic semantics). gilgate's itertools step one object on
//! one thread at a time, so an iterator drained by several threads hands out every item
//! exactly once: the tests check that (a lost or doubled item, a crash or a use after free
//! fails them). Each test runs in a child process (one lock setting per process), with a hang
//! guard; nothing is timed.

mod support;

use gilgate::Policy;
use gilgate::embed::{self, Host, PyRef};
use gilgate::eval::{Evaluator, parse};
use std::sync::mpsc;
use std::time::Duration;
use support::in_child;

const THREADS: usize = 4;

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

/// A namespace with itertools' names, builtins and `operator`.
fn namespace(h: &mut Host) -> Evaluator {
    let mut ev = Evaluator::new();
    let m = h.import("itertools").expect("import itertools");
    ev.add_module(&m, true).expect("itertools' names");
    let op = h.import("operator").expect("import operator");
    ev.add_module(&op, false).expect("operator");
    ev
}

fn eval(ev: &mut Evaluator, src: &str) -> PyRef {
    let e = parse::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    ev.eval(&e).unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// `next(it)` until StopIteration, as reprs; any other error fails.
fn drain(it: &PyRef) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        match it.call_method("__next__", ()) {
            Ok(v) => out.push(v.repr().expect("repr")),
            Err(e) if e.type_name == "StopIteration" => return out,
            Err(e) => panic!("next(): {e}"),
        }
    }
}

/// Drains `it` from several threads at once; every thread's items, in each thread's order.
fn drain_shared(its: Vec<PyRef>) -> Vec<Vec<String>> {
    embed::allow_threads(|| {
        std::thread::scope(|s| {
            let hs: Vec<_> = its
                .into_iter()
                .map(|it| s.spawn(move || drain(&it)))
                .collect();
            hs.into_iter().map(|h| h.join().expect("thread")).collect()
        })
    })
}

/// Each expression's iterator drained by `THREADS` threads gives the single-threaded items,
/// each exactly once.
#[test]
fn shared_iterators_hand_out_each_item_once() {
    if !in_child("shared_iterators_hand_out_each_item_once") {
        return;
    }
    with_hang_guard(300, || {
        let mut h = Host::builder().policy(Policy::Off).build();
        let mut ev = namespace(&mut h);
        for src in [
            "count()",
            "product(range(10), repeat=4)",
            "chain.from_iterable(repeat(range(50), 200))",
            "zip_longest(range(3000), range(5000), fillvalue=-1)",
            "batched(range(20000), 3)",
            "pairwise(range(10000))",
            "islice(count(7, 3), 5, 30000, 2)",
            "accumulate(range(10000))",
            "combinations(range(30), 3)",
            "combinations_with_replacement(range(20), 3)",
            "permutations(range(8), 4)",
            "cycle(range(7))",
            "repeat('x', 10000)",
            "starmap(pow, zip(range(5000), repeat(2)))",
            "compress(range(10000), cycle([1, 0, 1]))",
            "filterfalse(bool, cycle([0, 1]))",
            "dropwhile(bool, chain(range(1, 100), range(10000)))",
            "takewhile(bool, chain(range(1, 10000), [0, 1]))",
        ] {
            // infinite ones are cut to a finite length by islice over the shared object
            let finite = matches!(
                src,
                "count()" | "cycle(range(7))" | "filterfalse(bool, cycle([0, 1]))"
            );
            let single = eval(&mut ev, src);
            let shared = eval(&mut ev, src);
            let (single, shared) = if finite {
                ev.set("s1", single);
                ev.set("s2", shared);
                (
                    eval(&mut ev, "islice(s1, 20000)"),
                    eval(&mut ev, "islice(s2, 20000)"),
                )
            } else {
                (single, shared)
            };
            let mut want = drain(&single);
            let per = drain_shared((0..THREADS).map(|_| shared.clone()).collect());
            let mut got: Vec<String> = per.into_iter().flatten().collect();
            want.sort();
            got.sort();
            assert_eq!(got.len(), want.len(), "{src}: item count");
            assert!(got == want, "{src}: items differ");
        }
    });
}

/// tee objects over one shared buffer, each drained by its own thread, give the whole input
/// in order; one tee drained by several threads gives each item once.
#[test]
fn tee_buffers_are_shared_safely() {
    if !in_child("tee_buffers_are_shared_safely") {
        return;
    }
    with_hang_guard(300, || {
        let mut h = Host::builder().policy(Policy::Off).build();
        let mut ev = namespace(&mut h);
        let n = 20000;
        let tees = eval(&mut ev, &format!("tee(iter(range({n})), {THREADS})"));
        let its: Vec<PyRef> = (0..THREADS)
            .map(|i| tees.get_item(i as i64).expect("tee"))
            .collect();
        let want: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        for got in drain_shared(its) {
            assert!(got == want, "a tee lost or reordered items");
        }
        let one = eval(&mut ev, &format!("tee(range({n}), 1)[0]"));
        let copies = (0..THREADS)
            .map(|_| one.call_method("__copy__", ()).expect("copy"))
            .collect::<Vec<_>>();
        let mut all = drain_shared((0..THREADS).map(|_| one.clone()).chain(copies).collect());
        let copies_out = all.split_off(THREADS);
        for got in copies_out {
            assert!(got == want, "a copy lost or reordered items");
        }
        let mut got: Vec<String> = all.into_iter().flatten().collect();
        got.sort();
        let mut w = want.clone();
        w.sort();
        assert!(
            got == w,
            "a shared tee handed out an item twice or lost one"
        );
    });
}

/// groupby and its `_grouper`s stepped from several threads: every item is seen at most once
/// (a grouper that is no longer current stops), nothing crashes.
#[test]
fn groupby_and_groupers_across_threads() {
    if !in_child("groupby_and_groupers_across_threads") {
        return;
    }
    with_hang_guard(300, || {
        let mut h = Host::builder().policy(Policy::Off).build();
        let mut ev = namespace(&mut h);
        let g = eval(&mut ev, "groupby('aaabbbbcc' * 3000)");
        let seen: usize = embed::allow_threads(|| {
            std::thread::scope(|s| {
                let hs: Vec<_> = (0..THREADS)
                    .map(|_| {
                        let g = g.clone();
                        s.spawn(move || {
                            let mut items = 0;
                            loop {
                                let pair = match g.call_method("__next__", ()) {
                                    Ok(p) => p,
                                    Err(e) if e.type_name == "StopIteration" => return items,
                                    Err(e) => panic!("next(groupby): {e}"),
                                };
                                let grouper = pair.get_item(1_i64).expect("grouper");
                                items += drain(&grouper).len();
                            }
                        })
                    })
                    .collect();
                hs.into_iter().map(|h| h.join().expect("thread")).sum()
            })
        });
        assert!(seen <= 9 * 3000, "{seen} items from a 27000-item input");
    });
}
