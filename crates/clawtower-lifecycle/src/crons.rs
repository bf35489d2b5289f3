//! Cron jobs: listed with their schedule in words, next run and last outcome; switched on and
//! off, run now, made, changed and removed through the gateway (`cron.*`); schedules checked
//! before they are sent (see [`crate::schedule`]); each run with the usage and cost the ledger
//! has for its session.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::agents::Lifecycle;
pub use super::schedule::Schedule;
use super::schedule::{check_schedule, schedule_words, MINUTE_MS};
use clawtower_core::period::now_ms;
use clawtower_core::{EngineError, Result};
use clawtower_gateway::rpc::CronRunsParams;

/// A job to make (or what to change it to).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CronDraft {
    /// Its name.
    pub name: String,
    /// The agent it runs as (the default agent when empty).
    #[serde(default)]
    pub agent_id: Option<String>,
    /// When it runs.
    pub schedule: Schedule,
    /// What the agent is asked each time.
    pub message: String,
    /// Scheduled (else made switched off).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// A job as the Crons page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CronRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The agent it runs as.
    pub agent_id: Option<String>,
    /// Scheduled.
    pub enabled: bool,
    /// When it runs, as stored (`None`: a kind Clawtower does not edit).
    pub schedule: Option<Schedule>,
    /// When it runs, in words.
    pub schedule_words: String,
    /// What the agent is asked, for agent-turn jobs.
    pub message: Option<String>,
    /// Its next run, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub next_run_ms: Option<i64>,
    /// Its last run, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub last_run_ms: Option<i64>,
    /// How its last run ended (`ok`, `error`, `skipped`…).
    pub last_status: Option<String>,
    /// How long its last run took, ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub last_duration_ms: Option<i64>,
    /// Its last error.
    pub last_error: Option<String>,
    /// One of OpenClaw's own (heartbeat, memory): it refuses changes from Clawtower.
    pub system: bool,
}

/// One run of a job, with what it cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CronRunRow {
    /// When it ran, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub run_at_ms: Option<i64>,
    /// How long it took, ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub duration_ms: Option<i64>,
    /// `ok`, `error`…
    pub status: Option<String>,
    /// What the agent answered (first words), or the error.
    pub summary: Option<String>,
    /// The run's session.
    pub session_key: Option<String>,
    /// Model calls of the run in the ledger.
    pub calls: u32,
    /// Their tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: i64,
    /// Their cost.
    pub cost_usd: f64,
}

/// A job of `cron.list` as a row (whatever the gateway sent: missing or odd fields are left
/// out, never a panic).
pub fn row_of(job: &Value) -> CronRow {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let state = job.get("state");
    let number = |key: &str| state.and_then(|s| s.get(key)).and_then(Value::as_i64);
    let schedule: Option<Schedule> = job
        .get("schedule")
        .and_then(|s| serde_json::from_value(strip_extras(s)).ok());
    let raw_kind = text(job.pointer("/schedule/kind")).unwrap_or_else(|| "?".into());
    CronRow {
        id: text(job.get("id")).unwrap_or_default(),
        name: text(job.get("name")).unwrap_or_default(),
        agent_id: text(job.get("agentId")).or_else(|| text(job.get("effectiveAgentId"))),
        enabled: job.get("enabled").and_then(Value::as_bool).unwrap_or(false),
        schedule_words: schedule
            .as_ref()
            .map(schedule_words)
            .unwrap_or_else(|| format!("on {raw_kind}")),
        schedule,
        message: text(job.pointer("/payload/message")),
        next_run_ms: number("nextRunAtMs"),
        last_run_ms: number("lastRunAtMs"),
        last_status: text(
            state.and_then(|s| s.get("lastRunStatus").or_else(|| s.get("lastStatus"))),
        ),
        last_duration_ms: number("lastDurationMs"),
        last_error: text(state.and_then(|s| s.get("lastError"))),
        system: job.get("declarationKey").is_some_and(|k| !k.is_null()),
    }
}

