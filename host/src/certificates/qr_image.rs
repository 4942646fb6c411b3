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
    let mut prepared = rqrr::PreparedImage::prepare(image.to_luma8());
    let grids = prepared.detect_grids();
    anyhow::ensure!(!grids.is_empty(), "no QR code was found in the picture");
    let mut other = None;
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) if text.starts_with(PREFIX) => return Ok(text),
            Ok((_, text)) => other = Some(text),
            Err(_) => {}
        }
    }
    match other {
        Some(text) => {
            anyhow::bail!("the QR code is not a Mitra certificate: {}", text.chars().take(60).collect::<String>())
        }
        None => anyhow::bail!("a QR code was found but could not be read; try a sharper, straighter photo"),
    }
}
