//! Finding each rule's pattern in the ledger's recent past (indexed by time, so a pass costs the
//! same however large the ledger is).

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::rule::AnomalyRule;
use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;
use clawtower_store::saturating_sum;

const MINUTE: i64 = 60_000;
/// How far back a runaway loop is looked for.
const LOOP_WINDOW: i64 = 30 * MINUTE;
/// The token-velocity window.
const VELOCITY_WINDOW: i64 = 5 * MINUTE;
/// A pause longer than this ends a run.
const RUN_GAP: i64 = 10 * MINUTE;
/// Sessions active this recently are checked for long runs and cost.
const ACTIVE: i64 = 10 * MINUTE;

/// One hit of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What it is about (a session key, a run, or `all`): a rule fires once per subject.
    pub subject: String,
    /// The session, for per-session rules (a pause then covers that session).
    pub session_key: Option<String>,
    /// One line.
    pub title: String,
    /// Details.
    pub body: String,
}

impl Finding {
    fn global(title: String, body: String) -> Self {
        Finding {
            subject: "all".into(),
            session_key: None,
            title,
            body,
        }
    }
}

/// Whether a rule re-arms for a subject once its condition clears (rates, runs), rather than
/// firing once per subject for good (a loop in a session, a session's cost).
pub fn rearms(rule: &AnomalyRule) -> bool {
    matches!(
        rule,
        AnomalyRule::TokenVelocity { .. }
            | AnomalyRule::ErrorSpike { .. }
            | AnomalyRule::LongRun { .. }
    )
}

/// The rule's hits at `now_ms`.
pub fn detect(conn: &Connection, rule: &AnomalyRule, now_ms: i64) -> Result<Vec<Finding>> {
    // (`kind IN ('assistant', 'tool_result')` in the queries below lets SQLite use the partial
    // index `events_recent`; it does not infer it from a narrower condition.)
    match rule {
        AnomalyRule::TokenVelocity { tokens_per_minute } => {
            let tokens: i64 = conn.query_row(
                "SELECT COALESCE(ssum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)
                 FROM model_calls WHERE ts_ms > ?1 AND ts_ms <= ?2",
                params![now_ms - VELOCITY_WINDOW, now_ms],
                |r| saturating_sum(r, 0),
            )?;
            let per_minute = tokens.max(0) / (VELOCITY_WINDOW / MINUTE);
            Ok((per_minute as u64 > *tokens_per_minute)
                .then(|| {
                    Finding::global(
                        "Token spike".into(),
                        format!("{per_minute} tokens a minute over the last 5 minutes (limit {tokens_per_minute})."),
                    )
                })
                .into_iter()
                .collect())
        }
        AnomalyRule::RunawayLoop { repeats } => runaway_loops(conn, *repeats, now_ms),
        AnomalyRule::ErrorSpike { errors, minutes } => {
            let count: i64 = conn.query_row(
                "SELECT COUNT(*) FROM events WHERE kind IN ('assistant', 'tool_result') AND ts_ms > ?1 AND ts_ms <= ?2
                 AND ((kind = 'tool_result' AND detail = 'error')
                      OR (kind = 'assistant' AND json_extract(detail, '$.error') IS NOT NULL))",
                params![now_ms - i64::from(*minutes) * MINUTE, now_ms],
                |r| r.get(0),
            )?;
            Ok((count >= i64::from(*errors))
                .then(|| {
                    Finding::global(
                        "Error spike".into(),
                        format!("{count} errors in the last {minutes} min."),
                    )
                })
                .into_iter()
                .collect())
        }
        AnomalyRule::LongRun { minutes } => long_runs(conn, *minutes, now_ms),
        AnomalyRule::SessionCost { usd } => {
            let limit = NanoUsd::from_usd(*usd);
            let mut findings = Vec::new();
            for key in active_sessions(conn, now_ms)? {
                let cost: i64 = conn.query_row(
                    "SELECT COALESCE(ssum(cost_nanousd), 0) FROM usage_rollups WHERE session_key = ?1",
                    params![key],
                    |r| saturating_sum(r, 0),
                )?;
                if cost > limit.0 {
                    findings.push(Finding {
                        subject: key.clone(),
                        title: "Costly session".into(),
                        body: format!(
                            "{key} has cost {} (limit {}).",
                            NanoUsd(cost).display(),
                            limit.display_limit()
                        ),
                        session_key: Some(key),
                    });
                }
            }
            Ok(findings)
        }
    }
}

fn active_sessions(conn: &Connection, now_ms: i64) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT session_key FROM model_calls WHERE ts_ms > ?1")?;
    let keys = stmt
        .query_map(params![now_ms - ACTIVE], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(keys)
}

fn runaway_loops(conn: &Connection, repeats: u32, now_ms: i64) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.session_key, j.value FROM events e, json_each(e.detail, '$.toolCalls') j
         WHERE e.kind IN ('assistant', 'tool_result') AND e.kind = 'assistant'
           AND e.ts_ms > ?1 AND e.ts_ms <= ?2",
    )?;
    let mut counts: HashMap<(String, String), u32> = HashMap::new();
    let rows = stmt.query_map(params![now_ms - LOOP_WINDOW, now_ms], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (session, call) = row?;
        // "<toolCallId>:<tool name>:<arguments fingerprint>" → "name:fingerprint"; tool call
        // ids may themselves contain ':' (`tool_search_code:call_…:sessions_spawn:1`).
        let mut parts = call.rsplitn(3, ':');
        let (Some(fingerprint), Some(name), Some(_id)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        *counts
            .entry((session, format!("{name}:{fingerprint}")))
            .or_default() += 1;
    }
    let mut findings: Vec<Finding> = counts
        .into_iter()
        .filter(|(_, n)| *n >= repeats)
        .map(|((session, signature), n)| {
            let tool = signature
                .rsplit_once(':')
                .map_or(signature.as_str(), |(name, _)| name)
                .to_string();
            Finding {
                subject: format!("{session}|{signature}"),
                title: "Runaway loop".into(),
                body: format!(
                    "{session} called {tool} with the same arguments {n} times in 30 min."
                ),
                session_key: Some(session),
            }
        })
        .collect();
    findings.sort_by(|a, b| a.subject.cmp(&b.subject));
    Ok(findings)
}

fn long_runs(conn: &Connection, minutes: u32, now_ms: i64) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let lookback = now_ms - i64::from(minutes) * MINUTE - 2 * RUN_GAP;
    let mut stmt = conn.prepare_cached(
        "SELECT ts_ms FROM model_calls WHERE session_key = ?1 AND ts_ms > ?2 AND ts_ms <= ?3 ORDER BY ts_ms DESC",
    )?;
    for key in active_sessions(conn, now_ms)? {
        let times = stmt
            .query_map(params![key, lookback, now_ms], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let Some(&latest) = times.first() else {
            continue;
        };
        let mut start = latest;
        for &t in &times[1..] {
            if start - t > RUN_GAP {
                break;
            }
            start = t;
        }
        let running = (latest - start) / MINUTE;
        if running > i64::from(minutes) {
            findings.push(Finding {
                subject: key.clone(),
                title: "Long run".into(),
                body: format!("{key} has been working for {running} min without a break."),
                session_key: Some(key),
            });
        }
    }
    Ok(findings)
}
