//! The `clawtower` binary, run as a user would.

mod common;

use common::clawtower;

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

fn fixture_state() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/openclaw-2026.9.6/state")
}

/// Runs `clawtower ARGS --openclaw-home <the real 2026.9.6 fixture> --data-dir DATA`.
fn on_fixture(args: &[&str], data: &std::path::Path) -> std::process::Output {
    clawtower()
        .args(args)
        .arg("--openclaw-home")
        .arg(fixture_state())
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap()
}

#[test]
fn report_json_follows_the_contract_and_ingests_first() {
    let data = tempfile::tempdir().unwrap();
    let out = on_fixture(&["report", "daily", "--json", "--tz", "UTC"], data.path());
    let report: serde_json::Value = common::json_of(&out);
    assert_eq!(report["period"], "daily");
    assert_eq!(report["rows"][0]["key"], "2026-11-21");
    let totals = &report["totals"];
    assert_eq!(totals["calls"], 15, "billed calls only");
    assert_eq!(totals["abortedCalls"], 1);
    assert_eq!(totals["failedCalls"], 4);
    assert_eq!(totals["inputTokens"], 93482);
    assert_eq!(totals["cacheReadTokens"], 93474);
    assert_eq!(totals["totalTokens"], 187187);
    assert_eq!(totals["costUsd"], 0.3119532);
    assert_eq!(totals["reportedCostUsd"], 0.3119532);
    assert_eq!(totals["unpricedTokens"], 0);

    // The store now holds the calls: a report without --openclaw-home reads them back.
    let out = clawtower()
        .args([
            "report",
            "session",
            "--csv",
            "--since",
            "2026-11-21",
            "--until",
            "2026-11-21",
            "--tz",
            "UTC",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .starts_with("key,calls,inputTokens"));
    assert!(csv.contains("agent:main:subagent:42329070-f02f-4c3e-b26e-bff9e43be6d5,"));
    assert!(
        csv.trim_end()
            .ends_with(",0.3119532,0.3119532,0,0.2690538,1,4"),
        "{csv}"
    );
}

#[test]
fn ingest_twice_imports_once_and_bad_arguments_fail_clearly() {
    let data = tempfile::tempdir().unwrap();
    let ingest = || on_fixture(&["ingest"], data.path());
    let first = String::from_utf8(ingest().stdout).unwrap();
    assert!(first.contains("15 new model calls"), "{first}");
    let second = String::from_utf8(ingest().stdout).unwrap();
    assert!(second.contains("0 new model calls"), "{second}");

    let out = clawtower()
        .args(["report", "daily", "--tz", "Mars/Olympus"])
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown time zone"));
    let out = clawtower()
        .args([
            "report",
            "daily",
            "--since",
            "2026-11-22",
            "--until",
            "2026-11-21",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("after --until"));
    let out = clawtower()
        .args(["ingest", "--openclaw-home", "/nonexistent/oc"])
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no OpenClaw state dir"));
}

#[test]
fn watch_prints_a_call_appended_to_a_live_transcript() {
    use std::io::{BufRead, Write};
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path().join(".openclaw/agents/main/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("sessions.json"),
        r#"{"agent:main:main":{"sessionId":"s1"}}"#,
    )
    .unwrap();
    let transcript = sessions.join("s1.jsonl");
    std::fs::write(&transcript, "{\"type\":\"session\",\"id\":\"s1\"}\n").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clawtower"))
        .args(["watch", "--openclaw-home"])
        .arg(tmp.path())
        .arg("--data-dir")
        .arg(tmp.path().join("data"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    // Wait for the watcher to be up (it says so on stderr), then append a call.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    stderr.read_line(&mut banner).unwrap();
    assert!(banner.starts_with("Watching"), "{banner}");
    assert!(banner.contains("today $0.00 in 0 calls"), "{banner}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&transcript)
        .unwrap();
    writeln!(file, r#"{{"type":"message","id":"m1","message":{{"role":"assistant","provider":"stub","model":"stub-model","timestamp":{now},"usage":{{"input":1000,"output":20,"cacheRead":0,"cacheWrite":0,"cost":{{"total":0.0123}}}}}}}}"#).unwrap();
    drop(file);
    let line = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("no line within 10 s");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.contains("main  agent:main:main  stub/stub-model  1,020 tokens  $0.01"),
        "{line}"
    );
    assert!(line.ends_with("· today $0.01 in 1 call"), "{line}");
}

#[test]
fn user_price_overrides_price_the_book_estimate_but_never_replace_a_recorded_cost() {
    let data = tempfile::tempdir().unwrap();
    // Twice OpenClaw's stub prices ($3 / $15 / $0.30 / $3.75 per 1M).
    std::fs::write(
        data.path().join("prices.json"),
        r#"{ "stub/stub-model": { "input": 6, "output": 30, "cacheRead": 0.6, "cacheWrite": 7.5 } }"#,
    )
    .unwrap();
    let out = on_fixture(&["report", "model", "--json"], data.path());
    let report: serde_json::Value = common::json_of(&out);
    let stub = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "stub/stub-model")
        .unwrap();
    assert_eq!(stub["reportedCostUsd"], 0.2690538);
    assert_eq!(stub["costUsd"], 0.2690538, "what OpenClaw recorded wins");
    assert_eq!(
        stub["bookCostUsd"], 0.5381076,
        "the override prices the estimate"
    );

    std::fs::write(data.path().join("prices.json"), "{ broken").unwrap();
    let out = on_fixture(&["ingest"], data.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("your price overrides are not used"));
}

#[test]
fn a_scan_reports_the_same_as_an_import_and_stores_nothing() {
    let data = tempfile::tempdir().unwrap();
    let report = |extra: &[&str]| -> serde_json::Value {
        let args: Vec<&str> = ["report", "session", "--json", "--tz", "UTC"]
            .iter()
            .chain(extra)
            .copied()
            .collect();
        let out = on_fixture(&args, data.path());
        common::json_of(&out)
    };
    let scanned = report(&["--scan"]);
    assert!(
        !data.path().join("clawtower.sqlite").exists(),
        "--scan must not create a ledger"
    );
    assert_eq!(scanned["totals"]["costUsd"], 0.3119532);
    assert_eq!(
        scanned,
        report(&[]),
        "scan and import must agree row for row"
    );
}

#[test]
fn a_scan_and_an_import_of_a_realistic_synthetic_install_match_what_was_written() {
    use clawtower_synth::{generate, Layout, Spec};
    for layout in [Layout::Jsonl, Layout::Sqlite] {
        let tmp = tempfile::tempdir().unwrap();
        let spec = Spec {
            layout,
            agents: 3,
            sessions_per_agent: 30,
            turns_per_session: 6,
            seed: 5,
            start_ms: 1_795_230_000_000,
        };
        let expected = generate(&tmp.path().join("state"), &spec).unwrap();
        assert!(
            expected.resets > 0
                && expected.provider_billed_calls > 0
                && expected.unpriced_calls > 0
        );
        let report = |extra: &[&str]| {
            let out = clawtower()
                .args(["report", "agent", "--json", "--openclaw-home"])
                .arg(tmp.path().join("state"))
                .arg("--data-dir")
                .arg(tmp.path().join("data"))
                .args(extra)
                .output()
                .unwrap();
            common::json_of(&out)["totals"].clone()
        };
        let scanned = report(&["--scan"]);
        let nanos = |v: &serde_json::Value| (v.as_f64().unwrap() * 1e9).round() as i64;
        for totals in [&scanned, &report(&[])] {
            assert_eq!(totals["calls"], expected.calls, "{layout:?}");
            assert_eq!(totals["abortedCalls"], expected.aborted_calls);
            assert_eq!(totals["failedCalls"], expected.failed_calls);
            assert_eq!(totals["inputTokens"], expected.input_tokens);
            assert_eq!(totals["outputTokens"], expected.output_tokens);
            assert_eq!(totals["cacheReadTokens"], expected.cache_read_tokens);
            assert_eq!(totals["cacheWriteTokens"], expected.cache_write_tokens);
            assert_eq!(totals["unpricedTokens"], expected.unpriced_tokens);
            assert_eq!(
                nanos(&totals["costUsd"]),
                expected.cost_nanousd,
                "{layout:?}"
            );
            assert_eq!(
                nanos(&totals["reportedCostUsd"]),
                expected.reported_cost_nanousd
            );
        }
    }
}

/// OpenClaw reads its config from `OPENCLAW_CONFIG_PATH` when it is set; so do Clawtower's prices
/// (a model priced only there is priced, not unpriced).
#[test]
fn prices_come_from_the_config_openclaw_config_path_names() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let sessions = state.join("agents/main/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("sessions.json"),
        r#"{"agent:main:main":{"sessionId":"s1"}}"#,
    )
    .unwrap();
    let now = jiff::Timestamp::now().as_millisecond();
    std::fs::write(
        sessions.join("s1.jsonl"),
        format!(r#"{{"type":"message","id":"m1","message":{{"role":"assistant","provider":"house","model":"house-model","timestamp":{now},"usage":{{"input":1000000,"output":0}}}}}}"#) + "\n",
    )
    .unwrap();
    let config = tmp.path().join("elsewhere.json5");
    std::fs::write(
        &config,
        r#"{ models: { providers: { house: { models: [ { id: "house-model", cost: { input: 2, output: 8 } } ] } } } }"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        clawtower()
            .arg("--data-dir")
            .arg(tmp.path().join("data"))
            .args(args)
            .env("OPENCLAW_STATE_DIR", &state)
            .env("OPENCLAW_CONFIG_PATH", &config)
            .output()
            .unwrap()
    };
    assert!(run(&["ingest"]).status.success());
    let out = run(&["report", "daily", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["totals"]["costUsd"], 2.0,
        "1M input tokens at $2 per 1M"
    );
    assert_eq!(report["totals"]["unpricedTokens"], 0);
}

#[test]
fn sessions_list_show_and_tree_follow_the_contract() {
    let data = tempfile::tempdir().unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = on_fixture(args, data.path());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let page = json(&["sessions", "list", "--json", "--limit", "500"]);
    let rows = page["rows"].as_array().unwrap();
    let row = |key: &str| rows.iter().find(|r| r["key"] == key).unwrap().clone();
    assert_eq!(row("agent:main:slow")["status"], "aborted");
    assert_eq!(row("agent:main:gated")["status"], "failed");
    assert_eq!(row("agent:main:main")["title"], "main");
    let child = row("agent:main:subagent:42329070-f02f-4c3e-b26e-bff9e43be6d5");
    assert_eq!(child["kind"], "subagent");
    assert_eq!(child["spawnedBy"], "agent:main:spawner");
    assert!(
        rows.iter().any(|r| r["status"] == "archived"),
        "the deleted sessions are listed"
    );
    let failed = json(&["sessions", "list", "--json", "--status", "failed"]);
    assert!(failed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "failed"));

    let shown = json(&["sessions", "show", "agent:main:spawner", "--json"]);
    assert_eq!(shown["session"]["key"], "agent:main:spawner");
    let entries = shown["entries"].as_array().unwrap();
    for entry in entries {
        assert!(
            entry["id"].is_string() && entry["kind"].is_string(),
            "{entry}"
        );
    }
    let spawn = entries
        .iter()
        .find(|e| e["kind"] == "toolCall" && e["tool"]["name"] == "sessions_spawn")
        .expect("the spawn call");
    let result = entries
        .iter()
        .find(|e| e["id"] == spawn["tool"]["pairedId"])
        .expect("its result");
    assert_eq!(result["kind"], "toolResult");
    assert_eq!(
        spawn["tool"]["childSessionKey"],
        "agent:main:subagent:42329070-f02f-4c3e-b26e-bff9e43be6d5"
    );

    let tree = json(&[
        "sessions",
        "tree",
        "agent:main:subagent:42329070-f02f-4c3e-b26e-bff9e43be6d5",
        "--json",
    ]);
    let nodes = tree["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["session"]["key"], "agent:main:spawner");
    assert_eq!(nodes[1]["depth"], 1);
    let own = |n: &serde_json::Value| n["session"]["costUsd"].as_f64().unwrap();
    let rolled = nodes[0]["rolledUpCostUsd"].as_f64().unwrap();
    assert!((rolled - own(&nodes[0]) - own(&nodes[1])).abs() < 1e-12);

    let missing = on_fixture(&["sessions", "show", "agent:main:nope"], data.path());
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("no transcript of the session agent:main:nope"));
}

/// `clawtower usage` on the real 2026.9.6 fixture: its totals are the report's, its tables add
/// up, and the text output names what it shows.
#[test]
fn usage_agrees_with_the_report_and_its_tables_add_up() {
    let data = tempfile::tempdir().unwrap();
    let out = on_fixture(&["usage", "--json", "--by", "agent"], data.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = on_fixture(&["report", "agent", "--json"], data.path());
    let report: serde_json::Value = common::json_of(&out);
    assert_eq!(view["totals"]["totals"], report["totals"]);
    for table in ["agents", "models", "providers"] {
        let calls: u64 = view[table]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["totals"]["calls"].as_u64().unwrap())
            .sum();
        assert_eq!(calls, 15, "{table}");
    }
    let drawn: f64 = view["series"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["costUsd"].as_array().unwrap().clone())
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!((drawn - 0.3119532).abs() < 1e-9, "{drawn}");
    let text = on_fixture(&["usage", "--show", "models,crons"], data.path());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("All time ("), "{text}");
    assert!(text.contains("$0.31 in 15 model calls"), "{text}");
    assert!(text.contains("\nmodel "), "{text}");
    let bad = on_fixture(&["usage", "--what-if", "nobody/nothing"], data.path());
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no price for nobody/nothing"));
}

#[test]
fn cron_next_checks_a_schedule_and_lists_its_runs_in_its_zone() {
    let out = clawtower()
        .args([
            "cron",
            "next",
            "--cron",
            "30 8 * * mon-fri",
            "--tz",
            "Asia/Tokyo",
        ])
        .args(["--count", "3", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let preview = common::json_of(&out);
    assert_eq!(preview["zone"], "Asia/Tokyo");
    assert_eq!(preview["words"], "weekdays at 08:30 (Asia/Tokyo)");
    let runs: Vec<i64> = preview["runsMs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(runs.len(), 3);
    // 08:30 in Tokyo is 23:30 UTC the day before, every run.
    assert!(runs
        .iter()
        .all(|ms| ms.rem_euclid(86_400_000) == 84_600_000));
    assert!(runs.windows(2).all(|w| w[0] < w[1]));
    let text = clawtower()
        .args([
            "cron",
            "next",
            "--cron",
            "0 9 * * *",
            "--tz",
            "Europe/Berlin",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("Runs every day at 09:00 (Europe/Berlin)."),
        "{text}"
    );
    assert_eq!(text.matches(" 09:00:00 ").count(), 5, "{text}");
    let wrong = clawtower()
        .args(["cron", "next", "--cron", "0 0 30 2 *"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8(wrong.stderr)
        .unwrap()
        .contains("never runs: no date matches it"));
}

#[test]
fn serve_refuses_a_network_address_before_starting_anything_and_token_prints_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = clawtower()
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "serve",
            "--bind",
            "0.0.0.0:0",
        ])
        .args(["--openclaw-home", tmp.path().join("none").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--allow-remote"), "{said}");
    // Nothing started: no ledger, no runtime lock, no token made.
    assert!(!data.join("runtime.lock").exists() && !data.join("clawtower.sqlite").exists());

    let token = |args: &[&str]| {
        let out = clawtower()
            .args(["--data-dir", data.to_str().unwrap(), "token"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let first = token(&[]);
    assert!(first.len() >= 32, "{first}");
    assert_eq!(token(&[]), first, "the same token until rotated");
    let rotated = token(&["--rotate"]);
    assert_ne!(rotated, first);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("api-token"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
