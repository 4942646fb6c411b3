//! The grievances API: an officer's list (their departments', those due
//! soonest first), one grievance with its history, and their steps on it:
//! `start`, `comment`, `resolve`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::auth::{Operator, Role};
use super::{ConsoleState, mask_phone, note_of, refused, step_refused, unavailable};
use crate::grievances::{Action, MAX_LEVEL};
use crate::store::{GRIEVANCE_OPEN, Grievance, GrievanceFilter};

#[derive(Debug, Default, Deserialize)]
pub(super) struct GrievanceQuery {
    department: Option<String>,
    /// Comma-separated statuses; the open ones by default.
    status: Option<String>,
    /// An escalation level, or `all`; an officer's own level by default
    /// (each level's officers work what has reached them).
    level: Option<String>,
    limit: Option<i64>,
}

fn shown(g: &Grievance) -> serde_json::Value {
    let mut shown = serde_json::to_value(g).unwrap_or_default();
    shown["wa_id"] = mask_phone(&g.wa_id).into();
    shown
}

/// The escalation level a list asks for: `all` (none), 1 to [`MAX_LEVEL`],
/// or by default an officer's own.
fn level_of(level: Option<&str>, operator: &Operator) -> Result<Option<i64>, String> {
    match level.map(str::trim) {
        None | Some("") => Ok((operator.role == Role::Officer).then_some(i64::from(operator.level))),
        Some("all") => Ok(None),
        Some(level) => match level.parse::<i64>() {
            Ok(level) if (1..=MAX_LEVEL).contains(&level) => Ok(Some(level)),
            _ => Err(format!("level is 1 to {MAX_LEVEL} or all, not {level:?}")),
        },
    }
}

pub(super) async fn list(
    State(state): State<ConsoleState>,
    operator: Operator,
    Query(q): Query<GrievanceQuery>,
) -> Response {
    let departments = match q.department.filter(|d| !d.is_empty()) {
        Some(d) if !operator.can_read(&d) => {
            let why = format!("{} does not work {d}", operator.name);
            return state.auth.forbidden(&operator, &format!("list grievances of {d}"), &why).await;
        }
        Some(d) => Some(vec![d]),
        None => operator.scope(),
    };
    let statuses = match q.status {
        Some(s) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        None => GRIEVANCE_OPEN.map(String::from).to_vec(),
    };
    let level = match level_of(q.level.as_deref(), &operator) {
        Ok(level) => level,
        Err(why) => return refused(StatusCode::BAD_REQUEST, why),
    };
    let filter = GrievanceFilter { departments, statuses, level, limit: q.limit.unwrap_or(100).clamp(1, 1000) };
    match state.reader.grievances(&filter).await {
        Ok(found) => {
            Json(json!({ "grievances": found.iter().map(shown).collect::<Vec<_>>(), "level": level })).into_response()
        }
        Err(error) => unavailable(error),
    }
}

pub(super) async fn show(
    State(state): State<ConsoleState>,
    operator: Operator,
    Path(ticket): Path<String>,
) -> Response {
    let g = match state.reader.grievance(&ticket).await {
        Ok(Some(g)) => g,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no grievance {ticket}")),
        Err(error) => return unavailable(error),
    };
    if !operator.can_read(&g.department) {
        let why = format!("{} does not work {}", operator.name, g.department);
        return state.auth.forbidden(&operator, &format!("read grievance {ticket}"), &why).await;
    }
    match state.reader.grievance_events(&ticket).await {
        Ok(events) => Json(json!({ "grievance": shown(&g), "events": events })).into_response(),
        Err(error) => unavailable(error),
    }
}

pub(super) async fn act(
    State(state): State<ConsoleState>,
    operator: Operator,
    Path((ticket, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(action) = Action::parse(&action) else {
        return refused(StatusCode::NOT_FOUND, format!("no action {action:?} (start, comment, resolve)"));
    };
    let note = match note_of(&body) {
        Ok(note) => note,
        Err(why) => return refused(StatusCode::BAD_REQUEST, why),
    };
    let what = format!("{} grievance {ticket}", action.name());
    let g = match state.reader.grievance(&ticket).await {
        Ok(Some(g)) => g,
        Ok(None) => return refused(StatusCode::NOT_FOUND, format!("no grievance {ticket}")),
        Err(error) => return unavailable(error),
    };
    let (department, level) = (g.department.as_str(), g.level);
    if !operator.can_act(department) {
        let why = format!("{} may not act on {department}'s grievances", operator.name);
        return state.auth.forbidden(&operator, &what, &why).await;
    }
    if !operator.can_act_at(department, level) {
        let why = format!("escalated to level {level}: above {}'s level {}", operator.name, operator.level);
        return state.auth.forbidden(&operator, &what, &why).await;
    }
    match state.office.act(&operator.name, &g, action, note.as_deref()).await {
        Ok(g) => Json(json!({ "grievance": shown(&g) })).into_response(),
        Err(error) => step_refused(&state, &operator, &what, department, error).await,
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn a_grievance_list_takes_a_level_of_1_to_max_all_or_the_officers_own(
            level in prop::option::of(prop_oneof!["\\s{0,2}-?[0-9]{1,20}\\s{0,2}", "\\s?all\\s?", "\\PC{0,8}"]),
            role in prop::sample::select(&[Role::Admin, Role::Officer, Role::Viewer][..]),
            own in 1u8..=3,
        ) {
            let operator = Operator { name: "ravi".into(), role, departments: vec!["revenue".into()], level: own };
            let asked = level.as_deref().map(str::trim).filter(|l| !l.is_empty());
            match (level_of(level.as_deref(), &operator), asked) {
                (Ok(taken), None) => prop_assert_eq!(taken, (role == Role::Officer).then_some(i64::from(own))),
                (Ok(None), Some(asked)) => prop_assert_eq!(asked, "all"),
                (Ok(Some(taken)), Some(asked)) => {
                    prop_assert!((1..=MAX_LEVEL).contains(&taken));
                    prop_assert_eq!(asked.parse::<i64>().ok(), Some(taken));
                }
                (Err(why), asked) => {
                    prop_assert!(asked.is_some_and(|a| a != "all" && !a.parse::<i64>().is_ok_and(|l| (1..=MAX_LEVEL).contains(&l))));
                    prop_assert!(why.contains("level"));
                }
            }
        }
    }
}
