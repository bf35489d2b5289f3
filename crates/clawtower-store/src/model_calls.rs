//! The model-call ledger table: idempotent inserts and spend totals over a time range. Aborted
//! and failed calls (no tokens, no cost) are kept apart in `unbilled_calls`: counted, never as
//! model calls.

use rusqlite::{params, Connection, OptionalExtension};

use super::rollups::{
    bucket_of, RollupDeltas, RollupKey, ABORTED, BUCKET_MS, FAILED, ROLLUP_COLUMNS,
};
use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;

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
    /// The cost Clawtower stands behind: what OpenClaw recorded (the provider's bill when it
    /// sent one), else the price book's estimate.
    pub cost: NanoUsd,
    /// The cost OpenClaw reported (`usage.cost.total`).
    pub reported_cost: NanoUsd,
    /// The price book's estimate, when the book has a price for the model.
    pub book_cost: Option<NanoUsd>,
    /// Where `cost` came from.
    pub cost_origin: CostOrigin,
    /// Tokens no price was found for.
    pub unpriced_tokens: u64,
    /// The provider's id for its answer (`chatcmpl-…`, `msg_…`), when known: how a call seen
    /// by the router and in OpenClaw's transcript is known to be one call.
    pub response_id: Option<String>,
    /// For a call of an announce run — the run OpenClaw makes in a parent session when a
    /// sub-agent finishes, to report it — the sub-agent's session key.
    pub announces: Option<String>,
}

/// Where a call's cost came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CostOrigin {
    /// The provider reported what it charged (OpenRouter and the like); OpenClaw recorded it.
    Provider,
    /// OpenClaw computed it from the prices in openclaw.json.
    OpenClaw,
    /// OpenClaw recorded no cost: Clawtower's price book filled it in.
    PriceBook,
    /// Priced nowhere: the tokens count as unpriced, never as free.
    Unpriced,
}

impl CostOrigin {
    /// Every origin, in the order reports list them.
    pub const ALL: [CostOrigin; 4] = [
        CostOrigin::Provider,
        CostOrigin::OpenClaw,
        CostOrigin::PriceBook,
        CostOrigin::Unpriced,
    ];

    /// Stable name, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            CostOrigin::Provider => "provider",
            CostOrigin::OpenClaw => "openclaw",
            CostOrigin::PriceBook => "price-book",
            CostOrigin::Unpriced => "unpriced",
        }
    }

    /// The origin a stored name stands for (`None` for a name this build does not know, such
    /// as the empty origin of calls stored before origins were recorded).
    pub fn parse(name: &str) -> Option<CostOrigin> {
        Self::ALL.into_iter().find(|o| o.as_str() == name)
    }
}

/// Why an assistant message was not a billed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbilled {
    /// The run was aborted before the model answered (OpenClaw books an all-zero message).
    Aborted,
    /// The provider call failed (`stopReason: "error"`) and nothing was billed.
    Failed,
}

impl Unbilled {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Unbilled::Aborted => "aborted",
            Unbilled::Failed => "failed",
        }
    }
}

/// An aborted or failed model call: no tokens, no cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnbilledCall {
    /// Stable identity of the message (as [`ModelCall::call_id`]).
    pub call_id: String,
    /// OpenClaw agent id.
    pub agent_id: String,
    /// Session key.
    pub session_key: String,
    /// Transcript generation id.
    pub session_id: String,
    /// When, Unix ms.
    pub ts_ms: i64,
    /// Provider id; empty when OpenClaw injected the message itself (an abort).
    pub provider: String,
    /// Model id; empty when OpenClaw injected the message itself.
    pub model: String,
    /// Aborted or failed.
    pub outcome: Unbilled,
    /// The provider's error text, for a failed call.
    pub error: Option<String>,
}

/// How [`write`] treats a call that is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Keep the stored row (the normal case: every source names a call by the same id).
    Keep,
    /// Rewrite the stored row with what the source says now: an archive (OpenClaw's last word
    /// on its calls), or every source once after an upgrade.
    Correct,
}

/// Inserts a call unless one with the same id exists, and adds a new one to its rollup;
/// returns whether it was new.
pub fn insert(conn: &Connection, call: &ModelCall) -> Result<bool> {
    let mut rollups = RollupDeltas::default();
    let new = insert_into(conn, call, &mut rollups)?;
    rollups.apply(conn)?;
    Ok(new)
}

