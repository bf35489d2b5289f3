//! A session's timeline: every transcript entry, of every generation, as it is shown.

mod cache;
pub mod export;
mod head;
pub mod line;
pub mod read;

pub use cache::TimelineCache;
pub use export::{export, export_text, ExportFormat, SessionExport};
pub use line::{CallDetail, EntryKind, TimelineEntry, ToolDetail, PREVIEW_CHARS};
pub use read::{read_entry, read_timeline, read_timeline_start, Generation, Timeline};
