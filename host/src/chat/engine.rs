//! The conversation: what to answer a citizen, given where they are.
//!
//! First contact (a request is answered at once, in the language its script
//! suggests, with a one-tap and one-word way to change it; a greeting gets
//! the language choice), the menu of departments and services with paging
//! inside WhatsApp's 10-row lists, free-text search in three languages and
//! romanised Telugu and Hindi, service details, the commands (`menu`/`0`,
//! `back`, `help`, `cancel`, `language`, a language's name, `status <no>`),
//! typed answers to every tapped prompt (its number, its title in any
//! language), a helpful answer to anything unexpected, and service forms:
//! one field at a time, validated, summed up for Submit / Edit / Cancel,
//! checked by the department's plugin and turned into an application, a
//! document, or a looked-up record.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::applications::{files_section, unavailable};
use super::documents::{self, DocumentLinks};
use super::form::{self, Refusal, ids};
use super::outgoing::{Outgoing, Row, limits};
use super::typed::{self, Offer};
use crate::applications::notify::status_words;
use crate::certificates::issuer::{self, IssuedDocument};
use crate::channel::whatsapp::{Interactive, Message, MessageKind};
use crate::payments::{PaymentEvent, PaymentsConfig};
use crate::runtime::{
    Answer, AnswerValue, Applicant, Application, Catalog, DataRecord, Decision, Delivery, Error as RuntimeError, Field,
    FieldKind, Geo, Language, Media, PluginError, Service, Text,
};
use crate::search::LiveSearch;
use crate::search::phonetic::{self, Script};
use crate::store::{
    ApplicationRecord, CitizenNote, Grievance, InformationAnswer, PaymentRecord, PaymentSettled, Store, now_ms,
};

/// What the host remembers of a citizen between messages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub language: Option<Language>,
    pub state: State,
    /// The last application submitted, so a second tap on Submit is answered
    /// with its number instead of a second application.
    #[serde(default)]
    pub last_application: Option<String>,
    /// WhatsApp's timestamp (Unix seconds) of the citizen's latest message:
    /// free-form replies are allowed for 24 hours after it.
    #[serde(default)]
    pub last_message_at: Option<i64>,
    /// The ids of the options of the last list or buttons sent, in the order
    /// shown, so a typed "2" or "Submit" means what a tap would.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<String>,
    /// Spoken replies: on once the citizen sends a voice note, or chooses
    /// them in the language menu ([`super::voice`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voice: bool,
    /// Where the citizen was before the voice note just heard: a "no" to
    /// "I heard: …" goes back there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heard_before: Option<State>,
}

/// Where in the conversation a citizen is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum State {
    #[default]
    New,
    ChoosingLanguage,
    Menu {
        page: usize,
    },
    Department {
        plugin: String,
        page: usize,
    },
    Service {
        plugin: String,
        service: String,
    },
    /// Filling a form: `queue` holds the field ids still to ask (the first is
    /// being asked), `asked` the ones answered in this pass, for `back`.
    Form {
        plugin: String,
        service: String,
        answers: BTreeMap<String, AnswerValue>,
        queue: Vec<String>,
        asked: Vec<String>,
    },
    /// Every field answered: Submit, Edit or Cancel.
    Summary {
        plugin: String,
        service: String,
        answers: BTreeMap<String, AnswerValue>,
    },
    /// Choosing which answer to change.
    Editing {
        plugin: String,
        service: String,
        answers: BTreeMap<String, AnswerValue>,
    },
    /// Answering an officer's question on application `number`: the next
    /// text or photo goes to its file.
    Answering {
        number: String,
    },
    /// Eligible, waiting for the fee of order `order` (until `expires_at_ms`).
    AwaitingPayment {
        plugin: String,
        service: String,
        answers: BTreeMap<String, AnswerValue>,
        order: String,
        expires_at_ms: i64,
    },
    /// Lodging a grievance: what is wrong, then a photo (or Skip), then a
    /// location (or Skip).
    Grievance {
        category: String,
        description: Option<String>,
        photo: Option<String>,
        photo_done: bool,
    },
    /// Writing a comment on grievance `ticket`.
    GrievanceComment {
        ticket: String,
    },
}

/// A citizen's message, reduced to what the conversation needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Text(String),
    /// The id of a tapped list row or button.
    Choice(String),
    Location(Geo),
    Media(Media),
    /// A voice note (or any audio file): heard where voice is served.
    Voice(Media),
    /// Stickers, videos, contact cards… (the wire type name): the citizen is
    /// told what to send instead.
    Unsupported(String),
    /// Needs no answer (a reaction, Meta's system notices): why, for the log.
    Ignored(&'static str),
    /// The citizen opened the chat for the first time.
    Welcome,
    /// The payment gateway confirmed (or failed) a payment of theirs.
    Payment(PaymentEvent),
}

impl Input {
    /// Reads an inbound Cloud API message.
    pub fn from_message(message: &Message) -> Self {
        match &message.kind {
            MessageKind::Text { text } => Input::Text(text.body.clone()),
            MessageKind::Interactive { interactive } => match interactive {
                Interactive::ListReply { list_reply: r } | Interactive::ButtonReply { button_reply: r } => {
                    Input::Choice(r.id.clone())
                }
                _ => Input::Unsupported("interactive".into()),
            },
            MessageKind::Button { button } => Input::Choice(button.payload.clone()),
            MessageKind::Location { location } => Input::Location(Geo {
                latitude: location.latitude,
                longitude: location.longitude,
                name: location.name.clone(),
                address: location.address.clone(),
            }),
            MessageKind::Image { image: media } | MessageKind::Document { document: media } => Input::Media(Media {
                id: media.id.clone(),
                mime_type: media.mime_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
                sha256: media.sha256.clone().unwrap_or_default(),
                filename: media.filename.clone(),
            }),
            MessageKind::Audio { audio } => Input::Voice(Media {
                id: audio.id.clone(),
                mime_type: audio.mime_type.clone().unwrap_or_else(|| "audio/ogg".into()),
                sha256: audio.sha256.clone().unwrap_or_default(),
                filename: audio.filename.clone(),
            }),
            MessageKind::Reaction { .. } => Input::Ignored("a reaction needs no answer"),
            MessageKind::System { .. } => Input::Ignored("a system notice from Meta, not the citizen's words"),
            MessageKind::RequestWelcome => Input::Welcome,
            other => Input::Unsupported(other.name().into()),
        }
    }
}

/// Who wrote, and which message: what a turn knows beyond the session.
#[derive(Clone, Debug)]
pub struct Citizen {
    pub wa_id: String,
    pub profile_name: Option<String>,
    /// The business number they wrote to.
    pub phone_number_id: String,
    /// The inbound message's wamid; application numbers derive from it, so a
    /// message handled twice (after a crash) yields the same application.
    pub message_id: String,
}

/// What one message leads to.
#[derive(Debug, Default)]
pub struct Turn {
    pub replies: Vec<Outgoing>,
    /// A new application to store with the replies, in one transaction.
    pub application: Option<ApplicationRecord>,
    /// An answer to an officer's question, for its file.
    pub information: Option<InformationAnswer>,
    /// A grievance lodged.
    pub grievance: Option<Grievance>,
    /// What the citizen added to a grievance of theirs.
    pub grievance_note: Option<CitizenNote>,
    /// A payment order made for a fee.
    pub payment_order: Option<PaymentRecord>,
    /// A payment the turn settled (fulfilled, or due back).
    pub payment_settled: Option<PaymentSettled>,
}

impl From<Vec<Outgoing>> for Turn {
    fn from(replies: Vec<Outgoing>) -> Self {
        Turn { replies, ..Turn::default() }
    }
}

/// Rows of a list page: nine items and "More…" when there are more than ten.
const PAGE: usize = limits::ROWS - 1;

/// One sentence in the citizen's language.
pub fn tr(lang: Language, en: &str, te: &str, hi: &str) -> String {
    match lang {
        Language::En => en,
        Language::Te => te,
        Language::Hi => hi,
    }
    .to_owned()
}

pub(super) fn pick(text: &Text, lang: Language) -> String {
    text.get(lang).to_owned()
}

