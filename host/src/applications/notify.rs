//! What the citizen is told at each step of an application, in the language
//! they applied in: a session message while their 24-hour window is open,
//! and the approved template Meta delivers outside it.

use crate::chat::engine::tr;
use crate::chat::outgoing::Outgoing;
use crate::runtime::Language;
use crate::store::{ApplicationRecord, OutboxItem, now_ms};

use super::status;

/// The template for a step outside the window: body
/// "Application {{1}} ({{2}}): {{3}}. {{4}}".
pub const UPDATE_TEMPLATE: &str = "mitra_application_update";
/// The template asking a question outside the window: body
/// "For application {{1}} ({{2}}) the department asks: {{3}}", with one
/// quick-reply button (Reply) whose payload opens the answer in the chat.
pub const QUESTION_TEMPLATE: &str = "mitra_application_question";

/// The id of the button (and template quick reply) that answers the question
/// open on application `number`.
pub fn reply_id(number: &str) -> String {
    format!("{REPLY_PREFIX}{number}")
}

/// The prefix of [`reply_id`].
pub const REPLY_PREFIX: &str = "info:";

/// The code of `lang` as stored and as Meta's templates name it.
pub fn code(lang: Language) -> &'static str {
    match lang {
        Language::En => "en",
        Language::Te => "te",
        Language::Hi => "hi",
    }
}

pub fn language(code: &str) -> Language {
    match code {
        "te" => Language::Te,
        "hi" => Language::Hi,
        _ => Language::En,
    }
}

/// A status as the citizen reads it.
pub fn status_words(status: &str, lang: Language) -> String {
    match status {
        status::SUBMITTED => tr(lang, "Submitted", "సమర్పించబడింది", "जमा किया गया"),
        status::UNDER_REVIEW => tr(lang, "Under review", "పరిశీలనలో ఉంది", "समीक्षा में"),
        status::NEEDS_INFORMATION => tr(lang, "Waiting for your answer", "మీ సమాధానం కోసం వేచి ఉంది", "आपके उत्तर की प्रतीक्षा"),
        status::APPROVED => tr(lang, "Approved", "ఆమోదించబడింది", "स्वीकृत"),
        status::REJECTED => tr(lang, "Not approved", "ఆమోదించబడలేదు", "अस्वीकृत"),
        status::DELIVERED => tr(lang, "Completed", "పూర్తయింది", "पूर्ण"),
        status::ISSUED => tr(lang, "Issued", "జారీ చేయబడింది", "जारी किया गया"),
        other => other.to_owned(),
    }
}

/// The messages for application `record` (service `title`) reaching `to`:
/// queued as outbox items, the first one falling back to a template once
/// `window_until_ms` has passed.
pub fn step_messages(
    record: &ApplicationRecord,
    title: &str,
    to: &str,
    note: Option<&str>,
    with_document: bool,
    window_until_ms: i64,
) -> Vec<OutboxItem> {
    let lang = language(&record.language);
    let number = record.number.as_str();
    let head = format!("*{number}* · {title}");
    let (message, template) = match to {
        status::NEEDS_INFORMATION => {
            let question = note.unwrap_or_default();
            let body = format!(
                "{head}\n{}\n\n_{question}_\n\n{}",
                tr(
                    lang,
                    "The department needs more information:",
                    "శాఖకు మరికొంత సమాచారం కావాలి:",
                    "विभाग को और जानकारी चाहिए:"
                ),
                tr(
                    lang,
                    "Tap Reply, then send your answer (text or a photo).",
                    "జవాబు నొక్కి, మీ సమాధానం పంపండి (టెక్స్ట్ లేదా ఫోటో).",
                    "उत्तर दें दबाएँ, फिर अपना उत्तर भेजें (टेक्स्ट या फ़ोटो)।"
                ),
            );
            let message = Outgoing::Buttons { body, buttons: vec![(reply_id(number), reply_title(lang))] };
            let template = Outgoing::Template {
                name: QUESTION_TEMPLATE.into(),
                language: record.language.clone(),
                parameters: vec![number.into(), title.into(), question.into()],
                buttons: vec![reply_id(number)],
            };
            (message, template)
        }
        _ => {
            let said = match to {
                status::UNDER_REVIEW => tr(
                    lang,
                    "An officer is now reviewing your application.",
                    "ఒక అధికారి మీ దరఖాస్తును పరిశీలిస్తున్నారు.",
                    "एक अधिकारी अब आपके आवेदन की समीक्षा कर रहे हैं।",
                ),
                status::APPROVED => tr(
                    lang,
                    "✅ Your application is approved.",
                    "✅ మీ దరఖాస్తు ఆమోదించబడింది.",
                    "✅ आपका आवेदन स्वीकृत हो गया है।",
                ),
                status::REJECTED => {
                    tr(lang, "Your application was not approved.", "మీ దరఖాస్తు ఆమోదించబడలేదు.", "आपका आवेदन स्वीकृत नहीं हुआ।")
                }
                status::DELIVERED if with_document => tr(
                    lang,
                    "✅ Completed. Your certificate follows.",
                    "✅ పూర్తయింది. మీ ధృవపత్రం క్రింద ఉంది.",
                    "✅ पूर्ण। आपका प्रमाणपत्र नीचे है।",
                ),
                status::DELIVERED => tr(
                    lang,
                    "✅ Completed: the department has handed it over.",
                    "✅ పూర్తయింది: శాఖ అందజేసింది.",
                    "✅ पूर्ण: विभाग ने सौंप दिया है।",
                ),
                other => status_words(other, lang),
            };
            let mut body = format!("{head}\n{said}");
            if let Some(note) = note {
                let label = match to {
                    status::REJECTED => tr(lang, "Reason", "కారణం", "कारण"),
                    _ => tr(lang, "Remarks", "వ్యాఖ్యలు", "टिप्पणी"),
                };
                body.push_str(&format!("\n{label}: {note}"));
            }
            if to == status::REJECTED {
                body.push_str(&format!(
                    "\n{}",
                    tr(
                        lang,
                        "You may apply again from the menu.",
                        "మెనూ నుండి మళ్ళీ దరఖాస్తు చేయవచ్చు.",
                        "आप मेनू से फिर आवेदन कर सकते हैं।"
                    )
                ));
            }
            let template = Outgoing::Template {
                name: UPDATE_TEMPLATE.into(),
                language: record.language.clone(),
                parameters: vec![number.into(), title.into(), status_words(to, lang), note.unwrap_or("-").into()],
                buttons: vec![],
            };
            (Outgoing::Text(body), template)
        }
    };
    let mut messages = vec![message];
    if with_document {
        messages.push(Outgoing::Certificate { serial: number.into(), caption: title.into() });
    }
    let at = now_ms();
    messages
        .iter()
        .enumerate()
        .map(|(i, message)| {
            // Outside the window the template says it all; the certificate
            // waits for the citizen's next "status".
            let fallback = (i == 0).then_some(&template);
            let id = format!("{number}/{to}/{at}#{i}");
            message.queued(id, &record.phone_number_id, &record.wa_id, Some(window_until_ms), fallback)
        })
        .collect()
}

fn reply_title(lang: Language) -> String {
    tr(lang, "Reply", "జవాబు", "उत्तर दें")
}
