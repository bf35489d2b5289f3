//! [`Runtime::start`]: the one place that starts everything that runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clawtower_core::{DataDir, EngineError, Result};
use clawtower_engine::Engine;
use clawtower_gateway::DeviceIdentity;
use clawtower_gateway::DEVICE_FILE;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::PassCallback;
use clawtower_openclaw::{locate, OpenClawEnv};
use clawtower_store::model_calls;
use clawtower_store::Store;
use tokio::runtime::Handle;

use crate::budgets::BudgetControl;
use crate::gateways::{GatewaySource, Gateways, GatewaysSetup};
use crate::host::{ChangedSessions, Event, Host};
use crate::router::RouterService;
use crate::search_index::index_messages;
use crate::tasks::Tasks;
use clawtower_sessions::timeline::TimelineCache;

/// Where the runtime works.
#[derive(Debug, Clone)]
pub struct RuntimeOptions {
    /// Clawtower's data directory (created, owner-only, when missing).
    pub data_dir: DataDir,
    /// OpenClaw's state dir or a home holding `.openclaw`; `None`: where OpenClaw itself looks.
    pub openclaw_home: Option<PathBuf>,
    /// The gateways to follow.
    pub gateways: GatewaySource,
    /// Whether to import and follow the OpenClaw install's transcripts (the desktop app and
    /// `serve` do; `clawtower gateway follow --gateway-only` stores only what gateways announce).
    pub transcripts: bool,
    /// The async runtime every task runs on.
    pub tokio: Handle,
}

/// Everything that runs, started once per process by its host. Cheap to clone (a handle); the
/// work stops when the last clone is dropped.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

/// Fields drop in this order: the tasks are told to stop first, the data dir lock goes last.
struct Shared {
    _tasks: Tasks,
    engine: Engine,
    openclaw_home: Option<PathBuf>,
    state_dir: Option<PathBuf>,
    host: Arc<dyn Host>,
    budgets: Arc<BudgetControl>,
    gateways: Arc<Gateways>,
    router: RouterService,
    timelines: TimelineCache,
    tokio: Handle,
    _lock: std::fs::File,
}

impl Runtime {
    /// Opens the data dir and its ledger, then starts the ledger watcher over the OpenClaw
    /// install (when there is one), the spend feed, the budget loop and one feed per gateway.
    /// Fails when the data dir or the ledger cannot be opened, or when another runtime (the
    /// desktop app, `clawtower serve`, `clawtower gateway follow`) already runs on the data dir:
    /// two would each pause, alert and notify once per crossing.
    pub fn start(options: RuntimeOptions, host: Arc<dyn Host>) -> Result<Runtime> {
        let engine = Engine::open(options.data_dir)?;
        let lock = lock_data_dir(engine.data_dir())?;
        let tasks = Tasks::new(options.tokio.clone());
        let state_dir = locate(
            &OpenClawEnv::from_process(),
            options.openclaw_home.as_deref(),
        )
        .map(|l| l.state_dir)
        .filter(|dir| dir.is_dir());
        if options.transcripts {
            follow_transcripts(&engine, state_dir.as_deref(), &host);
            if let Some(dir) = &state_dir {
                index_messages(engine.store().clone(), dir.clone(), &tasks);
            }
        }
        forward_spend(&engine, &host, &tasks);
        forward_calls(&engine, &host, &tasks);
        let identity = identity(&engine);
        let budgets = BudgetControl::start(
            engine.store().clone(),
            host.clone(),
            identity.clone(),
            engine.subscribe_spend(),
            &tasks,
        );
        let book = price_book(state_dir.as_deref(), engine.data_dir());
        let router = RouterService::start(
            engine.data_dir(),
            engine.store().clone(),
            book.clone(),
            &host,
            &tasks,
            &options.tokio,
        );
        let gateways = {
            // Entered: the feeds start while the list is first read.
            let _entered = options.tokio.enter();
            Gateways::start(
                engine.store().clone(),
                GatewaysSetup {
                    source: options.gateways,
                    openclaw_home: options.openclaw_home.clone(),
                    host: host.clone(),
                    identity,
                    book: book.clone(),
                    control: budgets.clone(),
                    tokio: options.tokio.clone(),
                },
            )
        };
        if gateways.rereads() {
            let gateways = gateways.clone();
            tasks.spawn(async move {
                loop {
                    tokio::time::sleep(RECHECK_LOCAL).await;
                    let gateways = gateways.clone();
                    let synced = tokio::task::spawn_blocking(move || gateways.sync()).await;
                    if let Ok(Err(err)) = synced {
                        tracing::warn!(%err, "could not re-read the gateway list");
                    }
                }
            });
        }
        Ok(Runtime {
            shared: Arc::new(Shared {
                _tasks: tasks,
                engine,
                openclaw_home: options.openclaw_home,
                state_dir,
                host,
                budgets,
                gateways,
                router,
                timelines: TimelineCache::new(),
                tokio: options.tokio,
                _lock: lock,
            }),
        })
    }

