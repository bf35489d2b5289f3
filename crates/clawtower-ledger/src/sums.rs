//! Sums over model calls: [`Sums`] as read from the rollup tables (exact integers) and
//! [`Totals`], their printed form (the JSON fields every report and usage view shares).

use std::sync::LazyLock;

use serde::Serialize;

use clawtower_core::money::NanoUsd;
use clawtower_store::model_calls::{ModelCall, Unbilled, UnbilledCall};
use clawtower_store::rollups::ROLLUP_COLUMNS;
use clawtower_store::saturating_sum;

/// Sums over a set of model calls (the JSON row fields, without `key`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    /// Billed model calls.
    pub calls: u64,
    /// Uncached prompt tokens.
    pub input: u64,
    /// Completion tokens.
    pub output: u64,
    /// Cached prompt tokens read.
    pub cache_read: u64,
    /// Prompt tokens written to cache.
    pub cache_write: u64,
    /// Reasoning tokens (included in output).
    pub reasoning: u64,
    /// Clawtower's cost.
    pub cost: NanoUsd,
    /// OpenClaw's reported cost.
    pub reported: NanoUsd,
    /// Tokens with no known price.
    pub unpriced: u64,
    /// The price book's estimate (calls it has a price for).
    pub book: NanoUsd,
    /// Aborted runs (not billed).
    pub aborted: u64,
    /// Failed provider calls (not billed).
    pub failed: u64,
}

impl Sums {
    /// One billed call's sums.
    pub fn of_call(call: &ModelCall) -> Sums {
        Sums {
            calls: 1,
            input: call.input_tokens,
            output: call.output_tokens,
            cache_read: call.cache_read_tokens,
            cache_write: call.cache_write_tokens,
            reasoning: call.reasoning_tokens,
            cost: call.cost,
            reported: call.reported_cost,
            unpriced: call.unpriced_tokens,
            book: call.book_cost.unwrap_or_default(),
            aborted: 0,
            failed: 0,
        }
    }

    /// One aborted or failed call's count.
    pub fn of_unbilled(call: &UnbilledCall) -> Sums {
        Sums {
            aborted: u64::from(call.outcome == Unbilled::Aborted),
            failed: u64::from(call.outcome == Unbilled::Failed),
            ..Sums::default()
        }
    }

    /// Adds `other` (saturating).
    pub fn add(&mut self, other: &Sums) {
        // Saturating: sums of absurd counts must not wrap (nor panic in debug builds).
        self.calls = self.calls.saturating_add(other.calls);
        self.input = self.input.saturating_add(other.input);
        self.output = self.output.saturating_add(other.output);
        self.cache_read = self.cache_read.saturating_add(other.cache_read);
        self.cache_write = self.cache_write.saturating_add(other.cache_write);
        self.reasoning = self.reasoning.saturating_add(other.reasoning);
        self.cost += other.cost;
        self.reported += other.reported;
        self.unpriced = self.unpriced.saturating_add(other.unpriced);
        self.book += other.book;
        self.aborted = self.aborted.saturating_add(other.aborted);
        self.failed = self.failed.saturating_add(other.failed);
    }

    /// Counts nothing but aborted or failed calls (a row that is not about a model's spend).
    pub fn only_unbilled(&self) -> bool {
        Sums {
            aborted: 0,
            failed: 0,
            ..*self
        } == Sums::default()
    }
}

/// Totals as printed: token counts, and USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Model calls.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub calls: u64,
    /// Uncached prompt tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub input_tokens: u64,
    /// Completion tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub output_tokens: u64,
    /// Cached prompt tokens read.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub cache_read_tokens: u64,
    /// Prompt tokens written to cache.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub cache_write_tokens: u64,
    /// Reasoning tokens (included in output).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub reasoning_tokens: u64,
    /// input + output + cache read + cache write.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub total_tokens: u64,
    /// Clawtower's cost: what OpenClaw recorded (a provider's bill first), else the price book's.
    pub cost_usd: f64,
    /// OpenClaw's reported cost.
    pub reported_cost_usd: f64,
    /// Tokens with no known price.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub unpriced_tokens: u64,
    /// What the price book puts these calls at (calls it has a price for).
    pub book_cost_usd: f64,
    /// Runs aborted before the model answered: no tokens, no cost, not in `calls`.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub aborted_calls: u64,
    /// Provider calls that failed without billing: not in `calls`.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub failed_calls: u64,
}

impl From<Sums> for Totals {
    fn from(s: Sums) -> Self {
        Totals {
            calls: s.calls,
            input_tokens: s.input,
            output_tokens: s.output,
            cache_read_tokens: s.cache_read,
            cache_write_tokens: s.cache_write,
            reasoning_tokens: s.reasoning,
            total_tokens: s
                .input
                .saturating_add(s.output)
                .saturating_add(s.cache_read)
                .saturating_add(s.cache_write),
            cost_usd: s.cost.as_usd(),
            reported_cost_usd: s.reported.as_usd(),
            unpriced_tokens: s.unpriced,
            book_cost_usd: s.book.as_usd(),
            aborted_calls: s.aborted,
            failed_calls: s.failed,
        }
    }
}

/// `SUM(…)` of every rollup column, in the order of `ROLLUP_COLUMNS`.
pub static SUMS_SQL: LazyLock<String> = LazyLock::new(|| {
    ROLLUP_COLUMNS
        .iter()
        .map(|c| format!("ssum({c})"))
        .collect::<Vec<_>>()
        .join(", ")
});

/// The [`Sums`] of a row whose columns from `first` on are [`SUMS_SQL`]'s.
pub fn sums_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Sums> {
    let i = |i: usize| saturating_sum(row, first + i);
    let n = |at: usize| -> rusqlite::Result<u64> { Ok(i(at)?.max(0) as u64) };
    Ok(Sums {
        calls: n(0)?,
        input: n(1)?,
        output: n(2)?,
        cache_read: n(3)?,
        cache_write: n(4)?,
        reasoning: n(5)?,
        cost: NanoUsd(i(6)?),
        reported: NanoUsd(i(7)?),
        unpriced: n(8)?,
        book: NanoUsd(i(9)?),
        aborted: n(10)?,
        failed: n(11)?,
    })
}
