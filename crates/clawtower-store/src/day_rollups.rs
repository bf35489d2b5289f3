//! Day rollups: the rollup sums per local day × session (`usage_by_day_session`) and per local
//! day × agent × provider × model (`usage_by_day_model`), so a usage view or a report over months
//! of ten million calls reads a few thousand rows, not every quarter hour of every session; and
//! the cache tokens per session × local day × model (`usage_by_day_session_cache`), for what
//! caching saved each session (each model's rates apply to its own tokens).
//!
//! A local day belongs to one time zone: the store's *day zone* (a preference, normally the
//! system's zone). Queries in that zone read the day tables; queries in another zone read the
//! quarter-hour rollups (exact in every zone, slower). When the zone changes the day tables are
//! rebuilt from the quarter-hour rollups ([`keep_days_in`]).

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection};

use clawtower_core::error::Result;

use crate::preferences;
use crate::rollup_shape::{
    add_excluded, bucket_of, sum_placeholders, upsert_sums, BUCKET_MS, ROLLUP_COLUMNS,
};

/// The preference naming the zone the day tables are kept in (an IANA name).
const DAY_ZONE_KEY: &str = "rollups.day_zone";

/// Sums of one row, in the order of [`ROLLUP_COLUMNS`].
type Sums = [i64; ROLLUP_COLUMNS.len()];

/// Maps quarter-hour buckets to the first bucket of their local day in one zone (the day's key in
/// the day tables). Remembers the last day it computed: buckets come in runs of the same day.
pub struct DayOf {
    tz: TimeZone,
    last: Option<(i64, i64)>,
}

impl DayOf {
    /// Days in `tz`.
    pub fn new(tz: TimeZone) -> Self {
        DayOf { tz, last: None }
    }

    /// The key of the local day `bucket` falls in: the bucket its midnight falls in.
    pub fn day(&mut self, bucket: i64) -> i64 {
        if let Some((start, end)) = self.last {
            if (start..end).contains(&bucket) {
                return start;
            }
        }
        let (start, end) = self.bounds(bucket).unwrap_or_else(|| {
            // Beyond the calendar's range: UTC days, still one key per bucket.
            let start = bucket.div_euclid(BUCKETS_PER_UTC_DAY) * BUCKETS_PER_UTC_DAY;
            (start, start + BUCKETS_PER_UTC_DAY)
        });
        self.last = Some((start, end));
        start
    }

    fn bounds(&self, bucket: i64) -> Option<(i64, i64)> {
        let at = Timestamp::from_millisecond(bucket.checked_mul(BUCKET_MS)?).ok()?;
        let start = at.to_zoned(self.tz.clone()).start_of_day().ok()?;
        let end = start.tomorrow().ok()?.start_of_day().ok()?;
        let first = bucket_of(start.timestamp().as_millisecond());
        let after = bucket_of(end.timestamp().as_millisecond());
        // A day's midnight inside a quarter hour (historic offsets) keys from that quarter hour.
        Some((first.min(bucket), after.max(bucket + 1)))
    }
}

const BUCKETS_PER_UTC_DAY: i64 = 86_400_000 / BUCKET_MS;

/// The zone the day tables are kept in, if they are kept.
pub fn day_zone(conn: &Connection) -> Result<Option<String>> {
    preferences::get(conn, DAY_ZONE_KEY)
}

/// Keeps the day tables in `zone` (an IANA name) from now on, rebuilding them when they were kept
/// in another zone or not yet; returns whether it rebuilt. An unknown zone keeps what was.
pub fn keep_days_in(conn: &Connection, zone: &str) -> Result<bool> {
    if day_zone(conn)?.as_deref() == Some(zone) || TimeZone::get(zone).is_err() {
        return Ok(false);
    }
    preferences::set(conn, DAY_ZONE_KEY, zone)?;
    rebuild_day_rollups(conn)?;
    Ok(true)
}

