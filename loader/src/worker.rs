//! The inspection worker: a child process (this same program, re-executed with
//! `GILGATE_WORKER=1`) that runs module hooks and create slots, so a crash, an `exit()` or a
//! hang in one module is that module's error. Protocol: one JSON request per line on stdin;
//! on the worker's protocol fd (its original stdout; fd 1 is pointed at stderr so that C code
//! printing to stdout cannot corrupt the protocol) one JSON line per event as it happens
//! (each `PyUnstable_Module_SetGIL` call, the definition a hook returned), then the answer.
//! The events let the parent give a verdict even when the init then crashes or hangs.
//!
//! 3.14t modules share long-lived workers, except after a module that left threads running (its
//! init started a thread that did not end): that worker exits after its answer and the next
//! module gets a fresh one, so no module is inspected while another's threads run. A module built for another CPython (3.13t, 3.15t)
//! gets a fresh worker of its own, started with `GILGATE_WORKER_VERSION` so that the version
//! it sees (`Py_GetVersion()`, `sys.version`, `sys.version_info`, `sys.hexversion`,
//! `Py_Version`) is its target's: its inline macros run against its own CPython's layouts and
//! may crash, which then takes no other module's verdict with it.

use crate::elf::ElfFacts;
use crate::incomplete::{self, DefSeen, Imports, Seen};
use crate::init::{self, TargetInfo};
use crate::names::Target;
use crate::report::{Declaration, ErrorReport};
use crate::sandbox::{self, Limits, SandboxReport, Setup};
use gilgate_capi::host::PyVersion;
use serde::{Deserialize, Serialize};
use std::ffi::{CString, OsString};
use std::fs::File;
use std::io::{BufRead, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The environment variable that turns a process into a worker.
pub const WORKER_ENV: &str = "GILGATE_WORKER";

/// The environment variable that chooses how workers start: `exec` re-executes this program
/// for each one; unset (or anything else), a worker is a `fork` of this process without
/// `exec` when that is safe (see `Pool::fork_worker`), else an `exec` as well.
pub const START_ENV: &str = "GILGATE_WORKER_START";

/// The environment variable naming the CPython version (`3.13.15`) a single-use worker
/// presents to the module it inspects.
pub const VERSION_ENV: &str = "GILGATE_WORKER_VERSION";

/// The version a module built for `target` sees in its inspection worker. 3.13t: 3.13.15,
/// the newest 3.13 release the project records facts from (the reference CPython 3.13t); the
/// corpus's cp313t wheels were built with 3.13.1 to 3.13.9 (their debug info names the
/// headers), and a module runs on any later micro release. 3.15t: 3.15.2, the 3.15 release
/// whose headers the 3.15 rules come from. 3.14t: the runtime's own 3.14.10.
pub fn presented_version(target: Target) -> PyVersion {
    match target {
        Target::Cp313t => PyVersion::new(3, 13, 15),
        Target::Cp314t => PyVersion::RUNTIME,
        Target::Cp315t => PyVersion::new(3, 15, 2),
    }
}

/// One line on the protocol channel.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    /// The file is open and its hook is about to be called.
    Hook,
    /// A `PyUnstable_Module_SetGIL` call, as it happens.
    Setgil { module: Option<String>, value: u64 },
    /// The definition a hook returned, before its create slot runs.
    Def(Box<DefSeen>),
    /// The module left threads running (this many more than before its request): the
    /// worker exits after its answer, and the next module gets a fresh one.
    Retiring { threads: usize },
    /// The declaration: the last line for a request.
    Answer(Box<Declaration>),
    /// What the worker's sandbox could apply (the answer to the setup line).
    Sandbox(Box<SandboxReport>),
    /// The sandbox stopped the worker: the init made this system call (written by the
    /// `SIGSYS` handler just before the worker exits).
    Violation { syscall: i64 },
}

/// The first line a sandboxed worker reads.
#[derive(Debug, Serialize, Deserialize)]
struct SetupLine {
    sandbox: Setup,
}

/// A line a sandboxed worker may read before its setup line, sent as soon as it is started:
/// what its sandbox will not depend on (its folder), so it builds that while its parent is
/// still finding the modules (`sandbox::prepare`). It is answered by nothing.
#[derive(Debug, Serialize, Deserialize)]
struct PrepareLine {
    prepare: Prepare,
}

#[derive(Debug, Serialize, Deserialize)]
struct Prepare {
    home: PathBuf,
}

/// The protocol channel, set in a worker process only.
static PROTO: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// Writes one line on the protocol channel (nothing outside a worker); false when it failed.
fn send(line: &Line) -> bool {
    let mut proto = PROTO.lock().unwrap_or_else(|e| e.into_inner());
    let Some(f) = proto.as_mut() else {
        return true;
    };
    let mut text = serde_json::to_string(line).expect("protocol lines serialize");
    text.push('\n');
    f.write_all(text.as_bytes()).and_then(|_| f.flush()).is_ok()
}

/// Streams that the hook is about to be called (a no-op outside a worker).
pub(crate) fn stream_hook_called() {
    send(&Line::Hook);
}

/// Streams the definition a hook returned (a no-op outside a worker).
pub(crate) fn stream_def(def: &DefSeen) {
    send(&Line::Def(Box::new(def.clone())));
}

fn stream_setgil(call: &gilgate_capi::host::SetGilCall) {
    send(&Line::Setgil {
        module: call.module.clone(),
        value: call.value as u64,
    });
}

fn parse_version(text: &str) -> Option<PyVersion> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u8>().ok());
    let (Some(Some(a)), Some(Some(b)), Some(Some(c)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(PyVersion::new(a, b, c))
}

/// One module to inspect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Request {
    pub name: String,
    pub path: PathBuf,
    pub target: TargetInfo,
    pub imports_setgil: bool,
    /// The worker's last request (set by the pool): it exits after answering, so it need not
    /// check whether it has spent half its limits.
    #[serde(default)]
    pub last: bool,
}

/// Call at the top of `main` in any program that uses [`crate::Loader::inspect`] without naming
/// a worker binary: when the process was started as a worker it serves requests and exits;
/// otherwise this returns at once.
pub fn run_if_worker() {
    if std::env::var(WORKER_ENV).as_deref() == Ok("1") {
        serve();
    }
}

