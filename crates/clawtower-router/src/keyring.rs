//! Provider keys in the OS keyring (the Secret Service on Linux — GNOME Keyring, KWallet —, the
//! Keychain on macOS, the Credential Manager on Windows), under the service `clawtower-router`
//! and a name the configuration gives (`api_key_keyring = "openrouter"`). Stored with
//! `clawtower router provider-key set NAME` (the key read from stdin, never the command line),
//! read once when the router starts. A keyring that cannot be reached disables the providers
//! that need it, with the reason; it never stops the others.

use keyring::v1::Entry;
use keyring::Error;

/// The keyring service the router's provider keys are stored under.
pub const SERVICE: &str = "clawtower-router";

/// The key stored under `name`; `None` when there is none.
pub fn lookup(name: &str) -> Result<Option<String>, String> {
    match entry(name)?.get_password() {
        Ok(key) => Ok(Some(key)),
        Err(Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Stores `key` under `name`, replacing what was there.
pub fn store(name: &str, key: &str) -> Result<(), String> {
    entry(name)?.set_password(key).map_err(keyring_error)
}

/// Removes the key stored under `name`; whether there was one.
pub fn remove(name: &str) -> Result<bool, String> {
    match entry(name)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(Error::NoEntry) => Ok(false),
        Err(e) => Err(keyring_error(e)),
    }
}

fn entry(name: &str) -> Result<Entry, String> {
    Entry::new(SERVICE, name).map_err(keyring_error)
}

fn keyring_error(e: Error) -> String {
    format!("the OS keyring cannot be used ({e})")
}
