//! Plausible prose for prompts, thinking and tool output (JSON escaping exercised by quotes,
//! newlines and non-ASCII words).

use crate::rng::Rng;

const WORDS: &[&str] = &[
    "the",
    "agent",
    "should",
    "read",
    "file",
    "config",
    "and",
    "then",
    "run",
    "tests",
    "because",
    "budget",
    "\"quoted\"",
    "naïve",
    "café",
    "→",
    "line\nbreak",
    "tab\there",
    "git",
    "status",
    "workspace",
    "memory",
    "cron",
    "session",
    "tool",
    "result",
    "error",
    "retry",
    "model",
    "cost",
];

/// Between `min` and `min + spread` words.
pub fn words(rng: &mut Rng, min: u64, spread: u64) -> String {
    let n = (min + rng.below(spread)) as usize;
    let mut out = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    out
}