fn serve() -> ! {
    clean_start();
    // SAFETY: plain descriptor duplication on fds this process owns: keep the original stdout
    // as the protocol channel and point fd 1 at stderr.
    let proto_fd = unsafe {
        let fd = libc::dup(1);
        if fd < 0 {
            std::process::exit(70);
        }
        libc::dup2(2, 1);
        fd
    };
    // SAFETY: `proto_fd` is a fresh descriptor owned by nothing else.
    let proto = unsafe { std::fs::File::from_raw_fd(proto_fd) };
    *PROTO.lock().unwrap_or_else(|e| e.into_inner()) = Some(proto);
    // The version comes first: nothing may have read it yet, and no module is loaded.
    if let Some(v) = std::env::var(VERSION_ENV)
        .ok()
        .as_deref()
        .and_then(parse_version)
    {
        let _ = gilgate_capi::host::set_version(v);
    }
    gilgate_capi::host::set_setgil_observer(stream_setgil);
    // No transparent huge pages in a worker: its allocator (mimalloc) asks for them on its
    // arena, and the first touch of each 2 MiB region then has the kernel zero all of it,
    // twice at start-up (about a tenth of a small wheel's inspection), for a process that
    // lives a few milliseconds and touches a few hundred kilobytes. Only how memory is
    // backed changes; the setting stays with this process (no child runs).
    // SAFETY: a plain process attribute; no memory is passed.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    // Start the runtime before the first request arrives: the parent is still finding and
    // unpacking modules. A failure is kept and reported by each request. So is what every
    // request does first (the import hooks, the `sys` module: `import_hook::for_worker`).
    if init::runtime().is_ok() {
        crate::import_hook::install(crate::Policy::Auto);
    }
    // A forked sandboxed worker (its folder comes later) prepares its sandbox at once: it
    // depends on nothing its parent is still finding. An `exec`'d one does at its prepare line.
    let mut prepared = HOME_LATER
        .load(std::sync::atomic::Ordering::Relaxed)
        .then(sandbox::prepare);
    // Requests come on fd 0, read without `std::io::stdin()`'s buffer: a forked worker
    // inherits that buffer from its parent, which must not be replayed as requests.
    // SAFETY: fd 0 is open for the whole process (the request pipe); the reader never closes
    // it (`ManuallyDrop`).
    let input = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(0) });
    let mut served = false;
    let mut limits = None;
    // How many threads this process has, when that is known since nothing but this loop has
    // run (a count taken before the last answer or at the sandbox setup): no module's thread
    // is left between requests, since a worker whose module left one retires.
    let mut threads = None;
    for line in std::io::BufReader::new(&*input).lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        if !served && line.starts_with("{\"prepare\"") {
            // Builds, applies nothing: a bad line only means nothing is prepared.
            if let Ok(p) = serde_json::from_str::<PrepareLine>(&line) {
                settle_home(&p.prepare.home);
                if prepared.is_none() {
                    prepared = Some(sandbox::prepare());
                }
            }
            continue;
        }
        if !served && line.starts_with("{\"sandbox\"") {
            // The sandbox comes before any module file is opened; Landlock and seccomp confine
            // this thread and the threads it starts from now on.
            let prepared = prepared.take();
            let report = match serde_json::from_str::<SetupLine>(&line) {
                Ok(s) => {
                    settle_home(&s.sandbox.home);
                    let n = thread_count();
                    threads = Some(n);
                    let r = sandbox::apply(&s.sandbox, proto_fd, n, prepared);
                    limits = r.limits;
                    r
                }
                Err(e) => SandboxReport {
                    missing: vec![format!("everything (bad sandbox setup: {e})")],
                    ..SandboxReport::disabled()
                },
            };
            if !send(&Line::Sandbox(Box::new(report))) {
                std::process::exit(0);
            }
            continue;
        }
        if HOME_LATER.load(std::sync::atomic::Ordering::Relaxed) {
            // A forked worker never serves outside its folder.
            // SAFETY: ends the process at once.
            unsafe { libc::_exit(70) };
        }
        served = true;
        let threads_before = threads.take().unwrap_or_else(thread_count);
        let mut last = false;
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(req) => {
                last = req.last;
                answer(&req)
            }
            Err(e) => Declaration::failed(
                None,
                ErrorReport::new("HostError", format!("bad worker request: {e}")),
            ),
        };
        // A module that left threads running would run them under every later module's
        // inspection (calling into the runtime, holding its locks): this worker retires.
        let threads_after = thread_count();
        let left = threads_after.saturating_sub(threads_before);
        threads = Some(threads_after);
        // The limits are the worker's, for its whole life: once it has used half its CPU time
        // or address space, it retires, so every init gets at least the other half (a last
        // request's worker exits anyway).
        let spent = !last && limits.is_some_and(|l| sandbox::half_spent(&l));
        if left > 0 || spent {
            send(&Line::Retiring { threads: left });
        }
        if !send(&Line::Answer(Box::new(answer))) || left > 0 || spent {
            // Not `exit`: the module's threads may hold locks that exit handlers need.
            // SAFETY: ends the process at once; nothing after this runs.
            unsafe { libc::_exit(0) };
        }
    }
    // Its input ended: nothing more is sent. The channel ends here, before `exit` (and the
    // kernel's teardown of this process after it), so a parent that only needs the end of the
    // stream (`Pool::quick_exit`) need not wait for the rest; the descriptor's number stays
    // taken (now stderr), since the `SIGSYS` handler writes to it.
    // SAFETY: replaces a descriptor this process owns by a copy of stderr.
    unsafe { libc::dup2(2, proto_fd) };
    std::process::exit(0)
}

/// A worker forked and not yet taken by a pool: its process and its two pipe ends.
type Forked = (Proc, File, File);

/// The worker [`fork_early`] started, until a pool takes it, with the version it presents
/// (`None`: the runtime's own).
static EARLY: Mutex<Option<(Option<PyVersion>, Forked)>> = Mutex::new(None);

/// Starts the first worker of an `inspect` now, at the top of `main` (after
/// [`run_if_worker`]), instead of once the command line is parsed and the loader made: the
/// worker starts its runtime and prepares its sandbox while this process parses its arguments,
/// reads its inputs and unpacks wheels, which on a small wheel is about as long. It is a
/// sandboxed worker started by `fork` (as [`Pool::can_fork`] allows it: `GILGATE_WORKER_START`
/// is not `exec`, the runtime untouched, one thread), presenting `target`'s version: the
/// target the inputs' names point to ([`crate::names::target_by_name`]), 3.14t when they
/// point to none or several. The first pool that would start a sandboxed worker presenting
/// that version takes it instead. When none does (`--no-sandbox`, nothing to inspect, a usage
/// error, modules of another target), it is never sent a line: it exits when this process
/// does, at the end of its input. False when it was not started.
pub fn fork_early(target: Target) -> bool {
    let mut pool = Pool::new(None, Duration::ZERO).forking(true);
    if target != Target::Cp314t {
        pool.version = Some(presented_version(target));
    }
    if !pool.can_fork() {
        return false;
    }
    match pool.fork_sandboxed(true) {
        Ok(w) => {
            *EARLY.lock().unwrap_or_else(|e| e.into_inner()) = Some((pool.version, w));
            true
        }
        Err(_) => false,
    }
}

/// The worker [`fork_early`] started, if no pool has taken it yet and it presents `version`.
fn take_early(version: Option<PyVersion>) -> Option<Forked> {
    EARLY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take_if(|(v, _)| *v == version)
        .map(|(_, w)| w)
}

/// Whether the worker [`fork_early`] started waits for a pool and presents another version
/// than `version`.
fn early_presents_other(version: Option<PyVersion>) -> bool {
    EARLY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .is_some_and(|(v, _)| *v != version)
}

