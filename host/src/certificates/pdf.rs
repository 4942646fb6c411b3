//! The certificate as a PDF: an A4 page with the state's and department's
//! names, the plugin's title and fields in English and Telugu, the signed
//! QR code, the serial, dates and where to verify it.
//!
//! Text is shaped with rustybuzz (HarfBuzz's shaping in Rust, as krilla's
//! own simple-text path does) so Telugu conjuncts and vowel signs come out
//! as they should, split into runs per script because one font carries one
//! script; krilla subsets and embeds the fonts (Noto, OFL-1.1, from Debian's
//! `fonts-noto-core` or `MITRA_FONTS_DIR`). The QR code is one vector path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::search::phonetic::{Script, script_of};

/// Where the fonts are looked for, after `MITRA_FONTS_DIR`.
const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto",
    "/usr/local/share/fonts/noto",
    "/usr/local/share/fonts",
];

/// A4 in points.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;

/// One face, with what shaping needs kept ready: the parsed face and a
/// shape plan for its script (building either per run was most of the
/// layout's time).
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
    plan: rustybuzz::ShapePlan,
    script: rustybuzz::Script,
    units_per_em: f32,
}

impl Face {
    fn load(path: &Path, script: Script) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
        let font = Font::new(Arc::new(bytes.clone()).into(), 0)
            .with_context(|| format!("{} is not a font", path.display()))?;
        // The shaper borrows its bytes for the process's life: a font is
        // loaded once (`Fonts::system`, `serve`), so this is not a leak that grows.
        let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let shaper =
            rustybuzz::Face::from_slice(leaked, 0).with_context(|| format!("{} is not a font", path.display()))?;
        let script = match script {
            Script::Latin => rustybuzz::script::LATIN,
            Script::Telugu => rustybuzz::script::TELUGU,
            Script::Devanagari => rustybuzz::script::DEVANAGARI,
        };
        let plan = rustybuzz::ShapePlan::new(&shaper, rustybuzz::Direction::LeftToRight, Some(script), None, &[]);
        let units_per_em = shaper.units_per_em() as f32;
        Ok(Self { font, shaper, plan, script, units_per_em })
    }

    /// The glyphs of `text` (one script) with advances in ems.
    fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.set_script(self.script);
        let output = rustybuzz::shape_with_plan(&self.shaper, &self.plan, buffer);
        let (infos, positions) = (output.glyph_infos(), output.glyph_positions());
        let upem = self.units_per_em;
        (0..infos.len())
            .map(|i| {
                let start = infos[i].cluster as usize;
                // A cluster runs to where the next different one starts.
                let end =
                    infos[i..].iter().map(|info| info.cluster as usize).find(|&c| c != start).unwrap_or(text.len());
                let p = positions[i];
                KrillaGlyph::new(
                    GlyphId::new(infos[i].glyph_id),
                    p.x_advance as f32 / upem,
                    p.x_offset as f32 / upem,
                    p.y_offset as f32 / upem,
                    p.y_advance as f32 / upem,
                    start..end.max(start),
                    None,
                )
            })
            .collect()
    }
}

/// The fonts a certificate is set in: Noto Sans (Latin) regular and bold,
/// Noto Sans Telugu and Noto Sans Devanagari regular. Bold Telugu and
/// Devanagari are the regular face drawn with a thin outline of the same
/// colour: each embedded face is a subset to make and deflate for every
/// certificate, and the Telugu bold subset was a tenth of one.
pub struct Fonts {
    regular: [Face; 3],
    bold: Face,
    /// Words shaped, by face: labels, headings and the page's own words
    /// repeat on every certificate of a service, and shaping (Telugu through
    /// GSUB and GPOS) was a seventh of a certificate. A word is measured for
    /// wrapping and drawn, but shaped once per process while it is kept.
    shaped: std::sync::Mutex<HashMap<(Script, bool), Words>>,
}

/// One face's shaped words.
type Words = HashMap<String, Arc<[KrillaGlyph]>>;

/// Shaped words kept at most; past it the cache starts again.
const SHAPED_WORDS: usize = 20_000;

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fonts(Noto Sans, Telugu, Devanagari)")
    }
}

const FILES: [(&str, Script); 3] =
    [("NotoSans", Script::Latin), ("NotoSansTelugu", Script::Telugu), ("NotoSansDevanagari", Script::Devanagari)];

