//! OpenClaw's stagger of top-of-hour jobs (its guard against every job of a gateway starting at
//! once): a recurring cron job due at the top of an hour runs up to five minutes late, by a delay
//! fixed for the job (derived from its id), unless its schedule sets a stagger of its own
//! (`staggerMs`; 0 runs it exactly on time). Read from OpenClaw's `cron/stagger.ts` and
//! `jobs-scheduling.ts` (2026.9.6), and checked against the gateway's own next runs.

use sha2::{Digest, Sha256};

/// OpenClaw's stagger window for a recurring top-of-hour expression.
pub const TOP_OF_HOUR_MS: i64 = 300_000;

/// The stagger window of a cron job: its schedule's own, else OpenClaw's default for a recurring
/// top-of-hour expression, else none (0).
pub fn window_ms(expr: &str, own: Option<i64>) -> i64 {
    match own {
        Some(ms) => ms.max(0),
        None if recurring_top_of_hour(expr) => TOP_OF_HOUR_MS,
        None => 0,
    }
}

/// The job's delay within `window_ms`: the first four bytes of the SHA-256 of its id, big-endian,
/// modulo the window (as OpenClaw computes it).
pub fn offset_ms(job_id: &str, window_ms: i64) -> i64 {
    if window_ms <= 1 {
        return 0;
    }
    let digest = Sha256::digest(job_id.as_bytes());
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ])) % window_ms
}

/// `0 <hours> * * *` (or `0 0 <hours> * * *` with seconds) where the hours recur (`*`, `*/2`,
/// `*,12`…): the expressions OpenClaw staggers by default.
fn recurring_top_of_hour(expr: &str) -> bool {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    let hours = match fields.as_slice() {
        ["0", hours, _, _, _] | ["0", "0", hours, _, _, _] => hours,
        _ => return false,
    };
    let parts: Vec<&str> = hours.split(',').collect();
    parts.iter().all(|p| hour_part(p)) && parts.iter().any(|p| p.starts_with(['*', '?']))
}

/// One part of an hour list: `N`, `N-M` or `*`/`?`, each with an optional `/STEP`.
fn hour_part(part: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (base, step) = match part.split_once('/') {
        Some((base, step)) => (base, Some(step)),
        None => (part, None),
    };
    let base_ok = match base {
        "*" | "?" => true,
        _ => match base.split_once('-') {
            Some((a, b)) => digits(a) && digits(b),
            None => digits(base),
        },
    };
    base_ok && step.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_recurring_top_of_hour_expressions_are_staggered() {
        for staggered in [
            "0 * * * *",
            "0 */2 * * *",
            "0 *,12 * * 1-5",
            "0 0 * * * *",
            "0 ?/3 * * *",
        ] {
            assert_eq!(window_ms(staggered, None), TOP_OF_HOUR_MS, "{staggered}");
        }
        for exact in [
            "0 9 * * *",
            "5 * * * *",
            "0 9-17 * * *",
            "*/15 * * * *",
            "30 0 * * * *",
            "@hourly",
        ] {
            assert_eq!(window_ms(exact, None), 0, "{exact}");
        }
        // A schedule's own stagger wins, 0 included.
        assert_eq!(window_ms("0 * * * *", Some(0)), 0);
        assert_eq!(window_ms("0 9 * * *", Some(60_000)), 60_000);
    }

    #[test]
    fn a_jobs_delay_is_fixed_by_its_id_within_the_window() {
        let a = offset_ms("job-a", TOP_OF_HOUR_MS);
        assert_eq!(a, offset_ms("job-a", TOP_OF_HOUR_MS));
        assert!((0..TOP_OF_HOUR_MS).contains(&a));
        assert_ne!(a, offset_ms("job-b", TOP_OF_HOUR_MS));
        assert_eq!(offset_ms("job-a", 1), 0);
        // sha256("abc") starts ba 78 16 bf: 0xba7816bf = 3128432319.
        assert_eq!(
            offset_ms("abc", TOP_OF_HOUR_MS),
            3_128_432_319 % TOP_OF_HOUR_MS
        );
    }
}
