//! Reading a department's definitions and checking them whole: every error
//! is named by its file, its line and the reason, and all of them are
//! reported at once (a vendor fixes a file in one pass, not one error a
//! build).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::expr::{self, Part};
use crate::model::{Delivery, DepartmentFile, Kind, Method, ServiceFile, Text};

/// The department file, relative to the data directory.
pub const DEPARTMENT_FILE: &str = "department.toml";
/// The directory of service files, relative to the data directory.
pub const SERVICES_DIR: &str = "services";

/// The longest title (a list row) in any language, in characters.
pub const MAX_TITLE: usize = 24;
/// The longest description in any language, in characters.
pub const MAX_DESCRIPTION: usize = 72;
/// The longest option of a choice of up to three, shown as WhatsApp reply
/// buttons (a longer choice is a list, whose rows take [`MAX_TITLE`]).
pub const MAX_BUTTON: usize = 20;

/// One thing wrong with a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// The file, relative to the data directory (`services/house-status.toml`).
    pub file: String,
    /// 1-based; 0 when the error is about the file as a whole.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.reason),
            line => write!(f, "{}:{line}: {}", self.file, self.reason),
        }
    }
}

/// Errors of a whole department, each on a line of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

/// A department's definitions, read and checked.
#[derive(Clone, Debug)]
pub struct Definitions {
    pub department: DepartmentFile,
    /// By service id, in id order.
    pub services: BTreeMap<String, ServiceFile>,
}

/// One file being checked: its name, its text, and the errors found.
struct FileCheck<'a> {
    file: String,
    text: &'a str,
    errors: &'a mut Vec<DefinitionError>,
}

impl FileCheck<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1
    }

    fn at<T>(&mut self, spanned: &Spanned<T>, reason: impl Into<String>) {
        let line = self.line_of(spanned.span().start);
        self.errors.push(DefinitionError { file: self.file.clone(), line, reason: reason.into() });
    }

    fn whole(&mut self, reason: impl Into<String>) {
        self.errors.push(DefinitionError { file: self.file.clone(), line: 0, reason: reason.into() });
    }

    fn parse<T: DeserializeOwned>(&mut self) -> Option<T> {
        match toml::from_str(self.text) {
            Ok(value) => Some(value),
            Err(error) => {
                let line = error.span().map_or(0, |span| self.line_of(span.start));
                let reason = error.message().trim().to_owned();
                self.errors.push(DefinitionError { file: self.file.clone(), line, reason });
                None
            }
        }
    }

    fn slug(&mut self, what: &str, id: &Spanned<String>) {
        if !is_slug(id.get_ref()) {
            self.at(id, format!("{what} {:?}: lowercase letters, digits and '-' only", id.get_ref()));
        }
    }

    fn text(&mut self, what: &str, text: &Text, max: Option<usize>) {
        for (code, value) in text.scripts() {
            let chars = value.get_ref().chars().count();
            if value.get_ref().trim().is_empty() {
                self.at(value, format!("{what}.{code} is empty"));
            } else if let Some(max) = max
                && chars > max
            {
                self.at(value, format!("{what}.{code} has {chars} characters, more than {max}"));
            }
        }
    }

    fn expr(&mut self, what: &str, source: &Spanned<String>, scope: &Scope<'_>) {
        if let Err(reason) = scope.expression(source.get_ref()) {
            self.at(source, format!("{what}: {reason}"));
        }
    }

    fn template(&mut self, what: &str, text: &Text, scope: &Scope<'_>) {
        self.text(what, text, None);
        for (code, value) in text.scripts() {
            let parts = match expr::parse_template(value.get_ref()) {
                Ok(parts) => parts,
                Err(reason) => {
                    self.at(value, format!("{what}.{code}: {reason}"));
                    continue;
                }
            };
            for part in parts {
                if let Part::Expr(source) = part
                    && let Err(reason) = scope.expression(&source)
                {
                    self.at(value, format!("{what}.{code}: {{{source}}}: {reason}"));
                }
            }
        }
    }
}

/// What an expression of a service may name.
struct Scope<'a> {
    fields: &'a BTreeSet<String>,
    fetched: bool,
}

