//! The citizen's side of grievances: lodging one (a category, what is
//! wrong, an optional photo and location, then a ticket number), their
//! grievances and each one's status, a comment, and after a resolution a
//! rating or, once, a reopening.

use super::engine::{Citizen, Engine, Input, Session, State, Turn, tr};
use super::outgoing::{Outgoing, Row};
use crate::grievances::{CATEGORIES, category, ids, status_words, ticket_number};
use crate::runtime::Language;
use crate::store::{CitizenNote, Grievance, now_ms};

/// Most characters kept of a description or comment.
const MAX_TEXT: usize = 1000;
/// Most grievances listed.
const LISTED: i64 = 10;

impl Engine {
    /// The turn when `input` is about grievances; `None` otherwise.
    pub(super) async fn grievances(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        input: &Input,
    ) -> Option<Turn> {
        match (&session.state, input) {
            (State::Grievance { .. }, Input::Choice(id)) if id == ids::SKIP => {
                return Some(self.grievance_step(citizen, session, lang, None));
            }
            (State::Grievance { .. }, Input::Text(_) | Input::Media(_) | Input::Location(_)) => {
                return Some(self.grievance_step(citizen, session, lang, Some(input)));
            }
            (State::GrievanceComment { ticket }, Input::Text(text)) => {
                let note = CitizenNote::Comment {
                    ticket: ticket.clone(),
                    wa_id: citizen.wa_id.clone(),
                    text: text.trim().chars().take(MAX_TEXT).collect(),
                };
                let said = format!(
                    "✅ {} *{ticket}*.",
                    tr(
                        lang,
                        "Your comment was added to grievance",
                        "మీ వ్యాఖ్య ఫిర్యాదుకు జోడించబడింది",
                        "आपकी टिप्पणी शिकायत में जोड़ी गई"
                    )
                );
                let menu = self.menu(session, 0);
                return Some(Turn {
                    replies: vec![Outgoing::Text(said), menu],
                    grievance_note: Some(note),
                    ..Turn::default()
                });
            }
            _ => {}
        }
        let Input::Choice(id) = input else { return None };
        if id == ids::NEW {
            return Some(vec![categories(lang)].into());
        }
        if id == ids::MINE {
            return Some(self.my_grievances(citizen, lang).await.into());
        }
        if let Some(category) = id.strip_prefix(ids::CATEGORY).and_then(category) {
            session.state =
                State::Grievance { category: category.id.into(), description: None, photo: None, photo_done: false };
            return Some(
                vec![Outgoing::Text(format!(
                    "*{}*\n{}",
                    category.title(lang),
                    tr(
                        lang,
                        "Please describe the problem in a few words: what, where, since when.",
                        "సమస్యను కొన్ని మాటల్లో వివరించండి: ఏమిటి, ఎక్కడ, ఎప్పటి నుండి.",
                        "कृपया समस्या कुछ शब्दों में बताएँ: क्या, कहाँ, कब से।"
                    )
                ))]
                .into(),
            );
        }
        if let Some(ticket) = id.strip_prefix(ids::COMMENT) {
            let g = self.own_grievance(citizen, ticket).await?;
            session.state = State::GrievanceComment { ticket: g.ticket.clone() };
            return Some(
                vec![Outgoing::Text(tr(
                    lang,
                    "Type your comment for the department.",
                    "శాఖ కోసం మీ వ్యాఖ్యను టైప్ చేయండి.",
                    "विभाग के लिए अपनी टिप्पणी लिखें।",
                ))]
                .into(),
            );
        }
        if let Some(rest) = id.strip_prefix(ids::RATE) {
            let (ticket, stars) = rest.rsplit_once(':')?;
            let stars: i64 = stars.parse().ok().filter(|s| (1..=5).contains(s))?;
            let g = self.own_grievance(citizen, ticket).await?;
            let note = CitizenNote::Rate { ticket: g.ticket.clone(), wa_id: citizen.wa_id.clone(), stars };
            let said = tr(
                lang,
                "Thank you for your rating. The grievance is closed.",
                "మీ రేటింగ్‌కు ధన్యవాదాలు. ఫిర్యాదు ముగిసింది.",
                "आपकी रेटिंग के लिए धन्यवाद। शिकायत बंद हो गई।",
            );
            let menu = self.menu(session, 0);
            return Some(Turn {
                replies: vec![Outgoing::Text(said), menu],
                grievance_note: Some(note),
                ..Turn::default()
            });
        }
        if let Some(ticket) = id.strip_prefix(ids::REOPEN) {
            let g = self.own_grievance(citizen, ticket).await?;
            if g.reopened {
                // Reopened once already: the rating says the rest.
                let note = CitizenNote::Rate { ticket: g.ticket.clone(), wa_id: citizen.wa_id.clone(), stars: 1 };
                let said = tr(
                    lang,
                    "This grievance was reopened once already; your rating is recorded and it goes to the department's review.",
                    "ఈ ఫిర్యాదు ఇప్పటికే ఒకసారి తిరిగి తెరవబడింది; మీ రేటింగ్ నమోదైంది, శాఖ సమీక్షకు వెళ్తుంది.",
                    "यह शिकायत एक बार फिर खोली जा चुकी है; आपकी रेटिंग दर्ज हुई और यह विभाग की समीक्षा में जाएगी।",
                );
                return Some(Turn {
                    replies: vec![Outgoing::Text(said)],
                    grievance_note: Some(note),
                    ..Turn::default()
                });
            }
            let sla = category(&g.category).map_or(168 * 3_600_000, |c| c.sla_ms());
            let note = CitizenNote::Reopen {
                ticket: g.ticket.clone(),
                wa_id: citizen.wa_id.clone(),
                due_at_ms: now_ms() + sla,
                why: "the citizen says it is not solved".into(),
            };
            let said = format!(
                "*{}* {}",
                g.ticket,
                tr(
                    lang,
                    "is open again; the department will look at it again.",
                    "మళ్ళీ తెరవబడింది; శాఖ మళ్ళీ పరిశీలిస్తుంది.",
                    "फिर से खुल गई है; विभाग इसे फिर देखेगा।"
                )
            );
            return Some(Turn { replies: vec![Outgoing::Text(said)], grievance_note: Some(note), ..Turn::default() });
        }
        let ticket = id.strip_prefix(ids::SHOW)?;
        let g = self.own_grievance(citizen, ticket).await?;
        Some(vec![shown(&g, lang)].into())
    }

