//! The citizen's side of their applications: "My applications" from the
//! menu, and answering an officer's question so the answer returns to the
//! file.

use super::engine::{Citizen, Engine, Input, Session, State, Turn, tr};
use super::outgoing::{Outgoing, Row};
use crate::applications::notify::{REPLY_PREFIX, reply_id, status_words};
use crate::applications::status;
use crate::runtime::Language;
use crate::store::InformationAnswer;

/// The menu row that lists the citizen's applications.
pub const MY_APPLICATIONS: &str = "my:applications";
/// A row of that list: `app:<number>`.
const APPLICATION_PREFIX: &str = "app:";
/// Most applications listed (a list holds ten rows).
const LISTED: i64 = 10;
/// The longest answer kept on a file (a WhatsApp text is at most 4,096).
const MAX_ANSWER: usize = 2000;

/// The menu row that opens the citizen's own requests.
pub const MY_REQUESTS: &str = "my:requests";

/// The menu's second section: the citizen's own requests (applications and
/// grievances, and reporting a problem), one row so the departments keep
/// the rest of the list.
pub fn files_section(lang: Language) -> (String, Vec<Row>) {
    let title = tr(lang, "Yours", "మీవి", "आपके");
    let row = Row {
        id: MY_REQUESTS.into(),
        title: tr(lang, "My requests", "నా అభ్యర్థనలు", "मेरे अनुरोध"),
        description: Some(tr(
            lang,
            "Applications, grievances, report a problem",
            "దరఖాస్తులు, ఫిర్యాదులు, సమస్య తెలపండి",
            "आवेदन, शिकायतें, समस्या बताएँ",
        )),
    };
    (title, vec![row])
}

/// The button that opens the answer to application `number`'s question.
pub fn reply_button(number: &str, lang: Language) -> Outgoing {
    Outgoing::Buttons {
        body: tr(
            lang,
            "The department is waiting for your answer.",
            "శాఖ మీ సమాధానం కోసం వేచి ఉంది.",
            "विभाग आपके उत्तर की प्रतीक्षा कर रहा है।",
        ),
        buttons: vec![(reply_id(number), tr(lang, "Reply", "జవాబు", "उत्तर दें"))],
    }
}

impl Engine {
    /// The turn when `input` is about the citizen's files (a tap on My
    /// applications, on one of them, on Reply, or the answer being given);
    /// `None` otherwise.
    pub(super) async fn files(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        input: &Input,
    ) -> Option<Turn> {
        if let State::Answering { number } = &session.state {
            let answer = match input {
                Input::Text(text) => text.trim().chars().take(MAX_ANSWER).collect(),
                Input::Media(media) => format!("[{}: {}]", media.mime_type, media.id),
                Input::Location(geo) => format!("[location: {}, {}]", geo.latitude, geo.longitude),
                _ => return None,
            };
            let number = number.clone();
            return Some(self.answered(citizen, session, lang, number, answer).await);
        }
        let Input::Choice(id) = input else { return None };
        if id == MY_REQUESTS {
            return Some(vec![super::grievances::requests(lang)].into());
        }
        if id == MY_APPLICATIONS {
            return Some(self.my_applications(citizen, session, lang).await.into());
        }
        if let Some(number) = id.strip_prefix(APPLICATION_PREFIX) {
            return Some(self.status(citizen, lang, number).await.into());
        }
        let number = id.strip_prefix(REPLY_PREFIX)?;
        Some(self.open_answer(citizen, session, lang, number).await.into())
    }

