//! Finding OpenClaw's state directory and config file exactly as OpenClaw itself does.
//!
//! OpenClaw resolves `OPENCLAW_STATE_DIR`, else `<home>/.openclaw-<profile>` when `OPENCLAW_PROFILE`
//! names a profile other than `default`, else `<home>/.openclaw`, where `<home>` is `OPENCLAW_HOME`
//! or `$HOME`. The config is `OPENCLAW_CONFIG_PATH`, else `<state dir>/openclaw.json`.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// The environment variables OpenClaw reads, captured once so resolution is a pure function.
#[derive(Debug, Clone, Default)]
pub struct OpenClawEnv {
    /// `OPENCLAW_STATE_DIR`
    pub state_dir: Option<String>,
    /// `OPENCLAW_HOME` (replaces `$HOME` for OpenClaw's path defaults)
    pub openclaw_home: Option<String>,
    /// `OPENCLAW_PROFILE`
    pub profile: Option<String>,
    /// `OPENCLAW_CONFIG_PATH`
    pub config_path: Option<String>,
    /// `OPENCLAW_GATEWAY_PORT`
    pub gateway_port: Option<String>,
    /// Whether `OPENCLAW_GATEWAY_TOKEN` is set (its value is never kept).
    pub gateway_token_set: bool,
    /// `$HOME`
    pub home: Option<String>,
}

impl OpenClawEnv {
    /// Captures the current process environment.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        OpenClawEnv {
            state_dir: var("OPENCLAW_STATE_DIR"),
            openclaw_home: var("OPENCLAW_HOME"),
            profile: var("OPENCLAW_PROFILE"),
            config_path: var("OPENCLAW_CONFIG_PATH"),
            gateway_port: var("OPENCLAW_GATEWAY_PORT"),
            gateway_token_set: var("OPENCLAW_GATEWAY_TOKEN").is_some(),
            home: var("HOME"),
        }
    }

    fn home_dir(&self) -> Option<PathBuf> {
        let base = self.home.as_deref().map(PathBuf::from);
        match self.openclaw_home.as_deref() {
            Some(home) => Some(expand_tilde(home, base.as_deref())),
            None => base,
        }
    }
}

/// Which rule produced the state dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum StateDirSource {
    /// Given on the command line (`--openclaw-home`).
    Explicit,
    /// `OPENCLAW_STATE_DIR`.
    StateDirEnv,
    /// `OPENCLAW_PROFILE` under the home dir.
    Profile,
    /// `<home>/.openclaw`, home from `OPENCLAW_HOME` or `$HOME`.
    Default,
}

/// Where an OpenClaw installation keeps its state and config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenClawLocation {
    /// The state directory (`~/.openclaw`).
    pub state_dir: PathBuf,
    /// How it was found.
    pub source: StateDirSource,
    /// The config file (may not exist).
    pub config_path: PathBuf,
}

/// Resolves the OpenClaw state dir and config path.
///
/// `explicit` (the CLI's `--openclaw-home DIR`) may name either the state dir itself or a home
/// directory containing `.openclaw`. Returns `None` only when no home directory is known.
pub fn locate(env: &OpenClawEnv, explicit: Option<&Path>) -> Option<OpenClawLocation> {
    let home = env.home_dir();
    let (state_dir, source) = if let Some(dir) = explicit {
        (explicit_state_dir(dir), StateDirSource::Explicit)
    } else if let Some(dir) = env.state_dir.as_deref() {
        (
            expand_tilde(dir, home.as_deref()),
            StateDirSource::StateDirEnv,
        )
    } else {
        let home = home.clone()?;
        match env.profile.as_deref().map(str::trim) {
            Some(profile) if !profile.eq_ignore_ascii_case("default") && !profile.is_empty() => (
                home.join(format!(".openclaw-{profile}")),
                StateDirSource::Profile,
            ),
            _ => (home.join(".openclaw"), StateDirSource::Default),
        }
    };
    let config_path = match (explicit, env.config_path.as_deref()) {
        (None, Some(path)) => expand_tilde(path, home.as_deref()),
        _ => state_dir.join("openclaw.json"),
    };
    Some(OpenClawLocation {
        state_dir,
        source,
        config_path,
    })
}

