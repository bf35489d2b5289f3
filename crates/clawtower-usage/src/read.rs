//! The rows a usage view is built from: sums per time × agent × provider × model, and per time ×
//! session. From the day tables when the view's days are the store's and it is cut in days or
//! longer; else from the quarter-hour rollups (hours, or another time zone: exact, slower).

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use clawtower_core::error::Result;
use clawtower_ledger::report::{sums_at, Sums};
use clawtower_store::day_rollups::day_zone;
use clawtower_store::rollups::{BUCKET_MS, ROLLUP_COLUMNS};

use crate::query::{Granularity, Window};

/// Which tables answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// `usage_by_day_model` and `usage_by_day_session`.
    Days,
    /// `usage_rollups`.
    QuarterHours,
}

impl Source {
    /// The tables for a view in `window` cut by `granularity`.
    pub(crate) fn for_view(
        conn: &Connection,
        window: &Window,
        granularity: Granularity,
    ) -> Result<Source> {
        let zone = day_zone(conn)?;
        let same_days = zone.is_some() && zone.as_deref() == window.tz.iana_name();
        Ok(if same_days && granularity != Granularity::Hour {
            Source::Days
        } else {
            Source::QuarterHours
        })
    }
}

/// A row of sums: when (Unix ms of its day or quarter hour), whose and what — borrowed from
/// the statement, so reading a row allocates nothing.
pub(crate) struct Row<'a> {
    pub ms: i64,
    pub agent: &'a str,
    /// A model row's provider; a session row's session key.
    pub first: &'a str,
    /// A model row's model; empty in a session row.
    pub second: &'a str,
    pub sums: Sums,
}

/// Calls `f` with every model row (provider, model) in the window.
pub(crate) fn model_rows(
    conn: &Connection,
    source: Source,
    window: &Window,
    agent: Option<&str>,
    f: impl FnMut(Row<'_>) -> Result<()>,
) -> Result<()> {
    let (table, time) = match source {
        Source::Days => ("usage_by_day_model", "day"),
        Source::QuarterHours => ("usage_rollups", "bucket"),
    };
    rows(conn, table, time, "provider, model", window, agent, f)
}

/// Calls `f` with every session row (the session key first) in the window. `by_period`: whether
/// the rows must fall in periods (the series is stacked by channel); when not, an all-time
/// window reads each session's running totals, one row each, timed at its last quarter hour.
pub(crate) fn session_rows(
    conn: &Connection,
    source: Source,
    window: &Window,
    agent: Option<&str>,
    by_period: bool,
    f: impl FnMut(Row<'_>) -> Result<()>,
) -> Result<()> {
    let all_time = window.start_ms == i64::MIN && window.end_ms == i64::MAX;
    let (table, time) = match source {
        _ if all_time && !by_period => ("usage_by_session", "last_bucket"),
        Source::Days => ("usage_by_day_session", "day"),
        Source::QuarterHours => ("usage_rollups", "bucket"),
    };
    rows(conn, table, time, "session_key, ''", window, agent, f)
}

fn rows(
    conn: &Connection,
    table: &str,
    time: &str,
    dims: &str,
    window: &Window,
    agent: Option<&str>,
    mut f: impl FnMut(Row<'_>) -> Result<()>,
) -> Result<()> {
    let (params, only_agent) = bounds_and_agent(
        window.start_ms.div_euclid(BUCKET_MS),
        window.end_ms.div_euclid(BUCKET_MS),
        agent,
    );
    let mut stmt = conn.prepare(&format!(
        "SELECT {time}, agent_id, {dims}, {} FROM {table}
         WHERE {time} >= ?1 AND {time} < ?2 {only_agent}",
        ROLLUP_COLUMNS.join(", ")
    ))?;
    let mut rows = stmt.query(params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        let at: i64 = row.get(0)?;
        f(Row {
            ms: at.saturating_mul(BUCKET_MS),
            agent: text(row, 1)?,
            first: text(row, 2)?,
            second: text(row, 3)?,
            sums: sums_at(row, 4)?,
        })?;
    }
    Ok(())
}

/// Calls `f` with the cache tokens of session `key` per provider and model in the window (the
/// other sums left 0): from the day table of cache tokens when `source` is the day tables, else
/// one indexed range of the quarter-hour rollups — for the few sessions a view lists.
pub(crate) fn session_cache_sums(
    conn: &Connection,
    source: Source,
    window: &Window,
    key: &str,
    mut f: impl FnMut(&str, &str, Sums),
) -> Result<()> {
    let (table, time) = match source {
        Source::Days => ("usage_by_day_session_cache", "day"),
        Source::QuarterHours => ("usage_rollups", "bucket"),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT provider, model, ssum(cache_read_tokens), ssum(cache_write_tokens) FROM {table}
         WHERE session_key = ?1 AND {time} >= ?2 AND {time} < ?3
         GROUP BY provider, model"
    ))?;
    let mut rows = stmt.query(rusqlite::params![
        key,
        window.start_ms.div_euclid(BUCKET_MS),
        window.end_ms.div_euclid(BUCKET_MS)
    ])?;
    while let Some(row) = rows.next()? {
        let tokens =
            |i: usize| -> rusqlite::Result<u64> { Ok(row.get::<_, i64>(i)?.max(0) as u64) };
        let sums = Sums {
            cache_read: tokens(2)?,
            cache_write: tokens(3)?,
            ..Sums::default()
        };
        f(text(row, 0)?, text(row, 1)?, sums);
    }
    Ok(())
}

/// The parameters `?1` (from) and `?2` (to) of a query over a window, and `?3` with the clause
/// that keeps one agent's rows, when `agent` is given.
pub(crate) fn bounds_and_agent(
    from: i64,
    to: i64,
    agent: Option<&str>,
) -> (Vec<Value>, &'static str) {
    let mut params = vec![Value::Integer(from), Value::Integer(to)];
    let only_agent = match agent {
        Some(agent) => {
            params.push(Value::Text(agent.to_string()));
            "AND agent_id = ?3"
        }
        None => "",
    };
    (params, only_agent)
}

/// Column `i` of `row` as text, borrowed.
fn text<'a>(row: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    row.get_ref(i)?.as_str().map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(err))
    })
}
