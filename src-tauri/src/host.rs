//! The runtime's host on the desktop: native notifications, events to the window and the tray,
//! launch at login.

use std::sync::Mutex;

use clawtower_control::alerts::{Notification, NotifyError};
use clawtower_control::BudgetBoard;
use clawtower_feeds::feed::GatewayStatus;
use clawtower_runtime::{Autostart, Event, Host};
use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event as _;

use crate::bindings::{
    AlertsChanged, BudgetBoardChanged, GatewayActivity, GatewaysChanged, RouterActivityChanged,
    SessionsChanged, SpendUpdated,
};
use crate::tray;

/// The desktop host.
pub struct DesktopHost {
    app: AppHandle,
    /// What the tray shows next; see [`DesktopHost::to_tray`].
    pending: Mutex<TrayInputs>,
    autostart: DesktopAutostart,
}

/// The latest figures for the tray not yet rendered.
#[derive(Default)]
struct TrayInputs {
    spend_label: Option<String>,
    board: Option<BudgetBoard>,
    gateways: Option<Vec<GatewayStatus>>,
}

impl DesktopHost {
    /// The host for this app.
    pub fn new(app: AppHandle) -> Self {
        DesktopHost {
            autostart: DesktopAutostart(app.clone()),
            app,
            pending: Mutex::default(),
        }
    }

    /// Hands the latest figures to the tray from the async runtime, never inline: a tray
    /// update waits for the main thread, so one made on the main thread (the runtime starts
    /// there) while another thread renders the tray would deadlock. Each task applies whatever
    /// is latest when it runs, so tasks that run out of order still end on the latest figures.
    fn to_tray(&self, put: impl FnOnce(&mut TrayInputs)) {
        put(&mut self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let app = self.app.clone();
        tauri::async_runtime::spawn(async move {
            let host = app.state::<std::sync::Arc<DesktopHost>>();
            let inputs =
                std::mem::take(&mut *host.pending.lock().unwrap_or_else(|p| p.into_inner()));
            tray::update(&app, |model| {
                if let Some(label) = inputs.spend_label {
                    model.spend_label = label;
                }
                if let Some(board) = inputs.board {
                    model.board = board;
                }
                if let Some(gateways) = inputs.gateways {
                    model.gateways = gateways;
                }
            });
        });
    }
}

use tauri::Manager as _;

impl Host for DesktopHost {
    fn actor(&self) -> &'static str {
        "app"
    }

    /// Hands the notification to the OS (org.freedesktop.Notifications on Linux). The plugin
    /// delivers asynchronously and cannot report a lost notification, which is why every alert
    /// is also mirrored in the app and the tray.
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        self.app
            .notification()
            .builder()
            .title(&notification.title)
            .body(&notification.body)
            .show()
            .map_err(|err| NotifyError(err.to_string()))
    }

    fn emit(&self, event: &Event) {
        let sent = match event.clone() {
            Event::SpendUpdated(summary) => {
                let label = summary.tray_label.clone();
                self.to_tray(|t| t.spend_label = Some(label));
                SpendUpdated(summary).emit(&self.app)
            }
            Event::GatewaysChanged(all) => {
                let for_tray = all.clone();
                self.to_tray(|t| t.gateways = Some(for_tray));
                GatewaysChanged(all).emit(&self.app)
            }
            Event::GatewayActivity(item) => GatewayActivity(item).emit(&self.app),
            Event::BudgetBoardChanged(board) => {
                let for_tray = board.clone();
                self.to_tray(|t| t.board = Some(for_tray));
                BudgetBoardChanged(board).emit(&self.app)
            }
            Event::AlertsChanged => AlertsChanged.emit(&self.app),
            Event::SessionsChanged(changed) => SessionsChanged(changed.clone()).emit(&self.app),
            Event::RouterActivityChanged => RouterActivityChanged.emit(&self.app),
        };
        if let Err(err) = sent {
            tracing::warn!(%err, event = event.name(), "could not send an event to the window");
        }
    }

    fn autostart(&self) -> Option<&dyn Autostart> {
        Some(&self.autostart)
    }
}

/// Launch at login through tauri-plugin-autostart (an XDG autostart entry on Linux).
struct DesktopAutostart(AppHandle);

impl Autostart for DesktopAutostart {
    fn is_enabled(&self) -> Result<bool, String> {
        self.0.autolaunch().is_enabled().map_err(|e| e.to_string())
    }

    fn set_enabled(&self, enabled: bool) -> Result<(), String> {
        let autolaunch = self.0.autolaunch();
        if enabled {
            autolaunch.enable()
        } else {
            autolaunch.disable()
        }
        .map_err(|e| e.to_string())
    }
}
