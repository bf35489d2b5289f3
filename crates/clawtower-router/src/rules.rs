//! Routing rules for `model: "auto"`: the first rule whose conditions hold names the target (an
//! alias, `provider/model` or a model id). Conditions look at the key (its agent or name), a hint
//! header, whether the request carries tools or images, its estimated size, and its words
//! (keywords on word boundaries, or a regular expression). A rule holds when all its conditions
//! do (`match = "all"`, the default) or any one (`match = "any"`); a rule with none holds always.
//!
//! ```toml
//! [[rules]]
//! name = "long prompts"
//! min_tokens = 50000
//! target = "claude/claude-sonnet-4-5"
//!
//! [[rules]]
//! name = "everything else"
//! target = "fast"
//! ```

use regex::Regex;
use serde::Deserialize;

use crate::config_error::ConfigError;

/// The request header a client can set to steer `auto` (`hints = [...]` in a rule).
pub const HINT_HEADER: &str = "x-clawtower-hint";

/// One rule, checked.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Its name (in `x-clawtower-route`).
    pub name: String,
    /// What it routes to: an alias, `provider/model` or a model id.
    pub target: String,
    any: bool,
    agents: Vec<String>,
    keys: Vec<String>,
    hints: Vec<String>,
    tools: Option<bool>,
    images: Option<bool>,
    min_tokens: Option<u64>,
    max_tokens: Option<u64>,
    keywords: Vec<String>,
    regex: Option<Regex>,
}

/// A `[[rules]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSection {
    name: String,
    target: String,
    #[serde(default, rename = "match")]
    matching: Option<String>,
    #[serde(default)]
    agents: Vec<String>,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    hints: Vec<String>,
    tools: Option<bool>,
    images: Option<bool>,
    min_tokens: Option<u64>,
    max_tokens: Option<u64>,
    #[serde(default)]
    keywords: Vec<String>,
    regex: Option<String>,
}

impl RuleSection {
    /// Checks the rule (its regular expression compiles, bounded in size).
    pub fn checked(self) -> Result<Rule, ConfigError> {
        let name = self.name.trim().to_string();
        if name.is_empty() || !name.is_ascii() {
            return Err(ConfigError(format!(
                "rule \"{}\": give it an ASCII name (it goes into a response header)",
                self.name
            )));
        }
        let any = match self.matching.as_deref() {
            None | Some("all") => false,
            Some("any") => true,
            Some(other) => {
                return Err(ConfigError(format!(
                    "rule \"{name}\": match = \"{other}\": use \"all\" or \"any\""
                )))
            }
        };
        let regex = self
            .regex
            .map(|pattern| {
                regex::RegexBuilder::new(&pattern)
                    .case_insensitive(true)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| ConfigError(format!("rule \"{name}\": regex: {e}")))
            })
            .transpose()?;
        Ok(Rule {
            name,
            target: self.target.trim().to_string(),
            any,
            agents: self.agents,
            keys: self.keys,
            hints: self.hints,
            tools: self.tools,
            images: self.images,
            min_tokens: self.min_tokens,
            max_tokens: self.max_tokens,
            keywords: self.keywords.iter().map(|k| k.to_lowercase()).collect(),
            regex,
        })
    }
}

/// What the rules look at in one request.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The key's agent.
    pub agent: String,
    /// The key's name.
    pub key: String,
    /// The hint header, if sent.
    pub hint: Option<String>,
    /// Whether the request offers tools.
    pub tools: bool,
    /// Whether it carries images.
    pub images: bool,
    /// Estimated input tokens (a quarter of the body's bytes).
    pub tokens: u64,
    /// The body, lowercased, for keywords and the regular expression.
    pub text: String,
}

impl Facts {
    /// The facts of a request body.
    pub fn of(body: &[u8], tools: bool, agent: &str, key: &str, hint: Option<&str>) -> Facts {
        let has = |needle: &[u8]| memchr::memmem::find(body, needle).is_some();
        Facts {
            agent: agent.to_string(),
            key: key.to_string(),
            hint: hint.map(str::to_string),
            tools,
            images: has(b"\"image_url\"")
                || has(b"\"input_image\"")
                || has(b"\"type\":\"image\"")
                || has(b"\"type\": \"image\""),
            tokens: body.len() as u64 / 4,
            text: String::from_utf8_lossy(body).to_lowercase(),
        }
    }
}

