//! The inspection worker's life: a module that leaves threads running retires its worker, so
//! the next module is inspected in a fresh process (its threads would otherwise run during
//! every later inspection). Workers started by `fork` start as `exec`'d ones do. The command
//! line ends without waiting for its workers' exit.

mod support;

use support::{cc, gilgate, run};

/// Runs `c` (a `gilgate()` with its environment set) as `inspect --json` with `args` (options,
/// then modules): its output and the report it printed.
fn inspect_json(
    c: &mut std::process::Command,
    args: &[&std::ffi::OsStr],
) -> (support::Out, serde_json::Value) {
    let o = run(c.args(["inspect", "--json"]).args(args));
    let doc = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", o.stdout, o.stderr));
    (o, doc)
}

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

/// How many CPUs this process may run on (its affinity mask), as the commands it starts inherit.
fn cpus() -> usize {
    // SAFETY: a zeroed set of the size passed, filled by the call.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        assert_eq!(
            libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set),
            0
        );
        libc::CPU_COUNT(&set) as usize
    }
}

/// The `start_probe` lines of one `inspect` of both probe modules by two workers, sorted, and
/// how many workers were started by fork and by exec, and how many of the forks were made at
/// the command's start.
fn probe_workers(
    start: Option<&str>,
    files: &[std::path::PathBuf],
) -> (Vec<String>, usize, usize, usize) {
    use std::os::unix::process::CommandExt;
    let mut c = gilgate();
    c.env("GILGATE_WORKERS", "2")
        .env("GILGATE_LOG", "gilgate_loader=debug")
        .env("GILGATE_TEST_SECRET", "not for workers")
        .args(["inspect", "--json"])
        .args(files);
    match start {
        Some(s) => c.env("GILGATE_WORKER_START", s),
        None => c.env_remove("GILGATE_WORKER_START"),
    };
    // SAFETY: between fork and exec of the command: only signal-table calls, which are
    // async-signal-safe. The command starts with SIGUSR1 blocked and SIGUSR2 ignored.
    unsafe {
        c.pre_exec(|| {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGUSR1);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            libc::signal(libc::SIGUSR2, libc::SIG_IGN);
            Ok(())
        });
    }
    let o = run(&mut c);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", o.stdout, o.stderr));
    for m in doc["modules"].as_array().unwrap() {
        assert_eq!(m["status"], "ok", "{m}");
    }
    let mut lines: Vec<String> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("start_probe "))
        .map(str::to_string)
        .collect();
    lines.sort();
    assert_eq!(lines.len(), 2, "{}", o.stderr);
    (
        lines,
        o.stderr.matches("started by fork").count(),
        o.stderr.matches("started by exec").count(),
        o.stderr.matches("started by fork at start-up").count(),
    )
}

#[test]
fn workers_started_by_fork_start_as_execd_ones_do() {
    let tmp = tempfile::tempdir().unwrap();
    let built = tmp.path().join("start_probe.so");
    cc::shared(cc::fixture("inspect_worker/start_probe.c"), &built)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
    let files: Vec<_> = ["start_probe_a", "start_probe_b"]
        .iter()
        .map(|name| {
            let f = tmp.path().join(format!("{name}{TAG}"));
            std::fs::copy(&built, &f).unwrap();
            f
        })
        .collect();
    // The command is single-threaded when it starts its workers (both before the threads
    // that ask them): forks, unless told to exec.
    let (forked, by_fork, by_exec, at_start_up) = probe_workers(None, &files);
    assert_eq!((by_fork, by_exec), (2, 0), "{forked:?}");
    // The first was forked at the top of `main`, before the command line was parsed.
    assert_eq!(at_start_up, 1, "{forked:?}");
    let (execd, by_fork, by_exec, _) = probe_workers(Some("exec"), &files);
    assert_eq!((by_fork, by_exec), (0, 2), "{execd:?}");
    assert_eq!(forked, execd);
    for (line, name) in forked.iter().zip(["a", "b"]) {
        // stdin (requests), stdout (stderr's copy), stderr, the protocol channel: nothing of
        // the command's (a fork sees the other workers' pipes, and any worker the
        // descriptors the test harness leaves open), and no signal blocked.
        assert!(
            line.starts_with(&format!(
                "start_probe {name}: fds 0 1 2 3; blocked; ignored "
            )),
            "{line}"
        );
        // SIGUSR2 stays ignored (as across exec), SIGPIPE as the command sets it.
        assert!(line.contains(&format!(" {} ", libc::SIGUSR2)), "{line}");
        // One signal has a handler: the sandbox's SIGSYS (no stack-overflow handler for
        // SIGSEGV and SIGBUS: the command starts at its own `main`).
        assert!(
            line.contains(&format!("; caught {};", libc::SIGSYS)),
            "{line}"
        );
        assert!(
            line.contains(" HOME ") && line.contains(" GILGATE_WORKER "),
            "{line}"
        );
        assert!(!line.contains("GILGATE_TEST_SECRET"), "{line}");
        // Nor its value in the environment block a fork inherits on the stack.
        assert!(line.contains("; secret on the stack: no;"), "{line}");
        // Every CPU the command may use (a forked worker, moved off its parent's CPU at its
        // start, gets its whole set back).
        assert!(line.contains(&format!("; cpus {};", cpus())), "{line}");
        assert!(line.contains("; cwd is HOME: yes;"), "{line}");
        // The runtime's own version, 3.14.
        assert!(line.contains("; Py_Version 030e"), "{line}");
    }
}

