//! The model-call ledger table: idempotent inserts and spend totals over a time range.

use rusqlite::{params, params_from_iter, Connection, ToSql};

use crate::error::Result;
use crate::money::NanoUsd;

/// One model call: an assistant message that carried usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCall {
    /// Stable identity of the message (dedupe key across every source).
    pub call_id: String,
    /// OpenClaw agent id.
    pub agent_id: String,
    /// OpenClaw session key (`agent:<id>:…`).
    pub session_key: String,
    /// Transcript generation id.
    pub session_id: String,
    /// When the call finished, Unix ms.
    pub ts_ms: i64,
    /// Provider id (`anthropic`, `openai`, a custom one…).
    pub provider: String,
    /// Model id as the provider names it.
    pub model: String,
    /// Prompt tokens excluding cached ones (OpenClaw's `input`).
    pub input_tokens: u64,
    /// Completion tokens.
    pub output_tokens: u64,
    /// Cached prompt tokens read.
    pub cache_read_tokens: u64,
    /// Prompt tokens written to cache.
    pub cache_write_tokens: u64,
    /// Reasoning tokens (part of output for most providers).
    pub reasoning_tokens: u64,
    /// The cost Clawtower stands behind (price book, else reported).
    pub cost: NanoUsd,
    /// The cost OpenClaw reported (`usage.cost.total`).
    pub reported_cost: NanoUsd,
    /// Tokens no price was found for.
    pub unpriced_tokens: u64,
}

/// Width of a rollup bucket (see `usage_rollups` in the schema).
pub const BUCKET_MS: i64 = 15 * 60 * 1000;

/// The rollup bucket of an instant (floor division, also before 1970).
pub fn bucket_of(ts_ms: i64) -> i64 {
    ts_ms.div_euclid(BUCKET_MS)
}

/// Inserts a call unless one with the same id exists, and adds a new one to its rollup;
/// returns whether it was new.
pub fn insert(conn: &Connection, call: &ModelCall) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO model_calls (call_id, agent_id, session_key, session_id, ts_ms,
            provider, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
            reasoning_tokens, cost_nanousd, reported_cost_nanousd, unpriced_tokens)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let keys = params![
        call.call_id,
        call.agent_id,
        call.session_key,
        call.session_id,
        call.ts_ms,
        call.provider,
        call.model,
    ];
    let sums = usage_sums(call);
    let n = stmt.execute(params_from_iter(
        keys.iter()
            .copied()
            .chain(sums.iter().map(|v| v as &dyn ToSql)),
    ))?;
    if n == 1 {
        add_to_rollup(conn, call)?;
    }
    Ok(n == 1)
}

/// The rollup columns both rollup tables share, after their keys.
const ROLLUP_SUMS: &str =
    "calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
    reasoning_tokens, cost_nanousd, reported_cost_nanousd, unpriced_tokens";

/// `col = col + excluded.col` for every summed column.
const ROLLUP_ADD: &str = "calls = calls + 1,
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
    reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
    cost_nanousd = cost_nanousd + excluded.cost_nanousd,
    reported_cost_nanousd = reported_cost_nanousd + excluded.reported_cost_nanousd,
    unpriced_tokens = unpriced_tokens + excluded.unpriced_tokens";

/// A call's summed values, in the column order of `ROLLUP_SUMS` after `calls`
/// (and of `model_calls` after `model`).
fn usage_sums(call: &ModelCall) -> [i64; 8] {
    [
        call.input_tokens as i64,
        call.output_tokens as i64,
        call.cache_read_tokens as i64,
        call.cache_write_tokens as i64,
        call.reasoning_tokens as i64,
        call.cost.0,
        call.reported_cost.0,
        call.unpriced_tokens as i64,
    ]
}

fn add_to_rollup(conn: &Connection, call: &ModelCall) -> Result<()> {
    let sums = usage_sums(call);
    let bucket = bucket_of(call.ts_ms);
    let mut by_dims = conn.prepare_cached(&format!(
        "INSERT INTO usage_rollups (bucket, agent_id, session_key, provider, model, {ROLLUP_SUMS})
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (bucket, agent_id, session_key, provider, model) DO UPDATE SET {ROLLUP_ADD}"
    ))?;
    let keys = params![
        bucket,
        call.agent_id,
        call.session_key,
        call.provider,
        call.model
    ];
    by_dims.execute(params_from_iter(
        keys.iter()
            .copied()
            .chain(sums.iter().map(|v| v as &dyn ToSql)),
    ))?;
    let mut by_bucket = conn.prepare_cached(&format!(
        "INSERT INTO usage_by_bucket (bucket, {ROLLUP_SUMS})
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (bucket) DO UPDATE SET {ROLLUP_ADD}"
    ))?;
    by_bucket.execute(params_from_iter(
        std::iter::once(&bucket as &dyn ToSql).chain(sums.iter().map(|v| v as &dyn ToSql)),
    ))?;
    Ok(())
}

