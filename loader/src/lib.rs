//! gilgate-loader: finds extension modules, runs CPython's init protocols (single-phase,
//! multi-phase, 3.15's `PyModExport_`), decides the global lock exactly where CPython does, and
//! writes inspection reports.
//!
//! - [`Loader::inspect`] runs every hook and create slot in a worker process (exec never runs).
//! - [`Loader::load`] loads modules into this process as an import would: init, create, the lock
//!   decision, exec.
//!
//! Programs that call [`Loader::inspect`] must call [`worker::run_if_worker`] at the top of `main`
//! (or name a worker binary with [`Loader::with_worker_binary`]).

mod discover;
mod elf;
mod ffi;
mod import_hook;
mod incomplete;
mod init;
pub mod lock;
mod names;
pub mod report;
pub mod sandbox;
mod unpack_cache;
mod wheel;
pub mod worker;

pub use discover::{Candidate, Discovery, InputError, WheelFound, check_input, discover};
pub use elf::{BuildKind, ElfFacts, read_elf};
pub use lock::{
    ConfigError, Decision, LockState, Policy, PolicyConflict, PolicySource, resolve_policy,
};
pub use names::{
    AbiTag, HookKind, PACKAGE_INIT, Target, dotted_name, encoded_short_name, file_module_name,
    hook_symbols, is_package_dir, package_name, split_extension_name, target_by_name,
    target_by_names,
};
pub use report::{
    Declaration, ErrorCause, ErrorReport, Evidence, Gil, InitKind, Lint, ModuleReport, Report,
    SetGilReport, SlotReport, Status, Summary, WheelReport,
};
pub use unpack_cache::WheelDir;
pub use wheel::{Unpacked, extract_sources, extract_wheel, member_name_is_safe};

use gilgate_capi::ffi::PyObject;
use init::TargetInfo;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Errors of [`Loader::load`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// No file for the dotted name on the search path.
    #[error("ModuleNotFoundError: No module named '{0}'")]
    NotFound(String),
    /// The module (its init, create or exec, or the loader on its behalf) raised.
    #[error("{0}")]
    Raised(ErrorReport),
}

impl LoadError {
    /// The error as a report entry.
    pub fn report(&self) -> ErrorReport {
        match self {
            LoadError::NotFound(n) => {
                ErrorReport::new("ModuleNotFoundError", format!("No module named '{n}'"))
            }
            LoadError::Raised(e) => e.clone(),
        }
    }
}

/// A module loaded into the host by [`Loader::load`].
#[derive(Debug, Clone)]
pub struct Module {
    /// The dotted name.
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// Its declaration as init and create showed it.
    pub declaration: Declaration,
    /// Whether it leaves the lock required.
    pub requires_gil: bool,
    /// What the lock decision did.
    pub decision: Decision,
    /// Lints found while loading (including exec-time ones).
    pub lints: Vec<Lint>,
    object: *mut PyObject,
}

impl Module {
    /// The module object (a strong reference owned by the host).
    pub fn as_ptr(&self) -> *mut PyObject {
        self.object
    }
}

/// The extension suffixes tried for a dotted name, in order.
pub const SEARCH_SUFFIXES: [&str; 2] = [".cpython-314t-x86_64-linux-gnu.so", ".so"];

/// One host: a lock policy and the modules loaded so far. The lock itself is the process's
/// (one per process); the first host that loads fixes the process's policy.
pub struct Loader {
    policy: Policy,
    allow: BTreeSet<String>,
    worker_binary: Option<PathBuf>,
    timeout: Duration,
    /// Whether inspection workers run sandboxed (the default).
    sandbox: bool,
    /// Whether the caller exits right after `inspect`'s report ([`Loader::with_quick_exit`]).
    quick_exit: bool,
    modules: Vec<Module>,
    /// Lints of the last `load` whose init or create failed (no module to carry them).
    failed_lints: Vec<Lint>,
}

/// Dropping a host releases its references to the modules it loaded (a module also filed in
/// `sys.modules` or by `PyState_AddModule`, or held by a handle, stays alive through those).
impl Drop for Loader {
    fn drop(&mut self) {
        for m in self.modules.drain(..).rev() {
            if !m.object.is_null() {
                // SAFETY: the host owns one strong reference to each module object it keeps.
                unsafe { gilgate_capi::host::decref(m.object) };
            }
        }
    }
}

