//! The Revenue department's systems as this plugin reaches them: Webland
//! (Adangal, 1-B, FMB) and e-Mutation, over HTTP at the operator-set
//! `backend` URL and nowhere else.

use mitra_sdk::PluginError;
use mitra_sdk::host::{self, HttpError};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::places::Place;

/// A name as the registers keep it, in English and Telugu.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Bilingual {
    pub(crate) en: String,
    pub(crate) te: String,
}

impl Bilingual {
    /// "Lakshmi Reddy / లక్ష్మి రెడ్డి", for values printed in both scripts.
    pub(crate) fn both(&self) -> String {
        if self.te.is_empty() || self.te == self.en { self.en.clone() } else { format!("{} / {}", self.en, self.te) }
    }
}

/// One parcel's Adangal (village account No. 3) entry.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Adangal {
    pub(crate) village: Bilingual,
    pub(crate) survey: String,
    pub(crate) khata: u32,
    pub(crate) land_type_label: Bilingual,
    pub(crate) pattadar: Option<Bilingual>,
    pub(crate) father: Option<Bilingual>,
    pub(crate) extent_cents: u32,
    pub(crate) classification: Bilingual,
    pub(crate) irrigation: Bilingual,
    pub(crate) crop: Option<Bilingual>,
    pub(crate) season: String,
    pub(crate) cultivator: Bilingual,
    pub(crate) updated_by: String,
}

/// One parcel of a 1-B khata.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Holding {
    pub(crate) survey: String,
    pub(crate) extent_cents: u32,
    pub(crate) classification: Bilingual,
}

/// A Record of Rights (ROR 1-B) khata.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Ror1b {
    pub(crate) village: Bilingual,
    pub(crate) khata: u32,
    pub(crate) land_type_label: Bilingual,
    pub(crate) pattadar: Bilingual,
    pub(crate) father: Bilingual,
    pub(crate) passbook: String,
    pub(crate) holdings: Vec<Holding>,
    pub(crate) total_extent_cents: u32,
}

/// The FMB sketch of a survey number.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Fmb {
    pub(crate) survey: u32,
    pub(crate) digitised: bool,
    pub(crate) subdivisions: Vec<String>,
    pub(crate) area_cents: u32,
    pub(crate) north: String,
    pub(crate) south: String,
    pub(crate) east: String,
    pub(crate) west: String,
}

/// One step of an e-Mutation application.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Step {
    pub(crate) date: String,
    pub(crate) step: Bilingual,
}

/// An e-Mutation application.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Mutation {
    pub(crate) number: String,
    pub(crate) village: Bilingual,
    pub(crate) mandal: Bilingual,
    pub(crate) survey: String,
    pub(crate) transaction: Bilingual,
    pub(crate) document: String,
    pub(crate) transferor: Bilingual,
    pub(crate) transferee: Bilingual,
    pub(crate) applied_on: String,
    pub(crate) status: String,
    pub(crate) pending_with: Option<Bilingual>,
    pub(crate) remarks: Option<Bilingual>,
    pub(crate) history: Vec<Step>,
    pub(crate) sla_days: u32,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The land-record query for a survey number of a resolved village.
pub(crate) fn land_query(place: &Place, survey: &str) -> String {
    format!(
        "district={}&mandal={}&village={}&survey={}",
        encode(place.district),
        encode(place.mandal),
        encode(place.village),
        encode(survey)
    )
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
    PluginError::Unavailable(format!("the Revenue department's Webland system {why}"))
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
            .map_err(|e| PluginError::Other(format!("Webland sent a record this plugin cannot read: {e}"))),
        404 => Err(PluginError::NotFound(message())),
        400..=499 => Err(PluginError::InvalidInput(message())),
        _ => Err(PluginError::Unavailable(format!("the Revenue department's Webland system answered {status}"))),
    }
}

/// `GET <backend><path>` and decode the JSON answer.
pub(crate) fn get<T: DeserializeOwned>(path: &str) -> Result<T, PluginError> {
    let base = host::config("backend")
        .ok_or_else(|| PluginError::Unavailable("the Revenue department's backend is not configured".to_owned()))?;
    let url = format!("{}{path}", base.trim_end_matches('/'));
    let response = host::http::get(&url).map_err(transport_error)?;
    decode(response.status, &response.body)
}

pub(crate) fn adangal(place: &Place, survey: &str) -> Result<Adangal, PluginError> {
    get(&format!("/land/adangal?{}", land_query(place, survey)))
}

pub(crate) fn ror_1b(place: &Place, survey: &str) -> Result<Ror1b, PluginError> {
    get(&format!("/land/1b?{}", land_query(place, survey)))
}

pub(crate) fn fmb(place: &Place, survey: &str) -> Result<Fmb, PluginError> {
    get(&format!("/land/fmb?{}", land_query(place, survey)))
}

pub(crate) fn mutation(number: &str) -> Result<Mutation, PluginError> {
    get(&format!("/mutations/{}", encode(number)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("Vijayawada Rural"), "Vijayawada%20Rural");
        assert_eq!(encode("45/2A"), "45%2F2A");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
        assert_eq!(encode("గొ"), "%E0%B0%97%E0%B1%8A");
    }

    #[test]
    fn statuses_map_to_plugin_errors() {
        let missing = decode::<Fmb>(404, br#"{"error":"no survey number 999 in Gollapudi village"}"#);
        assert_eq!(missing.unwrap_err(), PluginError::NotFound("no survey number 999 in Gollapudi village".into()));
        assert!(matches!(decode::<Fmb>(400, b"bad"), Err(PluginError::InvalidInput(m)) if m == "bad"));
        assert!(matches!(decode::<Fmb>(503, b""), Err(PluginError::Unavailable(m)) if m.contains("503")));
        assert!(matches!(decode::<Fmb>(200, b"{}"), Err(PluginError::Other(_))));
    }

    #[test]
    fn an_adangal_answer_is_read() {
        let body = r#"{"district":{"en":"NTR","te":"ఎన్టీఆర్"},"mandal":{"en":"Vijayawada Rural","te":"విజయవాడ గ్రామీణ"},
            "village":{"en":"Gollapudi","te":"గొల్లపూడి"},"survey":"11","khata":1004,"land_type":"patta",
            "land_type_label":{"en":"Patta","te":"పట్టా"},"pattadar":{"en":"Padmavathi Yadav","te":"పద్మావతి యాదవ్"},
            "father":{"en":"Suresh Yadav","te":"సురేష్ యాదవ్"},"extent_cents":446,
            "classification":{"en":"Dry (Metta)","te":"మెట్ట"},"irrigation":{"en":"Rain-fed","te":"వర్షాధారం"},
            "crop":{"en":"Cotton","te":"పత్తి"},"season":"Kharif 2025-26",
            "cultivator":{"en":"Padmavathi Yadav (self)","te":"పద్మావతి యాదవ్ (స్వయం సాగు)"},"updated_by":"VRO, Gollapudi"}"#;
        let record: Adangal = decode(200, body.as_bytes()).unwrap();
        assert_eq!(record.pattadar.unwrap().both(), "Padmavathi Yadav / పద్మావతి యాదవ్");
        assert_eq!(record.extent_cents, 446);
    }

    #[test]
    fn transport_failures_say_which_system_is_down() {
        let PluginError::Unavailable(message) = transport_error(HttpError::Unreachable("connection refused".into()))
        else {
            panic!("not unavailable");
        };
        assert!(message.contains("Webland") && message.contains("connection refused"), "{message}");
    }
}
