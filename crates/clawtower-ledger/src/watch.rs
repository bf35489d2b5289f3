//! Follows an OpenClaw state dir: an incremental ingest pass whenever a transcript (file or agent
//! database) changes, plus a periodic rescan in case the OS drops an event.
//!
//! Only the directories that hold transcripts and agent databases are watched, each on its own
//! (`agents/`, `agents/<id>/`, `agents/<id>/sessions/`, `agents/<id>/agent/`), never the state dir
//! recursively: an agent's workspace with its repositories and `node_modules` would use up the
//! inotify watches. A directory that cannot be watched is skipped and reported with the pass; the
//! periodic rescan reads it regardless.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::ingest::{ingest_state_dir, IngestReport};
use super::pricing::PriceBook;
use super::unwatched;
use clawtower_core::error::{EngineError, Result};
use clawtower_store::Store;

/// Changes arriving within this window are handled by one pass.
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// A full pass at least this often, even without file events.
pub const RESCAN_INTERVAL: Duration = Duration::from_secs(30);

enum Message {
    Changed,
    Stop,
}

/// Receives the outcome of every pass.
pub type PassCallback = Box<dyn FnMut(Result<IngestReport>) + Send>;

/// A running follower; stops (and joins its thread) when dropped.
pub struct LedgerWatcher {
    tx: mpsc::Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

impl LedgerWatcher {
    /// Starts following `state_dir`: one pass now, then one after every change, and one at
    /// least every [`RESCAN_INTERVAL`]. When the OS gives no file events at all (the inotify
    /// instance limit), it says so with every pass and the rescan still runs.
    pub fn start(
        store: Arc<Store>,
        state_dir: PathBuf,
        book: PriceBook,
        on_pass: PassCallback,
    ) -> Result<Self> {
        Self::start_with(
            store,
            state_dir,
            book,
            on_pass,
            RESCAN_INTERVAL,
            notify::recommended_watcher,
        )
    }

    /// [`LedgerWatcher::start`] with the rescan interval and the OS watcher given.
    fn start_with<W: Watcher + Send + 'static>(
        store: Arc<Store>,
        state_dir: PathBuf,
        book: PriceBook,
        mut on_pass: PassCallback,
        rescan: Duration,
        make_watcher: impl FnOnce(EventHandler) -> notify::Result<W>,
    ) -> Result<Self> {
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        let agents = state_dir.join("agents");
        let handler: EventHandler = Box::new(move |event: notify::Result<notify::Event>| {
            let relevant = match &event {
                // Only content changes: our own reads raise access and metadata (atime)
                // events, which must not trigger another pass, or passes would feed
                // themselves forever.
                Ok(event) => {
                    is_content_change(&event.kind)
                        && event.paths.iter().any(|p| p.starts_with(&agents))
                }
                Err(_) => true, // an overflow or error: rescan to be safe
            };
            if relevant {
                let _ = events.send(Message::Changed);
            }
        });
        let mut watches = match make_watcher(handler) {
            Ok(watcher) => Watches {
                watcher: Ok(watcher),
                watched: HashMap::new(),
            },
            Err(e) => {
                let why = format!(
                    "no file events ({e}); transcripts are read every {} s instead",
                    rescan.as_secs()
                );
                tracing::warn!(dir = %state_dir.display(), why, "not watched");
                Watches {
                    watcher: Err(why),
                    watched: HashMap::new(),
                }
            }
        };
        let thread = std::thread::Builder::new()
            .name("ledger-watch".into())
            .spawn(move || {
                let mut recorded = None;
                let mut pass = || {
                    // New agents (and their dirs) are watched as they appear.
                    let problems = watches.refresh(&state_dir);
                    if recorded.as_ref() != Some(&problems) {
                        recorded = record_unwatched(&store, &problems).then(|| problems.clone());
                    }
                    let mut outcome = ingest_state_dir(&store, &state_dir, &book, &mut |_| {});
                    if let Ok(report) = &mut outcome {
                        report.unreadable.extend(problems);
                    }
                    on_pass(outcome)
                };
                pass();
                let mut last_pass = Instant::now();
                loop {
                    let wait = rescan.saturating_sub(last_pass.elapsed());
                    match rx.recv_timeout(wait) {
                        Ok(Message::Changed) => {
                            // Let a burst of writes settle, then read it all in one pass.
                            let until = Instant::now() + DEBOUNCE;
                            while let Ok(msg) =
                                rx.recv_timeout(until.saturating_duration_since(Instant::now()))
                            {
                                if matches!(msg, Message::Stop) {
                                    return;
                                }
                            }
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    }
                    pass();
                    last_pass = Instant::now();
                }
            })
            .map_err(|e| EngineError::io("starting the ledger watcher", e))?;
        Ok(LedgerWatcher {
            tx,
            thread: Some(thread),
        })
    }
}

/// Keeps what could not be watched in the store for `doctor`; whether it was kept.
fn record_unwatched(store: &Store, problems: &[(String, String)]) -> bool {
    let dirs: Vec<(String, String)> = problems
        .iter()
        .map(|(source, why)| {
            (
                source.trim_start_matches(WATCH_SOURCE).to_string(),
                why.clone(),
            )
        })
        .collect();
    let now = clawtower_core::period::now_ms();
    match store.with_conn(|c| unwatched::record(c, &dirs, now)) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(%e, "cannot keep the list of unwatched directories for doctor");
            false
        }
    }
}

