//! The lifecycle of an application, as department officers work it:
//! submitted → under review → needs information (a question the citizen
//! answers in the chat) → approved / rejected (with remarks) → delivered.
//! Each step is one transaction: the file's status, an event in its history,
//! an audit entry naming the officer, and the message telling the citizen
//! (a session message inside their 24-hour window, an approved template
//! outside it).

pub mod notify;

use std::sync::Arc;

use crate::certificates::issuer::IssuedDocument;
use crate::chat::documents;
use crate::privacy::Privacy;
use crate::runtime::{Applicant, Application, Catalog, Error as RuntimeError, Language, PluginError};
use crate::store::{ApplicationFile, AuditEntry, Moved, Step, Store};
use crate::telemetry::{StatusLabel, metrics};

/// The statuses an application goes through, as stored.
pub mod status {
    pub const SUBMITTED: &str = "submitted";
    pub const UNDER_REVIEW: &str = "under_review";
    pub const NEEDS_INFORMATION: &str = "needs_information";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const DELIVERED: &str = "delivered";
    /// Issued by the department at once (a certificate the plugin renders
    /// on submission): delivered without an officer.
    pub const ISSUED: &str = "issued";

    /// Every status, in lifecycle order.
    pub const ALL: [&str; 7] = [SUBMITTED, UNDER_REVIEW, NEEDS_INFORMATION, APPROVED, REJECTED, DELIVERED, ISSUED];
    /// The statuses an officer still has to act on.
    pub const OPEN: [&str; 3] = [SUBMITTED, UNDER_REVIEW, NEEDS_INFORMATION];
}

/// What an officer does to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Takes it up.
    Review,
    /// Asks the citizen a question.
    Ask,
    Approve,
    Reject,
    /// Marks it handed over (with the certificate, when the service has one).
    Deliver,
}

impl Action {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "review" => Action::Review,
            "ask" => Action::Ask,
            "approve" => Action::Approve,
            "reject" => Action::Reject,
            "deliver" => Action::Deliver,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Review => "review",
            Action::Ask => "ask",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Deliver => "deliver",
        }
    }

    /// The statuses the action may leave, and the one it leads to.
    pub fn rule(self) -> (&'static [&'static str], &'static str) {
        use status::*;
        match self {
            Action::Review => (&[SUBMITTED], UNDER_REVIEW),
            Action::Ask => (&[SUBMITTED, UNDER_REVIEW], NEEDS_INFORMATION),
            Action::Approve => (&OPEN, APPROVED),
            Action::Reject => (&OPEN, REJECTED),
            Action::Deliver => (&[APPROVED], DELIVERED),
        }
    }
}

/// Why a step was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error("no application {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the application is {current}; {action} applies to {allowed}")]
    Conflict { current: String, action: &'static str, allowed: String },
    #[error("the department could not issue the document: {0}")]
    Document(String),
    #[error(transparent)]
    Host(#[from] anyhow::Error),
}

/// Until when free-form messages reach citizen `wa_id`: 24 hours after
/// their latest message (none known: only a template will).
pub async fn window_until(store: &Store, wa_id: &str) -> anyhow::Result<i64> {
    let session = store.load_session(wa_id).await?;
    let last = session
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|s| s["last_message_at"].as_i64());
    Ok(last.map_or(0, |at| at.saturating_mul(1000).saturating_add(crate::chat::outgoing::WINDOW_MS)))
}

/// The most characters an officer's remarks or question may have (a
/// WhatsApp template parameter is at most 1,024; the message says more).
pub const MAX_NOTE: usize = 500;

/// An officer's note on `action` as it is kept: trimmed, any Aadhaar number
/// in it redacted (an officer may quote one), at most [`MAX_NOTE`]
/// characters, and there when the action needs one (a question, a
/// rejection's reason).
pub(crate) fn checked_note(privacy: &Privacy, action: Action, note: Option<&str>) -> Result<Option<String>, ActError> {
    let note = note.map(|n| privacy.redact(n.trim()).into_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(ActError::Invalid(format!("remarks are at most {MAX_NOTE} characters")));
    }
    match (action, note) {
        (Action::Ask, None) => Err(ActError::Invalid("a question for the citizen is required".into())),
        (Action::Reject, None) => Err(ActError::Invalid("the reason for rejecting is required".into())),
        (_, note) => Ok(note),
    }
}

/// Works applications: every step an officer takes goes through here.
#[derive(Clone, Debug)]
pub struct Desk {
    store: Store,
    catalog: Arc<Catalog>,
    privacy: Arc<Privacy>,
}

