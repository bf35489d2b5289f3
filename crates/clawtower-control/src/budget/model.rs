//! What a budget is: a scope, a window, a USD limit, warning thresholds and an action.

use clawtower_core::session_key::{agent_of, cron_job_of};
use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};

/// Which model calls count against a budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum BudgetScope {
    /// Every call.
    All,
    /// Calls of one agent (`main`).
    Agent(String),
    /// Calls to one model: `provider/model`, or a bare model id for any provider.
    Model(String),
    /// Calls to one provider (`anthropic`).
    Provider(String),
    /// Calls in one session (its OpenClaw session key).
    Session(String),
    /// Calls in the runs of one cron job (sessions `agent:<id>:cron:<job>[:run:<sid>]`).
    CronJob(String),
}

impl BudgetScope {
    /// Parses the CLI form: `all`, `agent:<id>`, `model:<provider/model>`, `provider:<id>`,
    /// `session:<key>`, `cron:<job id>`.
    pub fn parse(text: &str) -> Result<Self> {
        if text == "all" {
            return Ok(BudgetScope::All);
        }
        let (kind, value) = text.split_once(':').ok_or_else(|| {
            EngineError::InvalidInput(format!(
                "scope `{text}`: use all, agent:<id>, model:<provider/model>, provider:<id>, session:<key> or cron:<job>"
            ))
        })?;
        let value = value.trim().to_string();
        if value.is_empty() {
            return Err(EngineError::InvalidInput(format!(
                "scope `{text}` names nothing"
            )));
        }
        Ok(match kind {
            "agent" => BudgetScope::Agent(value),
            "model" => BudgetScope::Model(value),
            "provider" => BudgetScope::Provider(value),
            "session" => BudgetScope::Session(value),
            "cron" => BudgetScope::CronJob(value),
            _ => {
                return Err(EngineError::InvalidInput(format!(
                    "scope kind `{kind}`: use agent, model, provider, session or cron"
                )))
            }
        })
    }

    /// Whether a call with these dimensions counts in this scope (as the ledger's spend query
    /// selects calls: a model scope matches `provider/model` or the bare model id).
    pub fn covers_call(&self, agent: &str, session_key: &str, provider: &str, model: &str) -> bool {
        match self {
            BudgetScope::All => true,
            BudgetScope::Agent(id) => id == agent,
            BudgetScope::Model(m) => {
                m == model
                    || m.strip_prefix(provider)
                        .and_then(|rest| rest.strip_prefix('/'))
                        .is_some_and(|rest| rest == model)
            }
            BudgetScope::Provider(p) => p == provider,
            BudgetScope::Session(key) => key == session_key,
            BudgetScope::CronJob(job) => cron_job_of(session_key) == Some(job.as_str()),
        }
    }

    /// The CLI form (inverse of [`BudgetScope::parse`]).
    pub fn to_text(&self) -> String {
        match self {
            BudgetScope::All => "all".into(),
            BudgetScope::Agent(v) => format!("agent:{v}"),
            BudgetScope::Model(v) => format!("model:{v}"),
            BudgetScope::Provider(v) => format!("provider:{v}"),
            BudgetScope::Session(v) => format!("session:{v}"),
            BudgetScope::CronJob(v) => format!("cron:{v}"),
        }
    }

    /// What the scope covers, in words: "all spend", "agent research", "cron job nightly".
    pub fn in_words(&self) -> String {
        match self {
            BudgetScope::All => "all spend".into(),
            BudgetScope::Agent(v) => format!("agent {v}"),
            BudgetScope::Model(v) => format!("model {v}"),
            BudgetScope::Provider(v) => format!("provider {v}"),
            BudgetScope::Session(v) => format!("session {v}"),
            BudgetScope::CronJob(v) => format!("cron job {v}"),
        }
    }

    /// The agent this scope is limited to, when it is one agent's.
    pub fn agent(&self) -> Option<&str> {
        match self {
            BudgetScope::Agent(id) => Some(id),
            BudgetScope::Session(key) => agent_of(key),
            _ => None,
        }
    }
}

