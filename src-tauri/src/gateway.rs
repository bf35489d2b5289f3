//! Follows every gateway for the app's lifetime — the local one from openclaw.json and those
//! added by URL, one connection each: their calls go into the ledger (the engine's feed), their
//! states to the UI and the tray, and the one budgets control to the pauser.

use std::sync::{Arc, Mutex};

use clawtower_engine::gateway::device::DEVICE_FILE;
use clawtower_engine::gateway::feed::{run_feed, FeedOutput, FeedState, GatewayStatus};
use clawtower_engine::gateway::live::Activity;
use clawtower_engine::gateway::{DeviceIdentity, Target};
use clawtower_engine::gateways::{followed, local_gateway, store, FollowedGateway};
use clawtower_engine::ledger::pricing::PriceBook;
use clawtower_engine::openclaw::{locate, OpenClawEnv};
use clawtower_engine::store::model_calls::ModelCall;
use clawtower_engine::store::Store;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::{broadcast, watch};

use crate::budgets::BudgetControl;
use crate::error::AppError;
use crate::state::AppState;

/// Emitted when a gateway is added or removed, or its connection changes state (payload: every
/// gateway, local first).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct GatewaysChanged(pub Vec<GatewayStatus>);

/// Emitted for each live activity item (run started/ended, tool, cron run, sub-agent).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct GatewayActivity(pub Activity);

/// This install's device identity (created once, 0600), when the engine runs.
pub fn identity(app: &AppHandle) -> Option<DeviceIdentity> {
    let state = app.state::<AppState>();
    let engine = state.engine().ok()?;
    match DeviceIdentity::load_or_create(&engine.data_dir().root().join(DEVICE_FILE)) {
        Ok(identity) => Some(identity),
        Err(err) => {
            tracing::error!(%err, "no device identity; not connecting to any gateway");
            None
        }
    }
}

/// Managed state: the followed gateways and their feeds.
pub struct Gateways {
    feeds: Arc<Mutex<Vec<RunningFeed>>>,
    context: Option<FeedContext>,
    syncing: Mutex<()>,
}

/// A running feed: its gateway, latest status, and the switch that stops it.
struct RunningFeed {
    gateway: FollowedGateway,
    status: GatewayStatus,
    /// Tells this feed's status updates from those of a feed it replaced.
    generation: u64,
    _stop: watch::Sender<bool>,
}

/// What every feed shares.
struct FeedContext {
    /// The local gateway as last read well from openclaw.json (a file caught half-written or
    /// mistyped keeps the previous address and credentials instead of OpenClaw's defaults).
    last_local: Mutex<Option<Target>>,
    app: AppHandle,
    store: Arc<Store>,
    identity: DeviceIdentity,
    book: PriceBook,
    control: Arc<BudgetControl>,
    activity: broadcast::Sender<Activity>,
    next_generation: std::sync::atomic::AtomicU64,
}

impl Gateways {
    /// Every followed gateway with its state, local first.
    pub fn statuses(&self) -> Vec<GatewayStatus> {
        statuses(&self.feeds)
    }

    /// The store the gateway list lives in.
    pub fn store(&self) -> Result<&Arc<Store>, AppError> {
        self.context.as_ref().map(|c| &c.store).ok_or_else(|| {
            AppError::new(
                clawtower_engine::ErrorCode::StoreUnavailable,
                "the ledger store did not open, so gateways cannot be followed",
            )
        })
    }

    /// Re-reads the gateway list: starts feeds for new gateways, restarts those whose address or
    /// credential changed, stops removed ones, points pauses at the controlled one, and tells
    /// the UI and the tray.
    pub fn sync(&self) -> Result<(), AppError> {
        let Some(context) = &self.context else {
            return Ok(());
        };
        // One sync at a time: the periodic re-read and a command must not interleave (an older
        // list applied last would bring back a removed gateway).
        let _one_at_a_time = self.syncing.lock().unwrap_or_else(|p| p.into_inner());
        let local = context.local_gateway();
        let now_ms = clawtower_engine::period::now_local()
            .timestamp()
            .as_millisecond();
        let wanted = context.store.with_conn(|c| {
            store::purge_expired(c, now_ms)?;
            followed(c, local.as_ref())
        })?;
        context.control.retarget(
            wanted
                .iter()
                .find(|g| g.entry.controlled)
                .map(|g| g.target.clone()),
            wanted.iter().map(|g| g.target.clone()).collect(),
        );
        let changed = {
            let mut feeds = lock(&self.feeds);
            let mut previous = std::mem::take(&mut *feeds);
            let mut changed = false;
            for gateway in wanted {
                let kept = previous
                    .iter()
                    .position(|f| {
                        f.gateway.target == gateway.target
                            && f.gateway.entry.controlled == gateway.entry.controlled
                    })
                    .map(|i| previous.swap_remove(i));
                feeds.push(match kept {
                    Some(mut feed) => {
                        changed |= feed.gateway.entry != gateway.entry;
                        feed.status.gateway = gateway.entry.clone();
                        feed.gateway = gateway;
                        feed
                    }
                    None => {
                        changed = true;
                        context.spawn(gateway, &self.feeds)
                    }
                });
            }
            // Dropping the rest stops their feeds.
            changed || !previous.is_empty()
        };
        if changed {
            publish(&context.app, &self.feeds);
        }
        Ok(())
    }
}

impl FeedContext {
    /// The local gateway now, or as last read when openclaw.json cannot be read.
    fn local_gateway(&self) -> Option<Target> {
        let mut last = self.last_local.lock().unwrap_or_else(|p| p.into_inner());
        match local_gateway(&OpenClawEnv::from_process(), None) {
            Ok(local) => *last = local,
            Err(err) => {
                tracing::warn!(%err, "openclaw.json not readable now; keeping the gateway as it was")
            }
        }
        last.clone()
    }

