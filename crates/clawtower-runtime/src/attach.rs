//! "Route OpenClaw through Clawtower": each OpenClaw provider the router can speak for gets its
//! `baseUrl` pointed at the router and a header with a router key, and each of its models is
//! told to send its calls' session id (`compat.sendSessionAffinityHeaders`, so the router's
//! budget gate knows each call's agent and session), in one `config.patch` (all or nothing);
//! detach puts back exactly what was there. OpenClaw keeps its own API keys:
//! the router passes them on (see `clawtower_router::attachments`). What was changed is
//! recorded before the patch is sent, so a crash or a lost answer in between leaves nothing
//! that detach cannot restore.

use serde::Serialize;
use serde_json::{json, Map, Value};

use clawtower_core::error::{EngineError, Result};
use clawtower_core::period::now_ms;
use clawtower_gateway::rpc::{ConfigPatched, ConfigSnapshot};
use clawtower_gateway::{GatewayClient, GatewayError};
use clawtower_router::attachments::{
    self, is_routable_id, routed_base_url, upstream_of, AffinityChange, Attachment, KEY_HEADER,
    ROUTE_PREFIX,
};
use clawtower_router::config::ProviderKind;
use clawtower_router::keys::{self, KeyDraft};
use clawtower_store::Store;

/// The agent the attach key's calls are booked to until OpenClaw's transcript names theirs.
pub const ATTACH_AGENT: &str = "openclaw";

/// An OpenClaw provider attach left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SkippedProvider {
    /// Its id in OpenClaw.
    pub provider: String,
    /// Why it is not routed.
    pub reason: String,
}

/// Where OpenClaw's routing through the router stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RouteThrough {
    /// The providers routed through the router.
    pub attached: Vec<Attachment>,
    /// Providers left as they are, with the reason (after attach; empty otherwise).
    pub skipped: Vec<SkippedProvider>,
    /// What else happened that the user should know (after detach: entries changed since).
    pub notes: Vec<String>,
}

/// The `compat` flag that makes OpenClaw send a model's calls' session id.
const AFFINITY_FLAG: &str = "sendSessionAffinityHeaders";

/// What attach would change in `config` (a `config.get` source config) of the OpenClaw whose
/// state dir is `state_dir`; the key is set once there is something to route.
fn plan(
    config: &Value,
    gateway_url: &str,
    state_dir: Option<&str>,
) -> (Vec<Attachment>, Vec<SkippedProvider>) {
    let (mut attach, mut skipped) = (Vec::new(), Vec::new());
    let providers = config
        .pointer("/models/providers")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let since_ms = now_ms();
    for (id, entry) in providers {
        let skip = |reason: &str| SkippedProvider {
            provider: id.clone(),
            reason: reason.to_string(),
        };
        let kind = match entry.get("api").and_then(Value::as_str) {
            Some("openai-completions" | "openai-responses") => ProviderKind::OpenAi,
            Some("anthropic-messages") => ProviderKind::Anthropic,
            Some(other) => {
                skipped.push(skip(&format!(
                    "its API \"{other}\" is not one the router speaks"
                )));
                continue;
            }
            None => {
                skipped.push(skip("its entry names no API"));
                continue;
            }
        };
        let Some(base) = entry.get("baseUrl").and_then(Value::as_str) else {
            skipped.push(skip("its entry has no baseUrl"));
            continue;
        };
        if is_routed_base(base, &id) {
            skipped.push(skip("it already goes through a Clawtower router"));
            continue;
        }
        if !is_routable_id(&id) {
            skipped.push(skip("its id cannot be part of a URL"));
            continue;
        }
        attach.push(Attachment {
            provider: id.clone(),
            gateway_url: gateway_url.to_string(),
            kind,
            upstream: upstream_of(base, kind),
            original_base_url: base.to_string(),
            had_headers: entry.get("headers").is_some_and(|h| !h.is_null()),
            key_id: 0,
            confirmed: false,
            since_ms,
            knows_sessions: state_dir.is_some(),
            state_dir: state_dir.map(String::from),
            affinity: affinity_changes(&entry),
        });
    }
    (attach, skipped)
}