impl Scope<'_> {
    fn expression(&self, source: &str) -> Result<(), String> {
        let program = expr::compile(source)?;
        let references = program.references();
        if references.has_variable("record") && !self.fetched {
            return Err("uses `record` but the service has no [fetch]".into());
        }
        for name in answer_names(source) {
            let id = name.replace('_', "-");
            if !self.fields.contains(&name) && !self.fields.contains(&id) {
                return Err(format!("`answers.{name}` is not a field of the service"));
            }
        }
        Ok(())
    }
}

/// The names read as `answers.<name>` or `answers['<name>']` in `source`.
fn answer_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("answers") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "answers".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let name: String = if let Some(dotted) = rest.strip_prefix('.') {
            dotted.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        } else if let Some(indexed) = rest.strip_prefix("['").or_else(|| rest.strip_prefix("[\"")) {
            indexed.chars().take_while(|c| *c != '\'' && *c != '"').collect()
        } else {
            continue;
        };
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

/// Lowercase ASCII letters, digits and `-`, starting with a letter or digit.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A data directory's files as read: the department file's text, each
/// service file's `(name, text)` in name order, and what could not be read.
struct Files {
    department: String,
    services: Vec<(String, String)>,
    unread: Vec<DefinitionError>,
}

fn read_files(data: &Path) -> Result<Files, DefinitionErrors> {
    let read = |path: &Path| std::fs::read_to_string(path);
    let department = read(&data.join(DEPARTMENT_FILE)).map_err(|e| {
        DefinitionErrors(vec![DefinitionError { file: DEPARTMENT_FILE.into(), line: 0, reason: e.to_string() }])
    })?;
    let mut services = Vec::new();
    let dir = data.join(SERVICES_DIR);
    let mut unread = Vec::new();
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let file = format!("{SERVICES_DIR}/{name}");
                if !name.ends_with(".toml") {
                    unread.push(DefinitionError { file, line: 0, reason: "not a .toml service file".into() });
                    continue;
                }
                match read(&entry.path()) {
                    Ok(text) => services.push((file, text)),
                    Err(e) => unread.push(DefinitionError { file, line: 0, reason: e.to_string() }),
                }
            }
        }
        Err(e) => unread.push(DefinitionError { file: SERVICES_DIR.into(), line: 0, reason: e.to_string() }),
    }
    services.sort();
    Ok(Files { department, services, unread })
}

/// The read errors, then those `parsed` found.
fn with_unread(
    mut unread: Vec<DefinitionError>,
    parsed: Result<Definitions, DefinitionErrors>,
) -> Result<Definitions, DefinitionErrors> {
    match parsed {
        Ok(definitions) if unread.is_empty() => Ok(definitions),
        Ok(_) => Err(DefinitionErrors(unread)),
        Err(DefinitionErrors(more)) => {
            unread.extend(more);
            Err(DefinitionErrors(unread))
        }
    }
}

/// Reads and checks the definitions in a data directory.
pub fn load_dir(data: &Path) -> Result<Definitions, DefinitionErrors> {
    let files = read_files(data)?;
    with_unread(files.unread, check(&files.department, &files.services))
}

/// Reads the definitions in a data directory and parses them, checking only
/// that each service is named after its file: for the generic department
/// component, whose package the host checked with [`load_dir`] when it
/// loaded it. The checks compile every expression of every service, most of
/// a `describe` in a fresh instance, where the answer needs only the TOML.
pub fn parse_dir(data: &Path) -> Result<Definitions, DefinitionErrors> {
    let files = read_files(data)?;
    with_unread(files.unread, read_definitions(&files.department, &files.services, Checks::Skip))
}

/// Checks a department file and its service files (`(file name, text)`).
pub fn check(department: &str, services: &[(String, String)]) -> Result<Definitions, DefinitionErrors> {
    read_definitions(department, services, Checks::Run)
}

/// Whether definitions being read are checked, or only parsed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Checks {
    Run,
    Skip,
}

