//! Routing OpenClaw through the router (`clawtower router attach|detach`) against the scripted
//! gateway: one config.patch that points each provider the router speaks for at it; detach puts
//! openclaw.json back exactly; a refused patch leaves nothing behind, a lost answer is checked
//! with a read. (The real gateway: tests/openclaw/test_router_attach.py.)

use std::sync::Arc;
use std::time::Duration;

use clawtower_gateway::{GatewayClient, Target};
use clawtower_router::attachments;
use clawtower_router::keys;
use clawtower_runtime::attach::{attach, detach};
use clawtower_store::Store;
use serde_json::json;

use clawtower_testkit as common;

use common::identity;
use common::scripted::{busy_gateway, fake, Gateway};

const ROUTER: &str = "http://127.0.0.1:8090";

fn with_providers() -> Gateway {
    let mut gateway = busy_gateway();
    gateway.config = json!({"gateway": {"port": 1}, "models": {"providers": {
        "stub": {"baseUrl": "http://127.0.0.1:9001/v1", "api": "openai-completions", "apiKey": "__OPENCLAW_REDACTED__",
                 "models": [{"id": "m1", "name": "M1"}, {"id": "m2", "compat": {"supportsStore": false}},
                            {"id": "m3", "compat": {"sendSessionAffinityHeaders": false}}]},
        "claude": {"baseUrl": "https://api.anthropic.com", "api": "anthropic-messages", "headers": {"x-team": "a"},
                   "models": [{"id": "c1", "compat": {"sendSessionAffinityHeaders": true}}]},
        "gemini": {"baseUrl": "https://g", "api": "google-generative-ai"}
    }}});
    gateway
}

async fn connect(
    gateway: Gateway,
) -> (
    Arc<std::sync::Mutex<Gateway>>,
    GatewayClient,
    Arc<Store>,
    tempfile::TempDir,
) {
    let (state, url) = fake(gateway).await;
    let (dir, identity) = identity();
    let target = Target::new(url, Some("t".into()));
    let client = GatewayClient::connect(&target, &identity, Duration::from_secs(5))
        .await
        .unwrap();
    (
        state,
        client,
        Arc::new(Store::open_in_memory().unwrap()),
        dir,
    )
}

fn every_key_revoked(store: &Store) -> bool {
    let all = store.read(|c| keys::list(c)).unwrap();
    all.iter().all(|k| k.revoked_ms.is_some())
}

#[tokio::test]
async fn attach_routes_what_the_router_speaks_and_detach_restores_exactly() {
    let (gateway, client, store, _dir) = connect(with_providers()).await;
    let before = gateway.lock().unwrap().config.clone();
    let state_dir = std::path::Path::new("/home/u/.openclaw");
    let routed = attach(&client, &store, "ws://gw", Some(state_dir), ROUTER)
        .await
        .unwrap();
    let names: Vec<_> = routed
        .attached
        .iter()
        .map(|a| a.provider.as_str())
        .collect();
    assert_eq!(names, ["claude", "stub"]);
    assert_eq!(routed.skipped.len(), 1, "gemini: another protocol");
    assert!(routed.attached.iter().all(|a| a.confirmed));
    {
        let g = gateway.lock().unwrap();
        let providers = &g.config["models"]["providers"];
        assert_eq!(
            providers["stub"]["baseUrl"],
            "http://127.0.0.1:8090/openclaw/stub/v1"
        );
        assert_eq!(
            providers["claude"]["baseUrl"],
            "http://127.0.0.1:8090/openclaw/claude"
        );
        assert_eq!(
            providers["claude"]["headers"]["x-team"], "a",
            "its own headers stay"
        );
        // Every model sends its calls' session id (the router finds their agent by it); the
        // rest of each model entry stays as it was.
        assert_eq!(
            providers["stub"]["models"],
            json!([{"id": "m1", "name": "M1", "compat": {"sendSessionAffinityHeaders": true}},
                   {"id": "m2", "compat": {"supportsStore": false, "sendSessionAffinityHeaders": true}},
                   {"id": "m3", "compat": {"sendSessionAffinityHeaders": true}}])
        );
        assert_eq!(
            providers["claude"]["models"],
            json!([{"id": "c1", "compat": {"sendSessionAffinityHeaders": true}}]),
            "already on: untouched"
        );
        assert!(providers["stub"]["headers"]["x-clawtower-key"]
            .as_str()
            .unwrap()
            .starts_with("ctk-"));
        assert_eq!(
            providers["stub"]["apiKey"], "__OPENCLAW_REDACTED__",
            "its key is not touched"
        );
        assert_eq!(
            g.calls.iter().filter(|c| *c == "config.patch").count(),
            1,
            "one patch, all or nothing"
        );
    }
    let key = store.read(|c| keys::list(c)).unwrap();
    assert_eq!((key.len(), key[0].agent_id.as_str()), (1, "openclaw"));
    let kept = store.read(|c| attachments::list(c)).unwrap();
    let stub = kept.iter().find(|a| a.provider == "stub").unwrap();
    assert_eq!(stub.state_dir.as_deref(), Some("/home/u/.openclaw"));
    assert!(stub.knows_sessions);
    assert!(stub.added_session_headers("m1") && stub.added_session_headers("m3"));
    let claude = kept.iter().find(|a| a.provider == "claude").unwrap();
    assert!(
        !claude.added_session_headers("c1"),
        "it sent them before: they pass"
    );

    // Again: nothing more to route.
    assert!(
        attach(&client, &store, "ws://gw", None, ROUTER)
            .await
            .unwrap()
            .attached
            .len()
            == 2
    );

    let after = detach(&client, &store).await.unwrap();
    assert!(
        after.attached.is_empty() && after.notes.is_empty(),
        "{after:?}"
    );
    assert_eq!(
        gateway.lock().unwrap().config,
        before,
        "openclaw.json as it was"
    );
    assert!(store.read(|c| attachments::list(c)).unwrap().is_empty());
    assert!(every_key_revoked(&store));
}

