//! Writes batches into the store: events, model calls, skipped-line counts and the source cursor,
//! all in one transaction, so a crash at any point neither loses nor doubles anything.

use rusqlite::{params, Connection, Transaction};

use super::call::{record_of, CallRecord};
use super::entry::{AssistantMessage, Entry, EntryKind, SkipReason};
use super::pricing::PriceBook;
use super::source::{Batch, Cursor, SessionInfo};
use clawtower_core::error::Result;
use clawtower_core::session_key::SessionKind;
use clawtower_openclaw::cron_jobs::CronJobName;
use clawtower_openclaw::task_runs::TaskRuns;
use clawtower_store::model_calls::{self, OnExisting};
use clawtower_store::rollups::RollupDeltas;
use clawtower_store::routed;

/// What one batch added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Entries seen (new or not).
    pub entries: u64,
    /// Billed model calls that were not in the ledger before.
    pub new_calls: u64,
    /// Lines skipped.
    pub skipped: u64,
}

/// Every stored cursor, by source.
pub fn cursors(conn: &mut Connection) -> Result<std::collections::HashMap<String, Cursor>> {
    let mut stmt = conn.prepare("SELECT source, position, fingerprint FROM source_cursors")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            Cursor {
                position: row.get::<_, i64>(1)?.max(0) as u64,
                fingerprint: row.get(2)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Applies one batch atomically.
pub fn apply_batch(conn: &mut Connection, book: &PriceBook, batch: &Batch) -> Result<BatchOutcome> {
    apply_batches(conn, book, std::slice::from_ref(batch), OnExisting::Keep)
}

/// Applies batches in one transaction (each with its cursor): far fewer commits on a large import,
/// and still all-or-nothing. With [`OnExisting::Correct`], calls already stored are rewritten
/// with what the sources say now (the caller rebuilds the rollups afterwards).
pub fn apply_batches(
    conn: &mut Connection,
    book: &PriceBook,
    batches: &[Batch],
    on_existing: OnExisting,
) -> Result<BatchOutcome> {
    let tx = conn.transaction()?;
    let mut outcome = BatchOutcome::default();
    let mut rollups = RollupDeltas::default();
    for batch in batches {
        let on_existing = if batch.from_archive {
            OnExisting::Correct
        } else {
            on_existing
        };
        apply_lines(&tx, book, batch, on_existing, &mut rollups, &mut outcome)?;
    }
    // Router calls whose transcript copy just came fold into it (OpenClaw routed through it).
    routed::fold(&tx, clawtower_core::period::now_ms(), &mut rollups)?;
    rollups.apply(&tx)?;
    tx.commit()?;
    Ok(outcome)
}

fn apply_lines(
    tx: &Transaction<'_>,
    book: &PriceBook,
    batch: &Batch,
    on_existing: OnExisting,
    rollups: &mut RollupDeltas,
    outcome: &mut BatchOutcome,
) -> Result<()> {
    for line in &batch.lines {
        match &line.result {
            Ok(entry) => {
                outcome.entries += 1;
                let event_id = event_id(entry, &batch.context.session_id, line.position);
                if entry.kind.is_kept_as_event() {
                    insert_event(tx, batch, &event_id, entry)?;
                }
                match record_of(&batch.context, &event_id, entry, book) {
                    Some(CallRecord::Billed(call))
                        if model_calls::write(tx, &call, on_existing, rollups)? =>
                    {
                        outcome.new_calls += 1;
                    }
                    Some(CallRecord::Unbilled(call)) => {
                        if on_existing == OnExisting::Correct {
                            model_calls::forget_billed(tx, &call.call_id, rollups)?;
                        }
                        model_calls::write_unbilled(tx, &call, on_existing, rollups)?;
                    }
                    _ => {}
                }
            }
            Err(reason) => {
                outcome.skipped += 1;
                count_skipped(tx, &batch.source, *reason)?;
            }
        }
    }
    if !batch.lines.is_empty() {
        // Its text changed: the search index reads the session again.
        tx.prepare_cached(
            "INSERT INTO search_pending(session_key, generation) VALUES (?1, 1)
             ON CONFLICT(session_key) DO UPDATE SET generation = generation + 1",
        )?
        .execute([&batch.context.session_key])?;
    }
    tx.prepare_cached(
        "INSERT INTO source_cursors(source, position, fingerprint) VALUES (?1, ?2, ?3)
         ON CONFLICT(source) DO UPDATE SET position = excluded.position, fingerprint = excluded.fingerprint",
    )?
    .execute(params![batch.source, batch.cursor.position as i64, batch.cursor.fingerprint])?;
    Ok(())
}

/// The id an entry is stored under: its own id, else its position in the session.
pub fn event_id(entry: &Entry, session_id: &str, position: u64) -> String {
    entry
        .id
        .clone()
        .unwrap_or_else(|| format!("{session_id}#{position}"))
}

fn insert_event(
    tx: &Transaction<'_>,
    batch: &Batch,
    event_id: &str,
    entry: &super::entry::Entry,
) -> Result<()> {
    let (tool_call_id, tool_name, detail) = match &entry.kind {
        EntryKind::ToolResult {
            tool_call_id,
            tool_name,
            is_error,
        } => (
            Some(tool_call_id.clone()),
            Some(tool_name.clone()),
            is_error.then(|| "error".to_string()),
        ),
        EntryKind::Assistant(msg) => (None, None, Some(AssistantDetail::of(msg).to_json())),
        EntryKind::ModelChange { provider, model } => {
            (None, None, Some(format!("{provider}/{model}")))
        }
        EntryKind::Custom { raw, .. } | EntryKind::Unknown { raw, .. } => {
            (None, None, Some(raw.clone()))
        }
        _ => (None, None, None),
    };
    tx.prepare_cached(
        "INSERT OR IGNORE INTO events (event_id, agent_id, session_key, session_id, parent_id, ts_ms,
            kind, tool_call_id, tool_name, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
            event_id,
            batch.context.agent_id,
            batch.context.session_key,
            batch.context.session_id,
            entry.parent_id,
            entry.ts_ms(),
            entry.kind.name(),
            tool_call_id,
            tool_name,
            detail,
    ])?;
    Ok(())
}

/// What an assistant event's `detail` holds (keys in this order: read by the anomaly rules with
/// `json_extract` / `json_each`). Serialized straight from the message, without a `Value` tree.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct AssistantDetail<'a> {
    aborted: bool,
    error: &'a Option<String>,
    model: String,
    run_id: &'a Option<String>,
    stop_reason: &'a Option<String>,
    thinking_blocks: u32,
    /// `<toolCallId>:<tool name>:<arguments fingerprint>`.
    tool_calls: Vec<String>,
}

