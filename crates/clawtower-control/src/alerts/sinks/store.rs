//! Alert sinks in the store.

use rusqlite::{params, Connection, OptionalExtension};

use super::config::{proxy_shown, Destination, SinkConfig, SinkDraft, SinkView};
use clawtower_core::error::{EngineError, Result};

/// Adds a sink; returns its view.
pub fn add(conn: &Connection, draft: &SinkDraft) -> Result<SinkView> {
    let draft = draft.clone().validated()?;
    let name = match draft.name.trim() {
        "" => draft.config.kind().to_string(),
        name => name.to_string(),
    };
    let definition = serde_json::to_string(&draft.config)
        .map_err(|e| EngineError::InvalidInput(e.to_string()))?;
    conn.execute(
        "INSERT INTO alert_sinks (name, definition, cooldown_secs, proxy) VALUES (?1, ?2, ?3, ?4)",
        params![name, definition, draft.cooldown_secs, draft.proxy],
    )?;
    get(conn, conn.last_insert_rowid()).map(|(view, _)| view)
}

/// Removes a sink; its definition (with its secrets) is overwritten in the database file, not
/// just unlinked.
pub fn remove(conn: &Connection, id: i64) -> Result<()> {
    let removed = clawtower_store::wiping_deleted(conn, |c| {
        Ok(c.execute("DELETE FROM alert_sinks WHERE id = ?1", params![id])?)
    })?;
    if removed == 0 {
        return Err(EngineError::NotFound(format!("alert sink {id}")));
    }
    Ok(())
}

/// One sink: its view and where it goes (with secrets, for delivery only).
pub fn get(conn: &Connection, id: i64) -> Result<(SinkView, Destination)> {
    let (view, config) = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), params![id], row)
        .optional()?
        .ok_or_else(|| EngineError::NotFound(format!("alert sink {id}")))?;
    Ok((view, config.map_err(EngineError::Corrupt)?))
}

/// Every sink, oldest first. One this build cannot read (damaged, or saved by a newer
/// Clawtower) is listed with kind `unreadable` and why, and without a config: alerts skip it,
/// every other sink still gets them, and the user sees it and can remove it.
pub fn list(conn: &Connection) -> Result<Vec<(SinkView, Option<Destination>)>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY id"))?;
    let rows = stmt
        .query_map([], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(view, config)| (view, config.ok()))
        .collect())
}

/// Marks a sink as sending at `sent_ms` (starting its cooldown before the delivery runs, so two
/// alerts in quick succession cannot both slip through). A delivery that then fails gives the
/// claim back ([`release`]): only a successful send uses up the cooldown.
pub fn claim(conn: &Connection, id: i64, sent_ms: i64) -> Result<()> {
    conn.execute(
        "UPDATE alert_sinks SET last_sent_ms = ?2 WHERE id = ?1",
        params![id, sent_ms],
    )?;
    Ok(())
}

/// Gives back the claim made at `claimed_ms` after a failed delivery: `last_sent_ms` returns to
/// `previous` (when the sink last delivered), unless a later claim took its place meanwhile.
pub fn release(conn: &Connection, id: i64, claimed_ms: i64, previous: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE alert_sinks SET last_sent_ms = ?3 WHERE id = ?1 AND last_sent_ms = ?2",
        params![id, claimed_ms, previous],
    )?;
    Ok(())
}

/// Records how the last delivery went (`None`: delivered).
pub fn record_outcome(conn: &Connection, id: i64, error: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE alert_sinks SET last_error = ?2 WHERE id = ?1",
        params![id, error],
    )?;
    Ok(())
}

const SELECT: &str =
    "SELECT id, name, definition, cooldown_secs, last_sent_ms, last_error, proxy FROM alert_sinks";

/// A sink row: its view, and where it goes or why that cannot be read.
fn row(
    row: &rusqlite::Row,
) -> rusqlite::Result<(SinkView, std::result::Result<Destination, String>)> {
    let id: i64 = row.get(0)?;
    let definition: String = row.get(2)?;
    let proxy: Option<String> = row.get(6)?;
    let config = serde_json::from_str::<SinkConfig>(&definition)
        .map_err(|e| format!("alert sink {id} cannot be read: {e}"));
    let (kind, target, last_error) = match &config {
        Ok(config) => (config.kind().into(), config.describe(), row.get(5)?),
        Err(why) => ("unreadable".into(), String::new(), Some(why.clone())),
    };
    Ok((
        SinkView {
            id,
            name: row.get(1)?,
            kind,
            target,
            cooldown_secs: row.get(3)?,
            last_sent_ms: row.get(4)?,
            last_error,
            proxy: proxy.as_deref().map(proxy_shown),
        },
        config.map(|config| Destination { config, proxy }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::Store;

    #[test]
    fn sinks_are_stored_and_listed_without_secrets() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let draft = SinkDraft {
                    name: " ".into(),
                    config: SinkConfig::Slack {
                        webhook_url: "https://hooks.slack.com/services/T/B/SECRET".into(),
                    },
                    cooldown_secs: 60,
                    proxy: None,
                };
                let view = add(c, &draft)?;
                assert_eq!(
                    (view.name.as_str(), view.kind.as_str(), view.target.as_str()),
                    ("slack", "slack", "hooks.slack.com")
                );
                assert!(!serde_json::to_string(&view).unwrap().contains("SECRET"));
                claim(c, view.id, 5)?;
                record_outcome(c, view.id, Some("HTTP 500"))?;
                let (after, destination) = get(c, view.id)?;
                assert_eq!(
                    (after.last_sent_ms, after.last_error.as_deref()),
                    (Some(5), Some("HTTP 500"))
                );
                assert_eq!(destination.config, draft.config);
                remove(c, view.id)?;
                assert!(list(c)?.is_empty());
                assert_eq!(
                    remove(c, view.id).unwrap_err().code(),
                    clawtower_core::ErrorCode::NotFound
                );
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_removed_sink_is_wiped_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("ledger.sqlite3")).unwrap();
        store
            .with_conn(|c| {
                let draft = SinkDraft {
                    name: "s".into(),
                    config: SinkConfig::Telegram {
                        bot_token: "123:REMOVED_SINK_SECRET".into(),
                        chat_id: "42".into(),
                    },
                    cooldown_secs: 0,
                    proxy: None,
                };
                let id = add(c, &draft)?.id;
                let found = |c: &Connection| {
                    clawtower_store::testing::in_database_file(c, "REMOVED_SINK_SECRET")
                };
                assert!(found(c));
                remove(c, id)?;
                assert!(!found(c), "the secret is overwritten, not just unlinked");
                Ok(())
            })
            .unwrap();
    }
}
