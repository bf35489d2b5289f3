//! Pause and resume against a scripted gateway that keeps state like the real one (the real
//! gateway is exercised by tests/openclaw/test_budget_pause.py): the right RPCs in the right
//! order, each change recorded, resume restoring exactly, and partial failures reported.

use std::sync::Arc;

use clawtower_control::budget::BudgetScope;
use clawtower_control::pause::{PauseRequest, PauseStep, Pauser};
use clawtower_gateway::Target;
use clawtower_store::Store;
use serde_json::json;

use clawtower_testkit as common;

use common::identity;
use common::scripted::{busy_gateway, fake};

fn request(scope: BudgetScope) -> PauseRequest {
    PauseRequest {
        scope,
        reason: "test".into(),
        budget_id: Some(1),
    }
}

/// A pauser over a fresh ledger for `gateway`, served by the scripted peer (the temp dir holds
/// the device identity: keep it).
async fn pauser_for(
    gateway: common::scripted::Gateway,
) -> (
    Arc<std::sync::Mutex<common::scripted::Gateway>>,
    Pauser,
    tempfile::TempDir,
) {
    let (gateway, url) = fake(gateway).await;
    let (dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    (
        gateway,
        Pauser::new(store, Target::new(url, None), identity),
        dir,
    )
}

#[tokio::test]
async fn pausing_everything_then_resuming_restores_the_exact_prior_state() {
    let (gateway, url) = fake(busy_gateway()).await;
    let before = gateway.lock().unwrap().config.clone();
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let pauser = Pauser::new(store.clone(), Target::new(url, Some("t".into())), identity);

    let record = pauser.pause(request(BudgetScope::All), 1).await.unwrap();
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    // Running turns first, then the sources of new ones.
    assert_eq!(
        record.steps,
        vec![
            PauseStep::SessionAborted {
                key: "agent:main:main".into()
            },
            PauseStep::SessionAborted {
                key: "agent:ops:main".into()
            },
            PauseStep::CronSchedulerDisabled { prior_cron: None },
            PauseStep::HeartbeatsDisabled,
            PauseStep::ChannelStopped {
                channel: "telegram".into(),
                account_id: "default".into()
            },
        ]
    );
    {
        let g = gateway.lock().unwrap();
        assert_eq!(g.config["cron"], json!({"enabled": false}));
        assert!(!g.heartbeats && g.channels.iter().all(|(_, running)| !running));
        assert!(g.active_sessions.is_empty());
    }
    // Pausing again while paused changes nothing.
    let again = pauser
        .pause(request(BudgetScope::Agent("main".into())), 2)
        .await
        .unwrap();
    assert_eq!(again.id, record.id);
    assert_eq!(
        pauser.active().unwrap().len(),
        1,
        "the record is in the store"
    );

    let resumed = pauser.resume(None, 3).await.unwrap();
    assert!(resumed[0].problems.is_empty() && resumed[0].resumed_ms == Some(3));
    let g = gateway.lock().unwrap();
    assert_eq!(g.config, before, "no `cron` key before, none after");
    assert!(g.heartbeats);
    assert_eq!(
        g.channels,
        vec![("default".to_string(), true), ("idle".to_string(), false)],
        "only what was running is started"
    );
    assert!(pauser.active().unwrap().is_empty());
}

#[tokio::test]
async fn an_agent_pause_touches_only_that_agents_jobs_and_runs() {
    let (gateway, pauser, _dir) = pauser_for(busy_gateway()).await;
    let record = pauser
        .pause(request(BudgetScope::Agent("ops".into())), 1)
        .await
        .unwrap();
    assert_eq!(
        record.steps,
        vec![
            PauseStep::SessionAborted {
                key: "agent:ops:main".into()
            },
            PauseStep::CronJobDisabled {
                id: "ops-job".into(),
                name: "ops-job".into()
            },
        ]
    );
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    {
        let g = gateway.lock().unwrap();
        assert!(g.heartbeats && g.config.get("cron").is_none() && g.channels[0].1);
        assert_eq!(
            g.active_sessions,
            vec![("main".to_string(), "agent:main:main".to_string())]
        );
    }
    pauser.resume(None, 2).await.unwrap();
    let g = gateway.lock().unwrap();
    assert_eq!(
        g.jobs.iter().map(|j| j.2).collect::<Vec<_>>(),
        vec![true, true, false, true, true],
        "the job that was off stays off, the system-owned one was never touched"
    );
}

#[tokio::test]
async fn failures_are_recorded_and_a_failed_undo_keeps_the_pause() {
    let mut broken = busy_gateway();
    broken.config["cron"] = json!({"enabled": true, "maxConcurrentRuns": 2});
    broken.fail = Some("channels.status");
    let (gateway, pauser, _dir) = pauser_for(broken).await;
    let record = pauser.pause(request(BudgetScope::All), 1).await.unwrap();
    assert_eq!(record.problems.len(), 1);
    assert!(
        record.problems[0].starts_with("channels not checked"),
        "{:?}",
        record.problems
    );
    assert!(
        gateway.lock().unwrap().channels[0].1,
        "still running, and the record says so"
    );

    gateway.lock().unwrap().fail = Some("set-heartbeats");
    let first = pauser.resume(None, 2).await.unwrap();
    assert_eq!(first[0].problems.len(), 1, "{:?}", first[0].problems);
    assert_eq!(
        first[0].steps,
        vec![PauseStep::HeartbeatsDisabled],
        "only the undo that failed is left"
    );
    assert_eq!(
        gateway.lock().unwrap().config["cron"],
        json!({"enabled": true, "maxConcurrentRuns": 2})
    );
    assert_eq!(
        pauser.active().unwrap().len(),
        1,
        "still paused until everything is undone"
    );

    gateway.lock().unwrap().fail = None;
    let second = pauser.resume(None, 3).await.unwrap();
    assert!(second[0].problems.is_empty());
    assert!(gateway.lock().unwrap().heartbeats);
    assert!(pauser.active().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreachable_gateway_fails_the_pause_without_a_record() {
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let pauser = Pauser::new(store, Target::new("ws://127.0.0.1:9/", None), identity);
    let err = pauser
        .pause(request(BudgetScope::All), 1)
        .await
        .unwrap_err();
    assert_eq!(err.code(), clawtower_core::ErrorCode::Gateway);
    assert!(pauser.active().unwrap().is_empty());
}

#[tokio::test]
async fn a_pause_that_changes_nothing_fails_and_leaves_no_record() {
    let mut broken = busy_gateway();
    broken.fail = Some("cron.list");
    let (_gateway, pauser, _dir) = pauser_for(broken).await;
    // An agent with no running turns: the only layer is its cron jobs, which cannot be read.
    let err = pauser
        .pause(request(BudgetScope::Agent("idle".into())), 1)
        .await
        .unwrap_err();
    assert_eq!(err.code(), clawtower_core::ErrorCode::Gateway);
    assert!(
        err.to_string()
            .starts_with("nothing could be paused: cron jobs not checked"),
        "{err}"
    );
    assert!(pauser.active().unwrap().is_empty());
}

#[tokio::test]
async fn a_budget_crossing_pauses_through_the_enforcer_and_notifies_once() {
    use clawtower_control::alerts::RecordingNotifier;
    use clawtower_control::budget::{store as budgets, BudgetAction, BudgetDraft, BudgetWindow};
    use clawtower_control::BudgetEnforcer;
    use clawtower_store::model_calls::{insert, CostOrigin, ModelCall};

    let (gateway, url) = fake(busy_gateway()).await;
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let notifier = Arc::new(RecordingNotifier::default());
    let pauser = Pauser::new(store.clone(), Target::new(url, None), identity);
    let enforcer = BudgetEnforcer::new(store.clone(), notifier.clone(), Some(pauser.clone()));
    let now: jiff::Zoned = "2026-11-21T12:00[UTC]".parse().unwrap();
    let now_ms = now.timestamp().as_millisecond();
    store
        .with_conn(|c| {
            budgets::add(
                c,
                BudgetDraft {
                    name: "Daily".into(),
                    scope: BudgetScope::All,
                    window: BudgetWindow::Day,
                    limit_usd: 1.0,
                    thresholds: vec![],
                    action: BudgetAction::Pause,
                    auto_resume: true,
                },
                now_ms,
            )?;
            let call = ModelCall {
                call_id: "c1".into(),
                agent_id: "main".into(),
                session_key: "agent:main:main".into(),
                session_id: "s".into(),
                ts_ms: now_ms - 1000,
                provider: "stub".into(),
                model: "m".into(),
                input_tokens: 1,
                output_tokens: 1,
                cache_read_tokens: 0,
                cache_write_tokens: 0,
                reasoning_tokens: 0,
                cost: clawtower_core::NanoUsd(1_200_000_000),
                reported_cost: clawtower_core::NanoUsd(1_200_000_000),
                unpriced_tokens: 0,
                response_id: None,
                announces: None,
                book_cost: None,
                cost_origin: CostOrigin::OpenClaw,
            };
            insert(c, &call).map(|_| ())
        })
        .unwrap();
    let statuses = enforcer.pass(&now).await.unwrap();
    assert!(statuses[0].paused);
    assert!(
        !gateway.lock().unwrap().heartbeats,
        "the gateway was paused"
    );
    enforcer.pass(&now).await.unwrap();
    let sent = notifier.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].title, "Paused: budget “Daily” reached");
    assert!(
        sent[0].body.starts_with("$1.20 of $1 today. "),
        "{}",
        sent[0].body
    );
    // The next day the window rolls over: auto-resume restores the gateway.
    let tomorrow: jiff::Zoned = "2026-11-22T00:00:05[UTC]".parse().unwrap();
    let statuses = enforcer.pass(&tomorrow).await.unwrap();
    assert!(!statuses[0].paused);
    assert!(gateway.lock().unwrap().heartbeats);
    assert_eq!(
        notifier.sent()[1].title,
        "Resumed: budget “Daily” has a new window"
    );
}

#[tokio::test]
async fn a_pause_belongs_to_its_gateway_when_budgets_move_to_another() {
    let (first, first_url) = fake(busy_gateway()).await;
    let (second, second_url) = fake(busy_gateway()).await;
    let before = first.lock().unwrap().config.clone();
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (a, b) = (
        Target::new(first_url.clone(), None),
        Target::new(second_url.clone(), None),
    );
    let pauser = Pauser::new(store, a.clone(), identity);
    let on_a = pauser.pause(request(BudgetScope::All), 1).await.unwrap();
    assert_eq!(on_a.gateway_url, first_url);

    // Budgets now control the second gateway: A's pause neither covers it nor is re-applied
    // or enforced there.
    pauser.retarget(Some(b.clone()), vec![a.clone(), b.clone()]);
    let calls_on_b = || second.lock().unwrap().calls.len();
    assert!(pauser.reassert().await.unwrap().is_empty());
    assert!(!pauser.enforce("main", "agent:main:main").await.unwrap());
    assert_eq!(calls_on_b(), 0, "nothing of A's pause was done on B");
    let on_b = pauser.pause(request(BudgetScope::All), 2).await.unwrap();
    assert_ne!(on_b.id, on_a.id, "B gets its own pause");
    assert_eq!(on_b.gateway_url, second_url);

    // Resume undoes each pause on its own gateway.
    let resumed = pauser.resume(None, 3).await.unwrap();
    assert!(resumed.iter().all(|r| r.problems.is_empty()), "{resumed:?}");
    assert_eq!(first.lock().unwrap().config, before);
    assert!(first.lock().unwrap().heartbeats && second.lock().unwrap().heartbeats);

    // A pause on a gateway no longer followed stays, and says how to lift it.
    pauser.retarget(Some(a.clone()), vec![a]);
    pauser.pause(request(BudgetScope::All), 4).await.unwrap();
    pauser.retarget(Some(b.clone()), vec![b]);
    let stuck = pauser.resume(None, 5).await.unwrap();
    assert!(
        stuck[0].problems[0].contains("no longer follows"),
        "{stuck:?}"
    );
    assert_eq!(pauser.active().unwrap().len(), 1);
}

#[tokio::test]
async fn a_cron_job_disabled_as_the_connection_dropped_is_read_back_and_resumed() {
    // The gateway switches the agent's job off and the connection drops before it answers:
    // Clawtower reads the jobs back (cron.list on a new connection), keeps the step on record,
    // and resume switches the job on again.
    let mut dropping = busy_gateway();
    dropping.drop_after = Some("cron.update");
    let (gateway, pauser, _dir) = pauser_for(dropping).await;
    let record = pauser
        .pause(request(BudgetScope::Agent("ops".into())), 1)
        .await
        .unwrap();
    assert!(
        record.steps.contains(&PauseStep::CronJobDisabled {
            id: "ops-job".into(),
            name: "ops-job".into()
        }),
        "the job read back switched off is on record: {record:?}"
    );
    let enabled = || -> Vec<bool> { gateway.lock().unwrap().jobs.iter().map(|j| j.2).collect() };
    assert!(!enabled()[1], "the gateway made the change");
    pauser.resume(None, 2).await.unwrap();
    assert_eq!(
        enabled(),
        vec![true, true, false, true, true],
        "resumed exactly"
    );
}

#[tokio::test]
async fn a_change_whose_answer_is_lost_is_on_record_before_it_is_sent_and_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clawtower.sqlite");
    let mut lost = busy_gateway();
    lost.config["cron"] = json!({"enabled": true});
    lost.lose_answer = Some("config.patch");
    lost.store_file = Some(file.clone());
    let (gateway, url) = fake(lost).await;
    let (_dir, identity) = identity();
    let pauser = Pauser::new(
        Arc::new(Store::open(&file).unwrap()),
        Target::new(url, None),
        identity,
    );
    let record = pauser.pause(request(BudgetScope::All), 1).await.unwrap();
    let seen = gateway.lock().unwrap().recorded_at_patch.clone();
    assert!(
        seen.as_deref()
            .is_some_and(|steps| steps.contains("cronSchedulerDisabled")),
        "the scheduler switch was recorded before config.patch was sent: {seen:?}"
    );
    // The answer was lost but the gateway shows the scheduler off: the step stands, no problem.
    assert!(record.steps.contains(&PauseStep::CronSchedulerDisabled {
        prior_cron: Some(r#"{"enabled":true}"#.into())
    }));
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    assert_eq!(
        gateway.lock().unwrap().config["cron"],
        json!({"enabled": false})
    );

    // Heartbeat wakes cannot be read back: a lost answer leaves the step on record, flagged.
    gateway.lock().unwrap().lose_answer = None;
    pauser.resume(None, 2).await.unwrap();
    {
        let mut g = gateway.lock().unwrap();
        assert_eq!(
            g.config["cron"],
            json!({"enabled": true}),
            "resumed exactly"
        );
        g.lose_answer = Some("set-heartbeats");
    }
    let record = pauser.pause(request(BudgetScope::All), 3).await.unwrap();
    assert!(
        record.steps.contains(&PauseStep::HeartbeatsDisabled),
        "{record:?}"
    );
    assert!(
        record
            .problems
            .iter()
            .any(|p| p.starts_with("heartbeat wakes turned off may or may not have happened")),
        "{:?}",
        record.problems
    );
    gateway.lock().unwrap().lose_answer = None;
    pauser.resume(None, 4).await.unwrap();
    assert!(gateway.lock().unwrap().heartbeats);

    // A change the gateway refused (and shows not made) is dropped from the record.
    gateway.lock().unwrap().fail = Some("channels.stop");
    let record = pauser.pause(request(BudgetScope::All), 5).await.unwrap();
    assert!(
        !record
            .steps
            .iter()
            .any(|s| matches!(s, PauseStep::ChannelStopped { .. })),
        "{:?}",
        record.steps
    );
    assert!(
        record
            .problems
            .iter()
            .any(|p| p.starts_with("channel telegram (default) stopped failed")),
        "{:?}",
        record.problems
    );
}

#[tokio::test]
async fn the_router_gate_is_the_pauses_hard_layer_on_record_and_lifted_by_resume() {
    use clawtower_control::BudgetGate;
    use clawtower_core::gate::{Admission, Gate};
    let (_gateway, url) = fake(busy_gateway()).await;
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let draft = clawtower_router::keys::KeyDraft {
        agent_id: "coder".into(),
        ..Default::default()
    };
    store
        .with_conn(|c| clawtower_router::keys::create(c, &draft, 1).map(drop))
        .unwrap();
    let gate = BudgetGate::new(store.clone(), clawtower_core::period::now_local);
    let call = Admission {
        agent_id: "coder".into(),
        session_key: "router:key-1".into(),
        provider: "stub".into(),
        model: "stub-model".into(),
        worst_case: None,
        budget_id: None,
    };
    assert!(gate.admit(&call).is_ok(), "open before the pause");
    let pauser = Pauser::new(store.clone(), Target::new(url, Some("t".into())), identity);
    let record = pauser.pause(request(BudgetScope::All), 1).await.unwrap();
    assert_eq!(
        record.steps[0],
        PauseStep::RouterGateClosed {
            routed_providers: 0
        },
        "the hard layer, first"
    );
    assert!(record
        .summary()
        .contains("odel calls through Clawtower's router refused"));
    assert!(gate.admit(&call).is_err(), "closed while paused");
    pauser.resume(None, 2).await.unwrap();
    assert!(gate.admit(&call).is_ok(), "open again once resumed");
}