/// What the source of a directory that cannot be watched starts with (`watch:<dir>`).
const WATCH_SOURCE: &str = "watch:";

/// What the OS watcher calls with each file event.
type EventHandler = Box<dyn FnMut(notify::Result<notify::Event>) + Send>;

/// The directories being watched, each with the identity (inode) it had when its watch was
/// added: a directory removed and made again is a new one, watched again.
struct Watches<W> {
    /// The OS watcher, or why there is none.
    watcher: std::result::Result<W, String>,
    watched: HashMap<PathBuf, u64>,
}

impl<W: Watcher> Watches<W> {
    /// Watches every transcript directory not watched yet (each on its own, not recursively),
    /// forgets the ones that are gone; returns what could not be watched, with why
    /// (`watch:<dir>` → reason).
    fn refresh(&mut self, state_dir: &Path) -> Vec<(String, String)> {
        let watcher = match &mut self.watcher {
            Ok(watcher) => watcher,
            Err(why) => {
                return vec![(
                    format!("{WATCH_SOURCE}{}", state_dir.display()),
                    why.clone(),
                )]
            }
        };
        let mut problems = Vec::new();
        let dirs = transcript_dirs(state_dir);
        // Gone, or made again since: its watch went with it.
        self.watched.retain(|dir, identity| {
            let same = dirs.contains(dir) && dir_identity(dir) == Some(*identity);
            if !same {
                let _ = watcher.unwatch(dir);
            }
            same
        });
        for dir in dirs {
            let Some(identity) = dir_identity(&dir) else {
                continue; // not there (yet)
            };
            if self.watched.contains_key(&dir) {
                continue;
            }
            match watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.watched.insert(dir, identity);
                }
                // Removed mid-walk, no permission, the inotify watch limit: read by the rescan.
                Err(e) => {
                    tracing::warn!(dir = %dir.display(), %e, "not watched; the periodic rescan reads it");
                    problems.push((format!("{WATCH_SOURCE}{}", dir.display()), e.to_string()));
                }
            }
        }
        problems
    }
}

/// A directory's identity (its inode on Unix), `None` when it is not a directory.
fn dir_identity(dir: &Path) -> Option<u64> {
    let meta = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(0)
    }
}

/// The directories whose changes can change the ledger: the state dir (until `agents/` exists),
/// `agents/`, and each agent's own dir, `sessions/` and `agent/`.
fn transcript_dirs(state_dir: &Path) -> Vec<PathBuf> {
    let agents = state_dir.join("agents");
    let mut dirs = vec![state_dir.to_path_buf(), agents.clone()];
    if let Ok(entries) = std::fs::read_dir(&agents) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let agent = entry.path();
                dirs.push(agent.join("sessions"));
                dirs.push(agent.join("agent"));
                dirs.push(agent);
            }
        }
    }
    dirs
}

/// Created, written, renamed or removed: what can change a transcript's content.
fn is_content_change(kind: &notify::EventKind) -> bool {
    use notify::event::ModifyKind;
    use notify::EventKind;
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Any
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
    )
}