/// The period a budget's limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "hours", rename_all = "camelCase")]
pub enum BudgetWindow {
    /// The calendar day in the user's time zone.
    Day,
    /// The ISO week (Monday to Sunday).
    Week,
    /// The calendar month.
    Month,
    /// The last N hours, sliding.
    Rolling(u32),
}

impl BudgetWindow {
    /// Parses `day`, `week`, `month` or `<N>h`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "day" | "daily" => Ok(BudgetWindow::Day),
            "week" | "weekly" => Ok(BudgetWindow::Week),
            "month" | "monthly" => Ok(BudgetWindow::Month),
            _ => text
                .strip_suffix('h')
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| (1..=24 * 366).contains(n))
                .map(BudgetWindow::Rolling)
                .ok_or_else(|| {
                    EngineError::InvalidInput(format!(
                        "window `{text}`: use day, week, month or a number of hours like 6h (1 to 8784)"
                    ))
                }),
        }
    }

    /// The CLI form.
    pub fn to_text(self) -> String {
        match self {
            BudgetWindow::Day => "day".into(),
            BudgetWindow::Week => "week".into(),
            BudgetWindow::Month => "month".into(),
            BudgetWindow::Rolling(h) => format!("{h}h"),
        }
    }

    /// The window as an adjective: "Daily", "Weekly", "Monthly", "6-hour".
    pub fn adjective(self) -> String {
        match self {
            BudgetWindow::Day => "Daily".into(),
            BudgetWindow::Week => "Weekly".into(),
            BudgetWindow::Month => "Monthly".into(),
            BudgetWindow::Rolling(h) => format!("{h}-hour"),
        }
    }

    /// How often a limit applies: "a day", "a week", "a month", "per 6 hours", "an hour".
    pub fn per(self) -> String {
        match self {
            BudgetWindow::Day => "a day".into(),
            BudgetWindow::Week => "a week".into(),
            BudgetWindow::Month => "a month".into(),
            BudgetWindow::Rolling(1) => "an hour".into(),
            BudgetWindow::Rolling(h) => format!("per {h} hours"),
        }
    }

    /// How the window reads after an amount: "today", "this week", "in the last 6 h".
    pub fn phrase(self) -> String {
        match self {
            BudgetWindow::Day => "today".into(),
            BudgetWindow::Week => "this week".into(),
            BudgetWindow::Month => "this month".into(),
            BudgetWindow::Rolling(h) => format!("in the last {h} h"),
        }
    }
}

/// What happens when spend reaches the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum BudgetAction {
    /// Alert only.
    Alert,
    /// Alert and pause the gateway (or the agent, for an agent-scoped budget).
    Pause,
}

/// Warning thresholds when none are given: 50 %, 80 %, 100 %.
pub const DEFAULT_THRESHOLDS: [u32; 3] = [50, 80, 100];

/// A budget as the user defines it (no id yet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BudgetDraft {
    /// A name to show ("Daily cap").
    pub name: String,
    /// Which calls count.
    pub scope: BudgetScope,
    /// The period.
    pub window: BudgetWindow,
    /// The limit, USD.
    pub limit_usd: f64,
    /// Percentages of the limit that alert once per window (sorted, 1..=1000).
    pub thresholds: Vec<u32>,
    /// What happens at 100 %.
    pub action: BudgetAction,
    /// Resume automatically when the window rolls over (pause budgets only).
    pub auto_resume: bool,
}

/// The longest rolling window: the hours of a leap year.
pub const MAX_ROLLING_HOURS: u32 = 8784;

impl BudgetDraft {
    /// A readable name for a budget given none: "Daily cap", "Weekly cap for agent research",
    /// "6-hour cap for model openai/gpt-4o".
    pub fn generated_name(&self) -> String {
        let cap = format!("{} cap", self.window.adjective());
        match &self.scope {
            BudgetScope::All => cap,
            scope => format!("{cap} for {}", scope.in_words()),
        }
    }