    /// The citizen's grievance `ticket`, if it is theirs.
    async fn own_grievance(&self, citizen: &Citizen, ticket: &str) -> Option<Grievance> {
        match self.reader.grievance(ticket).await {
            Ok(found) => found.filter(|g| g.wa_id == citizen.wa_id),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "grievance lookup failed");
                None
            }
        }
    }

    /// The next answer of the grievance being lodged (`None`: Skip):
    /// what is wrong, then a photo or Skip, then a location or Skip.
    fn grievance_step(&self, citizen: &Citizen, session: &mut Session, lang: Language, input: Option<&Input>) -> Turn {
        let State::Grievance { category: id, description, photo, photo_done } = session.state.clone() else {
            return Turn::default();
        };
        let Some(category) = category(&id) else { return vec![self.menu(session, 0)].into() };
        let skip = || (ids::SKIP.to_owned(), tr(lang, "Skip", "దాటవేయి", "छोड़ें"));
        let Some(description) = description else {
            let Some(Input::Text(text)) = input else {
                let ask = tr(lang, "Please type what is wrong.", "దయచేసి సమస్య ఏమిటో టైప్ చేయండి.", "कृपया लिखें कि क्या समस्या है।");
                return vec![Outgoing::Text(ask)].into();
            };
            let description = Some(text.trim().chars().take(MAX_TEXT).collect());
            session.state = State::Grievance { category: id, description, photo: None, photo_done: false };
            let body = tr(
                lang,
                "Send a photo of the problem if you have one (📎 → Camera), or tap Skip.",
                "సమస్య ఫోటో ఉంటే పంపండి (📎 → కెమెరా), లేదా దాటవేయి నొక్కండి.",
                "समस्या की फ़ोटो हो तो भेजें (📎 → कैमरा), या छोड़ें दबाएँ।",
            );
            return vec![Outgoing::Buttons { body, buttons: vec![skip()] }].into();
        };
        if !photo_done {
            let photo = match input {
                Some(Input::Media(media)) if media.mime_type.starts_with("image/") => Some(media.id.clone()),
                None => None,
                Some(_) => {
                    let body = tr(
                        lang,
                        "Please send a photo, or tap Skip.",
                        "దయచేసి ఫోటో పంపండి, లేదా దాటవేయి నొక్కండి.",
                        "कृपया फ़ोटो भेजें, या छोड़ें दबाएँ।",
                    );
                    return vec![Outgoing::Buttons { body, buttons: vec![skip()] }].into();
                }
            };
            session.state = State::Grievance { category: id, description: Some(description), photo, photo_done: true };
            return ask_location(lang, skip());
        }
        let location = match input {
            Some(Input::Location(geo)) => Some(
                format!(
                    "{:.5},{:.5} {}",
                    geo.latitude,
                    geo.longitude,
                    geo.name.clone().or(geo.address.clone()).unwrap_or_default()
                )
                .trim()
                .to_owned(),
            ),
            None => None,
            Some(_) => return ask_location(lang, skip()),
        };
        let now = now_ms();
        let grievance = Grievance {
            ticket: ticket_number(&citizen.message_id),
            wa_id: citizen.wa_id.clone(),
            phone_number_id: citizen.phone_number_id.clone(),
            language: crate::applications::notify::code(lang).into(),
            category: category.id.into(),
            department: category.department.into(),
            description,
            photo,
            location,
            status: "open".into(),
            level: 1,
            due_at_ms: now + category.sla_ms(),
            created_at_ms: now,
            updated_at_ms: now,
            resolved_at_ms: None,
            rating: None,
            reopened: false,
        };
        let said = format!(
            "✅ {}\n{}: *{}*\n{} {} {}.\n{}",
            tr(lang, "Grievance registered.", "ఫిర్యాదు నమోదైంది.", "शिकायत दर्ज हो गई।"),
            tr(lang, "Ticket No.", "టికెట్ సంఖ్య", "टिकट संख्या"),
            grievance.ticket,
            tr(lang, "The department will act within", "శాఖ చర్య తీసుకునే గడువు:", "विभाग कार्रवाई करेगा:"),
            category.sla_hours,
            tr(lang, "hours", "గంటలు", "घंटों में"),
            tr(
                lang,
                "If it is not resolved in time it goes to a senior officer. See it under My requests in the menu.",
                "సమయంలో పరిష్కారం కాకపోతే పై అధికారికి వెళ్తుంది. మెనూలో నా అభ్యర్థనలు కింద చూడండి.",
                "समय पर हल न होने पर यह वरिष्ठ अधिकारी के पास जाएगी। मेनू में मेरे अनुरोध में देखें।"
            ),
        );
        let menu = self.menu(session, 0);
        Turn { replies: vec![Outgoing::Text(said), menu], grievance: Some(grievance), ..Turn::default() }
    }

    async fn my_grievances(&self, citizen: &Citizen, lang: Language) -> Vec<Outgoing> {
        let mine = match self.reader.grievances_of(&citizen.wa_id, LISTED).await {
            Ok(mine) => mine,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "listing a citizen's grievances failed");
                return vec![Outgoing::Text(super::applications::unavailable(lang))];
            }
        };
        if mine.is_empty() {
            return vec![Outgoing::Buttons {
                body: tr(lang, "You have no grievances.", "మీకు ఫిర్యాదులు లేవు.", "आपकी कोई शिकायत नहीं है।"),
                buttons: vec![(ids::NEW.into(), report_title(lang))],
            }];
        }
        let rows = mine
            .iter()
            .map(|g| Row {
                id: format!("{}{}", ids::SHOW, g.ticket),
                title: g.ticket.clone(),
                description: Some(format!(
                    "{} · {}",
                    status_words(&g.status, lang),
                    category(&g.category).map_or(g.category.clone(), |c| c.title(lang))
                )),
            })
            .collect();
        vec![Outgoing::List {
            body: tr(lang, "Your grievances, newest first.", "మీ ఫిర్యాదులు, కొత్తవి ముందు.", "आपकी शिकायतें, नई पहले।"),
            button: tr(lang, "Grievances", "ఫిర్యాదులు", "शिकायतें"),
            rows,
            also: None,
        }]
    }
}