impl Desk {
    pub fn new(store: Store, catalog: Arc<Catalog>, privacy: Arc<Privacy>) -> Self {
        Self { store, catalog, privacy }
    }

    /// The departments being served.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// `officer` takes `action` on application `number`, saying `note`
    /// (required for a question and a rejection). Returns the file as it
    /// now stands.
    pub async fn act(
        &self,
        officer: &str,
        number: &str,
        action: Action,
        note: Option<&str>,
    ) -> Result<ApplicationFile, ActError> {
        let note = checked_note(&self.privacy, action, note)?;
        let note = note.as_deref();
        let file = self.store.application_file(number).await?.ok_or_else(|| ActError::NotFound(number.into()))?;
        let (from, to) = action.rule();
        if !from.contains(&file.record.status.as_str()) {
            return Err(ActError::Conflict {
                current: file.record.status.clone(),
                action: action.name(),
                allowed: from.join(", "),
            });
        }
        let document = match action {
            Action::Deliver => self.render(&file).await?,
            _ => None,
        };
        let lang = notify::language(&file.record.language);
        let title = self.service_title(&file, lang);
        let window_until_ms = self.window(&file.record.wa_id).await?;
        let messages = notify::step_messages(&file.record, &title, to, note, document.is_some(), window_until_ms);
        let audit = AuditEntry::now(
            officer,
            &format!("{} application {number}", action.name()),
            Some(&file.record.plugin_id),
            None,
            "ok",
            note.unwrap_or_default(),
        );
        let step = Step {
            number,
            from,
            to,
            actor: officer,
            note,
            question: (action == Action::Ask).then_some(note).flatten(),
            remarks: matches!(action, Action::Approve | Action::Reject).then_some(note).flatten(),
            decides: matches!(action, Action::Approve | Action::Reject),
            document: document.as_deref(),
            notifications: &messages,
            audit: &audit,
        };
        match self.store.move_application(&step).await? {
            Moved::Done => {}
            Moved::NotFound => return Err(ActError::NotFound(number.into())),
            Moved::Conflict(current) => {
                return Err(ActError::Conflict { current, action: action.name(), allowed: from.join(", ") });
            }
        }
        tracing::info!(application = number, officer, to, "application moved");
        metrics().applications_moved.get_or_create(&StatusLabel { status: to }).inc();
        self.store.application_file(number).await?.ok_or_else(|| ActError::NotFound(number.into()))
    }

    /// The service's title in `lang`, or its id if the plugin is gone.
    pub fn service_title(&self, file: &ApplicationFile, lang: Language) -> String {
        let record = &file.record;
        self.catalog.service_title(&record.plugin_id, &record.service_id, lang).unwrap_or(record.service_id.clone())
    }

    async fn window(&self, wa_id: &str) -> anyhow::Result<i64> {
        window_until(&self.store, wa_id).await
    }

    /// The document the department issues for an approved application, as
    /// stored for the sender to sign and send; `None` when the service
    /// issues none (delivered in person).
    async fn render(&self, file: &ApplicationFile) -> Result<Option<String>, ActError> {
        if file.record.document.is_some() {
            return Ok(None);
        }
        let plugin = self
            .catalog
            .get(&file.record.plugin_id)
            .ok_or_else(|| ActError::Document(format!("department {} is not served", file.record.plugin_id)))?;
        let answers = serde_json::from_str(&file.record.answers)
            .map_err(|e| ActError::Document(format!("the stored answers cannot be read: {e}")))?;
        let application = Application {
            number: file.record.number.clone(),
            service_id: file.record.service_id.clone(),
            applicant: Applicant {
                wa_id: file.record.wa_id.clone(),
                profile_name: None,
                language: notify::language(&file.record.language),
            },
            answers,
            submitted_at: documents::rfc3339(file.record.submitted_at_ms),
        };
        let service_id = file.record.service_id.clone();
        let renderer = plugin.clone();
        let rendered = tokio::task::spawn_blocking(move || renderer.render_document(&service_id, &application))
            .await
            .map_err(|e| ActError::Host(anyhow::anyhow!("plugin call task failed: {e}")))?;
        match rendered {
            Ok(document) => {
                let issued = IssuedDocument { document, department: plugin.info().name.clone(), profile_name: None };
                Ok(Some(serde_json::to_string(&issued).map_err(anyhow::Error::from)?))
            }
            Err(RuntimeError::Plugin { error: PluginError::Unsupported(_), .. }) => Ok(None),
            Err(error) => Err(ActError::Document(format!("{error:#}"))),
        }
    }
}