/// [`insert`], its rollup change gathered in `rollups`.
fn insert_into(conn: &Connection, call: &ModelCall, rollups: &mut RollupDeltas) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO model_calls (call_id, agent_id, session_key, session_id,
                ts_ms, provider, model, input_tokens, output_tokens, cache_read_tokens,
                cache_write_tokens, reasoning_tokens, cost_nanousd, reported_cost_nanousd,
                unpriced_tokens, book_cost_nanousd, cost_origin, response_id, announces)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                ?19)",
        )?
        .execute(params![
            call.call_id,
            call.agent_id,
            call.session_key,
            call.session_id,
            call.ts_ms,
            call.provider,
            call.model,
            to_i64(call.input_tokens),
            to_i64(call.output_tokens),
            to_i64(call.cache_read_tokens),
            to_i64(call.cache_write_tokens),
            to_i64(call.reasoning_tokens),
            call.cost.0,
            call.reported_cost.0,
            to_i64(call.unpriced_tokens),
            call.book_cost.map(|c| c.0),
            call.cost_origin.as_str(),
            call.response_id,
            call.announces,
        ])?;
    if n == 1 {
        rollups.add(&rollup_key(call), &rollup_sums(call, 1));
    }
    Ok(n == 1)
}

fn rollup_key(call: &ModelCall) -> RollupKey<'_> {
    RollupKey::of(
        call.ts_ms,
        &call.agent_id,
        &call.session_key,
        &call.provider,
        &call.model,
    )
}

/// Inserts a call, or with [`OnExisting::Correct`] rewrites a stored one that differs (moving
/// its sums between rollup rows); returns whether it was new. Rollup changes are gathered in
/// `rollups`, for the caller to apply before it commits.
pub fn write(
    conn: &Connection,
    call: &ModelCall,
    on_existing: OnExisting,
    rollups: &mut RollupDeltas,
) -> Result<bool> {
    if on_existing == OnExisting::Correct {
        if let Some(old) = get(conn, &call.call_id)? {
            if old != *call {
                forget_billed(conn, &old.call_id, rollups)?;
                insert_into(conn, call, rollups)?;
            }
            return Ok(false);
        }
    }
    insert_into(conn, call, rollups)
}

