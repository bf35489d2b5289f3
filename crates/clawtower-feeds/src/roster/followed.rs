//! The gateways to follow now: the local one (with any credential the user entered for it) and
//! the added ones, each with what it takes to connect.

use rusqlite::Connection;

use super::entry::{CredentialKind, GatewayCredential, GatewayEntry, LOCAL_GATEWAY_ID};
use super::store::{list, StoredGateway};
use clawtower_core::error::Result;
use clawtower_gateway::Target;

/// A gateway to follow: how it is shown, and where and how to connect.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowedGateway {
    /// How it is shown.
    pub entry: GatewayEntry,
    /// Where and how to connect.
    pub target: Target,
}

/// The gateways to follow, local first; `detected` is the local gateway found in openclaw.json,
/// if any. The first one is the one budgets pause.
pub fn followed(conn: &Connection, detected: Option<&Target>) -> Result<Vec<FollowedGateway>> {
    let stored = list(conn)?;
    let entered_for_local = stored
        .iter()
        .find(|g| g.id == LOCAL_GATEWAY_ID)
        .and_then(|g| g.credential.as_ref());
    let local = detected.map(|target| {
        let target = match entered_for_local {
            Some(credential) => with_credential(&target.url, Some(credential)),
            None => target.clone(),
        };
        FollowedGateway {
            entry: GatewayEntry {
                id: LOCAL_GATEWAY_ID,
                name: "Local gateway".into(),
                url: target.url.clone(),
                local: true,
                credential: kind_of(&target),
                credential_entered: entered_for_local.is_some(),
                controlled: false,
            },
            target,
        }
    });
    let added = stored.iter().filter_map(added_gateway);
    let mut gateways: Vec<FollowedGateway> = local.into_iter().chain(added).collect();
    if let Some(first) = gateways.first_mut() {
        first.entry.controlled = true;
    }
    Ok(gateways)
}

/// The local gateway: the one the OpenClaw install OpenClaw itself would use (or the one in
/// `explicit`), when that install has a state dir here. An openclaw.json that cannot be read is
/// an error (OpenClaw's defaults would name the wrong port and no credential).
pub fn local_gateway(
    env: &clawtower_openclaw::OpenClawEnv,
    explicit: Option<&std::path::Path>,
) -> std::result::Result<Option<Target>, clawtower_openclaw::config::ConfigError> {
    let Some(location) =
        clawtower_openclaw::locate(env, explicit).filter(|location| location.state_dir.is_dir())
    else {
        return Ok(None);
    };
    let config = clawtower_openclaw::OpenClawConfig::load(&location.config_path)?;
    Ok(Some(Target::from_config(env, config.as_ref())))
}

/// The gateways to follow with the store's added ones and the local gateway OpenClaw would use.
pub fn followed_here(
    store: &clawtower_store::Store,
    env: &clawtower_openclaw::OpenClawEnv,
    explicit: Option<&std::path::Path>,
) -> Result<Vec<FollowedGateway>> {
    let local = local_gateway(env, explicit)
        .map_err(|e| clawtower_core::error::EngineError::InvalidInput(e.to_string()))?;
    store.with_conn(|c| followed(c, local.as_ref()))
}

fn added_gateway(stored: &StoredGateway) -> Option<FollowedGateway> {
    let url = stored
        .url
        .as_ref()
        .filter(|_| stored.id != LOCAL_GATEWAY_ID)?;
    let target = with_credential(url, stored.credential.as_ref());
    Some(FollowedGateway {
        entry: GatewayEntry {
            id: stored.id,
            name: stored.name.clone(),
            url: url.clone(),
            local: false,
            credential: kind_of(&target),
            credential_entered: stored.credential.is_some(),
            controlled: false,
        },
        target,
    })
}

fn with_credential(url: &str, credential: Option<&GatewayCredential>) -> Target {
    let secret = |kind| {
        credential
            .filter(|c| c.kind == kind)
            .map(|c| c.secret.clone())
    };
    Target {
        url: url.to_string(),
        token: secret(CredentialKind::Token),
        password: secret(CredentialKind::Password),
    }
}

fn kind_of(target: &Target) -> Option<CredentialKind> {
    if target.password.is_some() {
        Some(CredentialKind::Password)
    } else if target.token.is_some() {
        Some(CredentialKind::Token)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::entry::GatewayDraft;
    use crate::roster::store::{add, set_credential};
    use clawtower_store::Store;

    #[test]
    fn local_first_with_the_entered_credential_then_added_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("ledger.sqlite3")).unwrap();
        let detected = Target::new("ws://127.0.0.1:18789/", Some("from-config".into()));
        store
            .with_conn(|c| {
                let draft = GatewayDraft {
                    name: "build box".into(),
                    url: "ws://10.1.2.3:18789".into(),
                    credential: Some(GatewayCredential {
                        kind: CredentialKind::Password,
                        secret: "pw".into(),
                    }),
                    allow_unencrypted: false,
                };
                add(c, &draft, Some(&detected.url), 1)?;
                let gateways = followed(c, Some(&detected))?;
                assert_eq!(gateways.len(), 2);
                assert_eq!(gateways[0].target, detected);
                assert!(gateways[0].entry.local && gateways[0].entry.controlled);
                assert_eq!(gateways[0].entry.credential, Some(CredentialKind::Token));
                assert!(
                    !gateways[0].entry.credential_entered,
                    "the token is openclaw.json's"
                );
                assert_eq!(gateways[1].entry.name, "build box");
                assert_eq!(gateways[1].target.password.as_deref(), Some("pw"));
                assert!(!gateways[1].entry.controlled);

                let entered = GatewayCredential {
                    kind: CredentialKind::Password,
                    secret: "typed".into(),
                };
                set_credential(c, LOCAL_GATEWAY_ID, Some(&entered), 2)?;
                let local = &followed(c, Some(&detected))?[0];
                assert_eq!(local.target.password.as_deref(), Some("typed"));
                assert_eq!(
                    local.target.token, None,
                    "the entered credential replaces the config's"
                );

                let without_local = followed(c, None)?;
                assert_eq!(
                    without_local.len(),
                    1,
                    "no local gateway, the entered credential waits"
                );
                assert!(
                    without_local[0].entry.controlled,
                    "the first added one is paused by budgets"
                );
                Ok(())
            })
            .unwrap();
    }
}