impl Loader {
    /// A host with this policy, a 10 s init time limit and this program as worker.
    pub fn new(policy: Policy) -> Loader {
        Loader {
            policy,
            allow: BTreeSet::new(),
            worker_binary: None,
            timeout: Duration::from_secs(10),
            sandbox: true,
            quick_exit: false,
            modules: Vec::new(),
            failed_lints: Vec::new(),
        }
    }

    /// Names the gilgate binary used as the inspection worker.
    pub fn with_worker_binary(mut self, path: impl Into<PathBuf>) -> Loader {
        self.worker_binary = Some(path.into());
        self
    }

    /// Sets the time limit of each init in `inspect`.
    pub fn with_timeout(mut self, timeout: Duration) -> Loader {
        self.timeout = timeout;
        self
    }

    /// Runs `inspect`'s inits sandboxed (the default) or not (`--no-sandbox`: each init then
    /// runs with all of this user's rights).
    pub fn with_sandbox(mut self, on: bool) -> Loader {
        self.sandbox = on;
        self
    }

    /// For a caller that exits once it has `inspect`'s report (the command line): the workers
    /// that answered their last module are not waited for, only their protocol stream's end;
    /// their exit runs alongside the caller's, and the kernel reaps them after it. Off by
    /// default: a process that goes on running reaps every worker before `inspect` returns.
    pub fn with_quick_exit(mut self, on: bool) -> Loader {
        self.quick_exit = on;
        self
    }

    /// Exempts a module from the `error` policy.
    pub fn allow(&mut self, name: impl Into<String>) {
        self.allow.insert(name.into());
    }

    /// The active policy.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The process's lock now (its counter; fixed by the policy for `on`/`off`/`module`).
    pub fn lock(&self) -> LockState {
        LockState::of_process(self.policy)
    }

