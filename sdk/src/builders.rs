//! Builders for the contract's records, so a department reads as a catalogue
//! rather than as nested struct literals.

use crate::{
    Certificate, ChoiceOption, DataRecord, DateRule, Decision, Delivery, DepartmentInfo, Document, Field, FieldKind,
    Holder, Identifier, Keywords, Labelled, Language, Layout, NumberRules, Photo, Section, Service, Text, TextRules,
    TitledField,
};

impl Text {
    /// A text in English; add translations with [`te`](Text::te) and [`hi`](Text::hi).
    pub fn new(en: impl Into<String>) -> Self {
        Text { en: en.into(), te: None, hi: None }
    }

    /// Adds the Telugu text.
    pub fn te(mut self, te: impl Into<String>) -> Self {
        self.te = Some(te.into());
        self
    }

    /// Adds the Hindi text.
    pub fn hi(mut self, hi: impl Into<String>) -> Self {
        self.hi = Some(hi.into());
        self
    }

    /// The text in `language`, falling back to English.
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::En => &self.en,
            Language::Te => self.te.as_deref().unwrap_or(&self.en),
            Language::Hi => self.hi.as_deref().unwrap_or(&self.en),
        }
    }
}

impl DepartmentInfo {
    /// A department with no services yet.
    pub fn new(id: impl Into<String>, name: Text) -> Self {
        DepartmentInfo {
            id: id.into(),
            name,
            contract_version: crate::CONTRACT_VERSION.to_owned(),
            services: Vec::new(),
        }
    }

    /// Adds a service.
    pub fn service(mut self, service: Service) -> Self {
        self.services.push(service);
        self
    }
}

impl Service {
    /// A free, same-day application service with an empty form; refine it with
    /// the other methods.
    pub fn new(id: impl Into<String>, title: Text) -> Self {
        Service {
            id: id.into(),
            description: Text::new(""),
            title,
            category: String::from("general"),
            keywords: Keywords { en: Vec::new(), te: Vec::new(), hi: Vec::new() },
            form: Vec::new(),
            fee_paise: 0,
            sla_days: 0,
            delivery: Delivery::Application,
        }
    }

    /// The line shown under the title (at most 72 characters).
    pub fn description(mut self, description: Text) -> Self {
        self.description = description;
        self
    }

    /// The category the service is listed under.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = category.into();
        self
    }

    /// Search keywords in one language, added to any given before.
    pub fn keywords<I, S>(mut self, language: Language, words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = match language {
            Language::En => &mut self.keywords.en,
            Language::Te => &mut self.keywords.te,
            Language::Hi => &mut self.keywords.hi,
        };
        list.extend(words.into_iter().map(Into::into));
        self
    }

    /// Appends a question to the form.
    pub fn field(mut self, field: Field) -> Self {
        self.form.push(field);
        self
    }

    /// The fee in rupees (stored in paise).
    pub fn fee_rupees(mut self, rupees: u64) -> Self {
        self.fee_paise = rupees * 100;
        self
    }

    /// Days within which the department promises an outcome.
    pub fn sla_days(mut self, days: u32) -> Self {
        self.sla_days = days;
        self
    }

    /// How the citizen receives the outcome.
    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }
}

impl Field {
    fn of(id: impl Into<String>, label: Text, kind: FieldKind) -> Self {
        Field { id: id.into(), label, hint: None, kind, required: true }
    }

    /// Free text of 1 to 200 characters.
    pub fn text(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Text(TextRules { min_length: 1, max_length: 200 }))
    }

    /// A number, optionally bounded; see [`Field::integer`].
    pub fn number(id: impl Into<String>, label: Text, min: Option<f64>, max: Option<f64>) -> Self {
        Self::of(id, label, FieldKind::Number(NumberRules { min, max, integer: false }))
    }

    /// A whole number, optionally bounded.
    pub fn integer(id: impl Into<String>, label: Text, min: Option<f64>, max: Option<f64>) -> Self {
        Self::of(id, label, FieldKind::Number(NumberRules { min, max, integer: true }))
    }

    /// A date; `rule` says whether it must be in the past or the future.
    pub fn date(id: impl Into<String>, label: Text, rule: DateRule) -> Self {
        Self::of(id, label, FieldKind::Date(rule))
    }

    /// One of a fixed set of options, given as `(id, label)` pairs.
    pub fn choice<I>(id: impl Into<String>, label: Text, options: I) -> Self
    where
        I: IntoIterator<Item = (&'static str, Text)>,
    {
        let options = options.into_iter().map(|(id, label)| ChoiceOption { id: id.to_owned(), label }).collect();
        Self::of(id, label, FieldKind::Choice(options))
    }

    /// An Aadhaar number (checksum verified by the host).
    pub fn aadhaar(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Aadhaar)
    }

    /// An Indian mobile number.
    pub fn phone(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Phone)
    }

    /// A PIN code.
    pub fn pincode(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Pincode)
    }

    /// A location shared from WhatsApp.
    pub fn location(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Location)
    }

    /// A photo upload.
    pub fn photo(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Photo)
    }

    /// A document upload.
    pub fn document(id: impl Into<String>, label: Text) -> Self {
        Self::of(id, label, FieldKind::Document)
    }

    /// Limits a text field's length.
    pub fn length(mut self, min: u32, max: u32) -> Self {
        if let FieldKind::Text(rules) = &mut self.kind {
            rules.min_length = min;
            rules.max_length = max;
        }
        self
    }

    /// A hint shown with the question and when an answer is refused.
    pub fn hint(mut self, hint: Text) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The citizen may skip this question.
    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }
}

