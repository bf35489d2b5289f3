//! What the gateway's other events mean for Clawtower: `sessions.changed` and sub-agent `task`
//! events keep session rows current (status, a run in progress, lineage); `agent`, `chat`, `cron`
//! and `task` events become a live activity stream (run started/ended/failed/aborted, tool calls,
//! cron runs, sub-agents).

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use clawtower_core::error::Result;
use clawtower_core::session_key::agent_of_key;
use clawtower_gateway::frame::Event;
use clawtower_ledger::record::kind_and_cron_job;
use clawtower_ledger::transcript::SessionInfo;

/// One thing that happened on the gateway, for a live view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// When (Unix ms; the gateway's timestamp when it gave one).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub ts_ms: i64,
    /// `run.started`, `run.ended`, `run.failed`, `run.aborted`, `tool`, `chat.error`,
    /// `cron.<action>`, `subagent`.
    pub kind: String,
    /// The session it is about.
    pub session_key: Option<String>,
    /// The agent.
    pub agent_id: Option<String>,
    /// The run, when there is one.
    pub run_id: Option<String>,
    /// One line for people, e.g. "tool exec", "cron job nightly finished".
    pub summary: String,
}

fn text(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(String::from)
}

/// The activity an event stands for, if any (deltas, ticks and the like are not activity).
pub fn activity_of(event: &Event, now_ms: i64) -> Option<Activity> {
    let p = &event.payload;
    let ts_ms = p.get("ts").and_then(Value::as_i64).unwrap_or(now_ms);
    let item = |kind: &str, summary: String| {
        Some(Activity {
            ts_ms,
            kind: kind.into(),
            session_key: text(p, "/sessionKey"),
            agent_id: text(p, "/agentId"),
            run_id: text(p, "/runId"),
            summary,
        })
    };
    match (
        event.event.as_str(),
        text(p, "/stream").as_deref(),
        text(p, "/data/phase").as_deref(),
    ) {
        ("agent", Some("lifecycle"), Some("start")) => item("run.started", "run started".into()),
        ("agent", Some("lifecycle"), Some("end")) => {
            let reason = text(p, "/data/stopReason").unwrap_or_else(|| "done".into());
            item("run.ended", format!("run ended ({reason})"))
        }
        ("agent", Some("lifecycle"), Some("error")) => {
            let error = text(p, "/data/error").unwrap_or_else(|| "error".into());
            item("run.failed", format!("run failed: {error}"))
        }
        ("agent", Some("tool"), Some("start")) => {
            // Tools reached through `tool_call` name the real tool in their arguments.
            let name = text(p, "/data/args/id").or_else(|| text(p, "/data/name"))?;
            item("tool", format!("tool {name}"))
        }
        ("chat", ..) => match text(p, "/state").as_deref() {
            Some("aborted") => item("run.aborted", "run aborted".into()),
            Some("error") => {
                let error = text(p, "/errorMessage").unwrap_or_else(|| "error".into());
                item("chat.error", format!("error: {error}"))
            }
            _ => None,
        },
        ("cron", ..) => {
            let action = text(p, "/action")?;
            let name = text(p, "/job/name")
                .or_else(|| text(p, "/jobId"))
                .unwrap_or_default();
            let mut activity = item(
                &format!("cron.{action}"),
                format!("cron job {name} {action}"),
            )?;
            activity.agent_id = activity.agent_id.or_else(|| text(p, "/job/agentId"));
            Some(activity)
        }
        ("task", ..) if text(p, "/task/kind").as_deref() == Some("subagent") => {
            let title = text(p, "/task/title").unwrap_or_else(|| "sub-agent".into());
            let status = text(p, "/task/status").unwrap_or_default();
            Some(Activity {
                ts_ms,
                kind: "subagent".into(),
                session_key: text(p, "/task/childSessionKey"),
                agent_id: text(p, "/task/agentId"),
                run_id: text(p, "/task/runId"),
                summary: format!("sub-agent {title} {status}"),
            })
        }
        _ => None,
    }
}