/// Set in a forked sandboxed worker until it has moved into its folder (`settle_home`).
static HOME_LATER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// In a forked sandboxed worker, at its first line (prepare or setup, which name its folder,
/// made by the parent after the `fork`): moves into `home` and sets `HOME` and `TMPDIR` to it
/// (their places in the environment were kept, so the order is an `exec`'d worker's), before
/// any module runs; exits (as a failed `chdir` at the start did) when it cannot.
fn settle_home(home: &Path) {
    if !HOME_LATER.swap(false, std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let Ok(dir) = CString::new(home.as_os_str().as_bytes()) else {
        // SAFETY: ends the process at once.
        unsafe { libc::_exit(70) }
    };
    // SAFETY: plain system calls and `setenv` with NUL-terminated strings; the process is
    // single-threaded (its runtime starts no thread), so nothing reads the environment while
    // it changes.
    unsafe {
        if libc::chdir(dir.as_ptr()) != 0 {
            libc::_exit(70);
        }
        libc::setenv(c"HOME".as_ptr(), dir.as_ptr(), 1);
        libc::setenv(c"TMPDIR".as_ptr(), dir.as_ptr(), 1);
    }
}

/// What any worker does first, however it started: closes every descriptor but stdin, stdout
/// and stderr (its parent's process may have had descriptors without close-on-exec, which
/// `exec` keeps open: the sandbox would not confine what they reach) and unblocks every
/// signal (a mask survives `exec` too).
fn clean_start() {
    // SAFETY: closing descriptors this process does not use (nothing of this program opened
    // one yet) and setting the calling thread's signal mask; no memory is passed but locals.
    unsafe {
        if libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) != 0 {
            // Kernels before 5.9: whatever is open, by its number.
            let open: Vec<RawFd> = std::fs::read_dir("/proc/self/fd")
                .map(|d| {
                    d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            for fd in open.into_iter().filter(|&fd| fd > 2) {
                libc::close(fd);
            }
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    }
}

/// The threads of this process (`/proc/self/task`); 0 when that cannot be read.
///
/// Linux gives the folder a link count of 2 plus its number of threads (the same threads its
/// listing shows, a thread on its way out included in both): one `statx` instead of opening,
/// listing and closing it (about 3.6 against 10 µs here; counted three times on the way to a
/// small wheel's answer, twice by the worker). A count below 3, which Linux never gives, means
/// a `/proc` that does not keep it: then the folder is listed.
fn thread_count() -> usize {
    use std::os::unix::fs::MetadataExt as _;
    match std::fs::metadata("/proc/self/task").map(|m| m.nlink()) {
        Ok(links) if links >= 3 => usize::try_from(links - 2).unwrap_or(usize::MAX),
        _ => thread_count_listed(),
    }
}

/// [`thread_count`] by listing `/proc/self/task`.
fn thread_count_listed() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

fn answer(req: &Request) -> Declaration {
    let mut facts = ElfFacts::default();
    if req.imports_setgil {
        facts
            .python_imports
            .insert("PyUnstable_Module_SetGIL".into());
    }
    crate::import_hook::for_worker(&req.name, &req.path);
    let calls_before = gilgate_capi::host::setgil_call_count();
    let unprovided_before = gilgate_capi::host::unprovided_import_count();
    let failed_before = gilgate_capi::host::failed_import_count();
    let run = std::panic::catch_unwind(|| {
        let run = init::run(&req.name, &req.path, req.target, &facts, true);
        keep_module(run.module);
        (run.decl, run.def_seen)
    });
    run.map(|(mut decl, def)| {
        let seen = Seen {
            setgil: gilgate_capi::host::setgil_calls(calls_before)
                .into_iter()
                .map(|c| (c.module, c.value as u64))
                .collect(),
            def,
            hook_called: true,
        };
        let imports = Imports {
            unprovided: gilgate_capi::host::unprovided_imports(unprovided_before),
            failed: gilgate_capi::host::failed_imports(failed_before),
        };
        // An init that printed and replaced its import error (numpy's `import_array()`)
        // still needed the module.
        if let (Some(_), Some(last)) = (&decl.error, imports.unprovided.last())
            && !decl.lints.iter().any(|l| l.code == "needs-python-module")
        {
            decl.lints.push(init::needs_module_lint(&req.name, last));
        }
        let target = decl.target.unwrap_or(req.target.target);
        incomplete::settle(
            decl,
            &req.name,
            target,
            &seen,
            Some(req.imports_setgil),
            &imports,
        )
    })
    .unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Declaration::failed(
            Some(req.target.target),
            ErrorReport::new("HostError", format!("gilgate internal error: {what}")),
        )
    })
}

/// Modules this worker created, kept alive until it exits, as `sys.modules` keeps a loaded
/// module: their teardown code (`m_free`, the module's `tp_dealloc`) never runs in a process
/// whose job is to survive crashing modules, and the objects stay reachable (valgrind counts
/// them as "still reachable", not lost).
static INSPECTED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());

fn keep_module(m: *mut gilgate_capi::ffi::PyObject) {
    if !m.is_null() {
        INSPECTED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(m as usize);
    }
}

/// A worker process, started by `exec` or by `fork` alone.
enum Proc {
    Exec(Child),
    Fork {
        pid: libc::pid_t,
        /// Set once it was waited for (its pid may then belong to another process).
        status: Option<ExitStatus>,
    },
}

impl Proc {
    fn wait(&mut self) -> std::io::Result<ExitStatus> {
        match self {
            Proc::Exec(c) => c.wait(),
            Proc::Fork { pid, status } => {
                if let Some(s) = status {
                    return Ok(*s);
                }
                loop {
                    let mut raw = 0;
                    // SAFETY: waits for this process's own child; the status goes to a local.
                    let r = unsafe { libc::waitpid(*pid, &mut raw, 0) };
                    if r == *pid {
                        let s = ExitStatus::from_raw(raw);
                        *status = Some(s);
                        return Ok(s);
                    }
                    let e = std::io::Error::last_os_error();
                    if e.kind() != std::io::ErrorKind::Interrupted {
                        return Err(e);
                    }
                }
            }
        }
    }

    /// Whether it has exited and was reaped (by this call, without waiting, or before).
    fn reaped(&mut self) -> bool {
        match self {
            Proc::Exec(c) => c.try_wait().is_ok_and(|s| s.is_some()),
            Proc::Fork {
                status: Some(_), ..
            } => true,
            Proc::Fork { pid, status } => {
                let mut raw = 0;
                // SAFETY: reaps this process's own child if it has exited; never waits.
                let r = unsafe { libc::waitpid(*pid, &mut raw, libc::WNOHANG) };
                if r == *pid {
                    *status = Some(ExitStatus::from_raw(raw));
                }
                // 0: still running; an error (not our child any more): nothing left to reap.
                r != 0
            }
        }
    }

    fn kill(&mut self) {
        match self {
            Proc::Exec(c) => {
                let _ = c.kill();
            }
            Proc::Fork { pid, status: None } => {
                // SAFETY: signals this process's own child, not yet waited for (so its pid is
                // still its own).
                unsafe { libc::kill(*pid, libc::SIGKILL) };
            }
            Proc::Fork { .. } => {}
        }
    }
}

/// A running worker.
struct Worker {
    child: Proc,
    /// `None` once the last request was sent (the worker exits after answering it).
    stdin: Option<File>,
    lines: Lines,
    /// Its private temporary folder (`HOME`, `TMPDIR`, working folder), removed with it.
    home: Option<Home>,
    /// Whether its sandbox setup was sent and answered.
    sandboxed: bool,
}

impl Worker {
    /// A worker just started (by `fork` or `exec`), its prepare line sent when it is sandboxed.
    fn started(child: Proc, stdin: File, out: impl Into<OwnedFd>, home: Option<Home>) -> Worker {
        let mut w = Worker {
            child,
            stdin: Some(stdin),
            lines: Lines::new(out),
            home,
            sandboxed: false,
        };
        w.send_prepare();
        w
    }

    /// A sandboxed worker just forked (`Pool::fork_sandboxed`), with its folder made now; the
    /// child is killed when the folder cannot be made.
    fn with_home_later((mut child, stdin, out): Forked) -> std::io::Result<Worker> {
        match worker_home() {
            Ok(home) => Ok(Worker::started(child, stdin, out, Some(home))),
            Err(e) => {
                child.kill();
                let _ = child.wait();
                Err(e)
            }
        }
    }

    /// Sends a sandboxed worker started by `exec` its prepare line (its folder; it then
    /// builds what its sandbox will be, but for the folder and the inputs), which it reads as
    /// soon as its runtime has started. A forked one needs none: it prepares at once, and
    /// learns its folder from the setup line. A failure to send is left to the setup line,
    /// which reports the worker's end.
    fn send_prepare(&mut self) {
        let Some(home) = self.home.as_ref() else {
            return;
        };
        if !matches!(self.child, Proc::Exec(_)) {
            return;
        }
        let line = PrepareLine {
            prepare: Prepare {
                home: home.path().to_path_buf(),
            },
        };
        let mut text = serde_json::to_string(&line).expect("prepare line serializes");
        text.push('\n');
        let _ = send_line(&mut self.stdin, &text);
    }
}

/// The sandbox settings the pools of one `inspect` share, and what their workers reported.
pub(crate) struct SandboxShared {
    /// What workers may read besides the system's folders (set once the inputs are known).
    read: Mutex<Vec<PathBuf>>,
    limits: Limits,
    /// The weakest report any worker gave.
    report: Mutex<Option<SandboxReport>>,
}

impl SandboxShared {
    /// Names what workers may read (the inputs and the wheels' unpacked folders).
    pub fn set_read(&self, roots: Vec<PathBuf>) {
        *self.read.lock().unwrap_or_else(|e| e.into_inner()) = roots;
    }

