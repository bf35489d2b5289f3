//! Follows every gateway for the runtime's lifetime — the local one from openclaw.json and those
//! added by URL, one connection each: their calls go into the ledger, their states and live
//! activity to the host, and the one budgets control to the pauser.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use clawtower_core::period::now_local;
use clawtower_core::Result;
use clawtower_feeds::feed::{run_feed, FeedOutput, FeedState, GatewayStatus};
use clawtower_feeds::live::Activity;
use clawtower_feeds::roster::{followed, local_gateway, store, FollowedGateway};
use clawtower_gateway::{DeviceIdentity, Target};
use clawtower_ledger::pricing::PriceBook;
use clawtower_openclaw::OpenClawEnv;
use clawtower_store::model_calls::ModelCall;
use clawtower_store::Store;
use tokio::runtime::Handle;
use tokio::sync::{broadcast, watch};

use crate::budgets::BudgetControl;
use crate::host::{Event, Host};

/// Which gateways the runtime follows.
#[derive(Debug, Clone, Default)]
pub enum GatewaySource {
    /// The local one from openclaw.json (re-read every 15 s) and those added by URL (the store).
    #[default]
    Followed,
    /// Exactly these (`clawtower gateway follow --url …`).
    Only(Vec<FollowedGateway>),
}

/// The followed gateways and their feeds.
pub struct Gateways {
    feeds: Arc<Mutex<Vec<RunningFeed>>>,
    store: Arc<Store>,
    /// `None` without a device identity: nothing is followed then.
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
    source: GatewaySource,
    openclaw_home: Option<PathBuf>,
    /// The local gateway as last read well from openclaw.json (a file caught half-written or
    /// mistyped keeps the previous address and credentials instead of OpenClaw's defaults).
    last_local: Mutex<Option<Target>>,
    host: Arc<dyn Host>,
    store: Arc<Store>,
    identity: DeviceIdentity,
    book: PriceBook,
    control: Arc<BudgetControl>,
    activity: broadcast::Sender<Activity>,
    next_generation: AtomicU64,
    tokio: Handle,
}

/// What [`Gateways::start`] needs besides the store.
pub(crate) struct GatewaysSetup {
    pub source: GatewaySource,
    pub openclaw_home: Option<PathBuf>,
    pub host: Arc<dyn Host>,
    pub identity: Option<DeviceIdentity>,
    pub book: PriceBook,
    pub control: Arc<BudgetControl>,
    pub tokio: Handle,
}

impl Gateways {
    /// Follows the gateways of `setup.source` (none without a device identity) and tells the
    /// host.
    pub(crate) fn start(store: Arc<Store>, setup: GatewaysSetup) -> Arc<Self> {
        let context = setup.identity.map(|identity| FeedContext {
            activity: activity_to_host(setup.host.clone(), &setup.tokio),
            source: setup.source,
            openclaw_home: setup.openclaw_home,
            last_local: Mutex::default(),
            host: setup.host,
            store: store.clone(),
            identity,
            book: setup.book,
            control: setup.control,
            next_generation: AtomicU64::default(),
            tokio: setup.tokio,
        });
        let gateways = Arc::new(Gateways {
            feeds: Arc::default(),
            store,
            context,
            syncing: Mutex::default(),
        });
        if let Err(err) = gateways.sync() {
            tracing::error!(%err, "could not read the gateway list");
        }
        gateways
    }

    /// Every followed gateway with its state, local first.
    pub fn statuses(&self) -> Vec<GatewayStatus> {
        statuses(&self.feeds)
    }

    /// Applies one change to the gateway list (given the store and the time in ms), follows the
    /// list as it now is, and returns every gateway. Blocks (store, openclaw.json).
    pub fn change(
        &self,
        apply: impl FnOnce(&Store, i64) -> Result<()>,
    ) -> Result<Vec<GatewayStatus>> {
        let now_ms = now_local().timestamp().as_millisecond();
        apply(&self.store, now_ms)?;
        self.sync()?;
        Ok(self.statuses())
    }

    /// Re-reads the gateway list: starts feeds for new gateways, restarts those whose address or
    /// credential changed, stops removed ones, points pauses at the controlled one, and tells
    /// the host. Blocks (store, openclaw.json).
    pub fn sync(&self) -> Result<()> {
        let Some(context) = &self.context else {
            return Ok(());
        };
        // One sync at a time: the periodic re-read and a command must not interleave (an older
        // list applied last would bring back a removed gateway).
        let _one_at_a_time = self.syncing.lock().unwrap_or_else(|p| p.into_inner());
        let wanted = match &context.source {
            GatewaySource::Only(fixed) => fixed.clone(),
            GatewaySource::Followed => {
                let local = context.local_gateway();
                let now_ms = now_local().timestamp().as_millisecond();
                self.store.with_conn(|c| {
                    store::purge_expired(c, now_ms)?;
                    followed(c, local.as_ref())
                })?
            }
        };
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
            context.host.emit(&Event::GatewaysChanged(self.statuses()));
        }
        Ok(())
    }

    /// Whether the list can change under us (it is read from openclaw.json and the store).
    pub(crate) fn rereads(&self) -> bool {
        matches!(
            self.context.as_ref().map(|c| &c.source),
            Some(GatewaySource::Followed)
        )
    }
}

impl FeedContext {
    /// The local gateway now, or as last read when openclaw.json cannot be read.
    fn local_gateway(&self) -> Option<Target> {
        let mut last = self.last_local.lock().unwrap_or_else(|p| p.into_inner());
        match local_gateway(&OpenClawEnv::from_process(), self.openclaw_home.as_deref()) {
            Ok(local) => *last = local,
            Err(err) => {
                tracing::warn!(%err, "openclaw.json not readable now; keeping the gateway as it was")
            }
        }
        last.clone()
    }

    fn spawn(&self, gateway: FollowedGateway, feeds: &Arc<Mutex<Vec<RunningFeed>>>) -> RunningFeed {
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
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
        self.tokio.spawn(run_feed(
            gateway.target.clone(),
            self.identity.clone(),
            output,
            state_tx,
            stop_rx,
        ));
        self.tokio.spawn(follow_states(
            self.host.clone(),
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
/// pause.
async fn follow_states(
    host: Arc<dyn Host>,
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
        host.emit(&Event::GatewaysChanged(statuses(&feeds)));
    }
}

fn statuses(feeds: &Mutex<Vec<RunningFeed>>) -> Vec<GatewayStatus> {
    lock(feeds).iter().map(|f| f.status.clone()).collect()
}

fn lock(feeds: &Mutex<Vec<RunningFeed>>) -> MutexGuard<'_, Vec<RunningFeed>> {
    feeds.lock().unwrap_or_else(|p| p.into_inner())
}

/// A sender whose items reach the host as [`Event::GatewayActivity`].
fn activity_to_host(host: Arc<dyn Host>, tokio: &Handle) -> broadcast::Sender<Activity> {
    let (tx, mut rx) = broadcast::channel(256);
    tokio.spawn(async move {
        loop {
            match rx.recv().await {
                Ok(item) => host.emit(&Event::GatewayActivity(item)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    tx
}
