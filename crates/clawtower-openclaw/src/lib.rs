//! Read-only knowledge of an OpenClaw installation: where its state lives, what its config says,
//! which agents and storage layout it has. Nothing here writes under the state dir.

#![deny(missing_docs)]

pub mod config;
pub mod cron_jobs;
pub mod layout;
mod location;
pub mod task_runs;

pub use config::{AuthMode, ConfigError, GatewaySettings, OpenClawConfig};
pub use layout::{scan_agents, AgentFound, StorageLayout};
pub use location::{config_path_for, locate, OpenClawEnv, OpenClawLocation, StateDirSource};