/// A department file and its service files (`(file name, text)`), parsed
/// and, with [`Checks::Run`], checked.
fn read_definitions(
    department: &str,
    services: &[(String, String)],
    checks: Checks,
) -> Result<Definitions, DefinitionErrors> {
    let mut errors = Vec::new();
    let department = {
        let mut file = FileCheck { file: DEPARTMENT_FILE.into(), text: department, errors: &mut errors };
        let parsed: Option<DepartmentFile> = file.parse();
        if checks == Checks::Run
            && let Some(d) = &parsed
        {
            file.slug("id", &d.id);
            file.text("name", &d.name, Some(MAX_TITLE));
        }
        parsed
    };
    let mut services_by_id = BTreeMap::new();
    for (name, text) in services {
        let mut file = FileCheck { file: name.clone(), text, errors: &mut errors };
        let Some(service) = file.parse::<ServiceFile>() else { continue };
        if checks == Checks::Run {
            check_service(&mut file, &service);
        }
        // The component finds a service by its file's name: a service must
        // be named after its file, and be the only one of its id, even
        // unchecked.
        let stem = name.rsplit('/').next().unwrap_or(name).trim_end_matches(".toml");
        if service.id.get_ref() != stem {
            file.at(&service.id, format!("id {:?} must be the file's name ({stem:?})", service.id.get_ref()));
        }
        if services_by_id.contains_key(service.id.get_ref()) {
            file.at(&service.id, format!("a second service {:?}", service.id.get_ref()));
        } else {
            services_by_id.insert(service.id.get_ref().clone(), service);
        }
    }
    if services.is_empty() {
        errors.push(DefinitionError { file: SERVICES_DIR.into(), line: 0, reason: "no service is defined".into() });
    }
    match department {
        Some(department) if errors.is_empty() => Ok(Definitions { department, services: services_by_id }),
        _ => Err(DefinitionErrors(errors)),
    }
}

