use super::*;
use std::path::PathBuf;

fn spec(layout: Layout, agents: u32, sessions: u32, turns: u32, seed: u64) -> Spec {
    Spec {
        layout,
        agents,
        sessions_per_agent: sessions,
        turns_per_session: turns,
        seed,
        start_ms: 1_795_230_000_000,
    }
}

#[test]
fn is_deterministic_and_counts_what_it_writes() {
    let spec = spec(Layout::Jsonl, 2, 10, 3, 7);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = generate(a.path(), &spec).unwrap();
    let second = generate(b.path(), &spec).unwrap();
    assert_eq!(first, second);
    assert!(first.calls >= 20, "{first:?}");
    assert!(first.sessions >= 10, "{first:?}");
    let listing = |dir: &Path| {
        let mut names: Vec<_> = fs::read_dir(dir.join("agents/main/sessions"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(listing(a.path()), listing(b.path()));
    assert!(iso(1_795_230_393_971).starts_with("2026-11-21T03:06:33.971Z"));
    assert_eq!(file_stamp(1_795_230_393_971), "2026-11-21T03-06-33.971Z");
}

/// Totals recomputed from what is on disk by an independent, naive reader.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    calls: u64,
    aborted: u64,
    failed: u64,
    tokens: [u64; 4],
    cost: i64,
    reported: i64,
    unpriced: u64,
    lines: u64,
    bytes: u64,
}

impl Seen {
    fn line(&mut self, line: &str) {
        self.lines += 1;
        self.bytes += line.len() as u64 + 1;
        let v: Value = serde_json::from_str(line).unwrap();
        let m = &v["message"];
        if m["role"] != "assistant" {
            return;
        }
        let u = &m["usage"];
        let t = ["input", "output", "cacheRead", "cacheWrite"].map(|k| u[k].as_u64().unwrap());
        let total = u["cost"]["total"].as_f64().unwrap();
        if t.iter().sum::<u64>() == 0 && total == 0.0 {
            if m["openclawAbort"]["aborted"] == true {
                assert_eq!(m["model"], "gateway-injected");
                self.aborted += 1;
            } else {
                assert_eq!(m["stopReason"], "error");
                self.failed += 1;
            }
            return;
        }
        self.calls += 1;
        for (sum, n) in self.tokens.iter_mut().zip(t) {
            *sum += n;
        }
        let prices = match m["provider"].as_str().unwrap() {
            PROVIDER => Some(PRICES_PER_MILLION),
            BILLED_PROVIDER => {
                assert_eq!(u["cost"]["totalOrigin"], "provider-billed");
                let estimate = estimate_nanousd(BILLED_PRICES_PER_MILLION, t);
                assert_ne!((total * 1e9).round() as i64, estimate, "billed ≠ estimate");
                Some(BILLED_PRICES_PER_MILLION)
            }
            _ => None,
        };
        if total > 0.0 {
            let nano = (total * 1e9).round() as i64;
            self.cost += nano;
            self.reported += nano;
        } else if let Some(p) = prices {
            self.cost += estimate_nanousd(p, t);
        } else {
            self.unpriced += t.iter().sum::<u64>();
        }
    }

    fn check(&self, e: &Expected) {
        let want = Seen {
            calls: e.calls,
            aborted: e.aborted_calls,
            failed: e.failed_calls,
            tokens: [
                e.input_tokens,
                e.output_tokens,
                e.cache_read_tokens,
                e.cache_write_tokens,
            ],
            cost: e.cost_nanousd,
            reported: e.reported_cost_nanousd,
            unpriced: e.unpriced_tokens,
            lines: e.lines,
            bytes: e.bytes,
        };
        assert_eq!(self, &want);
    }
}

fn session_files(state: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for agent in fs::read_dir(state.join("agents")).unwrap() {
        for f in fs::read_dir(agent.unwrap().path().join("sessions")).unwrap() {
            files.push(f.unwrap().path());
        }
    }
    files.sort();
    files
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

const UUID: &str = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
const STAMP: &str = r"\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z";

type Atom = (Box<dyn Fn(u8) -> bool>, usize);

fn matches(pattern: &str, text: &str) -> bool {
    // A tiny anchored matcher for the few shapes used here (no regex dependency): expand the
    // pattern's atoms by hand.
    fn atom(p: &[u8]) -> Option<Atom> {
        match p {
            [b'[', b'0', b'-', b'9', b'a', b'-', b'f', b']', ..] => Some((
                Box::new(|c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
                8,
            )),
            [b'[', b'8', b'9', b'a', b'b', b']', ..] => {
                Some((Box::new(|c: u8| b"89ab".contains(&c)), 6))
            }
            [b'\\', b'd', ..] => Some((Box::new(|c: u8| c.is_ascii_digit()), 2)),
            [b'\\', c, ..] => {
                let c = *c;
                Some((Box::new(move |x| x == c), 2))
            }
            [c, ..] => {
                let c = *c;
                Some((Box::new(move |x| x == c), 1))
            }
            [] => None,
        }
    }
    let (mut p, mut t) = (pattern.as_bytes(), text.as_bytes());
    while let Some((test, len)) = atom(p) {
        p = &p[len..];
        let mut count = 1;
        if let [b'{', rest @ ..] = p {
            let end = rest.iter().position(|&c| c == b'}').unwrap();
            count = std::str::from_utf8(&rest[..end]).unwrap().parse().unwrap();
            p = &rest[end + 1..];
        }
        for _ in 0..count {
            match t.split_first() {
                Some((&c, rest)) if test(c) => t = rest,
                _ => return false,
            }
        }
    }
    t.is_empty()
}

#[test]
fn legacy_layout_has_every_kind_and_its_totals_are_what_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let e = generate(dir.path(), &spec(Layout::Jsonl, 2, 60, 12, 11)).unwrap();
    assert!(e.provider_billed_calls > 0 && e.unpriced_calls > 0 && e.estimated_calls > 0);
    assert!(e.aborted_calls > 0 && e.failed_calls > 0, "{e:?}");
    assert!(e.subagent_sessions > 0 && e.cron_sessions > 0 && e.deleted_sessions > 0);
    assert!(
        e.resets > 0 && e.compactions > 0 && e.checkpoint_files > 0,
        "{e:?}"
    );
    assert!(e.cost_nanousd != e.reported_cost_nanousd && e.unpriced_tokens > 0);
    let mut seen = Seen::default();
    let (mut resets, mut deleted, mut checkpoints) = (0, 0, 0);
    for path in session_files(dir.path()) {
        let n = name(&path);
        if n == "sessions.json" {
            continue;
        }
        let body = if n.ends_with(".zst") {
            assert!(
                matches(
                    &format!(r"{UUID}\.jsonl\.deleted\.{STAMP}\.[0-9a-f]{{32}}\.zst"),
                    &n
                ),
                "{n}"
            );
            deleted += 1;
            String::from_utf8(zstd::decode_all(&fs::read(&path).unwrap()[..]).unwrap()).unwrap()
        } else {
            fs::read_to_string(&path).unwrap()
        };
        if n.contains(".checkpoint.") {
            assert!(
                matches(&format!(r"{UUID}\.checkpoint\.{UUID}\.jsonl"), &n),
                "{n}"
            );
            // A byte prefix of the transcript it was taken from (same entry ids).
            let sid = &n[..36];
            let source = session_files(dir.path())
                .into_iter()
                .find(|p| name(p).starts_with(sid) && !name(p).contains(".checkpoint."))
                .unwrap();
            assert!(fs::read_to_string(source).unwrap().starts_with(&body));
            checkpoints += 1;
            continue;
        }
        if n.contains(".reset.") {
            assert!(
                matches(&format!(r"{UUID}\.jsonl\.reset\.{STAMP}"), &n),
                "{n}"
            );
            resets += 1;
        } else if n.contains(".deleted.") && !n.ends_with(".zst") {
            assert!(
                matches(&format!(r"{UUID}\.jsonl\.deleted\.{STAMP}"), &n),
                "{n}"
            );
            deleted += 1;
        } else if !n.ends_with(".zst") {
            assert!(matches(&format!(r"{UUID}\.jsonl"), &n), "{n}");
        }
        body.lines().for_each(|l| seen.line(l));
    }
    seen.check(&e);
    assert_eq!(resets, e.resets);
    assert_eq!(deleted, e.deleted_sessions);
    assert_eq!(checkpoints, e.checkpoint_files);
    let index: Value = serde_json::from_slice(
        &fs::read(dir.path().join("agents/main/sessions/sessions.json")).unwrap(),
    )
    .unwrap();
    let index = index.as_object().unwrap();
    let sub = index
        .iter()
        .find(|(k, _)| k.starts_with("agent:main:subagent:"))
        .unwrap();
    assert!(index.contains_key(sub.1["spawnedBy"].as_str().unwrap()));
    assert!(index
        .keys()
        .any(|k| matches(&format!("agent:main:cron:{UUID}:run:{UUID}"), k)));
}

#[test]
fn sqlite_layout_has_every_kind_and_its_totals_are_what_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let e = generate(dir.path(), &spec(Layout::Sqlite, 2, 60, 4, 3)).unwrap();
    assert!(
        e.resets > 0 && e.deleted_sessions > 0 && e.checkpoint_files == 0,
        "{e:?}"
    );
    let mut seen = Seen::default();
    let (mut packed, mut rollovers, mut reset_events) = (0, 0, 0);
    for path in session_files(dir.path()) {
        let body = zstd::decode_all(&fs::read(&path).unwrap()[..]).unwrap();
        String::from_utf8(body)
            .unwrap()
            .lines()
            .for_each(|l| seen.line(l));
    }
    for agent in ["main", "agent1"] {
        let db = Connection::open(
            dir.path()
                .join(format!("agents/{agent}/agent/openclaw-agent.sqlite")),
        )
        .unwrap();
        let mut rows = db
            .prepare("SELECT event_json, event_zstd, event_utf8_bytes FROM transcript_events ORDER BY session_id, seq")
            .unwrap();
        let mut rows = rows.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let line = match row.get::<_, Option<String>>(0).unwrap() {
                Some(line) => line,
                None => {
                    packed += 1;
                    let z: Vec<u8> = row.get(1).unwrap();
                    let n: i64 = row.get(2).unwrap();
                    let line =
                        String::from_utf8(zstd::bulk::decompress(&z, n as usize).unwrap()).unwrap();
                    assert!(!line.contains("\\u") && line.len() >= 1024);
                    line
                }
            };
            reset_events += i32::from(line.starts_with("{\"type\":\"reset\""));
            seen.line(&line);
        }
        rollovers += db
            .query_row(
                "SELECT count(*) FROM session_windows w JOIN session_windows p ON p.session_id = w.previous_session_id AND p.session_key = w.session_key WHERE w.reason = 'rollover'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
    }
    seen.check(&e);
    assert!(packed > 0);
    assert_eq!(rollovers + i64::from(reset_events), e.resets as i64);
    assert!(
        rollovers > 0 && reset_events > 0,
        "{rollovers} {reset_events}"
    );
}
