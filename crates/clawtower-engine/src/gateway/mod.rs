//! The OpenClaw gateway client (protocol v4 over WebSocket): the live, authenticated path for
//! everything Clawtower observes and controls.

pub mod backfill;
pub mod client;
pub mod crosscheck;
pub mod device;
pub mod device_tokens;
pub mod error;
pub mod feed;
pub mod frame;
pub mod lifecycle;
pub mod live;
pub mod methods;
pub mod queries;
pub mod spool;

pub use client::{GatewayClient, Hello, Target};
pub use device::DeviceIdentity;
pub use error::{GatewayError, GatewayErrorCode};
