//! The API token: made on first run (0600 in the data dir), required on every API call, and the
//! session cookie a browser holds instead of it.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The token file's name in the data dir.
pub const TOKEN_FILE: &str = "api-token";

/// The bearer token of one data dir.
#[derive(Clone)]
pub struct ApiToken {
    secret: String,
    /// The session cookie's value: derived from the token, so rotating the token signs every
    /// browser out, and a cookie never reveals the token.
    session: String,
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(…)")
    }
}

impl ApiToken {
    /// The token stored in `data_dir`, made (and stored, owner-only) when there is none.
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<ApiToken> {
        let path = token_path(data_dir);
        match std::fs::read_to_string(&path) {
            Ok(text) if !text.trim().is_empty() => Ok(ApiToken::from_secret(text.trim())),
            Ok(_) => Self::rotate(data_dir),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Self::rotate(data_dir),
            Err(err) => Err(err),
        }
    }

    /// Makes a new token and stores it in place of the old one (which stops working, and with
    /// it every browser session).
    pub fn rotate(data_dir: &Path) -> std::io::Result<ApiToken> {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        clawtower_core::paths::replace_private(&token_path(data_dir), secret.as_bytes())?;
        Ok(ApiToken::from_secret(&secret))
    }

    fn from_secret(secret: &str) -> ApiToken {
        let digest = Sha256::digest(format!("clawtower-session\0{secret}").as_bytes());
        ApiToken {
            secret: secret.to_string(),
            session: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest),
        }
    }

    /// The token, to print for the user (`clawtower token`, the link `serve` prints).
    pub fn reveal(&self) -> &str {
        &self.secret
    }

    /// Whether `presented` is the token (constant time).
    pub fn accepts(&self, presented: &str) -> bool {
        bool::from(self.secret.as_bytes().ct_eq(presented.as_bytes()))
    }

    /// The session cookie's value for a browser that signed in.
    pub(crate) fn session_value(&self) -> &str {
        &self.session
    }

    /// Whether `presented` is this token's session cookie value (constant time).
    pub(crate) fn accepts_session(&self, presented: &str) -> bool {
        bool::from(self.session.as_bytes().ct_eq(presented.as_bytes()))
    }
}

fn token_path(data_dir: &Path) -> PathBuf {
    data_dir.join(TOKEN_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_rotated() {
        let tmp = tempfile::tempdir().unwrap();
        let first = ApiToken::load_or_create(tmp.path()).unwrap();
        assert_eq!(first.reveal().len(), 43);
        let again = ApiToken::load_or_create(tmp.path()).unwrap();
        assert!(again.accepts(first.reveal()));
        assert!(!again.accepts("nope"));
        assert!(!again.accepts(""));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(tmp.path().join(TOKEN_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let rotated = ApiToken::rotate(tmp.path()).unwrap();
        assert!(!rotated.accepts(first.reveal()));
        assert!(!rotated.accepts_session(first.session_value()));
        assert!(rotated.accepts_session(rotated.session_value()));
        assert_ne!(rotated.session_value(), rotated.reveal());
        assert_eq!(format!("{rotated:?}"), "ApiToken(…)");
    }
}
