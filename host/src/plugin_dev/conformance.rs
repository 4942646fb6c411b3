//! `mitra plugin test`: loads a plugin in the real runtime and checks what
//! citizens would trip over — titles too long for WhatsApp, duplicate ids,
//! services that crash on ordinary answers.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use crate::runtime::{
    Answer, AnswerValue, Applicant, DateRule, Decision, DepartmentInfo, Error, FieldKind, Geo, Language, Media, Plugin,
    Runtime, Service, Text, is_slug,
};

/// WhatsApp list row title limit (Unicode code points).
pub const ROW_TITLE_MAX: usize = 24;
/// WhatsApp list row description limit.
pub const ROW_DESCRIPTION_MAX: usize = 72;
/// WhatsApp reply button title limit.
pub const BUTTON_TITLE_MAX: usize = 20;
/// WhatsApp interactive body limit (a question and its hint go there).
pub const BODY_MAX: usize = 1024;

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Clone, Debug)]
pub struct Finding {
    pub status: Status,
    pub message: String,
}

/// The outcome of checking one plugin.
#[derive(Clone, Debug)]
pub struct Report {
    pub plugin: String,
    pub findings: Vec<Finding>,
}

impl Report {
    /// No check failed (warnings allowed).
    pub fn passed(&self) -> bool {
        !self.findings.iter().any(|f| f.status == Status::Fail)
    }

    fn push(&mut self, status: Status, message: impl Into<String>) {
        self.findings.push(Finding { status, message: message.into() });
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "plugin {}", self.plugin)?;
        for finding in &self.findings {
            let mark = match finding.status {
                Status::Pass => "  ok  ",
                Status::Warn => "  warn",
                Status::Fail => "  FAIL",
            };
            writeln!(f, "{mark} {}", finding.message)?;
        }
        let fails = self.findings.iter().filter(|x| x.status == Status::Fail).count();
        let warns = self.findings.iter().filter(|x| x.status == Status::Warn).count();
        if fails == 0 {
            write!(f, "passed ({warns} warnings)")
        } else {
            write!(f, "FAILED: {fails} problems, {warns} warnings")
        }
    }
}

/// Loads the plugin directory `dir` and runs every check.
pub fn check_dir(runtime: &Runtime, dir: &Path) -> Report {
    let mut report = Report { plugin: dir.display().to_string(), findings: Vec::new() };
    match runtime.load_dir(dir) {
        Ok(plugin) => check_plugin(&plugin, &mut report),
        Err(error) => report.push(Status::Fail, format!("the plugin does not load: {error}")),
    }
    report
}

/// Every check on a loaded plugin, as a report of its own.
pub fn check(plugin: &Plugin) -> Report {
    let mut report = Report { plugin: String::new(), findings: Vec::new() };
    check_plugin(plugin, &mut report);
    report
}

/// Runs every check on a loaded plugin.
pub fn check_plugin(plugin: &Plugin, report: &mut Report) {
    report.plugin = format!("{} {}", plugin.id(), plugin.manifest().version);
    report.push(Status::Pass, format!("loads in the runtime ({} services)", plugin.info().services.len()));
    let before = report.findings.len();
    check_describe(plugin.info(), report);
    if !report.findings[before..].iter().any(|f| f.status == Status::Fail) {
        report.push(Status::Pass, "describe is valid: ids unique, titles within WhatsApp limits");
    }
    for service in &plugin.info().services {
        check_answers(plugin, service, report);
    }
}

fn check_describe(info: &DepartmentInfo, report: &mut Report) {
    if !is_slug(&info.id) {
        report.push(Status::Fail, format!("department id {:?} must be lowercase letters, digits and '-'", info.id));
    }
    limit(report, "department name", &info.name, ROW_TITLE_MAX, "WhatsApp list rows allow");
    if info.services.is_empty() {
        report.push(Status::Fail, "the department offers no services");
    }
    let mut ids = HashSet::new();
    for service in &info.services {
        let who = format!("service {:?}", service.id);
        if !is_slug(&service.id) {
            report.push(Status::Fail, format!("{who}: id must be lowercase letters, digits and '-' (at most 40)"));
        }
        if !ids.insert(service.id.as_str()) {
            report.push(Status::Fail, format!("{who}: id is used by more than one service"));
        }
        limit(report, &format!("{who}: title"), &service.title, ROW_TITLE_MAX, "WhatsApp list rows allow");
        limit(
            report,
            &format!("{who}: description"),
            &service.description,
            ROW_DESCRIPTION_MAX,
            "WhatsApp row descriptions allow",
        );
        if service.keywords.en.is_empty() && service.keywords.te.is_empty() && service.keywords.hi.is_empty() {
            report.push(
                Status::Warn,
                format!("{who}: no search keywords; citizens searching in their own words may not find it"),
            );
        }
        check_form(service, &who, report);
    }
}