/// What the citizen may do from the menu's "My requests".
pub fn requests(lang: Language) -> Outgoing {
    Outgoing::Buttons {
        body: tr(lang, "Your applications and grievances.", "మీ దరఖాస్తులు మరియు ఫిర్యాదులు.", "आपके आवेदन और शिकायतें।"),
        buttons: vec![
            (super::applications::MY_APPLICATIONS.into(), tr(lang, "My applications", "నా దరఖాస్తులు", "मेरे आवेदन")),
            (ids::MINE.into(), tr(lang, "My grievances", "నా ఫిర్యాదులు", "मेरी शिकायतें")),
            (ids::NEW.into(), report_title(lang)),
        ],
    }
}

fn report_title(lang: Language) -> String {
    tr(lang, "Report a problem", "సమస్య తెలపండి", "समस्या बताएँ")
}

fn categories(lang: Language) -> Outgoing {
    Outgoing::List {
        body: tr(
            lang,
            "What is the problem about? It goes to the department that handles it.",
            "సమస్య దేని గురించి? దానిని చూసే శాఖకు వెళ్తుంది.",
            "समस्या किस बारे में है? यह उसे देखने वाले विभाग को जाएगी।",
        ),
        button: tr(lang, "Categories", "వర్గాలు", "श्रेणियाँ"),
        rows: CATEGORIES
            .iter()
            .map(|c| Row { id: format!("{}{}", ids::CATEGORY, c.id), title: c.title(lang), description: None })
            .collect(),
        also: None,
    }
}

