//! The router's hard budget gate. A call in the scope of an active pause, or of a pausing budget
//! that is spent, is refused before it is sent; otherwise the most it can cost is reserved on
//! every pausing budget whose scope it is in, and released once the call is in the ledger. Check
//! and reservation happen under one lock, so concurrent calls cannot together pass a limit (the
//! check-then-increment race that lets other routers overshoot).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::Zoned;

use crate::budget::status::measure;
use crate::budget::{store, Budget, BudgetAction, BudgetScope};
use crate::pause::record::{self, PauseRecord};
use clawtower_core::gate::{Admission, Gate, Refusal, Ticket};
use clawtower_core::NanoUsd;
use clawtower_store::{PolicyCache, Store};
use rusqlite::Connection;

/// Budgets as a gate for the model router.
pub struct BudgetGate {
    /// The active pauses and the budgets, kept in memory while they do not change.
    policy: PolicyCache<Policy>,
    /// In-flight reservations per budget id, nano-USD.
    reserved: Arc<Mutex<HashMap<i64, i64>>>,
    now: fn() -> Zoned,
}

/// What the gate looks at first, for every call.
struct Policy {
    pauses: Vec<PauseRecord>,
    budgets: Vec<Budget>,
}

fn load_policy(conn: &Connection) -> clawtower_core::Result<Policy> {
    Ok(Policy {
        pauses: record::active(conn)?,
        budgets: store::list(conn)?,
    })
}

impl BudgetGate {
    /// A gate over the budgets and pauses in `store`, windows placed at `now()`.
    pub fn new(store: Arc<Store>, now: fn() -> Zoned) -> Self {
        let gate = BudgetGate {
            policy: PolicyCache::new(store, load_policy),
            reserved: Arc::default(),
            now,
        };
        // Read now, before calls come: else the first calls, arriving together, would each
        // read the pauses and budgets (each handing its worker's tasks to a new thread).
        let _ = gate.policy.get();
        gate
    }

    /// What is reserved on `budget_id` now (calls admitted, not yet stored).
    pub fn in_flight(&self, budget_id: i64) -> NanoUsd {
        NanoUsd(*lock(&self.reserved).get(&budget_id).unwrap_or(&0))
    }
}

fn lock(reserved: &Mutex<HashMap<i64, i64>>) -> std::sync::MutexGuard<'_, HashMap<i64, i64>> {
    reserved.lock().unwrap_or_else(|p| p.into_inner())
}

/// The refusal when the budgets cannot be read: no call they may cover goes out.
fn unreadable(e: clawtower_core::EngineError) -> Refusal {
    Refusal(format!(
        "Clawtower cannot read its budgets ({e}), so it does not send calls they may cover"
    ))
}

/// Whether a budget's or a pause's scope takes in `call`.
fn covers(scope: &BudgetScope, call: &Admission) -> bool {
    scope.covers_call(
        &call.agent_id,
        &call.session_key,
        &call.provider,
        &call.model,
    )
}