    /// Modules loaded so far.
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    /// Inspects every module in `paths` (`.so` files, folders, wheels): hooks and create slots
    /// run in worker processes; exec never runs.
    pub fn inspect(&self, paths: &[PathBuf]) -> Report {
        // The first worker starts while the inputs are read and wheels unpacked.
        let mut pool = worker::Pool::new(self.worker_binary.clone(), self.timeout);
        if !self.sandbox {
            pool = pool.without_sandbox();
        }
        // Workers may be forks of this process when they would run this program anyway.
        pool = pool.forking(self.worker_binary.is_none());
        pool = pool.quick_exit(self.quick_exit);
        let sandbox = pool.sandbox();
        pool.prestart();
        let found = discover(paths);
        if let Some(s) = &sandbox {
            s.set_read(read_roots(paths, &found));
        }
        let mut report = Report {
            warnings: found.warnings.clone(),
            wheels: found
                .wheels
                .iter()
                .map(|w| WheelReport {
                    path: w.path.clone(),
                    modules: w.modules,
                    // A wheel whose only shared objects are plain libraries is not pure Python.
                    pure_python: w.modules == 0 && w.libraries == 0,
                })
                .collect(),
            skipped: found.skipped.clone(),
            ..Report::default()
        };
        for e in &found.input_errors {
            let name = Path::new(&e.path)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| e.path.clone());
            report.modules.push(error_row(
                &name,
                &e.path,
                None,
                None,
                ErrorReport::new("FileError", e.message.clone()),
            ));
        }
        let answers = ask_workers(pool, &found.candidates);
        report.sandbox = match &sandbox {
            Some(s) => s.report(),
            None => Some(sandbox::SandboxReport::disabled()),
        };
        for (c, (tag, answer)) in found.candidates.iter().zip(answers) {
            match answer {
                Ok(d) => report.modules.push(self.row(c, tag, d)),
                Err((t, e)) => report
                    .modules
                    .push(error_row(&c.name, &c.display_path, tag, t, e)),
            }
        }
        report.finish();
        drop(found);
        report
    }

    fn row(&self, c: &Candidate, abi_tag: Option<String>, mut d: Declaration) -> ModuleReport {
        let mut requires = match (&d.error, d.gil) {
            (None, Some(g)) => Some(g == Gil::Used && self.policy != Policy::Off),
            _ => None,
        };
        if requires == Some(true) && self.policy == Policy::Error && !self.allow.contains(&c.name) {
            d.error = Some(refusal(&c.name, &c.display_path));
            requires = None;
        }
        let mut row = ModuleReport::new(&c.name, &c.display_path, abi_tag, d, requires);
        row.per_module_lock = requires == Some(true) && self.policy == Policy::Module;
        row
    }

    /// Finds `spec` (a path to a `.so`, or a dotted name on `search`) and loads it into this
    /// process as an import would: init, create, lock decision, exec. Prints CPython's
    /// `RuntimeWarning` to stderr (once per process) when the module enables the lock. The
    /// first load of the process fixes its policy; a host with another policy then gets a
    /// `RuntimeError` naming both.
    pub fn load(&mut self, spec: &str, search: &[PathBuf]) -> Result<&Module, LoadError> {
        import_hook::before_load(self.policy, search);
        if crate::init::runtime().is_ok() {
            lock::fix_process_policy(self.policy)
                .map_err(|e| LoadError::Raised(ErrorReport::new("RuntimeError", e.to_string())))?;
        }
        let loaded = self.load_inner(spec, search);
        // The return of a load is a safe point: hand the lock over if another thread asked.
        gilgate_capi::host::safe_point();
        loaded?;
        Ok(self.modules.last().expect("loaded"))
    }

    fn load_inner(&mut self, spec: &str, search: &[PathBuf]) -> Result<(), LoadError> {
        self.failed_lints.clear();
        let (name, path, tag) = locate(spec, search)?;
        let (ti, facts) = classify(&path, &tag).map_err(|(_, e)| LoadError::Raised(e))?;
        if ti.target != Target::Cp314t {
            return Err(LoadError::Raised(abi_refusal(
                &name,
                ti.target,
                tag.report_tag(),
            )));
        }
        // dlopen of a file whose segments run past its end can die of SIGBUS; `inspect` has its
        // worker for that, `load` runs in this process, so refuse such a file first.
        if elf::segments_past_end(&path) {
            return Err(LoadError::Raised(ErrorReport::new(
                "ImportError",
                format!(
                    "{}: truncated ELF file (a loadable segment runs past the end of the file)",
                    path.display()
                ),
            )));
        }
        gilgate_capi::host::lock_enable_transient();
        let run = init::run(&name, &path, ti, &facts, false);
        let target = run.decl.target.unwrap_or(ti.target);
        if run.decl.error.is_none() && target != Target::Cp314t {
            lock::decide(&mut lock::ProcessLock, self.policy, None, false);
            return Err(LoadError::Raised(abi_refusal(
                &name,
                target,
                tag.report_tag(),
            )));
        }
        // `--gil module`: a module that declared free-threading support runs unlocked from
        // here on (its exec too); an undeclared or failed one stays registered.
        if let (Some(id), Some(false)) = (run.lock_id, run.requires_gil) {
            gilgate_capi::host::module_lock_unregister(id);
        }
        let allowed = self.allow.contains(&name);
        let decision = lock::decide(
            &mut lock::ProcessLock,
            self.policy,
            run.requires_gil,
            allowed,
        );
        if let Some(e) = run.decl.error.clone() {
            self.failed_lints = run.decl.lints.clone();
            return Err(LoadError::Raised(e));
        }
        if decision == Decision::Refused {
            return Err(LoadError::Raised(refusal(
                &name,
                &path.display().to_string(),
            )));
        }
        static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if let Decision::Enabled { warn: true } = decision
            && !WARNED.swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            eprintln!("RuntimeWarning: {}", lock::warning_text(&name));
        }
        let mut lints = run.decl.lints.clone();
        let mut exec_error = None;
        // `__file__` (absolute), as the import machinery sets it before exec.
        let file = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        // SAFETY: `run.module` is NULL or a valid object.
        unsafe { gilgate_capi::host::init_module_attrs(run.module, &file.to_string_lossy()) };
        if let Some(dir) = package_dir(&file) {
            // SAFETY: `run.module` is NULL or a valid object.
            unsafe { set_package_path(run.module, &dir) };
        }
        // Exec runs only for a module object created from a def (CPython skips anything else).
        // SAFETY: `run.module` is a valid object when init succeeded.
        let is_module =
            !run.module.is_null() && unsafe { ffi::type_check(run.module, c"PyModule_Type") };
        if !run.def.is_null() && is_module {
            let before = gilgate_capi::host::setgil_thread_count();
            // SAFETY: `run.module` was created from `run.def` by multi-phase creation.
            let rc = unsafe { ffi::module_exec_def(run.module, run.def.cast()) };
            if rc != 0 {
                let taken = init::take_exception();
                lints.extend(taken.lint(&name));
                exec_error = Some(taken.report);
            }
            if gilgate_capi::host::setgil_thread_count() != before {
                lints.push(Lint {
                    code: "setgil-in-exec".into(),
                    message: format!(
                        "PyUnstable_Module_SetGIL was called from an exec slot of {name}: too late, the lock decision was made before exec and the call is ignored; declare a Py_mod_gil slot instead"
                    ),
                });
            }
        }
        self.modules.push(Module {
            name: name.clone(),
            path,
            declaration: run.decl.clone(),
            requires_gil: run.requires_gil.unwrap_or(true),
            decision,
            lints,
            object: run.module,
        });
        match exec_error {
            Some(e) => Err(LoadError::Raised(e)),
            None => Ok(()),
        }
    }

    /// Lints of the last `load` attempt that got as far as exec, for callers reporting failures.
    pub fn last_module(&self) -> Option<&Module> {
        self.modules.last()
    }

    /// Lints of the last `load` when its init or create failed (such as
    /// `needs-python-module`); empty otherwise.
    pub fn failed_lints(&self) -> &[Lint] {
        &self.failed_lints
    }
}

