//! Comparing the ledger with OpenClaw's own `usage.cost` over the same days, and explaining every
//! difference: calls OpenClaw counts more than once (copies in forked sessions), models only
//! Clawtower's price book prices, calls the ledger has not read yet, and calls OpenClaw no longer
//! counts.

use rusqlite::params;
use serde::Serialize;

use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;
use clawtower_gateway::rpc::UsageTotals;
use clawtower_ledger::pricing::{PriceBook, PriceSource};
use clawtower_ledger::report::Totals;
use clawtower_store::{saturating_sum, Store};

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    /// USD: for Clawtower the cost it stands behind (what OpenClaw recorded, else its price book).
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

/// One explained part of the difference (clawtower − openclaw).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Stable name: `copies`, `book-priced`, `not-ingested`, `not-in-openclaw`, `repriced`.
    pub reason: &'static str,
    /// Tokens this part accounts for.
    pub tokens: i128,
    /// USD this part accounts for.
    pub usd: f64,
    /// What it means and what to do.
    pub text: String,
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
    /// Whether costs and tokens are equal (to the nano-dollar).
    pub matches: bool,
    /// Whether every difference is explained by a known, correct cause (nothing is missing).
    pub agrees: bool,
    /// The parts of the difference, each explained.
    pub differences: Vec<Difference>,
    /// Notes on what is compared (provider bills, unpriced tokens…).
    pub explained: Vec<String>,
    /// The price book's own estimate of the window, for reference.
    pub clawtower_priced_usd: f64,
}

/// What the ledger knows about a window beyond its totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerFacts {
    /// The window's totals.
    pub totals: Totals,
    /// Calls whose message also stands in another session (copied with its id): OpenClaw counts
    /// each copy again. `(calls, extra tokens, extra cost)`.
    pub copies: (u64, u64, NanoUsd),
    /// Calls OpenClaw recorded no cost for, of models only Clawtower's price book prices:
    /// `(calls, cost, "provider/model" names)`.
    pub book_only: (u64, NanoUsd, Vec<String>),
    /// Calls the provider billed: `(calls, cost)`.
    pub provider_billed: (u64, NanoUsd),
}

/// Reads the facts of `[start_ms, end_ms)` from the ledger.
pub fn ledger_facts(
    store: &Store,
    totals: Totals,
    start_ms: i64,
    end_ms: i64,
    book: &PriceBook,
) -> Result<LedgerFacts> {
    store.with_conn(|c| {
        let copies = c.query_row(
            "SELECT COUNT(*), COALESCE(ssum((e.n - 1) * (m.input_tokens + m.output_tokens
                      + m.cache_read_tokens + m.cache_write_tokens)), 0),
                    COALESCE(ssum((e.n - 1) * m.cost_nanousd), 0)
             FROM model_calls m
             JOIN (SELECT event_id || '@' || ts_ms AS call_id, COUNT(DISTINCT session_id) AS n
                   FROM events WHERE kind = 'assistant' AND session_id != ''
                   GROUP BY 1 HAVING n > 1) e
               ON e.call_id = m.call_id
             WHERE m.ts_ms >= ?1 AND m.ts_ms < ?2",
            params![start_ms, end_ms],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?.max(0) as u64,
                    saturating_sum(r, 1)?.max(0) as u64,
                    NanoUsd(saturating_sum(r, 2)?),
                ))
            },
        )?;
        let mut book_only = (0, NanoUsd::ZERO, Vec::new());
        let mut stmt = c.prepare(
            "SELECT provider, model, COUNT(*), ssum(cost_nanousd) FROM model_calls
             WHERE cost_origin = 'price-book' AND ts_ms >= ?1 AND ts_ms < ?2
             GROUP BY provider, model ORDER BY provider, model",
        )?;
        let rows = stmt.query_map(params![start_ms, end_ms], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?.max(0) as u64,
                NanoUsd(saturating_sum(r, 3)?),
            ))
        })?;
        for row in rows {
            let (provider, model, calls, cost) = row?;
            // A model openclaw.json prices, OpenClaw estimates as Clawtower does.
            let openclaw_prices_it = matches!(
                book.lookup(&provider, &model),
                Some((_, PriceSource::OpenClawConfig))
            );
            if !openclaw_prices_it {
                book_only.0 += calls;
                book_only.1 += cost;
                book_only.2.push(format!("{provider}/{model}"));
            }
        }
        let provider_billed = c.query_row(
            "SELECT COUNT(*), COALESCE(ssum(cost_nanousd), 0) FROM model_calls
             WHERE cost_origin = 'provider' AND ts_ms >= ?1 AND ts_ms < ?2",
            params![start_ms, end_ms],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?.max(0) as u64,
                    NanoUsd(saturating_sum(r, 1)?),
                ))
            },
        )?;
        Ok(LedgerFacts {
            totals,
            copies,
            book_only,
            provider_billed,
        })
    })
}

