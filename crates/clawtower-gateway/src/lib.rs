//! The OpenClaw gateway client (protocol v4 over WebSocket): the live, authenticated path for
//! everything Clawtower observes and controls. It knows no store and no ledger: what a gateway
//! says is turned into ledger rows by `clawtower-feeds`.
//!
//! Its surface: the client and how it connects ([`GatewayClient`], [`Target`], [`Hello`]), this
//! install's identity and tokens ([`DeviceIdentity`], [`DeviceTokens`]), typed errors
//! ([`GatewayError`]), the calls a session missed ([`missed_calls`]), the request and answer
//! types of every RPC it makes ([`rpc`]) and the wire format ([`frame`]).

#![deny(missing_docs)]

mod backfill;
mod client;
mod device;
mod device_tokens;
mod error;
pub mod frame;
mod lifecycle;
mod methods;
mod queries;
mod transport;

pub use backfill::{calls_in, missed_calls};
pub use client::{redact_url, GatewayClient, Hello, Target, SCOPES};
pub use device::{DeviceIdentity, SignedConnect, DEVICE_FILE};
pub use device_tokens::{DeviceTokens, DEVICE_TOKENS_FILE};
pub use error::{GatewayError, GatewayErrorCode};

/// The parameters and answers of the gateway RPCs [`GatewayClient`] makes (`config.get`,
/// `sessions.list`, `usage.cost`, `agents.create`, `cron.runs`…), as OpenClaw sends them.
pub mod rpc {
    pub use crate::lifecycle::*;
    pub use crate::methods::*;
    pub use crate::queries::*;
}
