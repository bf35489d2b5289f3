//! Archive and restore against the scripted gateway with faults injected between steps — a call
//! refused, a file move failing, the connection dropped after a change was made but before its
//! answer: each leaves a visible, consistent state (the manifest says how far it got; nothing half
//! gone), and running the same command again (over a new connection) completes it, making nothing
//! twice. (The real gateways:
//! tests/openclaw/test_agent_lifecycle.py.)

use std::path::{Path, PathBuf};
use std::time::Duration;

use clawtower_gateway::{DeviceIdentity, GatewayClient, Target};
use clawtower_lifecycle::agents::Lifecycle;
use clawtower_lifecycle::archive::{self, ArchiveState, Step};
use clawtower_lifecycle::audit;
use clawtower_store::Store;

use clawtower_testkit as common;

use common::identity;
use common::scripted::{busy_gateway, fake, Gateway};

fn lifecycle<'a>(
    client: &'a GatewayClient,
    store: &'a Store,
    root: &'a Path,
    state: &'a Path,
) -> Lifecycle<'a> {
    Lifecycle {
        client,
        gateway_url: "ws://gw",
        store,
        data_root: root,
        state_dir: Some(state),
        actor: "cli",
    }
}

/// An agent `ops` with a workspace and a session on disk, and a busy scripted gateway that has
/// it: (data root, OpenClaw state dir, ops's workspace, the gateway's script).
fn ops_on_disk(dir: &Path) -> (PathBuf, PathBuf, PathBuf, Gateway) {
    let (root, state) = (dir.join("data"), dir.join("openclaw"));
    let workspace = dir.join("workspace-ops");
    std::fs::create_dir_all(workspace.join("memory")).unwrap();
    std::fs::write(workspace.join("AGENTS.md"), "ops").unwrap();
    std::fs::create_dir_all(state.join("agents/ops/sessions")).unwrap();
    std::fs::write(state.join("agents/ops/sessions/s1.jsonl"), "{}\n").unwrap();
    let mut script = busy_gateway();
    script
        .agents
        .push(("ops".into(), workspace.display().to_string()));
    (root, state, workspace, script)
}

/// A new connection to the scripted gateway (what the next command, or the app after a
/// reconnect, has).
async fn connect(url: &str, identity: &DeviceIdentity) -> GatewayClient {
    GatewayClient::connect(
        &Target::new(url.to_string(), Some("t".into())),
        identity,
        Duration::from_secs(5),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_failed_step_leaves_a_state_the_next_attempt_completes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, state, workspace, mut script) = ops_on_disk(dir.path());
    script.fail = Some("agents.delete"); // the gateway refuses half-way
    let (gateway, url) = fake(script).await;
    let (_id_dir, identity) = identity();
    let client = connect(&url, &identity).await;
    let store = Store::open_in_memory().unwrap();
    let l = lifecycle(&client, &store, &root, &state);

    let err = l.archive("ops").await.unwrap_err().to_string();
    assert!(err.contains("agents.delete"), "{err}");
    let (archives, _) = archive::list(&root).unwrap();
    let [m] = archives.as_slice() else {
        panic!("one archive: {archives:?}")
    };
    assert_eq!(m.state, ArchiveState::Archiving);
    assert_eq!(
        m.done,
        [Step::Aborted, Step::CronsDisabled],
        "how far it got"
    );
    assert!(
        workspace.exists(),
        "nothing moved while the agent is still in OpenClaw"
    );
    assert!(gateway
        .lock()
        .unwrap()
        .agents
        .iter()
        .any(|(a, _)| a == "ops"));
    let jobs_off = gateway
        .lock()
        .unwrap()
        .jobs
        .iter()
        .filter(|(id, a, _)| a == "ops" && !id.starts_with("hb-")) // OpenClaw's own stay as they are
        .all(|(_, _, on)| !on);
    assert!(
        jobs_off,
        "its jobs are off, not gone: saved in the manifest"
    );

    // The archive's place is taken: the move fails, the agent is out of OpenClaw, files stay.
    gateway.lock().unwrap().fail = None;
    let blocker = archive::dir(&root, &m.id).unwrap().join("workspace");
    std::fs::write(&blocker, "in the way").unwrap();
    let err = l.archive("ops").await.unwrap_err().to_string();
    assert!(err.contains("cannot move"), "{err}");
    let again = archive::load(&root, &m.id).unwrap();
    assert!(again.did(Step::Removed) && !again.did(Step::FilesMoved));
    assert!(
        workspace.join("AGENTS.md").exists(),
        "the source stays whole"
    );

    std::fs::remove_file(&blocker).unwrap();
    let done = l.archive("ops").await.unwrap();
    assert_eq!(
        (done.id.as_str(), done.state),
        (m.id.as_str(), ArchiveState::Archived),
        "the same archive, completed"
    );
    assert!(!workspace.exists() && !state.join("agents/ops").exists());
    let saved = archive::dir(&root, &m.id).unwrap();
    assert_eq!(
        std::fs::read_to_string(saved.join("workspace/AGENTS.md")).unwrap(),
        "ops"
    );
    assert!(saved.join("agent/sessions/s1.jsonl").exists());
    assert_eq!(done.cron_jobs, 2, "ops-job and off, saved");

    // Restore: the jobs cannot be made yet; again, it completes.
    gateway.lock().unwrap().fail = Some("cron.add");
    let err = l.restore(&m.id).await.unwrap_err().to_string();
    assert!(err.contains("cron.add"), "{err}");
    let half = archive::load(&root, &m.id).unwrap();
    assert_eq!(half.state, ArchiveState::Restoring);
    assert!(half.did(Step::FilesBack) && half.did(Step::Created) && !half.did(Step::CronsBack));
    assert!(workspace.join("AGENTS.md").exists(), "files back already");
    gateway.lock().unwrap().fail = None;
    let restored = l.restore(&m.id).await.unwrap();
    assert_eq!(
        (
            restored.agent_id.as_str(),
            restored.cron_jobs,
            restored.sessions_archived
        ),
        ("ops", 2, false)
    );
    assert!(state.join("agents/ops/sessions/s1.jsonl").exists());
    assert!(
        !archive::dir(&root, &m.id).unwrap().exists(),
        "a complete restore leaves no archive"
    );
    let g = gateway.lock().unwrap();
    assert_eq!(
        g.agents.iter().filter(|(a, _)| a == "ops").count(),
        1,
        "made once, not twice"
    );
    assert_eq!(g.jobs.iter().filter(|(_, a, _)| a == "ops").count(), 2);
    drop(g);

    let log: Vec<(String, String)> = store
        .read(|c| audit::latest(c, 10))
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| (e.action, e.result))
        .collect();
    let expected = [
        ("agent.archive", "failed"),
        ("agent.archive", "failed"),
        ("agent.archive", "ok"),
        ("agent.restore", "failed"),
        ("agent.restore", "ok"),
    ];
    assert_eq!(log, expected.map(|(a, r)| (a.to_string(), r.to_string())));
}

