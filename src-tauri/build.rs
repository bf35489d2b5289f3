//! Declares the app's commands — the API's one list, read from its source — so Tauri generates
//! one `allow-<command>` permission per command; `capabilities/main.json` then grants the
//! dashboard window exactly those (a test checks it).

#[path = "../crates/clawtower-api/src/list.rs"]
mod list;

/// The names of the listed commands (nothing else of the list is needed here).
macro_rules! names {
    ($( $(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ok:ty; )*) => {
        &[$(stringify!($name)),*]
    };
}

fn main() {
    println!("cargo:rerun-if-changed=../crates/clawtower-api/src/list.rs");
    let commands: &[&str] = with_commands!(names);
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script failed");
}
