//! capi's public items are its three faces (`ffi`, `host`, `testing`): an old internal path
//! such as `gilgate_capi::listobject::<helper>` no longer resolves from outside the crate,
//! while the same crate reached through `ffi` and `host` does.

#[test]
fn only_the_faces_are_public() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/boundary/old_internal_path.rs");
    t.pass("tests/boundary/faces.rs");
}
