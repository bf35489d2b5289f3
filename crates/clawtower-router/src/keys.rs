//! Virtual keys: what an agent (or a script) presents to the router. A key is made from 32 random
//! bytes, shown once, and only its SHA-256 is stored; a key names its agent, so every call made
//! with it is that agent's in the ledger.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand_core::{OsRng, RngCore};
use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use clawtower_core::{EngineError, Result};

/// What every key starts with, so a leaked one is recognizable (secret scanners, logs).
pub const KEY_PREFIX: &str = "ctk-";

/// What a new key may do.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyDraft {
    /// The agent whose calls these are (its id in OpenClaw, or any name for a script).
    pub agent_id: String,
    /// A name to recognize it by (defaults to the agent id).
    pub name: String,
    /// Models it may call (`provider/model`, an alias or a bare id); empty: any.
    #[serde(default)]
    pub models: Vec<String>,
    /// When it stops working, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub expires_ms: Option<i64>,
    /// Its limits.
    #[serde(default)]
    pub limits: KeyLimits,
}

/// What a key may use (`None`: no limit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyLimits {
    /// Requests per minute.
    pub rpm: Option<u32>,
    /// Tokens per minute (all kinds, as the calls reported them).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub tpm: Option<u64>,
    /// Calls at once.
    pub max_parallel: Option<u32>,
    /// A budget (id) its calls also answer to, whatever that budget's scope.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub budget_id: Option<i64>,
}

/// A key as lists show it (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyView {
    /// Its id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its agent.
    pub agent_id: String,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    /// Models it may call; empty: any.
    pub models: Vec<String>,
    /// When it stops working, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub expires_ms: Option<i64>,
    /// When it was made, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub created_ms: i64,
    /// When it was revoked, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub revoked_ms: Option<i64>,
    /// Its limits.
    pub limits: KeyLimits,
}

impl KeyView {
    /// Whether it may call `model` as the request named it.
    pub fn allows(&self, model: &str) -> bool {
        self.models.is_empty() || self.models.iter().any(|m| m == model)
    }
}

/// A key just made: the key itself (shown this once) and how lists will show it.
// `Debug` (below) leaves the key out.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    /// The key: never stored, never shown again.
    pub key: String,
    /// The key as lists show it.
    pub view: KeyView,
}

impl std::fmt::Debug for CreatedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedKey")
            .field("key", &"<redacted>")
            .field("view", &self.view)
            .finish()
    }
}

/// Why a presented key is refused (each answered with 401 and this reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyRefusal {
    /// No key in `Authorization: Bearer` or `x-api-key`.
    #[error(
        "no API key: send a Clawtower router key as 'Authorization: Bearer ctk-…' or 'x-api-key'"
    )]
    Missing,
    /// Not a key this router made.
    #[error("unknown API key")]
    Unknown,
    /// Revoked.
    #[error("this API key was revoked")]
    Revoked,
    /// Past its expiry.
    #[error("this API key has expired")]
    Expired,
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// Makes a key; returns it with the only copy of the key there will ever be.
pub fn create(conn: &Connection, draft: &KeyDraft, now_ms: i64) -> Result<(KeyView, String)> {
    let agent = draft.agent_id.trim();
    if agent.is_empty() || agent.len() > 128 || agent.chars().any(char::is_control) {
        return Err(EngineError::InvalidInput(
            "a key needs an agent id (1–128 characters)".into(),
        ));
    }
    if draft.expires_ms.is_some_and(|e| e <= now_ms) {
        return Err(EngineError::InvalidInput(
            "the expiry is in the past".into(),
        ));
    }
    let name = match draft.name.trim() {
        "" => agent.to_string(),
        name => name.to_string(),
    };
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let key = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = key[..KEY_PREFIX.len() + 6].to_string();
    let models = (!draft.models.is_empty())
        .then(|| serde_json::to_string(&draft.models).expect("strings serialize"));
    let limits = &draft.limits;
    if limits.rpm == Some(0) || limits.tpm == Some(0) || limits.max_parallel == Some(0) {
        return Err(EngineError::InvalidInput(
            "a limit of 0 would refuse every call: leave it out for no limit".into(),
        ));
    }
    conn.execute(
        "INSERT INTO router_keys (name, agent_id, hash, prefix, models, expires_ms, created_ms,
            rpm, tpm, max_parallel, budget_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            name,
            agent,
            &digest(&key)[..],
            prefix,
            models,
            draft.expires_ms,
            now_ms,
            limits.rpm,
            limits.tpm.map(|t| t.min(i64::MAX as u64) as i64),
            limits.max_parallel,
            limits.budget_id
        ],
    )?;
    let view = get(conn, conn.last_insert_rowid())?.expect("just inserted");
    Ok((view, key))
}

