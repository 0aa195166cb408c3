//! The `gilgate` command line.
// The process starts at `main` below, not through `std`'s own start: see `main`.
#![cfg_attr(not(test), no_main)]

use clap::{Args, FromArgMatches, Parser, Subcommand};
use gilgate::loader::{Decision, LoadError, Loader, Policy, Status, lock, search_path, worker};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Writes to stdout, ignoring a closed pipe (`gilgate ... | head`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($t)*);
    }};
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// Exit status: success.
const EXIT_OK: u8 = 0;
/// Some module could not be inspected or loaded.
const EXIT_MODULE_ERROR: u8 = 2;
/// `--deny-gil` and some module would enable the lock.
const EXIT_DENIED: u8 = 3;
/// Usage or configuration error.
const EXIT_USAGE: u8 = 64;

#[derive(Parser)]
#[command(
    name = "gilgate",
    version,
    about = "A host for compiled CPython extension modules: inspect and enforce free-threading declarations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report what each module declares (init and create run in a worker; exec never runs).
    Inspect(InspectArgs),
    /// Load modules into one host in order, as imports would (init, create, lock decision, exec).
    Load {
        /// Folders or wheels (unpacked privately) to search for dotted names (before
        /// GILGATE_PATH and `.`); repeatable.
        #[arg(long = "path", value_name = "DIR|WHEEL")]
        path: Vec<PathBuf>,
        /// Lock policy: auto, on, off, module, error.
        #[arg(long, value_name = "POLICY")]
        gil: Option<String>,
        /// Exempt a module from `--gil error` (repeatable).
        #[arg(long, value_name = "NAME")]
        allow: Vec<String>,
        /// Dotted module names or paths to `.so` files.
        #[arg(required = true)]
        modules: Vec<String>,
    },
    /// Load MODULE and evaluate each EXPR in a namespace holding its attributes; print the
    /// `repr` of each result (assignments print nothing).
    Eval {
        /// Folders or wheels (unpacked privately) to search for dotted names (before
        /// GILGATE_PATH and `.`); repeatable.
        #[arg(long = "path", value_name = "DIR|WHEEL")]
        path: Vec<PathBuf>,
        /// Lock policy: auto, on, off, module, error.
        #[arg(long, value_name = "POLICY")]
        gil: Option<String>,
        /// Exempt a module from `--gil error` (repeatable).
        #[arg(long, value_name = "NAME")]
        allow: Vec<String>,
        /// Load another module (dotted name or path) into the namespace, under the last part
        /// of its name; repeatable.
        #[arg(short = 'm', value_name = "PATH")]
        more: Vec<String>,
        /// After the expressions, read more from an interactive prompt (with history).
        #[arg(short = 'i', long = "interactive")]
        interactive: bool,
        /// The module: a dotted name or a path to a `.so`.
        module: String,
        /// Expressions or assignments (`name = expr`, `obj.attr = expr`), evaluated in order.
        #[arg(allow_hyphen_values = true, trailing_var_arg = true)]
        exprs: Vec<String>,
    },
    /// Load MODULE as `eval` does, run each --setup once, then evaluate EXPR on N threads
    /// released together (M times each, or for SECS), each in its own layer over the setup
    /// namespace (`thread_index`, `iteration` bound); --then runs after every thread joined.
    Stress {
        /// Folders or wheels (unpacked privately) to search for dotted names (before
        /// GILGATE_PATH and `.`); repeatable.
        #[arg(long = "path", value_name = "DIR|WHEEL")]
        path: Vec<PathBuf>,
        /// Lock policy: auto, on, off, module, error.
        #[arg(long, value_name = "POLICY", allow_hyphen_values = true)]
        gil: Option<String>,
        /// Exempt a module from `--gil error` (repeatable).
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        allow: Vec<String>,
        /// Load another module (dotted name or path) into the namespace, under the last part
        /// of its name; repeatable.
        #[arg(short = 'm', value_name = "MODULE", allow_hyphen_values = true)]
        more: Vec<String>,
        /// A statement run once, before the threads start, in the shared namespace; repeatable.
        #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
        setup: Vec<String>,
        /// How many threads (at least 1).
        #[arg(long, value_name = "N", required = true, allow_hyphen_values = true)]
        threads: u64,
        /// Evaluations of EXPR per thread (at least 1).
        #[arg(
            long,
            value_name = "M",
            allow_hyphen_values = true,
            conflicts_with = "duration"
        )]
        iterations: Option<u64>,
        /// Evaluate EXPR for this many seconds on each thread instead.
        #[arg(long, value_name = "SECS", allow_hyphen_values = true)]
        duration: Option<f64>,
        /// Evaluated once after every thread has joined, in the setup namespace; its repr is
        /// the last line of the output.
        #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
        then: Option<String>,
        /// Give up (exit 4) when the threads have not finished after this many seconds,
        /// printing each thread's iteration count and what it waits on.
        #[arg(long, value_name = "SECS", allow_hyphen_values = true)]
        timeout: Option<f64>,
        /// Print one JSON document instead of the report.
        #[arg(long)]
        json: bool,
        /// The module: a dotted name or a path to a `.so`.
        module: String,
        /// The expression or assignment each thread evaluates.
        #[arg(allow_hyphen_values = true, trailing_var_arg = true)]
        exprs: Vec<String>,
    },
    /// Count the exported C API names that are real and that are stubs.
    Surface {
        /// Also list every name: name, func|data, status, CPython versions exporting it.
        #[arg(long)]
        list: bool,
    },
}

