//! The definition files as they are written (see DEFINITIONS.md). Every
//! string an error may point at keeps its place in the file
//! ([`Spanned`]), so a check can name the line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A CEL expression where it was written.
pub type Expr = Spanned<String>;

/// A text in the citizen's languages; `en` is required.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: Spanned<String>,
    #[serde(default)]
    pub te: Option<Spanned<String>>,
    #[serde(default)]
    pub hi: Option<Spanned<String>>,
}

impl Text {
    /// Each language present, with its code.
    pub fn scripts(&self) -> impl Iterator<Item = (&'static str, &Spanned<String>)> {
        [("en", Some(&self.en)), ("te", self.te.as_ref()), ("hi", self.hi.as_ref())]
            .into_iter()
            .filter_map(|(code, text)| text.map(|t| (code, t)))
    }
}

/// `department.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentFile {
    pub id: Spanned<String>,
    pub name: Text,
}

/// How the citizen receives the outcome (the contract's `delivery`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    Information,
    InstantDocument,
    Application,
    Booking,
    Payment,
}

/// Search keywords per language.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keywords {
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub te: Vec<String>,
    #[serde(default)]
    pub hi: Vec<String>,
}

/// `services/<id>.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    pub id: Spanned<String>,
    pub title: Text,
    pub description: Text,
    pub category: String,
    pub delivery: Delivery,
    #[serde(default)]
    pub fee_rupees: u32,
    #[serde(default)]
    pub sla_days: u32,
    #[serde(default)]
    pub keywords: Keywords,
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    #[serde(default)]
    pub fetch: Option<Fetch>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub result: Option<ResultDef>,
    #[serde(default)]
    pub document: Option<DocumentDef>,
}

/// What kind of answer a field takes.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Text,
    Number,
    Date,
    Choice,
    Aadhaar,
    Phone,
    Pincode,
    Location,
    Photo,
    Document,
}

/// Which dates a date field accepts.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Dates {
    #[default]
    Any,
    TodayOrEarlier,
    TodayOrLater,
}

/// One option of a choice field.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: Spanned<String>,
    pub label: Text,
}

/// One question of the form.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub id: Spanned<String>,
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    pub kind: Spanned<Kind>,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub min_length: Option<Spanned<u32>>,
    #[serde(default)]
    pub max_length: Option<Spanned<u32>>,
    #[serde(default)]
    pub min: Option<Spanned<f64>>,
    #[serde(default)]
    pub max: Option<Spanned<f64>>,
    #[serde(default)]
    pub integer: Option<Spanned<bool>>,
    #[serde(default)]
    pub dates: Option<Spanned<Dates>>,
    #[serde(default)]
    pub options: Option<Spanned<Vec<OptionDef>>>,
}

fn yes() -> bool {
    true
}

/// The HTTP method of a fetch.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    #[default]
    Get,
    Post,
}

/// The call to the department's system.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fetch {
    #[serde(default)]
    pub method: Method,
    pub path: Spanned<String>,
    #[serde(default)]
    pub body: Option<Spanned<BTreeMap<String, Expr>>>,
    #[serde(default)]
    pub not_found: Option<Text>,
}

/// An eligibility rule: `when` must hold, else `otherwise` is a reason.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub when: Expr,
    pub otherwise: Text,
}

/// A labelled value shown or printed: the value is a CEL expression.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    pub label: Text,
    pub value: Expr,
}

/// What an information service shows.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultDef {
    pub summary: Text,
    #[serde(default)]
    pub fields: Vec<Shown>,
}

/// How the host lays a document out.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    #[default]
    Certificate,
    Receipt,
    Letter,
}

/// One CEL expression per script (`en` required).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptExprs {
    pub en: Expr,
    #[serde(default)]
    pub te: Option<Expr>,
    #[serde(default)]
    pub hi: Option<Expr>,
}

impl ScriptExprs {
    /// Each script's expression, with its code.
    pub fn scripts(&self) -> impl Iterator<Item = (&'static str, &Expr)> {
        [("en", Some(&self.en)), ("te", self.te.as_ref()), ("hi", self.hi.as_ref())]
            .into_iter()
            .filter_map(|(code, expr)| expr.map(|e| (code, e)))
    }
}

/// A titled field of a document section.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Printed {
    pub label: Text,
    /// The expression(s); its place in the file is the whole value's.
    pub value: Spanned<toml::Value>,
}

/// A titled group of a document's fields.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    #[serde(default)]
    pub heading: Option<Text>,
    #[serde(default)]
    pub fields: Vec<Printed>,
}

/// The document an instant-document service issues.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    pub title: Text,
    #[serde(default)]
    pub layout: Layout,
    #[serde(default)]
    pub valid_days: Option<u32>,
    #[serde(default)]
    pub holder: Option<ScriptExprs>,
    #[serde(default)]
    pub identifiers: Vec<Shown>,
    #[serde(default)]
    pub body: Option<Text>,
    #[serde(default)]
    pub sections: Vec<SectionDef>,
}

impl Printed {
    /// The value's expressions per script, or why the value is not one.
    pub fn exprs(&self) -> Result<Vec<(&'static str, String)>, String> {
        match self.value.get_ref() {
            toml::Value::String(one) => Ok(vec![("en", one.clone())]),
            toml::Value::Table(table) => {
                let mut out = Vec::new();
                for (code, value) in table {
                    let code = match code.as_str() {
                        "en" => "en",
                        "te" => "te",
                        "hi" => "hi",
                        other => return Err(format!("value: unknown script {other:?} (en, te, hi)")),
                    };
                    let toml::Value::String(expr) = value else {
                        return Err(format!("value.{code}: a CEL expression (a string) is expected"));
                    };
                    out.push((code, expr.clone()));
                }
                if !out.iter().any(|(code, _)| *code == "en") {
                    return Err("value: `en` is required".into());
                }
                Ok(out)
            }
            _ => Err("value: a CEL expression, or a table of one per script, is expected".into()),
        }
    }
}
