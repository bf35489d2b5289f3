//! From the model a request names to the targets to try, in order: `provider/model`, an alias
//! (its chain), or a bare model id that exactly one provider serves.

use crate::config::{Config, Provider, ProviderKind};
use crate::rules::Facts;

/// The targets for one request, in fallback order, and how they were chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// What the request named.
    pub requested: String,
    /// How it was resolved, ASCII (for the `x-clawtower-route` header and the log).
    pub explanation: String,
    /// `(provider index in the config, model id to send)`.
    pub targets: Vec<(usize, String)>,
}

/// Why no target could be found; the message says what to send instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// The request named no model.
    #[error("the request names no model")]
    NoModel,
    /// Nothing is called that.
    #[error("no provider serves \"{0}\": name one as provider/model, or an alias")]
    Unknown(String),
    /// Several providers serve that bare id.
    #[error("\"{model}\" is served by {}: name one as provider/model", .providers.join(", "))]
    Ambiguous {
        /// The bare id.
        model: String,
        /// The providers that list it.
        providers: Vec<String>,
    },
    /// `auto` needs routing rules.
    #[error("\"auto\" needs routing rules, and none are configured")]
    NoRules,
    /// No rule held for this request.
    #[error("no routing rule matches this request: add a rule with no conditions as the last one")]
    NoRuleMatched,
}

/// Resolves `requested` against `config`, keeping only providers that speak `protocol`; `auto`
/// goes by the first rule that holds for `facts` (and resolves for this protocol).
pub fn resolve(
    config: &Config,
    requested: &str,
    protocol: ProviderKind,
    facts: &Facts,
) -> Result<Route, RouteError> {
    let requested = requested.trim();
    if requested.is_empty() {
        return Err(RouteError::NoModel);
    }
    if requested != "auto" {
        return resolve_named(config, requested, protocol);
    }
    if config.rules.is_empty() {
        return Err(RouteError::NoRules);
    }
    config
        .rules
        .iter()
        .filter(|rule| rule.holds(facts))
        .find_map(|rule| {
            let mut route = resolve_named(config, &rule.target, protocol).ok()?;
            route.explanation = format!("auto rule {} -> {}", rule.name, route.explanation);
            route.requested = requested.to_string();
            Some(route)
        })
        .ok_or(RouteError::NoRuleMatched)
}