// `inspect`'s arguments (no doc comment: the subcommand's help is the variant's).
#[derive(Args, Debug, PartialEq)]
struct InspectArgs {
    /// `.so` files, `.whl` files or folders (searched recursively for both); a PATH with
    /// neither is a usage error.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    json: bool,
    /// Exit 3 when some module would enable the global lock.
    #[arg(long)]
    deny_gil: bool,
    /// Time limit for each module's init, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    timeout: f64,
    /// Lock policy: auto, on, off, module, error.
    #[arg(long, value_name = "POLICY")]
    gil: Option<String>,
    /// Exempt a module from `--gil error` (repeatable).
    #[arg(long, value_name = "NAME")]
    allow: Vec<String>,
    /// Instead: list the C API names the modules import (functions and data), each as
    /// implemented, stub or missing in gilgate, with how many modules use it. Reads the
    /// files only: no init runs.
    #[arg(long, conflicts_with_all = ["deny_gil", "gil", "allow"])]
    api_usage: bool,
    /// Exit 2 when the inspection sandbox is partial (the kernel lacks Landlock or seccomp,
    /// or a limit could not be set).
    #[arg(long, conflicts_with = "no_sandbox")]
    require_sandbox: bool,
    /// Run inits without the sandbox: each then runs with all of this user's rights (it
    /// can read and write the user's files, use the network, run programs). Only for
    /// modules you trust.
    #[arg(long)]
    no_sandbox: bool,
}

/// The process's entry, called by the C runtime in place of `std`'s start. That start would,
/// before any of this program runs, find the main thread's stack (glibc reads all of
/// `/proc/self/maps` for it) and install a stack-overflow handler with its own signal stack:
/// about 0.08 ms of a small wheel's `inspect` (600 alternating runs), paid before the
/// inspection worker is forked, so by both processes. What the rest of `std` needs from its
/// start is kept: the arguments (glibc hands them to `std` itself), `SIGPIPE` ignored and
/// fds 0-2 open (`start_process`), a panic's message and status 101, and buffered stdout
/// written out at the end (`std::process::exit`). A stack overflow now ends the process
/// with `SIGSEGV` instead of `std`'s message and `SIGABRT`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    start_process();
    // The default panic hook has printed the message by the time this sees it.
    let code = std::panic::catch_unwind(run).unwrap_or(101);
    std::process::exit(code.into())
}

