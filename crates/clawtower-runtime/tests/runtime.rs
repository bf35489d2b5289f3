//! The runtime under a test host, with no desktop: a transcript line becomes spend, spend over a
//! budget becomes an alert and a notification through the host, and dropping the runtime stops it.

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
