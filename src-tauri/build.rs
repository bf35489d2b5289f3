//! Declares the app's commands so Tauri generates one `allow-<command>` permission per command;
//! `capabilities/main.json` then grants the dashboard window exactly those.

fn main() {
    let commands = &[
        "app_info",
        "spend_summary",
        "top_spend",
        "doctor",
        "gateways",
        "add_gateway",
        "remove_gateway",
        "restore_gateway",
        "set_gateway_credential",
        "get_settings",
        "set_theme",
        "set_launch_at_login",
        "budget_board",
        "save_budget",
        "remove_budget",
        "restore_budget",
        "alerts",
        "acknowledge_alerts",
        "pause_all",
        "resume_all",
        "alert_sinks",
        "add_alert_sink",
        "remove_alert_sink",
        "test_alert_sink",
        "anomaly_rules",
        "add_anomaly_rule",
        "remove_anomaly_rule",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script failed");
}
