//! Typed IPC commands of the Budgets page and the alert history (see docs/ipc-contract.md).

use std::sync::Arc;

use clawtower_engine::alerts::Alert;
use clawtower_engine::anomaly::{Anomaly, AnomalyDraft};
use clawtower_engine::budget::{Budget, BudgetBoard, BudgetDraft};
use clawtower_engine::pause::PauseView;
use clawtower_engine::sinks::{SinkDraft, SinkView};
use clawtower_engine::ErrorCode;
use tauri::State;

use crate::budgets::BudgetControl;
use crate::error::AppError;
use crate::state::AppState;

/// Every budget with where it stands, and the pauses holding now.
#[tauri::command]
#[specta::specta]
pub fn budget_board(state: State<'_, AppState>) -> Result<BudgetBoard, AppError> {
    Ok(state.engine()?.budget_board()?)
}

/// Adds a budget (`id` null) or changes one; returns it as stored (validated).
#[tauri::command]
#[specta::specta]
pub fn save_budget(
    state: State<'_, AppState>,
    control: State<'_, Arc<BudgetControl>>,
    id: Option<i32>,
    draft: BudgetDraft,
) -> Result<Budget, AppError> {
    let budget = state.engine()?.save_budget(id.map(i64::from), draft)?;
    control.nudge();
    Ok(budget)
}

/// Removes a budget; returns it, for undo.
#[tauri::command]
#[specta::specta]
pub fn remove_budget(
    state: State<'_, AppState>,
    control: State<'_, Arc<BudgetControl>>,
    id: i32,
) -> Result<Budget, AppError> {
    let budget = state.engine()?.remove_budget(i64::from(id))?;
    control.nudge();
    Ok(budget)
}

/// Undoes a removal.
#[tauri::command]
#[specta::specta]
pub fn restore_budget(
    state: State<'_, AppState>,
    control: State<'_, Arc<BudgetControl>>,
    budget: Budget,
) -> Result<(), AppError> {
    state.engine()?.restore_budget(&budget)?;
    control.nudge();
    Ok(())
}

/// The latest alerts, newest first.
#[tauri::command]
#[specta::specta]
pub fn alerts(state: State<'_, AppState>) -> Result<Vec<Alert>, AppError> {
    Ok(state.engine()?.alerts(200)?)
}

/// Acknowledges one alert, or all (`id` null).
#[tauri::command]
#[specta::specta]
pub fn acknowledge_alerts(
    state: State<'_, AppState>,
    control: State<'_, Arc<BudgetControl>>,
    id: Option<i32>,
) -> Result<(), AppError> {
    state.engine()?.acknowledge_alerts(id.map(i64::from))?;
    // The tray's "new alerts" line follows.
    control.nudge();
    Ok(())
}

/// Pauses everything now (soft layers + abort), recording what changed.
#[tauri::command]
#[specta::specta]
pub async fn pause_all(control: State<'_, Arc<BudgetControl>>) -> Result<PauseView, AppError> {
    let control = control.inner().clone();
    Ok(control.pause_all("Paused from the app").await?.view())
}

/// Undoes every pause exactly; returns what was resumed (with problems, if any).
#[tauri::command]
#[specta::specta]
pub async fn resume_all(
    control: State<'_, Arc<BudgetControl>>,
) -> Result<Vec<PauseView>, AppError> {
    let control = control.inner().clone();
    Ok(control
        .resume_all()
        .await?
        .iter()
        .map(|r| r.view())
        .collect())
}

/// Every alert sink (secrets are never returned).
#[tauri::command]
#[specta::specta]
pub fn alert_sinks(state: State<'_, AppState>) -> Result<Vec<SinkView>, AppError> {
    Ok(state.engine()?.alert_sinks()?)
}

/// Adds an alert sink (validated; code INVALID_INPUT says what is wrong).
#[tauri::command]
#[specta::specta]
pub fn add_alert_sink(state: State<'_, AppState>, draft: SinkDraft) -> Result<SinkView, AppError> {
    Ok(state.engine()?.add_alert_sink(&draft)?)
}

/// Removes an alert sink.
#[tauri::command]
#[specta::specta]
pub fn remove_alert_sink(state: State<'_, AppState>, id: i32) -> Result<(), AppError> {
    Ok(state.engine()?.remove_alert_sink(i64::from(id))?)
}

/// Sends a test alert to a sink now; `null` when delivered, else why it was not.
#[tauri::command]
#[specta::specta]
pub async fn test_alert_sink(
    state: State<'_, AppState>,
    id: i32,
) -> Result<Option<String>, AppError> {
    // Delivery blocks (HTTP or SMTP, up to 10 s): off the async runtime.
    let store = state.engine()?.store().clone();
    let now_ms = clawtower_engine::period::now_local()
        .timestamp()
        .as_millisecond();
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        clawtower_engine::sinks::send_test(&store, i64::from(id), now_ms)
    })
    .await
    .map_err(|err| AppError::new(ErrorCode::Internal, format!("test did not finish: {err}")))??;
    Ok(outcome.err().map(|e| e.0))
}

/// Every anomaly rule.
#[tauri::command]
#[specta::specta]
pub fn anomaly_rules(state: State<'_, AppState>) -> Result<Vec<Anomaly>, AppError> {
    Ok(state.engine()?.anomaly_rules()?)
}

/// Adds an anomaly rule (validated).
#[tauri::command]
#[specta::specta]
pub fn add_anomaly_rule(
    state: State<'_, AppState>,
    control: State<'_, Arc<BudgetControl>>,
    draft: AnomalyDraft,
) -> Result<Anomaly, AppError> {
    let rule = state.engine()?.add_anomaly_rule(draft)?;
    control.nudge();
    Ok(rule)
}

/// Removes an anomaly rule.
#[tauri::command]
#[specta::specta]
pub fn remove_anomaly_rule(state: State<'_, AppState>, id: i32) -> Result<(), AppError> {
    Ok(state.engine()?.remove_anomaly_rule(i64::from(id))?)
}