impl Fonts {
    /// Finds the Noto fonts in `dir`, else in the usual system places.
    pub fn find(dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut dirs: Vec<PathBuf> = dir.map(Path::to_path_buf).into_iter().collect();
        dirs.extend(FONT_DIRS.iter().map(PathBuf::from));
        let locate = |name: &str| {
            dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()).with_context(|| {
                format!(
                    "{name} not found in {}: install Debian's fonts-noto-core (cargo xtask does) or set MITRA_FONTS_DIR",
                    dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
                )
            })
        };
        let faces: Vec<Face> = FILES
            .iter()
            .map(|(family, script)| Face::load(&locate(&format!("{family}-Regular.ttf"))?, *script))
            .collect::<anyhow::Result<_>>()?;
        let regular = faces.try_into().unwrap_or_else(|_| unreachable!("three families"));
        let bold = Face::load(&locate("NotoSans-Bold.ttf")?, Script::Latin)?;
        Ok(Self { regular, bold, shaped: Default::default() })
    }

    /// The fonts of the usual system places, found once per process.
    pub fn system() -> anyhow::Result<Arc<Self>> {
        static FOUND: std::sync::OnceLock<Result<Arc<Fonts>, String>> = std::sync::OnceLock::new();
        FOUND
            .get_or_init(|| {
                let dir = std::env::var_os("MITRA_FONTS_DIR").map(PathBuf::from);
                Fonts::find(dir.as_deref()).map(Arc::new).map_err(|e| format!("{e:#}"))
            })
            .clone()
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// The glyphs of `word` (one script), ranges into `word`.
    fn word(&self, script: Script, bold: bool, word: &str) -> Arc<[KrillaGlyph]> {
        // Only Latin has a bold face; the others shape the same either way.
        let bold = bold && script == Script::Latin;
        let known = self
            .shaped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(script, bold))
            .and_then(|w| w.get(word))
            .cloned();
        known.unwrap_or_else(|| {
            let glyphs: Arc<[KrillaGlyph]> = self.face(script, bold).shape(word).into();
            let mut shaped = self.shaped.lock().unwrap_or_else(|e| e.into_inner());
            if shaped.values().map(HashMap::len).sum::<usize>() >= SHAPED_WORDS {
                shaped.clear();
            }
            shaped.entry((script, bold)).or_default().insert(word.to_owned(), glyphs.clone());
            glyphs
        })
    }

    fn face(&self, script: Script, bold: bool) -> &Face {
        match script {
            Script::Latin if bold => &self.bold,
            Script::Latin => &self.regular[0],
            Script::Telugu => &self.regular[1],
            Script::Devanagari => &self.regular[2],
        }
    }
}

/// What a certificate page shows.
#[derive(Clone, Debug)]
pub struct Page<'a> {
    /// "Government of Andhra Pradesh" in English and Telugu.
    pub state: (&'a str, &'a str),
    pub department: (&'a str, Option<&'a str>),
    pub title: (&'a str, Option<&'a str>),
    /// "Certificate", "Receipt", "Letter" in both languages.
    pub kind: (&'a str, &'a str),
    /// Who the document is about, when the plugin said (contract 0.2.0).
    pub holder: Option<Holder<'a>>,
    /// Section headings and fields, in order.
    pub items: Vec<Item<'a>>,
    pub body: Option<(&'a str, Option<&'a str>)>,
    pub serial: &'a str,
    pub issued: &'a str,
    pub valid_until: Option<&'a str>,
    /// The signed payload the QR code carries.
    pub qr: &'a str,
    pub verify_url: &'a str,
    /// "key 1a2b3c4d · log entry 41 of mitra.ap.gov.in/certificates".
    pub signature_note: &'a str,
}

/// The holder's block: the name in both scripts, identifiers, a photo.
#[derive(Clone, Debug)]
pub struct Holder<'a> {
    /// The name in Latin letters, and in Telugu where known.
    pub name: (&'a str, Option<&'a str>),
    /// Label (English, Telugu) and value, already masked.
    pub identifiers: Vec<((&'a str, Option<&'a str>), String)>,
    /// A JPEG or PNG (the runtime checked its kind and size).
    pub photo: Option<&'a [u8]>,
}