/// The conversation engine over the plugins being served.
#[derive(Clone, Debug)]
pub struct Engine {
    pub(super) catalog: Arc<Catalog>,
    search: Arc<LiveSearch>,
    /// What a turn reads (a citizen's applications and grievances): a
    /// store for reads beside the writer ([`Store::reader`]). A turn writes
    /// nothing itself; what it makes is committed with its batch.
    pub(super) reader: Store,
    documents: DocumentLinks,
    /// How fees are collected; without it a fee is only shown.
    pub(super) payments: Option<Arc<PaymentsConfig>>,
    /// "Save to DigiLocker" ([`super::digilocker`]), when push is configured.
    pub(super) digilocker: Option<Arc<crate::digilocker::pusher::Pusher>>,
    /// Hearing voice notes and speaking replies ([`super::voice`]).
    pub(super) voice: Option<Arc<crate::voice::Voice>>,
}

impl Engine {
    pub fn new(catalog: Arc<Catalog>, search: Arc<LiveSearch>, reader: Store, documents: DocumentLinks) -> Self {
        Self { catalog, search, reader, documents, payments: None, digilocker: None, voice: None }
    }

    /// Asks for a service's fee before fulfilling it.
    pub fn with_payments(mut self, payments: Option<Arc<PaymentsConfig>>) -> Self {
        self.payments = payments;
        self
    }

    /// Answers one input, updating the session. The whole turn sees one
    /// version of each plugin: during a staged rollout, the one this
    /// citizen is assigned to.
    pub async fn handle(&self, citizen: &Citizen, session: &mut Session, input: Input) -> Turn {
        if let Input::Ignored(why) = input {
            // Nothing said, and what was offered stays offered.
            tracing::info!(reason = why, "message acknowledged without an answer");
            return Turn::default();
        }
        let catalog = self.catalog.for_citizen(&citizen.wa_id);
        let turn = if Arc::ptr_eq(&catalog, &self.catalog) {
            self.turn(citizen, session, input).await
        } else {
            Engine { catalog, ..self.clone() }.turn(citizen, session, input).await
        };
        session.offered = offered(&turn.replies);
        let mut turn = turn;
        if session.voice
            && self.voice.is_some()
            && let Some(text) = super::voice::spoken(&turn.replies, session.language.unwrap_or(Language::En))
        {
            turn.replies.push(Outgoing::Speech { text, language: session.language.unwrap_or(Language::En) });
        }
        turn
    }

    /// A typed answer to what was offered becomes the tap it stands for; a
    /// first message that is a request picks the language it is written in.
    /// Either is said back to the citizen before the answer.
    pub(super) async fn turn(&self, citizen: &Citizen, session: &mut Session, mut input: Input) -> Turn {
        let heard_before = session.heard_before.take();
        if let Input::Voice(media) = input {
            return self.heard(citizen, session, media, heard_before).await;
        }
        if let Some(turn) = self.unheard(session, heard_before, &input) {
            return turn;
        }
        if let Some(turn) = self.voice_switch(session, &input) {
            return turn;
        }
        let mut understood = None;
        let mut first_contact = false;
        let mut turn = None;
        if let Input::Text(text) = &input {
            // A request before any language: the language of its script (a
            // typed language name or number is picked below instead).
            if session.language.is_none()
                && !(is_greeting(text) && phonetic::script(text) == Script::Latin)
                && self.typed_choice(session, text).is_none()
            {
                session.language = Some(script_language(text));
                first_contact = true;
            }
            // Commands first: "menu" typed is the command, not the Menu button.
            if let Some(lang) = session.language {
                turn = self.command(citizen, session, lang, text.trim()).await;
            }
            if turn.is_none()
                && let Some((id, title)) = self.typed_choice(session, text)
            {
                understood = Some(title);
                input = Input::Choice(id);
            }
        }
        let mut turn = match turn {
            Some(turn) => turn,
            None => self.respond(citizen, session, input).await,
        };
        let lang = session.language.unwrap_or(Language::En);
        if first_contact {
            turn.replies.insert(0, language_note(lang));
        }
        if let Some(title) = understood {
            let said = format!("✓ {} *{title}*", tr(lang, "You chose:", "మీ ఎంపిక:", "आपका चयन:"));
            turn.replies.insert(0, Outgoing::Text(said));
        }
        turn
    }

    /// The option of the last list or buttons that `text` names, with its
    /// title in the citizen's language. Inside a form only a choice
    /// question's own options and Skip are offered (there a number or a name
    /// is an answer); a language's name is understood everywhere else.
    fn typed_choice(&self, session: &Session, text: &str) -> Option<(String, String)> {
        let lang = session.language.unwrap_or(Language::En);
        if let State::Form { .. } = session.state {
            // Only "skip" typed in full: "ship" may be an answer.
            let field = self.current_field_of(session)?;
            let typed = typed::normalise(text);
            let skip = self.offer(session, ids::SKIP);
            return (!field.required && skip.titles.iter().any(|t| typed::normalise(t) == typed))
                .then(|| (skip.id.clone(), shown_title(&skip, lang)));
        }
        let offers: Vec<Offer> = session.offered.iter().map(|id| self.offer(session, id)).collect();
        let picked = match typed::pick(text, &offers, true) {
            Some((i, _)) => offers.into_iter().nth(i),
            // A language's name is understood anywhere (not its number: that
            // is an option of what was offered).
            None => {
                let languages: Vec<Offer> = LANGUAGES.iter().map(|(id, _)| self.offer(session, id)).collect();
                let (i, _) = typed::pick(text, &languages, false)?;
                languages.into_iter().nth(i)
            }
        }?;
        Some((picked.id.clone(), shown_title(&picked, lang)))
    }

    /// An offered option with every title it goes by, in all three languages.
    pub(super) fn offer(&self, session: &Session, id: &str) -> Offer {
        let in_all = |f: &dyn Fn(Language) -> String| [Language::En, Language::Te, Language::Hi].map(f).to_vec();
        let texts = |text: &Text| [Language::En, Language::Te, Language::Hi].map(|l| pick(text, l)).to_vec();
        let titles = if let Some((_, names)) = LANGUAGES.iter().find(|(code, _)| *code == id) {
            names.iter().map(|n| n.to_string()).collect()
        } else if let Some(page) = id.strip_prefix("menu:") {
            let mut titles = in_all(&|l| menu_button(l).1);
            titles.extend(in_all(&|l| paging_title(l, page != "0")));
            titles
        } else if let Some(rest) = id.strip_prefix("dept:") {
            match rest.split_once(':') {
                Some((_, page)) => in_all(&|l| paging_title(l, page != "0")),
                None => self.catalog.get(rest).map(|p| texts(&p.info().name)).unwrap_or_default(),
            }
        } else if let Some((plugin, service)) = id.strip_prefix("svc:").and_then(|s| s.split_once('/')) {
            self.with_service(plugin, service, |s| texts(&s.title)).unwrap_or_default()
        } else if let Some((plugin, service)) = id.strip_prefix("start:").and_then(|s| s.split_once('/')) {
            let information =
                self.with_service(plugin, service, |s| matches!(s.delivery, Delivery::Information)).unwrap_or(false);
            in_all(&|l| start_title(l, information))
        } else if let Some(field) = id.strip_prefix(ids::EDIT_FIELD)
            && let State::Editing { plugin, service, .. } = &session.state
        {
            self.with_service(plugin, service, |s| s.form.iter().find(|f| f.id == field).map(|f| texts(&f.label)))
                .flatten()
                .unwrap_or_default()
        } else {
            match id {
                ids::BACK => in_all(&|l| back_button(l).1),
                ids::CANCEL => in_all(&cancel_title),
                ids::SUBMIT => in_all(&submit_title),
                ids::EDIT => in_all(&edit_title),
                ids::SKIP => in_all(&form::skip_title),
                _ => Vec::new(),
            }
        };
        Offer { id: id.to_owned(), titles }
    }

