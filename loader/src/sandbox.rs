//! The inspection worker's sandbox (Linux): set up in the worker after it starts and before
//! it opens any module file or runs any init, while it has one thread (Landlock and seccomp
//! apply to the calling thread and the threads it starts later).
//!
//! - resource limits: address space, CPU time, file size, open files (and no core files);
//! - `no_new_privs`, and every capability dropped (a worker run as root keeps no privilege:
//!   it cannot raise its hard limits or read past file modes);
//! - Landlock: reads (and `dlopen`'s mapping) only beneath the system's library and
//!   configuration folders, `/proc`, `/sys`, `/dev` and the inputs being inspected; every
//!   file-system change only inside the worker's private temporary folder (its `HOME` and
//!   `TMPDIR`); no TCP bind or connect (ABI 4); no signals or abstract Unix sockets outside
//!   the worker (ABI 6);
//! - seccomp: the calls below fail with `EPERM` (the init sees an ordinary error), `clone3`
//!   with `ENOSYS` (its flags cannot be inspected; glibc then falls back to `clone`), so does
//!   every x32 call (as on a kernel without x32), and
//!   running a program or starting a process (`execve`, `execveat`, `fork`, `vfork`, `clone`
//!   without `CLONE_THREAD`) traps: the worker writes which call it was on its protocol
//!   channel and exits, and the module's error names it. Those are stopped rather than failed
//!   because a failure is retried by a fork loop until the time limit, and because an init
//!   that tries to run another program is exactly what a gate must see.
//!
//! The parent passes the setup as the first line a worker reads (after an optional prepare
//! line, which lets the worker build the input-independent parts early: `prepare`); the
//! worker answers with what it could apply ([`SandboxReport`]): a kernel without Landlock, or
//! a container whose own seccomp policy forbids adding a filter, gives a partial sandbox,
//! named as such.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};

#[cfg(test)]
mod policy;
mod program;

/// The resource limits a worker runs under (each both soft and hard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// `RLIMIT_AS`, bytes.
    pub address_space: u64,
    /// `RLIMIT_CPU`, seconds of CPU time for the worker's whole life (every init it runs).
    pub cpu_seconds: u64,
    /// `RLIMIT_FSIZE`, bytes.
    pub file_size: u64,
    /// `RLIMIT_NOFILE`.
    pub open_files: u64,
}

impl Limits {
    /// The limits for inits that each get `timeout`: 8 GiB of address space (the largest
    /// corpus wheels map well under 2 GiB), CPU time of 300 s or twice the time limit, 256 MiB
    /// per file, 1024 open files.
    pub fn for_timeout(timeout: std::time::Duration) -> Limits {
        Limits {
            address_space: 8 << 30,
            cpu_seconds: 300u64.max(timeout.as_secs().saturating_mul(2)),
            file_size: 256 << 20,
            open_files: 1024,
        }
    }

    /// `address space 8 GiB, CPU 300 s, file size 256 MiB, open files 1024`.
    pub fn describe(&self) -> String {
        format!(
            "address space {}, CPU {} s, file size {}, open files {}",
            bytes(self.address_space),
            self.cpu_seconds,
            bytes(self.file_size),
            self.open_files
        )
    }
}

pub(crate) fn bytes(n: u64) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// What the parent asks a worker to apply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Setup {
    /// The worker's private temporary folder: its `HOME`, `TMPDIR` and working folder, the
    /// only place it may change.
    pub home: PathBuf,
    /// Folders and files it may read besides the system's (the inputs being inspected, the
    /// wheels' unpacked folders).
    pub read: Vec<PathBuf>,
    pub limits: Limits,
    /// Protections to leave out (`landlock`, `seccomp`, `limits`), from the parent's
    /// `GILGATE_SANDBOX_SKIP`: how the tests see the partial report on a kernel that has
    /// everything.
    #[serde(default)]
    pub skip: Vec<String>,
}

/// The environment variable naming protections to leave out (comma-separated: `landlock`,
/// `seccomp`, `limits`); for tests of the partial report.
pub const SKIP_ENV: &str = "GILGATE_SANDBOX_SKIP";

