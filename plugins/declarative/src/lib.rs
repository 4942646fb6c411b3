//! The generic department: every service it offers is a definition file in
//! its read-only `/data` (see `sdk/declarative/DEFINITIONS.md`). `describe`
//! reads them all; each other call reads only its service's file, so a call
//! costs one small TOML parse beside the CEL it evaluates.
//!
//! The same component serves every declarative department: what differs is
//! the package's manifest (id, allowed hosts, `backend`) and its `/data`.
//! The host checked the definitions when it loaded the package; a failure
//! here is still reported, never taken for a yes.

use std::path::Path;

use mitra_declarative::check::SERVICES_DIR;
use mitra_declarative::model::{self, Delivery as Kind, Kind as FieldKindName, Method, ServiceFile};
use mitra_declarative::serve::{self, Failure, Fetched, System, Texts};
use mitra_sdk::host::http::{self, HttpError, Request};
use mitra_sdk::host::{self, Level};
use mitra_sdk::prelude::*;
use mitra_sdk::{
    AnswerValue, ChoiceOption, DateRule, FieldKind, Identifier, Keywords, NumberRules, TextRules, TitledField,
};
use serde_json::{Map, Value as Json, json};

/// Where the package's data directory is mounted.
const DATA: &str = "/data";

struct Declarative;

fn read(path: &Path) -> Result<String, PluginError> {
    std::fs::read_to_string(path).map_err(|e| PluginError::Other(format!("reading {}: {e}", path.display())))
}

/// The one service's definition, read from its file.
fn service(id: &str) -> Result<ServiceFile, PluginError> {
    if !mitra_declarative::is_slug(id) {
        return Err(PluginError::NotFound(format!("no service {id:?}")));
    }
    let file = format!("{SERVICES_DIR}/{id}.toml");
    let path = Path::new(DATA).join(&file);
    if !path.is_file() {
        return Err(PluginError::NotFound(format!("no service {id:?}")));
    }
    // The host checked every definition when it loaded the package; a call
    // only reads its service (the checks compile every expression).
    let text = read(&path)?;
    toml::from_str(&text).map_err(|e| definition_error(&format!("{file}: {e}")))
}

fn definition_error(reason: &str) -> PluginError {
    host::log(Level::Error, &format!("definition: {reason}"));
    PluginError::Other(format!("the service's definition failed: {reason}"))
}

fn text(texts: &Texts) -> Text {
    Text { en: texts.en.clone(), te: texts.te.clone(), hi: texts.hi.clone() }
}

fn written(text: &model::Text) -> Text {
    self::text(&serve::plain(text))
}

fn field(def: &model::FieldDef) -> Field {
    let kind = match def.kind.get_ref() {
        FieldKindName::Text => FieldKind::Text(TextRules {
            min_length: def.min_length.as_ref().map_or(1, |n| *n.get_ref()),
            max_length: def.max_length.as_ref().map_or(200, |n| *n.get_ref()),
        }),
        FieldKindName::Number => FieldKind::Number(NumberRules {
            min: def.min.as_ref().map(|n| *n.get_ref()),
            max: def.max.as_ref().map(|n| *n.get_ref()),
            integer: def.integer.as_ref().is_some_and(|b| *b.get_ref()),
        }),
        FieldKindName::Date => FieldKind::Date(match def.dates.as_ref().map(|d| *d.get_ref()) {
            Some(model::Dates::TodayOrEarlier) => DateRule::TodayOrEarlier,
            Some(model::Dates::TodayOrLater) => DateRule::TodayOrLater,
            Some(model::Dates::Any) | None => DateRule::Any,
        }),
        FieldKindName::Choice => FieldKind::Choice(
            def.options
                .iter()
                .flat_map(|o| o.get_ref())
                .map(|o| ChoiceOption { id: o.id.get_ref().clone(), label: written(&o.label) })
                .collect(),
        ),
        FieldKindName::Aadhaar => FieldKind::Aadhaar,
        FieldKindName::Phone => FieldKind::Phone,
        FieldKindName::Pincode => FieldKind::Pincode,
        FieldKindName::Location => FieldKind::Location,
        FieldKindName::Photo => FieldKind::Photo,
        FieldKindName::Document => FieldKind::Document,
    };
    Field {
        id: def.id.get_ref().clone(),
        label: written(&def.label),
        hint: def.hint.as_ref().map(written),
        kind,
        required: def.required,
    }
}

