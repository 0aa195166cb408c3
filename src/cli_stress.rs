//! The `gilgate stress` command: load a module as `eval` does, run `--setup` once, then N
//! threads released together evaluate EXPR M times each (or for a duration) in their own
//! layers over the setup namespace; `--then` runs once after every thread has joined.
//!
//! Exit status: 0 success; 1 something raised (EXPR on any thread, a `--setup`, `--then`) or
//! did not parse (`SyntaxError`, reported before anything loads); 2 a module could not be
//! loaded; 4 the threads did not finish within `--timeout` (each thread's iteration count and
//! what it waits on go to stderr); 64 usage or configuration error (bad flags, N or M of 0).

use crate::cli_eval::{EXIT_OK, EXIT_RAISED, EXIT_USAGE};
use crate::embed::{self, IntoPy, PyErr};
use crate::eval::{Evaluator, ast::Stmt, parse};
use gilgate_capi::host::{WaitHandle, safe_point, this_thread_waits};
use gilgate_loader::lock;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::time::{Duration, Instant};

/// The threads did not finish within `--timeout`.
pub const EXIT_TIMEOUT: u8 = 4;

/// `--timeout` when not given, in seconds.
pub const DEFAULT_TIMEOUT: f64 = 600.0;

/// The command line of `gilgate stress`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--path` folders.
    pub path: Vec<PathBuf>,
    /// `--gil` policy.
    pub gil: Option<String>,
    /// `--allow` names.
    pub allow: Vec<String>,
    /// `-m` modules.
    pub more: Vec<String>,
    /// `--setup` statements, run once in order before the threads start.
    pub setup: Vec<String>,
    /// `--threads N`.
    pub threads: u64,
    /// `--iterations M` (per thread).
    pub iterations: Option<u64>,
    /// `--duration SECS`.
    pub duration: Option<f64>,
    /// `--then EXPR`.
    pub then: Option<String>,
    /// `--timeout SECS` (None: [`DEFAULT_TIMEOUT`]).
    pub timeout: Option<f64>,
    /// `--json`.
    pub json: bool,
    /// MODULE.
    pub module: String,
    /// EXPR, and whatever followed it (more than one is a usage error: options go before
    /// MODULE).
    pub exprs: Vec<String>,
}

fn usage(msg: impl std::fmt::Display) -> u8 {
    eprintln!("gilgate: {msg}");
    EXIT_USAGE
}

fn positive_secs(flag: &str, v: f64) -> Result<Duration, String> {
    if v.is_finite() && v > 0.0 && v < 1e9 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!("{flag} must be a positive number of seconds"))
    }
}

/// One thread's tally.
#[derive(Default)]
struct Tally {
    calls: u64,
    errors: u64,
    /// Errors by type name: count and the first message.
    by_type: BTreeMap<String, (u64, String)>,
}

/// Sends the thread's index to the main thread when dropped.
struct Done(mpsc::Sender<usize>, usize);

impl Drop for Done {
    fn drop(&mut self) {
        let _ = self.0.send(self.1);
    }
}

/// What the main thread can see of a running thread.
struct Live {
    iterations: AtomicU64,
}

fn parse_all(opts: &Options, expr: &str) -> Result<(Vec<Stmt>, Stmt, Option<Stmt>), u8> {
    let fail = |what: String, src: &str, e: parse::SyntaxError| {
        eprintln!("gilgate: {what} does not parse: {src}");
        eprintln!("SyntaxError: {e}");
        EXIT_RAISED
    };
    let mut setup = Vec::with_capacity(opts.setup.len());
    for (i, src) in opts.setup.iter().enumerate() {
        setup.push(parse::parse_stmt(src).map_err(|e| fail(format!("--setup {}", i + 1), src, e))?);
    }
    let main = parse::parse_stmt(expr).map_err(|e| fail("EXPR".into(), expr, e))?;
    let then = match &opts.then {
        Some(src) => Some(parse::parse_stmt(src).map_err(|e| fail("--then".into(), src, e))?),
        None => None,
    };
    Ok((setup, main, then))
}

