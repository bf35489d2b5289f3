//! A cron job's schedule: what OpenClaw accepts, checked before it is sent with each mistake
//! said in words; the schedule in words; and its next runs, computed as OpenClaw computes them
//! (cron expressions with Croner, as OpenClaw's scheduler does, in the job's time zone or the
//! gateway's).

use croner::parser::CronParser;
use croner::Cron;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::stagger;
use clawtower_core::{EngineError, Result};

/// When a job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Schedule {
    /// A cron expression (minute hour day-of-month month day-of-week), in a time zone.
    #[serde(rename_all = "camelCase")]
    Cron {
        /// The expression.
        expr: String,
        /// An IANA time zone (the gateway's when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tz: Option<String>,
        /// OpenClaw's stagger of its runs, when the job sets its own (0: exactly on time); absent,
        /// OpenClaw's default (see [`crate::stagger`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
        stagger_ms: Option<i64>,
    },
    /// Every so many milliseconds.
    #[serde(rename_all = "camelCase")]
    Every {
        /// The interval.
        #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
        every_ms: i64,
    },
    /// Once, at an instant (RFC 3339, e.g. `2026-12-24T18:00:00+01:00`).
    At {
        /// The instant.
        at: String,
    },
}

/// A schedule's next runs, for a preview beside the schedule being typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SchedulePreview {
    /// The schedule in words.
    pub words: String,
    /// The IANA time zone its runs fall in: the job's own, else the gateway's (this machine's);
    /// `None` when that zone has no name.
    pub zone: Option<String>,
    /// Its next runs, Unix ms, soonest first: as many as asked, fewer when it ends (a single
    /// run, a date that never comes round). A known job's runs include its stagger delay.
    #[cfg_attr(feature = "specta", specta(type = Vec<specta_typescript::Number>))]
    pub runs_ms: Vec<i64>,
    /// How late OpenClaw may start each run (its stagger of top-of-hour jobs), ms; 0: on time.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub stagger_ms: i64,
    /// This job's own delay within it, included in `runs_ms`; `None` for a job not made yet
    /// (its id sets it).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub offset_ms: Option<i64>,
}

/// A minute, in ms.
pub(crate) const MINUTE_MS: i64 = 60_000;

/// How many of a known job's runs before now (by its stagger delay) are looked past at most.
const PASSED_RUNS_LOOKED_AT: usize = 100_000;

/// Checks a schedule as OpenClaw will run it; the error says what to change.
pub fn check_schedule(schedule: &Schedule, now_ms: i64) -> Result<()> {
    next_runs(schedule, None, now_ms, 1).map(drop)
}

/// Checks `schedule` and says when it runs next (`count` runs at most) after `now_ms`, for the
/// job `job` (its id sets its stagger delay) or a job not made yet. An interval counts from now,
/// as OpenClaw anchors a job it is given.
pub fn next_runs(
    schedule: &Schedule,
    job: Option<&str>,
    now_ms: i64,
    count: usize,
) -> Result<SchedulePreview> {
    let invalid = |why: String| Err(EngineError::InvalidInput(why));
    let words = schedule_words(schedule);
    let system = TimeZone::system;
    let mut stagger = (0, None);
    let (zone, runs_ms) = match schedule {
        Schedule::Every { every_ms } if *every_ms < MINUTE_MS => {
            return invalid("run it at most once a minute (an interval of 1 minute or more)".into())
        }
        Schedule::Every { every_ms } => {
            let runs: Vec<i64> = (1..=count as i64)
                .map_while(|k| every_ms.checked_mul(k).and_then(|d| now_ms.checked_add(d)))
                .take_while(|&ms| Timestamp::from_millisecond(ms).is_ok())
                .collect();
            if runs.is_empty() {
                return invalid(format!(
                    "every {every_ms} ms never comes round (its first run would be after the \
                     year 9999)"
                ));
            }
            (system(), runs)
        }
        Schedule::At { at } => match at.trim().parse::<Timestamp>() {
            Err(_) => {
                return invalid(format!(
                "\"{at}\" is not a time: write it as 2026-12-24T18:00:00+01:00 (with its offset)"
            ))
            }
            Ok(t) if t.as_millisecond() <= now_ms => {
                return invalid(format!("{at} is in the past"))
            }
            Ok(t) => (system(), vec![t.as_millisecond()]),
        },
        Schedule::Cron {
            expr,
            tz,
            stagger_ms,
        } => {
            let zone = match tz.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => system(),
                Some(name) => TimeZone::get(name).map_err(|_| {
                    EngineError::InvalidInput(format!(
                        "\"{name}\" is not a time zone: use a name such as Europe/Berlin or UTC"
                    ))
                })?,
            };
            let cron = parse_cron(expr)?;
            // A known job's runs are the schedule's, each moved on by its delay (as OpenClaw
            // counts them: from its delay before now, the first one after now).
            let window = stagger::window_ms(expr, *stagger_ms);
            let offset = job.map(|id| stagger::offset_ms(id, window));
            stagger = (window, offset);
            let delay = offset.unwrap_or(0);
            let now = Timestamp::from_millisecond(now_ms.saturating_sub(delay))
                .map_err(|e| EngineError::InvalidInput(format!("no such time {now_ms}: {e}")))?
                .to_zoned(zone.clone());
            let runs: Vec<i64> = cron
                .iter_after(now)
                // (bounded: a stagger of its own may be absurdly long, runs every second)
                .take(count.saturating_add(PASSED_RUNS_LOOKED_AT))
                .map(|t| t.timestamp().as_millisecond().saturating_add(delay))
                .filter(|&ms| ms > now_ms)
                .take(count)
                .collect();
            if runs.is_empty() {
                return invalid(format!(
                    "\"{}\" never runs: no date matches it ({})",
                    expr.trim(),
                    description(&cron)
                ));
            }
            (zone, runs)
        }
    };
    Ok(SchedulePreview {
        words,
        zone: zone.iana_name().map(str::to_string),
        runs_ms,
        stagger_ms: stagger.0,
        offset_ms: stagger.1,
    })
}

