//! The periods of a series — hours, days, ISO weeks or months in a time zone — named as
//! `clawtower report` names them, with none missing between the first and the last.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

use clawtower_core::error::{EngineError, Result};
use clawtower_ledger::report::{calendar_key, time_error};

use crate::query::Granularity;

/// A series longer than this asks for a coarser granularity.
pub(crate) const MAX_PERIODS: usize = 5000;

/// The first instant of the period `ms` falls in, Unix ms.
pub(crate) fn period_start(granularity: Granularity, ms: i64, tz: &TimeZone) -> Result<i64> {
    let zoned = Timestamp::from_millisecond(ms)
        .map_err(time_error)?
        .to_zoned(tz.clone());
    Ok(first_instant(granularity, &zoned)?
        .timestamp()
        .as_millisecond())
}

fn first_instant(granularity: Granularity, zoned: &Zoned) -> Result<Zoned> {
    let day = zoned.start_of_day().map_err(time_error)?;
    let start = match granularity {
        Granularity::Hour => {
            // Local hours start at :00 local time (half an hour into a UTC hour in Kolkata).
            let into_hour = i64::from(zoned.minute()) * 60_000
                + i64::from(zoned.second()) * 1000
                + i64::from(zoned.millisecond());
            zoned
                .checked_sub(into_hour.milliseconds())
                .map_err(time_error)?
        }
        Granularity::Day => day,
        Granularity::Week => {
            let back = i64::from(day.weekday().to_monday_zero_offset());
            day.checked_sub(back.days())
                .map_err(time_error)?
                .start_of_day()
                .map_err(time_error)?
        }
        Granularity::Month => day
            .first_of_month()
            .map_err(time_error)?
            .start_of_day()
            .map_err(time_error)?,
    };
    Ok(start)
}

fn next_start(granularity: Granularity, start: &Zoned) -> Result<Zoned> {
    let next = match granularity {
        Granularity::Hour => start.checked_add(1.hour()),
        Granularity::Day => start.checked_add(1.day()),
        Granularity::Week => start.checked_add(1.week()),
        Granularity::Month => start.checked_add(1.month()),
    }
    .map_err(time_error)?;
    first_instant(granularity, &next)
}

/// Every period from the one `first_ms` falls in to the one `last_ms` falls in: `(key, start)`.
pub(crate) fn periods(
    granularity: Granularity,
    first_ms: i64,
    last_ms: i64,
    tz: &TimeZone,
) -> Result<Vec<(String, i64)>> {
    let kind = granularity.report_kind();
    let mut at = Timestamp::from_millisecond(first_ms)
        .map_err(time_error)?
        .to_zoned(tz.clone());
    at = first_instant(granularity, &at)?;
    let mut out = Vec::new();
    while at.timestamp().as_millisecond() <= last_ms {
        if out.len() == MAX_PERIODS {
            return Err(EngineError::InvalidInput(format!(
                "that window has more than {MAX_PERIODS} {}s: choose a coarser granularity or a shorter window",
                name(granularity)
            )));
        }
        let ms = at.timestamp().as_millisecond();
        out.push((calendar_key(kind, ms, tz)?, ms));
        at = next_start(granularity, &at)?;
    }
    Ok(out)
}

fn name(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Hour => "hour",
        Granularity::Day => "day",
        Granularity::Week => "week",
        Granularity::Month => "month",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::testing::zoned_ms as ms;

    #[test]
    fn hours_follow_local_clocks_through_a_dst_change() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let hours = periods(
            Granularity::Hour,
            ms("2026-10-25T01:10:00[Europe/Berlin]"),
            ms("2026-10-25T03:59:00[Europe/Berlin]"),
            &tz,
        )
        .unwrap();
        let keys: Vec<&str> = hours.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "2026-10-25T01:00+02:00",
                "2026-10-25T02:00+02:00",
                "2026-10-25T02:00+01:00",
                "2026-10-25T03:00+01:00"
            ]
        );
    }

    #[test]
    fn weeks_and_months_start_on_mondays_and_firsts_at_local_midnight() {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        let first = ms("2026-11-20T12:00:00[Asia/Kolkata]");
        let last = ms("2026-12-02T12:00:00[Asia/Kolkata]");
        let weeks = periods(Granularity::Week, first, last, &tz).unwrap();
        let keys: Vec<&str> = weeks.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["2026-11-16", "2026-11-23", "2026-11-30"]);
        assert_eq!(weeks[0].1, ms("2026-11-16T00:00:00[Asia/Kolkata]"));
        let months = periods(Granularity::Month, first, last, &tz).unwrap();
        assert_eq!(months.len(), 2);
        assert_eq!(
            months[1],
            ("2026-12".into(), ms("2026-12-01T00:00:00[Asia/Kolkata]"))
        );
        assert_eq!(
            period_start(Granularity::Day, last, &tz).unwrap(),
            ms("2026-12-02T00:00:00[Asia/Kolkata]")
        );
    }

    #[test]
    fn too_many_periods_ask_for_a_coarser_cut() {
        let err = periods(Granularity::Hour, 0, 400 * 86_400_000, &TimeZone::UTC).unwrap_err();
        assert!(err.to_string().contains("coarser"), "{err}");
    }
}
