//! A gateway as the user adds it, and as the app shows it (never with its secret).

use serde::{Deserialize, Serialize};

/// The id of the local gateway (the one in openclaw.json); added gateways have ids from 1.
pub const LOCAL_GATEWAY_ID: i64 = 0;

/// How Clawtower authenticates to a gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum CredentialKind {
    /// The shared gateway token (`gateway.auth.token`).
    Token,
    /// The gateway password (`gateway.auth.mode = password`).
    Password,
}

/// A token or password the user entered. The secret is write-only: stored owner-only, never
/// listed, logged or sent back.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GatewayCredential {
    /// Token or password.
    pub kind: CredentialKind,
    /// The secret itself.
    pub secret: String,
}

impl std::fmt::Debug for GatewayCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayCredential")
            .field("kind", &self.kind)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A gateway to add. `Debug` redacts the secret and any credentials in the URL.
#[derive(Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GatewayDraft {
    /// A name for people (the host when empty).
    pub name: String,
    /// `ws://` or `wss://` URL.
    pub url: String,
    /// Token or password, when the gateway wants one.
    pub credential: Option<GatewayCredential>,
    /// Allow plain `ws://` to a host that is not on this machine or a private network.
    #[serde(default)]
    pub allow_unencrypted: bool,
}

impl std::fmt::Debug for GatewayDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayDraft")
            .field("name", &self.name)
            .field("url", &clawtower_gateway::redact_url(&self.url))
            .field("credential", &self.credential)
            .field("allow_unencrypted", &self.allow_unencrypted)
            .finish()
    }
}

/// A followed gateway as shown: where it is and how Clawtower authenticates, never the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GatewayEntry {
    /// [`LOCAL_GATEWAY_ID`] for the local gateway, else the id it was added under.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// A name for people.
    pub name: String,
    /// The URL.
    pub url: String,
    /// Whether this is the local gateway found in openclaw.json.
    pub local: bool,
    /// What Clawtower sends to authenticate (`None`: nothing, or only this device's token).
    pub credential: Option<CredentialKind>,
    /// Whether that credential was entered in Clawtower (it can be forgotten), rather than read
    /// from openclaw.json or the environment.
    pub credential_entered: bool,
    /// Whether budgets pause this gateway (the local one, else the first one added).
    pub controlled: bool,
}
