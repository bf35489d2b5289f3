//! Budgets, pauses and the alert history.

use clawtower_control::alerts::Alert;
use clawtower_control::budget::{Budget, BudgetDraft};
use clawtower_control::pause::PauseView;
use clawtower_control::BudgetBoard;
use clawtower_core::ErrorCode;

use super::blocking;
use crate::{ApiError, Runtime};

/// How many alerts the history shows.
const ALERTS_SHOWN: u32 = 200;

/// Every budget with where it stands, and the pauses holding now.
pub async fn budget_board(runtime: &Runtime) -> Result<BudgetBoard, ApiError> {
    blocking(runtime, "budget_board", |rt| rt.engine().budget_board()).await
}

/// Adds a budget (`id` `None`) or changes one; returns it as stored (validated).
pub async fn save_budget(
    runtime: &Runtime,
    id: Option<i32>,
    draft: BudgetDraft,
) -> Result<Budget, ApiError> {
    let budget = blocking(runtime, "save_budget", move |rt| {
        rt.engine().save_budget(id.map(i64::from), draft)
    })
    .await?;
    runtime.budgets().nudge();
    Ok(budget)
}

/// Removes a budget; returns it, for undo.
pub async fn remove_budget(runtime: &Runtime, id: i32) -> Result<Budget, ApiError> {
    let budget = blocking(runtime, "remove_budget", move |rt| {
        rt.engine().remove_budget(i64::from(id))
    })
    .await?;
    runtime.budgets().nudge();
    Ok(budget)
}

/// Undoes a removal.
pub async fn restore_budget(runtime: &Runtime, budget: Budget) -> Result<(), ApiError> {
    blocking(runtime, "restore_budget", move |rt| {
        rt.engine().restore_budget(&budget)
    })
    .await?;
    runtime.budgets().nudge();
    Ok(())
}

/// The latest alerts, newest first.
pub async fn alerts(runtime: &Runtime) -> Result<Vec<Alert>, ApiError> {
    blocking(runtime, "alerts", |rt| rt.engine().alerts(ALERTS_SHOWN)).await
}

/// Acknowledges one alert, or all (`id` `None`); the tray's "new alerts" line follows.
pub async fn acknowledge_alerts(runtime: &Runtime, id: Option<i32>) -> Result<(), ApiError> {
    blocking(runtime, "acknowledge_alerts", move |rt| {
        rt.engine().acknowledge_alerts(id.map(i64::from))
    })
    .await?;
    runtime.budgets().nudge();
    Ok(())
}

/// Pauses everything now (soft layers + abort), recording what changed.
pub async fn pause_all(runtime: &Runtime) -> Result<PauseView, ApiError> {
    let record = runtime
        .budgets()
        .pause_all("Paused from the app")
        .await
        .ok_or_else(no_identity)??;
    Ok(record.view())
}

/// Undoes every pause exactly; returns what was resumed (with problems, if any).
pub async fn resume_all(runtime: &Runtime) -> Result<Vec<PauseView>, ApiError> {
    let records = runtime
        .budgets()
        .resume_all()
        .await
        .ok_or_else(no_identity)??;
    Ok(records.iter().map(|r| r.view()).collect())
}

/// A connection to the local gateway (the one budgets control) and its URL.
pub(crate) async fn local_gateway(
    runtime: &Runtime,
) -> Result<(clawtower_gateway::GatewayClient, String), ApiError> {
    let pauser = runtime.budgets().pauser().ok_or_else(no_identity)?;
    let url = pauser
        .url()
        .ok_or_else(|| ApiError::new(ErrorCode::Gateway, "no local gateway is configured"))?;
    Ok((pauser.connect().await?, url))
}

/// The answer when Clawtower has no device identity (it cannot control a gateway).
fn no_identity() -> ApiError {
    ApiError::new(
        ErrorCode::Gateway,
        "Clawtower has no device identity, so it cannot control a gateway (see the log)",
    )
}
