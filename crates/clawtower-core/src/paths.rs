//! Where Clawtower keeps its own data (never under `~/.openclaw`).

use std::path::{Path, PathBuf};

use crate::error::{EngineError, Result};

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "CLAWTOWER_DATA_DIR";

/// File name of the ledger database inside the data directory.
pub const DATABASE_FILE: &str = "clawtower.sqlite";

/// Clawtower's data directory and the files in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Resolves the data directory: an explicit path, else `CLAWTOWER_DATA_DIR`, else the XDG data
    /// dir (`~/.local/share/clawtower` on Linux).
    pub fn resolve(explicit: Option<&Path>) -> Result<Self> {
        Self::resolve_with(explicit, std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
    }

    fn resolve_with(explicit: Option<&Path>, from_env: Option<PathBuf>) -> Result<Self> {
        let root = match (explicit, from_env) {
            (Some(path), _) => path.to_path_buf(),
            (None, Some(path)) if !path.as_os_str().is_empty() => path,
            _ => directories::ProjectDirs::from("", "", "clawtower")
                .map(|dirs| dirs.data_dir().to_path_buf())
                .ok_or(EngineError::NoDataDir)?,
        };
        Ok(DataDir { root })
    }

    /// A data dir rooted at `root` as is (tests, embedding).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    /// Creates the directory (owner-only on Unix) if it does not exist.
    pub fn ensure(&self) -> Result<()> {
        std::fs::create_dir_all(&self.root)
            .map_err(|e| EngineError::io(format!("creating {}", self.root.display()), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let perms = std::fs::Permissions::from_mode(0o700);
            std::fs::set_permissions(&self.root, perms)
                .map_err(|e| EngineError::io(format!("securing {}", self.root.display()), e))?;
        }
        Ok(())
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The user's price overrides (`prices.json`, optional).
    pub fn price_overrides(&self) -> PathBuf {
        self.root.join("prices.json")
    }

    /// The ledger database file.
    pub fn database(&self) -> PathBuf {
        self.root.join(DATABASE_FILE)
    }
}

/// Options to open a file only its owner can read (0600 on Unix): keys, tokens, spooled calls.
pub fn owner_only() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Replaces `path` with `bytes`, owner-only: written whole to a private temporary file beside
/// it, synced, then renamed over it (a crash leaves the old file or the new one, never half).
/// The sync blocks: from async code it runs through [`crate::blocking::run`].
pub fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::blocking::run(|| replace_private_here(path, bytes))
}

fn replace_private_here(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let mut file = owner_only().write(true).create_new(true).open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_env_beats_default() {
        let explicit = DataDir::resolve_with(Some(Path::new("/a")), Some("/b".into())).unwrap();
        assert_eq!(explicit.root(), Path::new("/a"));
        let env = DataDir::resolve_with(None, Some("/b".into())).unwrap();
        assert_eq!(env.root(), Path::new("/b"));
        let default = DataDir::resolve_with(None, Some("".into())).unwrap();
        assert!(
            default.root().ends_with("clawtower"),
            "{:?}",
            default.root()
        );
    }

    #[test]
    fn ensure_creates_a_private_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path().join("nested/data"));
        dir.ensure().unwrap();
        assert!(dir.root().is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.root()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        assert_eq!(
            dir.database(),
            tmp.path().join("nested/data/clawtower.sqlite")
        );
    }
}