const COLUMNS: &str = "id, name, agent_id, prefix, models, expires_ms, created_ms, revoked_ms, \
                       rpm, tpm, max_parallel, budget_id";

fn view(row: &rusqlite::Row<'_>) -> rusqlite::Result<KeyView> {
    view_from(row, 0)
}

/// A [`KeyView`] from [`COLUMNS`] starting at column `at`.
fn view_from(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<KeyView> {
    let models: Option<String> = row.get(at + 4)?;
    Ok(KeyView {
        id: row.get(at)?,
        name: row.get(at + 1)?,
        agent_id: row.get(at + 2)?,
        prefix: row.get(at + 3)?,
        models: models
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or_default(),
        expires_ms: row.get(at + 5)?,
        created_ms: row.get(at + 6)?,
        revoked_ms: row.get(at + 7)?,
        limits: KeyLimits {
            rpm: row.get(at + 8)?,
            tpm: row.get::<_, Option<i64>>(at + 9)?.map(|t| t.max(0) as u64),
            max_parallel: row.get(at + 10)?,
            budget_id: row.get(at + 11)?,
        },
    })
}

fn get(conn: &Connection, id: i64) -> Result<Option<KeyView>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM router_keys WHERE id = ?1"),
            [id],
            view,
        )
        .optional()?)
}

/// Every key, newest first (revoked ones too, marked).
pub fn list(conn: &Connection) -> Result<Vec<KeyView>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM router_keys ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], view)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Revokes a key: every call with it is refused from now on. Revoking twice is harmless.
pub fn revoke(conn: &Connection, id: i64, now_ms: i64) -> Result<KeyView> {
    conn.execute(
        "UPDATE router_keys SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL",
        params![id, now_ms],
    )?;
    get(conn, id)?.ok_or_else(|| EngineError::NotFound(format!("router key {id}")))
}

/// Every key by the digest of the key itself: what the router keeps in memory (through
/// [`clawtower_store::PolicyCache`]) to check a request's key without a database read.
pub type KeyTable = HashMap<[u8; 32], KeyView>;

/// Reads the [`KeyTable`].
pub fn table(conn: &Connection) -> Result<KeyTable> {
    let mut stmt = conn.prepare(&format!("SELECT hash, {COLUMNS} FROM router_keys"))?;
    let rows = stmt.query_map([], |row| {
        let hash: Vec<u8> = row.get(0)?;
        let key = view_from(row, 1)?;
        Ok(<[u8; 32]>::try_from(hash.as_slice()).ok().map(|h| (h, key)))
    })?;
    let mut table = KeyTable::new();
    for row in rows {
        if let Some((hash, key)) = row? {
            table.insert(hash, key);
        }
    }
    Ok(table)
}

/// What a client presented, as looked up: its digest, or why there is nothing to look up.
pub fn presented_digest(presented: Option<&str>) -> std::result::Result<[u8; 32], KeyRefusal> {
    match presented.map(str::trim).filter(|k| !k.is_empty()) {
        Some(key) => Ok(digest(key)),
        None => Err(KeyRefusal::Missing),
    }
}

