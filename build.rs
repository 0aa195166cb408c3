// Every binary of this package (the CLI, its tests, examples) must export the C API symbols
// into the dynamic symbol table so that extension modules resolve them when dlopen'ed.
//
// The `gilgate` executable itself is linked as a fixed-address executable (not PIE): every
// `inspect` starts it at least twice (the command and a worker), and a PIE of this size has
// ~26,000 relative relocations that the dynamic loader applies (touching and copying the pages
// they land on) before `main`; a fixed-address executable has none. Extensions still bind to
// its exported symbols the same way (`-rdynamic`).
//
// The unwinder (what Rust's panics use) is linked in statically (`libgcc_eh.a`, whose symbols
// are hidden: nothing is exported) instead of loading `libgcc_s.so.1` at every start: that
// library's constructor probes the CPU (`__cpu_indicator_init`, a dozen `cpuid`s, each a trap
// to the hypervisor on a virtual machine), about 0.1 ms of every `gilgate` process's start.
// The standard library asks for `-lgcc_s`; a linker script of that name found first on the
// search path names the static archive instead. Extensions that need `libgcc_s.so.1` (C++)
// still load it themselves, as `DT_NEEDED`.
fn main() {
    println!("cargo:rustc-link-arg=-rdynamic");
    println!("cargo:rustc-link-arg-bins=-no-pie");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let dir = out.join("static-libgcc");
    std::fs::create_dir_all(&dir).expect("creating the linker script's folder");
    std::fs::write(dir.join("libgcc_s.so"), "INPUT(-lgcc_eh)\n").expect("writing libgcc_s.so");
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rerun-if-changed=build.rs");
}
