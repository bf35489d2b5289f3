//! Device tokens the gateways issued to this installation (`hello-ok.auth.deviceToken`), kept
//! next to the device identity (0600) and offered when the shared token is missing or refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{EngineError, Result};
use crate::paths::owner_only;

/// The file, in the same directory as the identity.
pub const DEVICE_TOKENS_FILE: &str = "gateway-device-tokens.json";

/// Device tokens by gateway URL. Secrets: never printed.
#[derive(Clone)]
pub struct DeviceTokens {
    path: PathBuf,
}

impl std::fmt::Debug for DeviceTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceTokens")
            .field("path", &self.path)
            .finish()
    }
}

impl DeviceTokens {
    /// Tokens kept in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        DeviceTokens {
            path: dir.join(DEVICE_TOKENS_FILE),
        }
    }

    fn read(&self) -> BTreeMap<String, String> {
        std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// The token issued by the gateway at `url`, if any.
    pub fn get(&self, url: &str) -> Option<String> {
        self.read().remove(url)
    }

    /// Keeps `token` for `url` (written atomically, owner-only).
    pub fn set(&self, url: &str, token: &str) -> Result<()> {
        let mut all = self.read();
        if all.get(url).map(String::as_str) == Some(token) {
            return Ok(());
        }
        all.insert(url.to_string(), token.to_string());
        let text =
            serde_json::to_string(&all).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        let tmp = self.path.with_extension("json.tmp");
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let _ = std::fs::remove_file(&tmp);
            let mut file = owner_only().write(true).create_new(true).open(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| EngineError::io(format!("writing {}", self.path.display()), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_kept_per_gateway_privately() {
        let tmp = tempfile::tempdir().unwrap();
        let tokens = DeviceTokens::in_dir(tmp.path());
        assert_eq!(tokens.get("ws://a/"), None);
        tokens.set("ws://a/", "t1").unwrap();
        tokens.set("ws://b/", "t2").unwrap();
        assert_eq!(tokens.get("ws://a/").as_deref(), Some("t1"));
        assert_eq!(
            DeviceTokens::in_dir(tmp.path()).get("ws://b/").as_deref(),
            Some("t2")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(tmp.path().join(DEVICE_TOKENS_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{tokens:?}").contains("t1"));
    }
}
