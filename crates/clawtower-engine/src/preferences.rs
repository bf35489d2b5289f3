//! User preferences the engine keeps (the theme); OS-level ones (launch at login) live in the app.

use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};
use clawtower_store::{preferences, Store};

/// The UI theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the OS.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses `system`, `light` or `dark`.
    pub fn parse(text: &str) -> Result<Theme> {
        match text {
            "system" => Ok(Theme::System),
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            other => Err(EngineError::InvalidInput(format!(
                "unknown theme {other:?} (expected system, light or dark)"
            ))),
        }
    }
}

const THEME_KEY: &str = "ui.theme";

/// The stored theme (`System` when unset or unreadable).
pub fn theme(store: &Store) -> Result<Theme> {
    let stored = store.read(|c| preferences::get(c, THEME_KEY))?;
    Ok(stored
        .and_then(|t| Theme::parse(&t).ok())
        .unwrap_or_default())
}

/// Stores the theme.
pub fn set_theme(store: &Store, theme: Theme) -> Result<()> {
    store.with_conn(|c| preferences::set(c, THEME_KEY, theme.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_defaults_to_system_and_persists() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(theme(&store).unwrap(), Theme::System);
        set_theme(&store, Theme::Dark).unwrap();
        assert_eq!(theme(&store).unwrap(), Theme::Dark);
        assert!(Theme::parse("purple").is_err());
    }
}