/// The protections `GILGATE_SANDBOX_SKIP` leaves out.
pub(crate) fn skipped_from_env() -> Vec<String> {
    std::env::var(SKIP_ENV)
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Which protections were active in the inspection workers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxReport {
    /// False under `--no-sandbox`.
    pub enabled: bool,
    /// The kernel's Landlock ABI when a Landlock ruleset was enforced, else `None`.
    pub landlock: Option<u32>,
    /// Whether the seccomp filter was installed.
    pub seccomp: bool,
    /// Whether `no_new_privs` was set.
    pub no_new_privs: bool,
    /// The resource limits set (`None` when they could not be set, or with `--no-sandbox`).
    pub limits: Option<Limits>,
    /// Some protection is missing (always true with `--no-sandbox`).
    pub partial: bool,
    /// What is missing and why, one entry each.
    pub missing: Vec<String>,
}

impl SandboxReport {
    /// The report of `--no-sandbox`.
    pub fn disabled() -> SandboxReport {
        SandboxReport {
            enabled: false,
            landlock: None,
            seccomp: false,
            no_new_privs: false,
            limits: None,
            partial: true,
            missing: vec!["everything (--no-sandbox)".into()],
        }
    }

    /// The weaker of two workers' reports (they normally agree).
    pub fn weakest(self, other: SandboxReport) -> SandboxReport {
        if self == other {
            return self;
        }
        let mut missing = self.missing.clone();
        for m in other.missing {
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
        SandboxReport {
            enabled: self.enabled && other.enabled,
            landlock: self.landlock.zip(other.landlock).map(|(a, b)| a.min(b)),
            seccomp: self.seccomp && other.seccomp,
            no_new_privs: self.no_new_privs && other.no_new_privs,
            limits: if self.limits == other.limits {
                self.limits
            } else {
                None
            },
            partial: self.partial || other.partial || !missing.is_empty(),
            missing,
        }
    }

    /// The human report's line: `sandbox: landlock ABI 7, seccomp, no_new_privs, limits
    /// (...)`, or `sandbox: partial: ...` naming what is missing.
    pub fn human_line(&self) -> String {
        if !self.enabled {
            return "sandbox: off (--no-sandbox): module inits ran with all of this user's rights"
                .into();
        }
        let mut active = Vec::new();
        if let Some(abi) = self.landlock {
            active.push(format!("landlock ABI {abi}"));
        }
        if self.seccomp {
            active.push("seccomp".into());
        }
        if self.no_new_privs {
            active.push("no_new_privs".into());
        }
        if let Some(l) = &self.limits {
            active.push(format!("limits ({})", l.describe()));
        }
        let active = if active.is_empty() {
            "nothing".to_string()
        } else {
            active.join(", ")
        };
        if self.partial {
            format!(
                "sandbox: partial: {active}; missing: {}",
                self.missing.join("; ")
            )
        } else {
            format!("sandbox: {active}")
        }
    }
}

/// The protocol channel's descriptor, for the `SIGSYS` handler (-1 until set).
static PROTO_FD: AtomicI32 = AtomicI32::new(-1);

/// The exit status of a worker stopped by the sandbox (after its `violation` line).
pub(crate) const VIOLATION_EXIT: i32 = 0x5c;

/// What a worker builds of its sandbox before it knows what it may read (see [`prepare`]).
pub(crate) struct Prepared {
    /// A Landlock ruleset holding every rule but the folder's and the inputs' (`None` when
    /// it could not be made: [`apply`] then tries again, and reports why not).
    ruleset: Option<(u32, landlock::RulesetCreated)>,
}

/// Builds, without applying anything, the parts of the sandbox that depend neither on the
/// inputs nor on the worker's folder: the Landlock ruleset with the system's folders, this
/// program and the devices (opened, not yet enforced). A forked worker does this as soon as
/// its runtime has started (an `exec`'d one at its prepare line), while its parent is still
/// making its folder and finding the modules, so that [`apply`] then only adds the folder's
/// and the inputs' rules and enforces. Nothing is confined until [`apply`]. (The seccomp
/// program needs no preparing: it is committed compiled, `program.rs`.)
pub(crate) fn prepare() -> Prepared {
    Prepared {
        ruleset: landlock_ruleset().ok(),
    }
}

/// Applies the sandbox to this process (call while it has one thread); `proto_fd` is where a
/// trapped call is reported. `prepared` (from [`prepare`]) saves work; the result is the
/// same without it.
pub(crate) fn apply(
    setup: &Setup,
    proto_fd: i32,
    threads: usize,
    prepared: Option<Prepared>,
) -> SandboxReport {
    let ruleset = prepared.and_then(|p| p.ruleset);
    let mut missing = Vec::new();
    if threads > 1 {
        missing.push(format!(
            "{} threads were already running when the sandbox was set up (only the worker's main thread is confined)",
            threads - 1
        ));
    }
    let skip = |what: &str| {
        setup
            .skip
            .iter()
            .any(|s| s == what)
            .then(|| format!("left out ({SKIP_ENV})"))
    };
    let limits = match skip("limits").map_or_else(|| set_limits(&setup.limits), Err) {
        Ok(()) => Some(setup.limits),
        Err(e) => {
            missing.push(format!("limits ({e})"));
            None
        }
    };
    // SAFETY: prctl with integer arguments only.
    let nnp = unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) } == 0;
    if !nnp {
        missing.push(format!(
            "no_new_privs ({})",
            std::io::Error::last_os_error()
        ));
    }
    if let Err(e) = drop_capabilities() {
        missing.push(format!("dropping capabilities ({e})"));
    }
    let landlock = match skip("landlock").map_or_else(|| landlock(setup, ruleset), Err) {
        Ok(abi) => Some(abi),
        Err(e) => {
            missing.push(format!("landlock ({e})"));
            None
        }
    };
    PROTO_FD.store(proto_fd, Ordering::SeqCst);
    let seccomp = match skip("seccomp").map_or_else(seccomp, Err) {
        Ok(()) => true,
        Err(e) => {
            missing.push(format!("seccomp ({e})"));
            false
        }
    };
    SandboxReport {
        enabled: true,
        landlock,
        seccomp,
        no_new_privs: nnp,
        limits,
        partial: !missing.is_empty(),
        missing,
    }
}

/// Whether this process has used half its CPU time or address space limit.
pub(crate) fn half_spent(l: &Limits) -> bool {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the `rusage` it is given.
    let cpu = if unsafe { libc::getrusage(libc::RUSAGE_SELF, ru.as_mut_ptr()) } == 0 {
        // SAFETY: initialised by the successful call (and zeroed before).
        let ru = unsafe { ru.assume_init() };
        (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) as u64
    } else {
        0
    };
    // /proc/self/statm: the first field is the address space size in pages.
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0);
    // SAFETY: sysconf with a valid name.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    cpu * 2 >= l.cpu_seconds || pages * page * 2 >= l.address_space
}

fn set_limits(l: &Limits) -> Result<(), String> {
    let set = |what: &str, res: libc::__rlimit_resource_t, v: u64| {
        let lim = libc::rlimit {
            rlim_cur: v,
            rlim_max: v,
        };
        // SAFETY: a valid resource number and a pointer to a live `rlimit`.
        if unsafe { libc::setrlimit(res, &lim) } == 0 {
            Ok(())
        } else {
            Err(format!("{what}: {}", std::io::Error::last_os_error()))
        }
    };
    set("address space", libc::RLIMIT_AS, l.address_space)?;
    set("CPU time", libc::RLIMIT_CPU, l.cpu_seconds)?;
    set("file size", libc::RLIMIT_FSIZE, l.file_size)?;
    set("open files", libc::RLIMIT_NOFILE, l.open_files)?;
    set("core files", libc::RLIMIT_CORE, 0)
}

