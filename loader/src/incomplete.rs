//! Verdicts of inits that cannot finish in gilgate (issue 7 item 5).
//!
//! An init may stop on something gilgate does not provide (a Python module such as numpy's
//! package, a C API function not implemented yet) or crash, exit or hang (a 3.13t module's
//! inline macros run against 3.13t's layouts). CPython, with the whole interpreter, would
//! finish it, so its error is not the module's answer. What the init declared before it
//! stopped still is: a `PyUnstable_Module_SetGIL` call on the module (single-phase modules
//! such as bottleneck's and pybind11's call it before they import numpy), or the slots of the
//! definition it returned (multi-phase). That becomes the verdict, marked "init incomplete";
//! with no such declaration the module is `undetermined`, with what is known as evidence.

use crate::names::Target;
use crate::report::{Declaration, ErrorReport, Evidence, Gil, InitKind, SetGilReport, SlotReport};
use serde::{Deserialize, Serialize};

/// What an init showed of its declaration before it stopped: streamed by the inspection
/// worker as it happens, so that a crash later in the same init does not lose it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Seen {
    /// `PyUnstable_Module_SetGIL` calls, in order: the module's `__name__` and the value.
    pub setgil: Vec<(Option<String>, u64)>,
    /// The definition the hook returned (multi-phase or 3.15 export), before create ran.
    pub def: Option<DefSeen>,
    /// The hook was about to be called (the file was opened and the hook found): a crash
    /// before that is the file's (dlopen of a broken file), not the init's.
    pub hook_called: bool,
}

/// A definition returned by a hook, read before its create slot runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DefSeen {
    pub init: InitKind,
    pub target: Target,
    pub slots: Vec<SlotReport>,
    pub multiple_interpreters: Option<String>,
    /// The value of its `Py_mod_gil` slot; None when it has none.
    pub gil_slot: Option<u64>,
}

/// Whether a `Py_mod_gil` value (slot or `PyUnstable_Module_SetGIL`) leaves the lock
/// required under `target`'s rules: 3.13t/3.14t compare with `Py_MOD_GIL_USED` (NULL), 3.15t
/// with `Py_MOD_GIL_NOT_USED` (1).
fn value_requires_gil(value: u64, target: Target) -> bool {
    gilgate_capi::host::gil_value_requires_gil(value as usize, target.to_capi())
}

/// What the imports made during an init showed: the modules gilgate could not provide
/// (Python source, or nothing) and every import that failed, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Imports {
    pub unprovided: Vec<String>,
    pub failed: Vec<String>,
}

/// Why an init that ended in `error` could not finish in gilgate, or None when the error is
/// the module's own answer (CPython would raise it too).
pub(crate) fn reason(error: &ErrorReport, imports: &Imports) -> Option<String> {
    let unprovided = &imports.unprovided;
    match error.kind.as_str() {
        "WorkerCrash" | "Timeout" => return Some(error.message.clone()),
        _ => {}
    }
    if error.kind == "SystemError"
        && let Some(name) = error
            .message
            .strip_prefix("gilgate: ")
            .and_then(|m| m.strip_suffix(" is not implemented"))
    {
        return Some(format!("gilgate does not implement {name} yet"));
    }
    // The last failed import is the one the init stopped on (earlier ones, such as SWIG's
    // probe for a shared runtime module, may have been optional).
    if let Some(one) = unprovided.last() {
        return Some(format!(
            "needs Python module {one}, which gilgate cannot provide"
        ));
    }
    // An extension module it imports could not be loaded here (its own init stopped, or it
    // was already initialised in this inspection worker, which numpy refuses).
    imports
        .failed
        .last()
        .map(|one| format!("its import of {one} failed in gilgate"))
}

