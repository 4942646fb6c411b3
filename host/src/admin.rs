//! The operators' API under `/admin`: install signed packages, activate a
//! version (for everyone or a share of citizens), roll back, list, and read
//! the audit log. Every request carries `Authorization: Bearer <JWT>`
//! (HS256, signed with the admin secret, `sub` naming the operator); every
//! action, refused ones included, is audited under that name.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::console::auth::{self, Auth, Operator, Role};
use crate::registry::package::MAX_PACKAGE;
use crate::registry::{InstallError, Registry, RegistryError};
use crate::store::{AuditEntry, Revoke, Store};

/// Issues an admin token for `operator`, valid for `valid_for` (other roles:
/// [`auth::token`]).
pub fn token(secret: &str, operator: &str, valid_for: Duration) -> anyhow::Result<String> {
    auth::token(secret, &Operator::admin(operator), valid_for)
}

#[derive(Clone)]
struct AdminState {
    registry: Arc<Registry>,
    store: Store,
    auth: Auth,
}

impl FromRef<AdminState> for Auth {
    fn from_ref(state: &AdminState) -> Auth {
        state.auth.clone()
    }
}

/// `/admin/*`, authenticated with tokens signed by `secret`.
pub fn router(registry: Arc<Registry>, store: Store, secret: &str) -> Router {
    let state = AdminState { registry, auth: Auth::new(secret, store.clone()), store };
    Router::new()
        .route("/admin/plugins", get(list).post(install).layer(DefaultBodyLimit::max(MAX_PACKAGE)))
        .route("/admin/plugins/{plugin}/activate", post(activate))
        .route("/admin/plugins/{plugin}/rollback", post(rollback))
        .route("/admin/audit", get(audit))
        .route("/admin/certificates/{serial}/revoke", post(revoke))
        .with_state(state)
}

/// An operator with the admin role; anyone else is refused with 403.
struct Admin(String);

impl FromRequestParts<AdminState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AdminState) -> Result<Self, Self::Rejection> {
        let operator = Operator::from_request_parts(parts, state).await?;
        if operator.role != Role::Admin {
            let action = format!("{} {}", parts.method, parts.uri.path());
            return Err(state.auth.forbidden(&operator, &action, "only an admin may do this").await);
        }
        Ok(Admin(operator.name))
    }
}

/// Registry errors as HTTP answers: refusals say why; host failures stay generic.
struct AdminError(RegistryError);

impl From<RegistryError> for AdminError {
    fn from(e: RegistryError) -> Self {
        AdminError(e)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let status = match &self.0 {
            RegistryError::Install(InstallError::Host(_)) | RegistryError::Host(_) => {
                tracing::error!(cause = format!("{:#}", self.0), "admin request failed");
                let body = json!({ "error": "internal error", "kind": "host" });
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
            }
            RegistryError::Install(_) => StatusCode::UNPROCESSABLE_ENTITY,
            RegistryError::NotFound(_) => StatusCode::NOT_FOUND,
            RegistryError::Conflict(_) => StatusCode::CONFLICT,
            RegistryError::Invalid(_) => StatusCode::BAD_REQUEST,
        };
        (status, Json(json!({ "error": self.0.to_string(), "kind": self.0.kind() }))).into_response()
    }
}

async fn list(State(state): State<AdminState>, _: Operator) -> Result<Response, AdminError> {
    Ok(Json(state.registry.list().await?).into_response())
}

async fn install(State(state): State<AdminState>, Admin(who): Admin, body: Bytes) -> Result<Response, AdminError> {
    let version = state.registry.install(body.to_vec(), &who).await?;
    Ok((StatusCode::CREATED, Json(version)).into_response())
}

#[derive(Deserialize)]
struct Activation {
    version: String,
    #[serde(default = "everyone")]
    percent: u8,
}

fn everyone() -> u8 {
    100
}

async fn activate(
    State(state): State<AdminState>,
    Admin(who): Admin,
    Path(plugin): Path<String>,
    Json(body): Json<Activation>,
) -> Result<Response, AdminError> {
    Ok(Json(state.registry.activate(&plugin, &body.version, body.percent, &who).await?).into_response())
}

async fn rollback(
    State(state): State<AdminState>,
    Admin(who): Admin,
    Path(plugin): Path<String>,
) -> Result<Response, AdminError> {
    Ok(Json(state.registry.rollback(&plugin, &who).await?).into_response())
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
}

/// The audit log: all of it for an admin or an unscoped viewer; an officer
/// sees the entries about their departments.
async fn audit(
    State(state): State<AdminState>,
    operator: Operator,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AdminError> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let entries = state.store.audit_log(limit, operator.scope().as_deref()).await.map_err(RegistryError::Host)?;
    Ok(Json(entries).into_response())
}

#[derive(Deserialize)]
struct RevokeRequest {
    reason: String,
}

/// Revokes a certificate: recorded, audited, published on `/log/revoked`,
/// and `/verify` says so from then on. The first revocation stands.
async fn revoke(
    State(state): State<AdminState>,
    Admin(who): Admin,
    Path(serial): Path<String>,
    Json(body): Json<RevokeRequest>,
) -> Response {
    let action = format!("revoke certificate {serial}");
    let reason = body.reason.trim();
    let (status, outcome, detail) = if reason.is_empty() || reason.chars().count() > 500 {
        (StatusCode::BAD_REQUEST, "refused", "a reason of 1 to 500 characters is required".to_owned())
    } else {
        match state.store.revoke(&serial, reason, &who).await {
            Ok(Revoke::Revoked) => (StatusCode::OK, "ok", reason.to_owned()),
            Ok(Revoke::AlreadyRevoked) => (StatusCode::CONFLICT, "refused", format!("{serial} was already revoked")),
            Ok(Revoke::NotIssued) => (StatusCode::NOT_FOUND, "refused", format!("no certificate {serial} was issued")),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "revoking a certificate failed");
                (StatusCode::SERVICE_UNAVAILABLE, "failed", "the database is unavailable".to_owned())
            }
        }
    };
    let entry = AuditEntry::now(&who, &action, None, None, outcome, detail.clone());
    if let Err(error) = state.store.audit(&entry).await {
        tracing::error!(error = format!("{error:#}"), "audit write failed");
    }
    let body = if status == StatusCode::OK {
        json!({ "serial": serial, "revoked": true, "reason": detail })
    } else {
        json!({ "error": detail })
    };
    (status, Json(body)).into_response()
}
