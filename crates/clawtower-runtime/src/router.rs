//! The model router inside the runtime: started with it when `<data dir>/router.toml` exists,
//! on the address the file names, metering into the runtime's ledger and gated by its budgets.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clawtower_control::BudgetGate;
use clawtower_core::period::{now_local, now_ms};
use clawtower_core::DataDir;
use clawtower_ledger::pricing::PriceBook;
use clawtower_router::meter::Meter;
use clawtower_router::status::{RouterRunState, RouterStatus};
use clawtower_router::{app, Config, RouterState};
use clawtower_store::Store;
use tokio::runtime::Handle;

use crate::host::{Event, Host};
use crate::tasks::Tasks;

/// The router's configuration file in the data dir.
pub const ROUTER_CONFIG: &str = "router.toml";

/// The router as the runtime runs it.
pub struct RouterService {
    config_path: PathBuf,
    run: Run,
}

enum Run {
    Off,
    Running {
        addr: SocketAddr,
        state: Arc<RouterState>,
    },
    Failed(String),
}

impl RouterService {
    /// Starts the router when its config exists (a config that cannot be used, or an address
    /// in use, is reported by [`RouterService::status`], and the rest of the runtime runs on).
    pub(crate) fn start(
        data_dir: &DataDir,
        store: Arc<Store>,
        book: PriceBook,
        host: &Arc<dyn Host>,
        tasks: &Tasks,
        tokio: &Handle,
    ) -> RouterService {
        let config_path = data_dir.root().join(ROUTER_CONFIG);
        let run = if config_path.exists() {
            match serve(&config_path, store, book, tasks, tokio) {
                Ok((addr, state)) => {
                    tracing::info!(%addr, "model router listening");
                    forward_activity(&state, host, tasks);
                    Run::Running { addr, state }
                }
                Err(error) => {
                    tracing::warn!(%error, "the model router did not start");
                    Run::Failed(error)
                }
            }
        } else {
            Run::Off
        };
        RouterService { config_path, run }
    }

    /// Its address as a base URL (`http://127.0.0.1:8090`) while it runs.
    pub fn base_url(&self) -> Option<String> {
        match &self.run {
            Run::Running { addr, .. } => Some(format!("http://{addr}")),
            _ => None,
        }
    }

    /// Reads its configuration again — provider keys included (environment, key files, the OS
    /// keyring) — and runs with it from the next call. It blocks (the keyring may be slow). A
    /// new listening address needs a restart of Clawtower.
    pub fn reload(&self) -> Result<(), String> {
        let Run::Running { state, .. } = &self.run else {
            return Err(
                "the router is not running, so it cannot read its configuration again; \
                        start Clawtower again once router.toml is right"
                    .into(),
            );
        };
        let config = Config::load(&self.config_path).map_err(|e| e.to_string())?;
        state.replace_config(config);
        Ok(())
    }

    /// Where it stands.
    pub fn status(&self) -> RouterStatus {
        let path = self.config_path.display().to_string();
        match &self.run {
            Run::Off => RouterStatus::stopped(RouterRunState::Off, path, None),
            Run::Failed(error) => {
                RouterStatus::stopped(RouterRunState::Failed, path, Some(error.clone()))
            }
            Run::Running { addr, state } => {
                RouterStatus::running(path, format!("http://{addr}/v1"), state, now_ms())
            }
        }
    }
}

/// How often at most the host hears that the request log changed (the router may store
/// thousands of calls a second; the page reads its log again at most this often).
const ACTIVITY_EVERY: Duration = Duration::from_secs(1);

/// Tells the host each time the router stored calls or refusals, at most once per
/// [`ACTIVITY_EVERY`] (what came in the meantime is told with the next).
fn forward_activity(state: &RouterState, host: &Arc<dyn Host>, tasks: &Tasks) {
    let mut stored = state.meter().stored();
    let host = host.clone();
    tasks.spawn(async move {
        while stored.changed().await.is_ok() {
            stored.borrow_and_update();
            host.emit(&Event::RouterActivityChanged);
            tokio::time::sleep(ACTIVITY_EVERY).await;
        }
    });
}

fn serve(
    path: &std::path::Path,
    store: Arc<Store>,
    book: PriceBook,
    tasks: &Tasks,
    tokio: &Handle,
) -> Result<(SocketAddr, Arc<RouterState>), String> {
    let config = Config::load(path).map_err(|e| e.to_string())?;
    let listen = config.settings.listen;
    if !listen.ip().is_loopback() {
        return Err(format!(
            "router.listen {listen} is not a loopback address; inside the app the router only \
             listens on this machine (run `clawtower router --allow-remote` for more)"
        ));
    }
    let listener = std::net::TcpListener::bind(listen)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let listener = {
        let _entered = tokio.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?
    };
    let gate = Arc::new(BudgetGate::new(store.clone(), now_local));
    let meter = Meter::start(store.clone(), book.clone());
    let state = Arc::new(RouterState::new(config, store, meter, book).with_gate(gate));
    let router = app(state.clone());
    tasks.spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(error = %e, "the model router stopped");
        }
    });
    Ok((addr, state))
}
