//! The budget loop for the runtime's lifetime, wired to the host (notifications, board and alert
//! events); Pause all / Resume for every host.

use std::sync::Arc;

use clawtower_control::alerts::{raise, Alert, AlertKind, Notification, Notifier, NotifyError};
use clawtower_control::budget::BudgetScope;
use clawtower_control::pause::{PauseRecord, PauseRequest, Pauser};
use clawtower_control::{run_budget_loop, BudgetBoard, BudgetEnforcer};
use clawtower_core::period::now_local;
use clawtower_core::Result;
use clawtower_gateway::{DeviceIdentity, Target};
use clawtower_store::model_calls::ModelCall;
use clawtower_store::Store;
use tokio::sync::watch;

use crate::host::{Event, Host};
use crate::tasks::Tasks;

/// The budget loop's controls: the enforcer and the nudge that makes the loop run now.
pub struct BudgetControl {
    enforcer: Arc<BudgetEnforcer>,
    nudge: watch::Sender<()>,
    host: Arc<dyn Host>,
}

impl BudgetControl {
    /// Starts the budget loop as `tasks`. Its pauser (none without a device identity) has no
    /// gateway until the gateways are followed ([`BudgetControl::retarget`]).
    pub(crate) fn start(
        store: Arc<Store>,
        host: Arc<dyn Host>,
        identity: Option<DeviceIdentity>,
        mut spend: watch::Receiver<clawtower_ledger::report::SpendSummary>,
        tasks: &Tasks,
    ) -> Arc<Self> {
        let (nudge, nudged) = watch::channel(());
        let (board_tx, mut board) = watch::channel(BudgetBoard::default());
        let pauser = identity.map(|identity| Pauser::unattached(store.clone(), identity));
        let notifier = Arc::new(HostNotifier {
            host: host.clone(),
            nudge: nudge.clone(),
        });
        let enforcer = Arc::new(BudgetEnforcer::new(store, notifier, pauser));
        // Ledger changes (files or gateway, this process or another) wake the loop.
        let forward = nudge.clone();
        tasks.spawn(async move {
            while spend.changed().await.is_ok() {
                forward.send_replace(());
            }
        });
        tasks.spawn(run_budget_loop(
            enforcer.clone(),
            nudged,
            now_local,
            board_tx,
        ));
        let to_host = host.clone();
        tasks.spawn(async move {
            loop {
                let current = board.borrow_and_update().clone();
                to_host.emit(&Event::BudgetBoardChanged(current));
                if board.changed().await.is_err() {
                    return;
                }
            }
        });
        Arc::new(BudgetControl {
            enforcer,
            nudge,
            host,
        })
    }

    /// Makes the budget loop run a pass now (after an edit or a pause).
    pub fn nudge(&self) {
        self.nudge.send_replace(());
    }

    /// The pauser, or `None` when Clawtower has no device identity (it then cannot control a
    /// gateway; the log says why).
    pub fn pauser(&self) -> Option<&Pauser> {
        self.enforcer.pauser()
    }

    /// Points pauses at the gateway budgets control (or at none), among every followed one.
    pub(crate) fn retarget(&self, controlled: Option<Target>, followed: Vec<Target>) {
        if let Some(pauser) = self.pauser() {
            pauser.retarget(controlled, followed);
        }
    }

    /// Pauses everything (manual), or `None` without a pauser.
    pub async fn pause_all(&self, reason: &str) -> Option<Result<PauseRecord>> {
        let request = PauseRequest {
            scope: BudgetScope::All,
            reason: reason.into(),
            budget_id: None,
        };
        let now_ms = now_local().timestamp().as_millisecond();
        let record = self.pauser()?.pause(request, now_ms).await;
        self.nudge();
        Some(record)
    }

    /// Lifts every pause, or `None` without a pauser.
    pub async fn resume_all(&self) -> Option<Result<Vec<PauseRecord>>> {
        let now_ms = now_local().timestamp().as_millisecond();
        let records = self.pauser()?.resume(None, now_ms).await;
        self.nudge();
        Some(records)
    }

    /// Pauses everything and records the outcome as an alert (with a notification): for a
    /// host with no window to show the result in (the tray menu).
    pub async fn pause_all_and_alert(&self, reason: &str) {
        let outcome = self.pause_all(reason).await;
        let (kind, note) = match outcome {
            Some(Ok(record)) => (
                if record.problems.is_empty() {
                    AlertKind::Pause
                } else {
                    AlertKind::PauseFailed
                },
                Notification {
                    title: "Paused".into(),
                    body: format!("{} Resume from the tray or the app.", record.summary()),
                },
            ),
            Some(Err(err)) => (
                AlertKind::PauseFailed,
                failed("Could not pause", err.to_string()),
            ),
            None => (
                AlertKind::PauseFailed,
                failed("Could not pause", NO_IDENTITY.into()),
            ),
        };
        self.alert(kind, note);
    }

    /// Lifts every pause and records the outcome as an alert (with a notification).
    pub async fn resume_all_and_alert(&self) {
        let problems: Vec<String> = match self.resume_all().await {
            Some(Ok(records)) => records.iter().flat_map(|r| r.problems.clone()).collect(),
            Some(Err(err)) => vec![err.to_string()],
            None => vec![NO_IDENTITY.into()],
        };
        let (kind, note) = if problems.is_empty() {
            (
                AlertKind::Resume,
                Notification {
                    title: "Resumed".into(),
                    body: "Everything the pause turned off is back on.".into(),
                },
            )
        } else {
            (
                AlertKind::PauseFailed,
                failed("Resume incomplete", problems.join("; ")),
            )
        };
        self.alert(kind, note);
    }

    /// What a gateway feed calls for each call it stored: wake the loop, and, for the gateway
    /// budgets control, abort a run that started while paused. (The host hears of every stored
    /// call, whatever its source, from the runtime's call forwarding.)
    pub(crate) fn on_call(&self, call: &ModelCall, controlled: bool) {
        self.nudge();
        if controlled {
            self.enforcer
                .spawn_enforce(&call.agent_id, &call.session_key);
        }
    }

    /// The controlled gateway's connection is (again) live: re-apply in-memory pause steps a
    /// gateway restart undid.
    pub(crate) fn on_live(&self) {
        self.enforcer.spawn_reassert();
    }

    fn alert(&self, kind: AlertKind, note: Notification) {
        let notifier = HostNotifier {
            host: self.host.clone(),
            nudge: self.nudge.clone(),
        };
        let now_ms = now_local().timestamp().as_millisecond();
        if let Err(err) = raise(self.enforcer.store(), &notifier, kind, None, note, now_ms) {
            tracing::warn!(%err, "could not record the alert");
        }
    }
}

/// Why a pause cannot be made at all.
pub(crate) const NO_IDENTITY: &str =
    "Clawtower has no device identity, so it cannot control a gateway (see the log)";

fn failed(title: &str, body: String) -> Notification {
    Notification {
        title: title.into(),
        body,
    }
}

/// The host's notifications; once an alert is stored, the host hears of it and the budget loop
/// wakes (the tray's "new alerts" line follows the board).
struct HostNotifier {
    host: Arc<dyn Host>,
    nudge: watch::Sender<()>,
}

impl Notifier for HostNotifier {
    fn notify(&self, notification: &Notification) -> std::result::Result<(), NotifyError> {
        self.host.notify(notification)
    }

    fn recorded(&self, _alert: &Alert) {
        self.host.emit(&Event::AlertsChanged);
        self.nudge.send_replace(());
    }
}