/// Runs `gilgate stress`; returns the exit status.
pub fn run(opts: Options) -> u8 {
    let policy = match lock::policy_from_env(opts.gil.as_deref()) {
        Ok((p, _)) => p,
        Err(e) => return usage(e),
    };
    let expr = match opts.exprs.as_slice() {
        [e] => e.clone(),
        [] => return usage("stress needs an EXPR after MODULE"),
        [_, extra, ..] => {
            return usage(format!(
                "stress takes one EXPR (options go before MODULE), got also {extra:?}"
            ));
        }
    };
    if opts.threads == 0 {
        return usage("--threads must be at least 1");
    }
    let iterations = match (opts.iterations, opts.duration) {
        (Some(0), _) => return usage("--iterations must be at least 1"),
        (Some(m), None) => Some(m),
        (None, Some(_)) => None,
        _ => return usage("stress needs one of --iterations M and --duration SECS"),
    };
    let duration = match opts
        .duration
        .map(|d| positive_secs("--duration", d))
        .transpose()
    {
        Ok(d) => d,
        Err(e) => return usage(e),
    };
    let timeout = match positive_secs("--timeout", opts.timeout.unwrap_or(DEFAULT_TIMEOUT)) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    // Everything parses before anything loads, as Python compiles a program before running it.
    let (setup, main, then) = match parse_all(&opts, &expr) {
        Ok(p) => p,
        Err(code) => return code,
    };

    // Loading, as `eval` does.
    let (host, mut ev) = match crate::cli_eval::load_modules(
        policy,
        &opts.path,
        &opts.allow,
        &opts.module,
        &opts.more,
    ) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    for (i, stmt) in setup.iter().enumerate() {
        if let Err(e) = ev.exec(stmt) {
            eprintln!("gilgate: --setup {} raised", i + 1);
            report(&e);
            return EXIT_RAISED;
        }
    }

    // The threads.
    let n = opts.threads as usize;
    let shared = Arc::new(ev);
    let main = Arc::new(main);
    let barrier = Arc::new(Barrier::new(n + 1));
    let (done_tx, done_rx) = mpsc::channel::<usize>();
    let (wait_tx, wait_rx) = mpsc::channel::<(usize, WaitHandle)>();
    let mut live = Vec::with_capacity(n);
    let mut handles = Vec::with_capacity(n);
    for index in 0..n {
        let l = Arc::new(Live {
            iterations: AtomicU64::new(0),
        });
        live.push(l.clone());
        let (shared, main, barrier) = (shared.clone(), main.clone(), barrier.clone());
        let (done_tx, wait_tx) = (done_tx.clone(), wait_tx.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("stress-{index}"))
            .spawn(move || {
                let _ = wait_tx.send((index, this_thread_waits()));
                // Tells the main thread this one is done, also when it panics.
                let _done = Done(done_tx, index);
                barrier.wait();
                worker(index, &shared, &main, iterations, duration, &l)
            });
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => {
                eprintln!("gilgate: cannot start thread {index}: {e}");
                std::process::exit(i32::from(EXIT_USAGE));
            }
        }
    }
    drop((done_tx, wait_tx));
    let mut waits: Vec<Option<WaitHandle>> = vec![None; n];
    for (i, w) in wait_rx.iter().take(n) {
        waits[i] = Some(w);
    }
    // The main thread waits detached, so it holds nothing the threads need; on a timeout it
    // reports and leaves from there, never attaching again (a stuck thread may hold the lock).
    let (tallies, elapsed) = embed::allow_threads(|| {
        barrier.wait();
        let start = Instant::now();
        let deadline = start + timeout;
        let mut joined = 0;
        while joined < n {
            let left = deadline.saturating_duration_since(Instant::now());
            match done_rx.recv_timeout(left) {
                Ok(_) => joined += 1,
                Err(_) => timed_out(timeout, &live, &waits),
            }
        }
        let tallies: Vec<Tally> = handles
            .into_iter()
            .enumerate()
            .map(|(i, h)| {
                h.join().unwrap_or_else(|_| {
                    eprintln!("gilgate: thread {i} panicked");
                    let mut t = Tally::default();
                    note(
                        &mut t,
                        &PyErr::new("SystemError", format!("thread {i} panicked")),
                    );
                    t
                })
            })
            .collect();
        (tallies, start.elapsed())
    });

    // `--then`, in the setup namespace, after every thread has joined.
    let mut ev = Arc::try_unwrap(shared).unwrap_or_else(Evaluator::layer);
    let mut then_error = None;
    let then_repr = then.as_ref().and_then(|stmt| {
        let r = ev.exec(stmt).and_then(|v| v.map(|v| v.repr()).transpose());
        match r {
            Ok(v) => v,
            Err(e) => {
                then_error = Some(e);
                None
            }
        }
    });
    let lock = host.loader().lock();
    let lock_state = if lock.per_module() {
        "per-module lock"
    } else {
        lock.describe()
    };
    let summary = Summary {
        policy: host.loader().policy().as_str(),
        lock: lock_state,
        threads: n,
        iterations,
        seconds: elapsed.as_secs_f64(),
        tallies: &tallies,
        then: then_repr.as_deref(),
    };
    if opts.json {
        outln(&summary.json());
    } else {
        summary.human();
    }
    let raised = tallies.iter().any(|t| t.errors > 0);
    if let Some(e) = &then_error {
        eprintln!("gilgate: --then raised");
        report(e);
    }
    drop(ev);
    if raised || then_error.is_some() {
        EXIT_RAISED
    } else {
        EXIT_OK
    }
}

/// `--timeout` expired: each thread's iteration count and what it waits on (stderr), exit 4.
/// Runs detached and touches no object.
fn timed_out(timeout: Duration, live: &[Arc<Live>], waits: &[Option<WaitHandle>]) -> ! {
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "gilgate: timeout: the threads did not finish within {:.3} s",
        timeout.as_secs_f64()
    );
    for (i, l) in live.iter().enumerate() {
        let what = waits[i].as_ref().and_then(WaitHandle::get).map_or_else(
            || "running (not waiting in the runtime)".to_string(),
            |w| format!("waiting on {w}"),
        );
        let _ = writeln!(
            err,
            "thread {i}: {} iterations; {what}",
            l.iterations.load(Ordering::Relaxed)
        );
    }
    let _ = err.flush();
    // The stuck threads cannot be joined: leave now.
    std::process::exit(i32::from(EXIT_TIMEOUT));
}

