//! Times `benchmod` workloads on one and on several threads under gilgate (used by
//! `scripts/bench-threads.sh`, which runs the same calls under CPython 3.13t and prints the
//! scaling side by side).
//!
//! ```sh
//! cargo build --release -p gilgate-test-extensions
//! cargo run --release --example bench_threads -- target/samples free 1,2,1 300 20000 objects list_ops
//! ```
//!
//! Arguments: the folder holding `benchmod` and `benchhold`, a scenario, the numbers of threads
//! (comma-separated: each workload is measured with each count in turn, one measurement right
//! after the other; `p` is one thread here while a partner process of this program calls the
//! same workload on one thread), how long each thread keeps calling (milliseconds; 0: exactly one call),
//! the `n` passed to every call, then workload names (any `benchmod` function taking `n`;
//! `handoff` is the two-thread relay and needs 2 threads).
//! `BENCH_ARG_OFFSET=K` (0..63) places the shared `n` at byte K of a 64-byte line (see
//! `shared_arg`).
//! Scenarios:
//! - `free`: only `benchmod` (it declares `Py_MOD_GIL_NOT_USED`) is imported; policy `auto`.
//! - `lock_on`: `benchhold` (undeclared) is imported (after `benchmod`) under `auto`, which switches the
//!   process's lock on for good, as in CPython.
//! - `module`: policy `module`; `benchhold` is imported and one extra thread sits in
//!   `benchhold.hold(ms)` (asleep without detaching, so it keeps the per-module lock) for the
//!   whole measurement; the declared workloads must not wait for it.
//!
//! Prints one tab-separated line per measurement: name, threads (`1`, `2` or `p`), seconds from
//! the first thread's start (after the barrier) to the last thread's end, total calls, the sum
//! of each thread's own calls/s (its calls over its own time; with `p`, plus the partner's), and
//! the last call's result `repr`. The threads start together at a barrier; each calls until its own budget (counted
//! from its start) is spent, so every measurement takes about as long whatever the workload
//! costs; each is attached only while it calls (waits detach), as `gilgate stress` runs them.

use gilgate::embed::{Host, PyErr, PyRef};
use gilgate_capi::ffi;
use gilgate_capi::host;
use gilgate_loader::Policy;
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// A callable and its argument, shared by the benchmark threads.
#[derive(Clone, Copy)]
struct Call {
    func: *mut ffi::PyObject,
    arg: *mut ffi::PyObject,
}

// SAFETY: both objects are kept alive by the main thread for the whole run (it joins every
// thread before dropping them) and the runtime's reference counting is thread-safe.
unsafe impl Send for Call {}

impl Call {
    /// Calls `func(arg)` (or `func(arg, me)` when `with_index`), returning the result's repr,
    /// then passes the runtime's safe point (as a driver does after each call).
    fn once(self, index: Option<i64>) -> Result<Option<String>, PyErr> {
        // SAFETY: live objects (see `Send` above); each call's result is released here.
        let r = unsafe {
            match index {
                None => ffi::PyObject_CallOneArg(self.func, self.arg),
                Some(me) => {
                    let args = ffi::PyTuple_New(2);
                    ffi::Py_IncRef(self.arg);
                    ffi::PyTuple_SetItem(args, 0, self.arg);
                    ffi::PyTuple_SetItem(args, 1, ffi::PyLong_FromLongLong(me));
                    let r = ffi::PyObject_Call(self.func, args, std::ptr::null_mut());
                    ffi::Py_DecRef(args);
                    r
                }
            }
        };
        if r.is_null() {
            return Err(PyErr::fetch());
        }
        // SAFETY: `r` is a new reference the call returned.
        let r = unsafe { PyRef::from_owned_ptr(r) }?;
        let shown = r.repr().ok();
        drop(r);
        host::safe_point();
        Ok(shown)
    }
}

/// The `n` every thread passes, made by the main thread. With `BENCH_ARG_OFFSET=K` set, it is
/// the first of up to 64 fresh ints whose address is K bytes into a 64-byte cache line (the
/// others are returned, to stay allocated for the run, as CPython's driver keeps its own).
/// Where the object starts decides whether its shared count (16 bytes in) shares a line with
/// the owner and local count every `Py_INCREF`/`Py_DECREF` reads first, and so how much two
/// threads counting references on it contend: both drivers place it the same way.
fn shared_arg(n: i64) -> Result<(PyRef, Vec<PyRef>), PyErr> {
    let want = match std::env::var("BENCH_ARG_OFFSET") {
        Ok(v) => match v.parse::<usize>() {
            Ok(k) if k < 64 => Some(k),
            _ => {
                return Err(PyErr::new(
                    "ValueError",
                    format!("BENCH_ARG_OFFSET must be 0..63, not {v}"),
                ));
            }
        },
        Err(_) => None,
    };
    let mut neighbours = Vec::new();
    loop {
        let arg: PyRef = gilgate::embed::IntoPy::into_py(n)?;
        match want {
            Some(k) if arg.as_ptr() as usize % 64 != k => {
                if neighbours.len() == 64 {
                    return Err(PyErr::new(
                        "SystemError",
                        format!("no int at offset {k} of a cache line in 64 tries"),
                    ));
                }
                neighbours.push(arg);
            }
            _ => return Ok((arg, neighbours)),
        }
    }
}

