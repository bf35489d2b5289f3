//! A decompression bomb among the archives costs the ledger's import a bounded amount of memory:
//! the archive is decoded as a stream and handed on in bounded batches, never whole. (Its own
//! test binary: it measures the process's peak memory, which other tests beside it would
//! disturb.)

use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::ingest_state_dir;
use clawtower_store::Store;

#[path = "common/rss.rs"]
mod rss;

use rss::peak_rss_kib;

#[test]
fn a_zstd_bomb_is_imported_in_bounded_memory() {
    const DECOMPRESSED: usize = 256 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    // 256 MiB of 4 KiB entries compress to well under a megabyte.
    let line = format!("{{\"type\":\"custom\",\"pad\":\"{}\"}}\n", "x".repeat(4000));
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    let mut written = 0;
    while written < DECOMPRESSED {
        std::io::Write::write_all(&mut encoder, line.as_bytes()).unwrap();
        written += line.len();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    std::fs::write(dir.join("s1.jsonl.deleted.2026-11-21T03-08-56Z.zst"), &bomb).unwrap();
    drop(bomb);
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let before = peak_rss_kib();
    ingest_state_dir(&store, &state, &PriceBook::bundled(), &mut |_| {}).unwrap();
    let grew_mib = peak_rss_kib().saturating_sub(before) / 1024;
    eprintln!("the import's peak memory grew by {grew_mib} MiB");
    assert!(
        grew_mib < 128,
        "the import's peak memory grew by {grew_mib} MiB"
    );
    // The archive was read to its end (done: a second pass reads nothing).
    let again = ingest_state_dir(&store, &state, &PriceBook::bundled(), &mut |_| {}).unwrap();
    assert_eq!(again.sources_read, 0, "{again:?}");
}