/// The worker forked at the command's start presents the version the inputs' names point to:
/// a module file tagged `cpython-313t` is inspected by that worker, as 3.13.15, and no other
/// worker starts. Where the names point to several targets, it presents 3.14 (the test
/// above).
#[test]
fn the_first_worker_presents_the_version_the_names_point_to() {
    let tmp = tempfile::tempdir().unwrap();
    let so = tmp
        .path()
        .join("start_probe_a.cpython-313t-x86_64-linux-gnu.so");
    cc::shared(cc::fixture("inspect_worker/start_probe.c"), &so)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
    let o = run(gilgate()
        .env("GILGATE_LOG", "gilgate_loader=debug")
        .env_remove("GILGATE_WORKER_START")
        .args(["inspect", "--json"])
        .arg(&so));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let doc: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let m = &doc["modules"][0];
    assert_eq!(
        (&m["status"], &m["target"]),
        (&"ok".into(), &"3.13t".into()),
        "{m}"
    );
    // 3.13.15 final.
    let line = o.stderr.lines().find(|l| l.starts_with("start_probe a:"));
    assert!(
        line.is_some_and(|l| l.ends_with("; Py_Version 030d0ff0")),
        "{}",
        o.stderr
    );
    assert_eq!(o.stderr.matches(" started by ").count(), 1, "{}", o.stderr);
    assert_eq!(
        o.stderr.matches("started by fork at start-up").count(),
        1,
        "{}",
        o.stderr
    );
}

#[test]
fn the_command_ends_without_waiting_for_its_workers_exit() {
    let tmp = tempfile::tempdir().unwrap();
    let go = tmp.path().join("go");
    let so = tmp.path().join(format!("slow_exit{TAG}"));
    cc::shared(cc::fixture("inspect_worker/slow_exit.c"), &so)
        .args(["-O1", "-Wall", "-Werror"])
        .define("GG_GO", &format!("{:?}", go.to_str().unwrap()))
        .define("GG_WAIT_S", "60")
        .build();
    for start in ["fork", "exec"] {
        let _ = std::fs::remove_file(&go);
        // The workers' folders go here; stderr (which the worker shares) to a file, so that
        // reading the command's output does not wait for the worker.
        let work = tmp.path().join(format!("tmp-{start}"));
        std::fs::create_dir(&work).unwrap();
        let err_path = tmp.path().join(format!("stderr-{start}"));
        let o = gilgate()
            .env("TMPDIR", &work)
            .env("GILGATE_WORKER_START", start)
            .args(["inspect", "--json"])
            .arg(&so)
            .stderr(std::fs::File::create(&err_path).unwrap())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        let err = || std::fs::read_to_string(&err_path).unwrap();
        assert_eq!(o.status.code(), Some(0), "{start}: {stdout}{}", err());
        let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(doc["modules"][0]["status"], "ok", "{start}: {doc}");
        // The command has ended while its worker's exit handler still waits for `go`; the
        // worker's folder is gone all the same.
        assert!(!err().contains("slow_exit: handler"), "{start}: {}", err());
        let left: Vec<_> = std::fs::read_dir(&work).unwrap().collect();
        assert!(left.is_empty(), "{start}: {left:?}");
        // The worker still ends by itself, and what it writes on its way out is not lost.
        std::fs::write(&go, b"").unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !err().contains("slow_exit: handler") && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            err().contains("slow_exit: handler done"),
            "{start}: {}",
            err()
        );
    }
}

