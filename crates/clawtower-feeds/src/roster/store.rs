//! Added gateways and entered credentials in the store (owner-only: the secrets live here and are
//! never read back to the UI). A removed gateway is kept for an hour so it can be restored (undo).

use rusqlite::{params, Connection, OptionalExtension};

use super::address::canonical_url;
use super::entry::{CredentialKind, GatewayCredential, GatewayDraft, LOCAL_GATEWAY_ID};
use clawtower_core::error::{EngineError, Result};
use clawtower_store::wiping_deleted;

/// How long a removed gateway can be restored.
const RESTORABLE_MS: i64 = 60 * 60 * 1000;

/// A stored gateway row, with its secrets (for connecting only; never shown).
#[derive(Clone, PartialEq)]
pub struct StoredGateway {
    /// Row id ([`LOCAL_GATEWAY_ID`]: the credential entered for the local gateway).
    pub id: i64,
    /// Name for people.
    pub name: String,
    /// The URL (`None` for the local gateway, whose URL comes from openclaw.json).
    pub url: Option<String>,
    /// The entered credential.
    pub credential: Option<GatewayCredential>,
}

impl std::fmt::Debug for StoredGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredGateway")
            .field("id", &self.id)
            .field("name", &self.name)
            .field(
                "url",
                &self.url.as_deref().map(clawtower_gateway::redact_url),
            )
            .field("credential", &self.credential)
            .finish()
    }
}