impl<'a> AssistantDetail<'a> {
    fn of(msg: &'a AssistantMessage) -> Self {
        AssistantDetail {
            aborted: msg.aborted,
            error: &msg.error_message,
            model: format!("{}/{}", msg.provider, msg.model),
            run_id: &msg.run_id,
            stop_reason: &msg.stop_reason,
            thinking_blocks: msg.thinking_blocks,
            tool_calls: msg
                .tool_calls
                .iter()
                .map(|c| format!("{}:{}:{:016x}", c.id, c.name, c.args_fingerprint))
                .collect(),
        }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Counts one line (or call) of `source` left out for `reason`: `doctor` shows the totals.
pub fn count_skipped(conn: &Connection, source: &str, reason: SkipReason) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO skipped_lines(source, reason, count) VALUES (?1, ?2, 1)
         ON CONFLICT(source, reason) DO UPDATE SET count = count + 1",
    )?
    .execute(params![source, reason.as_str()])?;
    Ok(())
}

/// Records sessions and their lineage from the files (idempotent); what a file does not tell is
/// kept (live events may have told it), as `gateway::live::apply_session_update` does.
pub fn upsert_sessions(conn: &mut Connection, sessions: &[SessionInfo]) -> Result<()> {
    let tx = conn.transaction()?;
    for s in sessions {
        let (kind, cron_job) = kind_and_cron_job(&s.session_key);
        tx.prepare_cached(
            "INSERT INTO sessions (session_key, agent_id, session_id, kind, spawned_by, created_via, cron_job_id, label,
                                   status, updated_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(session_key) DO UPDATE SET
               session_id = COALESCE(excluded.session_id, session_id),
               spawned_by = COALESCE(excluded.spawned_by, spawned_by),
               created_via = COALESCE(excluded.created_via, created_via),
               label = COALESCE(excluded.label, label),
               -- The run state the files tell wins only over an older one (live events).
               has_active_run = CASE WHEN excluded.status IS NOT NULL AND excluded.status != 'running'
                                      AND excluded.updated_ms > COALESCE(updated_ms, 0)
                                     THEN 0 ELSE has_active_run END,
               status = CASE WHEN excluded.status IS NOT NULL
                              AND COALESCE(excluded.updated_ms, 0) >= COALESCE(updated_ms, 0)
                             THEN excluded.status ELSE status END,
               updated_ms = MAX(COALESCE(updated_ms, excluded.updated_ms), COALESCE(excluded.updated_ms, updated_ms))",
        )?
        // Cached: with the session list's triggers, preparing it costs more than running it.
        .execute(params![s.session_key, s.agent_id, s.session_id, kind, s.spawned_by, s.created_via, cron_job, s.label, s.status, s.updated_ms])?;
    }
    tx.commit()?;
    Ok(())
}

