//! Spend reports over the ledger: by day, week, month (in a time zone), session, agent or model.
//! The JSON shape is a contract scripts rely on (see `clawtower report --help`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rusqlite::params;
use serde::Serialize;

use clawtower_core::error::{EngineError, Result};
use clawtower_store::model_calls::{ModelCall, UnbilledCall};

use crate::sums::Totals;
use crate::sums::{sums_at, Sums, SUMS_SQL};
use clawtower_store::day_rollups;
use clawtower_store::rollups::{BUCKET_MS, ROLLUP_COLUMNS};
use clawtower_store::Store;

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// Key: the hour's start with its UTC offset, `YYYY-MM-DDTHH:00+01:00` (an hour repeated
    /// when clocks go back keeps its two rows).
    Hourly,
    /// Key `YYYY-MM-DD`.
    Daily,
    /// Key: the Monday of the ISO week, `YYYY-MM-DD`.
    Weekly,
    /// Key `YYYY-MM`.
    Monthly,
    /// Key: the OpenClaw session key.
    Session,
    /// Key: the agent id.
    Agent,
    /// Key `provider/model`.
    Model,
}

impl ReportKind {
    /// The name used on the command line and in the JSON `period` field.
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Hourly => "hourly",
            ReportKind::Daily => "daily",
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
            ReportKind::Session => "session",
            ReportKind::Agent => "agent",
            ReportKind::Model => "model",
        }
    }

    fn is_calendar(self) -> bool {
        matches!(
            self,
            ReportKind::Hourly | ReportKind::Daily | ReportKind::Weekly | ReportKind::Monthly
        )
    }
}

/// What to report.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    /// Grouping.
    pub kind: ReportKind,
    /// First day included (in `tz`); all time when `None`.
    pub since: Option<Date>,
    /// Last day included (in `tz`); all time when `None`.
    pub until: Option<Date>,
    /// Time zone for days and the since/until bounds.
    pub tz: TimeZone,
}

/// One report row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The group key.
    pub key: String,
    /// Its totals.
    #[serde(flatten)]
    pub totals: Totals,
}

/// A report: `{"period": …, "rows": […], "totals": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The report kind (`daily`, `session`, …).
    pub period: String,
    /// Rows: by time ascending, or by cost descending for session/agent/model.
    pub rows: Vec<Row>,
    /// Sums over every row.
    pub totals: Totals,
}

/// Groups sums into report rows; fed by the store's rollups or by a direct scan of calls.
pub(crate) struct Grouping {
    kind: ReportKind,
    tz: TimeZone,
    start_ms: i64,
    end_ms: i64,
    groups: BTreeMap<String, Sums>,
}

impl Grouping {
    /// An empty grouping for `query` (checks its date range).
    pub(crate) fn new(query: &ReportQuery) -> Result<Self> {
        let (start_ms, end_ms) = bounds(query)?;
        Ok(Grouping {
            kind: query.kind,
            tz: query.tz.clone(),
            start_ms,
            end_ms,
            groups: BTreeMap::new(),
        })
    }

    fn add(&mut self, key: String, sums: &Sums) {
        self.groups.entry(key).or_default().add(sums);
    }

    /// [`Self::add`], copying the key only for a new group.
    fn add_borrowed(&mut self, key: &str, sums: &Sums) {
        match self.groups.get_mut(key) {
            Some(group) => group.add(sums),
            None => self.add(key.to_string(), sums),
        }
    }

    /// Adds one call, if it is in the range.
    pub(crate) fn add_call(&mut self, call: &ModelCall) -> Result<()> {
        let dims = (
            &call.session_key,
            &call.agent_id,
            &call.provider,
            &call.model,
        );
        self.add_at(call.ts_ms, dims, &Sums::of_call(call))
    }

    /// Counts one aborted or failed call, if it is in the range.
    pub(crate) fn add_unbilled(&mut self, call: &UnbilledCall) -> Result<()> {
        let dims = (
            &call.session_key,
            &call.agent_id,
            &call.provider,
            &call.model,
        );
        self.add_at(call.ts_ms, dims, &Sums::of_unbilled(call))
    }

    fn add_at(
        &mut self,
        ts_ms: i64,
        (session_key, agent_id, provider, model): (&String, &String, &String, &String),
        sums: &Sums,
    ) -> Result<()> {
        if ts_ms < self.start_ms || ts_ms >= self.end_ms {
            return Ok(());
        }
        let key = match self.kind {
            ReportKind::Session => session_key.clone(),
            ReportKind::Agent => agent_id.clone(),
            ReportKind::Model => format!("{provider}/{model}"),
            _ => calendar_key(self.kind, ts_ms, &self.tz)?,
        };
        self.add(key, sums);
        Ok(())
    }

