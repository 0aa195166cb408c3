//! Inspection reports: the JSON document and the human table.

use crate::names::Target;
use serde::{Deserialize, Serialize};

/// How the module initialises itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InitKind {
    #[serde(rename = "multi-phase")]
    MultiPhase,
    #[serde(rename = "single-phase")]
    SinglePhase,
    /// 3.15's `PyModExport_` hook.
    #[serde(rename = "export")]
    Export,
}

impl InitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InitKind::MultiPhase => "multi-phase",
            InitKind::SinglePhase => "single-phase",
            InitKind::Export => "export",
        }
    }
}

/// The module's effective `Py_mod_gil` declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gil {
    NotUsed,
    Used,
}

/// One slot as written in the module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotReport {
    pub id: i32,
    pub name: Option<String>,
    pub value: String,
}

/// A finding CPython does not report but users need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lint {
    pub code: String,
    pub message: String,
}

/// An error raised while inspecting or loading one module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReport {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    /// The exception chained as `__cause__` (CPython's "raised unreported exception" errors
    /// chain the exception the module left set); absent from the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<ErrorCause>,
}

/// The `__cause__` of an error: its type and message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCause {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    /// This cause's own `__cause__` (pybind11's `raise_from` chains twice: matplotlib's
    /// `_tkagg` raises `initialization failed` from `failed to load tkinter functions` from the
    /// failed import); absent from the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Box<ErrorCause>>,
}

impl ErrorReport {
    pub fn new(kind: &str, message: impl Into<String>) -> ErrorReport {
        ErrorReport {
            kind: kind.to_string(),
            message: message.into(),
            cause: None,
        }
    }

    /// The same error with `cause` as its `__cause__`.
    pub fn caused_by(mut self, cause: &ErrorReport) -> ErrorReport {
        self.cause = Some(ErrorCause {
            kind: cause.kind.clone(),
            message: cause.message.clone(),
            cause: cause.cause.clone().map(Box::new),
        });
        self
    }
}

impl std::fmt::Display for ErrorReport {
    /// `TYPE: MESSAGE`, then ` (caused by TYPE: MESSAGE)` for each cause in the chain.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)?;
        let mut c = self.cause.as_ref();
        while let Some(e) = c {
            write!(f, " (caused by {}: {})", e.kind, e.message)?;
            c = e.cause.as_deref();
        }
        Ok(())
    }
}

/// `"ok"`, `"error"` or `"undetermined"` (the init could not finish in gilgate and left no
/// declaration evidence: see [`Evidence`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Error,
    Undetermined,
}

/// One `PyUnstable_Module_SetGIL` call made during an init.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetGilReport {
    /// The `__name__` of the module it was called on (null when it had none).
    pub module: Option<String>,
    /// `Py_MOD_GIL_USED`, `Py_MOD_GIL_NOT_USED`, or the pointer value in hex.
    pub value: String,
}

impl SetGilReport {
    /// The report of a call with this raw value.
    pub fn new(module: Option<String>, value: u64) -> SetGilReport {
        let value = match value {
            0 => "Py_MOD_GIL_USED".to_string(),
            1 => "Py_MOD_GIL_NOT_USED".to_string(),
            v => format!("{v:#x}"),
        };
        SetGilReport { module, value }
    }
}

/// What is known about a module whose init could not finish in gilgate: it needed a Python
/// module gilgate cannot provide, a C API function gilgate does not implement yet, or it
/// crashed, exited or hung. When the init declared its lock use before it stopped (a
/// `PyUnstable_Module_SetGIL` call on the module, or a returned definition's slots), the row
/// carries that verdict with `init_complete: false`; otherwise the row is `undetermined`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Why the init could not finish (`needs Python module numpy`, `init crashed (signal 11,
    /// SIGSEGV)`, ...).
    pub reason: String,
    /// The error that stopped it.
    pub stopped_by: ErrorReport,
    /// Whether the file imports `PyUnstable_Module_SetGIL` (its ELF dynamic symbols; null when
    /// unreadable). A hint only: pybind11 modules import it and call it only when asked to.
    pub imports_setgil: Option<bool>,
    /// The `PyUnstable_Module_SetGIL` calls made before it stopped, on any module.
    pub setgil_calls: Vec<SetGilReport>,
    /// Where the verdict comes from, when there is one (`PyUnstable_Module_SetGIL(m,
    /// Py_MOD_GIL_NOT_USED)`, `the Py_mod_gil slot of its definition`, ...).
    pub verdict_from: Option<String>,
}

