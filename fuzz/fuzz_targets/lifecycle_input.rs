//! Fuzzes what the lifecycle reads from outside: a cron schedule typed by a user (any kind, any
//! text), a cron job as the gateway lists it, and an archive manifest read back from disk.
//! Nothing panics; a schedule is accepted or refused with a sentence, and one accepted always
//! has words and between one and five next runs, soonest first.
#![no_main]

use clawtower_lifecycle::archive::Manifest;
use clawtower_lifecycle::crons::row_of;
use clawtower_lifecycle::schedule::{next_runs, schedule_words, Schedule};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let rest = &text[text.char_indices().nth(1).map_or(text.len(), |(i, _)| i)..];
    let schedules = [
        Schedule::Cron { expr: text.clone(), tz: None, stagger_ms: None },
        Schedule::Cron { expr: "0 9 * * *".into(), tz: Some(rest.to_string()), stagger_ms: None },
        Schedule::Cron { expr: "0 * * * *".into(), tz: None, stagger_ms: data.first().map(|&b| i64::from(b) * 1_000) },
        Schedule::Every { every_ms: i64::from_le_bytes(data.get(..8).and_then(|b| b.try_into().ok()).unwrap_or([0; 8])) },
        Schedule::At { at: text.clone() },
    ];
    for schedule in &schedules {
        match next_runs(schedule, Some(&text), 1_795_230_517_850, 5) {
            Ok(preview) => {
                assert!(!schedule_words(schedule).is_empty());
                assert!(!preview.runs_ms.is_empty() && preview.runs_ms.len() <= 5);
                assert!(preview.runs_ms.windows(2).all(|w| w[0] < w[1]));
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    if let Ok(job) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = serde_json::from_value::<Schedule>(job.clone());
        let _ = row_of(&job);
    }
    let _ = serde_json::from_slice::<Manifest>(data);
});