/// What `std`'s start does that this program relies on: a closed fd 0, 1 or 2 is opened on
/// `/dev/null` (so no file this process opens later takes its number: output meant for
/// stdout would land in it), and `SIGPIPE` is ignored (a write to a closed pipe fails with
/// `EPIPE` instead of killing the process: `out!`).
fn start_process() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: `fds` is a live array of three `pollfd`s; a zero timeout only asks.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) };
    if ready != 0 {
        for p in fds
            .iter()
            .filter(|p| ready < 0 || p.revents & libc::POLLNVAL != 0)
        {
            // SAFETY: `fcntl(F_GETFD)` on a number only asks whether it is open.
            if unsafe { libc::fcntl(p.fd, libc::F_GETFD) } == -1 {
                // SAFETY: a plain open of a constant, NUL-terminated path; the lowest free
                // number, which is this closed one since lower ones were handled first.
                let fd = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
                if fd != p.fd {
                    std::process::abort();
                }
            }
        }
    }
    // SAFETY: sets this process's action for one signal to the constant `SIG_IGN`.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
}

/// The program itself; its value is the process's exit status.
fn run() -> u8 {
    worker::run_if_worker();
    if let Some(target) = early_inspect_target() {
        worker::fork_early(target);
    }
    init_tracing();
    let command = match parse_inspect().map_or_else(Cli::try_parse, |i| {
        Ok(Cli {
            command: Command::Inspect(i),
        })
    }) {
        Ok(c) => c.command,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match command {
        Command::Inspect(InspectArgs {
            paths,
            json,
            deny_gil,
            timeout,
            gil,
            allow,
            api_usage,
            require_sandbox,
            no_sandbox,
        }) => {
            if api_usage {
                api_usage_report(paths, json)
            } else {
                let sandbox = match (require_sandbox, no_sandbox) {
                    (_, true) => Sandbox::Off,
                    (true, _) => Sandbox::Required,
                    _ => Sandbox::On,
                };
                inspect(paths, json, deny_gil, timeout, gil, allow, sandbox)
            }
        }
        Command::Load {
            path,
            gil,
            allow,
            modules,
        } => load(path, gil, allow, modules),
        Command::Eval {
            path,
            gil,
            allow,
            more,
            interactive,
            module,
            exprs,
        } => gilgate::cli_eval::run(gilgate::cli_eval::Options {
            path,
            gil,
            allow,
            more,
            interactive,
            module,
            exprs,
        }),
        Command::Stress {
            path,
            gil,
            allow,
            more,
            setup,
            threads,
            iterations,
            duration,
            then,
            timeout,
            json,
            module,
            exprs,
        } => gilgate::cli_stress::run(gilgate::cli_stress::Options {
            path,
            gil,
            allow,
            more,
            setup,
            threads,
            iterations,
            duration,
            then,
            timeout,
            json,
            module,
            exprs,
        }),
        Command::Surface { list } => {
            outln!("{}", gilgate::capi::host::surface::surface_counts());
            if list {
                out!("{}", gilgate::capi::host::surface::render_list());
            }
            EXIT_OK
        }
    }
}

/// When the command line is an `inspect` that will want a sandboxed worker (none of
/// `--no-sandbox`, `--api-usage`, `-h`, `--help`), the target its paths point to by their
/// names, which the worker forked before the line is parsed presents (`worker::fork_early`).
/// Every argument not starting with `-` counts as a path (an option's value too: then it is
/// simply 3.14t). A line this misjudges only starts a worker that is not used, or not early.
fn early_inspect_target() -> Option<gilgate::loader::Target> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let (first, rest) = args.split_first()?;
    let sandboxed = first == "inspect"
        && rest.iter().all(|a| {
            !matches!(
                a.to_str(),
                Some("--no-sandbox" | "--api-usage" | "-h" | "--help")
            )
        });
    sandboxed.then(|| {
        gilgate::loader::target_by_names(
            rest.iter()
                .filter(|a| !a.as_encoded_bytes().starts_with(b"-"))
                .map(Path::new),
        )
    })
}

