//! The one way the tests compile C: a fixture of the crate's fixture tree (`tests/c/<area>/`,
//! named after the test file that uses it) or a source a test writes, into a shared object or an
//! executable, against the repository's `include/`.
//!
//! The root crate's tests reach this file as `support::cc`, capi's as `support::cc` too (its
//! `capi/tests/support/mod.rs` includes this file by `#[path]`), so there is a single copy.
//!
//! - `$CC` (default `cc`) and `$CXX` (default `c++`) name the compiler, with arguments if any
//!   (`CC="ccache gcc"`).
//! - `$CFLAGS` / `$CXXFLAGS` come first on the command line, so a test's own flags (its warnings
//!   as errors, its language standard) win over them.
//! - A failed compilation panics with the command line and the compiler's stderr.
//!
//! `tests/fixtures.rs` fails if a test file starts a compiler any other way.
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root: the nearest folder above the including crate that holds
/// `include/Python.h`.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|d| d.join("include/Python.h").is_file())
        .unwrap_or_else(|| panic!("no include/Python.h above {}", manifest.display()))
        .to_path_buf()
}

/// `include/`, the headers every fixture compiles against.
pub fn include_dir() -> PathBuf {
    repo_root().join("include")
}

/// The fixture `<area>/<file>` of the including crate's tree, `tests/c/` (it must exist).
pub fn fixture(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/c")
        .join(rel);
    assert!(p.is_file(), "C fixture {} is missing", p.display());
    p
}

/// A folder for build products, `name` below the crate's `CARGO_TARGET_TMPDIR` (set for
/// integration tests; a unit test that includes this file gets the system's temporary folder).
pub fn out_dir(name: &str) -> PathBuf {
    let base = option_env!("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let d = base.join(name);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
    d
}

/// Which compiler a build runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    /// `$CC`, default `cc`, with `$CFLAGS`.
    C,
    /// `$CXX`, default `c++`, with `$CXXFLAGS`.
    Cxx,
}

