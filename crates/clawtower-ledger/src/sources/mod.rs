//! Where transcripts come from: legacy JSONL files (≤ 2026.7.1, and deleted-session archives in
//! every version) and the per-agent SQLite store (≥ 2026.7.2) with its cold archives. All are
//! read-only.

pub mod cold;
pub mod jsonl;
mod owner;
pub mod sqlite;

pub use owner::session_of;
