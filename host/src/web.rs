//! The host's HTTP surface for this stage: health, the plugin catalogue for
//! operators, and a direct eligibility call used by tests and operators to
//! exercise a plugin through the real stack.

pub mod serve;

use std::sync::Arc;

use crate::payments::PaymentsConfig;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::runtime::{Answer, Applicant, Catalog, Error as RuntimeError, Language, Text};
use tokio::sync::mpsc;

use crate::certificates::issuer::{self, IssueError, Issuer};
use crate::certificates::keys::Keyring;
use crate::certificates::log::{LOG_KEY, TransparencyLog};
use crate::certificates::pdf::Fonts;
use crate::channel::graph::{self, GraphConfig};
use crate::channel::webhook::{self, WebhookConfig};
use crate::chat::documents::DocumentLinks;
use crate::chat::engine::Engine;
use crate::chat::worker;
use crate::own_thread;
use crate::privacy::{DEV_PII_KEY, Privacy};
use crate::search::LiveSearch;
use crate::store::{Store, Writer};

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    pub catalog: Arc<Catalog>,
    pub store: Store,
    pub search: Arc<LiveSearch>,
    pub documents: DocumentLinks,
    pub issuer: Issuer,
    /// The keys that keep Aadhaar numbers out of storage.
    pub privacy: Arc<Privacy>,
    /// How fees are collected; `None` shows a fee without asking for it.
    pub payments: Option<Arc<PaymentsConfig>>,
    /// "Save to DigiLocker", offered with certificates when push is
    /// configured (its pusher is run by the caller).
    pub digilocker: Option<Arc<crate::digilocker::pusher::Pusher>>,
    /// Voice notes heard and replies spoken, where voice is served.
    pub voice: Option<Arc<crate::voice::Speech>>,
}

impl AppState {
    /// State for a loaded catalogue, with its search index built. Document
    /// links point at [`DEV_PUBLIC_URL`] until [`AppState::with_documents`];
    /// certificates are signed with keys held in memory (one per loaded
    /// department and the log's) until [`AppState::with_issuer`].
    pub fn new(catalog: Arc<Catalog>, store: Store) -> Self {
        let search = Arc::new(LiveSearch::new(catalog.clone()));
        let documents = DocumentLinks::new(DEV_PUBLIC_URL, DEV_DOCUMENT_KEY);
        let plugins = catalog.plugins();
        let departments = plugins.iter().map(|p| p.id()).chain([LOG_KEY]);
        let keys = Arc::new(Keyring::ephemeral(departments).expect("plugin ids are department ids"));
        let log = TransparencyLog::new(store.clone(), DEV_LOG_ORIGIN, keys.clone());
        let issuer = Issuer::new(log, keys, Fonts::system(), DEV_PUBLIC_URL);
        let privacy = Arc::new(Privacy::new(DEV_PII_KEY));
        Self { catalog, store, search, documents, issuer, privacy, payments: None, digilocker: None, voice: None }
    }

    /// Fees asked for and paid in the chat, confirmed by the gateway's
    /// callbacks at `/payments/callback`.
    pub fn with_payments(mut self, payments: PaymentsConfig) -> Self {
        self.payments = Some(Arc::new(payments));
        self
    }

    /// Offers "Save to DigiLocker" with every certificate sent, and takes
    /// the citizens' taps on it, for `pusher` to send.
    pub fn with_digilocker(mut self, pusher: Option<Arc<crate::digilocker::pusher::Pusher>>) -> Self {
        self.digilocker = pusher;
        self
    }

    /// Hears citizens' voice notes and speaks the replies of those who speak.
    pub fn with_voice(mut self, speech: Option<Arc<crate::voice::Speech>>) -> Self {
        self.voice = speech;
        self
    }

    /// The keys that protect personal data (a development key until set).
    pub fn with_privacy(mut self, privacy: Arc<Privacy>) -> Self {
        self.privacy = privacy;
        self
    }

    /// Where document links point and the key that signs them.
    pub fn with_documents(mut self, documents: DocumentLinks) -> Self {
        self.documents = documents;
        self
    }

    /// Who signs, logs and lays out certificates.
    pub fn with_issuer(mut self, issuer: Issuer) -> Self {
        self.issuer = issuer;
        self
    }
}

/// The transparency log's name when none is configured.
pub const DEV_LOG_ORIGIN: &str = "mitra.local/certificates";

/// The development defaults for document links.
pub const DEV_PUBLIC_URL: &str = "http://127.0.0.1:8080";
pub const DEV_DOCUMENT_KEY: &str = "DEV_DOCUMENT_KEY";

/// Connections the kernel holds for the host to accept (it caps this at
/// `net.core.somaxconn`). tokio's default of 1,024 overflowed when a burst
/// of webhooks opened hundreds of connections at once: the kernel drops a
/// SYN it has no room for and the sender retries only after a second, so
/// those messages' 200s and replies came a second late.
pub const LISTEN_BACKLOG: u32 = 4096;

