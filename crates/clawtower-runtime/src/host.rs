//! The narrow trait through which the runtime reaches its host (the desktop app, `clawtower
//! serve`, the CLI), the events it pushes, and a recording host for tests.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use clawtower_control::alerts::{Notification, NotifyError};
use clawtower_control::BudgetBoard;
use clawtower_feeds::feed::GatewayStatus;
use clawtower_feeds::live::Activity;
use clawtower_ledger::report::SpendSummary;
use clawtower_store::model_calls::ModelCall;

/// What the runtime needs from the program it runs in. Every method is called from the async
/// runtime's threads (never the UI's main thread) and must not block for long.
pub trait Host: Send + Sync + 'static {
    /// Shows a notification to the user (native on the desktop; stderr or nothing headless). An
    /// error means it certainly was not shown (the alert history says so).
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError>;

    /// Pushes an event to whoever watches: the window, browsers on `/api/v1/events`, a terminal.
    fn emit(&self, event: &Event);

    /// Told about each call stored since the runtime started, once, in the order stored, whichever
    /// source stored it (the CLI prints it). Nothing by default.
    fn call_stored(&self, _call: &ModelCall) {}

    /// Who acts through this host, as the audit log names it: `app` (the desktop app), `cli`
    /// or `api` (HTTP, the browser UI included).
    fn actor(&self) -> &'static str {
        "api"
    }

    /// Launch at login, where the host has it (the desktop app); `None` elsewhere.
    fn autostart(&self) -> Option<&dyn Autostart> {
        None
    }
}

/// Starting with the user's session (desktop only).
pub trait Autostart: Send + Sync {
    /// Whether Clawtower starts at login now.
    fn is_enabled(&self) -> Result<bool, String>;
    /// Turns starting at login on or off.
    fn set_enabled(&self, enabled: bool) -> Result<(), String>;
}

/// Something that changed, pushed to the host as it happens (see docs/ipc-contract.md).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Spend so far changed.
    SpendUpdated(SpendSummary),
    /// A gateway was added or removed, or a connection changed state: every gateway.
    GatewaysChanged(Vec<GatewayStatus>),
    /// One live item from a gateway (run started or ended, tool, cron run, sub-agent).
    GatewayActivity(Activity),
    /// Budgets, their figures, pauses or the number of unacknowledged alerts changed.
    BudgetBoardChanged(BudgetBoard),
    /// A new alert was recorded.
    AlertsChanged,
    /// Transcripts of these sessions got new entries (an open timeline reads them again).
    SessionsChanged(ChangedSessions),
    /// The model router stored calls or refusals (its request log reads itself again); at
    /// most about once a second while calls flow.
    RouterActivityChanged,
}

/// The sessions whose transcripts got new entries in one pass of the ledger watcher.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ChangedSessions {
    /// Their keys (empty when `many`).
    pub keys: Vec<String>,
    /// More than [`ChangedSessions::MAX_KEYS`] changed (an import): treat every session as changed.
    pub many: bool,
}

impl ChangedSessions {
    /// The most keys one event names.
    pub const MAX_KEYS: usize = 200;

    /// The event for these keys.
    pub fn of(keys: impl ExactSizeIterator<Item = String>) -> Self {
        if keys.len() > Self::MAX_KEYS {
            ChangedSessions {
                keys: Vec::new(),
                many: true,
            }
        } else {
            ChangedSessions {
                keys: keys.collect(),
                many: false,
            }
        }
    }
}

impl Event {
    /// Every event name, as the UI subscribes to them.
    pub const NAMES: [&'static str; 7] = [
        "spend-updated",
        "gateways-changed",
        "gateway-activity",
        "budget-board-changed",
        "alerts-changed",
        "sessions-changed",
        "router-activity-changed",
    ];

    /// The event's name on the wire (`spend-updated`, …).
    pub fn name(&self) -> &'static str {
        let index = match self {
            Event::SpendUpdated(_) => 0,
            Event::GatewaysChanged(_) => 1,
            Event::GatewayActivity(_) => 2,
            Event::BudgetBoardChanged(_) => 3,
            Event::AlertsChanged => 4,
            Event::SessionsChanged(_) => 5,
            Event::RouterActivityChanged => 6,
        };
        Self::NAMES[index]
    }

    /// The payload as JSON, exactly as the desktop app sends it to its window.
    pub fn payload(&self) -> serde_json::Value {
        let value = match self {
            Event::SpendUpdated(summary) => serde_json::to_value(summary),
            Event::GatewaysChanged(all) => serde_json::to_value(all),
            Event::GatewayActivity(item) => serde_json::to_value(item),
            Event::BudgetBoardChanged(board) => serde_json::to_value(board),
            Event::AlertsChanged | Event::RouterActivityChanged => Ok(serde_json::Value::Null),
            Event::SessionsChanged(changed) => serde_json::to_value(changed),
        };
        // These types serialize plain data (no maps with non-string keys): cannot fail.
        value.unwrap_or(serde_json::Value::Null)
    }
}

/// A host for tests: records every notification, event and stored call.
#[derive(Debug, Default)]
pub struct RecordingHost {
    notifications: Mutex<Vec<Notification>>,
    events: Mutex<Vec<Event>>,
    calls: Mutex<Vec<ModelCall>>,
}

impl RecordingHost {
    /// Every notification shown so far.
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.notifications).clone()
    }

    /// Every event emitted so far, oldest first.
    pub fn events(&self) -> Vec<Event> {
        lock(&self.events).clone()
    }

    /// Every call a gateway feed stored so far.
    pub fn calls(&self) -> Vec<ModelCall> {
        lock(&self.calls).clone()
    }

    /// Waits (polling) until `done` holds for this host, up to `timeout`; returns whether it did.
    pub async fn wait_until(&self, timeout: Duration, done: impl Fn(&Self) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while !done(self) {
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        true
    }
}

impl Host for RecordingHost {
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        lock(&self.notifications).push(notification.clone());
        Ok(())
    }

    fn emit(&self, event: &Event) {
        lock(&self.events).push(event.clone());
    }

    fn call_stored(&self, call: &ModelCall) {
        lock(&self.calls).push(call.clone());
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_has_its_wire_name_and_payload() {
        assert_eq!(Event::AlertsChanged.name(), "alerts-changed");
        assert_eq!(Event::AlertsChanged.payload(), serde_json::Value::Null);
        let board = Event::BudgetBoardChanged(BudgetBoard::default());
        assert_eq!(board.name(), "budget-board-changed");
        assert!(board.payload()["budgets"].is_array());
        assert_eq!(Event::GatewaysChanged(vec![]).name(), "gateways-changed");
        let one = Event::SessionsChanged(ChangedSessions::of(
            ["agent:main:main".to_string()].into_iter(),
        ));
        assert_eq!(one.name(), "sessions-changed");
        assert_eq!(
            one.payload(),
            serde_json::json!({"keys": ["agent:main:main"], "many": false})
        );
        let import = ChangedSessions::of((0..ChangedSessions::MAX_KEYS + 1).map(|i| i.to_string()));
        assert!(import.many && import.keys.is_empty());
    }
}
