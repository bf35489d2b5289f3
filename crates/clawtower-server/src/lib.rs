//! `clawtower serve`: the runtime headless, every command of the API's list at
//! `POST /api/v1/rpc/<command>`, the runtime's events as SSE on `GET /api/v1/events`, and the
//! built UI at `/` for a browser (docs/ipc-contract.md). A thin server: the Host check, the token
//! (or session cookie) and same-origin are layers in front of every route but `GET /healthz`.
#![deny(missing_docs)]

mod events;
mod guard;
mod host;
mod rpc;
mod state;
mod token;
mod ui;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use clawtower_runtime::Runtime;

pub use host::ServeHost;
pub use token::{ApiToken, TOKEN_FILE};

use state::{AllowedHosts, ServerState};

/// How `clawtower serve` listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address and port (default 127.0.0.1:8900).
    pub bind: SocketAddr,
    /// Allows a non-loopback address (the API is then reachable from the network).
    pub allow_remote: bool,
    /// Certificate and key (PEM) to serve HTTPS with.
    pub tls: Option<TlsFiles>,
    /// Other host names browsers use to reach this server (`pi.local`); the bound address and,
    /// on loopback, `localhost` are always accepted.
    pub names: Vec<String>,
}

impl ServeOptions {
    /// The options, when they may be served: a non-loopback address needs `allow_remote`.
    /// Checked before anything starts (the runtime takes the data dir, imports, connects).
    pub fn checked(self) -> Result<ServeOptions, ServeError> {
        if !self.bind.ip().is_loopback() && !self.allow_remote {
            return Err(ServeError::RemoteNotAllowed(self.bind));
        }
        Ok(self)
    }
}

/// A certificate chain and its private key, PEM files.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The certificate chain.
    pub cert: PathBuf,
    /// The private key.
    pub key: PathBuf,
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without `--allow-remote`.
    #[error("{0} is reachable from other machines: pass --allow-remote to serve there (with --tls-cert and --tls-key), or bind 127.0.0.1")]
    RemoteNotAllowed(SocketAddr),
    /// The address could not be bound, or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The HTTP server over one runtime.
pub struct Server {
    state: ServerState,
    options: ServeOptions,
}

impl Server {
    /// A server for `runtime` (started with `host`), accepting `token`. Refuses a non-loopback
    /// address unless allowed.
    pub fn new(
        runtime: Runtime,
        host: &ServeHost,
        token: ApiToken,
        options: ServeOptions,
    ) -> Result<Server, ServeError> {
        let options = options.checked()?;
        Ok(Server {
            state: ServerState {
                runtime,
                token: Arc::new(token),
                hosts: Arc::new(AllowedHosts::new(options.bind, &options.names)),
                events: host.events(),
                tls: options.tls.is_some(),
            },
            options,
        })
    }

    /// Every route with its layers.
    pub fn router(&self) -> Router {
        let state = self.state.clone();
        let api = Router::new()
            .route("/api/v1/rpc/{command}", post(rpc::call))
            .route("/api/v1/events", get(events::stream))
            .route("/api/v1/session", post(ui::sign_in).delete(ui::sign_out))
            .route_layer(from_fn_with_state(state.clone(), guard::require_auth));
        Router::new()
            .merge(api)
            .fallback(get(ui::asset))
            .layer(from_fn_with_state(state.clone(), guard::check_host))
            // Added after the layers: no Host check, no token, no data.
            .route("/healthz", get(|| async { "ok" }))
            .with_state(state)
    }

    /// Whether a non-loopback address is served without TLS (the caller warns on each start).
    pub fn plaintext_remote(&self) -> bool {
        !self.options.bind.ip().is_loopback() && self.options.tls.is_none()
    }

    /// Binds the address (port 0: any free one); the `Host` check then names the port bound.
    pub async fn bind(mut self) -> Result<Listening, ServeError> {
        let wanted = self.options.bind;
        let io = |source| ServeError::Io {
            addr: wanted,
            source,
        };
        let listener = tokio::net::TcpListener::bind(wanted).await.map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        self.state.hosts = Arc::new(AllowedHosts::new(addr, &self.options.names));
        Ok(Listening {
            server: self,
            listener,
            addr,
        })
    }
}

/// A server bound to its address, not serving yet.
pub struct Listening {
    server: Server,
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
}

impl Listening {
    /// The address bound (with the port chosen for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let addr = self.addr;
        let io = |source| ServeError::Io { addr, source };
        let app = self.server.router();
        match &self.server.options.tls {
            None => axum::serve(self.listener, app)
                .with_graceful_shutdown(shutdown)
                .await
                .map_err(io),
            Some(files) => {
                clawtower_core::tls::install_provider();
                let config =
                    axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                        .await
                        .map_err(io)?;
                let handle = axum_server::Handle::new();
                let stopper = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    stopper.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
                });
                let listener = self.listener.into_std().map_err(io)?;
                axum_server::from_tcp_rustls(listener, config)
                    .handle(handle)
                    .serve(app.into_make_service())
                    .await
                    .map_err(io)
            }
        }
    }
}
