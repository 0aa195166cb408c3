//! The inspection worker: a child process (this same program, re-executed with
//! `GILGATE_WORKER=1`) that runs module hooks and create slots, so a crash, an `exit()` or a
//! hang in one module is that module's error. Protocol: one JSON request per line on stdin,
//! one JSON answer per line on the worker's protocol fd (its original stdout; fd 1 is pointed
//! at stderr so that C code printing to stdout cannot corrupt the protocol).

use crate::elf::ElfFacts;
use crate::init::{self, TargetInfo};
use crate::report::{Declaration, ErrorReport};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::FromRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// The environment variable that turns a process into a worker.
pub const WORKER_ENV: &str = "GILGATE_WORKER";

/// One module to inspect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Request {
    pub name: String,
    pub path: PathBuf,
    pub target: TargetInfo,
    pub imports_setgil: bool,
}

/// Call at the top of `main` in any program that uses [`crate::Host::inspect`] without naming
/// a worker binary: when the process was started as a worker it serves requests and exits;
/// otherwise this returns at once.
pub fn run_if_worker() {
    if std::env::var(WORKER_ENV).as_deref() == Ok("1") {
        serve();
    }
}

fn serve() -> ! {
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
    let mut proto = unsafe { std::fs::File::from_raw_fd(proto_fd) };
    // Start the runtime before the first request arrives: the parent is still finding and
    // unpacking modules. A failure is kept and reported by each request.
    let _ = init::runtime();
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(req) => answer(&req),
            Err(e) => Declaration::failed(
                None,
                ErrorReport::new("HostError", format!("bad worker request: {e}")),
            ),
        };
        let mut text = serde_json::to_string(&answer).expect("declarations serialize");
        text.push('\n');
        if proto
            .write_all(text.as_bytes())
            .and_then(|_| proto.flush())
            .is_err()
        {
            break;
        }
    }
    std::process::exit(0)
}

fn answer(req: &Request) -> Declaration {
    let mut facts = ElfFacts::default();
    if req.imports_setgil {
        facts
            .python_imports
            .insert("PyUnstable_Module_SetGIL".into());
    }
    crate::import_hook::for_worker(&req.name, &req.path);
    let run = std::panic::catch_unwind(|| {
        let run = init::run(&req.name, &req.path, req.target, &facts, true);
        keep_module(run.module);
        run.decl
    });
    run.unwrap_or_else(|p| {
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

fn keep_module(m: *mut gilgate_capi::object::PyObject) {
    if !m.is_null() {
        INSPECTED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(m as usize);
    }
}

/// A running worker.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

/// Starts workers on demand and replaces them when one dies.
pub(crate) struct Pool {
    binary: PathBuf,
    timeout: Duration,
    current: Option<Worker>,
}

impl Pool {
    pub fn new(binary: PathBuf, timeout: Duration) -> Pool {
        Pool {
            binary,
            timeout,
            current: None,
        }
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut child = Command::new(&self.binary)
            .env(WORKER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines: rx,
        })
    }

    /// Starts the worker now, so that its start-up overlaps whatever the caller does next.
    pub fn prestart(&mut self) {
        if self.current.is_none() {
            // A failure is reported by the first `ask`, which tries again.
            self.current = self.spawn().ok();
        }
    }

    /// Another pool with the same binary and time limit (its worker starts on first use).
    pub fn sibling(&self) -> Pool {
        Pool::new(self.binary.clone(), self.timeout)
    }

    /// Asks a worker about one module.
    pub fn ask(&mut self, req: &Request) -> Declaration {
        let target = Some(req.target.target);
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
                                self.binary.display()
                            ),
                        ),
                    );
                }
            }
        }
        let w = self.current.as_mut().expect("worker present");
        let mut text = serde_json::to_string(req).expect("requests serialize");
        text.push('\n');
        let sent = w
            .stdin
            .write_all(text.as_bytes())
            .and_then(|_| w.stdin.flush());
        let reply = match sent {
            Ok(()) => w.lines.recv_timeout(self.timeout),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match reply {
            Ok(line) => serde_json::from_str(&line).unwrap_or_else(|e| {
                self.discard();
                Declaration::failed(
                    target,
                    ErrorReport::new("HostError", format!("bad worker answer: {e}")),
                )
            }),
            Err(RecvTimeoutError::Timeout) => {
                self.discard();
                Declaration::failed(
                    target,
                    ErrorReport::new(
                        "Timeout",
                        format!("init did not return within {}", secs(self.timeout)),
                    ),
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                let mut w = self.current.take().expect("worker present");
                drop(w.stdin);
                let status = w.child.wait();
                Declaration::failed(target, crash_error(status.ok()))
            }
        }
    }

    fn discard(&mut self) {
        if let Some(mut w) = self.current.take() {
            let _ = w.child.kill();
            let _ = w.child.wait();
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if let Some(mut w) = self.current.take() {
            drop(w.stdin);
            let _ = w.child.wait();
        }
    }
}

fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn crash_error(status: Option<std::process::ExitStatus>) -> ErrorReport {
    use std::os::unix::process::ExitStatusExt;
    match status {
        Some(s) if s.signal().is_some() => {
            let sig = s.signal().unwrap_or(0);
            ErrorReport::new(
                "WorkerCrash",
                format!("init crashed (signal {sig}, {})", signal_name(sig)),
            )
        }
        Some(s) => ErrorReport::new(
            "WorkerCrash",
            format!("init called exit({})", s.code().unwrap_or(-1)),
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
        _ => "unknown signal",
    }
}

/// The default worker binary: this program.
pub(crate) fn default_binary() -> PathBuf {
    std::env::current_exe().unwrap_or_else(|_| Path::new("gilgate").to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_signals() {
        assert_eq!(secs(Duration::from_secs(10)), "10 s");
        assert_eq!(secs(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(signal_name(11), "SIGSEGV");
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
        };
        let back: Request = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back.name, "a.b");
    }
}