fn describe_service(def: &ServiceFile) -> Service {
    Service {
        id: def.id.get_ref().clone(),
        title: written(&def.title),
        description: written(&def.description),
        category: def.category.clone(),
        keywords: Keywords { en: def.keywords.en.clone(), te: def.keywords.te.clone(), hi: def.keywords.hi.clone() },
        form: def.fields.iter().map(field).collect(),
        fee_paise: u64::from(def.fee_rupees) * 100,
        sla_days: def.sla_days,
        delivery: match def.delivery {
            Kind::Information => Delivery::Information,
            Kind::InstantDocument => Delivery::InstantDocument,
            Kind::Application => Delivery::Application,
            Kind::Booking => Delivery::Booking,
            Kind::Payment => Delivery::Payment,
        },
    }
}

/// The answers as the definitions' expressions see them.
fn answers_json(answers: &[Answer]) -> Map<String, Json> {
    answers
        .iter()
        .map(|a| {
            let value = match &a.value {
                AnswerValue::Text(s)
                | AnswerValue::Date(s)
                | AnswerValue::Choice(s)
                | AnswerValue::Aadhaar(s)
                | AnswerValue::Phone(s)
                | AnswerValue::Pincode(s) => Json::String(s.clone()),
                AnswerValue::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => json!(*n as i64),
                AnswerValue::Number(n) => json!(n),
                AnswerValue::Location(geo) => json!({"latitude": geo.latitude, "longitude": geo.longitude}),
                AnswerValue::Media(media) => json!({"id": media.id, "mime_type": media.mime_type}),
            };
            (a.field_id.clone(), value)
        })
        .collect()
}

/// The department's system, at the operator-set `backend` URL.
struct Backend;

