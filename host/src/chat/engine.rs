//! The conversation: what to answer a citizen, given where they are.
//!
//! This stage covers first contact (language choice, remembered), the menu
//! of departments and services with paging inside WhatsApp's 10-row lists,
//! free-text search in three languages, service details, the commands
//! (`menu`/`0`, `back`, `help`, `cancel`, `language`) and a helpful answer to
//! anything unexpected. Forms come next.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::outgoing::{Outgoing, Row, limits};
use crate::channel::whatsapp::{Interactive, Message, MessageKind};
use crate::runtime::{Catalog, Delivery, Language, Service, Text};
use crate::search::SearchIndex;

/// What the host remembers of a citizen between messages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub language: Option<Language>,
    pub state: State,
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
}

/// A citizen's message, reduced to what the conversation needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Text(String),
    /// The id of a tapped list row or button.
    Choice(String),
    Location,
    Media,
    /// Stickers, voice notes, reactions… (the wire type name).
    Unsupported(String),
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
            MessageKind::Location { .. } => Input::Location,
            MessageKind::Image { .. } | MessageKind::Document { .. } => Input::Media,
            other => Input::Unsupported(other.name().into()),
        }
    }
}

/// Rows of a list page: nine items and "More…" when there are more than ten.
const PAGE: usize = limits::ROWS - 1;

fn tr(lang: Language, en: &str, te: &str, hi: &str) -> String {
    match lang {
        Language::En => en,
        Language::Te => te,
        Language::Hi => hi,
    }
    .to_owned()
}

fn pick(text: &Text, lang: Language) -> String {
    text.get(lang).to_owned()
}

/// The conversation engine over the plugins being served.
#[derive(Clone, Debug)]
pub struct Engine {
    catalog: Arc<Catalog>,
    search: Arc<SearchIndex>,
}

impl Engine {
    pub fn new(catalog: Arc<Catalog>, search: Arc<SearchIndex>) -> Self {
        Self { catalog, search }
    }

    /// Answers one input, updating the session.
    pub fn handle(&self, session: &mut Session, input: Input) -> Vec<Outgoing> {
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
            let mut out = vec![Outgoing::Text(welcome)];
            out.push(self.menu(session, 0));
            return out;
        }
        let Some(lang) = session.language else {
            session.state = State::ChoosingLanguage;
            return vec![language_buttons()];
        };
        match input {
            Input::Text(text) => self.text(session, lang, text.trim()),
            Input::Choice(id) => self.choice(session, lang, &id),
            Input::Location | Input::Media => vec![Outgoing::Text(tr(
                lang,
                "Thank you. I use locations and photos when a service asks for them. Type \"menu\" to see the services.",
                "ధన్యవాదాలు. సేవ అడిగినప్పుడు లొకేషన్, ఫోటోలను ఉపయోగిస్తాను. సేవల కోసం \"మెనూ\" అని టైప్ చేయండి.",
                "धन्यवाद। सेवा माँगने पर ही मैं लोकेशन और फ़ोटो उपयोग करता हूँ। सेवाएँ देखने के लिए \"मेनू\" लिखें।",
            ))],
            Input::Unsupported(kind) => vec![Outgoing::Text(unsupported(lang, &kind))],
        }
    }

    fn text(&self, session: &mut Session, lang: Language, text: &str) -> Vec<Outgoing> {
        let lower = text.to_lowercase();
        match lower.as_str() {
            "menu" | "0" | "hi" | "hello" | "మెనూ" | "మెను" | "मेनू" | "नमस्ते" => {
                vec![self.menu(session, 0)]
            }
            "language" | "lang" | "భాష" | "भाषा" => {
                session.state = State::ChoosingLanguage;
                vec![language_buttons()]
            }
            "help" | "సహాయం" | "मदद" => vec![Outgoing::Text(help(lang))],
            "back" | "వెనుకకు" | "पीछे" => self.back(session),
            "cancel" | "రద్దు" | "रद्द" => {
                let mut out = vec![Outgoing::Text(tr(lang, "Cancelled.", "రద్దు చేయబడింది.", "रद्द किया गया।"))];
                out.push(self.menu(session, 0));
                out
            }
            _ => self.search(session, lang, text),
        }
    }

    fn choice(&self, session: &mut Session, lang: Language, id: &str) -> Vec<Outgoing> {
        if id == "back" {
            return self.back(session);
        }
        if let Some(page) = id.strip_prefix("menu:").and_then(|p| p.parse().ok()) {
            return vec![self.menu(session, page)];
        }
        if let Some(rest) = id.strip_prefix("dept:") {
            let (plugin, page) = match rest.split_once(':') {
                Some((plugin, page)) => (plugin, page.parse().unwrap_or(0)),
                None => (rest, 0),
            };
            return vec![self.department(session, lang, plugin, page)];
        }
        if let Some((plugin, service)) = id.strip_prefix("svc:").and_then(|s| s.split_once('/')) {
            return self.service(session, lang, plugin, service);
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
    }

    fn back(&self, session: &mut Session) -> Vec<Outgoing> {
        let lang = session.language.unwrap_or(Language::En);
        match session.state.clone() {
            State::Service { plugin, .. } => vec![self.department(session, lang, &plugin, 0)],
            _ => vec![self.menu(session, 0)],
        }
    }

    /// The departments, nine a page.
    fn menu(&self, session: &mut Session, page: usize) -> Outgoing {
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
        paged(lang, body, tr(lang, "Departments", "శాఖలు", "विभाग"), items, page, |p| {
            format!("menu:{p}")
        })
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
        paged(lang, body, tr(lang, "Services", "సేవలు", "सेवाएँ"), items, page, |p| {
            format!("dept:{plugin_id}:{p}")
        })
    }

    fn service(&self, session: &mut Session, lang: Language, plugin_id: &str, service_id: &str) -> Vec<Outgoing> {
        let found = self.catalog.get(plugin_id).and_then(|p| {
            let service = p.info().services.iter().find(|s| s.id == service_id)?.clone();
            Some(service)
        });
        let Some(service) = found else {
            return vec![self.menu(session, 0)];
        };
        session.state = State::Service { plugin: plugin_id.to_owned(), service: service_id.to_owned() };
        vec![Outgoing::Buttons {
            body: describe_service(&service, lang),
            buttons: vec![back_button(lang), menu_button(lang)],
        }]
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
        }]
    }
}

