//! Builds and runs the Tauri application.

use clawtower_ledger::report::tray_label_for;
use tauri::Manager;
use tauri_plugin_autostart::MacosLauncher;
use tauri_plugin_window_state::StateFlags;

use std::sync::Arc;

use crate::{bindings, host::DesktopHost, state::AppState, tray, window};

/// Argument passed when launched at login: start in the tray without showing the window.
pub const HIDDEN_ARG: &str = "--hidden";

/// Window state we remember: size, position, maximized… but never "hidden", or a window closed to
/// the tray would come back invisible on the next launch.
pub fn window_state_flags() -> StateFlags {
    StateFlags::all() - StateFlags::VISIBLE
}

/// Starts the app; returns when the user quits.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CLAWTOWER_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    let specta = bindings::builder();
    tauri::Builder::default()
        // Must be first: a second launch hands over to the running one and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::show_main(app);
        }))
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(window_state_flags())
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_fs::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            Some(vec![HIDDEN_ARG]),
        ))
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            specta.mount_events(app);
            let host = Arc::new(DesktopHost::new(app.handle().clone()));
            app.manage(host.clone());
            // The tray first: the runtime's first events (spend so far among them) go to it.
            // Never update the tray inline here, on the main thread: see DesktopHost::to_tray.
            tray::build(app.handle(), &tray_label_for("$—"))?;
            app.manage(AppState::start(host));
            if std::env::args().any(|arg| arg == HIDDEN_ARG) {
                window::hide_main(app.handle());
            }
            Ok(())
        })
        .on_window_event(window::on_window_event)
        .build(tauri::generate_context!())
        .expect("Clawtower could not start its window system")
        .run(|_app, _event| {});
}
