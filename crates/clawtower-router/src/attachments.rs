//! OpenClaw's providers routed through the router ("attached"): for each, where its calls really
//! go and what its entry in `openclaw.json` said before, so detach puts it back exactly.
//!
//! An attached provider's `baseUrl` points at `/openclaw/<provider>/…` on the router, and a
//! header `x-clawtower-key` carries the attach key. OpenClaw keeps its own API key and sends it
//! as always; the router passes it on to the real provider, so no secret of OpenClaw's is ever
//! copied into Clawtower.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::config::{Provider, ProviderKey, ProviderKind};
use clawtower_core::Result;

/// The header an attached provider sends its router key in (never passed upstream).
pub const KEY_HEADER: &str = "x-clawtower-key";

/// The path prefix of attached providers' routes: `/openclaw/<provider>/v1/…`.
pub const ROUTE_PREFIX: &str = "/openclaw";

/// One OpenClaw provider routed through the router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// The provider's id in OpenClaw (and in the ledger).
    pub provider: String,
    /// The gateway whose config it is in.
    pub gateway_url: String,
    /// The protocol it speaks.
    pub kind: ProviderKind,
    /// Where its calls really go (the base the endpoint names follow, `…/v1`).
    pub upstream: String,
    /// Its `baseUrl` before it was attached.
    pub original_base_url: String,
    /// Whether it had a `headers` object before (detach removes only the router's header, or
    /// the whole object it added).
    pub had_headers: bool,
    /// The router key its calls come with.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub key_id: i64,
    /// Attached, or sent to the gateway and not yet confirmed (a crash in between: detach
    /// checks the config and restores either way).
    pub confirmed: bool,
    /// When it was attached, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub since_ms: i64,
    /// Whether OpenClaw names each call's session to the router (attach turned it on and the
    /// OpenClaw state dir is known), so budgets on an agent, a session or a cron job bound its
    /// calls one by one; otherwise they are booked to the attach key's agent until the
    /// transcript names theirs.
    pub knows_sessions: bool,
    /// The OpenClaw state dir whose sessions its calls come from (where the router finds a
    /// call's agent); `None` for one attached before Clawtower recorded it.
    #[serde(skip)]
    pub state_dir: Option<String>,
    /// Its models attach told to send their session id, and what each said before.
    #[serde(skip)]
    pub affinity: Vec<AffinityChange>,
}

/// A model of an attached provider that attach told to send each call's session id
/// (`compat.sendSessionAffinityHeaders: true`), and how its entry was before, so detach puts
/// it back exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AffinityChange {
    /// The model's id in the provider's `models`.
    pub model: String,
    /// Whether the model had a `compat` object.
    pub had_compat: bool,
    /// Its `sendSessionAffinityHeaders` before (`None`: not set).
    pub before: Option<bool>,
}

impl Attachment {
    /// Whether the router strips the session headers of `model`'s calls before passing them on
    /// (attach made OpenClaw send them; the provider did not get them before).
    pub fn added_session_headers(&self, model: &str) -> bool {
        self.affinity
            .iter()
            .any(|c| c.model == model && c.before != Some(true))
    }
}

impl Attachment {
    /// The provider as the router calls it: the real upstream, with the credential the client
    /// (OpenClaw) sends.
    pub fn as_provider(&self) -> Provider {
        Provider {
            id: self.provider.clone(),
            kind: self.kind,
            base_url: self.upstream.clone(),
            key: ProviderKey::FromClient,
            keyring: None,
            models: Vec::new(),
        }
    }
}

/// The `baseUrl` OpenClaw is given for `provider` on the router at `router` (`http://host:port`):
/// OpenAI-style clients add `/chat/completions` to a `…/v1` base, Anthropic's add `/v1/messages`.
pub fn routed_base_url(router: &str, provider: &str, kind: ProviderKind) -> String {
    let base = format!("{}{ROUTE_PREFIX}/{provider}", router.trim_end_matches('/'));
    match kind {
        ProviderKind::OpenAi => format!("{base}/v1"),
        ProviderKind::Anthropic => base,
    }
}

/// Where the router sends an attached provider's calls, from its original `baseUrl`: the base
/// the endpoint names follow (`…/v1`; Anthropic's base URLs stop before it).
pub fn upstream_of(original: &str, kind: ProviderKind) -> String {
    let base = original.trim_end_matches('/');
    match kind {
        ProviderKind::Anthropic if !base.ends_with("/v1") => format!("{base}/v1"),
        _ => base.to_string(),
    }
}

/// Whether a provider id can be a path segment as it is (OpenClaw's ids are).
pub fn is_routable_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && id != "."
        && id != ".."
}

/// Every attached provider.
pub fn list(conn: &Connection) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM router_attachments ORDER BY provider"
    ))?;
    let rows = stmt.query_map([], attachment_at)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every attached provider by its id (what the router keeps in memory).
