// Every binary of this package (the CLI, its tests, examples) must export the C API symbols
// into the dynamic symbol table so that extension modules resolve them when dlopen'ed.
fn main() {
    println!("cargo:rustc-link-arg=-rdynamic");
}
