//! Who an operator is: an HS256 JWT (jsonwebtoken) naming the operator, a
//! role, and for a department officer the departments (plugin ids) they
//! work and their level (escalations go to the next one). The token comes
//! as `Authorization: Bearer …` (the admin API, the CLI) or as the console's
//! `mitra_session` cookie (HttpOnly, SameSite=Strict, set at login). A
//! request without a valid token is refused with 401 and audited.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::store::{AuditEntry, Store};

/// The cookie the console keeps its token in.
pub const SESSION_COOKIE: &str = "mitra_session";

/// What an operator may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything: plugins, certificates, every department's files.
    Admin,
    /// Reads and works the files of their departments.
    Officer,
    /// Reads (their departments', or all when none are named); acts on nothing.
    Viewer,
}

impl Role {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "admin" => Some(Role::Admin),
            "officer" => Some(Role::Officer),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

/// What a token says.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The operator.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: u64,
    /// Issued at, Unix seconds.
    pub iat: u64,
    pub role: Role,
    /// The departments an officer (or a scoped viewer) works.
    #[serde(default)]
    pub departments: Vec<String>,
    /// An officer's level: 1 takes new files, escalations go up.
    #[serde(default = "first_level")]
    pub level: u8,
}

fn first_level() -> u8 {
    1
}

/// The operator a request comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operator {
    pub name: String,
    pub role: Role,
    pub departments: Vec<String>,
    pub level: u8,
}

impl Operator {
    pub fn admin(name: &str) -> Self {
        Self { name: name.into(), role: Role::Admin, departments: Vec::new(), level: 1 }
    }

    /// The departments whose files this operator may read; `None` for all.
    pub fn scope(&self) -> Option<Vec<String>> {
        match self.role {
            Role::Admin => None,
            Role::Viewer if self.departments.is_empty() => None,
            Role::Officer | Role::Viewer => Some(self.departments.clone()),
        }
    }

    pub fn can_read(&self, department: &str) -> bool {
        self.scope().is_none_or(|d| d.iter().any(|d| d == department))
    }

    /// Whether this operator may act on `department`'s files.
    pub fn can_act(&self, department: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Officer => self.departments.iter().any(|d| d == department),
            Role::Viewer => false,
        }
    }

    /// Whether this operator may act on `department`'s files escalated to
    /// `level`: an officer works their own level and those below it.
    pub fn can_act_at(&self, department: &str, level: i64) -> bool {
        self.can_act(department) && (self.role == Role::Admin || level <= i64::from(self.level))
    }
}

/// Issues a token for `operator`, valid for `valid_for`.
pub fn token(secret: &str, operator: &Operator, valid_for: Duration) -> anyhow::Result<String> {
    anyhow::ensure!(!operator.name.trim().is_empty(), "a token names its operator");
    anyhow::ensure!(
        operator.role != Role::Officer || !operator.departments.is_empty(),
        "an officer's token names the departments they work"
    );
    // The real clock, not Mitra's pinnable one: jsonwebtoken checks `exp`
    // against the real clock, and a demo's date must not mint a token that
    // is already expired or lives for years.
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let claims = Claims {
        sub: operator.name.clone(),
        iat: now,
        exp: now + valid_for.as_secs(),
        role: operator.role,
        departments: operator.departments.clone(),
        level: operator.level,
    };
    Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret.as_bytes()))?)
}

/// What checking a token needs: the key, and the store refusals are audited in.
#[derive(Clone)]
pub struct Auth {
    key: Arc<DecodingKey>,
    store: Store,
}

impl Auth {
    pub fn new(secret: &str, store: Store) -> Self {
        Self { key: Arc::new(DecodingKey::from_secret(secret.as_bytes())), store }
    }

    /// The operator `token` names, or why it is refused.
    pub fn check(&self, token: &str) -> Result<Operator, String> {
        operator_of(&self.key, token)
    }

