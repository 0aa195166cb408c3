//! `threading`'s synchronisation objects shared by real threads (`gilgate stress --gil off`: the
//! objects' own waiting is all that orders them). A guarded read-modify-write of a one-item
//! list (`box.append(box.pop() + 1)`) raises `IndexError` or loses counts when two threads
//! interleave, so the final count says whether the lock excluded. Counts only; nothing here
//! asserts a timing. Each run carries `--timeout` as its hang guard.

mod support;

fn stress(setup: &[&str], iterations: u32, expr: &str, then: &str) -> String {
    support::stress_off("threading", setup, iterations, expr, then)
}

const BUMP: &str = "box.append(box.pop() + 1)";

#[test]
fn a_contended_lock_excludes() {
    let e = format!("l.acquire() and ({BUMP} or l.release())");
    assert_eq!(
        stress(&["l = Lock()", "box = [0]"], 3000, &e, "box"),
        "[12000]"
    );
}

#[test]
fn a_contended_rlock_excludes_and_nests() {
    let e = format!("r.acquire() and r.acquire() and ({BUMP} or r.release() or r.release())");
    assert_eq!(
        stress(&["r = RLock()", "box = [0]"], 3000, &e, "(box, r.locked())"),
        "([12000], False)"
    );
}

#[test]
fn a_semaphore_of_one_and_a_condition_exclude() {
    let e = format!("s.acquire() and ({BUMP} or s.release())");
    assert_eq!(
        stress(&["s = BoundedSemaphore(1)", "box = [0]"], 3000, &e, "box"),
        "[12000]"
    );
    let e = format!("c.acquire() and ({BUMP} or c.notify_all() or c.release())");
    assert_eq!(
        stress(&["c = Condition()", "box = [0]"], 3000, &e, "box"),
        "[12000]"
    );
}

#[test]
fn a_barrier_of_all_threads_never_breaks() {
    assert_eq!(
        stress(
            &["b = Barrier(4)", "out = []"],
            1000,
            "out.append(b.wait())",
            "(len(out), sorted(set(out)), b.broken, b.n_waiting)"
        ),
        "(4000, [0, 1, 2, 3], False, 0)"
    );
}

#[test]
fn events_and_started_threads_are_all_seen() {
    assert_eq!(
        stress(
            &["e = Event()", "e.set()", "out = []"],
            500,
            "e.wait() and _start_joinable_thread(out.clear).join()",
            "(e.is_set(), out)"
        ),
        "(True, [])"
    );
}
