//! Sessions as OpenClaw recorded them: the list of every session with its live status, kind,
//! models and spend ([`list`]), each session's full timeline read from its transcript
//! ([`timeline`]), and the sub-agent tree with costs rolled up ([`tree`]). Read only: acting on
//! sessions (abort, reset, delete) is `clawtower-lifecycle`'s.

#![deny(missing_docs)]

mod functions;
mod indexed_to;
pub mod list;
pub mod naming;
mod rows;
pub mod search;
pub mod timeline;
pub mod tree;
mod view;
