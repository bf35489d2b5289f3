//! What the app holds for its lifetime: the runtime, or why it could not start.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clawtower_api::ApiError;
use clawtower_core::DataDir;
use clawtower_runtime::{GatewaySource, Runtime, RuntimeOptions};

use crate::host::DesktopHost;

/// Managed Tauri state.
pub struct AppState {
    /// The runtime, or the error that kept it from starting (shown in the UI, never a crash).
    pub runtime: Result<Runtime, ApiError>,
    /// Set once the user has been told that closing the window keeps Clawtower in the tray.
    pub told_about_tray: AtomicBool,
}

impl AppState {
    /// Starts the runtime over the default data dir (`CLAWTOWER_DATA_DIR` honoured) and the
    /// OpenClaw install OpenClaw itself would use.
    pub fn start(host: Arc<DesktopHost>) -> Self {
        let runtime = DataDir::resolve(None)
            .and_then(|data_dir| {
                let options = RuntimeOptions {
                    data_dir,
                    openclaw_home: None,
                    gateways: GatewaySource::Followed,
                    transcripts: true,
                    tokio: tauri::async_runtime::handle().inner().clone(),
                };
                Runtime::start(options, host)
            })
            .map_err(|err| {
                tracing::error!(%err, "the engine did not start");
                ApiError::from(err)
            });
        AppState {
            runtime,
            told_about_tray: AtomicBool::new(false),
        }
    }

    /// The runtime, or the error to return to the UI.
    pub fn runtime(&self) -> Result<&Runtime, ApiError> {
        self.runtime.as_ref().map_err(Clone::clone)
    }
}
