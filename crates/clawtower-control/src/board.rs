//! What the tray, the UI and `clawtower budget status` show: every budget, every pause holding
//! now, unacknowledged alerts; and the loop that keeps it current.

use std::sync::Arc;

use jiff::Zoned;
use tokio::sync::watch;

use crate::budget::status::BudgetStatus;
use crate::enforcer::{statuses, BudgetEnforcer, TICK};
use crate::pause::PauseRecord;
use clawtower_core::error::Result;
use clawtower_store::Store;

/// Every budget and every pause holding now: what the tray, the UI and `budget status` show.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BudgetBoard {
    /// Each budget and where it stands.
    pub budgets: Vec<BudgetStatus>,
    /// Pauses holding now (budget-made and manual).
    pub pauses: Vec<crate::pause::PauseView>,
    /// Alerts not acknowledged yet (the tray mirrors them).
    pub unacknowledged_alerts: u32,
    /// Stored budgets that cannot be enforced at all (the others are), with why.
    pub unusable: Vec<crate::budget::store::UnusableBudget>,
}

impl BudgetBoard {
    /// Reads the board at `now` without acting.
    pub fn read(store: &Store, now: &Zoned) -> Result<Self> {
        let budgets = statuses(store, now)?;
        Self::around(store, budgets)
    }

    /// The board for budgets already measured.
    fn around(store: &Store, budgets: Vec<BudgetStatus>) -> Result<Self> {
        let active = store.read(|c| crate::pause::record::active(c))?;
        Ok(BudgetBoard {
            budgets,
            pauses: active.iter().map(PauseRecord::view).collect(),
            unacknowledged_alerts: store.read(|c| crate::alerts::unacknowledged(c))?,
            unusable: store.read(|c| crate::budget::store::list_checked(c))?.1,
        })
    }

    /// Whether anything is paused.
    pub fn paused(&self) -> bool {
        !self.pauses.is_empty()
    }

    /// The tray title: with a budget over everything, "$12.34 / $20" for the one closest to its
    /// limit; otherwise `spend_label` ("$12.34 today").
    pub fn tray_label(&self, spend_label: &str) -> String {
        self.budgets
            .iter()
            .filter(|s| s.budget.draft.scope == crate::budget::BudgetScope::All)
            .max_by(|a, b| a.percent.total_cmp(&b.percent))
            .map(|s| s.label.clone())
            .unwrap_or_else(|| spend_label.to_string())
    }
}

/// Runs [`BudgetEnforcer::pass`] after each signal on `changes` (ledger changes, user actions)
/// and every [`TICK`], publishing the board to `out`, until `changes` closes.
pub async fn run_budget_loop<T: Clone + Send + Sync>(
    enforcer: Arc<BudgetEnforcer>,
    mut changes: watch::Receiver<T>,
    clock: fn() -> Zoned,
    out: watch::Sender<BudgetBoard>,
) {
    loop {
        let board = match enforcer.pass(&clock()).await {
            Ok(budgets) => BudgetBoard::around(enforcer.store(), budgets),
            Err(e) => Err(e),
        };
        match board {
            Ok(board) => {
                out.send_if_modified(|current| {
                    let changed = *current != board;
                    *current = board;
                    changed
                });
            }
            Err(e) => tracing::error!(%e, "budget pass failed"),
        }
        tokio::select! {
            changed = changes.changed() => if changed.is_err() { return },
            _ = tokio::time::sleep(TICK) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{BudgetAction, BudgetDraft, BudgetWindow};

    #[test]
    fn a_budget_that_cannot_be_measured_or_read_shows_why_and_the_others_stay() {
        let store = Store::open_in_memory().unwrap();
        let now: Zoned = "2026-12-02T12:00:00+00:00[UTC]".parse().unwrap();
        let daily = BudgetDraft {
            name: "Daily".into(),
            scope: crate::budget::BudgetScope::All,
            window: BudgetWindow::Day,
            limit_usd: 5.0,
            thresholds: vec![],
            action: BudgetAction::Alert,
            auto_resume: false,
        };
        store
            .with_conn(|c| {
                crate::budget::store::add(c, daily, 0)?;
                c.execute(
                    "INSERT INTO budgets (definition, created_ms) VALUES ('{not json', 0)",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        let board = BudgetBoard::read(&store, &now).unwrap();
        assert_eq!(board.budgets.len(), 1);
        assert_eq!(board.budgets[0].problem, None);
        assert_eq!(board.unusable.len(), 1, "the damaged row is on the board");
        assert_eq!(board.unusable[0].id, 2);

        // Spend cannot be measured now: the budget is still listed, saying why.
        store
            .with_conn(|c| {
                c.execute_batch("DROP TABLE usage_by_bucket")?;
                Ok(())
            })
            .unwrap();
        let board = BudgetBoard::read(&store, &now).unwrap();
        assert_eq!(board.budgets.len(), 1);
        let problem = board.budgets[0].problem.as_deref().unwrap_or_default();
        assert!(problem.starts_with("not measured:"), "{problem}");
        assert_eq!(board.budgets[0].label, "? / $5");
    }
}