/// Empties the effective, permitted and inheritable capability sets (a no-op for a process
/// that has none).
fn drop_capabilities() -> Result<(), String> {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const VERSION_3: u32 = 0x2008_0522;
    let mut h = Header {
        version: VERSION_3,
        pid: 0,
    };
    let d = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: capset with a version-3 header and the two data words that version reads.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &mut h as *mut Header, d.as_ptr()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error().to_string())
    }
}

/// The kernel's Landlock ABI version, or the error saying why there is none.
pub fn landlock_abi() -> Result<u32, String> {
    const CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: landlock_create_ruleset's version query takes no attribute pointer.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            CREATE_RULESET_VERSION,
        )
    };
    if v > 0 {
        Ok(v as u32)
    } else {
        let e = std::io::Error::last_os_error();
        Err(match e.raw_os_error() {
            Some(libc::ENOSYS) => "this kernel does not provide it".into(),
            Some(libc::EOPNOTSUPP) => "disabled at boot".into(),
            _ => e.to_string(),
        })
    }
}

/// System folders a module and `dlopen` read from.
const SYSTEM_READ: &[&str] = &[
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/libx32",
    "/bin",
    "/sbin",
    "/opt",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/nix/store",
    "/gnu/store",
];

/// Device files a module may open for writing.
const DEVICE_WRITE: &[&str] = &["/dev/null", "/dev/zero", "/dev/full"];

/// The Landlock access rights the sandbox handles and grants.
const LANDLOCK_ABI: landlock::ABI = landlock::ABI::V6;

/// A Landlock ruleset (created, not enforced) with every rule but the worker folder's and the
/// inputs': reads beneath the system's folders, this program and `LD_LIBRARY_PATH`'s
/// folders, writes to the harmless devices; with the kernel's Landlock ABI.
fn landlock_ruleset() -> Result<(u32, landlock::RulesetCreated), String> {
    use landlock::{
        Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
        path_beneath_rules,
    };
    let kernel = landlock_abi()?;
    let abi = LANDLOCK_ABI;
    let err = |e: landlock::RulesetError| e.to_string();
    // Folders (the system's; a link to one beneath `/usr` needs no rule), this program (a
    // file) and `LD_LIBRARY_PATH`'s entries (whatever they are).
    let folders: Vec<&str> = SYSTEM_READ
        .iter()
        .copied()
        .filter(|p| needs_rule(p))
        .collect();
    // This program's file, opened through `/proc/self/exe` (the kernel's link to it) rather
    // than by the path `current_exe` reads from that link first (a `readlink` of about 13 µs
    // on the way to the worker's sandbox).
    let exe = [Path::new("/proc/self/exe")];
    let library_path: Vec<PathBuf> = std::env::var_os("LD_LIBRARY_PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .filter(|p| p.is_absolute())
                .collect()
        })
        .unwrap_or_default();
    let read = AccessFs::from_read(abi);
    let file = AccessFs::from_file(abi);
    let ruleset = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .map_err(err)?
        .handle_access(AccessNet::from_all(abi))
        .map_err(err)?
        .scope(Scope::from_all(abi))
        .map_err(err)?
        .create()
        .map_err(err)?
        .add_rules(rules_beneath(&folders, read))
        .map_err(err)?
        .add_rules(rules_beneath(&exe, read & file))
        .map_err(err)?
        .add_rules(path_beneath_rules(&library_path, read))
        .map_err(err)?
        .add_rules(rules_beneath(
            DEVICE_WRITE,
            (read | AccessFs::WriteFile) & file,
        ))
        .map_err(err)?;
    Ok((kernel, ruleset))
}

/// Whether the system folder `path` needs a rule of its own. `/lib`, `/lib64`, `/lib32`,
/// `/libx32`, `/bin` and `/sbin` do not when they are missing, or symbolic links to the
/// folder of the same name right beneath `/usr` that is itself no link (as merged-`/usr`
/// systems make them): Landlock rules hold for the folder a path leads to, and `/usr`'s
/// covers it. One `readlink` (two for a link) instead of a rule's four calls. Every other
/// path, and one of these that is anything else, keeps its rule.
fn needs_rule(path: &str) -> bool {
    const MERGED_INTO_USR: &[&str] = &["lib", "lib64", "lib32", "libx32", "bin", "sbin"];
    let Some(name) = path
        .strip_prefix('/')
        .filter(|n| MERGED_INTO_USR.contains(n))
    else {
        return true;
    };
    let target = match std::fs::read_link(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
        Err(_) => return true,
    };
    let beneath = format!("/usr/{name}");
    if target != Path::new(&beneath) && target != Path::new(&beneath[1..]) {
        return true;
    }
    // `/usr/<name>` must be the folder itself: a link there would lead elsewhere.
    !matches!(
        std::fs::read_link(&beneath),
        Err(e) if e.raw_os_error() == Some(libc::EINVAL)
    )
}

/// `landlock::path_beneath_rules` for paths whose kind is known (`access` fits it), without
/// its `fstat` of each to fit the access to a file, which `add_rule` makes again anyway (an
/// open, an `fstat`, the rule and a close each, instead of two `fstat`s). Paths that cannot
/// be opened are left out, as there.
fn rules_beneath<P: AsRef<Path>>(
    paths: &[P],
    access: landlock::BitFlags<landlock::AccessFs>,
) -> impl Iterator<Item = Result<landlock::PathBeneath<landlock::PathFd>, landlock::RulesetError>> + '_
{
    paths.iter().filter_map(move |p| {
        landlock::PathFd::new(p)
            .ok()
            .map(|fd| Ok(landlock::PathBeneath::new(fd, access)))
    })
}

