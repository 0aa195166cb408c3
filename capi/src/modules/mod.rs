//! gilgate's built-in modules, after CPython's `Modules/` (`builtins`, `sys`, `datetime` with
//! `time`, `binascii`).

pub(crate) mod binascii;
pub(crate) mod bltinmodule;
pub(crate) mod datetime;
pub(crate) mod sysmodule;
