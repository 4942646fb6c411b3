//! The operator side: who an operator is ([`auth`]: roles in a JWT), and
//! the API the console's pages and the CLI use to work applications: lists
//! with filters, an officer's work queue, a file with its history, the
//! lifecycle's actions, and CSV export. An officer reads and acts only on
//! their departments' files; a viewer reads and acts on nothing.

pub mod accounts;
pub mod auth;
mod dashboard;
mod grievances;
mod pages;
mod payments;
mod services;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use self::auth::{Auth, Operator};
use crate::applications::{ActError, Action, Desk, status};
use crate::grievances::Office;
use crate::privacy::Privacy;
use crate::runtime::Catalog;
use crate::store::{ApplicationFile, ApplicationFilter, AuditEntry, Store};

#[derive(Clone)]
pub(crate) struct ConsoleState {
    auth: Auth,
    /// What the pages and lists read, beside the writer (see
    /// [`Store::reader`]): a dashboard's queries take tens of milliseconds
    /// over a state's applications, and on SQLite's one writing connection
    /// every citizen's reply would wait for them. Actions write through the
    /// desk and the office.
    reader: Store,
    desk: Desk,
    office: Office,
}

impl FromRef<ConsoleState> for Auth {
    fn from_ref(state: &ConsoleState) -> Auth {
        state.auth.clone()
    }
}

/// The console: its pages under `/console/` (login, dashboard, queue, a
/// file, the audit log) and the API they and the CLI use under `/admin/`,
/// authenticated with tokens signed by `secret`.
pub fn router(store: Store, catalog: Arc<Catalog>, privacy: Arc<Privacy>, secret: &str) -> Router {
    let auth = Auth::new(secret, store.clone());
    let logins = accounts::Logins::new(auth.clone(), store.clone(), secret);
    let desk = Desk::new(store.clone(), catalog, privacy.clone());
    let office = Office::new(store.clone(), privacy);
    let state = ConsoleState { auth, desk, office, reader: store.reader() };
    Router::new()
        .route("/admin/applications", get(list))
        .route("/admin/applications.csv", get(export))
        .route("/admin/queue", get(queue))
        .route("/admin/dashboard", get(dashboard::dashboard))
        .route("/admin/applications/{number}", get(show))
        .route("/admin/applications/{number}/reveal", post(reveal))
        .route("/admin/applications/{number}/{action}", post(act))
        .route("/admin/grievances", get(grievances::list))
        .route("/admin/grievances/{ticket}", get(grievances::show))
        .route("/admin/grievances/{ticket}/{action}", post(grievances::act))
        .route("/admin/payments", get(payments::report))
        .route("/admin/payments/reconciliation.csv", get(payments::reconciliation))
        .route("/admin/services", get(services::list))
        .route("/console/me", get(accounts::me))
        .with_state(state)
        .merge(
            Router::new()
                .route("/console/login", post(accounts::login))
                .route("/console/logout", post(accounts::logout))
                .with_state(logins),
        )
        .merge(pages::router())
}

/// The filters of a list, as the query string gives them.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    department: Option<String>,
    service: Option<String>,
    /// Comma-separated statuses.
    status: Option<String>,
    district: Option<String>,
    /// Submitted on or after this day (YYYY-MM-DD, India).
    from: Option<String>,
    /// Submitted on or before this day.
    to: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A 4xx answer with what is wrong.
pub(crate) fn refused(status: StatusCode, why: impl Into<String>) -> Response {
    (status, Json(json!({ "error": why.into() }))).into_response()
}

pub(crate) fn unavailable(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "console request failed");
    refused(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable")
}