#[tokio::test]
async fn a_connection_dropped_between_steps_is_completed_over_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let (root, state, workspace, mut script) = ops_on_disk(dir.path());
    // OpenClaw removes the agent, and the connection drops before it says so.
    script.drop_after = Some("agents.delete");
    let (gateway, url) = fake(script).await;
    let (_id_dir, identity) = identity();
    let store = Store::open_in_memory().unwrap();

    let client = connect(&url, &identity).await;
    let l = lifecycle(&client, &store, &root, &state);
    assert!(l.archive("ops").await.is_err());
    let (archives, _) = archive::list(&root).unwrap();
    let [m] = archives.as_slice() else {
        panic!("one archive: {archives:?}")
    };
    assert_eq!(m.state, ArchiveState::Archiving);
    assert!(!m.did(Step::Removed), "the answer never came");
    assert!(!gateway
        .lock()
        .unwrap()
        .agents
        .iter()
        .any(|(a, _)| a == "ops"));
    assert!(workspace.join("AGENTS.md").exists(), "nothing moved yet");

    // The next command, over a new connection, finds the agent gone and finishes the archive.
    let client = connect(&url, &identity).await;
    let l = lifecycle(&client, &store, &root, &state);
    let done = l.archive("ops").await.unwrap();
    assert_eq!(
        (done.id.as_str(), done.state, done.cron_jobs),
        (m.id.as_str(), ArchiveState::Archived, 2)
    );
    assert!(!workspace.exists() && !state.join("agents/ops").exists());

    // Restore: the first of its two jobs is made again, then the connection drops.
    gateway.lock().unwrap().drop_after = Some("cron.add");
    assert!(l.restore(&m.id).await.is_err());
    let half = archive::load(&root, &m.id).unwrap();
    assert_eq!(half.state, ArchiveState::Restoring);
    assert!(half.did(Step::Created) && !half.did(Step::CronsBack));
    let ops_jobs = || {
        gateway
            .lock()
            .unwrap()
            .jobs
            .iter()
            .filter(|(_, a, _)| a == "ops")
            .count()
    };
    assert_eq!(ops_jobs(), 1);
    let client = connect(&url, &identity).await;
    let l = lifecycle(&client, &store, &root, &state);
    let restored = l.restore(&m.id).await.unwrap();
    assert_eq!((restored.agent_id.as_str(), restored.cron_jobs), ("ops", 2));
    assert_eq!(
        ops_jobs(),
        2,
        "the job made before the drop is not made twice"
    );
    let g = gateway.lock().unwrap();
    assert_eq!(g.agents.iter().filter(|(a, _)| a == "ops").count(), 1);
    assert!(workspace.join("AGENTS.md").exists());
}
