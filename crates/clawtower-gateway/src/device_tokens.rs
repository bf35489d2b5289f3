//! Device tokens the gateways issued to this installation (`hello-ok.auth.deviceToken`), kept
//! next to the device identity (0600) and offered when the shared token is missing or refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clawtower_core::error::{EngineError, Result};

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

    /// The tokens on disk: empty when there is no file; an error when it cannot be read or
    /// parsed.
    fn read(&self) -> std::result::Result<BTreeMap<String, String>, String> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| e.to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The token issued by the gateway at `url`, if any.
    pub fn get(&self, url: &str) -> Option<String> {
        match self.read() {
            Ok(mut all) => all.remove(url),
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "device tokens unreadable");
                None
            }
        }
    }

    /// Keeps `token` for `url` (written atomically, owner-only). An unreadable or damaged file
    /// is not overwritten: it is kept aside as `gateway-device-tokens.json.corrupt-<unix ms>`
    /// (and if that fails, nothing is written).
    pub fn set(&self, url: &str, token: &str) -> Result<()> {
        let mut all = match self.read() {
            Ok(all) => all,
            Err(e) => {
                let aside = self.keep_aside().map_err(|io| {
                    EngineError::io(format!("keeping aside {}", self.path.display()), io)
                })?;
                tracing::warn!(error = %e, aside = %aside.display(), "device tokens unreadable; kept aside");
                BTreeMap::new()
            }
        };
        if all.get(url).map(String::as_str) == Some(token) {
            return Ok(());
        }
        all.insert(url.to_string(), token.to_string());
        let text =
            serde_json::to_string(&all).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        clawtower_core::paths::replace_private(&self.path, text.as_bytes())
            .map_err(|e| EngineError::io(format!("writing {}", self.path.display()), e))
    }
}

impl DeviceTokens {
    /// Renames the file to `<name>.corrupt-<unix ms>` (a free name); returns that path.
    fn keep_aside(&self) -> std::io::Result<PathBuf> {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let mut aside = self.path.with_file_name(format!("{name}.corrupt-{ms}"));
        let mut n = 1;
        while aside.exists() {
            aside = self.path.with_file_name(format!("{name}.corrupt-{ms}-{n}"));
            n += 1;
        }
        std::fs::rename(&self.path, &aside)?;
        Ok(aside)
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

    #[test]
    fn a_corrupt_file_is_kept_aside_not_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let tokens = DeviceTokens::in_dir(tmp.path());
        let damaged = b"{\"ws://a/\": \"t1\", \x00 torn";
        std::fs::write(tmp.path().join(DEVICE_TOKENS_FILE), damaged).unwrap();
        assert_eq!(tokens.get("ws://a/"), None);
        tokens.set("ws://b/", "t2").unwrap();
        assert_eq!(tokens.get("ws://b/").as_deref(), Some("t2"));
        let aside: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("gateway-device-tokens.json.corrupt-")
            })
            .collect();
        assert_eq!(aside.len(), 1, "the damaged file is kept");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), damaged);
    }
}