    /// Audits `entry`; a failed write is logged, never fatal to the answer.
    pub async fn audit(&self, entry: &AuditEntry) {
        if let Err(error) = self.store.audit(entry).await {
            tracing::error!(error = format!("{error:#}"), "audit write failed");
        }
    }

    /// 403, audited: `operator` may not do `action`.
    pub async fn forbidden(&self, operator: &Operator, action: &str, why: &str) -> Response {
        self.audit(&AuditEntry::now(&operator.name, action, None, None, "denied", why)).await;
        (StatusCode::FORBIDDEN, Json(json!({ "error": why }))).into_response()
    }
}

/// The operator `token` names if `key` signed it, or why it is refused.
fn operator_of(key: &DecodingKey, token: &str) -> Result<Operator, String> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    // An expired token is expired: the hosts share one clock source, and
    // an operator's token ending a moment early costs a re-issue.
    validation.leeway = 0;
    let claims = jsonwebtoken::decode::<Claims>(token, key, &validation)
        .map_err(|e| format!("invalid operator token: {e}"))?
        .claims;
    if claims.role == Role::Officer && claims.departments.is_empty() {
        return Err("invalid operator token: an officer without departments".into());
    }
    Ok(Operator { name: claims.sub, role: claims.role, departments: claims.departments, level: claims.level })
}

/// The token a request carries: the bearer header, else the console cookie.
pub fn request_token(parts: &Parts) -> Option<&str> {
    let bearer =
        parts.headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    bearer.or_else(|| {
        parts
            .headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
    })
}

