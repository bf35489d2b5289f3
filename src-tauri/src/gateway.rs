//! Follows the local OpenClaw gateway for the app's lifetime: its calls go into the ledger (the
//! engine's feed), and its connection state goes to the UI.

use std::sync::{Arc, Mutex};

use clawtower_engine::gateway::device::DEVICE_FILE;
use clawtower_engine::gateway::feed::{run_feed, FeedOutput, FeedState, GatewayStatus};
use clawtower_engine::gateway::live::Activity;
use clawtower_engine::gateway::{DeviceIdentity, Target};
use clawtower_engine::ledger::pricing::PriceBook;
use clawtower_engine::openclaw::{locate, OpenClawEnv};
use clawtower_engine::store::model_calls::ModelCall;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::watch;

use crate::budgets::BudgetControl;
use crate::state::AppState;

/// Emitted when the gateway connection changes state.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct GatewayStatusChanged(pub GatewayStatus);

/// Managed state: the latest status, and the switch that stops the feed on exit.
pub struct GatewayFeed {
    /// Shared with the task that follows the feed's state (it may run before this is managed).
    status: Arc<Mutex<GatewayStatus>>,
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

/// The local gateway OpenClaw itself would use, with this install's device identity.
pub struct DetectedGateway {
    /// Where and how to connect.
    pub target: Target,
    /// Clawtower's device identity.
    pub identity: DeviceIdentity,
    /// OpenClaw's state dir (for prices).
    pub state_dir: std::path::PathBuf,
}

/// Emitted for each live activity item (run started/ended, tool, cron run, sub-agent).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct GatewayActivity(pub Activity);

/// A sender whose items reach the UI as [`GatewayActivity`] events.
fn activity_to_ui(app: &AppHandle) -> tokio::sync::broadcast::Sender<Activity> {
    let (tx, mut rx) = tokio::sync::broadcast::channel(256);
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(item) => {
                    let _ = GatewayActivity(item).emit(&handle);
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    tx
}

/// Finds the local gateway (when OpenClaw is installed and the engine runs).
pub fn detect(app: &AppHandle) -> Option<DetectedGateway> {
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
    Some(DetectedGateway {
        target: Target::detect(&env, None),
        identity,
        state_dir: location.state_dir,
    })
}

/// Starts following `gateway` (if any): each stored call and each (re)connection is reported
/// to the budget control.
pub fn start(app: &AppHandle, gateway: Option<&DetectedGateway>, control: Arc<BudgetControl>) {
    let feed = gateway
        .and_then(|gateway| spawn(app, gateway, control))
        .unwrap_or(GatewayFeed {
            status: Arc::new(Mutex::new(GatewayStatus::none())),
            _stop: None,
        });
    app.manage(feed);
}

fn spawn(
    app: &AppHandle,
    gateway: &DetectedGateway,
    control: Arc<BudgetControl>,
) -> Option<GatewayFeed> {
    let state = app.state::<AppState>();
    let engine = state.engine().ok()?;
    let url = gateway.target.url.clone();
    let (book, warnings) = PriceBook::for_install(&gateway.state_dir, engine.data_dir());
    warnings.iter().for_each(|w| tracing::warn!("{w}"));
    let (state_tx, mut state_rx) = watch::channel(FeedState::Connecting { last_error: None });
    let (stop_tx, stop_rx) = watch::channel(false);
    let store = engine.store().clone();
    let output = FeedOutput {
        store,
        book,
        on_call: {
            let control = control.clone();
            move |call: &ModelCall| control.on_call(call)
        },
        activity: Some(activity_to_ui(app)),
    };
    tauri::async_runtime::spawn(run_feed(
        gateway.target.clone(),
        gateway.identity.clone(),
        output,
        state_tx,
        stop_rx,
    ));
    let handle = app.clone();
    let first = GatewayStatus::of(&url, &FeedState::Connecting { last_error: None });
    let status = Arc::new(Mutex::new(first));
    let latest_status = status.clone();
    tauri::async_runtime::spawn(async move {
        while state_rx.changed().await.is_ok() {
            let feed_state = state_rx.borrow_and_update().clone();
            if matches!(feed_state, FeedState::Live { .. }) {
                control.on_live();
            }
            let can_control = feed_state.can_control();
            crate::tray::update(&handle, |model| model.can_pause = can_control);
            let status = GatewayStatus::of(&url, &feed_state);
            if let Ok(mut latest) = latest_status.lock() {
                *latest = status.clone();
            }
            if let Err(err) = GatewayStatusChanged(status).emit(&handle) {
                tracing::warn!(%err, "could not send the gateway status to the UI");
            }
        }
    });
    Some(GatewayFeed {
        status,
        _stop: Some(stop_tx),
    })
}