impl Decision {
    /// Ineligible for one reason.
    pub fn ineligible(reason: Text) -> Self {
        Decision::Ineligible(vec![reason])
    }
}

impl Labelled {
    /// A label and its value.
    pub fn new(label: Text, value: impl Into<String>) -> Self {
        Labelled { label, value: value.into() }
    }
}

impl DataRecord {
    /// A record with a one-line summary and no fields yet.
    pub fn new(summary: Text) -> Self {
        DataRecord { summary, fields: Vec::new() }
    }

    /// Adds a labelled value.
    pub fn field(mut self, label: Text, value: impl Into<String>) -> Self {
        self.fields.push(Labelled::new(label, value));
        self
    }
}

impl Document {
    /// A document with a heading and no fields yet.
    pub fn new(title: Text, layout: Layout) -> Self {
        Document { title, fields: Vec::new(), body: None, layout, valid_days: None }
    }

    /// Adds a printed field.
    pub fn field(mut self, label: Text, value: impl Into<String>) -> Self {
        self.fields.push(Labelled::new(label, value));
        self
    }

    /// Text printed under the fields.
    pub fn body(mut self, body: Text) -> Self {
        self.body = Some(body);
        self
    }

    /// Days the document stays valid.
    pub fn valid_days(mut self, days: u32) -> Self {
        self.valid_days = Some(days);
        self
    }
}

impl Certificate {
    /// A document with a heading and nothing on it yet.
    pub fn new(title: Text, layout: Layout) -> Self {
        Certificate { title, holder: None, sections: Vec::new(), body: None, layout, valid_days: None }
    }

    /// Who the document is about.
    pub fn holder(mut self, holder: Holder) -> Self {
        self.holder = Some(holder);
        self
    }

    /// Adds a group of fields.
    pub fn section(mut self, section: Section) -> Self {
        self.sections.push(section);
        self
    }

    /// Adds the closing paragraph.
    pub fn body(mut self, body: Text) -> Self {
        self.body = Some(body);
        self
    }

    /// The document expires this many days after issue.
    pub fn valid_days(mut self, days: u32) -> Self {
        self.valid_days = Some(days);
        self
    }
}

/// A 0.1.0 document as one untitled section whose values are in one script.
impl From<Document> for Certificate {
    fn from(document: Document) -> Self {
        let fields = document
            .fields
            .into_iter()
            .map(|f| TitledField { label: f.label, value: Text::new(f.value) })
            .collect::<Vec<_>>();
        Certificate {
            title: document.title,
            holder: None,
            sections: if fields.is_empty() { Vec::new() } else { vec![Section { heading: None, fields }] },
            body: document.body,
            layout: document.layout,
            valid_days: document.valid_days,
        }
    }
}

impl Holder {
    /// The holder named `name`: give the Telugu with [`Text::te`].
    pub fn new(name: Text) -> Self {
        Holder { name, identifiers: Vec::new(), photo: None }
    }

    /// Adds an identifier (a registration or card number). Aadhaar numbers
    /// are masked by the host to their last four digits.
    pub fn identifier(mut self, label: Text, value: impl Into<String>) -> Self {
        self.identifiers.push(Identifier { label, value: value.into() });
        self
    }

    /// The holder's photo: JPEG or PNG bytes, at most 256 KiB.
    pub fn photo(mut self, mime_type: impl Into<String>, bytes: Vec<u8>) -> Self {
        self.photo = Some(Photo { mime_type: mime_type.into(), bytes });
        self
    }
}

impl Section {
    /// A group of fields under `heading`.
    pub fn new(heading: Text) -> Self {
        Section { heading: Some(heading), fields: Vec::new() }
    }

    /// Adds a field whose value is in one script (or written bilingually).
    pub fn field(self, label: Text, value: impl Into<String>) -> Self {
        self.bilingual(label, Text::new(value))
    }

    /// Adds a field whose value is given per language.
    pub fn bilingual(mut self, label: Text, value: Text) -> Self {
        self.fields.push(TitledField { label, value });
        self
    }
}
