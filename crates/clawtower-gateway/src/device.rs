//! This installation's Ed25519 device identity for the gateway handshake: generated once, kept in
//! the data dir with owner-only permissions, and used to sign the `connect` request (payload v3).

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use clawtower_core::error::{EngineError, Result};
use clawtower_core::paths::owner_only;

/// The file in the data dir that holds the identity.
pub const DEVICE_FILE: &str = "gateway-device.json";

/// An Ed25519 key pair identifying this Clawtower to gateways.
#[derive(Clone)]
pub struct DeviceIdentity {
    key: SigningKey,
    /// Device tokens issued to this identity, kept next to it (none for in-memory identities).
    tokens: Option<super::device_tokens::DeviceTokens>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    /// Base64url (no padding) of the 32-byte secret key.
    secret_key: String,
}

/// What a connect request's signature covers (protocol v3 payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedConnect<'a> {
    /// `client.id`.
    pub client_id: &'a str,
    /// `client.mode`.
    pub client_mode: &'a str,
    /// `role`.
    pub role: &'a str,
    /// `scopes`, in request order.
    pub scopes: &'a [&'a str],
    /// The challenge's `ts` (also sent as `signedAt`).
    pub signed_at_ms: i64,
    /// The token sent in `auth.token`, or empty.
    pub token: &'a str,
    /// The challenge's `nonce`.
    pub nonce: &'a str,
    /// `client.platform`.
    pub platform: &'a str,
    /// `client.deviceFamily` (empty when not sent).
    pub device_family: &'a str,
}

impl SignedConnect<'_> {
    /// The exact UTF-8 string that is signed.
    pub fn payload(&self, device_id: &str) -> String {
        format!(
            "v3|{device_id}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.client_id,
            self.client_mode,
            self.role,
            self.scopes.join(","),
            self.signed_at_ms,
            self.token,
            self.nonce,
            self.platform.to_lowercase(),
            self.device_family.to_lowercase()
        )
    }
}

impl DeviceIdentity {
    /// Loads the identity from `path`, or creates one there (0600) if there is none.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let stored: Stored = serde_json::from_str(&text).map_err(|e| {
                    EngineError::InvalidInput(format!("{} is damaged: {e}", path.display()))
                })?;
                let bytes = URL_SAFE_NO_PAD
                    .decode(stored.secret_key.as_bytes())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| {
                        EngineError::InvalidInput(format!("{} holds no valid key", path.display()))
                    })?;
                Ok(DeviceIdentity {
                    key: SigningKey::from_bytes(&bytes),
                    tokens: tokens_beside(path),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let identity = DeviceIdentity {
                    key: SigningKey::generate(&mut rand_core::OsRng),
                    tokens: tokens_beside(path),
                };
                if identity.save(path)? {
                    Ok(identity)
                } else {
                    // Another process (or thread) created it first: theirs is the identity.
                    Self::load_or_create(path)
                }
            }
            Err(e) => Err(EngineError::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Writes the key atomically: a temp file in the same directory (0600), synced, then put in
    /// place, so `path` is either absent or complete (never a torn key after a crash). It is
    /// put in place with a hard link, which never replaces an existing file: `false` when another
    /// creator won (its key stays); where hard links are not supported, a rename.
    fn save(&self, path: &Path) -> Result<bool> {
        let stored = Stored {
            secret_key: URL_SAFE_NO_PAD.encode(self.key.to_bytes()),
        };
        let text =
            serde_json::to_string(&stored).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), {
            use std::sync::atomic::{AtomicU64, Ordering};
            static NEXT: AtomicU64 = AtomicU64::new(0);
            NEXT.fetch_add(1, Ordering::Relaxed)
        }));
        let write = || -> std::io::Result<bool> {
            use std::io::Write;
            let mut file = owner_only().write(true).create_new(true).open(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            drop(file);
            let placed = match std::fs::hard_link(&tmp, path) {
                Ok(()) => true,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
                Err(_) => {
                    std::fs::rename(&tmp, path)?;
                    return sync_dir(dir).map(|()| true);
                }
            };
            std::fs::remove_file(&tmp)?;
            sync_dir(dir)?;
            Ok(placed)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            EngineError::io(format!("writing {}", path.display()), e)
        })
    }

    /// The device token the gateway at `url` issued to this identity, if one was kept.
    pub fn device_token(&self, url: &str) -> Option<String> {
        self.tokens.as_ref()?.get(url)
    }

    /// Keeps the device token the gateway at `url` issued (logged on failure, never fatal).
    pub fn remember_device_token(&self, url: &str, token: &str) {
        if let Some(tokens) = &self.tokens {
            if let Err(e) = tokens.set(url, token) {
                tracing::warn!(%e, "could not keep the gateway's device token");
            }
        }
    }

    /// `device.id`: hex of the SHA-256 of the raw public key.
    pub fn id(&self) -> String {
        let digest = Sha256::digest(self.key.verifying_key().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `device.publicKey`: base64url (no padding) of the raw public key.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())
    }

    /// `device.signature` for a connect request: base64url of the Ed25519 signature.
    pub fn sign(&self, connect: &SignedConnect<'_>) -> String {
        let signature = self.key.sign(connect.payload(&self.id()).as_bytes());
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    }
}

