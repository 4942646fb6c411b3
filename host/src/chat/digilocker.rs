//! "Save to DigiLocker" in the chat. Once a certificate has been sent, the
//! sender offers to save it (when DigiLocker push is configured); the
//! citizen's tap on the button is their consent and records the push, once
//! per certificate however often it is tapped; the pusher
//! ([`crate::digilocker::pusher`]) sends it and tells the citizen, in the
//! words written here, how it ended.

use std::sync::Arc;

use super::applications::unavailable;
use super::engine::{Citizen, Engine, Input, Session, State, Turn, tr};
use super::outgoing::Outgoing;
use crate::applications::notify::{UPDATE_TEMPLATE, code};
use crate::digilocker::pusher::{Pusher, Requested};
use crate::runtime::Language;

/// The offer's button id: `digilocker:save:<certificate number>`.
pub const SAVE_PREFIX: &str = "digilocker:save:";

/// The id of the button that saves certificate `number`.
pub fn save_id(number: &str) -> String {
    format!("{SAVE_PREFIX}{number}")
}

fn save_title(lang: Language) -> String {
    tr(lang, "Save to DigiLocker", "డిజిలాకర్‌లో సేవ్", "डिजीलॉकर में सहेजें")
}

/// The offer that follows certificate `number` ("Birth Certificate"): it
/// says where the certificate would go, so the tap is an informed consent.
pub fn offer(number: &str, title: &str, lang: Language) -> Outgoing {
    let body = match lang {
        Language::En => format!(
            "📂 Keep certificate *{number}* ({title}) in DigiLocker too? Tap below and it is added to the DigiLocker account of this mobile number, under Issued Documents."
        ),
        Language::Te => format!(
            "📂 ధృవపత్రం *{number}* ({title}) ను డిజిలాకర్‌లో కూడా ఉంచాలా? క్రింద నొక్కితే, ఈ మొబైల్ నంబర్ డిజిలాకర్ ఖాతాలో జారీ చేసిన పత్రాలలో చేరుతుంది."
        ),
        Language::Hi => format!(
            "📂 प्रमाणपत्र *{number}* ({title}) डिजीलॉकर में भी रखें? नीचे दबाएँ, यह इस मोबाइल नंबर के डिजीलॉकर खाते में जारी किए गए दस्तावेज़ों में जुड़ जाएगा।"
        ),
    };
    Outgoing::Buttons { body, buttons: vec![(save_id(number), save_title(lang))] }
}

/// The answer to the tap: the push is on its way.
fn saving(number: &str, lang: Language) -> String {
    match lang {
        Language::En => {
            format!("Saving certificate *{number}* to your DigiLocker. I will tell you here when it is there.")
        }
        Language::Te => {
            format!("ధృవపత్రం *{number}* ను మీ డిజిలాకర్‌లో సేవ్ చేస్తున్నాం. పూర్తయినప్పుడు ఇక్కడే తెలియజేస్తాం.")
        }
        Language::Hi => format!("प्रमाणपत्र *{number}* आपके डिजीलॉकर में सहेजा जा रहा है। हो जाने पर यहीं बताएँगे।"),
    }
}

/// Certificate `number` is in the citizen's DigiLocker.
pub fn saved(number: &str, title: &str, lang: Language) -> String {
    match lang {
        Language::En => format!(
            "✅ Certificate *{number}* ({title}) is saved in your DigiLocker: open DigiLocker and look under Issued Documents."
        ),
        Language::Te => format!("✅ ధృవపత్రం *{number}* ({title}) మీ డిజిలాకర్‌లో సేవ్ అయింది: డిజిలాకర్ తెరిచి జారీ చేసిన పత్రాలలో చూడండి."),
        Language::Hi => format!(
            "✅ प्रमाणपत्र *{number}* ({title}) आपके डिजीलॉकर में सहेज दिया गया है: डिजीलॉकर खोलें और जारी किए गए दस्तावेज़ों में देखें।"
        ),
    }
}

