//! Builds the sample extension modules in `src/*.c` (3.14t rules) and `src/315/*.c`
//! (3.15t rules, `-DGILGATE_TARGET_3_15`) against the repository's `include/`, with the
//! `cc` crate's C compiler, into `$OUT_DIR/samples/`, and copies that folder to
//! `<target dir>/samples/` so scripts find it. The modules are not linked against
//! anything: their C API symbols resolve from the host process at `dlopen`.

use std::fs;
use std::path::{Path, PathBuf};

const TAG_314T: &str = ".cpython-314t-x86_64-linux-gnu.so";
const TAG_315T: &str = ".cpython-315t-x86_64-linux-gnu.so";
const TAG_313T: &str = ".cpython-313t-x86_64-linux-gnu.so";

/// One compiled sample: output file name, source (relative to `src/`), 3.15 headers?,
/// and extra `-D` definitions.
struct Sample {
    file: String,
    source: &'static str,
    target_315: bool,
    defines: Vec<String>,
}

fn tagged(module: &str, tag: &str) -> String {
    format!("{module}{tag}")
}

fn samples() -> Vec<Sample> {
    let mut list = Vec::new();
    // 3.14t samples whose module name equals the source stem.
    for stem in [
        "mp_ft",
        "mp_noslot",
        "mp_gil_used",
        "mp_gil_two",
        "sp_plain",
        "sp_setgil",
        "mp_setgil_exec",
        "dup_gil",
        "dup_create",
        "dup_mi",
        "unknown_slot",
        "slot87_314",
        "neg_size",
        "null_noexc",
        "init_raises",
        "init_unreported",
        "needs_pymod",
        // issue 7 item 5: inits that cannot finish in gilgate.
        "sp_setgil_needs_pymod",
        "sp_setgil_crash",
        "mp_create_crash",
        "uninit_def",
        "exec_fail_ft",
        "exec_fail_gil",
        "exec_noexc",
        "create_tuple",
        "mi_not_supported",
        "mi_supported",
        "mi_per_interp",
        "no_init",
        "crash_init",
        "exit_init",
        "hang_init",
        "api_tour",
        // issue 3 item 12: one module per area, written as extension authors write them.
        "counter",
        "stateful",
        "strproc",
        "containers_demo",
        "numbers_demo",
        "kwargs_demo",
        "buffers_demo",
        // issue 3: the C API benchmark workloads (benches/capi.rs, scripts/bench-capi.sh).
        "benchmod",
        // issue 9: the threads benchmark's undeclared module (scripts/bench-threads.sh).
        "benchhold",
        // issue 9 item 9: threads (tests/stress.rs runs them under `gilgate stress`).
        "racy_counter",
        "mutex_sections",
        "sleeper",
        "gilstate_thread",
        "shared_mutator",
        "lazy_import",
        // issue 10 item 1: code objects, frames and tracebacks as Cython and pybind11 use them.
        "tracebacks",
    ] {
        list.push(Sample {
            file: tagged(stem, TAG_314T),
            source: leak(format!("{stem}.c")),
            target_315: false,
            defines: Vec::new(),
        });
    }
    // A 3.13t module that refuses any other minor version, as pybind11's init does.
    list.push(Sample {
        file: tagged("ver313", TAG_313T),
        source: "ver313.c",
        target_315: false,
        defines: Vec::new(),
    });
    // The non-ASCII module name.
    list.push(Sample {
        file: tagged("caf\u{e9}", TAG_314T),
        source: "cafe.c",
        target_315: false,
        defines: Vec::new(),
    });
    // One good module under file names that are not the 3.14t tag.
    for (module, file) in [
        (
            "gil_tag",
            "gil_tag.cpython-314-x86_64-linux-gnu.so".to_string(),
        ),
        ("abi3_tag", "abi3_tag.abi3.so".to_string()),
        ("untagged", "untagged.so".to_string()),
    ] {
        list.push(Sample {
            file,
            source: "good.c",
            target_315: false,
            defines: vec![format!("GG_NAME={module}")],
        });
    }
    // Both hooks, in a file tagged for 3.14t: PyInit_ must be used.
    list.push(Sample {
        file: tagged("both_in_314", TAG_314T),
        source: "315/export_both.c",
        target_315: true,
        defines: vec!["GG_NAME=both_in_314".to_string()],
    });
    // 3.15t samples.
    for stem in [
        "m315_ft",
        "m315_gil_two",
        "m315_dup_gil",
        "export_ft",
        "export_both",
        "export_noabi",
    ] {
        list.push(Sample {
            file: tagged(stem, TAG_315T),
            source: leak(format!("315/{stem}.c")),
            target_315: true,
            defines: vec![format!("GG_NAME={stem}")],
        });
    }
    list
}

