//! Every session of every agent: those the gateway and the transcripts told about (with live
//! status) and those only the ledger remembers (reset or deleted transcripts), each with a
//! readable name, its kind, models, spend and activity; filtered, sorted and paged.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};
use clawtower_core::money::NanoUsd;
use clawtower_store::rollups::BUCKET_MS;
use clawtower_store::{saturating_sum, Store};

use crate::naming::{session_kind, session_title, SessionKindName};
use crate::search;

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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
    /// The `provider/model`s its calls used, most expensive first (filled in for the rows of a
    /// page, a tree or one session; empty in a bulk read).
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
    /// Where the searched text was said in it (a message cut around the match), when the list
    /// was searched and the session matched by what was said.
    pub said: Option<String>,
}

/// How the list is sorted (most first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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
    /// Text in the key, label or name, or in what was said in it (any language, CJK included;
    /// Latin letters in any case).
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
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (all, models, using, saying) = store.read(|conn| {
        let using = match &query.model {
            Some(model) => Some(sessions_using(conn, model)?),
            None => None,
        };
        let saying = match search {
            Some(text) => search::sessions_saying(conn, text)?,
            None => HashSet::new(),
        };
        Ok((all_sessions(conn)?, models_used(conn)?, using, saying))
    })?;
    let (mut agents, mut channels) = (BTreeSet::new(), BTreeSet::new());
    for row in &all {
        agents.insert(row.agent_id.clone());
        channels.extend(row.channel.clone());
    }
    // Sorted by reference (a row is large, and most rows only need to be skipped); only the
    // page is cloned.
    let mut matching: Vec<&SessionRow> = all
        .iter()
        .filter(|r| {
            matches(r, query)
                && using.as_ref().is_none_or(|keys| keys.contains(&r.key))
                && search.is_none_or(|s| named(r, s) || saying.contains(&r.key))
        })
        .collect();
    sort(&mut matching, query.sort);
    let total = matching.len() as u64;
    let mut rows: Vec<SessionRow> = matching
        .into_iter()
        .skip(query.offset as usize)
        .take(limit as usize)
        .cloned()
        .collect();
    store.read(|conn| {
        if let Some(text) = search {
            for row in rows.iter_mut().filter(|r| saying.contains(&r.key)) {
                row.said = search::excerpt(conn, &row.key, text)?;
            }
        }
        add_models(conn, &mut rows)
    })?;
    Ok(SessionPage {
        total,
        rows,
        agents: agents.into_iter().collect(),
        models,
        channels: channels.into_iter().collect(),
    })
}

/// One session's row; `NOT_FOUND` when neither OpenClaw nor the ledger knows it.
pub fn session_row(store: &Store, key: &str) -> Result<SessionRow> {
    store.read(|conn| {
        let mut row = rows_of(conn, Only::One(key))?
            .into_iter()
            .find(|r| r.key == key)
            .ok_or_else(|| EngineError::NotFound(format!("session {key}")))?;
        add_models(conn, std::slice::from_mut(&mut row))?;
        Ok(row)
    })
}

/// The rows of `keys` (in no order; `models` left empty: they cost a look at every rollup row of
/// the session), a sub-agent named after its parent.
pub fn session_rows(conn: &rusqlite::Connection, keys: &[String]) -> Result<Vec<SessionRow>> {
    let listed = serde_json::to_string(keys).unwrap_or_default();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT spawned_by FROM sessions
         WHERE session_key IN (SELECT value FROM json_each(?1)) AND spawned_by IS NOT NULL",
    )?;
    let parents = stmt
        .query_map([listed], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let wanted: Vec<String> = keys.iter().cloned().chain(parents).collect();
    let keys: std::collections::HashSet<&String> = keys.iter().collect();
    let mut rows = rows_of(conn, Only::Keys(&wanted))?;
    rows.retain(|row| keys.contains(&row.key));
    Ok(rows)
}

