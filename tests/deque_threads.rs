//! `collections.deque` shared by threads (`gilgate stress`, no lock: the deque's critical
//! section is all that orders them): every append and pop is kept exactly once, a bounded
//! deque never exceeds its bound, and rotations keep the items. Counts only; nothing here
//! asserts a timing. Each run carries `--timeout` as its hang guard.

mod support;

use support::gilgate;

/// Runs `gilgate stress --gil off --threads 4 --iterations N --setup SETUP --then THEN
/// collections EXPR` and returns the last line (the repr of THEN).
fn stress(setup: &str, iterations: u32, expr: &str, then: &str) -> String {
    let out = gilgate()
        .args([
            "stress",
            "--gil",
            "off",
            "--timeout",
            "120",
            "--threads",
            "4",
        ])
        .args(["--iterations", &iterations.to_string()])
        .args(["--setup", setup, "--then", then, "collections", expr])
        .output()
        .expect("run gilgate");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{expr}: exit {:?}\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.lines().last().unwrap_or_default().to_string()
}

#[test]
fn appends_from_four_threads_are_all_kept() {
    assert_eq!(
        stress("d = deque()", 20000, "d.append(iteration)", "len(d)"),
        "80000"
    );
    assert_eq!(
        stress(
            "d = deque()",
            20000,
            "d.appendleft(thread_index)",
            "d.count(3)"
        ),
        "20000"
    );
}

#[test]
fn pops_from_four_threads_take_each_item_once() {
    assert_eq!(
        stress("d = deque(range(80000))", 20000, "d.popleft()", "len(d)"),
        "0"
    );
    assert_eq!(
        stress("d = deque(range(80001))", 20000, "d.pop()", "list(d)"),
        "[0]"
    );
}

#[test]
fn a_bounded_deque_keeps_its_bound_and_rotations_keep_the_items() {
    assert_eq!(
        stress(
            "d = deque(maxlen=10)",
            20000,
            "d.append(thread_index)",
            "len(d)"
        ),
        "10"
    );
    assert_eq!(
        stress("d = deque(range(100))", 5000, "d.rotate(7)", "sum(d)"),
        "4950"
    );
    assert_eq!(
        stress("d = deque(range(100))", 5000, "d.extend((1, 2))", "len(d)"),
        "40100"
    );
}
