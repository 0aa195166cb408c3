// Every binary of this package (the CLI, its tests, examples) must export the C API symbols
// into the dynamic symbol table so that extension modules resolve them when dlopen'ed.
//
// The `gilgate` executable itself is linked as a fixed-address executable (not PIE): every
// `inspect` starts it at least twice (the command and a worker), and a PIE of this size has
// ~26,000 relative relocations that the dynamic loader applies (touching and copying the pages
// they land on) before `main`; a fixed-address executable has none. Extensions still bind to
// its exported symbols the same way (`-rdynamic`).
fn main() {
    println!("cargo:rustc-link-arg=-rdynamic");
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
