//! Per-key rate limits: requests and tokens per minute, calls at once. Kept in memory (a
//! restart forgets the last minute, which only errs towards letting calls through), and only
//! for the limits a key has: a key without a per-minute limit keeps no history, one with
//! `rpm = N` at most N admission times, one with a token limit a sum per second of the minute
//! (at most 60 entries) — so memory does not grow with the request rate.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use crate::keys::KeyView;

const MINUTE_MS: i64 = 60_000;

/// Why a call is held back, and when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    /// Seconds until the call would be let through.
    pub retry_after_s: u64,
    /// What limit, in words.
    pub message: String,
}

#[derive(Debug, Default)]
struct Use {
    in_flight: u32,
    /// Admission times within the last minute (kept when the key has a request limit).
    requests: VecDeque<i64>,
    /// The key has a token limit: calls' tokens are counted in `tokens`.
    counts_tokens: bool,
    /// `(time of the second's last call, tokens)` per second in which calls ended, within
    /// the last minute. A second leaves the window with its last call (never early).
    tokens: VecDeque<(i64, u64)>,
}

/// Every key's recent use.
#[derive(Debug, Default)]
pub struct KeyUse {
    keys: Mutex<HashMap<i64, Use>>,
}

/// A call in progress; dropping it ends the call for the parallel limit.
pub struct Slot {
    owner: Arc<KeyUse>,
    key_id: i64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(used) = self.owner.lock().get_mut(&self.key_id) {
            used.in_flight = used.in_flight.saturating_sub(1);
        }
    }
}

fn seconds_until(ms: i64) -> u64 {
    (ms.max(0) as u64).div_ceil(1000).max(1)
}

impl KeyUse {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Use>> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lets a call of `key` start at `now_ms`, or says which limit holds it back.
    pub fn admit(self: &Arc<Self>, key: &KeyView, now_ms: i64) -> Result<Slot, Limited> {
        let limits = key.limits;
        let mut keys = self.lock();
        let used = keys.entry(key.id).or_default();
        while used
            .requests
            .front()
            .is_some_and(|t| now_ms - t >= MINUTE_MS)
        {
            used.requests.pop_front();
        }
        while used
            .tokens
            .front()
            .is_some_and(|(t, _)| now_ms - t >= MINUTE_MS)
        {
            used.tokens.pop_front();
        }
        if let Some(max) = limits.max_parallel {
            if used.in_flight >= max {
                return Err(Limited {
                    retry_after_s: 1,
                    message: format!("the key \"{}\" allows {max} calls at once", key.name),
                });
            }
        }
        if let Some(rpm) = limits.rpm {
            if used.requests.len() >= rpm as usize {
                let oldest = used.requests[used.requests.len() - rpm as usize];
                return Err(Limited {
                    retry_after_s: seconds_until(oldest + MINUTE_MS - now_ms),
                    message: format!("the key \"{}\" allows {rpm} requests a minute", key.name),
                });
            }
        }
        if let Some(tpm) = limits.tpm {
            let mut total: u64 = used.tokens.iter().map(|(_, n)| n).sum();
            if total >= tpm {
                // The wait: until enough of the minute's tokens have aged out.
                let mut wait_until = now_ms;
                for (t, n) in &used.tokens {
                    total -= n;
                    wait_until = t + MINUTE_MS;
                    if total < tpm {
                        break;
                    }
                }
                return Err(Limited {
                    retry_after_s: seconds_until(wait_until - now_ms),
                    message: format!("the key \"{}\" allows {tpm} tokens a minute", key.name),
                });
            }
        }
        if limits.rpm.is_some() {
            used.requests.push_back(now_ms);
        }
        used.counts_tokens = limits.tpm.is_some();
        used.in_flight += 1;
        Ok(Slot {
            owner: self.clone(),
            key_id: key.id,
        })
    }