/// The models of a provider entry that do not send their session id yet, and how each was.
fn affinity_changes(entry: &Value) -> Vec<AffinityChange> {
    let models = entry.get("models").and_then(Value::as_array);
    models
        .into_iter()
        .flatten()
        .filter_map(|model| {
            let id = model.get("id")?.as_str()?;
            let compat = model.get("compat").and_then(Value::as_object);
            let before = compat.and_then(|c| c.get(AFFINITY_FLAG)?.as_bool());
            (before != Some(true)).then(|| AffinityChange {
                model: id.to_string(),
                had_compat: compat.is_some(),
                before,
            })
        })
        .collect()
}

/// The `models` arrays a patch of `providers` carries whole (see [`models_patch`]).
fn models_replaced(providers: &Map<String, Value>) -> Vec<String> {
    providers
        .iter()
        .filter(|(_, entry)| entry.get("models").is_some())
        .map(|(id, _)| format!("models.providers.{id}.models"))
        .collect()
}

/// `entry`'s `models` with the changes in `changes` made (`attach`) or undone (`!attach`);
/// `None` when that changes nothing. (A merge patch replaces arrays whole, so the patch carries
/// every model, each as it is now but for the one flag.)
fn models_patch(entry: &Value, changes: &[AffinityChange], attach: bool) -> Option<Value> {
    let models = entry.get("models")?.as_array()?;
    let mut changed = false;
    let patched = models
        .iter()
        .map(|model| {
            let id = model.get("id").and_then(Value::as_str);
            let Some(change) = changes.iter().find(|c| Some(c.model.as_str()) == id) else {
                return model.clone();
            };
            let mut model = model.clone();
            let Some(fields) = model.as_object_mut() else {
                return model;
            };
            let compat = fields
                .entry("compat")
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(compat) = compat.as_object_mut() else {
                return model; // Not an object: OpenClaw would refuse it either way.
            };
            let now = compat.get(AFFINITY_FLAG).cloned();
            match (attach, change.before) {
                (true, _) => compat.insert(AFFINITY_FLAG.into(), Value::Bool(true)),
                (false, Some(before)) => compat.insert(AFFINITY_FLAG.into(), Value::Bool(before)),
                (false, None) => compat.remove(AFFINITY_FLAG),
            };
            changed |= compat.get(AFFINITY_FLAG) != now.as_ref();
            if !attach && !change.had_compat && compat.is_empty() {
                fields.remove("compat");
                changed = true;
            }
            model
        })
        .collect();
    changed.then_some(Value::Array(patched))
}

/// Whether `base` is a Clawtower router's URL for `provider`.
fn is_routed_base(base: &str, provider: &str) -> bool {
    let route = format!("{ROUTE_PREFIX}/{provider}");
    let base = base.trim_end_matches('/');
    base.ends_with(&route) || base.ends_with(&format!("{route}/v1"))
}

