//! Grievances: lodged in the chat under a category, routed to the
//! department that owns it, due within the category's SLA and escalated a
//! level each time the SLA passes (the citizen told), worked and resolved by
//! officers, rated by the citizen and reopened once if they are not
//! satisfied.

use std::sync::Arc;

use crate::applications::ActError;
use crate::chat::engine::tr;
use crate::chat::outgoing::Outgoing;
use crate::privacy::Privacy;
use crate::runtime::Language;
use crate::store::{AuditEntry, Grievance, GrievanceStep, OutboxItem, Store, now_ms};

/// A kind of problem, and who owns it.
#[derive(Clone, Copy, Debug)]
pub struct Category {
    pub id: &'static str,
    /// The department (plugin id) it is routed to.
    pub department: &'static str,
    pub sla_hours: i64,
    pub en: &'static str,
    pub te: &'static str,
    pub hi: &'static str,
}

impl Category {
    pub fn title(&self, lang: Language) -> String {
        tr(lang, self.en, self.te, self.hi)
    }

    pub fn sla_ms(&self) -> i64 {
        self.sla_hours * 3_600_000
    }
}

/// The categories a citizen picks from (ten: one WhatsApp list).
pub const CATEGORIES: [Category; 10] = [
    Category {
        id: "water", department: "municipal", sla_hours: 48, en: "Drinking water", te: "తాగునీరు", hi: "पेयजल"
    },
    Category {
        id: "sanitation",
        department: "municipal",
        sla_hours: 72,
        en: "Garbage and drains",
        te: "చెత్త, మురుగు కాలువలు",
        hi: "कचरा और नाली",
    },
    Category {
        id: "roads",
        department: "municipal",
        sla_hours: 168,
        en: "Roads, streetlights",
        te: "రోడ్లు, వీధి దీపాలు",
        hi: "सड़क, स्ट्रीट लाइट",
    },
    Category {
        id: "power",
        department: "energy",
        sla_hours: 24,
        en: "Electricity supply",
        te: "విద్యుత్ సరఫరా",
        hi: "बिजली आपूर्ति",
    },
    Category {
        id: "ration",
        department: "civil-supplies",
        sla_hours: 72,
        en: "Ration shop",
        te: "రేషన్ దుకాణం",
        hi: "राशन दुकान",
    },
    Category {
        id: "pension",
        department: "pensions",
        sla_hours: 72,
        en: "Pension not received",
        te: "పింఛను అందలేదు",
        hi: "पेंशन नहीं मिली",
    },
    Category {
        id: "land",
        department: "revenue",
        sla_hours: 168,
        en: "Land records",
        te: "భూమి రికార్డులు",
        hi: "भूमि रिकॉर्ड",
    },
    Category {
        id: "bus", department: "apsrtc", sla_hours: 72, en: "Bus service", te: "బస్సు సేవ", hi: "बस सेवा"
    },
    Category {
        id: "temple",
        department: "endowments",
        sla_hours: 72,
        en: "Temple services",
        te: "దేవాలయ సేవలు",
        hi: "मंदिर सेवाएँ",
    },
    Category {
        id: "other", department: "revenue", sla_hours: 168, en: "Something else", te: "ఇతర సమస్య", hi: "कुछ और"
    },
];

pub fn category(id: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.id == id)
}

/// The highest officer level a grievance is escalated to.
pub const MAX_LEVEL: i64 = 3;

/// The template for a grievance's step outside the window: body
/// "Grievance {{1}} ({{2}}): {{3}}. {{4}}".
pub const UPDATE_TEMPLATE: &str = "mitra_grievance_update";

/// Button ids the citizen taps about ticket `t`.
pub mod ids {
    pub const NEW: &str = "grv:new";
    pub const MINE: &str = "grv:mine";
    pub const CATEGORY: &str = "grvcat:";
    pub const SKIP: &str = "grv:skip";
    pub const SHOW: &str = "grv:";
    pub const COMMENT: &str = "grv-comment:";
    pub const RATE: &str = "grv-rate:";
    pub const REOPEN: &str = "grv-reopen:";
}

/// What an officer does to a grievance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Start,
    Comment,
    Resolve,
}

