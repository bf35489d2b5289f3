//! What the app holds for its lifetime: the engine, or why it could not start.

use std::sync::atomic::AtomicBool;

use clawtower_engine::{spend::tray_label, DataDir, Engine, NanoUsd};

use crate::error::AppError;

/// Managed Tauri state.
pub struct AppState {
    /// The engine, or the error that kept it from opening (shown in the UI, never a crash).
    pub engine: Result<Engine, AppError>,
    /// Set once the user has been told that closing the window keeps Clawtower in the tray.
    pub told_about_tray: AtomicBool,
}

impl AppState {
    /// Opens the engine over the default data dir (`CLAWTOWER_DATA_DIR` honoured).
    pub fn open() -> Self {
        let engine = DataDir::resolve(None)
            .and_then(Engine::open)
            .map_err(|err| {
                tracing::error!(%err, "the engine did not start");
                AppError::from(err)
            });
        AppState {
            engine,
            told_about_tray: AtomicBool::new(false),
        }
    }

    /// The engine, or the error to return to the UI.
    pub fn engine(&self) -> Result<&Engine, AppError> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    /// The tray title before the first summary arrives.
    pub fn initial_tray_label(&self) -> String {
        match &self.engine {
            Ok(engine) => engine.subscribe_spend().borrow().tray_label.clone(),
            Err(_) => tray_label(NanoUsd::ZERO).replace("$0.00", "$—"),
        }
    }
}
