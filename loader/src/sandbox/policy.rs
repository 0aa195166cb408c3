//! The worker's seccomp policy, written as rules, and the compiler that makes one classic BPF
//! program of it. The worker does not compile it: it installs the program committed in
//! `program.rs` (compiling took about 30 µs of a small wheel's inspection, on the way to
//! every module, for a result that only changes with this file), with its own process id
//! put in. A test checks that file is this policy compiled, and writes it again when asked.

use super::{Insn, nr};

/// The kernel's seccomp return values (`SECCOMP_RET_*`) and the audit architecture of
/// x86_64 (x32 calls carry it too, with bit 30 of the number set).
pub(super) mod ret {
    pub const KILL_PROCESS: u32 = 0x8000_0000;
    pub const TRAP: u32 = 0x0003_0000;
    pub const ERRNO: u32 = 0x0005_0000;
    pub const ALLOW: u32 = 0x7fff_0000;
    /// The action part of a return value (the rest is its data, e.g. the errno).
    pub const ACTION_FULL: u32 = 0xffff_0000;
    pub const AUDIT_ARCH_X86_64: u32 = 62 | 0x8000_0000 | 0x4000_0000;
}

/// A comparison of one system call argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq(u64),
    Ne(u64),
    /// `arg & mask == value & mask`.
    MaskedEq {
        mask: u64,
        value: u64,
    },
}

/// A condition on argument `arg`: its low 32 bits only (`wide == false`, as for an `int`
/// argument whose upper half the kernel leaves undefined) or all 64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cond {
    arg: u8,
    wide: bool,
    cmp: Cmp,
}

/// Conditions on the low 32 bits of an argument / on all its 64 bits.
pub(super) fn dword(arg: u8, cmp: Cmp) -> Cond {
    Cond {
        arg,
        wide: false,
        cmp,
    }
}
pub(super) fn qword(arg: u8, cmp: Cmp) -> Cond {
    Cond {
        arg,
        wide: true,
        cmp,
    }
}

/// System call number -> rules; a rule is a list of conditions that must all hold, and a
/// number with no rules always takes the action.
pub(super) type Rules = std::collections::BTreeMap<u32, Vec<Vec<Cond>>>;

/// The seccomp policy: for each action, the x86_64 calls (and arguments) that take it; every
/// other x86_64 call is allowed. Besides (`compile`), an x32 call (number 0x4000_0000 and
/// up) fails with `ENOSYS`, as on a kernel built or booted without x32 (Debian's default),
/// and a call of another architecture than x86_64 (i386) kills the process. `me` is the
/// worker's process id (signals only to itself).
pub(super) fn policy(me: u64) -> Vec<(u32, Rules)> {
    // EPERM: network, other processes, privileged operations.
    let mut eperm = Rules::new();
    for call in [libc::SYS_socket, libc::SYS_socketpair] {
        eperm.insert(
            call as u32,
            vec![vec![dword(0, Cmp::Ne(libc::AF_UNIX as u64))]],
        );
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
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
    ] {
        eperm.insert(call as u32, vec![]);
    }
    eperm.insert(libc::SYS_sendto as u32, vec![vec![qword(4, Cmp::Ne(0))]]);
    // Signals only to this process (its own threads): kill(pid), tgkill(tgid, ...),
    // rt_sigqueueinfo(tgid, ...), rt_tgsigqueueinfo(tgid, ...).
    for call in [
        libc::SYS_kill,
        libc::SYS_tgkill,
        libc::SYS_rt_sigqueueinfo,
        libc::SYS_rt_tgsigqueueinfo,
    ] {
        eperm.insert(call as u32, vec![vec![dword(0, Cmp::Ne(me))]]);
    }
    // The SIGSYS handler stays: a new action for SIGSYS is refused.
    eperm.insert(
        libc::SYS_rt_sigaction as u32,
        vec![vec![
            dword(0, Cmp::Eq(libc::SIGSYS as u64)),
            qword(1, Cmp::Ne(0)),
        ]],
    );
    let mut enosys = Rules::new();
    enosys.insert(libc::SYS_clone3 as u32, vec![]);
    // Trap: running programs and starting processes.
    let mut trap = Rules::new();
    for n in [nr::EXECVE, nr::EXECVEAT, nr::FORK, nr::VFORK] {
        trap.insert(n as u32, vec![]);
    }
    trap.insert(
        nr::CLONE as u32,
        vec![vec![dword(
            0,
            Cmp::MaskedEq {
                mask: libc::CLONE_THREAD as u64,
                value: 0,
            },
        )]],
    );
    vec![
        (ret::ERRNO | libc::EPERM as u32, eperm),
        (ret::ERRNO | libc::ENOSYS as u32, enosys),
        (ret::TRAP, trap),
    ]
}

