//! Fans each alert out to every sink, in the background (a slow webhook never delays the budget
//! loop), honouring each sink's cooldown and recording each attempt.

use std::sync::Arc;

use super::config::SinkView;
use super::deliver::{deliver, DeliveryError};
use super::store;
use crate::alerts::{Alert, AlertKind};
use clawtower_core::error::Result;
use clawtower_store::Store;

/// Sends `alert` to every sink not in its cooldown, on a background thread. Returns the thread
/// (tests join it), or `None` when there are no sinks.
pub fn dispatch(store: &Arc<Store>, alert: &Alert) -> Result<Option<std::thread::JoinHandle<()>>> {
    let sinks = store.with_conn(|c| store::list(c))?;
    // A sink that cannot be read is skipped (it shows as such); the others still get the alert.
    let due: Vec<_> = sinks
        .into_iter()
        .filter_map(|(view, config)| Some((view, config?)))
        .filter(|(view, _)| !cooling_down(view, alert.ts_ms))
        .collect();
    if due.is_empty() {
        return Ok(None);
    }
    store.with_conn(|c| {
        due.iter()
            .try_for_each(|(view, _)| store::claim(c, view.id, alert.ts_ms))
    })?;
    let (store, alert) = (store.clone(), alert.clone());
    let thread = std::thread::Builder::new()
        .name("alert-sinks".into())
        .spawn(move || {
            for (view, destination) in due {
                let outcome = deliver(&destination, &alert);
                if let Err(e) = &outcome {
                    tracing::warn!(sink = %view.name, error = %e, "alert not delivered");
                }
                let error = outcome.err().map(|e| e.0);
                let recorded = store.with_conn(|c| {
                    if error.is_some() {
                        // A failed delivery does not use up the cooldown.
                        store::release(c, view.id, alert.ts_ms, view.last_sent_ms)?;
                    }
                    store::record_outcome(c, view.id, error.as_deref())
                });
                if let Err(e) = recorded {
                    tracing::warn!(%e, "could not record an alert delivery");
                }
            }
        })
        .map_err(|e| clawtower_core::EngineError::io("starting alert delivery", e))?;
    Ok(Some(thread))
}

fn cooling_down(view: &SinkView, now_ms: i64) -> bool {
    view.last_sent_ms
        .is_some_and(|last| now_ms - last < i64::from(view.cooldown_secs) * 1000)
}

/// Sends a test alert to one sink now (ignoring its cooldown) and records the outcome (a
/// successful send starts the cooldown, a failed one leaves it as it was).
pub fn send_test(
    store: &Store,
    id: i64,
    now_ms: i64,
) -> Result<std::result::Result<(), DeliveryError>> {
    let (view, destination) = store.with_conn(|c| store::get(c, id))?;
    let alert = Alert {
        id: 0,
        ts_ms: now_ms,
        kind: AlertKind::Threshold,
        budget_id: None,
        title: "Clawtower test alert".into(),
        body: format!("If you can read this, alerts reach “{}”.", view.name),
        delivered: true,
        acknowledged: false,
    };
    let outcome = deliver(&destination, &alert);
    let error = outcome.as_ref().err().map(|e| e.0.clone());
    store.with_conn(|c| {
        if error.is_none() {
            store::claim(c, id, now_ms)?;
        }
        store::record_outcome(c, id, error.as_deref())
    })?;
    Ok(outcome)
}
