//! What the model router asks before it sends a call: may this call go, given the budgets? The
//! router holds the returned [`Ticket`] until the call is in the ledger, so what a call may cost
//! stays reserved while it runs and no two calls can both take the last of a budget. Budgets
//! implement [`Gate`] (`clawtower-control`); the router only knows this trait.

use crate::money::NanoUsd;

/// A call about to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    /// The agent it is made for (the router key's agent).
    pub agent_id: String,
    /// The session key it is stored under.
    pub session_key: String,
    /// The provider it goes to.
    pub provider: String,
    /// The model, as the provider names it.
    pub model: String,
    /// The most it can cost (its input at most one token per byte, plus its output limit);
    /// `None` when the model has no price.
    pub worst_case: Option<NanoUsd>,
    /// A budget the caller's key answers to, whatever that budget's scope or action.
    pub budget_id: Option<i64>,
}

/// Why a call may not go: said to the client as is (never "billing" or "quota" wording, which
/// makes OpenClaw disable a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// A call's reservation; released when dropped (after the call is stored).
pub struct Ticket(Option<Box<dyn FnOnce() + Send>>);

impl Ticket {
    /// A ticket that releases with `release`.
    pub fn new(release: impl FnOnce() + Send + 'static) -> Self {
        Ticket(Some(Box::new(release)))
    }

    /// A ticket that holds nothing.
    pub fn free() -> Self {
        Ticket(None)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            release();
        }
    }
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Ticket(held)"
        } else {
            "Ticket(free)"
        })
    }
}

/// Decides whether calls may go.
pub trait Gate: Send + Sync {
    /// Admits `call` (reserving its worst case) or refuses it.
    fn admit(&self, call: &Admission) -> Result<Ticket, Refusal>;
}
