//! Reading a certificate's QR code from a picture: a photo of a printed
//! certificate uploaded to `/verify`, or a page rendered from the PDF for
//! `mitra verify`. rqrr (a pure-Rust QR decoder) over the image crate's
//! PNG and JPEG decoders.

use super::payload::PREFIX;

/// The largest picture accepted, in pixels: a 24-megapixel phone photo.
const MAX_PIXELS: u64 = 24_000_000;

/// The Mitra payload of the first QR code in `picture` that carries one.
pub fn decode(picture: &[u8]) -> anyhow::Result<String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(picture)).with_guessed_format()?;
    let (width, height) = reader.into_dimensions().map_err(|e| anyhow::anyhow!("not a PNG or JPEG picture: {e}"))?;
    anyhow::ensure!(
        u64::from(width) * u64::from(height) <= MAX_PIXELS,
        "the picture is {width}×{height}; send one of at most 24 megapixels"
    );
    let image = image::load_from_memory(picture).map_err(|e| anyhow::anyhow!("not a PNG or JPEG picture: {e}"))?;
    let luma = image.to_luma8();
    // rqrr misses finder patterns a few pixels wide (a page scanned or
    // rendered at ~100 dpi gives 3–4 pixels a module): a small picture is
    // looked at again at twice its size.
    let mut found = read(luma.clone());
    if matches!(found, Found::Nothing | Found::Unreadable) && width.max(height) <= 2400 {
        found = read(image::imageops::resize(&luma, width * 2, height * 2, image::imageops::FilterType::Triangle));
    }
    match found {
        Found::Mitra(text) => Ok(text),
        Found::Other(text) => {
            anyhow::bail!("the QR code is not a Mitra certificate: {}", text.chars().take(60).collect::<String>())
        }
        Found::Unreadable => {
            anyhow::bail!("a QR code was found but could not be read; try a sharper, straighter photo")
        }
        Found::Nothing => anyhow::bail!("no QR code was found in the picture"),
    }
}

/// What one look at a picture found.
enum Found {
    Mitra(String),
    Other(String),
    Unreadable,
    Nothing,
}

fn read(luma: image::GrayImage) -> Found {
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let mut found = Found::Nothing;
    for grid in prepared.detect_grids() {
        match grid.decode() {
            Ok((_, text)) if text.starts_with(PREFIX) => return Found::Mitra(text),
            Ok((_, text)) => found = Found::Other(text),
            Err(_) if matches!(found, Found::Nothing) => found = Found::Unreadable,
            Err(_) => {}
        }
    }
    found
}
