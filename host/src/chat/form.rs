//! One field of a service form: how it is asked in the citizen's language,
//! and how an answer is read and validated before any plugin sees it.
//!
//! The validators are the SDK's, so a department plugin and the host agree on
//! what a valid Aadhaar number or date is.

use mitra_sdk::validate::{self, Invalid};

use super::engine::{Input, tr};
use super::outgoing::{Outgoing, Row, limits};
use super::typed::{self, Offer};
use crate::runtime::{AnswerValue, ChoiceOption, DateRule, Field, FieldKind, Language};

/// Tapped ids of form controls. Choice options are `opt:<option id>`.
pub mod ids {
    pub const SKIP: &str = "form:skip";
    pub const BACK: &str = "back";
    pub const CANCEL: &str = "form:cancel";
    pub const SUBMIT: &str = "form:submit";
    pub const EDIT: &str = "form:edit";
    pub const OPTION: &str = "opt:";
    pub const EDIT_FIELD: &str = "edit:";
}

/// Why an answer was refused; the citizen reads it and answers again.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    Invalid(Invalid),
    TooShort(u32),
    TooLong(u32),
    BelowMin(f64),
    AboveMax(f64),
    NotWhole,
    UnknownChoice,
    NeedLocation,
    NeedPhoto,
    NeedDocument,
    NeedText,
    Required,
}

impl Refusal {
    pub fn message(&self, lang: Language) -> String {
        match self {
            Refusal::Invalid(invalid) => {
                let m = invalid.message();
                tr(lang, m.en, m.te, m.hi)
            }
            Refusal::TooShort(n) => format!(
                "{} {n}.",
                tr(
                    lang,
                    "Please write at least this many characters:",
                    "కనీసం ఇన్ని అక్షరాలు రాయండి:",
                    "कम से कम इतने अक्षर लिखें:"
                )
            ),
            Refusal::TooLong(n) => format!(
                "{} {n}.",
                tr(lang, "Please keep it within this many characters:", "ఇన్ని అక్షరాల లోపు రాయండి:", "इतने अक्षरों के भीतर लिखें:")
            ),
            Refusal::BelowMin(min) => format!(
                "{} {}.",
                tr(lang, "The number must be at least", "సంఖ్య కనీసం ఇది ఉండాలి:", "संख्या कम से कम यह होनी चाहिए:"),
                plain_number(*min)
            ),
            Refusal::AboveMax(max) => format!(
                "{} {}.",
                tr(lang, "The number must be at most", "సంఖ్య గరిష్ఠంగా ఇది ఉండాలి:", "संख्या अधिकतम यह होनी चाहिए:"),
                plain_number(*max)
            ),
            Refusal::NotWhole => tr(lang, "Please send a whole number.", "దయచేసి పూర్ణ సంఖ్య పంపండి.", "कृपया पूर्ण संख्या भेजें।"),
            Refusal::UnknownChoice => {
                tr(lang, "Please pick one of the options.", "దయచేసి ఎంపికలలో ఒకదాన్ని ఎంచుకోండి.", "कृपया विकल्पों में से एक चुनें।")
            }
            Refusal::NeedLocation => tr(
                lang,
                "Please share a location: tap 📎, then Location.",
                "దయచేసి లొకేషన్ పంపండి: 📎 నొక్కి, లొకేషన్ ఎంచుకోండి.",
                "कृपया लोकेशन भेजें: 📎 दबाएँ, फिर लोकेशन।",
            ),
            Refusal::NeedPhoto => tr(
                lang,
                "Please send a photo: tap 📎, then Camera or Gallery.",
                "దయచేసి ఫోటో పంపండి: 📎 నొక్కి, కెమెరా లేదా గ్యాలరీ ఎంచుకోండి.",
                "कृपया फ़ोटो भेजें: 📎 दबाएँ, फिर कैमरा या गैलरी।",
            ),
            Refusal::NeedDocument => tr(
                lang,
                "Please send the document as a PDF or a photo: tap 📎, then Document.",
                "దయచేసి పత్రాన్ని PDF లేదా ఫోటోగా పంపండి: 📎 నొక్కి, డాక్యుమెంట్ ఎంచుకోండి.",
                "कृपया दस्तावेज़ PDF या फ़ोटो के रूप में भेजें: 📎 दबाएँ, फिर डॉक्यूमेंट।",
            ),
            Refusal::NeedText => tr(lang, "Please type your answer.", "దయచేసి మీ సమాధానం టైప్ చేయండి.", "कृपया अपना उत्तर लिखें।"),
            Refusal::Required => {
                tr(lang, "This question cannot be skipped.", "ఈ ప్రశ్నను దాటవేయలేరు.", "इस प्रश्न को छोड़ा नहीं जा सकता।")
            }
        }
    }
}

