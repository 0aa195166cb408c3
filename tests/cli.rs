//! The CLI's contract that does not need any module to run: usage errors, policy
//! configuration, files refused before their init runs, wheels and their member checks.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::gilgate;

fn run(c: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = c.output().expect("running gilgate");
    (
        status.code().expect("exited normally"),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

#[test]
fn usage_errors_exit_64() {
    assert_eq!(run(gilgate().arg("bogus")).0, 64);
    assert_eq!(run(gilgate().arg("inspect")).0, 64);
    assert_eq!(
        run(gilgate().args(["inspect", "--frobnicate", "x.so"])).0,
        64
    );
    assert_eq!(
        run(gilgate().args(["inspect", "--gil", "maybe", "x.so"])).0,
        64
    );
    assert_eq!(
        run(gilgate().args(["inspect", "--timeout", "0", "x.so"])).0,
        64
    );
    assert_eq!(
        run(gilgate().args(["load", "--gil", "sometimes", "m"])).0,
        64
    );
    assert_eq!(run(gilgate().arg("--help")).0, 0);
}

/// `inspect`'s help and usage errors are the full command line's (the command is parsed with
/// only `inspect`'s arguments first): the same help as `gilgate help inspect`, clap's messages
/// naming `gilgate inspect`.
#[test]
fn inspect_help_and_usage_errors_are_the_full_parsers() {
    let (code, help, _) = run(gilgate().args(["help", "inspect"]));
    assert_eq!(code, 0);
    assert!(
        help.starts_with("Report what each module declares"),
        "{help}"
    );
    for args in [&["inspect", "--help"][..], &["inspect", "x.so", "-h"]] {
        let (code, out, err) = run(gilgate().args(args));
        assert_eq!((code, out.as_str(), err.as_str()), (0, help.as_str(), ""));
    }
    let (code, out, err) = run(gilgate().args(["inspect", "--jso", "x.so"]));
    assert_eq!((code, out.as_str()), (64, ""));
    assert!(
        err.contains("tip: a similar argument exists: '--json'")
            && err.contains("Usage: gilgate inspect --json <PATHS>..."),
        "{err}"
    );
    let (code, _, err) =
        run(gilgate().args(["inspect", "--no-sandbox", "--require-sandbox", "x.so"]));
    assert_eq!(code, 64);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn python_gil_values() {
    for bad in ["2", "01", "yes"] {
        let (code, _, err) = run(gilgate().env("PYTHON_GIL", bad).args(["load", "nosuch"]));
        assert_eq!(code, 64, "PYTHON_GIL={bad}");
        assert!(err.contains("PYTHON_GIL must be \"0\" or \"1\""), "{err}");
    }
    let (code, _, err) = run(gilgate()
        .env("GILGATE_GIL", "nope")
        .args(["load", "nosuch"]));
    assert_eq!(code, 64);
    assert!(err.contains("GILGATE_GIL"), "{err}");
    // Empty means unset; the flag wins over both variables.
    let (_, out, _) = run(gilgate().env("PYTHON_GIL", "").args(["load", "nosuch"]));
    assert!(out.starts_with("policy auto: lock off"), "{out}");
    let (_, out, _) = run(gilgate().env("PYTHON_GIL", "1").args(["load", "nosuch"]));
    assert!(out.starts_with("policy on: lock on"), "{out}");
    let (_, out, _) = run(gilgate()
        .env("PYTHON_GIL", "1")
        .env("GILGATE_GIL", "off")
        .args(["load", "nosuch"]));
    assert!(out.starts_with("policy off: lock off"), "{out}");
    let (_, out, _) = run(gilgate()
        .env("PYTHON_GIL", "1")
        .env("GILGATE_GIL", "off")
        .args(["load", "--gil", "module", "nosuch"]));
    assert!(out.starts_with("policy module: per-module lock"), "{out}");
}

#[test]
fn missing_module_exits_2() {
    let (code, out, _) = run(gilgate().args(["load", "--path", "/nonexistent", "a.b"]));
    assert_eq!(code, 2);
    assert!(
        out.contains("a.b: error: ModuleNotFoundError: No module named 'a.b'; lock off"),
        "{out}"
    );
}

/// Bad files, each refused before anything runs: one clear line each, exit 2.
fn bad_files(dir: &Path) -> Vec<PathBuf> {
    let exe = std::fs::read(env!("CARGO_BIN_EXE_gilgate")).unwrap();
    let files = [
        ("notelf.so", b"this is not an ELF file\n".repeat(40)),
        (
            "truncated.cpython-314t-x86_64-linux-gnu.so",
            exe[..4096].to_vec(),
        ),
        (
            "gilbuild.cpython-314-x86_64-linux-gnu.so",
            exe[..64].to_vec(),
        ),
        ("stable.abi3.so", exe[..64].to_vec()),
        (
            "future.cpython-316t-x86_64-linux-gnu.so",
            exe[..64].to_vec(),
        ),
    ];
    files
        .into_iter()
        .map(|(n, body)| {
            let p = dir.join(n);
            std::fs::write(&p, body).unwrap();
            p
        })
        .collect()
}

#[test]
fn bad_files_are_reported_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let files = bad_files(tmp.path());
    let (code, out, _) = run(gilgate().arg("inspect").args(&files));
    assert_eq!(code, 2, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 5, "{out}");
    assert!(out.contains("error: notelf ("), "{out}");
    // dlopen's own words, as CPython reports them.
    assert!(out.contains("notelf.so: invalid ELF header"), "{out}");
    assert!(out.contains("error: truncated ("), "{out}");
    assert!(
        out.contains("default (GIL) build of CPython 3.14 (cpython-314)"),
        "{out}"
    );
    assert!(out.contains("abi3"), "{out}");
    assert!(
        out.contains("5 modules: 0 keep the host free-threaded, none enables the lock, 5 errors."),
        "{out}"
    );

    let (code, out, _) = run(gilgate().args(["inspect", "--json"]).args(&files));
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = &doc["modules"][1];
    // Field order as documented (checked on the text: serde_json's map sorts keys).
    let first = &out[out.find("\"modules\"").unwrap()..out.find("\"summary\"").unwrap()];
    let order = [
        "name",
        "path",
        "abi_tag",
        "target",
        "init",
        "gil",
        "gil_declared",
        "requires_gil",
        "multiple_interpreters",
        "slots",
        "lints",
        "status",
        "error",
        "init_complete",
        "evidence",
    ];
    let pos: Vec<usize> = order
        .iter()
        .map(|k| first.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "field order: {first}");
    assert_eq!(m.as_object().unwrap().len(), order.len());
    assert_eq!(m["name"], "truncated");
    assert_eq!(m["abi_tag"], "cpython-314t");
    assert_eq!(m["target"], "3.14t");
    // dlopen of the truncated file dies before any hook runs: the file's error, no verdict.
    assert_eq!(m["status"], "error");
    assert_eq!(m["init_complete"], true);
    assert_eq!(m["evidence"], serde_json::Value::Null);
    assert_eq!(doc["modules"][2]["error"]["type"], "AbiError");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"modules": 5, "free_threaded": 0, "requires_gil": 0,
            "init_incomplete": 0, "undetermined": 0, "errors": 5})
    );
}

