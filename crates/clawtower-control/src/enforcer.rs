//! The budget loop: on each ledger change (and every few seconds, for roll-over) it measures every
//! budget, raises threshold alerts, pauses at the limit and auto-resumes at roll-over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Zoned;

use crate::alerts::notifier::{Notification, Notifier};
use crate::alerts::{raise, AlertKind};
use crate::budget::model::{Budget, BudgetAction};
use crate::budget::policy::decide;
use crate::budget::status::{measure, status_of, unenforced, BudgetStatus};
use crate::budget::store;
use crate::pause::{PauseRecord, PauseRequest, Pauser};
use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;
use clawtower_store::Store;

/// Longest time between two passes without a ledger change (window roll-over).
pub const TICK: Duration = Duration::from_secs(5);

/// Every budget's status at `now`, without acting on anything (CLI `budget status`, the UI).
pub fn statuses(store: &Store, now: &Zoned) -> Result<Vec<BudgetStatus>> {
    let active = store.read(|c| crate::pause::record::active(c))?;
    store.read(|conn| {
        let budgets = store::list(conn)?;
        let mut statuses = Vec::with_capacity(budgets.len());
        for budget in &budgets {
            // One budget that cannot be measured must not hide the others; it shows why.
            let paused = holds_pause(&active, budget.id);
            statuses.push(match measure(conn, budget, now) {
                Ok(measured) => status_of(budget, &measured, now, paused),
                Err(e) => unenforced(budget, format!("not measured: {e}"), paused),
            });
        }
        Ok(statuses)
    })
}

fn holds_pause(active: &[PauseRecord], budget_id: i64) -> bool {
    active.iter().any(|p| p.budget_id == Some(budget_id))
}

/// Applies budgets: alerts, pauses and resumes.
pub struct BudgetEnforcer {
    store: Arc<Store>,
    notifier: Arc<dyn Notifier>,
    pauser: Option<Pauser>,
    /// Pauses that failed, by (budget, window): when, so retries back off, and reported once.
    failed_pauses: Mutex<HashMap<(i64, i64), FailedPause>>,
}

/// A pause that could not be made.
struct FailedPause {
    at: Instant,
}

/// How long after a failed pause the next attempt waits.
const PAUSE_RETRY: Duration = Duration::from_secs(30);

impl BudgetEnforcer {
    /// An enforcer; without a `pauser` (no gateway) limits alert but cannot pause.
    pub fn new(store: Arc<Store>, notifier: Arc<dyn Notifier>, pauser: Option<Pauser>) -> Self {
        BudgetEnforcer {
            store,
            notifier,
            pauser,
            failed_pauses: Mutex::new(HashMap::new()),
        }
    }

    /// The store it measures and records in.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The pauser, when there is a gateway.
    pub fn pauser(&self) -> Option<&Pauser> {
        self.pauser.as_ref()
    }