/// `gilgate inspect ...` parsed with only `inspect`'s arguments built (building the whole
/// command tree was about a tenth of `inspect`'s own start); `None` for any other command
/// line, and for any that does not parse so (help, a usage error): the full parser then gives
/// the same answer or message as always.
fn parse_inspect() -> Option<InspectArgs> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.first()? != "inspect" {
        return None;
    }
    if let Some(quick) = parse_inspect_quick(&args[1..]) {
        return Some(quick);
    }
    let only = clap::Command::new("gilgate")
        .subcommand(InspectArgs::augment_args(clap::Command::new("inspect")));
    let m = only.try_get_matches().ok()?;
    InspectArgs::from_arg_matches(m.subcommand_matches("inspect")?).ok()
}

/// Diagnostics on stderr: the `GILGATE_LOG` filter (`EnvFilter` syntax), else warnings and
/// errors only.
fn init_tracing() {
    use tracing_subscriber::util::SubscriberInitExt as _;
    let _ = match std::env::var_os("GILGATE_LOG") {
        Some(_) => fmt_dispatch(
            tracing_subscriber::EnvFilter::try_from_env("GILGATE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init(),
        None => tracing::Dispatch::new(WarnOnFirstUse::default()).try_init(),
    };
}

/// The subscriber: `fmt`'s, on stderr, with `filter`.
fn fmt_dispatch(filter: tracing_subscriber::EnvFilter) -> tracing::Dispatch {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .finish()
        .into()
}

/// The subscriber without `GILGATE_LOG`: the same as with `GILGATE_LOG=warn`, but made when
/// the first warning or error comes (most runs have none; building it, with its span
/// registry, was a tenth of `--version`'s time). Until then it only answers which levels
/// pass, as that filter would.
#[derive(Default)]
struct WarnOnFirstUse {
    inner: std::sync::OnceLock<tracing::Dispatch>,
}

impl WarnOnFirstUse {
    fn inner(&self) -> &tracing::Dispatch {
        self.inner
            .get_or_init(|| fmt_dispatch(tracing_subscriber::EnvFilter::new("warn")))
    }

    fn passes(level: &tracing::Level) -> bool {
        *level <= tracing::Level::WARN
    }
}

impl tracing::Subscriber for WarnOnFirstUse {
    fn register_callsite(
        &self,
        metadata: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        if Self::passes(metadata.level()) {
            tracing::subscriber::Interest::always()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::WARN)
    }

    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        Self::passes(metadata.level())
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.inner().new_span(span)
    }

    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.inner().record(span, values)
    }

    fn record_follows_from(&self, span: &tracing::span::Id, follows: &tracing::span::Id) {
        self.inner().record_follows_from(span, follows)
    }

    fn event(&self, event: &tracing::Event<'_>) {
        let inner = self.inner();
        if inner.enabled(event.metadata()) {
            inner.event(event)
        }
    }

    fn enter(&self, span: &tracing::span::Id) {
        self.inner().enter(span)
    }

    fn exit(&self, span: &tracing::span::Id) {
        self.inner().exit(span)
    }

    fn clone_span(&self, id: &tracing::span::Id) -> tracing::span::Id {
        self.inner().clone_span(id)
    }

    fn try_close(&self, id: tracing::span::Id) -> bool {
        self.inner().try_close(id)
    }
}

fn host(gil: Option<String>, allow: Vec<String>) -> Result<Loader, u8> {
    let (policy, _) = lock::policy_from_env(gil.as_deref()).map_err(|e| {
        eprintln!("gilgate: {e}");
        EXIT_USAGE
    })?;
    let mut h = Loader::new(policy);
    for a in allow {
        h.allow(a);
    }
    Ok(h)
}

/// `inspect`'s sandbox: on (the default), required (`--require-sandbox`), off (`--no-sandbox`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sandbox {
    On,
    Required,
    Off,
}

