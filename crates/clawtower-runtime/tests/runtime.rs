//! The runtime under a test host, with no desktop: a transcript line becomes spend, spend over a
//! budget becomes an alert and a notification through the host, the session whose transcript grew
//! is named to the host, what is said in it becomes searchable, and dropping the runtime stops it.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use clawtower_control::budget::{
    BudgetAction, BudgetDraft, BudgetLevel, BudgetScope, BudgetWindow,
};
use clawtower_core::DataDir;
use clawtower_runtime::{Event, GatewaySource, Host, RecordingHost, Runtime, RuntimeOptions};

const WAIT: Duration = Duration::from_secs(20);

fn transcript_line(cost: f64) -> String {
    let now = jiff::Timestamp::now().as_millisecond();
    format!(
        "{{\"type\":\"message\",\"id\":\"m1\",\"message\":{{\"role\":\"assistant\",\"provider\":\"x\",\"model\":\"y\",\"timestamp\":{now},\"usage\":{{\"input\":1,\"cost\":{{\"total\":{cost}}}}}}}}}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_crossed_by_a_transcript_alerts_through_the_host() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("openclaw");
    let sessions = home.join("agents/main/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let host = Arc::new(RecordingHost::default());
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir: DataDir::at(tmp.path().join("data")),
            openclaw_home: Some(home.clone()),
            // No gateway: this test is about the ledger, budgets and the host.
            gateways: GatewaySource::Only(vec![]),
            transcripts: true,
            tokio: tokio::runtime::Handle::current(),
        },
        host.clone() as Arc<dyn Host>,
    )
    .unwrap();
    assert!(
        host.wait_until(WAIT, |h| h
            .events()
            .iter()
            .any(|e| matches!(e, Event::SpendUpdated(_))))
            .await,
        "the runtime must push spend so far at start"
    );
    runtime
        .engine()
        .save_budget(
            None,
            BudgetDraft {
                name: "Daily cap".into(),
                scope: BudgetScope::All,
                window: BudgetWindow::Day,
                limit_usd: 1.0,
                thresholds: vec![],
                action: BudgetAction::Alert,
                auto_resume: false,
            },
        )
        .unwrap();
    runtime.budgets().nudge();

    std::fs::write(sessions.join("s1.jsonl"), transcript_line(2.5)).unwrap();

    let spent = |h: &RecordingHost| {
        h.events()
            .iter()
            .any(|e| matches!(e, Event::SpendUpdated(s) if s.tray_label == "$2.50 today"))
    };
    assert!(
        host.wait_until(WAIT, spent).await,
        "events: {:?}",
        host.events()
    );
    // The session whose transcript grew is named, so an open timeline reads itself again.
    let named = |h: &RecordingHost| {
        h.events().iter().any(
            |e| matches!(e, Event::SessionsChanged(c) if c.keys == ["agent:main:s1"] && !c.many),
        )
    };
    assert!(
        host.wait_until(WAIT, named).await,
        "events: {:?}",
        host.events()
    );
    // A call the transcript watcher stored (no gateway here) is told to the host too, once.
    assert!(host.wait_until(WAIT, |h| h.calls().len() == 1).await);
    assert_eq!(host.calls()[0].cost.display(), "$2.50");
    let exceeded = |h: &RecordingHost| {
        h.events().iter().any(|e| {
            matches!(e, Event::BudgetBoardChanged(b)
                if b.budgets.iter().any(|s| s.level == BudgetLevel::Exceeded))
        })
    };
    assert!(
        host.wait_until(WAIT, exceeded).await,
        "events: {:?}",
        host.events()
    );
    assert!(
        host.wait_until(WAIT, |h| h.events().contains(&Event::AlertsChanged))
            .await
    );
    let notes = host.notifications();
    assert!(
        notes.iter().any(|n| n.title.contains("Daily cap")),
        "the budget's alerts reach the host's notifications: {notes:?}"
    );

    // What is said in a session becomes searchable within seconds, in any language.
    let said = "{\"type\":\"message\",\"id\":\"u1\",\"message\":{\"role\":\"user\",\"content\":\"太阳帆はいつ展開しますか\"}}\n";
    std::fs::OpenOptions::new()
        .append(true)
        .open(sessions.join("s1.jsonl"))
        .unwrap()
        .write_all(said.as_bytes())
        .unwrap();
    let started = std::time::Instant::now();
    let found = loop {
        let found = runtime
            .engine()
            .store()
            .read(|c| clawtower_sessions::search::sessions_saying(c, "太阳帆"))
            .unwrap();
        if found.contains("agent:main:s1") || started.elapsed() > WAIT {
            break found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(found.contains("agent:main:s1"), "{found:?}");

    // Dropping the runtime stops its loops: no more events afterwards.
    drop(runtime);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let settled = host.events().len();
    std::fs::write(sessions.join("s2.jsonl"), transcript_line(1.0)).unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(host.events().len(), settled, "a dropped runtime must stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_runtime_per_data_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let options = || RuntimeOptions {
        data_dir: DataDir::at(tmp.path().join("data")),
        openclaw_home: Some(tmp.path().join("openclaw")),
        gateways: GatewaySource::Only(vec![]),
        transcripts: true,
        tokio: tokio::runtime::Handle::current(),
    };
    let host = || Arc::new(RecordingHost::default()) as Arc<dyn Host>;
    let first = Runtime::start(options(), host()).unwrap();
    let err = Runtime::start(options(), host())
        .err()
        .expect("a second runtime must be refused");
    let message = err.to_string();
    assert!(
        message.contains(&format!("pid {}", std::process::id()))
            && message.contains("another data dir"),
        "{message}"
    );
    drop(first);
    Runtime::start(options(), host()).expect("the data dir is free once the first stopped");
}

fn start_with(data: &std::path::Path) -> Runtime {
    start_hosted(data, Arc::new(RecordingHost::default()))
}

fn start_hosted(data: &std::path::Path, host: Arc<RecordingHost>) -> Runtime {
    Runtime::start(
        RuntimeOptions {
            data_dir: DataDir::at(data.to_path_buf()),
            openclaw_home: Some(data.join("no-openclaw")),
            gateways: GatewaySource::Only(vec![]),
            transcripts: false,
            tokio: tokio::runtime::Handle::current(),
        },
        host as Arc<dyn Host>,
    )
    .unwrap()
}

/// A router config in `data` listening on any free loopback port, with one provider that is
/// not there.
fn router_config(data: &std::path::Path) {
    std::fs::create_dir_all(data).unwrap();
    std::fs::write(
        data.join(clawtower_runtime::ROUTER_CONFIG),
        "[router]\nlisten = \"127.0.0.1:0\"\n[[providers]]\nid = \"local\"\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodels = [\"m\"]\n",
    )
    .unwrap();
}

/// The Router page's request log is live: when the router stores what it did with a call (here:
/// a call it refused, for a model it does not know), the host is told to read the log again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_hears_when_the_routers_request_log_changes() {
    use clawtower_router::keys::{create, KeyDraft};
    let tmp = tempfile::tempdir().unwrap();
    router_config(tmp.path());
    let host = Arc::new(RecordingHost::default());
    let runtime = start_hosted(tmp.path(), host.clone());
    let draft = KeyDraft {
        agent_id: "coder".into(),
        name: String::new(),
        models: vec![],
        expires_ms: None,
        limits: Default::default(),
    };
    let (_, key) = runtime.store().with_conn(|c| create(c, &draft, 1)).unwrap();
    let told = || {
        host.events()
            .iter()
            .filter(|e| matches!(e, Event::RouterActivityChanged))
            .count()
    };
    assert_eq!(told(), 0);
    let endpoint = runtime.router().status().endpoint.unwrap();
    clawtower_core::tls::install_provider();
    let refused = reqwest::Client::new()
        .post(format!("{endpoint}/chat/completions"))
        .bearer_auth(&key)
        .json(&serde_json::json!({"model": "nope", "messages": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while told() == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(told(), 1, "told once the refusal was stored");
}

/// The router runs inside the runtime when `router.toml` is in the data dir; without one it is
/// off, and a config it cannot use leaves it failed with the reason while the rest runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_router_runs_when_its_config_is_in_the_data_dir() {
    use clawtower_router::status::RouterRunState;
    let tmp = tempfile::tempdir().unwrap();
    let off = start_with(&tmp.path().join("off"));
    assert_eq!(off.router().status().state, RouterRunState::Off);

    let data = tmp.path().join("on");
    router_config(&data);
    let on = start_with(&data);
    let status = on.router().status();
    assert_eq!(status.state, RouterRunState::Running, "{status:?}");
    let endpoint = status.endpoint.unwrap();
    clawtower_core::tls::install_provider();
    let health = reqwest::get(endpoint.replace("/v1", "/healthz"))
        .await
        .unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    assert_eq!(status.providers[0].id, "local");

    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join(clawtower_runtime::ROUTER_CONFIG),
        "[router]\nlisten = \"nowhere\"\n",
    )
    .unwrap();
    let failed = start_with(&bad).router().status();
    assert_eq!(failed.state, RouterRunState::Failed);
    assert!(failed.error.unwrap().contains("address:port"));
}

/// The local gateway is the one openclaw.json names, re-read as it changes (the runtime does it
/// every 15 s for the app, `clawtower serve` and `clawtower gateway follow` alike: each starts
/// this runtime with the followed gateway list).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_gateway_follows_openclaw_json_as_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("openclaw");
    std::fs::create_dir_all(&home).unwrap();
    let config = |port: u16| {
        std::fs::write(
            home.join("openclaw.json"),
            format!("{{gateway: {{port: {port}, auth: {{mode: \"token\", token: \"t\"}}}}}}"),
        )
        .unwrap()
    };
    config(18001);
    let host = Arc::new(RecordingHost::default());
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir: DataDir::at(tmp.path().join("data")),
            openclaw_home: Some(home.clone()),
            gateways: GatewaySource::Followed,
            transcripts: false,
            tokio: tokio::runtime::Handle::current(),
        },
        host.clone() as Arc<dyn Host>,
    )
    .unwrap();
    let local_url = |runtime: &Runtime| {
        let statuses = runtime.gateways().statuses();
        let local = statuses
            .iter()
            .find(|s| s.gateway.local)
            .expect("a local gateway");
        local.gateway.url.clone()
    };
    assert!(
        local_url(&runtime).contains(":18001"),
        "{}",
        local_url(&runtime)
    );
    config(18002);
    // What the 15 s loop runs.
    tokio::task::block_in_place(|| runtime.gateways().sync()).unwrap();
    assert!(
        local_url(&runtime).contains(":18002"),
        "{}",
        local_url(&runtime)
    );
    let told = |h: &RecordingHost| {
        h.events().iter().any(|e| {
            matches!(e, Event::GatewaysChanged(list)
                if list.iter().any(|s| s.gateway.local && s.gateway.url.contains(":18002")))
        })
    };
    assert!(
        host.wait_until(WAIT, told).await,
        "events: {:?}",
        host.events()
    );
}