    /// The turn after the typed answer and the language are settled.
    async fn respond(&self, citizen: &Citizen, session: &mut Session, input: Input) -> Turn {
        if let Input::Choice(id) = &input
            && let Some(code) = id.strip_prefix("lang:")
        {
            let lang = match code {
                "te" => Language::Te,
                "hi" => Language::Hi,
                _ => Language::En,
            };
            session.language = Some(lang);
            let welcome = tr(
                lang,
                "Welcome to Mitra, your government on WhatsApp. Type what you need (e.g. \"birth certificate\") or pick a department.",
                "మిత్రకు స్వాగతం — వాట్సాప్‌లో మీ ప్రభుత్వం. మీకు కావలసినది టైప్ చేయండి (ఉదా. \"జనన ధృవీకరణ పత్రం\") లేదా ఒక శాఖను ఎంచుకోండి.",
                "मित्र में आपका स्वागत है — व्हाट्सऐप पर आपकी सरकार। जो चाहिए वह लिखें (जैसे \"जन्म प्रमाण पत्र\") या विभाग चुनें।",
            );
            // A citizen changing language mid-form goes on with the form.
            let next = match &session.state {
                State::Form { .. } | State::Summary { .. } | State::Editing { .. } => self.resume(session, lang),
                _ => vec![Outgoing::Text(welcome), self.menu(session, 0)],
            };
            return next.into();
        }
        let Some(lang) = session.language else {
            session.state = State::ChoosingLanguage;
            return vec![self.language_menu(session)].into();
        };
        if input == Input::Welcome {
            return vec![self.menu(session, 0)].into();
        }
        if let Some(turn) = self.digilocker_turn(citizen, session, lang, &input).await {
            return turn;
        }
        if let Some(turn) = self.files(citizen, session, lang, &input).await {
            return turn;
        }
        if let Some(turn) = self.grievances(citizen, session, lang, &input).await {
            return turn;
        }
        if let Some(turn) = self.payment_turn(citizen, session, lang, &input).await {
            return turn;
        }
        match (&session.state, &input) {
            // Taps on navigation (an older list, Back, Cancel) leave the question.
            (State::Form { .. }, Input::Choice(id)) if !id.starts_with(ids::OPTION) && id != ids::SKIP => {}
            (State::Form { .. }, _) => return self.answer(session, lang, input).await,
            (State::Summary { .. }, Input::Choice(id)) if id == ids::SUBMIT => {
                return self.submit(citizen, session, lang).await;
            }
            (State::Summary { .. } | State::Editing { .. }, Input::Choice(id)) if id == ids::EDIT => {
                return self.edit_list(session, lang).into();
            }
            (State::Editing { .. }, Input::Choice(id)) if id.starts_with(ids::EDIT_FIELD) => {
                return self.edit_field(session, lang, &id[ids::EDIT_FIELD.len()..]).into();
            }
            _ => {}
        }
        match input {
            Input::Text(text) => self.search(session, lang, text.trim()).into(),
            Input::Choice(id) => self.choice(session, lang, &id).await,
            Input::Location(_) | Input::Media(_) => vec![Outgoing::Text(tr(
                lang,
                "Thank you. I use locations and photos when a service asks for them. Type \"menu\" to see the services.",
                "ధన్యవాదాలు. సేవ అడిగినప్పుడు లొకేషన్, ఫోటోలను ఉపయోగిస్తాను. సేవల కోసం \"మెనూ\" అని టైప్ చేయండి.",
                "धन्यवाद। सेवा माँगने पर ही मैं लोकेशन और फ़ोटो उपयोग करता हूँ। सेवाएँ देखने के लिए \"मेनू\" लिखें।",
            ))]
            .into(),
            Input::Unsupported(kind) => vec![Outgoing::Text(unsupported(lang, &kind))].into(),
            // Heard before the conversation gets here.
            Input::Voice(_) | Input::Ignored(_) | Input::Welcome | Input::Payment(_) => Turn::default(),
        }
    }

    /// The typed commands, understood at any point. Inside a form, greetings
    /// are answers (a name may be "Hi"), and "0" is a number when a number
    /// is asked.
    async fn command(&self, citizen: &Citizen, session: &mut Session, lang: Language, text: &str) -> Option<Turn> {
        let lower = text.to_lowercase();
        let in_form = matches!(session.state, State::Form { .. });
        let asking_number = self.current_field(session).is_some_and(|f| matches!(f, FieldKind::Number(_)));
        if let Some(number) =
            lower.strip_prefix("status").or_else(|| lower.strip_prefix("స్థితి")).or_else(|| lower.strip_prefix("स्थिति"))
            && (number.starts_with(' ') || number.is_empty())
        {
            return Some(self.status(citizen, lang, number.trim()).await.into());
        }
        let replies = match lower.as_str() {
            "0" if asking_number => return None,
            "menu" | "0" | "మెనూ" | "మెను" | "मेनू" => vec![self.menu(session, 0)],
            "hi" | "hello" | "నమస్తే" | "नमस्ते" if !in_form => vec![self.menu(session, 0)],
            "language" | "lang" | "భాష" | "भाषा" => {
                // The form in progress is kept; the language tap resumes it.
                if !matches!(session.state, State::Form { .. } | State::Summary { .. } | State::Editing { .. }) {
                    session.state = State::ChoosingLanguage;
                }
                vec![self.language_menu(session)]
            }
            "help" | "సహాయం" | "मदद" => {
                let mut out = vec![Outgoing::Text(help(lang))];
                if in_form {
                    out.extend(self.resume(session, lang));
                }
                out
            }
            "back" | "వెనుకకు" | "पीछे" => self.back(session),
            "cancel" | "రద్దు" | "रद्द" => self.cancel(session, lang),
            _ => return None,
        };
        Some(replies.into())
    }

    async fn choice(&self, session: &mut Session, lang: Language, id: &str) -> Turn {
        if id == ids::BACK {
            return self.back(session).into();
        }
        if id == ids::CANCEL {
            return self.cancel(session, lang).into();
        }
        if let Some(page) = id.strip_prefix("menu:").and_then(|p| p.parse().ok()) {
            return vec![self.menu(session, page)].into();
        }
        if let Some(rest) = id.strip_prefix("dept:") {
            let (plugin, page) = match rest.split_once(':') {
                Some((plugin, page)) => (plugin, page.parse().unwrap_or(0)),
                None => (rest, 0),
            };
            return vec![self.department(session, lang, plugin, page)].into();
        }
        if let Some((plugin, service)) = id.strip_prefix("svc:").and_then(|s| s.split_once('/')) {
            return self.service(session, lang, plugin, service).into();
        }
        if let Some((plugin, service)) = id.strip_prefix("start:").and_then(|s| s.split_once('/')) {
            return self.start(session, lang, plugin, service).await.into();
        }
        if id == ids::SUBMIT
            && let Some(number) = &session.last_application
        {
            // A second tap on an old Submit button: the application exists.
            return vec![Outgoing::Text(format!(
                "{} {number}",
                tr(
                    lang,
                    "Already submitted. Application No.",
                    "ఇప్పటికే సమర్పించబడింది. దరఖాస్తు సంఖ్య",
                    "पहले ही जमा किया गया। आवेदन संख्या"
                )
            ))]
            .into();
        }
        // A tap on an old message whose options no longer exist.
        vec![
            Outgoing::Text(tr(
                lang,
                "That option is no longer available.",
                "ఆ ఎంపిక ఇప్పుడు అందుబాటులో లేదు.",
                "वह विकल्प अब उपलब्ध नहीं है।",
            )),
            self.menu(session, 0),
        ]
        .into()
    }

    fn back(&self, session: &mut Session) -> Vec<Outgoing> {
        let lang = session.language.unwrap_or(Language::En);
        match std::mem::take(&mut session.state) {
            State::Service { plugin, .. } => vec![self.department(session, lang, &plugin, 0)],
            State::Form { plugin, service, answers, mut queue, mut asked } => match asked.pop() {
                Some(previous) => {
                    queue.insert(0, previous);
                    session.state = State::Form { plugin, service, answers, queue, asked };
                    self.resume(session, lang)
                }
                // Back from an answer being changed returns to the summary.
                None if !answers.is_empty() && self.all_answered(&plugin, &service, &answers) => {
                    session.state = State::Summary { plugin, service, answers };
                    self.resume(session, lang)
                }
                None => self.service(session, lang, &plugin, &service),
            },
            State::Summary { plugin, service, answers } | State::Editing { plugin, service, answers } => {
                // Back from the summary: the last question again, and back
                // from there walks up the form.
                let mut ids: Vec<String> = self
                    .service_of(&plugin, &service)
                    .map(|s| s.form.into_iter().map(|f| f.id).collect())
                    .unwrap_or_default();
                match ids.pop() {
                    Some(last) => {
                        session.state = State::Form { plugin, service, answers, queue: vec![last], asked: ids };
                        self.resume(session, lang)
                    }
                    None => self.service(session, lang, &plugin, &service),
                }
            }
            _ => vec![self.menu(session, 0)],
        }
    }

