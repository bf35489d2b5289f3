//! The price book: what a model call costs, from user overrides, OpenClaw's own config prices and a
//! bundled snapshot of LiteLLM's price map. Tokens priced nowhere are *unpriced*, never free.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::entry::Usage;

mod litellm;
use clawtower_core::money::NanoUsd;
use clawtower_openclaw::OpenClawConfig;
pub use clawtower_store::model_calls::CostOrigin;

/// LiteLLM's price map (MIT, see `data/NOTICE.md`), USD per token: the entries and fields the
/// ledger reads, as the build script keeps them from `data/litellm-prices.json`.
const LITELLM_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/litellm-prices.json"));

/// A prompt (input, cache reads and writes) above this many tokens is billed at a model's
/// long-context rates, when it has them.
pub const LONG_CONTEXT_TOKENS: u64 = 200_000;

/// The dearest plausible list price: $10,000 per million tokens of any kind (the dearest models
/// list a few hundred). A price above it, negative or not a number is refused where prices are
/// read (openclaw.json, `prices.json`), so no call is priced at an absurd rate.
pub const MAX_USD_PER_MILLION_TOKENS: f64 = 10_000.0;

/// Per-token prices in USD.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    /// Uncached prompt token.
    pub input: f64,
    /// Completion token.
    pub output: f64,
    /// Cached prompt token read.
    pub cache_read: f64,
    /// Prompt token written to cache.
    pub cache_write: f64,
    /// Reasoning token, when priced apart from output.
    pub reasoning: Option<f64>,
}

/// A model's prices.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Price {
    /// Normal prices.
    pub base: Rates,
    /// Prices for prompts above 200k tokens, when different.
    pub long_context: Option<Rates>,
}

/// Where a price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSource {
    /// The user's own override.
    Override,
    /// `models.providers.<id>.models[].cost` in openclaw.json.
    OpenClawConfig,
    /// The bundled LiteLLM snapshot.
    LiteLlm,
}

/// The cost of one call, as the ledger records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallCost {
    /// The cost Clawtower stands behind: what OpenClaw recorded (the provider's bill when it sent
    /// one), else the price book's estimate, else zero (unpriced).
    pub cost: NanoUsd,
    /// OpenClaw's `usage.cost.total`.
    pub reported: NanoUsd,
    /// The price book's estimate, when the book has a price for the model.
    pub book: Option<NanoUsd>,
    /// Where `cost` came from.
    pub origin: CostOrigin,
    /// Tokens with no price anywhere.
    pub unpriced_tokens: u64,
    /// The price book entry used for `book`, if any.
    pub source: Option<PriceSource>,
}

/// All known prices, looked up by provider and model.
#[derive(Debug, Clone)]
pub struct PriceBook {
    overrides: HashMap<String, Price>,
    config: HashMap<String, Price>,
    litellm: &'static HashMap<String, Price>,
}

fn litellm() -> &'static HashMap<String, Price> {
    static MAP: OnceLock<HashMap<String, Price>> = OnceLock::new();
    MAP.get_or_init(|| litellm::parse(LITELLM_JSON))
}

impl PriceBook {
    /// The bundled LiteLLM prices only.
    pub fn bundled() -> Self {
        PriceBook {
            overrides: HashMap::new(),
            config: HashMap::new(),
            litellm: litellm(),
        }
    }

    /// The book for an install: bundled prices, the install's config (`OPENCLAW_CONFIG_PATH` for the
    /// state dir OpenClaw itself uses, else the state dir's openclaw.json; when there is an
    /// install here), then the user's overrides in the data dir. Problems with either file are
    /// returned as warnings, and the book is built without that file.
    pub fn for_install(
        state_dir: Option<&std::path::Path>,
        data_dir: &clawtower_core::DataDir,
    ) -> (Self, Vec<String>) {
        let mut warnings = Vec::new();
        let mut book = PriceBook::bundled();
        let env = clawtower_openclaw::OpenClawEnv::from_process();
        let config = state_dir
            .map(|dir| OpenClawConfig::load(&clawtower_openclaw::config_path_for(&env, dir)));
        match config {
            Some(Ok(Some(config))) => {
                let refused;
                (book, refused) = book.with_openclaw_config(&config);
                warnings.extend(refused);
            }
            Some(Ok(None)) | None => {}
            Some(Err(err)) => warnings.push(format!("{err}; its prices are not used")),
        }
        match book
            .clone()
            .with_overrides_file(&data_dir.price_overrides())
        {
            Ok(with_overrides) => book = with_overrides,
            Err(err) => warnings.push(format!("{err}; your price overrides are not used")),
        }
        (book, warnings)
    }