/// Certificate `number` could not be pushed: it is still valid, and the
/// citizen can pull it into DigiLocker themselves by its number (the Pull
/// URI search Mitra serves).
pub fn not_saved(number: &str, title: &str, department: &str, lang: Language) -> String {
    match lang {
        Language::En => format!(
            "Certificate *{number}* ({title}) could not be saved to your DigiLocker. It is still valid, and the PDF sent here is the original. You can add it yourself: in DigiLocker, search for {title} from {department} and enter the certificate number {number}."
        ),
        Language::Te => format!(
            "ధృవపత్రం *{number}* ({title}) ను మీ డిజిలాకర్‌లో సేవ్ చేయలేకపోయాం. అది చెల్లుబాటులోనే ఉంది, ఇక్కడ పంపిన PDF అసలైనదే. మీరే జోడించవచ్చు: డిజిలాకర్‌లో {department} యొక్క {title} కోసం వెతికి, ధృవపత్రం సంఖ్య {number} నమోదు చేయండి."
        ),
        Language::Hi => format!(
            "प्रमाणपत्र *{number}* ({title}) आपके डिजीलॉकर में सहेजा नहीं जा सका। यह अब भी मान्य है, और यहाँ भेजी गई PDF मूल है। आप इसे स्वयं जोड़ सकते हैं: डिजीलॉकर में {department} का {title} खोजें और प्रमाणपत्र संख्या {number} डालें।"
        ),
    }
}

/// The template that tells how push `number` ended outside the citizen's
/// 24-hour window ("Application {{1}} ({{2}}): {{3}}. {{4}}").
pub fn outcome_template(number: &str, title: &str, was_saved: bool, lang: Language) -> Outgoing {
    let (status, note) = if was_saved {
        (
            tr(lang, "Saved to DigiLocker", "డిజిలాకర్‌లో సేవ్ అయింది", "डिजीलॉकर में सहेजा गया"),
            tr(
                lang,
                "Open DigiLocker: Issued Documents",
                "డిజిలాకర్‌లో జారీ చేసిన పత్రాలు చూడండి",
                "डिजीलॉकर में जारी किए गए दस्तावेज़ देखें",
            ),
        )
    } else {
        (
            tr(lang, "Not saved to DigiLocker", "డిజిలాకర్‌లో సేవ్ కాలేదు", "डिजीलॉकर में सहेजा नहीं गया"),
            tr(
                lang,
                "It is still valid; in DigiLocker you can find it by its number",
                "అది చెల్లుబాటులోనే ఉంది; డిజిలాకర్‌లో దాని సంఖ్యతో వెతకవచ్చు",
                "यह अब भी मान्य है; डिजीलॉकर में इसकी संख्या से खोज सकते हैं",
            ),
        )
    };
    Outgoing::Template {
        name: UPDATE_TEMPLATE.into(),
        language: code(lang).into(),
        parameters: vec![number.into(), title.into(), status, note],
        buttons: vec![],
    }
}

impl Engine {
    /// Offers "Save to DigiLocker" with certificates and takes the taps on
    /// it; without a pusher a tap on an old offer is told it is unavailable.
    pub fn with_digilocker(mut self, pusher: Option<Arc<Pusher>>) -> Self {
        self.digilocker = pusher;
        self
    }

    /// The turn when `input` is a tap on "Save to DigiLocker"; `None`
    /// otherwise. A tap in the middle of a form is answered, and the form
    /// goes on.
    pub(super) async fn digilocker_turn(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        input: &Input,
    ) -> Option<Turn> {
        let Input::Choice(id) = input else { return None };
        let number = id.strip_prefix(SAVE_PREFIX)?;
        let said = match &self.digilocker {
            Some(pusher) => match pusher.request(citizen, code(lang), number).await {
                Ok(requested) => answer(&requested, number, lang),
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), number, "recording a DigiLocker push failed");
                    unavailable(lang)
                }
            },
            None => tr(
                lang,
                "Saving to DigiLocker is not available now. Your certificate is valid as it was sent here.",
                "డిజిలాకర్‌లో సేవ్ చేయడం ఇప్పుడు అందుబాటులో లేదు. ఇక్కడ పంపిన మీ ధృవపత్రం చెల్లుబాటులోనే ఉంది.",
                "डिजीलॉकर में सहेजना अभी उपलब्ध नहीं है। यहाँ भेजा गया आपका प्रमाणपत्र मान्य है।",
            ),
        };
        let mut replies = vec![Outgoing::Text(said)];
        if matches!(session.state, State::Form { .. } | State::Summary { .. } | State::Editing { .. }) {
            replies.extend(self.resume(session, lang));
        }
        Some(replies.into())
    }
}