/// Remembers the names of OpenClaw's cron jobs (a renamed job takes its new name; a removed one
/// keeps its last), which job each run's session ran and the task each sub-agent was given
/// (neither changes), in one transaction. Writes only what changed.
pub fn remember_jobs_and_runs(
    conn: &mut Connection,
    jobs: &[CronJobName],
    runs: &TaskRuns,
) -> Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO cron_job_names (job_id, name, agent_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (job_id) DO UPDATE SET name = excluded.name, agent_id = excluded.agent_id
             WHERE name IS NOT excluded.name OR agent_id IS NOT excluded.agent_id",
        )?;
        for job in jobs {
            stmt.execute(params![job.job_id, job.name, job.agent_id])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO cron_run_sessions (session_id, job_id) VALUES (?1, ?2)",
        )?;
        for run in &runs.cron_runs {
            stmt.execute(params![run.session_id, run.job_id])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO spawned_tasks (session_key, task) VALUES (?1, ?2)",
        )?;
        for spawned in &runs.spawned {
            stmt.execute(params![spawned.session_key, spawned.task])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// What a session key says the session is (`main`, `subagent`, `cron-run`…), and its cron job.
pub fn kind_and_cron_job(session_key: &str) -> (&'static str, Option<String>) {
    let kind = SessionKind::of(session_key);
    let name = kind.as_str();
    let job = match kind {
        SessionKind::CronRun { job_id } => Some(job_id),
        _ => None,
    };
    (name, job)
}

/// Lines skipped so far, by reason.
pub fn skipped_totals(conn: &Connection) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn
        .prepare("SELECT reason, SUM(count) FROM skipped_lines GROUP BY reason ORDER BY reason")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::ToolCall;

    #[test]
    fn assistant_detail_is_the_json_the_anomaly_rules_read() {
        let msg = AssistantMessage {
            provider: "p".into(),
            model: "m".into(),
            stop_reason: Some("toolUse".into()),
            tool_calls: vec![ToolCall {
                id: "c1".into(),
                name: "exec".into(),
                args_fingerprint: 0xab,
            }],
            thinking_blocks: 1,
            ..AssistantMessage::default()
        };
        let detail = AssistantDetail::of(&msg).to_json();
        assert_eq!(
            detail,
            serde_json::json!({
                "model": "p/m", "stopReason": "toolUse", "error": null,
                "toolCalls": ["c1:exec:00000000000000ab"], "thinkingBlocks": 1,
                "runId": null, "aborted": false,
            })
            .to_string()
        );
    }
}
