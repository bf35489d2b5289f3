//! Clawtower's desktop app. A thin shell: the engine does the work; this wires it to a window,
//! a tray icon, native notifications and typed IPC.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod bindings;
mod host;
mod state;
mod tray;
mod window;

fn main() {
    app::run();
}
