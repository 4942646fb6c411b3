//! The corporations' systems as this plugin reaches them, over HTTP at the
//! operator-set `backend` URL and nowhere else.

use mitra_sdk::PluginError;
use mitra_sdk::host::{self, HttpError};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::rules::encode;

/// A name as the registers keep it, in English and Telugu.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Bilingual {
    pub(crate) en: String,
    pub(crate) te: String,
}

impl Bilingual {
    /// "Lakshmi Reddy / లక్ష్మి రెడ్డి", for values printed in both scripts.
    /// As a contract text: English and, where known, Telugu.
    pub(crate) fn text(&self) -> mitra_sdk::Text {
        let text = mitra_sdk::Text::new(self.en.as_str());
        if self.te.is_empty() || self.te == self.en { text } else { text.te(self.te.as_str()) }
    }

    pub(crate) fn both(&self) -> String {
        if self.te.is_empty() || self.te == self.en { self.en.clone() } else { format!("{} / {}", self.en, self.te) }
    }
}

/// An entry of the birth register.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Birth {
    pub(crate) registration: String,
    pub(crate) ulb: Bilingual,
    pub(crate) child: Option<Bilingual>,
    pub(crate) sex: Bilingual,
    pub(crate) date_of_birth: String,
    pub(crate) place_of_birth: Bilingual,
    pub(crate) father: Bilingual,
    pub(crate) mother: Bilingual,
    pub(crate) address: Bilingual,
    pub(crate) registered_on: String,
    pub(crate) registrar: Bilingual,
}

/// An entry of the death register.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Death {
    pub(crate) registration: String,
    pub(crate) deceased: Bilingual,
    pub(crate) sex: Bilingual,
    pub(crate) age: u32,
    pub(crate) relation: Bilingual,
    pub(crate) date_of_death: String,
    pub(crate) place_of_death: Bilingual,
    pub(crate) address: Bilingual,
    pub(crate) registered_on: String,
    pub(crate) registrar: Bilingual,
}

/// Where a payment goes.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Payee {
    pub(crate) vpa: String,
    pub(crate) name: String,
}

/// The last payment received.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Payment {
    pub(crate) date: String,
    pub(crate) amount_paise: u64,
    pub(crate) receipt: String,
}

/// The property tax demand of one assessment.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct PropertyTax {
    pub(crate) assessment: String,
    pub(crate) ulb: Bilingual,
    pub(crate) owner: Bilingual,
    pub(crate) address: Bilingual,
    pub(crate) ward: u32,
    pub(crate) usage: Bilingual,
    pub(crate) plinth_area_sqft: u32,
    pub(crate) annual_tax_paise: u64,
    pub(crate) financial_year: String,
    pub(crate) current_demand_paise: u64,
    pub(crate) arrears_paise: u64,
    pub(crate) interest_paise: u64,
    pub(crate) total_due_paise: u64,
    pub(crate) last_payment: Option<Payment>,
    pub(crate) water_connection: Option<String>,
    pub(crate) payee: Payee,
    pub(crate) demand_ref: String,
}

/// A trade licence in the licensing register.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct TradeLicence {
    pub(crate) number: String,
    pub(crate) trade_name: String,
    pub(crate) owner: Bilingual,
    pub(crate) category: String,
    pub(crate) address: Bilingual,
    pub(crate) valid_until: String,
    pub(crate) status: String,
    pub(crate) remarks: Option<Bilingual>,
}

/// A building permission application on DPMS.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct BuildingPermission {
    pub(crate) number: String,
    pub(crate) ulb: Bilingual,
    pub(crate) applicant: Bilingual,
    pub(crate) site: Bilingual,
    pub(crate) plot_area_sq_yards: u32,
    pub(crate) proposal: Bilingual,
    pub(crate) submitted_on: String,
    pub(crate) status: String,
    pub(crate) stage: Bilingual,
    pub(crate) pending_with: Option<Bilingual>,
    pub(crate) shortfall: Option<Bilingual>,
    pub(crate) permit: Option<String>,
    pub(crate) remarks: Option<Bilingual>,
}

/// A sanitation complaint as registered at the complaint desk.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Registered {
    pub(crate) complaint: String,
    pub(crate) ulb: Bilingual,
    pub(crate) ward: u32,
    pub(crate) sanitary_inspector: Bilingual,
    pub(crate) sla_hours: u32,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

/// Turns a transport failure into the error a citizen sees as "briefly unavailable".
pub(crate) fn transport_error(error: HttpError) -> PluginError {
    let why = match error {
        HttpError::Timeout => "did not answer in time".to_owned(),
        HttpError::Unreachable(e) => format!("is unreachable ({e})"),
        HttpError::InvalidUrl(e) => format!("has a misconfigured address ({e})"),
        HttpError::TooLarge => "sent an oversized answer".to_owned(),
        HttpError::Other(e) => format!("failed ({e})"),
    };
    PluginError::Unavailable(format!("the municipal corporation's system {why}"))
}

