//! Where a budget stands now: spend in its window, burn rate, projection, and the label.

use jiff::{SignedDuration, Zoned};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::model::Budget;
use super::spend::spend_in;
use super::window::WindowSpan;
use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;

/// How far along a budget is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum BudgetLevel {
    /// Below every threshold.
    Ok,
    /// At or past a warning threshold, below the limit.
    Warning,
    /// At or past the limit.
    Exceeded,
}

/// A budget and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BudgetStatus {
    /// The budget.
    pub budget: Budget,
    /// Spend in the current window, USD.
    pub spent_usd: f64,
    /// Percent of the limit spent.
    pub percent: f64,
    /// How far along it is.
    pub level: BudgetLevel,
    /// Window start (Unix ms).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub window_start_ms: i64,
    /// Next roll-over (Unix ms), for calendar windows.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub rolls_over_at_ms: Option<i64>,
    /// Spend over the last hour, USD per hour.
    pub burn_usd_per_hour: f64,
    /// When the limit is reached at this rate, if that is inside the window (Unix ms).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub limit_reached_at_ms: Option<i64>,
    /// "at this rate: $20 at 15:40" ("Dec 14, 15:40" on another day), when spending goes on
    /// and the limit is in reach this window.
    pub projection: Option<String>,
    /// "$12.34 / $20".
    pub label: String,
    /// Whether a pause this budget made holds now.
    pub paused: bool,
    /// Why this budget could not be measured or enforced on the last pass, when it could not
    /// (the others still are); its figures are then zero and mean nothing.
    pub problem: Option<String>,
}

/// Spend figures a budget status is built from (exact, nano-USD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    /// The window.
    pub span: WindowSpan,
    /// Spend in the window.
    pub spent: NanoUsd,
    /// Spend in the last hour.
    pub last_hour: NanoUsd,
    /// Spend in the last [`ONGOING_MINUTES`] minutes: whether spending goes on now.
    pub recent: NanoUsd,
}

/// Spend within this many minutes means spending goes on; only then is the last hour's rate
/// projected (a burst half an hour ago and nothing since projects nothing).
pub const ONGOING_MINUTES: i64 = 10;

/// Measures `budget` at `now`.
pub fn measure(conn: &Connection, budget: &Budget, now: &Zoned) -> Result<Measured> {
    let span = WindowSpan::at(budget.draft.window, now)?;
    let now_ms = now.timestamp().as_millisecond();
    // A rolling window ends now, inclusive; a calendar window at its roll-over.
    let end_ms = if span.rolls_over_at_ms.is_some() {
        span.end_ms
    } else {
        span.end_ms + 1
    };
    let spent = spend_in(conn, &budget.draft.scope, span.start_ms, end_ms)?;
    let last_hour = spend_in(conn, &budget.draft.scope, now_ms - 3_600_000, now_ms + 1)?;
    let recent = spend_in(
        conn,
        &budget.draft.scope,
        now_ms - ONGOING_MINUTES * 60_000,
        now_ms + 1,
    )?;
    Ok(Measured {
        span,
        spent,
        last_hour,
        recent,
    })
}

/// The status for measured figures.
pub fn status_of(budget: &Budget, measured: &Measured, now: &Zoned, paused: bool) -> BudgetStatus {
    let limit = NanoUsd::from_usd(budget.draft.limit_usd);
    let spent = measured.spent;
    let percent = if limit.0 > 0 {
        spent.0 as f64 * 100.0 / limit.0 as f64
    } else {
        0.0
    };
    let level = if spent >= limit {
        BudgetLevel::Exceeded
    } else if budget
        .draft
        .thresholds
        .iter()
        .any(|t| crossed(spent, limit, *t))
    {
        BudgetLevel::Warning
    } else {
        BudgetLevel::Ok
    };
    let burn = measured.last_hour;
    let ongoing = measured.recent.0 > 0;
    let limit_reached_at_ms = (ongoing && burn.0 > 0 && spent < limit)
        .then(|| {
            let hours_left = limit.0.saturating_sub(spent.0) as f64 / burn.0 as f64;
            // The cast saturates and so does the sum: a burn of one nano-dollar an hour against a
            // billion-dollar limit is "never", not an overflow.
            now.timestamp()
                .as_millisecond()
                .saturating_add((hours_left * 3_600_000.0) as i64)
        })
        .filter(|at| measured.span.rolls_over_at_ms.is_none_or(|end| *at < end));
    let projection = limit_reached_at_ms.and_then(|at| {
        let when = now
            .checked_add(SignedDuration::from_millis(
                at.saturating_sub(now.timestamp().as_millisecond()),
            ))
            .ok()?;
        // Another day carries its date (a monthly window's projection may be weeks away).
        let format = if when.date() == now.date() {
            "%H:%M"
        } else {
            "%b %-d, %H:%M"
        };
        Some(format!(
            "at this rate: {} at {}",
            limit.display_limit(),
            when.strftime(format)
        ))
    });
    BudgetStatus {
        budget: budget.clone(),
        spent_usd: spent.as_usd(),
        percent,
        level,
        window_start_ms: measured.span.start_ms,
        rolls_over_at_ms: measured.span.rolls_over_at_ms,
        burn_usd_per_hour: burn.as_usd(),
        limit_reached_at_ms,
        projection,
        label: format!("{} / {}", spent.display(), limit.display_limit()),
        paused,
        problem: None,
    }
}

