//! Per-provider circuit breakers and cooldowns. A provider that failed `failures` times within
//! `window` is skipped (open) for `cooldown`; then one call goes through as a probe (half-open):
//! success closes the circuit, failure opens it again. A 429 skips the provider until its
//! `Retry-After`. Openings and cooldowns are kept in the store, so a restart does not send
//! traffic straight back to a provider that was failing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::params;

use clawtower_store::Store;

/// When to open a circuit and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// Failures within `window` that open the circuit.
    pub failures: u32,
    /// The window failures are counted in.
    pub window: Duration,
    /// How long an open circuit skips the provider before a probe.
    pub cooldown: Duration,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        BreakerSettings {
            failures: 5,
            window: Duration::from_secs(60),
            cooldown: Duration::from_secs(30),
        }
    }
}

/// A circuit's state, as the Router page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Circuit {
    /// Calls go through.
    Closed,
    /// Skipped until this instant (Unix ms): failures, or a 429's `Retry-After`.
    Open {
        /// When a probe may go.
        until_ms: i64,
    },
    /// The cooldown is over: one call is on its way as a probe.
    Probing,
}

#[derive(Debug, Default, Clone)]
struct Provider {
    /// Recent failure times (Unix ms), oldest first.
    failures: Vec<i64>,
    open_until_ms: Option<i64>,
    probing: bool,
}

/// The breakers of every provider.
pub struct Breakers {
    settings: BreakerSettings,
    store: Arc<Store>,
    providers: Mutex<HashMap<String, Provider>>,
}