impl Action {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "start" => Action::Start,
            "comment" => Action::Comment,
            "resolve" => Action::Resolve,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Comment => "comment",
            Action::Resolve => "resolve",
        }
    }
}

/// A status as the citizen reads it.
pub fn status_words(status: &str, lang: Language) -> String {
    match status {
        "open" => tr(lang, "Open", "తెరిచి ఉంది", "खुली"),
        "in_progress" => tr(lang, "Being worked on", "పని జరుగుతోంది", "कार्य जारी"),
        "resolved" => tr(lang, "Resolved", "పరిష్కరించబడింది", "हल हो गई"),
        "closed" => tr(lang, "Closed", "ముగిసింది", "बंद"),
        other => other.to_owned(),
    }
}

/// An officer's note on a grievance as it is kept: trimmed, any Aadhaar
/// number redacted, at most [`MAX_NOTE`](crate::applications::MAX_NOTE)
/// characters, and there for a comment or a resolution (the citizen reads it).
pub(crate) fn checked_note(privacy: &Privacy, action: Action, note: Option<&str>) -> Result<Option<String>, ActError> {
    let note = note.map(|n| privacy.redact(n.trim()).into_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > crate::applications::MAX_NOTE) {
        return Err(ActError::Invalid(format!("a note is at most {} characters", crate::applications::MAX_NOTE)));
    }
    if matches!(action, Action::Comment | Action::Resolve) && note.is_none() {
        return Err(ActError::Invalid("say what was done (the citizen reads it)".into()));
    }
    Ok(note)
}

/// Works grievances: officers' steps and escalation.
#[derive(Clone, Debug)]
pub struct Office {
    store: Store,
    privacy: Arc<Privacy>,
}

impl Office {
    pub fn new(store: Store, privacy: Arc<Privacy>) -> Self {
        Self { store, privacy }
    }

    /// `officer` takes `action` on grievance `g` (as read by the caller, who
    /// checked the officer may; the step itself checks its status again).
    pub async fn act(
        &self,
        officer: &str,
        g: &Grievance,
        action: Action,
        note: Option<&str>,
    ) -> Result<Grievance, ActError> {
        let ticket = g.ticket.as_str();
        let note = checked_note(&self.privacy, action, note)?;
        let (from, to, kind): (&[&str], Option<&str>, &str) = match action {
            Action::Start => (&["open"], Some("in_progress"), "started"),
            Action::Comment => (&["open", "in_progress", "resolved"], None, "comment"),
            Action::Resolve => (&["open", "in_progress"], Some("resolved"), "resolved"),
        };
        let window = self.window(&g.wa_id).await?;
        let reached = to.unwrap_or(g.status.as_str());
        let messages = vec![message(g, reached, note.as_deref(), kind, window, now_ms())];
        let audit = AuditEntry::now(
            officer,
            &format!("{} grievance {ticket}", action.name()),
            Some(&g.department),
            None,
            "ok",
            note.clone().unwrap_or_default(),
        );
        let step = GrievanceStep {
            ticket,
            from,
            to,
            actor: officer,
            kind,
            note: note.as_deref(),
            notifications: &messages,
            audit: &audit,
        };
        match self.store.move_grievance(&step).await? {
            None => Err(ActError::NotFound(ticket.into())),
            Some(Err(current)) => Err(ActError::Conflict { current, action: action.name(), allowed: from.join(", ") }),
            Some(Ok(())) => self.store.grievance(ticket).await?.ok_or_else(|| ActError::NotFound(ticket.into())),
        }
    }

    /// Escalates every grievance past its SLA at `now` (the host's clock in
    /// `serve`, a chosen one in tests): a level up, due again after the
    /// category's SLA, the citizen told.
    pub async fn escalate(&self, now: i64) -> anyhow::Result<Vec<Grievance>> {
        let mut escalated = Vec::new();
        for g in self.store.overdue_grievances(now, MAX_LEVEL).await? {
            let sla = category(&g.category).map_or(168 * 3_600_000, Category::sla_ms);
            let next = Grievance { level: g.level + 1, due_at_ms: now + sla, ..g.clone() };
            let message = message(&next, &next.status, None, "escalated", self.window(&g.wa_id).await?, now);
            if self.store.escalate_grievance(&g, now, next.due_at_ms, &message).await? {
                tracing::warn!(
                    grievance = next.ticket,
                    department = next.department,
                    level = next.level,
                    "grievance escalated"
                );
                escalated.push(next);
            }
        }
        Ok(escalated)
    }

