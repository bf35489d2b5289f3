//! The engine's [`Notifier`] on the desktop: native notifications via tauri-plugin-notification.

use clawtower_engine::notifier::{Notification, Notifier, NotifyError};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Shows notifications through the OS (org.freedesktop.Notifications on Linux).
pub struct DesktopNotifier {
    app: AppHandle,
}

impl DesktopNotifier {
    /// A notifier for this app.
    pub fn new(app: AppHandle) -> Self {
        DesktopNotifier { app }
    }
}

impl Notifier for DesktopNotifier {
    /// Hands the notification to the OS. The plugin delivers asynchronously and cannot report a
    /// lost notification, which is why every alert is also mirrored in the app and the tray.
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        self.app
            .notification()
            .builder()
            .title(&notification.title)
            .body(&notification.body)
            .show()
            .map_err(|err| NotifyError(err.to_string()))
    }
}
