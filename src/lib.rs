//! gilgate: a host for compiled CPython extension modules.
//!
//! The library facade re-exports the runtime ([`capi`]) and the loader ([`loader`]); the most
//! used types are also available at the top level.
//!
//! - [`embed`]: the Rust embedding API — load modules and call them with Rust values
//!   ([`embed::Host`], [`embed::Module`], [`embed::PyRef`], [`embed::IntoPy`]/[`embed::FromPy`],
//!   [`embed::PyErr`]).
//! - [`eval`]: the expression language of `gilgate eval` (parser and evaluator).
//! - [`Loader`] (from [`loader`]): inspection reports, loading under the lock policy.
//!
//! ```no_run
//! // First thing in `main`: turns this process into an inspection worker when gilgate
//! // starts it as one.
//! gilgate::run_if_worker();
//! let loader = gilgate::Loader::new(gilgate::Policy::Auto);
//! let report = loader.inspect(&["dist/mypkg.whl".into()]);
//! println!("{}", report.to_human());
//! ```
pub use gilgate_capi as capi;
pub use gilgate_loader as loader;
pub use gilgate_loader::worker::run_if_worker;
pub use gilgate_loader::{LoadError, Loader, Module, Policy, Report, Target};

pub mod api_usage;
pub mod cli_eval;
pub mod cli_stress;
pub mod embed;
pub mod eval;
mod ffi;
