//! The tray icon: spend so far (or against the main budget) as its title, each budget's state in
//! the menu, Pause all / Resume, and a distinct icon while anything is paused.

use std::sync::Mutex;

use clawtower_control::BudgetBoard;
use clawtower_feeds::feed::{ConnectionState, GatewayStatus};
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::window;

/// The tray icon's id.
pub const TRAY_ID: &str = "clawtower";

const ICON: &[u8] = include_bytes!("../../icons/tray.png");
const PAUSED_ICON: &[u8] = include_bytes!("../../icons/tray-paused.png");

/// The tray menu's actionable items, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TrayItem {
    OpenDashboard,
    Alerts,
    PauseAll,
    Resume,
    Quit,
}

impl TrayItem {
    const ALL: [TrayItem; 5] = [
        TrayItem::OpenDashboard,
        TrayItem::Alerts,
        TrayItem::PauseAll,
        TrayItem::Resume,
        TrayItem::Quit,
    ];

    fn id(self) -> &'static str {
        match self {
            TrayItem::OpenDashboard => "open-dashboard",
            TrayItem::Alerts => "alerts",
            TrayItem::PauseAll => "pause-all",
            TrayItem::Resume => "resume",
            TrayItem::Quit => "quit",
        }
    }

    fn from_id(id: &str) -> Option<TrayItem> {
        Self::ALL.into_iter().find(|item| item.id() == id)
    }
}

/// What the tray shows; every change re-renders it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrayModel {
    /// "$12.34 today".
    pub spend_label: String,
    /// Budgets and pauses.
    pub board: BudgetBoard,
    /// Every followed gateway and its connection state.
    pub gateways: Vec<GatewayStatus>,
}

impl TrayModel {
    /// The title: "$12.34 / $20" with a budget over everything, else "$12.34 today"; a leading
    /// "Paused · " while anything is paused.
    pub fn title(&self) -> String {
        let label = self.board.tray_label(&self.spend_label);
        if self.board.paused() {
            format!("Paused · {label}")
        } else {
            label
        }
    }

    /// "2 new alerts", while some are not acknowledged (desktop notifications can be missed).
    pub fn alerts_line(&self) -> Option<String> {
        match self.board.unacknowledged_alerts {
            0 => None,
            1 => Some("1 new alert".into()),
            n => Some(format!("{n} new alerts")),
        }
    }

    /// Whether Pause all can work now: the gateway budgets control is live with the admin scope.
    pub fn can_pause(&self) -> bool {
        self.gateways
            .iter()
            .any(|g| g.gateway.controlled && g.can_control)
    }

    /// One disabled menu line per gateway, e.g. "Local gateway: live" or "build box: not
    /// connected"; "No OpenClaw gateway" when there is none.
    pub fn gateway_lines(&self) -> Vec<String> {
        if self.gateways.is_empty() {
            return vec!["No OpenClaw gateway".into()];
        }
        self.gateways
            .iter()
            .map(|g| {
                let state = match g.state {
                    ConnectionState::Live if g.can_control => "live",
                    ConnectionState::Live => "live, read-only",
                    ConnectionState::Connecting => "connecting…",
                    ConnectionState::Error => "not connected",
                };
                format!("{}: {state}", g.gateway.name)
            })
            .collect()
    }

    /// One disabled menu line per budget, e.g. "Daily cap: $12.34 / $20 (62%)".
    pub fn budget_lines(&self) -> Vec<String> {
        self.board
            .budgets
            .iter()
            .map(|s| {
                let mut line = format!("{}: {} ({:.0}%)", s.budget.draft.name, s.label, s.percent);
                if s.paused {
                    line.push_str(" — paused");
                }
                line
            })
            .collect()
    }
}

/// Managed state: the model the tray was last rendered from.
#[derive(Default)]
pub struct TrayState(Mutex<TrayModel>);

/// Creates the tray icon.
pub fn build(app: &AppHandle, spend_label: &str) -> tauri::Result<()> {
    let model = TrayModel {
        spend_label: spend_label.to_string(),
        ..TrayModel::default()
    };
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(ICON)?)
        .title(model.title())
        .tooltip(format!("Clawtower — {}", model.title()))
        .menu(&menu(app, &model)?)
        .on_menu_event(on_menu_event)
        .build(app)?;
    app.manage(TrayState(Mutex::new(model)));
    Ok(())
}

/// Changes the model with `edit` and re-renders what changed.
pub fn update(app: &AppHandle, edit: impl FnOnce(&mut TrayModel)) {
    let Some(state) = app.try_state::<TrayState>() else {
        return;
    };
    // Rendered under the lock: concurrent updates (spend, budgets, gateway) reach the tray in
    // the order they changed the model, so the last render always matches the model.
    let mut model = state.0.lock().unwrap_or_else(|p| p.into_inner());
    let before = model.clone();
    edit(&mut model);
    if *model != before {
        if let Err(err) = render(app, &before, &model) {
            tracing::warn!(%err, "could not update the tray");
        }
    }
}

fn render(app: &AppHandle, before: &TrayModel, after: &TrayModel) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return Ok(());
    };
    if before.title() != after.title() {
        tray.set_title(Some(after.title()))?;
        // Tooltips are unsupported on Linux; elsewhere they repeat the figure.
        let _ = tray.set_tooltip(Some(format!("Clawtower — {}", after.title())));
    }
    if before.budget_lines() != after.budget_lines()
        || before.alerts_line() != after.alerts_line()
        || before.board.paused() != after.board.paused()
        || before.gateway_lines() != after.gateway_lines()
        || before.can_pause() != after.can_pause()
    {
        tray.set_menu(Some(menu(app, after)?))?;
    }
    if before.board.paused() != after.board.paused() {
        let icon = if after.board.paused() {
            PAUSED_ICON
        } else {
            ICON
        };
        tray.set_icon(Some(Image::from_bytes(icon)?))?;
    }
    Ok(())
}

