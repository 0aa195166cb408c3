//! gilgate's built-in modules, after CPython's `Modules/` (`builtins`, `sys`, `datetime` with
//! `time`, `binascii`).

pub mod binascii;
pub mod bltinmodule;
pub mod datetime;
pub mod sysmodule;