fn check_form(service: &Service, who: &str, report: &mut Report) {
    let mut fields = HashSet::new();
    for field in &service.form {
        let at = format!("{who}, field {:?}", field.id);
        if field.id.is_empty() || !fields.insert(field.id.as_str()) {
            report.push(Status::Fail, format!("{at}: field ids must be non-empty and unique"));
        }
        limit(report, &format!("{at}: label"), &field.label, BODY_MAX, "a WhatsApp message body allows");
        match &field.kind {
            FieldKind::Choice(options) => {
                if options.is_empty() {
                    report.push(Status::Fail, format!("{at}: a choice needs at least one option"));
                }
                let mut option_ids = HashSet::new();
                for option in options {
                    if !option_ids.insert(option.id.as_str()) {
                        report.push(Status::Fail, format!("{at}: option id {:?} appears twice", option.id));
                    }
                    // Up to three options are shown as reply buttons.
                    let (max, what) = if options.len() <= 3 {
                        (BUTTON_TITLE_MAX, "WhatsApp reply buttons allow")
                    } else {
                        (ROW_TITLE_MAX, "WhatsApp list rows allow")
                    };
                    limit(report, &format!("{at}: option {:?}", option.id), &option.label, max, what);
                }
            }
            FieldKind::Text(rules) if rules.min_length > rules.max_length => {
                report.push(
                    Status::Fail,
                    format!("{at}: min length {} exceeds max {}", rules.min_length, rules.max_length),
                );
            }
            FieldKind::Number(rules) if matches!((rules.min, rules.max), (Some(lo), Some(hi)) if lo > hi) => {
                report.push(Status::Fail, format!("{at}: min exceeds max"));
            }
            _ => {}
        }
    }
}

/// Checks every language of `text` against `max` code points.
fn limit(report: &mut Report, what: &str, text: &Text, max: usize, rule: &str) {
    if text.en.trim().is_empty() {
        report.push(Status::Fail, format!("{what} is empty in English"));
    }
    if text.te.is_none() {
        report.push(Status::Warn, format!("{what} {:?} has no Telugu text", text.en));
    }
    for (language, value) in [("en", Some(&text.en)), ("te", text.te.as_ref()), ("hi", text.hi.as_ref())] {
        let Some(value) = value else { continue };
        let len = value.chars().count();
        if len > max {
            report.push(Status::Fail, format!("{what} {value:?} ({language}) is {len} characters; {rule} {max}"));
        }
    }
}

/// Plausible answers for every field of `service`, valid by the host's rules.
pub fn sample_answers(service: &Service) -> Vec<Answer> {
    service
        .form
        .iter()
        .map(|field| {
            let value = match &field.kind {
                FieldKind::Text(rules) => {
                    AnswerValue::Text("Test".repeat((rules.min_length as usize).div_ceil(4).max(1)))
                }
                FieldKind::Number(rules) => {
                    AnswerValue::Number(rules.min.unwrap_or(0.0).max(rules.max.map_or(1.0, |m| m.min(1.0))))
                }
                FieldKind::Date(rule) => AnswerValue::Date(match rule {
                    DateRule::TodayOrLater => {
                        mitra_sdk::validate::iso_date(mitra_sdk::validate::today_in_india() + time::Duration::days(7))
                    }
                    _ => "1960-01-15".to_owned(),
                }),
                FieldKind::Choice(options) => {
                    AnswerValue::Choice(options.first().map(|o| o.id.clone()).unwrap_or_default())
                }
                FieldKind::Aadhaar => AnswerValue::Aadhaar("499112345677".into()),
                FieldKind::Phone => AnswerValue::Phone("9876543210".into()),
                FieldKind::Pincode => AnswerValue::Pincode("520001".into()),
                FieldKind::Location => AnswerValue::Location(Geo {
                    latitude: 16.5062,
                    longitude: 80.648,
                    name: Some("Amaravati".into()),
                    address: None,
                }),
                FieldKind::Photo | FieldKind::Document => AnswerValue::Media(Media {
                    id: "conformance-media".into(),
                    mime_type: if matches!(field.kind, FieldKind::Photo) { "image/jpeg" } else { "application/pdf" }
                        .into(),
                    sha256: "0".repeat(64),
                    filename: None,
                }),
            };
            Answer { field_id: field.id.clone(), value }
        })
        .collect()
}