fn check_service(file: &mut FileCheck<'_>, service: &ServiceFile) {
    file.slug("id", &service.id);
    file.text("title", &service.title, Some(MAX_TITLE));
    file.text("description", &service.description, Some(MAX_DESCRIPTION));
    if service.keywords.en.is_empty() {
        file.at(&service.id, "keywords.en: a service needs the English words citizens search with");
    }

    let mut fields = BTreeSet::new();
    for (i, field) in service.fields.iter().enumerate() {
        let what = format!("fields[{i}]");
        file.slug(&format!("{what}.id"), &field.id);
        if !fields.insert(field.id.get_ref().clone()) {
            file.at(&field.id, format!("{what}: a second field {:?}", field.id.get_ref()));
        }
        file.text(&format!("{what}.label"), &field.label, None);
        if let Some(hint) = &field.hint {
            file.text(&format!("{what}.hint"), hint, None);
        }
        check_field_keys(file, &what, field);
    }

    let scope = Scope { fields: &fields, fetched: service.fetch.is_some() };
    if let Some(fetch) = &service.fetch {
        let path = fetch.path.get_ref();
        if !path.starts_with('/') {
            file.at(&fetch.path, "fetch.path must start with '/' (it is appended to the `backend` config)");
        }
        match placeholders(path) {
            Ok(names) => {
                for name in names {
                    if !fields.contains(&name) {
                        file.at(&fetch.path, format!("fetch.path: {{{name}}} is not a field of the service"));
                    }
                }
            }
            Err(reason) => file.at(&fetch.path, format!("fetch.path: {reason}")),
        }
        match (&fetch.body, fetch.method) {
            (Some(body), Method::Get) => file.at(body, "fetch.body is sent only with method = \"post\""),
            (Some(body), Method::Post) => {
                for (key, value) in body.get_ref() {
                    file.expr(&format!("fetch.body.{key}"), value, &Scope { fetched: false, ..scope });
                }
            }
            (None, _) => {}
        }
        if let Some(not_found) = &fetch.not_found {
            file.template("fetch.not_found", not_found, &Scope { fetched: false, ..scope });
        }
    }
    for (i, rule) in service.rules.iter().enumerate() {
        file.expr(&format!("rules[{i}].when"), &rule.when, &scope);
        file.template(&format!("rules[{i}].otherwise"), &rule.otherwise, &scope);
    }
    if let Some(result) = &service.result {
        file.template("result.summary", &result.summary, &scope);
        for (i, shown) in result.fields.iter().enumerate() {
            file.text(&format!("result.fields[{i}].label"), &shown.label, None);
            file.expr(&format!("result.fields[{i}].value"), &shown.value, &scope);
        }
    }
    if let Some(document) = &service.document {
        file.text("document.title", &document.title, None);
        if let Some(holder) = &document.holder {
            for (code, expr) in holder.scripts() {
                file.expr(&format!("document.holder.{code}"), expr, &scope);
            }
        }
        for (i, shown) in document.identifiers.iter().enumerate() {
            file.text(&format!("document.identifiers[{i}].label"), &shown.label, None);
            file.expr(&format!("document.identifiers[{i}].value"), &shown.value, &scope);
        }
        if let Some(body) = &document.body {
            file.template("document.body", body, &scope);
        }
        for (s, section) in document.sections.iter().enumerate() {
            if let Some(heading) = &section.heading {
                file.text(&format!("document.sections[{s}].heading"), heading, None);
            }
            for (i, printed) in section.fields.iter().enumerate() {
                let what = format!("document.sections[{s}].fields[{i}]");
                file.text(&format!("{what}.label"), &printed.label, None);
                match printed.exprs() {
                    Ok(exprs) => {
                        for (code, source) in exprs {
                            if let Err(reason) = scope.expression(&source) {
                                file.at(&printed.value, format!("{what}.value.{code}: {reason}"));
                            }
                        }
                    }
                    Err(reason) => file.at(&printed.value, format!("{what}.{reason}")),
                }
            }
        }
    }

    match service.delivery {
        Delivery::Information if service.result.is_none() => {
            file.at(&service.id, "an information service needs [result]: what the citizen is shown")
        }
        Delivery::InstantDocument if service.document.is_none() => {
            file.at(&service.id, "an instant-document service needs [document]")
        }
        Delivery::Information if service.document.is_some() => {
            file.at(&service.id, "an information service issues no [document]")
        }
        Delivery::Information
        | Delivery::InstantDocument
        | Delivery::Application
        | Delivery::Booking
        | Delivery::Payment => {}
    }
    if service.delivery != Delivery::Information && service.result.is_some() {
        file.at(&service.id, "[result] is shown only by information services");
    }
    if service.delivery == Delivery::Information && service.fields.is_empty() && service.fetch.is_some() {
        // Fine: a lookup with no question (today's prices) fetches at once.
    }
    if service.fields.is_empty() && service.delivery == Delivery::Application {
        file.whole("an application with no fields: what would the officer decide on?");
    }
}