/// Resolves a name that is not `auto`.
fn resolve_named(
    config: &Config,
    requested: &str,
    protocol: ProviderKind,
) -> Result<Route, RouteError> {
    let index = |id: &str| config.providers.iter().position(|p| p.id == id);
    let speaks = |i: &usize| config.providers[*i].kind == protocol;
    if let Some(alias) = config.aliases.iter().find(|a| a.name == requested) {
        let targets: Vec<(usize, String)> = alias
            .targets
            .iter()
            .filter_map(|(p, m)| index(p).map(|i| (i, m.clone())))
            .filter(|(i, _)| speaks(i))
            .collect();
        if targets.is_empty() {
            return Err(RouteError::Unknown(requested.to_string()));
        }
        return Ok(Route {
            requested: requested.to_string(),
            explanation: format!("alias {requested}"),
            targets,
        });
    }
    if let Some((provider, model)) = requested.split_once('/') {
        if let Some(i) = index(provider).filter(speaks) {
            return Ok(Route {
                requested: requested.to_string(),
                explanation: "provider/model".into(),
                targets: vec![(i, model.to_string())],
            });
        }
    }
    let serving: Vec<usize> = config
        .providers
        .iter()
        .enumerate()
        .filter(|(_, p): &(usize, &Provider)| {
            p.kind == protocol && p.models.iter().any(|m| m == requested)
        })
        .map(|(i, _)| i)
        .collect();
    match serving.as_slice() {
        [] => Err(RouteError::Unknown(requested.to_string())),
        [i] => Ok(Route {
            requested: requested.to_string(),
            explanation: "model id".into(),
            targets: vec![(*i, requested.to_string())],
        }),
        many => Err(RouteError::Ambiguous {
            model: requested.to_string(),
            providers: many
                .iter()
                .map(|i| config.providers[*i].id.clone())
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = r#"
            [[providers]]
            id = "a"
            kind = "openai"
            base_url = "http://127.0.0.1:1/v1"
            models = ["m1", "shared"]
            [[providers]]
            id = "b"
            kind = "openai"
            base_url = "http://127.0.0.1:2/v1"
            models = ["shared"]
            [[providers]]
            id = "c"
            kind = "anthropic"
            base_url = "http://127.0.0.1:3/v1"
            models = ["claude"]
            [[aliases]]
            name = "fast"
            targets = ["b/shared", "a/m1", "c/claude"]
        "#;
        Config::parse(text, &|_| None).unwrap()
    }

    #[test]
    fn each_way_of_naming_a_model() {
        let c = config();
        let openai = |name| resolve(&c, name, ProviderKind::OpenAi, &Facts::default());
        assert_eq!(
            openai("a/anything").unwrap().targets,
            vec![(0, "anything".into())]
        );
        assert_eq!(openai("m1").unwrap().targets, vec![(0, "m1".into())]);
        let fast = openai("fast").unwrap();
        assert_eq!(
            fast.targets,
            vec![(1, "shared".into()), (0, "m1".into())],
            "other protocols left out"
        );
        assert_eq!(fast.explanation, "alias fast");
        assert_eq!(
            resolve(&c, "claude", ProviderKind::Anthropic, &Facts::default())
                .unwrap()
                .targets,
            vec![(2, "claude".into())]
        );
    }

    #[test]
    fn what_cannot_be_resolved_says_what_to_send() {
        let c = config();
        let openai = |name| {
            resolve(&c, name, ProviderKind::OpenAi, &Facts::default())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            openai("shared"),
            "\"shared\" is served by a, b: name one as provider/model"
        );
        assert!(openai("nope").contains("no provider serves \"nope\""));
        assert!(
            openai("claude").contains("no provider serves"),
            "an Anthropic model on the OpenAI API"
        );
        assert!(openai("auto").contains("routing rules"));
        assert_eq!(openai(" "), "the request names no model");
    }
}

#[cfg(test)]
mod auto_tests {
    use super::*;

    #[test]
    fn auto_takes_the_first_rule_that_holds_for_this_protocol() {
        let text = r#"
            [[providers]]
            id = "a"
            kind = "openai"
            base_url = "http://127.0.0.1:1/v1"
            models = ["small", "big"]
            [[providers]]
            id = "c"
            kind = "anthropic"
            base_url = "http://127.0.0.1:3/v1"
            models = ["claude"]
            [[rules]]
            name = "claude-for-coder"
            agents = ["coder"]
            target = "c/claude"
            [[rules]]
            name = "long"
            min_tokens = 1000
            target = "a/big"
            [[rules]]
            name = "rest"
            target = "small"
        "#;
        let c = Config::parse(text, &|_| None).unwrap();
        let facts =
            |agent: &str, bytes: usize| Facts::of(&vec![b' '; bytes], false, agent, "k", None);
        let openai = |f: &Facts| resolve(&c, "auto", ProviderKind::OpenAi, f).unwrap();
        let coder = openai(&facts("coder", 10));
        assert_eq!(
            coder.explanation, "auto rule rest -> model id",
            "the Anthropic rule does not serve OpenAI"
        );
        assert_eq!(openai(&facts("x", 8_000)).targets, vec![(0, "big".into())]);
        let anthropic = resolve(&c, "auto", ProviderKind::Anthropic, &facts("coder", 10)).unwrap();
        assert_eq!(
            anthropic.explanation,
            "auto rule claude-for-coder -> provider/model"
        );
        let bad = text.replace("target = \"small\"", "target = \"nowhere\"");
        assert!(Config::parse(&bad, &|_| None)
            .unwrap_err()
            .0
            .contains("no alias"));
    }
}
