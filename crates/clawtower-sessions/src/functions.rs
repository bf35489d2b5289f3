//! What the sessions list filters on that only Rust knows (a session's kind, channel, status and
//! readable name), as SQLite functions over `session_list`'s columns, so the filters run in SQL
//! with the same code that names a row.

use std::collections::HashMap;

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::Connection;

use clawtower_core::error::Result;

use crate::naming::{cron_job_name, session_kind, session_title};
use crate::view::SessionStatus;

/// Registers on `conn` (again, harmlessly):
/// - `session_kind(key, created_via)`: the [`crate::naming::SessionKindName`] as its index;
/// - `session_channel(key, created_via)`: a channel session's channel, else NULL;
/// - `session_status(status, has_active_run, listed)`: the [`SessionStatus`] as its index;
/// - `session_named(key, label, parent_key, parent_label, listed, job, text)`: whether `text`
///   (lowercase) is in the key or the readable name (a cron run's from `jobs`, its job names;
///   `job` names the job of a run whose key does not).
pub(crate) fn register(conn: &Connection, jobs: HashMap<String, String>) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("session_kind", 2, flags, |ctx| {
        Ok(session_kind(text(ctx, 0)?.unwrap_or_default(), text(ctx, 1)?).0 as i64)
    })?;
    conn.create_scalar_function("session_channel", 2, flags, |ctx| {
        Ok(session_kind(text(ctx, 0)?.unwrap_or_default(), text(ctx, 1)?).1)
    })?;
    conn.create_scalar_function("session_status", 3, flags, |ctx| {
        let active = ctx.get::<Option<i64>>(1)?.map(|a| a != 0);
        let listed = ctx.get::<Option<i64>>(2)?.unwrap_or(0) != 0;
        Ok(SessionStatus::of(text(ctx, 0)?, active, listed) as i64)
    })?;
    conn.create_scalar_function("session_named", 7, flags, move |ctx| {
        let key = text(ctx, 0)?.unwrap_or_default();
        let wanted = text(ctx, 6)?.unwrap_or_default();
        if key.to_lowercase().contains(wanted) {
            return Ok(true);
        }
        let job = match text(ctx, 5)? {
            Some(id) => Some(jobs.get(id).map_or(id, String::as_str)),
            None => cron_job_name(key, &jobs),
        };
        let title = session_title(
            key,
            text(ctx, 1)?,
            text(ctx, 2)?.map(|parent| (parent, text(ctx, 3).ok().flatten())),
            job,
            ctx.get::<Option<i64>>(4)?.unwrap_or(0) != 0,
        );
        Ok(title.to_lowercase().contains(wanted))
    })?;
    Ok(())
}

/// Argument `index` as text, borrowed (NULL is `None`).
fn text<'a>(ctx: &'a Context<'_>, index: usize) -> rusqlite::Result<Option<&'a str>> {
    Ok(ctx.get_raw(index).as_str_or_null()?)
}