fn check_field_keys(file: &mut FileCheck<'_>, what: &str, field: &crate::model::FieldDef) {
    let kind = *field.kind.get_ref();
    let misplaced = |file: &mut FileCheck<'_>, key: &str, span: std::ops::Range<usize>, for_kind: &str| {
        let line = file.line_of(span.start);
        file.errors.push(DefinitionError {
            file: file.file.clone(),
            line,
            reason: format!("{what}.{key} is for {for_kind} fields, not {kind:?}").to_lowercase(),
        });
    };
    if kind != Kind::Text {
        for (key, span) in [("min_length", &field.min_length), ("max_length", &field.max_length)] {
            if let Some(s) = span {
                misplaced(file, key, s.span(), "text");
            }
        }
    }
    if kind != Kind::Number {
        for (key, span) in
            [("min", field.min.as_ref().map(|s| s.span())), ("max", field.max.as_ref().map(|s| s.span()))]
        {
            if let Some(s) = span {
                misplaced(file, key, s, "number");
            }
        }
        if let Some(s) = &field.integer {
            misplaced(file, "integer", s.span(), "number");
        }
    }
    if kind != Kind::Date
        && let Some(s) = &field.dates
    {
        misplaced(file, "dates", s.span(), "date");
    }
    match (&field.options, kind) {
        (Some(options), Kind::Choice) => {
            let count = options.get_ref().len();
            if !(2..=10).contains(&count) {
                file.at(options, format!("{what}.options: {count} options; a choice has 2 to 10"));
            }
            let mut seen = BTreeSet::new();
            let max = if count <= 3 { MAX_BUTTON } else { MAX_TITLE };
            for (i, option) in options.get_ref().iter().enumerate() {
                file.slug(&format!("{what}.options[{i}].id"), &option.id);
                if !seen.insert(option.id.get_ref().clone()) {
                    file.at(&option.id, format!("{what}.options: a second option {:?}", option.id.get_ref()));
                }
                file.text(&format!("{what}.options[{i}].label"), &option.label, Some(max));
            }
        }
        (None, Kind::Choice) => file.at(&field.kind, format!("{what}: a choice field needs options")),
        (Some(options), _) => misplaced(file, "options", options.span(), "choice"),
        (None, _) => {}
    }
    if let (Some(min), Some(max)) = (&field.min_length, &field.max_length)
        && min.get_ref() > max.get_ref()
    {
        file.at(min, format!("{what}: min_length {} is more than max_length {}", min.get_ref(), max.get_ref()));
    }
    if let Some(min) = &field.min_length
        && *min.get_ref() == 0
    {
        file.at(min, format!("{what}.min_length: at least 1 (an optional field is `required = false`)"));
    }
    if let (Some(min), Some(max)) = (&field.min, &field.max)
        && min.get_ref() > max.get_ref()
    {
        file.at(min, format!("{what}: min {} is more than max {}", min.get_ref(), max.get_ref()));
    }
}

