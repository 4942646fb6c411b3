//! `mitra verify`: a certificate checked away from the host, against the
//! published keys, a signed checkpoint, an inclusion proof and the
//! revocation list, each read from a file or fetched from a host and then
//! checked here (a host is a source of evidence, never of the verdict).

use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;

use anyhow::Context as _;
use base64::Engine as _;

use super::keys::PublicKey;
use super::merkle::Hash;
use super::payload::PREFIX;
use super::verify::{self, Evidence, Inclusion, Report, Revocation};

/// The evidence as published: JWKS, checkpoint note, `{"proof": […]}`,
/// `{"revoked": […]}`.
#[derive(Clone, Debug, Default)]
pub struct Published {
    pub jwks: String,
    pub checkpoint: Option<String>,
    pub proof: Option<String>,
    pub revoked: Option<String>,
}

/// The keys of a JSON Web Key Set as `/.well-known/jwks.json` serves it.
pub fn keys_from_jwks(jwks: &str) -> anyhow::Result<Vec<PublicKey>> {
    let set: serde_json::Value = serde_json::from_str(jwks).context("the key set is not JSON")?;
    let keys = set["keys"].as_array().context("the key set has no \"keys\"")?;
    keys.iter()
        .filter(|k| k["kty"] == "OKP" && k["crv"] == "Ed25519")
        .map(|k| {
            let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(k["x"].as_str().unwrap_or_default())
                .context("a key's x is not base64url")?;
            PublicKey::new(
                k["kid"].as_str().context("a key without a kid")?.to_owned(),
                k["department"].as_str().unwrap_or_default().to_owned(),
                x.try_into().map_err(|_| anyhow::anyhow!("an Ed25519 key is 32 bytes"))?,
                k["status"] != "retired",
            )
        })
        .collect()
}

/// The log index `payload` claims, to ask a host for its inclusion proof.
pub fn claimed_index(payload: &str, jwks: &str) -> anyhow::Result<Option<u64>> {
    Ok(verify::claimed_index(payload, &keys_from_jwks(jwks)?))
}

/// Checks `payload` against `published` evidence; `today` is `YYYY-MM-DD`.
pub fn check(payload: &str, published: &Published, today: &str) -> anyhow::Result<Report> {
    let keys = keys_from_jwks(&published.jwks)?;
    let inclusion = match (&published.checkpoint, &published.proof) {
        (Some(note), Some(proof)) => {
            let origin = note.lines().next().unwrap_or_default();
            let checkpoint = verify::open_checkpoint(note, origin, &keys)?;
            let proof: serde_json::Value = serde_json::from_str(proof).context("the proof is not JSON")?;
            let proof: Vec<Hash> = proof["proof"]
                .as_array()
                .context("the proof has no \"proof\" list")?
                .iter()
                .map(|h| {
                    hex::decode(h.as_str().unwrap_or_default())
                        .ok()
                        .and_then(|b| Hash::try_from(b.as_slice()).ok())
                        .context("a proof hash is not 32 bytes of hex")
                })
                .collect::<anyhow::Result<_>>()?;
            Some(Inclusion { size: checkpoint.size, root: checkpoint.root, proof })
        }
        _ => None,
    };
    let revoked: HashMap<String, Revocation> = match &published.revoked {
        Some(list) => {
            let list: serde_json::Value = serde_json::from_str(list).context("the revocation list is not JSON")?;
            serde_json::from_value::<Vec<Revocation>>(list["revoked"].clone())
                .context("the revocation list has no \"revoked\" list")?
                .into_iter()
                .map(|r| (r.serial.clone(), r))
                .collect()
        }
        None => HashMap::new(),
    };
    Ok(verify::check(payload, &Evidence { keys, revoked, inclusion, today: today.to_owned() }))
}

/// Whether `b` may be in a base45 text.
fn is_base45(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b" $%*+-./:".contains(&b)
}

/// The first payload written in `bytes`, as is or in a zlib stream (a
/// PDF's compressed metadata).
fn find_payload(bytes: &[u8]) -> Option<String> {
    let at = |bytes: &[u8]| {
        let start = bytes.windows(PREFIX.len()).position(|w| w == PREFIX.as_bytes())?;
        let end = bytes[start + PREFIX.len()..]
            .iter()
            .position(|&b| !is_base45(b))
            .map_or(bytes.len(), |n| start + PREFIX.len() + n);
        Some(String::from_utf8_lossy(&bytes[start..end]).trim_end().to_owned())
    };
    if let Some(found) = at(bytes) {
        return Some(found);
    }
    // PDF streams: "stream" EOL … "endstream", Flate-compressed.
    let mut rest = bytes;
    while let Some(start) = rest.windows(6).position(|w| w == b"stream") {
        let body = &rest[start + 6..];
        let body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
        let end = body.windows(9).position(|w| w == b"endstream").unwrap_or(body.len());
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end]).take(16 << 20).read_to_end(&mut inflated).is_ok()
            && let Some(found) = at(&inflated)
        {
            return Some(found);
        }
        rest = &body[end..];
    }
    None
}

/// The payload in `target`: the payload itself, or a file holding it (the
/// certificate PDF, a photo or scan of its QR code, a text file).
pub fn payload_of(target: &str) -> anyhow::Result<String> {
    if target.trim_start().starts_with(PREFIX) {
        return Ok(target.trim().to_owned());
    }
    let path = Path::new(target);
    let bytes =
        std::fs::read(path).with_context(|| format!("{target} is neither a payload (MTR1:…) nor a readable file"))?;
    let lower = target.to_lowercase();
    if [".png", ".jpg", ".jpeg"].iter().any(|e| lower.ends_with(e)) {
        return super::qr_image::decode(&bytes);
    }
    find_payload(&bytes).with_context(|| format!("no certificate payload (MTR1:…) found in {target}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_is_found_plain_or_in_a_compressed_stream() {
        let payload = "MTR1:6BF 9Q$E*0-./:ABC";
        assert_eq!(find_payload(format!("<< /Keywords ({payload}) >>").as_bytes()).as_deref(), Some(payload));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, format!("<x>{payload}</x>").as_bytes()).unwrap();
        let mut pdf = b"%PDF-1.7\n1 0 obj << /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend(z.finish().unwrap());
        pdf.extend(b"\nendstream\nendobj\n");
        assert_eq!(find_payload(&pdf).as_deref(), Some(payload));
        assert_eq!(find_payload(b"%PDF nothing here"), None);
    }
}