/// The classic BPF opcodes the filter uses.
pub(super) mod op {
    /// `A = seccomp_data[k..k + 4]`.
    pub const LD_W_ABS: u16 = 0x20;
    /// `A &= k`.
    pub const AND_K: u16 = 0x54;
    /// `pc += k`.
    pub const JA: u16 = 0x05;
    pub const JEQ_K: u16 = 0x15;
    pub const JGE_K: u16 = 0x35;
    pub const RET_K: u16 = 0x06;
}

/// Offsets in the kernel's `struct seccomp_data`.
const DATA_NR: u32 = 0;
const DATA_ARCH: u32 = 4;
const DATA_ARGS: u32 = 16;

fn stmt(code: u16, k: u32) -> Insn {
    Insn {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}
fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Insn {
    Insn { code, jt, jf, k }
}

/// What one call number does, as the checks to make in order: the first rule that holds
/// gives its action (a layer with no rules always holds); when none does the call is allowed.
type Behaviour<'a> = Vec<(u32, &'a [Vec<Cond>])>;

/// A segment of the number line: its first number, what its numbers do, its code's length.
type Segment<'a> = (u32, Behaviour<'a>, usize);

/// Compiles the policy to one BPF program that returns, for every architecture, call number
/// and argument below the x32 numbers, exactly what the kernel would make of the layers
/// installed as separate filters in their order (each returning its action when one of its
/// rules holds, else allowing): the kernel runs every filter and keeps the most restrictive
/// action (lowest `ACTION_FULL` part as a signed number; among equals, the last installed
/// filter's).
///
/// The program checks the architecture, loads the call number, fails an x32 one (0x4000_0000
/// and up) with `ENOSYS` (see [`policy`]), and finds its segment of
/// the number line by a binary search (`JGE` on each segment's start) over the segments of
/// consecutive numbers that behave alike; a segment's code checks the rules of the layers
/// that name its numbers, most restrictive action first, and allows if none holds.
pub(super) fn compile(layers: &[(u32, Rules)]) -> Result<Vec<Insn>, String> {
    // Most restrictive first; `sort_by_key` is stable, so among equal actions the last
    // installed comes first, as the kernel's walk from the newest filter does.
    let mut order: Vec<&(u32, Rules)> = layers.iter().rev().collect();
    order.sort_by_key(|(action, _)| (action & ret::ACTION_FULL) as i32);
    let mut numbers: Vec<u32> = layers.iter().flat_map(|(_, r)| r.keys().copied()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let behaviour = |n: u32| -> Behaviour<'_> {
        let mut b = Behaviour::new();
        for (action, rules) in &order {
            if let Some(r) = rules.get(&n) {
                b.push((*action, r));
                if r.is_empty() {
                    break; // always taken: nothing after it counts
                }
            }
        }
        b
    };
    // Segments covering 0..=u32::MAX; an empty behaviour allows.
    let mut segments: Vec<Segment> = vec![(0, Behaviour::new(), 1)];
    for (i, &n) in numbers.iter().enumerate() {
        let b = behaviour(n);
        if segments.last().is_some_and(|(_, last, _)| *last != b) {
            let len = behaviour_len(&b);
            segments.push((n, b, len));
        }
        if let Some(next) = n.checked_add(1)
            && numbers.get(i + 1) != Some(&next)
        {
            segments.push((next, Behaviour::new(), 1));
        }
    }
    let mut prog = vec![
        stmt(op::LD_W_ABS, DATA_ARCH),
        jump(op::JEQ_K, ret::AUDIT_ARCH_X86_64, 1, 0),
        stmt(op::RET_K, ret::KILL_PROCESS),
        stmt(op::LD_W_ABS, DATA_NR),
        // x32 calls (and any higher number) fail as on a kernel without x32: one check here
        // instead of every rule again with the x32 bit, which made the program (and the
        // kernel's checking and compiling of it at every worker's start) twice as long.
        jump(op::JGE_K, nr::X32 as u32, 0, 1),
        stmt(op::RET_K, ret::ERRNO | libc::ENOSYS as u32),
    ];
    // Every segment that only returns (most of them: a call always refused, and the allowed
    // ranges between) jumps to one return per action at the end instead of holding its own,
    // when every jump reaches that far (a conditional jump skips at most 255 instructions);
    // the kernel checks, converts and compiles the program at every worker's start, about
    // 0.25 µs per instruction here.
    let returns = shared_returns(&segments);
    if prog.len() + compact_len(&segments) + returns.len() <= 256 {
        let tail = prog.len() + compact_len(&segments);
        let at = |action: u32| tail + returns.iter().position(|&a| a == action).unwrap_or(0);
        compact(&segments, &at, &mut prog)?;
        prog.extend(returns.iter().map(|&a| stmt(op::RET_K, a)));
    } else {
        prog.reserve(search_len(&segments));
        search(&segments, &mut prog)?;
    }
    // The kernel's limit (BPF_MAXINSNS).
    if prog.len() > 4096 {
        return Err(format!("the seccomp filter is too long ({})", prog.len()));
    }
    Ok(prog)
}

