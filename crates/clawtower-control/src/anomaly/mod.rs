//! Anomaly rules on the budget alert path: a runaway tool loop, a token spike, an error spike,
//! a session running too long, a session costing too much. Each subject alerts once (rates and
//! runs re-arm when they clear); a rule may also pause (the session, or everything).

pub(crate) mod detect;
pub(crate) mod rule;
pub mod store;

pub use detect::Finding;
pub use rule::{Anomaly, AnomalyDraft, AnomalyRule};

use rusqlite::Connection;

use clawtower_core::error::Result;

/// How long what a rule fired on is remembered.
const FIRED_KEPT_MS: i64 = 7 * 24 * 3_600_000;

/// The new hits of every rule at `now_ms` (recorded as fired, so they are returned once). Each
/// rule is checked on its own: one that fails is skipped this pass with why recorded on it (its
/// row shows it until a pass checks it again), the others still fire.
pub fn new_findings(conn: &Connection, now_ms: i64) -> Result<Vec<(Anomaly, Finding)>> {
    store::forget_fired_before(conn, now_ms - FIRED_KEPT_MS)?;
    let mut fresh = Vec::new();
    for anomaly in store::list(conn)? {
        match rule_findings(conn, &anomaly, now_ms) {
            Ok(findings) => {
                store::set_problem(conn, anomaly.id, None)?;
                fresh.extend(findings.into_iter().map(|f| (anomaly.clone(), f)));
            }
            Err(e) => {
                tracing::warn!(rule = anomaly.id, %e, "anomaly rule not checked this pass");
                store::set_problem(conn, anomaly.id, Some(&e.to_string()))?;
            }
        }
    }
    Ok(fresh)
}

