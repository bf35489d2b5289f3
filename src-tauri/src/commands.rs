//! Typed IPC commands (see docs/ipc-contract.md). Each is a thin call into the engine.

use clawtower_engine::doctor::{self, DoctorInputs, DoctorReport, LedgerHealth};
use clawtower_engine::openclaw::OpenClawEnv;
use clawtower_engine::top_spend::{SpendPeriod, TopSpend};
use clawtower_engine::{ErrorCode, SpendSummary, Theme};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt;

use crate::error::AppError;
use crate::state::AppState;

/// Facts about this installation.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Clawtower's version.
    pub version: String,
    /// Clawtower's data directory.
    pub data_dir: String,
    /// The ledger database file.
    pub database_path: String,
    /// `linux`, `macos` or `windows`.
    pub platform: String,
}

/// The settings page's state.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// UI theme.
    pub theme: Theme,
    /// Whether Clawtower starts (in the tray) when the user logs in.
    pub launch_at_login: bool,
}

/// Version, data dir and database path.
#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let (data_dir, database_path) = match &state.engine {
        Ok(engine) => (
            engine.data_dir().root().display().to_string(),
            engine.data_dir().database().display().to_string(),
        ),
        Err(_) => (String::new(), String::new()),
    };
    AppInfo {
        version: clawtower_engine::VERSION.to_string(),
        data_dir,
        database_path,
        platform: std::env::consts::OS.to_string(),
    }
}

/// Spend today, this week and this month, from the ledger.
#[tauri::command]
#[specta::specta]
pub fn spend_summary(state: State<'_, AppState>) -> Result<SpendSummary, AppError> {
    Ok(state.engine()?.spend_summary()?)
}

/// How many entries each top list of the Overview shows.
const TOP_LIMIT: usize = 5;

/// The top agents, models and sessions of today, this week or this month.
#[tauri::command]
#[specta::specta]
pub fn top_spend(state: State<'_, AppState>, period: SpendPeriod) -> Result<TopSpend, AppError> {
    Ok(state.engine()?.top_spend(period, TOP_LIMIT)?)
}

/// What Clawtower found of OpenClaw (same as `clawtower doctor --json`).
#[tauri::command]
#[specta::specta]
pub async fn doctor(state: State<'_, AppState>) -> Result<DoctorReport, AppError> {
    let ledger = match state.engine() {
        Ok(engine) => Some(LedgerHealth::read(engine.store())?),
        Err(_) => None,
    };
    tauri::async_runtime::spawn_blocking(move || {
        let env = OpenClawEnv::from_process();
        let probe = |url: &str| doctor::probe_gateway(url, std::time::Duration::from_millis(1500));
        doctor::run(&DoctorInputs {
            env: &env,
            explicit_state_dir: None,
            probe: &probe,
            ledger,
        })
    })
    .await
    .map_err(|err| AppError::new(ErrorCode::Internal, format!("doctor did not finish: {err}")))
}

/// Current settings.
#[tauri::command]
#[specta::specta]
pub fn get_settings(app: AppHandle, state: State<'_, AppState>) -> Result<Settings, AppError> {
    settings(&app, &state)
}

/// Stores the theme and returns the new settings.
#[tauri::command]
#[specta::specta]
pub fn set_theme(
    app: AppHandle,
    state: State<'_, AppState>,
    theme: Theme,
) -> Result<Settings, AppError> {
    state.engine()?.set_theme(theme)?;
    settings(&app, &state)
}

/// Turns launch-at-login on or off and returns the new settings.
#[tauri::command]
#[specta::specta]
pub fn set_launch_at_login(
    app: AppHandle,
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<Settings, AppError> {
    let autolaunch = app.autolaunch();
    let result = if enabled {
        autolaunch.enable()
    } else {
        autolaunch.disable()
    };
    result.map_err(|err| {
        AppError::new(
            ErrorCode::Autostart,
            format!("could not change launch at login: {err}"),
        )
    })?;
    settings(&app, &state)
}

fn settings(app: &AppHandle, state: &AppState) -> Result<Settings, AppError> {
    let launch_at_login = app.autolaunch().is_enabled().map_err(|err| {
        AppError::new(
            ErrorCode::Autostart,
            format!("could not read launch at login: {err}"),
        )
    })?;
    Ok(Settings {
        theme: state.engine()?.theme()?,
        launch_at_login,
    })
}
