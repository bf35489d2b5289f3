//! Anomaly rules: patterns that mean money is being burnt for nothing, checked on the same
//! path as budgets (alert, optionally pause).

use serde::{Deserialize, Serialize};

use crate::budget::BudgetAction;
use clawtower_core::error::{EngineError, Result};

/// A pattern to watch for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AnomalyRule {
    /// More than this many tokens per minute over the last 5 minutes, all sessions together.
    TokenVelocity {
        /// Tokens per minute (input + output + cache).
        #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
        tokens_per_minute: u64,
    },
    /// The same tool with the same arguments this many times in one session within 30 minutes.
    RunawayLoop {
        /// Repeats.
        repeats: u32,
    },
    /// This many errors (failed tool results, model errors) within `minutes`.
    ErrorSpike {
        /// Errors.
        errors: u32,
        /// Window.
        minutes: u32,
    },
    /// A session working without a 10-minute break for longer than this.
    LongRun {
        /// Minutes.
        minutes: u32,
    },
    /// One session costing more than this in total.
    SessionCost {
        /// USD.
        usd: f64,
    },
}

impl AnomalyRule {
    /// What it watches for, in words.
    pub fn describe(&self) -> String {
        match self {
            AnomalyRule::TokenVelocity { tokens_per_minute } => {
                format!("more than {tokens_per_minute} tokens a minute")
            }
            AnomalyRule::RunawayLoop { repeats } => {
                format!("the same tool call {repeats} times in a session")
            }
            AnomalyRule::ErrorSpike { errors, minutes } => {
                format!("{errors} errors within {minutes} min")
            }
            AnomalyRule::LongRun { minutes } => {
                format!("a session running longer than {minutes} min")
            }
            AnomalyRule::SessionCost { usd } => format!("a session costing more than ${usd}"),
        }
    }

    fn validate(&self) -> Result<()> {
        let ok = match self {
            AnomalyRule::TokenVelocity { tokens_per_minute } => *tokens_per_minute > 0,
            AnomalyRule::RunawayLoop { repeats } => *repeats >= 2,
            AnomalyRule::ErrorSpike { errors, minutes } => {
                *errors > 0 && (1..=1440).contains(minutes)
            }
            AnomalyRule::LongRun { minutes } => (1..=10_080).contains(minutes),
            AnomalyRule::SessionCost { usd } => usd.is_finite() && *usd > 0.0,
        };
        if ok {
            Ok(())
        } else {
            Err(EngineError::InvalidInput(format!(
                "anomaly rule \"{}\": give positive numbers (repeats ≥ 2, minutes 1–1440 for errors, up to a week for runs)",
                self.describe()
            )))
        }
    }
}

/// A rule and what to do when it fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AnomalyDraft {
    /// The pattern.
    pub rule: AnomalyRule,
    /// Alert only, or alert and pause (the session for per-session rules, else everything).
    pub action: BudgetAction,
}

impl AnomalyDraft {
    /// Checks the thresholds.
    pub fn validated(self) -> Result<Self> {
        self.rule.validate()?;
        Ok(self)
    }
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Anomaly {
    /// Stable id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Its definition.
    #[serde(flatten)]
    pub draft: AnomalyDraft,
    /// Why it could not be checked on the last pass, when it could not (the others still are).
    pub problem: Option<String>,
}