    fn cancel(&self, session: &mut Session, lang: Language) -> Vec<Outgoing> {
        vec![Outgoing::Text(tr(lang, "Cancelled.", "రద్దు చేయబడింది.", "रद्द किया गया।")), self.menu(session, 0)]
    }

    /// The departments, nine a page.
    pub(super) fn menu(&self, session: &mut Session, page: usize) -> Outgoing {
        let lang = session.language.unwrap_or(Language::En);
        let plugins = self.catalog.plugins();
        let items: Vec<Row> = plugins
            .iter()
            .map(|p| Row {
                id: format!("dept:{}", p.id()),
                title: pick(&p.info().name, lang),
                description: Some(format!("{} {}", p.info().services.len(), tr(lang, "services", "సేవలు", "सेवाएँ"))),
            })
            .collect();
        session.state = State::Menu { page };
        let body = tr(
            lang,
            "Pick a department, or type what you need.",
            "ఒక శాఖను ఎంచుకోండి, లేదా మీకు కావలసినది టైప్ చేయండి.",
            "विभाग चुनें, या जो चाहिए वह लिखें।",
        );
        let mut menu =
            paged(lang, body, tr(lang, "Departments", "శాఖలు", "विभाग"), items, page, 1, |p| {
                format!("menu:{p}")
            });
        if let Outgoing::List { also, .. } = &mut menu {
            *also = Some(files_section(lang));
        }
        menu
    }

    fn department(&self, session: &mut Session, lang: Language, plugin_id: &str, page: usize) -> Outgoing {
        let Some(plugin) = self.catalog.get(plugin_id) else {
            return self.menu(session, 0);
        };
        let items = plugin
            .info()
            .services
            .iter()
            .map(|s| Row {
                id: format!("svc:{plugin_id}/{}", s.id),
                title: pick(&s.title, lang),
                description: Some(pick(&s.description, lang)),
            })
            .collect();
        session.state = State::Department { plugin: plugin_id.to_owned(), page };
        let body = format!(
            "{} — {}",
            pick(&plugin.info().name, lang),
            tr(lang, "pick a service.", "ఒక సేవను ఎంచుకోండి.", "सेवा चुनें।")
        );
        paged(lang, body, tr(lang, "Services", "సేవలు", "सेवाएँ"), items, page, 0, |p| {
            format!("dept:{plugin_id}:{p}")
        })
    }

    pub(super) fn service_of(&self, plugin_id: &str, service_id: &str) -> Option<Service> {
        self.with_service(plugin_id, service_id, Service::clone)
    }

    /// `f` of a service, borrowed from the catalogue rather than cloned.
    fn with_service<T>(&self, plugin_id: &str, service_id: &str, f: impl FnOnce(&Service) -> T) -> Option<T> {
        let plugin = self.catalog.get(plugin_id)?;
        plugin.info().services.iter().find(|s| s.id == service_id).map(f)
    }

    fn service(&self, session: &mut Session, lang: Language, plugin_id: &str, service_id: &str) -> Vec<Outgoing> {
        let Some(service) = self.service_of(plugin_id, service_id) else {
            return vec![self.menu(session, 0)];
        };
        session.state = State::Service { plugin: plugin_id.to_owned(), service: service_id.to_owned() };
        let start = start_title(lang, matches!(service.delivery, Delivery::Information));
        vec![Outgoing::Buttons {
            body: describe_service(&service, lang),
            buttons: vec![(format!("start:{plugin_id}/{service_id}"), start), back_button(lang), menu_button(lang)],
        }]
    }

    /// The first question of a service's form (or, with no form, its outcome).
    async fn start(&self, session: &mut Session, lang: Language, plugin_id: &str, service_id: &str) -> Vec<Outgoing> {
        let Some(service) = self.service_of(plugin_id, service_id) else {
            return vec![self.menu(session, 0)];
        };
        session.state = State::Form {
            plugin: plugin_id.to_owned(),
            service: service_id.to_owned(),
            answers: BTreeMap::new(),
            queue: service.form.iter().map(|f| f.id.clone()).collect(),
            asked: Vec::new(),
        };
        if service.form.is_empty() && matches!(service.delivery, Delivery::Information) {
            session.state = State::Menu { page: 0 };
            return self.look_up(plugin_id, &service, &BTreeMap::new(), lang).await;
        }
        self.resume(session, lang)
    }

    /// What the citizen should see to go on from where they are: the
    /// current question, the summary, or the edit list.
    pub(super) fn resume(&self, session: &mut Session, lang: Language) -> Vec<Outgoing> {
        let (plugin_id, service_id) = match &session.state {
            State::Form { plugin, service, .. }
            | State::Summary { plugin, service, .. }
            | State::Editing { plugin, service, .. } => (plugin.clone(), service.clone()),
            _ => return vec![self.menu(session, 0)],
        };
        let Some(service) = self.service_of(&plugin_id, &service_id) else {
            let mut out = vec![Outgoing::Text(tr(
                lang,
                "This service is not available right now.",
                "ఈ సేవ ఇప్పుడు అందుబాటులో లేదు.",
                "यह सेवा अभी उपलब्ध नहीं है।",
            ))];
            out.push(self.menu(session, 0));
            return out;
        };
        match &mut session.state {
            State::Form { answers, queue, .. } => {
                let current = queue.first().and_then(|id| service.form.iter().position(|f| &f.id == id));
                match current {
                    Some(i) => vec![form::prompt(&service.form[i], lang, i + 1, service.form.len(), None)],
                    None if queue.is_empty() => {
                        let answers = std::mem::take(answers);
                        session.state = State::Summary { plugin: plugin_id, service: service_id, answers };
                        self.resume(session, lang)
                    }
                    // The department changed its form under the citizen.
                    None => self.restart_changed_form(session, lang, &plugin_id, &service),
                }
            }
            State::Summary { answers, .. } => vec![summary(&service, answers, lang)],
            State::Editing { .. } => self.edit_list(session, lang),
            _ => unreachable!("matched above"),
        }
    }

    fn restart_changed_form(
        &self,
        session: &mut Session,
        lang: Language,
        plugin_id: &str,
        service: &Service,
    ) -> Vec<Outgoing> {
        session.state = State::Form {
            plugin: plugin_id.to_owned(),
            service: service.id.clone(),
            answers: BTreeMap::new(),
            queue: service.form.iter().map(|f| f.id.clone()).collect(),
            asked: Vec::new(),
        };
        let mut out = vec![Outgoing::Text(tr(
            lang,
            "The department has just updated this form, so we need to start it again. Sorry for the trouble.",
            "శాఖ ఈ ఫారమ్‌ను ఇప్పుడే మార్చింది, కాబట్టి మళ్ళీ మొదటి నుండి నింపాలి. అసౌకర్యానికి క్షమించండి.",
            "विभाग ने यह फ़ॉर्म अभी बदला है, इसलिए इसे फिर से शुरू करना होगा। असुविधा के लिए क्षमा करें।",
        ))];
        out.extend(self.resume(session, lang));
        out
    }

    fn current_field(&self, session: &Session) -> Option<FieldKind> {
        self.current_field_of(session).map(|f| f.kind)
    }

    /// The question being asked.
    pub(super) fn current_field_of(&self, session: &Session) -> Option<Field> {
        let State::Form { queue, .. } = &session.state else { return None };
        let id = queue.first()?;
        self.form_of(session)?.form.into_iter().find(|f| &f.id == id)
    }

    /// The service whose form is being filled, summed up or edited.
    fn form_of(&self, session: &Session) -> Option<Service> {
        match &session.state {
            State::Form { plugin, service, .. }
            | State::Summary { plugin, service, .. }
            | State::Editing { plugin, service, .. } => self.service_of(plugin, service),
            _ => None,
        }
    }

    fn all_answered(&self, plugin: &str, service: &str, answers: &BTreeMap<String, AnswerValue>) -> bool {
        self.service_of(plugin, service)
            .is_some_and(|s| s.form.iter().all(|f| answers.contains_key(&f.id) || !f.required))
    }

