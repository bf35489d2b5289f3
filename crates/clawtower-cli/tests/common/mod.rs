//! Shared by the CLI's integration tests: the binary, run as a user would.

use std::process::{Command, Output};

/// The `clawtower` binary, with OpenClaw's location variables cleared so tests see only what
/// they set.
pub fn clawtower() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("clawtower"));
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

/// The JSON a successful run printed (fails the test, showing stderr, if the run failed).
pub fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the output is JSON")
}
