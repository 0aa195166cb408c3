//! `gilgate inspect --api-usage`: which C API names the modules import, and what gilgate has
//! behind each, read from the files alone (no init runs, nothing is loaded).
//!
//! A module's C API names are its undefined dynamic symbols that start with `Py` or `_Py`
//! (functions and data: `PyExc_TypeError`, `_Py_NoneStruct`). Each name is
//! - **implemented**: written by hand in gilgate (a `partial` one, listed in
//!   `capi/data/partial.tsv`, counts here and is marked);
//! - a **stub**: exported, but generated: a function that raises `SystemError` naming itself,
//!   or a zero-filled data object;
//! - **missing**: not exported at all, so the file does not even load (`dlopen` with
//!   `RTLD_NOW` fails on it).

use gilgate_capi::host::surface::{self, Kind, Status};
use gilgate_loader::{discover, read_elf};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What stands behind one imported name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Implemented,
    Partial,
    Stub,
    Missing,
}

impl Standing {
    fn of(name: &str) -> Standing {
        match surface::lookup(name) {
            None => Standing::Missing,
            Some(e) if e.status == Status::Real && e.missing().is_some() => Standing::Partial,
            Some(e) if e.status == Status::Real => Standing::Implemented,
            Some(_) => Standing::Stub,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Standing::Implemented => "implemented",
            Standing::Partial => "partial",
            Standing::Stub => "stub",
            Standing::Missing => "missing",
        }
    }

    /// Implemented, fully or in part.
    fn counts_as_implemented(self) -> bool {
        matches!(self, Standing::Implemented | Standing::Partial)
    }
}

/// One name and the modules that import it.
#[derive(Debug)]
pub struct NameUse {
    pub name: String,
    /// `func` or `data` (`-` for a missing name: gilgate cannot tell).
    pub kind: &'static str,
    pub standing: Standing,
    /// The dotted names of the modules importing it, sorted.
    pub modules: Vec<String>,
}

/// The whole answer.
#[derive(Debug, Default)]
pub struct Usage {
    /// Modules read.
    pub modules: usize,
    /// Every name some module imports, sorted by name.
    pub names: Vec<NameUse>,
    /// Files that could not be read (`path: reason`), and inputs that could not be searched.
    pub errors: Vec<String>,
}

impl Usage {
    fn count(&self, pick: impl Fn(Standing) -> bool) -> usize {
        self.names.iter().filter(|n| pick(n.standing)).count()
    }

    /// The human report: the summary line, then the stub and missing names (most used first),
    /// then the implemented ones.
    pub fn to_human(&self) -> String {
        let mut s = format!(
            "implemented {} of {} names used ({} modules)\n",
            self.count(Standing::counts_as_implemented),
            self.names.len(),
            self.modules
        );
        s += &format!(
            "  {} implemented, {} partial, {} stubs, {} missing\n",
            self.count(|x| x == Standing::Implemented),
            self.count(|x| x == Standing::Partial),
            self.count(|x| x == Standing::Stub),
            self.count(|x| x == Standing::Missing)
        );
        for (title, which) in [
            (
                "missing (the modules that import these do not load)",
                Standing::Missing,
            ),
            ("stubs (raise SystemError when called)", Standing::Stub),
            ("partial (see `gilgate surface --list`)", Standing::Partial),
            ("implemented", Standing::Implemented),
        ] {
            let mut rows: Vec<&NameUse> =
                self.names.iter().filter(|n| n.standing == which).collect();
            if rows.is_empty() {
                continue;
            }
            rows.sort_by(|a, b| {
                b.modules
                    .len()
                    .cmp(&a.modules.len())
                    .then(a.name.cmp(&b.name))
            });
            s += &format!("\n{title}: {}\n", rows.len());
            let width = rows.iter().map(|n| n.name.len()).max().unwrap_or(0);
            for n in rows {
                let used = n.modules.len();
                s += &format!(
                    "  {:width$}  {} {}\n",
                    n.name,
                    used,
                    if used == 1 { "module" } else { "modules" }
                );
            }
        }
        for e in &self.errors {
            s += &format!("\nerror: {e}\n");
        }
        s
    }

    /// The JSON report: counts, then one object per name with the modules using it.
    pub fn to_json(&self) -> String {
        let names: Vec<serde_json::Value> = self
            .names
            .iter()
            .map(|n| {
                serde_json::json!({
                    "name": n.name,
                    "kind": n.kind,
                    "status": n.standing.as_str(),
                    "modules": n.modules.len(),
                    "used_by": n.modules,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "modules": self.modules,
            "names_used": self.names.len(),
            "implemented": self.count(Standing::counts_as_implemented),
            "partial": self.count(|x| x == Standing::Partial),
            "stubs": self.count(|x| x == Standing::Stub),
            "missing": self.count(|x| x == Standing::Missing),
            "names": names,
            "errors": self.errors,
        });
        serde_json::to_string_pretty(&doc).expect("a JSON value serializes")
    }
}

/// Reads every module the paths hold (as `inspect` finds them) and tallies its C API names.
pub fn usage(paths: &[PathBuf]) -> Usage {
    let found = discover(paths);
    let mut u = Usage {
        errors: found.input_errors.iter().map(|e| e.to_string()).collect(),
        ..Default::default()
    };
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &found.candidates {
        match read_elf(&c.fs_path) {
            Ok(facts) => {
                u.modules += 1;
                for name in facts.python_imports {
                    by_name.entry(name).or_default().push(c.name.clone());
                }
            }
            Err(e) => u
                .errors
                .push(format!("{} (module {}): {e}", c.display_path, c.name)),
        }
    }
    u.names = by_name
        .into_iter()
        .map(|(name, mut modules)| {
            modules.sort();
            modules.dedup();
            let kind = match surface::lookup(&name).map(|e| e.kind) {
                Some(Kind::Func) => "func",
                Some(Kind::Data) => "data",
                None => "-",
            };
            NameUse {
                standing: Standing::of(&name),
                kind,
                name,
                modules,
            }
        })
        .collect();
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified_by_the_surface() {
        assert_eq!(Standing::of("PyList_Append"), Standing::Implemented);
        assert_eq!(Standing::of("_PyGilgate_NoSuchName"), Standing::Missing);
        let stub = surface::SURFACE
            .iter()
            .find(|e| e.status == Status::Stub)
            .expect("some stub exists");
        assert_eq!(Standing::of(stub.name), Standing::Stub);
        if let Some((partial, _)) = surface::partial_functions().next() {
            assert_eq!(Standing::of(partial), Standing::Partial);
        }
    }
}