#[test]
fn wheel_members_are_checked_and_libs_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let whl = tmp
        .path()
        .join("demo-1.0-cp314-cp314t-manylinux_2_17_x86_64.whl");
    let exe = std::fs::read(env!("CARGO_BIN_EXE_gilgate")).unwrap();
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&whl).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        for (name, body) in [
            ("demo/_a.cpython-314-x86_64-linux-gnu.so", &exe[..64]),
            ("demo/sub/_b.so", &b"not elf"[..]),
            ("demo.libs/libdep-0123abcd.so.1", &exe[..64]),
            ("demo.libs/libother.so", &exe[..64]),
            ("../evil.so", &b"escape"[..]),
            ("demo/__init__.py", &b""[..]),
        ] {
            z.start_file(name, o).unwrap();
            z.write_all(body).unwrap();
        }
        z.finish().unwrap();
    }
    let (code, out, err) = run(gilgate().args(["inspect", "--json"]).arg(&whl));
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("../evil.so"),
        "the skipped member is named: {err}"
    );
    assert!(!tmp.path().join("evil.so").exists());
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows: Vec<(String, String)> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "demo._a".to_string(),
                "demo-1.0-cp314-cp314t-manylinux_2_17_x86_64.whl!demo/_a.cpython-314-x86_64-linux-gnu.so".to_string()
            ),
            (
                "demo.sub._b".to_string(),
                "demo-1.0-cp314-cp314t-manylinux_2_17_x86_64.whl!demo/sub/_b.so".to_string()
            ),
        ]
    );
    assert!(
        !out.contains(&std::env::temp_dir().display().to_string())
            && !out.contains("gilgate-wheel-"),
        "no temporary paths: {out}"
    );
}