/// What a module declares, as found by running its init and create (the worker's answer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub target: Option<Target>,
    pub init: Option<InitKind>,
    pub gil: Option<Gil>,
    pub gil_declared: Option<bool>,
    pub multiple_interpreters: Option<String>,
    pub slots: Vec<SlotReport>,
    pub lints: Vec<Lint>,
    pub error: Option<ErrorReport>,
    /// False when the init could not finish in gilgate (see [`Evidence`]).
    #[serde(default = "yes")]
    pub init_complete: bool,
    #[serde(default)]
    pub evidence: Option<Evidence>,
}

fn yes() -> bool {
    true
}

impl Declaration {
    /// A declaration that is only an error.
    pub fn failed(target: Option<Target>, error: ErrorReport) -> Declaration {
        Declaration {
            target,
            init: None,
            gil: None,
            gil_declared: None,
            multiple_interpreters: None,
            slots: Vec::new(),
            lints: Vec::new(),
            error: Some(error),
            init_complete: true,
            evidence: None,
        }
    }

    /// The row status this declaration gives.
    pub fn status(&self) -> Status {
        if self.error.is_some() {
            Status::Error
        } else if self.evidence.is_some() && self.gil.is_none() {
            Status::Undetermined
        } else {
            Status::Ok
        }
    }
}

/// One row of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleReport {
    pub name: String,
    pub path: String,
    pub abi_tag: Option<String>,
    pub target: Option<Target>,
    pub init: Option<InitKind>,
    pub gil: Option<Gil>,
    pub gil_declared: Option<bool>,
    pub requires_gil: Option<bool>,
    pub multiple_interpreters: Option<String>,
    pub slots: Vec<SlotReport>,
    pub lints: Vec<Lint>,
    pub status: Status,
    pub error: Option<ErrorReport>,
    /// False when the init could not finish in gilgate: the verdict (if any) comes from the
    /// declaration seen before it stopped ("init incomplete").
    pub init_complete: bool,
    /// What is known when the init could not finish (null otherwise).
    pub evidence: Option<Evidence>,
    /// Under `--gil module`: the module requires the lock, and gets the per-module lock (held
    /// around its code only) rather than the process's. Absent from JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_module_lock: bool,
}

impl ModuleReport {
    /// The row for a module: its declaration (or error) and the verdict `requires_gil` (`None`
    /// on error). The multiple-interpreters value is a multi-phase notion; single-phase rows
    /// leave it out.
    pub fn new(
        name: &str,
        path: &str,
        abi_tag: Option<String>,
        d: Declaration,
        requires_gil: Option<bool>,
    ) -> ModuleReport {
        let status = d.status();
        ModuleReport {
            name: name.to_string(),
            path: path.to_string(),
            abi_tag,
            target: d.target,
            init: d.init,
            gil: d.gil,
            gil_declared: d.gil_declared,
            requires_gil,
            multiple_interpreters: if d.init == Some(InitKind::SinglePhase) {
                None
            } else {
                d.multiple_interpreters
            },
            status,
            slots: d.slots,
            lints: d.lints,
            error: d.error,
            init_complete: d.init_complete,
            evidence: d.evidence,
            per_module_lock: false,
        }
    }
}

/// Totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Summary {
    pub modules: usize,
    pub free_threaded: usize,
    pub requires_gil: usize,
    /// Verdicts (counted in `free_threaded` or `requires_gil`) of inits that could not finish.
    pub init_incomplete: usize,
    pub undetermined: usize,
    pub errors: usize,
}

/// One wheel inspected (given, or found in a folder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WheelReport {
    /// As rows show it before the `!`.
    pub path: String,
    /// How many extension modules it holds (its rows).
    pub modules: usize,
    /// No extension module at all: nothing to inspect, and nothing that could enable the lock.
    pub pure_python: bool,
}

/// A file found by searching a folder or a wheel that is not a module (a plain shared
/// library): no row, no error, one note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// As rows show paths (`dist/x.whl!pkg/_lib.abi3.so`).
    pub path: String,
    /// Why it is not a module.
    pub reason: String,
}

