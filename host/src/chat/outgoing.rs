//! What Mitra says, as Cloud API message bodies, within WhatsApp's limits.
//!
//! The engine composes [`Outgoing`] values freely; rendering is where every
//! limit of the interactive formats is enforced, so no message can be refused
//! by Meta for a title one character too long.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;
#[cfg(test)]
use serde_json::json;

use crate::store::OutboxItem;

/// A list row: its id comes back in the citizen's reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

/// One message to a citizen.
#[derive(Clone, Debug, PartialEq)]
pub enum Outgoing {
    Text(String),
    /// Up to three reply buttons: `(id, title)`.
    Buttons {
        body: String,
        buttons: Vec<(String, String)>,
    },
    /// A list: up to ten rows, in one section or, with `also`, two (the
    /// second titled: `(title, rows)`).
    List {
        body: String,
        button: String,
        rows: Vec<Row>,
        also: Option<(String, Vec<Row>)>,
    },
    /// A document Meta fetches from `link`.
    Document {
        link: String,
        filename: String,
        caption: String,
    },
    /// Application `serial`'s certificate: the sender has it issued and
    /// laid out as a PDF, uploads it and sends it by media id.
    Certificate {
        serial: String,
        caption: String,
    },
    /// A UPI payment QR code: the sender draws `upi` (the intent link) as a
    /// PNG, uploads it and sends it as an image by media id.
    PaymentQr {
        upi: String,
        caption: String,
    },
    /// WhatsApp's India payments invoice (`interactive` `order_details`):
    /// "Review and pay" opens the citizen's UPI app in the chat, through
    /// the payment configuration registered for the business number.
    OrderDetails {
        body: String,
        /// The order id: the UPI link's `tr`, and the gateway's reference.
        reference_id: String,
        /// The configuration's name in WhatsApp Manager.
        configuration: String,
        /// `plugin/service`, and the service's title.
        item_id: String,
        item_name: String,
        amount_paise: u64,
        /// Unix seconds after which it cannot be paid, with a note saying so
        /// (Meta takes an expiry at least five minutes ahead).
        expiry: Option<(i64, String)>,
    },
    /// The turn read out in `language`, for a citizen who speaks: the
    /// sender has it spoken and encoded as a voice note, uploads it and
    /// sends it as `audio` by media id.
    Speech {
        text: String,
        language: crate::runtime::Language,
    },
    /// An approved template: the only kind of message WhatsApp delivers
    /// outside the 24-hour customer-service window.
    Template {
        name: String,
        /// `en`, `te` or `hi`.
        language: String,
        /// The body's `{{1}}`, `{{2}}`… values.
        parameters: Vec<String>,
        /// The payloads of its quick-reply buttons, in order (a tap comes
        /// back as a `button` message carrying the payload).
        buttons: Vec<String>,
    },
}

impl Outgoing {
    /// `self` queued for `wa_id` as outbox item `id`, with `fallback` to send
    /// instead once `window_until_ms` has passed. The body carries `id` as
    /// `biz_opaque_callback_data`, which Meta hands back in every status
    /// callback about it.
    pub fn queued(
        &self,
        id: String,
        phone_number_id: &str,
        wa_id: &str,
        window_until_ms: Option<i64>,
        fallback: Option<&Outgoing>,
    ) -> OutboxItem {
        let body = |message: &Outgoing| {
            serde_json::to_string(&message.cloud(wa_id, Some(&id)))
                .expect("a typed body (named members, text, integers) always serializes")
        };
        OutboxItem {
            phone_number_id: phone_number_id.to_owned(),
            wa_id: wa_id.to_owned(),
            body: body(self),
            attempts: 0,
            window_until_ms,
            fallback: fallback.map(body),
            id,
        }
    }
}

/// A template parameter as Meta accepts it: no newlines or tabs, no more
/// than four spaces in a row, at most 1,024 characters (else error 132018).
pub fn template_parameter(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        out.push(c);
    }
    fit(out.trim(), limits::TEMPLATE_PARAMETER).into_owned()
}

