//! The WhatsApp Cloud API webhook payload, as Meta sends it.
//!
//! Parsing is lenient where Meta adds fields over time (unknown fields are
//! ignored) and strict where Mitra depends on a field (a message without an
//! id or sender is refused).

use serde::{Deserialize, Serialize};

/// The webhook envelope.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Envelope {
    pub object: String,
    #[serde(default)]
    pub entry: Vec<Entry>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Entry {
    pub id: String,
    #[serde(default)]
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Change {
    pub field: String,
    /// Kept as received: only `messages` changes are read ([`Change::messages`]);
    /// the others (`message_template_status_update`, `account_update`…) have
    /// shapes of their own.
    pub value: Box<serde_json::value::RawValue>,
}

impl Change {
    /// The value of a `messages` change; `None` for other fields.
    pub fn messages(&self) -> Option<serde_json::Result<Value>> {
        (self.field == "messages").then(|| serde_json::from_str(self.value.get()))
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Value {
    #[serde(default)]
    pub messaging_product: Option<String>,
    pub metadata: Metadata,
    #[serde(default, deserialize_with = "list_or_null")]
    pub contacts: Vec<Contact>,
    /// Kept as received: each is parsed with [`Message::parse`], and the raw
    /// text is what gets stored, so types Mitra does not know lose nothing.
    #[serde(default, deserialize_with = "list_or_null")]
    pub messages: Vec<Box<serde_json::value::RawValue>>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub statuses: Vec<Status>,
}

/// A list that some senders write as `null` when empty.
fn list_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Metadata {
    #[serde(default)]
    pub display_phone_number: Option<String>,
    pub phone_number_id: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Contact {
    #[serde(default)]
    pub profile: Option<Profile>,
    /// Lenient: a contact without it must not cost the change's messages.
    #[serde(default)]
    pub wa_id: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Profile {
    #[serde(default)]
    pub name: Option<String>,
}

/// One inbound message. `kind` keeps every type Meta sends, including ones
/// Mitra does not handle yet, so nothing is dropped on the floor.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Message {
    pub from: String,
    pub id: String,
    /// Unix seconds, as a string (a number is read too).
    #[serde(deserialize_with = "text_or_number")]
    pub timestamp: String,
    #[serde(flatten)]
    pub kind: MessageKind,
    #[serde(default)]
    pub context: Option<ReplyContext>,
    /// Where a citizen came from (a click-to-WhatsApp ad or post): kept with
    /// the message, not acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<serde_json::Value>,
}

/// Meta writes timestamps as strings; some senders and older payloads use
/// numbers. Either is read as the text of the number.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!("a timestamp is a string or a number, not {other}"))),
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ReplyContext {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum MessageKind {
    Text {
        text: TextBody,
    },
    Interactive {
        interactive: Interactive,
    },
    Button {
        button: TemplateButton,
    },
    Location {
        location: Location,
    },
    Image {
        image: MediaRef,
    },
    Document {
        document: MediaRef,
    },
    Audio {
        audio: MediaRef,
    },
    Video {
        video: MediaRef,
    },
    Sticker {
        sticker: MediaRef,
    },
    /// A reaction (an emoji on one of our messages, or `{}` when removed).
    Reaction {
        reaction: Reaction,
    },
    /// Contact cards the citizen shared.
    Contacts {
        contacts: Vec<serde_json::Value>,
    },
    /// A cart sent from a product catalogue.
    Order {
        order: serde_json::Value,
    },
    /// Meta's notice that the citizen changed number (or their identity key).
    System {
        system: SystemNotice,
    },
    /// The citizen opened the chat for the first time.
    #[serde(rename = "request_welcome")]
    RequestWelcome,
    Unsupported {
        #[serde(default)]
        errors: Vec<ApiError>,
    },
    /// Any type Meta adds later.
    #[serde(other)]
    Other,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Reaction {
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub emoji: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SystemNotice {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The citizen's new number (`user_changed_number`).
    #[serde(default)]
    pub new_wa_id: Option<String>,
    #[serde(default)]
    pub wa_id: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct TextBody {
    pub body: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Interactive {
    ListReply {
        list_reply: Reply,
    },
    ButtonReply {
        button_reply: Reply,
    },
    NfmReply {
        nfm_reply: serde_json::Value,
    },
    #[serde(other)]
    Other,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Reply {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct TemplateButton {
    pub payload: String,
    pub text: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MediaRef {
    pub id: String,
    #[serde(default)]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default)]
    pub voice: Option<bool>,
}

/// A delivery status callback for a message Mitra sent.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Status {
    pub id: String,
    pub status: String,
    #[serde(deserialize_with = "text_or_number")]
    pub timestamp: String,
    #[serde(default)]
    pub recipient_id: String,
    #[serde(default)]
    pub errors: Vec<ApiError>,
    /// What the sender put in `biz_opaque_callback_data` (Mitra: the outbox
    /// id), handed back with every status of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ApiError {
    pub code: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<ErrorData>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ErrorData {
    #[serde(default)]
    pub details: Option<String>,
}

/// What Meta's errors say, on one line: `131000 Something went wrong
/// (Unsupported webhook payload); …`.
pub fn errors_said(errors: &[ApiError]) -> String {
    errors
        .iter()
        .map(|e| {
            let title = e.title.as_deref().or(e.message.as_deref()).unwrap_or_default();
            match e.error_data.as_ref().and_then(|d| d.details.as_deref()) {
                Some(details) => format!("{} {title} ({details})", e.code),
                None => format!("{} {title}", e.code),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl Message {
    /// Parses one raw message of a [`Value`].
    pub fn parse(raw: &serde_json::value::RawValue) -> serde_json::Result<Self> {
        serde_json::from_str(raw.get())
    }

    /// The message as far as it can be read: one whose type-specific part is
    /// missing or malformed (Meta's own "Unsupported webhook payload", an
    /// `interactive` with an `errors` array and no body) is kept as
    /// `unsupported` with Meta's errors, and why is returned, so the citizen
    /// is still answered and an operator can see it. Only a message without
    /// a sender or id is an error.
    pub fn parse_lenient(raw: &serde_json::value::RawValue) -> serde_json::Result<(Self, Option<String>)> {
        let error = match serde_json::from_str::<Self>(raw.get()) {
            Ok(message) => return Ok((message, None)),
            Err(error) => error,
        };
        #[derive(Deserialize)]
        struct Header {
            from: String,
            id: String,
            #[serde(default)]
            timestamp: serde_json::Value,
            #[serde(default, rename = "type")]
            kind: Option<String>,
            #[serde(default)]
            errors: Vec<ApiError>,
        }
        let header: Header = serde_json::from_str(raw.get())?;
        let timestamp = match header.timestamp {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let meta_said = errors_said(&header.errors);
        let why = format!(
            "its {} part could not be read ({error}){}",
            header.kind.as_deref().unwrap_or("untyped"),
            if meta_said.is_empty() { String::new() } else { format!("; Meta says: {meta_said}") }
        );
        let kind = MessageKind::Unsupported { errors: header.errors };
        Ok((Self { from: header.from, id: header.id, timestamp, kind, context: None, referral: None }, Some(why)))
    }
}

impl MessageKind {
    /// The wire name of the type, for storage and logs.
    pub fn name(&self) -> &'static str {
        match self {
            MessageKind::Text { .. } => "text",
            MessageKind::Interactive { .. } => "interactive",
            MessageKind::Button { .. } => "button",
            MessageKind::Location { .. } => "location",
            MessageKind::Image { .. } => "image",
            MessageKind::Document { .. } => "document",
            MessageKind::Audio { .. } => "audio",
            MessageKind::Video { .. } => "video",
            MessageKind::Sticker { .. } => "sticker",
            MessageKind::Reaction { .. } => "reaction",
            MessageKind::Contacts { .. } => "contacts",
            MessageKind::Order { .. } => "order",
            MessageKind::System { .. } => "system",
            MessageKind::RequestWelcome => "request_welcome",
            MessageKind::Unsupported { .. } => "unsupported",
            MessageKind::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(message: &str) -> Message {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"WABA","changes":[{{"field":"messages","value":{{
            "messaging_product":"whatsapp","metadata":{{"display_phone_number":"919000000000","phone_number_id":"PNID"}},
            "contacts":[{{"profile":{{"name":"Lakshmi"}},"wa_id":"919876543210"}}],"messages":[{message}]}}}}]}}]}}"#
        );
        let envelope: Envelope = serde_json::from_str(&body).unwrap();
        Message::parse(&envelope.entry[0].changes[0].messages().unwrap().unwrap().messages[0]).unwrap()
    }

    #[test]
    fn null_lists_and_numeric_timestamps_are_read() {
        let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{
            "metadata":{"phone_number_id":"P"},"contacts":null,"statuses":null,"messages":[
            {"from":"91","id":"wamid.N","timestamp":1700000000,"type":"text","text":{"body":"hi"}}]}}]}]}"#;
        let envelope: Envelope = serde_json::from_str(body).unwrap();
        let value = envelope.entry[0].changes[0].messages().unwrap().unwrap();
        assert!(value.contacts.is_empty() && value.statuses.is_empty());
        assert_eq!(Message::parse(&value.messages[0]).unwrap().timestamp, "1700000000");
    }

    #[test]
    fn every_inbound_type_parses() {
        let common = r#""from":"919876543210","id":"wamid.X","timestamp":"1700000000""#;
        let cases = [
            (r#""type":"text","text":{"body":"menu"}"#, "text"),
            (
                r#""type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"svc:energy/bill","title":"Bill","description":"d"}}"#,
                "interactive",
            ),
            (
                r#""type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"lang:te","title":"తెలుగు"}}"#,
                "interactive",
            ),
            (r#""type":"button","button":{"payload":"STATUS","text":"Status"}"#, "button"),
            (r#""type":"location","location":{"latitude":16.5,"longitude":80.6,"name":"Benz Circle"}"#, "location"),
            (
                r#""type":"image","image":{"id":"M1","mime_type":"image/jpeg","sha256":"abc","caption":"photo"}"#,
                "image",
            ),
            (
                r#""type":"document","document":{"id":"M2","mime_type":"application/pdf","sha256":"abc","filename":"estimate.pdf"}"#,
                "document",
            ),
            (r#""type":"audio","audio":{"id":"M3","mime_type":"audio/ogg","sha256":"abc","voice":true}"#, "audio"),
            (r#""type":"video","video":{"id":"M4","mime_type":"video/mp4","sha256":"abc"}"#, "video"),
            (r#""type":"sticker","sticker":{"id":"M5","mime_type":"image/webp","sha256":"abc"}"#, "sticker"),
            (r#""type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]"#, "unsupported"),
            (r#""type":"reaction","reaction":{"message_id":"wamid.Y","emoji":"👍"}"#, "reaction"),
            (
                r#""type":"contacts","contacts":[{"name":{"formatted_name":"Ravi"},"phones":[{"phone":"+91 98765 43210"}]}]"#,
                "contacts",
            ),
            (
                r#""type":"order","order":{"catalog_id":"C1","product_items":[{"product_retailer_id":"P1","quantity":1}]}"#,
                "order",
            ),
            (
                r#""type":"system","system":{"body":"changed number","new_wa_id":"919876500000","type":"user_changed_number"}"#,
                "system",
            ),
            (r#""type":"request_welcome""#, "request_welcome"),
            (r#""type":"ephemeral_future_type","ephemeral_future_type":{}"#, "other"),
        ];
        for (fields, kind) in cases {
            let message = parse(&format!("{{{common},{fields}}}"));
            assert_eq!(message.kind.name(), kind, "{fields}");
            assert_eq!(message.id, "wamid.X");
        }
    }
}
