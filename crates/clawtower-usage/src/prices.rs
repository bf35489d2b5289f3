//! Usage priced by the price book: what prompt caching saved, why tokens are unpriced, and what
//! the same tokens would cost on another model — at a model's base rates over sums, and at its
//! long-context rates for the calls whose prompt was above 200k tokens (`long_prompts`).

use std::collections::HashMap;

use clawtower_core::error::{EngineError, Result};
use clawtower_ledger::pricing::{Price, PriceBook, PriceSource, Rates, TokenCounts};
use clawtower_ledger::report::Sums;

/// The book's rates per `provider/model`, each looked up once.
pub(crate) struct Prices<'a> {
    book: &'a PriceBook,
    known: HashMap<(String, String), Option<(Price, PriceSource)>>,
}

impl<'a> Prices<'a> {
    pub(crate) fn new(book: &'a PriceBook) -> Self {
        Prices {
            book,
            known: HashMap::new(),
        }
    }

    /// The base rates of a model and where they come from, if the book has it.
    pub(crate) fn rates(&mut self, provider: &str, model: &str) -> Option<(Rates, PriceSource)> {
        self.price(provider, model)
            .map(|(price, source)| (price.base, source))
    }

    /// A model's prices (base and long-context) and where they come from, if the book has it.
    pub(crate) fn price(&mut self, provider: &str, model: &str) -> Option<(Price, PriceSource)> {
        *self
            .known
            .entry((provider.to_string(), model.to_string()))
            .or_insert_with(|| self.book.lookup(provider, model))
    }

    /// The prices of the "what if" model; `INVALID_INPUT` when the book has no price for it.
    pub(crate) fn target(&mut self, name: &str) -> Result<Price> {
        let (provider, model) = name.split_once('/').unwrap_or(("", name));
        self.price(provider, model)
            .map(|(price, _)| price)
            .ok_or_else(|| {
                EngineError::InvalidInput(format!(
                    "the price book has no price for {name}: pick one of its models"
                ))
            })
    }
}

/// What prompt caching saved on these tokens at these rates: cached reads billed below the
/// input price, less the premium paid to write the cache (negative when writes outweigh reads).
pub(crate) fn cache_saved(rates: &Rates, sums: &Sums) -> f64 {
    sums.cache_read as f64 * (rates.input - rates.cache_read)
        - sums.cache_write as f64 * (rates.cache_write - rates.input)
}

/// These tokens priced at these rates, USD.
pub(crate) fn priced(rates: &Rates, sums: &Sums) -> f64 {
    rates.usd(&TokenCounts {
        input: sums.input,
        output: sums.output,
        reasoning: sums.reasoning,
        cache_read: sums.cache_read,
        cache_write: sums.cache_write,
    })
}

/// Cached prompt tokens over all prompt tokens; `None` without prompt tokens.
pub(crate) fn cache_hit_ratio(sums: &Sums) -> Option<f64> {
    // Summed as floats: token sums near u64::MAX cannot wrap (or panic) here.
    let prompt = sums.input as f64 + sums.cache_read as f64 + sums.cache_write as f64;
    (prompt > 0.0).then(|| sums.cache_read as f64 / prompt)
}

/// Where a price comes from, in words.
pub(crate) fn source_name(source: PriceSource) -> &'static str {
    match source {
        PriceSource::Override => "your price override",
        PriceSource::OpenClawConfig => "openclaw.json",
        PriceSource::LiteLlm => "the bundled LiteLLM price map",
    }
}

/// Why a model's tokens have no price.
pub(crate) fn unpriced_reason(model: &str, priced_now: Option<PriceSource>) -> String {
    match priced_now {
        None => format!(
            "No price for {model}: it is not in the bundled LiteLLM price map, in openclaw.json \
             (models.providers.<id>.models[].cost) or in your price overrides, and OpenClaw \
             recorded no cost for its calls."
        ),
        Some(source) => format!(
            "These calls were stored before {} had a price for {model}.",
            source_name(source)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caching_saves_reads_and_costs_writes() {
        let rates = Rates {
            input: 3e-6,
            output: 15e-6,
            cache_read: 0.3e-6,
            cache_write: 3.75e-6,
            reasoning: None,
        };
        let sums = Sums {
            input: 1000,
            output: 100,
            cache_read: 1_000_000,
            cache_write: 10_000,
            ..Sums::default()
        };
        let saved = cache_saved(&rates, &sums);
        assert!((saved - (2.7 - 0.0075)).abs() < 1e-9, "{saved}");
        let cost = priced(&rates, &sums);
        assert!(
            (cost - (0.003 + 0.0015 + 0.3 + 0.0375)).abs() < 1e-9,
            "{cost}"
        );
        assert_eq!(cache_hit_ratio(&Sums::default()), None);
        let ratio = cache_hit_ratio(&sums).unwrap();
        assert!((ratio - 1_000_000.0 / 1_011_000.0).abs() < 1e-12);
        // Saturated token sums (the ledger's are): no wrap, no panic.
        let full = Sums {
            input: u64::MAX,
            cache_read: u64::MAX,
            cache_write: u64::MAX,
            ..Sums::default()
        };
        assert!((cache_hit_ratio(&full).unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn an_unknown_what_if_model_is_refused_by_name() {
        let book = PriceBook::bundled();
        let mut prices = Prices::new(&book);
        assert!(prices.target("anthropic/claude-sonnet-4-5").is_ok());
        let err = prices.target("nobody/no-such-model").unwrap_err();
        assert!(err.to_string().contains("nobody/no-such-model"), "{err}");
    }
}
