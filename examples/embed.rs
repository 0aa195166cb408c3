//! Embedding gilgate: load the `counter` and `kwargs_demo` sample modules and call them with
//! Rust values.
//!
//! ```sh
//! cargo build -p gilgate-test-extensions      # builds the samples into target/samples
//! cargo run --example embed -- target/samples
//! ```
//!
//! The folder argument is searched for the modules (then `GILGATE_PATH`, then `.`).

use gilgate::embed::{Host, IntoPy, PyErr};
use std::process::ExitCode;

fn run(dir: &str) -> Result<(), PyErr> {
    let mut host = Host::builder().path(dir).build();

    // A type from an extension: create an instance, call methods, read members.
    let counter = host.import("counter")?;
    let c = counter.call_kw("Counter", (10,), [("step", 5.into_py()?)])?;
    println!("created {}", c.repr()?);
    let now: i64 = c.call_method("increment", (2,))?.extract()?;
    println!(
        "after increment(2): {now} ({})",
        c.getattr("parity")?.str()?
    );

    // Keyword arguments, and a Python exception as a Rust error.
    let kw = host.import("kwargs_demo")?;
    let text: String = kw
        .call_kw("greet", ("Rust",), [("punct", "?".into_py()?)])?
        .extract()?;
    println!("{text}");
    match kw.call_kw("scale", (1.0,), [("nope", 2.into_py()?)]) {
        Ok(v) => println!("unexpected success: {v:?}"),
        Err(e) => println!("raised as expected: {e}"),
    }
    println!(
        "global lock {}",
        if host.lock_enabled() {
            "enabled"
        } else {
            "off"
        }
    );
    Ok(())
}

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/samples".into());
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