// gilgate links its unwinder (Rust's panics) statically instead of loading libgcc_s.so.1 at
// every start, and loads the C math library on the first use of one of its functions
// (build.rs, capi's runtime/pymath.rs): no process of it loads either library unless a module
// needs it; an `inspect` of a module that uses no math never loads libm.
#[test]
fn gilgate_starts_without_libgcc_s_or_libm() {
    let o = run(gilgate().arg("--version").env("LD_DEBUG", "libs"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The dynamic loader's trace names every library it looks for.
    assert!(o.stderr.contains("find library=libc.so.6"), "{}", o.stderr);
    assert!(!o.stderr.contains("libgcc_s"), "{}", o.stderr);
    assert!(!o.stderr.contains("libm.so"), "{}", o.stderr);
    let o = run(gilgate()
        .args(["inspect", "--no-sandbox"])
        .arg(gilgate_test_extensions::sample("mp_ft"))
        .env("LD_DEBUG", "libs"));
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("mp_ft"), "{}", o.stderr);
    assert!(!o.stderr.contains("libm.so"), "{}", o.stderr);
}

// A module whose init computes a float power (the first use of the C math library, which
// gilgate loads then) and calls `hypot` without linking libm (which CPython's interpreter
// puts in the global scope) loads and gets the right values in a sandboxed worker, forked or
// exec'd, and in the command's own process (`load`).
#[test]
fn a_modules_first_float_power_loads_the_math_library_in_the_sandbox() {
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join(format!("float_power{TAG}"));
    cc::shared(cc::fixture("inspect_worker/float_power.c"), &module)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
    for start in ["fork", "exec"] {
        let (o, doc) = inspect_json(
            gilgate().env("GILGATE_WORKER_START", start),
            &[module.as_os_str()],
        );
        assert_eq!(doc["sandbox"]["enabled"], true, "{start}: {doc}");
        let row = &doc["modules"][0];
        assert_eq!(row["status"], "ok", "{start}: {row}");
        assert_eq!(row["gil"], "not_used", "{start}: {row}");
        assert_eq!(o.code, 0, "{start}: {}", o.stderr);
    }
    let o = run(gilgate().args(["load"]).arg(&module));
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("float_power: loaded"), "{}", o.stdout);
}

// A module that needs libpthread.so.0 (as manylinux extensions do) and starts a thread in its
// init loads without the dynamic loader finding that library, which on glibc 2.34 and later
// is an empty stub the executable stands in for (build.rs): in a forked or exec'd worker,
// sandboxed or not, and in the command's own process (`load`). On an older glibc, where the
// library is real, it is found and loaded as before.
#[test]
fn a_module_needing_libpthread_binds_to_the_c_library() {
    let version = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output();
    let stub = version.is_ok_and(|o| {
        let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
        let mut p = v.trim_start_matches("glibc ").split('.');
        let num = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
        (num(p.next()), num(p.next())) >= (2, 34)
    });
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join(format!("needs_pthread{TAG}"));
    cc::shared(cc::fixture("inspect_worker/needs_pthread.c"), &module)
        .args(["-O1", "-Wall", "-Werror"])
        .link_args(["-Wl,--no-as-needed", "-l:libpthread.so.0"])
        .build();
    for start in ["fork", "exec"] {
        for sandbox in [true, false] {
            let no_sandbox = std::ffi::OsStr::new("--no-sandbox");
            let args = if sandbox {
                vec![module.as_os_str()]
            } else {
                vec![no_sandbox, module.as_os_str()]
            };
            let (o, doc) = inspect_json(
                gilgate()
                    .env("GILGATE_WORKER_START", start)
                    .env("LD_DEBUG", "libs"),
                &args,
            );
            let row = &doc["modules"][0];
            assert_eq!(row["status"], "ok", "{start} {sandbox}: {row}");
            assert_eq!(row["gil"], "not_used", "{start} {sandbox}: {row}");
            assert_eq!(o.code, 0, "{start} {sandbox}: {}", o.stderr);
            if !sandbox {
                // The worker keeps LD_DEBUG without the sandbox: its loader trace shows the
                // module's init, and a search for libpthread only where it is real.
                assert!(
                    o.stderr.contains("calling init:") && o.stderr.contains("needs_pthread"),
                    "{start}: {}",
                    o.stderr
                );
                assert_eq!(
                    o.stderr.contains("find library=libpthread.so.0"),
                    !stub,
                    "{start}: {}",
                    o.stderr
                );
            }
        }
    }
    let o = run(gilgate()
        .args(["load"])
        .arg(&module)
        .env("LD_DEBUG", "libs"));
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("needs_pthread: loaded"), "{}", o.stdout);
    assert_eq!(
        o.stderr.contains("find library=libpthread.so.0"),
        !stub,
        "{}",
        o.stderr
    );
}

