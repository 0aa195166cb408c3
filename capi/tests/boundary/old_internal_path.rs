// A helper through its old path (before capi had a boundary this compiled).
fn main() {
    let _ = gilgate_capi::listobject::len;
}