    async fn my_applications(&self, citizen: &Citizen, session: &mut Session, lang: Language) -> Vec<Outgoing> {
        let files = match self.reader.applications_of(&citizen.wa_id, LISTED).await {
            Ok(files) => files,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "listing a citizen's applications failed");
                return vec![Outgoing::Text(unavailable(lang))];
            }
        };
        if files.is_empty() {
            return vec![
                Outgoing::Text(tr(
                    lang,
                    "You have no applications yet. Pick a department or type what you need.",
                    "మీకు ఇంకా దరఖాస్తులు లేవు. ఒక శాఖను ఎంచుకోండి లేదా మీకు కావలసినది టైప్ చేయండి.",
                    "आपका अभी कोई आवेदन नहीं है। विभाग चुनें या जो चाहिए वह लिखें।",
                )),
                self.menu(session, 0),
            ];
        }
        let rows = files
            .iter()
            .map(|file| {
                let record = &file.record;
                let title = self
                    .catalog
                    .service_title(&record.plugin_id, &record.service_id, lang)
                    .unwrap_or(record.service_id.clone());
                let mut said = status_words(&file.record.status, lang);
                if file.record.status == status::NEEDS_INFORMATION {
                    said = format!("❗ {said}");
                }
                Row {
                    id: format!("{APPLICATION_PREFIX}{}", file.record.number),
                    title: file.record.number.clone(),
                    description: Some(format!("{said} · {title}")),
                }
            })
            .collect();
        vec![Outgoing::List {
            body: tr(
                lang,
                "Your applications, newest first. Tap one for its status.",
                "మీ దరఖాస్తులు, కొత్తవి ముందు. స్థితి కోసం ఒకదాన్ని నొక్కండి.",
                "आपके आवेदन, नए पहले। स्थिति के लिए किसी एक को दबाएँ।",
            ),
            button: tr(lang, "Applications", "దరఖాస్తులు", "आवेदन"),
            rows,
            also: None,
        }]
    }

    /// Reply tapped: the next message answers the question, if it is
    /// still open and the file is the citizen's.
    async fn open_answer(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        number: &str,
    ) -> Vec<Outgoing> {
        let file = match self.reader.application_file(number).await {
            Ok(file) => file.filter(|f| f.record.wa_id == citizen.wa_id),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "application lookup failed");
                return vec![Outgoing::Text(unavailable(lang))];
            }
        };
        match file {
            Some(file) if file.record.status == status::NEEDS_INFORMATION => {
                let question = file.question.unwrap_or_default();
                session.state = State::Answering { number: number.to_owned() };
                vec![Outgoing::Text(format!(
                    "*{number}*\n_{question}_\n\n{}",
                    tr(
                        lang,
                        "Please send your answer now: type it, or send a photo of the document. Type \"cancel\" to answer later.",
                        "దయచేసి ఇప్పుడు మీ సమాధానం పంపండి: టైప్ చేయండి, లేదా పత్రం ఫోటో పంపండి. తర్వాత జవాబు ఇవ్వడానికి \"రద్దు\" అని టైప్ చేయండి.",
                        "कृपया अभी अपना उत्तर भेजें: लिखें, या दस्तावेज़ की फ़ोटो भेजें। बाद में उत्तर देने के लिए \"रद्द\" लिखें।",
                    )
                ))]
            }
            Some(_) => vec![
                Outgoing::Text(tr(
                    lang,
                    "That question has been answered already; there is nothing open on this application.",
                    "ఆ ప్రశ్నకు ఇప్పటికే సమాధానం ఇచ్చారు; ఈ దరఖాస్తుపై ఏ ప్రశ్నా లేదు.",
                    "उस प्रश्न का उत्तर दिया जा चुका है; इस आवेदन पर कोई प्रश्न खुला नहीं है।",
                )),
                self.menu(session, 0),
            ],
            None => vec![Outgoing::Text(format!(
                "{} {number}.",
                tr(
                    lang,
                    "No application of yours has the number",
                    "మీ దరఖాస్తులలో ఈ సంఖ్య లేదు:",
                    "आपके किसी आवेदन की यह संख्या नहीं है:"
                )
            ))],
        }
    }

    /// The answer given: stored on the file with this message (the commit
    /// reopens the file for review only if the question is still open).
    async fn answered(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        number: String,
        answer: String,
    ) -> Turn {
        let body = format!(
            "✅ {} *{number}*. {}",
            tr(lang, "Your answer was added to application", "మీ సమాధానం దరఖాస్తుకు జోడించబడింది", "आपका उत्तर आवेदन में जोड़ा गया"),
            tr(lang, "The officer will continue with it.", "అధికారి దానిని కొనసాగిస్తారు.", "अधिकारी इस पर आगे कार्य करेंगे।")
        );
        let information = InformationAnswer { number, wa_id: citizen.wa_id.clone(), answer };
        let replies = vec![Outgoing::Text(body), self.menu(session, 0)];
        Turn { replies, information: Some(information), ..Turn::default() }
    }
}

pub(super) fn unavailable(lang: Language) -> String {
    tr(
        lang,
        "I cannot look applications up just now. Please try again in a few minutes.",
        "ఇప్పుడు దరఖాస్తులను చూడలేకపోతున్నాను. కొద్ది నిమిషాల తర్వాత ప్రయత్నించండి.",
        "अभी आवेदन नहीं देख पा रहा। कुछ मिनट बाद प्रयास करें।",
    )
}