/// A stored schedule without the interval's anchor (OpenClaw sets it when a job is made; its
/// stagger stays: it says when the job runs).
fn strip_extras(schedule: &Value) -> Value {
    let mut s = schedule.clone();
    if let Some(o) = s.as_object_mut() {
        o.remove("anchorMs");
    }
    s
}

#[derive(Deserialize)]
struct JobPage {
    #[serde(default)]
    jobs: Vec<Value>,
}

impl Lifecycle<'_> {
    /// Every cron job, switched off ones included.
    pub async fn crons(&self) -> Result<Vec<CronRow>> {
        let page: JobPage = self
            .client
            .call("cron.list", &json!({"includeDisabled": true, "limit": 200}))
            .await?;
        Ok(page.jobs.iter().map(row_of).collect())
    }

    /// Makes a job; returns its id.
    pub async fn add_cron(&self, draft: &CronDraft) -> Result<String> {
        let outcome = async {
            check_draft(draft)?;
            let mut job = json!({
                "name": draft.name.trim(), "enabled": draft.enabled,
                "schedule": draft.schedule, "sessionTarget": "isolated", "wakeMode": "now",
                "payload": {"kind": "agentTurn", "message": draft.message.trim()},
                "delivery": {"mode": "none"},
            });
            if let Some(agent) = draft
                .agent_id
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                job["agentId"] = json!(agent);
            }
            let stored = self.client.add_cron_job(&job).await?;
            let id = stored
                .get("id")
                .or_else(|| stored.get("job").and_then(|j| j.get("id")))
                .and_then(Value::as_str)
                .ok_or_else(|| EngineError::Gateway("cron.add answered without a job id".into()))?;
            Ok(id.to_string())
        }
        .await;
        self.audit("cron.add", draft.name.trim(), &outcome, |id| {
            format!("id {id}")
        })?;
        outcome
    }

    /// Changes a job's name, agent, schedule or message (and whether it is scheduled).
    pub async fn edit_cron(&self, id: &str, draft: &CronDraft) -> Result<()> {
        let outcome = async {
            check_draft(draft)?;
            let mut patch = Map::new();
            patch.insert("name".into(), json!(draft.name.trim()));
            patch.insert("schedule".into(), json!(draft.schedule));
            patch.insert("enabled".into(), json!(draft.enabled));
            patch.insert(
                "payload".into(),
                json!({"kind": "agentTurn", "message": draft.message.trim()}),
            );
            if let Some(agent) = draft
                .agent_id
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                patch.insert("agentId".into(), json!(agent));
            }
            let _: Value = self
                .client
                .call("cron.update", &json!({"id": id, "patch": patch}))
                .await?;
            Ok(())
        }
        .await;
        self.audit("cron.edit", id, &outcome, |_| String::new())?;
        outcome
    }

    /// Switches a job on or off.
    pub async fn set_cron_enabled(&self, id: &str, enabled: bool) -> Result<()> {
        let outcome = self
            .client
            .set_cron_job_enabled(id, enabled)
            .await
            .map_err(EngineError::from);
        let action = if enabled {
            "cron.enable"
        } else {
            "cron.disable"
        };
        self.audit(action, id, &outcome, |_| String::new())?;
        outcome
    }

    /// Runs a job now (whatever its schedule); returns the run's id.
    pub async fn run_cron(&self, id: &str) -> Result<Option<String>> {
        let outcome = self
            .client
            .run_cron_job(id)
            .await
            .map(|r| r.run_id)
            .map_err(EngineError::from);
        self.audit("cron.run", id, &outcome, |run| {
            run.clone().unwrap_or_default()
        })?;
        outcome
    }

    /// Removes a job.
    pub async fn remove_cron(&self, id: &str) -> Result<()> {
        let outcome = self
            .client
            .remove_cron_job(id)
            .await
            .map_err(EngineError::from)
            .and_then(|removed| {
                if removed {
                    Ok(())
                } else {
                    Err(EngineError::NotFound(format!("cron job {id}")))
                }
            });
        self.audit("cron.remove", id, &outcome, |_| String::new())?;
        outcome
    }

    /// A job's latest runs, newest first, each with the calls, tokens and cost the ledger has
    /// for its session.
    pub async fn cron_runs(&self, id: &str) -> Result<Vec<CronRunRow>> {
        let runs = self
            .client
            .cron_runs(&CronRunsParams {
                id: id.to_string(),
                limit: Some(50),
            })
            .await?;
        // The ledger knows a run's calls by the run's transcript (its session id; OpenClaw
        // stores them under the job's key without the `:run:` part), around the run's time.
        self.store.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT COUNT(*), COALESCE(ssum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0),
                        COALESCE(ssum(cost_nanousd), 0)
                 FROM model_calls WHERE ts_ms BETWEEN ?1 AND ?2 AND (session_id = ?3 OR session_key = ?4)",
            )?;
            runs.entries
                .iter()
                .map(|run| {
                    let text = |k: &str| run.extra.get(k).and_then(Value::as_str).map(str::to_string);
                    let duration = run.duration_ms.map(|d| i64::try_from(d).unwrap_or(i64::MAX));
                    let (calls, tokens, cost) = match (run.run_at_ms, text("sessionId"), &run.session_key) {
                        (Some(at), Some(sid), Some(key)) => {
                            let until = at.saturating_add(duration.unwrap_or(0)).saturating_add(10 * MINUTE_MS);
                            stmt.query_row(params![at - MINUTE_MS, until, sid, key], |r| {
                                Ok((
                                    r.get::<_, i64>(0)?,
                                    clawtower_store::saturating_sum(r, 1)?,
                                    clawtower_store::saturating_sum(r, 2)?,
                                ))
                            })?
                        }
                        _ => (0, 0, 0),
                    };
                    Ok(CronRunRow {
                        run_at_ms: run.run_at_ms,
                        duration_ms: duration,
                        status: text("status").or_else(|| run.completion_status.clone()),
                        summary: text("summary").or_else(|| text("error")),
                        session_key: run.session_key.clone(),
                        calls: u32::try_from(calls.max(0)).unwrap_or(u32::MAX),
                        tokens,
                        cost_usd: clawtower_core::money::NanoUsd(cost).as_usd(),
                    })
                })
                .collect()
        })
    }
}