fn report(e: &PyErr) {
    let _ = std::io::stdout().flush();
    eprintln!("{e}");
}

fn outln(s: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{s}");
}

/// One thread: attached for its whole run, a layer of its own over the setup namespace,
/// `thread_index` and `iteration` bound there, every iteration run (errors counted).
fn worker(
    index: usize,
    shared: &Arc<Evaluator>,
    main: &Stmt,
    iterations: Option<u64>,
    duration: Option<Duration>,
    live: &Live,
) -> Tally {
    let _attached = embed::attach();
    let end = duration.map(|d| Instant::now() + d);
    let mut ev = Evaluator::layer(shared.clone());
    let mut t = Tally::default();
    match index.into_py() {
        Ok(v) => ev.set("thread_index", v),
        Err(e) => {
            note(&mut t, &e);
            return t;
        }
    }
    let mut i: u64 = 0;
    loop {
        match (iterations, end) {
            (Some(m), _) if i >= m => break,
            (None, Some(end)) if Instant::now() >= end => break,
            _ => {}
        }
        let r = i.into_py().and_then(|v| {
            ev.set("iteration", v);
            ev.exec(main)
        });
        t.calls += 1;
        if let Err(e) = r {
            note(&mut t, &e);
        }
        i += 1;
        live.iterations.store(i, Ordering::Relaxed);
        // The return of a driver's call: a safe point (lock hand-off, pauses).
        safe_point();
    }
    drop(ev);
    t
}

fn note(t: &mut Tally, e: &PyErr) {
    t.errors += 1;
    t.by_type
        .entry(e.type_name.clone())
        .or_insert_with(|| (0, e.message.clone()))
        .0 += 1;
}

struct Summary<'a> {
    policy: &'static str,
    lock: &'static str,
    threads: usize,
    iterations: Option<u64>,
    seconds: f64,
    tallies: &'a [Tally],
    then: Option<&'a str>,
}

impl Summary<'_> {
    fn calls(&self) -> u64 {
        self.tallies.iter().map(|t| t.calls).sum()
    }

    fn calls_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.calls() as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Errors by type over every thread: count and the first message (of the lowest thread
    /// index that saw the type).
    fn errors(&self) -> BTreeMap<&str, (u64, &str)> {
        let mut all: BTreeMap<&str, (u64, &str)> = BTreeMap::new();
        for t in self.tallies {
            for (ty, (count, first)) in &t.by_type {
                all.entry(ty.as_str()).or_insert((0, first.as_str())).0 += count;
            }
        }
        all
    }

    fn json(&self) -> String {
        let per_thread: Vec<_> = self
            .tallies
            .iter()
            .enumerate()
            .map(|(i, t)| serde_json::json!({"index": i, "calls": t.calls, "errors": t.errors}))
            .collect();
        let errors: serde_json::Map<String, serde_json::Value> = self
            .errors()
            .into_iter()
            .map(|(ty, (count, first))| {
                (
                    ty.to_string(),
                    serde_json::json!({"count": count, "first_message": first}),
                )
            })
            .collect();
        serde_json::json!({
            "policy": self.policy,
            "lock": self.lock,
            "threads": self.threads,
            "iterations": self.iterations,
            "calls": self.calls(),
            "seconds": self.seconds,
            "calls_per_second": self.calls_per_second(),
            "per_thread": per_thread,
            "errors": errors,
            "then": self.then,
        })
        .to_string()
    }

    fn human(&self) {
        let mut out = std::io::stdout().lock();
        let each = match self.iterations {
            Some(m) => format!("{m} iterations each"),
            None => "for a duration".to_string(),
        };
        let _ = writeln!(
            out,
            "{} threads, {each}: {} calls in {:.3} s ({:.0} calls/s)",
            self.threads,
            self.calls(),
            self.seconds,
            self.calls_per_second()
        );
        if self.lock == "per-module lock" {
            let _ = writeln!(out, "policy {}: {}", self.policy, self.lock);
        } else {
            let _ = writeln!(out, "policy {}: lock {}", self.policy, self.lock);
        }
        for (i, t) in self.tallies.iter().enumerate() {
            let _ = writeln!(out, "thread {i}: {} calls, {} errors", t.calls, t.errors);
        }
        let errors = self.errors();
        if errors.is_empty() {
            let _ = writeln!(out, "errors: none");
        } else {
            for (ty, (count, first)) in errors {
                let first = if first.is_empty() {
                    ty.to_string()
                } else {
                    format!("{ty}: {first}")
                };
                let _ = writeln!(out, "errors: {ty} x{count} (first: {first})");
            }
        }
        // The `--then` result's repr is the last line (an assignment prints nothing).
        if let Some(r) = self.then {
            let _ = writeln!(out, "{r}");
        }
    }
}