/// Parses a cron expression as OpenClaw's Croner does: 5 fields, or 6 with seconds first (or 7
/// with a year), names of months and days, `L`, `W`, `#` and `@daily`-style nicknames; a day of
/// the month and a day of the week both given mean either.
fn parse_cron(expr: &str) -> Result<Cron> {
    CronParser::builder()
        .build()
        .parse(expr.trim())
        .map_err(|err| {
            EngineError::InvalidInput(explain_cron(expr).unwrap_or_else(|| {
                format!(
                    "\"{}\" is not a cron expression OpenClaw can run ({err})",
                    expr.trim()
                )
            }))
        })
}

/// Croner's own description ("At 09:00, on Monday…"), lower-cased to sit inside a sentence.
fn description(cron: &Cron) -> String {
    let text = cron.describe();
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The fields of a cron expression and their ranges.
const FIELDS: [(&str, u32, u32); 6] = [
    ("second", 0, 59),
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Says, field by field, what is wrong with an expression Croner refused (`None`: nothing this
/// simple reading finds; Croner's own message is said then).
fn explain_cron(expr: &str) -> Option<String> {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    let named = match fields.len() {
        5 => &FIELDS[1..],
        6 | 7 => &FIELDS[..],
        n => {
            return Some(format!(
                "a cron expression has 5 fields (minute hour day-of-month month day-of-week, \
                 or 6 with seconds first), \"{}\" has {n}",
                expr.trim()
            ))
        }
    };
    fields
        .iter()
        .zip(named)
        .find_map(|(text, &field)| explain_field(text, field))
}

/// What is wrong with one field (`None`: nothing found).
fn explain_field(text: &str, (name, min, max): (&str, u32, u32)) -> Option<String> {
    text.split(',').find_map(|part| {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (part, None),
        };
        if let Some(step) = step.filter(|s| !s.parse::<u32>().is_ok_and(|s| s >= 1)) {
            return Some(format!(
                "the {name} field's step \"{step}\" is not a whole number of 1 or more"
            ));
        }
        if range == "*" || range == "?" {
            return None;
        }
        let value = |v: &str| -> std::result::Result<u32, String> {
            let named = match name {
                "month" => MONTHS
                    .iter()
                    .position(|m| m.eq_ignore_ascii_case(v))
                    .map(|i| i as u32 + 1),
                "day of week" => DAYS
                    .iter()
                    .position(|d| d.eq_ignore_ascii_case(v))
                    .map(|i| i as u32),
                _ => None,
            };
            let n = named
                .or_else(|| v.parse().ok())
                .ok_or_else(|| format!("the {name} field has \"{v}\", which is not a number"))?;
            if n < min || n > max {
                return Err(format!("the {name} field has {n}: it runs {min}–{max}"));
            }
            Ok(n)
        };
        let checked = match range.split_once('-') {
            Some((a, b)) => match (value(a), value(b)) {
                (Ok(a), Ok(b)) if a > b => {
                    Err(format!("the {name} field's range {range} runs backwards"))
                }
                (a, b) => a.and(b).map(drop),
            },
            None => value(range).map(drop),
        };
        checked.err()
    })
}

/// A schedule in words: "every 15 min", "every day at 09:00 (Europe/Berlin)", "once at …".
pub fn schedule_words(schedule: &Schedule) -> String {
    match schedule {
        Schedule::Every { every_ms } => every_words(*every_ms),
        Schedule::At { at } => format!("once, at {at}"),
        Schedule::Cron { expr, tz, .. } => {
            let zone = tz
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            format!("{}{zone}", cron_words(expr))
        }
    }
}

fn every_words(ms: i64) -> String {
    let (day, hour, minute) = (24 * 60 * MINUTE_MS, 60 * MINUTE_MS, MINUTE_MS);
    match ms {
        ms if ms == day => "every day".into(),
        ms if ms % day == 0 => format!("every {} days", ms / day),
        ms if ms == hour => "every hour".into(),
        ms if ms % hour == 0 => format!("every {} h", ms / hour),
        ms if ms % minute == 0 => format!("every {} min", ms / minute),
        ms => format!("every {} s", ms / 1000),
    }
}

fn cron_words(expr: &str) -> String {
    let f: Vec<&str> = expr.split_whitespace().collect();
    let plain = |s: &str| s.parse::<u32>().ok();
    let at = |h: &str, m: &str| Some(format!("{:02}:{:02}", plain(h)?, plain(m)?));
    match f.as_slice() {
        [m, "*", "*", "*", "*"] if m.starts_with("*/") => format!("every {} min", &m[2..]),
        ["0", "*", "*", "*", "*"] => "every hour".into(),
        [m, "*", "*", "*", "*"] if plain(m).is_some() => {
            format!("every hour at :{:02}", plain(m).unwrap_or(0))
        }
        [m, h, "*", "*", "*"] if at(h, m).is_some() => {
            format!("every day at {}", at(h, m).unwrap_or_default())
        }
        [m, h, "*", "*", d]
            if at(h, m).is_some() && (*d == "1-5" || d.eq_ignore_ascii_case("mon-fri")) =>
        {
            format!("weekdays at {}", at(h, m).unwrap_or_default())
        }
        [m, h, "*", "*", d] if at(h, m).is_some() && day_name(d).is_some() => format!(
            "every {} at {}",
            day_name(d).unwrap_or_default(),
            at(h, m).unwrap_or_default()
        ),
        [m, h, dom, "*", "*"] if at(h, m).is_some() && plain(dom).is_some() => format!(
            "on day {} of every month at {}",
            plain(dom).unwrap_or(1),
            at(h, m).unwrap_or_default()
        ),
        _ => parse_cron(expr)
            .map(|cron| description(&cron))
            .unwrap_or_else(|_| format!("cron {expr}")),
    }
}

fn day_name(d: &str) -> Option<&'static str> {
    const NAMES: [&str; 8] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    d.parse::<usize>()
        .ok()
        .and_then(|i| NAMES.get(i).copied())
        .or_else(|| {
            DAYS.iter()
                .position(|x| x.eq_ignore_ascii_case(d))
                .map(|i| NAMES[i])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cron(expr: &str) -> Schedule {
        Schedule::Cron {
            expr: expr.into(),
            tz: None,
            stagger_ms: None,
        }
    }

    #[test]
    fn schedules_are_checked_with_readable_errors() {
        let now = 1_795_230_517_850; // 2026-11-21
        let err = |s: Schedule| check_schedule(&s, now).unwrap_err().to_string();
        assert!(check_schedule(&cron("*/15 9-17 * * mon-fri"), now).is_ok());
        assert!(check_schedule(&cron("0 0 1,15 jan-jun 0"), now).is_ok());
        assert!(err(cron("0 25 * * *")).contains("the hour field has 25: it runs 0–23"));
        assert!(err(cron("0 9 * *")).contains("has 4"));
        assert!(err(cron("*/0 * * * *")).contains("step \"0\""));
        assert!(err(cron("0 9 * * fry")).contains("\"fry\", which is not a number"));
        assert!(err(cron("0 17-9 * * *")).contains("runs backwards"));
        let zoned = Schedule::Cron {
            expr: "0 9 * * *".into(),
            tz: Some("Mars/Olympus".into()),
            stagger_ms: None,
        };
        assert!(err(zoned).contains("not a time zone"));
        let berlin = Schedule::Cron {
            expr: "0 9 * * *".into(),
            tz: Some("Europe/Berlin".into()),
            stagger_ms: None,
        };
        assert!(check_schedule(&berlin, now).is_ok());
        assert!(err(Schedule::Every { every_ms: 5_000 }).contains("at most once a minute"));
        assert!(err(Schedule::At {
            at: "tomorrow".into()
        })
        .contains("is not a time"));
        assert!(err(Schedule::At {
            at: "2020-01-01T00:00:00Z".into()
        })
        .contains("in the past"));
        assert!(check_schedule(
            &Schedule::At {
                at: "2027-01-01T09:00:00+01:00".into()
            },
            now
        )
        .is_ok());
    }

    #[test]
    fn schedules_in_words() {
        let words = |s: Schedule| schedule_words(&s);
        assert_eq!(
            words(Schedule::Every {
                every_ms: 86_400_000
            }),
            "every day"
        );
        assert_eq!(words(Schedule::Every { every_ms: 900_000 }), "every 15 min");
        assert_eq!(
            words(Schedule::Every {
                every_ms: 7_200_000
            }),
            "every 2 h"
        );
        assert_eq!(words(cron("*/5 * * * *")), "every 5 min");
        assert_eq!(words(cron("30 9 * * *")), "every day at 09:30");
        assert_eq!(words(cron("0 8 * * 1-5")), "weekdays at 08:00");
        assert_eq!(words(cron("0 18 * * fri")), "every Friday at 18:00");
        assert_eq!(words(cron("0 6 1 * *")), "on day 1 of every month at 06:00");
        let zoned = Schedule::Cron {
            expr: "0 7 * * *".into(),
            tz: Some("Europe/Berlin".into()),
            stagger_ms: None,
        };
        assert_eq!(words(zoned), "every day at 07:00 (Europe/Berlin)");
        assert_eq!(words(cron("0 0 1 1 *")), "at 00:00, on day 1, in January");
    }

    fn zoned(expr: &str, tz: &str) -> Schedule {
        Schedule::Cron {
            expr: expr.into(),
            tz: Some(tz.into()),
            stagger_ms: None,
        }
    }

    /// `ms` as local wall time in `tz`, e.g. "2026-11-23T09:00 Mon".
    fn local(ms: i64, tz: &str) -> String {
        let t = Timestamp::from_millisecond(ms)
            .unwrap()
            .to_zoned(TimeZone::get(tz).unwrap());
        t.strftime("%Y-%m-%dT%H:%M %a").to_string()
    }

    #[test]
    fn next_runs_follow_the_expression_in_its_zone() {
        let now = 1_795_230_517_850; // Sat 2026-11-21 03:08 UTC
        let runs = |s: Schedule, n| next_runs(&s, None, now, n).unwrap();
        let weekdays = runs(zoned("0 9 * * 1-5", "Europe/Berlin"), 3);
        assert_eq!(weekdays.zone.as_deref(), Some("Europe/Berlin"));
        let shown: Vec<String> = weekdays
            .runs_ms
            .iter()
            .map(|&ms| local(ms, "Europe/Berlin"))
            .collect();
        assert_eq!(
            shown,
            [
                "2026-11-23T09:00 Mon",
                "2026-11-24T09:00 Tue",
                "2026-11-25T09:00 Wed"
            ]
        );
        // The same wall time in New York is six hours later.
        let ny = runs(zoned("0 9 * * 1-5", "America/New_York"), 1);
        assert_eq!(ny.runs_ms[0] - weekdays.runs_ms[0], 6 * 3_600_000);
        // What OpenClaw's Croner accepts beyond five plain fields.
        let seconds = runs(zoned("30 0 12 * * *", "UTC"), 1);
        assert_eq!(local(seconds.runs_ms[0], "UTC"), "2026-11-21T12:00 Sat");
        assert_eq!(seconds.runs_ms[0] % 60_000, 30_000);
        let last = runs(zoned("0 0 L * *", "UTC"), 2);
        assert_eq!(local(last.runs_ms[1], "UTC"), "2026-12-31T00:00 Thu");
        let second_friday = runs(zoned("0 9 * * 5#2", "UTC"), 1);
        assert_eq!(
            local(second_friday.runs_ms[0], "UTC"),
            "2026-12-11T09:00 Fri"
        );
        assert_eq!(runs(zoned("@daily", "UTC"), 5).runs_ms.len(), 5);
        // A day of the month and a day of the week: either (as cron and Croner have it).
        let either = runs(zoned("0 0 1 * mon", "UTC"), 2);
        assert_eq!(
            either
                .runs_ms
                .iter()
                .map(|&ms| local(ms, "UTC"))
                .collect::<Vec<_>>(),
            ["2026-11-23T00:00 Mon", "2026-11-30T00:00 Mon"]
        );
        // No zone: the gateway's, this machine's.
        let here = runs(cron("0 9 * * *"), 1);
        assert_eq!(here.zone.as_deref(), TimeZone::system().iana_name());
    }

    #[test]
    fn next_runs_of_intervals_and_single_runs() {
        let now = 1_795_230_517_850;
        let every = next_runs(
            &Schedule::Every {
                every_ms: 3_600_000,
            },
            None,
            now,
            3,
        )
        .unwrap();
        assert_eq!(
            every.runs_ms,
            [now + 3_600_000, now + 7_200_000, now + 10_800_000]
        );
        assert_eq!(every.words, "every hour");
        let once = Schedule::At {
            at: "2027-01-01T09:00:00+01:00".into(),
        };
        let once = next_runs(&once, None, now, 5).unwrap();
        // 08:00 UTC
        assert_eq!(once.runs_ms, [1_798_790_400_000]);
        // A long interval ends the list where dates end; one that never comes round is refused
        // (never an overflow, never an empty list).
        let every = |every_ms| next_runs(&Schedule::Every { every_ms }, None, now, 5);
        let century = 100 * 365 * 86_400_000;
        assert_eq!(every(century).unwrap().runs_ms.len(), 5);
        assert_eq!(every(20 * century).unwrap().runs_ms.len(), 3); // 4026, 6026, 8026
        assert!(every(80 * century).is_err());
        for huge in [i64::MAX / 2, i64::MAX] {
            let err = every(huge).unwrap_err().to_string();
            assert!(err.contains("never comes round"), "{err}");
        }
    }

    #[test]
    fn a_date_that_never_comes_round_is_refused() {
        let err = next_runs(&cron("0 0 30 2 *"), None, 1_795_230_517_850, 5)
            .unwrap_err()
            .to_string();
        assert!(err.contains("never runs"), "{err}");
        assert!(err.contains("on day 30, in February"), "{err}");
    }

    #[test]
    fn refused_expressions_are_explained() {
        let err = |e: &str| {
            next_runs(&cron(e), None, 1_795_230_517_850, 1)
                .unwrap_err()
                .to_string()
        };
        assert!(err("0 9 * * 1 2 3 4").contains("has 8"));
        assert!(err("61 0 9 * * *").contains("the second field has 61: it runs 0–59"));
        assert!(err("0 9 * * fry").contains("\"fry\", which is not a number"));
    }

    #[test]
    fn a_known_top_of_hour_job_runs_its_stagger_delay_late() {
        let now = 1_795_230_517_850; // 03:08:37 UTC
        let hourly = zoned("0 * * * *", "UTC");
        let new = next_runs(&hourly, None, now, 2).unwrap();
        assert_eq!(
            (new.stagger_ms, new.offset_ms),
            (stagger::TOP_OF_HOUR_MS, None)
        );
        assert_eq!(local(new.runs_ms[0], "UTC"), "2026-11-21T04:00 Sat");
        let delay = stagger::offset_ms("job-7", stagger::TOP_OF_HOUR_MS);
        let known = next_runs(&hourly, Some("job-7"), now, 2).unwrap();
        assert_eq!(known.offset_ms, Some(delay));
        assert_eq!(
            known.runs_ms,
            [new.runs_ms[0] + delay, new.runs_ms[1] + delay]
        );
        // The hour's run still to come when now is between the hour and its delay.
        let just_after_the_hour = new.runs_ms[0] + 1;
        let due = next_runs(&hourly, Some("job-7"), just_after_the_hour, 1).unwrap();
        assert_eq!(due.runs_ms, [new.runs_ms[0] + delay]);
        // Its own stagger of 0: exactly on time; not at the top of an hour: no stagger.
        let exact = Schedule::Cron {
            expr: "0 * * * *".into(),
            tz: Some("UTC".into()),
            stagger_ms: Some(0),
        };
        assert_eq!(
            next_runs(&exact, Some("job-7"), now, 1).unwrap().runs_ms,
            [new.runs_ms[0]]
        );
        let nine = next_runs(&zoned("0 9 * * *", "UTC"), Some("job-7"), now, 1).unwrap();
        assert_eq!((nine.stagger_ms, nine.offset_ms), (0, Some(0)));
    }
}