    /// An answer to the current question.
    async fn answer(&self, session: &mut Session, lang: Language, input: Input) -> Turn {
        let State::Form { plugin, service: service_id, answers, queue, asked } = &mut session.state else {
            return Turn::default();
        };
        let Some(service) = self.service_of(plugin, service_id) else {
            return self.resume(session, lang).into();
        };
        let Some(field) = queue.first().and_then(|id| service.form.iter().find(|f| &f.id == id)) else {
            let plugin = plugin.clone();
            return self.restart_changed_form(session, lang, &plugin, &service).into();
        };
        let step = service.form.iter().position(|f| f.id == field.id).unwrap_or(0) + 1;
        let skip = matches!(&input, Input::Choice(id) if id == ids::SKIP);
        let typed_choice = matches!((&input, &field.kind), (Input::Text(_), FieldKind::Choice(_)));
        let value = if skip {
            if field.required { Err(Refusal::Required) } else { Ok(None) }
        } else {
            form::read(field, &input).map(Some)
        };
        match value {
            Err(refusal) => vec![form::prompt(field, lang, step, service.form.len(), Some(&refusal))].into(),
            Ok(value) => {
                // A choice typed rather than tapped: say what was understood.
                let understood = value.as_ref().filter(|_| typed_choice).map(|value| {
                    let said = format!(
                        "✓ {} *{}*",
                        tr(lang, "You chose:", "మీ ఎంపిక:", "आपका चयन:"),
                        form::display(field, value, lang)
                    );
                    Outgoing::Text(said)
                });
                match value {
                    Some(value) => answers.insert(field.id.clone(), value),
                    None => answers.remove(&field.id),
                };
                asked.push(queue.remove(0));
                let mut out: Vec<Outgoing> = understood.into_iter().collect();
                if queue.is_empty() && matches!(service.delivery, Delivery::Information) {
                    // A lookup needs no summary: its answers are a query.
                    let (plugin, answers) = (plugin.clone(), std::mem::take(answers));
                    session.state = State::Menu { page: 0 };
                    out.extend(self.look_up(&plugin, &service, &answers, lang).await);
                    return out.into();
                }
                out.extend(self.resume(session, lang));
                out.into()
            }
        }
    }

    fn edit_list(&self, session: &mut Session, lang: Language) -> Vec<Outgoing> {
        let (State::Summary { plugin, service, answers } | State::Editing { plugin, service, answers }) =
            std::mem::take(&mut session.state)
        else {
            return vec![self.menu(session, 0)];
        };
        let Some(found) = self.service_of(&plugin, &service) else {
            return self.resume(session, lang);
        };
        let rows: Vec<Row> = found
            .form
            .iter()
            .map(|f| Row {
                id: format!("{}{}", ids::EDIT_FIELD, f.id),
                title: pick(&f.label, lang),
                description: answers.get(&f.id).map(|v| form::display(f, v, lang)),
            })
            .collect();
        session.state = State::Editing { plugin, service, answers };
        let body = tr(lang, "Which answer do you want to change?", "ఏ సమాధానం మార్చాలి?", "कौन सा उत्तर बदलना है?");
        vec![paged(lang, body, tr(lang, "Answers", "సమాధానాలు", "उत्तर"), rows, 0, 0, |_| ids::EDIT.to_owned())]
    }

    fn edit_field(&self, session: &mut Session, lang: Language, field_id: &str) -> Vec<Outgoing> {
        let State::Editing { plugin, service, answers } = std::mem::take(&mut session.state) else {
            return vec![self.menu(session, 0)];
        };
        let known = self.service_of(&plugin, &service).is_some_and(|s| s.form.iter().any(|f| f.id == field_id));
        session.state = if known {
            State::Form { plugin, service, answers, queue: vec![field_id.to_owned()], asked: vec![] }
        } else {
            State::Summary { plugin, service, answers }
        };
        self.resume(session, lang)
    }

    /// Submit: the department decides eligibility; an eligible application
    /// gets its number, and services that issue a document hand it back.
    async fn submit(&self, citizen: &Citizen, session: &mut Session, lang: Language) -> Turn {
        let State::Summary { plugin: plugin_id, service: service_id, answers } = session.state.clone() else {
            return Turn::default();
        };
        let (Some(plugin), Some(service)) = (self.catalog.get(&plugin_id), self.service_of(&plugin_id, &service_id))
        else {
            return self.resume(session, lang).into();
        };
        if service.form.iter().any(|f| f.required && !answers.contains_key(&f.id))
            || answers.keys().any(|k| !service.form.iter().any(|f| &f.id == k))
        {
            return self.restart_changed_form(session, lang, &plugin_id, &service).into();
        }
        let applicant =
            Applicant { wa_id: citizen.wa_id.clone(), profile_name: citizen.profile_name.clone(), language: lang };
        let list = answer_list(&service, &answers);
        let decision = {
            let (plugin, service_id, applicant, list) =
                (plugin.clone(), service_id.clone(), applicant.clone(), list.clone());
            call(move || plugin.check_eligibility(&service_id, &applicant, &list)).await
        };
        match decision {
            Ok(Decision::Eligible) => {}
            Ok(Decision::Ineligible(reasons)) => {
                let mut body = tr(
                    lang,
                    "Sorry, the department says you are not eligible:",
                    "క్షమించండి, శాఖ ప్రకారం మీరు అర్హులు కారు:",
                    "क्षमा करें, विभाग के अनुसार आप पात्र नहीं हैं:",
                );
                for reason in &reasons {
                    body.push_str(&format!("\n• {}", reason.get(lang)));
                }
                return vec![Outgoing::Buttons {
                    body,
                    buttons: vec![(ids::EDIT.into(), edit_title(lang)), menu_button(lang)],
                }]
                .into();
            }
            Ok(Decision::NeedsMore(fields)) => {
                let queue: Vec<String> =
                    service.form.iter().filter(|f| fields.contains(&f.id)).map(|f| f.id.clone()).collect();
                if queue.is_empty() {
                    return self.failed(session, &plugin_id, lang, "needs-more named no field of the form").into();
                }
                session.state = State::Form { plugin: plugin_id, service: service_id, answers, queue, asked: vec![] };
                let mut out = vec![Outgoing::Text(tr(
                    lang,
                    "The department needs a little more from you.",
                    "శాఖకు మీ నుండి మరికొంత సమాచారం కావాలి.",
                    "विभाग को आपसे थोड़ी और जानकारी चाहिए।",
                ))];
                out.extend(self.resume(session, lang));
                return out.into();
            }
            Err(error) => return self.plugin_error(session, &plugin_id, lang, error).into(),
        }
        if service.fee_paise > 0
            && let Some(payments) = self.payments.clone()
        {
            return self.ask_payment(citizen, session, lang, &payments, (plugin_id, service_id, answers));
        }
        self.fulfil(citizen, session, lang, &plugin_id, &service_id, &answers).await
    }