/// One rule's new hits, recorded as fired.
fn rule_findings(conn: &Connection, anomaly: &Anomaly, now_ms: i64) -> Result<Vec<Finding>> {
    let findings = detect::detect(conn, &anomaly.draft.rule, now_ms)?;
    if detect::rearms(&anomaly.draft.rule) {
        let subjects: Vec<&str> = findings.iter().map(|f| f.subject.as_str()).collect();
        store::rearm_except(conn, anomaly.id, &subjects)?;
    }
    let mut fresh = Vec::new();
    for finding in findings {
        if store::mark_fired(conn, anomaly.id, &finding.subject, now_ms)? {
            fresh.push(finding);
        }
    }
    Ok(fresh)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::budget::BudgetAction;
    use clawtower_ledger::pricing::PriceBook;
    use clawtower_ledger::record::apply_batch;
    use clawtower_ledger::transcript::{Batch, Cursor, ParsedLine, SessionContext};
    use clawtower_store::Store;

    const MIN: i64 = 60_000;

    /// Writes transcript lines for one session through the real parser and writer.
    pub(crate) fn write(store: &Store, session_key: &str, lines: &[String]) {
        let batch = Batch {
            source: format!("test:{session_key}"),
            context: SessionContext {
                agent_id: "main".into(),
                session_key: session_key.into(),
                session_id: session_key.into(),
            },
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| ParsedLine {
                    position: i as u64,
                    result: clawtower_ledger::transcript::parse_line(l.as_bytes()),
                })
                .collect(),
            cursor: Cursor {
                position: 0,
                fingerprint: String::new(),
            },
            from_archive: false,
        };
        store
            .with_conn(|c| apply_batch(c, &PriceBook::bundled(), &batch))
            .unwrap();
    }

    pub(crate) fn call(id: &str, ts_ms: i64, tool_args: &str, tokens: u64, error: bool) -> String {
        let error = if error {
            r#","errorMessage":"boom""#
        } else {
            ""
        };
        format!(
            r#"{{"type":"message","id":"{id}","timestamp":{ts_ms},"message":{{"role":"assistant","provider":"stub","model":"m","timestamp":{ts_ms},"content":[{{"type":"toolCall","id":"c{id}","name":"exec","arguments":{tool_args}}}],"usage":{{"input":{tokens},"output":0,"cost":{{"total":0.5}}}}{error}}}}}"#
        )
    }

    /// A fresh store without the default rule.
    fn store_without_rules() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                c.execute("DELETE FROM anomaly_rules", [])?;
                Ok(())
            })
            .unwrap();
        store
    }

    fn rule(store: &Store, rule: AnomalyRule) {
        store
            .with_conn(|c| {
                store::add(
                    c,
                    AnomalyDraft {
                        rule,
                        action: BudgetAction::Alert,
                    },
                )
            })
            .unwrap();
    }

    fn titles(store: &Store, now_ms: i64) -> Vec<String> {
        store
            .with_conn(|c| new_findings(c, now_ms))
            .unwrap()
            .into_iter()
            .map(|(_, f)| format!("{}: {}", f.title, f.body))
            .collect()
    }

    #[test]
    fn a_rule_that_fails_does_not_stop_the_others() {
        let store = store_without_rules();
        rule(&store, AnomalyRule::RunawayLoop { repeats: 2 });
        rule(
            &store,
            AnomalyRule::TokenVelocity {
                tokens_per_minute: 1,
            },
        );
        let now = 1_000 * MIN;
        write(
            &store,
            "agent:main:main",
            &[call("a1", now - MIN, r#"{"cmd":"ls"}"#, 1_000, false)],
        );
        // An event whose detail is not JSON makes the loop rule's query fail.
        store
            .with_conn(|c| {
                c.execute(
                    "INSERT INTO events (session_id, event_id, agent_id, session_key, ts_ms, kind, detail)
                     VALUES ('s', 'bad', 'main', 'agent:main:main', ?1, 'assistant', 'not json')",
                    [now - MIN],
                )?;
                Ok(())
            })
            .unwrap();
        let fired = titles(&store, now);
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert!(fired[0].starts_with("Token spike"), "{fired:?}");
        let rules = store.with_conn(|c| store::list(c)).unwrap();
        let problem = rules[0].problem.as_deref().unwrap_or_default();
        assert!(
            problem.contains("JSON"),
            "on the loop rule's row: {problem}"
        );
        assert_eq!(rules[1].problem, None);
        // Once it can be checked again, its row is clear.
        store
            .with_conn(|c| {
                c.execute("DELETE FROM events WHERE event_id = 'bad'", [])?;
                Ok(())
            })
            .unwrap();
        titles(&store, now + MIN);
        let rules = store.with_conn(|c| store::list(c)).unwrap();
        assert_eq!(rules[0].problem, None);
    }

    #[test]
    fn a_runaway_loop_fires_once_per_session_and_signature() {
        let store = store_without_rules();
        rule(&store, AnomalyRule::RunawayLoop { repeats: 3 });
        let now = 1_000 * MIN;
        let same: Vec<String> = (0..3)
            .map(|i| {
                call(
                    &format!("a{i}"),
                    now - i * MIN,
                    r#"{"cmd":"ls -la"}"#,
                    10,
                    false,
                )
            })
            .collect();
        write(&store, "agent:main:loop", &same);
        write(
            &store,
            "agent:main:varied",
            &(0..3)
                .map(|i| {
                    call(
                        &format!("b{i}"),
                        now - i * MIN,
                        &format!(r#"{{"cmd":"ls {i}"}}"#),
                        10,
                        false,
                    )
                })
                .collect::<Vec<_>>(),
        );
        assert_eq!(titles(&store, now), vec!["Runaway loop: agent:main:loop called exec with the same arguments 3 times in 30 min."]);
        write(
            &store,
            "agent:main:loop",
            &[call("a9", now, r#"{"cmd":"ls -la"}"#, 10, false)],
        );
        assert!(
            titles(&store, now).is_empty(),
            "already alerted for this loop"
        );
    }

    #[test]
    fn rates_fire_and_rearm_when_they_clear() {
        let store = store_without_rules();
        rule(
            &store,
            AnomalyRule::TokenVelocity {
                tokens_per_minute: 1000,
            },
        );
        rule(
            &store,
            AnomalyRule::ErrorSpike {
                errors: 2,
                minutes: 10,
            },
        );
        rule(&store, AnomalyRule::SessionCost { usd: 1.2 });
        let now = 1_000 * MIN;
        write(
            &store,
            "agent:main:a",
            &[
                call("x1", now - MIN, "{}", 6000, true),
                call("x2", now - 2 * MIN, "{}", 10, true),
                call("x3", now - 3 * MIN, "{}", 10, false),
            ],
        );
        let fired = titles(&store, now);
        assert_eq!(fired.len(), 3, "{fired:?}");
        assert!(
            fired[0].starts_with("Token spike: 1204 tokens a minute"),
            "{fired:?}"
        );
        assert_eq!(fired[1], "Error spike: 2 errors in the last 10 min.");
        assert_eq!(
            fired[2],
            "Costly session: agent:main:a has cost $1.50 (limit $1.20)."
        );
        assert!(titles(&store, now).is_empty());
        // An hour later the rates are quiet (re-armed); a new spike fires again.
        let later = now + 60 * MIN;
        assert!(titles(&store, later).is_empty());
        write(
            &store,
            "agent:main:b",
            &[call("y1", later, "{}", 9000, false)],
        );
        assert_eq!(
            titles(&store, later),
            vec![
                "Token spike: 1800 tokens a minute over the last 5 minutes (limit 1000)."
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_long_run_fires_once_per_run() {
        let store = store_without_rules();
        rule(&store, AnomalyRule::LongRun { minutes: 30 });
        let now = 1_000 * MIN;
        let run: Vec<String> = (0..8)
            .map(|i| {
                call(
                    &format!("r{i}"),
                    now - i * 5 * MIN,
                    &format!("{{\"i\":{i}}}"),
                    1,
                    false,
                )
            })
            .collect();
        write(&store, "agent:main:long", &run);
        assert_eq!(
            titles(&store, now),
            vec!["Long run: agent:main:long has been working for 35 min without a break."]
        );
        assert!(titles(&store, now + MIN).is_empty());
    }

    #[test]
    fn the_default_rule_is_an_alert_only_runaway_loop_check() {
        let store = Store::open_in_memory().unwrap();
        let rules = store.with_conn(|c| store::list(c)).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(
            rules[0].draft,
            AnomalyDraft {
                rule: AnomalyRule::RunawayLoop { repeats: 10 },
                action: BudgetAction::Alert
            }
        );
        assert!(store
            .with_conn(|c| store::add(
                c,
                AnomalyDraft {
                    rule: AnomalyRule::RunawayLoop { repeats: 1 },
                    action: BudgetAction::Alert
                }
            ))
            .is_err());
    }
}
