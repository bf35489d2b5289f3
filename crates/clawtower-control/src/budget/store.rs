//! Budgets and their per-window state in the engine's SQLite store.

use rusqlite::{params, Connection, OptionalExtension};

use super::model::{Budget, BudgetDraft};
use clawtower_core::error::{EngineError, Result};

/// Adds a budget; returns it with its id.
pub fn add(conn: &Connection, draft: BudgetDraft, now_ms: i64) -> Result<Budget> {
    let draft = draft.validated()?;
    conn.execute(
        "INSERT INTO budgets (definition, created_ms) VALUES (?1, ?2)",
        params![to_json(&draft)?, now_ms],
    )?;
    Ok(Budget {
        id: conn.last_insert_rowid(),
        draft,
    })
}

/// Replaces a budget's definition. Its alert state starts over (the limit may have moved).
pub fn update(conn: &Connection, id: i64, draft: BudgetDraft) -> Result<Budget> {
    let draft = draft.validated()?;
    let changed = conn.execute(
        "UPDATE budgets SET definition = ?2 WHERE id = ?1",
        params![id, to_json(&draft)?],
    )?;
    if changed == 0 {
        return Err(not_found(id));
    }
    conn.execute(
        "UPDATE budget_state SET alerted_percent = 0 WHERE budget_id = ?1",
        params![id],
    )?;
    Ok(Budget { id, draft })
}

/// Adds a budget (`id` `None`) or replaces budget `id`'s definition.
pub fn save(conn: &Connection, id: Option<i64>, draft: BudgetDraft, now_ms: i64) -> Result<Budget> {
    match id {
        Some(id) => update(conn, id, draft),
        None => add(conn, draft, now_ms),
    }
}

/// Removes a budget; returns what it was (for undo).
pub fn remove(conn: &Connection, id: i64) -> Result<Budget> {
    let budget = get(conn, id)?;
    conn.execute("DELETE FROM budgets WHERE id = ?1", params![id])?;
    Ok(budget)
}

/// Deletes a stored budget that cannot be read at all (see [`UnusableBudget`]); there is nothing
/// to undo it with. Returns whether there was one under `id`.
pub fn remove_unusable(conn: &Connection, id: i64) -> Result<bool> {
    let (_, unusable) = list_checked(conn)?;
    if !unusable.iter().any(|u| u.id == id) {
        return Ok(false);
    }
    conn.execute("DELETE FROM budgets WHERE id = ?1", params![id])?;
    Ok(true)
}

/// Puts back a removed budget under its old id (undo of [`remove`]); checked like a new one.
pub fn restore(conn: &Connection, budget: &Budget, now_ms: i64) -> Result<()> {
    let draft = budget.draft.clone().validated()?;
    conn.execute(
        "INSERT INTO budgets (id, definition, created_ms) VALUES (?1, ?2, ?3)",
        params![budget.id, to_json(&draft)?, now_ms],
    )?;
    Ok(())
}

/// One budget.
pub fn get(conn: &Connection, id: i64) -> Result<Budget> {
    conn.query_row(
        "SELECT id, definition FROM budgets WHERE id = ?1",
        params![id],
        |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
    )
    .optional()?
    .ok_or_else(|| not_found(id))
    .and_then(|(id, json)| from_row(id, &json))
}

/// Every usable budget, oldest first. A stored budget that cannot be read or is not valid is
/// left out (and logged): one bad row must not stop the others from being enforced. See
/// [`list_checked`] for what was left out.
pub fn list(conn: &Connection) -> Result<Vec<Budget>> {
    let (budgets, problems) = list_checked(conn)?;
    for UnusableBudget { id, why } in problems {
        tracing::warn!(budget = id, %why, "budget left out: it cannot be enforced");
    }
    Ok(budgets)
}

/// A stored budget that cannot be used (damaged, or saved by a newer Clawtower), and why: shown
/// on the budgets page, where it can be deleted, and by `doctor`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UnusableBudget {
    /// Its id (what `budget rm` and Delete take).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Why it cannot be enforced.
    pub why: String,
}

/// Every usable budget, and the stored ones that are not, with why.
pub fn list_checked(conn: &Connection) -> Result<(Vec<Budget>, Vec<UnusableBudget>)> {
    let mut stmt = conn.prepare_cached("SELECT id, definition FROM budgets ORDER BY id")?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut budgets, mut problems) = (Vec::new(), Vec::new());
    for (id, json) in rows {
        match from_row(id, &json).and_then(|b| {
            let draft = b.draft.validated()?;
            Ok(Budget { id, draft })
        }) {
            Ok(budget) => budgets.push(budget),
            Err(e) => problems.push(UnusableBudget {
                id,
                why: e.to_string(),
            }),
        }
    }
    Ok((budgets, problems))
}

/// A budget's alert state in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowState {
    /// The window it applies to.
    pub window_key: i64,
    /// Highest threshold (percent) already alerted in that window.
    pub alerted_percent: u32,
    /// The window in which this budget paused the gateway, if any.
    pub paused_window: Option<i64>,
}