    /// The department's fulfilment of an eligible (and, where there is a
    /// fee, paid) application: its number, the document if the service
    /// issues one, the receipt. The number derives from the message that
    /// asked for it (the submit tap, or the payment's event), so handling it
    /// twice makes the same application.
    pub(super) async fn fulfil(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        plugin_id: &str,
        service_id: &str,
        answers: &BTreeMap<String, AnswerValue>,
    ) -> Turn {
        let (Some(plugin), Some(service)) = (self.catalog.get(plugin_id), self.service_of(plugin_id, service_id))
        else {
            return self.resume(session, lang).into();
        };
        let (plugin_id, service_id) = (plugin_id.to_owned(), service_id.to_owned());
        let applicant =
            Applicant { wa_id: citizen.wa_id.clone(), profile_name: citizen.profile_name.clone(), language: lang };
        let list = answer_list(&service, answers);
        let number = application_number(&citizen.message_id);
        let submitted_at = now_ms();
        let mut record = ApplicationRecord {
            number: number.clone(),
            wa_id: citizen.wa_id.clone(),
            phone_number_id: citizen.phone_number_id.clone(),
            plugin_id: plugin_id.clone(),
            plugin_sha256: plugin.sha256().to_owned(),
            service_id: service_id.clone(),
            language: crate::applications::notify::code(lang).into(),
            answers: serde_json::to_string(&list).unwrap_or_default(),
            status: "submitted".into(),
            document: None,
            submitted_at_ms: submitted_at,
            district: match answers.get("district") {
                Some(AnswerValue::Text(d) | AnswerValue::Choice(d)) => Some(d.clone()),
                _ => None,
            },
        };
        let mut replies = Vec::new();
        if !matches!(service.delivery, Delivery::Application) {
            let application = Application {
                number: number.clone(),
                service_id: service_id.clone(),
                applicant,
                answers: list,
                submitted_at: documents::rfc3339(submitted_at),
            };
            let rendered = {
                let (plugin, service_id) = (plugin.clone(), service_id.clone());
                call(move || plugin.render_document(&service_id, &application)).await
            };
            match rendered {
                Ok(document) => {
                    replies.push(Outgoing::Text(documents::chat_summary(&document, &number, lang)));
                    // Signed, logged and laid out by the sender, which sends
                    // the PDF once the application is stored.
                    replies
                        .push(Outgoing::Certificate { serial: number.clone(), caption: pick(&document.title, lang) });
                    let issued = IssuedDocument {
                        document,
                        department: plugin.info().name.clone(),
                        profile_name: citizen.profile_name.clone(),
                    };
                    record.status = "issued".into();
                    record.document = Some(serde_json::to_string(&issued).unwrap_or_default());
                }
                Err(RuntimeError::Plugin { error: PluginError::Unsupported(_), .. }) => {}
                Err(error) => return self.plugin_error(session, &plugin_id, lang, error).into(),
            }
        }
        if record.document.is_none() {
            let mut body = format!(
                "✅ {}\n{}: *{number}*",
                tr(lang, "Application submitted.", "దరఖాస్తు సమర్పించబడింది.", "आवेदन जमा हो गया।"),
                tr(lang, "Application No.", "దరఖాస్తు సంఖ్య", "आवेदन संख्या"),
            );
            if service.sla_days > 0 {
                body.push_str(&format!(
                    "\n{} {} {}.",
                    tr(lang, "The department decides within", "శాఖ నిర్ణయం", "विभाग निर्णय लेगा"),
                    service.sla_days,
                    tr(lang, "days", "రోజుల్లో", "दिनों में")
                ));
            }
            body.push_str(&format!(
                "\n{} \"status {number}\"",
                tr(lang, "To check it, send", "స్థితి తెలుసుకోవడానికి పంపండి", "स्थिति जानने के लिए भेजें")
            ));
            replies.push(Outgoing::Text(body));
        }
        replies.push(self.menu(session, 0));
        session.last_application = Some(number);
        Turn { replies, application: Some(record), ..Turn::default() }
    }

    fn plugin_error(
        &self,
        session: &mut Session,
        plugin_id: &str,
        lang: Language,
        error: RuntimeError,
    ) -> Vec<Outgoing> {
        match error {
            RuntimeError::Plugin { error: PluginError::Unavailable(detail), .. } => {
                tracing::warn!(plugin = plugin_id, detail, "department system unavailable");
                // The summary stays: the citizen taps Submit again later.
                let body = tr(
                    lang,
                    "The department's system is not answering right now. Your answers are kept: please tap Submit again in a few minutes.",
                    "శాఖ వ్యవస్థ ఇప్పుడు స్పందించడం లేదు. మీ సమాధానాలు భద్రంగా ఉన్నాయి: కొద్ది నిమిషాల తర్వాత మళ్ళీ సమర్పించు నొక్కండి.",
                    "विभाग की प्रणाली अभी जवाब नहीं दे रही। आपके उत्तर सुरक्षित हैं: कुछ मिनट बाद फिर से जमा करें दबाएँ।",
                );
                vec![Outgoing::Buttons {
                    body,
                    buttons: vec![(ids::SUBMIT.into(), submit_title(lang)), (ids::CANCEL.into(), cancel_title(lang))],
                }]
            }
            RuntimeError::Overloaded { .. } => vec![Outgoing::Buttons {
                body: format!(
                    "{} {}",
                    busy(lang),
                    tr(
                        lang,
                        "Your answers are kept: tap Submit again.",
                        "మీ సమాధానాలు భద్రంగా ఉన్నాయి: మళ్ళీ సమర్పించు నొక్కండి.",
                        "आपके उत्तर सुरक्षित हैं: फिर से जमा करें दबाएँ।",
                    )
                ),
                buttons: vec![(ids::SUBMIT.into(), submit_title(lang)), (ids::CANCEL.into(), cancel_title(lang))],
            }],
            other => self.failed(session, plugin_id, lang, &format!("{other:#}")),
        }
    }

    fn failed(&self, session: &mut Session, plugin_id: &str, lang: Language, detail: &str) -> Vec<Outgoing> {
        tracing::error!(plugin = plugin_id, detail, "service call failed");
        vec![
            Outgoing::Text(tr(
                lang,
                "Sorry, this service ran into a problem and the department has been told. Please try again later.",
                "క్షమించండి, ఈ సేవలో సమస్య వచ్చింది; శాఖకు తెలియజేశాం. దయచేసి తర్వాత ప్రయత్నించండి.",
                "क्षमा करें, इस सेवा में समस्या आई और विभाग को बता दिया गया है। कृपया बाद में प्रयास करें।",
            )),
            self.menu(session, 0),
        ]
    }

    /// An information service: the record, shown in the chat.
    async fn look_up(
        &self,
        plugin_id: &str,
        service: &Service,
        answers: &BTreeMap<String, AnswerValue>,
        lang: Language,
    ) -> Vec<Outgoing> {
        let Some(plugin) = self.catalog.get(plugin_id) else { return Vec::new() };
        let (service_id, query) = (service.id.clone(), answer_list(service, answers));
        let result = call(move || plugin.fetch_data(&service_id, &query)).await;
        self.shown(plugin_id, lang, result)
    }

    fn shown(&self, plugin_id: &str, lang: Language, result: crate::runtime::Result<DataRecord>) -> Vec<Outgoing> {
        let mut session = Session { language: Some(lang), ..Session::default() };
        let mut out = match result {
            Ok(record) => {
                let mut body = format!("*{}*", record.summary.get(lang));
                for field in &record.fields {
                    body.push_str(&format!("\n{}: {}", field.label.get(lang), field.value));
                }
                vec![Outgoing::Text(body)]
            }
            Err(RuntimeError::Plugin { error: PluginError::NotFound(_), .. }) => vec![Outgoing::Text(tr(
                lang,
                "No record was found for those details. Please check them and try again.",
                "ఆ వివరాలతో రికార్డు కనబడలేదు. దయచేసి సరిచూసి మళ్ళీ ప్రయత్నించండి.",
                "इन विवरणों से कोई रिकॉर्ड नहीं मिला। कृपया जाँचकर फिर प्रयास करें।",
            ))],
            Err(RuntimeError::Plugin { error: PluginError::Unavailable(detail), .. }) => {
                tracing::warn!(plugin = plugin_id, detail, "department system unavailable");
                vec![Outgoing::Text(tr(
                    lang,
                    "The department's system is not answering right now. Please try again in a few minutes.",
                    "శాఖ వ్యవస్థ ఇప్పుడు స్పందించడం లేదు. కొద్ది నిమిషాల తర్వాత ప్రయత్నించండి.",
                    "विभाग की प्रणाली अभी जवाब नहीं दे रही। कुछ मिनट बाद प्रयास करें।",
                ))]
            }
            Err(RuntimeError::Overloaded { .. }) => vec![Outgoing::Text(busy(lang))],
            Err(other) => return self.failed(&mut session, plugin_id, lang, &format!("{other:#}")),
        };
        out.push(Outgoing::Buttons {
            body: tr(lang, "Anything else?", "ఇంకా ఏమైనా కావాలా?", "और कुछ?"),
            buttons: vec![menu_button(lang)],
        });
        out
    }

