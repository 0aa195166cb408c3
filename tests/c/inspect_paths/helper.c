/* The wheel's own shared library in tests/inspect_paths.rs (pkg.libs/libhelper-1a2b.so). */
int gg_helper_answer(void) { return 42; }