/// Routes every provider of the gateway behind `client` (at `gateway_url`) it can through the
/// router at `router` (`http://127.0.0.1:8090`). With the gateway's state dir `state_dir` (a
/// local gateway), the router finds each call's agent and session there. Running it again
/// routes what is not routed yet. Refused or unanswered, nothing stays changed (checked with a
/// read) and it says so.
pub async fn attach(
    client: &GatewayClient,
    store: &Store,
    gateway_url: &str,
    state_dir: Option<&std::path::Path>,
    router: &str,
) -> Result<RouteThrough> {
    let config = client.config_get().await?;
    let state_dir = state_dir.map(|d| d.to_string_lossy().into_owned());
    let (mut planned, skipped) = plan(&config.source_config, gateway_url, state_dir.as_deref());
    if planned.is_empty() {
        return Ok(RouteThrough {
            attached: list(store)?,
            skipped,
            notes: Vec::new(),
        });
    }
    let draft = KeyDraft {
        agent_id: ATTACH_AGENT.into(),
        name: format!("OpenClaw at {gateway_url}"),
        ..KeyDraft::default()
    };
    let (view, key) = store.with_conn(|c| keys::create(c, &draft, now_ms()))?;
    for a in &mut planned {
        a.key_id = view.id;
    }
    let mut sent = send_attach(client, store, &config, &planned, router, &key).await?;
    let mut notes = Vec::new();
    if sent
        .as_ref()
        .is_err_and(|e| e.to_string().contains(AFFINITY_FLAG))
    {
        // An OpenClaw whose config does not know the flag (2026.7.1): routed all the same.
        for a in &mut planned {
            a.affinity.clear();
            a.knows_sessions = false;
        }
        notes.push(NO_SESSION_IDS.to_string());
        sent = send_attach(client, store, &config, &planned, router, &key).await?;
    }
    let applied = match &sent {
        Ok(_) => true,
        // No answer, or a refusal: what does the config say now?
        Err(_) => match client.config_get().await {
            Ok(now) => planned.iter().all(|a| routed_in(&now.source_config, a)),
            Err(_) => {
                // Cannot tell: the records stay (unconfirmed), and detach restores either way.
                let e = sent.err().map(|e| e.to_string()).unwrap_or_default();
                return Err(EngineError::Gateway(format!(
                    "OpenClaw did not confirm the change ({e}) and cannot be asked now; \
                     run detach once it is reachable to be sure nothing stays routed"
                )));
            }
        },
    };
    if !applied {
        forget(store, &planned)?;
        let e = sent.err().map(|e| e.to_string()).unwrap_or_default();
        return Err(EngineError::Gateway(format!(
            "OpenClaw refused to route its providers through Clawtower ({e}); nothing was changed"
        )));
    }
    store.with_conn(|c| {
        for a in &planned {
            attachments::save(
                c,
                &Attachment {
                    confirmed: true,
                    ..a.clone()
                },
            )?;
        }
        Ok(())
    })?;
    Ok(RouteThrough {
        attached: list(store)?,
        skipped,
        notes,
    })
}

/// What attach says when OpenClaw cannot send its calls' session ids.
const NO_SESSION_IDS: &str = "This OpenClaw does not send each call's session id (its config \
    has no compat.sendSessionAffinityHeaders; OpenClaw 2026.9 has it), so the router books its \
    calls to the agent \"openclaw\" until the transcripts name theirs: budgets on one agent, \
    session or cron job stop it through the gateway's pause, not call by call at the router";

/// Records `planned` (whatever happens next, detach knows what to put back), then sends the
/// one `config.patch` that routes them with the router key `key`: OpenClaw's answer.
async fn send_attach(
    client: &GatewayClient,
    store: &Store,
    config: &ConfigSnapshot,
    planned: &[Attachment],
    router: &str,
    key: &str,
) -> Result<std::result::Result<ConfigPatched, GatewayError>> {
    let mut providers = Map::new();
    for a in planned {
        let mut entry = json!({"baseUrl": routed_base_url(router, &a.provider, a.kind), "headers": {KEY_HEADER: key}});
        let now = config
            .source_config
            .pointer(&format!("/models/providers/{}", a.provider));
        if let Some(models) = now.and_then(|e| models_patch(e, &a.affinity, true)) {
            entry["models"] = models;
        }
        providers.insert(a.provider.clone(), entry);
    }
    store.with_conn(|c| {
        let tx = c.transaction()?;
        for a in planned {
            attachments::save(&tx, a)?;
        }
        Ok(tx.commit()?)
    })?;
    let replace = models_replaced(&providers);
    let patch = json!({"models": {"providers": providers}});
    Ok(client
        .config_patch_replacing(
            &patch,
            &config.hash,
            "Clawtower: route model calls through its router",
            &replace,
        )
        .await)
}