    fn spawn(&self, gateway: FollowedGateway, feeds: &Arc<Mutex<Vec<RunningFeed>>>) -> RunningFeed {
        let generation = self
            .next_generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (state_tx, state_rx) = watch::channel(FeedState::Connecting { last_error: None });
        let (stop_tx, stop_rx) = watch::channel(false);
        let controlled = gateway.entry.controlled;
        let control = self.control.clone();
        let output = FeedOutput {
            store: self.store.clone(),
            book: self.book.clone(),
            on_call: move |call: &ModelCall| control.on_call(call, controlled),
            activity: Some(self.activity.clone()),
        };
        tauri::async_runtime::spawn(run_feed(
            gateway.target.clone(),
            self.identity.clone(),
            output,
            state_tx,
            stop_rx,
        ));
        tauri::async_runtime::spawn(follow_states(
            self.app.clone(),
            feeds.clone(),
            generation,
            controlled.then(|| self.control.clone()),
            state_rx,
        ));
        RunningFeed {
            status: GatewayStatus::of(&gateway.entry, &FeedState::Connecting { last_error: None }),
            gateway,
            generation,
            _stop: stop_tx,
        }
    }
}

/// Keeps one feed's status current; a (re)connection of the controlled gateway re-applies its
/// pause and decides whether Pause all is possible.
async fn follow_states(
    app: AppHandle,
    feeds: Arc<Mutex<Vec<RunningFeed>>>,
    generation: u64,
    controlled_by: Option<Arc<BudgetControl>>,
    mut states: watch::Receiver<FeedState>,
) {
    while states.changed().await.is_ok() {
        let state = states.borrow_and_update().clone();
        {
            let mut feeds = lock(&feeds);
            let Some(feed) = feeds.iter_mut().find(|f| f.generation == generation) else {
                return;
            };
            feed.status = GatewayStatus::of(&feed.gateway.entry, &state);
        }
        if let Some(control) = &controlled_by {
            if matches!(state, FeedState::Live { .. }) {
                control.on_live();
            }
        }
        publish(&app, &feeds);
    }
}

/// Sends every status to the UI and the tray. The tray is updated from the async runtime, never
/// inline: a tray update waits for the main thread, so one made on the main thread (a command,
/// setup) while another thread renders the tray would deadlock. The task reads the list when it
/// runs, so updates that run out of order still end on the latest list.
fn publish(app: &AppHandle, feeds: &Arc<Mutex<Vec<RunningFeed>>>) {
    if let Err(err) = GatewaysChanged(statuses(feeds)).emit(app) {
        tracing::warn!(%err, "could not send the gateway states to the UI");
    }
    let (app, feeds) = (app.clone(), feeds.clone());
    tauri::async_runtime::spawn(async move {
        let all = statuses(&feeds);
        crate::tray::update(&app, |model| model.gateways = all);
    });
}

fn statuses(feeds: &Mutex<Vec<RunningFeed>>) -> Vec<GatewayStatus> {
    lock(feeds).iter().map(|f| f.status.clone()).collect()
}

fn lock(feeds: &Mutex<Vec<RunningFeed>>) -> std::sync::MutexGuard<'_, Vec<RunningFeed>> {
    feeds.lock().unwrap_or_else(|p| p.into_inner())
}

/// A sender whose items reach the UI as [`GatewayActivity`] events.
fn activity_to_ui(app: &AppHandle) -> broadcast::Sender<Activity> {
    let (tx, mut rx) = broadcast::channel(256);
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(item) => {
                    let _ = GatewayActivity(item).emit(&handle);
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    tx
}

/// Prices for gateway calls: bundled, the local install's openclaw.json, the user's overrides.
fn price_book(engine: &clawtower_engine::Engine) -> PriceBook {
    let local = locate(&OpenClawEnv::from_process(), None).filter(|l| l.state_dir.is_dir());
    let (book, warnings) = PriceBook::for_install(
        local.as_ref().map(|l| l.state_dir.as_path()),
        engine.data_dir(),
    );
    warnings.iter().for_each(|w| tracing::warn!("{w}"));
    book
}

/// Starts following every gateway (none when the engine or the device identity is missing).
pub fn start(app: &AppHandle, identity: Option<DeviceIdentity>, control: Arc<BudgetControl>) {
    let state = app.state::<AppState>();
    let context = state
        .engine()
        .ok()
        .zip(identity)
        .map(|(engine, identity)| FeedContext {
            app: app.clone(),
            store: engine.store().clone(),
            identity,
            book: price_book(engine),
            control,
            activity: activity_to_ui(app),
            next_generation: Default::default(),
            last_local: Mutex::default(),
        });
    let gateways = Gateways {
        feeds: Arc::default(),
        context,
        syncing: Mutex::default(),
    };
    if let Err(err) = gateways.sync() {
        tracing::error!(%err, "could not read the gateway list");
    }
    app.manage(gateways);
    // openclaw.json can change under us (port, token, password, an install made after launch):
    // look again now and then; an unchanged list costs a file read and changes nothing.
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(RECHECK_LOCAL).await;
            if let Err(err) = handle.state::<Gateways>().sync() {
                tracing::warn!(%err, "could not re-read the gateway list");
            }
        }
    });
}

/// How often openclaw.json is read again for the local gateway's address and credentials.
const RECHECK_LOCAL: std::time::Duration = std::time::Duration::from_secs(15);