    /// What the workers applied (`None` when no worker was set up).
    pub fn report(&self) -> Option<SandboxReport> {
        self.report
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn record(&self, r: SandboxReport) {
        let mut cur = self.report.lock().unwrap_or_else(|e| e.into_inner());
        *cur = Some(match cur.take() {
            Some(c) => c.weakest(r),
            None => r,
        });
    }
}

/// Environment variables a sandboxed worker keeps (locale and time zone, diagnostics, what
/// the dynamic loader and valgrind need); everything else, secrets included, is left behind.
fn kept_env(name: &str) -> bool {
    matches!(
        name,
        "LANG"
            | "LANGUAGE"
            | "TZ"
            | "GILGATE_LOG"
            | "RUST_BACKTRACE"
            | "LD_LIBRARY_PATH"
            | "LD_PRELOAD"
    ) || name.starts_with("LC_")
        || name.starts_with("VALGRIND_")
}

/// Writes one line to a worker's input (an error once its input is closed).
fn send_line(stdin: &mut Option<File>, text: &str) -> std::io::Result<()> {
    let Some(s) = stdin.as_mut() else {
        return Err(std::io::ErrorKind::BrokenPipe.into());
    };
    s.write_all(text.as_bytes()).and_then(|_| s.flush())
}

/// The lines a worker writes on its protocol channel, read by the thread that asks it: no
/// reader thread per worker (its start-up, and a hand-off between threads for every line),
/// the deadline is a `poll`. As `BufRead::lines` would give them: without the line end (`\n`
/// or `\r\n`), a last line without one at the end of the stream; the stream ends (the worker
/// is gone) at its end, at a read error or at a line that is not UTF-8.
struct Lines {
    /// `None` once the stream ended: closed, so a worker still writing gets `EPIPE` instead
    /// of waiting for a reader that will not come.
    out: Option<File>,
    buf: Vec<u8>,
    /// Where the unread part of `buf` starts.
    start: usize,
    /// What one read fills (allocated and zeroed once).
    chunk: Box<[u8]>,
    ended: bool,
    /// How long a wait checks the channel without sleeping before it sleeps in `poll`
    /// ([`Pool::quick_exit`] pools on a machine with a CPU to spare: [`SPIN`]).
    spin: Duration,
}

/// How long the command line's waits for a worker's next line check without sleeping. A
/// reader asleep on an idle CPU makes each of the worker's lines cost it a wake-up of that
/// CPU (12 µs of the worker's `write` on the 2-core benchmark machine, against 0.5 µs with
/// nobody waiting), and itself starts running again only some 35 µs after the line came; a
/// small wheel's inspection waits four times, each well under a millisecond. A longer wait
/// (a slow init) sleeps after this.
const SPIN: Duration = Duration::from_millis(1);

/// Whether this process may run on more than one CPU (so a spinning wait leaves one to the
/// worker); asked once.
fn cpu_to_spare() -> bool {
    static SPARE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SPARE.get_or_init(|| {
        // SAFETY: the set is a local of the size passed; the call only reads this process's
        // affinity.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0
                && libc::CPU_COUNT(&set) >= 2
        }
    })
}

impl Lines {
    fn new(out: impl Into<OwnedFd>) -> Lines {
        Lines {
            out: Some(File::from(out.into())),
            buf: Vec::with_capacity(8192),
            start: 0,
            chunk: vec![0; 8192].into_boxed_slice(),
            ended: false,
            spin: Duration::ZERO,
        }
    }

    /// The next line, waiting at most `timeout` for it.
    fn recv_timeout(&mut self, timeout: Duration) -> Result<String, RecvTimeoutError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.take_line() {
                return line;
            }
            if self.ended {
                return Err(RecvTimeoutError::Disconnected);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if !self.wait_readable(left) {
                return Err(RecvTimeoutError::Timeout);
            }
            self.fill();
        }
    }

    /// A complete line from the buffer (or the rest, once the stream ended).
    fn take_line(&mut self) -> Option<Result<String, RecvTimeoutError>> {
        let rest = &self.buf[self.start..];
        let (line, used) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let line = &rest[..i];
                (line.strip_suffix(b"\r").unwrap_or(line), i + 1)
            }
            None if self.ended && !rest.is_empty() => (rest, rest.len()),
            None => return None,
        };
        let text = match std::str::from_utf8(line) {
            Ok(t) => Ok(t.to_string()),
            Err(_) => {
                self.end();
                self.buf.clear();
                self.start = 0;
                return Some(Err(RecvTimeoutError::Disconnected));
            }
        };
        self.start += used;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
        Some(text)
    }

    /// Whether the channel has something to read (or ended) within `timeout`.
    fn wait_readable(&self, timeout: Duration) -> bool {
        let Some(out) = &self.out else {
            return true;
        };
        let deadline = Instant::now() + timeout;
        let mut pfd = libc::pollfd {
            fd: out.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        if !self.spin.is_zero() {
            let spin_end = Instant::now() + self.spin.min(timeout);
            loop {
                // SAFETY: one valid pollfd, for a descriptor this struct owns; no wait.
                let n = unsafe { libc::poll(&mut pfd, 1, 0) };
                if n > 0
                    || (n < 0
                        && std::io::Error::last_os_error().kind()
                            != std::io::ErrorKind::Interrupted)
                {
                    return true;
                }
                if Instant::now() >= spin_end {
                    break;
                }
                // A process runnable on this CPU (the worker, should they share it) runs
                // first.
                // SAFETY: `sched_yield` has no preconditions.
                unsafe { libc::sched_yield() };
            }
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            // Rounded up, so a wait never ends before the deadline.
            let ms = left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
            // SAFETY: one valid pollfd, for a descriptor this struct owns.
            let n = unsafe { libc::poll(&mut pfd, 1, ms) };
            if n > 0 {
                return true;
            }
            if n == 0 {
                if Instant::now() >= deadline {
                    return false;
                }
                continue;
            }
            if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                // The read that follows gives the error, which ends the stream.
                return true;
            }
        }
    }

    /// Reads what is there (the channel is readable).
    fn fill(&mut self) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let Some(out) = self.out.as_mut() else {
            self.ended = true;
            return;
        };
        loop {
            match out.read(&mut self.chunk) {
                Ok(0) => self.end(),
                Ok(n) => self.buf.extend_from_slice(&self.chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => self.end(),
            }
            return;
        }
    }

    fn end(&mut self) {
        self.ended = true;
        self.out = None;
    }
}

/// Starts workers on demand and replaces them when one dies.
pub(crate) struct Pool {
    /// The worker program; `None`: this one, whose path is read (`current_exe`) only when a
    /// worker is to be started by `exec` or named in an error.
    binary: Option<PathBuf>,
    timeout: Duration,
    current: Option<Worker>,
    /// The version its workers present (single-use workers for other targets).
    version: Option<PyVersion>,
    /// `None` with `--no-sandbox`.
    sandbox: Option<Arc<SandboxShared>>,
    /// Whether a worker may be a `fork` of this process (`binary` is this program).
    fork: bool,
    /// Whether this process exits right after using the answers (see [`Pool::quick_exit`]).
    quick_exit: bool,
    /// Whether this pool's waits may spin ([`SPIN`]): a quick-exit pool's do, unless it is
    /// one of several serving at once ([`Pool::without_spin`]).
    spin: bool,
}

impl Pool {
    pub fn new(binary: Option<PathBuf>, timeout: Duration) -> Pool {
        Pool {
            binary,
            timeout,
            current: None,
            version: None,
            fork: false,
            quick_exit: false,
            spin: true,
            sandbox: Some(Arc::new(SandboxShared {
                read: Mutex::new(Vec::new()),
                limits: Limits::for_timeout(timeout),
                report: Mutex::new(None),
            })),
        }
    }

    /// The worker program's path.
    fn binary_path(&self) -> PathBuf {
        self.binary.clone().unwrap_or_else(default_binary)
    }

    /// The same pool with workers started by `fork` when possible: `binary` is this program
    /// (workers run [`run_if_worker`]'s loop), so a worker need not re-execute it.
    pub fn forking(mut self, on: bool) -> Pool {
        self.fork = on;
        self
    }

    /// The same pool for a caller that exits once it has used the answers (the command line):
    /// when the pool is dropped, its worker is not waited for, only the end of its protocol
    /// stream (which it ends just before it calls `exit`), so that its exit and the kernel's
    /// teardown of it (about a millisecond for a worker that loaded pillow's libraries) run
    /// alongside this process's own end instead of before it. Its folder is removed at that
    /// point; the kernel reaps it once this process has exited. A worker whose stream does
    /// not end within the time limit is killed and waited for, as before.
    pub fn quick_exit(mut self, on: bool) -> Pool {
        self.quick_exit = on;
        self
    }

    /// The same pool with its workers unsandboxed (`--no-sandbox`).
    pub fn without_sandbox(mut self) -> Pool {
        self.sandbox = None;
        self
    }

    /// The sandbox settings shared by this pool and its siblings (`None`: no sandbox).
    pub fn sandbox(&self) -> Option<Arc<SandboxShared>> {
        self.sandbox.clone()
    }

