//! Keeps the tray title and the UI in step with the engine's spend feed.

use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::bindings::SpendUpdated;
use crate::state::AppState;
use crate::tray;

/// Follows the engine's spend feed for the app's lifetime (no-op when the engine did not start).
pub fn start(app: AppHandle) {
    let Ok(engine) = app.state::<AppState>().inner().engine() else {
        return;
    };
    let mut feed = engine.subscribe_spend();
    tauri::async_runtime::spawn(async move {
        loop {
            let summary = feed.borrow_and_update().clone();
            tray::update(&app, |model| model.spend_label = summary.tray_label.clone());
            if let Err(err) = SpendUpdated(summary).emit(&app) {
                tracing::warn!(%err, "could not send spend-updated to the UI");
            }
            if feed.changed().await.is_err() {
                return;
            }
        }
    });
}