/// The folder of a package whose `__init__` extension is the file at `path`.
fn package_dir(path: &Path) -> Option<PathBuf> {
    let file = path.file_name()?.to_string_lossy().into_owned();
    let (short, _) = split_extension_name(&file)?;
    (short == PACKAGE_INIT).then(|| path.parent().map(Path::to_path_buf))?
}

/// What the import machinery gives a package's module before its exec runs: `__path__`, a
/// list holding the package's folder (unless the module set one itself), so that its
/// submodules can be imported. Objects that are not modules are left alone.
///
/// # Safety
/// `m` must be NULL or a live object.
unsafe fn set_package_path(m: *mut PyObject, dir: &Path) {
    // SAFETY: forwarded contract; the dict and the list are live objects we own or borrow.
    unsafe {
        if m.is_null() || !ffi::type_check(m, c"PyModule_Type") {
            return;
        }
        let d = (*m.cast::<gilgate_capi::host::PyModuleObject>()).md_dict;
        if d.is_null() || !gilgate_capi::host::dict_get_str(d, "__path__").is_null() {
            return;
        }
        let list = gilgate_capi::host::new_str_list(&[dir.to_string_lossy().into_owned()]);
        if list.is_null() || gilgate_capi::host::dict_set_item_str(d, "__path__", list) < 0 {
            gilgate_capi::host::clear_error();
        }
        gilgate_capi::host::xdecref(list);
    }
}

/// What sandboxed workers may read besides the system's folders: every input, every wheel's
/// unpacked folder, and the folder each module's imports are searched in (its own folder, or
/// the folder above its top package).
fn read_roots(paths: &[PathBuf], found: &Discovery) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    roots.extend(found.temp_dirs.iter().map(|t| t.path().to_path_buf()));
    for c in &found.candidates {
        let path = std::path::absolute(&c.fs_path).unwrap_or_else(|_| c.fs_path.clone());
        if let Some(root) = import_hook::search_root(&c.name, &path)
            && !roots.contains(&root)
        {
            roots.push(root);
        }
    }
    roots
}

/// A module's ABI tag as reported, and its declaration or the error that stopped it before init.
type Answer = (
    Option<String>,
    Result<Declaration, (Option<Target>, ErrorReport)>,
);

/// Classifies each candidate and asks a worker about it. Several workers (one per core, at
/// most [`MAX_WORKERS`]) share the modules; `first` is the one already started. Answers come
/// back in the candidates' order.
fn ask_workers(first: worker::Pool, candidates: &[Candidate]) -> Vec<Answer> {
    let n = worker_count(candidates.len());
    // Several threads of this process wait for several workers: their waits sleep.
    let first = if n > 1 { first.without_spin() } else { first };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let answers: Vec<std::sync::Mutex<Option<Answer>>> =
        candidates.iter().map(|_| Default::default()).collect();
    let serve = |mut pool: worker::Pool| {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(c) = candidates.get(i) else { break };
            // No module comes after the last one: its worker may exit once it has answered.
            let answer = ask_one(&mut pool, c, i + 1 == candidates.len());
            *answers[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(answer);
        }
    };
    // The other workers start here, before any thread of this scope does: while this process
    // is single-threaded they can be forks of it (`worker::Pool::fork_worker`).
    let others: Vec<worker::Pool> = (1..n)
        .map(|_| {
            let mut pool = first.sibling();
            pool.prestart();
            pool
        })
        .collect();
    let serve = &serve;
    std::thread::scope(|s| {
        for pool in others {
            s.spawn(move || serve(pool));
        }
        serve(first);
    });
    answers
        .into_iter()
        .map(|a| {
            a.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .expect("every candidate answered")
        })
        .collect()
}

