//! The UPI intent a citizen pays with: NPCI's deep link
//! (`upi://pay?pa=…&pn=…&am=…&tr=…&tn=…&cu=INR`) and the same as a QR code
//! any UPI app scans.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in a parameter value: the unreserved set of
/// RFC 3986. Everything else (spaces, `&`, `=`, `#`, non-ASCII) is escaped,
/// so a service title cannot add or cut a parameter.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One payment request to a merchant's UPI address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent<'a> {
    /// `pa`: the payee's virtual payment address (the department's or the
    /// state's collection account).
    pub payee_address: &'a str,
    /// `pn`: the payee's name as the UPI app shows it.
    pub payee_name: &'a str,
    pub amount_paise: u64,
    /// `tr`: the transaction reference, the host's order id; the gateway's
    /// callback names it.
    pub reference: &'a str,
    /// `tn`: the note the citizen sees (the service).
    pub note: &'a str,
}

impl Intent<'_> {
    /// The `upi://pay` link. The amount is written in rupees with two
    /// decimals, as NPCI's specification asks.
    pub fn uri(&self) -> String {
        let value = |v: &str| utf8_percent_encode(v, VALUE).to_string();
        format!(
            "upi://pay?pa={}&pn={}&am={}.{:02}&tr={}&tn={}&cu=INR",
            value(self.payee_address),
            value(self.payee_name),
            self.amount_paise / 100,
            self.amount_paise % 100,
            value(self.reference),
            // Notes longer than 50 characters are cut by some UPI apps.
            value(&self.note.chars().take(50).collect::<String>()),
        )
    }
}

/// `uri` as a QR code PNG, large enough to scan off a phone screen
/// (quiet zone included).
pub fn qr_png(uri: &str) -> anyhow::Result<Vec<u8>> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)?;
    let image = code.render::<image::Luma<u8>>().min_dimensions(480, 480).quiet_zone(true).build();
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_npci_s_parameters_escaped() {
        let intent = Intent {
            payee_address: "apgov.meeseva@sbi",
            payee_name: "AP Municipal Administration",
            amount_paise: 5050,
            reference: "MTRP-261204-AB12CD34",
            note: "Birth certificate & extract = ₹50",
        };
        assert_eq!(
            intent.uri(),
            "upi://pay?pa=apgov.meeseva%40sbi&pn=AP%20Municipal%20Administration&am=50.50\
             &tr=MTRP-261204-AB12CD34&tn=Birth%20certificate%20%26%20extract%20%3D%20%E2%82%B950&cu=INR"
        );
    }

    #[test]
    fn the_qr_decodes_to_the_link() {
        let uri = Intent { payee_address: "a@b", payee_name: "n", amount_paise: 100, reference: "r", note: "t" }.uri();
        let png = qr_png(&uri).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, uri);
    }
}
