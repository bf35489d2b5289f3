//! Anomaly rules and what they fired on, in the store.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::rule::{Anomaly, AnomalyDraft};
use clawtower_core::error::{EngineError, Result};

/// Adds a rule.
pub fn add(conn: &Connection, draft: AnomalyDraft) -> Result<Anomaly> {
    let draft = draft.validated()?;
    let json =
        serde_json::to_string(&draft).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
    conn.execute(
        "INSERT INTO anomaly_rules (definition) VALUES (?1)",
        params![json],
    )?;
    Ok(Anomaly {
        id: conn.last_insert_rowid(),
        draft,
        problem: None,
    })
}

/// Removes a rule.
pub fn remove(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM anomaly_rules WHERE id = ?1", params![id])? == 0 {
        return Err(EngineError::NotFound(format!("anomaly rule {id}")));
    }
    Ok(())
}

/// Every rule.
pub fn list(conn: &Connection) -> Result<Vec<Anomaly>> {
    let AnomalyRules { rules, unreadable } = list_checked(conn)?;
    for UnreadableRule { id, why } in unreadable {
        tracing::warn!(id, why, "skipping an anomaly rule this build cannot read");
    }
    Ok(rules)
}

/// A stored rule this build cannot read (damaged, or from a newer Clawtower): it can only be
/// removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UnreadableRule {
    /// Its id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Why.
    pub why: String,
}

/// Every stored rule: those this build can read, and those it cannot.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AnomalyRules {
    /// The rules it reads (and checks).
    pub rules: Vec<Anomaly>,
    /// The rules it cannot read (skipped; the others run).
    pub unreadable: Vec<UnreadableRule>,
}

/// Every rule this build can read, and the id of each one it cannot (damaged, or from a newer
/// Clawtower) with why: skipped, not fatal — it must not stop the budget loop — and shown by
/// `doctor`.
pub fn list_checked(conn: &Connection) -> Result<AnomalyRules> {
    let mut stmt =
        conn.prepare_cached("SELECT id, definition, last_error FROM anomaly_rules ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut rules, mut unreadable) = (Vec::new(), Vec::new());
    for (id, json, problem) in rows {
        match serde_json::from_str(&json) {
            Ok(draft) => rules.push(Anomaly { id, draft, problem }),
            Err(e) => unreadable.push(UnreadableRule {
                id,
                why: format!("cannot be read: {e}"),
            }),
        }
    }
    Ok(AnomalyRules { rules, unreadable })
}

/// Records why a rule could not be checked (`None`: it was checked); writes only on a change.
pub fn set_problem(conn: &Connection, id: i64, problem: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE anomaly_rules SET last_error = ?2 WHERE id = ?1 AND last_error IS NOT ?2",
    )?
    .execute(params![id, problem])?;
    Ok(())
}

/// Forgets what fired before `before_ms` (the table stays small; a loop or a costly session a
/// week old would need new activity to fire again).
pub fn forget_fired_before(conn: &Connection, before_ms: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM anomaly_fired WHERE fired_ms < ?1",
        params![before_ms],
    )?;
    Ok(())
}

/// Records that `rule_id` fired on `subject`; false when it already had.
pub fn mark_fired(conn: &Connection, rule_id: i64, subject: &str, now_ms: i64) -> Result<bool> {
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO anomaly_fired (rule_id, subject, fired_ms) VALUES (?1, ?2, ?3)",
        params![rule_id, subject, now_ms],
    )?;
    Ok(inserted == 1)
}

/// Re-arms `rule_id` for every subject not in `still_firing` (their condition cleared).
pub fn rearm_except(conn: &Connection, rule_id: i64, still_firing: &[&str]) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT subject FROM anomaly_fired WHERE rule_id = ?1")?;
    let fired = stmt
        .query_map(params![rule_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for subject in fired.iter().filter(|s| !still_firing.contains(&s.as_str())) {
        conn.execute(
            "DELETE FROM anomaly_fired WHERE rule_id = ?1 AND subject = ?2",
            params![rule_id, subject],
        )?;
    }
    Ok(())
}