#[tokio::test]
async fn a_refused_attach_leaves_nothing_and_a_lost_answer_is_read_back() {
    let mut refusing = with_providers();
    refusing.fail = Some("config.patch");
    let (gateway, client, store, _dir) = connect(refusing).await;
    let before = gateway.lock().unwrap().config.clone();
    let err = attach(&client, &store, "ws://gw", None, ROUTER)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(gateway.lock().unwrap().config, before);
    assert!(store.read(|c| attachments::list(c)).unwrap().is_empty());
    assert!(every_key_revoked(&store));

    let mut losing = with_providers();
    losing.lose_answer = Some("config.patch");
    let (gateway, client, store, _dir) = connect(losing).await;
    let routed = attach(&client, &store, "ws://gw", None, ROUTER)
        .await
        .unwrap();
    assert_eq!(
        routed.attached.len(),
        2,
        "the change was made: read back and kept"
    );
    assert!(
        gateway.lock().unwrap().config["models"]["providers"]["stub"]["baseUrl"]
            .as_str()
            .unwrap()
            .contains("/openclaw/stub")
    );
}

/// OpenClaw 2026.7.1's config does not know `compat.sendSessionAffinityHeaders`: attach routes
/// its providers all the same, without it, and says what that means for budgets.
#[tokio::test]
async fn an_openclaw_without_session_ids_is_routed_and_told_what_that_means() {
    let mut older = with_providers();
    older.refuse_patch_with = Some("sendSessionAffinityHeaders");
    let (gateway, client, store, _dir) = connect(older).await;
    let before = gateway.lock().unwrap().config.clone();
    let routed = attach(&client, &store, "ws://gw", None, ROUTER)
        .await
        .unwrap();
    assert_eq!(routed.attached.len(), 2);
    assert!(routed
        .attached
        .iter()
        .all(|a| a.confirmed && a.affinity.is_empty()));
    assert_eq!(routed.notes.len(), 1);
    assert!(routed.notes[0].contains("session id"), "{:?}", routed.notes);
    let now = gateway.lock().unwrap().config.clone();
    assert_eq!(models_of(&now), models_of(&before), "models as they were");
    detach(&client, &store).await.unwrap();
    assert_eq!(gateway.lock().unwrap().config, before);
}

fn models_of(config: &serde_json::Value) -> serde_json::Value {
    config["models"]["providers"]["stub"]["models"].clone()
}

#[tokio::test]
async fn detach_keeps_what_the_user_changed_since() {
    let (gateway, client, store, _dir) = connect(with_providers()).await;
    attach(&client, &store, "ws://gw", None, ROUTER)
        .await
        .unwrap();
    gateway.lock().unwrap().config["models"]["providers"]["stub"]["baseUrl"] =
        json!("http://elsewhere/v1");
    let after = detach(&client, &store).await.unwrap();
    assert_eq!(after.notes.len(), 1, "{:?}", after.notes);
    let g = gateway.lock().unwrap();
    assert_eq!(
        g.config["models"]["providers"]["stub"]["baseUrl"],
        "http://elsewhere/v1"
    );
    assert!(
        g.config["models"]["providers"]["stub"]
            .get("headers")
            .is_none(),
        "the router's header goes"
    );
    assert_eq!(
        g.config["models"]["providers"]["claude"]["baseUrl"],
        "https://api.anthropic.com"
    );
}
