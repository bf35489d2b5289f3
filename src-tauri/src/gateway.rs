//! Follows the local OpenClaw gateway for the app's lifetime: its calls go into the ledger (the
//! engine's feed), and its connection state goes to the UI.

use std::sync::Mutex;

use clawtower_engine::gateway::device::DEVICE_FILE;
use clawtower_engine::gateway::feed::{run_feed, FeedState, GatewayStatus};
use clawtower_engine::gateway::{DeviceIdentity, Target};
use clawtower_engine::ledger::pricing::PriceBook;
use clawtower_engine::openclaw::{locate, OpenClawEnv};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::watch;

use crate::state::AppState;

/// Emitted when the gateway connection changes state.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct GatewayStatusChanged(pub GatewayStatus);

/// Managed state: the latest status, and the switch that stops the feed on exit.
pub struct GatewayFeed {
    status: Mutex<GatewayStatus>,
    _stop: Option<watch::Sender<bool>>,
}

impl GatewayFeed {
    /// The latest status.
    pub fn status(&self) -> GatewayStatus {
        self.status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|_| GatewayStatus::none())
    }
}

/// Starts following the detected gateway (when OpenClaw is installed and the engine runs).
pub fn start(app: &AppHandle) {
    let feed = spawn(app).unwrap_or(GatewayFeed {
        status: Mutex::new(GatewayStatus::none()),
        _stop: None,
    });
    app.manage(feed);
}

fn spawn(app: &AppHandle) -> Option<GatewayFeed> {
    let state = app.state::<AppState>();
    let engine = state.engine().ok()?;
    let env = OpenClawEnv::from_process();
    let location = locate(&env, None).filter(|l| l.state_dir.is_dir())?;
    let identity = match DeviceIdentity::load_or_create(&engine.data_dir().root().join(DEVICE_FILE))
    {
        Ok(identity) => identity,
        Err(err) => {
            tracing::error!(%err, "no device identity; not connecting to the gateway");
            return None;
        }
    };
    let target = Target::detect(&env, None);
    let url = target.url.clone();
    let (book, warnings) = PriceBook::for_install(&location.state_dir, engine.data_dir());
    warnings.iter().for_each(|w| tracing::warn!("{w}"));
    let (state_tx, mut state_rx) = watch::channel(FeedState::Connecting { last_error: None });
    let (stop_tx, stop_rx) = watch::channel(false);
    let store = engine.store().clone();
    tauri::async_runtime::spawn(run_feed(
        target,
        identity,
        store,
        book,
        state_tx,
        stop_rx,
        |_| {},
    ));
    let handle = app.clone();
    let first = GatewayStatus::of(&url, &FeedState::Connecting { last_error: None });
    tauri::async_runtime::spawn(async move {
        while state_rx.changed().await.is_ok() {
            let status = GatewayStatus::of(&url, &state_rx.borrow_and_update());
            if let Ok(mut latest) = handle.state::<GatewayFeed>().status.lock() {
                *latest = status.clone();
            }
            if let Err(err) = GatewayStatusChanged(status).emit(&handle) {
                tracing::warn!(%err, "could not send the gateway status to the UI");
            }
        }
    });
    Some(GatewayFeed {
        status: Mutex::new(first),
        _stop: Some(stop_tx),
    })
}