/// The row of a budget that could not be measured or enforced now, saying why.
pub fn unenforced(budget: &Budget, why: String, paused: bool) -> BudgetStatus {
    BudgetStatus {
        budget: budget.clone(),
        spent_usd: 0.0,
        percent: 0.0,
        level: BudgetLevel::Ok,
        window_start_ms: 0,
        rolls_over_at_ms: None,
        burn_usd_per_hour: 0.0,
        limit_reached_at_ms: None,
        projection: None,
        label: format!(
            "? / {}",
            NanoUsd::from_usd(budget.draft.limit_usd).display_limit()
        ),
        paused,
        problem: Some(why),
    }
}

/// Whether `spent` reached `percent` % of `limit` (exact integer arithmetic).
pub fn crossed(spent: NanoUsd, limit: NanoUsd, percent: u32) -> bool {
    i128::from(spent.0) * 100 >= i128::from(limit.0) * i128::from(percent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::model::{BudgetAction, BudgetDraft, BudgetScope, BudgetWindow};
    use crate::budget::spend::tests::add_call;
    use clawtower_store::Store;

    pub(crate) fn daily(limit_usd: f64) -> Budget {
        Budget {
            id: 1,
            draft: BudgetDraft {
                name: "Daily".into(),
                scope: BudgetScope::All,
                window: BudgetWindow::Day,
                limit_usd,
                thresholds: vec![50, 80, 100],
                action: BudgetAction::Pause,
                auto_resume: false,
            },
        }
    }

    #[test]
    fn status_has_spend_burn_rate_and_projection() {
        let store = Store::open_in_memory().unwrap();
        let now: Zoned = "2026-11-21T14:40:00[Europe/Paris]".parse().unwrap();
        let ms = |t: &str| t.parse::<Zoned>().unwrap().timestamp().as_millisecond();
        add_call(
            &store,
            "y",
            "agent:main:main",
            "m",
            ms("2026-11-20T23:59:59[Europe/Paris]"),
            9_000_000_000,
        );
        add_call(
            &store,
            "a",
            "agent:main:main",
            "m",
            ms("2026-11-21T09:00:00[Europe/Paris]"),
            8_000_000_000,
        );
        add_call(
            &store,
            "b",
            "agent:main:main",
            "m",
            ms("2026-11-21T14:35:00[Europe/Paris]"),
            4_000_000_000,
        );
        let budget = daily(20.0);
        let measured = store.with_conn(|c| measure(c, &budget, &now)).unwrap();
        let status = status_of(&budget, &measured, &now, false);
        assert_eq!(status.spent_usd, 12.0);
        assert_eq!(status.percent, 60.0);
        assert_eq!(status.level, BudgetLevel::Warning);
        assert_eq!(status.burn_usd_per_hour, 4.0);
        assert_eq!(status.label, "$12.00 / $20");
        // $8 left at $4/h: 16:40.
        assert_eq!(
            status.projection.as_deref(),
            Some("at this rate: $20 at 16:40")
        );
        // Reached on another day of a longer window ($21 this week, $39 left at $4/h: 9 h 45
        // from now): the date comes with the time.
        let weekly = Budget {
            draft: BudgetDraft {
                window: BudgetWindow::Week,
                ..daily(60.0).draft
            },
            ..daily(60.0)
        };
        let measured_week = store.with_conn(|c| measure(c, &weekly, &now)).unwrap();
        let later = status_of(&weekly, &measured_week, &now, false);
        assert_eq!(
            later.projection.as_deref(),
            Some("at this rate: $60 at Nov 22, 00:25")
        );
        // The same spend as one burst half an hour ago, nothing since: the rate is shown, nothing
        // is projected from it.
        let burst = Measured {
            recent: NanoUsd::ZERO,
            ..measured
        };
        let quiet = status_of(&daily(20.0), &burst, &now, false);
        assert_eq!(quiet.burn_usd_per_hour, 4.0);
        assert_eq!((quiet.projection, quiet.limit_reached_at_ms), (None, None));
        // Out of reach before midnight: no projection.
        let slow = status_of(&daily(100.0), &measured, &now, false);
        assert_eq!(slow.projection, None);
        assert_eq!(slow.level, BudgetLevel::Ok);
        assert!(crossed(NanoUsd(20), NanoUsd(20), 100) && !crossed(NanoUsd(19), NanoUsd(20), 100));
        // A billion-dollar rolling budget burning one nano-dollar an hour: "never", no overflow.
        let mut huge = daily(1e9);
        huge.draft.window = crate::budget::BudgetWindow::Rolling(24);
        let crawl = Measured {
            span: WindowSpan::at(huge.draft.window, &now).unwrap(),
            spent: NanoUsd::ZERO,
            last_hour: NanoUsd(1),
            recent: NanoUsd(1),
        };
        assert_eq!(status_of(&huge, &crawl, &now, false).projection, None);
    }
}