/// The number of cores this process may use, at least 1 and at most `max`.
pub(crate) fn cores(max: usize) -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, max.max(1))
}

/// How many inspection workers to run for `modules` modules: `GILGATE_WORKERS` when it is a
/// positive number, else one per [`MODULES_PER_WORKER`] modules, at most one per core and
/// [`MAX_WORKERS`]. Each worker starts its own runtime and loads the libraries its modules need,
/// so a second one pays off only when there are several modules to share out.
fn worker_count(modules: usize) -> usize {
    let n = std::env::var("GILGATE_WORKERS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| match modules.div_ceil(MODULES_PER_WORKER) {
            // One worker whatever the cores: no need to ask (`available_parallelism` reads
            // the cgroup's files, about seven system calls).
            0 | 1 => 1,
            wanted => cores(MAX_WORKERS).min(wanted),
        });
    n.min(modules).max(1)
}

/// A second worker starts only from this many modules on (see [`worker_count`]).
const MODULES_PER_WORKER: usize = 4;

/// At most this many inspection workers run at once (unless `GILGATE_WORKERS` says otherwise).
const MAX_WORKERS: usize = 4;

fn ask_one(pool: &mut worker::Pool, c: &Candidate, last: bool) -> Answer {
    let tag = c.tag.report_tag();
    let (ti, facts) = match classify(&c.fs_path, &c.tag) {
        Ok(x) => x,
        Err(e) => return (tag, Err(e)),
    };
    // A sandboxed worker works in its private folder: it is sent an absolute path, and its
    // messages show the path as given.
    let sent_path = std::path::absolute(&c.fs_path).unwrap_or_else(|_| c.fs_path.clone());
    let req = worker::Request {
        name: c.name.clone(),
        path: sent_path.clone(),
        target: ti,
        imports_setgil: facts.imports("PyUnstable_Module_SetGIL"),
        last: false,
    };
    let started = std::time::Instant::now();
    // A module built for another CPython runs in a fresh worker of its own, which presents
    // its target's version and dies with it if its init crashes.
    let mut d = if ti.target != Target::Cp314t {
        if last {
            // No module will use this pool's worker (started before the targets were known):
            // it ends now rather than start up beside the single-use one.
            pool.release();
        }
        pool.single_use(ti.target).ask_last(&req)
    } else if last {
        pool.ask_last(&req)
    } else {
        pool.ask(&req)
    };
    tracing::debug!(
        "{}: worker answered in {:.1} ms",
        c.display_path,
        started.elapsed().as_secs_f64() * 1e3
    );
    if let Some(e) = &mut d.error {
        if sent_path != c.fs_path {
            e.message = e
                .message
                .replace(&*sent_path.to_string_lossy(), &c.fs_path.to_string_lossy());
        }
        redact_temp(&mut e.message, &c.fs_path, &c.display_path);
    }
    (tag, Ok(d))
}

/// The `error` policy's refusal, naming the module and its file (`dist.whl!member` in a wheel).
fn refusal(name: &str, path: &str) -> ErrorReport {
    ErrorReport::new(
        "ImportError",
        format!(
            "module '{name}' ({path}) does not declare that it can run without the global lock (no Py_mod_gil slot or PyUnstable_Module_SetGIL call), and the lock policy is 'error' (allow it with --allow {name})"
        ),
    )
}

fn abi_refusal(name: &str, target: Target, tag: Option<String>) -> ErrorReport {
    let why = match tag {
        Some(t) => format!("its file is tagged {t}"),
        None => format!("it follows {target} rules"),
    };
    ErrorReport::new(
        "AbiError",
        format!(
            "module '{name}' is built for CPython {target} ({why}); gilgate runs only 3.14t modules' code (inspect it instead)"
        ),
    )
}

fn error_row(
    name: &str,
    path: &str,
    abi_tag: Option<String>,
    target: Option<Target>,
    e: ErrorReport,
) -> ModuleReport {
    ModuleReport::new(name, path, abi_tag, Declaration::failed(target, e), None)
}

/// Replaces a wheel member's temporary path in a message by its report path.
fn redact_temp(msg: &mut String, fs_path: &Path, display: &str) {
    let fs = fs_path.to_string_lossy();
    if display.contains('!') && msg.contains(fs.as_ref()) {
        *msg = msg.replace(fs.as_ref(), display);
    }
}