/// Whether the key found for a digest (if any) may be used at `now_ms`.
pub fn judge(found: Option<&KeyView>, now_ms: i64) -> std::result::Result<KeyView, KeyRefusal> {
    match found {
        None => Err(KeyRefusal::Unknown),
        Some(key) if key.revoked_ms.is_some() => Err(KeyRefusal::Revoked),
        Some(key) if key.expires_ms.is_some_and(|e| e <= now_ms) => Err(KeyRefusal::Expired),
        Some(key) => Ok(key.clone()),
    }
}

/// The key behind what a client presented, if it may be used now (read from the database).
pub fn authenticate(
    conn: &Connection,
    presented: Option<&str>,
    now_ms: i64,
) -> Result<std::result::Result<KeyView, KeyRefusal>> {
    let hash = match presented_digest(presented) {
        Ok(hash) => hash,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let found = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM router_keys WHERE hash = ?1"
        ))?
        .query_row([&hash[..]], view)
        .optional()?;
    Ok(judge(found.as_ref(), now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::Store;

    fn draft(agent: &str) -> KeyDraft {
        KeyDraft {
            agent_id: agent.into(),
            ..KeyDraft::default()
        }
    }

    #[test]
    fn a_key_is_shown_once_stored_hashed_and_refused_once_revoked_or_expired() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let (view, key) = create(c, &draft("main"), 1_000)?;
                assert!(key.starts_with(KEY_PREFIX) && key.len() > 40);
                assert!(key.starts_with(&view.prefix));
                assert_eq!(
                    (view.name.as_str(), view.agent_id.as_str()),
                    ("main", "main")
                );
                let stored: Vec<u8> =
                    c.query_row("SELECT hash FROM router_keys", [], |r| r.get(0))?;
                assert_ne!(stored, key.as_bytes(), "only the digest is kept");
                let created = CreatedKey {
                    key: key.clone(),
                    view: view.clone(),
                };
                let debug = format!("{created:?}");
                let secret_part = &key[view.prefix.len()..];
                assert!(!debug.contains(secret_part), "Debug shows the key: {debug}");
                assert_eq!(authenticate(c, Some(&key), 2_000)?.unwrap().id, view.id);
                assert_eq!(
                    authenticate(c, Some("ctk-nope"), 2_000)?,
                    Err(KeyRefusal::Unknown)
                );
                assert_eq!(authenticate(c, None, 2_000)?, Err(KeyRefusal::Missing));
                revoke(c, view.id, 3_000)?;
                assert_eq!(
                    authenticate(c, Some(&key), 4_000)?,
                    Err(KeyRefusal::Revoked)
                );

                let limited = KeyDraft {
                    limits: KeyLimits {
                        rpm: Some(60),
                        tpm: Some(10_000),
                        max_parallel: Some(2),
                        budget_id: Some(3),
                    },
                    ..draft("limited")
                };
                let (view, _) = create(c, &limited, 1_000)?;
                assert_eq!(view.limits, limited.limits, "limits are stored");
                let zero = KeyDraft {
                    limits: KeyLimits {
                        rpm: Some(0),
                        ..KeyLimits::default()
                    },
                    ..draft("zero")
                };
                assert!(create(c, &zero, 1).is_err());
                let expiring = KeyDraft {
                    expires_ms: Some(5_000),
                    models: vec!["stub/stub-model".into()],
                    ..draft("cron")
                };
                let (view, key) = create(c, &expiring, 1_000)?;
                assert!(view.allows("stub/stub-model") && !view.allows("other"));
                assert!(authenticate(c, Some(&key), 4_999)?.is_ok());
                assert_eq!(
                    authenticate(c, Some(&key), 5_000)?,
                    Err(KeyRefusal::Expired)
                );
                assert_eq!(list(c)?.len(), 3);
                assert!(create(c, &draft(" "), 1).is_err());
                assert!(matches!(revoke(c, 99, 1), Err(EngineError::NotFound(_))));
                Ok(())
            })
            .unwrap();
    }
}
