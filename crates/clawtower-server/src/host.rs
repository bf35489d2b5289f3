//! The runtime's host under `clawtower serve`: events go to every browser on
//! `/api/v1/events`; notifications to the log (browsers see alerts as `alerts-changed`).

use std::sync::Arc;

use clawtower_control::alerts::{Notification, NotifyError};
use clawtower_runtime::{Event, Host};
use tokio::sync::broadcast;

use crate::state::WireEvent;

/// Serve's host.
pub struct ServeHost {
    events: broadcast::Sender<WireEvent>,
}

impl ServeHost {
    /// A host whose events are broadcast to the event streams of [`crate::Server`].
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(256);
        ServeHost { events }
    }

    pub(crate) fn events(&self) -> broadcast::Sender<WireEvent> {
        self.events.clone()
    }
}

impl Default for ServeHost {
    fn default() -> Self {
        Self::new()
    }
}

impl Host for ServeHost {
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        tracing::info!(title = %notification.title, body = %notification.body, "alert");
        Ok(())
    }

    fn emit(&self, event: &Event) {
        // No browser listening is fine: nothing to deliver.
        let payload = Arc::new(event.payload().to_string());
        let _ = self.events.send((event.name(), payload));
    }
}
