//! The audit log: who (the app, the CLI, the HTTP API) did what to which agent, session or cron
//! job, when, and how it went.

use rusqlite::{params, Connection};
use serde::Serialize;

use clawtower_core::Result;

/// One action, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Its id (newest is highest).
    pub id: i32,
    /// When, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub ts_ms: i64,
    /// Who: `app`, `cli` or `api`.
    pub actor: String,
    /// What: `agent.archive`, `agent.restore`, `session.abort`…
    pub action: String,
    /// On what: an agent id, an archive id, a session key, a cron job id.
    pub target: String,
    /// `ok`, or `failed`.
    pub result: String,
    /// What came of it, or why it failed.
    pub detail: Option<String>,
}

/// Records an action and its outcome.
pub fn record(
    conn: &Connection,
    actor: &str,
    action: &str,
    target: &str,
    outcome: std::result::Result<&str, &str>,
    ts_ms: i64,
) -> Result<()> {
    let (result, detail) = match outcome {
        Ok(detail) => ("ok", detail),
        Err(why) => ("failed", why),
    };
    let detail = (!detail.is_empty()).then_some(detail);
    conn.prepare_cached(
        "INSERT INTO audit_log (ts_ms, actor, action, target, result, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![ts_ms, actor, action, target, result, detail])?;
    Ok(())
}

/// The latest `limit` entries, newest first.
pub fn latest(conn: &Connection, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, ts_ms, actor, action, target, result, detail FROM audit_log
         ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            ts_ms: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            result: r.get(5)?,
            detail: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::Store;

    #[test]
    fn records_newest_first_with_outcomes() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                record(
                    c,
                    "cli",
                    "agent.archive",
                    "ops",
                    Ok("ops-20261203T062000Z"),
                    1,
                )?;
                record(
                    c,
                    "app",
                    "agent.restore",
                    "ops-x",
                    Err("the gateway is unreachable"),
                    2,
                )?;
                let all = latest(c, 10)?;
                assert_eq!(all.len(), 2);
                assert_eq!(
                    (all[0].actor.as_str(), all[0].result.as_str()),
                    ("app", "failed")
                );
                assert_eq!(all[1].detail.as_deref(), Some("ops-20261203T062000Z"));
                assert_eq!(latest(c, 1)?.len(), 1);
                Ok(())
            })
            .unwrap();
    }
}
