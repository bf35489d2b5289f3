//! Every session of every agent: those the gateway and the transcripts told about (with live
//! status) and those only the ledger remembers (reset or deleted transcripts), each with a
//! readable name, its kind, models, spend and activity; filtered, sorted and paged.

use std::collections::HashSet;

use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};
use clawtower_store::rollups::BUCKET_MS;
use clawtower_store::Store;

use crate::naming::{cron_job_names, SessionKindName};
use crate::rows::{self, COLUMNS};
pub use crate::rows::{session_row, session_rows};
pub use crate::view::{SessionRow, SessionStatus};
use crate::{functions, search};

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

/// The sessions matching `query`, a page of them: filtered, counted, sorted and paged in SQL
/// over `session_list` (an index per order), so only the page's rows are built.
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
    store.read(|conn| {
        let jobs = cron_job_names(conn)?;
        functions::register(conn, jobs.clone())?;
        // What was said is searched once (the index may answer thousands of sessions); the
        // count and the page test each session against that answer.
        let saying = match search {
            Some(text) => search::sessions_saying(conn, text)?,
            None => HashSet::new(),
        };
        let (filter, filter_params) = filter(query, search, &saying);
        let total: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM session_list s WHERE {filter}"),
            params_from_iter(&filter_params),
            |r| r.get(0),
        )?;
        let page_params: Vec<Value> = filter_params
            .into_iter()
            .chain([Value::Integer(limit.into()), Value::Integer(query.offset.into())])
            .collect();
        let stored = rows::read(
            conn,
            &format!(
                "SELECT {COLUMNS} FROM session_list s WHERE {filter}
                 ORDER BY {} LIMIT ? OFFSET ?",
                order(query.sort)
            ),
            &page_params,
        )?;
        let mut rows = rows::rows(conn, &stored, &jobs)?;
        if let Some(text) = search {
            for row in rows.iter_mut().filter(|r| saying.contains(&r.key)) {
                row.said = search::excerpt(conn, &row.key, text)?;
            }
        }
        rows::add_models(conn, &mut rows)?;
        Ok(SessionPage {
            total: total.max(0) as u64,
            rows,
            agents: column(conn, "SELECT DISTINCT agent_id FROM session_list ORDER BY 1")?,
            models: column(
                conn,
                // The day rollups: a row per day, agent and model, not per quarter hour and session.
                "SELECT DISTINCT provider || '/' || model FROM usage_by_day_model WHERE calls > 0
                 ORDER BY 1",
            )?,
            channels: column(
                conn,
                "SELECT DISTINCT channel FROM (SELECT session_channel(session_key, created_via) AS channel
                 FROM session_list) WHERE channel IS NOT NULL ORDER BY 1",
            )?,
        })
    })
}

/// The job of a cron run's session OpenClaw deleted, counted under `agent:<id>:<sessionId>`
/// (NULL for any other session), as [`crate::naming::cron_job_id`] finds it for a row: only a
/// session OpenClaw no longer lists can be one.
const DELETED_RUN_JOB: &str = "(SELECT job_id FROM cron_run_sessions
    WHERE s.listed = 0 AND session_id = substr(s.session_key, length(s.agent_id) + 8))";