    /// `status <application no>`: only the citizen who applied sees it.
    pub(super) async fn status(&self, citizen: &Citizen, lang: Language, number: &str) -> Vec<Outgoing> {
        let number = number.trim().to_uppercase();
        if number.is_empty() {
            return vec![Outgoing::Text(tr(
                lang,
                "Send \"status\" and your application number, e.g. status MTR-261122-AB12CD34.",
                "\"status\" తర్వాత మీ దరఖాస్తు సంఖ్య పంపండి, ఉదా. status MTR-261122-AB12CD34.",
                "\"status\" और अपनी आवेदन संख्या भेजें, जैसे status MTR-261122-AB12CD34।",
            ))];
        }
        let found = match self.reader.application_file(&number).await {
            Ok(found) => found.filter(|a| a.record.wa_id == citizen.wa_id),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "application lookup failed");
                return vec![Outgoing::Text(unavailable(lang))];
            }
        };
        let Some(file) = found else {
            return vec![Outgoing::Text(format!(
                "{} {number}.",
                tr(
                    lang,
                    "No application of yours has the number",
                    "మీ దరఖాస్తులలో ఈ సంఖ్య లేదు:",
                    "आपके किसी आवेदन की यह संख्या नहीं है:"
                )
            ))];
        };
        let application = &file.record;
        let title = self
            .catalog
            .service_title(&application.plugin_id, &application.service_id, lang)
            .unwrap_or(application.service_id.clone());
        let status = match application.status.as_str() {
            "submitted" => tr(lang, "Submitted, under review", "సమర్పించబడింది, పరిశీలనలో ఉంది", "जमा, समीक्षा में"),
            other => status_words(other, lang),
        };
        let mut said = format!(
            "*{number}*\n{title}\n{}: {status}\n{}: {}",
            tr(lang, "Status", "స్థితి", "स्थिति"),
            tr(lang, "Submitted", "సమర్పించిన తేదీ", "जमा तिथि"),
            documents::display_day(application.submitted_at_ms),
        );
        if let Some(remarks) = &file.remarks {
            said.push_str(&format!("\n{}: {remarks}", tr(lang, "Remarks", "వ్యాఖ్యలు", "टिप्पणी")));
        }
        if let Some(question) = &file.question {
            said.push_str(&format!("\n{}: _{question}_", tr(lang, "Question", "ప్రశ్న", "प्रश्न")));
        }
        let mut out = vec![Outgoing::Text(said)];
        if file.question.is_some() {
            out.push(crate::chat::applications::reply_button(&number, lang));
        }
        if issuer::stored_document(application).is_some() {
            out.push(Outgoing::Certificate { serial: number.clone(), caption: title });
        } else if application.document.is_some() {
            // Issued before certificates were signed: its text rendition.
            out.push(Outgoing::Document {
                link: self.documents.link(&number),
                filename: format!("{number}.txt"),
                caption: title,
            });
        }
        out
    }

    fn search(&self, session: &mut Session, lang: Language, query: &str) -> Vec<Outgoing> {
        let hits = self.search.search(query, limits::ROWS);
        if hits.is_empty() {
            return vec![
                Outgoing::Text(tr(
                    lang,
                    "I could not find a service for that. Try other words, or pick a department.",
                    "దానికి సేవ కనబడలేదు. వేరే పదాలతో ప్రయత్నించండి, లేదా శాఖను ఎంచుకోండి.",
                    "इसके लिए कोई सेवा नहीं मिली। दूसरे शब्द आज़माएँ, या विभाग चुनें।",
                )),
                self.menu(session, 0),
            ];
        }
        let rows = hits
            .iter()
            .filter_map(|hit| {
                let plugin = self.catalog.get(&hit.plugin)?;
                let service = plugin.info().services.iter().find(|s| s.id == hit.service)?;
                Some(Row {
                    id: format!("svc:{}/{}", hit.plugin, hit.service),
                    title: pick(&service.title, lang),
                    description: Some(pick(&plugin.info().name, lang)),
                })
            })
            .collect();
        vec![Outgoing::List {
            body: tr(lang, "Services that match:", "సరిపోయే సేవలు:", "मिलती-जुलती सेवाएँ:"),
            button: tr(lang, "Results", "ఫలితాలు", "परिणाम"),
            rows,
            also: None,
        }]
    }
}

/// What a citizen is told when the host had no room for the department's
/// code just now (its budgets were full): nothing is wrong with their request.
fn busy(lang: Language) -> String {
    tr(
        lang,
        "Many people are using this service right now. Please try again in a minute.",
        "ఇప్పుడు చాలా మంది ఈ సేవను ఉపయోగిస్తున్నారు. ఒక నిమిషం తర్వాత మళ్ళీ ప్రయత్నించండి.",
        "अभी बहुत से लोग यह सेवा इस्तेमाल कर रहे हैं। कृपया एक मिनट बाद फिर प्रयास करें।",
    )
}

/// Runs a plugin call on the blocking pool: wasm runs synchronously and
/// must not hold up the async workers.
async fn call<T: Send + 'static>(
    f: impl FnOnce() -> crate::runtime::Result<T> + Send + 'static,
) -> crate::runtime::Result<T> {
    // The call's log lines stay in the message's span.
    let span = tracing::Span::current();
    match tokio::task::spawn_blocking(move || span.in_scope(f)).await {
        Ok(result) => result,
        Err(join) => Err(RuntimeError::Host(anyhow::anyhow!("plugin call task failed: {join}"))),
    }
}

/// The answers in the form's order, as the contract carries them.
fn answer_list(service: &Service, answers: &BTreeMap<String, AnswerValue>) -> Vec<Answer> {
    service
        .form
        .iter()
        .filter_map(|f| answers.get(&f.id).map(|v| Answer { field_id: f.id.clone(), value: v.clone() }))
        .collect()
}

/// `MTR-YYMMDD-XXXXXXXX`: the day in India and eight characters of the
/// submitting message's hash (Crockford base32: no I, L, O or U to misread).
/// The code starts with a letter: the date's six digits and a code starting
/// with six more would read as a hyphenated Aadhaar number, and be masked
/// wherever the number is stored.
pub fn application_number(message_id: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const LETTERS: &[u8] = ALPHABET.split_at(10).1;
    let hash = Sha256::digest(message_id.as_bytes());
    let mut bits = u64::from_be_bytes(hash[..8].try_into().expect("8 bytes"));
    let mut code = String::with_capacity(8);
    code.push(LETTERS[(bits % LETTERS.len() as u64) as usize] as char);
    bits /= LETTERS.len() as u64;
    for _ in 1..8 {
        code.push(ALPHABET[(bits & 31) as usize] as char);
        bits >>= 5;
    }
    let day = mitra_sdk::validate::today_in_india();
    format!("MTR-{:02}{:02}{:02}-{code}", day.year() % 100, u8::from(day.month()), day.day())
}

fn summary(service: &Service, answers: &BTreeMap<String, AnswerValue>, lang: Language) -> Outgoing {
    let mut body = format!(
        "*{}* — {}",
        pick(&service.title, lang),
        tr(lang, "please check your answers:", "మీ సమాధానాలు సరిచూడండి:", "कृपया अपने उत्तर जाँचें:")
    );
    for field in &service.form {
        let value = match answers.get(&field.id) {
            Some(value) => form::display(field, value, lang),
            None => "—".into(),
        };
        body.push_str(&format!("\n• {}: {value}", pick(&field.label, lang)));
    }
    if service.fee_paise > 0 {
        body.push_str(&format!("\n{}: ₹{}", tr(lang, "Fee", "రుసుము", "शुल्क"), service.fee_paise as f64 / 100.0));
    }
    Outgoing::Buttons {
        body,
        buttons: vec![
            (ids::SUBMIT.into(), submit_title(lang)),
            (ids::EDIT.into(), edit_title(lang)),
            (ids::CANCEL.into(), cancel_title(lang)),
        ],
    }
}

fn submit_title(lang: Language) -> String {
    tr(lang, "Submit", "సమర్పించు", "जमा करें")
}

fn edit_title(lang: Language) -> String {
    tr(lang, "Edit", "మార్చు", "बदलें")
}

pub(super) fn cancel_title(lang: Language) -> String {
    tr(lang, "Cancel", "రద్దు", "रद्द करें")
}

/// A page of `items`, leaving `reserved` rows of the list for another section.
fn paged(
    lang: Language,
    body: String,
    button: String,
    items: Vec<Row>,
    page: usize,
    reserved: usize,
    more: impl Fn(usize) -> String,
) -> Outgoing {
    let per_page = PAGE - reserved;
    let rows = if items.len() + reserved <= limits::ROWS {
        items
    } else {
        let pages = items.len().div_ceil(per_page);
        let page = page.min(pages - 1);
        let mut rows: Vec<Row> = items.into_iter().skip(page * per_page).take(per_page).collect();
        let next = (page + 1) % pages;
        let title = paging_title(lang, next != 0);
        rows.push(Row { id: more(next), title, description: None });
        rows
    };
    Outgoing::List { body, button, rows, also: None }
}

/// The languages, each with its own name first and the names it is typed as.
const LANGUAGES: &[(&str, &[&str])] = &[
    ("lang:en", &["English", "ఇంగ్లీష్", "अंग्रेज़ी", "angrezi"]),
    ("lang:te", &["తెలుగు", "Telugu", "तेलुगु"]),
    ("lang:hi", &["हिन्दी", "Hindi", "హిందీ", "हिंदी"]),
];

