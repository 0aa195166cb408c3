//! gilgate: a host for compiled CPython extension modules.
pub use gilgate_capi as capi;
pub use gilgate_loader as loader;
