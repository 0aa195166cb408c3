// Every binary of this package (the CLI, its tests, examples) must export the C API symbols
// into the dynamic symbol table so that extension modules resolve them when dlopen'ed. Only
// those are exported (`Py*`, `_Py*`, `PY*`: every name CPython exports starts so), not every
// global symbol as `-rdynamic` would: that added 6,800 Rust and allocator symbols, a dynamic
// string table of 640 KB instead of 48 KB, which the dynamic loader pages through for the C
// library's lookups at every start and an extension's at its `dlopen` (about 0.1 ms of a small
// wheel's `inspect`, 500 alternating runs; `tests/exports.rs` checks nothing else is exported).
//
// The `gilgate` executable itself is linked as a fixed-address executable (not PIE): every
// `inspect` starts it at least twice (the command and a worker), and a PIE of this size has
// ~26,000 relative relocations that the dynamic loader applies (touching and copying the pages
// they land on) before `main`; a fixed-address executable has none. Extensions still bind to
// its exported symbols the same way.
//
// The command's code is laid out with the functions an `inspect` runs first and together
// (`data/symbol-order.txt`, written by `scripts/symbol-order.sh`, given to LLD as its symbol
// ordering file): a short `inspect` touches a few hundred kilobytes of the 8 MB of code, and
// each of its processes faults in the pages it touches (0.1 ms of a small wheel's `inspect`,
// 500 alternating runs). Only where the linker is LLD (Rust's default for this target since
// 1.90, unless the flags choose another); `GILGATE_SYMBOL_ORDER=0` leaves it out.
//
// The unwinder (what Rust's panics use) is linked in statically (`libgcc_eh.a`, whose symbols
// are hidden: nothing is exported) instead of loading `libgcc_s.so.1` at every start: that
// library's constructor probes the CPU (`__cpu_indicator_init`, a dozen `cpuid`s, each a trap
// to the hypervisor on a virtual machine), about 0.1 ms of every `gilgate` process's start.
// The standard library asks for `-lgcc_s`; a linker script of that name found first on the
// search path names the static archive instead. Extensions that need `libgcc_s.so.1` (C++)
// still load it themselves, as `DT_NEEDED`.
//
// The C math library is not linked into the binaries: the nine functions of it the runtime
// calls (`exp`, `log`, `log2`, `pow`, `atan2`, `hypot`, `sin`, `cos`, `sincos`: what Rust's
// `f64` methods compile to, optimised or not) are defined by capi's `runtime/pymath.rs`,
// which opens `libm.so.6` on the first of them and forwards to the C library's own functions. Loading it at every start cost about 0.06 ms of each process
// (a small wheel's `inspect`: 1.79 against 1.73 ms, 300 alternating runs of two copies each),
// and an `inspect` of a module that computes nothing never needs it. The standard library
// asks for `-lm`; for the binaries, the empty linker script of that name below answers it,
// so a new call of another math function fails to link (define it in `pymath.rs`) instead of
// loading the library again (tests and examples keep `libm`: one that links no capi code may
// call a math function only `libm` defines for it). Extensions that name `libm.so.6` load it
// themselves, and bind to it: the definitions are not exported. Many extensions call libm
// without naming it (CPython's interpreter links it, so its functions are in the global
// scope); the first module that fails to load on an undefined symbol puts `libm.so.6` in the
// global scope, and loads again (loader `init.rs`, `libm_global`).
//
// The executable names itself `libpthread.so.0` (`DT_SONAME`), on glibc 2.34 and later only:
// there that library is an empty stub (its functions moved into `libc.so.6`, under the same
// versions), and nearly every extension built for older systems (manylinux) lists it as
// `DT_NEEDED`. The dynamic loader answers a needed name with an object already loaded under
// that name, so the worker's `dlopen` of such a module binds its `pthread_*` calls to
// `libc.so.6` as before, without finding, mapping and relocating the stub (about 0.03 ms of a
// small wheel's `inspect`, 300 alternating runs). The stub's version names are not checked
// against the executable, which defines none (the loader accepts that silently). A binary
// linked against glibc 2.34 or later cannot start on an older one (it needs
// `__libc_start_main@GLIBC_2.34`), where the library is real.
fn main() {
    for pattern in ["Py*", "_Py*", "PY*"] {
        println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol={pattern}");
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    if glibc_at_least(2, 34) {
        println!("cargo:rustc-link-arg-bins=-Wl,-soname,libpthread.so.0");
    }
    symbol_order();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let dir = out.join("static-libgcc");
    std::fs::create_dir_all(&dir).expect("creating the linker script's folder");
    std::fs::write(dir.join("libgcc_s.so"), "INPUT(-lgcc_eh)\n").expect("writing libgcc_s.so");
    // For the binaries only (`-L` holds for every `-l` of the link, wherever it stands): a
    // test or example that links no capi code may still call a math function (a compression
    // crate's `log2`) that only `libm` would define for it.
    // (An earlier build put it beside `libgcc_s.so`, where every target found it.)
    let _ = std::fs::remove_file(dir.join("libm.so"));
    let no_libm = out.join("no-libm");
    std::fs::create_dir_all(&no_libm).expect("creating the linker script's folder");
    std::fs::write(
        no_libm.join("libm.so"),
        "/* gilgate: no libm here; capi/src/runtime/pymath.rs loads it on first use */\n",
    )
    .expect("writing libm.so");
    println!("cargo:rustc-link-arg-bins=-L{}", no_libm.display());
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rerun-if-changed=build.rs");
}

/// Whether the C library this build links against is glibc `major.minor` or later
/// (`getconf GNU_LIBC_VERSION`); false when that cannot be told.
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.trim().strip_prefix("glibc ").unwrap_or("");
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(a), Some(b)) => (a, b) >= (major, minor),
        _ => false,
    }
}

/// Passes `data/symbol-order.txt` to the linker of the package's binaries, when it is LLD.
fn symbol_order() {
    println!("cargo:rerun-if-env-changed=GILGATE_SYMBOL_ORDER");
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/symbol-order.txt");
    println!("cargo:rerun-if-changed={}", file.display());
    if std::env::var_os("GILGATE_SYMBOL_ORDER").is_some_and(|v| v == "0")
        || !file.is_file()
        || !linker_is_lld()
    {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
        file.display()
    );
    // For tests/exports.rs, which checks the layout.
    println!("cargo:rustc-env=GILGATE_SYMBOL_ORDERED=1");
    // A name this build does not have (the file is older than a toolchain update) is skipped.
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
}

/// Whether the binaries are linked by LLD: rustc 1.90 or later on x86_64 Linux, with no
/// linker chosen by the flags or the environment.
fn linker_is_lld() -> bool {
    let target = std::env::var("TARGET").unwrap_or_default();
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let chosen = ["linker", "fuse-ld", "link-self-contained"]
        .iter()
        .any(|f| flags.contains(f))
        || std::env::var_os("RUSTC_LINKER").is_some()
        || std::env::vars_os().any(|(k, _)| {
            k.to_str()
                .is_some_and(|k| k.starts_with("CARGO_TARGET_") && k.ends_with("_LINKER"))
        });
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let minor = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| {
            // "rustc 1.95.0 (...)"
            let version = v.split_whitespace().nth(1)?.to_string();
            let mut parts = version.split('.');
            (parts.next()? == "1").then_some(())?;
            parts.next()?.parse::<u32>().ok()
        });
    target == "x86_64-unknown-linux-gnu" && !chosen && minor.is_some_and(|m| m >= 90)
}