impl System for Backend {
    fn call(&self, method: Method, path: &str, body: Option<&Json>) -> Result<Fetched, Failure> {
        let base = host::config("backend")
            .ok_or_else(|| Failure::Unavailable("the plugin's `backend` is not configured".into()))?;
        let url = format!("{}{path}", base.trim_end_matches('/'));
        let request = Request {
            method: match method {
                Method::Get => http::Method::Get,
                Method::Post => http::Method::Post,
            },
            url,
            headers: vec![
                ("accept".into(), "application/json".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: body.map(|b| b.to_string().into_bytes()),
        };
        let response = http::send(&request).map_err(|e| {
            Failure::Unavailable(match e {
                HttpError::Timeout => "the department's system did not answer in time".into(),
                HttpError::Unreachable(why) => format!("the department's system is unreachable: {why}"),
                other => format!("{other:?}"),
            })
        })?;
        match response.status {
            404 => Ok(Fetched::NotFound),
            400 => Err(Failure::Invalid(response.text())),
            status if response.is_success() => serde_json::from_slice(&response.body)
                .map(Fetched::Record)
                .map_err(|e| Failure::Unavailable(format!("the department's system answered {status} with {e}"))),
            status => Err(Failure::Unavailable(format!("the department's system answered {status}"))),
        }
    }
}

fn plugin_error(failure: Failure) -> PluginError {
    match failure {
        Failure::Unavailable(why) => PluginError::Unavailable(why),
        Failure::NotFound(texts) => PluginError::NotFound(texts.en),
        Failure::Invalid(why) => PluginError::InvalidInput(why),
        Failure::Definition(why) => definition_error(&why),
    }
}

impl Department for Declarative {
    fn describe() -> DepartmentInfo {
        // The host checked the definitions (every expression compiled) when
        // it loaded the package; describing them needs only their TOML.
        let data = Path::new(DATA);
        match mitra_declarative::parse_dir(data) {
            Ok(definitions) => DepartmentInfo {
                id: definitions.department.id.get_ref().clone(),
                name: written(&definitions.department.name),
                contract_version: mitra_sdk::CONTRACT_VERSION.to_owned(),
                services: definitions.services.values().map(describe_service).collect(),
            },
            Err(errors) => {
                // The host checks definitions before it loads a package; a
                // package that gets here broken is refused by its panic.
                host::log(Level::Error, &errors.to_string());
                panic!("definitions refused:\n{errors}");
            }
        }
    }

    fn check_eligibility(service_id: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        let service = service(service_id)?;
        match serve::check_eligibility(&service, &answers_json(answers.all()), &Backend) {
            Ok(serve::Decision::Eligible) => Ok(Decision::Eligible),
            Ok(serve::Decision::Ineligible(reasons)) => Ok(Decision::Ineligible(reasons.iter().map(text).collect())),
            // A key of the wrong shape: the first text field is asked again.
            Err(Failure::Invalid(why)) => {
                match service.fields.iter().find(|f| *f.kind.get_ref() == FieldKindName::Text) {
                    Some(field) => {
                        host::log(Level::Info, &format!("asked again: {why}"));
                        Ok(Decision::NeedsMore(vec![field.id.get_ref().clone()]))
                    }
                    None => Err(PluginError::InvalidInput(why)),
                }
            }
            Err(failure) => Err(plugin_error(failure)),
        }
    }

    fn fetch_data(service_id: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        let service = service(service_id)?;
        let shown = serve::look_up(&service, &answers_json(query.all()), &Backend).map_err(plugin_error)?;
        Ok(DataRecord {
            summary: text(&shown.summary),
            fields: shown
                .fields
                .iter()
                .map(|(label, value)| mitra_sdk::Labelled { label: text(label), value: value.clone() })
                .collect(),
        })
    }

    fn render_certificate(service_id: &str, application: &Application) -> Result<Certificate, PluginError> {
        let service = service(service_id)?;
        if service.document.is_none() {
            return Err(PluginError::Unsupported(format!("{service_id} issues no document")));
        }
        let rendered = serve::render(&service, &answers_json(&application.answers), &Backend).map_err(plugin_error)?;
        let identifiers: Vec<Identifier> = rendered
            .identifiers
            .iter()
            .map(|(label, value)| Identifier { label: text(label), value: value.clone() })
            .collect();
        let holder = rendered.holder.as_ref().map(|name| Holder {
            name: text(name),
            identifiers: identifiers.clone(),
            photo: None,
        });
        let mut sections: Vec<Section> = rendered
            .sections
            .iter()
            .map(|(heading, fields)| Section {
                heading: heading.as_ref().map(text),
                fields: fields.iter().map(|f| TitledField { label: text(&f.label), value: text(&f.value) }).collect(),
            })
            .collect();
        if holder.is_none() && !identifiers.is_empty() {
            // Without a holder, the identifiers are printed as a section.
            let fields = identifiers
                .iter()
                .map(|i| TitledField { label: i.label.clone(), value: Text::new(i.value.clone()) })
                .collect();
            sections.insert(0, Section { heading: None, fields });
        }
        Ok(Certificate {
            title: text(&rendered.title),
            holder,
            sections,
            body: rendered.body.as_ref().map(text),
            layout: match rendered.layout {
                model::Layout::Certificate => Layout::Certificate,
                model::Layout::Receipt => Layout::Receipt,
                model::Layout::Letter => Layout::Letter,
            },
            valid_days: rendered.valid_days,
        })
    }
}

mitra_sdk::export_department!(Declarative);

// CEL's parser tables are filled once, when the host loads the component,
// not in every call's fresh instance (~95 % of a first evaluation).
mitra_sdk::pre_initialise!(mitra_declarative::expr::warm_up);