/// The `{name}`s of a fetch path.
pub fn placeholders(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("a `{` without its `}`")?;
        names.push(after[..close].to_owned());
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err("a `}` without its `{`".into());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPARTMENT: &str = "id = \"housing\"\nname = { en = \"Housing\", te = \"గృహ నిర్మాణం\", hi = \"आवास\" }\n";

    const SERVICE: &str = r#"id = "house-status"
title = { en = "House status", te = "ఇంటి స్థితి", hi = "आवास स्थिति" }
description = { en = "Stage and instalments of your house" }
category = "housing"
delivery = "information"
keywords = { en = ["house"] }

[[fields]]
id = "beneficiary-id"
label = { en = "Beneficiary ID?" }
kind = "text"
min_length = 6
max_length = 20

[fetch]
path = "/houses/{beneficiary-id}"
not_found = { en = "No house under {answers.beneficiary_id}." }

[[rules]]
when = "record.stage != 'cancelled'"
otherwise = { en = "Cancelled on {record.cancelled_on}." }

[result]
summary = { en = "House {answers['beneficiary-id']}: {record.stage}" }
fields = [{ label = { en = "Released" }, value = "rupees(record.released)" }]
"#;

    fn service(text: &str) -> Vec<(String, String)> {
        vec![("services/house-status.toml".into(), text.to_owned())]
    }

    fn errors(text: &str) -> Vec<String> {
        match check(DEPARTMENT, &service(text)) {
            Ok(_) => vec![],
            Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_good_service_is_read() {
        let definitions = check(DEPARTMENT, &service(SERVICE)).unwrap();
        assert_eq!(definitions.department.id.get_ref(), "housing");
        assert_eq!(definitions.services["house-status"].fields.len(), 1);
    }

    #[test]
    fn each_error_names_its_file_line_and_reason() {
        let broken = SERVICE
            .replace("record.stage != 'cancelled'", "recrod.stage != 'cancelled'")
            .replace("kind = \"text\"", "kind = \"txt\"");
        assert_eq!(
            errors(&broken),
            [
                "services/house-status.toml:11: unknown variant `txt`, expected one of `text`, `number`, `date`, `choice`, `aadhaar`, `phone`, `pincode`, `location`, `photo`, `document`"
            ]
        );
        let broken = SERVICE.replace("record.stage != 'cancelled'", "recrod.stage != 'cancelled'");
        assert_eq!(
            errors(&broken),
            [
                "services/house-status.toml:20: rules[0].when: unknown value `recrod` (answers, record and today are known)"
            ]
        );
        let broken = SERVICE
            .replace("{beneficiary-id}\"", "{beneficiary}\"")
            .replace("House status", "House sanction and construction status");
        assert_eq!(
            errors(&broken),
            [
                "services/house-status.toml:2: title.en has 38 characters, more than 24",
                "services/house-status.toml:16: fetch.path: {beneficiary} is not a field of the service",
            ]
        );
        let broken = SERVICE.replace("{answers.beneficiary_id}", "{answers.benficiary}");
        assert_eq!(
            errors(&broken),
            [
                "services/house-status.toml:17: fetch.not_found.en: {answers.benficiary}: `answers.benficiary` is not a field of the service"
            ]
        );
        let broken = SERVICE.replace("[fetch]\npath = \"/houses/{beneficiary-id}\"\nnot_found = { en = \"No house under {answers.beneficiary_id}.\" }\n", "");
        assert!(
            errors(&broken).iter().all(|e| e.contains("uses `record` but the service has no [fetch]")),
            "{:?}",
            errors(&broken)
        );
        let broken = SERVICE.replace("id = \"house-status\"", "id = \"house\"");
        assert_eq!(
            errors(&broken),
            ["services/house-status.toml:1: id \"house\" must be the file's name (\"house-status\")"]
        );
        let broken = SERVICE.replace("summary = { en = \"House", "summary = { en = \"{House");
        assert!(
            errors(&broken)[0].starts_with("services/house-status.toml:24: result.summary.en: `{House "),
            "{:?}",
            errors(&broken)
        );
        assert!(errors(&broken)[0].ends_with("is not closed with `}`"), "{:?}", errors(&broken));
    }

    #[test]
    fn unchecked_reading_parses_without_checking_expressions() {
        let unchecked = SERVICE.replace("record.stage != 'cancelled'", "launch(record.stage)");
        assert!(check(DEPARTMENT, &service(&unchecked)).is_err());
        let definitions = read_definitions(DEPARTMENT, &service(&unchecked), Checks::Skip).unwrap();
        assert_eq!(definitions.services["house-status"].rules[0].when.get_ref(), "launch(record.stage)");
        // A TOML error, or a service not named after its file, is refused all the same.
        let broken = SERVICE.replace("category = \"housing\"", "category = housing");
        assert!(read_definitions(DEPARTMENT, &service(&broken), Checks::Skip).is_err());
        let misnamed = SERVICE.replace("id = \"house-status\"", "id = \"house\"");
        assert!(read_definitions(DEPARTMENT, &service(&misnamed), Checks::Skip).is_err());
    }

    #[test]
    fn a_toml_syntax_error_is_located() {
        let errors = errors(&SERVICE.replace("category = \"housing\"", "category = housing"));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("services/house-status.toml:4: "), "{errors:?}");
    }

    #[test]
    fn up_to_three_options_are_buttons_of_twenty_characters() {
        let choice = "kind = \"choice\"\noptions = [{ id = \"a\", label = { en = \"Within Andhra Pradesh\" } }, { id = \"b\", label = { en = \"Outside\" } }]";
        let broken = SERVICE.replace("kind = \"text\"\nmin_length = 6\nmax_length = 20", choice);
        let found = errors(&broken);
        assert!(found.iter().any(|e| e.contains("options[0].label.en has 21 characters, more than 20")), "{found:?}");
    }

    #[test]
    fn kind_specific_keys_and_choices_are_checked() {
        let broken = SERVICE.replace("kind = \"text\"", "kind = \"choice\"");
        let found = errors(&broken);
        assert!(found.iter().any(|e| e.contains("needs options")), "{found:?}");
        assert!(found.iter().any(|e| e.contains("min_length is for text fields")), "{found:?}");
    }

    #[test]
    fn answer_names_are_found_dotted_and_indexed() {
        assert_eq!(
            answer_names("answers.a_b == 1 && answers['c-d'] && has(answers.e) && myanswers.x && record.answers.y"),
            ["a_b", "c-d", "e"]
        );
    }
}
