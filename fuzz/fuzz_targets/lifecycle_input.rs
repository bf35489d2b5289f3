//! Fuzzes what the lifecycle reads from outside: a cron schedule typed by a user (any kind, any
//! text), a cron job as the gateway lists it, and an archive manifest read back from disk.
//! Nothing panics; a schedule is accepted or refused with a sentence, and one accepted always
//! has words.
#![no_main]

use clawtower_lifecycle::archive::Manifest;
use clawtower_lifecycle::crons::{check_schedule, row_of, schedule_words, Schedule};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let rest = &text[text.char_indices().nth(1).map_or(text.len(), |(i, _)| i)..];
    let schedules = [
        Schedule::Cron { expr: text.clone(), tz: None },
        Schedule::Cron { expr: "0 9 * * *".into(), tz: Some(rest.to_string()) },
        Schedule::Every { every_ms: i64::from_le_bytes(data.get(..8).and_then(|b| b.try_into().ok()).unwrap_or([0; 8])) },
        Schedule::At { at: text.clone() },
    ];
    for schedule in &schedules {
        match check_schedule(schedule, 1_795_230_517_850) {
            Ok(()) => assert!(!schedule_words(schedule).is_empty()),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    if let Ok(job) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = serde_json::from_value::<Schedule>(job.clone());
        let _ = row_of(&job);
    }
    let _ = serde_json::from_slice::<Manifest>(data);
});
