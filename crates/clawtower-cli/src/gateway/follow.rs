//! `clawtower gateway follow [--activity]`: stays connected to every gateway Clawtower follows,
//! stores their calls, and enforces budgets (alerts on stderr) — the headless desktop.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use clawtower_engine::budget::{run_budget_loop, BudgetEnforcer};
use clawtower_engine::gateway::feed::{run_feed, FeedOutput, FeedState};
use clawtower_engine::gateway::live::Activity;
use clawtower_engine::gateway::DeviceIdentity;
use clawtower_engine::gateways::FollowedGateway;
use clawtower_engine::ledger::pricing::PriceBook;
use clawtower_engine::notifier::{Notification, Notifier, NotifyError};
use clawtower_engine::pause::Pauser;
use clawtower_engine::period::now_local;
use clawtower_engine::store::model_calls::ModelCall;
use clawtower_engine::store::Store;
use tokio::sync::{broadcast, watch};

use super::{identity, runtime, GatewayArgs};
use crate::ledger;

/// Options of `clawtower gateway follow`.
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// Also print the live activity (runs started and ended, tools, cron runs, sub-agents) on
    /// stderr.
    #[arg(long)]
    activity: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Runs `clawtower gateway follow` until interrupted.
pub fn follow(args: &FollowArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(follow_until_interrupted(args, data_dir))
}

fn follow_until_interrupted(args: &FollowArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let identity = identity(data_dir)?;
    let store = Arc::new(ledger::open_store(data_dir)?);
    let gateways = args.gateway.gateways(&store)?;
    if gateways.is_empty() {
        return Err("no OpenClaw gateway here: install OpenClaw, pass --url, or add one with `clawtower gateway add`".into());
    }
    // Prices from the install's openclaw.json when there is one (a remote gateway may have none
    // here: then the bundled prices and the user's overrides).
    let state_dir = ledger::state_dir(args.gateway.openclaw_home.as_deref()).ok();
    let book = ledger::price_book(state_dir.as_deref(), data_dir)?;
    let runtime = runtime()?;
    // Budgets are enforced while following: each stored call wakes the budget loop, and they
    // pause the controlled gateway.
    let pauser = Pauser::unattached(store.clone(), identity.clone());
    pauser.retarget(
        gateways
            .iter()
            .find(|g| g.entry.controlled)
            .map(|g| g.target.clone()),
        gateways.iter().map(|g| g.target.clone()).collect(),
    );
    let enforcer = Arc::new(BudgetEnforcer::new(
        store.clone(),
        Arc::new(PrintedAlerts),
        Some(pauser),
    ));
    let (new_call, calls) = watch::channel(());
    let (statuses, _) = watch::channel(Default::default());
    runtime.block_on(async move {
        tokio::spawn(run_budget_loop(
            enforcer.clone(),
            calls,
            now_local,
            statuses,
        ));
        let activity = args.activity.then(print_activity);
        let (_stop, stop_rx) = watch::channel(false);
        let feeds: Vec<_> = gateways
            .into_iter()
            .map(|gateway| {
                let follower = Follower {
                    gateway,
                    identity: identity.clone(),
                    store: store.clone(),
                    book: book.clone(),
                    enforcer: enforcer.clone(),
                    new_call: new_call.clone(),
                    activity: activity.clone(),
                };
                tokio::spawn(follower.run(stop_rx.clone()))
            })
            .collect();
        for feed in feeds {
            let _ = feed.await;
        }
    });
    Ok(())
}

/// One gateway's feed, printed.
struct Follower {
    gateway: FollowedGateway,
    identity: DeviceIdentity,
    store: Arc<Store>,
    book: PriceBook,
    enforcer: Arc<BudgetEnforcer>,
    new_call: watch::Sender<()>,
    activity: Option<broadcast::Sender<Activity>>,
}

impl Follower {
    async fn run(self, stop: watch::Receiver<bool>) {
        let (state_tx, state_rx) = watch::channel(FeedState::Connecting { last_error: None });
        let controlled = self.gateway.entry.controlled;
        tokio::spawn(print_states(
            self.gateway.target.url.clone(),
            controlled.then(|| self.enforcer.clone()),
            state_rx,
        ));
        let (enforcer, new_call) = (self.enforcer, self.new_call);
        let output = FeedOutput {
            store: self.store,
            book: self.book,
            on_call: move |call: &ModelCall| {
                println!("{}", ledger::call_line(call));
                new_call.send_replace(());
                if controlled {
                    enforcer.spawn_enforce(&call.agent_id, &call.session_key);
                }
            },
            activity: self.activity,
        };
        run_feed(self.gateway.target, self.identity, output, state_tx, stop).await;
    }
}

/// Prints each state change; a (re)connection of the controlled gateway re-applies its pause.
async fn print_states(
    url: String,
    controlled_by: Option<Arc<BudgetEnforcer>>,
    mut states: watch::Receiver<FeedState>,
) {
    while states.changed().await.is_ok() {
        let state = states.borrow_and_update().clone();
        match &state {
            FeedState::Live { server_version, .. } => {
                eprintln!("Following OpenClaw {server_version} at {url}…");
                if let Some(enforcer) = &controlled_by {
                    if !state.can_control() {
                        eprintln!("clawtower: {url}: connected read-only (no operator.admin): budgets alert but cannot pause");
                    }
                    enforcer.spawn_reassert();
                }
            }
            FeedState::Connecting {
                last_error: Some(e),
            } => eprintln!("clawtower: {url}: {e}; retrying"),
            FeedState::Connecting { last_error: None } => {}
        }
    }
}

/// A sender whose items are printed on stderr.
fn print_activity() -> broadcast::Sender<Activity> {
    let (tx, mut rx) = broadcast::channel::<Activity>(256);
    tokio::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(item) => {
                    let session = item.session_key.as_deref().unwrap_or("-");
                    eprintln!("· {session}: {}", item.summary);
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    tx
}

/// Alerts, printed to stderr (the CLI's "desktop").
struct PrintedAlerts;

impl Notifier for PrintedAlerts {
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        eprintln!("clawtower: {} — {}", notification.title, notification.body);
        Ok(())
    }
}