pub fn by_provider(conn: &Connection) -> Result<std::collections::HashMap<String, Attachment>> {
    Ok(list(conn)?
        .into_iter()
        .map(|a| (a.provider.clone(), a))
        .collect())
}

/// The attached provider `provider`, if it is one.
pub fn get(conn: &Connection, provider: &str) -> Result<Option<Attachment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM router_attachments WHERE provider = ?1"
    ))?;
    Ok(stmt.query_row([provider], attachment_at).optional()?)
}

/// Stores (or replaces) an attachment.
pub fn save(conn: &Connection, a: &Attachment) -> Result<()> {
    let original = Original {
        base_url: a.original_base_url.clone(),
        had_headers: a.had_headers,
        state_dir: a.state_dir.clone(),
        affinity: a.affinity.clone(),
        knows_sessions: a.knows_sessions,
    };
    let original = serde_json::to_string(&original).expect("strings and booleans serialize");
    conn.prepare_cached(
        "INSERT OR REPLACE INTO router_attachments
           (provider, gateway_url, kind, upstream, original, key_id, state, since_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        a.provider,
        a.gateway_url,
        kind_name(a.kind),
        a.upstream,
        original,
        a.key_id,
        if a.confirmed { "attached" } else { "attaching" },
        a.since_ms
    ])?;
    Ok(())
}

/// Forgets an attachment (detached).
pub fn remove(conn: &Connection, provider: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM router_attachments WHERE provider = ?1")?
        .execute([provider])?;
    Ok(())
}

const COLUMNS: &str = "provider, gateway_url, kind, upstream, original, key_id, state, since_ms";

/// What attach changed, as the `original` column keeps it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Original {
    base_url: String,
    had_headers: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    affinity: Vec<AffinityChange>,
    #[serde(default)]
    knows_sessions: bool,
}

fn attachment_at(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    let kind = match r.get::<_, String>(2)?.as_str() {
        "anthropic" => ProviderKind::Anthropic,
        _ => ProviderKind::OpenAi,
    };
    let original: Original = serde_json::from_str(&r.get::<_, String>(4)?).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Attachment {
        provider: r.get(0)?,
        gateway_url: r.get(1)?,
        kind,
        upstream: r.get(3)?,
        original_base_url: original.base_url,
        had_headers: original.had_headers,
        key_id: r.get(5)?,
        confirmed: r.get::<_, String>(6)? == "attached",
        since_ms: r.get(7)?,
        state_dir: original.state_dir,
        affinity: original.affinity,
        knows_sessions: original.knows_sessions,
    })
}

fn kind_name(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::OpenAi => "openai",
        ProviderKind::Anthropic => "anthropic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::Store;

    #[test]
    fn urls_for_both_protocols() {
        let router = "http://127.0.0.1:8090/";
        assert_eq!(
            routed_base_url(router, "stub", ProviderKind::OpenAi),
            "http://127.0.0.1:8090/openclaw/stub/v1"
        );
        assert_eq!(
            routed_base_url(router, "claude", ProviderKind::Anthropic),
            "http://127.0.0.1:8090/openclaw/claude"
        );
        assert_eq!(
            upstream_of("https://openrouter.ai/api/v1/", ProviderKind::OpenAi),
            "https://openrouter.ai/api/v1"
        );
        assert_eq!(
            upstream_of("https://api.anthropic.com", ProviderKind::Anthropic),
            "https://api.anthropic.com/v1"
        );
        assert_eq!(
            upstream_of("http://x/v1", ProviderKind::Anthropic),
            "http://x/v1"
        );
        assert!(is_routable_id("my-provider_2.0"));
        assert!(!is_routable_id("a/b") && !is_routable_id("..") && !is_routable_id(""));
    }

    #[test]
    fn attachments_round_trip() {
        let store = Store::open_in_memory().unwrap();
        let a = Attachment {
            provider: "stub".into(),
            gateway_url: "ws://127.0.0.1:18789".into(),
            kind: ProviderKind::Anthropic,
            upstream: "http://127.0.0.1:9001/v1".into(),
            original_base_url: "http://127.0.0.1:9001".into(),
            had_headers: true,
            key_id: 3,
            confirmed: false,
            since_ms: 5,
            knows_sessions: true,
            state_dir: Some("/home/u/.openclaw".into()),
            affinity: vec![AffinityChange {
                model: "m".into(),
                had_compat: false,
                before: None,
            }],
        };
        store
            .with_conn(|c| {
                save(c, &a)?;
                assert_eq!(get(c, "stub")?, Some(a.clone()));
                let confirmed = Attachment {
                    confirmed: true,
                    ..a.clone()
                };
                save(c, &confirmed)?;
                assert_eq!(list(c)?, vec![confirmed]);
                remove(c, "stub")?;
                assert!(list(c)?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}
