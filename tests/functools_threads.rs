//! `functools` caches shared by threads (`gilgate stress --gil off`: the wrapper's critical
//! section is all that orders them): every call is counted once as a hit or a miss, a bounded
//! cache never holds more than `maxsize` entries, an unbounded one holds each key once, and
//! every call answers right. Counts only; nothing here asserts a timing. Each run carries
//! `--timeout` as its hang guard.

mod support;

fn stress(setup: &[&str], iterations: u32, expr: &str, then: &str) -> String {
    support::stress_off("functools", setup, iterations, expr, then)
}

#[test]
fn a_shared_bounded_cache_counts_every_call_and_keeps_its_bound() {
    // Each thread checks its own answers: a wrong one makes `sum` of a list with a string fail.
    assert_eq!(
        stress(
            &["f = lru_cache(maxsize=16)(abs)", "ok = []"],
            5000,
            "ok.append(f(-(iteration % 40)) == iteration % 40)",
            "(f.cache_info().hits + f.cache_info().misses, f.cache_info().currsize, ok.count(True))"
        ),
        "(20000, 16, 20000)"
    );
}

#[test]
fn a_shared_unbounded_cache_holds_each_key_once() {
    assert_eq!(
        stress(
            &["g = cache(max)"],
            5000,
            "g(iteration % 50, thread_index % 2)",
            "(g.cache_info().hits + g.cache_info().misses, g.cache_info().currsize)"
        ),
        "(20000, 100)"
    );
}

#[test]
fn a_cache_cleared_while_used_stays_consistent() {
    assert_eq!(
        stress(
            &["f = lru_cache(maxsize=8, typed=True)(abs)"],
            5000,
            "f.cache_clear() if thread_index == 0 and iteration % 100 == 0 else f(-(iteration % 20))",
            "f.cache_info().currsize <= 8"
        ),
        "True"
    );
}
