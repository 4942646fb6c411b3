//! The Anna Canteens systems over the host's HTTP, and the shapes of their replies.

use mitra_sdk::PluginError;
use mitra_sdk::host::{self, http};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const SYSTEM: &str = "the Anna Canteens system";

fn url(path: &str) -> Result<String, PluginError> {
    let base = host::config("backend")
        .ok_or_else(|| PluginError::Unavailable(format!("{SYSTEM} is not configured (no backend)")))?;
    Ok(format!("{}{path}", base.trim_end_matches('/')))
}

pub(crate) fn get<T: DeserializeOwned>(path: &str) -> Result<T, PluginError> {
    reply(http::get(&url(path)?))
}

pub(crate) fn post<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, PluginError> {
    let json = serde_json::to_string(body).map_err(|e| PluginError::Other(format!("request: {e}")))?;
    reply(http::post_json(&url(path)?, &json))
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

/// Maps the department's answer to the contract: 2xx is data, 404 is a
/// missing record, other 4xx a refusal of the request, 5xx and transport
/// failures mean the system is down.
pub(crate) fn reply<T: DeserializeOwned>(sent: Result<http::Response, http::HttpError>) -> Result<T, PluginError> {
    let response = sent.map_err(|error| {
        let why = match error {
            http::HttpError::Timeout => "timed out".to_owned(),
            http::HttpError::Unreachable(e) | http::HttpError::InvalidUrl(e) | http::HttpError::Other(e) => e,
            http::HttpError::TooLarge => "reply too large".to_owned(),
        };
        PluginError::Unavailable(format!("{SYSTEM} is not reachable: {why}"))
    })?;
    let reason = || {
        serde_json::from_slice::<ErrorBody>(&response.body)
            .map(|body| body.error)
            .unwrap_or_else(|_| format!("{SYSTEM} refused the request (HTTP {})", response.status))
    };
    match response.status {
        200..=299 => serde_json::from_slice(&response.body)
            .map_err(|e| PluginError::Other(format!("unexpected reply from {SYSTEM}: {e}"))),
        404 => Err(PluginError::NotFound(reason())),
        400..=499 => Err(PluginError::InvalidInput(reason())),
        status => Err(PluginError::Unavailable(format!("{SYSTEM} failed (HTTP {status}); try again later"))),
    }
}

/// One meal session at a canteen, with what sponsoring it costs.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Session {
    pub(crate) session: String,
    pub(crate) opens: String,
    pub(crate) closes: String,
    pub(crate) meals: u32,
    pub(crate) sponsor_amount: u32,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Canteen {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) name_te: String,
    pub(crate) town: String,
    pub(crate) town_te: String,
    pub(crate) address: String,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
    /// `open` or `closed`.
    pub(crate) status: String,
    /// Why it is closed.
    pub(crate) note: Option<String>,
    pub(crate) plate_price: u32,
    pub(crate) sessions: Vec<Session>,
    /// Set by the nearest-canteen search.
    pub(crate) distance_km: Option<f64>,
}

impl Canteen {
    pub(crate) fn is_open(&self) -> bool {
        self.status == "open"
    }
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Meal {
    pub(crate) meal: String,
    pub(crate) opens: String,
    pub(crate) closes: String,
    pub(crate) price: u32,
    pub(crate) items: String,
    pub(crate) items_te: String,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Menu {
    pub(crate) closed: bool,
    pub(crate) meals: Vec<Meal>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Sponsorships {
    pub(crate) open: bool,
    pub(crate) taken: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct FeedbackRequest<'a> {
    /// Mitra's application number, so a repeated submission files once.
    pub(crate) application: &'a str,
    pub(crate) canteen: &'a str,
    pub(crate) category: &'a str,
    pub(crate) details: &'a str,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Acknowledgement {
    pub(crate) ticket: String,
    pub(crate) forwarded_to: String,
    pub(crate) sla_days: u32,
    pub(crate) registered_on: String,
}

#[derive(Serialize)]
pub(crate) struct DonationRequest<'a> {
    pub(crate) application: &'a str,
    pub(crate) canteen: &'a str,
    pub(crate) date: String,
    pub(crate) session: &'a str,
    pub(crate) donor: &'a str,
    pub(crate) occasion: &'a str,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Donation {
    pub(crate) receipt: String,
    pub(crate) canteen: String,
    pub(crate) canteen_name: String,
    pub(crate) town: String,
    pub(crate) date: String,
    pub(crate) sessions: Vec<String>,
    pub(crate) meals: u32,
    pub(crate) amount: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Result<http::Response, http::HttpError> {
        Ok(http::Response { status, headers: Vec::new(), body: body.as_bytes().to_vec() })
    }

    #[test]
    fn replies_map_to_the_contracts_errors() {
        let menu: Menu = reply(answer(200, r#"{"day":"sun","closed":true,"meals":[]}"#)).unwrap();
        assert!(menu.closed);
        let missing = reply::<Menu>(answer(404, r#"{"error":"no Anna Canteen with code VJA-99"}"#)).unwrap_err();
        assert_eq!(missing, PluginError::NotFound("no Anna Canteen with code VJA-99".into()));
        let refused = reply::<Menu>(answer(409, r#"{"error":"lunch is already sponsored"}"#)).unwrap_err();
        assert_eq!(refused, PluginError::InvalidInput("lunch is already sponsored".into()));
        assert!(matches!(reply::<Menu>(answer(500, "oops")), Err(PluginError::Unavailable(_))));
        let down = reply::<Menu>(Err(http::HttpError::Timeout)).unwrap_err();
        assert!(matches!(&down, PluginError::Unavailable(m) if m.contains("timed out")), "{down:?}");
    }
}
