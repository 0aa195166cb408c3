//! Criterion benchmark of the C API under gilgate: each `benchmod` workload (object
//! create/destroy, int and float arithmetic, list append and index, dict set and get, str
//! building, `PyArg_ParseTuple` calls, attribute and item lookups, str from and to UTF-8,
//! `PyLong_AsLong`, exceptions, `Py_BuildValue`, fastcall calls, `PyArg_ParseTupleAndKeywords`)
//! run `N` times inside C per iteration.
//!
//! `cargo bench --bench capi`. The CPython comparison is `scripts/bench-capi.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use gilgate::embed::Host;
use gilgate_test_extensions::samples_dir;
use std::hint::black_box;

/// Iterations of the workload inside one call.
const N: i64 = 20_000;

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

fn capi(c: &mut Criterion) {
    let mut host = Host::builder().path(samples_dir()).build();
    let m = host.import("benchmod").expect("benchmod loads");
    let mut group = c.benchmark_group("capi");
    group.sample_size(20);
    for name in WORKLOADS {
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = m.call(name, (black_box(N),)).expect("workload runs");
                black_box(r);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, capi);
criterion_main!(benches);