impl ListQuery {
    /// The filter this query asks for, within what `operator` may read.
    pub(crate) async fn filter(self, auth: &Auth, operator: &Operator) -> Result<ApplicationFilter, Response> {
        let departments = match (self.department.filter(|d| !d.is_empty()), operator.scope()) {
            (Some(d), _) if !operator.can_read(&d) => {
                let why = format!("{} does not work {d}", operator.name);
                return Err(auth.forbidden(operator, &format!("list applications of {d}"), &why).await);
            }
            (Some(d), _) => Some(vec![d]),
            (None, scope) => scope,
        };
        let statuses = statuses_of(self.status.as_deref()).map_err(|why| refused(StatusCode::BAD_REQUEST, why))?;
        let (from_ms, to_ms) = match (day_of(self.from.as_deref(), false), day_of(self.to.as_deref(), true)) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(why), _) | (_, Err(why)) => return Err(refused(StatusCode::BAD_REQUEST, why)),
        };
        Ok(ApplicationFilter {
            departments,
            service: self.service.filter(|s| !s.is_empty()),
            statuses,
            district: self.district.filter(|s| !s.is_empty()),
            from_ms,
            to_ms,
            limit: self.limit.unwrap_or(100).clamp(1, 1000),
            offset: self.offset.unwrap_or(0).max(0),
            oldest_first: false,
        })
    }
}

/// The statuses a list asks for (comma-separated), every one a known one.
fn statuses_of(status: Option<&str>) -> Result<Vec<String>, String> {
    let statuses: Vec<String> =
        status.iter().flat_map(|s| s.split(',')).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    match statuses.iter().find(|s| !status::ALL.contains(&s.as_str())) {
        Some(unknown) => Err(format!("unknown status {unknown:?}")),
        None => Ok(statuses),
    }
}

/// Where a list's day (`YYYY-MM-DD`, India) starts, Unix ms; with `end`,
/// where it ends. None for no day.
fn day_of(day: Option<&str>, end: bool) -> Result<Option<i64>, String> {
    let Some(day) = day.filter(|d| !d.is_empty()) else { return Ok(None) };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(day, format).map_err(|_| format!("{day:?} is not a YYYY-MM-DD day"))?;
    // A day in India is 24 hours (no daylight saving). The next day's
    // midnight was asked of `time` before, and 9999-12-31 has none: its
    // end was its start, and a list to that day held nothing of it.
    Ok(Some(india_midnight_ms(date) + if end { 86_400_000 } else { 0 }))
}

/// Midnight in India (UTC+05:30) at the start of `date`, Unix ms.
pub fn india_midnight_ms(date: time::Date) -> i64 {
    let ist = time::UtcOffset::from_hms(5, 30, 0).expect("a valid offset");
    date.midnight().assume_offset(ist).unix_timestamp() * 1000
}

async fn list(State(state): State<ConsoleState>, operator: Operator, Query(q): Query<ListQuery>) -> Response {
    let filter = match q.filter(&state.auth, &operator).await {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    match state.reader.applications(&filter).await {
        Ok(files) => Json(json!({ "applications": state.shown(&files) })).into_response(),
        Err(error) => unavailable(error),
    }
}

/// An officer's work queue: their departments' open files, oldest first
/// (the ones nearest their SLA at the top).
async fn queue(State(state): State<ConsoleState>, operator: Operator, Query(q): Query<ListQuery>) -> Response {
    let mut filter = match q.filter(&state.auth, &operator).await {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    if filter.statuses.is_empty() {
        filter.statuses = status::OPEN.iter().map(|s| s.to_string()).collect();
    }
    filter.oldest_first = true;
    match state.reader.applications(&filter).await {
        Ok(files) => Json(json!({ "applications": state.shown(&files) })).into_response(),
        Err(error) => unavailable(error),
    }
}

/// The files a list selects, as CSV (for a spreadsheet), up to 100,000 rows.
async fn export(State(state): State<ConsoleState>, operator: Operator, Query(q): Query<ListQuery>) -> Response {
    let limit = q.limit.unwrap_or(EXPORT_ROWS).clamp(1, EXPORT_ROWS);
    let mut filter = match q.filter(&state.auth, &operator).await {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    filter.limit = limit;
    let files = match state.reader.applications(&filter).await {
        Ok(files) => files,
        Err(error) => return unavailable(error),
    };
    match csv_of(&files) {
        Ok(body) => {
            let entry = AuditEntry::now(&operator.name, "export applications", None, None, "ok", {
                format!("{} rows", files.len())
            });
            state.auth.audit(&entry).await;
            let headers = [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"applications.csv\""),
            ];
            (headers, body).into_response()
        }
        Err(error) => unavailable(error),
    }
}

const EXPORT_ROWS: i64 = 100_000;

fn csv_of(files: &[ApplicationFile]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "number",
        "department",
        "service",
        "status",
        "district",
        "submitted",
        "updated",
        "decided",
        "remarks",
    ])?;
    let at = |ms: i64| crate::chat::documents::rfc3339(ms);
    for f in files {
        let r = &f.record;
        out.write_record([
            r.number.as_str(),
            &r.plugin_id,
            &r.service_id,
            &r.status,
            r.district.as_deref().unwrap_or(""),
            &at(r.submitted_at_ms),
            &at(f.updated_at_ms),
            &f.decided_at_ms.map(at).unwrap_or_default(),
            &spreadsheet_safe(f.remarks.as_deref().unwrap_or("")),
        ])?;
    }
    Ok(out.into_inner()?)
}

