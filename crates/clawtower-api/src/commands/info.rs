//! The Overview and Settings: spend, top lists, doctor, theme, launch at login.

use clawtower_core::ErrorCode;
use clawtower_engine::doctor::{self, DoctorInputs, DoctorReport, LedgerHealth};
use clawtower_engine::Theme;
use clawtower_ledger::report::{SpendPeriod, SpendSummary, TopSpend};
use clawtower_openclaw::OpenClawEnv;
use serde::Serialize;

use super::blocking;
use crate::{ApiError, Runtime};

/// Facts about this installation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// UI theme.
    pub theme: Theme,
    /// Whether Clawtower starts (in the tray) when the user logs in (always false where the
    /// host cannot: `clawtower serve`).
    pub launch_at_login: bool,
}

/// How many entries each top list of the Overview shows.
const TOP_LIMIT: usize = 5;

/// Version, data dir and database path.
pub async fn app_info(runtime: &Runtime) -> Result<AppInfo, ApiError> {
    let data_dir = runtime.engine().data_dir();
    Ok(AppInfo {
        version: clawtower_core::VERSION.to_string(),
        data_dir: data_dir.root().display().to_string(),
        database_path: data_dir.database().display().to_string(),
        platform: std::env::consts::OS.to_string(),
    })
}

/// Spend today, this week and this month.
pub async fn spend_summary(runtime: &Runtime) -> Result<SpendSummary, ApiError> {
    blocking(runtime, "spend_summary", |rt| rt.engine().spend_summary()).await
}

/// The top agents, models and sessions of the period.
pub async fn top_spend(runtime: &Runtime, period: SpendPeriod) -> Result<TopSpend, ApiError> {
    blocking(runtime, "top_spend", move |rt| {
        rt.engine().top_spend(period, TOP_LIMIT)
    })
    .await
}

/// What Clawtower found of OpenClaw; probes the gateway (up to 1.5 s).
pub async fn doctor(runtime: &Runtime) -> Result<DoctorReport, ApiError> {
    blocking(runtime, "doctor", |rt| {
        let ledger = LedgerHealth::read(rt.store())?;
        let env = OpenClawEnv::from_process();
        let probe = |url: &str| doctor::probe_gateway(url, std::time::Duration::from_millis(1500));
        Ok(doctor::run(&DoctorInputs {
            env: &env,
            explicit_state_dir: rt.openclaw_home(),
            probe: &probe,
            ledger: Some(ledger),
        }))
    })
    .await
}

/// Current settings.
pub async fn get_settings(runtime: &Runtime) -> Result<Settings, ApiError> {
    let theme = blocking(runtime, "get_settings", |rt| rt.engine().theme()).await?;
    settings(runtime, theme)
}

/// Stores the theme; returns the new settings.
pub async fn set_theme(runtime: &Runtime, theme: Theme) -> Result<Settings, ApiError> {
    blocking(runtime, "set_theme", move |rt| rt.engine().set_theme(theme)).await?;
    settings(runtime, theme)
}

/// Turns launch-at-login on or off; returns the new settings. `AUTOSTART` where the host cannot.
pub async fn set_launch_at_login(runtime: &Runtime, enabled: bool) -> Result<Settings, ApiError> {
    let autostart = runtime.host().autostart().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Autostart,
            "launch at login is set in the desktop app, not here",
        )
    })?;
    autostart.set_enabled(enabled).map_err(|err| {
        ApiError::new(
            ErrorCode::Autostart,
            format!("could not change launch at login: {err}"),
        )
    })?;
    get_settings(runtime).await
}

fn settings(runtime: &Runtime, theme: Theme) -> Result<Settings, ApiError> {
    let launch_at_login = match runtime.host().autostart() {
        Some(autostart) => autostart.is_enabled().map_err(|err| {
            ApiError::new(
                ErrorCode::Autostart,
                format!("could not read launch at login: {err}"),
            )
        })?,
        None => false,
    };
    Ok(Settings {
        theme,
        launch_at_login,
    })
}