/// The config file OpenClaw reads for `state_dir`: `OPENCLAW_CONFIG_PATH` when `state_dir` is the
/// one OpenClaw itself uses (as [`locate`] finds it), else `<state dir>/openclaw.json` (a state
/// dir named by hand has its own config).
pub fn config_path_for(env: &OpenClawEnv, state_dir: &Path) -> PathBuf {
    match locate(env, None) {
        Some(found) if found.state_dir == state_dir => found.config_path,
        _ => state_dir.join("openclaw.json"),
    }
}

fn explicit_state_dir(dir: &Path) -> PathBuf {
    let looks_like_state = dir.join("openclaw.json").exists() || dir.join("agents").is_dir();
    let nested = dir.join(".openclaw");
    if !looks_like_state && nested.is_dir() {
        nested
    } else {
        dir.to_path_buf()
    }
}

fn expand_tilde(path: &str, home: Option<&Path>) -> PathBuf {
    match (path, home) {
        ("~", Some(home)) => home.to_path_buf(),
        (p, Some(home)) if p.starts_with("~/") => home.join(&p[2..]),
        (p, _) => PathBuf::from(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> OpenClawEnv {
        OpenClawEnv {
            home: Some("/home/u".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_config_path_follows_openclaw_config_path_for_its_own_state_dir_only() {
        let e = OpenClawEnv {
            config_path: Some("~/conf/oc.json5".into()),
            ..env()
        };
        assert_eq!(
            config_path_for(&e, Path::new("/home/u/.openclaw")),
            PathBuf::from("/home/u/conf/oc.json5")
        );
        assert_eq!(
            config_path_for(&e, Path::new("/elsewhere")),
            PathBuf::from("/elsewhere/openclaw.json")
        );
        assert_eq!(
            config_path_for(&env(), Path::new("/home/u/.openclaw")),
            PathBuf::from("/home/u/.openclaw/openclaw.json")
        );
    }

    #[test]
    fn default_is_dot_openclaw_in_home() {
        let loc = locate(&env(), None).unwrap();
        assert_eq!(loc.state_dir, PathBuf::from("/home/u/.openclaw"));
        assert_eq!(loc.source, StateDirSource::Default);
        assert_eq!(
            loc.config_path,
            PathBuf::from("/home/u/.openclaw/openclaw.json")
        );
    }

    #[test]
    fn openclaw_home_replaces_home() {
        let e = OpenClawEnv {
            openclaw_home: Some("/srv/oc".into()),
            ..env()
        };
        assert_eq!(
            locate(&e, None).unwrap().state_dir,
            PathBuf::from("/srv/oc/.openclaw")
        );
    }

    #[test]
    fn profile_names_a_sibling_dir_but_default_does_not() {
        let e = OpenClawEnv {
            profile: Some("work".into()),
            ..env()
        };
        let loc = locate(&e, None).unwrap();
        assert_eq!(loc.state_dir, PathBuf::from("/home/u/.openclaw-work"));
        assert_eq!(loc.source, StateDirSource::Profile);
        let e = OpenClawEnv {
            profile: Some("DEFAULT".into()),
            ..env()
        };
        assert_eq!(
            locate(&e, None).unwrap().state_dir,
            PathBuf::from("/home/u/.openclaw")
        );
    }

    #[test]
    fn state_dir_env_wins_and_expands_tilde() {
        let e = OpenClawEnv {
            state_dir: Some("~/state".into()),
            profile: Some("work".into()),
            config_path: Some("/etc/oc.json".into()),
            ..env()
        };
        let loc = locate(&e, None).unwrap();
        assert_eq!(loc.state_dir, PathBuf::from("/home/u/state"));
        assert_eq!(loc.source, StateDirSource::StateDirEnv);
        assert_eq!(loc.config_path, PathBuf::from("/etc/oc.json"));
    }

    #[test]
    fn explicit_accepts_state_dir_or_home() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join(".openclaw/agents")).unwrap();
        let as_home = locate(&env(), Some(tmp.path())).unwrap();
        assert_eq!(as_home.state_dir, tmp.path().join(".openclaw"));
        let state = tmp.path().join(".openclaw");
        let as_state = locate(&env(), Some(&state)).unwrap();
        assert_eq!(as_state.state_dir, state);
        assert_eq!(as_state.source, StateDirSource::Explicit);
    }

    #[test]
    fn no_home_and_no_override_finds_nothing() {
        assert!(locate(&OpenClawEnv::default(), None).is_none());
    }
}