/// The template sent instead of a reply that missed the 24-hour window (a
/// message Meta delivered late, a retry that outlived the window). It asks
/// the citizen to write again, which reopens the window.
pub const REOPEN_TEMPLATE: &str = "mitra_reopen_conversation";

/// The member of a queued image message holding the UPI link its QR code
/// draws; like [`CERTIFICATE_FIELD`], replaced by the media id at sending.
pub const UPI_QR_FIELD: &str = "mitra_upi_qr";

/// The member of a queued document message naming the certificate the
/// sender must issue and upload first (never sent to Meta).
pub const CERTIFICATE_FIELD: &str = "mitra_certificate";

/// The member of a queued audio message holding what to speak (`text`,
/// `language`); replaced by the voice note's media id at sending.
pub const SPEECH_FIELD: &str = "mitra_speak";

/// How long after a citizen's last message free-form replies may be sent.
pub const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Limits from the Cloud API reference (lengths in code points).
pub mod limits {
    pub const TEXT_BODY: usize = 4096;
    pub const INTERACTIVE_BODY: usize = 1024;
    pub const LIST_BUTTON: usize = 20;
    pub const ROW_ID: usize = 200;
    pub const ROW_TITLE: usize = 24;
    pub const ROW_DESCRIPTION: usize = 72;
    pub const ROWS: usize = 10;
    pub const BUTTONS: usize = 3;
    pub const BUTTON_ID: usize = 256;
    pub const BUTTON_TITLE: usize = 20;
    pub const CAPTION: usize = 1024;
    pub const FILENAME: usize = 240;
    pub const TEMPLATE_PARAMETER: usize = 1024;
    pub const ORDER_REFERENCE: usize = 35;
    pub const ORDER_ITEM_NAME: usize = 60;
    pub const ORDER_EXPIRY_NOTE: usize = 120;
}

/// Cuts `text` to `max` code points, ending with '…' when it was cut.
pub fn fit(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().nth(max).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    Cow::Owned(out)
}

impl Outgoing {
    /// The Cloud API `POST /messages` body for recipient `to`.
    pub fn to_cloud(&self, to: &str) -> Value {
        serde_json::to_value(self.cloud(to, None))
            .expect("a typed body (named members, text, integers) always serializes")
    }

