//! Times the `benchmod` workloads in-process under gilgate (used by `scripts/bench-capi.sh`,
//! which times the same module under CPython and prints the ratios).
//!
//! ```sh
//! cargo build --release -p gilgate-test-extensions
//! cargo run --release --example bench_capi -- target/samples 200000 5
//! ```
//!
//! Arguments: the folder holding `benchmod`, the count `n` passed to every workload (default
//! 200000), the number of runs (default 5) and optionally one workload's name (to profile it). Prints one tab-separated line per workload:
//! name, best time in seconds over the runs, and the checksum's `repr`.

use gilgate::embed::{Host, PyErr};
use std::process::ExitCode;
use std::time::Instant;

/// The workloads of `benchmod`, in the order the script reports them.
const WORKLOADS: [&str; 15] = [
    "objects",
    "int_arith",
    "float_arith",
    "list_ops",
    "dict_ops",
    "str_build",
    "parse_args",
    "getattr",
    "getitem",
    "unicode_utf8",
    "long_as",
    "exceptions",
    "build_value",
    "call_fastcall",
    "parse_kwargs",
];

fn run(dir: &str, n: i64, runs: usize, only: Option<&str>) -> Result<(), PyErr> {
    let mut host = Host::builder().path(dir).build();
    let m = host.import("benchmod")?;
    for name in WORKLOADS
        .into_iter()
        .filter(|w| only.is_none_or(|o| o == *w))
    {
        let mut best = f64::INFINITY;
        let mut checksum = String::new();
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let r = m.call(name, (n,))?;
            let elapsed = start.elapsed().as_secs_f64();
            best = best.min(elapsed);
            checksum = r.repr()?;
        }
        println!("{name}\t{best:.6}\t{checksum}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "target/samples".into());
    let n = args.next().and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let runs = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let only = args.next();
    match run(&dir, n, runs, only.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
