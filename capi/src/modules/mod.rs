//! gilgate's built-in modules, after CPython's `Modules/` and the standard-library modules it provides
//! natively (the list: README), registered in one table (`config`, CPython's `config.c`).

pub(crate) mod abc;
pub(crate) mod arraymodule;
pub(crate) mod binascii;
pub(crate) mod bltinmodule;
pub(crate) mod collections;
pub(crate) mod collections_abc;
pub(crate) mod config;
pub(crate) mod copy;
pub(crate) mod copyreg;
pub(crate) mod datetime;
pub(crate) mod r#enum;
pub(crate) mod functools;
pub(crate) mod future;
pub(crate) mod heapq;
pub(crate) mod importlib;
pub(crate) mod iomodule;
pub(crate) mod itertoolsmodule;
pub(crate) mod mathmodule;
pub(crate) mod numbers;
pub(crate) mod operator;
pub(crate) mod posixmodule;
pub(crate) mod posixpath;
pub(crate) mod stat;
pub(crate) mod string;
pub(crate) mod sysmodule;
pub(crate) mod threading;
pub(crate) mod threadmodule;
pub(crate) mod timemodule;
pub(crate) mod types;
pub(crate) mod warnings;
pub(crate) mod weakref;
pub(crate) mod zlibmodule;