fn menu(app: &AppHandle, model: &TrayModel) -> tauri::Result<Menu<Wry>> {
    let item = |item: TrayItem, label: &str, enabled: bool| {
        MenuItem::with_id(app, item.id(), label, enabled, None::<&str>)
    };
    let info_lines = |prefix: &str, lines: Vec<String>| {
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                MenuItem::with_id(app, format!("{prefix}-{i}"), line, false, None::<&str>)
            })
            .collect::<tauri::Result<Vec<MenuItem<Wry>>>>()
    };
    let gateways = info_lines("gateway", model.gateway_lines())?;
    let lines = info_lines("budget", model.budget_lines())?;
    let alerts = model
        .alerts_line()
        .map(|line| item(TrayItem::Alerts, &line, true))
        .transpose()?;
    let paused = model.board.paused();
    let open = item(TrayItem::OpenDashboard, "Open dashboard", true)?;
    let pause = item(
        TrayItem::PauseAll,
        "Pause all",
        model.can_pause() && !paused,
    )?;
    let resume = item(TrayItem::Resume, "Resume", paused)?;
    let quit = item(TrayItem::Quit, "Quit Clawtower", true)?;
    let separator = || PredefinedMenuItem::separator(app);
    let (s0, s1, s2, s3) = (separator()?, separator()?, separator()?, separator()?);
    let mut items: Vec<&dyn IsMenuItem<Wry>> = vec![&open, &s0];
    items.extend(gateways.iter().map(|l| l as &dyn IsMenuItem<Wry>));
    items.push(&s1);
    items.extend(lines.iter().map(|l| l as &dyn IsMenuItem<Wry>));
    items.extend(alerts.iter().map(|a| a as &dyn IsMenuItem<Wry>));
    if !lines.is_empty() || alerts.is_some() {
        items.push(&s2);
    }
    items.extend([&pause as &dyn IsMenuItem<Wry>, &resume, &s3, &quit]);
    Menu::with_items(app, &items)
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    match TrayItem::from_id(event.id().as_ref()) {
        Some(TrayItem::OpenDashboard | TrayItem::Alerts) => window::show_main(app),
        Some(TrayItem::Quit) => window::quit(app),
        Some(TrayItem::PauseAll) => from_tray(app, |runtime| async move {
            runtime
                .budgets()
                .pause_all_and_alert("Paused from the tray")
                .await
        }),
        Some(TrayItem::Resume) => from_tray(app, |runtime| async move {
            runtime.budgets().resume_all_and_alert().await
        }),
        None => {}
    }
}

/// Runs a tray action on the runtime, off the main thread (its outcome is an alert).
fn from_tray<F: std::future::Future<Output = ()> + Send + 'static>(
    app: &AppHandle,
    action: impl FnOnce(clawtower_runtime::Runtime) -> F,
) {
    if let Ok(runtime) = app.state::<crate::state::AppState>().runtime() {
        tauri::async_runtime::spawn(action(runtime.clone()));
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

    #[test]
    fn the_title_says_when_paused() {
        let mut model = TrayModel {
            spend_label: "$1.00 today".into(),
            ..TrayModel::default()
        };
        assert_eq!(model.title(), "$1.00 today");
        model
            .board
            .pauses
            .push(clawtower_control::pause::PauseView {
                id: 1,
                scope: "all".into(),
                reason: "manual".into(),
                budget_id: None,
                started_ms: 0,
                steps: vec![],
                problems: vec![],
            });
        assert_eq!(model.title(), "Paused · $1.00 today");
        assert_eq!(model.alerts_line(), None);
        model.board.unacknowledged_alerts = 2;
        assert_eq!(model.alerts_line().as_deref(), Some("2 new alerts"));
    }

    #[test]
    fn one_line_per_gateway_and_pause_only_through_the_controlled_one() {
        use clawtower_feeds::feed::FeedState;
        use clawtower_feeds::roster::GatewayEntry;
        let entry = |id: i64, name: &str, controlled: bool| GatewayEntry {
            id,
            name: name.into(),
            url: format!("ws://10.0.0.{id}:1/"),
            local: id == 0,
            credential: None,
            credential_entered: false,
            controlled,
        };
        let live = FeedState::Live {
            server_version: "2026.9.6".into(),
            missing_scopes: vec![],
        };
        let mut model = TrayModel::default();
        assert_eq!(model.gateway_lines(), vec!["No OpenClaw gateway"]);
        assert!(!model.can_pause());
        model.gateways = vec![
            GatewayStatus::of(
                &entry(0, "Local gateway", true),
                &FeedState::Connecting { last_error: None },
            ),
            GatewayStatus::of(&entry(1, "build box", false), &live),
        ];
        assert_eq!(
            model.gateway_lines(),
            vec!["Local gateway: connecting…", "build box: live"]
        );
        assert!(
            !model.can_pause(),
            "only the gateway budgets control can be paused"
        );
        model.gateways[0] = GatewayStatus::of(&entry(0, "Local gateway", true), &live);
        assert!(model.can_pause());
    }
}
