//! "Route OpenClaw through Clawtower": each OpenClaw provider the router can speak for gets its
//! `baseUrl` pointed at the router and a header with a router key, in one `config.patch`
//! (all or nothing); detach puts back exactly what was there. OpenClaw keeps its own API keys:
//! the router passes them on (see `clawtower_router::attachments`). What was changed is
//! recorded before the patch is sent, so a crash or a lost answer in between leaves nothing
//! that detach cannot restore.

use serde::Serialize;
use serde_json::{json, Map, Value};

use clawtower_core::error::{EngineError, Result};
use clawtower_core::period::now_ms;
use clawtower_gateway::GatewayClient;
use clawtower_router::attachments::{
    self, is_routable_id, routed_base_url, upstream_of, Attachment, KEY_HEADER, ROUTE_PREFIX,
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

/// What attach would change in `config` (a `config.get` source config); the key is set once
/// there is something to route.
fn plan(config: &Value, gateway_url: &str) -> (Vec<Attachment>, Vec<SkippedProvider>) {
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
        });
    }
    (attach, skipped)
}

/// Whether `base` is a Clawtower router's URL for `provider`.
fn is_routed_base(base: &str, provider: &str) -> bool {
    let route = format!("{ROUTE_PREFIX}/{provider}");
    let base = base.trim_end_matches('/');
    base.ends_with(&route) || base.ends_with(&format!("{route}/v1"))
}

/// Routes every provider of the gateway behind `client` (at `gateway_url`) it can through the
/// router at `router` (`http://127.0.0.1:8090`). Running it again routes what is not routed
/// yet. Refused or unanswered, nothing stays changed (checked with a read) and it says so.
pub async fn attach(
    client: &GatewayClient,
    store: &Store,
    gateway_url: &str,
    router: &str,
) -> Result<RouteThrough> {
    let config = client.config_get().await?;
    let (mut planned, skipped) = plan(&config.source_config, gateway_url);
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
    let mut providers = Map::new();
    for a in &planned {
        providers.insert(
            a.provider.clone(),
            json!({"baseUrl": routed_base_url(router, &a.provider, a.kind), "headers": {KEY_HEADER: key}}),
        );
    }
    // Recorded first: whatever happens next, detach knows what to put back.
    store.with_conn(|c| {
        let tx = c.transaction()?;
        for a in &planned {
            attachments::save(&tx, a)?;
        }
        Ok(tx.commit()?)
    })?;
    let patch = json!({"models": {"providers": providers}});
    let sent = client
        .config_patch(
            &patch,
            &config.hash,
            "Clawtower: route model calls through its router",
        )
        .await;
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
        notes: Vec::new(),
    })
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
        if !restore.is_empty() {
            providers.insert(a.provider.clone(), Value::Object(restore));
        }
    }
    if !providers.is_empty() {
        let patch = json!({"models": {"providers": providers}});
        if let Err(e) = client
            .config_patch(
                &patch,
                &config.hash,
                "Clawtower: model calls go to their providers again",
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
        let (attach, skipped) = plan(&config, "ws://gw");
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
