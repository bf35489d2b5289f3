//! Every session of every agent: those the gateway and the transcripts told about (with live
//! status) and those only the ledger remembers (reset or deleted transcripts), each with a
//! readable name, its kind, models, spend and activity; filtered, sorted and paged.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};
use clawtower_core::money::NanoUsd;
use clawtower_ledger::source::agent_of_key;
use clawtower_store::rollups::BUCKET_MS;
use clawtower_store::{saturating_sum, Store};

use crate::naming::{session_kind, session_title, SessionKindName};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SessionStatus {
    /// A run is going now.
    Running,
    /// Started, no run going (waiting for input, a tool or a sub-agent).
    Waiting,
    /// The last run finished.
    Done,
    /// The last run failed or timed out.
    Failed,
    /// The last run was killed or aborted.
    Aborted,
    /// OpenClaw no longer lists it: its transcript was reset or deleted (the ledger keeps it).
    Archived,
    /// Nothing is known of its runs yet.
    Unknown,
}

impl SessionStatus {
    /// From OpenClaw's `status` and `hasActiveRun` (authoritative liveness); `deleted` is what
    /// the live feed records for a session deleted while Clawtower watched.
    pub fn of(status: Option<&str>, active: Option<bool>, listed: bool) -> SessionStatus {
        if !listed || status == Some("deleted") {
            return SessionStatus::Archived;
        }
        if active == Some(true) {
            return SessionStatus::Running;
        }
        match status {
            Some("running") => SessionStatus::Waiting,
            Some("done") => SessionStatus::Done,
            Some("failed" | "timeout") => SessionStatus::Failed,
            Some("killed" | "aborted") => SessionStatus::Aborted,
            _ => SessionStatus::Unknown,
        }
    }
}

/// One row of the sessions list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionRow {
    /// The session key.
    pub key: String,
    /// Its agent.
    pub agent_id: String,
    /// A readable name: its label, "main", "sub-agent of …", "cron run of …", the channel…
    pub title: String,
    /// What kind of session it is.
    pub kind: SessionKindName,
    /// Where it stands.
    pub status: SessionStatus,
    /// The channel it talks on (`telegram`, `discord`…), when it is a channel's session.
    pub channel: Option<String>,
    /// The session that spawned it (a sub-agent's parent).
    pub spawned_by: Option<String>,
    /// The cron job of a cron run.
    pub cron_job_id: Option<String>,
    /// The `provider/model`s its calls used, most expensive first.
    pub models: Vec<String>,
    /// Billed model calls.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub calls: u64,
    /// Aborted or failed calls (not billed).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub unbilled_calls: u64,
    /// Billed tokens (input, output, cache read and write).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: u64,
    /// What its calls cost, USD.
    pub cost_usd: f64,
    /// Its first call or event, Unix ms (to the quarter hour when only the ledger knows it).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub started_ms: Option<i64>,
    /// Its latest activity, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub last_activity_ms: Option<i64>,
    /// Sessions it spawned.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub children: u64,
}

impl SessionRow {
    /// From its first activity to its last, ms.
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.last_activity_ms? - self.started_ms?).filter(|d| *d >= 0)
    }
}

/// How the list is sorted (most first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SessionSort {
    /// Latest activity first.
    #[default]
    Activity,
    /// Most expensive first.
    Cost,
    /// Most tokens first.
    Tokens,
    /// Latest started first.
    Started,
}

/// Which sessions, in which order, which page.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SessionQuery {
    /// Only this agent's.
    pub agent: Option<String>,
    /// Only sessions in this state.
    pub status: Option<SessionStatus>,
    /// Only this kind.
    pub kind: Option<SessionKindName>,
    /// Only sessions that used this `provider/model` (or a model id it ends with).
    pub model: Option<String>,
    /// Only this channel's.
    pub channel: Option<String>,
    /// Only sessions that cost at least this, USD.
    pub min_cost_usd: Option<f64>,
    /// Only sessions that cost at most this, USD.
    pub max_cost_usd: Option<f64>,
    /// Only sessions active at or after this instant, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub since_ms: Option<i64>,
    /// Only sessions started before this instant, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub until_ms: Option<i64>,
    /// Text in the key, label or name (case-insensitive, any language).
    pub search: Option<String>,
    /// Order.
    pub sort: SessionSort,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (1–500; 100 when 0).
    pub limit: u32,
}

