//! What the app holds for its lifetime: the engine, or why it could not start.

use std::sync::atomic::AtomicBool;

use clawtower_engine::ledger::watch::PassCallback;
use clawtower_engine::openclaw::{locate, OpenClawEnv};
use clawtower_engine::{spend::tray_label_for, DataDir, Engine};

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
        if let Ok(engine) = &engine {
            follow_detected_openclaw(engine);
        }
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
            Err(_) => tray_label_for("$—"),
        }
    }
}

/// Imports and then follows the OpenClaw install OpenClaw itself would use, if there is one.
fn follow_detected_openclaw(engine: &Engine) {
    let Some(location) = locate(&OpenClawEnv::from_process(), None) else {
        return;
    };
    if !location.state_dir.is_dir() {
        tracing::info!(dir = %location.state_dir.display(), "no OpenClaw state dir yet; nothing to follow");
        return;
    }
    let on_pass: PassCallback = Box::new(|pass| match pass {
        Ok(report) => {
            for (source, why) in &report.unreadable {
                tracing::warn!(%source, %why, "transcript source not readable now; retrying");
            }
        }
        Err(err) => tracing::error!(%err, "ledger import failed"),
    });
    if let Err(err) = engine.follow_openclaw(&location.state_dir, on_pass) {
        tracing::error!(%err, "cannot follow OpenClaw");
    }
}
