//! The shape every rollup table shares (those of [`crate::rollups`] and
//! [`crate::day_rollups`]): 15-minute buckets and the summed columns, and the SQL that adds a
//! row's sums to the stored ones.

use rusqlite::{params_from_iter, ToSql};

use clawtower_core::error::Result;

/// Width of a rollup bucket (see `usage_rollups` in the schema).
pub const BUCKET_MS: i64 = 15 * 60 * 1000;

/// The rollup bucket of an instant (floor division, also before 1970).
pub fn bucket_of(ts_ms: i64) -> i64 {
    ts_ms.div_euclid(BUCKET_MS)
}

/// The summed columns both rollup tables share, after their keys.
pub const ROLLUP_COLUMNS: [&str; 12] = [
    "calls",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "cost_nanousd",
    "reported_cost_nanousd",
    "unpriced_tokens",
    "book_cost_nanousd",
    "aborted_calls",
    "failed_calls",
];
/// Index of `aborted_calls` in [`ROLLUP_COLUMNS`].
pub const ABORTED: usize = 10;
/// Index of `failed_calls` in [`ROLLUP_COLUMNS`].
pub const FAILED: usize = 11;

/// `f` of every column of [`ROLLUP_COLUMNS`], comma-separated (SQL).
pub(crate) fn each_column(f: impl Fn(&str) -> String) -> String {
    ROLLUP_COLUMNS.map(f).join(", ")
}

/// `SET` of an upsert adding the new row's sums to the stored one. An overflowing `+` yields a
/// REAL: cast back, saturated at the i64 bounds.
pub(crate) fn add_excluded() -> String {
    each_column(|c| format!("{c} = CAST({c} + excluded.{c} AS INTEGER)"))
}

/// `?first, …`: a placeholder per column of [`ROLLUP_COLUMNS`].
pub(crate) fn sum_placeholders(first: usize) -> String {
    (first..first + ROLLUP_COLUMNS.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs a rollup upsert with its key columns, then the sums.
pub(crate) fn upsert_sums(
    stmt: &mut rusqlite::CachedStatement<'_>,
    keys: &[&dyn ToSql],
    sums: &[i64],
) -> Result<()> {
    stmt.execute(params_from_iter(
        keys.iter()
            .copied()
            .chain(sums.iter().map(|v| v as &dyn ToSql)),
    ))?;
    Ok(())
}
