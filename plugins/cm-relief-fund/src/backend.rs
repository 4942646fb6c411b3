//! The CMRF system as the plugin sees it: the records it returns and the one
//! way to reach it (HTTP to the operator-configured `backend` URL).

use mitra_sdk::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A hospital of the CMRF network.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Hospital {
    pub code: String,
    pub name: String,
    pub name_te: String,
    pub city: String,
    pub district: String,
    pub treatments: Vec<String>,
    /// Empanelled under Dr. NTR Vaidya Seva.
    pub vaidya_seva: bool,
    /// Accepts a CMRF Letter of Credit.
    pub loc: bool,
    /// `active` or `suspended`.
    pub status: String,
}

#[derive(Debug, Deserialize)]
struct Hospitals {
    hospitals: Vec<Hospital>,
}

/// A patient's enrolment in Dr. NTR Vaidya Seva (formerly Dr. YSR Aarogyasri).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Enrolment {
    pub enrolled: bool,
    pub health_card: Option<String>,
}

/// A CMRF application and where it stands.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Status {
    pub number: String,
    /// `assistance`, `loc` or `reimbursement`.
    pub kind: String,
    pub patient: String,
    pub patient_te: String,
    pub district: String,
    pub hospital_code: String,
    pub hospital: String,
    pub treatment: String,
    pub requested: u64,
    pub sanctioned: Option<u64>,
    pub stage: String,
    pub rejection: Option<String>,
    pub submitted_on: String,
    pub updated_on: String,
}

/// `GET {backend}{path}`: `Ok(None)` when the fund has no such record.
fn get<T: DeserializeOwned>(path: &str) -> Result<Option<T>, PluginError> {
    let base = host::config("backend")
        .ok_or_else(|| PluginError::Unavailable("the CM Relief Fund system is not configured".into()))?;
    let url = format!("{}{path}", base.trim_end_matches('/'));
    let response = host::http::get(&url).map_err(|error| {
        host::log(host::Level::Warn, &format!("GET {url}: {error:?}"));
        PluginError::Unavailable("the CM Relief Fund system is not reachable".into())
    })?;
    match response.status {
        200..=299 => serde_json::from_slice(&response.body)
            .map(Some)
            .map_err(|e| PluginError::Other(format!("unexpected answer from the CM Relief Fund system: {e}"))),
        404 => Ok(None),
        400..=499 => Err(PluginError::InvalidInput(response.text())),
        status => {
            host::log(host::Level::Warn, &format!("GET {url}: HTTP {status}"));
            Err(PluginError::Unavailable(format!("the CM Relief Fund system answered HTTP {status}")))
        }
    }
}

/// Percent-encodes a query value (district names have spaces).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn hospital(code: &str) -> Result<Option<Hospital>, PluginError> {
    get(&format!("/hospitals/{code}"))
}

pub fn hospitals(district: &str) -> Result<Option<Vec<Hospital>>, PluginError> {
    Ok(get::<Hospitals>(&format!("/hospitals?district={}", encode(district)))?.map(|h| h.hospitals))
}

pub fn enrolment(aadhaar: &str) -> Result<Enrolment, PluginError> {
    get(&format!("/vaidya-seva/{aadhaar}"))?
        .ok_or_else(|| PluginError::Unavailable("the Vaidya Seva register did not answer".into()))
}

pub fn status(number: &str) -> Result<Option<Status>, PluginError> {
    get(&format!("/applications/{number}"))
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn district_names_are_percent_encoded() {
        assert_eq!(encode("East Godavari"), "East%20Godavari");
        assert_eq!(encode("NTR"), "NTR");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
    }
}