    /// The body for recipient `to`, tagged `callback` (Meta's
    /// `biz_opaque_callback_data`), every text fitted to its limit.
    fn cloud<'a>(&'a self, to: &'a str, callback: Option<&'a str>) -> Body<'a> {
        use limits::*;
        let said = |text: &'a str| Said { text: fit(text, INTERACTIVE_BODY) };
        let content = match self {
            Outgoing::Text(text) => Content::Text { text: TextBody { body: fit(text, TEXT_BODY), preview_url: false } },
            Outgoing::Buttons { body, buttons } => Content::Interactive {
                interactive: Interactive::Button {
                    body: said(body),
                    action: ButtonsAction {
                        buttons: buttons
                            .iter()
                            .take(BUTTONS)
                            .map(|(id, title)| ReplyButton::Reply {
                                reply: Reply { id: fit(id, BUTTON_ID), title: fit(title, BUTTON_TITLE) },
                            })
                            .collect(),
                    },
                },
            },
            Outgoing::List { body, button, rows, also } => {
                let row = |row: &'a Row| ListRow {
                    id: fit(&row.id, ROW_ID),
                    title: fit(&row.title, ROW_TITLE),
                    description: row.description.as_deref().map(|d| fit(d, ROW_DESCRIPTION)),
                };
                let extra = also.as_ref().map_or(0, |(_, rows)| rows.len());
                let mut sections = vec![Section {
                    title: fit(button, ROW_TITLE),
                    rows: rows.iter().take(ROWS.saturating_sub(extra)).map(row).collect(),
                }];
                if let Some((title, rows)) = also {
                    sections.push(Section {
                        title: fit(title, ROW_TITLE),
                        rows: rows.iter().take(ROWS).map(row).collect(),
                    });
                }
                Content::Interactive {
                    interactive: Interactive::List {
                        body: said(body),
                        action: ListAction { button: fit(button, LIST_BUTTON), sections },
                    },
                }
            }
            Outgoing::Document { link, filename, caption } => Content::Document {
                document: Document {
                    link: Some(link),
                    filename: fit(filename, FILENAME),
                    caption: fit(caption, CAPTION),
                },
                certificate: None,
            },
            // Completed by the sender (`mitra_certificate` names what to
            // issue; it becomes `document.id` once uploaded).
            Outgoing::Certificate { serial, caption } => Content::Document {
                document: Document {
                    link: None,
                    filename: Cow::Owned(fit(&format!("{serial}.pdf"), FILENAME).into_owned()),
                    caption: fit(caption, CAPTION),
                },
                certificate: Some(serial),
            },
            // `voice` asks WhatsApp to show it as a voice note.
            Outgoing::Speech { text, language } => Content::Audio {
                audio: Audio { voice: true },
                speak: Speak { text, language: crate::applications::notify::code(*language) },
            },
            Outgoing::PaymentQr { upi, caption } => {
                Content::Image { image: Image { caption: fit(caption, CAPTION) }, upi }
            }
            Outgoing::OrderDetails { body, reference_id, configuration, item_id, item_name, amount_paise, expiry } => {
                // Amounts are integers with an offset: 5000 with offset
                // 100 is ₹50.00.
                let amount = Amount { value: *amount_paise, offset: 100 };
                Content::Interactive {
                    interactive: Interactive::OrderDetails {
                        body: said(body),
                        action: OrderAction {
                            name: "review_and_pay",
                            parameters: OrderParameters {
                                reference_id,
                                kind: "digital-goods",
                                payment_type: "upi",
                                payment_configuration: configuration,
                                currency: "INR",
                                total_amount: amount,
                                order: Order {
                                    status: "pending",
                                    items: [OrderItem {
                                        retailer_id: item_id,
                                        name: fit(item_name, ORDER_ITEM_NAME),
                                        amount,
                                        quantity: 1,
                                    }],
                                    subtotal: amount,
                                    tax: Tax { value: 0, offset: 100, description: "No tax" },
                                    expiration: expiry.as_ref().map(|(at, note)| Expiration {
                                        timestamp: at.to_string(),
                                        description: fit(note, ORDER_EXPIRY_NOTE),
                                    }),
                                },
                            },
                        },
                    },
                }
            }
            Outgoing::Template { name, language, parameters, buttons } => {
                let mut components = Vec::new();
                if !parameters.is_empty() {
                    components.push(Component::Body {
                        parameters: parameters
                            .iter()
                            .map(|p| Parameter::Text { text: Cow::Owned(template_parameter(p)) })
                            .collect(),
                    });
                }
                components.extend(buttons.iter().enumerate().map(|(i, payload)| Component::Button {
                    sub_type: "quick_reply",
                    index: i.to_string(),
                    parameters: vec![Parameter::Payload { payload }],
                }));
                Content::Template {
                    template: Template {
                        name,
                        language: TemplateLanguage { code: language, policy: "deterministic" },
                        components,
                    },
                }
            }
        };
        Body {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to,
            biz_opaque_callback_data: callback,
            content,
        }
    }
}

// A Cloud API message body, typed: queued replies are serialized straight
// to text from these, with no tree of JSON values built and dropped for
// each (BENCHMARKS.md, "Replies written without a tree of values"). The
// shape is pinned by `each_kind_is_queued_in_the_cloud_api_s_shape`.

#[derive(Serialize)]
struct Body<'a> {
    messaging_product: &'static str,
    recipient_type: &'static str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_opaque_callback_data: Option<&'a str>,
    #[serde(flatten)]
    content: Content<'a>,
}