/// Inserts an aborted or failed call unless one with the same id exists (with
/// [`OnExisting::Correct`], replaces it), and counts a new one in its rollup; returns whether it
/// was new. Rollup changes are gathered in `rollups`, as with [`write`].
pub fn write_unbilled(
    conn: &Connection,
    call: &UnbilledCall,
    on_existing: OnExisting,
    rollups: &mut RollupDeltas,
) -> Result<bool> {
    let mut replaced = false;
    if on_existing == OnExisting::Correct {
        let old = conn
            .prepare_cached(
                "DELETE FROM unbilled_calls WHERE call_id = ?1
                 RETURNING agent_id, session_key, ts_ms, provider, model, outcome",
            )?
            .query_row([&call.call_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        if let Some((agent_id, session_key, ts_ms, provider, model, outcome)) = old {
            let key = RollupKey::of(ts_ms, &agent_id, &session_key, &provider, &model);
            let outcome = if outcome == Unbilled::Aborted.as_str() {
                Unbilled::Aborted
            } else {
                Unbilled::Failed
            };
            rollups.add(&key, &unbilled_sums(outcome, -1));
            replaced = true;
        }
    }
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO unbilled_calls (call_id, agent_id, session_key, session_id, ts_ms,
                provider, model, outcome, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            call.call_id,
            call.agent_id,
            call.session_key,
            call.session_id,
            call.ts_ms,
            call.provider,
            call.model,
            call.outcome.as_str(),
            call.error,
        ])?;
    if n == 1 {
        let key = RollupKey::of(
            call.ts_ms,
            &call.agent_id,
            &call.session_key,
            &call.provider,
            &call.model,
        );
        rollups.add(&key, &unbilled_sums(call.outcome, 1));
    }
    Ok(n == 1 && !replaced)
}

/// An unbilled call's rollup values, times `sign`.
fn unbilled_sums(outcome: Unbilled, sign: i64) -> [i64; ROLLUP_COLUMNS.len()] {
    let mut sums = [0i64; ROLLUP_COLUMNS.len()];
    sums[match outcome {
        Unbilled::Aborted => ABORTED,
        Unbilled::Failed => FAILED,
    }] = sign;
    sums
}

/// Removes a billed call stored under `call_id`, and its sums from its rollup (a correction
/// found it belongs elsewhere, or was aborted or failed); the rollup change is gathered in
/// `rollups`.
pub fn forget_billed(conn: &Connection, call_id: &str, rollups: &mut RollupDeltas) -> Result<()> {
    if let Some(old) = get(conn, call_id)? {
        conn.prepare_cached("DELETE FROM model_calls WHERE call_id = ?1")?
            .execute([call_id])?;
        rollups.add(&rollup_key(&old), &rollup_sums(&old, -1));
    }
    Ok(())
}

/// A billed call's values in the order of [`ROLLUP_COLUMNS`], times `sign` (1 to add, -1 to
/// take away; the book's estimate counts as 0 where the book has no price).
fn rollup_sums(call: &ModelCall, sign: i64) -> [i64; ROLLUP_COLUMNS.len()] {
    [
        1,
        to_i64(call.input_tokens),
        to_i64(call.output_tokens),
        to_i64(call.cache_read_tokens),
        to_i64(call.cache_write_tokens),
        to_i64(call.reasoning_tokens),
        call.cost.0,
        call.reported_cost.0,
        to_i64(call.unpriced_tokens),
        call.book_cost.map_or(0, |c| c.0),
        0,
        0,
    ]
    .map(|v| v.saturating_mul(sign))
}

/// A count as SQLite stores it (saturating: SQLite integers are signed 64-bit).
fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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
        "SELECT COALESCE(ssum(cost_nanousd), 0), COALESCE(ssum(calls), 0), COALESCE(ssum(unpriced_tokens), 0)
         FROM usage_by_bucket WHERE bucket >= ?1 AND bucket < ?2",
    )?;
    let totals = stmt.query_row(params![bucket_of(start_ms), bucket_of(end_ms)], |row| {
        Ok(SpendTotals {
            cost: NanoUsd(super::saturating_sum(row, 0)?),
            calls: super::saturating_sum(row, 1)?.max(0) as u64,
            unpriced_tokens: super::saturating_sum(row, 2)?.max(0) as u64,
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
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, {CALL_COLUMNS} FROM model_calls WHERE rowid > ?1 ORDER BY rowid"
    ))?;
    let rows = stmt.query_map([after_rowid], |r| Ok((r.get(0)?, call_at(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored call with this id, if any.
pub fn get(conn: &Connection, call_id: &str) -> Result<Option<ModelCall>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CALL_COLUMNS} FROM model_calls WHERE call_id = ?1"
    ))?;
    Ok(stmt.query_row([call_id], |r| call_at(r, 0)).optional()?)
}

/// The `model_calls` columns [`call_at`] reads, in its order.
const CALL_COLUMNS: &str = "call_id, agent_id, session_key, session_id, ts_ms, provider, model,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
    cost_nanousd, reported_cost_nanousd, unpriced_tokens, book_cost_nanousd, cost_origin,
    response_id, announces";

/// A call from a row of [`CALL_COLUMNS`] starting at column `first`.
fn call_at(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<ModelCall> {
    let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(first + i)?.max(0) as u64) };
    Ok(ModelCall {
        call_id: r.get(first)?,
        agent_id: r.get(first + 1)?,
        session_key: r.get(first + 2)?,
        session_id: r.get(first + 3)?,
        ts_ms: r.get(first + 4)?,
        provider: r.get(first + 5)?,
        model: r.get(first + 6)?,
        input_tokens: n(7)?,
        output_tokens: n(8)?,
        cache_read_tokens: n(9)?,
        cache_write_tokens: n(10)?,
        reasoning_tokens: n(11)?,
        cost: NanoUsd(r.get(first + 12)?),
        reported_cost: NanoUsd(r.get(first + 13)?),
        unpriced_tokens: n(14)?,
        book_cost: r.get::<_, Option<i64>>(first + 15)?.map(NanoUsd),
        // Calls stored before origins were recorded have none: OpenClaw's is the likeliest.
        cost_origin: CostOrigin::parse(&r.get::<_, String>(first + 16)?)
            .unwrap_or(CostOrigin::OpenClaw),
        response_id: r.get(first + 17)?,
        announces: r.get(first + 18)?,
    })
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
mod tests {
    use super::*;
    use crate::testing::sample;
    use crate::Store;

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