    /// A pool for one module built for `target` (not 3.14t): its worker presents that
    /// target's version and is used for that module only (drop the pool after `ask`).
    pub fn single_use(&self, target: Target) -> Pool {
        let mut p = self.sibling();
        p.version = Some(presented_version(target));
        p
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut w = self.start_worker()?;
        if self.quick_exit && self.spin && cpu_to_spare() {
            w.lines.spin = SPIN;
        }
        Ok(w)
    }

    /// The same pool with waits that sleep at once, for pools that serve side by side (each
    /// with a thread of this process waiting on its worker): spinning threads would take the
    /// CPUs their workers need. Its current worker's waits too.
    pub fn without_spin(mut self) -> Pool {
        self.spin = false;
        if let Some(w) = self.current.as_mut() {
            w.lines.spin = Duration::ZERO;
        }
        self
    }

    /// A new worker (or the one `fork_early` started), by `fork` or `exec`.
    fn start_worker(&self) -> std::io::Result<Worker> {
        if self.sandbox.is_some()
            && self.fork
            && let Some(forked) = take_early(self.version)
        {
            // Forked at the start of the command (`fork_early`), as below but sooner (and
            // before the command's tracing subscriber was set, so its debug line is here).
            if let Proc::Fork { pid, .. } = forked.0 {
                tracing::debug!("inspection worker {pid} started by fork at start-up");
            }
            return Worker::with_home_later(forked);
        }
        let fork = self.can_fork();
        if self.sandbox.is_some() && fork {
            return Worker::with_home_later(self.fork_sandboxed(false)?);
        }
        let home = match self.sandbox {
            Some(_) => Some(worker_home()?),
            None => None,
        };
        let cwd = home.as_ref().map(|h| h.path());
        let env = self.worker_env(cwd);
        if fork {
            let (child, stdin, out) = self.fork_worker(&env, cwd, false)?;
            return Ok(Worker::started(child, stdin, out, home));
        }
        let mut cmd = Command::new(self.binary_path());
        cmd.env_clear().envs(env);
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        tracing::debug!("inspection worker {} started by exec", child.id());
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        Ok(Worker::started(
            Proc::Exec(child),
            File::from(OwnedFd::from(stdin)),
            stdout,
            home,
        ))
    }

    /// A sandboxed worker forked now, its folder to be made after the `fork` (while the child
    /// starts its runtime: its `mkdir` was about 0.1 ms before the child could start; the
    /// child moves into it at its first line, `settle_home`): see [`Worker::with_home_later`].
    /// `at_start`: forked at the top of `main` ([`fork_early`]; see [`Pool::fork_worker`]).
    fn fork_sandboxed(&self, at_start: bool) -> std::io::Result<Forked> {
        let env = self.worker_env(Some(Path::new("")));
        self.fork_worker(&env, None, at_start)
    }

    /// A worker's whole environment: sandboxed, only [`kept_env`]'s variables of this
    /// process's, with `HOME` and `TMPDIR` its folder `home` and a plain `PATH`; else all of
    /// them. Either way [`WORKER_ENV`], and [`VERSION_ENV`] only when it presents a version.
    ///
    /// The values left out are overwritten before they are freed: a worker started by `fork`
    /// inherits this process's heap, where the freed copies would otherwise still hold them
    /// (the same for an inherited environment block: see [`become_worker`]).
    fn worker_env(&self, home: Option<&Path>) -> Vec<(OsString, OsString)> {
        let mut env: Vec<(OsString, OsString)> = Vec::new();
        for (k, v) in std::env::vars_os() {
            if (self.sandbox.is_none() || k.to_str().is_some_and(kept_env))
                && k != VERSION_ENV
                && k != WORKER_ENV
                && !(home.is_some() && (k == "HOME" || k == "TMPDIR" || k == "PATH"))
            {
                env.push((k, v));
            } else {
                blank(v);
            }
        }
        if let Some(dir) = home {
            env.push(("HOME".into(), dir.into()));
            env.push(("TMPDIR".into(), dir.into()));
            env.push(("PATH".into(), "/usr/bin:/bin".into()));
        }
        if let Some(v) = self.version {
            env.push((
                VERSION_ENV.into(),
                format!("{}.{}.{}", v.major, v.minor, v.micro).into(),
            ));
        }
        env.push((WORKER_ENV.into(), "1".into()));
        env
    }

    /// Whether a worker can start as a `fork` of this process that runs the worker loop
    /// without `exec` (no dynamic loading, no page faults of a fresh image: a worker's start
    /// costs about a third as much), which is safe when: this pool's binary is this program,
    /// [`START_ENV`] is not `exec`, this process is single-threaded (a thread could hold a
    /// lock the child would need; it also has no other thread's state to inherit) and has not
    /// touched the runtime (the worker starts it, and chooses the version it presents). The
    /// child is made what an `exec` would give: see [`become_worker`].
    fn can_fork(&self) -> bool {
        self.fork
            && std::env::var_os(START_ENV).is_none_or(|v| v != "exec")
            && gilgate_capi::host::untouched()
            && thread_count() == 1
    }