/// Checks a file's ABI before anything runs and picks the rules that apply.
fn classify(
    path: &Path,
    tag: &AbiTag,
) -> Result<(TargetInfo, ElfFacts), (Option<Target>, ErrorReport)> {
    let abi = |m: String| (None, ErrorReport::new("AbiError", m));
    let tagged = match tag {
        AbiTag::Cpython {
            tag,
            minor,
            free_threaded,
            platform,
        } => {
            if !platform.is_empty() && platform != "x86_64-linux-gnu" {
                return Err(abi(format!(
                    "built for platform {platform} ({tag}); gilgate hosts x86_64-linux-gnu modules"
                )));
            }
            if !free_threaded {
                return Err(abi(format!(
                    "built for the default (GIL) build of CPython 3.{minor} ({tag}), whose object layout differs; gilgate hosts free-threaded modules (cpython-3{minor}t)"
                )));
            }
            Some(match minor {
                13 => Target::Cp313t,
                14 => Target::Cp314t,
                15 => Target::Cp315t,
                _ => {
                    return Err(abi(format!(
                        "built for CPython 3.{minor}t ({tag}); gilgate knows the rules of 3.13t, 3.14t and 3.15t"
                    )));
                }
            })
        }
        AbiTag::Abi3 => {
            // Free-threaded CPython searches `.abi3.so` files too. One that exports no init hook
            // is no module (pycryptodome's ctypes libraries): CPython's import of it fails on the
            // missing `PyInit_<name>`, and so does the normal path here, with CPython's text.
            if let Ok(facts) = read_elf(path)
                && facts.hooks.is_empty()
            {
                let ti = TargetInfo {
                    target: Target::Cp314t,
                    from_tag: false,
                };
                return Ok((ti, facts));
            }
            return Err(abi(
                "a stable-ABI (abi3) module is built for the GIL build's object layout; CPython 3.14t loads it, but its inline reference counting does not match the free-threaded object header, so it may crash: gilgate refuses it"
                    .to_string(),
            ));
        }
        AbiTag::Abi3t => Some(Target::Cp315t),
        AbiTag::Untagged => None,
    };
    // A file goblin cannot read (not an ELF, truncated) goes on to dlopen, whose error text is
    // what CPython reports (`<path>: invalid ELF header`); dlopen refuses such files before
    // any of their code runs.
    let facts = match read_elf(path) {
        Ok(f) => f,
        Err(why) => {
            tracing::debug!("{}: {why}; leaving the verdict to dlopen", path.display());
            ElfFacts::default()
        }
    };
    let ti = match tagged {
        Some(target) => TargetInfo {
            target,
            from_tag: true,
        },
        None => {
            if facts.build_kind() == BuildKind::Default {
                return Err(abi(
                    "imports _Py_Dealloc but not _Py_MergeZeroLocalRefcount or _Py_DecRefShared: built for the default (GIL) build, whose object layout differs"
                        .to_string(),
                ));
            }
            let target = if facts.has_export_hook() {
                Target::Cp315t
            } else {
                Target::Cp314t
            };
            TargetInfo {
                target,
                from_tag: false,
            }
        }
    };
    Ok((ti, facts))
}

/// Finds a module: a path to a `.so` file, or a dotted name searched in `search` with
/// [`SEARCH_SUFFIXES`]. As CPython's path finder does, a folder named after the module that
/// holds an `__init__` extension is the module (a package), before a file beside it; a file
/// given by path is named by [`file_module_name`] (`pkg/__init__.so` is `pkg`). A wheel
/// given as the module is an `ImportError` saying how to use it.
pub fn locate(spec: &str, search: &[PathBuf]) -> Result<(String, PathBuf, AbiTag), LoadError> {
    let as_path = Path::new(spec);
    if let Some(msg) = wheel_given_as_module(spec) {
        return Err(LoadError::Raised(ErrorReport::new("ImportError", msg)));
    }
    if spec.contains('/') || (spec.ends_with(".so") && as_path.is_file()) {
        let (name, tag) =
            file_module_name(as_path).ok_or_else(|| LoadError::NotFound(spec.to_string()))?;
        if !as_path.is_file() {
            return Err(LoadError::NotFound(spec.to_string()));
        }
        return Ok((name, as_path.to_path_buf(), tag));
    }
    let rel: PathBuf = spec.split('.').collect();
    let found = |candidate: PathBuf| -> Option<Result<(String, PathBuf, AbiTag), LoadError>> {
        if !candidate.is_file() {
            return None;
        }
        let file = candidate
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(match split_extension_name(&file) {
            Some((_, tag)) => Ok((spec.to_string(), candidate, tag)),
            None => Err(LoadError::NotFound(spec.to_string())),
        })
    };
    for dir in search {
        let package = dir.join(&rel);
        for suffix in SEARCH_SUFFIXES {
            if let Some(r) = found(package.join(format!("{PACKAGE_INIT}{suffix}"))) {
                return r;
            }
        }
        for suffix in SEARCH_SUFFIXES {
            let mut candidate = package.clone().into_os_string();
            candidate.push(suffix);
            if let Some(r) = found(PathBuf::from(candidate)) {
                return r;
            }
        }
    }
    Err(LoadError::NotFound(spec.to_string()))
}