/// Reads `input` as an answer to `field`.
pub fn read(field: &Field, input: &Input) -> Result<AnswerValue, Refusal> {
    let text = match input {
        Input::Text(text) => Some(text.trim()),
        _ => None,
    };
    match &field.kind {
        FieldKind::Location => match input {
            Input::Location(geo) => Ok(AnswerValue::Location(geo.clone())),
            _ => Err(Refusal::NeedLocation),
        },
        FieldKind::Photo => match input {
            Input::Media(media) if media.mime_type.starts_with("image/") => Ok(AnswerValue::Media(media.clone())),
            _ => Err(Refusal::NeedPhoto),
        },
        FieldKind::Document => match input {
            Input::Media(media) => Ok(AnswerValue::Media(media.clone())),
            _ => Err(Refusal::NeedDocument),
        },
        FieldKind::Choice(options) => {
            let chosen = match input {
                Input::Choice(id) => id.strip_prefix(ids::OPTION).and_then(|id| options.iter().find(|o| o.id == id)),
                Input::Text(text) => choice_from_text(options, text.trim()),
                _ => None,
            };
            chosen.map(|o| AnswerValue::Choice(o.id.clone())).ok_or(Refusal::UnknownChoice)
        }
        FieldKind::Text(rules) => {
            let text = text.ok_or(Refusal::NeedText)?;
            let length = text.chars().count() as u32;
            if length < rules.min_length.max(1) {
                return Err(Refusal::TooShort(rules.min_length.max(1)));
            }
            if rules.max_length > 0 && length > rules.max_length {
                return Err(Refusal::TooLong(rules.max_length));
            }
            Ok(AnswerValue::Text(text.to_owned()))
        }
        FieldKind::Number(rules) => {
            let value = validate::number(text.ok_or(Refusal::NeedText)?).map_err(Refusal::Invalid)?;
            if rules.integer && value.fract() != 0.0 {
                return Err(Refusal::NotWhole);
            }
            if let Some(min) = rules.min.filter(|min| value < *min) {
                return Err(Refusal::BelowMin(min));
            }
            if let Some(max) = rules.max.filter(|max| value > *max) {
                return Err(Refusal::AboveMax(max));
            }
            Ok(AnswerValue::Number(value))
        }
        FieldKind::Date(rule) => {
            let date = validate::date(text.ok_or(Refusal::NeedText)?).map_err(Refusal::Invalid)?;
            let today = validate::today_in_india();
            match rule {
                DateRule::TodayOrEarlier if date > today => Err(Refusal::Invalid(Invalid::DateInFuture)),
                DateRule::TodayOrLater if date < today => Err(Refusal::Invalid(Invalid::DateInPast)),
                _ => Ok(AnswerValue::Date(validate::iso_date(date))),
            }
        }
        FieldKind::Aadhaar => {
            validate::aadhaar(text.ok_or(Refusal::NeedText)?).map(AnswerValue::Aadhaar).map_err(Refusal::Invalid)
        }
        FieldKind::Phone => {
            validate::mobile(text.ok_or(Refusal::NeedText)?).map(AnswerValue::Phone).map_err(Refusal::Invalid)
        }
        FieldKind::Pincode => {
            validate::pincode(text.ok_or(Refusal::NeedText)?).map(AnswerValue::Pincode).map_err(Refusal::Invalid)
        }
    }
}

/// A typed choice: the option's number as listed, its id, or its label in
/// any language, romanised or misspelt (see [`typed::pick`]).
fn choice_from_text<'a>(options: &'a [ChoiceOption], text: &str) -> Option<&'a ChoiceOption> {
    let offers: Vec<Offer> = options
        .iter()
        .map(|o| {
            let mut titles: Vec<String> =
                [Language::En, Language::Te, Language::Hi].iter().map(|&l| o.label.get(l).to_owned()).collect();
            titles.push(o.id.clone());
            Offer { id: o.id.clone(), titles }
        })
        .collect();
    typed::pick(text, &offers, true).map(|(i, _)| &options[i])
}

/// The Skip button's title.
pub fn skip_title(lang: Language) -> String {
    tr(lang, "Skip", "దాటవేయి", "छोड़ें")
}