/// A page of the list, and what the filters can choose from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionPage {
    /// Sessions matching the filters (all pages).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub total: u64,
    /// This page.
    pub rows: Vec<SessionRow>,
    /// Every agent with a session.
    pub agents: Vec<String>,
    /// Every model used.
    pub models: Vec<String>,
    /// Every channel with a session.
    pub channels: Vec<String>,
}

/// The largest page.
pub const MAX_PAGE: u32 = 500;

/// The sessions matching `query`, a page of them.
pub fn list_sessions(store: &Store, query: &SessionQuery) -> Result<SessionPage> {
    let limit = match query.limit {
        0 => 100,
        n if n > MAX_PAGE => {
            return Err(EngineError::InvalidInput(format!(
                "a page holds at most {MAX_PAGE} sessions"
            )))
        }
        n => n,
    };
    let all = store.read(all_sessions)?;
    let (mut agents, mut models, mut channels) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for row in &all {
        agents.insert(row.agent_id.clone());
        models.extend(row.models.iter().cloned());
        channels.extend(row.channel.clone());
    }
    let mut rows: Vec<SessionRow> = all.into_iter().filter(|r| matches(r, query)).collect();
    sort(&mut rows, query.sort);
    let total = rows.len() as u64;
    let rows = rows
        .into_iter()
        .skip(query.offset as usize)
        .take(limit as usize)
        .collect();
    Ok(SessionPage {
        total,
        rows,
        agents: agents.into_iter().collect(),
        models: models.into_iter().collect(),
        channels: channels.into_iter().collect(),
    })
}

/// One session's row; `NOT_FOUND` when neither OpenClaw nor the ledger knows it.
pub fn session_row(store: &Store, key: &str) -> Result<SessionRow> {
    store
        .read(all_sessions)?
        .into_iter()
        .find(|r| r.key == key)
        .ok_or_else(|| EngineError::NotFound(format!("session {key}")))
}