impl Drop for LedgerWatcher {
    fn drop(&mut self) {
        let _ = self.tx.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Mutex;

    #[test]
    fn reading_transcripts_does_not_trigger_more_passes() {
        let tmp = tempfile::tempdir().unwrap();
        let sessions = tmp.path().join("state/agents/main/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(
            sessions.join("s1.jsonl"),
            "{\"type\":\"session\",\"id\":\"s1\"}\n",
        )
        .unwrap();
        let store = Arc::new(Store::open(&tmp.path().join("ledger.sqlite")).unwrap());
        let passes = Arc::new(Mutex::new(0u32));
        let counted = passes.clone();
        let watcher = LedgerWatcher::start(
            store,
            tmp.path().join("state"),
            PriceBook::bundled(),
            Box::new(move |_| *counted.lock().unwrap() += 1),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(600));
        drop(watcher);
        assert_eq!(
            *passes.lock().unwrap(),
            1,
            "only the initial pass: nothing changed"
        );
    }

    #[test]
    fn only_transcript_dirs_are_watched_and_new_agents_are_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path().join("state");
        std::fs::create_dir_all(state.join("workspace/repo/node_modules/x")).unwrap();
        std::fs::create_dir_all(state.join("agents/main/sessions")).unwrap();
        let dirs = transcript_dirs(&state);
        assert!(dirs.iter().all(|d| !d.starts_with(state.join("workspace"))));
        assert!(dirs.contains(&state.join("agents/main/sessions")));

        let store = Arc::new(Store::open(&tmp.path().join("ledger.sqlite")).unwrap());
        let calls = Arc::new(Mutex::new(0u64));
        let seen = calls.clone();
        let watcher = LedgerWatcher::start(
            store,
            state.clone(),
            PriceBook::bundled(),
            Box::new(move |report| *seen.lock().unwrap() += report.unwrap().new_calls),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(200));
        // Writes in the workspace wake nothing; a new agent's transcript is ingested.
        std::fs::write(state.join("workspace/repo/node_modules/x/a.js"), "x").unwrap();
        let sessions = state.join("agents/research/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(
            sessions.join("s1.jsonl"),
            r#"{"type":"message","id":"m1","message":{"role":"assistant","provider":"stub","model":"m","usage":{"input":1,"output":1,"cost":{"total":0.5}}}}"#.to_owned() + "\n",
        )
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while *calls.lock().unwrap() == 0 {
            assert!(
                Instant::now() < deadline,
                "the new agent's call was not ingested"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(watcher);
    }

    #[test]
    fn an_appended_call_is_ingested_without_a_rescan() {
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path().join("state");
        let sessions = state.join("agents/main/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        let transcript = sessions.join("s1.jsonl");
        std::fs::write(&transcript, "{\"type\":\"session\",\"id\":\"s1\"}\n").unwrap();
        let store = Arc::new(Store::open(&tmp.path().join("ledger.sqlite")).unwrap());
        let calls = Arc::new(Mutex::new(0u64));
        let seen = calls.clone();
        let watcher = LedgerWatcher::start(
            store.clone(),
            state.clone(),
            PriceBook::bundled(),
            Box::new(move |report| *seen.lock().unwrap() += report.unwrap().new_calls),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(200)); // the first pass
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&transcript)
            .unwrap();
        writeln!(file, r#"{{"type":"message","id":"m1","message":{{"role":"assistant","provider":"stub","model":"m","usage":{{"input":1,"output":1,"cost":{{"total":0.5}}}}}}}}"#).unwrap();
        drop(file);
        let deadline = Instant::now() + Duration::from_secs(10);
        while *calls.lock().unwrap() == 0 {
            assert!(
                Instant::now() < deadline,
                "the appended call was not ingested within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(watcher);
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    const CALL: &str = r#"{"type":"message","id":"m1","message":{"role":"assistant","provider":"stub","model":"m","usage":{"input":1,"output":1,"cost":{"total":0.5}}}}"#;

    /// Waits up to 10 s for `calls` to reach `n`.
    fn wait_for_calls(calls: &Mutex<u64>, n: u64, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while *calls.lock().unwrap() < n {
            assert!(Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn without_file_events_the_rescan_still_runs_and_says_why() {
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path().join("state");
        let sessions = state.join("agents/main/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        let store = Arc::new(Store::open(&tmp.path().join("ledger.sqlite")).unwrap());
        let (calls, problems) = (Arc::new(Mutex::new(0u64)), Arc::new(Mutex::new(Vec::new())));
        let (seen, said) = (calls.clone(), problems.clone());
        let watcher = LedgerWatcher::start_with::<notify::RecommendedWatcher>(
            store.clone(),
            state.clone(),
            PriceBook::bundled(),
            Box::new(move |report| {
                let report = report.unwrap();
                *seen.lock().unwrap() += report.new_calls;
                said.lock().unwrap().extend(report.unreadable);
            }),
            Duration::from_millis(300),
            |_| Err(notify::Error::generic("inotify instance limit reached")),
        )
        .unwrap();
        std::fs::write(sessions.join("s1.jsonl"), format!("{CALL}\n")).unwrap();
        wait_for_calls(&calls, 1, "the rescan did not read the new transcript");
        drop(watcher);
        let problems = problems.lock().unwrap();
        let (source, why) = &problems[0];
        assert_eq!(source, &format!("watch:{}", state.display()));
        assert!(
            why.contains("inotify instance limit reached") && why.contains("every 0 s"),
            "{why}"
        );
        // Kept for doctor, which runs in another process.
        let kept = store.read(|c| unwatched::read(c)).unwrap();
        assert_eq!(kept.dirs, vec![(state.display().to_string(), why.clone())]);
    }

    #[test]
    fn a_sessions_dir_removed_and_made_again_is_watched_again() {
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path().join("state");
        let sessions = state.join("agents/main/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        let store = Arc::new(Store::open(&tmp.path().join("ledger.sqlite")).unwrap());
        let calls = Arc::new(Mutex::new(0u64));
        let seen = calls.clone();
        // No rescan during the test: only file events can bring the call in.
        let watcher = LedgerWatcher::start_with(
            store,
            state.clone(),
            PriceBook::bundled(),
            Box::new(move |report| *seen.lock().unwrap() += report.unwrap().new_calls),
            Duration::from_secs(3600),
            notify::recommended_watcher,
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        std::fs::remove_dir_all(&sessions).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        std::fs::create_dir_all(&sessions).unwrap();
        // The pass the new dir wakes is over before the transcript comes.
        std::thread::sleep(Duration::from_millis(500));
        std::fs::write(sessions.join("s1.jsonl"), format!("{CALL}\n")).unwrap();
        wait_for_calls(&calls, 1, "a write in the new sessions dir woke no pass");
        drop(watcher);
    }
}
