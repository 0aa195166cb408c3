//! gilgate's built-in modules, after CPython's `Modules/` (`builtins`, `sys`, `datetime`,
//! `time`, `binascii`, `_io`), registered in one table (`config`, CPython's `config.c`).

pub(crate) mod binascii;
pub(crate) mod bltinmodule;
pub(crate) mod config;
pub(crate) mod copyreg;
pub(crate) mod datetime;
pub(crate) mod iomodule;
pub(crate) mod sysmodule;
pub(crate) mod timemodule;