impl Gate for BudgetGate {
    fn admit(&self, call: &Admission) -> Result<Ticket, Refusal> {
        let now = (self.now)();
        // The pauses and budgets as kept in memory (no database read unless they changed);
        // only a call that budgets bound pays for measuring their spend.
        let policy = self.policy.get().map_err(unreadable)?;
        if let Some(pause) = policy.pauses.iter().find(|p| covers(&p.scope, call)) {
            return Err(Refusal(format!(
                "Clawtower has paused these calls ({}); resume in Clawtower to go on",
                pause.reason
            )));
        }
        let hard: Vec<&Budget> = policy
            .budgets
            .iter()
            .filter(|b| {
                (b.draft.action == BudgetAction::Pause && covers(&b.draft.scope, call))
                    || Some(b.id) == call.budget_id
            })
            .collect();
        if hard.is_empty() {
            return Ok(Ticket::free());
        }
        let checked = self.policy.store().read(|conn| {
            // Held from the first measure to the last reservation: check and reserve are one step.
            let mut reserved = lock(&self.reserved);
            let mut taken = Vec::new();
            for budget in hard {
                let name = &budget.draft.name;
                let limit = NanoUsd::from_usd(budget.draft.limit_usd);
                let spent = measure(conn, budget, &now)?.spent;
                let in_flight = NanoUsd(*reserved.get(&budget.id).unwrap_or(&0));
                let Some(worst) = call.worst_case else {
                    return Ok(Err(Refusal(format!(
                        "{}/{} has no price, so the Clawtower budget \"{name}\" cannot bound it; \
                         add its price to use it under this budget",
                        call.provider, call.model
                    ))));
                };
                if spent.0 >= limit.0 {
                    return Ok(Err(Refusal(format!(
                        "the Clawtower budget \"{name}\" is used up ({} of {}); calls resume when \
                         its window rolls over or the limit is raised",
                        spent.display(),
                        limit.display()
                    ))));
                }
                if spent.0.saturating_add(in_flight.0).saturating_add(worst.0) > limit.0 {
                    return Ok(Err(Refusal(format!(
                        "this call could cost up to {}, and the Clawtower budget \"{name}\" has {} \
                         left of {} ({} reserved by calls in progress); ask for fewer output \
                         tokens or wait",
                        worst.display(),
                        NanoUsd(limit.0 - spent.0).display(),
                        limit.display(),
                        in_flight.display()
                    ))));
                }
                taken.push((budget.id, worst.0));
            }
            for (id, amount) in &taken {
                *reserved.entry(*id).or_insert(0) += amount;
            }
            Ok(Ok(taken))
        });
        let taken = match checked {
            Ok(Ok(taken)) => taken,
            Ok(Err(refusal)) => return Err(refusal),
            Err(e) => return Err(unreadable(e)),
        };
        let reserved = self.reserved.clone();
        Ok(Ticket::new(move || {
            let mut reserved = lock(&reserved);
            for (id, amount) in taken {
                if let Some(left) = reserved.get_mut(&id) {
                    *left -= amount;
                    if *left <= 0 {
                        reserved.remove(&id);
                    }
                }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{BudgetDraft, BudgetScope, BudgetWindow};
    use clawtower_store::model_calls::insert;
    use clawtower_store::testing::sample;

    fn now() -> Zoned {
        "2026-12-03T12:00:00+00:00[UTC]".parse().unwrap()
    }

    fn call(agent: &str, worst_usd: Option<f64>) -> Admission {
        Admission {
            agent_id: agent.into(),
            session_key: "router:key-1".into(),
            provider: "stub".into(),
            model: "stub-model".into(),
            worst_case: worst_usd.map(NanoUsd::from_usd),
            budget_id: None,
        }
    }

    fn gate_with_budget(limit_usd: f64, spent_usd: f64) -> (BudgetGate, i64) {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let id = store
            .with_conn(|c| {
                let ts = now().timestamp().as_millisecond() - 60_000;
                insert(c, &sample("spent", ts, spent_usd))?;
                let draft = BudgetDraft {
                    name: "Coder cap".into(),
                    scope: BudgetScope::Agent("main".into()),
                    window: BudgetWindow::Day,
                    limit_usd,
                    thresholds: vec![],
                    action: BudgetAction::Pause,
                    auto_resume: false,
                }
                .validated()?;
                Ok(store::add(c, draft, 1)?.id)
            })
            .unwrap();
        (BudgetGate::new(store, now), id)
    }

    #[test]
    fn a_call_is_admitted_while_its_worst_case_fits_and_reserved_until_stored() {
        let (gate, id) = gate_with_budget(1.0, 0.5);
        let first = gate.admit(&call("main", Some(0.3))).unwrap();
        assert_eq!(gate.in_flight(id), NanoUsd::from_usd(0.3));
        let refused = gate.admit(&call("main", Some(0.3))).unwrap_err().0;
        assert!(
            refused.contains("could cost up to $0.30") && refused.contains("reserved"),
            "{refused}"
        );
        assert!(
            gate.admit(&call("other-agent", Some(5.0))).is_ok(),
            "outside the budget's scope"
        );
        drop(first);
        assert_eq!(gate.in_flight(id), NanoUsd::ZERO);
        assert!(gate.admit(&call("main", Some(0.3))).is_ok());
    }

    #[test]
    fn a_spent_budget_and_an_unpriced_model_are_refused_without_billing_words() {
        let (gate, _) = gate_with_budget(0.5, 0.5);
        let spent = gate.admit(&call("main", Some(0.0))).unwrap_err().0;
        assert!(spent.contains("used up"), "{spent}");
        let (gate, _) = gate_with_budget(1.0, 0.0);
        let unpriced = gate.admit(&call("main", None)).unwrap_err().0;
        assert!(unpriced.contains("has no price"), "{unpriced}");
        for text in [spent, unpriced] {
            let lower = text.to_lowercase();
            assert!(
                !lower.contains("billing") && !lower.contains("quota") && !lower.contains("402")
            );
        }
    }

    #[test]
    fn sixty_four_calls_at_once_never_reserve_past_the_limit() {
        let (gate, id) = gate_with_budget(1.0, 0.9);
        let gate = Arc::new(gate);
        let admitted: Vec<_> = (0..64)
            .map(|_| {
                let gate = gate.clone();
                std::thread::spawn(move || gate.admit(&call("main", Some(0.01))).ok())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|t| t.join().unwrap())
            .collect();
        assert_eq!(admitted.len(), 10, "$0.10 left, $0.01 each");
        assert_eq!(gate.in_flight(id), NanoUsd::from_usd(0.1));
    }
}