/// The sandbox samples, in the order of `GG_ATTEMPT` (1 to 7) in `sandbox/sandbox_probe.c`.
const SANDBOX_SAMPLES: [&str; 7] = [
    "sbx_write",
    "sbx_socket",
    "sbx_exec",
    "sbx_fork",
    "sbx_alloc",
    "sbx_home",
    "sbx_thread",
];

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let repo = manifest.parent().expect("repository root").to_path_buf();
    let include = repo.join("include");
    let src = manifest.join("src");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let samples_dir = out_dir.join("samples");

    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed={}", include.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!(
        "cargo:rustc-env=GILGATE_SAMPLES_DIR={}",
        samples_dir.display()
    );

    if samples_dir.exists() {
        fs::remove_dir_all(&samples_dir).expect("clean samples dir");
    }
    fs::create_dir_all(&samples_dir).expect("create samples dir");

    let compiler = cc::Build::new().cargo_metadata(false).get_compiler();
    for sample in samples() {
        let mut cmd = compiler.to_command();
        cmd.arg("-shared")
            .arg("-fPIC")
            .arg("-Wall")
            .arg("-Wextra")
            .arg("-Werror")
            .arg(format!("-I{}", include.display()));
        if sample.target_315 {
            cmd.arg("-DGILGATE_TARGET_3_15");
        }
        for define in &sample.defines {
            cmd.arg(format!("-D{define}"));
        }
        cmd.arg(src.join(sample.source))
            .arg("-o")
            .arg(samples_dir.join(&sample.file));
        let status = cmd
            .status()
            .unwrap_or_else(|e| panic!("cannot run the C compiler for {}: {e}", sample.file));
        assert!(
            status.success(),
            "compiling sample {} failed: {cmd:?}",
            sample.file
        );
    }

    // Hostile inits for the inspection sandbox, in a folder of their own (a search of the
    // samples folder must not run them).
    let sandbox_dir = out_dir.join("sandbox-samples");
    println!(
        "cargo:rustc-env=GILGATE_SANDBOX_SAMPLES_DIR={}",
        sandbox_dir.display()
    );
    if sandbox_dir.exists() {
        fs::remove_dir_all(&sandbox_dir).expect("clean sandbox samples dir");
    }
    fs::create_dir_all(&sandbox_dir).expect("create sandbox samples dir");
    for (n, module) in SANDBOX_SAMPLES.iter().enumerate() {
        let mut cmd = compiler.to_command();
        cmd.args(["-shared", "-fPIC", "-Wall", "-Wextra", "-Werror"])
            .arg(format!("-I{}", include.display()))
            .arg(format!("-DGG_NAME={module}"))
            .arg(format!("-DGG_ATTEMPT={}", n + 1))
            .arg(src.join("sandbox/sandbox_probe.c"))
            .arg("-o")
            .arg(sandbox_dir.join(tagged(module, TAG_314T)));
        let status = cmd
            .status()
            .unwrap_or_else(|e| panic!("cannot run the C compiler for {module}: {e}"));
        assert!(
            status.success(),
            "compiling sample {module} failed: {cmd:?}"
        );
    }

    // A file with the extension suffix that is not an ELF object.
    fs::write(
        samples_dir.join(tagged("not_elf", TAG_314T)),
        "This is a text file pretending to be an extension module.\nIt has a .so suffix but no ELF header, so dlopen must refuse it.\n",
    )
    .expect("write not_elf");
    // A real sample cut short after 200 bytes.
    let good = fs::read(samples_dir.join(tagged("mp_ft", TAG_314T))).expect("read mp_ft");
    fs::write(
        samples_dir.join(tagged("truncated", TAG_314T)),
        &good[..200],
    )
    .expect("write truncated");

    // Make the samples easy to find for scripts: <target dir>/samples/.
    if let Some(target_dir) = target_dir(&out_dir) {
        let public = target_dir.join("samples");
        if public.exists() {
            let _ = fs::remove_dir_all(&public);
        }
        fs::create_dir_all(&public).expect("create <target>/samples");
        for entry in fs::read_dir(&samples_dir).expect("read samples dir") {
            let entry = entry.expect("dir entry");
            fs::copy(entry.path(), public.join(entry.file_name())).expect("copy sample");
        }
    }
}

/// `<target>/<profile>/build/<pkg>-<hash>/out` -> `<target>`.
fn target_dir(out_dir: &Path) -> Option<PathBuf> {
    out_dir.ancestors().nth(4).map(Path::to_path_buf)
}
