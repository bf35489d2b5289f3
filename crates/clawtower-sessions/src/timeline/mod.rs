//! A session's timeline: every transcript entry, of every generation, as it is shown.

pub mod line;
pub mod read;

pub use line::{CallDetail, EntryKind, TimelineEntry, ToolDetail, PREVIEW_CHARS};
pub use read::{read_entry, read_timeline, Generation, Timeline};
