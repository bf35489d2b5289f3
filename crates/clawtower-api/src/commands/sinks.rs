//! Where alerts go besides the desktop, and the anomaly rules that raise them.

use clawtower_control::alerts::sinks::{SinkDraft, SinkView};
use clawtower_control::anomaly::store::AnomalyRules;
use clawtower_control::anomaly::{Anomaly, AnomalyDraft};
use clawtower_core::period::now_local;

use super::blocking;
use crate::{ApiError, Runtime};

/// Every alert sink (secrets are never returned).
pub async fn alert_sinks(runtime: &Runtime) -> Result<Vec<SinkView>, ApiError> {
    blocking(runtime, "alert_sinks", |rt| rt.engine().alert_sinks()).await
}

/// Adds an alert sink (validated; `INVALID_INPUT` says what is wrong).
pub async fn add_alert_sink(runtime: &Runtime, draft: SinkDraft) -> Result<SinkView, ApiError> {
    blocking(runtime, "add_alert_sink", move |rt| {
        rt.engine().add_alert_sink(&draft)
    })
    .await
}

/// Removes an alert sink.
pub async fn remove_alert_sink(runtime: &Runtime, id: i32) -> Result<(), ApiError> {
    blocking(runtime, "remove_alert_sink", move |rt| {
        rt.engine().remove_alert_sink(i64::from(id))
    })
    .await
}

/// Sends a test alert to a sink now (delivery blocks up to 10 s); `None` when delivered, else
/// why it was not.
pub async fn test_alert_sink(runtime: &Runtime, id: i32) -> Result<Option<String>, ApiError> {
    let now_ms = now_local().timestamp().as_millisecond();
    let outcome = blocking(runtime, "test_alert_sink", move |rt| {
        clawtower_control::alerts::sinks::send_test(rt.store(), i64::from(id), now_ms)
    })
    .await?;
    Ok(outcome.err().map(|e| e.0))
}

/// Every anomaly rule, and those this build cannot read (to remove them).
pub async fn anomaly_rules(runtime: &Runtime) -> Result<AnomalyRules, ApiError> {
    blocking(runtime, "anomaly_rules", |rt| rt.engine().anomaly_rules()).await
}

/// Adds an anomaly rule (validated); the budget loop checks it at once.
pub async fn add_anomaly_rule(runtime: &Runtime, draft: AnomalyDraft) -> Result<Anomaly, ApiError> {
    let rule = blocking(runtime, "add_anomaly_rule", move |rt| {
        rt.engine().add_anomaly_rule(draft)
    })
    .await?;
    runtime.budgets().nudge();
    Ok(rule)
}

/// Removes an anomaly rule.
pub async fn remove_anomaly_rule(runtime: &Runtime, id: i32) -> Result<(), ApiError> {
    blocking(runtime, "remove_anomaly_rule", move |rt| {
        rt.engine().remove_anomaly_rule(i64::from(id))
    })
    .await
}