    /// A new call arrived: if a pause covers its session (a run started while paused, e.g. from
    /// the Control UI), abort that run, in the background. Cheap when nothing is paused.
    pub fn spawn_enforce(self: &Arc<Self>, agent_id: &str, session_key: &str) {
        let Some(pauser) = self.pauser.clone() else {
            return;
        };
        match self.store.with_conn(|c| crate::pause::record::active(c)) {
            Ok(active) if active.is_empty() => return,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(%e, "could not read pauses");
                return;
            }
        }
        let (agent_id, session_key) = (agent_id.to_string(), session_key.to_string());
        tokio::spawn(async move {
            match pauser.enforce(&agent_id, &session_key).await {
                Ok(true) => tracing::info!(%session_key, "aborted a run started while paused"),
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(%e, %session_key, "could not abort a run started while paused")
                }
            }
        });
    }

    /// The gateway connection came (back) up: re-apply what a gateway restart undid while
    /// paused, in the background, and alert if that fails (the gateway would be half-paused).
    pub fn spawn_reassert(self: &Arc<Self>) {
        let Some(pauser) = self.pauser.clone() else {
            return;
        };
        let this = self.clone();
        tokio::spawn(async move {
            let problems = match pauser.reassert().await {
                Ok(problems) => problems,
                Err(e) => vec![e.to_string()],
            };
            if problems.is_empty() {
                return;
            }
            let note = Notification {
                title: "Partly paused: the gateway restarted".into(),
                body: problems.join("; "),
            };
            let now_ms = jiff::Timestamp::now().as_millisecond();
            if let Err(e) = raise(
                &this.store,
                this.notifier.as_ref(),
                AlertKind::PauseFailed,
                None,
                note,
                now_ms,
            ) {
                tracing::warn!(%e, "could not record the alert");
            }
        });
    }

    /// One pass over every budget at `now`; returns their statuses after acting.
    pub async fn pass(&self, now: &Zoned) -> Result<Vec<BudgetStatus>> {
        let now_ms = now.timestamp().as_millisecond();
        let budgets = self.store.with_conn(|c| store::list(c))?;
        let mut active = self.store.with_conn(|c| crate::pause::record::active(c))?;
        let mut statuses = Vec::with_capacity(budgets.len());
        for budget in &budgets {
            // Each budget on its own: one that fails is logged, the rest are still enforced.
            match self.enforce(budget, now, &mut active).await {
                Ok(status) => statuses.push(status),
                Err(e) => {
                    tracing::warn!(budget = budget.id, %e, "budget not enforced this pass");
                    let paused = holds_pause(&active, budget.id);
                    statuses.push(unenforced(budget, format!("not enforced: {e}"), paused));
                }
            }
        }
        // Anomaly rules after the budgets, and never at their expense.
        if let Err(e) = self.anomalies(now_ms).await {
            tracing::warn!(%e, "anomaly rules not checked this pass");
        }
        Ok(statuses)
    }

    /// Measures one budget, alerts and pauses or resumes as it says; returns its status.
    async fn enforce(
        &self,
        budget: &Budget,
        now: &Zoned,
        active: &mut Vec<PauseRecord>,
    ) -> Result<BudgetStatus> {
        let now_ms = now.timestamp().as_millisecond();
        let paused_now = holds_pause(active, budget.id);
        let (measured, previous) = self
            .store
            .with_conn(|c| Ok((measure(c, budget, now)?, store::state(c, budget.id)?)))?;
        let mut status = status_of(budget, &measured, now, paused_now);
        let mut decision = decide(budget, measured.spent, &measured.span, previous, paused_now);
        if !decision.pause {
            // At the limit no longer (or paused): a later failure is news again.
            self.failed_pauses
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|(id, _), _| *id != budget.id);
        } else if self.backing_off(budget.id, measured.span.key) {
            decision.pause = false;
            decision.next.paused_window = previous.and_then(|p| p.paused_window);
        }
        // Claim the new state before acting: of two Clawtowers on one store, one alerts.
        let claimed = self
            .store
            .with_conn(|c| store::replace_state(c, budget.id, previous, &decision.next))?;
        if !claimed {
            return Ok(status);
        }
        let amounts = amounts(budget, measured.spent);
        if let Some(percent) = decision.alert.filter(|_| !decision.pause) {
            let title = if percent >= 100 {
                format!("Budget “{}” reached", budget.draft.name)
            } else {
                format!("Budget “{}” at {percent}%", budget.draft.name)
            };
            let body = match &status.projection {
                Some(p) if percent < 100 => format!("{amounts} · {p}"),
                _ => amounts.clone(),
            };
            self.alert(AlertKind::Threshold, budget, title, body, now_ms)?;
        }
        if decision.pause
            && !self
                .pause_for(budget, &amounts, measured.span.key, now_ms)
                .await?
        {
            // Not paused: try again on a later pass.
            decision.next.paused_window = previous.and_then(|p| p.paused_window);
            self.store
                .with_conn(|c| store::set_state(c, budget.id, &decision.next))?;
        }
        if decision.resume {
            self.resume_for(budget, active, now_ms).await?;
        }
        if decision.pause || decision.resume {
            *active = self.store.with_conn(|c| crate::pause::record::active(c))?;
            status.paused = holds_pause(active, budget.id);
        }
        Ok(status)
    }

    /// Whether a pause for this budget failed less than [`PAUSE_RETRY`] ago (a gateway that
    /// hangs must not stall every pass).
    fn backing_off(&self, budget_id: i64, window: i64) -> bool {
        self.failed_pauses
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(budget_id, window))
            .is_some_and(|failure| failure.at.elapsed() < PAUSE_RETRY)
    }

    /// Alerts (and pauses, when the rule says so) on each new anomaly.
    async fn anomalies(&self, now_ms: i64) -> Result<()> {
        let findings = self
            .store
            .with_conn(|c| crate::anomaly::new_findings(c, now_ms))?;
        for (anomaly, finding) in findings {
            let mut body = finding.body.clone();
            if anomaly.draft.action == BudgetAction::Pause {
                body.push(' ');
                body.push_str(&self.pause_for_anomaly(&finding, now_ms).await);
            }
            let note = Notification {
                title: finding.title,
                body,
            };
            raise(
                &self.store,
                self.notifier.as_ref(),
                AlertKind::Anomaly,
                None,
                note,
                now_ms,
            )?;
        }
        Ok(())
    }

    /// Pauses the finding's session (or everything, for rates); says what happened.
    async fn pause_for_anomaly(&self, finding: &crate::anomaly::Finding, now_ms: i64) -> String {
        let Some(pauser) = &self.pauser else {
            return "No OpenClaw gateway is configured, so nothing was paused.".into();
        };
        let scope = finding.session_key.clone().map_or(
            crate::budget::BudgetScope::All,
            crate::budget::BudgetScope::Session,
        );
        let request = PauseRequest {
            scope,
            reason: format!("Anomaly: {}", finding.title),
            budget_id: None,
        };
        match pauser.pause(request, now_ms).await {
            Ok(record) => format!("Paused {}: {}", record.scope.to_text(), record.summary()),
            Err(e) => format!("Could not pause: {e}."),
        }
    }

    /// Pauses for `budget`; false when it must be retried (the gateway could not be reached).
    async fn pause_for(
        &self,
        budget: &Budget,
        amounts: &str,
        window: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let Some(pauser) = &self.pauser else {
            let title = format!("Budget “{}” reached — nothing paused", budget.draft.name);
            let body = format!(
                "{amounts}. No OpenClaw gateway is configured, so nothing could be paused."
            );
            self.alert(AlertKind::PauseFailed, budget, title, body, now_ms)?;
            return Ok(true);
        };
        let request = PauseRequest {
            scope: budget.draft.scope.clone(),
            reason: format!("Budget “{}” reached", budget.draft.name),
            budget_id: Some(budget.id),
        };
        let outcome = pauser.pause(request, now_ms).await;
        let mut failed = self.failed_pauses.lock().unwrap_or_else(|p| p.into_inner());
        let first_failure = match &outcome {
            Ok(_) => {
                failed.remove(&(budget.id, window));
                false
            }
            Err(_) => failed
                .insert((budget.id, window), FailedPause { at: Instant::now() })
                .is_none(),
        };
        drop(failed);
        match outcome {
            Ok(record) if record.budget_id != Some(budget.id) => {
                let title = format!("Budget “{}” reached — already paused", budget.draft.name);
                let body = format!("{amounts}. Already paused: {}.", record.reason);
                self.alert(AlertKind::Pause, budget, title, body, now_ms)?;
                Ok(true)
            }
            Ok(record) => {
                let (kind, title) = if record.problems.is_empty() {
                    (
                        AlertKind::Pause,
                        format!("Paused: budget “{}” reached", budget.draft.name),
                    )
                } else {
                    (
                        AlertKind::PauseFailed,
                        format!("Partly paused: budget “{}” reached", budget.draft.name),
                    )
                };
                let body = format!(
                    "{amounts}. {} Resume from the tray or the app.",
                    record.summary()
                );
                self.alert(kind, budget, title, body, now_ms)?;
                Ok(true)
            }
            Err(e) => {
                if first_failure {
                    let title = format!("Could not pause: budget “{}” reached", budget.draft.name);
                    let body = format!(
                        "{amounts}. {}. Clawtower keeps trying.",
                        clawtower_core::text::capitalize(&e.to_string())
                    );
                    self.alert(AlertKind::PauseFailed, budget, title, body, now_ms)?;
                }
                Ok(false)
            }
        }
    }

    async fn resume_for(&self, budget: &Budget, active: &[PauseRecord], now_ms: i64) -> Result<()> {
        let Some(pauser) = &self.pauser else {
            return Ok(());
        };
        let ids: Vec<i64> = active
            .iter()
            .filter(|p| p.budget_id == Some(budget.id))
            .map(|p| p.id)
            .collect();
        match pauser.resume(Some(&ids), now_ms).await {
            // Resumed by hand meanwhile: nothing to say.
            Ok(records) if records.is_empty() => Ok(()),
            Ok(records) if records.iter().all(|r| r.problems.is_empty()) => {
                let title = format!("Resumed: budget “{}” has a new window", budget.draft.name);
                self.alert(
                    AlertKind::Resume,
                    budget,
                    title,
                    "Everything the pause turned off is back on.".into(),
                    now_ms,
                )
            }
            Ok(records) => {
                let problems: Vec<String> = records.into_iter().flat_map(|r| r.problems).collect();
                let title = format!("Resume incomplete: budget “{}”", budget.draft.name);
                self.alert(
                    AlertKind::PauseFailed,
                    budget,
                    title,
                    problems.join("; "),
                    now_ms,
                )
            }
            Err(e) => {
                tracing::warn!(%e, "auto-resume failed; retrying on the next pass");
                Ok(())
            }
        }
    }

    fn alert(
        &self,
        kind: AlertKind,
        budget: &Budget,
        title: String,
        body: String,
        now_ms: i64,
    ) -> Result<()> {
        raise(
            &self.store,
            self.notifier.as_ref(),
            kind,
            Some(budget.id),
            Notification { title, body },
            now_ms,
        )
        .map(|_| ())
    }
}

