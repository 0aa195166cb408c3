//! The inspection sandbox (issue 11): the hostile samples of `sandbox_samples_dir()` are
//! inspected together with two ordinary samples, in a scratch folder that holds a secret and a
//! loopback port the test listens on. Where this kernel provides a protection, the test asserts
//! that it contained its sample; where it does not (a container without Landlock, a seccomp
//! policy that forbids adding filters), it asserts that the report says `partial` and names what
//! is missing. It never skips: each protection is checked one way or the other.

mod support;

use gilgate_test_extensions::{sample, sandbox_samples_dir};
use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::PathBuf;
use support::{gilgate, run};

/// A scratch folder: `mods/` (the samples, `sbx_port`), `home/secret.txt` (the `HOME` the
/// test gives gilgate), `tmp/` (its `TMPDIR`, where the workers' folders go), and a listener
/// whose port is in `mods/sbx_port`.
struct Scene {
    dir: tempfile::TempDir,
    listener: TcpListener,
}

impl Scene {
    fn new(samples: &[&str]) -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let mods = dir.path().join("mods");
        std::fs::create_dir_all(&mods).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        std::fs::write(dir.path().join("home/secret.txt"), "topsecret-4711\n").unwrap();
        for s in samples {
            let from = if s.starts_with("sbx_") {
                sandbox_samples_dir().join(format!("{s}.cpython-314t-x86_64-linux-gnu.so"))
            } else {
                sample(s)
            };
            std::fs::copy(&from, mods.join(from.file_name().unwrap())).unwrap();
        }
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::fs::write(mods.join("sbx_port"), port.to_string()).unwrap();
        Scene { dir, listener }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn inspect(&self, args: &[&str]) -> (i32, serde_json::Value) {
        self.inspect_leaving_out(args, "")
    }