/// `inspect`'s arguments when they are paths and the flags `--json`, `--deny-gil` and
/// `--require-sandbox`, each at most once: what clap makes of them, without clap (its
/// parser took about 0.05 ms, a twentieth of a small wheel's inspection). `None` for
/// anything else (no path, another flag, a repeated one, `-` or `--` anywhere), which clap
/// then parses. `main`'s tests check both give the same.
fn parse_inspect_quick(args: &[std::ffi::OsString]) -> Option<InspectArgs> {
    let mut a = InspectArgs {
        paths: Vec::new(),
        json: false,
        deny_gil: false,
        timeout: 10.0,
        gil: None,
        allow: Vec::new(),
        api_usage: false,
        require_sandbox: false,
        no_sandbox: false,
    };
    for arg in args {
        let flag = match arg.to_str() {
            Some("--json") => &mut a.json,
            Some("--deny-gil") => &mut a.deny_gil,
            Some("--require-sandbox") => &mut a.require_sandbox,
            _ if arg.as_encoded_bytes().starts_with(b"-") => return None,
            _ => {
                a.paths.push(PathBuf::from(arg));
                continue;
            }
        };
        if std::mem::replace(flag, true) {
            return None;
        }
    }
    (!a.paths.is_empty()).then_some(a)
}

fn inspect(
    paths: Vec<PathBuf>,
    json: bool,
    deny_gil: bool,
    timeout: f64,
    gil: Option<String>,
    allow: Vec<String>,
    sandbox: Sandbox,
) -> u8 {
    if !(timeout.is_finite() && timeout > 0.0) {
        eprintln!("gilgate: --timeout must be a positive number of seconds");
        return EXIT_USAGE;
    }
    let host = match host(gil, allow) {
        Ok(h) => h
            .with_timeout(Duration::from_secs_f64(timeout))
            .with_sandbox(sandbox != Sandbox::Off)
            // This process ends right after the report.
            .with_quick_exit(true),
        Err(code) => return code,
    };
    // A PATH with nothing to inspect is a usage error: a gate over it would pass vacuously.
    let empty: Vec<_> = paths
        .iter()
        .filter_map(|p| gilgate::loader::check_input(p).err())
        .collect();
    if !empty.is_empty() {
        for e in &empty {
            eprintln!("gilgate: {e}");
        }
        return EXIT_USAGE;
    }
    let report = host.inspect(&paths);
    for w in &report.warnings {
        eprintln!("gilgate: {w}");
    }
    if json {
        outln!("{}", report.to_json());
    } else {
        out!("{}", report.to_human());
    }
    let partial = report.sandbox.as_ref().is_some_and(|s| s.partial);
    if sandbox == Sandbox::Required && partial {
        eprintln!(
            "gilgate: --require-sandbox: the inspection sandbox was partial (see the report)"
        );
    }
    if report.modules.iter().any(|m| m.status != Status::Ok)
        || (sandbox == Sandbox::Required && partial)
    {
        EXIT_MODULE_ERROR
    } else if deny_gil && report.summary.requires_gil > 0 {
        EXIT_DENIED
    } else {
        EXIT_OK
    }
}

/// `inspect --api-usage`: exit 0 when every module file was read, 2 when some could not be
/// (each named in the report), 64 for a PATH with nothing to read.
fn api_usage_report(paths: Vec<PathBuf>, json: bool) -> u8 {
    let empty: Vec<_> = paths
        .iter()
        .filter_map(|p| gilgate::loader::check_input(p).err())
        .collect();
    if !empty.is_empty() {
        for e in &empty {
            eprintln!("gilgate: {e}");
        }
        return EXIT_USAGE;
    }
    let u = gilgate::api_usage::usage(&paths);
    if json {
        outln!("{}", u.to_json());
    } else {
        out!("{}", u.to_human());
    }
    if u.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_MODULE_ERROR
    }
}

