//! Calendar periods (day, ISO week, month) in a time zone, DST-correct.

use jiff::{Span, Timestamp, Zoned};

use crate::error::{EngineError, Result};

/// A calendar period that contains a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The calendar day.
    Day,
    /// The ISO week (Monday to Sunday).
    Week,
    /// The calendar month.
    Month,
}

/// A half-open instant range `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// First instant inside.
    pub start: Zoned,
    /// First instant after.
    pub end: Zoned,
}

impl Range {
    /// Start as Unix milliseconds.
    pub fn start_ms(&self) -> i64 {
        self.start.timestamp().as_millisecond()
    }

    /// End as Unix milliseconds.
    pub fn end_ms(&self) -> i64 {
        self.end.timestamp().as_millisecond()
    }
}

impl Period {
    /// The period containing `now`, in `now`'s time zone.
    pub fn containing(self, now: &Zoned) -> Result<Range> {
        let start = match self {
            Period::Day => now.start_of_day(),
            Period::Week => {
                let back = i64::from(now.weekday().to_monday_zero_offset());
                now.checked_sub(Span::new().days(back))
                    .and_then(|monday| monday.start_of_day())
            }
            Period::Month => now.first_of_month().and_then(|first| first.start_of_day()),
        }
        .map_err(time_error)?;
        let step = match self {
            Period::Day => Span::new().days(1),
            Period::Week => Span::new().weeks(1),
            Period::Month => Span::new().months(1),
        };
        let end = start
            .checked_add(step)
            .and_then(|next| next.start_of_day())
            .map_err(time_error)?;
        Ok(Range { start, end })
    }
}

fn time_error(err: jiff::Error) -> EngineError {
    EngineError::InvalidInput(format!("time computation failed: {err}"))
}

/// The current instant, Unix milliseconds.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

/// The current instant in the system time zone.
pub fn now_local() -> Zoned {
    Timestamp::now().to_zoned(jiff::tz::TimeZone::system())
}

/// The IANA name of a zoned time's time zone, or `"UTC"` when it has none.
pub fn zone_name(zoned: &Zoned) -> String {
    zoned.time_zone().iana_name().unwrap_or("UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        text.parse().unwrap()
    }

    #[test]
    fn day_week_month_bounds() {
        let now = at("2026-11-21T15:40:00[Europe/Paris]"); // a Saturday
        let day = Period::Day.containing(&now).unwrap();
        assert_eq!(day.start, at("2026-11-21T00:00:00[Europe/Paris]"));
        assert_eq!(day.end, at("2026-11-22T00:00:00[Europe/Paris]"));
        let week = Period::Week.containing(&now).unwrap();
        assert_eq!(week.start, at("2026-11-16T00:00:00[Europe/Paris]"));
        assert_eq!(week.end, at("2026-11-23T00:00:00[Europe/Paris]"));
        let month = Period::Month.containing(&now).unwrap();
        assert_eq!(month.start, at("2026-11-01T00:00:00[Europe/Paris]"));
        assert_eq!(month.end, at("2026-12-01T00:00:00[Europe/Paris]"));
    }

    #[test]
    fn dst_days_are_23_and_25_hours() {
        let spring = Period::Day
            .containing(&at("2026-03-29T12:00:00[Europe/Paris]"))
            .unwrap();
        assert_eq!(spring.end_ms() - spring.start_ms(), 23 * 3_600_000);
        let autumn = Period::Day
            .containing(&at("2026-10-25T12:00:00[Europe/Paris]"))
            .unwrap();
        assert_eq!(autumn.end_ms() - autumn.start_ms(), 25 * 3_600_000);
    }

    #[test]
    fn month_and_year_ends_roll_over() {
        let dec = Period::Month
            .containing(&at("2026-12-31T23:59:59[America/New_York]"))
            .unwrap();
        assert_eq!(dec.end, at("2027-01-01T00:00:00[America/New_York]"));
        let feb = Period::Month
            .containing(&at("2028-02-29T08:00:00[UTC]"))
            .unwrap();
        assert_eq!(feb.end, at("2028-03-01T00:00:00[UTC]"));
        let sunday = Period::Week
            .containing(&at("2026-11-22T23:00:00[UTC]"))
            .unwrap();
        assert_eq!(sunday.start, at("2026-11-16T00:00:00[UTC]"));
    }
}
