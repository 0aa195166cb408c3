//! The inspection worker's life: a module that leaves threads running retires its worker, so
//! the next module is inspected in a fresh process (its threads would otherwise run during
//! every later inspection).

mod support;

use support::{cc, gilgate, run};

const TAG: &str = ".cpython-314t-x86_64-linux-gnu.so";

#[test]
fn a_module_that_leaves_a_thread_running_gets_its_worker_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, fixture) in [
        ("leaves_thread", "inspect_worker/leaves_thread.c"),
        ("after_thread", "inspect_worker/after_thread.c"),
    ] {
        let out = tmp.path().join(format!("{name}{TAG}"));
        cc::shared(cc::fixture(fixture), &out)
            .args(["-O1", "-Wall", "-Werror", "-pthread"])
            .build();
        files.push(out);
    }
    // Twice each, in this order, through one worker: every `after_thread` follows a
    // `leaves_thread` and would see its thread in a reused worker.
    let o = run(gilgate()
        .env("GILGATE_WORKERS", "1")
        .env("GILGATE_LOG", "gilgate_loader=debug")
        .args(["inspect", "--json"])
        .args([&files[0], &files[1], &files[0], &files[1]]));
    let doc: serde_json::Value =
        serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", o.stdout, o.stderr));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let modules = doc["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 4, "{doc}");
    for m in modules {
        assert_eq!(m["status"], "ok", "{m}");
        assert_eq!(m["gil"], "not_used", "{m}");
    }
    let replaced = o
        .stderr
        .matches("left 1 thread(s) running; its worker is replaced")
        .count();
    assert_eq!(replaced, 2, "{}", o.stderr);
}
