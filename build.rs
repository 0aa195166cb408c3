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
// The unwinder (what Rust's panics use) is linked in statically (`libgcc_eh.a`, whose symbols
// are hidden: nothing is exported) instead of loading `libgcc_s.so.1` at every start: that
// library's constructor probes the CPU (`__cpu_indicator_init`, a dozen `cpuid`s, each a trap
// to the hypervisor on a virtual machine), about 0.1 ms of every `gilgate` process's start.
// The standard library asks for `-lgcc_s`; a linker script of that name found first on the
// search path names the static archive instead. Extensions that need `libgcc_s.so.1` (C++)
// still load it themselves, as `DT_NEEDED`.
fn main() {
    for pattern in ["Py*", "_Py*", "PY*"] {
        println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol={pattern}");
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let dir = out.join("static-libgcc");
    std::fs::create_dir_all(&dir).expect("creating the linker script's folder");
    std::fs::write(dir.join("libgcc_s.so"), "INPUT(-lgcc_eh)\n").expect("writing libgcc_s.so");
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rerun-if-changed=build.rs");
}