/// When `spec` (a MODULE of `load` or `eval`) names a wheel file, the message saying how to
/// load a module from it (with its extension modules' names when the wheel can be read).
pub fn wheel_given_as_module(spec: &str) -> Option<String> {
    let p = Path::new(spec);
    if !spec.ends_with(".whl") || !(spec.contains('/') || p.is_file()) {
        return None;
    }
    let mut msg = format!(
        "{spec} is a wheel, not a module: put it on the search path with --path {spec} and name one of its extension modules"
    );
    match wheel::module_names(p) {
        Ok(names) if names.is_empty() => {
            msg.push_str(" (it holds none: a pure-Python wheel, nothing gilgate can load)")
        }
        Ok(names) => msg.push_str(&format!(" ({})", names.join(", "))),
        Err(e) => msg.push_str(&format!(" ({e})")),
    }
    Some(msg)
}

/// The search path with each wheel in it unpacked: see [`expand_wheels`].
pub struct SearchPath {
    /// The folders to search, in order (a wheel's place taken by its unpacked folder, then
    /// its `*.data/platlib` and `*.data/purelib` folders).
    pub dirs: Vec<PathBuf>,
    /// The unpacked wheels; their folders are removed when this is dropped.
    pub unpacked: Vec<Unpacked>,
}

/// Replaces each wheel (`*.whl` file) in `search` by a private folder holding its extension
/// modules and the libraries they need, unpacked as `inspect` does, and its source files
/// ([`extract_sources`]: tracebacks show their lines, as CPython's do). Keep the result alive as
/// long as modules may be loaded from it. An unreadable wheel is an error naming it.
pub fn expand_wheels(search: &[PathBuf]) -> Result<SearchPath, InputError> {
    let mut out = SearchPath {
        dirs: Vec::new(),
        unpacked: Vec::new(),
    };
    for entry in search {
        let is_wheel = entry.to_string_lossy().ends_with(".whl") && entry.is_file();
        if !is_wheel {
            out.dirs.push(entry.clone());
            continue;
        }
        let u = extract_wheel(entry).map_err(|message| InputError {
            path: entry.display().to_string(),
            message,
        })?;
        for w in &u.warnings {
            tracing::warn!("{}: {w}", entry.display());
        }
        extract_sources(entry, &u).map_err(|message| InputError {
            path: entry.display().to_string(),
            message,
        })?;
        let root = u.dir.path().to_path_buf();
        out.dirs.push(root.clone());
        let mut data: Vec<PathBuf> = std::fs::read_dir(&root)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".data"))
            .flat_map(|e| ["platlib", "purelib"].map(|s| e.path().join(s)))
            .filter(|d| d.is_dir())
            .collect();
        data.sort();
        out.dirs.extend(data);
        out.unpacked.push(u);
    }
    Ok(out)
}

