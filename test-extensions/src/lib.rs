//! Sample CPython extension modules built against gilgate's `include/` (see `build.rs`
//! and `README.md`), for tests and smoke runs.

use std::path::PathBuf;

/// The folder that holds every built sample (`$OUT_DIR/samples` of this crate's build).
pub fn samples_dir() -> PathBuf {
    PathBuf::from(env!("GILGATE_SAMPLES_DIR"))
}

/// The folder of the sandbox samples (`sbx_write`, `sbx_socket`, `sbx_exec`, `sbx_fork`,
/// `sbx_alloc`, `sbx_home`: inits that try what the inspection sandbox forbids; `sbx_thread`,
/// whose init starts and joins a thread, which it allows), apart from
/// [`samples_dir`] so that inspecting that folder never runs them.
pub fn sandbox_samples_dir() -> PathBuf {
    PathBuf::from(env!("GILGATE_SANDBOX_SAMPLES_DIR"))
}

/// The path of one sample, given its file name (`mp_ft.cpython-314t-x86_64-linux-gnu.so`),
/// or its module name (`mp_ft`; the part of the file name before the first `.`).
/// A module name that exists under several file names resolves to the
/// `cpython-314t` file first, then the `cpython-315t` file, then any other.
///
/// # Panics
/// If no sample matches: a test that names a missing sample is a broken test.
pub fn sample(file_stem_or_module_name: &str) -> PathBuf {
    let dir = samples_dir();
    let exact = dir.join(file_stem_or_module_name);
    if exact.is_file() {
        return exact;
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read samples dir {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.split('.').next())
                == Some(file_stem_or_module_name)
        })
        .collect();
    candidates.sort_by_key(|path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.contains(".cpython-314t-") {
            0
        } else if name.contains(".cpython-315t-") {
            1
        } else {
            2
        }
    });
    candidates.into_iter().next().unwrap_or_else(|| {
        panic!(
            "no sample named {file_stem_or_module_name:?} in {}",
            dir.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_samples_by_module_and_file_name() {
        let by_module = sample("mp_ft");
        assert_eq!(
            by_module.file_name().unwrap(),
            "mp_ft.cpython-314t-x86_64-linux-gnu.so"
        );
        assert_eq!(sample("mp_ft.cpython-314t-x86_64-linux-gnu.so"), by_module);
        assert!(
            sample("export_ft")
                .to_str()
                .unwrap()
                .ends_with(".cpython-315t-x86_64-linux-gnu.so")
        );
        assert!(sample("caf\u{e9}").is_file());
        assert!(sample("untagged").ends_with("untagged.so"));
    }

    #[test]
    fn every_expected_row_has_a_file() {
        let table = include_str!("../expected.tsv");
        let mut rows = 0;
        for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let file = line.split('\t').next().unwrap();
            assert!(
                samples_dir().join(file).is_file(),
                "missing sample file {file}"
            );
            rows += 1;
        }
        let files = std::fs::read_dir(samples_dir()).unwrap().count();
        assert_eq!(
            rows, files,
            "expected.tsv must have one row per sample file"
        );
    }
}
