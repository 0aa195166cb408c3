//! gilgate's built-in modules, after CPython's `Modules/` (`builtins`, `sys`, `datetime`,
//! `time`, `binascii`, `_io`), registered in one table (`config`, CPython's `config.c`).

pub mod binascii;
pub mod bltinmodule;
pub mod config;
pub mod datetime;
pub mod iomodule;
pub mod sysmodule;
pub mod timemodule;
