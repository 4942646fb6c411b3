//! APSRTC's systems over the host's HTTP, and the shapes of their replies.

use mitra_sdk::PluginError;
use mitra_sdk::host::{self, http};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const SYSTEM: &str = "the APSRTC reservation system";

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

/// One service on the bus list.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Bus {
    pub(crate) service_no: u32,
    pub(crate) class: String,
    pub(crate) from: String,
    pub(crate) from_te: String,
    pub(crate) to: String,
    pub(crate) to_te: String,
    pub(crate) date: String,
    pub(crate) departure: String,
    pub(crate) arrival: String,
    pub(crate) arrives_next_day: bool,
    pub(crate) duration_minutes: u32,
    pub(crate) distance_km: u32,
    pub(crate) fare: u32,
    pub(crate) reservation_fee: u32,
    pub(crate) reservable: bool,
    pub(crate) seats_available: Option<u32>,
    pub(crate) booking_open: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct BusList {
    pub(crate) from: String,
    pub(crate) from_te: String,
    pub(crate) to: String,
    pub(crate) to_te: String,
    pub(crate) date: String,
    pub(crate) distance_km: u32,
    pub(crate) services: Vec<Bus>,
}

#[derive(Serialize)]
pub(crate) struct BookingRequest<'a> {
    /// Mitra's application number, so a repeated submission books once.
    pub(crate) application: &'a str,
    pub(crate) service_no: u32,
    pub(crate) date: String,
    pub(crate) seats: u32,
    pub(crate) passenger: &'a str,
    pub(crate) age: u32,
    pub(crate) phone: &'a str,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Cancellation {
    pub(crate) deduction_percent: u32,
    pub(crate) refund: u32,
    pub(crate) cancelled_on: String,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Ticket {
    pub(crate) pnr: String,
    pub(crate) service_no: u32,
    pub(crate) class: String,
    pub(crate) from: String,
    pub(crate) from_te: String,
    pub(crate) to: String,
    pub(crate) to_te: String,
    pub(crate) date: String,
    pub(crate) departure: String,
    pub(crate) arrival: String,
    pub(crate) seats: u32,
    pub(crate) seat_numbers: Vec<u32>,
    pub(crate) passenger: String,
    pub(crate) age: u32,
    pub(crate) phone: String,
    pub(crate) fare_per_seat: u32,
    pub(crate) reservation_fee: u32,
    pub(crate) total: u32,
    pub(crate) cancellation: Option<Cancellation>,
    /// `booked`, `cancelled` or `travelled`.
    pub(crate) status: String,
    pub(crate) minutes_to_departure: i64,
}

#[derive(Serialize)]
pub(crate) struct CancelRequest<'a> {
    pub(crate) phone: &'a str,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ParcelEvent {
    pub(crate) date: String,
    pub(crate) time: String,
    pub(crate) status: String,
    pub(crate) place: String,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Parcel {
    pub(crate) lr: String,
    pub(crate) from: String,
    pub(crate) from_te: String,
    pub(crate) to: String,
    pub(crate) to_te: String,
    pub(crate) booked_on: String,
    pub(crate) sender: String,
    pub(crate) receiver: String,
    pub(crate) packages: u32,
    pub(crate) weight_kg: u32,
    pub(crate) charges: u32,
    /// `booked`, `dispatched`, `arrived` or `delivered`.
    pub(crate) status: String,
    pub(crate) collect_at: String,
    pub(crate) events: Vec<ParcelEvent>,
}

#[derive(Serialize)]
pub(crate) struct LostReport<'a> {
    pub(crate) application: &'a str,
    pub(crate) travel_date: String,
    pub(crate) from: &'a str,
    pub(crate) service_no: Option<String>,
    pub(crate) item: &'a str,
    pub(crate) description: &'a str,
    pub(crate) phone: &'a str,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Complaint {
    pub(crate) complaint_no: String,
    pub(crate) office: String,
    pub(crate) registered_on: String,
    pub(crate) matched: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Result<http::Response, http::HttpError> {
        Ok(http::Response { status, headers: Vec::new(), body: body.as_bytes().to_vec() })
    }

    #[test]
    fn replies_map_to_the_contracts_errors() {
        let ok: Complaint = reply(answer(
            201,
            r#"{"complaint_no":"LF/GNT/00001","office":"NTR Bus Station","registered_on":"2025-01-01","matched":false}"#,
        ))
        .unwrap();
        assert_eq!(ok.complaint_no, "LF/GNT/00001");
        let missing = reply::<Complaint>(answer(404, r#"{"error":"no ticket with PNR AP1"}"#)).unwrap_err();
        assert_eq!(missing, PluginError::NotFound("no ticket with PNR AP1".into()));
        let refused = reply::<Complaint>(answer(409, r#"{"error":"only 2 seats left"}"#)).unwrap_err();
        assert_eq!(refused, PluginError::InvalidInput("only 2 seats left".into()));
        assert!(matches!(reply::<Complaint>(answer(503, "")), Err(PluginError::Unavailable(_))));
        let down = reply::<Complaint>(Err(http::HttpError::Unreachable("connection refused".into()))).unwrap_err();
        assert!(matches!(&down, PluginError::Unavailable(m) if m.contains("connection refused")), "{down:?}");
        assert!(matches!(reply::<Complaint>(answer(200, "<html>")), Err(PluginError::Other(_))));
    }
}
