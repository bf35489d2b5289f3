//! The instant range a budget's window covers now, and what identifies it for re-arming.

use jiff::{SignedDuration, Zoned};

use super::model::BudgetWindow;
use clawtower_core::error::{EngineError, Result};
use clawtower_core::period::Period;

/// The window a budget is measured over at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSpan {
    /// First instant inside (Unix ms).
    pub start_ms: i64,
    /// End: the next roll-over for calendar windows, now for rolling ones (Unix ms).
    pub end_ms: i64,
    /// Identity of the window: thresholds alert once per window. Calendar windows roll over at
    /// their start; a rolling window never rolls over (it re-arms as spend falls instead).
    pub key: i64,
    /// When the window rolls over, for calendar windows.
    pub rolls_over_at_ms: Option<i64>,
}

impl WindowSpan {
    /// The window of `window` containing `now` (calendar windows in `now`'s time zone).
    pub fn at(window: BudgetWindow, now: &Zoned) -> Result<Self> {
        let now_ms = now.timestamp().as_millisecond();
        let period = match window {
            BudgetWindow::Day => Period::Day,
            BudgetWindow::Week => Period::Week,
            BudgetWindow::Month => Period::Month,
            BudgetWindow::Rolling(hours) => {
                let back = SignedDuration::from_hours(i64::from(hours));
                let start = now
                    .timestamp()
                    .checked_sub(back)
                    .map_err(|e| EngineError::InvalidInput(format!("window: {e}")))?;
                return Ok(WindowSpan {
                    start_ms: start.as_millisecond(),
                    end_ms: now_ms,
                    key: 0,
                    rolls_over_at_ms: None,
                });
            }
        };
        let range = period.containing(now)?;
        Ok(WindowSpan {
            start_ms: range.start_ms(),
            end_ms: range.end_ms(),
            key: range.start_ms(),
            rolls_over_at_ms: Some(range.end_ms()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        text.parse().unwrap()
    }

    #[test]
    fn calendar_windows_follow_the_local_calendar_across_dst() {
        // The day DST starts in New York has 23 hours.
        let day =
            WindowSpan::at(BudgetWindow::Day, &at("2026-03-08T12:00[America/New_York]")).unwrap();
        assert_eq!(day.end_ms - day.start_ms, 23 * 3_600_000);
        assert_eq!(day.key, day.start_ms);
        assert_eq!(day.rolls_over_at_ms, Some(day.end_ms));
        // A month that ends on the 28th, and the day after it rolls over.
        let feb = WindowSpan::at(
            BudgetWindow::Month,
            &at("2026-02-28T23:59:59[Europe/Berlin]"),
        )
        .unwrap();
        let mar = WindowSpan::at(
            BudgetWindow::Month,
            &at("2026-03-01T00:00:00[Europe/Berlin]"),
        )
        .unwrap();
        assert_eq!(feb.end_ms, mar.start_ms);
        assert_ne!(feb.key, mar.key);
        assert_eq!((feb.end_ms - feb.start_ms) / 86_400_000, 28);
        // Weeks start on Monday.
        let week = WindowSpan::at(BudgetWindow::Week, &at("2026-11-22T10:00[UTC]")).unwrap();
        assert_eq!(
            week.start_ms,
            at("2026-11-16T00:00[UTC]").timestamp().as_millisecond()
        );
    }

    #[test]
    fn rolling_windows_slide_and_never_roll_over() {
        let now = at("2026-11-21T10:30[UTC]");
        let span = WindowSpan::at(BudgetWindow::Rolling(6), &now).unwrap();
        assert_eq!(span.end_ms, now.timestamp().as_millisecond());
        assert_eq!(span.end_ms - span.start_ms, 6 * 3_600_000);
        assert_eq!(span.key, 0);
        assert_eq!(span.rolls_over_at_ms, None);
    }
}