/// Spend over a half-open time range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpendTotals {
    /// Sum of costs.
    pub cost: NanoUsd,
    /// Number of model calls.
    pub calls: u64,
    /// Tokens without a price.
    pub unpriced_tokens: u64,
}

/// Totals for calls with `start_ms <= ts_ms < end_ms`; both bounds must fall on bucket
/// boundaries (calendar periods in any time zone do), as the sums come from the rollups.
pub fn totals_between(conn: &Connection, start_ms: i64, end_ms: i64) -> Result<SpendTotals> {
    debug_assert!(
        start_ms % BUCKET_MS == 0 && end_ms % BUCKET_MS == 0,
        "unaligned range"
    );
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(SUM(cost_nanousd), 0), COALESCE(SUM(calls), 0), COALESCE(SUM(unpriced_tokens), 0)
         FROM usage_by_bucket WHERE bucket >= ?1 AND bucket < ?2",
    )?;
    let totals = stmt.query_row(params![bucket_of(start_ms), bucket_of(end_ms)], |row| {
        Ok(SpendTotals {
            cost: NanoUsd(row.get(0)?),
            calls: row.get::<_, i64>(1)? as u64,
            unpriced_tokens: row.get::<_, i64>(2)? as u64,
        })
    })?;
    Ok(totals)
}

/// When the newest call happened (Unix ms), if there is any.
pub fn last_call_ms(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT MAX(ts_ms) FROM model_calls", [], |row| row.get(0))?)
}

/// Calls inserted after `after_rowid`, in insertion order, with their rowids (for live feeds).
pub fn inserted_after(conn: &Connection, after_rowid: i64) -> Result<Vec<(i64, ModelCall)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, call_id, agent_id, session_key, session_id, ts_ms, provider, model,
                input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
                cost_nanousd, reported_cost_nanousd, unpriced_tokens
         FROM model_calls WHERE rowid > ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map([after_rowid], |r| {
        let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
        Ok((
            r.get(0)?,
            ModelCall {
                call_id: r.get(1)?,
                agent_id: r.get(2)?,
                session_key: r.get(3)?,
                session_id: r.get(4)?,
                ts_ms: r.get(5)?,
                provider: r.get(6)?,
                model: r.get(7)?,
                input_tokens: n(8)?,
                output_tokens: n(9)?,
                cache_read_tokens: n(10)?,
                cache_write_tokens: n(11)?,
                reasoning_tokens: n(12)?,
                cost: NanoUsd(r.get(13)?),
                reported_cost: NanoUsd(r.get(14)?),
                unpriced_tokens: n(15)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The highest rowid so far (0 when empty).
pub fn last_rowid(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(rowid), 0) FROM model_calls", [], |r| {
            r.get(0)
        })?,
    )
}

#[cfg(test)]
pub(crate) fn sample(call_id: &str, ts_ms: i64, usd: f64) -> ModelCall {
    ModelCall {
        call_id: call_id.into(),
        agent_id: "main".into(),
        session_key: "agent:main:main".into(),
        session_id: "s1".into(),
        ts_ms,
        provider: "stub".into(),
        model: "stub-model".into(),
        input_tokens: 10,
        output_tokens: 5,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        cost: NanoUsd::from_usd(usd),
        reported_cost: NanoUsd::from_usd(usd),
        unpriced_tokens: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn inserting_twice_counts_once_and_ranges_are_half_open() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let b = BUCKET_MS;
                assert!(insert(c, &sample("a", b + 1_000, 0.5))?);
                assert!(
                    !insert(c, &sample("a", b + 1_000, 0.5))?,
                    "the same call twice"
                );
                assert!(insert(c, &sample("b", 2 * b + 5, 0.25))?);
                let all = totals_between(c, b, 3 * b)?;
                assert_eq!(all.cost, NanoUsd::from_usd(0.75));
                assert_eq!(all.calls, 2);
                assert_eq!(totals_between(c, b, 2 * b)?.calls, 1);
                assert_eq!(totals_between(c, 3 * b, 4 * b)?, SpendTotals::default());
                assert_eq!(bucket_of(-1), -1);
                let after_first = inserted_after(c, 1)?;
                assert_eq!(after_first.len(), 1);
                assert_eq!(after_first[0].1, sample("b", 2 * b + 5, 0.25));
                assert_eq!(last_rowid(c)?, after_first[0].0);
                Ok(())
            })
            .unwrap();
    }
}