    /// The report: rows by time ascending, or by cost descending for session/agent/model.
    pub(crate) fn finish(self) -> Report {
        let mut total = Sums::default();
        let mut rows: Vec<(String, Sums)> = self.groups.into_iter().collect();
        for (_, sums) in &rows {
            total.add(sums);
        }
        if self.kind == ReportKind::Model {
            // Aborts OpenClaw injected name no model: counted in the totals, never a model row.
            rows.retain(|(key, sums)| !(key == "/" && sums.only_unbilled()));
        }
        if !self.kind.is_calendar() {
            rows.sort_by(|a, b| b.1.cost.cmp(&a.1.cost).then_with(|| a.0.cmp(&b.0)));
        }
        Report {
            period: self.kind.name().to_string(),
            rows: rows
                .into_iter()
                .map(|(key, sums)| Row {
                    key,
                    totals: sums.into(),
                })
                .collect(),
            totals: total.into(),
        }
    }
}

/// Builds a report from the store's rollups.
pub fn build(store: &Store, query: &ReportQuery) -> Result<Report> {
    let mut grouping = Grouping::new(query)?;
    // Day starts fall on bucket boundaries in every time zone, so whole buckets are exact.
    let (start, end) = (
        grouping.start_ms.div_euclid(BUCKET_MS),
        grouping.end_ms.div_euclid(BUCKET_MS),
    );
    store.read(|conn| {
        if query.kind.is_calendar() {
            let sql = format!(
                "SELECT bucket, {} FROM usage_by_bucket WHERE bucket >= ?1 AND bucket < ?2 GROUP BY 1",
                *SUMS_SQL
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(params![start, end])?;
            while let Some(row) = rows.next()? {
                let bucket: i64 = row.get(0)?;
                let key = calendar_key(query.kind, bucket * BUCKET_MS, &query.tz)?;
                grouping.add(key, &sums_at(row, 1)?);
            }
        } else {
            // Summed here rather than by SQL's GROUP BY (a sort of every row, and a call into
            // `ssum` per column per row): three times faster over a day table.
            let (table, time, key_sql) = grouped_source(conn, query)?;
            let sql = format!(
                "SELECT {key_sql}, {} FROM {table} WHERE {time} >= ?1 AND {time} < ?2",
                ROLLUP_COLUMNS.join(", ")
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(params![start, end])?;
            while let Some(row) = rows.next()? {
                let sums = sums_at(row, 1)?;
                match row.get_ref(0)? {
                    rusqlite::types::ValueRef::Text(key) => {
                        grouping.add_borrowed(&String::from_utf8_lossy(key), &sums)
                    }
                    _ => grouping.add(row.get(0)?, &sums),
                }
            }
        }
        Ok(())
    })?;
    Ok(grouping.finish())
}

/// Where a session, agent or model report reads its sums: `(table, its time column, the key)`.
/// The day tables when the query's days are the store's (or it covers all time), else the
/// quarter-hour rollups (exact in any zone). All-time sessions come from their running totals.
fn grouped_source(
    conn: &rusqlite::Connection,
    query: &ReportQuery,
) -> Result<(&'static str, &'static str, &'static str)> {
    let all_time = query.since.is_none() && query.until.is_none();
    let zone = day_rollups::day_zone(conn)?;
    let days_fit = zone.is_some() && (all_time || zone.as_deref() == query.tz.iana_name());
    let model_key = "provider || '/' || model";
    Ok(match (query.kind, days_fit) {
        (ReportKind::Session, true) if all_time => {
            ("usage_by_session", "first_bucket", "session_key")
        }
        (ReportKind::Session, true) => ("usage_by_day_session", "day", "session_key"),
        (ReportKind::Agent, true) => ("usage_by_day_model", "day", "agent_id"),
        (_, true) => ("usage_by_day_model", "day", model_key),
        (ReportKind::Session, false) => ("usage_rollups", "bucket", "session_key"),
        (ReportKind::Agent, false) => ("usage_rollups", "bucket", "agent_id"),
        (_, false) => ("usage_rollups", "bucket", model_key),
    })
}

/// The half-open range `[start, end)` in Unix ms a query covers (all time at the open ends).
pub fn bounds(query: &ReportQuery) -> Result<(i64, i64)> {
    if let (Some(since), Some(until)) = (query.since, query.until) {
        if since > until {
            return Err(EngineError::InvalidInput(format!(
                "--since {since} is after --until {until}"
            )));
        }
    }
    let start = match query.since {
        Some(day) => day_start_ms(day, &query.tz)?,
        None => i64::MIN,
    };
    let end = match query.until {
        Some(day) => {
            let next = day.checked_add(1.day()).map_err(time_error)?;
            day_start_ms(next, &query.tz)?
        }
        None => i64::MAX,
    };
    Ok((start, end))
}

/// The first instant of `day` in `tz`, Unix ms.
pub fn day_start_ms(day: Date, tz: &TimeZone) -> Result<i64> {
    let zoned = day.to_zoned(tz.clone()).map_err(time_error)?;
    Ok(zoned
        .start_of_day()
        .map_err(time_error)?
        .timestamp()
        .as_millisecond())
}

/// The key of the hour, day, ISO week (its Monday) or month `ms` falls in, in `tz`.
pub fn calendar_key(kind: ReportKind, ms: i64, tz: &TimeZone) -> Result<String> {
    let zoned = Timestamp::from_millisecond(ms)
        .map_err(time_error)?
        .to_zoned(tz.clone());
    let date = zoned.date();
    Ok(match kind {
        ReportKind::Hourly => zoned.strftime("%Y-%m-%dT%H:00%:z").to_string(),
        ReportKind::Weekly => {
            let back = i64::from(date.weekday().to_monday_zero_offset());
            date.checked_sub(back.days())
                .map_err(time_error)?
                .to_string()
        }
        ReportKind::Monthly => format!("{:04}-{:02}", date.year(), date.month()),
        _ => date.to_string(),
    })
}

/// A date beyond the calendar, as the engine's error.
pub fn time_error(err: jiff::Error) -> EngineError {
    EngineError::InvalidInput(format!("date out of range: {err}"))
}

/// The rows and totals as CSV (`key` first, then the JSON field names).
pub fn to_csv(report: &Report) -> String {
    let mut out = String::from("key,calls,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens,totalTokens,costUsd,reportedCostUsd,unpricedTokens,bookCostUsd,abortedCalls,failedCalls\n");
    let line = |key: &str, t: &Totals| {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(key),
            t.calls,
            t.input_tokens,
            t.output_tokens,
            t.cache_read_tokens,
            t.cache_write_tokens,
            t.reasoning_tokens,
            t.total_tokens,
            t.cost_usd,
            t.reported_cost_usd,
            t.unpriced_tokens,
            t.book_cost_usd,
            t.aborted_calls,
            t.failed_calls
        )
    };
    for row in &report.rows {
        out.push_str(&line(&row.key, &row.totals));
    }
    out.push_str(&line("TOTAL", &report.totals));
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::model_calls::insert;
    use clawtower_store::testing::sample;
    use clawtower_store::testing::zoned_ms as ms;

    fn store() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                insert(
                    c,
                    &sample("a", ms("2026-11-20T23:30:00[Asia/Kolkata]"), 1.0),
                )?;
                insert(
                    c,
                    &sample("b", ms("2026-11-21T00:10:00[Asia/Kolkata]"), 2.0),
                )?;
                let mut other = sample("c", ms("2026-11-23T12:00:00[Asia/Kolkata]"), 4.0);
                other.session_key = "agent:main:subagent:x".into();
                other.model = "other".into();
                insert(c, &other)?;
                Ok(())
            })
            .unwrap();
        store
    }

    fn query(kind: ReportKind) -> ReportQuery {
        ReportQuery {
            kind,
            since: None,
            until: None,
            tz: TimeZone::get("Asia/Kolkata").unwrap(),
        }
    }

    #[test]
    fn daily_groups_by_local_day_even_at_half_hour_offsets() {
        let report = build(&store(), &query(ReportKind::Daily)).unwrap();
        let keys: Vec<_> = report
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.totals.cost_usd))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("2026-11-20", 1.0),
                ("2026-11-21", 2.0),
                ("2026-11-23", 4.0)
            ]
        );
        assert_eq!(report.totals.calls, 3);
        assert_eq!(report.totals.cost_usd, 7.0);
        assert_eq!(report.totals.total_tokens, 45);
    }

    #[test]
    fn weekly_monthly_and_groupings() {
        let daily = build(&store(), &query(ReportKind::Daily)).unwrap();
        let hourly = build(&store(), &query(ReportKind::Hourly)).unwrap();
        assert_eq!(hourly.period, "hourly");
        assert_eq!(hourly.totals, daily.totals, "hours add up to the days");
        assert_eq!(hourly.rows.len(), 3);
        // Kolkata is UTC+05:30: hours start at local :00, keyed with their offset.
        assert!(
            hourly.rows.iter().all(|r| r.key.ends_with(":00+05:30")),
            "{:?}",
            hourly.rows.iter().map(|r| &r.key).collect::<Vec<_>>()
        );
        let weekly = build(&store(), &query(ReportKind::Weekly)).unwrap();
        let keys: Vec<_> = weekly.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["2026-11-16", "2026-11-23"]);
        let monthly = build(&store(), &query(ReportKind::Monthly)).unwrap();
        assert_eq!(monthly.rows[0].key, "2026-11");
        let model = build(&store(), &query(ReportKind::Model)).unwrap();
        let keys: Vec<_> = model.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            vec!["stub/other", "stub/stub-model"],
            "most expensive first"
        );
        let session = build(&store(), &query(ReportKind::Session)).unwrap();
        assert_eq!(session.rows.len(), 2);
    }

    #[test]
    fn since_and_until_are_inclusive_local_days() {
        let mut q = query(ReportKind::Daily);
        q.since = Some("2026-11-21".parse().unwrap());
        q.until = Some("2026-11-21".parse().unwrap());
        let report = build(&store(), &q).unwrap();
        assert_eq!(report.rows.len(), 1);
        assert_eq!(report.totals.cost_usd, 2.0);
        q.since = Some("2026-11-22".parse().unwrap());
        assert!(build(&store(), &q).is_err());
    }

    /// Reports read the day tables when the query's zone is the store's, else the quarter-hour
    /// rollups: both give the same rows, for windows in zones with half- and quarter-hour offsets
    /// and DST.
    #[test]
    fn day_tables_and_quarter_hours_agree_in_every_zone() {
        let store = Store::open_in_memory().unwrap();
        let start = ms("2026-10-20T00:00:00[UTC]");
        store
            .with_conn(|c| {
                let mut x: u64 = 7;
                for i in 0..3000i64 {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let mut call = sample(
                        &format!("c{i}"),
                        start + (x >> 20) as i64 % (20 * 86_400_000),
                        0.01 * ((x >> 8) % 7) as f64,
                    );
                    call.session_key = format!("agent:a{}:s{}", x % 3, (x >> 4) % 11);
                    call.agent_id = format!("a{}", x % 3);
                    call.model = format!("m{}", (x >> 12) % 4);
                    insert(c, &call)?;
                }
                Ok(())
            })
            .unwrap();
        let zones = [
            "Asia/Kolkata",
            "Europe/Berlin",
            "America/St_Johns",
            "Asia/Kathmandu",
        ];
        let windows = [
            (None, None),
            (Some("2026-10-23"), Some("2026-10-29")),
            (Some("2026-10-25"), Some("2026-10-25")),
            (Some("2026-11-01"), None),
        ];
        for zone in zones {
            for kind in [ReportKind::Session, ReportKind::Agent, ReportKind::Model] {
                for (since, until) in windows {
                    let q = ReportQuery {
                        kind,
                        since: since.map(|d| d.parse().unwrap()),
                        until: until.map(|d| d.parse().unwrap()),
                        tz: TimeZone::get(zone).unwrap(),
                    };
                    store
                        .with_conn(|c| day_rollups::keep_days_in(c, "UTC"))
                        .unwrap();
                    let quarter_hours = build(&store, &q).unwrap();
                    store
                        .with_conn(|c| day_rollups::keep_days_in(c, zone))
                        .unwrap();
                    let days = build(&store, &q).unwrap();
                    assert_eq!(days, quarter_hours, "{zone} {kind:?} {since:?}..{until:?}");
                    assert!(since.is_some() || days.totals.calls == 3000);
                }
            }
        }
    }

    #[test]
    fn json_and_csv_shapes_are_the_contract() {
        let report = build(&store(), &query(ReportKind::Agent)).unwrap();
        let text = serde_json::to_string(&report.rows[0]).unwrap();
        let fields = [
            "key",
            "calls",
            "inputTokens",
            "outputTokens",
            "cacheReadTokens",
            "cacheWriteTokens",
            "reasoningTokens",
            "totalTokens",
            "costUsd",
            "reportedCostUsd",
            "unpricedTokens",
            "bookCostUsd",
            "abortedCalls",
            "failedCalls",
        ];
        let at: Vec<usize> = fields
            .iter()
            .map(|f| {
                text.find(&format!("\"{f}\":"))
                    .unwrap_or_else(|| panic!("{f} missing"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "field order: {text}");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["period"], "agent");
        assert!(json["totals"].get("key").is_none());
        let csv = to_csv(&report);
        assert!(csv.starts_with("key,calls,"));
        assert!(
            csv.ends_with("TOTAL,3,30,15,0,0,0,45,7,7,0,0,0,0\n"),
            "{csv}"
        );
    }
}