    /// The `fork` itself, once [`Pool::can_fork`] said yes. `cwd` `None` for a sandboxed
    /// worker: its folder is made after the `fork`, and the child moves into it (and sets
    /// `HOME` and `TMPDIR`, whose places `env` holds) when it reads its first line.
    ///
    /// `at_start`: this process is at the top of `main` ([`fork_early`]), where it has run
    /// nothing but what an `exec`'d worker also runs before it serves (the dynamic loader,
    /// library constructors, the command's `start_process`), so the child keeps its signal
    /// actions: they are the ones an `exec`'d worker has (setting back the caught ones asks
    /// the kernel about all 64 signals: about 0.05 ms of the worker's start-up, 0.01 ms of a
    /// small wheel's whole inspection in 500 alternating pairs).
    fn fork_worker(
        &self,
        env: &[(OsString, OsString)],
        cwd: Option<&Path>,
        at_start: bool,
    ) -> std::io::Result<Forked> {
        let home_later = self.sandbox.is_some() && cwd.is_none();
        // Everything the child uses is made here: it only makes system calls.
        let cstr = |b: &[u8]| CString::new(b).map_err(std::io::Error::other);
        let env = env
            .iter()
            .map(|(k, v)| Ok((cstr(k.as_bytes())?, cstr(v.as_bytes())?)))
            .collect::<std::io::Result<Vec<_>>>()?;
        let cwd = cwd.map(|d| cstr(d.as_os_str().as_bytes())).transpose()?;
        let (req_in, req_out) = pipe()?;
        let (proto_in, proto_out) = pipe()?;
        // Nothing buffered for stdout is left to be written twice (by the child as well).
        let _ = std::io::stdout().flush();
        // SAFETY: `fflush(NULL)` flushes C's output streams; no stream is passed.
        unsafe { libc::fflush(std::ptr::null_mut()) };
        // SAFETY: `sched_getcpu` has no preconditions.
        let cpu = unsafe { libc::sched_getcpu() };
        // SAFETY: this process is single-threaded (checked above), so the child inherits no
        // lock held by another thread; it goes straight to `become_worker`, which never
        // returns into the caller's frames.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if pid == 0 {
            // SAFETY: this is the child of the `fork` above; the descriptors are the pipe
            // ends made for it.
            unsafe {
                leave_cpu(cpu);
                become_worker(
                    req_in.as_raw_fd(),
                    proto_out.as_raw_fd(),
                    &env,
                    cwd.as_deref(),
                    home_later,
                    !at_start,
                )
            }
        }
        // The child's start-up and this process's work overlap only on two CPUs: the parent
        // lets the child run first where they both are, and the child moves it elsewhere
        // (`leave_cpu`; a child started on another CPU has nothing to wait for).
        // SAFETY: `sched_yield` has no preconditions.
        unsafe { libc::sched_yield() };
        tracing::debug!("inspection worker {pid} started by fork");
        drop((req_in, proto_out));
        Ok((
            Proc::Fork { pid, status: None },
            File::from(req_out),
            File::from(proto_in),
        ))
    }

    /// Starts the worker now, so that its start-up overlaps whatever the caller does next.
    pub fn prestart(&mut self) {
        // The inputs' names point to modules of another target, whose worker is already
        // starting (`fork_early`): one of this pool's would most likely go unused (if a
        // module it serves turns up, the first `ask` starts it).
        if self.sandbox.is_some() && self.fork && early_presents_other(self.version) {
            return;
        }
        if self.current.is_none() {
            // A failure is reported by the first `ask`, which tries again.
            self.current = self.spawn().ok();
        }
    }

    /// Another pool with the same binary and time limit (its worker starts on first use).
    pub fn sibling(&self) -> Pool {
        let mut p = Pool::new(self.binary.clone(), self.timeout);
        p.sandbox = self.sandbox.clone();
        p.fork = self.fork;
        p.quick_exit = self.quick_exit;
        p.spin = self.spin;
        p
    }

    /// Sends the sandbox setup to a fresh worker, followed in the same write by `request`
    /// (the worker reads it only once its sandbox is set up: one wake-up of the worker, and
    /// none of this process in between), and waits for what it applied. True when `request`
    /// was sent. An error is the module's: the worker died or did not answer.
    fn set_up_sandbox(&mut self, request: &str) -> Result<bool, ErrorReport> {
        let Some(shared) = self.sandbox.clone() else {
            return Ok(false);
        };
        let w = self.current.as_mut().expect("worker present");
        if w.sandboxed {
            return Ok(false);
        }
        let home = w
            .home
            .as_ref()
            .map(|h| h.path().to_path_buf())
            .unwrap_or_default();
        let setup = SetupLine {
            sandbox: Setup {
                home,
                read: shared
                    .read
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone(),
                limits: shared.limits,
                skip: sandbox::skipped_from_env(),
            },
        };
        let mut text = serde_json::to_string(&setup).expect("setup serializes");
        text.push('\n');
        text.push_str(request);
        let sent = send_line(&mut w.stdin, &text);
        let reply = match sent {
            Ok(()) => w.lines.recv_timeout(self.timeout),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match reply.ok().map(|l| serde_json::from_str::<Line>(&l)) {
            Some(Ok(Line::Sandbox(r))) => {
                shared.record(*r);
                w.sandboxed = true;
                Ok(true)
            }
            other => {
                self.discard();
                Err(ErrorReport::new(
                    "HostError",
                    format!(
                        "the inspection worker did not set up its sandbox ({})",
                        match other {
                            None => "no answer".to_string(),
                            Some(Ok(l)) => format!("unexpected answer {l:?}"),
                            Some(Err(e)) => format!("bad answer: {e}"),
                        }
                    ),
                ))
            }
        }
    }

    /// Asks a worker about one module.
    pub fn ask(&mut self, req: &Request) -> Declaration {
        self.ask_then(req, false)
    }

    /// Asks a worker about the last module this pool is asked about: the worker's input is
    /// closed once the request is sent, so it exits as soon as it has answered, while this
    /// process reads and uses the answer (instead of after, when the pool is dropped).
    pub fn ask_last(&mut self, req: &Request) -> Declaration {
        self.ask_then(req, true)
    }

    fn ask_then(&mut self, req: &Request, last: bool) -> Declaration {
        let target = Some(req.target.target);
        if self.current.as_ref().is_some_and(|w| w.stdin.is_none()) {
            // Asked again after a last request: that worker is on its way out.
            self.retire();
        }
        if self.current.is_none() {
            match self.spawn() {
                Ok(w) => self.current = Some(w),
                Err(e) => {
                    return Declaration::failed(
                        target,
                        ErrorReport::new(
                            "HostError",
                            format!(
                                "cannot start the inspection worker {}: {e}",
                                self.binary_path().display()
                            ),
                        ),
                    );
                }
            }
        }
        let mut text = serde_json::to_string(&Request {
            last,
            ..req.clone()
        })
        .expect("requests serialize");
        text.push('\n');
        let sent = match self.set_up_sandbox(&text) {
            Ok(true) => Ok(()),
            Ok(false) => {
                let w = self.current.as_mut().expect("worker present");
                send_line(&mut w.stdin, &text)
            }
            Err(e) => return Declaration::failed(target, e),
        };
        let w = self.current.as_mut().expect("worker present");
        if last {
            w.stdin = None;
        }
        let deadline = Instant::now() + self.timeout;
        let mut seen = Seen::default();
        let mut retiring = None;
        let mut violation = None;
        let limits = self.sandbox.as_ref().map(|s| s.limits);
        let settle = |d: Declaration, seen: &Seen| {
            incomplete::settle(
                d,
                &req.name,
                req.target.target,
                seen,
                Some(req.imports_setgil),
                &Imports::default(),
            )
        };
        loop {
            let reply = match &sent {
                Ok(()) => w
                    .lines
                    .recv_timeout(deadline.saturating_duration_since(Instant::now())),
                Err(_) => Err(RecvTimeoutError::Disconnected),
            };
            match reply {
                Ok(line) => match serde_json::from_str::<Line>(&line) {
                    Ok(Line::Answer(d)) => {
                        if let Some(threads) = retiring {
                            if threads > 0 {
                                tracing::debug!(
                                    "{}: left {threads} thread(s) running; its worker is replaced",
                                    req.path.display()
                                );
                            } else {
                                tracing::debug!(
                                    "{}: its worker used half its sandbox limits (CPU time or address space); the worker is replaced",
                                    req.path.display()
                                );
                            }
                            self.retire();
                        }
                        return *d;
                    }
                    Ok(Line::Retiring { threads }) => retiring = Some(threads),
                    Ok(Line::Setgil { module, value }) => seen.setgil.push((module, value)),
                    Ok(Line::Def(d)) => seen.def = Some(*d),
                    Ok(Line::Hook) => seen.hook_called = true,
                    Ok(Line::Violation { syscall }) => violation = Some(syscall),
                    Ok(Line::Sandbox(_)) => {}
                    Err(e) => {
                        self.discard();
                        return Declaration::failed(
                            target,
                            ErrorReport::new("HostError", format!("bad worker answer: {e}")),
                        );
                    }
                },
                Err(RecvTimeoutError::Timeout) => {
                    self.discard();
                    let d = Declaration::failed(
                        target,
                        ErrorReport::new(
                            "Timeout",
                            format!("init did not return within {}", secs(self.timeout)),
                        ),
                    );
                    return settle(d, &seen);
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let mut w = self.current.take().expect("worker present");
                    drop(w.stdin);
                    let status = w.child.wait();
                    if let Some(e) = sandbox_stop(status.as_ref().ok(), violation, limits) {
                        return settle(Declaration::failed(target, e), &seen);
                    }
                    if !seen.hook_called {
                        // dlopen itself died (a broken file): the file's error, not the init's.
                        let e = crash_error(status.ok(), "loading the file");
                        return Declaration::failed(target, e);
                    }
                    let e = crash_error(status.ok(), "init");
                    return settle(Declaration::failed(target, e), &seen);
                }
            }
        }
    }

    /// Lets a worker that announced it retires exit by itself (it `_exit`s after its answer).
    fn retire(&mut self) {
        if let Some(mut w) = self.current.take() {
            drop(w.stdin);
            let _ = w.child.wait();
        }
    }

    /// Lets this pool's worker go, unused or done: its input ends and it exits by itself; a
    /// [`Pool::quick_exit`] pool does not wait for that (a library caller's does).
    pub fn release(&mut self) {
        if !self.quick_exit {
            return self.retire();
        }
        if let Some(w) = self.current.take() {
            drop(w.stdin);
            exiting(w.child);
        }
    }

    fn discard(&mut self) {
        if let Some(mut w) = self.current.take() {
            w.child.kill();
            let _ = w.child.wait();
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if let Some(mut w) = self.current.take() {
            // Its input ends: it exits (it answered every request it was sent).
            drop(w.stdin);
            if self.quick_exit {
                // Only the end of its stream, sent just before it calls `exit` (see
                // `quick_exit`); its folder is removed as `w` is dropped.
                loop {
                    match w.lines.recv_timeout(self.timeout) {
                        Ok(_) => continue,
                        Err(RecvTimeoutError::Disconnected) => {
                            exiting(w.child);
                            return;
                        }
                        Err(RecvTimeoutError::Timeout) => break,
                    }
                }
                w.child.kill();
            }
            let _ = w.child.wait();
        }
    }
}

/// Workers on their way out that were not waited for (`Pool::quick_exit`): each is reaped
/// (without waiting) when the next one is left here, so that a command that runs many
/// workers one after the other (a single-use worker per module built for another target)
/// does not keep one finished process per worker until it exits.
static EXITING: Mutex<Vec<Proc>> = Mutex::new(Vec::new());

/// Leaves `child` to exit by itself, reaping the workers left earlier that have exited.
fn exiting(mut child: Proc) {
    let mut left = EXITING.lock().unwrap_or_else(|e| e.into_inner());
    left.retain_mut(|p| !p.reaped());
    if !child.reaped() {
        left.push(child);
    }
}

fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The error of a worker the sandbox stopped: a trapped system call (named), or a resource
/// limit the kernel enforced with its signal; `None` for any other end.
fn sandbox_stop(
    status: Option<&std::process::ExitStatus>,
    violation: Option<i64>,
    limits: Option<Limits>,
) -> Option<ErrorReport> {
    use std::os::unix::process::ExitStatusExt;
    let limits = limits?;
    if let Some(n) = violation {
        return Some(ErrorReport::new(
            "SandboxViolation",
            format!(
                "init called {}, which the inspection sandbox forbids; the worker was stopped",
                sandbox::stopped_call_name(n)
            ),
        ));
    }
    let what = match status?.signal()? {
        libc::SIGSYS => {
            "made a system call the inspection sandbox forbids (killed by SIGSYS)".to_string()
        }
        libc::SIGXCPU => format!(
            "exceeded the inspection sandbox's CPU time limit ({} s, SIGXCPU)",
            limits.cpu_seconds
        ),
        libc::SIGXFSZ => format!(
            "exceeded the inspection sandbox's file size limit ({}, SIGXFSZ)",
            sandbox::bytes(limits.file_size)
        ),
        _ => return None,
    };
    Some(ErrorReport::new("SandboxViolation", format!("init {what}")))
}

/// The error of a worker that died while `phase` ran (`init`, `loading the file`).
fn crash_error(status: Option<std::process::ExitStatus>, phase: &str) -> ErrorReport {
    use std::os::unix::process::ExitStatusExt;
    match status {
        Some(s) if s.signal().is_some() => {
            let sig = s.signal().unwrap_or(0);
            ErrorReport::new(
                "WorkerCrash",
                format!("{phase} crashed (signal {sig}, {})", signal_name(sig)),
            )
        }
        Some(s) => ErrorReport::new(
            "WorkerCrash",
            format!("{phase} called exit({})", s.code().unwrap_or(-1)),
        ),
        None => ErrorReport::new("WorkerCrash", "the inspection worker vanished"),
    }
}

/// `SIGSEGV`-style name of a signal number.
pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGINT => "SIGINT",
        libc::SIGSYS => "SIGSYS",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        _ => "unknown signal",
    }
}