/// A cell a spreadsheet will not run as a formula (OWASP's CSV injection
/// advice: a leading `=`, `+`, `-`, `@`, tab or CR is quoted away).
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// A file with its history, for those who may read it.
async fn show(State(state): State<ConsoleState>, operator: Operator, Path(number): Path<String>) -> Response {
    let file = match state.reader.application_file(&number).await {
        Ok(Some(file)) => file,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no application {number}")),
        Err(error) => return unavailable(error),
    };
    if !operator.can_read(&file.record.plugin_id) {
        let why = format!("{} does not work {}", operator.name, file.record.plugin_id);
        return state.auth.forbidden(&operator, &format!("read application {number}"), &why).await;
    }
    match state.reader.application_events(&number).await {
        Ok(events) => Json(json!({ "application": state.shown_one(&file), "events": events })).into_response(),
        Err(error) => unavailable(error),
    }
}

#[derive(Debug, Default, Deserialize)]
struct ActBody {
    /// The remarks, or the question for the citizen.
    #[serde(default)]
    note: Option<String>,
}

/// An officer's step on a file: `review`, `ask`, `approve`, `reject`, `deliver`.
async fn act(
    State(state): State<ConsoleState>,
    operator: Operator,
    Path((number, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    // No body at all is an action without remarks.
    let note = match note_of(&body) {
        Ok(note) => note,
        Err(why) => return refused(StatusCode::BAD_REQUEST, why),
    };
    let Some(action) = Action::parse(&action) else {
        return refused(StatusCode::NOT_FOUND, format!("no action {action:?} (review, ask, approve, reject, deliver)"));
    };
    let what = format!("{} application {number}", action.name());
    let department = match state.reader.application_file(&number).await {
        Ok(Some(file)) => file.record.plugin_id,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no application {number}")),
        Err(error) => return unavailable(error),
    };
    if !operator.can_act(&department) {
        let why = format!("{} may not act on {department}'s applications", operator.name);
        return state.auth.forbidden(&operator, &what, &why).await;
    }
    match state.desk.act(&operator.name, &number, action, note.as_deref()).await {
        Ok(file) => Json(json!({ "application": state.shown_one(&file) })).into_response(),
        Err(error) => step_refused(&state, &operator, &what, &department, error).await,
    }
}

/// The note of an officer's step (`{"note": …}`); no body at all is none.
pub(crate) fn note_of(body: &Bytes) -> Result<Option<String>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match serde_json::from_slice::<ActBody>(body) {
        Ok(body) => Ok(body.note),
        Err(e) => Err(format!("the body is not {{\"note\": \"…\"}}: {e}")),
    }
}

/// An officer's step that was not taken: why, as an HTTP answer, audited.
pub(crate) async fn step_refused(
    state: &ConsoleState,
    operator: &Operator,
    what: &str,
    department: &str,
    error: ActError,
) -> Response {
    let status = match &error {
        ActError::NotFound(_) => StatusCode::NOT_FOUND,
        ActError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ActError::Conflict { .. } => StatusCode::CONFLICT,
        ActError::Document(_) => StatusCode::BAD_GATEWAY,
        ActError::Host(_) => return unavailable(anyhow::anyhow!("{error:#}")),
    };
    let entry = AuditEntry::now(&operator.name, what, Some(department), None, "refused", error.to_string());
    state.auth.audit(&entry).await;
    refused(status, error.to_string())
}

impl ConsoleState {
    /// Files as the console shows them: the citizen's number masked (see
    /// [`reveal`]), with the service's and department's names.
    fn shown(&self, files: &[ApplicationFile]) -> Vec<serde_json::Value> {
        files.iter().map(|f| self.shown_one(f)).collect()
    }

    fn shown_one(&self, file: &ApplicationFile) -> serde_json::Value {
        let mut shown = serde_json::to_value(file).unwrap_or_default();
        let record = &file.record;
        shown["wa_id"] = mask_phone(&record.wa_id).into();
        let catalog = self.desk.catalog();
        let title = catalog.service_title(&record.plugin_id, &record.service_id, crate::runtime::Language::En);
        shown["service_title"] = title.unwrap_or(record.service_id.clone()).into();
        let name = catalog.get(&record.plugin_id).map(|p| p.info().name.en.clone());
        shown["department_name"] = name.unwrap_or(record.plugin_id.clone()).into();
        // Documents are served to the citizen, not read in the console.
        shown.as_object_mut().map(|o| o.remove("document"));
        shown
    }
}

/// A phone number with all but its last four digits hidden.
pub fn mask_phone(number: &str) -> String {
    let keep = number.chars().count().saturating_sub(4);
    number.chars().enumerate().map(|(i, c)| if i < keep && c.is_ascii_digit() { 'X' } else { c }).collect()
}

#[derive(Debug, Deserialize)]
struct RevealBody {
    reason: String,
}

/// Why an operator reveals a citizen's details (`{"reason": …}`), trimmed:
/// 5 to 500 characters, else none.
fn reveal_reason(body: &[u8]) -> Option<String> {
    let reason = serde_json::from_slice::<RevealBody>(body).ok()?.reason.trim().to_owned();
    (5..=500).contains(&reason.chars().count()).then_some(reason)
}

/// The citizen's own number and WhatsApp name, for an operator who may act
/// on the file and says why: audited with the reason, refused without one.
async fn reveal(
    State(state): State<ConsoleState>,
    operator: Operator,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    let action = format!("reveal application {number}");
    let Some(reason) = reveal_reason(&body) else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, "say why (5 to 500 characters): every reveal is audited");
    };
    let file = match state.reader.application_file(&number).await {
        Ok(Some(file)) => file,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no application {number}")),
        Err(error) => return unavailable(error),
    };
    if !operator.can_act(&file.record.plugin_id) {
        let why = format!("{} may not see {}'s citizens' details", operator.name, file.record.plugin_id);
        return state.auth.forbidden(&operator, &action, &why).await;
    }
    let profile_name = match state.reader.profile_name(&file.record.wa_id).await {
        Ok(name) => name,
        Err(error) => return unavailable(error),
    };
    let entry = AuditEntry::now(&operator.name, &action, Some(&file.record.plugin_id), None, "ok", reason);
    state.auth.audit(&entry).await;
    Json(json!({ "wa_id": file.record.wa_id, "profile_name": profile_name })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_show_their_last_four_digits() {
        assert_eq!(mask_phone("919876543210"), "XXXXXXXX3210");
        assert_eq!(mask_phone("12"), "12");
    }

    #[test]
    fn exported_cells_cannot_run_as_formulas() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("income too high"), "income too high");
    }

    #[test]
    fn days_start_at_midnight_in_india() {
        let day = time::macros::date!(2026 - 12 - 03);
        assert_eq!(india_midnight_ms(day), 1_796_236_200_000);
    }
}

