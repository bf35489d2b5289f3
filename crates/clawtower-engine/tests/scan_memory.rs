//! A decompression bomb in an archive costs the scan a bounded amount of memory: the archive is
//! decoded as a stream, line by line, never whole. (Its own test binary: it measures the
//! process's peak memory, which other tests running beside it would disturb.)

use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::report::{scan_report, ReportKind, ReportQuery};
use jiff::tz::TimeZone;

#[path = "common/rss.rs"]
mod rss;

use rss::peak_rss_kib;

#[test]
fn a_zstd_bomb_is_scanned_in_bounded_memory() {
    const DECOMPRESSED: usize = 256 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("state/agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    // 256 MiB of short lines compress to well under a megabyte.
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    let block = "{}\n".repeat(1 << 16);
    let mut written = 0;
    while written < DECOMPRESSED {
        std::io::Write::write_all(&mut encoder, block.as_bytes()).unwrap();
        written += block.len();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    std::fs::write(dir.join("s1.jsonl.deleted.2026-11-21T03-08-56Z.zst"), &bomb).unwrap();
    drop(bomb);
    let before = peak_rss_kib();
    let query = ReportQuery {
        kind: ReportKind::Daily,
        since: None,
        until: None,
        tz: TimeZone::UTC,
    };
    let (_, stats) = scan_report(&tmp.path().join("state"), &PriceBook::bundled(), &query).unwrap();
    assert_eq!(stats.bytes, written as u64, "every byte was read");
    let grew_mib = peak_rss_kib().saturating_sub(before) / 1024;
    assert!(
        grew_mib < 128,
        "the scan's peak memory grew by {grew_mib} MiB"
    );
}
