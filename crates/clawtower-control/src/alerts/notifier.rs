//! Desktop notifications behind a trait, so alert logic is testable without a desktop.

use std::sync::Mutex;

/// A notification to show the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// One line, e.g. "Budget 80 % reached".
    pub title: String,
    /// Details, e.g. "$8.00 of $10.00 today".
    pub body: String,
}

/// Why a notification was not delivered.
#[derive(Debug, thiserror::Error)]
#[error("notification not delivered: {0}")]
pub struct NotifyError(pub String);

/// Something that shows notifications (the desktop, a test double, later webhooks…).
pub trait Notifier: Send + Sync {
    /// Shows `notification`; an error means it certainly was not delivered.
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError>;

    /// Told once an alert is stored with its delivery outcome (a UI can refresh its history
    /// then, not before). Does nothing by default.
    fn recorded(&self, _alert: &crate::alerts::Alert) {}
}

/// Test double: records every notification.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    sent: Mutex<Vec<Notification>>,
}

impl RecordingNotifier {
    /// Everything notified so far.
    pub fn sent(&self) -> Vec<Notification> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        self.sent
            .lock()
            .map_err(|_| NotifyError("recorder poisoned".into()))?
            .push(notification.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_in_order() {
        let n = RecordingNotifier::default();
        let dyn_n: &dyn Notifier = &n;
        for title in ["a", "b"] {
            dyn_n
                .notify(&Notification {
                    title: title.into(),
                    body: String::new(),
                })
                .unwrap();
        }
        let titles: Vec<_> = n.sent().into_iter().map(|x| x.title).collect();
        assert_eq!(titles, vec!["a", "b"]);
    }
}