/// Compares the ledger's facts with OpenClaw's totals. `ingested` says whether the ledger was
/// just brought up to date from the transcripts (what a gap of unread calls then means).
pub fn compare(facts: &LedgerFacts, openclaw: &UsageTotals, ingested: bool) -> Crosscheck {
    let ledger = &facts.totals;
    let ours = NanoUsd::from_usd(ledger.cost_usd);
    let theirs = NanoUsd::from_usd(openclaw.total_cost);
    let diff = NanoUsd(ours.0 - theirs.0);
    let side = |cost: NanoUsd, calls, input, output, cache_read, cache_write, total| Side {
        cost_usd: cost.as_usd(),
        calls,
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: cache_read,
        cache_write_tokens: cache_write,
        total_tokens: total,
    };
    let clawtower = side(
        ours,
        Some(ledger.calls),
        ledger.input_tokens,
        ledger.output_tokens,
        ledger.cache_read_tokens,
        ledger.cache_write_tokens,
        ledger.total_tokens,
    );
    let openclaw_side = side(
        theirs,
        None,
        openclaw.input,
        openclaw.output,
        openclaw.cache_read,
        openclaw.cache_write,
        openclaw.total_tokens,
    );
    let mut differences = Vec::new();
    let mut tokens_left = i128::from(ledger.total_tokens) - i128::from(openclaw.total_tokens);
    let mut cost_left = diff.0;
    let (copied, copy_tokens, copy_cost) = facts.copies;
    if copied > 0 {
        let part = Difference {
            reason: "copies",
            tokens: -i128::from(copy_tokens),
            usd: -copy_cost.as_usd(),
            text: format!(
                "OpenClaw counts {copied} call(s) more than once ({copy_tokens} tokens, {}): they were copied with their message ids into forked or branched sessions; Clawtower counts each call once",
                copy_cost.display()
            ),
        };
        tokens_left -= part.tokens;
        cost_left += copy_cost.0;
        differences.push(part);
    }
    let (book_calls, book_cost, models) = &facts.book_only;
    if *book_calls > 0 && book_cost.0 != 0 {
        differences.push(Difference {
            reason: "book-priced",
            tokens: 0,
            usd: book_cost.as_usd(),
            text: format!(
                "{book_calls} call(s) of {} recorded no cost and openclaw.json has no price for them: Clawtower's price book puts them at {}, OpenClaw at $0",
                models.join(", "),
                book_cost.display()
            ),
        });
        cost_left -= book_cost.0;
    }
    if tokens_left < 0 {
        let text = if ingested {
            format!("OpenClaw counts {} tokens the ledger still lacks after reading the transcripts here: they are on another machine, or in a session Clawtower could not read (see `clawtower doctor`)", -tokens_left)
        } else {
            format!("OpenClaw counts {} tokens the ledger has not read yet: run `clawtower crosscheck --ingest` to bring it up to date from the transcripts first (or keep the app or `clawtower gateway follow` running)", -tokens_left)
        };
        differences.push(Difference {
            reason: "not-ingested",
            tokens: tokens_left,
            usd: NanoUsd(cost_left).as_usd(),
            text,
        });
    } else if tokens_left > 0 {
        differences.push(Difference {
            reason: "not-in-openclaw",
            tokens: tokens_left,
            usd: NanoUsd(cost_left).as_usd(),
            text: format!(
                "the ledger has {tokens_left} tokens OpenClaw no longer counts: archives it pruned (after 30 days by default), agents outside its scope, or branches a 2026.9.6 session abandoned"
            ),
        });
    } else if cost_left != 0 {
        differences.push(Difference {
            reason: "repriced",
            tokens: 0,
            usd: NanoUsd(cost_left).as_usd(),
            text: format!(
                "same tokens, cost differs by {}: OpenClaw re-priced calls with the prices openclaw.json has now (or, on 2026.7.1, replaced a provider's bill with a tiered-price estimate)",
                NanoUsd(cost_left.abs()).display()
            ),
        });
    }
    let mut explained = Vec::new();
    let (billed_calls, billed_cost) = facts.provider_billed;
    if billed_calls > 0 {
        explained.push(format!(
            "{billed_calls} call(s) carry their provider's own bill ({}), counted as billed on both sides",
            billed_cost.display()
        ));
    }
    if ledger.unpriced_tokens > 0 {
        explained.push(format!(
            "{} tokens have no price anywhere and count as $0 on both sides",
            ledger.unpriced_tokens
        ));
    }
    let unexplained = differences
        .iter()
        .any(|d| matches!(d.reason, "not-ingested" | "not-in-openclaw" | "repriced"));
    Crosscheck {
        matches: diff.0 == 0 && ledger.total_tokens == openclaw.total_tokens,
        agrees: !unexplained,
        clawtower,
        openclaw: openclaw_side,
        diff_usd: diff.as_usd(),
        differences,
        explained,
        clawtower_priced_usd: ledger.book_cost_usd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(cost: f64, tokens: u64) -> LedgerFacts {
        LedgerFacts {
            totals: Totals {
                calls: 3,
                input_tokens: tokens,
                total_tokens: tokens,
                cost_usd: cost,
                reported_cost_usd: cost,
                book_cost_usd: cost,
                ..Totals::default()
            },
            ..LedgerFacts::default()
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
        let same = compare(&facts(0.2066203, 100), &theirs(0.2066203, 100), false);
        assert!(same.matches && same.agrees && same.differences.is_empty());
        let missing = compare(&facts(0.1, 90), &theirs(0.2, 100), false);
        assert!(!missing.matches && !missing.agrees);
        assert_eq!(missing.diff_usd, -0.1);
        assert_eq!(missing.differences[0].reason, "not-ingested");
        assert!(missing.differences[0].text.contains("crosscheck --ingest"));
        let after_ingest = compare(&facts(0.1, 90), &theirs(0.2, 100), true);
        assert!(after_ingest.differences[0].text.contains("still lacks"));
        let repriced = compare(&facts(0.1, 100), &theirs(0.2, 100), false);
        assert_eq!(repriced.differences[0].reason, "repriced");
        assert!(repriced.differences[0].text.contains("differs by $0.10"));
    }

    #[test]
    fn copies_and_book_prices_explain_the_difference_exactly() {
        // OpenClaw counts a copied call twice (40 tokens, $0.04 more); the book priced $0.01
        // of a model openclaw.json does not price.
        let mut ours = facts(0.21, 100);
        ours.copies = (1, 40, NanoUsd::from_usd(0.04));
        ours.book_only = (2, NanoUsd::from_usd(0.01), vec!["acme/x".into()]);
        let check = compare(&ours, &theirs(0.24, 140), false);
        assert!(!check.matches && check.agrees, "{check:?}");
        let reasons: Vec<_> = check.differences.iter().map(|d| d.reason).collect();
        assert_eq!(reasons, ["copies", "book-priced"]);
        assert_eq!(check.differences[0].tokens, -40);
        assert!(check.differences[1].text.contains("acme/x"));
    }
}
