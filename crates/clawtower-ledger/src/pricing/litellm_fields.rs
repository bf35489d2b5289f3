// The fields of LiteLLM's price map the ledger reads: kept by the build script (`build.rs`),
// which leaves the rest of the 3 MB map out of the binary, and read by `litellm.rs`. Included by
// both, so the two cannot disagree.

/// The fields of an entry of LiteLLM's price map that Clawtower reads.
const READ_FIELDS: [&str; 9] = [
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_reasoning_token",
    "input_cost_per_token_above_200k_tokens",
    "output_cost_per_token_above_200k_tokens",
    "cache_read_input_token_cost_above_200k_tokens",
    "cache_creation_input_token_cost_above_200k_tokens",
];
