//! `gilgate eval`: a small Python expression language evaluated through the C API.
pub mod ast;
pub mod parse;
