//! Generated stubs for every exported name not written by hand (see build.rs).
