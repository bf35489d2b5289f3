//! The `clawtower` binary, run as a user would.

use assert_cmd::Command;

fn clawtower() -> Command {
    let mut cmd = Command::cargo_bin("clawtower").unwrap();
    for var in [
        "OPENCLAW_STATE_DIR",
        "OPENCLAW_HOME",
        "OPENCLAW_PROFILE",
        "OPENCLAW_CONFIG_PATH",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

#[test]
fn version_prints_the_package_version() {
    let out = clawtower().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("clawtower {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn doctor_json_describes_an_install_and_exits_2_when_the_gateway_is_down() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join(".openclaw");
    std::fs::create_dir_all(state.join("agents/main/sessions")).unwrap();
    std::fs::write(
        state.join("agents/main/sessions/sessions.json"),
        r#"{"agent:main:main":{}}"#,
    )
    .unwrap();
    // Port 9 (discard) is not an OpenClaw gateway: the probe must report it unreachable.
    std::fs::write(
        state.join("openclaw.json"),
        r#"{ gateway: { port: 9, auth: { mode: "token", token: "tok-must-not-leak" } } }"#,
    )
    .unwrap();
    let out = clawtower()
        .args(["doctor", "--json", "--openclaw-home"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("tok-must-not-leak"));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["stateDir"], state.display().to_string());
    assert_eq!(report["storage"], "legacy-jsonl");
    assert_eq!(report["agents"][0]["id"], "main");
    assert_eq!(report["agents"][0]["sessions"], 1);
    assert_eq!(report["gatewayUrl"], "http://127.0.0.1:9");
    let gateway = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "gateway")
        .unwrap();
    assert_eq!(gateway["status"], "missing");
}

#[test]
fn doctor_human_output_names_every_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = clawtower()
        .args(["doctor"])
        .env("OPENCLAW_STATE_DIR", tmp.path().join("nothing-here"))
        .env("OPENCLAW_GATEWAY_PORT", "9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    for title in [
        "OpenClaw state directory",
        "Config file",
        "Gateway settings",
        "Session storage",
        "Agents",
        "Gateway",
    ] {
        assert!(text.contains(title), "missing {title:?} in:\n{text}");
    }
    assert!(text.contains("OPENCLAW_STATE_DIR"));
}