/// An answer as the citizen reads it back in the summary. Aadhaar numbers
/// are masked: the summary may be read over a shoulder.
pub fn display(field: &Field, value: &AnswerValue, lang: Language) -> String {
    match value {
        AnswerValue::Text(s) | AnswerValue::Phone(s) | AnswerValue::Pincode(s) => s.clone(),
        AnswerValue::Number(n) => plain_number(*n),
        AnswerValue::Date(iso) => validate::date(iso).map(validate::display_date).unwrap_or_else(|_| iso.clone()),
        AnswerValue::Aadhaar(a) => validate::mask_aadhaar(a),
        AnswerValue::Choice(id) => match &field.kind {
            FieldKind::Choice(options) => {
                options.iter().find(|o| &o.id == id).map(|o| o.label.get(lang).to_owned()).unwrap_or(id.clone())
            }
            _ => id.clone(),
        },
        AnswerValue::Location(geo) => geo
            .name
            .clone()
            .or(geo.address.clone())
            .unwrap_or_else(|| format!("{:.5}, {:.5}", geo.latitude, geo.longitude)),
        AnswerValue::Media(media) => {
            media.filename.clone().unwrap_or_else(|| tr(lang, "(file received)", "(ఫైల్ అందింది)", "(फ़ाइल प्राप्त हुई)"))
        }
    }
}

fn plain_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// The question for `field`, step `step` of `steps`.
pub fn prompt(field: &Field, lang: Language, step: usize, steps: usize, refusal: Option<&Refusal>) -> Outgoing {
    let mut body = String::new();
    if let Some(refusal) = refusal {
        body.push_str(&format!("⚠️ {}\n\n", refusal.message(lang)));
    }
    body.push_str(&format!("({step}/{steps}) *{}*", field.label.get(lang)));
    if let Some(hint) = &field.hint {
        body.push_str(&format!("\n{}", hint.get(lang)));
    }
    let how = match &field.kind {
        FieldKind::Aadhaar => Some(tr(
            lang,
            "Send your 12-digit Aadhaar number.",
            "మీ 12 అంకెల ఆధార్ సంఖ్యను పంపండి.",
            "अपनी 12 अंकों की आधार संख्या भेजें।",
        )),
        FieldKind::Phone => {
            Some(tr(lang, "Send a 10-digit mobile number.", "10 అంకెల మొబైల్ నంబర్ పంపండి.", "10 अंकों का मोबाइल नंबर भेजें।"))
        }
        FieldKind::Pincode => {
            Some(tr(lang, "Send the 6-digit PIN code.", "6 అంకెల పిన్ కోడ్ పంపండి.", "6 अंकों का पिन कोड भेजें।"))
        }
        FieldKind::Date(_) => {
            Some(tr(lang, "Send the date as DD-MM-YYYY.", "తేదీని DD-MM-YYYY గా పంపండి.", "तारीख DD-MM-YYYY के रूप में भेजें।"))
        }
        FieldKind::Location => Some(Refusal::NeedLocation.message(lang)),
        FieldKind::Photo => Some(Refusal::NeedPhoto.message(lang)),
        FieldKind::Document => Some(Refusal::NeedDocument.message(lang)),
        FieldKind::Text(_) | FieldKind::Number(_) | FieldKind::Choice(_) => None,
    };
    if let Some(how) = how {
        body.push_str(&format!("\n_{how}_"));
    }
    let skip = (!field.required).then(|| (ids::SKIP.to_owned(), skip_title(lang)));
    match &field.kind {
        FieldKind::Choice(options) if options.len() + usize::from(skip.is_some()) <= limits::BUTTONS => {
            let mut buttons: Vec<(String, String)> =
                options.iter().map(|o| (format!("{}{}", ids::OPTION, o.id), o.label.get(lang).to_owned())).collect();
            buttons.extend(skip);
            Outgoing::Buttons { body, buttons }
        }
        FieldKind::Choice(options) if options.len() + usize::from(skip.is_some()) <= limits::ROWS => {
            let mut rows: Vec<Row> = options
                .iter()
                .map(|o| Row {
                    id: format!("{}{}", ids::OPTION, o.id),
                    title: o.label.get(lang).to_owned(),
                    description: None,
                })
                .collect();
            rows.extend(skip.map(|(id, title)| Row { id, title, description: None }));
            Outgoing::List {
                body, button: tr(lang, "Choose", "ఎంచుకోండి", "चुनें"), rows, also: None
            }
        }
        FieldKind::Choice(options) => {
            // More options than a list holds: numbered, answered by number or name.
            body.push_str(&format!(
                "\n_{}_",
                tr(lang, "Reply with the number:", "సంఖ్యతో జవాబు ఇవ్వండి:", "संख्या से उत्तर दें:")
            ));
            for (i, option) in options.iter().enumerate() {
                body.push_str(&format!("\n{}. {}", i + 1, option.label.get(lang)));
            }
            Outgoing::Buttons { body, buttons: controls(lang, skip) }
        }
        _ => Outgoing::Buttons { body, buttons: controls(lang, skip) },
    }
}

