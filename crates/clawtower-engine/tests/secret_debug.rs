//! `Debug` of every type that can hold a secret prints `<redacted>` (or leaves it out), never the
//! secret: sink definitions, gateway entries and targets, the device identity and its tokens, the
//! hello a gateway answers with, OpenClaw's config.

use clawtower_control::alerts::sinks::{SinkConfig, SinkDraft};
use clawtower_feeds::roster::entry::{CredentialKind, GatewayCredential, GatewayDraft};
use clawtower_feeds::roster::store::StoredGateway;
use clawtower_gateway::DeviceTokens;
use clawtower_gateway::{DeviceIdentity, DEVICE_FILE};
use clawtower_gateway::{Hello, Target};
use clawtower_openclaw::OpenClawConfig;

const SECRET: &str = "S3CR3T_VALUE";

fn assert_redacted(what: &str, debug: String) {
    assert!(!debug.contains(SECRET), "{what}: {debug}");
    assert!(!debug.contains("hunter2"), "{what}: {debug}");
}

#[test]
fn debug_never_prints_a_secret() {
    let credential = GatewayCredential {
        kind: CredentialKind::Token,
        secret: SECRET.into(),
    };
    assert_redacted("credential", format!("{credential:?}"));
    let draft = GatewayDraft {
        name: "gw".into(),
        url: "wss://user:hunter2@gw.example.com/".into(),
        credential: Some(credential.clone()),
        allow_unencrypted: false,
    };
    assert_redacted("gateway draft", format!("{draft:?}"));
    let stored = StoredGateway {
        id: 1,
        name: "gw".into(),
        url: Some(format!("wss://gw.example.com/?token={SECRET}")),
        credential: Some(credential),
    };
    assert_redacted("stored gateway", format!("{stored:?}"));
    let target = Target {
        url: format!("ws://user:hunter2@127.0.0.1:1/?token={SECRET}"),
        token: Some(SECRET.into()),
        password: Some(SECRET.into()),
    };
    assert_redacted("target", format!("{target:?}"));
    let hello = Hello {
        protocol: 4,
        server_version: "2026.9.6".into(),
        auth_method: "token".into(),
        scopes: vec![],
        methods: vec![],
        max_payload: 1,
        tick_interval_ms: 1,
        device_token: Some(SECRET.into()),
    };
    assert_redacted("hello", format!("{hello:?}"));

    let sinks = [
        SinkConfig::Webhook {
            url: format!("https://hunter2:x@example.com/{SECRET}?k={SECRET}"),
            allow_private: false,
        },
        SinkConfig::Slack {
            webhook_url: format!("https://hooks.slack.com/services/T/B/{SECRET}"),
        },
        SinkConfig::Discord {
            webhook_url: format!("https://discord.com/api/webhooks/1/{SECRET}"),
        },
        SinkConfig::Telegram {
            bot_token: format!("1:{SECRET}"),
            chat_id: "42".into(),
        },
        SinkConfig::Ntfy {
            server: "https://ntfy.sh".into(),
            topic: "t".into(),
            token: Some(SECRET.into()),
            allow_private: false,
        },
        serde_json::from_value(serde_json::json!({
            "kind": "email", "host": "smtp.example.com", "port": 587, "security": "starttls",
            "username": "me", "password": SECRET, "from": "a@x", "to": "b@x",
        }))
        .unwrap(),
    ];
    for config in sinks {
        assert_redacted("sink", format!("{config:?}"));
        let draft = SinkDraft {
            name: "s".into(),
            config,
            cooldown_secs: 0,
            proxy: None,
        };
        assert_redacted("sink draft", format!("{draft:?}"));
    }

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(DEVICE_FILE);
    let identity = DeviceIdentity::load_or_create(&path).unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let key = stored["secret_key"].as_str().unwrap();
    assert!(!format!("{identity:?}").contains(key));
    let tokens = DeviceTokens::in_dir(tmp.path());
    tokens.set("ws://a/", SECRET).unwrap();
    assert_redacted("device tokens", format!("{tokens:?}"));

    let config = OpenClawConfig::parse(&format!(
        r#"{{gateway: {{auth: {{token: "{SECRET}", password: "{SECRET}"}}}}}}"#
    ))
    .unwrap();
    assert_redacted("openclaw config", format!("{config:?}"));
}
