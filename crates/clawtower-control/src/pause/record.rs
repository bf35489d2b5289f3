//! Pause records in the store: written before the first change and after each one, so whatever
//! happens (a crash, a restart) resume knows exactly what to undo.

use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

use super::step::PauseStep;
use crate::budget::BudgetScope;
use clawtower_core::error::{EngineError, Result};

/// A pause: what it covers, why, and what it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct PauseRecord {
    /// Stable id.
    pub id: i64,
    /// What it pauses.
    pub scope: BudgetScope,
    /// Why, for people ("Budget Daily cap reached", "Paused from the tray").
    pub reason: String,
    /// The budget that paused, if one did.
    pub budget_id: Option<i64>,
    /// The gateway it changed.
    pub gateway_url: String,
    /// When (Unix ms).
    pub started_ms: i64,
    /// The changes made, in order.
    pub steps: Vec<PauseStep>,
    /// What could not be done (the gateway may be partly paused).
    pub problems: Vec<String>,
    /// When it was lifted.
    pub resumed_ms: Option<i64>,
}

/// A pause as the UI and `clawtower budget status --json` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PauseView {
    /// Stable id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Scope in its text form (`all`, `agent:main`…).
    pub scope: String,
    /// Why.
    pub reason: String,
    /// The budget that paused, if one did.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub budget_id: Option<i64>,
    /// When (Unix ms).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub started_ms: i64,
    /// What was changed, for people.
    pub steps: Vec<String>,
    /// What could not be done.
    pub problems: Vec<String>,
}

impl PauseRecord {
    /// What the pause did, in one sentence ("Run in … aborted, cron scheduler turned off…").
    pub fn summary(&self) -> String {
        let aborted = self
            .steps
            .iter()
            .filter(|s| matches!(s, PauseStep::SessionAborted { .. }))
            .count();
        let mut parts: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.is_undoable() || matches!(s, PauseStep::RouterGateClosed { .. }))
            .map(PauseStep::describe)
            .collect();
        if aborted > 0 {
            parts.push(format!(
                "{aborted} run{} aborted",
                if aborted == 1 { "" } else { "s" }
            ));
        }
        let done = if parts.is_empty() {
            "Nothing was running.".to_string()
        } else {
            format!("{}.", clawtower_core::text::capitalize(&parts.join(", ")))
        };
        if self.problems.is_empty() {
            done
        } else {
            format!("{done} Not done: {}.", self.problems.join("; "))
        }
    }

    /// The view for the UI.
    pub fn view(&self) -> PauseView {
        PauseView {
            id: self.id,
            scope: self.scope.to_text(),
            reason: self.reason.clone(),
            budget_id: self.budget_id,
            started_ms: self.started_ms,
            steps: self.steps.iter().map(PauseStep::describe).collect(),
            problems: self.problems.clone(),
        }
    }
}

/// Starts a record (no steps yet).
pub fn begin(
    conn: &Connection,
    scope: &BudgetScope,
    reason: &str,
    budget_id: Option<i64>,
    gateway_url: &str,
    now_ms: i64,
) -> Result<PauseRecord> {
    conn.execute(
        "INSERT INTO pauses (scope, reason, budget_id, gateway_url, started_ms, steps, problems)
         VALUES (?1, ?2, ?3, ?4, ?5, '[]', '[]')",
        params![json(scope)?, reason, budget_id, gateway_url, now_ms],
    )?;
    Ok(PauseRecord {
        id: conn.last_insert_rowid(),
        scope: scope.clone(),
        reason: reason.to_string(),
        budget_id,
        gateway_url: gateway_url.to_string(),
        started_ms: now_ms,
        steps: vec![],
        problems: vec![],
        resumed_ms: None,
    })
}

/// Saves the record's steps and problems.
pub fn save(conn: &Connection, record: &PauseRecord) -> Result<()> {
    conn.execute(
        // A record resumed meanwhile stays resumed.
        "UPDATE pauses SET steps = ?2, problems = ?3, resumed_ms = ?4 WHERE id = ?1 AND resumed_ms IS NULL",
        params![
            record.id,
            json(&record.steps)?,
            json(&record.problems)?,
            record.resumed_ms
        ],
    )?;
    Ok(())
}

/// Deletes a record that changed nothing (a pause that could not start).
pub fn discard(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM pauses WHERE id = ?1", params![id])?;
    Ok(())
}

/// Pauses that hold now, oldest first.
pub fn active(conn: &Connection) -> Result<Vec<PauseRecord>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE resumed_ms IS NULL ORDER BY id"))?;
    let rows = stmt
        .query_map([], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(decode).collect()
}

const SELECT: &str =
    "SELECT id, scope, reason, budget_id, gateway_url, started_ms, steps, problems, resumed_ms FROM pauses";

type Raw = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    i64,
    String,
    String,
    Option<i64>,
);

fn raw(row: &Row) -> rusqlite::Result<Raw> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn decode(raw: Raw) -> Result<PauseRecord> {
    let (id, scope, reason, budget_id, gateway_url, started_ms, steps, problems, resumed_ms) = raw;
    let parse_error =
        |what: &str, e: serde_json::Error| EngineError::Corrupt(format!("pause {id} {what}: {e}"));
    Ok(PauseRecord {
        id,
        scope: serde_json::from_str(&scope).map_err(|e| parse_error("scope", e))?,
        reason,
        budget_id,
        gateway_url,
        started_ms,
        steps: serde_json::from_str(&steps).map_err(|e| parse_error("steps", e))?,
        problems: serde_json::from_str(&problems).map_err(|e| parse_error("problems", e))?,
        resumed_ms,
    })
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| EngineError::InvalidInput(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::Store;

    #[test]
    fn records_survive_and_resumed_ones_are_not_active() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let mut record = begin(
                    c,
                    &BudgetScope::Agent("ops".into()),
                    "manual",
                    None,
                    "ws://x/",
                    5,
                )?;
                record.steps.push(PauseStep::HeartbeatsDisabled);
                record.problems.push("channels.status failed".into());
                save(c, &record)?;
                assert_eq!(active(c)?, vec![record.clone()]);
                assert_eq!(
                    record.view().steps,
                    vec!["heartbeat wakes turned off".to_string()]
                );
                record.resumed_ms = Some(9);
                save(c, &record)?;
                assert!(active(c)?.is_empty());
                let resumed: Option<i64> = c.query_row(
                    "SELECT resumed_ms FROM pauses WHERE id = ?1",
                    params![record.id],
                    |r| r.get(0),
                )?;
                assert_eq!(resumed, Some(9));
                Ok(())
            })
            .unwrap();
    }
}
