//! Embedding gilgate: inspect the modules in the paths given on the command line and print the
//! human report, the way `gilgate inspect` does.
//!
//! ```sh
//! cargo run --example inspect_paths -- path/to/module.so path/to/wheel.whl
//! ```
//! The program must export the C API symbols (the root package's `build.rs` links examples
//! with `-rdynamic`) and let gilgate turn it into an inspection worker when it starts it as
//! one: `gilgate::run_if_worker()` comes first in `main`.

fn main() {
    gilgate::run_if_worker();
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if paths.is_empty() {
        eprintln!("usage: inspect_paths PATH...");
        std::process::exit(64);
    }
    let host = gilgate::Loader::new(gilgate::Policy::Auto);
    let report = host.inspect(&paths);
    print!("{}", report.to_human());
    for m in &report.modules {
        if let Some(gil) = m.gil {
            println!("{}: {:?} (declared: {:?})", m.name, gil, m.gil_declared);
        }
    }
    std::process::exit(if report.summary.errors > 0 { 2 } else { 0 });
}
