//! The most a call can cost before it is sent, for the budget gate's reservation.

use clawtower_core::NanoUsd;
use clawtower_ledger::pricing::{PriceBook, Rates};

use crate::body::JsonObject;

/// The output limit assumed when a request sets none.
pub const DEFAULT_MAX_OUTPUT: u64 = 32_768;

/// The most `request` (of `body_len` bytes) can cost on `provider`/`model`: its input at one token
/// per byte of the body (a byte-level tokenizer never makes more) at the dearest input rate (cache
/// writes cost more than plain input), plus its output limit (`max_tokens`,
/// `max_completion_tokens` or `max_output_tokens`, else [`DEFAULT_MAX_OUTPUT`]) at the output
/// rate; long-context rates when they are dearer. `None` when the model has no price.
pub fn worst_case(
    book: &PriceBook,
    provider: &str,
    model: &str,
    body_len: usize,
    request: &JsonObject,
) -> Option<NanoUsd> {
    let (price, _) = book.lookup(provider, model)?;
    let output = ["max_tokens", "max_completion_tokens", "max_output_tokens"]
        .iter()
        .find_map(|key| request.number(key))
        .unwrap_or(DEFAULT_MAX_OUTPUT);
    let dearest = |pick: fn(&Rates) -> f64| {
        let base = pick(&price.base);
        price
            .long_context
            .map_or(base, |long| base.max(pick(&long)))
    };
    let input_rate = dearest(|r| r.input.max(r.cache_write));
    let output_rate = dearest(|r| r.output.max(r.reasoning.unwrap_or(0.0)));
    let usd = body_len as f64 * input_rate + output.min(10_000_000) as f64 * output_rate;
    Some(NanoUsd::from_usd(usd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_ledger::pricing::Price;

    #[test]
    fn input_at_a_token_per_byte_plus_the_output_limit() {
        let rates = Rates {
            input: 3e-6,
            output: 15e-6,
            cache_read: 0.3e-6,
            cache_write: 3.75e-6,
            reasoning: None,
        };
        let book = PriceBook::bundled().with_override(
            "stub",
            "m",
            Price {
                base: rates,
                long_context: None,
            },
        );
        let request = JsonObject::parse(br#"{"model":"stub/m","max_tokens":1000}"#).unwrap();
        let worst = worst_case(&book, "stub", "m", 1_000, &request).unwrap();
        assert_eq!(
            worst,
            NanoUsd::from_usd(1_000.0 * 3.75e-6 + 1_000.0 * 15e-6)
        );
        let open = JsonObject::parse(br#"{"model":"stub/m"}"#).unwrap();
        let default = worst_case(&book, "stub", "m", 0, &open).unwrap();
        assert_eq!(
            default,
            NanoUsd::from_usd(DEFAULT_MAX_OUTPUT as f64 * 15e-6)
        );
        assert_eq!(worst_case(&book, "stub", "unpriced", 10, &open), None);
    }
}
