//! Cron jobs: listed with their schedule in words, next run and last outcome; switched on and
//! off, run now, made, changed and removed through the gateway (`cron.*`); schedules checked
//! before they are sent (a cron expression field by field, the time zone, an interval, a time in
//! the future), each mistake said in words; each run with the usage and cost the ledger has for
//! its session.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::agents::Lifecycle;
use clawtower_core::period::now_ms;
use clawtower_core::{EngineError, Result};
use clawtower_gateway::queries::CronRunsParams;

/// When a job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Schedule {
    /// A cron expression (minute hour day-of-month month day-of-week), in a time zone.
    #[serde(rename_all = "camelCase")]
    Cron {
        /// The expression.
        expr: String,
        /// An IANA time zone (the gateway's when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tz: Option<String>,
    },
    /// Every so many milliseconds.
    #[serde(rename_all = "camelCase")]
    Every {
        /// The interval.
        #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
        every_ms: i64,
    },
    /// Once, at an instant (RFC 3339, e.g. `2026-12-24T18:00:00+01:00`).
    At {
        /// The instant.
        at: String,
    },
}

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

const MINUTE_MS: i64 = 60_000;

/// Checks a schedule as OpenClaw will run it; the error says what to change.
pub fn check_schedule(schedule: &Schedule, now_ms: i64) -> Result<()> {
    let invalid = |why: String| Err(EngineError::InvalidInput(why));
    match schedule {
        Schedule::Every { every_ms } if *every_ms < MINUTE_MS => {
            invalid("run it at most once a minute (an interval of 1 minute or more)".into())
        }
        Schedule::Every { .. } => Ok(()),
        Schedule::At { at } => match at.trim().parse::<jiff::Timestamp>() {
            Err(_) => invalid(format!(
                "\"{at}\" is not a time: write it as 2026-12-24T18:00:00+01:00 (with its offset)"
            )),
            Ok(t) if t.as_millisecond() <= now_ms => invalid(format!("{at} is in the past")),
            Ok(_) => Ok(()),
        },
        Schedule::Cron { expr, tz } => {
            if let Some(tz) = tz.as_deref().filter(|t| !t.trim().is_empty()) {
                if jiff::tz::TimeZone::get(tz.trim()).is_err() {
                    return invalid(format!(
                        "\"{tz}\" is not a time zone: use a name such as Europe/Berlin or UTC"
                    ));
                }
            }
            check_cron(expr).map_err(EngineError::InvalidInput)
        }
    }
}

/// The five fields of a cron expression and their ranges.
const FIELDS: [(&str, u32, u32); 5] = [
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Checks a five-field cron expression field by field.
fn check_cron(expr: &str) -> std::result::Result<(), String> {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "a cron expression has 5 fields (minute hour day-of-month month day-of-week), \
             \"{expr}\" has {}",
            fields.len()
        ));
    }
    for (text, (name, min, max)) in fields.iter().zip(FIELDS) {
        for part in text.split(',') {
            let (range, step) = match part.split_once('/') {
                Some((range, step)) => (range, Some(step)),
                None => (part, None),
            };
            if let Some(step) = step {
                if !step.parse::<u32>().is_ok_and(|s| s >= 1) {
                    return Err(format!(
                        "the {name} field's step \"{step}\" is not a whole number of 1 or more"
                    ));
                }
            }
            if range == "*" {
                continue;
            }
            let value = |v: &str| -> std::result::Result<u32, String> {
                let named = match name {
                    "month" => MONTHS
                        .iter()
                        .position(|m| m.eq_ignore_ascii_case(v))
                        .map(|i| i as u32 + 1),
                    "day of week" => DAYS
                        .iter()
                        .position(|d| d.eq_ignore_ascii_case(v))
                        .map(|i| i as u32),
                    _ => None,
                };
                let n = named.or_else(|| v.parse().ok()).ok_or_else(|| {
                    format!("the {name} field has \"{v}\", which is not a number")
                })?;
                if n < min || n > max {
                    return Err(format!("the {name} field has {n}: it runs {min}–{max}"));
                }
                Ok(n)
            };
            match range.split_once('-') {
                Some((a, b)) => {
                    if value(a)? > value(b)? {
                        return Err(format!("the {name} field's range {range} runs backwards"));
                    }
                }
                None => {
                    value(range)?;
                }
            }
        }
    }
    Ok(())
}

/// A schedule in words: "every 15 min", "every day at 09:00 (Europe/Berlin)", "once at …".
pub fn schedule_words(schedule: &Schedule) -> String {
    match schedule {
        Schedule::Every { every_ms } => every_words(*every_ms),
        Schedule::At { at } => format!("once, at {at}"),
        Schedule::Cron { expr, tz } => {
            let zone = tz
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            format!("{}{zone}", cron_words(expr))
        }
    }
}

fn every_words(ms: i64) -> String {
    let (day, hour, minute) = (24 * 60 * MINUTE_MS, 60 * MINUTE_MS, MINUTE_MS);
    match ms {
        ms if ms == day => "every day".into(),
        ms if ms % day == 0 => format!("every {} days", ms / day),
        ms if ms == hour => "every hour".into(),
        ms if ms % hour == 0 => format!("every {} h", ms / hour),
        ms if ms % minute == 0 => format!("every {} min", ms / minute),
        ms => format!("every {} s", ms / 1000),
    }
}