/// A session as stored: what OpenClaw told of it (absent for one only the ledger knows) and
/// its sums.
struct Stored {
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

/// Every session's row, in no order: the sessions OpenClaw told of with their sums, then those
/// only the ledger knows (one query; no row is built twice). Models are left for [`add_models`]:
/// they cost a look at the rollups.
pub(crate) fn all_sessions(conn: &mut rusqlite::Connection) -> Result<Vec<SessionRow>> {
    rows_of(conn, Only::All)
}

/// Which sessions' rows to read.
#[derive(Clone, Copy)]
pub(crate) enum Only<'a> {
    /// Every session.
    All,
    /// One session, and its parent (for its name).
    One(&'a str),
    /// These sessions: a whole lineage, each one's parent and children among them.
    Keys(&'a [String]),
}

/// The rows of the sessions `only` names.
pub(crate) fn rows_of(conn: &rusqlite::Connection, only: Only<'_>) -> Result<Vec<SessionRow>> {
    let sums =
        "u.calls, u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens,
                u.cost_nanousd, u.aborted_calls + u.failed_calls, u.first_bucket, u.last_bucket";
    let (listed, ledger_only, param) = match only {
        Only::All => ("", "", None),
        Only::One(key) => (
            "WHERE s.session_key = ?1
                OR s.session_key = (SELECT spawned_by FROM sessions WHERE session_key = ?1)",
            "AND u.session_key = ?1",
            Some(key.to_string()),
        ),
        Only::Keys(keys) => (
            "WHERE s.session_key IN (SELECT value FROM json_each(?1))",
            "AND u.session_key IN (SELECT value FROM json_each(?1))",
            Some(serde_json::to_string(keys).unwrap_or_default()),
        ),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT s.session_key, s.agent_id, s.spawned_by, s.created_via, s.cron_job_id, s.label,
                s.status, s.has_active_run, s.updated_ms, 1, {sums}
         FROM sessions s LEFT JOIN usage_by_session u ON u.session_key = s.session_key {listed}
         UNION ALL
         SELECT u.session_key, u.agent_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, {sums}
         FROM usage_by_session u
         WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = u.session_key) {ledger_only}"
    ))?;
    let params: Vec<&dyn rusqlite::ToSql> =
        param.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
    let stored = stmt
        .query_map(params.as_slice(), |r| {
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
    let labels: HashMap<&str, Option<&str>> = stored
        .iter()
        .map(|s| (s.key.as_str(), s.label.as_deref()))
        .collect();
    let mut children: HashMap<&str, u64> = HashMap::new();
    match only {
        // One session: its children are not among the rows read.
        Only::One(key) => {
            let count: i64 = conn.query_row(
                "SELECT COUNT(*) FROM sessions WHERE spawned_by = ?1",
                [key],
                |r| r.get(0),
            )?;
            children.insert(key, count.max(0) as u64);
        }
        Only::All | Only::Keys(_) => {
            for parent in stored.iter().filter_map(|s| s.spawned_by.as_deref()) {
                *children.entry(parent).or_insert(0) += 1;
            }
        }
    }
    Ok(stored
        .iter()
        .map(|s| {
            let (kind, channel) = session_kind(&s.key, s.created_via.as_deref());
            let parent = s
                .spawned_by
                .as_deref()
                .map(|p| (p, labels.get(p).copied().flatten()));
            // Quarter hours: the start of the first and of the last bucket spent in (never in
            // the future); the live time from the gateway wins when it is later.
            let started_ms = s.first_bucket.map(|b| b.saturating_mul(BUCKET_MS));
            let last = s.last_bucket.map(|b| b.saturating_mul(BUCKET_MS));
            SessionRow {
                key: s.key.clone(),
                agent_id: s.agent_id.clone(),
                title: session_title(
                    &s.key,
                    s.label.as_deref(),
                    parent,
                    s.cron_job_id.as_deref(),
                    s.listed,
                ),
                kind,
                status: SessionStatus::of(s.status.as_deref(), s.active, s.listed),
                channel,
                spawned_by: s.spawned_by.clone(),
                cron_job_id: s.cron_job_id.clone(),
                models: Vec::new(),
                calls: s.calls.max(0) as u64,
                unbilled_calls: s.unbilled.max(0) as u64,
                tokens: s.tokens.max(0) as u64,
                cost_usd: NanoUsd(s.cost).as_usd(),
                started_ms,
                last_activity_ms: s.updated_ms.max(last),
                children: children.get(s.key.as_str()).copied().unwrap_or(0),
                said: None,
            }
        })
        .collect())
}

/// Fills in the `provider/model`s each of `rows` used, most expensive first.
pub(crate) fn add_models(conn: &rusqlite::Connection, rows: &mut [SessionRow]) -> Result<()> {
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

/// The sessions that used `model` (`provider/model`, or a model id it ends with).
fn sessions_using(conn: &rusqlite::Connection, model: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT session_key FROM usage_rollups
         WHERE calls > 0 AND (provider || '/' || model = ?1 OR model = ?1)",
    )?;
    let keys = stmt
        .query_map([model], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

/// Every `provider/model` with a billed call.
fn models_used(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT provider || '/' || model FROM usage_rollups WHERE calls > 0 ORDER BY 1",
    )?;
    let models = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(models)
}

fn matches(row: &SessionRow, q: &SessionQuery) -> bool {
    let text = |wanted: &Option<String>, value: &str| wanted.as_deref().is_none_or(|w| w == value);
    text(&q.agent, &row.agent_id)
        && q.status.is_none_or(|s| s == row.status)
        && q.kind.is_none_or(|k| k == row.kind)
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
}

/// Whether `text` is in the session's key or name (ignoring case).
fn named(row: &SessionRow, text: &str) -> bool {
    let text = text.to_lowercase();
    row.key.to_lowercase().contains(&text) || row.title.to_lowercase().contains(&text)
}

fn sort(rows: &mut [&SessionRow], by: SessionSort) {
    let key = |r: &SessionRow| -> (f64, i64) {
        match by {
            SessionSort::Activity => (0.0, r.last_activity_ms.unwrap_or(i64::MIN)),
            SessionSort::Cost => (r.cost_usd, 0),
            SessionSort::Tokens => (r.tokens as f64, 0),
            SessionSort::Started => (0.0, r.started_ms.unwrap_or(i64::MIN)),
        }
    };
    rows.sort_unstable_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0)
            .then(kb.1.cmp(&ka.1))
            .then_with(|| b.last_activity_ms.cmp(&a.last_activity_ms))
            .then_with(|| a.key.cmp(&b.key))
    });
}
