//! Plausible prose for prompts, thinking and tool output (JSON escaping exercised by quotes,
//! newlines, tabs, non-ASCII words and, in tool output, ANSI colour escapes that JSON writes
//! as `\u001b`).

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
    push_words(rng, &mut out, n);
    out
}

fn push_words(rng: &mut Rng, out: &mut String, n: usize) {
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
}

/// About `n` words in paragraphs of 20–80 words separated by blank lines, sometimes with a
/// bullet list or a fenced code block (multi-line assistant text, summaries, long thinking).
pub fn paragraphs(rng: &mut Rng, n: u64) -> String {
    let mut out = String::with_capacity(n as usize * 6 + 64);
    let mut left = n;
    while left > 0 {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        match rng.below(6) {
            0 => {
                for _ in 0..2 + rng.below(4) {
                    out.push_str("- ");
                    let k = (3 + rng.below(10)).min(left.max(1));
                    push_words(rng, &mut out, k as usize);
                    out.push('\n');
                    left = left.saturating_sub(k);
                }
            }
            1 => {
                out.push_str("```rust\nfn main() {\n    let budget = 42;\n    println!(\"{budget}\");\n}\n```");
                left = left.saturating_sub(12);
            }
            _ => {
                let k = (20 + rng.below(60)).min(left);
                push_words(rng, &mut out, k as usize);
                left -= k;
            }
        }
    }
    out
}

const PATHS: &[&str] = &[
    "src/main.rs",
    "src/ledger/store.rs",
    "ui/src/App.tsx",
    "docs/README.md",
    "Cargo.toml",
    "node_modules/.bin/tsc",
    "memory/2026-11-21.md",
];

/// Tool output of about `bytes` bytes: `ls -l` lines, compiler diagnostics, log lines with
/// ANSI colours, file contents.
pub fn tool_output(rng: &mut Rng, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 128);
    let coloured = rng.below(8) == 0;
    let mut n = 0u64;
    while out.len() < bytes {
        n += 1;
        let path = PATHS[rng.below(PATHS.len() as u64) as usize];
        match rng.below(4) {
            0 => {
                out.push_str("-rw-r--r-- 1 user user ");
                push_num(&mut out, rng.below(400_000));
                out.push_str(" Nov 21 03:08 ");
                out.push_str(path);
            }
            1 => {
                if coloured {
                    out.push_str("\u{1b}[33mwarning\u{1b}[0m: ");
                } else {
                    out.push_str("warning: ");
                }
                let k = 4 + rng.below(8) as usize;
                push_words(rng, &mut out, k);
                out.push_str("\n  --> ");
                out.push_str(path);
                out.push(':');
                push_num(&mut out, 1 + rng.below(900));
                out.push(':');
                push_num(&mut out, 1 + rng.below(80));
            }
            2 => {
                out.push_str("2026-11-21T03:08:");
                push_num(&mut out, 10 + n % 50);
                out.push_str(" INFO ");
                let k = 6 + rng.below(14) as usize;
                push_words(rng, &mut out, k);
            }
            _ => {
                out.push_str("    ");
                let k = 3 + rng.below(10) as usize;
                push_words(rng, &mut out, k);
                out.push(';');
            }
        }
        out.push('\n');
    }
    out
}

fn push_num(out: &mut String, n: u64) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
}
