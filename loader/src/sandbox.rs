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
//!   with `ENOSYS` (its flags cannot be inspected; glibc then falls back to `clone`), and
//!   running a program or starting a process (`execve`, `execveat`, `fork`, `vfork`, `clone`
//!   without `CLONE_THREAD`) traps: the worker writes which call it was on its protocol
//!   channel and exits, and the module's error names it. Those are stopped rather than failed
//!   because a failure is retried by a fork loop until the time limit, and because an init
//!   that tries to run another program is exactly what a gate must see.
//!
//! The parent passes the setup as the first line a worker reads; the worker answers with what
//! it could apply ([`SandboxReport`]): a kernel without Landlock, or a container whose own
//! seccomp policy forbids adding a filter, gives a partial sandbox, named as such.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};

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

/// Applies the sandbox to this process (call while it has one thread); `proto_fd` is where a
/// trapped call is reported.
pub(crate) fn apply(setup: &Setup, proto_fd: i32, threads: usize) -> SandboxReport {
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
    let landlock = match skip("landlock").map_or_else(|| landlock(setup), Err) {
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

fn landlock(setup: &Setup) -> Result<u32, String> {
    use landlock::{
        ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus,
        Scope, path_beneath_rules,
    };
    let kernel = landlock_abi()?;
    let abi = ABI::V6;
    let err = |e: landlock::RulesetError| e.to_string();
    let mut read: Vec<PathBuf> = SYSTEM_READ.iter().map(PathBuf::from).collect();
    read.extend(setup.read.iter().cloned());
    if let Ok(exe) = std::env::current_exe() {
        read.push(exe);
    }
    if let Some(p) = std::env::var_os("LD_LIBRARY_PATH") {
        read.extend(std::env::split_paths(&p).filter(|p| p.is_absolute()));
    }
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .map_err(err)?
        .handle_access(AccessNet::from_all(abi))
        .map_err(err)?
        .scope(Scope::from_all(abi))
        .map_err(err)?
        .create()
        .map_err(err)?
        .add_rules(path_beneath_rules(&read, AccessFs::from_read(abi)))
        .map_err(err)?
        .add_rules(path_beneath_rules(
            DEVICE_WRITE,
            AccessFs::from_read(abi) | AccessFs::WriteFile,
        ))
        .map_err(err)?
        .add_rules(path_beneath_rules([&setup.home], AccessFs::from_all(abi)))
        .map_err(err)?
        .restrict_self()
        .map_err(err)?;
    match status.ruleset {
        RulesetStatus::NotEnforced => Err("not enforced by this kernel".into()),
        _ => Ok(kernel),
    }
}

/// x86_64 system call numbers the filter names (x32 numbers are these with bit 30 set, or
/// their own for the calls x32 defines separately).
mod nr {
    pub const X32: i64 = 0x4000_0000;
    pub const CLONE: i64 = 56;
    pub const FORK: i64 = 57;
    pub const VFORK: i64 = 58;
    pub const EXECVE: i64 = 59;
    pub const EXECVEAT: i64 = 322;
    pub const X32_EXECVE: i64 = X32 | 520;
    pub const X32_EXECVEAT: i64 = X32 | 545;
}

/// The name of a system call the sandbox stops (`execve`, `clone`, ...), for the report.
pub fn stopped_call_name(n: i64) -> String {
    match n {
        nr::EXECVE | nr::X32_EXECVE => "execve (running a program)".into(),
        nr::EXECVEAT | nr::X32_EXECVEAT => "execveat (running a program)".into(),
        nr::FORK => "fork (starting a process)".into(),
        nr::VFORK => "vfork (starting a process)".into(),
        nr::CLONE => "clone without CLONE_THREAD (starting a process)".into(),
        _ if n & nr::X32 != 0 => format!("x32 system call {}", n & !nr::X32),
        _ => format!("system call {n}"),
    }
}

fn seccomp() -> Result<(), String> {
    use seccompiler::{
        BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op,
        SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch,
    };
    use std::collections::BTreeMap;
    fn err<E: std::fmt::Display>(e: E) -> String {
        e.to_string()
    }
    let me = std::process::id() as u64;
    let cond = |arg: u8, op: Op, v: u64| Cond::new(arg, Len::Dword, op, v).map_err(err);
    let rule = |c: Vec<Cond>| SeccompRule::new(c).map_err(err);
    let both = |n: i64| [n, n | nr::X32];

    // EPERM: network, other processes, privileged operations.
    let mut eperm: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for n in both(libc::SYS_socket)
        .into_iter()
        .chain(both(libc::SYS_socketpair))
    {
        eperm.insert(n, vec![rule(vec![cond(0, Op::Ne, libc::AF_UNIX as u64)?])?]);
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
        // io_uring's operations (socket, connect, ...) would not pass through this filter.
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        // A message to a named Unix socket needs no connect: sendmsg's address cannot be
        // inspected, so it is refused; sendto only with an address.
        libc::SYS_sendmsg,
        libc::SYS_sendmmsg,
    ] {
        for n in both(call) {
            eperm.insert(n, vec![]);
        }
    }
    // x32 has its own numbers for these (and for sendmsg, 518, and sendmmsg, 538).
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
            vec![rule(vec![
                Cond::new(4, Len::Qword, Op::Ne, 0).map_err(err)?,
            ])?],
        );
    }
    // Signals only to this process (its own threads): kill(pid), tgkill(tgid, ...),
    // rt_sigqueueinfo(tgid, ...), rt_tgsigqueueinfo(tgid, ...).
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
        eperm.insert(n, vec![rule(vec![cond(0, Op::Ne, me)?])?]);
    }
    // The SIGSYS handler stays: a new action for SIGSYS is refused.
    for n in [libc::SYS_rt_sigaction, nr::X32 | 512] {
        eperm.insert(
            n,
            vec![rule(vec![
                cond(0, Op::Eq, libc::SIGSYS as u64)?,
                Cond::new(1, Len::Qword, Op::Ne, 0).map_err(err)?,
            ])?],
        );
    }
    let mut enosys: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for n in both(libc::SYS_clone3) {
        enosys.insert(n, vec![]);
    }
    // Trap: running programs and starting processes.
    let mut trap: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for n in [
        nr::EXECVE,
        nr::X32_EXECVE,
        nr::EXECVEAT,
        nr::X32_EXECVEAT,
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
            )?])?],
        );
    }
    let filters = [
        (eperm, SeccompAction::Errno(libc::EPERM as u32)),
        (enosys, SeccompAction::Errno(libc::ENOSYS as u32)),
        (trap, SeccompAction::Trap),
    ];
    let mut programs = Vec::new();
    for (rules, action) in filters {
        let f = SeccompFilter::new(rules, SeccompAction::Allow, action, TargetArch::x86_64)
            .map_err(err)?;
        let p: BpfProgram = f.try_into().map_err(err)?;
        programs.push(p);
    }
    install_sigsys_handler()?;
    for p in &programs {
        seccompiler::apply_filter(p).map_err(err)?;
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
    use super::*;

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
}