    /// `inspect --json` with `GILGATE_SANDBOX_SKIP=skip` (protections left out, as on a
    /// kernel without them).
    fn inspect_leaving_out(&self, args: &[&str], skip: &str) -> (i32, serde_json::Value) {
        let o = run(gilgate()
            .arg("inspect")
            .arg("--json")
            .args(args)
            .arg(self.path("mods"))
            .env("HOME", self.path("home"))
            .env("TMPDIR", self.path("tmp"))
            .env("GILGATE_SANDBOX_SKIP", skip)
            .env("GILGATE_TEST_SECRET", "topsecret-4711"));
        let doc = serde_json::from_str(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", o.stdout, o.stderr));
        (o.code, doc)
    }

    /// What is left in `tmp/` (the workers' folders while they run).
    fn left_in_tmp(&self) -> Vec<String> {
        std::fs::read_dir(self.path("tmp"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// Whether a connection reached the listener.
    fn connected(&self) -> bool {
        match self.listener.accept() {
            Ok(_) => true,
            Err(e) if e.kind() == ErrorKind::WouldBlock => false,
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// The report's `sandbox: ...` line (just before the summary line).
fn sandbox_line(report: &str) -> &str {
    let lines: Vec<&str> = report.lines().collect();
    let line = lines[lines.len().saturating_sub(2)];
    assert!(line.starts_with("sandbox: "), "{report}");
    line
}

fn row<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no row {name} in {doc}"))
}

fn error_of(doc: &serde_json::Value, name: &str) -> (String, String) {
    let e = &row(doc, name)["error"];
    (
        e["type"].as_str().unwrap_or("").to_string(),
        e["message"].as_str().unwrap_or("").to_string(),
    )
}

fn missing_mentions(doc: &serde_json::Value, what: &str) -> bool {
    doc["sandbox"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m.as_str().unwrap().starts_with(what))
}

const ALL: [&str; 8] = [
    "sbx_write",
    "sbx_socket",
    "sbx_exec",
    "sbx_fork",
    "sbx_alloc",
    "sbx_home",
    "mp_ft",
    "sp_plain",
];

#[test]
fn hostile_inits_are_contained_and_named() {
    hostile(&Scene::new(&ALL), "");
}

// The same run with protections left out, as on kernels or containers without them: the
// report says partial and names them, and what remains still holds.
#[test]
fn hostile_inits_without_landlock() {
    hostile(&Scene::new(&ALL), "landlock");
}

#[test]
fn hostile_inits_without_seccomp() {
    hostile(&Scene::new(&ALL), "seccomp");
}

#[test]
fn hostile_inits_with_neither() {
    hostile(&Scene::new(&ALL), "landlock,seccomp,limits");
}

fn hostile(scene: &Scene, skip: &str) {
    let (code, doc) = scene.inspect_leaving_out(&["--timeout", "20"], skip);
    assert_eq!(code, 2, "the hostile samples are errors: {doc}");
    let sb = &doc["sandbox"];
    assert_eq!(sb["enabled"], true, "{sb}");
    let kernel_landlock = gilgate::loader::sandbox::landlock_abi()
        .ok()
        .filter(|_| !skip.contains("landlock"));
    let landlock = sb["landlock"].as_u64();
    let seccomp = sb["seccomp"].as_bool().unwrap();
    let limits = !sb["limits"].is_null();
    // Landlock is used wherever the kernel offers it.
    assert_eq!(
        landlock,
        kernel_landlock.map(u64::from),
        "the kernel reports Landlock {kernel_landlock:?}: {sb}"
    );
    // Partial exactly when something is named missing, and always when one of the three is.
    let missing = sb["missing"].as_array().unwrap();
    assert_eq!(sb["partial"], !missing.is_empty(), "{sb}");
    if landlock.is_none() || !seccomp || !limits {
        assert_eq!(sb["partial"], true, "{sb}");
    }
    if landlock.is_none() {
        assert!(missing_mentions(&doc, "landlock"), "{sb}");
    }
    if !seccomp {
        assert!(missing_mentions(&doc, "seccomp"), "{sb}");
    }
    for left_out in skip.split(',').filter(|s| !s.is_empty()) {
        assert!(
            missing_mentions(&doc, &format!("{left_out} (left out")),
            "{sb}"
        );
    }

    // Every other module keeps its verdict.
    assert_eq!(row(&doc, "mp_ft")["status"], "ok");
    assert_eq!(row(&doc, "mp_ft")["requires_gil"], false);
    assert_eq!(row(&doc, "sp_plain")["status"], "ok");
    assert_eq!(row(&doc, "sp_plain")["requires_gil"], true);

    // $HOME is the worker's private folder, whatever the kernel: the user's is untouched.
    assert!(!scene.path("home/gilgate_was_here.txt").exists());
    // The workers' folders are gone when the command ends, sbx_write's with the file it left.
    assert_eq!(scene.left_in_tmp(), Vec::<String>::new());
    let (_, home_msg) = error_of(&doc, "sbx_home");
    assert!(!home_msg.starts_with("sbx_home: read $HOME"), "{home_msg}");
    assert!(!doc.to_string().contains("GILGATE_TEST_SECRET"));

    if landlock.is_some() {
        // Writes outside the private folder and reads outside the inputs fail with EACCES.
        assert!(!scene.path("gilgate_was_here.txt").exists());
        assert_eq!(
            error_of(&doc, "sbx_write"),
            (
                "OSError".into(),
                "sbx_write: cannot write ../gilgate_was_here.txt: Permission denied".into()
            )
        );
        assert_eq!(
            error_of(&doc, "sbx_home"),
            (
                "OSError".into(),
                "sbx_home: cannot read $HOME/secret.txt nor ../home/secret.txt: Permission denied"
                    .into()
            )
        );
        assert!(!doc.to_string().contains("topsecret"));
    }
    if seccomp {
        assert_eq!(
            error_of(&doc, "sbx_socket"),
            (
                "OSError".into(),
                "sbx_socket: socket(AF_INET, SOCK_STREAM): Operation not permitted".into()
            )
        );
        assert_eq!(
            error_of(&doc, "sbx_exec"),
            (
                "SandboxViolation".into(),
                "init called execve (running a program), which the inspection sandbox forbids; the worker was stopped".into()
            )
        );
        assert_eq!(
            error_of(&doc, "sbx_fork"),
            (
                "SandboxViolation".into(),
                "init called clone without CLONE_THREAD (starting a process), which the inspection sandbox forbids; the worker was stopped".into()
            )
        );
        assert!(!scene.path("exec_ran").exists());
    } else if landlock.is_some_and(|a| a >= 4) {
        // Landlock's network rules alone still refuse the TCP connection.
        assert_eq!(
            error_of(&doc, "sbx_socket"),
            (
                "OSError".into(),
                "sbx_socket: connect to 127.0.0.1: Permission denied".into()
            )
        );
    }
    if seccomp || landlock.is_some_and(|a| a >= 4) {
        assert!(!scene.connected(), "a connection reached the listener");
    }
    if limits {
        let (t, m) = error_of(&doc, "sbx_alloc");
        assert_eq!(t, "MemoryError", "{m}");
        assert!(m.starts_with("sbx_alloc: allocation failed after "), "{m}");
    }
}

#[test]
fn without_the_sandbox_the_same_inits_succeed() {
    // The control: what the samples do when nothing stops them (into the scratch folder).
    let scene = Scene::new(&["sbx_write", "sbx_socket", "sbx_home", "mp_ft"]);
    let (code, doc) = scene.inspect(&["--no-sandbox"]);
    assert_eq!(code, 2);
    assert_eq!(doc["sandbox"]["enabled"], false);
    assert_eq!(doc["sandbox"]["partial"], true);
    assert!(scene.path("gilgate_was_here.txt").exists());
    assert!(scene.path("home/gilgate_was_here.txt").exists());
    assert_eq!(
        error_of(&doc, "sbx_write").1,
        "sbx_write: wrote ../gilgate_was_here.txt"
    );
    assert_eq!(
        error_of(&doc, "sbx_home").1,
        "sbx_home: read $HOME/secret.txt: topsecret-4711\n"
    );
    assert_eq!(
        error_of(&doc, "sbx_socket").1,
        "sbx_socket: connected to 127.0.0.1"
    );
    assert!(scene.connected(), "the unsandboxed init connected");
    assert_eq!(row(&doc, "mp_ft")["requires_gil"], false);
}

#[test]
fn the_human_report_names_the_sandbox_and_require_sandbox_exits_2_when_partial() {
    let scene = Scene::new(&["mp_ft"]);
    let mods = scene.path("mods");
    let o = run(gilgate().arg("inspect").arg(&mods));
    assert_eq!(o.code, 0, "{}", o.stdout);
    let line = sandbox_line(&o.stdout);
    let (_, doc) = scene.inspect(&[]);
    let partial = doc["sandbox"]["partial"].as_bool().unwrap();
    if partial {
        assert!(line.starts_with("sandbox: partial: "), "{line}");
        assert!(line.contains("; missing: "), "{line}");
    } else {
        assert!(line.starts_with("sandbox: "), "{line}");
        assert!(line.contains("seccomp, no_new_privs, limits (address space 8 GiB, CPU 300 s, file size 256 MiB, open files 1024)"), "{line}");
        let abi = doc["sandbox"]["landlock"].as_u64().unwrap();
        assert!(
            line.starts_with(&format!("sandbox: landlock ABI {abi}, ")),
            "{line}"
        );
    }
    let o = run(gilgate().args(["inspect", "--require-sandbox"]).arg(&mods));
    assert_eq!(
        o.code,
        if partial { 2 } else { 0 },
        "{}{}",
        o.stdout,
        o.stderr
    );
    let o = run(gilgate().args(["inspect", "--no-sandbox"]).arg(&mods));
    assert_eq!(o.code, 0);
    assert_eq!(
        sandbox_line(&o.stdout),
        "sandbox: off (--no-sandbox): module inits ran with all of this user's rights"
    );
    // Partial, whatever this kernel has: the line names what is missing, and
    // --require-sandbox turns it into exit 2.
    let o = run(gilgate()
        .arg("inspect")
        .arg(&mods)
        .env("GILGATE_SANDBOX_SKIP", "landlock"));
    assert_eq!(o.code, 0);
    let line = sandbox_line(&o.stdout);
    assert!(line.starts_with("sandbox: partial: "), "{line}");
    assert!(
        line.ends_with("; missing: landlock (left out (GILGATE_SANDBOX_SKIP))"),
        "{line}"
    );
    let o = run(gilgate()
        .args(["inspect", "--require-sandbox"])
        .arg(&mods)
        .env("GILGATE_SANDBOX_SKIP", "seccomp"));
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stderr.contains("--require-sandbox"), "{}", o.stderr);
    let o = run(gilgate()
        .args(["inspect", "--no-sandbox", "--require-sandbox"])
        .arg(&mods));
    assert_eq!(o.code, 64, "{}", o.stderr);
}

#[test]
fn threads_started_by_an_init_still_work_in_the_sandbox() {
    // `sbx_thread` starts a thread in its init (clone with CLONE_THREAD, after clone3 failed
    // with ENOSYS under seccomp) and joins it.
    let scene = Scene::new(&["sbx_thread"]);
    for args in [&[][..], &["--no-sandbox"][..]] {
        let (code, doc) = scene.inspect(args);
        assert_eq!(code, 0, "{doc}");
        let m = row(&doc, "sbx_thread");
        assert_eq!(m["status"], "ok", "{m}");
        assert_eq!(m["requires_gil"], false, "{m}");
    }
}

/// Runs `gilgate` as an inspection worker by hand, in `home` (its `HOME`, `TMPDIR` and working
/// folder, as its parent would make them), with `lines` as its whole input; returns its
/// protocol lines.
fn worker_by_hand(home: &std::path::Path, lines: &[String]) -> Vec<String> {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = gilgate()
        .env_clear()
        .env("GILGATE_WORKER", "1")
        .env("HOME", home)
        .env("TMPDIR", home)
        .env("PATH", "/usr/bin:/bin")
        .current_dir(home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting a worker");
    let mut input = child.stdin.take().unwrap();
    for l in lines {
        writeln!(input, "{l}").unwrap();
    }
    drop(input);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

// A worker builds the part of its sandbox that does not depend on the inputs when its prepare
// line comes (its parent sends it at once, and is still finding the modules); the setup line
// then adds the inputs. The setup's folder is the one that counts: a ruleset prepared for
// another folder is not used, and a worker given no prepare line sets up the same sandbox.
#[test]
fn a_prepared_sandbox_is_the_one_its_setup_line_names() {
    let scene = Scene::new(&["sbx_home"]);
    let home = scene.path("worker-home");
    let other = scene.path("other-home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(home.join("secret.txt"), "own-folder-2718").unwrap();
    let module = std::fs::read_dir(scene.path("mods"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "so"))
        .unwrap();
    let prepare = |h: &std::path::Path| serde_json::json!({ "prepare": { "home": h } }).to_string();
    let setup = serde_json::json!({ "sandbox": {
        "home": home,
        "read": [scene.path("mods")],
        "limits": { "address_space": 8u64 << 30, "cpu_seconds": 300, "file_size": 256u64 << 20, "open_files": 1024 },
        "skip": [],
    }})
    .to_string();
    let request = serde_json::json!({
        "name": "sbx_home",
        "path": module,
        "target": { "target": "3.14t", "from_tag": true },
        "imports_setgil": false,
    })
    .to_string();
    let landlock = gilgate::loader::sandbox::landlock_abi().ok();
    let mut reports = Vec::new();
    for first in [None, Some(&other), Some(&home)] {
        let mut lines: Vec<String> = first.map(|h| prepare(h)).into_iter().collect();
        lines.extend([setup.clone(), request.clone()]);
        let out = worker_by_hand(&home, &lines);
        let sandbox: serde_json::Value = serde_json::from_str(&out[0]).unwrap();
        assert_eq!(
            sandbox["sandbox"]["landlock"].as_u64(),
            landlock.map(u64::from),
            "prepared for {first:?}: {out:?}"
        );
        reports.push(sandbox);
        let answer: serde_json::Value = serde_json::from_str(out.last().unwrap()).unwrap();
        let message = answer["answer"]["error"]["message"].as_str().unwrap_or("");
        // Its own folder is readable (the user's `home/secret.txt` beside `mods/` is not).
        assert_eq!(
            message, "sbx_home: read $HOME/secret.txt: own-folder-2718",
            "prepared for {first:?}: {out:?}"
        );
    }
    // The same protections, prepared or not.
    assert!(reports.iter().all(|r| *r == reports[0]), "{reports:?}");
}