/// Turns a failed init into an "init incomplete" verdict or an `undetermined` row when its
/// error is not the module's own answer (see [`reason`]); returns `decl` unchanged otherwise.
pub(crate) fn settle(
    mut decl: Declaration,
    name: &str,
    target: Target,
    seen: &Seen,
    imports_setgil: Option<bool>,
    imports: &Imports,
) -> Declaration {
    let Some(error) = decl.error.clone() else {
        return decl;
    };
    let Some(why) = reason(&error, imports) else {
        return decl;
    };
    let short = name.rsplit('.').next().unwrap_or(name);
    // The last call on this module (its `__name__` is the full name, or the short one when
    // the init named it so).
    let call = seen
        .setgil
        .iter()
        .rev()
        .find(|(m, _)| m.as_deref() == Some(name) || m.as_deref() == Some(short));
    let mut verdict_from = None;
    if let Some((m, v)) = call {
        let shown = SetGilReport::new(m.clone(), *v);
        decl.gil = Some(if value_requires_gil(*v, target) {
            Gil::Used
        } else {
            Gil::NotUsed
        });
        decl.gil_declared = Some(true);
        if decl.init.is_none() {
            decl.init = Some(InitKind::SinglePhase);
        }
        verdict_from = Some(format!(
            "PyUnstable_Module_SetGIL({}, {}) before it stopped",
            m.as_deref().unwrap_or(name),
            shown.value
        ));
    } else if let Some(def) = &seen.def {
        decl.init = Some(def.init);
        decl.target = Some(def.target);
        decl.slots = def.slots.clone();
        decl.multiple_interpreters = def.multiple_interpreters.clone();
        let requires = def
            .gil_slot
            .is_none_or(|v| value_requires_gil(v, def.target));
        decl.gil = Some(if requires { Gil::Used } else { Gil::NotUsed });
        decl.gil_declared = Some(def.gil_slot.is_some());
        verdict_from = Some(match def.gil_slot {
            Some(v) => format!(
                "the Py_mod_gil slot of the definition its hook returned ({})",
                SetGilReport::new(None, v).value
            ),
            None => "the definition its hook returned, which has no Py_mod_gil slot".to_string(),
        });
    }
    decl.error = None;
    decl.init_complete = false;
    decl.evidence = Some(Evidence {
        reason: why,
        stopped_by: error,
        imports_setgil,
        setgil_calls: seen
            .setgil
            .iter()
            .map(|(m, v)| SetGilReport::new(m.clone(), *v))
            .collect(),
        verdict_from,
    });
    decl
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(kind: &str, msg: &str) -> Declaration {
        Declaration::failed(Some(Target::Cp314t), ErrorReport::new(kind, msg))
    }

    #[test]
    fn reasons() {
        let crash = ErrorReport::new("WorkerCrash", "init crashed (signal 11, SIGSEGV)");
        assert_eq!(
            reason(&crash, &Imports::default()).as_deref(),
            Some("init crashed (signal 11, SIGSEGV)")
        );
        let stub = ErrorReport::new("SystemError", "gilgate: PyFoo_Bar is not implemented");
        assert_eq!(
            reason(&stub, &Imports::default()).as_deref(),
            Some("gilgate does not implement PyFoo_Bar yet")
        );
        let own = ErrorReport::new("SystemError", "module m uses unknown slot ID 99");
        assert_eq!(reason(&own, &Imports::default()), None);
        let imp = ErrorReport::new("ImportError", "numpy._core.multiarray failed to import");
        assert_eq!(
            reason(
                &imp,
                &Imports {
                    unprovided: vec!["swig_runtime_data4".into(), "numpy".into()],
                    failed: vec!["numpy".into()],
                }
            )
            .as_deref(),
            Some("needs Python module numpy, which gilgate cannot provide")
        );
        let nested = Imports {
            unprovided: Vec::new(),
            failed: vec!["numpy._core._multiarray_umath".into()],
        };
        assert_eq!(
            reason(&imp, &nested).as_deref(),
            Some("its import of numpy._core._multiarray_umath failed in gilgate")
        );
    }

    #[test]
    fn setgil_before_the_failure_is_the_verdict() {
        let seen = Seen {
            setgil: vec![(Some("other".into()), 0), (Some("pkg.m".into()), 1)],
            def: None,
            hook_called: true,
        };
        let d = settle(
            failed("ModuleNotFoundError", "No module named 'numpy'"),
            "pkg.m",
            Target::Cp314t,
            &seen,
            Some(true),
            &Imports {
                unprovided: vec!["numpy".into()],
                failed: vec!["numpy".into()],
            },
        );
        assert_eq!(d.status(), crate::report::Status::Ok);
        assert_eq!(d.gil, Some(Gil::NotUsed));
        assert!(!d.init_complete);
        assert_eq!(d.init, Some(InitKind::SinglePhase));
        let ev = d.evidence.unwrap();
        assert_eq!(ev.setgil_calls.len(), 2);
        assert!(ev.verdict_from.unwrap().contains("Py_MOD_GIL_NOT_USED"));
        // A call on another module only is no declaration of this one.
        let d = settle(
            failed("WorkerCrash", "init crashed (signal 6, SIGABRT)"),
            "pkg.x",
            Target::Cp314t,
            &seen,
            Some(true),
            &Imports::default(),
        );
        assert_eq!(d.status(), crate::report::Status::Undetermined);
        assert_eq!(d.gil, None);
    }

    #[test]
    fn own_errors_stay_errors_and_defs_give_verdicts() {
        let d = settle(
            failed("ValueError", "refuses"),
            "m",
            Target::Cp314t,
            &Seen::default(),
            None,
            &Imports::default(),
        );
        assert_eq!(d.status(), crate::report::Status::Error);
        let seen = Seen {
            setgil: Vec::new(),
            def: Some(DefSeen {
                init: InitKind::MultiPhase,
                target: Target::Cp315t,
                slots: Vec::new(),
                multiple_interpreters: None,
                gil_slot: Some(1),
            }),
            hook_called: true,
        };
        let d = settle(
            failed("Timeout", "init did not return within 10 s"),
            "m",
            Target::Cp315t,
            &seen,
            None,
            &Imports::default(),
        );
        assert_eq!(d.gil, Some(Gil::NotUsed));
        assert_eq!(d.gil_declared, Some(true));
        assert!(!value_requires_gil(2, Target::Cp314t));
        assert!(value_requires_gil(2, Target::Cp315t));
    }
}