/// Diagnostics go through `tracing` on stderr: warnings and errors without `GILGATE_LOG`
/// (the subscriber is made on the first one), what `GILGATE_LOG` selects with it.
#[test]
fn tracing_output_follows_gilgate_log() {
    let tmp = tempfile::tempdir().unwrap();
    let whl = tmp
        .path()
        .join("demo-1.0-cp314-cp314t-manylinux_2_17_x86_64.whl");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&whl).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        for (name, body) in [("../evil.py", &b"escape"[..]), ("demo/__init__.py", b"")] {
            z.start_file(name, o).unwrap();
            z.write_all(body).unwrap();
        }
        z.finish().unwrap();
    }
    // `load --path WHEEL` unpacks the wheel; the skipped member is a `tracing` warning.
    let load = |log: Option<&str>| {
        let mut c = gilgate();
        c.env("NO_COLOR", "1").arg("load").arg("--path").arg(&whl);
        c.args(["nosuchmodule"]);
        if let Some(l) = log {
            c.env("GILGATE_LOG", l);
        }
        run(&mut c)
    };
    let warning = "skipped unsafe member name \"../evil.py\"";
    let (code, _, err) = load(None);
    assert_eq!(code, 2, "{err}");
    let line = err
        .lines()
        .find(|l| l.contains(warning))
        .unwrap_or_else(|| panic!("the warning is printed by default: {err}"));
    assert!(line.contains(" WARN gilgate_loader: "), "{line}");
    let (_, _, err) = load(Some("warn"));
    assert!(err.contains(warning), "{err}");
    let (_, _, err) = load(Some("error"));
    assert!(
        !err.contains(warning),
        "GILGATE_LOG=error leaves warnings out: {err}"
    );
    // Debug lines only when asked for (the inspection worker's start).
    let empty = tmp.path().join("empty.so");
    std::fs::write(&empty, b"").unwrap();
    let inspect = |log: Option<&str>| {
        let mut c = gilgate();
        c.env("NO_COLOR", "1").arg("inspect").arg(&empty);
        if let Some(l) = log {
            c.env("GILGATE_LOG", l);
        }
        run(&mut c).2
    };
    let err = inspect(Some("gilgate_loader=debug"));
    assert!(err.contains("inspection worker"), "{err}");
    let err = inspect(None);
    assert!(!err.contains("inspection worker"), "{err}");
}

#[test]
fn load_refuses_a_truncated_file_instead_of_crashing() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::fs::read(env!("CARGO_BIN_EXE_gilgate")).unwrap();
    let p = tmp.path().join("cut.cpython-314t-x86_64-linux-gnu.so");
    std::fs::write(&p, &exe[..4096]).unwrap();
    let (code, out, _) = run(gilgate().arg("load").arg(&p));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("cut: error: ImportError: "), "{out}");
    assert!(
        out.contains("truncated ELF file (a loadable segment runs past the end of the file)"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("; lock off"), "{out}");
}