/// Extra time a partner keeps calling after this process's measurement is due to end, so that
/// it is still at work until the last thread here stops.
const PARTNER_SLACK: Duration = Duration::from_millis(60);

fn io_err(what: &str, e: std::io::Error) -> PyErr {
    PyErr::new("OSError", format!("bench partner: {what}: {e}"))
}

/// A second process of this program (`partner` mode, set up as the same scenario) that calls
/// the same workload on its one thread while this process measures one thread: two threads of
/// the same work, each with a runtime of its own. What the machine takes from one thread when another runs beside it,
/// without anything shared in memory.
struct Partner {
    child: std::process::Child,
    to: std::process::ChildStdin,
    from: std::io::BufReader<std::process::ChildStdout>,
}

impl Partner {
    fn spawn(dir: &str, scenario: &str, budget: Duration, n: i64) -> Result<Partner, PyErr> {
        use std::process::{Command, Stdio};
        let exe = std::env::current_exe().map_err(|e| io_err("own path", e))?;
        let ms = (budget + PARTNER_SLACK).as_millis().to_string();
        let mut child = Command::new(exe)
            .args([dir, "partner", scenario, &ms, &n.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| io_err("start", e))?;
        let (Some(to), Some(from)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(PyErr::new("SystemError", "bench partner: no pipes"));
        };
        Ok(Partner {
            child,
            to,
            from: std::io::BufReader::new(from),
        })
    }

    fn send(&mut self, line: &str) -> Result<(), PyErr> {
        use std::io::Write;
        writeln!(self.to, "{line}")
            .and_then(|()| self.to.flush())
            .map_err(|e| io_err("write", e))
    }

    fn expect(&mut self) -> Result<String, PyErr> {
        use std::io::BufRead;
        let mut line = String::new();
        match host::allow_threads(|| self.from.read_line(&mut line)) {
            Ok(0) => Err(PyErr::new("SystemError", "bench partner: it exited")),
            Ok(_) => Ok(line.trim_end().to_string()),
            Err(e) => Err(io_err("read", e)),
        }
    }

    /// Has the partner call `name` from now until its budget is spent.
    fn start(&mut self, name: &str) -> Result<(), PyErr> {
        self.send(name)?;
        self.expect()?; // "ready": the function and argument are at hand
        self.send("go")?;
        self.expect()?; // "started": calling
        Ok(())
    }

    /// The partner's calls per second.
    fn finish(&mut self) -> Result<f64, PyErr> {
        let line = self.expect()?;
        line.parse()
            .map_err(|_| PyErr::new("SystemError", format!("bench partner said {line:?}")))
    }
}

impl Drop for Partner {
    fn drop(&mut self) {
        // Every measurement is over; under `module` it would sit beside its holder thread.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `partner` mode: for each workload name read from standard input, answers `ready`, waits for
/// `go`, answers `started`, calls the workload for MS milliseconds and answers its calls per
/// second.
fn partner_loop(m: &gilgate::embed::Module, budget: Duration, n: i64) -> Result<(), PyErr> {
    use std::io::{BufRead, Write};
    let (arg, _neighbours) = shared_arg(n)?;
    let mut input = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    let mut line = String::new();
    let say = |out: &mut std::io::StdoutLock, s: &str| {
        writeln!(out, "{s}")
            .and_then(|()| out.flush())
            .map_err(|e| io_err("write", e))
    };
    loop {
        line.clear();
        if host::allow_threads(|| input.read_line(&mut line)).map_err(|e| io_err("read", e))? == 0 {
            return Ok(());
        }
        let func = m.getattr(line.trim_end())?;
        let call = Call {
            func: func.as_ptr(),
            arg: arg.as_ptr(),
        };
        say(&mut out, "ready")?;
        line.clear();
        host::allow_threads(|| input.read_line(&mut line)).map_err(|e| io_err("read", e))?;
        say(&mut out, "started")?;
        let start = Instant::now();
        let mut calls = 0u64;
        let elapsed = loop {
            call.once(None)?;
            calls += 1;
            let t = start.elapsed();
            if t >= budget {
                break t;
            }
        };
        say(
            &mut out,
            &format!("{:.1}", calls as f64 / elapsed.as_secs_f64()),
        )?;
    }
}

fn run_workload(
    m: &gilgate::embed::Module,
    name: &str,
    threads: usize,
    budget: Duration,
    n: i64,
    partner: Option<&mut Partner>,
) -> Result<(), PyErr> {
    let relay = name == "handoff";
    if relay {
        m.call("handoff_reset", ())?;
    }
    let func = m.getattr(name)?;
    let (arg, _neighbours) = shared_arg(n)?;
    let partner = match partner {
        Some(p) => {
            p.start(name)?;
            Some(p)
        }
        None => None,
    };
    let call = Call {
        func: func.as_ptr(),
        arg: arg.as_ptr(),
    };
    let barrier = Arc::new(Barrier::new(threads + 1));
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(
                move || -> Result<(Instant, Instant, usize, Option<String>), PyErr> {
                    barrier.wait();
                    let start = Instant::now();
                    let mut calls = 0;
                    let (end, last) = loop {
                        let last = call.once(relay.then_some(i as i64))?;
                        calls += 1;
                        let now = Instant::now();
                        if now - start >= budget {
                            break (now, last);
                        }
                    };
                    // The thread leaves detached (it may hold the process's lock otherwise).
                    host::allow_threads(|| ());
                    Ok((start, end, calls, last))
                },
            )
        })
        .collect();
    let results = host::allow_threads(|| {
        barrier.wait();
        workers.into_iter().map(|w| w.join()).collect::<Vec<_>>()
    });
    // From the first thread's start to the last one's end, each read by the thread itself (the
    // main thread may be descheduled right after the barrier).
    let mut last = String::new();
    let mut calls = 0;
    let mut own_rates = 0.0;
    let (mut first_start, mut last_end) = (None::<Instant>, None::<Instant>);
    for r in results {
        match r {
            Ok(Ok((start, end, made, shown))) => {
                last = shown.unwrap_or_default();
                calls += made;
                own_rates += made as f64 / (end - start).as_secs_f64();
                first_start = Some(first_start.map_or(start, |s| s.min(start)));
                last_end = Some(last_end.map_or(end, |e| e.max(end)));
            }
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(PyErr::new("SystemError", "a benchmark thread panicked")),
        }
    }
    let seconds = match (first_start, last_end) {
        (Some(s), Some(e)) => (e - s).as_secs_f64(),
        _ => 0.0,
    };
    let (label, own_rates) = match partner {
        Some(p) => ("p".to_string(), own_rates + p.finish()?),
        None => (threads.to_string(), own_rates),
    };
    println!("{name}\t{label}\t{seconds:.6}\t{calls}\t{own_rates:.1}\t{last}");
    drop((func, arg));
    Ok(())
}

fn run(args: &[String]) -> Result<(), PyErr> {
    let [dir, scenario, threads, ms, n, workloads @ ..] = args else {
        return Err(PyErr::new(
            "TypeError",
            "usage: bench_threads DIR free|lock_on|module THREADS[,THREADS...] MS N WORKLOAD...",
        ));
    };
    let num = |s: &str| {
        s.parse::<usize>()
            .map_err(|_| PyErr::new("ValueError", format!("not a count: {s}")))
    };
    // Partner mode (see `Partner`): `DIR partner SCENARIO MS N`, set up as SCENARIO.
    let (partner_mode, scenario) = match scenario.as_str() {
        "partner" => (true, threads.as_str()),
        s => (false, s),
    };
    // `p`: one thread here while a partner process runs one.
    let steps = match partner_mode {
        true => Vec::new(),
        false => threads
            .split(',')
            .map(|s| if s == "p" { Ok(0) } else { num(s) })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let (budget, n) = (num(ms)?, num(n)? as i64);
    let budget = Duration::from_millis(budget as u64);
    let policy = match scenario {
        "free" | "lock_on" => Policy::Auto,
        "module" => Policy::Module,
        other => {
            return Err(PyErr::new(
                "ValueError",
                format!("unknown scenario {other}"),
            ));
        }
    };
    let mut host = Host::builder().path(dir).policy(policy).try_build()?;
    // Imported first: under `module`, an import's init runs under the per-module lock until
    // the module's declaration is known, so it would wait for the holder below.
    let m = host.import("benchmod")?;
    let mut holder = None;
    if scenario != "free" {
        let hold = host.import("benchhold")?;
        if scenario == "module" {
            let call = Call {
                func: hold.getattr("hold")?.into_ptr(),
                arg: gilgate::embed::IntoPy::into_py(600_000i64)?.into_ptr(),
            };
            holder = Some(std::thread::spawn(move || call.once(None)));
        }
    }
    let mut partner = None;
    if partner_mode {
        partner_loop(&m, budget, n)?;
    } else {
        if steps.contains(&0) {
            partner = Some(Partner::spawn(dir, scenario, budget, n)?);
        }
        for w in workloads {
            for &t in &steps {
                let with = if t == 0 { partner.as_mut() } else { None };
                run_workload(&m, w, t.max(1), budget, n, with)?;
            }
        }
    }
    drop(partner);
    if holder.is_some() {
        // The holder sleeps for ten minutes; the process exits under it.
        std::process::exit(0);
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
