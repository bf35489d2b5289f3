//! The tray icon: spend so far as its title, and a menu.

use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::AppHandle;

use crate::window;

/// The tray icon's id.
pub const TRAY_ID: &str = "clawtower";

/// The tray menu's items, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TrayItem {
    OpenDashboard,
    PauseAll,
    Resume,
    Quit,
}

impl TrayItem {
    const ALL: [TrayItem; 4] = [
        TrayItem::OpenDashboard,
        TrayItem::PauseAll,
        TrayItem::Resume,
        TrayItem::Quit,
    ];

    fn id(self) -> &'static str {
        match self {
            TrayItem::OpenDashboard => "open-dashboard",
            TrayItem::PauseAll => "pause-all",
            TrayItem::Resume => "resume",
            TrayItem::Quit => "quit",
        }
    }

    fn from_id(id: &str) -> Option<TrayItem> {
        Self::ALL.into_iter().find(|item| item.id() == id)
    }
}

/// Creates the tray icon with its menu. Pause all / Resume stay disabled until budgets exist.
pub fn build(app: &AppHandle, title: &str) -> tauri::Result<()> {
    let item = |item: TrayItem, label: &str, enabled: bool| {
        MenuItem::with_id(app, item.id(), label, enabled, None::<&str>)
    };
    let menu = Menu::with_items(
        app,
        &[
            &item(TrayItem::OpenDashboard, "Open dashboard", true)?,
            &PredefinedMenuItem::separator(app)?,
            &item(TrayItem::PauseAll, "Pause all", false)?,
            &item(TrayItem::Resume, "Resume", false)?,
            &PredefinedMenuItem::separator(app)?,
            &item(TrayItem::Quit, "Quit Clawtower", true)?,
        ],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(include_bytes!("../../icons/tray.png"))?)
        .title(title)
        .tooltip(format!("Clawtower — {title}"))
        .menu(&menu)
        .on_menu_event(on_menu_event)
        .build(app)?;
    Ok(())
}

/// Sets the tray title (on Linux, the indicator label) to `label`.
pub fn set_spend_label(app: &AppHandle, label: &str) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Err(err) = tray.set_title(Some(label)) {
        tracing::warn!(%err, "could not update the tray title");
    }
    // Tooltips are unsupported on Linux; elsewhere they repeat the figure.
    let _ = tray.set_tooltip(Some(format!("Clawtower — {label}")));
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    match TrayItem::from_id(event.id().as_ref()) {
        Some(TrayItem::OpenDashboard) => window::show_main(app),
        Some(TrayItem::Quit) => window::quit(app),
        // Enabled by the budgets issue; disabled items never fire.
        Some(TrayItem::PauseAll | TrayItem::Resume) | None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for item in TrayItem::ALL {
            assert_eq!(TrayItem::from_id(item.id()), Some(item));
        }
        assert_eq!(TrayItem::from_id("nope"), None);
    }
}
