//! The global lock: CPython's counter, the policies and the per-module decision.
//!
//! The counter follows free-threaded CPython: 0 is off, `1..INT_MAX-1` counts transient
//! requests (the lock is held while an init and create run), `INT_MAX` is on for good.
//!
//! There is one lock per process (gilgate-capi's `ceval_gil`, reached through
//! `gilgate_capi::host::lock_*`) and one policy: the first host that loads a module fixes it
//! ([`fix_process_policy`]); a later host with another policy gets [`PolicyConflict`].
//! [`LockState`] is the counter as a value (a snapshot of the process's lock, and the state
//! machine the unit tests drive); [`ProcessLock`] applies decisions to the real lock.

use serde::{Deserialize, Serialize};

const PERMANENT: i32 = i32::MAX;

/// The text CPython prints (after `RuntimeWarning: `) when a module enables the lock.
pub fn warning_text(full_name: &str) -> String {
    format!(
        "The global interpreter lock (GIL) has been enabled to load module '{full_name}', which has not declared that it can run safely without the GIL. To override this behavior and keep the GIL disabled (at your own risk), run with PYTHON_GIL=0 or -Xgil=0."
    )
}

/// How the host treats modules that do not declare that they run without the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// CPython 3.14t's default: an undeclared module enables the lock for good, with a warning.
    #[default]
    Auto,
    /// The lock is always on (`PYTHON_GIL=1`).
    On,
    /// The lock is never enabled (`PYTHON_GIL=0`).
    Off,
    /// The process's lock is never enabled; a per-module lock (one, shared, re-entrant and
    /// fair) is held while code of an undeclared module runs (gilgate-capi's `module_lock`).
    Module,
    /// Undeclared modules are refused, except those named in the allow list.
    Error,
}

impl Policy {
    /// Parses a policy name.
    pub fn parse(s: &str) -> Option<Policy> {
        Some(match s {
            "auto" => Policy::Auto,
            "on" => Policy::On,
            "off" => Policy::Off,
            "module" => Policy::Module,
            "error" => Policy::Error,
            _ => return None,
        })
    }

    /// The policy's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Auto => "auto",
            Policy::On => "on",
            Policy::Off => "off",
            Policy::Module => "module",
            Policy::Error => "error",
        }
    }
}

/// Where the active policy came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicySource {
    Flag,
    GilgateGil,
    PythonGil,
    Default,
}

/// A configuration error (the CLI exits 64).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("PYTHON_GIL must be \"0\" or \"1\" (or empty), not {0:?}")]
    PythonGil(String),
    #[error("GILGATE_GIL must be one of auto, on, off, module, error (or empty), not {0:?}")]
    GilgateGil(String),
    #[error("--gil must be one of auto, on, off, module, error, not {0:?}")]
    Flag(String),
}

/// Picks the policy: the CLI flag, then `GILGATE_GIL`, then `PYTHON_GIL` (`0`/`1`; empty means
/// unset; anything else is an error), then `auto`. Every given value is checked, even one that
/// a higher source overrides.
pub fn resolve_policy(
    flag: Option<&str>,
    gilgate_gil: Option<&str>,
    python_gil: Option<&str>,
) -> Result<(Policy, PolicySource), ConfigError> {
    let python = match python_gil {
        None | Some("") => None,
        Some("0") => Some(Policy::Off),
        Some("1") => Some(Policy::On),
        Some(other) => return Err(ConfigError::PythonGil(other.to_string())),
    };
    let gilgate = match gilgate_gil {
        None | Some("") => None,
        Some(v) => Some(Policy::parse(v).ok_or_else(|| ConfigError::GilgateGil(v.to_string()))?),
    };
    let flag = match flag {
        None => None,
        Some(v) => Some(Policy::parse(v).ok_or_else(|| ConfigError::Flag(v.to_string()))?),
    };
    Ok(if let Some(p) = flag {
        (p, PolicySource::Flag)
    } else if let Some(p) = gilgate {
        (p, PolicySource::GilgateGil)
    } else if let Some(p) = python {
        (p, PolicySource::PythonGil)
    } else {
        (Policy::Auto, PolicySource::Default)
    })
}