// A C++ module's own exceptions still find their handlers (through the libgcc_s.so.1 it
// loads), in a forked worker, an exec'd one, and in the command's own process (`load`).
#[test]
fn a_cxx_modules_exceptions_are_caught_by_its_own_handlers() {
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join(format!("cxx_throw{TAG}"));
    cc::shared(cc::fixture("inspect_worker/cxx_throw.cpp"), &module)
        .lang(cc::Lang::Cxx)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
    for start in ["fork", "exec"] {
        let (o, doc) = inspect_json(
            gilgate().env("GILGATE_WORKER_START", start),
            &[module.as_os_str()],
        );
        let row = &doc["modules"][0];
        assert_eq!(row["status"], "ok", "{start}: {row}");
        assert_eq!(row["error"], serde_json::Value::Null, "{start}: {row}");
        assert_eq!(o.code, 0, "{start}: {}", o.stderr);
    }
    let o = run(gilgate().args(["load", "--gil", "on"]).arg(&module));
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("cxx_throw: loaded"), "{}", o.stdout);
}

/// A worker has no `tracing` output, started by `fork` or by `exec` (the command's own
/// subscriber, which a fork inherits, stays quiet there): a module init's unraisable
/// exception is printed as CPython prints it, and not also as the command's warning.
#[test]
fn workers_have_no_tracing_output_however_started() {
    let tmp = tempfile::tempdir().unwrap();
    let so = tmp.path().join(format!("unraisable{TAG}"));
    cc::shared(cc::fixture("inspect_worker/unraisable.c"), &so)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
    let mut errs = Vec::new();
    for start in [None, Some("exec")] {
        let mut c = gilgate();
        c.env("NO_COLOR", "1").arg("inspect").arg(&so);
        if let Some(s) = start {
            c.env("GILGATE_WORKER_START", s);
        }
        let o = run(&mut c);
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        assert!(
            o.stderr
                .contains("Exception ignored in: \nRuntimeError: unraisable probe"),
            "{start:?}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("WARN"), "{start:?}: {}", o.stderr);
        errs.push(o.stderr);
    }
    assert_eq!(errs[0], errs[1]);
}

/// The command starts as a Rust program's `std` start would leave it (`main` in
/// src/main.rs replaces that start): a write to a closed pipe is an error the command
/// ignores, not a `SIGPIPE` that kills it; and a command started with fd 1 closed still
/// inspects (its report goes nowhere: the fd is `/dev/null`, as `std` would make it).
#[test]
fn the_command_starts_with_sigpipe_ignored_and_fds_0_to_2_open() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::Stdio;
    // A pipe whose reading end is closed before the command writes.
    let mut ends = [0; 2];
    // SAFETY: `ends` has room for the two descriptors `pipe` returns.
    assert_eq!(unsafe { libc::pipe(ends.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors are fresh and owned only here.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) };
    drop(read_end);
    let status = gilgate()
        .arg("--version")
        .stdout(Stdio::from(write_end))
        .status()
        .unwrap();
    assert_eq!(
        (status.code(), status.signal()),
        (Some(0), None),
        "{status}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let so = tmp.path().join(format!("after_thread{TAG}"));
    cc::shared(cc::fixture("inspect_worker/after_thread.c"), &so)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
    let mut cmd = gilgate();
    cmd.args(["inspect", "--json"]).arg(&so);
    // SAFETY: closing a descriptor is async-signal-safe, as a `pre_exec` hook must be.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            Ok(())
        });
    }
    let out = cmd.stdout(Stdio::inherit()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}