/// Adds a gateway; returns its id. `local_url` is the local gateway's URL: adding it again (or
/// any URL already followed) is refused.
pub fn add(
    conn: &Connection,
    draft: &GatewayDraft,
    local_url: Option<&str>,
    now_ms: i64,
) -> Result<i64> {
    let url = canonical_url(&draft.url, draft.allow_unencrypted)?;
    if let Some(credential) = &draft.credential {
        check_secret(credential)?;
    }
    purge_expired(conn, now_ms)?;
    let taken = local_url == Some(url.as_str())
        || list(conn)?.iter().any(|g| g.url.as_deref() == Some(&url));
    if taken {
        return Err(EngineError::InvalidInput(format!(
            "Clawtower already follows the gateway at {url}"
        )));
    }
    let name = match draft.name.trim() {
        "" => url::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(String::from))
            .unwrap_or_else(|| url.clone()),
        name => name.to_string(),
    };
    let (token, password) = secrets(draft.credential.as_ref());
    wiping_deleted(conn, |c| {
        Ok(c.execute(
            "DELETE FROM gateways WHERE url = ?1 AND removed_ms IS NOT NULL",
            params![url],
        )?)
    })?;
    conn.execute(
        "INSERT INTO gateways (name, url, token, password, added_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, url, token, password, now_ms],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Removes an added gateway (restorable for an hour); the local gateway cannot be removed, only
/// its entered credential forgotten.
pub fn remove(conn: &Connection, id: i64, now_ms: i64) -> Result<()> {
    if id == LOCAL_GATEWAY_ID {
        return Err(EngineError::InvalidInput(
            "the local gateway comes from openclaw.json and cannot be removed".into(),
        ));
    }
    purge_expired(conn, now_ms)?;
    let paused: Option<String> = conn
        .query_row(
            "SELECT g.name FROM gateways g JOIN pauses p ON p.gateway_url = g.url
             WHERE g.id = ?1 AND g.removed_ms IS NULL AND p.resumed_ms IS NULL LIMIT 1",
            params![id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(name) = paused {
        // Resuming needs the connection: removing it now would leave the gateway paused.
        return Err(EngineError::InvalidInput(format!(
            "{name} is paused by Clawtower; resume it before removing it"
        )));
    }
    let changed = conn.execute(
        "UPDATE gateways SET removed_ms = ?2 WHERE id = ?1 AND removed_ms IS NULL",
        params![id, now_ms],
    )?;
    if changed == 0 {
        return Err(EngineError::NotFound(format!("gateway {id}")));
    }
    Ok(())
}

/// Brings back a gateway removed less than an hour ago (undo).
pub fn restore(conn: &Connection, id: i64, now_ms: i64) -> Result<()> {
    purge_expired(conn, now_ms)?;
    let changed = conn.execute(
        "UPDATE gateways SET removed_ms = NULL WHERE id = ?1 AND removed_ms IS NOT NULL",
        params![id],
    )?;
    if changed == 0 {
        return Err(EngineError::NotFound(format!(
            "removed gateway {id} (it can be restored for an hour, unless added again)"
        )));
    }
    Ok(())
}

/// Forgets gateways removed more than an hour ago, with their secrets (wiped from the file).
pub fn purge_expired(conn: &Connection, now_ms: i64) -> Result<()> {
    wiping_deleted(conn, |c| {
        Ok(c.execute(
            "DELETE FROM gateways WHERE removed_ms IS NOT NULL AND removed_ms < ?1",
            params![now_ms - RESTORABLE_MS],
        )?)
    })?;
    Ok(())
}

/// Sets (or, with `None`, forgets) the credential Clawtower sends to gateway `id`; for the local
/// gateway it takes the place of what openclaw.json says.
pub fn set_credential(
    conn: &Connection,
    id: i64,
    credential: Option<&GatewayCredential>,
    now_ms: i64,
) -> Result<()> {
    if let Some(credential) = credential {
        check_secret(credential)?;
    }
    let (token, password) = secrets(credential);
    // A replaced or forgotten secret is wiped from the file.
    let changed = wiping_deleted(conn, |c| {
        if id == LOCAL_GATEWAY_ID {
            c.execute(
                "INSERT INTO gateways (id, name, url, token, password, added_ms) VALUES (?1, 'Local gateway', NULL, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET token = excluded.token, password = excluded.password",
                params![LOCAL_GATEWAY_ID, token, password, now_ms],
            )?;
            return Ok(1);
        }
        Ok(c.execute(
            "UPDATE gateways SET token = ?2, password = ?3 WHERE id = ?1 AND removed_ms IS NULL",
            params![id, token, password],
        )?)
    })?;
    if changed == 0 {
        return Err(EngineError::NotFound(format!("gateway {id}")));
    }
    Ok(())
}

/// Every stored gateway that is not removed, by id (the local gateway's row first, if any).
pub fn list(conn: &Connection) -> Result<Vec<StoredGateway>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, url, token, password FROM gateways WHERE removed_ms IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |row| {
        let (token, password): (Option<String>, Option<String>) = (row.get(3)?, row.get(4)?);
        let credential = match (token, password) {
            (_, Some(secret)) => Some(GatewayCredential {
                kind: CredentialKind::Password,
                secret,
            }),
            (Some(secret), None) => Some(GatewayCredential {
                kind: CredentialKind::Token,
                secret,
            }),
            (None, None) => None,
        };
        Ok(StoredGateway {
            id: row.get(0)?,
            name: row.get(1)?,
            url: row.get(2)?,
            credential,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn check_secret(credential: &GatewayCredential) -> Result<()> {
    let secret = &credential.secret;
    if secret.trim().is_empty() {
        return Err(EngineError::InvalidInput(
            "the token or password is empty".into(),
        ));
    }
    if secret.len() > 4096 || secret.chars().any(char::is_control) {
        return Err(EngineError::InvalidInput(
            "the token or password has control characters or is too long; paste it again".into(),
        ));
    }
    Ok(())
}

fn secrets(credential: Option<&GatewayCredential>) -> (Option<&str>, Option<&str>) {
    match credential {
        Some(c) if c.kind == CredentialKind::Token => (Some(c.secret.as_str()), None),
        Some(c) => (None, Some(c.secret.as_str())),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::testing::in_database_file;
    use clawtower_store::Store;

    fn draft(url: &str, credential: Option<(CredentialKind, &str)>) -> GatewayDraft {
        GatewayDraft {
            name: String::new(),
            url: url.into(),
            credential: credential.map(|(kind, secret)| GatewayCredential {
                kind,
                secret: secret.into(),
            }),
            allow_unencrypted: false,
        }
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("ledger.sqlite3")).unwrap();
        (dir, store)
    }

    #[test]
    fn added_gateways_keep_their_secret_and_refuse_duplicates() {
        let (_dir, store) = store();
        store
            .with_conn(|c| {
                let local = Some("ws://127.0.0.1:18789/");
                let id = add(
                    c,
                    &draft("ws://10.0.0.2:18789", Some((CredentialKind::Token, "t1"))),
                    local,
                    1,
                )?;
                assert_eq!(id, 1);
                let again = add(c, &draft("ws://10.0.0.2:18789/", None), local, 2).unwrap_err();
                assert!(again.to_string().contains("already follows"));
                let same_as_local =
                    add(c, &draft("ws://127.0.0.1:18789", None), local, 2).unwrap_err();
                assert!(same_as_local.to_string().contains("already follows"));
                let listed = list(c)?;
                assert_eq!(listed.len(), 1);
                assert_eq!(listed[0].name, "10.0.0.2");
                assert_eq!(listed[0].credential.as_ref().unwrap().secret, "t1");
                assert!(
                    !format!("{listed:?}").contains("t1"),
                    "Debug never shows a secret"
                );
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_removed_gateway_can_be_restored_until_added_again() {
        let (_dir, store) = store();
        store
            .with_conn(|c| {
                let id = add(c, &draft("ws://10.0.0.2:1", None), None, 1)?;
                remove(c, id, 2)?;
                assert!(list(c)?.is_empty());
                restore(c, id, 3)?;
                assert_eq!(list(c)?.len(), 1);
                remove(c, id, 3)?;
                let again = add(c, &draft("ws://10.0.0.2:1", None), None, 4)?;
                assert_ne!(again, id, "ids are never reused");
                assert!(
                    restore(c, id, 5).is_err(),
                    "the old row is gone once re-added"
                );
                assert_eq!(
                    list(c)?.iter().map(|g| g.id).collect::<Vec<_>>(),
                    vec![again]
                );
                // An hour later a removed gateway (and its secret) is gone for good.
                let token = Some((CredentialKind::Token, "t"));
                let other = add(c, &draft("ws://10.0.0.3:1", token), None, 6)?;
                remove(c, other, 10)?;
                assert!(restore(c, other, 10 + RESTORABLE_MS + 1).is_err());
                let rows: i64 =
                    c.query_row("SELECT count(*) FROM gateways WHERE token = 't'", [], |r| {
                        r.get(0)
                    })?;
                assert_eq!(rows, 0, "the secret of an expired removal is deleted");
                assert!(remove(c, LOCAL_GATEWAY_ID, 5).is_err());
                // A gateway Clawtower paused stays until it is resumed.
                c.execute(
                    "INSERT INTO pauses (scope, reason, gateway_url, started_ms, steps, problems)
                     VALUES ('\"all\"', 'test', 'ws://10.0.0.2:1/', 1, '[]', '[]')",
                    [],
                )?;
                let paused = remove(c, again, 5).unwrap_err().to_string();
                assert!(paused.contains("resume it before removing it"), "{paused}");
                c.execute("UPDATE pauses SET resumed_ms = 6", [])?;
                remove(c, again, 6)?;
                assert!(matches!(remove(c, 99, 5), Err(EngineError::NotFound(_))));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn removed_and_replaced_secrets_are_wiped_from_the_file() {
        let (_dir, store) = store();
        store
            .with_conn(|c| {
                let token = Some((CredentialKind::Token, "PURGED_SECRET_1"));
                let id = add(c, &draft("ws://10.0.0.9:1", token), None, 1)?;
                let local = GatewayCredential {
                    kind: CredentialKind::Password,
                    secret: "FORGOTTEN_SECRET_2".into(),
                };
                set_credential(c, LOCAL_GATEWAY_ID, Some(&local), 1)?;
                assert!(in_database_file(c, "PURGED_SECRET_1"));
                assert!(in_database_file(c, "FORGOTTEN_SECRET_2"));
                remove(c, id, 2)?;
                purge_expired(c, 3 + RESTORABLE_MS)?;
                set_credential(c, LOCAL_GATEWAY_ID, None, 4)?;
                assert!(!in_database_file(c, "PURGED_SECRET_1"));
                assert!(!in_database_file(c, "FORGOTTEN_SECRET_2"));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_credential_is_entered_replaced_and_forgotten() {
        let (_dir, store) = store();
        store
            .with_conn(|c| {
                let password = GatewayCredential {
                    kind: CredentialKind::Password,
                    secret: "pw".into(),
                };
                set_credential(c, LOCAL_GATEWAY_ID, Some(&password), 1)?;
                let local = &list(c)?[0];
                assert_eq!((local.id, local.url.as_deref()), (LOCAL_GATEWAY_ID, None));
                assert_eq!(local.credential, Some(password));
                set_credential(c, LOCAL_GATEWAY_ID, None, 2)?;
                assert_eq!(list(c)?[0].credential, None);
                let empty = GatewayCredential {
                    kind: CredentialKind::Token,
                    secret: " ".into(),
                };
                assert!(set_credential(c, LOCAL_GATEWAY_ID, Some(&empty), 3).is_err());
                assert!(matches!(
                    set_credential(c, 7, None, 3),
                    Err(EngineError::NotFound(_))
                ));
                Ok(())
            })
            .unwrap();
    }
}