impl Breakers {
    /// Breakers with `settings`, restoring open circuits from `store`.
    pub fn load(settings: BreakerSettings, store: Arc<Store>) -> Self {
        let stored = store.read(|c| {
            let mut stmt = c.prepare("SELECT provider, open_until_ms FROM router_breakers")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        });
        let providers = stored
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "router breakers could not be read; all start closed");
                Vec::new()
            })
            .into_iter()
            .map(|(id, until)| {
                let provider = Provider {
                    open_until_ms: Some(until),
                    ..Provider::default()
                };
                (id, provider)
            })
            .collect();
        Breakers {
            settings,
            store,
            providers: Mutex::new(providers),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Provider>> {
        self.providers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a call may go to `provider` now; `Err(until_ms)` while it is skipped. After a
    /// cooldown the first caller is let through as the probe; others wait for its outcome.
    pub fn admit(&self, provider: &str, now_ms: i64) -> Result<(), i64> {
        let mut all = self.lock();
        let Some(state) = all.get_mut(provider) else {
            return Ok(());
        };
        match state.open_until_ms {
            Some(until) if now_ms < until => Err(until),
            Some(until) if state.probing => Err(until),
            Some(_) => {
                state.probing = true;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// A call to `provider` succeeded: its circuit closes.
    pub fn success(&self, provider: &str) {
        let was_open = self
            .lock()
            .remove(provider)
            .is_some_and(|s| s.open_until_ms.is_some());
        if was_open {
            self.persist(provider, None);
        }
    }

    /// A call to `provider` failed (connection, timeout, 408, 5xx).
    pub fn failure(&self, provider: &str, now_ms: i64) {
        let opened = {
            let mut all = self.lock();
            let state = all.entry(provider.to_string()).or_default();
            let window = self.settings.window.as_millis() as i64;
            state.failures.retain(|t| now_ms - t < window);
            state.failures.push(now_ms);
            let trip = state.probing || state.failures.len() as u32 >= self.settings.failures;
            if trip {
                let until = now_ms + self.settings.cooldown.as_millis() as i64;
                state.open_until_ms = Some(until);
                state.probing = false;
                state.failures.clear();
                Some(until)
            } else {
                None
            }
        };
        if let Some(until) = opened {
            tracing::warn!(provider, until_ms = until, "circuit opened");
            self.persist(provider, Some(until));
        }
    }

    /// `provider` answered 429: skipped until `retry_after` has passed.
    pub fn cool_down(&self, provider: &str, now_ms: i64, retry_after: Duration) {
        let until = now_ms + retry_after.as_millis().min(3_600_000) as i64;
        {
            let mut all = self.lock();
            let state = all.entry(provider.to_string()).or_default();
            state.open_until_ms = Some(state.open_until_ms.map_or(until, |u| u.max(until)));
            state.probing = false;
        }
        self.persist(provider, Some(until));
    }

    /// Each provider's circuit now.
    pub fn circuit(&self, provider: &str, now_ms: i64) -> Circuit {
        match self.lock().get(provider) {
            Some(Provider {
                open_until_ms: Some(until),
                probing,
                ..
            }) => {
                if *probing {
                    Circuit::Probing
                } else if now_ms < *until {
                    Circuit::Open { until_ms: *until }
                } else {
                    Circuit::Closed
                }
            }
            _ => Circuit::Closed,
        }
    }

    fn persist(&self, provider: &str, open_until_ms: Option<i64>) {
        let written = self.store.with_conn(|c| {
            match open_until_ms {
                Some(until) => c.execute(
                    "INSERT INTO router_breakers (provider, open_until_ms) VALUES (?1, ?2)
                     ON CONFLICT(provider) DO UPDATE SET open_until_ms = excluded.open_until_ms",
                    params![provider, until],
                )?,
                None => c.execute(
                    "DELETE FROM router_breakers WHERE provider = ?1",
                    [provider],
                )?,
            };
            Ok(())
        });
        if let Err(e) = written {
            tracing::warn!(provider, error = %e, "a breaker could not be saved");
        }
    }
}

/// The seconds a 429's `Retry-After` asks for (a number of seconds; an HTTP date is not read and
/// counts as one second).
pub fn retry_after(header: Option<&str>) -> Duration {
    let seconds = header
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(1.0);
    Duration::from_millis((seconds * 1000.0).min(3_600_000.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breakers(store: Arc<Store>) -> Breakers {
        let settings = BreakerSettings {
            failures: 3,
            window: Duration::from_secs(60),
            cooldown: Duration::from_secs(30),
        };
        Breakers::load(settings, store)
    }

    #[test]
    fn closed_open_half_open_closed_and_kept_across_a_restart() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let b = breakers(store.clone());
        for t in [0, 1_000] {
            b.failure("a", t);
        }
        assert_eq!(b.admit("a", 2_000), Ok(()), "two failures: still closed");
        b.failure("a", 2_000);
        assert_eq!(
            b.admit("a", 3_000),
            Err(32_000),
            "three within the window: open"
        );
        assert_eq!(b.circuit("a", 3_000), Circuit::Open { until_ms: 32_000 });
        assert_eq!(
            b.admit("b", 3_000),
            Ok(()),
            "other providers are not affected"
        );

        let restarted = breakers(store.clone());
        assert_eq!(
            restarted.admit("a", 3_000),
            Err(32_000),
            "still open after a restart"
        );

        assert_eq!(
            b.admit("a", 32_000),
            Ok(()),
            "the cooldown is over: one probe"
        );
        assert_eq!(b.admit("a", 32_001), Err(32_000), "only one");
        b.failure("a", 32_500);
        assert_eq!(
            b.admit("a", 33_000),
            Err(62_500),
            "a failed probe opens it again"
        );
        assert_eq!(b.admit("a", 62_500), Ok(()));
        b.success("a");
        assert_eq!(b.circuit("a", 62_600), Circuit::Closed);
        assert_eq!(
            breakers(store).admit("a", 62_600),
            Ok(()),
            "closed is saved too"
        );
    }

    #[test]
    fn a_429_cools_the_provider_down_for_its_retry_after() {
        let b = breakers(Arc::new(Store::open_in_memory().unwrap()));
        b.cool_down("a", 1_000, retry_after(Some("7")));
        assert_eq!(b.admit("a", 7_999), Err(8_000));
        assert_eq!(b.admit("a", 8_000), Ok(()));
        assert_eq!(
            retry_after(Some("Wed, 21 Oct 2026 07:28:00 GMT")),
            Duration::from_secs(1)
        );
        assert_eq!(retry_after(Some("0.5")), Duration::from_millis(500));
        assert_eq!(retry_after(Some("-3")), Duration::from_secs(1));
    }

    #[test]
    fn old_failures_leave_the_window() {
        let b = breakers(Arc::new(Store::open_in_memory().unwrap()));
        for t in [0, 30_000, 61_000] {
            b.failure("a", t);
        }
        assert_eq!(
            b.admit("a", 61_001),
            Ok(()),
            "the first failure is older than 60 s"
        );
    }
}