/// The search path: the given folders, then `GILGATE_PATH` (colon-separated), then `.`.
pub fn search_path(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = dirs.to_vec();
    if let Ok(p) = std::env::var("GILGATE_PATH") {
        out.extend(p.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
    }
    out.push(PathBuf::from("."));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_uses_suffix_order() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("pkg")).unwrap();
        std::fs::write(tmp.path().join("pkg/m.so"), "").unwrap();
        let (n, p, _) = locate("pkg.m", &[tmp.path().to_path_buf()]).unwrap();
        assert_eq!(n, "pkg.m");
        assert!(p.ends_with("pkg/m.so"));
        std::fs::write(
            tmp.path().join("pkg/m.cpython-314t-x86_64-linux-gnu.so"),
            "",
        )
        .unwrap();
        let (_, p, _) = locate("pkg.m", &[tmp.path().to_path_buf()]).unwrap();
        assert!(p.ends_with("pkg/m.cpython-314t-x86_64-linux-gnu.so"));
        assert_eq!(
            locate("nope", &[tmp.path().to_path_buf()]),
            Err(LoadError::NotFound("nope".into()))
        );
    }

    #[test]
    fn locate_finds_packages_first_as_cpython_does() {
        let tmp = tempfile::tempdir().unwrap();
        let dirs = [tmp.path().to_path_buf()];
        std::fs::create_dir_all(tmp.path().join("pkg")).unwrap();
        std::fs::write(tmp.path().join("pkg.cpython-314t-x86_64-linux-gnu.so"), "").unwrap();
        let (_, p, _) = locate("pkg", &dirs).unwrap();
        assert!(p.ends_with("pkg.cpython-314t-x86_64-linux-gnu.so"));
        // A package's `__init__` extension (of any suffix) comes before a module file beside it.
        std::fs::write(tmp.path().join("pkg/__init__.so"), "").unwrap();
        let (n, p, _) = locate("pkg", &dirs).unwrap();
        assert_eq!(n, "pkg");
        assert!(p.ends_with("pkg/__init__.so"), "{}", p.display());
        // Given by path, it is named after its package.
        let init = tmp.path().join("pkg/__init__.so");
        let (n, _, _) = locate(&init.to_string_lossy(), &[]).unwrap();
        assert_eq!(n, "pkg");
    }

    #[test]
    fn a_wheel_is_not_a_module() {
        let tmp = tempfile::tempdir().unwrap();
        let whl = tmp.path().join("w-1.0-cp314-cp314t-linux_x86_64.whl");
        {
            use std::io::Write;
            let mut z = zip::ZipWriter::new(std::fs::File::create(&whl).unwrap());
            let o = zip::write::SimpleFileOptions::default();
            for n in ["w/b.so", "w/__init__.so", "w.libs/libq.so"] {
                z.start_file(n, o).unwrap();
                z.write_all(b"x").unwrap();
            }
            z.finish().unwrap();
        }
        let spec = whl.to_string_lossy().into_owned();
        let Err(LoadError::Raised(e)) = locate(&spec, &[]) else {
            panic!("a wheel is refused");
        };
        assert_eq!(e.kind, "ImportError");
        assert_eq!(
            e.message,
            format!(
                "{spec} is a wheel, not a module: put it on the search path with --path {spec} and name one of its extension modules (w, w.b)"
            )
        );
        assert_eq!(wheel_given_as_module("pkg.whl"), None, "a dotted name");
        // On the search path, it is unpacked in its place.
        let s = expand_wheels(&[tmp.path().join("x"), whl.clone()]).unwrap();
        assert_eq!(s.dirs[0], tmp.path().join("x"));
        assert!(s.dirs[1].join("w/b.so").is_file());
        let unpacked = s.dirs[1].clone();
        drop(s);
        assert!(!unpacked.exists(), "removed with the search path");
        std::fs::write(tmp.path().join("bad.whl"), "not a zip").unwrap();
        let e = expand_wheels(&[tmp.path().join("bad.whl")]).err().unwrap();
        assert!(
            e.to_string().contains("bad.whl: not a readable wheel"),
            "{e}"
        );
    }

    #[test]
    fn gil_build_tags_are_refused_before_init() {
        let p = Path::new("/nonexistent/m.cpython-314-x86_64-linux-gnu.so");
        let (_, tag) = split_extension_name("m.cpython-314-x86_64-linux-gnu.so").unwrap();
        let e = classify(p, &tag).unwrap_err().1;
        assert_eq!(e.kind, "AbiError");
        assert!(e.message.contains("default (GIL) build"), "{}", e.message);
        let e = classify(p, &AbiTag::Abi3).unwrap_err().1;
        assert!(e.message.contains("abi3"));
    }

    #[test]
    fn abi3_file_without_hook_goes_on_to_the_missing_hook_error() {
        // an ELF shared library that exports no PyInit_*/PyModExport_*: the C library
        let libc = [
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/lib64/libc.so.6",
        ]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("no libc.so.6 in the usual x86_64 places");
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("_raw.abi3.so");
        std::fs::copy(libc, &f).unwrap();
        assert!(read_elf(&f).unwrap().hooks.is_empty());
        let (ti, _) = classify(&f, &AbiTag::Abi3).unwrap();
        assert_eq!(ti.target, Target::Cp314t);
        assert!(!ti.from_tag);
    }

    #[test]
    fn unreadable_elf_is_left_to_dlopen() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("m.so");
        std::fs::write(&f, "hello").unwrap();
        assert_eq!(read_elf(&f).unwrap_err(), "not an ELF file (no ELF header)");
        let (ti, _) = classify(&f, &AbiTag::Untagged).unwrap();
        assert_eq!(ti.target, Target::Cp314t);
    }
}