fn load(path: Vec<PathBuf>, gil: Option<String>, allow: Vec<String>, modules: Vec<String>) -> u8 {
    let mut host = match host(gil, allow) {
        Ok(h) => h,
        Err(code) => return code,
    };
    if let Some(msg) = modules
        .iter()
        .find_map(|m| gilgate::loader::wheel_given_as_module(m))
    {
        eprintln!("gilgate: {msg}");
        return EXIT_USAGE;
    }
    // Wheels on the search path stay unpacked until the command ends.
    let expanded = match gilgate::loader::expand_wheels(&search_path(&path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gilgate: --path {e}");
            return EXIT_USAGE;
        }
    };
    let search = expanded.dirs.clone();
    let policy = host.policy();
    outln!(
        "policy {}: {}",
        host.policy().as_str(),
        host.lock().summary()
    );
    let mut failed = false;
    for spec in &modules {
        let before = host.modules().len();
        let outcome = host.load(spec, &search);
        let line = match &outcome {
            Ok(m) => format!(
                "{}: loaded ({}, gil {}{}){}",
                m.name,
                m.declaration.init.map(|i| i.as_str()).unwrap_or("-"),
                if m.requires_gil { "used" } else { "not_used" },
                if m.declaration.gil_declared == Some(false) {
                    ", undeclared"
                } else {
                    ""
                },
                if m.decision == Decision::Kept && m.requires_gil && policy == Policy::Module {
                    " [per-module lock]"
                } else {
                    ""
                }
            ),
            Err(e @ LoadError::NotFound(_)) => format!("{spec}: error: {e}"),
            Err(e) => format!("{}: error: {e}", display_name(spec)),
        };
        failed |= outcome.is_err();
        outln!("{line}; {}", host.lock().summary());
        if host.modules().len() > before {
            let m = &host.modules()[before];
            for l in &m.lints {
                outln!("{}: lint {}: {}", m.name, l.code, l.message);
            }
        } else {
            for l in host.failed_lints() {
                outln!("{}: lint {}: {}", display_name(spec), l.code, l.message);
            }
        }
    }
    if failed { EXIT_MODULE_ERROR } else { EXIT_OK }
}

fn display_name(spec: &str) -> String {
    if spec.contains('/') || spec.ends_with(".so") {
        let p = std::path::Path::new(spec);
        gilgate::loader::file_module_name(p)
            .map(|(n, _)| n)
            .unwrap_or_else(|| {
                p.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
    } else {
        spec.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's reading of `gilgate inspect <args>` (`None`: an error or help).
    fn by_clap(args: &[&str]) -> Option<InspectArgs> {
        let line = ["gilgate", "inspect"].iter().chain(args);
        match Cli::try_parse_from(line).ok()?.command {
            Command::Inspect(i) => Some(i),
            _ => None,
        }
    }

    fn quick(args: &[&str]) -> Option<InspectArgs> {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        parse_inspect_quick(&args)
    }

    #[test]
    fn the_quick_inspect_parser_reads_what_clap_reads_or_leaves_it_to_clap() {
        // Read without clap, exactly as clap reads them.
        for line in [
            &["a.whl"][..],
            &["a.whl", "b.so", "dir/"],
            &["--json", "a.whl"],
            &["a.whl", "--deny-gil", "--json"],
            &["--require-sandbox", "x", "--json", "y", "--deny-gil"],
            &["dir with space/", "é.so"],
        ] {
            let q = quick(line);
            assert!(q.is_some(), "{line:?}");
            assert_eq!(q, by_clap(line), "{line:?}");
        }
        // Left to clap: other flags (with values, help, unknown), repeats, no path, `-`, `--`.
        for line in [
            &[][..],
            &["--json"],
            &["--json", "--json", "a"],
            &["--timeout", "3", "a"],
            &["--timeout=3", "a"],
            &["--gil", "off", "a"],
            &["--allow", "m", "a"],
            &["--api-usage", "a"],
            &["--no-sandbox", "a"],
            &["--require-sandbox", "--no-sandbox", "a"],
            &["-h"],
            &["--help", "a"],
            &["--jsn", "a"],
            &["a", "-"],
            &["--", "--json"],
        ] {
            assert_eq!(quick(line), None, "{line:?}");
        }
    }
}