/// Reads the policy from the flag and this process's environment.
pub fn policy_from_env(flag: Option<&str>) -> Result<(Policy, PolicySource), ConfigError> {
    let g = std::env::var("GILGATE_GIL").ok();
    let p = std::env::var("PYTHON_GIL").ok();
    resolve_policy(flag, g.as_deref(), p.as_deref())
}

/// A host asked for another policy than the one the process runs under.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the lock policy of this process is already '{fixed}' (set by the first host); a host cannot use '{requested}' as well (one lock and one policy per process)"
)]
pub struct PolicyConflict {
    /// The policy in force.
    pub fixed: Policy,
    /// The policy asked for.
    pub requested: Policy,
}

impl std::fmt::Display for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

static PROCESS_POLICY: std::sync::Mutex<Option<Policy>> = std::sync::Mutex::new(None);

/// The process's policy, once a host fixed it.
pub fn process_policy() -> Option<Policy> {
    *PROCESS_POLICY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Fixes the process's policy (the first call wins) and configures the process's lock from it
/// (`on`: on for good, `off` and `module`: never on, `auto` and `error`: switched by imports).
/// The runtime must be initialised.
pub fn fix_process_policy(policy: Policy) -> Result<(), PolicyConflict> {
    let mut p = PROCESS_POLICY.lock().unwrap_or_else(|e| e.into_inner());
    match *p {
        Some(fixed) if fixed == policy => return Ok(()),
        Some(fixed) => {
            return Err(PolicyConflict {
                fixed,
                requested: policy,
            });
        }
        None => *p = Some(policy),
    }
    drop(p);
    use gilgate_capi::host::GilConfig;
    let config = match policy {
        Policy::On => GilConfig::Enable,
        Policy::Off | Policy::Module => GilConfig::Disable,
        Policy::Auto | Policy::Error => GilConfig::Default,
    };
    // A configuration made outside the loader (a test driving the runtime directly) wins.
    let _ = gilgate_capi::host::lock_configure(config);
    if policy == Policy::Module {
        gilgate_capi::host::module_lock_activate();
    }
    Ok(())
}

/// What a lock decision changes: the counter's transitions.
pub trait LockOps {
    /// Drops one transient request; true when the lock went off.
    fn disable(&mut self) -> bool;
    /// On for good; true when this call made it permanent.
    fn enable_permanent(&mut self) -> bool;
}

/// The process's lock, as [`decide`] changes it.
pub struct ProcessLock;

impl LockOps for ProcessLock {
    fn disable(&mut self) -> bool {
        gilgate_capi::host::lock_disable()
    }
    fn enable_permanent(&mut self) -> bool {
        gilgate_capi::host::lock_enable_permanent()
    }
}

impl LockOps for LockState {
    fn disable(&mut self) -> bool {
        LockState::disable(self)
    }
    fn enable_permanent(&mut self) -> bool {
        LockState::enable_permanent(self)
    }
}

/// The lock's state: CPython's counter plus whether the configuration fixed it.
#[derive(Debug, Clone)]
pub struct LockState {
    counter: i32,
    /// The `module` policy: the per-module lock stands in for the process's.
    per_module: bool,
    /// `Some` when the policy fixes the lock (`on`/`off`): the counter functions do nothing,
    /// like CPython with `PYTHON_GIL` set.
    fixed: Option<bool>,
}

impl LockState {
    /// The initial state for a policy.
    pub fn new(policy: Policy) -> LockState {
        match policy {
            Policy::On => LockState {
                counter: PERMANENT,
                per_module: false,
                fixed: Some(true),
            },
            Policy::Off | Policy::Module => LockState {
                counter: 0,
                per_module: policy == Policy::Module,
                fixed: Some(false),
            },
            Policy::Auto | Policy::Error => LockState {
                counter: 0,
                per_module: false,
                fixed: None,
            },
        }
    }

    /// The process's lock now, under `policy`; before any host fixed the process's policy,
    /// the state `policy` starts with.
    pub fn of_process(policy: Policy) -> LockState {
        let mut s = LockState::new(policy);
        if process_policy().is_some() {
            s.counter = gilgate_capi::host::lock_counter();
        }
        s
    }

    /// Whether the lock is held (a transient request counts).
    pub fn enabled(&self) -> bool {
        self.counter != 0
    }

    /// Whether the lock is on for good.
    pub fn permanent(&self) -> bool {
        self.counter == PERMANENT
    }

    /// The raw counter (for tests and reports).
    pub fn counter(&self) -> i32 {
        self.counter
    }

    /// A transient request; true when this call turned the lock on.
    pub fn enable_transient(&mut self) -> bool {
        if self.fixed.is_some() || self.counter == PERMANENT {
            return false;
        }
        assert!(
            self.counter != PERMANENT - 1,
            "Too many transient requests to enable the GIL"
        );
        let was_off = self.counter == 0;
        self.counter += 1;
        was_off
    }

    /// On for good; true when this call made it permanent (which is when CPython warns).
    pub fn enable_permanent(&mut self) -> bool {
        if self.fixed.is_some() || self.counter == PERMANENT {
            return false;
        }
        self.counter = PERMANENT;
        true
    }

    /// Drops one transient request; true when the lock went off.
    pub fn disable(&mut self) -> bool {
        if self.fixed.is_some() || self.counter == PERMANENT || self.counter == 0 {
            return false;
        }
        self.counter -= 1;
        self.counter == 0
    }

    /// Whether the `module` policy's per-module lock is in force (the process's lock is off).
    pub fn per_module(&self) -> bool {
        self.per_module
    }

    /// What `load` shows: `lock off`, `lock on`, `lock on (transient)`, or `per-module lock`
    /// under the `module` policy.
    pub fn summary(&self) -> String {
        if self.per_module && self.counter == 0 {
            "per-module lock".to_string()
        } else {
            format!("lock {}", self.describe())
        }
    }

    /// Human form of the process's lock: `off`, `on`, `on (transient)`.
    pub fn describe(&self) -> &'static str {
        if self.counter == 0 {
            "off"
        } else if self.counter == PERMANENT {
            "on"
        } else {
            "on (transient)"
        }
    }
}