impl Skipped {
    /// A file that exports no module hook.
    pub fn not_a_module(path: String) -> Skipped {
        Skipped {
            path,
            reason: crate::discover::NOT_A_MODULE.to_string(),
        }
    }
}

/// The whole `inspect` report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Report {
    pub modules: Vec<ModuleReport>,
    pub summary: Summary,
    /// Every wheel read; absent from the JSON when no wheel was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wheels: Vec<WheelReport>,
    /// Files found by searching that are not modules; absent from the JSON when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// Which protections the inspection workers ran under (`null` when no worker ran).
    #[serde(default)]
    pub sandbox: Option<crate::sandbox::SandboxReport>,
    /// Notes that are not about one module (skipped wheel members); not part of the JSON.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Report {
    /// Recomputes the summary from the rows.
    pub fn finish(&mut self) {
        let mut s = Summary {
            modules: self.modules.len(),
            ..Summary::default()
        };
        for m in &self.modules {
            match (m.status, m.requires_gil) {
                (Status::Error, _) => s.errors += 1,
                (Status::Undetermined, _) => s.undetermined += 1,
                (Status::Ok, Some(true)) => s.requires_gil += 1,
                (Status::Ok, _) => s.free_threaded += 1,
            }
            if m.status == Status::Ok && !m.init_complete {
                s.init_incomplete += 1;
            }
        }
        self.summary = s;
    }

    /// The JSON document (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports serialize")
    }

    /// Names of the modules that enable the lock.
    pub fn lock_enablers(&self) -> Vec<&str> {
        self.modules
            .iter()
            .filter(|m| m.status == Status::Ok && m.requires_gil == Some(true))
            .map(|m| m.name.as_str())
            .collect()
    }

    /// The human report: a table, lints and errors one line each, then the summary line.
    pub fn to_human(&self) -> String {
        let headers = ["MODULE", "TARGET", "INIT", "GIL", "VERDICT"];
        let rows: Vec<[String; 5]> = self.modules.iter().map(row).collect();
        let mut widths = headers.map(str::len);
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r.iter()) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        let mut line = |cells: &[String]| {
            let mut l = String::new();
            for (i, c) in cells.iter().enumerate() {
                if i + 1 == cells.len() {
                    l.push_str(c);
                } else {
                    l.push_str(c);
                    l.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
                }
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        if !rows.is_empty() || self.wheels.is_empty() {
            line(&headers.map(String::from));
            for r in &rows {
                line(r);
            }
        }
        let mut notes = String::new();
        for w in self.wheels.iter().filter(|w| w.pure_python) {
            notes.push_str(&format!("{}: pure Python: nothing to inspect\n", w.path));
        }
        for f in &self.skipped {
            notes.push_str(&format!("{}: {}: skipped\n", f.path, f.reason));
        }
        for m in &self.modules {
            for l in &m.lints {
                notes.push_str(&format!(
                    "lint {} in {} ({}): {}\n",
                    l.code, m.name, m.path, l.message
                ));
            }
        }
        for m in &self.modules {
            if let (Some(ev), None) = (&m.evidence, &m.error) {
                notes.push_str(&evidence_note(m, ev));
            }
        }
        for m in &self.modules {
            if let Some(e) = &m.error {
                notes.push_str(&format!("error: {} ({}): {e}\n", m.name, m.path));
            }
        }
        if !notes.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&notes);
        }
        out.push('\n');
        // The sandbox's line comes just before the summary, which stays the last line.
        if let Some(s) = &self.sandbox {
            out.push_str(&s.human_line());
            out.push('\n');
        }
        out.push_str(&self.summary_line());
        out.push('\n');
        out
    }

    /// `3 modules: 1 keeps the host free-threaded, 1 enables the lock (a.b), 1 error.`
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let mut parts = vec![plural(
            s.free_threaded,
            "keeps the host free-threaded",
            "keep the host free-threaded",
        )];
        let (per_module, enablers): (Vec<&str>, Vec<&str>) =
            self.lock_enablers().into_iter().partition(|n| {
                self.modules
                    .iter()
                    .any(|m| m.name == *n && m.per_module_lock)
            });
        if !per_module.is_empty() {
            parts.push(format!(
                "{} ({})",
                plural(
                    per_module.len(),
                    "runs under the per-module lock",
                    "run under the per-module lock"
                ),
                per_module.join(", ")
            ));
        }
        if enablers.is_empty() && per_module.is_empty() {
            parts.push("none enables the lock".into());
        } else if !enablers.is_empty() {
            parts.push(format!(
                "{} ({})",
                plural(enablers.len(), "enables the lock", "enable the lock"),
                enablers.join(", ")
            ));
        }
        if s.undetermined > 0 {
            parts.push(format!("{} undetermined", s.undetermined));
        }
        parts.push(plural(s.errors, "error", "errors"));
        let incomplete = if s.init_incomplete > 0 {
            format!(
                "; {} from an init that could not finish (init incomplete)",
                plural(s.init_incomplete, "verdict comes", "verdicts come")
            )
        } else {
            String::new()
        };
        format!(
            "{}: {}{incomplete}.",
            plural(s.modules, "module", "modules"),
            parts.join(", ")
        )
    }
}

