//! The dashboard window: closing hides it to the tray; the tray and a second launch bring it back.

use std::sync::atomic::Ordering;

use clawtower_control::alerts::Notification;
use tauri::{AppHandle, Manager, Window, WindowEvent};
use tauri_plugin_window_state::AppHandleExt;

use crate::host::DesktopHost;
use crate::state::AppState;
use clawtower_runtime::Host as _;

/// The dashboard window's label.
pub const MAIN: &str = "main";

/// Shows, unminimizes and focuses the dashboard.
pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Hides the dashboard (the app keeps running in the tray).
pub fn hide_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.hide();
    }
}

/// Saves the window's size and position, then exits.
pub fn quit(app: &AppHandle) {
    if let Err(err) = app.save_window_state(crate::app::window_state_flags()) {
        tracing::warn!(%err, "could not save the window state");
    }
    app.exit(0);
}

/// Close → hide to tray; the first time, a notification says where Clawtower went.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if window.label() != MAIN {
        return;
    }
    if let WindowEvent::CloseRequested { api, .. } = event {
        api.prevent_close();
        let app = window.app_handle();
        if let Err(err) = app.save_window_state(crate::app::window_state_flags()) {
            tracing::warn!(%err, "could not save the window state");
        }
        let _ = window.hide();
        let state = app.state::<AppState>();
        if !state.told_about_tray.swap(true, Ordering::SeqCst) {
            let notice = Notification {
                title: "Clawtower is still running".into(),
                body:
                    "It keeps watching spend from the tray. Use the tray menu to open or quit it."
                        .into(),
            };
            if let Err(err) = app.state::<std::sync::Arc<DesktopHost>>().notify(&notice) {
                tracing::warn!(%err, "tray notice not shown");
            }
        }
    }
}