fn check_draft(draft: &CronDraft) -> Result<()> {
    if draft.name.trim().is_empty() {
        return Err(EngineError::InvalidInput("a job needs a name".into()));
    }
    if draft.message.trim().is_empty() {
        return Err(EngineError::InvalidInput(
            "a job needs a message for the agent".into(),
        ));
    }
    check_schedule(&draft.schedule, now_ms())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_jobs_read_their_state_and_schedule() {
        let job = json!({"id": "j1", "name": "probe", "enabled": true, "agentId": "main",
            "schedule": {"anchorMs": 1, "everyMs": 3_600_000, "kind": "every"},
            "payload": {"kind": "agentTurn", "message": "hello"},
            "state": {"nextRunAtMs": 5, "lastRunAtMs": 4, "lastRunStatus": "ok", "lastDurationMs": 484}});
        let row = row_of(&job);
        assert_eq!(
            row.schedule,
            Some(Schedule::Every {
                every_ms: 3_600_000
            })
        );
        assert_eq!(row.schedule_words, "every hour");
        assert_eq!(
            (row.next_run_ms, row.last_duration_ms),
            (Some(5), Some(484))
        );
        assert_eq!(row.last_status.as_deref(), Some("ok"));
        assert!(!row.system);
        // OpenClaw's stagger of a top-of-hour job is kept: it says when the job runs.
        let hourly = json!({"id": "j2", "name": "hourly", "enabled": true,
            "schedule": {"kind": "cron", "expr": "0 * * * *", "tz": "UTC", "staggerMs": 300_000}});
        assert_eq!(
            row_of(&hourly).schedule,
            Some(Schedule::Cron {
                expr: "0 * * * *".into(),
                tz: Some("UTC".into()),
                stagger_ms: Some(300_000)
            })
        );
        let heartbeat = json!({"id": "h", "name": "heartbeat", "declarationKey": "heartbeat:main",
            "schedule": {"kind": "heartbeat"}});
        let row = row_of(&heartbeat);
        assert!(row.system && row.schedule.is_none());
        assert_eq!(row.schedule_words, "on heartbeat");
    }
}