/// The `WHERE` clause of `query` over `session_list s`, and its parameters in order; `saying`
/// are the sessions the searched text was said in.
fn filter(
    query: &SessionQuery,
    search: Option<&str>,
    saying: &HashSet<String>,
) -> (String, Vec<Value>) {
    let mut clauses = vec!["1".to_string()];
    let mut params = Vec::new();
    let mut add = |clause: &str, values: Vec<Value>| {
        clauses.push(clause.to_string());
        params.extend(values);
    };
    let text = |t: &str| Value::Text(t.to_string());
    if let Some(agent) = &query.agent {
        add("s.agent_id = ?", vec![text(agent)]);
    }
    if let Some(status) = query.status {
        let status = Value::Integer(status as i64);
        add(
            "session_status(s.status, s.has_active_run, s.listed) = ?",
            vec![status],
        );
    }
    if let Some(kind) = query.kind {
        let cron = SessionKindName::Cron as i64;
        add(
            &format!(
                "CASE WHEN {DELETED_RUN_JOB} IS NOT NULL THEN {cron}
                      ELSE session_kind(s.session_key, s.created_via) END = ?"
            ),
            vec![Value::Integer(kind as i64)],
        );
    }
    if let Some(model) = &query.model {
        add(
            "s.session_key IN (SELECT session_key FROM usage_rollups
               WHERE calls > 0 AND (provider || '/' || model = ? OR model = ?))",
            vec![text(model), text(model)],
        );
    }
    if let Some(channel) = &query.channel {
        add(
            "session_channel(s.session_key, s.created_via) = ?",
            vec![text(channel)],
        );
    }
    if let Some(min) = query.min_cost_usd {
        add("s.cost_nanousd / 1e9 >= ?", vec![Value::Real(min)]);
    }
    if let Some(max) = query.max_cost_usd {
        add("s.cost_nanousd / 1e9 <= ?", vec![Value::Real(max)]);
    }
    if let Some(since) = query.since_ms {
        add("s.activity_ms >= ?", vec![Value::Integer(since)]);
    }
    if let Some(until) = query.until_ms {
        add(
            &format!("COALESCE(s.first_bucket * {BUCKET_MS}, s.activity_ms) < ?"),
            vec![Value::Integer(until)],
        );
    }
    if let Some(wanted) = search {
        let said = serde_json::to_string(saying).unwrap_or_default();
        add(
            &format!(
                "(session_named(s.session_key, s.label, s.spawned_by,
                   (SELECT p.label FROM session_list p WHERE p.session_key = s.spawned_by),
                   s.listed, {DELETED_RUN_JOB}, ?)
                 OR s.session_key IN (SELECT value FROM json_each(?)))"
            ),
            vec![text(&wanted.to_lowercase()), Value::Text(said)],
        );
    }
    (clauses.join(" AND "), params)
}

/// `ORDER BY` of each sort (most first; ties by latest activity, then key), each an index.
fn order(by: SessionSort) -> &'static str {
    match by {
        SessionSort::Activity => "s.activity_ms DESC, s.session_key",
        SessionSort::Cost => "s.cost_nanousd DESC, s.activity_ms DESC, s.session_key",
        SessionSort::Tokens => "s.tokens DESC, s.activity_ms DESC, s.session_key",
        SessionSort::Started => "s.first_bucket DESC, s.activity_ms DESC, s.session_key",
    }
}