    /// Until when free-form messages reach the citizen (see `applications`).
    async fn window(&self, wa_id: &str) -> anyhow::Result<i64> {
        crate::applications::window_until(&self.store, wa_id).await
    }
}

/// The message telling the citizen about grievance `g` after `kind`: a
/// session message if `now` is inside their window, else the template.
fn message(g: &Grievance, status: &str, note: Option<&str>, kind: &str, window_until_ms: i64, now: i64) -> OutboxItem {
    let lang = crate::applications::notify::language(&g.language);
    let title = category(&g.category).map_or(g.category.clone(), |c| c.title(lang));
    let ticket = g.ticket.as_str();
    let said = match kind {
        "started" => tr(
            lang,
            "An officer has started work on it.",
            "ఒక అధికారి దానిపై పని ప్రారంభించారు.",
            "एक अधिकारी ने इस पर काम शुरू कर दिया है।",
        ),
        "resolved" => tr(
            lang,
            "✅ The department says it is resolved.",
            "✅ సమస్య పరిష్కరించబడిందని శాఖ చెబుతోంది.",
            "✅ विभाग के अनुसार यह हल हो गई है।",
        ),
        "escalated" => format!(
            "{} {}.",
            tr(
                lang,
                "Not resolved in time: it has gone to a senior officer, level",
                "సమయంలో పరిష్కారం కాలేదు: పై అధికారికి పంపబడింది, స్థాయి",
                "समय पर हल नहीं हुई: वरिष्ठ अधिकारी को भेजी गई, स्तर"
            ),
            g.level
        ),
        _ => tr(lang, "The department has written:", "శాఖ ఇలా రాసింది:", "विभाग ने लिखा है:"),
    };
    let mut body = format!("*{ticket}* · {title}\n{said}");
    if let Some(note) = note {
        body.push_str(&format!("\n_{note}_"));
    }
    let resolved = kind == "resolved";
    let buttons: Vec<(String, String)> = if resolved {
        body.push_str(&format!("\n{}", tr(lang, "Are you satisfied?", "మీకు సంతృప్తిగా ఉందా?", "क्या आप संतुष्ट हैं?")));
        vec![
            (format!("{}{ticket}:5", ids::RATE), tr(lang, "👍 Yes", "👍 అవును", "👍 हाँ")),
            (format!("{}{ticket}:3", ids::RATE), tr(lang, "😐 Partly", "😐 కొంతవరకు", "😐 कुछ हद तक")),
            (format!("{}{ticket}", ids::REOPEN), tr(lang, "👎 Not solved", "👎 పరిష్కారం కాలేదు", "👎 हल नहीं हुई")),
        ]
    } else {
        vec![(format!("{}{ticket}", ids::COMMENT), tr(lang, "Add a comment", "వ్యాఖ్య జోడించండి", "टिप्पणी जोड़ें"))]
    };
    let session = Outgoing::Buttons { body, buttons };
    let template = Outgoing::Template {
        name: UPDATE_TEMPLATE.into(),
        language: g.language.clone(),
        parameters: vec![ticket.into(), title, status_words(status, lang), note.unwrap_or(&said).into()],
        buttons: if resolved {
            vec![format!("{}{ticket}:5", ids::RATE), format!("{}{ticket}", ids::REOPEN)]
        } else {
            vec![]
        },
    };
    let id = format!("{ticket}/{kind}/{now}");
    // Decided now, on the clock the step runs on: outside the window the
    // template goes straight away.
    if now > window_until_ms {
        template.queued(id, &g.phone_number_id, &g.wa_id, None, None)
    } else {
        session.queued(id, &g.phone_number_id, &g.wa_id, Some(window_until_ms), Some(&template))
    }
}

/// `GRV-YYMMDD-XXXXXXXX` from the message that lodged it (handling that
/// message twice cannot lodge a second one).
pub fn ticket_number(message_id: &str) -> String {
    crate::chat::engine::application_number(&format!("grievance {message_id}")).replacen("MTR-", "GRV-", 1)
}
