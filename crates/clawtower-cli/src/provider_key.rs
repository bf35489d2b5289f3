//! `clawtower router provider-key set|rm NAME`: a provider's API key in the OS keyring, for
//! `api_key_keyring = "NAME"` in the router's configuration. The key is read from stdin — typed
//! without being shown, or piped — never from the command line (other users can see arguments),
//! and never printed.

use clap::Subcommand;
use clawtower_router::keyring;
use serde_json::json;

use crate::agents::print as say;

/// `clawtower router provider-key …`.
#[derive(Debug, Subcommand)]
pub enum ProviderKeyAction {
    /// Store a provider's key under NAME (read from stdin: typed unseen, or piped).
    Set {
        /// The name the configuration's api_key_keyring gives.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove the key stored under NAME.
    Rm {
        /// Its name.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `provider-key` action.
pub fn run(action: &ProviderKeyAction) -> Result<(), String> {
    match action {
        ProviderKeyAction::Set { name, json } => {
            let key = read_key(name)?;
            keyring::store(name, &key)?;
            say(
                *json,
                json!({ "name": name, "stored": true }),
                &format!(
                    "Stored in the OS keyring as \"{name}\" (service {}): use api_key_keyring = \
                     \"{name}\" in the router's configuration.",
                    keyring::SERVICE
                ),
            );
        }
        ProviderKeyAction::Rm { name, json } => {
            let removed = keyring::remove(name)?;
            let text = if removed {
                format!("Removed \"{name}\" from the OS keyring.")
            } else {
                format!("No key named \"{name}\" in the OS keyring.")
            };
            say(*json, json!({ "name": name, "removed": removed }), &text);
        }
    }
    Ok(())
}

fn read_key(name: &str) -> Result<String, String> {
    let text = crate::prompt::read_secret(&format!("Key for \"{name}\" (not shown): "))?;
    let key = text.trim();
    if key.is_empty() {
        return Err("no key given: type it, or pipe it in".into());
    }
    Ok(key.to_string())
}