pub(super) fn language_buttons() -> Outgoing {
    Outgoing::Buttons {
        body: "Choose your language · మీ భాషను ఎంచుకోండి · अपनी भाषा चुनें".into(),
        buttons: LANGUAGES.iter().map(|(id, names)| (id.to_string(), names[0].to_string())).collect(),
    }
}

/// Said before the first answer to a citizen whose language was taken from
/// their message: the other two languages, one tap or one word away.
fn language_note(lang: Language) -> Outgoing {
    let body = tr(
        lang,
        "I am answering in English. For Telugu or Hindi, tap below or type తెలుగు or हिन्दी.",
        "తెలుగులో సమాధానం ఇస్తున్నాను. For English or Hindi, tap below or type English or हिन्दी.",
        "मैं हिन्दी में उत्तर दे रहा हूँ। For English or Telugu, tap below or type English or తెలుగు.",
    );
    let code = format!("lang:{}", crate::applications::notify::code(lang));
    let buttons = LANGUAGES
        .iter()
        .filter(|(id, _)| *id != code)
        .map(|(id, names)| (id.to_string(), names[0].to_string()))
        .collect();
    Outgoing::Buttons { body, buttons }
}

/// The language a first message is written in: Telugu or Devanagari script,
/// otherwise English.
fn script_language(text: &str) -> Language {
    match phonetic::script(text) {
        Script::Telugu => Language::Te,
        Script::Devanagari => Language::Hi,
        Script::Latin => Language::En,
    }
}

/// A hello, or no words at all: nothing to act on before the language is known.
fn is_greeting(text: &str) -> bool {
    let words = typed::normalise(text);
    !words.chars().any(char::is_alphabetic)
        || matches!(
            words.as_str(),
            "hi" | "hello"
                | "hai"
                | "hii"
                | "hey"
                | "namaste"
                | "namaskar"
                | "namaskaram"
                | "good morning"
                | "నమస్తే"
                | "నమస్కారం"
                | "नमस्ते"
                | "नमस्कार"
        )
}

/// The title `offer` was shown with in `lang`: a language by its own name.
fn shown_title(offer: &Offer, lang: Language) -> String {
    let i = match lang {
        _ if offer.id.starts_with("lang:") => 0,
        Language::En => 0,
        Language::Te => 1,
        Language::Hi => 2,
    };
    offer.titles.get(i).or(offer.titles.first()).cloned().unwrap_or_else(|| offer.id.clone())
}

/// The ids of the last list or buttons among `replies`, in the order shown.
fn offered(replies: &[Outgoing]) -> Vec<String> {
    replies
        .iter()
        .rev()
        .find_map(|reply| match reply {
            Outgoing::Buttons { buttons, .. } => Some(buttons.iter().map(|(id, _)| id.clone()).collect()),
            Outgoing::List { rows, also, .. } => {
                Some(rows.iter().chain(also.iter().flat_map(|(_, rows)| rows)).map(|r| r.id.clone()).collect())
            }
            _ => None,
        })
        .unwrap_or_default()
}

fn start_title(lang: Language, information: bool) -> String {
    if information {
        tr(lang, "Look up", "చూడండి", "देखें")
    } else {
        tr(lang, "Apply", "దరఖాస్తు", "आवेदन करें")
    }
}

/// The last row of a paged list: the next page, or back to the first.
fn paging_title(lang: Language, more: bool) -> String {
    if more {
        tr(lang, "More…", "మరిన్ని…", "और…")
    } else {
        tr(lang, "« First page", "« మొదటి పేజీ", "« पहला पृष्ठ")
    }
}

fn back_button(lang: Language) -> (String, String) {
    (ids::BACK.into(), tr(lang, "Back", "వెనుకకు", "पीछे"))
}

fn menu_button(lang: Language) -> (String, String) {
    ("menu:0".into(), tr(lang, "Menu", "మెనూ", "मेनू"))
}

fn help(lang: Language) -> String {
    tr(
        lang,
        "Type what you need, e.g. \"income certificate\" or \"current bill\". Commands: menu (or 0), back, cancel, language, help, status <application no>.",
        "మీకు కావలసినది టైప్ చేయండి, ఉదా. \"ఆదాయ ధృవీకరణ పత్రం\" లేదా \"కరెంట్ బిల్లు\". ఆదేశాలు: మెనూ (లేదా 0), వెనుకకు, రద్దు, భాష, సహాయం, status <దరఖాస్తు సంఖ్య>.",
        "जो चाहिए वह लिखें, जैसे \"आय प्रमाण पत्र\" या \"बिजली बिल\"। आदेश: मेनू (या 0), पीछे, रद्द, भाषा, मदद, status <आवेदन संख्या>।",
    )
}

pub(super) fn unsupported(lang: Language, kind: &str) -> String {
    let what = match kind {
        "audio" => tr(lang, "voice notes", "వాయిస్ సందేశాలు", "वॉइस संदेश"),
        "sticker" => tr(lang, "stickers", "స్టిక్కర్లు", "स्टिकर"),
        "video" => tr(lang, "videos", "వీడియోలు", "वीडियो"),
        "contacts" => {
            return tr(
                lang,
                "Sorry, I cannot read contact cards. If a form asks for a phone number, please type it.",
                "క్షమించండి, కాంటాక్ట్ కార్డులను నేను చదవలేను. ఫారం ఫోన్ నంబర్ అడిగితే, దయచేసి టైప్ చేయండి.",
                "क्षमा करें, मैं संपर्क कार्ड नहीं पढ़ सकता। फ़ॉर्म फ़ोन नंबर माँगे तो कृपया उसे लिखें।",
            );
        }
        "order" => tr(lang, "orders from a catalogue", "కేటలాగ్ ఆర్డర్లు", "कैटलॉग ऑर्डर"),
        _ => tr(lang, "this kind of message", "ఈ రకమైన సందేశాలు", "इस तरह के संदेश"),
    };
    format!(
        "{} {what}. {}",
        tr(lang, "Sorry, I cannot read", "క్షమించండి, నేను చదవలేను:", "क्षमा करें, मैं नहीं पढ़ सकता:"),
        tr(
            lang,
            "Please type your request, or \"menu\".",
            "దయచేసి మీ అభ్యర్థనను టైప్ చేయండి, లేదా \"మెనూ\".",
            "कृपया अपना अनुरोध लिखें, या \"मेनू\"।"
        )
    )
}

fn describe_service(service: &Service, lang: Language) -> String {
    let mut text = format!("*{}*\n{}", pick(&service.title, lang), pick(&service.description, lang));
    let fee = if service.fee_paise == 0 {
        tr(lang, "Free", "ఉచితం", "निःशुल्क")
    } else {
        format!("₹{}", service.fee_paise as f64 / 100.0)
    };
    text.push_str(&format!("\n{}: {fee}", tr(lang, "Fee", "రుసుము", "शुल्क")));
    if service.sla_days > 0 && matches!(service.delivery, Delivery::Application) {
        text.push_str(&format!(
            "\n{}: {}",
            tr(lang, "Decided within (days)", "నిర్ణయం (రోజుల్లో)", "निर्णय (दिनों में)"),
            service.sla_days
        ));
    }
    if !service.form.is_empty() {
        text.push_str(&format!("\n{}:", tr(lang, "You will be asked for", "మీరు ఇవ్వవలసినవి", "आपसे पूछा जाएगा")));
        for field in &service.form {
            text.push_str(&format!("\n• {}", pick(&field.label, lang)));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_numbers_are_stable_per_message_and_easy_to_read() {
        let a = application_number("wamid.1");
        assert_eq!(a, application_number("wamid.1"));
        assert_ne!(a, application_number("wamid.2"));
        assert_eq!(a.len(), "MTR-261122-XXXXXXXX".len());
        assert!(a.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '-'));
    }

    #[test]
    fn no_application_number_is_taken_for_an_aadhaar_number() {
        // The date and a code starting with digits made twelve digits joined
        // by a hyphen; one such in ten passed the Aadhaar checks and was
        // masked in the stored replies, certificate and all.
        let privacy = crate::privacy::Privacy::new(crate::privacy::DEV_PII_KEY);
        for i in 0..100_000 {
            let number = application_number(&format!("wamid.{i}"));
            assert_eq!(privacy.redact(&number), number.as_str(), "{number}");
        }
    }
}