/// "$20.01 of $20 today".
fn amounts(budget: &Budget, spent: NanoUsd) -> String {
    format!(
        "{} of {} {}",
        spent.display(),
        NanoUsd::from_usd(budget.draft.limit_usd).display_limit(),
        budget.draft.window.phrase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::notifier::RecordingNotifier;
    use crate::budget::model::{BudgetDraft, BudgetScope, BudgetWindow};
    use crate::budget::spend::tests::add_call;

    #[tokio::test(flavor = "current_thread")]
    async fn thresholds_alert_once_and_a_limit_without_gateway_says_nothing_was_paused() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let notifier = Arc::new(RecordingNotifier::default());
        let enforcer = BudgetEnforcer::new(store.clone(), notifier.clone(), None);
        let now: Zoned = "2026-11-21T12:00[UTC]".parse().unwrap();
        let ms = now.timestamp().as_millisecond();
        store
            .with_conn(|c| {
                store::add(
                    c,
                    BudgetDraft {
                        name: "Daily".into(),
                        scope: BudgetScope::All,
                        window: BudgetWindow::Day,
                        limit_usd: 1.0,
                        thresholds: vec![],
                        action: BudgetAction::Pause,
                        auto_resume: false,
                    },
                    ms,
                )
            })
            .unwrap();
        add_call(&store, "a", "agent:main:main", "m", ms - 1000, 600_000_000);
        let statuses = enforcer.pass(&now).await.unwrap();
        assert_eq!(statuses[0].label, "$0.60 / $1");
        enforcer.pass(&now).await.unwrap();
        add_call(&store, "b", "agent:main:main", "m", ms - 500, 400_000_000);
        enforcer.pass(&now).await.unwrap();
        enforcer.pass(&now).await.unwrap();
        let titles: Vec<String> = notifier.sent().into_iter().map(|n| n.title).collect();
        assert_eq!(
            titles,
            vec![
                "Budget “Daily” at 50%",
                "Budget “Daily” reached — nothing paused"
            ]
        );
        let alerts = store.with_conn(|c| crate::alerts::recent(c, 10)).unwrap();
        assert_eq!(alerts.len(), 2);
        assert_eq!(
            alerts[0].body,
            "$1.00 of $1 today. No OpenClaw gateway is configured, so nothing could be paused."
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_budget_loop_raises_anomalies_once() {
        use crate::anomaly::tests::{call, write};
        let store = Arc::new(Store::open_in_memory().unwrap());
        let notifier = Arc::new(RecordingNotifier::default());
        let enforcer = BudgetEnforcer::new(store.clone(), notifier.clone(), None);
        let now: Zoned = "2026-11-21T12:00[UTC]".parse().unwrap();
        let ms = now.timestamp().as_millisecond();
        // The default rule: the same tool call 10 times in a session.
        let lines: Vec<String> = (0..10)
            .map(|i| {
                call(
                    &format!("l{i}"),
                    ms - i * 60_000,
                    r#"{"cmd":"ls"}"#,
                    5,
                    false,
                )
            })
            .collect();
        write(&store, "agent:main:loop", &lines);
        enforcer.pass(&now).await.unwrap();
        enforcer.pass(&now).await.unwrap();
        let sent = notifier.sent();
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].title, "Runaway loop");
        let alerts = store.with_conn(|c| crate::alerts::recent(c, 5)).unwrap();
        assert_eq!(alerts[0].kind, AlertKind::Anomaly);
    }

    #[tokio::test]
    async fn a_budget_that_fails_is_shown_on_its_row_and_the_others_are_still_enforced() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let notifier = Arc::new(RecordingNotifier::default());
        let enforcer = BudgetEnforcer::new(store.clone(), notifier.clone(), None);
        let now: Zoned = "2026-11-21T12:00[UTC]".parse().unwrap();
        let now_ms = now.timestamp().as_millisecond();
        let (failing, enforced) = store
            .with_conn(|c| {
                let draft = |name: &str| BudgetDraft {
                    name: name.into(),
                    scope: BudgetScope::All,
                    window: BudgetWindow::Day,
                    limit_usd: 1.0,
                    thresholds: vec![100],
                    action: BudgetAction::Alert,
                    auto_resume: false,
                };
                let failing = store::add(c, draft("Broken"), now_ms)?;
                let enforced = store::add(c, draft("Daily"), now_ms)?;
                // The store refuses to record the first budget's state (a damaged page, a full
                // disk for that row): its pass fails, the second's must not.
                c.execute_batch(&format!(
                    "CREATE TRIGGER refuse BEFORE INSERT ON budget_state WHEN NEW.budget_id = {}
                     BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
                    failing.id
                ))?;
                Ok((failing.id, enforced.id))
            })
            .unwrap();
        add_call(
            &store,
            "c1",
            "agent:main:main",
            "m",
            now_ms - 1000,
            1_500_000_000,
        );
        let statuses = enforcer.pass(&now).await.unwrap();
        let row = |id: i64| statuses.iter().find(|s| s.budget.id == id).unwrap();
        let problem = row(failing).problem.as_deref().unwrap_or_default();
        assert!(
            problem.starts_with("not enforced:") && problem.contains("disk I/O error"),
            "{problem}"
        );
        assert_eq!(row(enforced).problem, None);
        let sent: Vec<String> = notifier.sent().into_iter().map(|n| n.title).collect();
        assert_eq!(
            sent,
            ["Budget “Daily” reached"],
            "the other budget still alerts"
        );
    }
}