    /// Checks and normalizes the draft: a name, a positive limit, a rolling window of 1 to
    /// [`MAX_ROLLING_HOURS`] hours, sane thresholds.
    pub fn validated(mut self) -> Result<Self> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            self.name = self.generated_name();
        }
        if !self.limit_usd.is_finite() || self.limit_usd <= 0.0 || self.limit_usd > 1e9 {
            return Err(EngineError::InvalidInput(format!(
                "limit {}: give a positive amount in USD, at most 1,000,000,000",
                self.limit_usd
            )));
        }
        if let BudgetWindow::Rolling(hours) = self.window {
            if !(1..=MAX_ROLLING_HOURS).contains(&hours) {
                return Err(EngineError::InvalidInput(format!(
                    "a rolling window of {hours} h: use 1 to {MAX_ROLLING_HOURS} hours (a leap year)"
                )));
            }
        }
        if self.thresholds.is_empty() {
            self.thresholds = DEFAULT_THRESHOLDS.to_vec();
        }
        if let Some(bad) = self.thresholds.iter().find(|t| !(1..=1000).contains(*t)) {
            return Err(EngineError::InvalidInput(format!(
                "threshold {bad}%: use percentages from 1 to 1000"
            )));
        }
        self.thresholds.sort_unstable();
        self.thresholds.dedup();
        Ok(self)
    }
}

/// A stored budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    /// Stable id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Its definition.
    #[serde(flatten)]
    pub draft: BudgetDraft,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_windows_round_trip_through_their_text() {
        for text in [
            "all",
            "agent:main",
            "model:anthropic/claude-sonnet-4-5",
            "provider:openai",
            "session:agent:main:main",
            "cron:nightly",
        ] {
            assert_eq!(BudgetScope::parse(text).unwrap().to_text(), text);
        }
        for text in ["day", "week", "month", "6h"] {
            assert_eq!(BudgetWindow::parse(text).unwrap().to_text(), text);
        }
        assert!(BudgetScope::parse("team:x").is_err());
        assert!(BudgetScope::parse("agent:").is_err());
        assert!(BudgetWindow::parse("0h").is_err());
        assert!(BudgetWindow::parse("fortnight").is_err());
        assert_eq!(
            BudgetScope::parse("session:agent:ops:cron:x")
                .unwrap()
                .agent(),
            Some("ops")
        );
    }

    #[test]
    fn drafts_are_validated_and_normalized() {
        let draft = BudgetDraft {
            name: "  ".into(),
            scope: BudgetScope::All,
            window: BudgetWindow::Day,
            limit_usd: 20.0,
            thresholds: vec![80, 50, 80],
            action: BudgetAction::Pause,
            auto_resume: true,
        };
        let ok = draft.clone().validated().unwrap();
        assert_eq!(ok.name, "Daily cap");
        let named = |scope, window| {
            BudgetDraft {
                scope,
                window,
                ..draft.clone()
            }
            .validated()
            .unwrap()
            .name
        };
        assert_eq!(
            named(BudgetScope::Agent("research".into()), BudgetWindow::Month),
            "Monthly cap for agent research"
        );
        assert_eq!(
            named(
                BudgetScope::CronJob("nightly".into()),
                BudgetWindow::Rolling(6)
            ),
            "6-hour cap for cron job nightly"
        );
        assert_eq!(ok.thresholds, vec![50, 80]);
        let none = BudgetDraft {
            thresholds: vec![],
            ..draft.clone()
        }
        .validated()
        .unwrap();
        assert_eq!(none.thresholds, DEFAULT_THRESHOLDS.to_vec());
        assert!(BudgetDraft {
            limit_usd: 0.0,
            ..draft.clone()
        }
        .validated()
        .is_err());
        assert!(BudgetDraft {
            limit_usd: f64::NAN,
            ..draft.clone()
        }
        .validated()
        .is_err());
        assert!(BudgetDraft {
            thresholds: vec![0],
            ..draft
        }
        .validated()
        .is_err());
    }
}