/// Enforces Landlock: `prepared` (or a ruleset made now) plus everything inside the worker's
/// folder and reads beneath the inputs.
fn landlock(
    setup: &Setup,
    prepared: Option<(u32, landlock::RulesetCreated)>,
) -> Result<u32, String> {
    use landlock::{Access, AccessFs, RulesetCreatedAttr, RulesetStatus, path_beneath_rules};
    let (kernel, ruleset) = match prepared {
        Some(p) => p,
        None => landlock_ruleset()?,
    };
    let err = |e: landlock::RulesetError| e.to_string();
    let status = ruleset
        // The folder was made by the parent: a folder, so no `fstat` to find out.
        .add_rules(rules_beneath(
            &[&setup.home],
            AccessFs::from_all(LANDLOCK_ABI),
        ))
        .map_err(err)?
        .add_rules(path_beneath_rules(
            &setup.read,
            AccessFs::from_read(LANDLOCK_ABI),
        ))
        .map_err(err)?
        .restrict_self()
        .map_err(err)?;
    match status.ruleset {
        RulesetStatus::NotEnforced => Err("not enforced by this kernel".into()),
        _ => Ok(kernel),
    }
}

/// x86_64 system call numbers the filter names, and where the x32 ones start (bit 30 set).
mod nr {
    #[cfg(test)]
    pub const X32: i64 = 0x4000_0000;
    pub const CLONE: i64 = 56;
    pub const FORK: i64 = 57;
    pub const VFORK: i64 = 58;
    pub const EXECVE: i64 = 59;
    pub const EXECVEAT: i64 = 322;
}

/// The name of a system call the sandbox stops (`execve`, `clone`, ...), for the report.
pub fn stopped_call_name(n: i64) -> String {
    match n {
        nr::EXECVE => "execve (running a program)".into(),
        nr::EXECVEAT => "execveat (running a program)".into(),
        nr::FORK => "fork (starting a process)".into(),
        nr::VFORK => "vfork (starting a process)".into(),
        nr::CLONE => "clone without CLONE_THREAD (starting a process)".into(),
        _ => format!("system call {n}"),
    }
}

/// A classic BPF instruction (the kernel's `struct sock_filter`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Insn {
    code: u16,
    jt: u8,
    jf: u8,
    k: u32,
}

/// Installs the `SIGSYS` handler and the filter.
fn seccomp() -> Result<(), String> {
    install_sigsys_handler()?;
    install_filter(&program_for(std::process::id()))
}

/// The seccomp program for the worker with process id `me`: the committed program
/// (`program.rs`, the policy of `policy.rs` compiled for a stand-in id) with `me` in the
/// places of that id.
fn program_for(me: u32) -> Vec<Insn> {
    let mut prog = program::PROGRAM.to_vec();
    for at in program::PID_AT {
        prog[at].k = me;
    }
    prog
}

