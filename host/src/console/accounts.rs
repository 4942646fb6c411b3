//! Logging in to the console: an operator's name and password (Argon2id,
//! RustCrypto's argon2) become the operator JWT, kept in an HttpOnly,
//! SameSite=Strict cookie so the pages' scripts never hold it. Every login,
//! refused ones included, is audited; a name, and a client address trying
//! many names, are refused for a while after repeated attempts.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use serde_json::json;

use super::auth::{self, Auth, Operator, Role, SESSION_COOKIE};
use crate::store::{AuditEntry, OperatorAccount, Store};
use crate::web::serve::Peer;

/// How long a console login lasts.
pub const SESSION: Duration = Duration::from_secs(8 * 3600);

/// An Argon2id hash of `password` (a PHC string with its own salt).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut salt)
        .map_err(|_| anyhow::anyhow!("no system randomness"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("{e}"))?.to_string())
}

/// Whether `password` matches the stored `hash`.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// An account for `operator` with `password`.
pub fn account(operator: &Operator, password: &str) -> anyhow::Result<OperatorAccount> {
    anyhow::ensure!(password.chars().count() >= 10, "a console password has at least 10 characters");
    anyhow::ensure!(
        operator.role != Role::Officer || !operator.departments.is_empty(),
        "an officer works at least one department"
    );
    Ok(OperatorAccount {
        name: operator.name.clone(),
        password_hash: hash_password(password)?,
        role: format!("{:?}", operator.role).to_lowercase(),
        departments: operator.departments.clone(),
        level: operator.level,
        disabled: false,
    })
}

/// What logging in needs.
#[derive(Clone)]
pub struct Logins {
    pub auth: Auth,
    pub store: Store,
    secret: Arc<str>,
    /// Attempts per name: five, then one a minute.
    failures: Arc<DefaultKeyedRateLimiter<String>>,
    /// Attempts per client address, whatever names it tries (password
    /// spraying): twenty, then ten a minute.
    clients: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Logins {
    pub fn new(auth: Auth, store: Store, secret: &str) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(1).expect("1")).allow_burst(NonZeroU32::new(5).expect("5"));
        let per_client =
            Quota::per_minute(NonZeroU32::new(10).expect("10")).allow_burst(NonZeroU32::new(20).expect("20"));
        Self {
            auth,
            store,
            secret: secret.into(),
            failures: Arc::new(RateLimiter::keyed(quota)),
            clients: Arc::new(RateLimiter::keyed(per_client)),
        }
    }
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

/// `POST /console/login`.
pub async fn login(
    State(logins): State<Logins>,
    peer: Option<Extension<Peer>>,
    Json(credentials): Json<Credentials>,
) -> Response {
    let name = credentials.username.trim().to_owned();
    let refuse = |why: &str| (StatusCode::UNAUTHORIZED, Json(json!({ "error": why }))).into_response();
    let audit = |outcome: &str, detail: &str| AuditEntry::now(&name, "console login", None, None, outcome, detail);
    if let Some(Extension(Peer(peer))) = peer
        && logins.clients.check_key(&peer.ip()).is_err()
    {
        logins.auth.audit(&audit("denied", &format!("too many attempts from {}", peer.ip()))).await;
        let body = Json(json!({ "error": "Too many attempts from this address: wait a minute and try again." }));
        return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "60")], body).into_response();
    }
    if logins.failures.check_key(&name).is_err() {
        logins.auth.audit(&audit("denied", "too many failed attempts")).await;
        return refuse("Too many failed attempts: wait a minute and try again.");
    }
    let account = match logins.store.operator(&name).await {
        Ok(account) => account,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "reading an operator account failed");
            let body = Json(json!({ "error": "The console is unavailable; try again shortly." }));
            return (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
        }
    };
    // Argon2 is slow on purpose: checked on the blocking pool, never on the
    // threads that answer webhooks.
    let password = credentials.password;
    let verified = match account.filter(|a| !a.disabled) {
        Some(a) => tokio::task::spawn_blocking(move || password_matches(&password, &a.password_hash).then_some(a))
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(account) = verified else {
        logins.auth.audit(&audit("denied", "wrong name or password")).await;
        return refuse("Wrong name or password.");
    };
    let Some(role) = Role::parse(&account.role) else {
        return refuse("This account has no valid role; ask an admin.");
    };
    let operator = Operator { name: account.name, role, departments: account.departments, level: account.level };
    let token = match auth::token(&logins.secret, &operator, SESSION) {
        Ok(token) => token,
        Err(error) => return refuse(&error.to_string()),
    };
    logins.auth.audit(&audit("ok", &format!("{role:?}"))).await;
    let cookie = format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", SESSION.as_secs());
    ([(header::SET_COOKIE, cookie)], Json(json!({ "operator": operator }))).into_response()
}

/// `POST /console/logout`: the cookie is gone (the token itself lives until
/// it expires; the console's are short).
pub async fn logout() -> Response {
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    ([(header::SET_COOKIE, cookie)], Json(json!({ "ok": true }))).into_response()
}

/// `GET /console/me`: who the cookie (or bearer token) names.
pub async fn me(operator: Operator) -> Response {
    Json(operator).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse batterY", &hash));
        assert!(!password_matches("correct horse battery", "not a hash"));
        let short = account(&Operator::admin("asha"), "short");
        assert!(short.is_err());
    }
}
