//! Spend so far (today, this week, this month) and the tray label that shows it.

use jiff::Zoned;
use serde::{Deserialize, Serialize};

use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;
use clawtower_core::period::{zone_name, Period};
use clawtower_store::{model_calls, Store};

/// Spend so far in the current calendar periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SpendSummary {
    /// Today, USD.
    pub today_usd: f64,
    /// This ISO week, USD.
    pub week_usd: f64,
    /// This month, USD.
    pub month_usd: f64,
    /// Model calls today.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub today_calls: u64,
    /// Tokens today with no known price (never silently free).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub unpriced_tokens_today: u64,
    /// Exactly what the tray title shows, e.g. `$0.00 today`.
    pub tray_label: String,
    /// IANA time zone of the periods.
    pub time_zone: String,
    /// RFC 3339 instant of the computation.
    pub as_of: String,
}

impl SpendSummary {
    /// True when the figures (not the timestamp) are the same.
    pub fn same_figures(&self, other: &SpendSummary) -> bool {
        let SpendSummary {
            today_usd,
            week_usd,
            month_usd,
            today_calls,
            unpriced_tokens_today,
            tray_label,
            time_zone,
            as_of: _,
        } = self;
        *today_usd == other.today_usd
            && *week_usd == other.week_usd
            && *month_usd == other.month_usd
            && *today_calls == other.today_calls
            && *unpriced_tokens_today == other.unpriced_tokens_today
            && *tray_label == other.tray_label
            && *time_zone == other.time_zone
    }
}

/// The tray title for a day's spend.
pub fn tray_label(today: NanoUsd) -> String {
    tray_label_for(&today.display())
}

/// The tray title around an already formatted amount (`"$—"` when spend is unknown).
pub fn tray_label_for(amount: &str) -> String {
    format!("{amount} today")
}

/// Computes the summary at `now` (its time zone defines the periods).
pub fn summarize(store: &Store, now: &Zoned) -> Result<SpendSummary> {
    let day = Period::Day.containing(now)?;
    let week = Period::Week.containing(now)?;
    let month = Period::Month.containing(now)?;
    store.read(|conn| {
        let today = model_calls::totals_between(conn, day.start_ms(), day.end_ms())?;
        let week = model_calls::totals_between(conn, week.start_ms(), week.end_ms())?;
        let month = model_calls::totals_between(conn, month.start_ms(), month.end_ms())?;
        Ok(SpendSummary {
            today_usd: today.cost.as_usd(),
            week_usd: week.cost.as_usd(),
            month_usd: month.cost.as_usd(),
            today_calls: today.calls,
            unpriced_tokens_today: today.unpriced_tokens,
            tray_label: tray_label(today.cost),
            time_zone: zone_name(now),
            as_of: now.timestamp().to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::model_calls::insert;
    use clawtower_store::testing::sample;

    #[test]
    fn empty_ledger_is_zero_dollars_today() {
        let store = Store::open_in_memory().unwrap();
        let now: Zoned = "2026-11-21T10:00:00[Europe/Paris]".parse().unwrap();
        let s = summarize(&store, &now).unwrap();
        assert_eq!(s.tray_label, "$0.00 today");
        assert_eq!(
            (s.today_usd, s.week_usd, s.month_usd, s.today_calls),
            (0.0, 0.0, 0.0, 0)
        );
        assert_eq!(s.time_zone, "Europe/Paris");
    }

    #[test]
    fn calls_land_in_the_right_periods_by_local_time() {
        let store = Store::open_in_memory().unwrap();
        let now: Zoned = "2026-11-21T10:00:00[Europe/Paris]".parse().unwrap();
        let ms = |t: &str| t.parse::<Zoned>().unwrap().timestamp().as_millisecond();
        store
            .with_conn(|c| {
                // 00:30 Paris today is still yesterday in UTC: it counts as today.
                insert(
                    c,
                    &sample("today", ms("2026-11-21T00:30:00[Europe/Paris]"), 1.25),
                )?;
                insert(
                    c,
                    &sample("monday", ms("2026-11-16T09:00:00[Europe/Paris]"), 2.0),
                )?;
                insert(
                    c,
                    &sample("nov1", ms("2026-11-01T00:00:00[Europe/Paris]"), 4.0),
                )?;
                insert(
                    c,
                    &sample("october", ms("2026-10-31T23:59:59[Europe/Paris]"), 8.0),
                )?;
                Ok(())
            })
            .unwrap();
        let s = summarize(&store, &now).unwrap();
        assert_eq!(s.today_usd, 1.25);
        assert_eq!(s.week_usd, 3.25);
        assert_eq!(s.month_usd, 7.25);
        assert_eq!(s.today_calls, 1);
        assert_eq!(s.tray_label, "$1.25 today");
    }
}
