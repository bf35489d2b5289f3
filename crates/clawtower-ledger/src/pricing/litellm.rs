//! The bundled LiteLLM price map read into prices: only the fields Clawtower uses are kept, the
//! rest skipped as they are read (no JSON tree of the 3 MB file is built: the router and the app
//! start faster and their memory high-water mark stays lower). A price that is not a number counts
//! as absent, and an entry that is not an object is skipped, as LiteLLM's own sample entry is.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, value::MapAccessDeserializer, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::{Price, Rates};

/// The map's prices by lower-cased model key (of two keys that differ only in case, the later in
/// sorted order wins).
pub(super) fn parse(json: &str) -> HashMap<String, Price> {
    let Ok(entries) = serde_json::from_str::<BTreeMap<String, Seen>>(json) else {
        return HashMap::new();
    };
    entries
        .into_iter()
        .filter_map(|(key, seen)| match seen {
            Seen::Spec(spec) => Some((key.to_ascii_lowercase(), spec.price()?)),
            _ => None,
        })
        .collect()
}

/// One model's prices as LiteLLM lists them (USD per token), the fields Clawtower reads.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Spec {
    input_cost_per_token: Seen,
    output_cost_per_token: Seen,
    cache_read_input_token_cost: Seen,
    cache_creation_input_token_cost: Seen,
    output_cost_per_reasoning_token: Seen,
    input_cost_per_token_above_200k_tokens: Seen,
    output_cost_per_token_above_200k_tokens: Seen,
    cache_read_input_token_cost_above_200k_tokens: Seen,
    cache_creation_input_token_cost_above_200k_tokens: Seen,
}

impl Spec {
    /// Its prices; `None` without an input price.
    fn price(&self) -> Option<Price> {
        let input = self.input_cost_per_token.number()?;
        let output = self.output_cost_per_token.number().unwrap_or(0.0);
        let base = Rates {
            input,
            output,
            cache_read: self.cache_read_input_token_cost.number().unwrap_or(input),
            cache_write: self
                .cache_creation_input_token_cost
                .number()
                .unwrap_or(input),
            reasoning: self.output_cost_per_reasoning_token.number(),
        };
        let long_context = self
            .input_cost_per_token_above_200k_tokens
            .number()
            .map(|long_input| Rates {
                input: long_input,
                output: self
                    .output_cost_per_token_above_200k_tokens
                    .number()
                    .unwrap_or(output),
                cache_read: self
                    .cache_read_input_token_cost_above_200k_tokens
                    .number()
                    .unwrap_or(base.cache_read),
                cache_write: self
                    .cache_creation_input_token_cost_above_200k_tokens
                    .number()
                    .unwrap_or(base.cache_write),
                reasoning: base.reasoning,
            });
        Some(Price { base, long_context })
    }
}

/// A JSON value as the map is read: a number, an object read as prices, or anything else (skipped
/// as it is read). An entry of the map is an object; a price is a number.
#[derive(Default)]
enum Seen {
    Number(f64),
    Spec(Box<Spec>),
    #[default]
    Other,
}

impl Seen {
    fn number(&self) -> Option<f64> {
        match self {
            Seen::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Seen {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SeenVisitor)
    }
}

struct SeenVisitor;

impl<'de> Visitor<'de> for SeenVisitor {
    type Value = Seen;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_f64<E>(self, v: f64) -> Result<Seen, E> {
        Ok(Seen::Number(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Seen, E> {
        Ok(Seen::Number(v as f64))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Seen, E> {
        Ok(Seen::Number(v as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Seen, A::Error> {
        Spec::deserialize(MapAccessDeserializer::new(map)).map(|spec| Seen::Spec(Box::new(spec)))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Seen::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Seen, E> {
        Ok(Seen::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Seen, E> {
        Ok(Seen::Other)
    }

    fn visit_unit<E>(self) -> Result<Seen, E> {
        Ok(Seen::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    include!("litellm_fields.rs");

    /// The build script keeps only [`READ_FIELDS`] of each entry: what the whole map prices, the
    /// reduced one prices the same.
    #[test]
    fn the_bundled_map_as_reduced_prices_every_model_as_the_whole_one() {
        let whole = parse(include_str!("../../data/litellm-prices.json"));
        assert!(whole.len() > 1_000);
        assert_eq!(parse(super::super::LITELLM_JSON), whole);
    }

    /// Every field the build script keeps changes a price: none is kept for nothing, and the
    /// parser reads each one it keeps.
    #[test]
    fn every_kept_field_is_read() {
        let (input, long_input) = (
            "input_cost_per_token",
            "input_cost_per_token_above_200k_tokens",
        );
        let price = |set: &[(&str, f64)]| {
            let fields: Vec<String> = set
                .iter()
                .map(|(f, v)| format!(r#""{f}": {v:e}"#))
                .collect();
            parse(&format!(r#"{{"m": {{{}}}}}"#, fields.join(", ")))["m"]
        };
        let base = [(input, 1e-6), (long_input, 2e-6)];
        for field in READ_FIELDS {
            let mut set = base.to_vec();
            match set.iter_mut().find(|(f, _)| *f == field) {
                Some(kept) => kept.1 = 7e-6,
                None => set.push((field, 7e-6)),
            }
            assert_ne!(price(&set), price(&base), "{field}");
        }
    }

    #[test]
    fn only_numbers_are_prices_and_odd_entries_are_skipped() {
        let prices = parse(
            r#"{
              "sample_spec": {"input_cost_per_token": "the input price", "max_tokens": "LEGACY"},
              "note": "not a model",
              "list": [1, 2],
              "Vendor/Model-A": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
                                 "supports_vision": true, "extra": {"nested": [1, {"a": null}]},
                                 "cache_read_input_token_cost": null,
                                 "input_cost_per_token_above_200k_tokens": 2e-6},
              "free-ish": {"input_cost_per_token": 0, "output_cost_per_token": 0},
              "no-input": {"output_cost_per_token": 1e-6}
            }"#,
        );
        assert_eq!(prices.len(), 2, "{:?}", prices.keys().collect::<Vec<_>>());
        let a = prices["vendor/model-a"];
        assert_eq!(
            a.base,
            Rates {
                input: 1e-6,
                output: 2e-6,
                cache_read: 1e-6,
                cache_write: 1e-6,
                reasoning: None
            }
        );
        let long = a.long_context.unwrap();
        assert_eq!(
            (long.input, long.output, long.cache_read),
            (2e-6, 2e-6, 1e-6)
        );
        assert_eq!(prices["free-ish"].base.input, 0.0);
    }

    #[test]
    fn the_bundled_map_prices_every_model_with_an_input_price() {
        // 3,706 of the snapshot's 4,553 entries have a numeric input price (counted apart, with
        // Python's json module).
        assert_eq!(parse(super::super::LITELLM_JSON).len(), 3_706);
    }
}
