//! What a usage view covers: a window of local days, how finely its series is cut, what it is
//! stacked by, one agent or all, and a model to price it on ("what if").

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};
use clawtower_ledger::report::{bounds, time_error, ReportKind, ReportQuery};

/// How finely the series is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "camelCase")]
pub enum Granularity {
    /// Local hours.
    Hour,
    /// Local days.
    #[default]
    Day,
    /// ISO weeks (from Monday).
    Week,
    /// Calendar months.
    Month,
}

impl Granularity {
    /// The report grouping with the same periods.
    pub(crate) fn report_kind(self) -> ReportKind {
        match self {
            Granularity::Hour => ReportKind::Hourly,
            Granularity::Day => ReportKind::Daily,
            Granularity::Week => ReportKind::Weekly,
            Granularity::Month => ReportKind::Monthly,
        }
    }
}

/// What the series is stacked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "camelCase")]
pub enum UsageDimension {
    /// `provider/model`.
    #[default]
    Model,
    /// The agent.
    Agent,
    /// The provider.
    Provider,
    /// The channel a session talks on; other sessions by their kind (main, sub-agents, cron…).
    Channel,
}

/// What to show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct UsageQuery {
    /// The last this many local days, today included (1: today); all time when null and
    /// `since` is null too.
    pub days: Option<u32>,
    /// First local day, `YYYY-MM-DD` (a custom window; wins over `days`).
    pub since: Option<String>,
    /// Last local day, `YYYY-MM-DD` (today when null).
    pub until: Option<String>,
    /// How finely the series is cut.
    pub granularity: Granularity,
    /// What the series is stacked by.
    pub stack: UsageDimension,
    /// Only this agent's usage.
    pub agent: Option<String>,
    /// Price the same tokens on this model too (`provider/model` or a model id of the price
    /// book).
    pub what_if: Option<String>,
}

/// A window resolved to local days and Unix ms.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// `[start_ms, end_ms)`; the open ends of an all-time window are `i64::MIN`/`i64::MAX`.
    pub start_ms: i64,
    pub end_ms: i64,
    pub tz: TimeZone,
}

/// The longest custom window, in days (ten years).
const MAX_DAYS: u32 = 3660;

impl UsageQuery {
    /// The window in `tz`, with `today` its last day unless `until` says otherwise.
    pub(crate) fn window(&self, today: Date, tz: &TimeZone) -> Result<Window> {
        let day = |field: &str, text: &str| -> Result<Date> {
            text.trim().parse().map_err(|_| {
                EngineError::InvalidInput(format!(
                    "{field} must be a date like 2026-11-30, not \"{text}\""
                ))
            })
        };
        let until = self.until.as_deref().map(|t| day("until", t)).transpose()?;
        let since = match (&self.since, self.days) {
            (Some(text), _) => Some(day("since", text)?),
            (None, Some(days)) => {
                if days == 0 || days > MAX_DAYS {
                    return Err(EngineError::InvalidInput(format!(
                        "days must be 1–{MAX_DAYS}, not {days}"
                    )));
                }
                let last = until.unwrap_or(today);
                Some(
                    last.checked_sub((i64::from(days) - 1).days())
                        .map_err(time_error)?,
                )
            }
            (None, None) => None,
        };
        let until = until.or(since.map(|_| today));
        let report = ReportQuery {
            kind: ReportKind::Daily,
            since,
            until,
            tz: tz.clone(),
        };
        let (start_ms, end_ms) = bounds(&report)?;
        Ok(Window {
            since,
            until,
            start_ms,
            end_ms,
            tz: tz.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2026-12-03".parse().unwrap()
    }

    #[test]
    fn days_count_back_from_today_and_custom_windows_win() {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        let q = UsageQuery {
            days: Some(7),
            ..UsageQuery::default()
        };
        let w = q.window(today(), &tz).unwrap();
        assert_eq!(w.since, Some("2026-11-27".parse().unwrap()));
        assert_eq!(w.until, Some(today()));
        assert_eq!(w.end_ms - w.start_ms, 7 * 86_400_000);
        let custom = UsageQuery {
            days: Some(7),
            since: Some("2026-11-01".into()),
            until: Some("2026-11-02".into()),
            ..UsageQuery::default()
        };
        let w = custom.window(today(), &tz).unwrap();
        assert_eq!(w.since, Some("2026-11-01".parse().unwrap()));
        assert_eq!(w.end_ms - w.start_ms, 2 * 86_400_000);
        let all = UsageQuery::default().window(today(), &tz).unwrap();
        assert_eq!((all.start_ms, all.end_ms), (i64::MIN, i64::MAX));
    }

    #[test]
    fn bad_windows_say_what_is_wrong() {
        let tz = TimeZone::UTC;
        let bad = |q: UsageQuery| q.window(today(), &tz).unwrap_err().to_string();
        assert!(bad(UsageQuery {
            days: Some(0),
            ..Default::default()
        })
        .contains("days must be"));
        assert!(bad(UsageQuery {
            since: Some("yesterday".into()),
            ..Default::default()
        })
        .contains("since must be a date"));
        assert!(bad(UsageQuery {
            since: Some("2026-12-05".into()),
            until: Some("2026-12-01".into()),
            ..Default::default()
        })
        .contains("after"));
    }
}