impl<S> FromRequestParts<S> for Operator
where
    Auth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_ref(state);
        let refused = match request_token(parts) {
            None => "an operator token is required (Authorization: Bearer …, or log in)".to_owned(),
            Some(token) => match auth.check(token) {
                Ok(operator) => return Ok(operator),
                Err(why) => why,
            },
        };
        let action = format!("{} {}", parts.method, parts.uri.path());
        auth.audit(&AuditEntry::now("-", &action, None, None, "denied", refused.clone())).await;
        Err((StatusCode::UNAUTHORIZED, Json(json!({ "error": refused }))).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(departments: &[&str]) -> Operator {
        Operator {
            name: "ravi".into(),
            role: Role::Officer,
            departments: departments.iter().map(|d| d.to_string()).collect(),
            level: 1,
        }
    }

    #[test]
    fn roles_scope_what_an_operator_reads_and_acts_on() {
        let ravi = officer(&["pensions"]);
        assert!(ravi.can_read("pensions") && ravi.can_act("pensions"));
        assert!(!ravi.can_read("revenue") && !ravi.can_act("revenue"));
        let viewer = Operator { role: Role::Viewer, ..officer(&[]) };
        assert!(viewer.can_read("revenue") && !viewer.can_act("revenue"));
        let scoped = Operator { role: Role::Viewer, ..officer(&["revenue"]) };
        assert!(scoped.can_read("revenue") && !scoped.can_read("pensions") && !scoped.can_act("revenue"));
        let admin = Operator::admin("asha");
        assert!(admin.can_read("x") && admin.can_act("x"));
    }

    #[tokio::test]
    async fn tokens_carry_the_role_and_are_refused_when_forged() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let auth = Auth::new("s3cret", store);
        let t = token("s3cret", &officer(&["pensions"]), Duration::from_secs(60)).unwrap();
        assert_eq!(auth.check(&t).unwrap(), officer(&["pensions"]));
        let forged = token("other", &Operator::admin("mallory"), Duration::from_secs(60)).unwrap();
        assert!(auth.check(&forged).is_err());
        assert!(token("s3cret", &officer(&[]), Duration::from_secs(60)).is_err());
    }

    #[tokio::test]
    async fn tokens_with_another_algorithm_or_none_are_refused() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let auth = Auth::new("s3cret", store);
        let good = token("s3cret", &Operator::admin("asha"), Duration::from_secs(60)).unwrap();
        let claims = good.split('.').nth(1).unwrap();
        // `alg: none` with the claims of a real token and no signature.
        for header in [r#"{"alg":"none","typ":"JWT"}"#, r#"{"alg":"None"}"#, r#"{"typ":"JWT"}"#] {
            let unsigned = format!("{}.{claims}.", B64.encode(header));
            assert!(auth.check(&unsigned).is_err(), "{header}");
        }
        // The same secret under another HMAC: the algorithm is pinned.
        let exp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 60;
        let claims = Claims { sub: "asha".into(), iat: 0, exp, role: Role::Admin, departments: vec![], level: 1 };
        for alg in [Algorithm::HS384, Algorithm::HS512] {
            let other = jsonwebtoken::encode(&Header::new(alg), &claims, &EncodingKey::from_secret(b"s3cret")).unwrap();
            assert!(auth.check(&other).is_err(), "{alg:?}");
        }
        // Truncated, padded, empty: refused, never a panic.
        for broken in ["", ".", "..", &good[..good.len() - 2], &format!("{good}="), &format!("{good}.x")] {
            assert!(auth.check(broken).is_err(), "{broken}");
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    const SECRET: &str = "s3cret";

    fn operator() -> impl Strategy<Value = Operator> {
        (
            "[a-z][a-z .]{0,15}",
            prop::sample::select(&[Role::Admin, Role::Officer, Role::Viewer][..]),
            prop::collection::vec("[a-z-]{1,12}", 0..3),
            1u8..=3,
        )
            .prop_map(|(name, role, mut departments, level)| {
                if role == Role::Officer && departments.is_empty() {
                    departments.push("revenue".into());
                }
                Operator { name, role, departments, level }
            })
    }

    proptest! {
        #[test]
        fn any_token_text_is_refused_without_a_panic(token in "\\PC{0,200}|[A-Za-z0-9_-]{10,40}\\.[A-Za-z0-9_-]{10,80}\\.[A-Za-z0-9_-]{0,50}") {
            prop_assert!(operator_of(&DecodingKey::from_secret(SECRET.as_bytes()), &token).is_err());
        }

        #[test]
        fn a_token_names_its_operator_and_any_changed_character_is_refused(
            operator in operator(),
            at in any::<prop::sample::Index>(),
            to in prop_oneof![prop::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".to_vec()).prop_map(char::from), any::<char>()],
        ) {
            let key = DecodingKey::from_secret(SECRET.as_bytes());
            let token = token(SECRET, &operator, Duration::from_secs(600)).unwrap();
            prop_assert_eq!(operator_of(&key, &token), Ok(operator.clone()));
            prop_assert!(operator_of(&DecodingKey::from_secret(b"another"), &token).is_err());
            let mut chars: Vec<char> = token.chars().collect();
            let at = at.index(chars.len());
            // Another character than the one there (skipping a case instead
            // ran out of proptest's 1,024 rejects at 500,000 cases).
            chars[at] = if chars[at] != to { to } else if to == 'A' { 'B' } else { 'A' };
            let changed: String = chars.into_iter().collect();
            prop_assert!(operator_of(&key, &changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn the_session_cookie_is_found_among_any_others(
            others in prop::collection::vec(("[a-z_]{1,16}", "[A-Za-z0-9._-]{0,20}"), 0..4),
            at in any::<prop::sample::Index>(),
            value in "[A-Za-z0-9._-]{1,40}",
            bearer in prop::option::of("[A-Za-z0-9._-]{1,40}"),
        ) {
            let mut cookies: Vec<String> =
                others.iter().filter(|(n, _)| n != SESSION_COOKIE).map(|(n, v)| format!("{n}={v}")).collect();
            let at = at.index(cookies.len() + 1);
            cookies.insert(at, format!("{SESSION_COOKIE}={value}"));
            let mut request = axum::http::Request::builder().header("cookie", cookies.join("; "));
            if let Some(bearer) = &bearer {
                request = request.header("authorization", format!("Bearer {bearer}"));
            }
            let (parts, ()) = request.body(()).unwrap().into_parts();
            prop_assert_eq!(request_token(&parts), Some(bearer.as_deref().unwrap_or(&value)));
        }
    }
}