/// The zone of the day tables, loaded; `None` when they are not kept.
fn loaded_zone(conn: &Connection) -> Result<Option<TimeZone>> {
    Ok(day_zone(conn)?.and_then(|name| TimeZone::get(&name).ok()))
}

/// Recomputes both day tables from `usage_rollups`, one local day at a time (in bucket order, so
/// memory holds one day's rows).
pub fn rebuild_day_rollups(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM usage_by_day_session; DELETE FROM usage_by_day_model;
         DELETE FROM usage_by_day_session_cache;",
    )?;
    let Some(tz) = loaded_zone(conn)? else {
        return Ok(());
    };
    let mut days = DayOf::new(tz);
    let mut gathered = DaySums::default();
    let mut current = None;
    let mut stmt = conn.prepare(&format!(
        "SELECT bucket, agent_id, session_key, provider, model, {} FROM usage_rollups ORDER BY bucket",
        ROLLUP_COLUMNS.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let day = days.day(row.get(0)?);
        if current.is_some_and(|d| d != day) {
            gathered.write(conn)?;
        }
        current = Some(day);
        let mut sums = [0; ROLLUP_COLUMNS.len()];
        for (i, sum) in sums.iter_mut().enumerate() {
            *sum = row.get(5 + i)?;
        }
        let dims: [String; 4] = [row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?];
        gathered.add(day, &dims, &sums, false);
    }
    gathered.write(conn)
}

/// Adds quarter-hour rollup changes (`bucket, [agent, session, provider, model], sums, whether
/// any sum shrank`) to the day tables, when they are kept.
pub(crate) fn apply<'a>(
    conn: &Connection,
    changes: impl Iterator<Item = (i64, [&'a str; 4], &'a Sums, bool)>,
) -> Result<()> {
    let Some(tz) = loaded_zone(conn)? else {
        return Ok(());
    };
    let mut days = DayOf::new(tz);
    let mut gathered = DaySums::default();
    for (bucket, [agent, session, provider, model], sums, shrinks) in changes {
        let dims = [agent, session, provider, model].map(str::to_string);
        gathered.add(days.day(bucket), &dims, sums, shrinks);
    }
    gathered.write(conn)
}

/// Day-table changes gathered before they are written, once per row.
#[derive(Default)]
struct DaySums {
    /// (day, session) → (agent, sums, shrank).
    sessions: HashMap<(i64, String), (String, Sums, bool)>,
    /// (day, agent, provider, model) → (sums, shrank).
    models: HashMap<(i64, String, String, String), (Sums, bool)>,
    /// (session, day, provider, model) → ([cache read, cache write tokens], shrank).
    cached: HashMap<SessionDayModel, ([i64; 2], bool)>,
}

/// A row of `usage_by_day_session_cache`: (session, day, provider, model).
type SessionDayModel = (String, i64, String, String);

/// Where the cache read and write tokens are in [`Sums`].
fn cache_columns() -> [usize; 2] {
    static AT: std::sync::OnceLock<[usize; 2]> = std::sync::OnceLock::new();
    *AT.get_or_init(|| {
        ["cache_read_tokens", "cache_write_tokens"].map(|name| {
            ROLLUP_COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("a rollup column")
        })
    })
}

fn add_sums(total: &mut Sums, sums: &Sums) {
    for (t, v) in total.iter_mut().zip(sums) {
        *t = t.saturating_add(*v);
    }
}