fn row(m: &ModuleReport) -> [String; 5] {
    let dash = || "-".to_string();
    let verdict = match (&m.error, m.requires_gil) {
        (Some(e), _) => format!("error: {}", e.kind),
        (None, None) if m.status == Status::Undetermined => "undetermined".to_string(),
        (None, Some(true)) if m.per_module_lock => {
            if m.gil_declared == Some(true) {
                "per-module lock (declared: used)".to_string()
            } else {
                "per-module lock (undeclared)".to_string()
            }
        }
        (None, Some(true)) => {
            if m.lints
                .iter()
                .any(|l| l.code == "create-returned-non-module")
            {
                "enables the lock (create returned a non-module)".to_string()
            } else if m.gil_declared == Some(true) {
                "enables the lock (declared: used)".to_string()
            } else {
                "enables the lock (undeclared)".to_string()
            }
        }
        (None, Some(false)) => {
            if m.gil == Some(Gil::Used) {
                "lock kept off by policy".to_string()
            } else {
                "free-threaded".to_string()
            }
        }
        (None, None) => dash(),
    };
    let verdict = if m.init_complete || m.status != Status::Ok {
        verdict
    } else {
        format!("{verdict} (init incomplete)")
    };
    let verdict = if m.lints.is_empty() {
        verdict
    } else {
        let codes: Vec<&str> = m.lints.iter().map(|l| l.code.as_str()).collect();
        format!("{verdict} [{}]", codes.join(", "))
    };
    [
        m.name.clone(),
        m.target
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(dash),
        m.init.map(|i| i.as_str().to_string()).unwrap_or_else(dash),
        match m.gil {
            Some(Gil::NotUsed) => "not_used".into(),
            Some(Gil::Used) => "used".into(),
            None => dash(),
        },
        verdict,
    ]
}

/// The note line of a row whose init could not finish: `init incomplete: ...` (with the
/// source of its verdict) or `undetermined: ...` (with what is known).
fn evidence_note(m: &ModuleReport, ev: &Evidence) -> String {
    let mut known = Vec::new();
    if !ev.setgil_calls.is_empty() {
        let calls: Vec<String> = ev
            .setgil_calls
            .iter()
            .map(|c| {
                format!(
                    "PyUnstable_Module_SetGIL({}, {})",
                    c.module.as_deref().unwrap_or("<nameless module>"),
                    c.value
                )
            })
            .collect();
        known.push(format!("calls: {}", calls.join(", ")));
    }
    match ev.imports_setgil {
        Some(true) => known.push(
            "the file imports PyUnstable_Module_SetGIL (a hint only: it may call it only when asked)"
                .to_string(),
        ),
        Some(false) => known.push("the file does not import PyUnstable_Module_SetGIL".to_string()),
        None => {}
    }
    // The reason, then the error that stopped the init when it says more than the reason.
    let why = if ev.reason == ev.stopped_by.message {
        ev.reason.clone()
    } else {
        format!("{} ({})", ev.reason, ev.stopped_by)
    };
    match &ev.verdict_from {
        Some(from) => format!(
            "init incomplete: {} ({}): {why}; verdict from {from}\n",
            m.name, m.path
        ),
        None => format!(
            "undetermined: {} ({}): {why}; no declaration seen before it stopped{}\n",
            m.name,
            m.path,
            if known.is_empty() {
                String::new()
            } else {
                format!("; {}", known.join("; "))
            }
        ),
    }
}
