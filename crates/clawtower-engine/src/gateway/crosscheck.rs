//! Comparing the ledger with OpenClaw's own `usage.cost` over the same days, and explaining any
//! difference.

use serde::Serialize;

use super::methods::UsageTotals;
use crate::ledger::report::Totals;
use crate::money::NanoUsd;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    /// USD as OpenClaw reports it (for Clawtower: the sum of OpenClaw's per-call costs).
    pub cost_usd: f64,
    /// Model calls (Clawtower only: usage.cost does not count calls).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls: Option<u64>,
    /// Uncached input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Cache reads.
    pub cache_read_tokens: u64,
    /// Cache writes.
    pub cache_write_tokens: u64,
    /// All tokens.
    pub total_tokens: u64,
}

/// `clawtower crosscheck --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Crosscheck {
    /// The ledger.
    pub clawtower: Side,
    /// OpenClaw's usage.cost.
    pub openclaw: Side,
    /// clawtower − openclaw, USD.
    pub diff_usd: f64,
    /// Whether costs and tokens agree (to the nano-dollar).
    pub matches: bool,
    /// Why they differ (or notes on what is compared).
    pub explained: Vec<String>,
    /// Clawtower's own cost (price book first), for reference.
    pub clawtower_priced_usd: f64,
}

/// Compares the ledger's totals with OpenClaw's.
pub fn compare(ledger: &Totals, openclaw: &UsageTotals) -> Crosscheck {
    let ours = NanoUsd::from_usd(ledger.reported_cost_usd);
    let theirs = NanoUsd::from_usd(openclaw.total_cost);
    let diff = NanoUsd(ours.0 - theirs.0);
    let clawtower = Side {
        cost_usd: ours.as_usd(),
        calls: Some(ledger.calls),
        input_tokens: ledger.input_tokens,
        output_tokens: ledger.output_tokens,
        cache_read_tokens: ledger.cache_read_tokens,
        cache_write_tokens: ledger.cache_write_tokens,
        total_tokens: ledger.total_tokens,
    };
    let openclaw_side = Side {
        cost_usd: theirs.as_usd(),
        calls: None,
        input_tokens: openclaw.input,
        output_tokens: openclaw.output,
        cache_read_tokens: openclaw.cache_read,
        cache_write_tokens: openclaw.cache_write,
        total_tokens: openclaw.total_tokens,
    };
    let mut explained = Vec::new();
    let token_gap = i128::from(openclaw.total_tokens) - i128::from(ledger.total_tokens);
    if token_gap > 0 {
        explained.push(format!(
            "OpenClaw counts {token_gap} tokens the ledger has not seen: import them with `clawtower ingest`, or keep the app or `clawtower gateway follow` running"
        ));
    } else if token_gap < 0 {
        explained.push(format!(
            "the ledger has {} tokens OpenClaw no longer counts (sessions purged from OpenClaw, or days outside OpenClaw's cache)",
            -token_gap
        ));
    }
    if token_gap == 0 && diff.0 != 0 {
        explained.push(format!(
            "same tokens, different cost ({}): OpenClaw may have re-priced calls after a price change in openclaw.json",
            NanoUsd(diff.0.abs()).display()
        ));
    }
    let priced = NanoUsd::from_usd(ledger.cost_usd);
    if priced != ours {
        explained.push(format!(
            "Clawtower's own price book puts this window at {} (OpenClaw's costs are compared above)",
            priced.display()
        ));
    }
    if ledger.unpriced_tokens > 0 {
        explained.push(format!(
            "{} tokens have no price anywhere and count as $0 on both sides",
            ledger.unpriced_tokens
        ));
    }
    Crosscheck {
        matches: diff.0 == 0 && token_gap == 0,
        clawtower,
        openclaw: openclaw_side,
        diff_usd: diff.as_usd(),
        explained,
        clawtower_priced_usd: priced.as_usd(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger(cost: f64, tokens: u64) -> Totals {
        Totals {
            calls: 3,
            input_tokens: tokens,
            output_tokens: 0,
            cache_read_tokens: 0,
            cache_write_tokens: 0,
            reasoning_tokens: 0,
            total_tokens: tokens,
            cost_usd: cost,
            reported_cost_usd: cost,
            unpriced_tokens: 0,
            book_cost_usd: cost,
            aborted_calls: 0,
            failed_calls: 0,
        }
    }

    fn theirs(cost: f64, tokens: u64) -> UsageTotals {
        UsageTotals {
            input: tokens,
            total_tokens: tokens,
            total_cost: cost,
            ..UsageTotals::default()
        }
    }

    #[test]
    fn equal_totals_match_and_gaps_are_explained() {
        let same = compare(&ledger(0.2066203, 100), &theirs(0.2066203, 100));
        assert!(same.matches && same.explained.is_empty() && same.diff_usd == 0.0);
        let missing = compare(&ledger(0.1, 90), &theirs(0.2, 100));
        assert!(!missing.matches);
        assert_eq!(missing.diff_usd, -0.1);
        assert!(
            missing.explained[0].starts_with("OpenClaw counts 10 tokens"),
            "{:?}",
            missing.explained
        );
        let repriced = compare(&ledger(0.1, 100), &theirs(0.2, 100));
        assert!(repriced.explained[0].starts_with("same tokens, different cost ($0.10)"));
    }
}