/// One entry of the document's body.
#[derive(Clone, Debug)]
pub enum Item<'a> {
    /// A section's heading (English, Telugu).
    Heading((&'a str, Option<&'a str>)),
    /// Label (English, Telugu) and value.
    Field((&'a str, Option<&'a str>), String),
}

/// Shapes text with the fonts' word cache. No shaping crosses a space in
/// these scripts, so a line's glyphs are its words' glyphs with spaces between.
struct Shaper<'f> {
    fonts: &'f Fonts,
}

impl Shaper<'_> {
    /// The glyphs of `run` (one script), ranges into `run`.
    fn run(&mut self, script: Script, bold: bool, run: &str) -> Vec<KrillaGlyph> {
        let mut out = Vec::new();
        let mut at = 0;
        for (i, word) in run.split(' ').enumerate() {
            if i > 0 {
                self.append(&mut out, script, bold, " ", at - 1);
            }
            if !word.is_empty() {
                self.append(&mut out, script, bold, word, at);
            }
            at += word.len() + 1;
        }
        out
    }

    fn append(&mut self, out: &mut Vec<KrillaGlyph>, script: Script, bold: bool, word: &str, offset: usize) {
        out.extend(self.fonts.word(script, bold, word).iter().map(|g| {
            let mut g = g.clone();
            g.text_range = g.text_range.start + offset..g.text_range.end + offset;
            g
        }));
    }

    fn width(&mut self, text: &str, size: f32, bold: bool) -> f32 {
        Writer::runs(text)
            .into_iter()
            .map(|(script, run)| self.run(script, bold, run).iter().map(|g| g.x_advance).sum::<f32>() * size)
            .sum()
    }

    /// Lines of `text` no wider than `max`, broken between words.
    fn wrap(&mut self, text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
        let space = self.width(" ", size, bold);
        let mut lines = Vec::new();
        let (mut line, mut width) = (String::new(), 0.0);
        for word in text.split_whitespace() {
            let w = self.width(word, size, bold);
            if !line.is_empty() && width + space + w > max {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                width += space;
            }
            line.push_str(word);
            width += w;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Draws with a pen position, shaping each run with its script's font.
struct Writer<'f, 's, 'p> {
    surface: &'s mut Surface<'p>,
    shaper: Shaper<'f>,
    /// The fill colour, which a faux-bold outline takes too.
    color: rgb::Color,
}

impl Writer<'_, '_, '_> {
    fn runs(text: &str) -> Vec<(Script, &str)> {
        let mut runs: Vec<(Script, usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            match (script_of(c), runs.last_mut()) {
                (Some(s), Some(last)) if last.0 == s => last.2 = end,
                (None, Some(last)) => last.2 = end,
                (Some(s), _) => runs.push((s, i, end)),
                (None, None) => runs.push((Script::Latin, i, end)),
            }
        }
        runs.into_iter().map(|(s, a, b)| (s, &text[a..b])).collect()
    }

    /// Draws `text` on one line from (x, baseline); returns its width.
    fn line(&mut self, x: f32, baseline: f32, text: &str, size: f32, bold: bool) -> f32 {
        let mut pen = x;
        for (script, run) in Self::runs(text) {
            let glyphs = self.shaper.run(script, bold, run);
            let advance: f32 = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
            let font = self.shaper.fonts.face(script, bold).font.clone();
            let faux_bold = bold && script != Script::Latin;
            if faux_bold {
                self.surface.set_stroke(Some(Stroke {
                    paint: self.color.into(),
                    width: size * 0.04,
                    ..Default::default()
                }));
            }
            self.surface.draw_glyphs(Point::from_xy(pen, baseline), &glyphs, font, run, size, false);
            if faux_bold {
                self.surface.set_stroke(None);
            }
            pen += advance;
        }
        pen - x
    }

    fn centred(&mut self, baseline: f32, text: &str, size: f32, bold: bool) {
        let width = self.shaper.width(text, size, bold);
        self.line((WIDTH - width) / 2.0, baseline, text, size, bold);
    }

    /// Draws wrapped `text` from `top`; returns the next free baseline.
    fn paragraph(&mut self, x: f32, mut baseline: f32, text: &str, size: f32, bold: bool, max: f32) -> f32 {
        for line in self.shaper.wrap(text, size, bold, max) {
            self.line(x, baseline, &line, size, bold);
            baseline += size * 1.45;
        }
        baseline
    }

    fn fill(&mut self, color: rgb::Color) {
        self.color = color;
        self.surface.set_fill(Some(Fill {
            paint: color.into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
    }

    fn rule(&mut self, y: f32, color: rgb::Color, thickness: f32) {
        self.fill(color);
        if let Some(rect) = Rect::from_xywh(MARGIN, y, WIDTH - 2.0 * MARGIN, thickness) {
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                self.surface.draw_path(&path);
            }
        }
    }
}

const INK: (u8, u8, u8) = (20, 24, 40);
const ACCENT: (u8, u8, u8) = (0, 82, 147);
const MUTED: (u8, u8, u8) = (90, 96, 110);

fn color((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

/// The modules of `text`'s QR code at error correction M, and its width.
/// One fixed mask rather than the best of eight: the penalty scoring of all
/// eight was a tenth of the whole page's time, and any mask reads the same.
fn qr_modules(text: &str) -> anyhow::Result<(Vec<qrcode::Color>, usize)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    let bits = qrcode::bits::encode_auto(text.as_bytes(), qrcode::EcLevel::M)?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, qrcode::EcLevel::M)?;
    let mut canvas = Canvas::new(version, qrcode::EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Ok((canvas.into_colors(), usize::try_from(version.width())?))
}

/// The QR code of `text` (error correction M), `size` points wide, at
/// (x, y): each row's runs of dark modules as one stroke a module thick
/// (butt caps make exact rectangles), in module units under a scaling
/// transform, so a run is two small points in the content stream. Drawn as
/// rectangles in page units the ~1,400 runs were most of the page's content
/// stream to format and deflate. A vector code stays sharp at any print
/// size, and rasterisers smooth its edges, which photo decoders read better
/// than a nearest-neighbour-scaled bitmap (tried: rqrr lost it at 110 dpi).
fn draw_qr(surface: &mut Surface<'_>, text: &str, x: f32, y: f32, size: f32) -> anyhow::Result<()> {
    let (colors, modules) = qr_modules(text)?;
    // Four modules of quiet zone on each side, as the standard asks.
    let unit = size / (modules + 8) as f32;
    let mut path = PathBuilder::new();
    for row in 0..modules {
        let mut col = 0;
        while col < modules {
            if colors[row * modules + col] == qrcode::Color::Dark {
                let start = col;
                while col < modules && colors[row * modules + col] == qrcode::Color::Dark {
                    col += 1;
                }
                path.move_to((start + 4) as f32, (row + 4) as f32);
                path.line_to((col + 4) as f32, (row + 4) as f32);
            } else {
                col += 1;
            }
        }
    }
    surface.set_fill(None);
    // A touch over a module, so rows overlap and no light seam shows
    // between them where a viewer antialiases each edge at low zoom.
    surface.set_stroke(Some(Stroke { paint: rgb::Color::black().into(), width: 1.06, ..Default::default() }));
    if let Some(path) = path.finish() {
        // Half a module down: a stroke is centred on its line.
        surface.push_transform(&krilla::geom::Transform::from_row(unit, 0.0, 0.0, unit, x, y + unit / 2.0));
        surface.draw_path(&path);
        surface.pop();
    }
    surface.set_stroke(None);
    Ok(())
}

/// A seal drawn where a printed certificate has the emblem.
fn draw_seal(surface: &mut Surface<'_>, cx: f32, cy: f32, r: f32) {
    // A circle from four cubic arcs (k = 0.5523 is the usual constant).
    let circle = |r: f32| {
        let k = 0.552_284_8 * r;
        let mut p = PathBuilder::new();
        p.move_to(cx + r, cy);
        p.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
        p.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
        p.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
        p.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
        p.close();
        p.finish()
    };
    surface.set_fill(None);
    for (radius, width) in [(r, 2.0), (r * 0.78, 0.8)] {
        surface.set_stroke(Some(Stroke { paint: color(ACCENT).into(), width, ..Default::default() }));
        if let Some(path) = circle(radius) {
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
}

/// "English / తెలుగు", unless the English already holds both (plugins
/// often write bilingual titles and values) or there is no translation.
pub fn both((en, te): (&str, Option<&str>)) -> String {
    let bilingual = en.chars().any(|c| script_of(c) == Some(Script::Telugu));
    match te {
        Some(te) if !te.is_empty() && te != en && !bilingual => format!("{en} / {te}"),
        _ => en.to_owned(),
    }
}

/// What flows down the page: the holder, headings and fields, then the
/// body's paragraphs.
enum Flow<'a> {
    Holder(&'a Holder<'a>),
    Heading(String),
    Field(String, &'a str),
    Paragraph(&'a str),
}

/// The holder's photo, passport-sized, at the block's right.
const PHOTO_WIDTH: f32 = 72.0;
const PHOTO_HEIGHT: f32 = 90.0;
const NAME_SIZE: f32 = 15.0;
const HEADING_SIZE: f32 = 10.5;

const LABEL_WIDTH: f32 = 190.0;
const LABEL_SIZE: f32 = 9.0;
const VALUE_SIZE: f32 = 10.5;
const BODY_SIZE: f32 = 9.0;

impl Flow<'_> {
    /// The holder's name on one line per script.
    fn holder_lines<'h>(holder: &'h Holder<'_>) -> Vec<&'h str> {
        let (latin, telugu) = holder.name;
        std::iter::once(latin).chain(telugu.filter(|te| *te != latin)).filter(|l| !l.is_empty()).collect()
    }

    /// Its height on the page.
    fn height(&self, shaper: &mut Shaper<'_>) -> f32 {
        let value_max = WIDTH - 2.0 * MARGIN - LABEL_WIDTH - 12.0;
        match self {
            Flow::Holder(holder) => {
                let text = Self::holder_lines(holder).len() as f32 * NAME_SIZE * 1.3
                    + holder.identifiers.len() as f32 * VALUE_SIZE * 1.5;
                let photo = if holder.photo.is_some() { PHOTO_HEIGHT } else { 0.0 };
                text.max(photo) + 8.0
            }
            Flow::Heading(text) => {
                shaper.wrap(text, HEADING_SIZE, true, WIDTH - 2.0 * MARGIN).len() as f32 * HEADING_SIZE * 1.45 + 5.0
            }
            Flow::Field(label, value) => {
                let label = shaper.wrap(label, LABEL_SIZE, false, LABEL_WIDTH).len() as f32 * LABEL_SIZE * 1.45;
                let value = shaper.wrap(value, VALUE_SIZE, true, value_max).len() as f32 * VALUE_SIZE * 1.45;
                label.max(value) + 3.0
            }
            Flow::Paragraph(text) => {
                shaper.wrap(text, BODY_SIZE, false, WIDTH - 2.0 * MARGIN).len() as f32 * BODY_SIZE * 1.45 + 4.0
            }
        }
    }

    fn draw(&self, w: &mut Writer<'_, '_, '_>, y: f32) {
        let value_x = MARGIN + LABEL_WIDTH + 12.0;
        match self {
            Flow::Holder(holder) => {
                let mut baseline = y + NAME_SIZE * 0.4;
                w.fill(color(INK));
                for line in Self::holder_lines(holder) {
                    w.line(MARGIN, baseline, line, NAME_SIZE, true);
                    baseline += NAME_SIZE * 1.3;
                }
                for (label, value) in &holder.identifiers {
                    w.fill(color(MUTED));
                    let width = w.line(MARGIN, baseline, &format!("{}: ", both(*label)), LABEL_SIZE, false);
                    w.fill(color(INK));
                    w.line(MARGIN + width, baseline, value, VALUE_SIZE, true);
                    baseline += VALUE_SIZE * 1.5;
                }
                if let Some(photo) = holder.photo {
                    draw_photo(w.surface, photo, WIDTH - MARGIN - PHOTO_WIDTH, y - 8.0);
                }
            }
            Flow::Heading(text) => {
                w.fill(color(ACCENT));
                let next = w.paragraph(MARGIN, y + 2.0, text, HEADING_SIZE, true, WIDTH - 2.0 * MARGIN);
                w.rule(next - HEADING_SIZE * 1.45 + 4.0, color(ACCENT), 0.4);
            }
            Flow::Field(label, value) => {
                w.fill(color(MUTED));
                w.paragraph(MARGIN, y, label, LABEL_SIZE, false, LABEL_WIDTH);
                w.fill(color(INK));
                w.paragraph(value_x, y, value, VALUE_SIZE, true, WIDTH - MARGIN - value_x);
            }
            Flow::Paragraph(text) => {
                w.fill(color(INK));
                w.paragraph(MARGIN, y, text, BODY_SIZE, false, WIDTH - 2.0 * MARGIN);
            }
        }
    }
}

/// The holder's photo, scaled into the photo box keeping its proportions,
/// with a thin frame. A photo krilla cannot read is left out, not fatal: the
/// certificate's proof is its signature, not its picture.
fn draw_photo(surface: &mut Surface<'_>, bytes: &[u8], x: f32, y: f32) {
    let data: krilla::Data = Arc::new(bytes.to_vec()).into();
    let image = if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        krilla::image::Image::from_png(data, true)
    } else {
        krilla::image::Image::from_jpeg(data, true)
    };
    let image = match image {
        Ok(image) => image,
        Err(error) => {
            tracing::warn!(%error, "a holder photo could not be read; the certificate is issued without it");
            return;
        }
    };
    let (w, h) = image.size();
    let scale = (PHOTO_WIDTH / w as f32).min(PHOTO_HEIGHT / h as f32);
    let (w, h) = (w as f32 * scale, h as f32 * scale);
    let (x, y) = (x + (PHOTO_WIDTH - w) / 2.0, y + (PHOTO_HEIGHT - h) / 2.0);
    if let Some(size) = krilla::geom::Size::from_wh(w, h) {
        surface.push_transform(&krilla::geom::Transform::from_translate(x, y));
        surface.draw_image(image, size);
        surface.pop();
    }
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke { paint: color(MUTED).into(), width: 0.6, ..Default::default() }));
    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        if let Some(path) = path.finish() {
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
}

/// Where the first page's fields must end: the QR block below is fixed.
const FIRST_PAGE_END: f32 = HEIGHT - 226.0;
/// Where a continuation page's fields must end.
const NEXT_PAGE_END: f32 = HEIGHT - 50.0;

/// Lays out `page` as an A4 PDF: everything on one page when it fits
/// (every certificate here does), else the fields go on over further pages;
/// nothing the plugin gave is dropped.
pub fn render(fonts: &Fonts, page: &Page<'_>) -> anyhow::Result<Vec<u8>> {
    let laid = layout(fonts, page)?;
    if laid.pages > 1 {
        tracing::debug!(
            serial = page.serial,
            pages = laid.pages,
            items = laid.drawn,
            "a certificate over several pages"
        );
    }
    Ok(laid.pdf)
}

struct Laid {
    pdf: Vec<u8>,
    pages: usize,
    /// Fields and paragraphs drawn.
    drawn: usize,
}

fn layout(fonts: &Fonts, page: &Page<'_>) -> anyhow::Result<Laid> {
    let mut document = krilla::Document::new();
    let metadata = krilla::metadata::Metadata::new()
        .title(format!("{} {}", page.title.0, page.serial))
        .creator("Mitra".into())
        .language("en".into())
        // A verifier that has the file and not a camera finds the payload here.
        .keywords(vec![page.serial.to_owned(), page.qr.to_owned()]);
    document.set_metadata(metadata);
    let size = PageSettings::from_wh(WIDTH, HEIGHT).context("page size")?;

    let mut flow: Vec<Flow<'_>> = page.holder.iter().map(Flow::Holder).collect();
    flow.extend(page.items.iter().map(|item| match item {
        Item::Heading(heading) => Flow::Heading(both(*heading)),
        Item::Field(label, value) => Flow::Field(both(*label), value),
    }));
    if let Some((en, te)) = page.body {
        flow.push(Flow::Paragraph(en));
        if let Some(te) = te.filter(|te| *te != en) {
            flow.push(Flow::Paragraph(te));
        }
    }
    let mut flow = flow.into_iter().peekable();
    let mut drawn = 0;

    // The first page: the heading, what fits of the flow, the QR block.
    let mut pdf_page = document.start_page_with(size.clone());
    let mut surface = pdf_page.surface();
    let mut w = Writer { surface: &mut surface, shaper: Shaper { fonts }, color: color(INK) };
    draw_seal(w.surface, WIDTH / 2.0, 78.0, 26.0);
    w.fill(color(ACCENT));
    w.centred(83.0, "AP", 16.0, true);
    w.fill(color(INK));
    w.centred(130.0, page.state.1, 13.0, true);
    w.centred(148.0, page.state.0, 11.0, true);
    w.fill(color(ACCENT));
    w.centred(168.0, &both(page.department), 11.0, false);
    w.rule(180.0, color(ACCENT), 1.5);
    w.fill(color(INK));
    let mut y = 206.0;
    for line in w.shaper.wrap(&both(page.title), 17.0, true, WIDTH - 2.0 * MARGIN) {
        w.centred(y, &line, 17.0, true);
        y += 24.0;
    }
    // "Certificate / ధృవీకరణ పత్రం" under a title that does not already say so.
    let title = both(page.title).to_lowercase();
    if !title.contains(&page.kind.0.to_lowercase()) {
        w.fill(color(MUTED));
        w.centred(y, &format!("{} / {}", page.kind.0, page.kind.1), 10.0, false);
        y += 20.0;
    }
    y += 4.0;
    while let Some(item) = flow.peek() {
        let height = item.height(&mut w.shaper);
        if y + height > FIRST_PAGE_END {
            break;
        }
        item.draw(&mut w, y);
        y += height;
        drawn += 1;
        flow.next();
    }
    let more = flow.peek().is_some();
    foot(&mut w, page, more)?;
    surface.finish();
    pdf_page.finish();

    // Continuation pages, headed with the title and serial.
    let mut number = 2;
    while flow.peek().is_some() {
        let mut pdf_page = document.start_page_with(size.clone());
        let mut surface = pdf_page.surface();
        let mut w = Writer { surface: &mut surface, shaper: Shaper { fonts }, color: color(INK) };
        w.fill(color(MUTED));
        w.line(MARGIN, 50.0, &format!("{} · {} · {number}", page.title.0, page.serial), 9.0, false);
        w.rule(60.0, color(ACCENT), 0.8);
        let mut y = 84.0;
        let mut placed = false;
        while let Some(item) = flow.peek() {
            let height = item.height(&mut w.shaper);
            // A single item taller than a page is drawn anyway (and clipped).
            if y + height > NEXT_PAGE_END && placed {
                break;
            }
            item.draw(&mut w, y);
            y += height;
            drawn += 1;
            placed = true;
            flow.next();
        }
        surface.finish();
        pdf_page.finish();
        number += 1;
    }
    let pdf = document.finish().map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))?;
    Ok(Laid { pdf, pages: number - 1, drawn })
}

/// The first page's foot: the QR code and what it proves.
fn foot(w: &mut Writer<'_, '_, '_>, page: &Page<'_>, continued: bool) -> anyhow::Result<()> {
    let top = HEIGHT - 210.0;
    w.rule(top - 14.0, color(ACCENT), 0.8);
    if continued {
        w.fill(color(MUTED));
        w.line(MARGIN, top - 20.0, "Continued overleaf / తదుపరి పేజీలో కొనసాగుతుంది", 8.5, false);
    }
    draw_qr(w.surface, page.qr, MARGIN - 8.0, top - 4.0, 170.0)?;
    let x = MARGIN + 178.0;
    let mut line_y = top + 22.0;
    let mut row = |w: &mut Writer<'_, '_, '_>, label: &str, value: &str| {
        w.fill(color(MUTED));
        w.line(x, line_y, label, 9.0, false);
        w.fill(color(INK));
        w.line(x + 110.0, line_y, value, 10.5, true);
        line_y += 17.0;
    };
    row(w, "No. / సంఖ్య", page.serial);
    row(w, "Issued / జారీ", page.issued);
    if let Some(until) = page.valid_until {
        row(w, "Valid until / చెల్లుబాటు", until);
    }
    w.fill(color(INK));
    line_y = w.paragraph(
        x,
        line_y + 6.0,
        "Scan the QR code or open the address below to check this certificate. / ఈ పత్రాన్ని తనిఖీ చేయడానికి QR కోడ్‌ను స్కాన్ చేయండి.",
        8.5,
        false,
        WIDTH - MARGIN - x,
    );
    w.fill(color(ACCENT));
    w.line(x, line_y + 2.0, page.verify_url, 9.5, true);
    w.fill(color(MUTED));
    w.paragraph(x, line_y + 20.0, page.signature_note, 7.5, false, WIDTH - MARGIN - x);
    w.centred(HEIGHT - 28.0, "Issued through Mitra, the Government of Andhra Pradesh on WhatsApp.", 7.5, false);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_already_in_both_languages_is_not_repeated() {
        assert_eq!(
            both(("Birth Certificate / జనన పత్రం", Some("జనన పత్రం / Birth Certificate"))),
            "Birth Certificate / జనన పత్రం"
        );
        assert_eq!(both(("Name", Some("పేరు"))), "Name / పేరు");
        assert_eq!(both(("Name", None)), "Name");
    }

    /// A page of `items` with the rest filled in.
    fn page<'a>(title: &'a str, items: Vec<Item<'a>>) -> Page<'a> {
        Page {
            state: ("Government of Andhra Pradesh", "ఆంధ్రప్రదేశ్ ప్రభుత్వం"),
            department: ("Revenue", Some("రెవెన్యూ")),
            title: (title, None),
            kind: ("Certificate", "ధృవీకరణ పత్రం"),
            holder: None,
            items,
            body: None,
            serial: "MTR-1",
            issued: "03-12-2026",
            valid_until: None,
            qr: "MTR1:ABC",
            verify_url: "http://x/verify",
            signature_note: "signed",
        }
    }

    #[test]
    fn a_long_document_goes_on_over_more_pages_and_drops_nothing() {
        let Ok(fonts) = Fonts::system() else { return };
        let items = (0..60).map(|i| Item::Field(("Survey field", Some("సర్వే")), format!("value number {i}"))).collect();
        let page = Page { body: Some(("Issued under the Act.", None)), ..page("Land record", items) };
        let laid = layout(&fonts, &page).unwrap();
        assert!(laid.pages >= 2, "{} pages", laid.pages);
        assert_eq!(laid.drawn, 61, "every field and the body");
        let short = Page { items: page.items[..12].to_vec(), ..page.clone() };
        let laid = layout(&fonts, &short).unwrap();
        assert_eq!((laid.pages, laid.drawn), (1, 13), "a usual certificate is one page");
    }

    #[test]
    fn a_holder_with_a_photo_and_headed_sections_is_drawn() {
        let Ok(fonts) = Fonts::system() else { return };
        let mut png = Vec::new();
        image::RgbImage::from_pixel(60, 75, image::Rgb([200, 160, 120]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let items = vec![
            Item::Heading(("Parents", Some("తల్లిదండ్రులు"))),
            Item::Field(("Name of mother", Some("తల్లి పేరు")), "Lakshmi Devi / లక్ష్మీ దేవి".into()),
        ];
        let page = Page {
            holder: Some(Holder {
                name: ("Ravi Kumar", Some("రవి కుమార్")),
                identifiers: vec![(("Registration No.", Some("నమోదు సంఖ్య")), "B-2023-VJA-04821".into())],
                photo: Some(&png),
            }),
            ..page("Birth Certificate", items)
        };
        let laid = layout(&fonts, &page).unwrap();
        assert_eq!((laid.pages, laid.drawn), (1, 3), "holder, heading and field on one page");
        let images = |pdf: &[u8]| pdf.windows(14).filter(|w| *w == b"/Subtype/Image").count();
        assert_eq!(images(&laid.pdf), 1, "the photo is embedded");

        // A photo that is not what it claims is left out, not fatal.
        let holder = Holder { photo: Some(b"\x89PNG not really"), ..page.holder.clone().unwrap() };
        let laid = layout(&fonts, &Page { holder: Some(holder), ..page }).unwrap();
        assert_eq!(images(&laid.pdf), 0);
    }

    #[test]
    fn text_splits_into_runs_per_script_keeping_spaces_and_digits_with_their_run() {
        let runs = Writer::runs("Name / పేరు: Ravi 12 रवि");
        assert_eq!(
            runs,
            vec![
                (Script::Latin, "Name / "),
                (Script::Telugu, "పేరు: "),
                (Script::Latin, "Ravi 12 "),
                (Script::Devanagari, "रवि")
            ]
        );
    }
}
