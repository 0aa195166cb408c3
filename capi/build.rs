fn main() {
    // Test binaries of this crate load extension modules: export our symbols.
    println!("cargo:rustc-link-arg=-rdynamic");
}
