//! The whole runtime under a test host with no desktop, following a scripted gateway it
//! controls: spend over a pausing budget pauses the gateway through the runtime's budget loop,
//! and the host is told — a native notification and the pause on the board — as the app's
//! window and tray would be.

use std::sync::Arc;
use std::time::Duration;

use clawtower_control::budget::{BudgetAction, BudgetDraft, BudgetScope, BudgetWindow};
use clawtower_core::DataDir;
use clawtower_feeds::roster::{FollowedGateway, GatewayEntry};
use clawtower_gateway::Target;
use clawtower_runtime::{Event, GatewaySource, Host, RecordingHost, Runtime, RuntimeOptions};

use clawtower_testkit as common;

use common::scripted::{busy_gateway, fake};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pausing_budget_pauses_the_gateway_and_the_host_is_told() {
    let (gateway, url) = fake(busy_gateway()).await;
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("openclaw");
    let sessions = home.join("agents/main/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let followed = FollowedGateway {
        entry: GatewayEntry {
            id: 1,
            name: "scripted".into(),
            url: url.clone(),
            local: true,
            credential: None,
            credential_entered: false,
            controlled: true,
        },
        target: Target::new(url, None),
    };
    let host = Arc::new(RecordingHost::default());
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir: DataDir::at(tmp.path().join("data")),
            openclaw_home: Some(home),
            gateways: GatewaySource::Only(vec![followed]),
            transcripts: true,
            tokio: tokio::runtime::Handle::current(),
        },
        host.clone() as Arc<dyn Host>,
    )
    .unwrap();
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
                action: BudgetAction::Pause,
                auto_resume: false,
            },
        )
        .unwrap();
    let now = jiff::Timestamp::now().as_millisecond();
    std::fs::write(
        sessions.join("s1.jsonl"),
        format!("{{\"type\":\"message\",\"id\":\"m1\",\"message\":{{\"role\":\"assistant\",\"provider\":\"x\",\"model\":\"y\",\"timestamp\":{now},\"usage\":{{\"input\":1,\"cost\":{{\"total\":2.5}}}}}}}}\n"),
    )
    .unwrap();
    runtime.budgets().nudge();

    let paused_on_board = |h: &RecordingHost| {
        h.events().iter().any(|e| {
            matches!(e, Event::BudgetBoardChanged(b)
                if b.pauses.iter().any(|p| p.budget_id.is_some()))
        })
    };
    assert!(
        host.wait_until(WAIT, paused_on_board).await,
        "events: {:?}",
        host.events()
    );
    let notes = host.notifications();
    assert!(
        notes
            .iter()
            .any(|n| n.title.contains("Daily cap") && n.title.to_lowercase().contains("paus")),
        "the pause reaches the host's notifications: {notes:?}"
    );
    let g = gateway.lock().unwrap();
    assert_eq!(
        g.config["cron"],
        serde_json::json!({"enabled": false}),
        "the gateway's scheduler is off"
    );
    assert!(!g.heartbeats, "its heartbeat wakes are off");
}
