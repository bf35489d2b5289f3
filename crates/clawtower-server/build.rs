//! Points the embedded UI at `ui/dist` when it has been built (`make ui`), else at a one-page
//! placeholder that says how to build it: the server always compiles, and serves the real UI
//! whenever there is one.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let dist = manifest.join("../../ui/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    println!(
        "cargo:rerun-if-changed={}",
        dist.join("index.html").display()
    );
    let folder = if dist.join("index.html").is_file() {
        dist
    } else {
        let placeholder = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("ui");
        std::fs::create_dir_all(&placeholder).unwrap();
        std::fs::write(
            placeholder.join("index.html"),
            "<!doctype html><title>Clawtower</title><p>This clawtower was built without its UI: run <code>make ui</code>, then build it again. The API works.</p>\n",
        )
        .unwrap();
        placeholder
    };
    println!("cargo:rustc-env=CLAWTOWER_UI_DIST={}", folder.display());
}
