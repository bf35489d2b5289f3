//! Every Clawtower command once: a plain async function over the [`Runtime`], listed once in
//! [`with_commands!`]. The desktop app's Tauri commands and bindings, `clawtower serve`'s routes
//! ([`dispatch`]) and the checks on the UI's two backends are all built from that list, so adding a
//! command is: write the function in [`commands`], add it to the list, regenerate the bindings.
//!
//! No command blocks its caller's thread: store reads go to the read pool and everything
//! blocking runs on the blocking pool ([`Runtime::blocking`]).
#![deny(missing_docs)]

pub mod commands;
mod dispatch;
mod error;
mod list;
pub mod types;

pub use clawtower_runtime::Runtime;
pub use dispatch::{dispatch, COMMANDS, COMMAND_ARGS};
pub use error::{ApiError, RefusalCode};
