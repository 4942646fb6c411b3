//! Media citizens send, fetched as the Cloud API hands it out: `GET
//! /{version}/{media-id}` with the token answers where the file is (for a
//! few minutes), its type, size and SHA-256; the file is a `GET` of that URL
//! with the same token. The webhook's `sha256` and the answer's are checked
//! against the bytes, so a file swapped on the way is refused.

use base64::Engine as _;
use http_body_util::Full;
use hyper::body::Bytes;
use sha2::Digest as _;

use super::graph::{GraphConfig, HttpClient, MAX_RESPONSE, exchange};

/// The largest audio file WhatsApp carries (16 MB); the largest fetched.
pub const MAX_AUDIO: usize = 16 * 1024 * 1024;

/// Why a media file could not be had.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Meta did not answer, or answered that it is in trouble: worth trying
    /// again later.
    #[error("the Graph API is unavailable: {0}")]
    Unavailable(String),
    /// The file is gone, not what it claims, or too large: trying again
    /// will not help.
    #[error("{0}")]
    Refused(String),
}

/// A downloaded media file.
#[derive(Debug)]
pub struct Downloaded {
    pub bytes: Vec<u8>,
    pub mime_type: String,
}

/// Downloads media `media_id` of at most `max` bytes; `expected_sha256` is
/// the webhook's (hex or base64; Meta has sent both).
pub async fn download(
    client: &HttpClient,
    config: &GraphConfig,
    media_id: &str,
    expected_sha256: Option<&str>,
    max: usize,
) -> Result<Downloaded, MediaError> {
    // The id goes into a URL path: Meta's are digits; nothing else passes.
    if media_id.is_empty() || media_id.len() > 64 || !media_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(MediaError::Refused(format!("not a media id: {media_id:.64}")));
    }
    let url = format!("{}/{}/{}", config.base_url.trim_end_matches('/'), config.version, media_id);
    let (status, body) = get(client, config, &url, MAX_RESPONSE).await?;
    let object: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|_| MediaError::Refused(format!("media {media_id}: the Graph API's answer is not JSON ({status})")))?;
    if !(200..300).contains(&status) {
        let message = object["error"]["message"].as_str().unwrap_or_default();
        return Err(failure(status, &format!("media {media_id}: {status} {message}")));
    }
    let Some(location) = object["url"].as_str().filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    else {
        return Err(MediaError::Refused(format!("media {media_id}: no download URL in the Graph API's answer")));
    };
    // `file_size` comes as a number or a string of digits.
    let size = object["file_size"].as_u64().or_else(|| object["file_size"].as_str().and_then(|s| s.parse().ok()));
    if let Some(size) = size
        && size > max as u64
    {
        return Err(MediaError::Refused(format!("media {media_id} is {size} bytes; at most {max} are taken")));
    }
    let (status, bytes) = get(client, config, location, max).await?;
    if !(200..300).contains(&status) {
        return Err(failure(status, &format!("media {media_id}: the download answered {status}")));
    }
    let digest = sha2::Sha256::digest(&bytes);
    for claimed in [expected_sha256, object["sha256"].as_str()].into_iter().flatten() {
        if !same_digest(claimed, &digest) {
            return Err(MediaError::Refused(format!("media {media_id} does not match its SHA-256")));
        }
    }
    let mime_type = object["mime_type"].as_str().unwrap_or("application/octet-stream").to_owned();
    Ok(Downloaded { bytes: bytes.to_vec(), mime_type })
}

async fn get(client: &HttpClient, config: &GraphConfig, url: &str, limit: usize) -> Result<(u16, Bytes), MediaError> {
    let request = hyper::Request::get(url)
        .header("authorization", format!("Bearer {}", config.token))
        .body(Full::new(Bytes::new()))
        .map_err(|e| MediaError::Refused(format!("cannot build a request to {url}: {e}")))?;
    exchange(client, request, config.timeout, limit).await.map_err(|u| MediaError::Unavailable(u.error))
}

/// Meta's trouble (5xx, throttling) is worth another try; the rest is not.
fn failure(status: u16, detail: &str) -> MediaError {
    if status == 429 || status >= 500 {
        MediaError::Unavailable(detail.to_owned())
    } else {
        MediaError::Refused(detail.to_owned())
    }
}

/// Whether `claimed` (hex, or standard or URL-safe base64) is `digest`. A
/// claim that is neither proves nothing either way and is let pass.
fn same_digest(claimed: &str, digest: &[u8]) -> bool {
    let claimed = claimed.trim();
    let decoded = hex::decode(claimed)
        .ok()
        .filter(|d| d.len() == 32)
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(claimed).ok())
        .or_else(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(claimed.trim_end_matches('=')).ok());
    match decoded {
        Some(bytes) if bytes.len() == 32 => bytes == digest,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_recognised_in_hex_and_both_base64s() {
        let digest = sha2::Sha256::digest(b"voice note");
        assert!(same_digest(&hex::encode(digest), &digest));
        assert!(same_digest(&base64::engine::general_purpose::STANDARD.encode(digest), &digest));
        assert!(same_digest(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest), &digest));
        let other = sha2::Sha256::digest(b"another note");
        assert!(!same_digest(&hex::encode(other), &digest));
        assert!(!same_digest(&base64::engine::general_purpose::STANDARD.encode(other), &digest));
    }
}
