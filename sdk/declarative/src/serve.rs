//! A definition at work: the eligibility check, the lookup and the document
//! of one service, over the citizen's answers and the department's system.
//! Everything here is plain data (JSON in, texts out), so the component
//! only converts the contract's types and makes the HTTP call.

use serde_json::{Map, Value as Json};

use crate::check::placeholders;
use crate::expr::Env;
use crate::model::{DocumentDef, Layout, Method, ServiceFile, Text};

/// A text filled in for each script it was written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texts {
    pub en: String,
    pub te: Option<String>,
    pub hi: Option<String>,
}

/// What the department's system answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Fetched {
    Record(Json),
    NotFound,
}

/// Why a service could not be served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The department's system is down, slow or answered nonsense.
    Unavailable(String),
    /// The record the citizen named does not exist (the definition's words).
    NotFound(Texts),
    /// An answer the service cannot use (a key of the wrong shape).
    Invalid(String),
    /// The definition failed at run time (a key missing from the record…).
    Definition(String),
}

/// The department's system, as the component reaches it.
pub trait System {
    /// `method` on `path` (below the configured backend), with a JSON body.
    fn call(&self, method: Method, path: &str, body: Option<&Json>) -> Result<Fetched, Failure>;
}

/// The eligibility decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Eligible,
    Ineligible(Vec<Texts>),
}

/// What an information service shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub summary: Texts,
    pub fields: Vec<(Texts, String)>,
}

/// A titled value of a document: the label and the value per script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedField {
    pub label: Texts,
    pub value: Texts,
}

/// The document an instant-document service issues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub title: Texts,
    pub holder: Option<Texts>,
    pub identifiers: Vec<(Texts, String)>,
    pub sections: Vec<(Option<Texts>, Vec<PrintedField>)>,
    pub body: Option<Texts>,
    pub layout: Layout,
    pub valid_days: Option<u32>,
}

/// A text as written (no expressions filled).
pub fn plain(text: &Text) -> Texts {
    Texts {
        en: text.en.get_ref().clone(),
        te: text.te.as_ref().map(|t| t.get_ref().clone()),
        hi: text.hi.as_ref().map(|t| t.get_ref().clone()),
    }
}

fn fill(env: &Env, text: &Text, what: &str) -> Result<Texts, Failure> {
    let one =
        |t: &toml::Spanned<String>| env.fill(t.get_ref()).map_err(|e| Failure::Definition(format!("{what}: {e}")));
    Ok(Texts {
        en: one(&text.en)?,
        te: text.te.as_ref().map(one).transpose()?,
        hi: text.hi.as_ref().map(one).transpose()?,
    })
}

fn value(env: &Env, source: &str, what: &str) -> Result<String, Failure> {
    env.text(source).map_err(|e| Failure::Definition(format!("{what}: {e}")))
}

/// Characters a path segment keeps as they are (RFC 3986 unreserved).
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn encode_segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An answer as typed text (for a path).
fn answer_text(answer: &Json) -> String {
    match answer {
        Json::String(s) => s.clone(),
        other => crate::expr::print(&crate::expr::to_cel(other)),
    }
}

/// The service's record from the department's system; `None` when the
/// service fetches nothing.
pub fn fetch(service: &ServiceFile, answers: &Map<String, Json>, system: &dyn System) -> Result<Option<Json>, Failure> {
    let Some(fetch) = &service.fetch else { return Ok(None) };
    let mut path = String::new();
    let template = fetch.path.get_ref();
    let names = placeholders(template).map_err(Failure::Definition)?;
    let mut rest = template.as_str();
    for name in names {
        let open = rest.find('{').unwrap_or(rest.len());
        path.push_str(&rest[..open]);
        let answer = answers.get(&name).map(answer_text).unwrap_or_default();
        if answer.trim().is_empty() {
            return Err(Failure::Invalid(format!("{name} is not answered")));
        }
        path.push_str(&encode_segment(answer.trim()));
        rest = &rest[open + name.len() + 2..];
    }
    path.push_str(rest);
    let env = Env::new(answers, None);
    let body = match (&fetch.body, fetch.method) {
        (Some(body), Method::Post) => {
            let mut object = Map::new();
            for (key, source) in body.get_ref() {
                let json =
                    env.json(source.get_ref()).map_err(|e| Failure::Definition(format!("fetch.body.{key}: {e}")))?;
                object.insert(key.clone(), json);
            }
            Some(Json::Object(object))
        }
        (None, Method::Post) => Some(Json::Object(answers.clone())),
        _ => None,
    };
    match system.call(fetch.method, &path, body.as_ref())? {
        Fetched::Record(record) if record.is_object() => Ok(Some(record)),
        Fetched::Record(_) => Err(Failure::Unavailable(format!("{path} answered something that is not a record"))),
        Fetched::NotFound => {
            let text = match &fetch.not_found {
                Some(text) => fill(&env, text, "fetch.not_found")?,
                None => Texts {
                    en: "No record was found for your answers. Please check them.".into(),
                    te: Some("మీ సమాధానాలతో రికార్డు దొరకలేదు. దయచేసి సరిచూడండి.".into()),
                    hi: Some("आपके उत्तरों से कोई रिकॉर्ड नहीं मिला। कृपया जाँचें।".into()),
                },
            };
            Err(Failure::NotFound(text))
        }
    }
}

