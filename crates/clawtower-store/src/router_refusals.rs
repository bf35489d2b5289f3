//! Calls the router refused before sending them: a budget's gate, a key's rate limit or model
//! list, a model no route knows, a request it could not read. They are not model calls (nothing
//! reached a provider), so they stay out of the ledger; the router's request log shows them
//! beside the calls it sent. Only the last day is kept, and at most [`REFUSALS_KEPT`] of it.

use rusqlite::{params, Connection};

use clawtower_core::error::Result;

/// The most refusals kept (the newest).
pub const REFUSALS_KEPT: i64 = 1_000;

/// How long a refusal is kept, ms.
const KEPT_FOR_MS: i64 = 24 * 3600 * 1000;

/// One refused call.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedCall {
    /// When, Unix ms.
    pub ts_ms: i64,
    /// The key it came with.
    pub key_id: i64,
    /// Whose call it would have been.
    pub agent_id: String,
    /// The model it asked for.
    pub model: String,
    /// The router's answer (400, 403, 404, 413, 429…).
    pub status: u16,
    /// Why, as the answer said it.
    pub reason: String,
}

/// Stores `refusals` and forgets those past the day or beyond the newest [`REFUSALS_KEPT`].
pub fn record(conn: &Connection, refusals: &[&RefusedCall], now_ms: i64) -> Result<()> {
    if refusals.is_empty() {
        return Ok(());
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO router_refusals (ts_ms, key_id, agent_id, model, status, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in refusals {
        insert.execute(params![
            r.ts_ms, r.key_id, r.agent_id, r.model, r.status, r.reason
        ])?;
    }
    conn.prepare_cached(
        "DELETE FROM router_refusals WHERE ts_ms < ?1
            OR id <= (SELECT MAX(id) FROM router_refusals) - ?2",
    )?
    .execute(params![now_ms - KEPT_FOR_MS, REFUSALS_KEPT])?;
    Ok(())
}

/// The latest `limit` refusals since `since_ms`, newest first.
pub fn recent(conn: &Connection, since_ms: i64, limit: u32) -> Result<Vec<RefusedCall>> {
    let rows = conn
        .prepare_cached(
            "SELECT ts_ms, key_id, agent_id, model, status, reason FROM router_refusals
             WHERE ts_ms >= ?1 ORDER BY ts_ms DESC, id DESC LIMIT ?2",
        )?
        .query_map(params![since_ms, limit], |r| {
            Ok(RefusedCall {
                ts_ms: r.get(0)?,
                key_id: r.get(1)?,
                agent_id: r.get(2)?,
                model: r.get(3)?,
                status: r.get(4)?,
                reason: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn refusal(ts_ms: i64) -> RefusedCall {
        RefusedCall {
            ts_ms,
            key_id: 1,
            agent_id: "a".into(),
            model: "m".into(),
            status: 400,
            reason: "paused".into(),
        }
    }

    #[test]
    fn the_last_day_is_kept_and_at_most_the_newest_thousand() {
        let store = Store::open_in_memory().unwrap();
        let day = KEPT_FOR_MS;
        store
            .with_conn(|c| {
                record(c, &[&refusal(0), &refusal(day / 2)], day / 2)?;
                assert_eq!(recent(c, 0, 10)?.len(), 2);
                record(c, &[&refusal(day + 1)], day + 1)?;
                let kept = recent(c, 0, 10)?;
                assert_eq!(
                    kept.iter().map(|r| r.ts_ms).collect::<Vec<_>>(),
                    [day + 1, day / 2],
                    "newest first; the one older than a day is gone"
                );
                let many: Vec<RefusedCall> = (0..1_500).map(|i| refusal(day + 2 + i)).collect();
                record(c, &many.iter().collect::<Vec<_>>(), day + 2_000)?;
                let kept = recent(c, 0, 5_000)?;
                assert_eq!(kept.len() as i64, REFUSALS_KEPT);
                assert_eq!(kept[0].ts_ms, day + 1_501);
                Ok(())
            })
            .unwrap();
    }
}
