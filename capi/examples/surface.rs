//! Prints how much of the C API surface is real and how much is stubbed; with `--list`, every
//! name with its status. Also shows that a program embedding `gilgate-capi` exports the surface
//! (run `nm -D` on the built example).

fn main() {
    if std::env::args().any(|a| a == "--list") {
        print!("{}", gilgate_capi::surface::render_list());
    }
    println!("{}", gilgate_capi::surface::surface_counts());
}