/// The reasons the rules give against the application (none: eligible).
fn reasons(service: &ServiceFile, env: &Env) -> Result<Vec<Texts>, Failure> {
    let mut reasons = Vec::new();
    for (i, rule) in service.rules.iter().enumerate() {
        let holds = env.holds(rule.when.get_ref()).map_err(|e| Failure::Definition(format!("rules[{i}].when: {e}")))?;
        if !holds {
            reasons.push(fill(env, &rule.otherwise, &format!("rules[{i}].otherwise"))?);
        }
    }
    Ok(reasons)
}

/// May the citizen have this service with these answers? A record that does
/// not exist is a reason, in the definition's words.
pub fn check_eligibility(
    service: &ServiceFile,
    answers: &Map<String, Json>,
    system: &dyn System,
) -> Result<Decision, Failure> {
    let record = match fetch(service, answers, system) {
        Ok(record) => record,
        Err(Failure::NotFound(text)) => return Ok(Decision::Ineligible(vec![text])),
        Err(other) => return Err(other),
    };
    let env = Env::new(answers, record.as_ref());
    let reasons = reasons(service, &env)?;
    Ok(if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) })
}

/// An information service's answer: the record shown, or the first rule's
/// reason in its place when a rule does not hold.
pub fn look_up(service: &ServiceFile, answers: &Map<String, Json>, system: &dyn System) -> Result<Shown, Failure> {
    let record = fetch(service, answers, system)?;
    let env = Env::new(answers, record.as_ref());
    if let Some(reason) = reasons(service, &env)?.into_iter().next() {
        return Ok(Shown { summary: reason, fields: Vec::new() });
    }
    let Some(result) = &service.result else {
        return Err(Failure::Definition("the service has no [result]".into()));
    };
    let summary = fill(&env, &result.summary, "result.summary")?;
    let mut fields = Vec::new();
    for (i, shown) in result.fields.iter().enumerate() {
        fields.push((plain(&shown.label), value(&env, shown.value.get_ref(), &format!("result.fields[{i}].value"))?));
    }
    Ok(Shown { summary, fields })
}

/// The document of an application the rules admitted.
pub fn render(service: &ServiceFile, answers: &Map<String, Json>, system: &dyn System) -> Result<Rendered, Failure> {
    let Some(document) = &service.document else {
        return Err(Failure::Definition("the service issues no [document]".into()));
    };
    let record = fetch(service, answers, system)?;
    let env = Env::new(answers, record.as_ref());
    if let Some(reason) = reasons(service, &env)?.into_iter().next() {
        // Eligibility was checked at submission; the record changed since.
        return Err(Failure::Invalid(reason.en));
    }
    render_document(document, &env)
}

