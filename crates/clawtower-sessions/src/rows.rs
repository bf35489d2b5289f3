//! Session rows as the store keeps them (`session_list`: what OpenClaw told of each session
//! beside what it spent), turned into [`SessionRow`]s with their readable names, children and
//! models.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

use clawtower_core::error::{EngineError, Result};
use clawtower_core::money::NanoUsd;
use clawtower_store::rollups::BUCKET_MS;
use clawtower_store::{saturating_sum, Store};

use crate::naming::{
    cron_job_id, cron_job_names, cron_job_of, session_kind, session_title, SessionKindName,
};
use crate::view::{SessionRow, SessionStatus};

/// The columns [`read`] expects, in order, of `session_list` as `s`.
pub(crate) const COLUMNS: &str = "s.session_key, s.agent_id, s.spawned_by, s.created_via,
    s.cron_job_id, s.label, s.status, s.has_active_run, s.updated_ms, s.listed, s.calls, s.tokens,
    s.cost_nanousd, s.unbilled_calls, s.first_bucket, s.last_bucket";

/// A session as stored: what OpenClaw told of it (absent for one only the ledger knows) and
/// its sums.
pub(crate) struct Stored {
    key: String,
    agent_id: String,
    spawned_by: Option<String>,
    created_via: Option<String>,
    cron_job_id: Option<String>,
    label: Option<String>,
    status: Option<String>,
    active: Option<bool>,
    updated_ms: Option<i64>,
    listed: bool,
    calls: i64,
    tokens: i64,
    cost: i64,
    unbilled: i64,
    first_bucket: Option<i64>,
    last_bucket: Option<i64>,
}

/// The sessions `sql` selects ([`COLUMNS`]).
pub(crate) fn read(conn: &Connection, sql: &str, params: &[Value]) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare(sql)?;
    let stored = stmt
        .query_map(params_from_iter(params), |r| {
            Ok(Stored {
                key: r.get(0)?,
                agent_id: r.get(1)?,
                spawned_by: r.get(2)?,
                created_via: r.get(3)?,
                cron_job_id: r.get(4)?,
                label: r.get(5)?,
                status: r.get(6)?,
                active: r.get::<_, Option<i64>>(7)?.map(|a| a != 0),
                updated_ms: r.get(8)?,
                listed: r.get::<_, i64>(9)? != 0,
                calls: saturating_sum(r, 10)?,
                tokens: saturating_sum(r, 11)?,
                cost: saturating_sum(r, 12)?,
                unbilled: saturating_sum(r, 13)?,
                first_bucket: r.get(14)?,
                last_bucket: r.get(15)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(stored)
}

/// The rows of `stored`, named (a sub-agent after its parent's label, a cron run after its
/// job, from `jobs`), with the number of sessions each spawned; `models` left empty (see
/// [`add_models`]).
pub(crate) fn rows(
    conn: &Connection,
    stored: &[Stored],
    jobs: &HashMap<String, String>,
) -> Result<Vec<SessionRow>> {
    let mut labels: HashMap<&str, Option<String>> = stored
        .iter()
        .map(|s| (s.key.as_str(), s.label.clone()))
        .collect();
    let mut parent_label =
        conn.prepare_cached("SELECT label FROM session_list WHERE session_key = ?1")?;
    for parent in stored.iter().filter_map(|s| s.spawned_by.as_deref()) {
        if !labels.contains_key(parent) {
            let label = parent_label
                .query_row([parent], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten();
            labels.insert(parent, label);
        }
    }
    let mut children =
        conn.prepare_cached("SELECT COUNT(*) FROM sessions WHERE spawned_by = ?1")?;
    stored
        .iter()
        .map(|s| {
            let parent = s
                .spawned_by
                .as_deref()
                .map(|p| (p, labels.get(p).and_then(|l| l.as_deref())));
            let count: i64 = children.query_row([&s.key], |r| r.get(0))?;
            // Only a session OpenClaw no longer lists can be a deleted run.
            let job = match s.listed {
                true => cron_job_of(&s.key).map(str::to_string),
                false => cron_job_id(conn, &s.key)?,
            };
            let job = job
                .as_deref()
                .map(|id| (id, jobs.get(id).map(String::as_str)));
            Ok(row(s, parent, job, count.max(0) as u64))
        })
        .collect()
}

/// One row: its parent `(key, label)` and the cron job it ran `(id, name)` for its name.
fn row(
    s: &Stored,
    parent: Option<(&str, Option<&str>)>,
    job: Option<(&str, Option<&str>)>,
    children: u64,
) -> SessionRow {
    let (mut kind, channel) = session_kind(&s.key, s.created_via.as_deref());
    if job.is_some() {
        // Also a run OpenClaw deleted, whose key no longer says so.
        kind = SessionKindName::Cron;
    }
    let job_name = job.map(|(id, name)| name.unwrap_or(id));
    // Quarter hours: the start of the first and of the last bucket spent in (never in the
    // future); the live time from the gateway wins when it is later.
    let started_ms = s.first_bucket.map(|b| b.saturating_mul(BUCKET_MS));
    let last = s.last_bucket.map(|b| b.saturating_mul(BUCKET_MS));
    SessionRow {
        key: s.key.clone(),
        agent_id: s.agent_id.clone(),
        title: session_title(&s.key, s.label.as_deref(), parent, job_name, s.listed),
        kind,
        status: SessionStatus::of(s.status.as_deref(), s.active, s.listed),
        channel,
        spawned_by: s.spawned_by.clone(),
        cron_job_id: s
            .cron_job_id
            .clone()
            .or_else(|| job.map(|(id, _)| id.to_string())),
        models: Vec::new(),
        calls: s.calls.max(0) as u64,
        unbilled_calls: s.unbilled.max(0) as u64,
        tokens: s.tokens.max(0) as u64,
        cost_usd: NanoUsd(s.cost).as_usd(),
        started_ms,
        last_activity_ms: s.updated_ms.max(last),
        children,
        said: None,
    }
}

/// The rows of `keys` (in no order; absent ones left out; `models` left empty).
pub fn session_rows(conn: &Connection, keys: &[String]) -> Result<Vec<SessionRow>> {
    let listed = serde_json::to_string(keys).unwrap_or_default();
    let stored = read(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM session_list s
             WHERE s.session_key IN (SELECT value FROM json_each(?1))"
        ),
        &[Value::Text(listed)],
    )?;
    rows(conn, &stored, &cron_job_names(conn)?)
}

/// Fills in the `provider/model`s each of `rows` used, most expensive first.
pub(crate) fn add_models(conn: &Connection, rows: &mut [SessionRow]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT provider || '/' || model, ssum(cost_nanousd) AS cost FROM usage_rollups
         WHERE session_key = ?1 GROUP BY provider, model HAVING ssum(calls) > 0
         ORDER BY cost DESC, 1",
    )?;
    for row in rows {
        row.models = stmt
            .query_map([&row.key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

/// One session's row; `NOT_FOUND` when neither OpenClaw nor the ledger knows it.
pub fn session_row(store: &Store, key: &str) -> Result<SessionRow> {
    store.read(|conn| {
        let mut row = session_rows(conn, &[key.to_string()])?
            .pop()
            .ok_or_else(|| EngineError::NotFound(format!("session {key}")))?;
        add_models(conn, std::slice::from_mut(&mut row))?;
        Ok(row)
    })
}