/// A sandboxed worker's private folder (its `HOME`, `TMPDIR` and working folder), where
/// unpacked wheels go (`wheel::private_temp_dir`): on the benchmark machine's disk `/tmp`, making
/// and removing one took 0.1 to 0.35 ms, against about 0.01 ms in `/dev/shm`.
fn worker_home() -> std::io::Result<Home> {
    crate::wheel::private_temp_dir("gilgate-worker-").map(|d| Home(Some(d)))
}

/// A worker's folder ([`worker_home`]), removed when dropped. Most workers leave it empty,
/// so a plain `rmdir` comes first: one call, where emptying it (`tempfile`'s removal, which
/// any folder with something left in it still gets) opens and lists it, about ten calls and
/// a 32 KiB listing buffer, on the way to every command's end.
struct Home(Option<tempfile::TempDir>);

impl Home {
    fn path(&self) -> &Path {
        self.0.as_ref().map_or(Path::new(""), |d| d.path())
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take()
            && std::fs::remove_dir(dir.path()).is_ok()
        {
            // Removed: nothing is left for `tempfile` to remove.
            let _ = dir.keep();
        }
    }
}

/// In the child of a `fork`, first: when it runs on `cpu`, the CPU its parent ran on at the
/// `fork`, it moves the parent to another CPU the parent may use, then gives the parent back
/// its whole set (the move is made; the kernel leaves it where it now is), so the parent keeps
/// the set it had; nothing is done when `cpu` is the only one. Linux starts the child on its
/// parent's CPU, where one of the two waits while the other runs (measured on the 2-core
/// benchmark machine: every time, with the other core idle), so the worker's start-up and the
/// parent's discovery, meant to overlap, ran one after the other. The parent yields at once
/// (`Pool::fork_worker`), so the child runs first and moves the parent, which was waiting
/// anyway: the child never waits for an idle CPU to wake, and moving a process that is not
/// running is cheaper than moving oneself (measured: about 0.03 ms less).
fn leave_cpu(cpu: libc::c_int) {
    let Ok(cpu_index) = usize::try_from(cpu) else {
        return;
    };
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: the sets are locals of the size passed; these calls only read and change the
    // scheduling of this process's parent.
    unsafe {
        if libc::sched_getcpu() != cpu {
            return;
        }
        let parent = libc::getppid();
        let mut all: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(parent, size, &mut all) != 0 {
            return;
        }
        let mut others = all;
        libc::CPU_CLR(cpu_index, &mut others);
        if libc::CPU_COUNT(&others) == 0 || libc::sched_setaffinity(parent, size, &others) != 0 {
            return;
        }
        libc::sched_setaffinity(parent, size, &all);
    }
}

/// A pipe (read end, write end), both ends close-on-exec.
fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors `pipe2` returns.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: two fresh descriptors owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Turns the child of `Pool::fork_worker`'s `fork` into a worker, as an `exec`'d one starts:
/// requests on fd 0 and the protocol on fd 1 (the pipes), stderr kept (the worker loop
/// closes every other descriptor and unblocks every signal, `clean_start`); with
/// `reset_signals`, every caught signal back to its default (ignored signals stay ignored, as
/// across `exec`; an `exec`'d `gilgate` installs no handler before it serves: it starts at its
/// own `main`, without the Rust runtime's stack-overflow handler); exactly the environment `env`; working folder `cwd` (with
/// `home_later`, the folder its first line names instead: `settle_home`); and no `tracing`
/// subscriber (a fresh worker never sets one). Then it serves, and exits.
///
/// # Safety
/// Only in the child of a `fork` of a single-threaded process; `req_in` and `proto_out` are
/// open descriptors other than 0, 1 and 2.
unsafe fn become_worker(
    req_in: RawFd,
    proto_out: RawFd,
    env: &[(CString, CString)],
    cwd: Option<&std::ffi::CStr>,
    home_later: bool,
    reset_signals: bool,
) -> ! {
    HOME_LATER.store(home_later, std::sync::atomic::Ordering::Relaxed);
    // SAFETY: plain system calls on this process's own descriptors, signal table and
    // environment; the process is single-threaded, so nothing reads the environment while it
    // changes; the strings are NUL-terminated.
    unsafe {
        if libc::dup2(req_in, 0) < 0 || libc::dup2(proto_out, 1) < 0 {
            libc::_exit(70);
        }
        if reset_signals {
            for sig in 1..libc::SIGRTMAX() {
                if matches!(sig, libc::SIGKILL | libc::SIGSTOP) {
                    continue;
                }
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                    && old.sa_sigaction != libc::SIG_DFL
                    && old.sa_sigaction != libc::SIG_IGN
                {
                    libc::signal(sig, libc::SIG_DFL);
                }
            }
        }
        blank_inherited_environment();
        libc::clearenv();
        for (k, v) in env {
            libc::setenv(k.as_ptr(), v.as_ptr(), 1);
        }
        if let Some(dir) = cwd
            && libc::chdir(dir.as_ptr()) != 0
        {
            libc::_exit(70);
        }
    }
    // Only when there is one to replace (setting one registers it with every call site: about
    // 0.03 ms; a worker forked at the top of `main` has none).
    if !tracing::dispatcher::get_default(|d| d.is::<tracing::subscriber::NoSubscriber>()) {
        std::mem::forget(tracing::subscriber::set_default(
            tracing::subscriber::NoSubscriber::default(),
        ));
    }
    let _ = std::panic::catch_unwind(|| {
        serve();
    });
    // SAFETY: ends the child at once; it must never return into its parent's frames.
    unsafe { libc::_exit(101) }
}

