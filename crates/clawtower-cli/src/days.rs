//! Days as typed on the command line: `YYYY-MM-DD`, `today`, `yesterday`, or `7d` (the first of
//! the last seven days, today included).

use std::str::FromStr;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{ToSpan, Zoned};

/// A day given as a date or relative to today (resolved in a time zone when used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayArg {
    /// A calendar date.
    Date(Date),
    /// This many days before today (0: today).
    DaysAgo(i32),
}

impl FromStr for DayArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text {
            "today" => return Ok(DayArg::DaysAgo(0)),
            "yesterday" => return Ok(DayArg::DaysAgo(1)),
            _ => {}
        }
        if let Some(n) = text.strip_suffix('d') {
            return match n.parse::<i32>() {
                Ok(n @ 1..=36_600) => Ok(DayArg::DaysAgo(n - 1)),
                _ => Err(format!("{text:?}: give a number of days from 1, like 7d")),
            };
        }
        text.parse::<Date>().map(DayArg::Date).map_err(|_| {
            format!("{text:?} is not a day: use YYYY-MM-DD, today, yesterday or a number of days like 7d")
        })
    }
}

impl DayArg {
    /// The calendar day in `tz`.
    pub fn resolve(&self, tz: &TimeZone) -> Result<Date, String> {
        self.resolve_at(&Zoned::now().with_time_zone(tz.clone()))
    }

    fn resolve_at(&self, now: &Zoned) -> Result<Date, String> {
        match *self {
            DayArg::Date(date) => Ok(date),
            DayArg::DaysAgo(n) => now
                .date()
                .checked_sub(n.days())
                .map_err(|e| format!("{n} days ago: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_relative_days() {
        let now: Zoned = "2026-12-03T10:00:00[Europe/Paris]".parse().unwrap();
        let day = |s: &str| {
            s.parse::<DayArg>()
                .unwrap()
                .resolve_at(&now)
                .unwrap()
                .to_string()
        };
        assert_eq!(day("2026-11-21"), "2026-11-21");
        assert_eq!(day("today"), "2026-12-03");
        assert_eq!(day("yesterday"), "2026-12-02");
        assert_eq!(day("7d"), "2026-11-27");
        assert_eq!(day("1d"), "2026-12-03");
        assert!("0d".parse::<DayArg>().is_err());
        assert!("last week"
            .parse::<DayArg>()
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }
}