/// Puts every routed provider back as it was (its `baseUrl`, and its `headers` without the
/// router's), revokes the attach keys and forgets the records. An entry the user changed since
/// keeps the change (the note says so); an entry removed since is simply forgotten.
pub async fn detach(client: &GatewayClient, store: &Store) -> Result<RouteThrough> {
    let attached = list(store)?;
    if attached.is_empty() {
        return Ok(RouteThrough {
            attached,
            skipped: Vec::new(),
            notes: Vec::new(),
        });
    }
    let config = client.config_get().await?;
    let mut providers = Map::new();
    let mut notes = Vec::new();
    for a in &attached {
        let Some(entry) = config
            .source_config
            .pointer(&format!("/models/providers/{}", a.provider))
        else {
            notes.push(format!(
                "{}: no longer in OpenClaw's config; nothing to put back",
                a.provider
            ));
            continue;
        };
        let headers = entry.get("headers").and_then(Value::as_object);
        let only_ours = headers.is_some_and(|h| h.len() == 1 && h.contains_key(KEY_HEADER));
        let mut restore = Map::new();
        if !a.had_headers && only_ours {
            restore.insert("headers".into(), Value::Null);
        } else if headers.is_some_and(|h| h.contains_key(KEY_HEADER)) {
            restore.insert("headers".into(), json!({KEY_HEADER: null}));
        }
        let base = entry
            .get("baseUrl")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if is_routed_base(base, &a.provider) {
            restore.insert("baseUrl".into(), json!(a.original_base_url));
        } else {
            notes.push(format!(
                "{}: its baseUrl was changed to {base} since it was routed; left as it is",
                a.provider
            ));
        }
        if let Some(models) = models_patch(entry, &a.affinity, false) {
            restore.insert("models".into(), models);
        }
        if !restore.is_empty() {
            providers.insert(a.provider.clone(), Value::Object(restore));
        }
    }
    if !providers.is_empty() {
        let replace = models_replaced(&providers);
        let patch = json!({"models": {"providers": providers}});
        if let Err(e) = client
            .config_patch_replacing(
                &patch,
                &config.hash,
                "Clawtower: model calls go to their providers again",
                &replace,
            )
            .await
        {
            let now = client.config_get().await.map_err(|_| {
                EngineError::Gateway(format!(
                    "OpenClaw did not confirm the change ({e}); try again"
                ))
            })?;
            let still = attached.iter().any(|a| routed_in(&now.source_config, a));
            if still {
                return Err(EngineError::Gateway(format!(
                    "OpenClaw refused to put its providers back ({e}); they still go through \
                     Clawtower's router, which keeps serving them"
                )));
            }
        }
    }
    forget(store, &attached)?;
    Ok(RouteThrough {
        attached: Vec::new(),
        skipped: Vec::new(),
        notes,
    })
}

/// Whether `config` (a source config) routes `a`'s provider through a router now.
fn routed_in(config: &Value, a: &Attachment) -> bool {
    config
        .pointer(&format!("/models/providers/{}/baseUrl", a.provider))
        .and_then(Value::as_str)
        .is_some_and(|b| is_routed_base(b, &a.provider))
}

/// Forgets `attached` and revokes their keys, in one transaction.
fn forget(store: &Store, attached: &[Attachment]) -> Result<()> {
    store.with_conn(|c| {
        let tx = c.transaction()?;
        for a in attached {
            attachments::remove(&tx, &a.provider)?;
            keys::revoke(&tx, a.key_id, now_ms())?;
        }
        Ok(tx.commit()?)
    })
}

/// The providers routed now.
pub fn list(store: &Store) -> Result<Vec<Attachment>> {
    store.read(|c| attachments::list(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_the_providers_the_router_speaks_for() {
        let config = json!({"models": {"providers": {
            "stub": {"baseUrl": "http://127.0.0.1:9001/v1", "api": "openai-completions", "apiKey": "__OPENCLAW_REDACTED__"},
            "claude": {"baseUrl": "https://api.anthropic.com", "api": "anthropic-messages", "headers": {"x-team": "a"}},
            "gemini": {"baseUrl": "https://g", "api": "google-generative-ai"},
            "done": {"baseUrl": "http://127.0.0.1:8090/openclaw/done/v1", "api": "openai-completions"},
            "no base": {"api": "openai-completions"}
        }}});
        let (attach, skipped) = plan(&config, "ws://gw", Some("/home/u/.openclaw"));
        let names: Vec<_> = attach
            .iter()
            .map(|a| (a.provider.as_str(), a.upstream.as_str(), a.had_headers))
            .collect();
        assert_eq!(
            names,
            [
                ("claude", "https://api.anthropic.com/v1", true),
                ("stub", "http://127.0.0.1:9001/v1", false)
            ]
        );
        let skipped: Vec<_> = skipped.iter().map(|s| s.provider.as_str()).collect();
        assert_eq!(skipped, ["done", "gemini", "no base"]);
        assert!(attach.iter().all(|a| !a.confirmed));
    }
}
