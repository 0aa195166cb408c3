//! `gilgate-samples`: prints the folder that holds the built sample modules.

fn main() {
    println!("{}", gilgate_test_extensions::samples_dir().display());
}