    /// The engine: the data dir, the ledger store and its queries.
    pub fn engine(&self) -> &Engine {
        &self.shared.engine
    }

    /// The OpenClaw state dir or home given at start (`None`: where OpenClaw itself looks).
    pub fn openclaw_home(&self) -> Option<&std::path::Path> {
        self.shared.openclaw_home.as_deref()
    }

    /// The OpenClaw state dir the transcripts are read from (`None`: no OpenClaw install found).
    pub fn state_dir(&self) -> Option<&std::path::Path> {
        self.shared.state_dir.as_deref()
    }

    /// The ledger store.
    pub fn store(&self) -> &Arc<Store> {
        self.shared.engine.store()
    }

    /// The host this runtime runs in.
    pub fn host(&self) -> &dyn Host {
        self.shared.host.as_ref()
    }

    /// The budget loop's controls (nudge, pause, resume).
    pub fn budgets(&self) -> &BudgetControl {
        &self.shared.budgets
    }

    /// The followed gateways.
    pub fn gateways(&self) -> &Gateways {
        &self.shared.gateways
    }

    /// The last session timeline a window read, kept so a growing session is read again from
    /// where it was.
    pub fn timelines(&self) -> &TimelineCache {
        &self.shared.timelines
    }

    /// The model router (running when `<data dir>/router.toml` exists).
    pub fn router(&self) -> &RouterService {
        &self.shared.router
    }

    /// Runs blocking work (SQLite, files, a blocking HTTP client) off the async threads, with a
    /// handle to this runtime. `None` when the work panicked.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Runtime) -> T + Send + 'static,
    ) -> Option<T> {
        let this = self.clone();
        self.shared
            .tokio
            .spawn_blocking(move || work(&this))
            .await
            .ok()
    }
}

/// The file a running runtime holds locked (with its pid inside, to name it).
const LOCK_FILE: &str = "runtime.lock";

/// Takes the data dir for this runtime: an exclusive lock the OS releases when the process
/// ends, however it ends.
fn lock_data_dir(data_dir: &DataDir) -> Result<std::fs::File> {
    use std::io::{Read, Seek, Write};
    let path = data_dir.root().join(LOCK_FILE);
    let io = |e| EngineError::io(format!("locking {}", path.display()), e);
    let mut file = clawtower_core::paths::owner_only()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0).map_err(io)?;
            file.rewind().map_err(io)?;
            write!(file, "{}", std::process::id()).map_err(io)?;
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            Err(EngineError::io(
                format!(
                    "another Clawtower (pid {}: the desktop app, `clawtower serve` or `clawtower gateway follow`) already runs on {}",
                    pid.trim(),
                    data_dir.root().display()
                ),
                std::io::Error::new(
                    std::io::ErrorKind::WouldBlock,
                    "stop it first, or give this one another data dir (--data-dir or CLAWTOWER_DATA_DIR)",
                ),
            ))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// How often openclaw.json is read again for the local gateway's address and credentials.