impl DaySums {
    fn add(&mut self, day: i64, dims: &[String; 4], sums: &Sums, shrinks: bool) {
        let [agent, session, provider, model] = dims;
        let by_session = self
            .sessions
            .entry((day, session.clone()))
            .or_insert_with(|| (agent.clone(), [0; ROLLUP_COLUMNS.len()], false));
        add_sums(&mut by_session.1, sums);
        by_session.2 |= shrinks;
        let by_model = self
            .models
            .entry((day, agent.clone(), provider.clone(), model.clone()))
            .or_insert(([0; ROLLUP_COLUMNS.len()], false));
        add_sums(&mut by_model.0, sums);
        by_model.1 |= shrinks;
        let tokens = cache_columns().map(|at| sums[at]);
        if tokens != [0, 0] {
            let cached = self
                .cached
                .entry((session.clone(), day, provider.clone(), model.clone()))
                .or_insert(([0, 0], false));
            for (t, v) in cached.0.iter_mut().zip(tokens) {
                *t = t.saturating_add(v);
            }
            cached.1 |= shrinks;
        }
    }

    /// Upserts every gathered row (dropping rows left counting nothing) and forgets them.
    fn write(&mut self, conn: &Connection) -> Result<()> {
        let columns = ROLLUP_COLUMNS.join(", ");
        let add = add_excluded();
        let values = sum_placeholders;
        let empty = "calls = 0 AND aborted_calls = 0 AND failed_calls = 0";
        let mut upsert = conn.prepare_cached(&format!(
            "INSERT INTO usage_by_day_session (day, session_key, agent_id, {columns})
             VALUES (?1, ?2, ?3, {})
             ON CONFLICT (day, session_key) DO UPDATE SET agent_id = excluded.agent_id, {add}",
            values(4)
        ))?;
        let mut drop = conn.prepare_cached(&format!(
            "DELETE FROM usage_by_day_session WHERE day = ?1 AND session_key = ?2 AND {empty}"
        ))?;
        for ((day, session), (agent, sums, shrank)) in self.sessions.drain() {
            upsert_sums(&mut upsert, params![day, session, agent], &sums)?;
            if shrank {
                drop.execute(params![day, session])?;
            }
        }
        let mut upsert = conn.prepare_cached(&format!(
            "INSERT INTO usage_by_day_model (day, agent_id, provider, model, {columns})
             VALUES (?1, ?2, ?3, ?4, {})
             ON CONFLICT (day, agent_id, provider, model) DO UPDATE SET {add}",
            values(5)
        ))?;
        let mut drop = conn.prepare_cached(&format!(
            "DELETE FROM usage_by_day_model WHERE day = ?1 AND agent_id = ?2 AND provider = ?3
               AND model = ?4 AND {empty}"
        ))?;
        for ((day, agent, provider, model), (sums, shrank)) in self.models.drain() {
            upsert_sums(&mut upsert, params![day, agent, provider, model], &sums)?;
            if shrank {
                drop.execute(params![day, agent, provider, model])?;
            }
        }
        let mut upsert = conn.prepare_cached(
            "INSERT INTO usage_by_day_session_cache
                (session_key, day, provider, model, cache_read_tokens, cache_write_tokens)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (session_key, day, provider, model) DO UPDATE SET
                cache_read_tokens = CAST(cache_read_tokens + excluded.cache_read_tokens AS INTEGER),
                cache_write_tokens = CAST(cache_write_tokens + excluded.cache_write_tokens AS INTEGER)",
        )?;
        let mut drop = conn.prepare_cached(
            "DELETE FROM usage_by_day_session_cache WHERE session_key = ?1 AND day = ?2
               AND provider = ?3 AND model = ?4 AND cache_read_tokens = 0 AND cache_write_tokens = 0",
        )?;
        for ((session, day, provider, model), ([read, write], shrank)) in self.cached.drain() {
            upsert.execute(params![session, day, provider, model, read, write])?;
            if shrank {
                drop.execute(params![session, day, provider, model])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_calls::{forget_billed, write, OnExisting};
    use crate::rollups::{rebuild_rollups, RollupDeltas};
    use crate::testing::sample;
    use crate::testing::zoned_ms as ms;
    use crate::Store;

    /// `(day, session, calls, cost)` rows, `(day, model, calls)` rows and `(session, day, model,
    /// cache reads)` rows.
    type DayRows = (
        Vec<(i64, String, i64, i64)>,
        Vec<(i64, String, i64)>,
        Vec<(String, i64, String, i64)>,
    );

    fn day_rows(conn: &Connection) -> DayRows {
        let mut stmt = conn
            .prepare("SELECT day, session_key, calls, cost_nanousd FROM usage_by_day_session ORDER BY 1, 2")
            .unwrap();
        let sessions = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT day, model, calls FROM usage_by_day_model ORDER BY 1, 2")
            .unwrap();
        let models = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT session_key, day, model, cache_read_tokens FROM usage_by_day_session_cache
                 ORDER BY 1, 2, 3",
            )
            .unwrap();
        let cached = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (sessions, models, cached)
    }

    #[test]
    fn days_start_at_local_midnight_across_offsets_and_dst() {
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        let mut days = DayOf::new(kolkata);
        let midnight = bucket_of(ms("2026-11-21T00:00:00[Asia/Kolkata]"));
        assert_eq!(days.day(midnight), midnight);
        assert_eq!(days.day(midnight + 95), midnight, "23:45 is the same day");
        assert_eq!(days.day(midnight + 96), midnight + 96);
        assert_eq!(days.day(midnight - 1), midnight - 96);
        // Berlin's autumn change: the day has 25 hours (100 quarter hours).
        let mut berlin = DayOf::new(TimeZone::get("Europe/Berlin").unwrap());
        let day = bucket_of(ms("2026-10-25T00:00:00[Europe/Berlin]"));
        assert_eq!(berlin.day(day + 99), day);
        assert_eq!(berlin.day(day + 100), day + 100);
    }

    #[test]
    fn kept_changes_equal_a_rebuild_and_a_new_zone_rebuilds() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                keep_days_in(c, "Asia/Kolkata")?;
                let tx = c.transaction()?;
                let mut deltas = RollupDeltas::default();
                let times = [
                    "2026-11-20T23:30:00[Asia/Kolkata]",
                    "2026-11-21T00:10:00[Asia/Kolkata]",
                    "2026-11-21T05:00:00[Asia/Kolkata]",
                ];
                for (i, t) in times.iter().enumerate() {
                    let mut call = sample(&format!("c{i}"), ms(t), 1.0);
                    call.cache_read_tokens = 100 * (i as u64 + 1);
                    write(&tx, &call, OnExisting::Keep, &mut deltas)?;
                }
                forget_billed(&tx, "c2", &mut deltas)?;
                deltas.apply(&tx)?;
                tx.commit()?;
                let kept = day_rows(c);
                let first = bucket_of(ms("2026-11-20T00:00:00[Asia/Kolkata]"));
                assert_eq!(
                    kept.0,
                    vec![
                        (first, "agent:main:main".into(), 1, 1_000_000_000),
                        (first + 96, "agent:main:main".into(), 1, 1_000_000_000),
                    ]
                );
                assert_eq!(kept.1.len(), 2);
                let main = || "agent:main:main".to_string();
                let model = || "stub-model".to_string();
                assert_eq!(
                    kept.2,
                    vec![
                        (main(), first, model(), 100),
                        (main(), first + 96, model(), 200)
                    ],
                    "the forgotten call's cache reads gone with it"
                );
                rebuild_rollups(c)?;
                assert_eq!(day_rows(c), kept, "a rebuild gives the same rows");
                // In UTC both calls fall on 2026-11-20.
                assert!(keep_days_in(c, "UTC")?);
                assert!(
                    !keep_days_in(c, "UTC")?,
                    "the same zone again: nothing to do"
                );
                assert!(!keep_days_in(c, "Not/AZone")?);
                let (sessions, _, _) = day_rows(c);
                assert_eq!(sessions.len(), 1);
                assert_eq!(sessions[0].2, 2);
                Ok(())
            })
            .unwrap();
    }
}