/// Back, (Skip,) Cancel under a typed question.
fn controls(lang: Language, skip: Option<(String, String)>) -> Vec<(String, String)> {
    let mut buttons = vec![(ids::BACK.to_owned(), tr(lang, "Back", "వెనుకకు", "पीछे"))];
    buttons.extend(skip);
    buttons.push((ids::CANCEL.to_owned(), super::engine::cancel_title(lang)));
    buttons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{NumberRules, Text, TextRules};

    fn field(kind: FieldKind) -> Field {
        Field { id: "f".into(), label: Text { en: "F".into(), te: None, hi: None }, hint: None, kind, required: true }
    }

    fn text(s: &str) -> Input {
        Input::Text(s.into())
    }

    #[test]
    fn identifiers_are_checked_with_the_sdk_validators() {
        let aadhaar = field(FieldKind::Aadhaar);
        assert_eq!(read(&aadhaar, &text("4991 1234 5677")), Ok(AnswerValue::Aadhaar("499112345677".into())));
        assert_eq!(read(&aadhaar, &text("499112345678")), Err(Refusal::Invalid(Invalid::AadhaarChecksum)));
        assert_eq!(
            read(&field(FieldKind::Phone), &text("+91 98765 43210")),
            Ok(AnswerValue::Phone("9876543210".into()))
        );
        assert!(read(&field(FieldKind::Pincode), &text("52001")).is_err());
    }

    #[test]
    fn dates_follow_the_fields_rule() {
        let past = field(FieldKind::Date(DateRule::TodayOrEarlier));
        assert_eq!(read(&past, &text("15-08-1960")), Ok(AnswerValue::Date("1960-08-15".into())));
        assert_eq!(read(&past, &text("15-08-2999")), Err(Refusal::Invalid(Invalid::DateInFuture)));
        assert_eq!(read(&past, &text("31-02-1960")), Err(Refusal::Invalid(Invalid::DateNotReal)));
        let future = field(FieldKind::Date(DateRule::TodayOrLater));
        assert_eq!(read(&future, &text("01-01-2000")), Err(Refusal::Invalid(Invalid::DateInPast)));
    }

    #[test]
    fn numbers_and_texts_keep_their_rules() {
        let income = field(FieldKind::Number(NumberRules { min: Some(0.0), max: Some(100_000.0), integer: true }));
        assert_eq!(read(&income, &text("₹1,20,00")), Ok(AnswerValue::Number(12000.0)));
        assert_eq!(read(&income, &text("12.5")), Err(Refusal::NotWhole));
        assert_eq!(read(&income, &text("-1")), Err(Refusal::BelowMin(0.0)));
        assert_eq!(read(&income, &text("lots")), Err(Refusal::Invalid(Invalid::Number)));
        let name = field(FieldKind::Text(TextRules { min_length: 2, max_length: 5 }));
        assert_eq!(read(&name, &text("a")), Err(Refusal::TooShort(2)));
        assert_eq!(read(&name, &text("abcdef")), Err(Refusal::TooLong(5)));
        assert_eq!(read(&name, &Input::Unsupported("sticker".into())), Err(Refusal::NeedText));
    }

    #[test]
    fn choices_are_tapped_or_typed_in_any_language() {
        let options = vec![
            ChoiceOption {
                id: "rural".into(),
                label: Text { en: "Village".into(), te: Some("గ్రామం".into()), hi: None },
            },
            ChoiceOption {
                id: "urban".into(), label: Text { en: "Town".into(), te: Some("పట్టణం".into()), hi: None }
            },
        ];
        let area = field(FieldKind::Choice(options));
        let rural = Ok(AnswerValue::Choice("rural".into()));
        assert_eq!(read(&area, &Input::Choice("opt:rural".into())), rural);
        assert_eq!(read(&area, &text("గ్రామం")), rural);
        assert_eq!(read(&area, &text("village")), rural);
        assert_eq!(read(&area, &text("1")), rural);
        assert_eq!(read(&area, &text("3")), Err(Refusal::UnknownChoice));
        assert_eq!(read(&area, &Input::Choice("opt:moon".into())), Err(Refusal::UnknownChoice));
        let Outgoing::Buttons { buttons, .. } = prompt(&area, Language::Te, 1, 2, None) else { panic!() };
        assert_eq!(buttons[1], ("opt:urban".to_owned(), "పట్టణం".to_owned()));
    }
}