/// A session's state as an event tells it (fields it does not tell are `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionUpdate {
    /// Key, agent, generation and lineage.
    pub info: SessionInfo,
    /// `running`, `done`, `deleted`…
    pub status: Option<String>,
    /// Whether a run is in progress.
    pub has_active_run: Option<bool>,
    /// When (Unix ms).
    pub updated_ms: i64,
}

/// The session update a `sessions.changed` or sub-agent `task` event carries.
pub fn session_update_of(event: &Event, now_ms: i64) -> Option<SessionUpdate> {
    let p = &event.payload;
    let updated_ms = p.get("ts").and_then(Value::as_i64).unwrap_or(now_ms);
    match event.event.as_str() {
        "sessions.changed" => {
            let key = text(p, "/sessionKey")?;
            let row = p.get("session").cloned().unwrap_or(Value::Null);
            let deleted = text(p, "/reason").as_deref() == Some("delete");
            Some(SessionUpdate {
                info: SessionInfo {
                    agent_id: text(p, "/agentId").unwrap_or_else(|| agent_of_key(&key)),
                    session_id: text(p, "/sessionId").or_else(|| text(&row, "/sessionId")),
                    spawned_by: text(&row, "/spawnedBy").or_else(|| text(p, "/parentSessionKey")),
                    created_via: text(&row, "/createdVia"),
                    label: text(p, "/label").or_else(|| text(&row, "/label")),
                    session_key: key,
                    // Carried by the update itself (below).
                    status: None,
                    updated_ms: None,
                },
                status: if deleted {
                    Some("deleted".into())
                } else {
                    text(&row, "/status")
                },
                has_active_run: if deleted {
                    Some(false)
                } else {
                    row.get("hasActiveRun").and_then(Value::as_bool)
                },
                updated_ms,
            })
        }
        "task" if text(p, "/task/kind").as_deref() == Some("subagent") => {
            let key = text(p, "/task/childSessionKey")?;
            Some(SessionUpdate {
                info: SessionInfo {
                    agent_id: text(p, "/task/agentId").unwrap_or_else(|| agent_of_key(&key)),
                    session_id: None,
                    spawned_by: text(p, "/task/ownerKey").or_else(|| text(p, "/task/sessionKey")),
                    created_via: Some("spawn".into()),
                    label: text(p, "/task/title"),
                    session_key: key,
                    status: None,
                    updated_ms: None,
                },
                status: None,
                has_active_run: None,
                updated_ms,
            })
        }
        _ => None,
    }
}