    /// A call of `key_id` ended at `now_ms` having used `tokens` (counted when the key has a
    /// token limit).
    pub fn used_tokens(&self, key_id: i64, now_ms: i64, tokens: u64) {
        let mut keys = self.lock();
        let Some(used) = keys.get_mut(&key_id).filter(|u| u.counts_tokens) else {
            return;
        };
        if tokens == 0 {
            return;
        }
        match used.tokens.back_mut() {
            Some((last, sum)) if last.div_euclid(1000) == now_ms.div_euclid(1000) => {
                *last = (*last).max(now_ms);
                *sum += tokens;
            }
            _ => used.tokens.push_back((now_ms, tokens)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyLimits;

    fn key(limits: KeyLimits) -> KeyView {
        KeyView {
            id: 1,
            name: "k".into(),
            agent_id: "a".into(),
            prefix: "ctk-xxxx".into(),
            models: vec![],
            expires_ms: None,
            created_ms: 0,
            revoked_ms: None,
            limits,
        }
    }

    #[test]
    fn requests_per_minute_and_calls_at_once() {
        let used = Arc::new(KeyUse::default());
        let limited = key(KeyLimits {
            rpm: Some(2),
            max_parallel: Some(1),
            ..KeyLimits::default()
        });
        let first = used.admit(&limited, 0).unwrap();
        let busy = used.admit(&limited, 100).err().unwrap();
        assert!(busy.message.contains("1 calls at once"));
        drop(first);
        let second = used.admit(&limited, 10_000).unwrap();
        drop(second);
        let third = used.admit(&limited, 20_000).err().unwrap();
        assert_eq!(
            third.retry_after_s, 40,
            "the first request leaves the minute at 60 s"
        );
        assert!(used.admit(&limited, 60_000).is_ok());
    }

    #[test]
    fn tokens_per_minute_count_what_calls_reported() {
        let used = Arc::new(KeyUse::default());
        let limited = key(KeyLimits {
            tpm: Some(1_000),
            ..KeyLimits::default()
        });
        drop(used.admit(&limited, 0).unwrap());
        used.used_tokens(1, 1_000, 600);
        drop(used.admit(&limited, 2_000).unwrap());
        used.used_tokens(1, 3_000, 600);
        let held = used.admit(&limited, 4_000).err().unwrap();
        assert_eq!(
            held.retry_after_s, 57,
            "until the first 600 age out at 61 s"
        );
        assert!(used.admit(&limited, 61_000).is_ok());
    }

    #[test]
    fn history_is_bounded_by_the_limits_not_the_rate() {
        let used = Arc::new(KeyUse::default());
        let unlimited = key(KeyLimits::default());
        for ms in 0..10_000 {
            drop(used.admit(&unlimited, ms).unwrap());
            used.used_tokens(1, ms, 100);
        }
        let keys = used.lock();
        assert!(keys[&1].requests.is_empty() && keys[&1].tokens.is_empty());
        drop(keys);

        let limited = key(KeyLimits {
            rpm: Some(1_000_000),
            tpm: Some(u64::MAX),
            ..KeyLimits::default()
        });
        for ms in 0..10_000 {
            drop(used.admit(&limited, ms).unwrap());
            used.used_tokens(1, ms, 100);
        }
        let keys = used.lock();
        assert_eq!(
            keys[&1].requests.len(),
            10_000,
            "one per admission, up to rpm"
        );
        assert_eq!(
            keys[&1].tokens.iter().copied().collect::<Vec<_>>(),
            (0..10)
                .map(|s| (s * 1000 + 999, 100_000))
                .collect::<Vec<_>>(),
            "one sum per second"
        );
    }

    #[test]
    fn a_second_of_tokens_leaves_the_window_with_its_last_call() {
        let used = Arc::new(KeyUse::default());
        let limited = key(KeyLimits {
            tpm: Some(1_000),
            ..KeyLimits::default()
        });
        drop(used.admit(&limited, 0).unwrap());
        used.used_tokens(1, 100, 600);
        used.used_tokens(1, 900, 600);
        let held = used.admit(&limited, 30_000).err().unwrap();
        assert_eq!(held.retry_after_s, 31, "until 60.9 s");
        assert!(used.admit(&limited, 60_800).is_err());
        assert!(used.admit(&limited, 60_900).is_ok());
    }
}