#[expect(
    clippy::large_enum_variant,
    reason = "built on the stack and serialized at once, never kept: boxing would add the allocations this type is here to save"
)]
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Content<'a> {
    Text {
        text: TextBody<'a>,
    },
    Interactive {
        interactive: Interactive<'a>,
    },
    Document {
        document: Document<'a>,
        #[serde(rename = "mitra_certificate", skip_serializing_if = "Option::is_none")]
        certificate: Option<&'a str>,
    },
    Audio {
        audio: Audio,
        #[serde(rename = "mitra_speak")]
        speak: Speak<'a>,
    },
    Image {
        image: Image<'a>,
        #[serde(rename = "mitra_upi_qr")]
        upi: &'a str,
    },
    Template {
        template: Template<'a>,
    },
}

#[derive(Serialize)]
struct TextBody<'a> {
    body: Cow<'a, str>,
    preview_url: bool,
}

#[expect(
    clippy::large_enum_variant,
    reason = "built on the stack and serialized at once, never kept: boxing would add the allocations this type is here to save"
)]
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Interactive<'a> {
    Button { body: Said<'a>, action: ButtonsAction<'a> },
    List { body: Said<'a>, action: ListAction<'a> },
    OrderDetails { body: Said<'a>, action: OrderAction<'a> },
}

#[derive(Serialize)]
struct Said<'a> {
    text: Cow<'a, str>,
}

#[derive(Serialize)]
struct ButtonsAction<'a> {
    buttons: Vec<ReplyButton<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ReplyButton<'a> {
    Reply { reply: Reply<'a> },
}

#[derive(Serialize)]
struct Reply<'a> {
    id: Cow<'a, str>,
    title: Cow<'a, str>,
}

#[derive(Serialize)]
struct ListAction<'a> {
    button: Cow<'a, str>,
    sections: Vec<Section<'a>>,
}

#[derive(Serialize)]
struct Section<'a> {
    title: Cow<'a, str>,
    rows: Vec<ListRow<'a>>,
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: Cow<'a, str>,
    title: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    filename: Cow<'a, str>,
    caption: Cow<'a, str>,
}

#[derive(Serialize)]
struct Audio {
    voice: bool,
}

#[derive(Serialize)]
struct Speak<'a> {
    text: &'a str,
    language: &'static str,
}

#[derive(Serialize)]
struct Image<'a> {
    caption: Cow<'a, str>,
}

#[derive(Serialize)]
struct OrderAction<'a> {
    name: &'static str,
    parameters: OrderParameters<'a>,
}

#[derive(Serialize)]
struct OrderParameters<'a> {
    reference_id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    payment_type: &'static str,
    payment_configuration: &'a str,
    currency: &'static str,
    total_amount: Amount,
    order: Order<'a>,
}

#[derive(Serialize, Clone, Copy)]
struct Amount {
    value: u64,
    offset: u64,
}

#[derive(Serialize)]
struct Order<'a> {
    status: &'static str,
    items: [OrderItem<'a>; 1],
    subtotal: Amount,
    tax: Tax,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<Expiration<'a>>,
}

#[derive(Serialize)]
struct OrderItem<'a> {
    retailer_id: &'a str,
    name: Cow<'a, str>,
    amount: Amount,
    quantity: u64,
}

#[derive(Serialize)]
struct Tax {
    value: u64,
    offset: u64,
    description: &'static str,
}

#[derive(Serialize)]
struct Expiration<'a> {
    timestamp: String,
    description: Cow<'a, str>,
}

#[derive(Serialize)]
struct Template<'a> {
    name: &'a str,
    language: TemplateLanguage<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Component<'a>>,
}