/// The stored state, if the budget was evaluated before.
pub fn state(conn: &Connection, budget_id: i64) -> Result<Option<WindowState>> {
    Ok(conn
        .query_row(
            "SELECT window_key, alerted_percent, paused_window FROM budget_state WHERE budget_id = ?1",
            params![budget_id],
            |row| {
                Ok(WindowState {
                    window_key: row.get(0)?,
                    alerted_percent: row.get(1)?,
                    paused_window: row.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Stores a budget's state.
pub fn set_state(conn: &Connection, budget_id: i64, state: &WindowState) -> Result<()> {
    conn.execute(
        "INSERT INTO budget_state (budget_id, window_key, alerted_percent, paused_window)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(budget_id) DO UPDATE SET window_key = ?2, alerted_percent = ?3, paused_window = ?4",
        params![budget_id, state.window_key, state.alerted_percent, state.paused_window],
    )?;
    Ok(())
}

/// Stores `next` only if the stored state is still `previous` (compare and swap); false when
/// another process changed it meanwhile (two Clawtowers on one store must not both alert).
pub fn replace_state(
    conn: &Connection,
    budget_id: i64,
    previous: Option<WindowState>,
    next: &WindowState,
) -> Result<bool> {
    let changed = match previous {
        None => conn.execute(
            "INSERT OR IGNORE INTO budget_state (budget_id, window_key, alerted_percent, paused_window)
             VALUES (?1, ?2, ?3, ?4)",
            params![budget_id, next.window_key, next.alerted_percent, next.paused_window],
        )?,
        Some(p) => conn.execute(
            "UPDATE budget_state SET window_key = ?2, alerted_percent = ?3, paused_window = ?4
             WHERE budget_id = ?1 AND window_key = ?5 AND alerted_percent = ?6 AND paused_window IS ?7",
            params![
                budget_id,
                next.window_key,
                next.alerted_percent,
                next.paused_window,
                p.window_key,
                p.alerted_percent,
                p.paused_window
            ],
        )?,
    };
    Ok(changed == 1)
}

fn to_json(draft: &BudgetDraft) -> Result<String> {
    serde_json::to_string(draft).map_err(|e| EngineError::InvalidInput(e.to_string()))
}

fn from_row(id: i64, json: &str) -> Result<Budget> {
    let draft = serde_json::from_str(json)
        .map_err(|e| EngineError::Corrupt(format!("budget {id}: {e}")))?;
    Ok(Budget { id, draft })
}

fn not_found(id: i64) -> EngineError {
    EngineError::NotFound(format!("budget {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::model::{BudgetAction, BudgetScope, BudgetWindow};
    use clawtower_store::Store;

    pub(crate) fn draft(limit_usd: f64) -> BudgetDraft {
        BudgetDraft {
            name: "Daily".into(),
            scope: BudgetScope::All,
            window: BudgetWindow::Day,
            limit_usd,
            thresholds: vec![],
            action: BudgetAction::Pause,
            auto_resume: false,
        }
    }

    #[test]
    fn add_list_update_remove_and_restore() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let a = add(c, draft(5.0), 1)?;
                let b = add(c, draft(7.0), 2)?;
                assert_eq!(list(c)?, vec![a.clone(), b.clone()]);
                set_state(
                    c,
                    a.id,
                    &WindowState {
                        window_key: 9,
                        alerted_percent: 80,
                        paused_window: None,
                    },
                )?;
                let a2 = update(c, a.id, draft(6.0))?;
                assert_eq!(get(c, a.id)?.draft.limit_usd, 6.0);
                assert_eq!(
                    state(c, a.id)?.unwrap().alerted_percent,
                    0,
                    "re-armed by the edit"
                );
                let removed = remove(c, a.id)?;
                assert_eq!(removed, a2);
                assert_eq!(state(c, a.id)?, None, "state goes with the budget");
                assert_eq!(
                    get(c, a.id).unwrap_err().code(),
                    clawtower_core::ErrorCode::NotFound
                );
                restore(c, &removed, 3)?;
                let first = WindowState {
                    window_key: 1,
                    alerted_percent: 50,
                    paused_window: None,
                };
                assert!(replace_state(c, b.id, None, &first)?);
                assert!(!replace_state(c, b.id, None, &first)?, "already there");
                let next = WindowState {
                    alerted_percent: 80,
                    ..first
                };
                assert!(replace_state(c, b.id, Some(first), &next)?);
                assert!(
                    !replace_state(c, b.id, Some(first), &next)?,
                    "someone else moved it on"
                );
                assert_eq!(list(c)?.len(), 2);
                assert!(add(c, draft(-1.0), 4).is_err());
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_bad_stored_budget_is_left_out_and_the_others_stay() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let good = add(
                    c,
                    BudgetDraft {
                        name: "Daily".into(),
                        scope: BudgetScope::All,
                        window: BudgetWindow::Day,
                        limit_usd: 5.0,
                        thresholds: vec![],
                        action: BudgetAction::Alert,
                        auto_resume: false,
                    },
                    0,
                )?;
                let mut zero_hours = good.draft.clone();
                zero_hours.window = BudgetWindow::Rolling(0);
                c.execute(
                    "INSERT INTO budgets (definition, created_ms) VALUES ('{not json', 0), (?1, 0)",
                    [to_json(&zero_hours)?],
                )?;
                let (budgets, problems) = list_checked(c)?;
                assert_eq!(budgets, vec![good.clone()]);
                assert_eq!(problems.len(), 2, "{problems:?}");
                assert_eq!(list(c)?, vec![good.clone()]);
                let mut week_long = good.clone();
                week_long.id = 99;
                week_long.draft.window = BudgetWindow::Rolling(9000);
                assert!(
                    restore(c, &week_long, 0).is_err(),
                    "restore checks like save"
                );
                Ok(())
            })
            .unwrap();
    }
}