/// Every session's row, in no order.
pub(crate) fn all_sessions(conn: &mut rusqlite::Connection) -> Result<Vec<SessionRow>> {
    struct Listed {
        key: String,
        agent_id: String,
        spawned_by: Option<String>,
        created_via: Option<String>,
        cron_job_id: Option<String>,
        label: Option<String>,
        status: Option<String>,
        active: Option<bool>,
        updated_ms: Option<i64>,
    }
    let mut stmt = conn.prepare(
        "SELECT session_key, agent_id, spawned_by, created_via, cron_job_id, label, status,
                has_active_run, updated_ms
         FROM sessions",
    )?;
    let listed = stmt
        .query_map([], |r| {
            Ok(Listed {
                key: r.get(0)?,
                agent_id: r.get(1)?,
                spawned_by: r.get(2)?,
                created_via: r.get(3)?,
                cron_job_id: r.get(4)?,
                label: r.get(5)?,
                status: r.get(6)?,
                active: r.get::<_, Option<i64>>(7)?.map(|a| a != 0),
                updated_ms: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let labels: HashMap<&str, Option<&str>> = listed
        .iter()
        .map(|l| (l.key.as_str(), l.label.as_deref()))
        .collect();
    let mut rows: HashMap<String, SessionRow> = HashMap::new();
    for l in &listed {
        let (kind, channel) = session_kind(&l.key, l.created_via.as_deref());
        let parent = l
            .spawned_by
            .as_deref()
            .map(|p| (p, labels.get(p).copied().flatten()));
        let title = session_title(
            &l.key,
            l.label.as_deref(),
            parent,
            l.cron_job_id.as_deref(),
            true,
        );
        let row = SessionRow {
            key: l.key.clone(),
            agent_id: l.agent_id.clone(),
            title,
            kind,
            status: SessionStatus::of(l.status.as_deref(), l.active, true),
            channel,
            spawned_by: l.spawned_by.clone(),
            cron_job_id: l.cron_job_id.clone(),
            last_activity_ms: l.updated_ms,
            ..archived_row(&l.key)
        };
        rows.insert(l.key.clone(), row);
    }
    add_spend(conn, &mut rows)?;
    let parents: Vec<String> = rows.values().filter_map(|r| r.spawned_by.clone()).collect();
    for parent in parents {
        if let Some(row) = rows.get_mut(&parent) {
            row.children += 1;
        }
    }
    Ok(rows.into_values().collect())
}

/// Adds each session's spend and span from the rollups (a session only the ledger knows gets
/// a row of its own).
fn add_spend(conn: &rusqlite::Connection, rows: &mut HashMap<String, SessionRow>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT session_key, provider, model, SUM(calls),
                SUM(input_tokens) + SUM(output_tokens) + SUM(cache_read_tokens) + SUM(cache_write_tokens),
                SUM(cost_nanousd), SUM(aborted_calls) + SUM(failed_calls), MIN(bucket), MAX(bucket)
         FROM usage_rollups GROUP BY session_key, provider, model",
    )?;
    let mut found = stmt.query([])?;
    let mut model_costs: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    while let Some(r) = found.next()? {
        let key: String = r.get(0)?;
        let model = format!("{}/{}", r.get::<_, String>(1)?, r.get::<_, String>(2)?);
        let calls = saturating_sum(r, 3)?.max(0) as u64;
        let tokens = saturating_sum(r, 4)?.max(0) as u64;
        let cost = saturating_sum(r, 5)?;
        let unbilled = saturating_sum(r, 6)?.max(0) as u64;
        // Quarter hours: the start of the first and of the last bucket (never in the future);
        // the live time from the gateway wins when it is later.
        let first = r.get::<_, i64>(7)?.saturating_mul(BUCKET_MS);
        let last = r.get::<_, i64>(8)?.saturating_mul(BUCKET_MS);
        let row = rows
            .entry(key.clone())
            .or_insert_with(|| archived_row(&key));
        row.calls = row.calls.saturating_add(calls);
        row.tokens = row.tokens.saturating_add(tokens);
        row.unbilled_calls = row.unbilled_calls.saturating_add(unbilled);
        row.cost_usd += NanoUsd(cost).as_usd();
        row.started_ms = Some(row.started_ms.map_or(first, |s| s.min(first)));
        if row.last_activity_ms.is_none_or(|l| l < last) {
            row.last_activity_ms = Some(last);
        }
        if calls > 0 {
            model_costs.entry(key).or_default().push((cost, model));
        }
    }
    for (key, mut costs) in model_costs {
        costs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        if let Some(row) = rows.get_mut(&key) {
            row.models = costs.into_iter().map(|(_, m)| m).collect();
        }
    }
    Ok(())
}

/// The row of a session OpenClaw no longer lists (its transcript was reset or deleted).
fn archived_row(key: &str) -> SessionRow {
    let (kind, channel) = session_kind(key, None);
    SessionRow {
        key: key.to_string(),
        agent_id: agent_of_key(key),
        title: session_title(key, None, None, None, false),
        kind,
        status: SessionStatus::Archived,
        channel,
        spawned_by: None,
        cron_job_id: None,
        models: Vec::new(),
        calls: 0,
        unbilled_calls: 0,
        tokens: 0,
        cost_usd: 0.0,
        started_ms: None,
        last_activity_ms: None,
        children: 0,
    }
}

fn matches(row: &SessionRow, q: &SessionQuery) -> bool {
    let text = |wanted: &Option<String>, value: &str| wanted.as_deref().is_none_or(|w| w == value);
    text(&q.agent, &row.agent_id)
        && q.status.is_none_or(|s| s == row.status)
        && q.kind.is_none_or(|k| k == row.kind)
        && q.model.as_deref().is_none_or(|m| {
            row.models
                .iter()
                .any(|used| used == m || used.rsplit_once('/').is_some_and(|(_, id)| id == m))
        })
        && q.channel
            .as_deref()
            .is_none_or(|c| row.channel.as_deref() == Some(c))
        && q.min_cost_usd.is_none_or(|min| row.cost_usd >= min)
        && q.max_cost_usd.is_none_or(|max| row.cost_usd <= max)
        && q.since_ms
            .is_none_or(|since| row.last_activity_ms.is_some_and(|l| l >= since))
        && q.until_ms.is_none_or(|until| {
            row.started_ms
                .or(row.last_activity_ms)
                .is_some_and(|s| s < until)
        })
        && q.search.as_deref().is_none_or(|s| {
            let s = s.trim().to_lowercase();
            s.is_empty()
                || row.key.to_lowercase().contains(&s)
                || row.title.to_lowercase().contains(&s)
        })
}

fn sort(rows: &mut [SessionRow], by: SessionSort) {
    let key = |r: &SessionRow| -> (f64, i64) {
        match by {
            SessionSort::Activity => (0.0, r.last_activity_ms.unwrap_or(i64::MIN)),
            SessionSort::Cost => (r.cost_usd, 0),
            SessionSort::Tokens => (r.tokens as f64, 0),
            SessionSort::Started => (0.0, r.started_ms.unwrap_or(i64::MIN)),
        }
    };
    rows.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0)
            .then(kb.1.cmp(&ka.1))
            .then_with(|| b.last_activity_ms.cmp(&a.last_activity_ms))
            .then_with(|| a.key.cmp(&b.key))
    });
}