/// Installs a filter on the calling thread, as `seccompiler::apply_filter` did
/// (`no_new_privs` again, then `seccomp(SET_MODE_FILTER)` without flags).
fn install_filter(prog: &[Insn]) -> Result<(), String> {
    #[repr(C)]
    struct Fprog {
        len: u16,
        filter: *const Insn,
    }
    // SAFETY: prctl with integer arguments only.
    if unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) } != 0 {
        return Err(format!(
            "Error calling `prctl`: {}",
            std::io::Error::last_os_error()
        ));
    }
    let fprog = Fprog {
        len: prog.len() as u16,
        filter: prog.as_ptr(),
    };
    const SET_MODE_FILTER: libc::c_uint = 1;
    // SAFETY: the kernel copies the program `fprog` points to (alive during the call).
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            SET_MODE_FILTER,
            0 as libc::c_uint,
            &fprog as *const Fprog,
        )
    };
    if rc != 0 {
        return Err(format!(
            "Error calling `seccomp`: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

fn install_sigsys_handler() -> Result<(), String> {
    // SAFETY: a zeroed sigaction is a valid starting value; the handler is an
    // `extern "C"` function with the three-argument signature SA_SIGINFO calls.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigsys as *const () as usize;
        sa.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut sa.sa_mask);
        if libc::sigaction(libc::SIGSYS, &sa, std::ptr::null_mut()) != 0 {
            return Err(format!(
                "SIGSYS handler: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    Ok(())
}

/// Reports the trapped call on the protocol channel (`{"violation":{"syscall":N}}`) and ends
/// the worker. Async-signal-safe: formats into a stack buffer, then `write` and `_exit`.
extern "C" fn on_sigsys(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // Linux's siginfo for SIGSYS: `si_call_addr` at offset 16, `si_syscall` (int) at 24.
    // SAFETY: the kernel passes a valid siginfo; the offset is inside its 128 bytes.
    let syscall = unsafe { std::ptr::read_unaligned((info as *const u8).add(24) as *const i32) };
    let mut buf = [0u8; 64];
    let head = b"{\"violation\":{\"syscall\":";
    let mut n = 0;
    for &b in head {
        buf[n] = b;
        n += 1;
    }
    let mut digits = [0u8; 12];
    let mut d = 0;
    let mut v = syscall as i64;
    if v < 0 {
        buf[n] = b'-';
        n += 1;
        v = -v;
    }
    loop {
        digits[d] = b'0' + (v % 10) as u8;
        d += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    while d > 0 {
        d -= 1;
        buf[n] = digits[d];
        n += 1;
    }
    for &b in b"}}\n" {
        buf[n] = b;
        n += 1;
    }
    let fd = PROTO_FD.load(Ordering::SeqCst);
    // SAFETY: write and _exit are async-signal-safe; `buf[..n]` is initialised.
    unsafe {
        if fd >= 0 {
            libc::write(fd, buf.as_ptr().cast(), n);
        }
        libc::_exit(VIOLATION_EXIT);
    }
}

#[cfg(test)]
mod tests {
    use super::policy::*;
    use super::*;

    /// `program.rs` is the policy compiled for its stand-in process id, and [`program_for`] with
    /// another id is the policy compiled for that id. `GILGATE_WRITE_SECCOMP_PROGRAM=1` makes
    /// this test write the file first (after a change to `policy.rs`).
    #[test]
    fn the_committed_program_is_the_policy_compiled() {
        let compiled = |me: u32| compile(&policy(u64::from(me))).unwrap();
        if std::env::var_os("GILGATE_WRITE_SECCOMP_PROGRAM").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sandbox/program.rs");
            std::fs::write(path, program_source(program::PID, &compiled)).unwrap();
            panic!("{path} written: build and test again");
        }
        assert_eq!(
            program::PROGRAM.to_vec(),
            compiled(program::PID),
            "program.rs is not the policy compiled: run GILGATE_WRITE_SECCOMP_PROGRAM=1 \
             cargo test -p gilgate-loader --lib the_committed_program"
        );
        for me in [1, 2, 300, 4242, 4_194_304, std::process::id()] {
            assert_eq!(program_for(me), compiled(me), "process id {me}");
        }
    }

    /// `program.rs`'s text: the program compiled for `pid`, and where it compares with the
    /// process id (the instructions that differ from the program for another id).
    fn program_source(pid: u32, compiled: &dyn Fn(u32) -> Vec<Insn>) -> String {
        let prog = compiled(pid);
        let other = compiled(pid ^ 0x5a5a);
        assert_eq!(prog.len(), other.len());
        let at: Vec<usize> = (0..prog.len()).filter(|&i| prog[i] != other[i]).collect();
        assert!(
            at.iter()
                .all(|&i| prog[i].k == pid && other[i].k == pid ^ 0x5a5a)
        );
        let mut s = String::from(
            "//! The worker's seccomp program: `policy.rs`'s policy compiled for the stand-in process\n\
             //! id [`PID`]. Written by `GILGATE_WRITE_SECCOMP_PROGRAM=1 cargo test -p gilgate-loader\n\
             //! --lib the_committed_program`, which checks it otherwise; not edited by hand.\n\n\
             use super::Insn;\n\n\
             /// The stand-in process id (above any Linux process id).\n\
             #[cfg(test)]\n",
        );
        s += &format!("pub(super) const PID: u32 = {pid:#x};\n\n");
        s += "/// The instructions that compare with the process id.\n";
        s += &format!(
            "pub(super) const PID_AT: [usize; {}] = {at:?};\n\n",
            at.len()
        );
        s += "/// The program.\n#[rustfmt::skip]\n";
        s += &format!("pub(super) const PROGRAM: [Insn; {}] = [\n", prog.len());
        for i in &prog {
            s += &format!(
                "    Insn {{ code: {:#06x}, jt: {}, jf: {}, k: {:#010x} }},\n",
                i.code, i.jt, i.jf, i.k
            );
        }
        s += "];\n";
        s
    }

    /// A system folder is left without a rule only when it is missing or a link to the
    /// folder of its name right beneath `/usr` (which `/usr`'s rule covers), whatever this
    /// machine's layout.
    #[test]
    fn only_links_into_usr_and_missing_folders_go_without_a_rule() {
        assert!(needs_rule("/usr"));
        assert!(needs_rule("/etc"));
        for name in ["lib", "lib64", "lib32", "libx32", "bin", "sbin"] {
            let path = format!("/{name}");
            if needs_rule(&path) {
                continue;
            }
            match std::fs::symlink_metadata(&path) {
                Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{path}"),
                Ok(m) => {
                    assert!(m.file_type().is_symlink(), "{path}");
                    let usr = format!("/usr/{name}");
                    assert_eq!(
                        std::fs::canonicalize(&path).unwrap(),
                        std::fs::canonicalize(&usr).unwrap()
                    );
                    let m = std::fs::symlink_metadata(&usr).unwrap();
                    assert!(m.is_dir() && !m.file_type().is_symlink(), "{usr}");
                }
            }
        }
    }

    #[test]
    fn lines_name_what_is_active_and_missing() {
        let l = Limits::for_timeout(std::time::Duration::from_secs(10));
        assert_eq!(
            l.describe(),
            "address space 8 GiB, CPU 300 s, file size 256 MiB, open files 1024"
        );
        let full = SandboxReport {
            enabled: true,
            landlock: Some(7),
            seccomp: true,
            no_new_privs: true,
            limits: Some(l),
            partial: false,
            missing: vec![],
        };
        assert!(
            full.human_line()
                .starts_with("sandbox: landlock ABI 7, seccomp,")
        );
        let part = SandboxReport {
            landlock: None,
            partial: true,
            missing: vec!["landlock (this kernel does not provide it)".into()],
            ..full.clone()
        };
        assert!(
            part.human_line().starts_with("sandbox: partial: seccomp"),
            "{}",
            part.human_line()
        );
        assert_eq!(full.clone().weakest(part.clone()), part);
        assert!(
            SandboxReport::disabled()
                .human_line()
                .contains("--no-sandbox")
        );
        assert_eq!(stopped_call_name(59), "execve (running a program)");
    }

    /// The policy as it was built with seccompiler, three filters installed in this order
    /// (kept verbatim as the reference the compiled program must equal).
    fn seccompiler_programs(me: u64) -> Vec<Vec<Insn>> {
        use seccompiler::{
            BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op,
            SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch,
        };
        use std::collections::BTreeMap;
        let cond = |arg: u8, op: Op, v: u64| Cond::new(arg, Len::Dword, op, v).unwrap();
        let rule = |c: Vec<Cond>| SeccompRule::new(c).unwrap();
        let both = |n: i64| [n, n | nr::X32];
        let (x32_execve, x32_execveat) = (nr::X32 | 520, nr::X32 | 545);
        let mut eperm: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
        for n in both(libc::SYS_socket)
            .into_iter()
            .chain(both(libc::SYS_socketpair))
        {
            eperm.insert(n, vec![rule(vec![cond(0, Op::Ne, libc::AF_UNIX as u64)])]);
        }
        for call in [
            libc::SYS_connect,
            libc::SYS_bind,
            libc::SYS_listen,
            libc::SYS_accept,
            libc::SYS_accept4,
            libc::SYS_tkill,
            libc::SYS_pidfd_send_signal,
            libc::SYS_pidfd_getfd,
            libc::SYS_mount,
            libc::SYS_umount2,
            libc::SYS_pivot_root,
            libc::SYS_chroot,
            libc::SYS_unshare,
            libc::SYS_setns,
            libc::SYS_reboot,
            libc::SYS_kexec_load,
            libc::SYS_kexec_file_load,
            libc::SYS_init_module,
            libc::SYS_finit_module,
            libc::SYS_delete_module,
            libc::SYS_bpf,
            libc::SYS_perf_event_open,
            libc::SYS_keyctl,
            libc::SYS_add_key,
            libc::SYS_request_key,
            libc::SYS_swapon,
            libc::SYS_swapoff,
            libc::SYS_iopl,
            libc::SYS_ioperm,
            libc::SYS_acct,
            libc::SYS_io_uring_setup,
            libc::SYS_io_uring_enter,
            libc::SYS_io_uring_register,
            libc::SYS_sendmsg,
            libc::SYS_sendmmsg,
        ] {
            for n in both(call) {
                eperm.insert(n, vec![]);
            }
        }
        for n in [
            libc::SYS_ptrace,
            nr::X32 | 521,
            libc::SYS_process_vm_readv,
            nr::X32 | 539,
            libc::SYS_process_vm_writev,
            nr::X32 | 540,
            nr::X32 | 518,
            nr::X32 | 538,
        ] {
            eperm.insert(n, vec![]);
        }
        for n in both(libc::SYS_sendto) {
            eperm.insert(
                n,
                vec![rule(vec![Cond::new(4, Len::Qword, Op::Ne, 0).unwrap()])],
            );
        }
        for n in both(libc::SYS_kill)
            .into_iter()
            .chain(both(libc::SYS_tgkill))
            .chain([
                libc::SYS_rt_sigqueueinfo,
                nr::X32 | 524,
                libc::SYS_rt_tgsigqueueinfo,
                nr::X32 | 536,
            ])
        {
            eperm.insert(n, vec![rule(vec![cond(0, Op::Ne, me)])]);
        }
        for n in [libc::SYS_rt_sigaction, nr::X32 | 512] {
            eperm.insert(
                n,
                vec![rule(vec![
                    cond(0, Op::Eq, libc::SIGSYS as u64),
                    Cond::new(1, Len::Qword, Op::Ne, 0).unwrap(),
                ])],
            );
        }
        let mut enosys: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
        for n in both(libc::SYS_clone3) {
            enosys.insert(n, vec![]);
        }
        let mut trap: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
        for n in [
            nr::EXECVE,
            x32_execve,
            nr::EXECVEAT,
            x32_execveat,
            nr::FORK,
            nr::FORK | nr::X32,
            nr::VFORK,
            nr::VFORK | nr::X32,
        ] {
            trap.insert(n, vec![]);
        }
        for n in both(nr::CLONE) {
            trap.insert(
                n,
                vec![rule(vec![cond(
                    0,
                    Op::MaskedEq(libc::CLONE_THREAD as u64),
                    0,
                )])],
            );
        }
        let filters = [
            (eperm, SeccompAction::Errno(libc::EPERM as u32)),
            (enosys, SeccompAction::Errno(libc::ENOSYS as u32)),
            (trap, SeccompAction::Trap),
        ];
        filters
            .into_iter()
            .map(|(rules, action)| {
                let f = SeccompFilter::new(rules, SeccompAction::Allow, action, TargetArch::x86_64)
                    .unwrap();
                let p: BpfProgram = f.try_into().unwrap();
                p.iter()
                    .map(|i| Insn {
                        code: i.code,
                        jt: i.jt,
                        jf: i.jf,
                        k: i.k,
                    })
                    .collect()
            })
            .collect()
    }

    /// What a filter sees: `struct seccomp_data`.
    #[derive(Debug, Clone, Copy)]
    struct Data {
        nr: u32,
        arch: u32,
        args: [u64; 6],
    }

    /// Runs a classic BPF program as the kernel does (the subset seccomp filters use here;
    /// anything else, an out-of-range jump or load, or running off the end fails the test).
    /// Returns the verdict and the number of instructions run.
    fn run(prog: &[Insn], d: &Data) -> (u32, usize) {
        let mut bytes = [0u8; 64];
        bytes[0..4].copy_from_slice(&d.nr.to_le_bytes());
        bytes[4..8].copy_from_slice(&d.arch.to_le_bytes());
        for (i, a) in d.args.iter().enumerate() {
            bytes[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_le_bytes());
        }
        let (mut pc, mut a, mut steps) = (0usize, 0u32, 0usize);
        loop {
            let i = prog
                .get(pc)
                .unwrap_or_else(|| panic!("ran off the end at {pc}"));
            steps += 1;
            pc += 1;
            let cond = |taken: bool| usize::from(if taken { i.jt } else { i.jf });
            match i.code {
                op::LD_W_ABS => {
                    let k = i.k as usize;
                    assert!(k.is_multiple_of(4) && k + 4 <= 64, "load at {k}");
                    a = u32::from_le_bytes(bytes[k..k + 4].try_into().unwrap());
                }
                op::AND_K => a &= i.k,
                op::JA => pc += i.k as usize,
                op::JEQ_K => pc += cond(a == i.k),
                op::JGE_K => pc += cond(a >= i.k),
                0x25 => pc += cond(a > i.k), // JGT_K (seccompiler's Le/Gt)
                op::RET_K => return (i.k, steps),
                c => panic!("opcode {c:#x} at {}", pc - 1),
            }
            assert!(pc < prog.len(), "jump past the end");
        }
    }

    /// The kernel's verdict over filters installed in this order: the most restrictive
    /// action (signed compare of its action part), the newest filter's among equals.
    fn combined(progs: &[Vec<Insn>], d: &Data) -> u32 {
        let mut verdict = ret::ALLOW;
        for p in progs.iter().rev() {
            let r = run(p, d).0;
            if ((r & ret::ACTION_FULL) as i32) < ((verdict & ret::ACTION_FULL) as i32) {
                verdict = r;
            }
        }
        verdict
    }

    /// The verdict the compiled program must give: the old filters', but for an x32 call
    /// (which they decided as its x86_64 twin, rule for rule), which fails with `ENOSYS`.
    fn expected(old: &[Vec<Insn>], d: &Data) -> u32 {
        if d.arch == ret::AUDIT_ARCH_X86_64 && d.nr >= nr::X32 as u32 {
            ret::ERRNO | libc::ENOSYS as u32
        } else {
            combined(old, d)
        }
    }

    /// Every input the equivalence is checked on, with the expected verdict: every call
    /// number 0..=1023 (and with the x32 bit, and a few extremes) for x86_64 and other
    /// architectures, under argument vectors that put each condition's value, its
    /// neighbours, its other half and masked bits into each argument (pairs of arguments
    /// for the numbers whose verdict depends on them).
    fn cases(me: u64, old: &[Vec<Insn>]) -> Vec<(Data, u32)> {
        let x32 = nr::X32 as u32;
        let mut values = vec![
            0u64,
            1,
            2,
            libc::AF_UNIX as u64,
            libc::AF_UNIX as u64 + 1,
            libc::AF_INET as u64,
            libc::SIGSYS as u64 - 1,
            libc::SIGSYS as u64,
            libc::SIGSYS as u64 + 1,
            me - 1,
            me,
            me + 1,
            libc::CLONE_THREAD as u64,
            (libc::CLONE_THREAD | libc::CLONE_VM | libc::CLONE_SIGHAND) as u64,
            libc::CLONE_THREAD as u64 - 1,
            !(libc::CLONE_THREAD as u64),
            u32::MAX as u64,
            u64::MAX,
            0xffff_ffff_0000_0000,
        ];
        for v in [
            libc::AF_UNIX as u64,
            libc::SIGSYS as u64,
            me,
            libc::CLONE_THREAD as u64,
            0,
        ] {
            values.push(1 << 32 | v);
        }
        let mut numbers: Vec<u32> = (0..1024).chain((0..1024).map(|n| n | x32)).collect();
        numbers.extend([
            x32 - 1,
            0x7fff_ffff,
            0x8000_0000,
            0xc000_0000 | 59,
            u32::MAX,
        ]);
        let arches = [
            ret::AUDIT_ARCH_X86_64,
            0x4000_0003, // i386
            0xc000_00b7, // aarch64
            ret::AUDIT_ARCH_X86_64 ^ 0x4000_0000,
            0,
            u32::MAX,
        ];
        let mut singles: Vec<[u64; 6]> = Vec::new();
        for &v in &values {
            singles.push([v; 6]);
            for i in 0..6 {
                let mut args = [0; 6];
                args[i] = v;
                singles.push(args);
            }
        }
        let mut out = Vec::new();
        for &arch in &arches {
            for &nr in &numbers {
                let vectors = if arch == ret::AUDIT_ARCH_X86_64 {
                    &singles[..]
                } else {
                    &singles[..8]
                };
                let mut verdicts = Vec::new();
                for &args in vectors {
                    let d = Data { nr, arch, args };
                    let v = expected(old, &d);
                    verdicts.push(v);
                    out.push((d, v));
                }
                if verdicts.iter().any(|&v| v != verdicts[0]) {
                    for i in 0..6 {
                        for j in i + 1..6 {
                            for &a in &values {
                                for &b in &values {
                                    let mut args = [0; 6];
                                    args[i] = a;
                                    args[j] = b;
                                    let d = Data { nr, arch, args };
                                    out.push((d, expected(old, &d)));
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// The first input where `prog` disagrees with the old filters.
    fn first_difference(prog: &[Insn], cases: &[(Data, u32)]) -> Option<(Data, u32, u32)> {
        cases.iter().find_map(|(d, want)| {
            let got = run(prog, d).0;
            (got != *want).then_some((*d, *want, got))
        })
    }

    #[test]
    fn the_compiled_filter_decides_every_call_as_the_seccompiler_filters_did() {
        let me = std::process::id() as u64;
        let old = seccompiler_programs(me);
        let new = compile(&policy(me)).unwrap();
        let cases = cases(me, &old);
        if let Some((d, want, got)) = first_difference(&new, &cases) {
            panic!("{d:?}: the seccompiler filters give {want:#x}, the compiled one {got:#x}");
        }
        // Both sides of the conditions were reached: the old verdicts include each action.
        for v in [
            ret::ALLOW,
            ret::KILL_PROCESS,
            ret::TRAP,
            ret::ERRNO | libc::EPERM as u32,
            ret::ERRNO | libc::ENOSYS as u32,
        ] {
            assert!(cases.iter().any(|c| c.1 == v), "no case gives {v:#x}");
        }
        // The program is shorter and every call runs far fewer instructions.
        let old_len: usize = old.iter().map(Vec::len).sum();
        let steps = |progs: &[Vec<Insn>]| {
            cases
                .iter()
                .map(|(d, _)| progs.iter().map(|p| run(p, d).1).sum::<usize>())
                .max()
                .unwrap()
        };
        let (old_steps, new_steps) = (steps(&old), steps(std::slice::from_ref(&new)));
        eprintln!(
            "seccomp: {} cases; seccompiler {old_len} instructions, at most {old_steps} run per call; compiled {} instructions, at most {new_steps} run",
            cases.len(),
            new.len()
        );
        assert!(new.len() < old_len && new_steps * 4 < old_steps);
    }

    /// The cases are strong enough to see any one branch of the compiled program go the
    /// other way, and any one return value change.
    #[test]
    fn the_equivalence_cases_catch_every_flipped_jump_and_changed_verdict() {
        let me = std::process::id() as u64;
        let old = seccompiler_programs(me);
        let new = compile(&policy(me)).unwrap();
        let cases = cases(me, &old);
        for (at, i) in new.iter().enumerate() {
            let mut broken = new.clone();
            match i.code {
                op::JEQ_K | op::JGE_K if i.jt != i.jf => {
                    (broken[at].jt, broken[at].jf) = (i.jf, i.jt);
                }
                op::RET_K => broken[at].k ^= 1,
                _ => continue,
            }
            assert!(
                first_difference(&broken, &cases).is_some(),
                "instruction {at} ({i:?}) changed and no case saw it"
            );
        }
    }

    /// The worker runs module init under the filter, and capi's light read sections rely on
    /// `membarrier` there (its query and registration when the first thread attaches, and
    /// the expedited barrier of every type-cache invalidation): the filter allows it.
    #[test]
    fn the_filter_allows_membarrier() {
        let prog = compile(&policy(std::process::id() as u64)).unwrap();
        // MEMBARRIER_CMD_QUERY, _PRIVATE_EXPEDITED, _REGISTER_PRIVATE_EXPEDITED.
        for cmd in [0u64, 1 << 3, 1 << 4] {
            let d = Data {
                nr: libc::SYS_membarrier as u32,
                arch: ret::AUDIT_ARCH_X86_64,
                args: [cmd, 0, 0, 0, 0, 0],
            };
            assert_eq!(run(&prog, &d).0, ret::ALLOW, "membarrier command {cmd}");
        }
    }

    /// The compiler keeps the kernel's precedence between layers that name the same call,
    /// and its long jumps (a search tree larger than a conditional jump can skip).
    #[test]
    fn compiled_layers_keep_the_kernels_precedence_and_long_jumps_work() {
        let eperm = ret::ERRNO | libc::EPERM as u32;
        let enosys = ret::ERRNO | libc::ENOSYS as u32;
        let mut a = Rules::new();
        let mut b = Rules::new();
        let mut c = Rules::new();
        // 400 numbers each on their own make a tree whose halves are over 255 long.
        for n in (0..800).step_by(2) {
            a.insert(n, vec![vec![dword(0, Cmp::Eq(n as u64))]]);
        }
        b.insert(10, vec![]);
        b.insert(12, vec![vec![qword(1, Cmp::Eq(1 << 40))]]);
        c.insert(10, vec![vec![dword(2, Cmp::Ne(7))]]);
        c.insert(
            12,
            vec![vec![qword(
                3,
                Cmp::MaskedEq {
                    mask: 0xf0_0000_000f,
                    value: 0x10_0000_0001,
                },
            )]],
        );
        let layers = vec![(eperm, a), (enosys, b), (ret::TRAP, c)];
        let prog = compile(&layers).unwrap();
        assert!(prog.len() > 2 * 255, "{}", prog.len());
        let at = |nr: u32, args: [u64; 6]| {
            run(
                &prog,
                &Data {
                    nr,
                    arch: ret::AUDIT_ARCH_X86_64,
                    args,
                },
            )
            .0
        };
        for n in 0..801u32 {
            let want = if n % 2 == 0 && n != 10 && n != 12 && n < 800 {
                eperm
            } else {
                ret::ALLOW
            };
            if n != 10 && n != 12 {
                assert_eq!(at(n, [n as u64; 6]), want, "{n}");
                assert_eq!(at(n, [n as u64 + 1; 6]), ret::ALLOW, "{n}");
            }
        }
        // 10: trap when arg 2 != 7, else ENOSYS (the later of two errnos) over EPERM.
        assert_eq!(at(10, [10, 0, 0, 0, 0, 0]), ret::TRAP);
        assert_eq!(at(10, [10, 0, 7, 0, 0, 0]), enosys);
        assert_eq!(at(10, [0, 0, 7, 0, 0, 0]), enosys);
        // 12: trap on the masked 64-bit compare, ENOSYS on the 64-bit one, EPERM on arg 0.
        assert_eq!(at(12, [0, 0, 0, 0x1f_1234_5671, 0, 0]), ret::TRAP);
        assert_eq!(at(12, [0, 0, 0, 0x1f_0000_0011, 0, 0]), ret::TRAP);
        assert_eq!(at(12, [12, 0, 0, 0x20_0000_0001, 0, 0]), eperm);
        assert_eq!(at(12, [12, 1 << 40, 0, 0x10_0000_0000, 0, 0]), enosys);
        assert_eq!(at(12, [11, 1 << 40 | 1, 0, 0, 0, 0]), ret::ALLOW);
    }
}
