//! Alerts: each one is shown as a native notification and kept in the store, so the app can show
//! the history (with acknowledge) even when desktop delivery failed, which on Linux is silent, and
//! sent to the user's sinks (webhook, Slack, Discord, Telegram, ntfy, email).

pub(crate) mod notifier;
pub mod sinks;

pub use notifier::{Notification, Notifier, NotifyError, RecordingNotifier};

use std::sync::Arc;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};
use clawtower_store::Store;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum AlertKind {
    /// A budget crossed a warning threshold.
    Threshold,
    /// The gateway (or an agent) was paused.
    Pause,
    /// A pause was lifted.
    Resume,
    /// A pause or resume could not be completed: the gateway may be half-paused.
    PauseFailed,
    /// An anomaly rule fired (runaway loop, spike, long run, costly session).
    Anomaly,
}

impl AlertKind {
    fn as_str(self) -> &'static str {
        match self {
            AlertKind::Threshold => "threshold",
            AlertKind::Pause => "pause",
            AlertKind::Resume => "resume",
            AlertKind::PauseFailed => "pauseFailed",
            AlertKind::Anomaly => "anomaly",
        }
    }

    fn parse(text: &str) -> AlertKind {
        match text {
            "pause" => AlertKind::Pause,
            "resume" => AlertKind::Resume,
            "pauseFailed" => AlertKind::PauseFailed,
            "anomaly" => AlertKind::Anomaly,
            _ => AlertKind::Threshold,
        }
    }
}

/// An alert as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Stable id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// When (Unix ms).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub ts_ms: i64,
    /// What it is about.
    pub kind: AlertKind,
    /// The budget that raised it, if any.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub budget_id: Option<i64>,
    /// One line.
    pub title: String,
    /// Details.
    pub body: String,
    /// Whether the desktop notification was handed to the notification server.
    pub delivered: bool,
    /// Whether the user acknowledged it in the app.
    pub acknowledged: bool,
}

/// Records an alert, shows it on the desktop and sends it to every alert sink (in the
/// background); returns it as stored. It is in the store before the notification goes out (a UI
/// refreshing on the notification finds it); delivery failure is recorded, not fatal.
pub fn raise(
    store: &Arc<Store>,
    notifier: &dyn Notifier,
    kind: AlertKind,
    budget_id: Option<i64>,
    notification: Notification,
    now_ms: i64,
) -> Result<Alert> {
    let id = store.with_conn(|c| {
        c.execute(
            "INSERT INTO alerts (ts_ms, kind, budget_id, title, body, delivered) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            params![now_ms, kind.as_str(), budget_id, notification.title, notification.body],
        )?;
        Ok(c.last_insert_rowid())
    })?;
    let delivered = match notifier.notify(&notification) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(%e, title = %notification.title, "alert not delivered to the desktop");
            false
        }
    };
    if delivered {
        store.with_conn(|c| {
            c.execute("UPDATE alerts SET delivered = 1 WHERE id = ?1", params![id])?;
            Ok(())
        })?;
    }
    let alert = Alert {
        id,
        ts_ms: now_ms,
        kind,
        budget_id,
        title: notification.title,
        body: notification.body,
        delivered,
        acknowledged: false,
    };
    notifier.recorded(&alert);
    if let Err(e) = crate::alerts::sinks::dispatch(store, &alert) {
        tracing::warn!(%e, "alert not sent to the alert sinks");
    }
    Ok(alert)
}

/// The latest `limit` alerts, newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<Alert>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, ts_ms, kind, budget_id, title, body, delivered, acknowledged_ms IS NOT NULL
         FROM alerts ORDER BY id DESC LIMIT ?1",
    )?;
    let alerts = stmt
        .query_map(params![limit], |row| {
            Ok(Alert {
                id: row.get(0)?,
                ts_ms: row.get(1)?,
                kind: AlertKind::parse(&row.get::<_, String>(2)?),
                budget_id: row.get(3)?,
                title: row.get(4)?,
                body: row.get(5)?,
                delivered: row.get(6)?,
                acknowledged: row.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(alerts)
}

/// How many alerts are not acknowledged yet.
pub fn unacknowledged(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM alerts WHERE acknowledged_ms IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Marks alerts acknowledged: one id, or all of them when `id` is `None`.
pub fn acknowledge(conn: &Connection, id: Option<i64>, now_ms: i64) -> Result<()> {
    let changed = match id {
        Some(id) => conn.execute(
            "UPDATE alerts SET acknowledged_ms = COALESCE(acknowledged_ms, ?2) WHERE id = ?1",
            params![id, now_ms],
        )?,
        None => conn.execute(
            "UPDATE alerts SET acknowledged_ms = ?1 WHERE acknowledged_ms IS NULL",
            params![now_ms],
        )?,
    };
    if changed == 0 {
        if let Some(id) = id {
            return Err(EngineError::NotFound(format!("alert {id}")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::notifier::{NotifyError, RecordingNotifier};

    struct Broken;
    impl Notifier for Broken {
        fn notify(&self, _: &Notification) -> Result<(), NotifyError> {
            Err(NotifyError("no notification server".into()))
        }
    }

    fn note(title: &str) -> Notification {
        Notification {
            title: title.into(),
            body: "b".into(),
        }
    }

    #[test]
    fn alerts_are_kept_delivered_or_not_and_can_be_acknowledged() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let desktop = RecordingNotifier::default();
        let a = raise(
            &store,
            &desktop,
            AlertKind::Threshold,
            Some(1),
            note("80%"),
            10,
        )
        .unwrap();
        let b = raise(
            &store,
            &Broken,
            AlertKind::Pause,
            Some(1),
            note("paused"),
            20,
        )
        .unwrap();
        assert!(a.delivered && !b.delivered);
        assert_eq!(desktop.sent().len(), 1);
        store
            .with_conn(|c| {
                assert_eq!(
                    recent(c, 10)?.iter().map(|a| a.id).collect::<Vec<_>>(),
                    vec![b.id, a.id]
                );
                acknowledge(c, Some(a.id), 30)?;
                let all = recent(c, 10)?;
                assert!(all[1].acknowledged && !all[0].acknowledged);
                assert_eq!(unacknowledged(c)?, 1);
                acknowledge(c, None, 40)?;
                assert_eq!(unacknowledged(c)?, 0);
                assert!(recent(c, 10)?.iter().all(|a| a.acknowledged));
                assert_eq!(
                    acknowledge(c, Some(99), 50).unwrap_err().code(),
                    clawtower_core::ErrorCode::NotFound
                );
                Ok(())
            })
            .unwrap();
    }
}
