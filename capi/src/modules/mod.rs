//! gilgate's built-in modules, after CPython's `Modules/` (`builtins`, `sys`, `datetime`,
//! `time`, `binascii`, `zlib`, `importlib`, `math`, `__future__`, `_io`), registered in one table (`config`, CPython's `config.c`).

pub(crate) mod binascii;
pub(crate) mod bltinmodule;
pub(crate) mod config;
pub(crate) mod datetime;
pub(crate) mod future;
pub(crate) mod importlib;
pub(crate) mod iomodule;
pub(crate) mod mathmodule;
pub(crate) mod sysmodule;
pub(crate) mod timemodule;
pub(crate) mod zlibmodule;