/// Maps a response to a value or to the matching plugin error.
pub(crate) fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, PluginError> {
    let message = || {
        serde_json::from_slice::<ErrorBody>(body)
            .map(|e| e.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(body).chars().take(200).collect())
    };
    match status {
        200..=299 => serde_json::from_slice(body)
            .map_err(|e| PluginError::Other(format!("the corporation sent a record this plugin cannot read: {e}"))),
        404 => Err(PluginError::NotFound(message())),
        400..=499 => Err(PluginError::InvalidInput(message())),
        _ => Err(PluginError::Unavailable(format!("the municipal corporation's system answered {status}"))),
    }
}

fn url(path: &str) -> Result<String, PluginError> {
    let base = host::config("backend")
        .ok_or_else(|| PluginError::Unavailable("the municipal backend is not configured".to_owned()))?;
    Ok(format!("{}{path}", base.trim_end_matches('/')))
}

fn get<T: DeserializeOwned>(path: &str) -> Result<T, PluginError> {
    let response = host::http::get(&url(path)?).map_err(transport_error)?;
    decode(response.status, &response.body)
}

pub(crate) fn birth(registration: &str) -> Result<Birth, PluginError> {
    get(&format!("/births/{}", encode(registration)))
}

pub(crate) fn death(registration: &str) -> Result<Death, PluginError> {
    get(&format!("/deaths/{}", encode(registration)))
}

pub(crate) fn property_tax(assessment: &str) -> Result<PropertyTax, PluginError> {
    get(&format!("/property-tax/{}", encode(assessment)))
}

pub(crate) fn trade_licence(number: &str) -> Result<TradeLicence, PluginError> {
    get(&format!("/trade-licences/{}", encode(number)))
}

pub(crate) fn building_permission(number: &str) -> Result<BuildingPermission, PluginError> {
    get(&format!("/building-permissions/{}", encode(number)))
}

/// Files a complaint. The complaint desk derives the complaint number from
/// `reference`, so filing the same application twice files it once.
pub(crate) fn file_complaint(reference: &str, category: &str, lat: f64, lon: f64) -> Result<Registered, PluginError> {
    let body = serde_json::json!({ "reference": reference, "category": category, "latitude": lat, "longitude": lon });
    let response =
        host::http::post_json(&url("/sanitation/complaints")?, &body.to_string()).map_err(transport_error)?;
    decode(response.status, &response.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_plugin_errors() {
        let missing = decode::<Birth>(404, br#"{"error":"no birth registration B-2023-VJA-29999"}"#);
        assert_eq!(missing.unwrap_err(), PluginError::NotFound("no birth registration B-2023-VJA-29999".into()));
        assert!(matches!(decode::<Birth>(422, b"outside"), Err(PluginError::InvalidInput(m)) if m == "outside"));
        assert!(matches!(decode::<Birth>(502, b""), Err(PluginError::Unavailable(m)) if m.contains("502")));
        assert!(matches!(decode::<Birth>(200, b"[]"), Err(PluginError::Other(_))));
    }

    #[test]
    fn a_property_tax_answer_is_read() {
        let body = r#"{"assessment":"1001000006","ulb":{"en":"Vijayawada Municipal Corporation","te":"విజయవాడ నగరపాలక సంస్థ"},
            "owner":{"en":"Suresh Rao","te":"సురేష్ రావు"},"address":{"en":"D.No. 1-2-3, Patamata, Vijayawada, 520001","te":"ఇం.నం. 1-2-3"},
            "ward":12,"usage":{"en":"Residential","te":"నివాసం"},"plinth_area_sqft":1048,"annual_tax_paise":524000,
            "financial_year":"2026-27","current_demand_paise":262000,"arrears_paise":1048000,"interest_paise":104800,
            "total_due_paise":1414800,"last_payment":null,"water_connection":"WC-VJA-494093",
            "payee":{"vpa":"vmc.propertytax@mitrasim","name":"Vijayawada Municipal Corporation"},"demand_ref":"PT10010000062026H2"}"#;
        let record: PropertyTax = decode(200, body.as_bytes()).unwrap();
        assert_eq!(record.total_due_paise, 1_414_800);
        assert_eq!(record.owner.both(), "Suresh Rao / సురేష్ రావు");
    }

    #[test]
    fn transport_failures_say_which_system_is_down() {
        let PluginError::Unavailable(message) = transport_error(HttpError::Timeout) else { panic!("not unavailable") };
        assert!(message.contains("municipal") && message.contains("in time"), "{message}");
    }
}
