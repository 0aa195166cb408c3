//! The C ABI's declarations that every part of the runtime builds on, after CPython's
//! `Include/`: layouts (`#[repr(C)]`), typedefs, flags and constants, with no behaviour. The
//! layouts of a single type stay in that type's file under `objects/`.

pub(crate) mod object;
pub(crate) mod pyport;
