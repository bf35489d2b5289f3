//! The gateways Clawtower follows: the local one found in openclaw.json, and any the user adds by
//! URL with a token or password. Each gets its own connection; budgets pause one of them (the
//! local gateway, else the first one added).

pub mod address;
pub mod entry;
pub mod followed;
pub mod store;

pub use entry::{CredentialKind, GatewayCredential, GatewayDraft, GatewayEntry, LOCAL_GATEWAY_ID};
pub use followed::{followed, followed_here, local_gateway, FollowedGateway};