/// Frees `v` after overwriting its bytes with zeros (a volatile write each, so the stores are
/// not dropped as dead before the free).
fn blank(v: OsString) {
    let mut b = v.into_encoded_bytes();
    // SAFETY: `b`'s own bytes, exclusively borrowed.
    unsafe { zero_volatile(b.as_mut_ptr(), b.len()) };
    drop(b);
}

/// Writes zeros over `n` bytes at `p`, each with a volatile store (so that none is removed
/// as a dead store before the memory is freed or left).
///
/// # Safety
/// `p..p + n` must be writable and not in use elsewhere.
unsafe fn zero_volatile(p: *mut u8, n: usize) {
    for i in 0..n {
        // SAFETY: in bounds, per the contract.
        unsafe { std::ptr::write_volatile(p.add(i), 0) };
    }
}

/// Overwrites with zeros the text of every variable of the environment this process
/// inherited (the block the kernel placed on its first stack, which `/proc/self/environ` also
/// shows, and any string `setenv` added): a forked worker runs in a copy of its parent's
/// memory, where an exec'd one would have started with only its own variables.
///
/// # Safety
/// The process is single-threaded, and no pointer to the environment's strings is used after
/// this (the caller replaces the environment next).
unsafe fn blank_inherited_environment() {
    unsafe extern "C" {
        static mut environ: *mut *mut std::ffi::c_char;
    }
    // SAFETY: per the contract: `environ` is the NULL-terminated array of NUL-terminated
    // strings, all writable (on the first stack or on the heap); nothing reads them concurrently.
    unsafe {
        let mut e = environ;
        while !e.is_null() && !(*e).is_null() {
            let p = *e;
            zero_volatile(p.cast(), libc::strlen(p));
            e = e.add(1);
        }
    }
}

/// The default worker binary: this program.
pub(crate) fn default_binary() -> PathBuf {
    std::env::current_exe().unwrap_or_else(|_| Path::new("gilgate").to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count from the link count is the listing's, with 5 more threads parked and after
    /// they are gone.
    #[test]
    fn thread_count_by_links_is_the_listings() {
        // The test harness's other threads come and go: a count is compared only when the
        // listing gave the same number just before and just after it.
        let settled = || {
            for _ in 0..10_000 {
                let before = thread_count_listed();
                let counted = thread_count();
                if thread_count_listed() == before {
                    return (before, counted);
                }
            }
            panic!("the number of threads never held still");
        };
        let (listed, counted) = settled();
        assert!(listed >= 1);
        assert_eq!(counted, listed);
        let park = Arc::new(std::sync::Barrier::new(6));
        let parked: Vec<_> = (0..5)
            .map(|_| {
                let park = Arc::clone(&park);
                std::thread::spawn(move || {
                    park.wait();
                })
            })
            .collect();
        let (listed, counted) = settled();
        assert!(listed >= 6, "5 parked threads and this one: {listed}");
        assert_eq!(counted, listed);
        park.wait();
        for t in parked {
            t.join().unwrap();
        }
        let (listed, counted) = settled();
        assert_eq!(counted, listed);
    }

    #[test]
    fn durations_and_signals() {
        assert_eq!(secs(Duration::from_secs(10)), "10 s");
        assert_eq!(secs(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(signal_name(11), "SIGSEGV");
    }

    fn lines_of(script: &str) -> (Child, Lines) {
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        (child, Lines::new(out))
    }

    #[test]
    fn protocol_lines_read_as_buf_read_gives_them() {
        let t = Duration::from_secs(30);
        // Line ends, a last line without one, then the end.
        let (mut c, mut l) = lines_of("printf 'a\\nb\\r\\n\\nlast'");
        assert_eq!(l.recv_timeout(t).unwrap(), "a");
        assert_eq!(l.recv_timeout(t).unwrap(), "b");
        assert_eq!(l.recv_timeout(t).unwrap(), "");
        assert_eq!(l.recv_timeout(t).unwrap(), "last");
        assert_eq!(l.recv_timeout(t), Err(RecvTimeoutError::Disconnected));
        assert_eq!(l.recv_timeout(t), Err(RecvTimeoutError::Disconnected));
        c.wait().unwrap();
        // A line that is not UTF-8 ends the stream (and closes it); what came before is read.
        let (mut c, mut l) = lines_of("printf 'ok\\n\\377\\nnever\\n'");
        assert_eq!(l.recv_timeout(t).unwrap(), "ok");
        assert_eq!(l.recv_timeout(t), Err(RecvTimeoutError::Disconnected));
        assert!(l.out.is_none());
        assert_eq!(l.recv_timeout(t), Err(RecvTimeoutError::Disconnected));
        c.wait().unwrap();
        // Longer than one read.
        let (mut c, mut l) = lines_of("head -c 20000 /dev/zero | tr '\\0' x; echo; echo end");
        assert_eq!(l.recv_timeout(t).unwrap(), "x".repeat(20000));
        assert_eq!(l.recv_timeout(t).unwrap(), "end");
        c.wait().unwrap();
    }

    #[test]
    fn protocol_lines_wait_until_the_deadline() {
        // `cat` writes nothing while its input stays open: the wait ends at the deadline,
        // not before (nor long after, however long the wait may spin); once its input closes
        // it exits and the stream ends.
        for spin in [Duration::ZERO, SPIN, Duration::from_millis(200)] {
            let (mut c, mut l) = lines_of("cat");
            l.spin = spin;
            let start = Instant::now();
            let wait = Duration::from_millis(50);
            assert_eq!(l.recv_timeout(wait), Err(RecvTimeoutError::Timeout));
            let waited = start.elapsed();
            assert!(waited >= wait, "{spin:?}: {waited:?}");
            assert!(waited < Duration::from_secs(5), "{spin:?}: {waited:?}");
            let mut input = c.stdin.take().unwrap();
            input.write_all(b"echo\n").unwrap();
            assert_eq!(l.recv_timeout(Duration::from_secs(30)).unwrap(), "echo");
            drop(input);
            assert_eq!(
                l.recv_timeout(Duration::from_secs(30)),
                Err(RecvTimeoutError::Disconnected)
            );
            c.wait().unwrap();
        }
    }

    // Pools serving side by side (`without_spin`) and their siblings never spin; a quick-exit
    // pool otherwise may.
    #[test]
    fn pools_serving_side_by_side_do_not_spin() {
        let pool = Pool::new(None, Duration::from_secs(1)).quick_exit(true);
        assert!(pool.spin && pool.sibling().spin);
        let quiet = pool.without_spin();
        assert!(!quiet.spin && !quiet.sibling().spin);
    }

    // A spinning wait reads a line that comes while it spins, and one that comes after it
    // went to sleep, as a sleeping wait does.
    #[test]
    fn protocol_lines_spin_then_sleep() {
        let (mut c, mut l) = lines_of("echo soon; sleep 0.2; echo later");
        l.spin = Duration::from_millis(20);
        let t = Duration::from_secs(30);
        assert_eq!(l.recv_timeout(t).unwrap(), "soon");
        let start = Instant::now();
        assert_eq!(l.recv_timeout(t).unwrap(), "later");
        assert!(start.elapsed() >= Duration::from_millis(100));
        assert_eq!(l.recv_timeout(t), Err(RecvTimeoutError::Disconnected));
        c.wait().unwrap();
    }

    #[test]
    fn requests_round_trip() {
        let r = Request {
            name: "a.b".into(),
            path: "/x/b.so".into(),
            target: TargetInfo {
                target: crate::Target::Cp314t,
                from_tag: true,
            },
            imports_setgil: false,
            last: true,
        };
        let back: Request = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back.name, "a.b");
        assert!(back.last);
        // A request without the field (a hand-written one) is not the last.
        let old: Request = serde_json::from_str(
            r#"{"name":"m","path":"/m.so","target":{"target":"3.14t","from_tag":true},"imports_setgil":false}"#,
        )
        .unwrap();
        assert!(!old.last);
    }
}