/// Binds the host's listener with room for a burst of new connections
/// ([`LISTEN_BACKLOG`]).
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    // As `TcpListener::bind` does: a restarted host rebinds at once.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The whole host: the HTTP surface, the WhatsApp webhook, certificate
/// verification (keys, log, `/verify`), and the background worker (inbound → replies) and sender (outbox → Graph API).
/// Must be called inside a tokio runtime.
pub fn host(state: AppState, webhook: WebhookConfig, graph: GraphConfig) -> Router {
    // Stored messages reach the worker, and queued replies the sender, in
    // memory; the database holds both for a restart or another host.
    // One writer commits all of a moment's writes together.
    let (stored, inbox) = mpsc::unbounded_channel();
    let (queued, outbox) = mpsc::unbounded_channel();
    let writer = Writer::spawn(state.store.clone(), stored, queued);
    // The worker and the sender each fetch voice notes with a client of
    // their own: each may run in a runtime of its own, where the connections
    // it opens live.
    let voice = || state.voice.clone().map(|speech| crate::voice::Voice::new(speech, graph.clone()));
    // Turns read (sessions not in memory, a citizen's applications) beside
    // the one writer, so never wait for its commit in progress.
    let reader = state.store.reader();
    let engine = Engine::new(state.catalog.clone(), state.search.clone(), reader.clone(), state.documents.clone())
        .with_payments(state.payments.clone())
        .with_digilocker(state.digilocker.clone())
        .with_voice(voice());
    // Where the store allows it, the worker and the sender run on threads of
    // their own (`own_thread`): a batch is a task per citizen's turn and a
    // send a task per citizen, and on the shared runtime each of those
    // waited its turn behind every webhook in progress (BENCHMARKS.md, "The
    // worker and the sender on threads of their own"). Each then has one
    // core at most: at 7,000 msg/s the worker used 0.28 of one and the
    // sender 0.42. Each stops with this runtime, as a task would: the writer
    // holds their queues open.
    let own_threads = state.store.any_runtime();
    let worker = worker::run(state.store.clone(), reader, writer.clone(), engine, state.privacy.clone(), inbox);
    own_thread::spawn_for_runtime(own_threads.then_some("mitra-worker"), worker);
    let (issuer, offers) = (state.issuer.clone(), state.digilocker.clone());
    let voice = voice();
    let sender = graph::run(state.store.clone(), writer.clone(), graph, issuer, offers, voice, outbox);
    own_thread::spawn_for_runtime(own_threads.then_some("mitra-sender"), sender);
    let payments = match &state.payments {
        Some(config) => {
            if let Some(api) = &config.api {
                let reconciler = crate::payments::reconcile::Reconciler::new(
                    state.store.clone(),
                    writer.clone(),
                    api.clone(),
                    config.reconcile.clone(),
                );
                tokio::spawn(reconciler.run());
            }
            crate::payments::router(state.store.clone(), writer.clone(), config.clone())
        }
        None => Router::new(),
    };
    router(state.clone())
        .merge(payments)
        .merge(webhook::router(webhook, writer))
        .merge(crate::certificates::router(state.issuer.clone()))
        .merge(crate::telemetry::router(state.store.clone()))
}

/// The router; tests drive it with `tower::ServiceExt::oneshot`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/api/plugins", get(plugins))
        .route("/api/services", get(services))
        .route("/api/search", get(search))
        .route("/api/plugins/{plugin}/services/{service}/eligibility", post(eligibility))
        .route("/documents/{number}", get(document))
        .with_state(state)
}

