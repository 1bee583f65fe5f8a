//! With the `split` feature, the app's wasm keeps its relocations: `wasm-split-cli` needs
//! them to cut the module into parts (scripts/post-build.mjs). Only the app's own link gets
//! the flag, so its dependencies and the test builds are compiled exactly as without it.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if split && wasm {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