/// The first column of every row `sql` selects.
fn column(conn: &rusqlite::Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let values = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 240 sessions of every kind, state and source (told of, spent in, or both), with ties.
    fn varied() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|conn| {
                let tails = ["main", "subagent:s", "cron:job-1:run:r", "telegram:direct:4", "discord:g:1", "hook:h", "think"];
                let statuses = [None, Some("running"), Some("done"), Some("failed"), Some("killed"), Some("deleted")];
                for i in 0..240_i64 {
                    let agent = ["a", "b", "c"][(i % 3) as usize];
                    let tail = tails[(i % 7) as usize];
                    let key = match tail {
                        "main" if i >= 7 => format!("agent:{agent}:x{i}"),
                        "main" => format!("agent:{agent}:main"),
                        _ => format!("agent:{agent}:{tail}{i}"),
                    };
                    if i % 5 != 4 {
                        let spawned_by = (tail == "subagent:s").then(|| format!("agent:{agent}:main"));
                        conn.execute(
                            "INSERT INTO sessions (session_key, agent_id, kind, spawned_by, created_via, label,
                                                   status, has_active_run, updated_ms)
                             VALUES (?1, ?2, 'other', ?3, ?4, ?5, ?6, ?7, ?8)",
                            rusqlite::params![
                                key,
                                agent,
                                spawned_by,
                                (i % 11 == 0).then_some("channel"),
                                (i % 13 == 0).then(|| format!("Label {i}")),
                                statuses[(i % 6) as usize],
                                (i % 17 == 0).then_some(1),
                                (i % 4 != 0).then(|| (i % 50) * 1_000_000),
                            ],
                        )?;
                    }
                    if i % 3 != 2 {
                        let bucket = i % 40;
                        conn.execute(
                            "INSERT INTO usage_by_session VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 0, 0, 0, ?7, 0, 0, 0, ?8, 0)",
                            rusqlite::params![key, agent, bucket, bucket + i % 3, i % 9, (i * 37) % 101, (i % 10) * 250_000_000, i % 2],
                        )?;
                        conn.execute(
                            "INSERT INTO usage_rollups (bucket, agent_id, session_key, provider, model, calls,
                               input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
                               cost_nanousd, reported_cost_nanousd, unpriced_tokens, book_cost_nanousd,
                               aborted_calls, failed_calls)
                             VALUES (?1, ?2, ?3, 'p', ?4, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)",
                            rusqlite::params![bucket, agent, key, ["m1", "m2"][(i % 2) as usize]],
                        )?;
                    }
                }
                conn.execute(
                    "INSERT INTO cron_job_names (job_id, name) VALUES ('job-1', 'Nightly digest')",
                    [],
                )?;
                // Sessions OpenClaw deleted, counted under their ids: two were cron runs.
                for n in 1..=3 {
                    let id = format!("0000000{n}-0000-4000-8000-000000000000");
                    conn.execute(
                        "INSERT INTO usage_by_session VALUES (?1, 'a', 3, 4, 1, 5, 1, 0, 0, 0, 1000, 0, 0, 0, 0, 0)",
                        [format!("agent:a:{id}")],
                    )?;
                    if n < 3 {
                        conn.execute(
                            "INSERT INTO cron_run_sessions (session_id, job_id) VALUES (?1, 'job-1')",
                            [id],
                        )?;
                    }
                }
                // The day rollups, as the ledger keeps them beside `usage_rollups`.
                clawtower_store::day_rollups::rebuild_day_rollups(conn)
            })
            .unwrap();
        store
    }

    /// What the list must hold: `all` filtered and sorted as the query says, in Rust.
    fn expected(all: &[SessionRow], q: &SessionQuery, using: &[String]) -> Vec<String> {
        let mut rows: Vec<&SessionRow> = all
            .iter()
            .filter(|r| {
                q.agent.as_ref().is_none_or(|a| *a == r.agent_id)
                    && q.status.is_none_or(|s| s == r.status)
                    && q.kind.is_none_or(|k| k == r.kind)
                    && q.channel
                        .as_ref()
                        .is_none_or(|c| r.channel.as_ref() == Some(c))
                    && q.model.as_ref().is_none_or(|_| using.contains(&r.key))
                    && q.min_cost_usd.is_none_or(|m| r.cost_usd >= m)
                    && q.max_cost_usd.is_none_or(|m| r.cost_usd <= m)
                    && q.since_ms
                        .is_none_or(|s| r.last_activity_ms.is_some_and(|l| l >= s))
                    && q.until_ms
                        .is_none_or(|u| r.started_ms.or(r.last_activity_ms).is_some_and(|s| s < u))
                    && q.search.as_ref().is_none_or(|t| {
                        let t = t.to_lowercase();
                        r.key.to_lowercase().contains(&t) || r.title.to_lowercase().contains(&t)
                    })
            })
            .collect();
        let key = |r: &SessionRow| -> (f64, i64) {
            match q.sort {
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
        rows.into_iter()
            .skip(q.offset as usize)
            .take(if q.limit == 0 { 100 } else { q.limit as usize })
            .map(|r| r.key.clone())
            .collect()
    }

    #[test]
    fn filters_sorts_and_pages_as_the_rows_say() {
        let store = varied();
        let everything = SessionQuery {
            limit: 500,
            ..SessionQuery::default()
        };
        let all = list_sessions(&store, &everything).unwrap();
        assert_eq!(
            all.total, 227,
            "every session told of or spent in (16 of the 240 are neither), and 3 deleted"
        );
        let deleted_run = |n: u8| {
            let key = format!("agent:a:0000000{n}-0000-4000-8000-000000000000");
            all.rows.iter().find(|r| r.key == key).unwrap()
        };
        assert_eq!(
            (deleted_run(1).kind, deleted_run(1).title.as_str()),
            (SessionKindName::Cron, "cron run of Nightly digest")
        );
        assert_eq!(deleted_run(1).cron_job_id.as_deref(), Some("job-1"));
        assert_eq!(
            (deleted_run(3).kind, deleted_run(3).title.as_str()),
            (SessionKindName::Other, "reset or deleted (00000003)")
        );
        assert_eq!(all.agents, ["a", "b", "c"]);
        assert_eq!(all.models, ["p/m1", "p/m2"]);
        let cron = all
            .rows
            .iter()
            .find(|r| r.kind == SessionKindName::Cron)
            .unwrap();
        assert_eq!(cron.title, "cron run of Nightly digest");
        let channels: std::collections::BTreeSet<String> =
            all.rows.iter().filter_map(|r| r.channel.clone()).collect();
        assert!(channels.contains("telegram") && channels.contains("discord"));
        assert_eq!(all.channels, channels.into_iter().collect::<Vec<_>>());
        let using_m2: Vec<String> = all
            .rows
            .iter()
            .filter(|r| r.models == ["p/m2"])
            .map(|r| r.key.clone())
            .collect();
        let mut queries = Vec::new();
        for sort in [
            SessionSort::Activity,
            SessionSort::Cost,
            SessionSort::Tokens,
            SessionSort::Started,
        ] {
            queries.push(SessionQuery {
                sort,
                limit: 500,
                ..SessionQuery::default()
            });
            queries.push(SessionQuery {
                sort,
                offset: 30,
                limit: 25,
                ..SessionQuery::default()
            });
        }
        let base = || SessionQuery {
            limit: 500,
            ..SessionQuery::default()
        };
        queries.extend([
            SessionQuery {
                agent: Some("b".into()),
                ..base()
            },
            SessionQuery {
                channel: Some("telegram".into()),
                ..base()
            },
            SessionQuery {
                model: Some("m2".into()),
                ..base()
            },
            SessionQuery {
                model: Some("p/m2".into()),
                ..base()
            },
            SessionQuery {
                min_cost_usd: Some(0.5),
                max_cost_usd: Some(1.5),
                ..base()
            },
            SessionQuery {
                since_ms: Some(20 * BUCKET_MS),
                ..base()
            },
            SessionQuery {
                until_ms: Some(10 * BUCKET_MS),
                ..base()
            },
            SessionQuery {
                search: Some("LABEL 1".into()),
                ..base()
            },
            SessionQuery {
                search: Some("sub-agent of main".into()),
                ..base()
            },
            SessionQuery {
                search: Some("of nightly dig".into()),
                ..base()
            },
            SessionQuery {
                search: Some("cron run of job".into()),
                sort: SessionSort::Cost,
                ..base()
            },
        ]);
        for status in [
            SessionStatus::Running,
            SessionStatus::Waiting,
            SessionStatus::Done,
            SessionStatus::Failed,
            SessionStatus::Aborted,
            SessionStatus::Archived,
            SessionStatus::Unknown,
        ] {
            queries.push(SessionQuery {
                status: Some(status),
                ..base()
            });
        }
        for kind in [
            SessionKindName::Main,
            SessionKindName::Channel,
            SessionKindName::Subagent,
            SessionKindName::Cron,
            SessionKindName::Hook,
            SessionKindName::Other,
        ] {
            queries.push(SessionQuery {
                kind: Some(kind),
                agent: Some("a".into()),
                ..base()
            });
        }
        for q in &queries {
            let page = list_sessions(&store, q).unwrap();
            let keys: Vec<String> = page.rows.iter().map(|r| r.key.clone()).collect();
            let want = expected(&all.rows, q, &using_m2);
            assert_eq!(keys, want, "{q:?}");
            let unpaged = SessionQuery {
                offset: 0,
                limit: 500,
                ..q.clone()
            };
            assert_eq!(
                page.total as usize,
                expected(&all.rows, &unpaged, &using_m2).len(),
                "{q:?}"
            );
            assert!(
                q.offset > 0
                    || q.sort != SessionSort::Activity
                    || q.limit < 500
                    || !keys.is_empty(),
                "{q:?}"
            );
        }
        // Each row is the one `session_row` reads.
        for row in all.rows.iter().step_by(17) {
            assert_eq!(&session_row(&store, &row.key).unwrap(), row);
        }
    }
}
