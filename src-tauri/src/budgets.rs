//! Runs the engine's budget loop for the app's lifetime and wires it to the tray, the UI and
//! native notifications; Pause all / Resume from the tray and the app.

use std::sync::Arc;

use clawtower_engine::alerts::{raise, AlertKind};
use clawtower_engine::budget::{run_budget_loop, BudgetBoard, BudgetEnforcer, BudgetScope};
use clawtower_engine::gateway::{DeviceIdentity, Target};
use clawtower_engine::notifier::Notification;
use clawtower_engine::pause::{PauseRecord, PauseRequest, Pauser};
use clawtower_engine::period::now_local;
use clawtower_engine::store::model_calls::ModelCall;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::watch;

use crate::error::AppError;
use crate::notifier::DesktopNotifier;
use crate::state::AppState;
use crate::tray;

/// Emitted when budgets, their figures or pauses change.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct BudgetBoardChanged(pub BudgetBoard);

/// Emitted when a new alert is recorded (the UI refreshes its alert list).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct AlertsChanged;

/// Managed state: the enforcer and the nudge that makes the loop run now.
pub struct BudgetControl {
    enforcer: Option<Arc<BudgetEnforcer>>,
    nudge: watch::Sender<()>,
}

impl BudgetControl {
    /// Makes the budget loop run a pass now (after an edit or a pause).
    pub fn nudge(&self) {
        self.nudge.send_replace(());
    }

    fn pauser(&self) -> Result<&Pauser, AppError> {
        self.enforcer
            .as_ref()
            .and_then(|e| e.pauser())
            .ok_or_else(|| AppError::new(clawtower_engine::ErrorCode::Gateway, "Clawtower has no device identity, so it cannot control a gateway (see the log)"))
    }

    /// Points pauses at the gateway budgets control (or at none), among every followed one.
    pub fn retarget(&self, controlled: Option<Target>, followed: Vec<Target>) {
        if let Ok(pauser) = self.pauser() {
            pauser.retarget(controlled, followed);
        }
    }

    /// Pauses everything (manual).
    pub async fn pause_all(&self, reason: &str) -> Result<PauseRecord, AppError> {
        let request = PauseRequest {
            scope: BudgetScope::All,
            reason: reason.into(),
            budget_id: None,
        };
        let record = self
            .pauser()?
            .pause(request, now_local().timestamp().as_millisecond())
            .await?;
        self.nudge();
        Ok(record)
    }

    /// Lifts every pause.
    pub async fn resume_all(&self) -> Result<Vec<PauseRecord>, AppError> {
        let records = self
            .pauser()?
            .resume(None, now_local().timestamp().as_millisecond())
            .await?;
        self.nudge();
        Ok(records)
    }

    /// The gateway connection is (again) live: re-apply in-memory pause steps a restart undid.
    pub fn on_live(&self) {
        if let Some(enforcer) = &self.enforcer {
            enforcer.spawn_reassert();
        }
    }

    /// What a gateway feed calls for each stored call: wake the loop, and, for the gateway
    /// budgets control, abort a run that started while paused.
    pub fn on_call(&self, call: &ModelCall, controlled: bool) {
        self.nudge();
        if let Some(enforcer) = self.enforcer.as_ref().filter(|_| controlled) {
            enforcer.spawn_enforce(&call.agent_id, &call.session_key);
        }
    }
}

/// Starts the budget loop (a no-op control when the engine did not start). Its pauser has no
/// gateway until the gateways are followed ([`BudgetControl::retarget`]).
pub fn start(app: &AppHandle, identity: Option<DeviceIdentity>) -> Arc<BudgetControl> {
    let (nudge, nudged) = watch::channel(());
    let (board_tx, board) = watch::channel(BudgetBoard::default());
    let state = app.state::<AppState>();
    let Ok(engine) = state.engine() else {
        return Arc::new(BudgetControl {
            enforcer: None,
            nudge,
        });
    };
    let store = engine.store().clone();
    let pauser = identity.map(|identity| Pauser::unattached(store.clone(), identity));
    let enforcer = Arc::new(BudgetEnforcer::new(
        store,
        Arc::new(AlertingNotifier {
            app: app.clone(),
            nudge: nudge.clone(),
        }),
        pauser,
    ));
    // Ledger changes (files or gateway, this process or another) wake the loop.
    let mut spend = engine.subscribe_spend();
    let forward = nudge.clone();
    tauri::async_runtime::spawn(async move {
        while spend.changed().await.is_ok() {
            forward.send_replace(());
        }
    });
    tauri::async_runtime::spawn(run_budget_loop(
        enforcer.clone(),
        nudged,
        now_local,
        board_tx,
    ));
    let handle = app.clone();
    let mut updates = board;
    tauri::async_runtime::spawn(async move {
        loop {
            let board = updates.borrow_and_update().clone();
            tray::update(&handle, |model| model.board = board.clone());
            if let Err(err) = BudgetBoardChanged(board).emit(&handle) {
                tracing::warn!(%err, "could not send the budget board to the UI");
            }
            if updates.changed().await.is_err() {
                return;
            }
        }
    });
    Arc::new(BudgetControl {
        enforcer: Some(enforcer),
        nudge,
    })
}

/// The desktop notifier that, once an alert is stored, tells the UI and wakes the budget loop
/// (the tray's "new alerts" line follows the board).
struct AlertingNotifier {
    app: AppHandle,
    nudge: watch::Sender<()>,
}

impl clawtower_engine::notifier::Notifier for AlertingNotifier {
    fn notify(
        &self,
        notification: &Notification,
    ) -> Result<(), clawtower_engine::notifier::NotifyError> {
        DesktopNotifier::new(self.app.clone()).notify(notification)
    }

    fn recorded(&self, _alert: &clawtower_engine::alerts::Alert) {
        let _ = AlertsChanged.emit(&self.app);
        self.nudge.send_replace(());
    }
}

/// Tray → Pause all.
pub fn pause_all_from_tray(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let control = app.state::<Arc<BudgetControl>>().inner().clone();
        let outcome = control.pause_all("Paused from the tray").await;
        let note = match &outcome {
            Ok(record) => Notification {
                title: "Paused".into(),
                body: format!("{} Resume from the tray or the app.", record.summary()),
            },
            Err(err) => Notification {
                title: "Could not pause".into(),
                body: err.message.clone(),
            },
        };
        let kind = if outcome.as_ref().is_ok_and(|r| r.problems.is_empty()) {
            AlertKind::Pause
        } else {
            AlertKind::PauseFailed
        };
        record_alert(&app, kind, note);
    });
}

/// Tray → Resume.
pub fn resume_all_from_tray(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let control = app.state::<Arc<BudgetControl>>().inner().clone();
        let outcome = control.resume_all().await;
        let problems: Vec<String> = match &outcome {
            Ok(records) => records.iter().flat_map(|r| r.problems.clone()).collect(),
            Err(err) => vec![err.message.clone()],
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
                Notification {
                    title: "Resume incomplete".into(),
                    body: problems.join("; "),
                },
            )
        };
        record_alert(&app, kind, note);
    });
}

fn record_alert(app: &AppHandle, kind: AlertKind, note: Notification) {
    let state = app.state::<AppState>();
    let Ok(engine) = state.engine() else { return };
    let notifier = AlertingNotifier {
        app: app.clone(),
        nudge: app.state::<Arc<BudgetControl>>().nudge.clone(),
    };
    if let Err(err) = raise(
        engine.store(),
        &notifier,
        kind,
        None,
        note,
        now_local().timestamp().as_millisecond(),
    ) {
        tracing::warn!(%err, "could not record the alert");
    }
}
