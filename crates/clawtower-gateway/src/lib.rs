//! The OpenClaw gateway client (protocol v4 over WebSocket): the live, authenticated path for
//! everything Clawtower observes and controls. It knows no store and no ledger: what a gateway
//! says is turned into ledger rows by `clawtower-feeds`.

#![deny(missing_docs)]

pub mod backfill;
pub mod client;
pub mod device;
pub mod device_tokens;
pub mod error;
pub mod frame;
pub mod lifecycle;
pub mod methods;
pub mod queries;
mod transport;

pub use client::{GatewayClient, Hello, Target};
pub use device::DeviceIdentity;
pub use error::{GatewayError, GatewayErrorCode};
