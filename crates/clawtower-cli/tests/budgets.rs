//! `clawtower budget`, `pause`/`resume`, `alerts` and `anomaly` as a user runs them (the real
//! gateway side is tests/openclaw/test_budget_pause.py).

mod common;

use common::{clawtower, json_of};

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    clawtower()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn budgets_are_set_listed_measured_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = run(
        &data,
        &["budget", "set", "--limit", "20", "--name", "Daily cap"],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "#1 Daily cap: $20 a day on all spend, alerts at 50/80/100%, pauses at the limit"
    );
    run(
        &data,
        &[
            "budget",
            "set",
            "--limit",
            "5",
            "--window",
            "6h",
            "--scope",
            "agent:ops",
            "--action",
            "alert",
        ],
    );
    let status = json_of(&run(&data, &["budget", "status", "--json"]));
    assert_eq!(status["paused"], false);
    assert_eq!(status["budgets"][0]["label"], "$0.00 / $20");
    assert_eq!(status["budgets"][1]["budget"]["scope"]["value"], "ops");
    assert_eq!(
        status["budgets"][1]["budget"]["window"],
        serde_json::json!({"kind": "rolling", "hours": 6})
    );
    // Edit, then remove.
    run(&data, &["budget", "set", "--id", "1", "--limit", "25"]);
    assert_eq!(
        json_of(&run(&data, &["budget", "list", "--json"]))["budgets"][0]["limitUsd"],
        25.0
    );
    assert!(run(&data, &["budget", "rm", "1"]).status.success());
    let missing = run(&data, &["budget", "rm", "1"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr).trim(),
        "clawtower: no budget 1"
    );
}

#[test]
fn bad_budgets_are_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for (args, reason) in [
        (vec!["--limit", "-1"], "give a positive amount"),
        (
            vec!["--limit", "1", "--window", "fortnight"],
            "use day, week, month",
        ),
        (
            vec!["--limit", "1", "--scope", "team:x"],
            "scope kind `team`",
        ),
        (vec!["--limit", "1", "--thresholds", "0"], "threshold 0%"),
    ] {
        let out = run(&data, &[&["budget", "set"], args.as_slice()].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(reason),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn pause_without_a_gateway_says_so_and_records_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = run(
        &data,
        &[
            "pause",
            "--openclaw-home",
            tmp.path().to_str().unwrap(),
            "--url",
            "ws://127.0.0.1:9/",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no gateway answers at ws://127.0.0.1:9/")
    );
    assert_eq!(
        json_of(&run(&data, &["budget", "status", "--json"]))["paused"],
        false
    );
    let resume = run(
        &data,
        &["resume", "--openclaw-home", tmp.path().to_str().unwrap()],
    );
    assert!(resume.status.success());
    assert_eq!(
        String::from_utf8_lossy(&resume.stdout).trim(),
        "Nothing is paused."
    );
}

#[test]
fn sinks_never_show_their_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let add = clawtower()
        .arg("--data-dir")
        .arg(&data)
        .args(["alerts", "sink", "add", "--kind", "slack", "--name", "Team"])
        .env(
            "CLAWTOWER_SINK_SECRET",
            "https://hooks.slack.com/services/T1/B2/VERYSECRET",
        )
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let list = run(&data, &["alerts", "sink", "list", "--json"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(!text.contains("VERYSECRET"), "{text}");
    assert_eq!(json_of(&list)["sinks"][0]["target"], "hooks.slack.com");
    // A proxy with credentials is listed without them.
    let proxied = clawtower()
        .arg("--data-dir")
        .arg(&data)
        .args(["alerts", "sink", "add", "--kind", "discord", "--proxy"])
        .arg("http://me:PROXYSECRET@proxy.corp:3128")
        .env(
            "CLAWTOWER_SINK_SECRET",
            "https://discord.com/api/webhooks/1/abc",
        )
        .output()
        .unwrap();
    assert!(proxied.status.success(), "{proxied:?}");
    let list = run(&data, &["alerts", "sink", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("via http://proxy.corp:3128") && !text.contains("PROXYSECRET"),
        "{text}"
    );
    let no_secret = run(
        &data,
        &[
            "alerts",
            "sink",
            "add",
            "--kind",
            "telegram",
            "--chat-id",
            "1",
        ],
    );
    assert!(String::from_utf8_lossy(&no_secret.stderr).contains("CLAWTOWER_SINK_SECRET"));
    assert_eq!(
        json_of(&run(&data, &["alerts", "list", "--json"]))["alerts"],
        serde_json::json!([])
    );
}

#[test]
fn anomaly_rules_start_with_a_runaway_loop_alert() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let rules = json_of(&run(&data, &["anomaly", "list", "--json"]));
    assert_eq!(
        rules["rules"][0]["rule"],
        serde_json::json!({"kind": "runawayLoop", "repeats": 10})
    );
    assert!(run(
        &data,
        &["anomaly", "add", "session-cost", "--usd", "2", "--pause"]
    )
    .status
    .success());
    assert_eq!(
        json_of(&run(&data, &["anomaly", "list", "--json"]))["rules"][1]["action"],
        "pause"
    );
}

#[test]
fn a_damaged_anomaly_rule_is_listed_as_such_and_can_be_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    assert!(run(&data, &["anomaly", "list"]).status.success());
    let store = clawtower_store::Store::open(&data.join("clawtower.sqlite")).unwrap();
    store
        .with_conn(|c| {
            c.execute(
                "INSERT INTO anomaly_rules (id, definition) VALUES (7, '{\"kind\": \"newer\"}')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let listed = json_of(&run(&data, &["anomaly", "list", "--json"]));
    assert_eq!(listed["rules"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["unreadable"][0]["id"], 7, "{listed}");
    let human = String::from_utf8_lossy(&run(&data, &["anomaly", "list"]).stdout).to_string();
    assert!(
        human.contains("#7 cannot be read") && human.contains("anomaly rm 7"),
        "{human}"
    );
    assert!(run(&data, &["anomaly", "rm", "7"]).status.success());
    let listed = json_of(&run(&data, &["anomaly", "list", "--json"]));
    assert_eq!(listed["unreadable"], serde_json::json!([]), "{listed}");
}

#[test]
fn a_damaged_budget_is_shown_as_such_and_can_be_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let set = run(&data, &["budget", "set", "--limit", "5", "--name", "Daily"]);
    assert!(set.status.success(), "{set:?}");
    let store = clawtower_store::Store::open(&data.join("clawtower.sqlite")).unwrap();
    store
        .with_conn(|c| {
            c.execute(
                "INSERT INTO budgets (definition, created_ms) VALUES ('{not json', 0)",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let status = json_of(&run(&data, &["budget", "status", "--json"]));
    assert_eq!(status["budgets"].as_array().unwrap().len(), 1, "{status}");
    assert_eq!(status["unusable"][0]["id"], 2, "{status}");
    let human = String::from_utf8_lossy(&run(&data, &["budget", "status"]).stdout).to_string();
    assert!(human.contains("#2 NOT ENFORCED"), "{human}");
    let rm = run(&data, &["budget", "rm", "2"]);
    assert!(rm.status.success(), "{rm:?}");
    let said = String::from_utf8_lossy(&rm.stdout);
    assert!(said.contains("could not be read"), "{said}");
    let rm_again = run(&data, &["budget", "rm", "2"]);
    assert!(!rm_again.status.success(), "gone: {rm_again:?}");
}