fn cron_words(expr: &str) -> String {
    let f: Vec<&str> = expr.split_whitespace().collect();
    let plain = |s: &str| s.parse::<u32>().ok();
    let at = |h: &str, m: &str| Some(format!("{:02}:{:02}", plain(h)?, plain(m)?));
    match f.as_slice() {
        [m, "*", "*", "*", "*"] if m.starts_with("*/") => format!("every {} min", &m[2..]),
        ["0", "*", "*", "*", "*"] => "every hour".into(),
        [m, "*", "*", "*", "*"] if plain(m).is_some() => {
            format!("every hour at :{:02}", plain(m).unwrap_or(0))
        }
        [m, h, "*", "*", "*"] if at(h, m).is_some() => {
            format!("every day at {}", at(h, m).unwrap_or_default())
        }
        [m, h, "*", "*", "1-5"] if at(h, m).is_some() => {
            format!("weekdays at {}", at(h, m).unwrap_or_default())
        }
        [m, h, "*", "*", d] if at(h, m).is_some() && day_name(d).is_some() => format!(
            "every {} at {}",
            day_name(d).unwrap_or_default(),
            at(h, m).unwrap_or_default()
        ),
        [m, h, dom, "*", "*"] if at(h, m).is_some() && plain(dom).is_some() => format!(
            "on day {} of every month at {}",
            plain(dom).unwrap_or(1),
            at(h, m).unwrap_or_default()
        ),
        _ => format!("cron {expr}"),
    }
}

fn day_name(d: &str) -> Option<&'static str> {
    const NAMES: [&str; 8] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    d.parse::<usize>()
        .ok()
        .and_then(|i| NAMES.get(i).copied())
        .or_else(|| {
            DAYS.iter()
                .position(|x| x.eq_ignore_ascii_case(d))
                .map(|i| NAMES[i])
        })
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

/// A stored schedule without the fields Clawtower does not edit (anchor, stagger).
fn strip_extras(schedule: &Value) -> Value {
    let mut s = schedule.clone();
    if let Some(o) = s.as_object_mut() {
        o.remove("anchorMs");
        o.remove("staggerMs");
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

    fn cron(expr: &str) -> Schedule {
        Schedule::Cron {
            expr: expr.into(),
            tz: None,
        }
    }

    #[test]
    fn schedules_are_checked_with_readable_errors() {
        let now = 1_795_230_517_850; // 2026-11-21
        let err = |s: Schedule| check_schedule(&s, now).unwrap_err().to_string();
        assert!(check_schedule(&cron("*/15 9-17 * * mon-fri"), now).is_ok());
        assert!(check_schedule(&cron("0 0 1,15 jan-jun 0"), now).is_ok());
        assert!(err(cron("0 25 * * *")).contains("the hour field has 25: it runs 0–23"));
        assert!(err(cron("0 9 * *")).contains("has 4"));
        assert!(err(cron("*/0 * * * *")).contains("step \"0\""));
        assert!(err(cron("0 9 * * fry")).contains("\"fry\", which is not a number"));
        assert!(err(cron("0 17-9 * * *")).contains("runs backwards"));
        let zoned = Schedule::Cron {
            expr: "0 9 * * *".into(),
            tz: Some("Mars/Olympus".into()),
        };
        assert!(err(zoned).contains("not a time zone"));
        let berlin = Schedule::Cron {
            expr: "0 9 * * *".into(),
            tz: Some("Europe/Berlin".into()),
        };
        assert!(check_schedule(&berlin, now).is_ok());
        assert!(err(Schedule::Every { every_ms: 5_000 }).contains("at most once a minute"));
        assert!(err(Schedule::At {
            at: "tomorrow".into()
        })
        .contains("is not a time"));
        assert!(err(Schedule::At {
            at: "2020-01-01T00:00:00Z".into()
        })
        .contains("in the past"));
        assert!(check_schedule(
            &Schedule::At {
                at: "2027-01-01T09:00:00+01:00".into()
            },
            now
        )
        .is_ok());
    }

    #[test]
    fn schedules_in_words() {
        let words = |s: Schedule| schedule_words(&s);
        assert_eq!(
            words(Schedule::Every {
                every_ms: 86_400_000
            }),
            "every day"
        );
        assert_eq!(words(Schedule::Every { every_ms: 900_000 }), "every 15 min");
        assert_eq!(
            words(Schedule::Every {
                every_ms: 7_200_000
            }),
            "every 2 h"
        );
        assert_eq!(words(cron("*/5 * * * *")), "every 5 min");
        assert_eq!(words(cron("30 9 * * *")), "every day at 09:30");
        assert_eq!(words(cron("0 8 * * 1-5")), "weekdays at 08:00");
        assert_eq!(words(cron("0 18 * * fri")), "every Friday at 18:00");
        assert_eq!(words(cron("0 6 1 * *")), "on day 1 of every month at 06:00");
        let zoned = Schedule::Cron {
            expr: "0 7 * * *".into(),
            tz: Some("Europe/Berlin".into()),
        };
        assert_eq!(words(zoned), "every day at 07:00 (Europe/Berlin)");
        assert_eq!(words(cron("0 0 1 1 *")), "cron 0 0 1 1 *");
    }

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
        let heartbeat = json!({"id": "h", "name": "heartbeat", "declarationKey": "heartbeat:main",
            "schedule": {"kind": "heartbeat"}});
        let row = row_of(&heartbeat);
        assert!(row.system && row.schedule.is_none());
        assert_eq!(row.schedule_words, "on heartbeat");
    }
}