fn paged(
    lang: Language,
    body: String,
    button: String,
    items: Vec<Row>,
    page: usize,
    more: impl Fn(usize) -> String,
) -> Outgoing {
    let rows = if items.len() <= limits::ROWS {
        items
    } else {
        let pages = items.len().div_ceil(PAGE);
        let page = page.min(pages - 1);
        let mut rows: Vec<Row> = items.into_iter().skip(page * PAGE).take(PAGE).collect();
        let next = (page + 1) % pages;
        let title = if next == 0 {
            tr(lang, "« First page", "« మొదటి పేజీ", "« पहला पृष्ठ")
        } else {
            tr(lang, "More…", "మరిన్ని…", "और…")
        };
        rows.push(Row { id: more(next), title, description: None });
        rows
    };
    Outgoing::List { body, button, rows }
}

fn language_buttons() -> Outgoing {
    Outgoing::Buttons {
        body: "Choose your language · మీ భాషను ఎంచుకోండి · अपनी भाषा चुनें".into(),
        buttons: vec![
            ("lang:en".into(), "English".into()),
            ("lang:te".into(), "తెలుగు".into()),
            ("lang:hi".into(), "हिन्दी".into()),
        ],
    }
}

fn back_button(lang: Language) -> (String, String) {
    ("back".into(), tr(lang, "Back", "వెనుకకు", "पीछे"))
}

fn menu_button(lang: Language) -> (String, String) {
    ("menu:0".into(), tr(lang, "Menu", "మెనూ", "मेनू"))
}

fn help(lang: Language) -> String {
    tr(
        lang,
        "Type what you need, e.g. \"income certificate\" or \"current bill\". Commands: menu (or 0), back, cancel, language, help.",
        "మీకు కావలసినది టైప్ చేయండి, ఉదా. \"ఆదాయ ధృవీకరణ పత్రం\" లేదా \"కరెంట్ బిల్లు\". ఆదేశాలు: మెనూ (లేదా 0), వెనుకకు, రద్దు, భాష, సహాయం.",
        "जो चाहिए वह लिखें, जैसे \"आय प्रमाण पत्र\" या \"बिजली बिल\"। आदेश: मेनू (या 0), पीछे, रद्द, भाषा, मदद।",
    )
}

fn unsupported(lang: Language, kind: &str) -> String {
    let what = match kind {
        "audio" => tr(lang, "voice notes", "వాయిస్ సందేశాలు", "वॉइस संदेश"),
        "sticker" => tr(lang, "stickers", "స్టిక్కర్లు", "स्टिकर"),
        "video" => tr(lang, "videos", "వీడియోలు", "वीडियो"),
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
