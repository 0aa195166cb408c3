//! The `gilgate eval` command: load a module, evaluate expressions, print their `repr`.
//!
//! Exit status: 0 success; 1 an expression raised (or did not parse: `SyntaxError`); 2 a module
//! could not be loaded; 64 usage or configuration error (including a wheel given as MODULE and
//! a `--path` wheel that cannot be unpacked). An exception prints, as the last line
//! on stderr, the exception type's `__name__`, then `: ` and `str()` of the exception when that
//! is not empty.

use crate::embed::{Host, PyErr};
use crate::eval::{Evaluator, ast::Stmt, parse};
use gilgate_loader::lock;
use std::io::Write as _;
use std::path::PathBuf;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// An evaluated expression raised.
pub const EXIT_RAISED: u8 = 1;
/// A module could not be loaded.
pub const EXIT_MODULE_ERROR: u8 = 2;
/// Usage or configuration error.
pub const EXIT_USAGE: u8 = 64;

/// The command line of `gilgate eval`.
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
    /// `-i`.
    pub interactive: bool,
    /// MODULE.
    pub module: String,
    /// EXPR...
    pub exprs: Vec<String>,
}

pub(crate) fn is_path(spec: &str) -> bool {
    spec.contains('/') || spec.ends_with(".so")
}

pub(crate) fn short_name(spec: &str) -> String {
    if is_path(spec) {
        let p = std::path::Path::new(spec);
        gilgate_loader::file_module_name(p)
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

/// Prints an error as CPython ends a traceback: the entries extension modules added (Cython
/// adds one per function the error left; gilgate has no Python frames of its own to show),
/// under CPython's header line, then `Type: message` as the last line.
fn report(e: &PyErr) {
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    if !e.traceback.is_empty() {
        let _ = writeln!(err, "Traceback (most recent call last):");
        for line in &e.traceback {
            let _ = writeln!(err, "{line}");
        }
    }
    let _ = writeln!(err, "{e}");
}

/// What `eval` and `stress` do before they evaluate: a host under `policy` with the `--path`
/// folders and `--allow` names, MODULE and the `-m` modules loaded (a path or a name each) and
/// their attributes bound in a new evaluator (MODULE's also as bare names). On failure the
/// message is printed and the exit status returned: a usage error (a wheel given as a module, an
/// unreadable `--path`), a module that cannot load, or attributes that cannot be read.
pub(crate) fn load_modules(
    policy: lock::Policy,
    path: &[PathBuf],
    allow: &[String],
    module: &str,
    more: &[String],
) -> Result<(Host, Evaluator), u8> {
    let mut b = Host::builder().policy(policy);
    for d in path {
        b = b.path(d);
    }
    for a in allow {
        b = b.allow(a);
    }
    let specs = || std::iter::once(module).chain(more.iter().map(String::as_str));
    if let Some(msg) = specs().find_map(gilgate_loader::wheel_given_as_module) {
        eprintln!("gilgate: {msg}");
        return Err(EXIT_USAGE);
    }
    let mut host = match b.try_build() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("gilgate: --path: {}", e.message);
            return Err(EXIT_USAGE);
        }
    };
    let mut ev = Evaluator::new();
    for (i, spec) in specs().enumerate() {
        let loaded = if is_path(spec) {
            host.load_path(spec)
        } else {
            host.import(spec)
        };
        let m = match loaded {
            Ok(m) => m,
            Err(e) => {
                eprintln!("gilgate: {}: error: {}", short_name(spec), e.chain());
                return Err(EXIT_MODULE_ERROR);
            }
        };
        if let Err(e) = ev.add_module(&m, i == 0) {
            eprintln!("gilgate: {}: cannot read its attributes", m.name());
            report(&e);
            return Err(EXIT_RAISED);
        }
    }
    Ok((host, ev))
}

/// Runs `gilgate eval`; returns the exit status.
pub fn run(opts: Options) -> u8 {
    let policy = match lock::policy_from_env(opts.gil.as_deref()) {
        Ok((p, _)) => p,
        Err(e) => {
            eprintln!("gilgate: {e}");
            return EXIT_USAGE;
        }
    };
    if opts.exprs.is_empty() && !opts.interactive {
        eprintln!("gilgate: eval needs at least one EXPR (or -i for a prompt)");
        return EXIT_USAGE;
    }
    // Parse everything first, as Python compiles a whole program before running it.
    let mut stmts = Vec::with_capacity(opts.exprs.len());
    for (i, src) in opts.exprs.iter().enumerate() {
        match parse::parse_stmt(src) {
            Ok(s) => stmts.push(s),
            Err(e) => {
                eprintln!("gilgate: expression {} does not parse: {src}", i + 1);
                eprintln!("SyntaxError: {e}");
                return EXIT_RAISED;
            }
        }
    }
    let (_host, mut ev) =
        match load_modules(policy, &opts.path, &opts.allow, &opts.module, &opts.more) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    for stmt in &stmts {
        if let Err(e) = run_one(&mut ev, stmt) {
            report(&e);
            return EXIT_RAISED;
        }
    }
    if opts.interactive {
        return interactive(&mut ev);
    }
    EXIT_OK
}

fn run_one(ev: &mut Evaluator, stmt: &Stmt) -> Result<(), PyErr> {
    if let Some(v) = ev.exec(stmt)? {
        let r = v.repr()?;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{r}");
    }
    Ok(())
}

fn interactive(ev: &mut Evaluator) -> u8 {
    let mut rl = match rustyline::DefaultEditor::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("gilgate: cannot start the prompt: {e}");
            return EXIT_USAGE;
        }
    };
    let history = history_file();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    let code = prompt_loop(&mut rl, ev);
    if let Some(h) = &history
        && let Err(e) = rl.save_history(h)
    {
        tracing::debug!("cannot save the prompt history to {}: {e}", h.display());
    }
    code
}

/// Where the prompt keeps its history between sessions: `GILGATE_HISTORY`, else
/// `~/.gilgate_history`; none when stdin is not a terminal (scripts and tests).
fn history_file() -> Option<PathBuf> {
    use std::io::IsTerminal as _;
    if !std::io::stdin().is_terminal() {
        return None;
    }
    if let Some(p) = std::env::var_os("GILGATE_HISTORY").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".gilgate_history"))
}

fn prompt_loop(rl: &mut rustyline::DefaultEditor, ev: &mut Evaluator) -> u8 {
    use rustyline::error::ReadlineError;
    loop {
        match rl.readline(">>> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(line.as_str());
                match parse::parse_stmt(&line) {
                    Ok(stmt) => {
                        if let Err(e) = run_one(ev, &stmt) {
                            report(&e);
                        }
                    }
                    Err(e) => eprintln!("SyntaxError: {e}"),
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return EXIT_OK,
            Err(e) => {
                eprintln!("gilgate: prompt: {e}");
                return EXIT_USAGE;
            }
        }
    }
}