/// Errors as HTTP answers: 4xx say what is wrong, 5xx stay generic and the
/// cause is logged.
#[derive(Debug)]
pub enum ApiError {
    NotFound(String),
    Unprocessable(serde_json::Value),
    Unavailable(String),
    Internal(anyhow::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, Json(json!({ "error": what }))).into_response(),
            ApiError::Unprocessable(body) => (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response(),
            ApiError::Unavailable(cause) => {
                tracing::warn!(%cause, "plugin call stopped by the sandbox");
                let body = json!({ "error": "this service is briefly unavailable" });
                (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
            }
            ApiError::Internal(cause) => {
                tracing::error!(cause = format!("{cause:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "error": "internal error" }))).into_response()
            }
        }
    }
}

impl From<RuntimeError> for ApiError {
    fn from(error: RuntimeError) -> Self {
        match error {
            RuntimeError::Plugin { plugin, error } => {
                ApiError::Unprocessable(json!({ "error": "plugin-error", "plugin": plugin, "detail": error }))
            }
            RuntimeError::NotFound { what } => ApiError::NotFound(what),
            e if e.is_sandbox_stop() || matches!(e, RuntimeError::Overloaded { .. }) => {
                ApiError::Unavailable(e.to_string())
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.ping().await.map_err(ApiError::Internal)?;
    Ok(Json(json!({ "status": "ok", "database": state.store.backend(), "plugins": state.catalog.plugins().len() })))
}

#[derive(Serialize)]
struct PluginSummary {
    id: String,
    version: String,
    sha256: String,
    services: usize,
    load_ms: u128,
    from_cache: bool,
    /// Its calls are served by instances made ahead (it is slow to
    /// instantiate, or the host makes them for every plugin).
    makes_ahead: bool,
}

async fn plugins(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let loaded: Vec<PluginSummary> = state
        .catalog
        .plugins()
        .iter()
        .map(|p| PluginSummary {
            id: p.id().to_owned(),
            version: p.manifest().version.clone(),
            sha256: p.sha256().to_owned(),
            services: p.info().services.len(),
            load_ms: p.load_stats().0.as_millis(),
            from_cache: p.load_stats().1,
            makes_ahead: p.keeps_spares(),
        })
        .collect();
    let events = state.store.plugin_events(50).await.map_err(ApiError::Internal)?;
    Ok(Json(json!({ "loaded": loaded, "refused": state.catalog.failures(), "events": events })))
}

#[derive(Deserialize)]
struct ServicesQuery {
    /// `en` (default), `te` or `hi`.
    lang: Option<String>,
}

async fn services(State(state): State<AppState>, Query(q): Query<ServicesQuery>) -> Json<serde_json::Value> {
    let lang = match q.lang.as_deref() {
        Some("te") => Language::Te,
        Some("hi") => Language::Hi,
        _ => Language::En,
    };
    let pick = |t: &Text| t.get(lang).to_owned();
    let departments: Vec<serde_json::Value> = state
        .catalog
        .plugins()
        .iter()
        .map(|p| {
            let services: Vec<_> = p
                .info()
                .services
                .iter()
                .map(|s| json!({ "id": s.id, "title": pick(&s.title), "description": pick(&s.description), "fields": s.form.len() }))
                .collect();
            json!({ "id": p.id(), "name": pick(&p.info().name), "services": services })
        })
        .collect();
    Json(json!({ "departments": departments }))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: String,
}

async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Json<serde_json::Value> {
    let hits: Vec<serde_json::Value> = state
        .search
        .search(&q.q, 10)
        .into_iter()
        .map(|hit| json!({ "plugin": hit.plugin, "service": hit.service, "score": hit.score }))
        .collect();
    Json(json!({ "query": q.q, "hits": hits }))
}

#[derive(Deserialize)]
struct EligibilityRequest {
    applicant: Applicant,
    answers: Vec<Answer>,
}

async fn eligibility(
    State(state): State<AppState>,
    Path((plugin_id, service)): Path<(String, String)>,
    Json(body): Json<EligibilityRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let plugin = state.catalog.get(&plugin_id).ok_or_else(|| ApiError::NotFound(format!("plugin {plugin_id}")))?;
    if !plugin.info().services.iter().any(|s| s.id == service) {
        return Err(ApiError::NotFound(format!("service {plugin_id}/{service}")));
    }
    // Plugin calls are synchronous wasm: keep them off the async workers.
    let decision =
        tokio::task::spawn_blocking(move || plugin.check_eligibility(&service, &body.applicant, &body.answers))
            .await
            .map_err(|e| ApiError::Internal(e.into()))??;
    Ok(Json(json!({ "decision": decision })))
}

#[derive(Deserialize)]
struct DocumentQuery {
    key: Option<String>,
}

/// An issued document, for whoever holds the link the chat gave.
async fn document(
    State(state): State<AppState>,
    Path(number): Path<String>,
    Query(q): Query<DocumentQuery>,
) -> Result<Response, ApiError> {
    // A wrong key and an unknown number look the same: nothing to probe.
    let missing = || ApiError::NotFound(format!("document {number}"));
    if !q.key.as_deref().is_some_and(|key| state.documents.verify(&number, key)) {
        return Err(missing());
    }
    let application = state.store.application(&number).await.map_err(ApiError::Internal)?.ok_or_else(missing)?;
    let private = (axum::http::header::CACHE_CONTROL, "private, no-store".to_owned());
    if issuer::stored_document(&application).is_some() {
        let prepared = state.issuer.prepare(&number).await.map_err(|e| match e {
            IssueError::Missing(_) => missing(),
            IssueError::Host(e) => ApiError::Internal(e),
        })?;
        let headers = [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"{}\"", prepared.filename)),
            private,
        ];
        return Ok((headers, prepared.pdf).into_response());
    }
    // Issued before certificates were signed: its text rendition.
    let text = application.document.ok_or_else(missing)?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
        (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"{number}.txt\"")),
        private,
    ];
    Ok((headers, text).into_response())
}
