//! `make bench`: reading a session's timeline again while a window shows it (a running session
//! is read again every 2 s), from the kept timeline, beside reading it whole in the same run.
//!
//!   cargo run --release -p clawtower-sessions --example timeline_speed -- STATE_DIR DATA_DIR KEY

use std::path::Path;
use std::time::Instant;

use clawtower_sessions::timeline::{read_timeline, TimelineCache};
use clawtower_store::Store;

/// The median of `runs` timings of `f`, in ms.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [state, data, key] = &args[..] else {
        eprintln!("usage: timeline_speed STATE_DIR DATA_DIR SESSION_KEY");
        std::process::exit(2);
    };
    let (state, store) = (
        Path::new(state),
        Store::open(Path::new(data)).expect("the store"),
    );
    let whole = read_timeline(state, &store, key, true).expect("the timeline");
    let n = whole.entries.len();
    let from = n.saturating_sub(200);
    let after = from.checked_sub(1).map(|i| whole.entries[i].id.clone());
    let baseline = median_ms(5, || {
        read_timeline(state, &store, key, true).unwrap();
    });
    let cache = TimelineCache::new();
    let first = median_ms(1, || {
        cache.timeline(state, &store, key).unwrap();
    });
    let again = median_ms(5, || {
        cache
            .since(state, &store, key, from, after.as_deref())
            .unwrap();
    });
    println!(
        "timeline of {key} ({n} entries): read whole {baseline:.0} ms (baseline); \
         first read kept {first:.0} ms; read again (its last 200 entries, from what was kept) \
         {again:.1} ms; again / whole: {:.3}",
        again / baseline
    );
}