#[cfg(test)]
mod properties {
    use std::sync::LazyLock;

    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::auth::{Operator, Role};
    use super::*;
    use crate::privacy::{DEV_PII_KEY, replace_aadhaar};

    static PRIVACY: LazyLock<Privacy> = LazyLock::new(|| Privacy::new(DEV_PII_KEY));

    /// A JSON value of any shape, a few levels deep, with the keys the
    /// console's bodies use among others.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            let key = prop_oneof![
                Just("note".to_owned()),
                Just("reason".to_owned()),
                Just("username".to_owned()),
                Just("password".to_owned()),
                "[a-z]{1,8}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(key, inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A body as a client might send it: JSON of any shape, or any bytes.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            json().prop_map(|v| v.to_string().into_bytes()),
            prop::collection::vec(any::<u8>(), 0..200),
            "\\s{0,4}".prop_map(String::into_bytes),
        ]
    }

    /// A note as an officer might type it: words, spaces, at times an
    /// Aadhaar number, at times too long.
    fn note() -> impl Strategy<Value = String> {
        let aadhaar = "[2-9][0-9]{10}".prop_map(|payload| {
            let check = mitra_sdk::validate::verhoeff_check_digit(&payload).unwrap();
            format!(" {} {} {}{check} ", &payload[..4], &payload[4..8], &payload[8..])
        });
        prop_oneof![
            "\\s{0,3}",
            "\\s{0,2}\\PC{0,40}\\s{0,2}",
            ("\\PC{0,20}", aadhaar, "\\PC{0,20}").prop_map(|(a, n, b)| format!("{a}{n}{b}")),
            ("[a-z ]{1,10}", 48usize..53, "\\s{0,3}")
                .prop_map(|(part, repeat, pad)| format!("{}{pad}", part.repeat(repeat))),
        ]
    }

    /// What a note must be once kept, whichever the rule.
    fn kept_note_is_clean(kept: &str, typed: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(kept.trim(), kept);
        prop_assert!(!kept.is_empty() && kept.chars().count() <= crate::applications::MAX_NOTE);
        prop_assert!(matches!(replace_aadhaar(kept, |_| String::new()), std::borrow::Cow::Borrowed(_)), "{:?}", kept);
        if matches!(replace_aadhaar(typed, |_| String::new()), std::borrow::Cow::Borrowed(_)) {
            prop_assert_eq!(kept, typed.trim());
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn a_step_body_is_a_note_or_nothing_or_refused(body in body()) {
            // serde reads a struct from an object by name or from an array by position.
            let sent: Option<Value> = serde_json::from_slice(&body).ok();
            let note_sent = sent.as_ref().and_then(|v| match v {
                Value::Object(o) => Some(o.get("note").unwrap_or(&Value::Null)),
                Value::Array(a) if a.len() <= 1 => Some(a.first().unwrap_or(&Value::Null)),
                _ => None,
            });
            match note_of(&Bytes::from(body.clone())) {
                Ok(Some(note)) => prop_assert_eq!(note_sent, Some(&Value::from(note))),
                Ok(None) => {
                    prop_assert!(body.iter().all(u8::is_ascii_whitespace) || note_sent.is_some_and(Value::is_null))
                }
                Err(why) => {
                    prop_assert!(why.contains("note"));
                    prop_assert!(!note_sent.is_some_and(|n| n.is_null() || n.is_string()));
                }
            }
        }

        #[test]
        fn an_application_step_keeps_only_a_clean_note_and_requires_one_to_ask_or_reject(
            note in prop::option::of(note()),
            action in prop::sample::select(&["review", "ask", "approve", "reject", "deliver"][..]),
        ) {
            let action = Action::parse(action).unwrap();
            match crate::applications::checked_note(&PRIVACY, action, note.as_deref()) {
                Ok(Some(kept)) => kept_note_is_clean(&kept, note.as_deref().unwrap())?,
                Ok(None) => {
                    prop_assert!(note.as_deref().is_none_or(|n| n.trim().is_empty()));
                    prop_assert!(!matches!(action, Action::Ask | Action::Reject));
                }
                Err(ActError::Invalid(why)) => {
                    let blank = note.as_deref().is_none_or(|n| n.trim().is_empty());
                    let long = note.as_deref().is_some_and(|n| PRIVACY.redact(n.trim()).chars().count() > crate::applications::MAX_NOTE);
                    prop_assert!(long || (blank && matches!(action, Action::Ask | Action::Reject)), "{}", why);
                }
                Err(other) => prop_assert!(false, "{}", other),
            }
        }

        #[test]
        fn a_grievance_step_keeps_only_a_clean_note_and_requires_one_to_comment_or_resolve(
            note in prop::option::of(note()),
            action in prop::sample::select(&["start", "comment", "resolve"][..]),
        ) {
            use crate::grievances::Action;
            let action = Action::parse(action).unwrap();
            match crate::grievances::checked_note(&PRIVACY, action, note.as_deref()) {
                Ok(Some(kept)) => kept_note_is_clean(&kept, note.as_deref().unwrap())?,
                Ok(None) => prop_assert!(action == Action::Start && note.as_deref().is_none_or(|n| n.trim().is_empty())),
                Err(ActError::Invalid(why)) => {
                    let blank = note.as_deref().is_none_or(|n| n.trim().is_empty());
                    let long = note.as_deref().is_some_and(|n| PRIVACY.redact(n.trim()).chars().count() > crate::applications::MAX_NOTE);
                    prop_assert!(long || (blank && action != Action::Start), "{}", why);
                }
                Err(other) => prop_assert!(false, "{}", other),
            }
        }

        #[test]
        fn a_reveal_needs_a_reason_of_5_to_500_characters(
            body in body(),
            (before, part, repeat, after) in ("\\s{0,3}", "\\PC{0,24}", 1usize..30, "\\s{0,3}"),
        ) {
            let reason = format!("{before}{}{after}", part.repeat(repeat));
            let _ = reveal_reason(&body);
            let trimmed = reason.trim();
            let body = json!({ "reason": reason }).to_string();
            match reveal_reason(body.as_bytes()) {
                Some(kept) => {
                    prop_assert_eq!(kept.as_str(), trimmed);
                    prop_assert!((5..=500).contains(&kept.chars().count()));
                }
                None => prop_assert!(!(5..=500).contains(&trimmed.chars().count())),
            }
        }

        #[test]
        fn a_list_query_takes_only_known_statuses_and_real_days(
            query in "[a-z_=&%,+0-9-]{0,40}",
            statuses in prop::collection::vec(prop_oneof![prop::sample::select(&status::ALL[..]).prop_map(String::from), "[a-z_ ]{0,12}"], 0..4),
            (year, month, day) in (prop_oneof![0i32..=9999, Just(9999), Just(1970)], 0u8..=13, prop_oneof![0u8..=32, Just(31)]),
        ) {
            // Any query string is read or refused without a panic.
            let uri: axum::http::Uri = format!("/admin/applications?{query}").parse().unwrap();
            if let Ok(Query(q)) = Query::<ListQuery>::try_from_uri(&uri) {
                if let Ok(taken) = statuses_of(q.status.as_deref()) {
                    prop_assert!(taken.iter().all(|s| status::ALL.contains(&s.as_str())));
                }
                let _ = (day_of(q.from.as_deref(), false), day_of(q.to.as_deref(), true));
            }
            let asked = statuses.join(",");
            let known = statuses.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).all(|s| status::ALL.contains(&s));
            prop_assert_eq!(statuses_of(Some(&asked)).is_ok(), known, "{:?}", asked);
            // A day is taken only if it is one, and covers the whole day in India.
            let text = format!("{year:04}-{month:02}-{day:02}");
            let date = time::Month::try_from(month).ok().and_then(|m| time::Date::from_calendar_date(year, m, day).ok());
            match (day_of(Some(&text), false), day_of(Some(&text), true), date) {
                (Ok(Some(from)), Ok(Some(to)), Some(date)) => {
                    prop_assert_eq!(from, india_midnight_ms(date));
                    prop_assert_eq!(to - from, 86_400_000, "{}", text);
                }
                (Err(_), Err(_), None) => {}
                other => prop_assert!(false, "{}: {:?}", text, other),
            }
        }

        #[test]
        fn a_login_body_is_read_or_refused_and_a_short_password_never_makes_an_account(
            body in body(),
            password in "\\PC{0,9}",
            role in prop::sample::select(&[Role::Admin, Role::Officer, Role::Viewer][..]),
        ) {
            let _ = Json::<accounts::Credentials>::from_bytes(&body);
            let operator = Operator { name: "asha".into(), role, departments: Vec::new(), level: 1 };
            prop_assert!(accounts::account(&operator, &password).is_err());
        }
    }
}
