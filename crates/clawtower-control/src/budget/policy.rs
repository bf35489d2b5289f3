//! The budget policy, with no I/O: given where a budget stands and what was already done in its
//! window, what to do now. Each threshold alerts once per window and re-arms at roll-over (a
//! rolling window re-arms as spend falls back below it); a pause budget pauses once per window.

use super::model::{Budget, BudgetAction};
use super::status::crossed;
use super::store::WindowState;
use super::window::WindowSpan;
use clawtower_core::money::NanoUsd;

/// What the budget loop should do for one budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Alert that this threshold (percent) was crossed.
    pub alert: Option<u32>,
    /// Pause the budget's scope.
    pub pause: bool,
    /// Lift this budget's pause (auto-resume at roll-over).
    pub resume: bool,
    /// The state to store once the actions are done.
    pub next: WindowState,
}

/// Decides for `budget` with `spent` in window `span`, given the stored state and whether a
/// pause made by this budget holds.
pub fn decide(
    budget: &Budget,
    spent: NanoUsd,
    span: &WindowSpan,
    previous: Option<WindowState>,
    paused_now: bool,
) -> Decision {
    let limit = NanoUsd::from_usd(budget.draft.limit_usd);
    let rolling = span.rolls_over_at_ms.is_none();
    let rolled_over = previous.is_some_and(|p| p.window_key != span.key);
    let mut next = match previous {
        Some(p) if !rolled_over => p,
        Some(p) => WindowState {
            window_key: span.key,
            alerted_percent: 0,
            paused_window: p.paused_window,
        },
        None => WindowState {
            window_key: span.key,
            alerted_percent: 0,
            paused_window: None,
        },
    };
    let highest_crossed = budget
        .draft
        .thresholds
        .iter()
        .copied()
        .filter(|t| crossed(spent, limit, *t))
        .max()
        .unwrap_or(0);
    let at_limit = spent >= limit;
    if rolling {
        next.alerted_percent = next.alerted_percent.min(highest_crossed);
        if !at_limit {
            next.paused_window = None;
        }
    }
    let alert = (highest_crossed > next.alerted_percent).then_some(highest_crossed);
    next.alerted_percent = next.alerted_percent.max(highest_crossed);

    let is_pause_budget = budget.draft.action == BudgetAction::Pause;
    let pause = is_pause_budget && at_limit && !paused_now && next.paused_window != Some(span.key);
    if pause {
        next.paused_window = Some(span.key);
    }
    let window_moved_on = if rolling { !at_limit } else { rolled_over };
    let resume =
        is_pause_budget && budget.draft.auto_resume && paused_now && window_moved_on && !pause;
    Decision {
        alert,
        pause,
        resume,
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::model::{BudgetDraft, BudgetScope, BudgetWindow};

    fn budget(action: BudgetAction, auto_resume: bool) -> Budget {
        Budget {
            id: 7,
            draft: BudgetDraft {
                name: "b".into(),
                scope: BudgetScope::All,
                window: BudgetWindow::Day,
                limit_usd: 10.0,
                thresholds: vec![50, 80, 100],
                action,
                auto_resume,
            },
        }
    }

    fn day(key: i64) -> WindowSpan {
        WindowSpan {
            start_ms: key,
            end_ms: key + 86_400_000,
            key,
            rolls_over_at_ms: Some(key + 86_400_000),
        }
    }

    fn usd(v: f64) -> NanoUsd {
        NanoUsd::from_usd(v)
    }

    #[test]
    fn each_threshold_alerts_once_per_window_and_rearms_at_roll_over() {
        let b = budget(BudgetAction::Alert, false);
        let d1 = decide(&b, usd(4.0), &day(0), None, false);
        assert_eq!(d1.alert, None);
        let d2 = decide(&b, usd(5.0), &day(0), Some(d1.next), false);
        assert_eq!(d2.alert, Some(50));
        let d3 = decide(&b, usd(6.0), &day(0), Some(d2.next), false);
        assert_eq!(d3.alert, None, "50 % already alerted");
        // A jump over two thresholds alerts once, for the higher one.
        let d4 = decide(&b, usd(10.0), &day(0), Some(d3.next), false);
        assert_eq!(
            (d4.alert, d4.pause),
            (Some(100), false),
            "alert-only budgets never pause"
        );
        let d5 = decide(&b, usd(12.0), &day(0), Some(d4.next), false);
        assert_eq!(d5.alert, None);
        // Next day: re-armed.
        let d6 = decide(&b, usd(5.5), &day(86_400_000), Some(d5.next), false);
        assert_eq!(d6.alert, Some(50));
    }

    #[test]
    fn a_pause_budget_pauses_once_per_window_and_auto_resumes_at_roll_over() {
        let b = budget(BudgetAction::Pause, true);
        let d1 = decide(&b, usd(9.99), &day(0), None, false);
        assert!(!d1.pause);
        let d2 = decide(&b, usd(10.0), &day(0), Some(d1.next), false);
        assert!(d2.pause && d2.alert == Some(100));
        assert_eq!(d2.next.paused_window, Some(0));
        // Still over, already paused: nothing more.
        let d3 = decide(&b, usd(10.5), &day(0), Some(d2.next), true);
        assert!(!d3.pause && !d3.resume);
        // The user resumed by hand within the window: not paused again in this window.
        let d4 = decide(&b, usd(11.0), &day(0), Some(d3.next), false);
        assert!(!d4.pause);
        // Roll-over while paused: auto-resume.
        let d5 = decide(&b, usd(0.0), &day(86_400_000), Some(d3.next), true);
        assert!(d5.resume && !d5.pause);
        // Without auto-resume it stays paused.
        let manual = budget(BudgetAction::Pause, false);
        assert!(!decide(&manual, usd(0.0), &day(86_400_000), Some(d3.next), true).resume);
        // A new window over the limit pauses again.
        let d6 = decide(&b, usd(10.0), &day(86_400_000), Some(d4.next), false);
        assert!(d6.pause);
    }

    #[test]
    fn rolling_windows_rearm_as_spend_falls() {
        let mut b = budget(BudgetAction::Pause, true);
        b.draft.window = BudgetWindow::Rolling(6);
        let span = WindowSpan {
            start_ms: 0,
            end_ms: 1,
            key: 0,
            rolls_over_at_ms: None,
        };
        let d1 = decide(&b, usd(10.0), &span, None, false);
        assert!(d1.pause && d1.alert == Some(100));
        let d2 = decide(&b, usd(10.0), &span, Some(d1.next), true);
        assert!(!d2.pause && !d2.resume && d2.alert.is_none());
        // Old calls slid out: below the limit, auto-resume; 50 % stays alerted, 80 % re-arms.
        let d3 = decide(&b, usd(6.0), &span, Some(d2.next), true);
        assert!(d3.resume && d3.alert.is_none());
        assert_eq!(d3.next.alerted_percent, 50);
        let d4 = decide(&b, usd(8.0), &span, Some(d3.next), false);
        assert_eq!(d4.alert, Some(80));
        let d5 = decide(&b, usd(10.0), &span, Some(d4.next), false);
        assert!(d5.pause, "crossing again pauses again");
    }
}