    /// Adds the provider prices declared in `openclaw.json` (USD per 1M tokens). A model whose
    /// price is implausible (see [`MAX_USD_PER_MILLION_TOKENS`]) is left unpriced there; what was
    /// left, and why, is returned.
    pub fn with_openclaw_config(mut self, config: &OpenClawConfig) -> (Self, Vec<String>) {
        let mut refused = Vec::new();
        for (provider, model, cost) in config.model_costs() {
            match config_rates(cost) {
                Ok(rates) => {
                    self.config.insert(
                        key(&provider, &model),
                        Price {
                            base: rates,
                            long_context: None,
                        },
                    );
                }
                Err(why) => refused.push(format!(
                    "openclaw.json prices {provider}/{model} at {why}: not used"
                )),
            }
        }
        (self, refused)
    }

    /// Adds the user's overrides from `prices.json` in the data dir, if it exists:
    /// `{"provider/model": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}`,
    /// USD per 1M tokens like openclaw.json (an optional `"reasoning"` prices reasoning apart).
    pub fn with_overrides_file(mut self, path: &std::path::Path) -> Result<Self, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(self),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let parsed = clawtower_openclaw::config::parse_json5(&text)
            .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?;
        let Some(entries) = parsed.as_object() else {
            return Err(format!(
                "{}: expected an object of \"provider/model\": prices",
                path.display()
            ));
        };
        for (name, cost) in entries {
            let Some((provider, model)) = name.split_once('/') else {
                return Err(format!(
                    "{}: {name:?} is not \"provider/model\"",
                    path.display()
                ));
            };
            // A price that is there must be a plausible number (JSON5's `Infinity` and `NaN`
            // arrive as null).
            let rate = |field: &str| {
                cost.get(field)
                    .map(|v| match v.as_f64() {
                        Some(usd) => per_token(usd, field),
                        None => Err(format!("a \"{field}\" price that is not a number ({v})")),
                    })
                    .transpose()
                    .map_err(|why| format!("{}: {name} has {why}", path.display()))
            };
            let Some(input) = rate("input")? else {
                return Err(format!("{}: {name} has no \"input\" price", path.display()));
            };
            let rates = Rates {
                input,
                output: rate("output")?.unwrap_or(0.0),
                cache_read: rate("cacheRead")?.unwrap_or(input),
                cache_write: rate("cacheWrite")?.unwrap_or(input),
                reasoning: rate("reasoning")?,
            };
            self = self.with_override(
                provider,
                model,
                Price {
                    base: rates,
                    long_context: None,
                },
            );
        }
        Ok(self)
    }

    /// Adds a user override for `provider/model`.
    pub fn with_override(mut self, provider: &str, model: &str, price: Price) -> Self {
        self.overrides.insert(key(provider, model), price);
        self
    }

    /// Every model the book prices, by the name a lookup takes (`provider/model` where it is
    /// known, else the model id), sorted, each once.
    pub fn models(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .overrides
            .keys()
            .chain(self.config.keys())
            .chain(self.litellm.keys())
            .cloned()
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The price of `provider/model`, and where it came from.
    pub fn lookup(&self, provider: &str, model: &str) -> Option<(Price, PriceSource)> {
        let exact = key(provider, model);
        if let Some(price) = self.overrides.get(&exact) {
            return Some((*price, PriceSource::Override));
        }
        if let Some(price) = self.config.get(&exact) {
            return Some((*price, PriceSource::OpenClawConfig));
        }
        litellm_candidates(provider, model)
            .into_iter()
            .find_map(|candidate| self.litellm.get(&candidate))
            .map(|price| (*price, PriceSource::LiteLlm))
    }

    /// Prices one call. What OpenClaw recorded wins (a provider's bill is what the user paid,
    /// and OpenClaw's own prices are what it shows); the book fills in only where OpenClaw
    /// recorded no cost, and its estimate is kept beside the recorded one either way.
    pub fn cost(&self, provider: &str, model: &str, usage: &Usage) -> CallCost {
        let reported_cost = usage.cost.as_ref();
        let reported = NanoUsd::from_usd(reported_cost.map_or(0.0, |c| c.total));
        let looked_up = self.lookup(provider, model);
        let book = looked_up.map(|(price, _)| price_usage(&price, usage));
        let source = looked_up.map(|(_, source)| source);
        let (cost, origin) = if reported_cost.is_some_and(|c| c.provider_billed) {
            // A provider's bill stands, even a bill of zero.
            (reported, CostOrigin::Provider)
        } else if reported > NanoUsd::ZERO {
            (reported, CostOrigin::OpenClaw)
        } else if let Some(book) = book {
            (book, CostOrigin::PriceBook)
        } else {
            (NanoUsd::ZERO, CostOrigin::Unpriced)
        };
        let unpriced_tokens = if origin == CostOrigin::Unpriced {
            usage.billed_tokens()
        } else {
            0
        };
        CallCost {
            cost,
            reported,
            book,
            origin,
            unpriced_tokens,
            source,
        }
    }
}

