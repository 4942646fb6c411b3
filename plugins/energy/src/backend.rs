//! The department system, reached only through the host's allow-listed HTTP
//! at the operator-configured `backend` URL.

use mitra_sdk::PluginError;
use mitra_sdk::host::{self, HttpError, http};
use serde::Serialize;
use serde::de::DeserializeOwned;

const SYSTEM: &str = "the power distribution company's system";

fn base() -> Result<String, PluginError> {
    host::config("backend")
        .map(|url| url.trim_end_matches('/').to_owned())
        .ok_or_else(|| PluginError::Unavailable(format!("{SYSTEM} is not configured")))
}

/// `GET {backend}{path}`, decoded from JSON.
pub(crate) fn get<T: DeserializeOwned>(path: &str) -> Result<T, PluginError> {
    let response = http::get(&format!("{}{path}", base()?)).map_err(transport)?;
    decode(response.status, &response.body)
}

/// `POST {backend}{path}` with a JSON body, decoded from JSON.
pub(crate) fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, PluginError> {
    let json = serde_json::to_string(body).map_err(|e| PluginError::Other(format!("encoding the request: {e}")))?;
    let response = http::post_json(&format!("{}{path}", base()?), &json).map_err(transport)?;
    decode(response.status, &response.body)
}

fn transport(error: HttpError) -> PluginError {
    match error {
        HttpError::Timeout => PluginError::Unavailable(format!("{SYSTEM} did not answer in time")),
        HttpError::Unreachable(_) => PluginError::Unavailable(format!("{SYSTEM} is unreachable")),
        HttpError::TooLarge => PluginError::Other(format!("{SYSTEM} sent an oversized answer")),
        HttpError::InvalidUrl(url) => PluginError::Unavailable(format!("{SYSTEM} is misconfigured: {url}")),
        HttpError::Other(why) => PluginError::Unavailable(format!("{SYSTEM} failed: {why}")),
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: String,
}

/// Maps the department system's answer to the record or to the plugin error
/// the citizen's chat understands.
pub(crate) fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, PluginError> {
    let message =
        || serde_json::from_slice::<ErrorBody>(body).map(|b| b.error).unwrap_or_else(|_| format!("HTTP {status}"));
    match status {
        200..=299 => serde_json::from_slice(body)
            .map_err(|e| PluginError::Other(format!("{SYSTEM} sent an answer this plugin cannot read: {e}"))),
        404 => Err(PluginError::NotFound(message())),
        400 | 409 | 422 => Err(PluginError::InvalidInput(message())),
        500..=599 => Err(PluginError::Unavailable(format!("{SYSTEM} is having trouble (HTTP {status})"))),
        _ => Err(PluginError::Other(format!("{SYSTEM} answered HTTP {status}: {}", message()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Consumer {
        usc: String,
    }

    #[test]
    fn statuses_map_to_the_errors_a_citizen_understands() {
        let ok: Consumer = decode(201, br#"{"usc":"1102345678901","extra":1}"#).unwrap();
        assert_eq!(ok.usc, "1102345678901");
        assert_eq!(
            decode::<Consumer>(404, br#"{"error":"no service connection 9902345678901"}"#),
            Err(PluginError::NotFound("no service connection 9902345678901".into()))
        );
        assert!(
            matches!(decode::<Consumer>(409, br#"{"error":"nothing due"}"#), Err(PluginError::InvalidInput(m)) if m == "nothing due")
        );
        assert!(matches!(decode::<Consumer>(503, b"oops"), Err(PluginError::Unavailable(m)) if m.contains("503")));
        assert!(matches!(decode::<Consumer>(200, b"<html>"), Err(PluginError::Other(_))));
        assert!(matches!(decode::<Consumer>(418, b""), Err(PluginError::Other(m)) if m.contains("418")));
    }
}
