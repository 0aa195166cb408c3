//! `pylifecycle.h`: runtime start-up.

/// Initializes the runtime once per process (singletons, type objects, the calling thread's
/// state). Fails with instructions when the C API symbols are not in the process's dynamic
/// symbol table (the executable was linked without `-rdynamic`).
pub fn initialize() -> Result<(), String> {
    unimplemented!("initialize")
}
