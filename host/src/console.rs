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
    store: Store,
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
    let state = ConsoleState { auth, desk, office, store };
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
        let statuses: Vec<String> = self
            .status
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        if let Some(unknown) = statuses.iter().find(|s| !status::ALL.contains(&s.as_str())) {
            return Err(refused(StatusCode::BAD_REQUEST, format!("unknown status {unknown:?}")));
        }
        let day = |d: Option<String>, end: bool| -> Result<Option<i64>, String> {
            let Some(d) = d.filter(|d| !d.is_empty()) else { return Ok(None) };
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let date = time::Date::parse(&d, format).map_err(|_| format!("{d:?} is not a YYYY-MM-DD day"))?;
            let date = if end { date.next_day().unwrap_or(date) } else { date };
            Ok(Some(india_midnight_ms(date)))
        };
        let (from_ms, to_ms) = match (day(self.from, false), day(self.to, true)) {
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
    match state.store.applications(&filter).await {
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
    match state.store.applications(&filter).await {
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
    let files = match state.store.applications(&filter).await {
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
    let file = match state.store.application_file(&number).await {
        Ok(Some(file)) => file,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no application {number}")),
        Err(error) => return unavailable(error),
    };
    if !operator.can_read(&file.record.plugin_id) {
        let why = format!("{} does not work {}", operator.name, file.record.plugin_id);
        return state.auth.forbidden(&operator, &format!("read application {number}"), &why).await;
    }
    match state.store.application_events(&number).await {
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
    let department = match state.store.application_file(&number).await {
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

/// The citizen's own number and WhatsApp name, for an operator who may act
/// on the file and says why: audited with the reason, refused without one.
async fn reveal(
    State(state): State<ConsoleState>,
    operator: Operator,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    let action = format!("reveal application {number}");
    let reason = serde_json::from_slice::<RevealBody>(&body).map(|b| b.reason.trim().to_owned()).unwrap_or_default();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, "say why (5 to 500 characters): every reveal is audited");
    }
    let file = match state.store.application_file(&number).await {
        Ok(Some(file)) => file,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no application {number}")),
        Err(error) => return unavailable(error),
    };
    if !operator.can_act(&file.record.plugin_id) {
        let why = format!("{} may not see {}'s citizens' details", operator.name, file.record.plugin_id);
        return state.auth.forbidden(&operator, &action, &why).await;
    }
    let profile_name = match state.store.profile_name(&file.record.wa_id).await {
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