/// Whether `word` occurs in `text` on word boundaries (no letter, digit or `_` right before or
/// after it; a keyword in a script without spaces, such as Chinese, matches anywhere).
fn has_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let bounded_start = word.chars().next().is_some_and(is_word);
    let bounded_end = word.chars().last().is_some_and(is_word);
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        (!bounded_start || !before.is_some_and(is_word))
            && (!bounded_end || !after.is_some_and(is_word))
    })
}

impl Rule {
    /// Whether the rule holds for `facts`.
    pub fn holds(&self, facts: &Facts) -> bool {
        let mut checks: Vec<bool> = Vec::new();
        if !self.agents.is_empty() {
            checks.push(self.agents.contains(&facts.agent));
        }
        if !self.keys.is_empty() {
            checks.push(self.keys.contains(&facts.key));
        }
        if !self.hints.is_empty() {
            checks.push(facts.hint.as_ref().is_some_and(|h| self.hints.contains(h)));
        }
        if let Some(tools) = self.tools {
            checks.push(facts.tools == tools);
        }
        if let Some(images) = self.images {
            checks.push(facts.images == images);
        }
        if let Some(min) = self.min_tokens {
            checks.push(facts.tokens >= min);
        }
        if let Some(max) = self.max_tokens {
            checks.push(facts.tokens <= max);
        }
        if !self.keywords.is_empty() {
            checks.push(self.keywords.iter().any(|k| has_word(&facts.text, k)));
        }
        if let Some(regex) = &self.regex {
            checks.push(regex.is_match(&facts.text));
        }
        if checks.is_empty() {
            return true;
        }
        if self.any {
            checks.iter().any(|c| *c)
        } else {
            checks.iter().all(|c| *c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(toml_text: &str) -> Rule {
        let section: RuleSection = toml::from_str(toml_text).unwrap();
        section.checked().unwrap()
    }

    fn facts(body: &str) -> Facts {
        Facts::of(body.as_bytes(), false, "coder", "coder-key", None)
    }

    #[test]
    fn keywords_match_whole_words_in_any_case_and_script() {
        let refactor = rule("name = \"r\"\ntarget = \"fast\"\nkeywords = [\"Refactor\", \"重构\"]");
        assert!(refactor.holds(&facts(
            r#"{"messages":[{"content":"Please REFACTOR this"}]}"#
        )));
        assert!(!refactor.holds(&facts(r#"{"content":"refactoring is not the word"}"#)));
        assert!(!refactor.holds(&facts(r#"{"content":"prefactor"}"#)));
        assert!(refactor.holds(&facts(r#"{"content":"请重构这个函数"}"#)));
    }

    #[test]
    fn all_any_and_the_other_conditions() {
        let both = rule("name = \"b\"\ntarget = \"t\"\nagents = [\"coder\"]\nmin_tokens = 100");
        assert!(!both.holds(&facts("{}")), "small: min_tokens fails");
        let any = rule(
            "name = \"a\"\ntarget = \"t\"\nmatch = \"any\"\nagents = [\"coder\"]\nmin_tokens = 100",
        );
        assert!(any.holds(&facts("{}")));
        let images = rule("name = \"i\"\ntarget = \"t\"\nimages = true");
        assert!(images.holds(&facts(
            r#"{"content":[{"type":"image_url","image_url":{"url":"x"}}]}"#
        )));
        assert!(!images.holds(&facts(r#"{"content":"an image_url in words"}"#)));
        let hinted = rule("name = \"h\"\ntarget = \"t\"\nhints = [\"cheap\"]");
        let mut with_hint = facts("{}");
        assert!(!hinted.holds(&with_hint));
        with_hint.hint = Some("cheap".into());
        assert!(hinted.holds(&with_hint));
        let regex = rule("name = \"x\"\ntarget = \"t\"\nregex = \"ticket-[0-9]+\"");
        assert!(regex.holds(&facts(r#"{"content":"see TICKET-42"}"#)));
        assert!(
            rule("name = \"all\"\ntarget = \"t\"").holds(&facts("{}")),
            "no conditions: a catch-all"
        );
    }

    #[test]
    fn bad_rules_are_refused_with_the_reason() {
        let refused = |text: &str| {
            toml::from_str::<RuleSection>(text)
                .unwrap()
                .checked()
                .unwrap_err()
                .0
        };
        assert!(refused("name = \"r\"\ntarget = \"t\"\nregex = \"(\"").contains("regex"));
        assert!(refused("name = \"r\"\ntarget = \"t\"\nmatch = \"most\"")
            .contains("\"all\" or \"any\""));
    }
}