const RECHECK_LOCAL: Duration = Duration::from_secs(15);

/// This install's device identity (created once, 0600), or `None` (logged): no gateway is
/// followed or controlled then.
fn identity(engine: &Engine) -> Option<DeviceIdentity> {
    match DeviceIdentity::load_or_create(&engine.data_dir().root().join(DEVICE_FILE)) {
        Ok(identity) => Some(identity),
        Err(err) => {
            tracing::error!(%err, "no device identity; not connecting to any gateway");
            None
        }
    }
}

/// Imports and then follows the OpenClaw state dir, if there is one.
fn follow_transcripts(engine: &Engine, state_dir: Option<&std::path::Path>, host: &Arc<dyn Host>) {
    let Some(state_dir) = state_dir else {
        tracing::info!("no OpenClaw state dir yet; no transcripts to follow");
        return;
    };
    let host = host.clone();
    let on_pass: PassCallback = Box::new(move |pass| match pass {
        Ok(report) => {
            for (source, why) in &report.unreadable {
                tracing::warn!(%source, %why, "transcript source not readable now; retrying");
            }
            if !report.sessions_changed.is_empty() {
                let keys = report.sessions_changed.into_iter();
                host.emit(&Event::SessionsChanged(ChangedSessions::of(keys)));
            }
        }
        Err(err) => tracing::error!(%err, "ledger import failed"),
    });
    if let Err(err) = engine.follow_openclaw(state_dir, on_pass) {
        tracing::error!(%err, "cannot follow OpenClaw");
    }
}

/// Spend so far, to the host whenever the ledger changes (and once at start).
fn forward_spend(engine: &Engine, host: &Arc<dyn Host>, tasks: &Tasks) {
    let mut feed = engine.subscribe_spend();
    let host = host.clone();
    tasks.spawn(async move {
        loop {
            let summary = feed.borrow_and_update().clone();
            host.emit(&Event::SpendUpdated(summary));
            if feed.changed().await.is_err() {
                return;
            }
        }
    });
}

/// Every call stored since the runtime started, told to the host once, in the order stored —
/// whichever source stored it first (a gateway's live feed or the transcript watcher: they race,
/// and the loser's copy is not new). Calls older than the start (the first import of an
/// install, a backfill of what happened while Clawtower was closed) are not told.
fn forward_calls(engine: &Engine, host: &Arc<dyn Host>, tasks: &Tasks) {
    let store = engine.store().clone();
    let mut feed = engine.subscribe_spend();
    let host = host.clone();
    let started_ms = clawtower_core::period::now_ms();
    let mut told = match store.read(|c| model_calls::last_rowid(c)) {
        Ok(rowid) => rowid,
        Err(err) => {
            tracing::error!(%err, "cannot read the ledger; stored calls will not be told");
            return;
        }
    };
    tasks.spawn(async move {
        loop {
            // The spend feed notices every ledger change; the tick covers a change it coalesced.
            tokio::select! {
                changed = feed.changed() => if changed.is_err() { return },
                () = tokio::time::sleep(TELL_CALLS_TICK) => {}
            }
            match store.read(|c| model_calls::inserted_after(c, told)) {
                Ok(calls) => {
                    for (rowid, call) in calls {
                        told = rowid;
                        if call.ts_ms >= started_ms {
                            host.call_stored(&call);
                        }
                    }
                }
                Err(err) => tracing::warn!(%err, "cannot read the calls just stored"),
            }
        }
    });
}

/// How often stored calls are looked for when the spend feed said nothing.
const TELL_CALLS_TICK: Duration = Duration::from_secs(1);

/// Prices for gateway calls: bundled, the install's openclaw.json, the user's overrides.
fn price_book(state_dir: Option<&std::path::Path>, data_dir: &DataDir) -> PriceBook {
    let (book, warnings) = PriceBook::for_install(state_dir, data_dir);
    warnings.iter().for_each(|w| tracing::warn!("{w}"));
    book
}