fn render_document(document: &DocumentDef, env: &Env) -> Result<Rendered, Failure> {
    let holder = match &document.holder {
        Some(holder) => Some(Texts {
            en: value(env, holder.en.get_ref(), "document.holder.en")?,
            te: holder.te.as_ref().map(|e| value(env, e.get_ref(), "document.holder.te")).transpose()?,
            hi: holder.hi.as_ref().map(|e| value(env, e.get_ref(), "document.holder.hi")).transpose()?,
        }),
        None => None,
    };
    let mut identifiers = Vec::new();
    for (i, shown) in document.identifiers.iter().enumerate() {
        identifiers
            .push((plain(&shown.label), value(env, shown.value.get_ref(), &format!("document.identifiers[{i}]"))?));
    }
    let mut sections = Vec::new();
    for (s, section) in document.sections.iter().enumerate() {
        let mut fields = Vec::new();
        for (i, printed) in section.fields.iter().enumerate() {
            let what = format!("document.sections[{s}].fields[{i}]");
            let exprs = printed.exprs().map_err(|e| Failure::Definition(format!("{what}.{e}")))?;
            let mut texts = Texts { en: String::new(), te: None, hi: None };
            for (code, source) in exprs {
                let text = value(env, &source, &format!("{what}.value.{code}"))?;
                match code {
                    "te" => texts.te = Some(text),
                    "hi" => texts.hi = Some(text),
                    _ => texts.en = text,
                }
            }
            fields.push(PrintedField { label: plain(&printed.label), value: texts });
        }
        sections.push((section.heading.as_ref().map(plain), fields));
    }
    Ok(Rendered {
        title: plain(&document.title),
        holder,
        identifiers,
        sections,
        body: document.body.as_ref().map(|b| fill(env, b, "document.body")).transpose()?,
        layout: document.layout,
        valid_days: document.valid_days,
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde_json::json;

    use super::*;
    use crate::check::check;

    const DEPARTMENT: &str = "id = \"registration\"\nname = { en = \"Registration\" }\n";

    const MARRIAGE: &str = r#"id = "marriage"
title = { en = "Marriage certificate", te = "వివాహ ధృవీకరణ" }
description = { en = "From the marriage register" }
category = "certificates"
delivery = "instant-document"
keywords = { en = ["marriage"] }

[[fields]]
id = "registration"
label = { en = "Registration number?" }
kind = "text"

[fetch]
path = "/marriages/{registration}"
not_found = { en = "No marriage is registered as {answers.registration}.", te = "{answers.registration} నమోదు లేదు." }

[[rules]]
when = "record.status == 'registered'"
otherwise = { en = "The registration is {record.status}." }

[document]
title = { en = "Marriage Certificate", te = "వివాహ ధృవీకరణ పత్రం" }
holder = { en = "record.husband", te = "record.husband_te" }
identifiers = [{ label = { en = "Registration No." }, value = "answers.registration" }]
body = { en = "Registered on {display_date(record.on)} at SRO {record.sro}." }

[[document.sections]]
heading = { en = "Wife" }
fields = [
  { label = { en = "Name" }, value = { en = "record.wife", te = "record.wife_te" } },
  { label = { en = "Age" }, value = "string(record.wife_age)" },
]
"#;

    struct Register {
        calls: RefCell<Vec<String>>,
        record: Option<Json>,
    }

    impl System for Register {
        fn call(&self, _method: Method, path: &str, _body: Option<&Json>) -> Result<Fetched, Failure> {
            self.calls.borrow_mut().push(path.to_owned());
            Ok(self.record.clone().map_or(Fetched::NotFound, Fetched::Record))
        }
    }

    fn marriage() -> ServiceFile {
        let files = vec![("services/marriage.toml".to_owned(), MARRIAGE.to_owned())];
        check(DEPARTMENT, &files).unwrap().services.remove("marriage").unwrap()
    }

    fn answers(registration: &str) -> Map<String, Json> {
        json!({ "registration": registration }).as_object().unwrap().clone()
    }

    fn record(status: &str) -> Json {
        json!({"status": status, "husband": "Ravi Kumar", "husband_te": "రవి కుమార్", "wife": "Lakshmi",
               "wife_te": "లక్ష్మి", "wife_age": 24, "on": "2024-02-14", "sro": "Gandhinagar"})
    }

    #[test]
    fn a_registered_marriage_is_eligible_and_its_certificate_printed() {
        let system = Register { calls: RefCell::default(), record: Some(record("registered")) };
        let service = marriage();
        assert_eq!(check_eligibility(&service, &answers("MR/2024 17"), &system).unwrap(), Decision::Eligible);
        assert_eq!(system.calls.borrow()[0], "/marriages/MR%2F2024%2017");
        let document = render(&service, &answers("MR-2024-17"), &system).unwrap();
        assert_eq!(document.holder.unwrap().te.unwrap(), "రవి కుమార్");
        assert_eq!(document.identifiers[0].1, "MR-2024-17");
        assert_eq!(document.body.unwrap().en, "Registered on 14-02-2024 at SRO Gandhinagar.");
        let wife = &document.sections[0].1;
        assert_eq!((wife[0].value.en.as_str(), wife[0].value.te.as_deref()), ("Lakshmi", Some("లక్ష్మి")));
        assert_eq!(wife[1].value.en, "24");
    }

    #[test]
    fn a_missing_record_or_a_failed_rule_is_a_reason_in_the_definitions_words() {
        let service = marriage();
        let none = Register { calls: RefCell::default(), record: None };
        let Decision::Ineligible(reasons) = check_eligibility(&service, &answers("MR-1"), &none).unwrap() else {
            panic!("eligible without a record")
        };
        assert_eq!(reasons[0].en, "No marriage is registered as MR-1.");
        assert_eq!(reasons[0].te.as_deref(), Some("MR-1 నమోదు లేదు."));
        let annulled = Register { calls: RefCell::default(), record: Some(record("annulled")) };
        assert_eq!(
            check_eligibility(&service, &answers("MR-1"), &annulled).unwrap(),
            Decision::Ineligible(vec![Texts { en: "The registration is annulled.".into(), te: None, hi: None }])
        );
    }

    #[test]
    fn a_record_without_what_the_definition_reads_is_a_definition_failure_not_a_yes() {
        let service = marriage();
        let odd = Register { calls: RefCell::default(), record: Some(json!({"state": "registered"})) };
        let Err(Failure::Definition(reason)) = check_eligibility(&service, &answers("MR-1"), &odd) else {
            panic!("a rule over a missing key passed")
        };
        assert!(reason.starts_with("rules[0].when"), "{reason}");
    }
}