fn check_answers(plugin: &Plugin, service: &Service, report: &mut Report) {
    let who = format!("service {:?}", service.id);
    let applicant =
        Applicant { wa_id: "919876543210".into(), profile_name: Some("Conformance".into()), language: Language::Te };
    match plugin.check_eligibility(&service.id, &applicant, &sample_answers(service)) {
        Ok(Decision::Eligible) => report.push(Status::Pass, format!("{who}: check-eligibility answers (eligible)")),
        Ok(Decision::Ineligible(reasons)) if reasons.is_empty() => {
            report.push(Status::Fail, format!("{who}: ineligible without a reason; citizens must be told why"))
        }
        Ok(Decision::Ineligible(_)) => {
            report.push(Status::Pass, format!("{who}: check-eligibility answers (ineligible)"))
        }
        Ok(Decision::NeedsMore(ids)) => {
            let unknown: Vec<&String> = ids.iter().filter(|id| !service.form.iter().any(|f| &f.id == *id)).collect();
            if unknown.is_empty() {
                report.push(Status::Pass, format!("{who}: check-eligibility answers (needs more)"));
            } else {
                report.push(Status::Fail, format!("{who}: needs-more names fields not in the form: {unknown:?}"));
            }
        }
        Err(Error::Plugin { error, .. }) => {
            report.push(Status::Warn, format!("{who}: check-eligibility returned {error:?} on sample answers"))
        }
        Err(error) => report.push(Status::Fail, format!("{who}: check-eligibility failed: {error}")),
    }
}

#[cfg(test)]
mod properties {
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;

    use super::*;
    use crate::runtime::{Delivery, Keywords};

    /// A text as `describe` hands it over: English, maybe Telugu and Hindi,
    /// each of 0 to about 90 characters (the limits are 24 and 72), made
    /// by repeating a short part (generating each character is slow).
    fn text() -> impl Strategy<Value = Text> {
        // (Regexes parsed once: a `&str` strategy parses its regex for every case.)
        let repeated = |part: &str| {
            (proptest::string::string_regex(part).unwrap(), 0usize..16).prop_map(|(part, n)| part.repeat(n))
        };
        (
            ("[A-Za-z ]", repeated("\\PC{1,6}")).prop_map(|(first, rest)| format!("{first}{rest}")),
            option::of(repeated("[\u{c05}-\u{c39} ]{1,6}")),
            option::of(repeated("[\u{905}-\u{939} ]{1,6}")),
        )
            .prop_map(|(en, te, hi)| Text { en, te, hi })
    }

    fn service() -> impl Strategy<Value = Service> {
        ("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?|\\PC{0,12}", text(), text()).prop_map(|(id, title, description)| Service {
            id,
            title,
            description,
            category: "general".into(),
            keywords: Keywords { en: vec!["word".into()], te: Vec::new(), hi: Vec::new() },
            form: Vec::new(),
            fee_paise: 0,
            sla_days: 0,
            delivery: Delivery::Information,
        })
    }

    fn department() -> impl Strategy<Value = DepartmentInfo> {
        ("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?|\\PC{0,12}", text(), vec(service(), 0..4))
            .prop_map(|(id, name, services)| DepartmentInfo { id, name, contract_version: "0.2.0".into(), services })
    }

    /// Every text of `info` with the limit it must keep: (text, limit).
    fn texts(info: &DepartmentInfo) -> Vec<(&Text, usize)> {
        let mut texts = vec![(&info.name, ROW_TITLE_MAX)];
        for service in &info.services {
            texts.push((&service.title, ROW_TITLE_MAX));
            texts.push((&service.description, ROW_DESCRIPTION_MAX));
        }
        texts
    }

    proptest! {
        #[test]
        fn a_title_over_whatsapps_limit_in_any_language_fails_naming_it(info in department()) {
            let mut report = Report { plugin: String::new(), findings: Vec::new() };
            check_describe(&info, &mut report);
            let fails: Vec<&str> =
                report.findings.iter().filter(|f| f.status == Status::Fail).map(|f| f.message.as_str()).collect();
            for (text, max) in texts(&info) {
                for (language, value) in [("en", Some(&text.en)), ("te", text.te.as_ref()), ("hi", text.hi.as_ref())] {
                    let Some(value) = value else { continue };
                    if value.chars().count() > max {
                        let named = format!("{value:?} ({language}) is {} characters", value.chars().count());
                        prop_assert!(fails.iter().any(|f| f.contains(&named)), "{} not in {:?}", named, fails);
                    }
                }
            }
        }

        #[test]
        fn a_describe_within_every_rule_has_no_failure(info in department()) {
            let ids: Vec<&str> = info.services.iter().map(|s| s.id.as_str()).collect();
            let unique = ids.iter().enumerate().all(|(i, id)| !ids[..i].contains(id));
            let within = texts(&info).iter().all(|(text, max)| {
                !text.en.trim().is_empty()
                    && [Some(&text.en), text.te.as_ref(), text.hi.as_ref()]
                        .into_iter()
                        .flatten()
                        .all(|v| v.chars().count() <= *max)
            });
            let valid = is_slug(&info.id) && ids.iter().all(|id| is_slug(id)) && unique && within && !ids.is_empty();
            let mut report = Report { plugin: String::new(), findings: Vec::new() };
            check_describe(&info, &mut report);
            prop_assert_eq!(report.passed(), valid, "{}", report);
        }
    }
}