/// What the decision after create did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The module declared it runs without the lock; the transient request was dropped.
    Declared,
    /// The module is undeclared: the lock is now on for good; `warn` when this was the change
    /// that CPython warns about.
    Enabled { warn: bool },
    /// Undeclared, but the policy keeps the lock as it is (`off`, `on`, `module`).
    Kept,
    /// `error` policy: the module is refused.
    Refused,
    /// Init or create failed: the transient request was undone.
    Failed,
}

/// The per-module lock decision (`_PyImport_CheckGILForModule`), applied to `state`.
/// `outcome` is `None` when init or create failed, else whether the module requires the lock.
pub fn decide(
    state: &mut impl LockOps,
    policy: Policy,
    outcome: Option<bool>,
    allowed: bool,
) -> Decision {
    match outcome {
        None => {
            state.disable();
            Decision::Failed
        }
        Some(false) => {
            state.disable();
            Decision::Declared
        }
        Some(true) => match policy {
            Policy::Error if !allowed => {
                state.disable();
                Decision::Refused
            }
            Policy::Auto | Policy::Error => Decision::Enabled {
                warn: state.enable_permanent(),
            },
            Policy::On | Policy::Off | Policy::Module => Decision::Kept,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        assert_eq!(resolve_policy(None, None, None).unwrap().0, Policy::Auto);
        assert_eq!(
            resolve_policy(None, None, Some("")).unwrap().0,
            Policy::Auto
        );
        assert_eq!(
            resolve_policy(None, None, Some("0")).unwrap().0,
            Policy::Off
        );
        assert_eq!(resolve_policy(None, None, Some("1")).unwrap().0, Policy::On);
        assert_eq!(
            resolve_policy(None, Some("error"), Some("1")).unwrap(),
            (Policy::Error, PolicySource::GilgateGil)
        );
        assert_eq!(
            resolve_policy(Some("off"), Some("on"), Some("1")).unwrap(),
            (Policy::Off, PolicySource::Flag)
        );
        assert_eq!(
            resolve_policy(None, Some(""), Some("0")).unwrap().0,
            Policy::Off
        );
        for bad in ["2", "01", "true", " 1"] {
            assert_eq!(
                resolve_policy(None, None, Some(bad)),
                Err(ConfigError::PythonGil(bad.into()))
            );
        }
        assert!(resolve_policy(Some("off"), None, Some("2")).is_err());
        assert!(resolve_policy(None, Some("maybe"), None).is_err());
        assert!(resolve_policy(Some("sometimes"), None, None).is_err());
    }

    #[test]
    fn counter_transitions() {
        let mut s = LockState::new(Policy::Auto);
        assert!(!s.enabled());
        assert!(s.enable_transient());
        assert!(!s.enable_transient());
        assert_eq!(s.counter(), 2);
        assert!(!s.disable());
        assert!(s.disable());
        assert!(!s.enabled());
        assert!(!s.disable(), "disabling an off lock does nothing");
        s.enable_transient();
        assert!(s.enable_permanent());
        assert!(
            !s.enable_permanent(),
            "only the first change to permanent reports"
        );
        assert!(!s.disable());
        assert!(!s.enable_transient());
        assert!(s.permanent());
    }

    #[test]
    fn fixed_policies_ignore_requests() {
        let mut on = LockState::new(Policy::On);
        assert!(on.permanent());
        assert!(!on.enable_permanent());
        assert!(!on.disable());
        let mut off = LockState::new(Policy::Off);
        assert!(!off.enable_transient());
        assert!(!off.enable_permanent());
        assert!(!off.enabled());
    }

    #[test]
    fn decisions() {
        let mut s = LockState::new(Policy::Auto);
        s.enable_transient();
        assert_eq!(decide(&mut s, Policy::Auto, None, false), Decision::Failed);
        assert!(!s.enabled());
        s.enable_transient();
        assert_eq!(
            decide(&mut s, Policy::Auto, Some(false), false),
            Decision::Declared
        );
        assert!(!s.enabled());
        s.enable_transient();
        assert_eq!(
            decide(&mut s, Policy::Auto, Some(true), false),
            Decision::Enabled { warn: true }
        );
        s.enable_transient();
        assert_eq!(
            decide(&mut s, Policy::Auto, Some(true), false),
            Decision::Enabled { warn: false }
        );
        assert!(s.permanent());

        let mut e = LockState::new(Policy::Error);
        e.enable_transient();
        assert_eq!(
            decide(&mut e, Policy::Error, Some(true), false),
            Decision::Refused
        );
        assert!(!e.enabled());
        e.enable_transient();
        assert_eq!(
            decide(&mut e, Policy::Error, Some(true), true),
            Decision::Enabled { warn: true }
        );

        let mut off = LockState::new(Policy::Off);
        off.enable_transient();
        assert_eq!(
            decide(&mut off, Policy::Off, Some(true), false),
            Decision::Kept
        );
        assert!(!off.enabled());
    }

    #[test]
    fn warning_is_cpythons() {
        assert_eq!(
            warning_text("a.b"),
            "The global interpreter lock (GIL) has been enabled to load module 'a.b', which has not declared that it can run safely without the GIL. To override this behavior and keep the GIL disabled (at your own risk), run with PYTHON_GIL=0 or -Xgil=0."
        );
    }
}