impl Lang {
    /// The compiler and its leading arguments, from the variables `env` gives (`$CC`/`$CXX`,
    /// then `$CFLAGS`/`$CXXFLAGS`, split at whitespace).
    fn command(self, env: &dyn Fn(&str) -> Option<String>) -> (String, Vec<String>) {
        let (var, default, flags) = match self {
            Lang::C => ("CC", "cc", "CFLAGS"),
            Lang::Cxx => ("CXX", "c++", "CXXFLAGS"),
        };
        let words = |v: &str| {
            env(v)
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let mut leading = words(var);
        if leading.is_empty() {
            leading.push(default.to_string());
        }
        let program = leading.remove(0);
        leading.extend(words(flags));
        (program, leading)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Shared,
    Executable,
    SyntaxOnly,
}

/// One compiler run, set up by [`shared`], [`executable`] or [`syntax_check`] and finished by
/// [`Build::build`] (panics on failure) or [`Build::output`] (any outcome).
#[must_use = "a Build does nothing until .build() or .output()"]
pub struct Build {
    lang: Lang,
    kind: Kind,
    source: PathBuf,
    out: Option<PathBuf>,
    flags: Vec<OsString>,
    link: Vec<OsString>,
    dir: Option<PathBuf>,
}

/// A shared object (`-shared -fPIC`) `out` from `source`.
pub fn shared(source: impl AsRef<Path>, out: impl AsRef<Path>) -> Build {
    Build::new(Kind::Shared, source.as_ref(), Some(out.as_ref()))
}

/// An executable `out` from `source`.
pub fn executable(source: impl AsRef<Path>, out: impl AsRef<Path>) -> Build {
    Build::new(Kind::Executable, source.as_ref(), Some(out.as_ref()))
}

/// A syntax check of `source` (`-fsyntax-only`), nothing written.
pub fn syntax_check(source: impl AsRef<Path>) -> Build {
    Build::new(Kind::SyntaxOnly, source.as_ref(), None)
}

impl Build {
    fn new(kind: Kind, source: &Path, out: Option<&Path>) -> Build {
        Build {
            lang: Lang::C,
            kind,
            source: source.to_path_buf(),
            out: out.map(Path::to_path_buf),
            flags: Vec::new(),
            link: Vec::new(),
            dir: None,
        }
    }

    /// Compiles with `lang`'s compiler (C by default).
    pub fn lang(mut self, lang: Lang) -> Build {
        self.lang = lang;
        self
    }

    /// A compiler flag, placed before the source.
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Build {
        self.flags.push(a.as_ref().to_os_string());
        self
    }

    /// Compiler flags, placed before the source.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Build {
        self.flags
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// `-DNAME=VALUE`.
    pub fn define(self, name: &str, value: &str) -> Build {
        self.arg(format!("-D{name}={value}"))
    }

    /// Linker arguments (`-l...`, `-L...`, `-Wl,...`), placed after the source.
    pub fn link_args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Build {
        self.link
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// Runs the compiler in `dir` (relative source and output paths are taken from there).
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Build {
        self.dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The command line: compiler, `$CFLAGS`, the kind's flags, the test's flags, `-I include/`,
    /// the source, `-o out`, the linker arguments.
    pub fn command(&self) -> Command {
        self.command_with(&|v| std::env::var(v).ok())
    }

    /// [`Build::command`] with the environment variables `env` gives.
    pub fn command_with(&self, env: &dyn Fn(&str) -> Option<String>) -> Command {
        self.command_writing(env, self.out.as_deref())
    }

    /// The command line with `-o out` (the real output, or the temporary file a run writes).
    fn command_writing(&self, env: &dyn Fn(&str) -> Option<String>, out: Option<&Path>) -> Command {
        let (program, leading) = self.lang.command(env);
        let mut c = Command::new(program);
        c.args(leading);
        match self.kind {
            Kind::Shared => {
                c.args(["-shared", "-fPIC"]);
            }
            Kind::Executable => {}
            Kind::SyntaxOnly => {
                c.arg("-fsyntax-only");
            }
        }
        c.args(&self.flags);
        c.arg("-I").arg(include_dir()).arg(&self.source);
        if let Some(out) = out {
            c.arg("-o").arg(out);
        }
        c.args(&self.link);
        if let Some(d) = &self.dir {
            c.current_dir(d);
        }
        c
    }

    /// Runs the compiler and returns what it did, success or not.
    ///
    /// The compiler writes a temporary file beside the output, renamed onto it on success: the
    /// same fixture is often built by several test processes at once (a test that re-runs its
    /// binary as a child builds it again), and one of them must never `dlopen` or run a file
    /// another is still writing. A process that loaded the old file keeps its inode.
    pub fn output(self) -> Output {
        static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let env = |v: &str| std::env::var(v).ok();
        let Some(out) = self.out.clone() else {
            let mut c = self.command();
            return c
                .output()
                .unwrap_or_else(|e| panic!("cannot run the C compiler {}: {e}", shown(&c)));
        };
        let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut name = out.file_name().expect("an output file name").to_os_string();
        name.push(format!(".{}-{n}.tmp", std::process::id()));
        let tmp = out.with_file_name(name);
        let mut c = self.command_writing(&env, Some(&tmp));
        let o = c
            .output()
            .unwrap_or_else(|e| panic!("cannot run the C compiler {}: {e}", shown(&c)));
        let at = |p: &Path| match &self.dir {
            Some(d) => d.join(p),
            None => p.to_path_buf(),
        };
        if o.status.success() {
            std::fs::rename(at(&tmp), at(&out)).unwrap_or_else(|e| {
                panic!("renaming {} onto {}: {e}", tmp.display(), out.display())
            });
        } else {
            let _ = std::fs::remove_file(at(&tmp));
        }
        o
    }

    /// Runs the compiler; panics with the command line and its stderr when it fails. Returns
    /// the output file (the source for a syntax check).
    pub fn build(self) -> PathBuf {
        let result = self.out.clone().unwrap_or_else(|| self.source.clone());
        let c = self.command();
        let o = self.output();
        assert!(
            o.status.success(),
            "compiling {} failed ({}):\n{}",
            result.display(),
            shown(&c),
            String::from_utf8_lossy(&o.stderr)
        );
        result
    }
}

/// A command line as text, for messages.
pub fn shown(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs the executable `exe` (built by [`executable`]) to the end.
pub fn run(exe: &Path) -> Output {
    Command::new(exe)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()))
}