fn ask_location(lang: Language, skip: (String, String)) -> Turn {
    vec![Outgoing::Buttons {
        body: tr(
            lang,
            "Share where it is (📎 → Location), or tap Skip.",
            "అది ఎక్కడ ఉందో పంపండి (📎 → లొకేషన్), లేదా దాటవేయి నొక్కండి.",
            "यह कहाँ है, भेजें (📎 → लोकेशन), या छोड़ें दबाएँ।",
        ),
        buttons: vec![skip],
    }]
    .into()
}

/// A grievance as the citizen sees it, with what they may do next.
fn shown(g: &Grievance, lang: Language) -> Outgoing {
    let title = category(&g.category).map_or(g.category.clone(), |c| c.title(lang));
    let mut body = format!(
        "*{}* · {title}\n{}: {}\n{}: {}",
        g.ticket,
        tr(lang, "Status", "స్థితి", "स्थिति"),
        status_words(&g.status, lang),
        tr(lang, "Lodged", "నమోదు", "दर्ज"),
        crate::chat::documents::display_day(g.created_at_ms),
    );
    if g.level > 1 {
        body.push_str(&format!(
            "\n{} {}",
            tr(lang, "With a senior officer, level", "పై అధికారి వద్ద, స్థాయి", "वरिष्ठ अधिकारी के पास, स्तर"),
            g.level
        ));
    }
    let buttons = if g.status == "resolved" {
        vec![
            (format!("{}{}:5", ids::RATE, g.ticket), tr(lang, "👍 Yes", "👍 అవును", "👍 हाँ")),
            (format!("{}{}:3", ids::RATE, g.ticket), tr(lang, "😐 Partly", "😐 కొంతవరకు", "😐 कुछ हद तक")),
            (format!("{}{}", ids::REOPEN, g.ticket), tr(lang, "👎 Not solved", "👎 పరిష్కారం కాలేదు", "👎 हल नहीं हुई")),
        ]
    } else if g.status == "closed" {
        vec![("menu:0".into(), tr(lang, "Menu", "మెనూ", "मेनू"))]
    } else {
        vec![(format!("{}{}", ids::COMMENT, g.ticket), tr(lang, "Add a comment", "వ్యాఖ్య జోడించండి", "टिप्पणी जोड़ें"))]
    };
    Outgoing::Buttons { body, buttons }
}