/// The action of a segment whose whole code is one return (`behaviour_code` of a behaviour
/// with no rules, or whose first layer always takes its action).
fn shared_return(b: &Behaviour) -> Option<u32> {
    match b.first() {
        None => Some(ret::ALLOW),
        Some((action, [])) => Some(*action),
        Some(_) => None,
    }
}

/// The actions of the segments that only return, each once, in order of first use.
fn shared_returns(segments: &[Segment]) -> Vec<u32> {
    let mut out = Vec::new();
    for a in segments.iter().filter_map(|(_, b, _)| shared_return(b)) {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// The length of [`compact`]'s code for `segments` (the shared returns not counted).
fn compact_len(segments: &[Segment]) -> usize {
    if let [(_, b, len)] = segments {
        return if shared_return(b).is_some() { 0 } else { *len };
    }
    let mid = segments.len() / 2;
    compact_len(&segments[..mid]) + compact_len(&segments[mid..]) + 1
}

/// [`search`] for a program short enough that every jump reaches its end: a segment that only
/// returns has no code, and the search jumps to the return for its action at `at(action)`.
fn compact(
    segments: &[Segment],
    at: &dyn Fn(u32) -> usize,
    out: &mut Vec<Insn>,
) -> Result<(), String> {
    if let [(_, b, _)] = segments {
        return match shared_return(b) {
            Some(_) => Ok(()),
            None => behaviour_code(b, out),
        };
    }
    let mid = segments.len() / 2;
    let (low, high) = segments.split_at(mid);
    let from = out.len() + 1;
    let off = |n: usize| u8::try_from(n).map_err(|_| "a seccomp jump is too long".to_string());
    // Where each half starts: its return at the end, or its code (the low half's right after
    // this jump, the high half's after the low half's).
    let to = |half: &[Segment], next: usize| match half {
        [(_, b, _)] => shared_return(b).map_or(next, |a| at(a) - from),
        _ => next,
    };
    let jt = off(to(high, compact_len(low)))?;
    let jf = off(to(low, 0))?;
    out.push(jump(op::JGE_K, high[0].0, jt, jf));
    compact(low, at, out)?;
    compact(high, at, out)
}

/// The length of [`search`]'s code for `segments`.
fn search_len(segments: &[Segment]) -> usize {
    if let [(_, _, len)] = segments {
        return *len;
    }
    let mid = segments.len() / 2;
    let low = search_len(&segments[..mid]);
    low + search_len(&segments[mid..]) + if low <= 255 { 1 } else { 2 }
}

/// Appends the binary search over `segments` (the call number is in A), then each one's
/// code.
fn search(segments: &[Segment], out: &mut Vec<Insn>) -> Result<(), String> {
    if let [(_, b, _)] = segments {
        return behaviour_code(b, out);
    }
    let mid = segments.len() / 2;
    let low = search_len(&segments[..mid]);
    match u8::try_from(low) {
        // A >= start: skip the lower half.
        Ok(skip) => out.push(jump(op::JGE_K, segments[mid].0, skip, 0)),
        Err(_) => {
            out.push(jump(op::JGE_K, segments[mid].0, 0, 1));
            out.push(stmt(op::JA, low as u32));
        }
    }
    search(&segments[..mid], out)?;
    search(&segments[mid..], out)
}

/// The length of [`behaviour_code`]'s code.
fn behaviour_len(b: &Behaviour) -> usize {
    let mut len = 0;
    for (_, rules) in b {
        if rules.is_empty() {
            return len + 1;
        }
        len += rules.iter().map(|r| rule_len(r)).sum::<usize>();
    }
    len + 1
}

fn rule_len(rule: &[Cond]) -> usize {
    rule.iter().map(cond_len).sum::<usize>() + 1
}

/// Appends one segment's code: each rule's conditions, a failed one jumping to the next
/// rule, then the rule's action.
fn behaviour_code(b: &Behaviour, out: &mut Vec<Insn>) -> Result<(), String> {
    for (action, rules) in b {
        if rules.is_empty() {
            out.push(stmt(op::RET_K, *action));
            return Ok(());
        }
        for rule in rules.iter() {
            // From the end of each condition's code to the next rule.
            let mut after = rule_len(rule);
            for c in rule {
                after -= cond_len(c);
                cond_code(c, after, out)?;
            }
            out.push(stmt(op::RET_K, *action));
        }
    }
    out.push(stmt(op::RET_K, ret::ALLOW));
    Ok(())
}

/// A condition's compared halves: (data offset, mask, value), the high half first when the
/// whole argument is compared.
fn halves(c: &Cond) -> ([(u32, u32, u32); 2], usize) {
    let lo = DATA_ARGS + 8 * u32::from(c.arg);
    let (mask, value) = match c.cmp {
        Cmp::Eq(v) | Cmp::Ne(v) => (u64::MAX, v),
        Cmp::MaskedEq { mask, value } => (mask, value & mask),
    };
    let low = (lo, mask as u32, value as u32);
    let high = (lo + 4, (mask >> 32) as u32, (value >> 32) as u32);
    if c.wide {
        ([high, low], 2)
    } else {
        ([low, high], 1)
    }
}

/// The length of one half's code: load, mask (unless all ones), compare.
fn half_len(mask: u32) -> usize {
    if mask == u32::MAX { 2 } else { 3 }
}

fn cond_len(c: &Cond) -> usize {
    let (h, n) = halves(c);
    h[..n].iter().map(|&(_, m, _)| half_len(m)).sum()
}

/// Appends one condition's code; when it fails it jumps `after` instructions past its end.
fn cond_code(c: &Cond, after: usize, out: &mut Vec<Insn>) -> Result<(), String> {
    let (h, n) = halves(c);
    let ne = matches!(c.cmp, Cmp::Ne(_));
    let off = |n: usize| u8::try_from(n).map_err(|_| "a seccomp rule is too long".to_string());
    for (i, &(at, mask, value)) in h[..n].iter().enumerate() {
        out.push(stmt(op::LD_W_ABS, at));
        if mask != u32::MAX {
            out.push(stmt(op::AND_K, mask));
        }
        let last = i + 1 == n;
        // The instructions of this condition after this compare.
        let rest = if last { 0 } else { half_len(h[i + 1].1) };
        let (eq, neq) = match (ne, last) {
            // Equal: so far equal, the next half decides; different: the condition holds.
            (true, false) => (0, off(rest)?),
            (true, true) => (off(rest + after)?, 0),
            (false, _) => (0, off(rest + after)?),
        };
        out.push(jump(op::JEQ_K, value, eq, neq));
    }
    Ok(())
}