/// Stores a session update; what it does not tell is kept.
pub fn apply_session_update(conn: &Connection, u: &SessionUpdate) -> Result<()> {
    let s = &u.info;
    let (kind, cron_job) = kind_and_cron_job(&s.session_key);
    conn.prepare_cached(
        "INSERT INTO sessions (session_key, agent_id, session_id, kind, spawned_by, created_via, cron_job_id,
                               label, status, has_active_run, updated_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(session_key) DO UPDATE SET
           session_id = COALESCE(excluded.session_id, session_id),
           spawned_by = COALESCE(excluded.spawned_by, spawned_by),
           created_via = COALESCE(excluded.created_via, created_via),
           label = COALESCE(excluded.label, label),
           status = COALESCE(excluded.status, status),
           has_active_run = COALESCE(excluded.has_active_run, has_active_run),
           updated_ms = MAX(COALESCE(updated_ms, 0), excluded.updated_ms)
         WHERE excluded.updated_ms >= COALESCE(updated_ms, 0)",
    )?
    .execute(params![
        s.session_key,
        s.agent_id,
        s.session_id,
        kind,
        s.spawned_by,
        s.created_via,
        cron_job,
        s.label,
        u.status,
        u.has_active_run,
        u.updated_ms
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::Store;
    use serde_json::json;

    fn event(name: &str, payload: Value) -> Event {
        Event {
            event: name.into(),
            payload,
            seq: None,
        }
    }

    #[test]
    fn real_events_become_activity() {
        let cases = [
            (
                event(
                    "agent",
                    json!({"runId": "r", "sessionKey": "agent:main:think", "agentId": "main", "stream": "lifecycle", "data": {"phase": "start"}, "ts": 5}),
                ),
                Some(("run.started", "run started")),
            ),
            (
                event(
                    "agent",
                    json!({"runId": "r", "sessionKey": "k", "stream": "lifecycle", "data": {"phase": "end", "stopReason": "stop"}, "ts": 6}),
                ),
                Some(("run.ended", "run ended (stop)")),
            ),
            (
                event(
                    "agent",
                    json!({"runId": "r", "sessionKey": "k", "stream": "lifecycle", "data": {"phase": "error", "error": "This operation was aborted"}}),
                ),
                Some(("run.failed", "run failed: This operation was aborted")),
            ),
            (
                event(
                    "agent",
                    json!({"sessionKey": "k", "stream": "tool", "data": {"phase": "start", "name": "tool_call", "args": {"id": "sessions_spawn"}}}),
                ),
                Some(("tool", "tool sessions_spawn")),
            ),
            (
                event(
                    "agent",
                    json!({"sessionKey": "k", "stream": "assistant", "data": {"delta": "hi"}}),
                ),
                None,
            ),
            (
                event(
                    "chat",
                    json!({"sessionKey": "agent:main:slow", "state": "aborted", "stopReason": "rpc"}),
                ),
                Some(("run.aborted", "run aborted")),
            ),
            (
                event("chat", json!({"sessionKey": "k", "state": "delta"})),
                None,
            ),
            (
                event(
                    "cron",
                    json!({"jobId": "j", "action": "finished", "job": {"name": "probe-job"}}),
                ),
                Some(("cron.finished", "cron job probe-job finished")),
            ),
            (
                event(
                    "task",
                    json!({"action": "upserted", "task": {"kind": "subagent", "title": "stub-child", "status": "running", "childSessionKey": "agent:main:subagent:x"}}),
                ),
                Some(("subagent", "sub-agent stub-child running")),
            ),
            (event("tick", json!({"ts": 1})), None),
        ];
        for (event, expected) in cases {
            let got = activity_of(&event, 1);
            assert_eq!(
                got.as_ref().map(|a| (a.kind.as_str(), a.summary.as_str())),
                expected,
                "{event:?}"
            );
        }
    }

    #[test]
    fn session_rows_follow_the_events_and_keep_what_an_event_does_not_tell() {
        let store = Store::open_in_memory().unwrap();
        let apply = |e: Event| {
            let update = session_update_of(&e, 0).unwrap();
            store
                .with_conn(|c| apply_session_update(c, &update))
                .unwrap();
        };
        let row = || -> (Option<String>, Option<bool>, Option<String>, String) {
            store
                .with_conn(|c| {
                    Ok(c.query_row(
                        "SELECT status, has_active_run, spawned_by, kind FROM sessions WHERE session_key = 'agent:main:subagent:x'",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )?)
                })
                .unwrap()
        };
        apply(event(
            "task",
            json!({"action": "upserted", "task": {"kind": "subagent", "title": "child", "agentId": "main", "ownerKey": "agent:main:spawner", "childSessionKey": "agent:main:subagent:x"}, "ts": 10}),
        ));
        assert_eq!(
            row(),
            (
                None,
                None,
                Some("agent:main:spawner".into()),
                "subagent".into()
            )
        );
        apply(event(
            "sessions.changed",
            json!({"sessionKey": "agent:main:subagent:x", "agentId": "main", "reason": "agent.run.started", "ts": 20, "session": {"status": "running", "hasActiveRun": true}}),
        ));
        assert_eq!(row().0.as_deref(), Some("running"));
        assert_eq!(row().1, Some(true));
        assert_eq!(
            row().2.as_deref(),
            Some("agent:main:spawner"),
            "lineage kept"
        );
        // An older event arriving late changes nothing.
        apply(event(
            "sessions.changed",
            json!({"sessionKey": "agent:main:subagent:x", "reason": "send", "ts": 15, "session": {"status": "done", "hasActiveRun": false}}),
        ));
        assert_eq!(row().1, Some(true));
        apply(event(
            "sessions.changed",
            json!({"sessionKey": "agent:main:subagent:x", "reason": "delete", "ts": 30}),
        ));
        assert_eq!(
            (row().0.as_deref(), row().1),
            (Some("deleted"), Some(false))
        );
    }
}