/// What the citizen is told of their tap.
fn answer(requested: &Requested, number: &str, lang: Language) -> String {
    match requested {
        Requested::Saving => saving(number, lang),
        Requested::Saved { title } => saved(number, title.get(lang), lang),
        Requested::Failed { title, department } => not_saved(number, title.get(lang), department.get(lang), lang),
        Requested::NotSaveable => format!(
            "{} *{number}* {}",
            tr(lang, "Certificate", "ధృవపత్రం", "प्रमाणपत्र"),
            tr(
                lang,
                "cannot be saved to DigiLocker: it is not (or no longer) an issued certificate.",
                "ను డిజిలాకర్‌లో సేవ్ చేయలేము: అది జారీ అయిన ధృవపత్రం కాదు (లేదా ఇక లేదు).",
                "डिजीलॉकर में सहेजा नहीं जा सकता: यह जारी प्रमाणपत्र नहीं है (या अब नहीं रहा)।",
            )
        ),
        Requested::NotYours => format!(
            "{} {number}.",
            tr(
                lang,
                "No certificate of yours has the number",
                "మీ ధృవపత్రాలలో ఈ సంఖ్య లేదు:",
                "आपके किसी प्रमाणपत्र की यह संख्या नहीं है:"
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::outgoing::check_limits;
    use crate::runtime::Text;

    const LANGUAGES: [Language; 3] = [Language::En, Language::Te, Language::Hi];

    #[test]
    fn the_offer_fits_whatsapp_in_every_language_and_its_button_names_the_certificate() {
        for lang in LANGUAGES {
            let offer = offer("MTR-261203-7K2M9QXA", "Birth Certificate", lang);
            let Outgoing::Buttons { body, buttons } = &offer else { panic!("{offer:?}") };
            assert!(body.contains("MTR-261203-7K2M9QXA"), "{body}");
            assert_eq!(buttons[0].0, "digilocker:save:MTR-261203-7K2M9QXA");
            assert!(buttons[0].1.chars().count() <= 20, "{:?} would be cut", buttons[0].1);
            check_limits(&offer.to_cloud("919866600101")).unwrap();
        }
    }

    #[test]
    fn the_outcome_says_the_certificate_stays_valid_when_it_could_not_be_saved() {
        let (title, department) = ("Birth Certificate", "Municipal Administration");
        assert!(not_saved("MTR-1", title, department, Language::En).contains("still valid"));
        assert!(not_saved("MTR-1", title, department, Language::En).contains("certificate number MTR-1"));
        for lang in LANGUAGES {
            assert!(not_saved("MTR-1", title, department, lang).contains(department));
            assert!(saved("MTR-1", title, lang).starts_with("✅"));
            for was_saved in [true, false] {
                let template = outcome_template("MTR-1", title, was_saved, lang);
                check_limits(&template.to_cloud("919866600101")).unwrap();
            }
        }
    }

    #[test]
    fn a_tap_is_answered_by_where_the_push_stands() {
        let title = Text {
            en: "Birth Certificate".into(), te: Some("జనన ధృవీకరణ పత్రం".into()), hi: None
        };
        let department = Text { en: "Municipal Administration".into(), te: None, hi: None };
        assert!(answer(&Requested::Saving, "MTR-1", Language::En).starts_with("Saving"));
        assert!(answer(&Requested::Saved { title: title.clone() }, "MTR-1", Language::Te).contains("జనన ధృవీకరణ పత్రం"));
        let failed = Requested::Failed { title, department };
        assert!(answer(&failed, "MTR-1", Language::En).contains("still valid"));
        assert!(answer(&Requested::NotYours, "MTR-1", Language::En).contains("No certificate of yours"));
    }
}