#[derive(Serialize)]
struct TemplateLanguage<'a> {
    code: &'a str,
    policy: &'static str,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Component<'a> {
    Body { parameters: Vec<Parameter<'a>> },
    Button { sub_type: &'static str, index: String, parameters: Vec<Parameter<'a>> },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Parameter<'a> {
    Text { text: Cow<'a, str> },
    Payload { payload: &'a str },
}

/// Checks a Cloud API message body against WhatsApp's limits; used by tests
/// on every captured message.
pub fn check_limits(body: &Value) -> Result<(), String> {
    use limits::*;
    let len = |v: &Value| v.as_str().map(|s| s.chars().count()).unwrap_or(0);
    let over = |what: &str, v: &Value, max: usize| -> Result<(), String> {
        if len(v) > max { Err(format!("{what} is {} characters, over {max}: {v}", len(v))) } else { Ok(()) }
    };
    if body["messaging_product"] != "whatsapp" || !body["to"].is_string() {
        return Err("missing messaging_product or to".into());
    }
    match body["type"].as_str() {
        Some("text") => over("text body", &body["text"]["body"], TEXT_BODY),
        Some("interactive") => {
            let i = &body["interactive"];
            over("interactive body", &i["body"]["text"], INTERACTIVE_BODY)?;
            match i["type"].as_str() {
                Some("button") => {
                    let buttons = i["action"]["buttons"].as_array().ok_or("buttons missing")?;
                    if buttons.is_empty() || buttons.len() > BUTTONS {
                        return Err(format!("{} buttons", buttons.len()));
                    }
                    let mut titles = std::collections::HashSet::new();
                    for b in buttons {
                        over("button title", &b["reply"]["title"], BUTTON_TITLE)?;
                        over("button id", &b["reply"]["id"], BUTTON_ID)?;
                        if !titles.insert(b["reply"]["title"].to_string()) {
                            return Err("button titles must be unique".into());
                        }
                    }
                    Ok(())
                }
                Some("list") => {
                    over("list button", &i["action"]["button"], LIST_BUTTON)?;
                    let sections = i["action"]["sections"].as_array().ok_or("sections missing")?;
                    let rows: Vec<&Value> =
                        sections.iter().flat_map(|s| s["rows"].as_array().into_iter().flatten()).collect();
                    if rows.is_empty() || rows.len() > ROWS {
                        return Err(format!("{} rows in total", rows.len()));
                    }
                    for s in sections {
                        over("section title", &s["title"], ROW_TITLE)?;
                    }
                    for r in rows {
                        over("row title", &r["title"], ROW_TITLE)?;
                        over("row id", &r["id"], ROW_ID)?;
                        over("row description", &r["description"], ROW_DESCRIPTION)?;
                    }
                    Ok(())
                }
                Some("order_details") => check_order_details(&i["action"]),
                other => Err(format!("unknown interactive type {other:?}")),
            }
        }
        Some("document") => {
            let d = &body["document"];
            if !d["link"].is_string() && !d["id"].is_string() {
                return Err("document needs a link or an id".into());
            }
            over("document caption", &d["caption"], CAPTION)?;
            over("document filename", &d["filename"], FILENAME)
        }
        Some("image") => {
            let i = &body["image"];
            if !i["link"].is_string() && !i["id"].is_string() {
                return Err("image needs a link or an id".into());
            }
            over("image caption", &i["caption"], CAPTION)
        }
        Some("audio") => {
            // Audio takes no caption; `voice` marks a voice note.
            let a = &body["audio"];
            if !a["link"].is_string() && !a["id"].is_string() {
                return Err("audio needs a link or an id".into());
            }
            if a.get("caption").is_some() {
                return Err("audio messages take no caption".into());
            }
            match a.get("voice") {
                None | Some(Value::Bool(_)) => Ok(()),
                Some(other) => Err(format!("audio voice must be true or false, not {other}")),
            }
        }
        Some("template") => {
            let t = &body["template"];
            if !t["name"].is_string() || !t["language"]["code"].is_string() {
                return Err("template needs a name and a language code".into());
            }
            let parameters = t["components"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|c| c["parameters"].as_array().into_iter().flatten().filter_map(|p| p["text"].as_str()));
            for p in parameters {
                if p.contains(['\n', '\t']) || p.contains("     ") || p.chars().count() > TEMPLATE_PARAMETER {
                    return Err(format!("template parameter Meta refuses (132018): {p:?}"));
                }
            }
            Ok(())
        }
        other => Err(format!("unknown message type {other:?}")),
    }
}

/// An `order_details` action as Meta's India payments API takes it: a
/// plain reference, amounts whose parts add up, an item name within 60
/// characters, a pending order.
fn check_order_details(action: &Value) -> Result<(), String> {
    use limits::*;
    if action["name"] != "review_and_pay" {
        return Err(format!("order_details action {} is not review_and_pay", action["name"]));
    }
    let p = &action["parameters"];
    let reference = p["reference_id"].as_str().unwrap_or_default();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if reference.is_empty() || reference.len() > ORDER_REFERENCE || !reference.chars().all(plain) {
        return Err(format!("order reference {reference:?} is not 1–35 letters, digits, _ - ."));
    }
    if p["currency"] != "INR" || !matches!(p["type"].as_str(), Some("digital-goods" | "physical-goods")) {
        return Err("order_details needs currency INR and a goods type".into());
    }
    let amount = |v: &Value, what: &str| -> Result<u64, String> {
        match (v["value"].as_u64(), v["offset"].as_u64()) {
            (Some(value), Some(100)) => Ok(value),
            _ => Err(format!("{what} is not an amount with offset 100: {v}")),
        }
    };
    let order = &p["order"];
    if order["status"] != "pending" {
        return Err("an order_details order is pending".into());
    }
    let items = order["items"].as_array().filter(|i| !i.is_empty()).ok_or("an order has items")?;
    let mut sum = 0u64;
    for item in items {
        let name = item["name"].as_str().unwrap_or_default();
        if name.is_empty() || name.chars().count() > ORDER_ITEM_NAME || !item["retailer_id"].is_string() {
            return Err(format!("order item {item} needs a retailer_id and a name of 1–60 characters"));
        }
        let quantity =
            item["quantity"].as_u64().filter(|q| *q > 0).ok_or("an item's quantity is a positive integer")?;
        sum += amount(&item["amount"], "item amount")? * quantity;
    }
    let subtotal = amount(&order["subtotal"], "subtotal")?;
    let total = amount(&p["total_amount"], "total amount")?;
    let tax = amount(&order["tax"], "tax")?;
    if sum != subtotal || subtotal + tax != total {
        return Err(format!("items {sum}, subtotal {subtotal}, tax {tax} and total {total} do not add up"));
    }
    if let Some(at) = order["expiration"]["timestamp"].as_str() {
        at.parse::<i64>().map_err(|_| format!("expiration {at:?} is not unix seconds"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_details_invoice_adds_up_and_keeps_meta_s_limits() {
        let invoice = Outgoing::OrderDetails {
            body: "Birth certificate — the fee is ₹50.50".into(),
            reference_id: "MTRP-261204-AB12CD34".into(),
            configuration: "ap-mitra-upi".into(),
            item_id: "municipal/birth-certificate".into(),
            item_name: "Certified copy of a birth registration, with the mother's and father's names in full".into(),
            amount_paise: 5050,
            expiry: Some((1_765_000_000, "Pay within 15 minutes".into())),
        };
        let body = invoice.to_cloud("919876543210");
        check_limits(&body).unwrap();
        let p = &body["interactive"]["action"]["parameters"];
        assert_eq!(p["total_amount"], json!({ "value": 5050, "offset": 100 }));
        assert_eq!(p["reference_id"], "MTRP-261204-AB12CD34");
        assert_eq!(p["payment_configuration"], "ap-mitra-upi");
        assert_eq!(p["order"]["items"][0]["name"].as_str().unwrap().chars().count(), 60);
        assert_eq!(p["order"]["expiration"]["timestamp"], "1765000000");
        let mut wrong = body.clone();
        wrong["interactive"]["action"]["parameters"]["total_amount"]["value"] = json!(5000);
        assert!(check_limits(&wrong).unwrap_err().contains("do not add up"));
        let mut wrong = body;
        wrong["interactive"]["action"]["parameters"]["reference_id"] = json!("MTRP 1/2");
        assert!(check_limits(&wrong).is_err());
    }

    #[test]
    fn long_texts_are_fitted_to_the_limits() {
        assert_eq!(fit("Certified copy of marriage registrations", 24).chars().count(), 24);
        assert!(fit("Certified copy of marriage registrations", 24).ends_with('…'));
        assert_eq!(fit("వృద్ధాప్య పింఛను", 24), "వృద్ధాప్య పింఛను");
        let rows = (0..14)
            .map(|i| Row { id: format!("r{i}"), title: "x".repeat(40), description: Some("d".repeat(90)) })
            .collect();
        let list = Outgoing::List { body: "b".into(), button: "Choose a service please".into(), rows, also: None };
        check_limits(&list.to_cloud("919876543210")).unwrap();
        let buttons = Outgoing::Buttons {
            body: "b".repeat(2000),
            buttons: vec![("a".into(), "A very long button title".into()), ("b".into(), "B".into())],
        };
        check_limits(&buttons.to_cloud("919876543210")).unwrap();
    }

    #[test]
    fn the_checker_catches_what_meta_would_refuse() {
        let mut body = Outgoing::Text("hi".into()).to_cloud("91");
        check_limits(&body).unwrap();
        body["text"]["body"] = json!("x".repeat(4097));
        assert!(check_limits(&body).is_err());
    }

    /// One of each kind, as queued: the exact Cloud API body, every member
    /// and value (the simulator, the fake Graph API and Meta read these).
    #[test]
    fn each_kind_is_queued_in_the_cloud_api_s_shape() {
        let row = |id: &str, description: Option<&str>| Row {
            id: id.into(),
            title: format!("Title {id}"),
            description: description.map(str::to_owned),
        };
        let cases = [
            (
                Outgoing::Text("Hello \"citizen\"\n".into()),
                json!({ "type": "text", "text": { "body": "Hello \"citizen\"\n", "preview_url": false } }),
            ),
            (
                Outgoing::Buttons {
                    body: "Pick".into(),
                    buttons: vec![("en".into(), "English".into()), ("te".into(), "తెలుగు".into())],
                },
                json!({ "type": "interactive", "interactive": { "type": "button", "body": { "text": "Pick" }, "action": { "buttons": [
                    { "type": "reply", "reply": { "id": "en", "title": "English" } },
                    { "type": "reply", "reply": { "id": "te", "title": "తెలుగు" } },
                ] } } }),
            ),
            (
                Outgoing::List {
                    body: "Services".into(),
                    button: "Choose".into(),
                    rows: vec![row("a", Some("first")), row("b", None)],
                    also: Some(("More".into(), vec![row("m", None)])),
                },
                json!({ "type": "interactive", "interactive": { "type": "list", "body": { "text": "Services" }, "action": {
                    "button": "Choose",
                    "sections": [
                        { "title": "Choose", "rows": [
                            { "id": "a", "title": "Title a", "description": "first" },
                            { "id": "b", "title": "Title b" },
                        ] },
                        { "title": "More", "rows": [{ "id": "m", "title": "Title m" }] },
                    ],
                } } }),
            ),
            (
                Outgoing::Document {
                    link: "https://x/y.pdf".into(),
                    filename: "y.pdf".into(),
                    caption: "Your file".into(),
                },
                json!({ "type": "document", "document": { "link": "https://x/y.pdf", "filename": "y.pdf", "caption": "Your file" } }),
            ),
            (
                Outgoing::Certificate { serial: "MTR-1".into(), caption: "Your certificate".into() },
                json!({ "type": "document", "document": { "filename": "MTR-1.pdf", "caption": "Your certificate" }, "mitra_certificate": "MTR-1" }),
            ),
            (
                Outgoing::Speech { text: "Old age pension".into(), language: crate::runtime::Language::Te },
                json!({ "type": "audio", "audio": { "voice": true }, "mitra_speak": { "text": "Old age pension", "language": "te" } }),
            ),
            (
                Outgoing::PaymentQr { upi: "upi://pay?pa=x@y&am=50.00".into(), caption: "Scan to pay".into() },
                json!({ "type": "image", "image": { "caption": "Scan to pay" }, "mitra_upi_qr": "upi://pay?pa=x@y&am=50.00" }),
            ),
            (
                Outgoing::OrderDetails {
                    body: "Pay".into(),
                    reference_id: "MTRP-1".into(),
                    configuration: "cfg".into(),
                    item_id: "municipal/birth".into(),
                    item_name: "Birth certificate".into(),
                    amount_paise: 5050,
                    expiry: Some((1_765_000_000, "Within 15 minutes".into())),
                },
                json!({ "type": "interactive", "interactive": { "type": "order_details", "body": { "text": "Pay" }, "action": {
                    "name": "review_and_pay",
                    "parameters": {
                        "reference_id": "MTRP-1", "type": "digital-goods", "payment_type": "upi",
                        "payment_configuration": "cfg", "currency": "INR",
                        "total_amount": { "value": 5050, "offset": 100 },
                        "order": {
                            "status": "pending",
                            "items": [{ "retailer_id": "municipal/birth", "name": "Birth certificate", "amount": { "value": 5050, "offset": 100 }, "quantity": 1 }],
                            "subtotal": { "value": 5050, "offset": 100 },
                            "tax": { "value": 0, "offset": 100, "description": "No tax" },
                            "expiration": { "timestamp": "1765000000", "description": "Within 15 minutes" },
                        },
                    },
                } } }),
            ),
            (
                Outgoing::Template { name: "t".into(), language: "hi".into(), parameters: vec![], buttons: vec![] },
                json!({ "type": "template", "template": { "name": "t", "language": { "code": "hi", "policy": "deterministic" } } }),
            ),
            (
                Outgoing::Template {
                    name: "t".into(),
                    language: "en".into(),
                    parameters: vec!["A\tB".into()],
                    buttons: vec!["yes".into(), "no".into()],
                },
                json!({ "type": "template", "template": { "name": "t", "language": { "code": "en", "policy": "deterministic" }, "components": [
                    { "type": "body", "parameters": [{ "type": "text", "text": "A B" }] },
                    { "type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{ "type": "payload", "payload": "yes" }] },
                    { "type": "button", "sub_type": "quick_reply", "index": "1", "parameters": [{ "type": "payload", "payload": "no" }] },
                ] } }),
            ),
        ];
        for (message, content) in cases {
            let mut expected =
                json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": "919876543210" });
            expected.as_object_mut().unwrap().extend(content.as_object().unwrap().clone());
            assert_eq!(message.to_cloud("919876543210"), expected, "{message:?}");
            expected["biz_opaque_callback_data"] = json!("r1");
            let fallback = Outgoing::Text("again".into());
            let item = message.queued("r1".into(), "pn1", "919876543210", Some(7), Some(&fallback));
            let queued: Value = serde_json::from_str(&item.body).unwrap();
            assert_eq!(queued, expected, "{message:?}");
            let fallback: Value = serde_json::from_str(item.fallback.as_deref().unwrap()).unwrap();
            assert_eq!(fallback["text"]["body"], "again");
            assert_eq!(fallback["biz_opaque_callback_data"], "r1");
            assert_eq!((item.id.as_str(), item.phone_number_id.as_str(), item.window_until_ms), ("r1", "pn1", Some(7)));
        }
        // The members the sender completes are the ones it looks for.
        let speech = Outgoing::Speech { text: "t".into(), language: crate::runtime::Language::En };
        assert_eq!(speech.to_cloud("91")[SPEECH_FIELD]["text"], "t");
        let qr = Outgoing::PaymentQr { upi: "upi://pay".into(), caption: "c".into() };
        assert_eq!(qr.to_cloud("91")[UPI_QR_FIELD], "upi://pay");
        let certificate = Outgoing::Certificate { serial: "MTR-2".into(), caption: "c".into() };
        assert_eq!(certificate.to_cloud("91")[CERTIFICATE_FIELD], "MTR-2");
    }
}