/// Makes a new directory entry durable (a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn tokens_beside(identity_file: &Path) -> Option<super::device_tokens::DeviceTokens> {
    identity_file
        .parent()
        .map(super::device_tokens::DeviceTokens::in_dir)
}

impl std::fmt::Debug for DeviceIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret key.
        f.debug_struct("DeviceIdentity")
            .field("id", &self.id())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    fn connect<'a>(scopes: &'a [&'a str]) -> SignedConnect<'a> {
        SignedConnect {
            client_id: "gateway-client",
            client_mode: "backend",
            role: "operator",
            scopes,
            signed_at_ms: 1795230449912,
            token: "tok",
            nonce: "43423d65",
            platform: "Linux",
            device_family: "",
        }
    }

    #[test]
    fn is_created_once_private_and_reloaded() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(DEVICE_FILE);
        let first = DeviceIdentity::load_or_create(&path).unwrap();
        let again = DeviceIdentity::load_or_create(&path).unwrap();
        assert_eq!(first.id(), again.id());
        assert_eq!(first.id().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(!format!("{first:?}").contains(&URL_SAFE_NO_PAD.encode(first.key.to_bytes())));
        std::fs::write(&path, "{\"secret_key\":\"short\"}").unwrap();
        assert!(
            DeviceIdentity::load_or_create(&path).is_err(),
            "a damaged file is an error, not silently replaced"
        );
    }

    #[test]
    fn concurrent_creators_never_see_a_partial_key_and_agree_on_one() {
        for _ in 0..20 {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join(DEVICE_FILE);
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    let (path, barrier) = (path.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        DeviceIdentity::load_or_create(&path).map(|i| i.id())
                    })
                })
                .collect();
            let ids: Vec<String> = threads
                .into_iter()
                .map(|t| t.join().unwrap().expect("every creator gets the identity"))
                .collect();
            assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
            let stored = DeviceIdentity::load_or_create(&path).unwrap();
            assert_eq!(stored.id(), ids[0], "the key on disk is the one in use");
            let names: Vec<_> = std::fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            assert_eq!(names, vec![DEVICE_FILE.to_string()], "no temp file left");
        }
    }

    #[test]
    fn signs_the_v3_payload_verifiably() {
        let tmp = tempfile::tempdir().unwrap();
        let identity = DeviceIdentity::load_or_create(&tmp.path().join(DEVICE_FILE)).unwrap();
        let scopes = ["operator.read", "operator.write"];
        let request = connect(&scopes);
        assert_eq!(
            request.payload("dev"),
            "v3|dev|gateway-client|backend|operator|operator.read,operator.write|1795230449912|tok|43423d65|linux|"
        );
        let signature = URL_SAFE_NO_PAD.decode(identity.sign(&request)).unwrap();
        let public = URL_SAFE_NO_PAD.decode(identity.public_key()).unwrap();
        let key = VerifyingKey::from_bytes(&public.try_into().unwrap()).unwrap();
        let signature = Signature::from_bytes(&signature.try_into().unwrap());
        key.verify(request.payload(&identity.id()).as_bytes(), &signature)
            .unwrap();
    }
}