fn key(provider: &str, model: &str) -> String {
    format!(
        "{}/{}",
        provider.to_ascii_lowercase(),
        model.to_ascii_lowercase()
    )
}

/// LiteLLM's names for a provider, where they differ from OpenClaw's.
fn litellm_provider(provider: &str) -> &str {
    match provider {
        "google" | "google-ai" | "gemini" => "gemini",
        "google-vertex" | "vertex" => "vertex_ai",
        "amazon-bedrock" | "bedrock" => "bedrock",
        "azure-openai" | "azure" => "azure",
        other => other,
    }
}

/// Keys to try in LiteLLM's map, most specific first.
fn litellm_candidates(provider: &str, model: &str) -> Vec<String> {
    let provider = provider.to_ascii_lowercase();
    let lp = litellm_provider(&provider).to_string();
    let model = model.to_ascii_lowercase();
    let bare = model.rsplit('/').next().unwrap_or(&model).to_string();
    let undated = strip_date(&bare);
    let mut out = Vec::new();
    for m in [&model, &bare, &undated] {
        for candidate in [format!("{lp}/{m}"), format!("{provider}/{m}"), m.clone()] {
            if !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    out
}

/// `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`; `gpt-4o-2024-08-06` → `gpt-4o`;
/// `claude-3-5-sonnet@20240620` → `claude-3-5-sonnet`.
fn strip_date(model: &str) -> String {
    let bytes = model.as_bytes();
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if bytes.len() > 9 {
        let (head, tail) = bytes.split_at(bytes.len() - 9);
        if (tail[0] == b'-' || tail[0] == b'@') && all_digits(&tail[1..]) {
            return String::from_utf8_lossy(head).into_owned();
        }
    }
    if bytes.len() > 11 {
        let (head, tail) = bytes.split_at(bytes.len() - 11);
        let t = tail;
        if t[0] == b'-'
            && all_digits(&t[1..5])
            && t[5] == b'-'
            && all_digits(&t[6..8])
            && t[8] == b'-'
            && all_digits(&t[9..])
        {
            return String::from_utf8_lossy(head).into_owned();
        }
    }
    model.to_string()
}

/// The rates an openclaw.json `cost` object gives (USD per 1M tokens; a missing one is free).
fn config_rates(cost: &Value) -> Result<Rates, String> {
    let rate = |field: &str| {
        per_token(
            cost.get(field).and_then(Value::as_f64).unwrap_or(0.0),
            field,
        )
    };
    Ok(Rates {
        input: rate("input")?,
        output: rate("output")?,
        cache_read: rate("cacheRead")?,
        cache_write: rate("cacheWrite")?,
        reasoning: None,
    })
}

/// A price in USD per million tokens as a per-token rate, when it is plausible (0 to
/// [`MAX_USD_PER_MILLION_TOKENS`]); else why not, naming `field`.
fn per_token(usd_per_million: f64, field: &str) -> Result<f64, String> {
    if usd_per_million.is_finite() && (0.0..=MAX_USD_PER_MILLION_TOKENS).contains(&usd_per_million)
    {
        Ok(usd_per_million / 1e6)
    } else {
        let shown = if usd_per_million.abs() < 1e9 {
            usd_per_million.to_string()
        } else {
            format!("{usd_per_million:e}")
        };
        Err(format!(
            "an implausible \"{field}\" price ({shown}): prices are USD per million tokens, 0 \
             to {MAX_USD_PER_MILLION_TOKENS}"
        ))
    }
}

fn price_usage(price: &Price, usage: &Usage) -> NanoUsd {
    let prompt = usage
        .input
        .saturating_add(usage.cache_read)
        .saturating_add(usage.cache_write);
    let rates = match price.long_context {
        Some(long) if prompt > LONG_CONTEXT_TOKENS => long,
        _ => price.base,
    };
    NanoUsd::from_usd(rates.usd(&TokenCounts {
        input: usage.input,
        output: usage.output,
        reasoning: usage.reasoning_tokens,
        cache_read: usage.cache_read,
        cache_write: usage.cache_write,
    }))
}

/// Tokens to price: of one call, or summed over many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenCounts {
    /// Uncached prompt tokens.
    pub input: u64,
    /// Completion tokens (reasoning included).
    pub output: u64,
    /// Reasoning tokens, part of `output`.
    pub reasoning: u64,
    /// Cached prompt tokens read.
    pub cache_read: u64,
    /// Prompt tokens written to cache.
    pub cache_write: u64,
}

impl Rates {
    /// What `tokens` cost at these rates, USD (reasoning at its own rate when it has one).
    pub fn usd(&self, tokens: &TokenCounts) -> f64 {
        let (plain_output, reasoning_cost) = match self.reasoning {
            Some(per_token) => {
                let reasoning = tokens.reasoning.min(tokens.output);
                (tokens.output - reasoning, reasoning as f64 * per_token)
            }
            None => (tokens.output, 0.0),
        };
        tokens.input as f64 * self.input
            + plain_output as f64 * self.output
            + tokens.cache_read as f64 * self.cache_read
            + tokens.cache_write as f64 * self.cache_write
            + reasoning_cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::ReportedCost;

    fn usage(input: u64, output: u64, cache_read: u64, cache_write: u64, reported: f64) -> Usage {
        Usage {
            input,
            output,
            cache_read,
            cache_write,
            reasoning_tokens: 0,
            total_tokens: input + output + cache_read + cache_write,
            cost: Some(ReportedCost {
                total: reported,
                provider_billed: false,
            }),
        }
    }

    #[test]
    fn openclaw_config_prices_match_openclaws_own_cost() {
        let config = OpenClawConfig::parse(
            r#"{models:{providers:{stub:{models:[{id:"stub-model",cost:{input:3,output:15,cacheRead:0.3,cacheWrite:3.75}}]}}}}"#,
        )
        .unwrap();
        let (book, refused) = PriceBook::bundled().with_openclaw_config(&config);
        assert!(refused.is_empty());
        // The REPORT's worked example: 6324×3e-6 + 11×15e-6 + 6324×0.3e-6 = 0.0210342.
        let cost = book.cost("stub", "stub-model", &usage(6324, 11, 6324, 0, 0.0210342));
        assert_eq!(cost.cost, NanoUsd::from_usd(0.0210342));
        assert_eq!(cost.cost, cost.reported);
        assert_eq!(cost.source, Some(PriceSource::OpenClawConfig));
    }

    #[test]
    fn litellm_prices_known_models_including_cache_tokens() {
        let book = PriceBook::bundled();
        // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write per 1M.
        let cost = book.cost(
            "anthropic",
            "claude-sonnet-4-5-20250929",
            &usage(1000, 1000, 10_000, 2000, 0.0),
        );
        assert_eq!(cost.source, Some(PriceSource::LiteLlm));
        assert_eq!(cost.cost, NanoUsd::from_usd(0.003 + 0.015 + 0.003 + 0.0075));
        assert_eq!(cost.unpriced_tokens, 0);
        assert!(book.lookup("openai", "gpt-4o-2024-08-06").is_some());
        assert!(book
            .lookup("openrouter", "anthropic/claude-sonnet-4-5")
            .is_some());
    }

    #[test]
    fn long_prompts_use_the_long_context_tier() {
        let book = PriceBook::bundled();
        let short = book.cost("google", "gemini-2.5-pro", &usage(100_000, 0, 0, 0, 0.0));
        let long = book.cost("google", "gemini-2.5-pro", &usage(300_000, 0, 0, 0, 0.0));
        assert_eq!(short.cost, NanoUsd::from_usd(100_000.0 * 1.25e-6));
        assert_eq!(long.cost, NanoUsd::from_usd(300_000.0 * 2.5e-6));
    }

    #[test]
    fn unknown_models_use_the_reported_cost_or_count_as_unpriced() {
        let book = PriceBook::bundled();
        let reported = book.cost("acme", "secret-model", &usage(10, 5, 0, 0, 0.25));
        assert_eq!(
            (reported.cost, reported.unpriced_tokens, reported.source),
            (NanoUsd::from_usd(0.25), 0, None)
        );
        assert_eq!(reported.origin, CostOrigin::OpenClaw);
        let unpriced = book.cost("acme", "secret-model", &usage(10, 5, 2, 0, 0.0));
        assert_eq!(
            (unpriced.cost, unpriced.unpriced_tokens, unpriced.origin),
            (NanoUsd::ZERO, 17, CostOrigin::Unpriced)
        );
    }

    #[test]
    fn a_recorded_cost_wins_and_the_book_estimate_stays_beside_it() {
        let book = PriceBook::bundled();
        // claude-sonnet-4-5 lists at $0.018 for this usage; OpenClaw recorded $0.02.
        let recorded = book.cost(
            "anthropic",
            "claude-sonnet-4-5",
            &usage(1000, 1000, 0, 0, 0.02),
        );
        assert_eq!(recorded.cost, NanoUsd::from_usd(0.02));
        assert_eq!(recorded.origin, CostOrigin::OpenClaw);
        assert_eq!(recorded.book, Some(NanoUsd::from_usd(0.018)));
        let mut billed = usage(1000, 1000, 0, 0, 0.0123);
        billed.cost.as_mut().unwrap().provider_billed = true;
        let billed = book.cost("openrouter", "anthropic/claude-sonnet-4-5", &billed);
        assert_eq!(
            (billed.cost, billed.origin),
            (NanoUsd::from_usd(0.0123), CostOrigin::Provider)
        );
        let filled = book.cost(
            "anthropic",
            "claude-sonnet-4-5",
            &usage(1000, 1000, 0, 0, 0.0),
        );
        assert_eq!(
            (filled.cost, filled.origin, filled.book),
            (
                NanoUsd::from_usd(0.018),
                CostOrigin::PriceBook,
                Some(NanoUsd::from_usd(0.018))
            )
        );
        for origin in CostOrigin::ALL {
            assert_eq!(CostOrigin::parse(origin.as_str()), Some(origin));
        }
    }

    #[test]
    fn overrides_win_and_reasoning_can_be_priced_apart() {
        let price = Price {
            base: Rates {
                input: 1e-6,
                output: 2e-6,
                cache_read: 0.0,
                cache_write: 0.0,
                reasoning: Some(4e-6),
            },
            long_context: None,
        };
        let book = PriceBook::bundled().with_override("openai", "gpt-4o", price);
        let mut u = usage(0, 100, 0, 0, 0.0);
        u.reasoning_tokens = 40;
        let cost = book.cost("openai", "gpt-4o", &u);
        assert_eq!(cost.source, Some(PriceSource::Override));
        assert_eq!(cost.cost, NanoUsd::from_usd(60.0 * 2e-6 + 40.0 * 4e-6));
    }

    #[test]
    fn the_overrides_file_is_read_and_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("prices.json");
        let book = PriceBook::bundled().with_overrides_file(&path).unwrap();
        assert!(
            book.lookup("acme", "m").is_none(),
            "a missing file changes nothing"
        );
        std::fs::write(&path, r#"{ "acme/m": { input: 2, output: 8 } }"#).unwrap();
        let book = PriceBook::bundled().with_overrides_file(&path).unwrap();
        let cost = book.cost("acme", "m", &usage(1_000_000, 1_000_000, 0, 0, 0.0));
        assert_eq!(
            (cost.cost, cost.source),
            (NanoUsd::from_usd(10.0), Some(PriceSource::Override))
        );
        std::fs::write(&path, r#"{ "no-slash": { input: 2 } }"#).unwrap();
        assert!(PriceBook::bundled()
            .with_overrides_file(&path)
            .unwrap_err()
            .contains("provider/model"));
        std::fs::write(&path, r#"{ "a/b": { output: 2 } }"#).unwrap();
        assert!(PriceBook::bundled()
            .with_overrides_file(&path)
            .unwrap_err()
            .contains("input"));
        // Implausible prices are refused with the field and the bound, never priced with.
        for (bad, said) in [
            ("-3", "an implausible \"cacheRead\" price (-3)"),
            ("1e308", "an implausible \"cacheRead\" price (1e308)"),
            ("10001", "an implausible \"cacheRead\" price (10001)"),
            ("Infinity", "a \"cacheRead\" price that is not a number"),
            ("NaN", "a \"cacheRead\" price that is not a number"),
            ("\"3\"", "a \"cacheRead\" price that is not a number"),
        ] {
            std::fs::write(
                &path,
                format!(r#"{{ "a/b": {{ input: 2, cacheRead: {bad} }} }}"#),
            )
            .unwrap();
            let err = PriceBook::bundled().with_overrides_file(&path).map(|_| ());
            let err = err.expect_err(bad);
            assert!(err.contains(&format!("a/b has {said}")), "{bad}: {err}");
        }
        // Nesting is bounded before the parser recurses (a stack overflow otherwise).
        std::fs::write(&path, "[".repeat(100_000)).unwrap();
        let err = PriceBook::bundled()
            .with_overrides_file(&path)
            .map(|_| ())
            .unwrap_err();
        assert!(err.contains("nested deeper than"), "{err}");
    }

    #[test]
    fn implausible_openclaw_config_prices_leave_the_model_unpriced_and_say_so() {
        let config = OpenClawConfig::parse(
            r#"{models:{providers:{p:{models:[{id:"bad",cost:{input:-1,output:15}},{id:"good",cost:{input:1,output:2}}]}}}}"#,
        )
        .unwrap();
        let (book, refused) = PriceBook::bundled().with_openclaw_config(&config);
        assert_eq!(book.lookup("p", "bad"), None);
        assert!(book.lookup("p", "good").is_some());
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].contains("p/bad") && refused[0].contains("\"input\" price (-1)"),
            "{refused:?}"
        );
    }

    #[test]
    fn dates_are_stripped_from_model_ids() {
        assert_eq!(
            strip_date("claude-sonnet-4-5-20250929"),
            "claude-sonnet-4-5"
        );
        assert_eq!(strip_date("gpt-4o-2024-08-06"), "gpt-4o");
        assert_eq!(
            strip_date("claude-3-5-sonnet@20240620"),
            "claude-3-5-sonnet"
        );
        assert_eq!(strip_date("gpt-4o"), "gpt-4o");
        assert_eq!(strip_date("model-12345678x"), "model-12345678x");
    }
}
