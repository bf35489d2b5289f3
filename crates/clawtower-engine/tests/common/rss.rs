//! The process's peak resident memory, for the tests that bound it (each its own test binary:
//! other tests in the same process would disturb it). Included with `#[path]`.

/// Peak resident memory of this process so far, in KiB (Linux).
pub fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}
