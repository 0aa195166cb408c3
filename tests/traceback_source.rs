//! Traceback entries show their source line when the file they name can be read, found as
//! CPython's `linecache` finds it: relative names under each search-path folder. CPython's
//! printer first offers each file to the cache with the frame's module (`linecache.lazycache`),
//! and an extension module's loader has no source, so the first entry naming a file shows no
//! line and the later ones do (frozenlist's smoke call, recorded from CPython 3.14, shows the
//! same). Its own test binary: the search path and the line cache are the process's.

use gilgate::embed::{Host, PyErr};
use gilgate_test_extensions::samples_dir;

#[test]
fn entries_show_the_lines_of_a_source_file_on_the_search_path() {
    let src = tempfile::tempdir().expect("temporary folder");
    let mut text = String::new();
    for n in 1..=40 {
        text += &match n {
            12 => "    raise ValueError(msg)  # inner\n".to_string(),
            30 => "        inner(self.msg)\n".to_string(),
            _ => format!("# line {n}\n"),
        };
    }
    std::fs::write(src.path().join("tracebacks.pyx"), text).expect("write the source");
    let mut h = Host::builder().path(samples_dir()).path(src.path()).build();
    let m = h.import("tracebacks").expect("import tracebacks");
    let first = m.call("fail", ("boom",)).expect_err("fail() raises");
    assert_eq!(first, PyErr::new("ValueError", "boom"));
    assert_eq!(
        first.traceback,
        [
            "  File \"tracebacks.pyx\", line 30, in tracebacks.Outer.run",
            "  File \"tracebacks.pyx\", line 12, in tracebacks.inner",
            "    raise ValueError(msg)  # inner",
        ]
    );
    // The file is in the cache now: every entry of a later traceback shows its line.
    let again = m.call("fail", ("again",)).expect_err("fail() raises");
    assert_eq!(
        again.traceback,
        [
            "  File \"tracebacks.pyx\", line 30, in tracebacks.Outer.run",
            "    inner(self.msg)",
            "  File \"tracebacks.pyx\", line 12, in tracebacks.inner",
            "    raise ValueError(msg)  # inner",
        ]
    );
}
