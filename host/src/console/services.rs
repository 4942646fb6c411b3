//! The services on the console: `GET /admin/services` lists every
//! department being served and each of its services as citizens are
//! offered them (title, how it is delivered, SLA, fee), with whether the
//! department is declarative (its services are definition files served by
//! the generic component) or code, and the version being served.
//!
//! Read from the catalogue as it is now (a publish shows at once); the
//! versions in a staged rollout are not listed. Any logged-in operator may
//! read it: it is what the chat offers every citizen.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::ConsoleState;
use super::auth::Operator;
use crate::runtime::{Catalog, Delivery, Text};

/// `GET /admin/services`: every department and its services, by id.
pub(super) async fn list(State(state): State<ConsoleState>, _operator: Operator) -> Response {
    Json(listing(state.desk.catalog())).into_response()
}

/// The listing of what `catalog` serves: departments sorted by id (as the
/// catalogue keeps them), services in the order the department gives them.
pub(super) fn listing(catalog: &Catalog) -> Value {
    let mut plugins = catalog.plugins();
    plugins.sort_by(|a, b| a.id().cmp(b.id()));
    let (mut services, mut declarative_departments, mut declarative_services) = (0, 0, 0);
    let departments: Vec<Value> = plugins
        .iter()
        .map(|plugin| {
            let info = plugin.info();
            services += info.services.len();
            if plugin.declarative() {
                declarative_departments += 1;
                declarative_services += info.services.len();
            }
            json!({
                "id": plugin.id(),
                "name": names(&info.name),
                "version": plugin.manifest().version,
                "declarative": plugin.declarative(),
                "services": info.services.iter().map(|s| json!({
                    "id": s.id,
                    "title": names(&s.title),
                    "delivery": delivery(s.delivery),
                    "sla_days": s.sla_days,
                    "fee_rupees": rupees(s.fee_paise),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "departments": departments,
        "totals": {
            "departments": plugins.len(),
            "services": services,
            "declarative_departments": declarative_departments,
            "declarative_services": declarative_services,
        },
    })
}

/// `{en, te}`: Telugu null where the department gives none.
fn names(text: &Text) -> Value {
    json!({ "en": text.en, "te": text.te })
}

/// How a service is delivered, as the contract spells it.
fn delivery(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::Information => "information",
        Delivery::InstantDocument => "instant-document",
        Delivery::Application => "application",
        Delivery::Booking => "booking",
        Delivery::Payment => "payment",
    }
}

/// Paise as rupees: a whole number where it is one (`50`), else with the
/// paise (`45.5`).
fn rupees(paise: u64) -> Value {
    if paise.is_multiple_of(100) { json!(paise / 100) } else { json!(paise as f64 / 100.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_rupees_and_deliveries_are_spelt_as_the_contract_does() {
        assert_eq!((rupees(0), rupees(5000), rupees(4550)), (json!(0), json!(50), json!(45.5)));
        assert_eq!(delivery(Delivery::InstantDocument), "instant-document");
        let text = Text { en: "Birth".into(), te: None, hi: Some("जन्म".into()) };
        assert_eq!(names(&text), json!({ "en": "Birth", "te": null }));
    }

    #[test]
    fn an_empty_catalogue_lists_nothing() {
        let listed = listing(&Catalog::new());
        assert_eq!(listed["departments"], json!([]));
        assert_eq!(listed["totals"]["services"], 0);
    }
}
