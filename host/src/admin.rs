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

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
}

impl AuditQuery {
    /// How many entries to read: 100 unless asked, at most 1,000.
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(100).clamp(1, 1000)
    }
}

/// The audit log: all of it for an admin or an unscoped viewer; an officer
/// sees the entries about their departments.
async fn audit(
    State(state): State<AdminState>,
    operator: Operator,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AdminError> {
    let limit = q.limit();
    let entries = state.store.audit_log(limit, operator.scope().as_deref()).await.map_err(RegistryError::Host)?;
    Ok(Json(entries).into_response())
}

#[derive(Debug, Deserialize)]
struct RevokeRequest {
    reason: String,
}

/// The most characters a revocation's reason may have.
const MAX_REASON: usize = 500;

/// A revocation's reason, trimmed: 1 to [`MAX_REASON`] characters.
fn revoke_reason(reason: &str) -> Result<&str, String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(format!("a reason of 1 to {MAX_REASON} characters is required"));
    }
    Ok(reason)
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
    let (status, outcome, detail) = match revoke_reason(&body.reason) {
        Err(why) => (StatusCode::BAD_REQUEST, "refused", why),
        Ok(reason) => match state.store.revoke(&serial, reason, &who).await {
            Ok(Revoke::Revoked) => (StatusCode::OK, "ok", reason.to_owned()),
            Ok(Revoke::AlreadyRevoked) => (StatusCode::CONFLICT, "refused", format!("{serial} was already revoked")),
            Ok(Revoke::NotIssued) => (StatusCode::NOT_FOUND, "refused", format!("no certificate {serial} was issued")),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "revoking a certificate failed");
                (StatusCode::SERVICE_UNAVAILABLE, "failed", "the database is unavailable".to_owned())
            }
        },
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

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;

    /// A JSON value of any shape, a few levels deep.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("version".to_owned()),
                        Just("percent".to_owned()),
                        Just("reason".to_owned()),
                        "[a-z]{1,8}"
                    ],
                    inner,
                    0..4,
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A body as a client might send it: JSON of any shape, or any bytes.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![json().prop_map(|v| v.to_string().into_bytes()), prop::collection::vec(any::<u8>(), 0..200)]
    }

    proptest! {
        #[test]
        fn an_activation_is_read_or_refused_and_only_a_share_of_1_to_100_is_taken(body in body(), percent in prop_oneof![-5i64..300, any::<i64>()]) {
            if let Ok(Json(activation)) = Json::<Activation>::from_bytes(&body) {
                // serde reads a struct from an object by name or from an array by position.
                let sent: Value = serde_json::from_slice(&body).unwrap();
                let (version, percent) = match &sent {
                    Value::Array(a) => (a.first(), a.get(1)),
                    other => (other.get("version"), other.get("percent")),
                };
                prop_assert_eq!(version.and_then(Value::as_str), Some(activation.version.as_str()));
                prop_assert_eq!(percent.map_or(Some(100), Value::as_u64), Some(u64::from(activation.percent)));
            }
            // Any number a client sends as the share: taken only within 1..=100.
            let body = serde_json::json!({ "version": "1.0.0", "percent": percent }).to_string();
            let taken = Json::<Activation>::from_bytes(body.as_bytes())
                .ok()
                .and_then(|Json(a)| crate::registry::check_share(a.percent).ok().map(|()| a.percent));
            prop_assert_eq!(taken.map(i64::from), (1..=100).contains(&percent).then_some(percent));
        }

        #[test]
        fn a_revocation_needs_a_reason_of_1_to_500_characters(
            body in body(),
            (before, part, repeat, after) in ("\\s{0,3}", "\\PC{0,24}", 1usize..30, "\\s{0,3}"),
        ) {
            let reason = format!("{before}{}{after}", part.repeat(repeat));
            // (`Json::from_bytes` is what axum's `Json` extractor runs on the body.)
            if let Ok(Json(request)) = Json::<RevokeRequest>::from_bytes(&body) {
                let _ = revoke_reason(&request.reason);
            }
            let trimmed = reason.trim();
            let body = serde_json::json!({ "reason": reason }).to_string();
            let Json(request) = Json::<RevokeRequest>::from_bytes(body.as_bytes()).unwrap();
            match revoke_reason(&request.reason) {
                Ok(kept) => {
                    prop_assert_eq!(kept, trimmed);
                    prop_assert!((1..=MAX_REASON).contains(&kept.chars().count()));
                }
                Err(_) => prop_assert!(trimmed.is_empty() || trimmed.chars().count() > MAX_REASON),
            }
        }

        #[test]
        fn an_audit_query_reads_at_most_1000_entries(query in "[a-z=&%0-9+-]{0,30}|limit=-?[0-9]{1,25}") {
            let uri: axum::http::Uri = format!("/admin/audit?{query}").parse().unwrap();
            if let Ok(Query(q)) = Query::<AuditQuery>::try_from_uri(&uri) {
                prop_assert!((1..=1000).contains(&q.limit()));
            }
        }
    }
}
