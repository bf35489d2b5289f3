//! Spend reports over the ledger: by day, week, month (in a time zone), session, agent or model.
//! The JSON shape is a contract scripts rely on (see `clawtower report --help`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rusqlite::params;
use serde::Serialize;

use clawtower_core::error::{EngineError, Result};
use clawtower_core::money::NanoUsd;
use clawtower_store::model_calls::{ModelCall, Unbilled, UnbilledCall};
use clawtower_store::rollups::{BUCKET_MS, ROLLUP_COLUMNS};
use clawtower_store::{saturating_sum, Store};

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

/// Sums over a set of model calls (the JSON row fields, without `key`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    calls: u64,
    input: u64,
    output: u64,
    cache_read: u64,
    cache_write: u64,
    reasoning: u64,
    cost: NanoUsd,
    reported: NanoUsd,
    unpriced: u64,
    book: NanoUsd,
    aborted: u64,
    failed: u64,
}

impl Sums {
    fn of_call(call: &ModelCall) -> Sums {
        Sums {
            calls: 1,
            input: call.input_tokens,
            output: call.output_tokens,
            cache_read: call.cache_read_tokens,
            cache_write: call.cache_write_tokens,
            reasoning: call.reasoning_tokens,
            cost: call.cost,
            reported: call.reported_cost,
            unpriced: call.unpriced_tokens,
            book: call.book_cost.unwrap_or_default(),
            aborted: 0,
            failed: 0,
        }
    }

    fn of_unbilled(call: &UnbilledCall) -> Sums {
        Sums {
            aborted: u64::from(call.outcome == Unbilled::Aborted),
            failed: u64::from(call.outcome == Unbilled::Failed),
            ..Sums::default()
        }
    }

    fn add(&mut self, other: &Sums) {
        // Saturating: sums of absurd counts must not wrap (nor panic in debug builds).
        self.calls = self.calls.saturating_add(other.calls);
        self.input = self.input.saturating_add(other.input);
        self.output = self.output.saturating_add(other.output);
        self.cache_read = self.cache_read.saturating_add(other.cache_read);
        self.cache_write = self.cache_write.saturating_add(other.cache_write);
        self.reasoning = self.reasoning.saturating_add(other.reasoning);
        self.cost += other.cost;
        self.reported += other.reported;
        self.unpriced = self.unpriced.saturating_add(other.unpriced);
        self.book += other.book;
        self.aborted = self.aborted.saturating_add(other.aborted);
        self.failed = self.failed.saturating_add(other.failed);
    }

    /// Counts nothing but aborted or failed calls (a row that is not about a model's spend).
    fn only_unbilled(&self) -> bool {
        Sums {
            aborted: 0,
            failed: 0,
            ..*self
        } == Sums::default()
    }
}

/// Totals as printed: token counts, and USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Model calls.
    pub calls: u64,
    /// Uncached prompt tokens.
    pub input_tokens: u64,
    /// Completion tokens.
    pub output_tokens: u64,
    /// Cached prompt tokens read.
    pub cache_read_tokens: u64,
    /// Prompt tokens written to cache.
    pub cache_write_tokens: u64,
    /// Reasoning tokens (included in output).
    pub reasoning_tokens: u64,
    /// input + output + cache read + cache write.
    pub total_tokens: u64,
    /// Clawtower's cost: what OpenClaw recorded (a provider's bill first), else the price book's.
    pub cost_usd: f64,
    /// OpenClaw's reported cost.
    pub reported_cost_usd: f64,
    /// Tokens with no known price.
    pub unpriced_tokens: u64,
    /// What the price book puts these calls at (calls it has a price for).
    pub book_cost_usd: f64,
    /// Runs aborted before the model answered: no tokens, no cost, not in `calls`.
    pub aborted_calls: u64,
    /// Provider calls that failed without billing: not in `calls`.
    pub failed_calls: u64,
}

impl From<Sums> for Totals {
    fn from(s: Sums) -> Self {
        Totals {
            calls: s.calls,
            input_tokens: s.input,
            output_tokens: s.output,
            cache_read_tokens: s.cache_read,
            cache_write_tokens: s.cache_write,
            reasoning_tokens: s.reasoning,
            total_tokens: s
                .input
                .saturating_add(s.output)
                .saturating_add(s.cache_read)
                .saturating_add(s.cache_write),
            cost_usd: s.cost.as_usd(),
            reported_cost_usd: s.reported.as_usd(),
            unpriced_tokens: s.unpriced,
            book_cost_usd: s.book.as_usd(),
            aborted_calls: s.aborted,
            failed_calls: s.failed,
        }
    }
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

/// `SUM(…)` of every rollup column, in the order of `ROLLUP_COLUMNS`.
static SUMS_SQL: LazyLock<String> = LazyLock::new(|| {
    ROLLUP_COLUMNS
        .iter()
        .map(|c| format!("ssum({c})"))
        .collect::<Vec<_>>()
        .join(", ")
});

fn sums_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Sums> {
    let i = |i: usize| saturating_sum(row, first + i);
    let n = |at: usize| -> rusqlite::Result<u64> { Ok(i(at)?.max(0) as u64) };
    Ok(Sums {
        calls: n(0)?,
        input: n(1)?,
        output: n(2)?,
        cache_read: n(3)?,
        cache_write: n(4)?,
        reasoning: n(5)?,
        cost: NanoUsd(i(6)?),
        reported: NanoUsd(i(7)?),
        unpriced: n(8)?,
        book: NanoUsd(i(9)?),
        aborted: n(10)?,
        failed: n(11)?,
    })
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
            let key_sql = match query.kind {
                ReportKind::Session => "session_key",
                ReportKind::Agent => "agent_id",
                _ => "provider || '/' || model",
            };
            let sql = format!(
                "SELECT {key_sql}, {} FROM usage_rollups WHERE bucket >= ?1 AND bucket < ?2 GROUP BY 1",
                *SUMS_SQL
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(params![start, end])?;
            while let Some(row) = rows.next()? {
                grouping.add(row.get(0)?, &sums_at(row, 1)?);
            }
        }
        Ok(())
    })?;
    Ok(grouping.finish())
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

fn day_start_ms(day: Date, tz: &TimeZone) -> Result<i64> {
    let zoned = day.to_zoned(tz.clone()).map_err(time_error)?;
    Ok(zoned
        .start_of_day()
        .map_err(time_error)?
        .timestamp()
        .as_millisecond())
}

fn calendar_key(kind: ReportKind, ms: i64, tz: &TimeZone) -> Result<String> {
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

fn time_error(err: jiff::Error) -> EngineError {
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

    fn ms(text: &str) -> i64 {
        text.parse::<jiff::Zoned>()
            .unwrap()
            .timestamp()
            .as_millisecond()
    }

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
