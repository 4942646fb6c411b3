//! CEL over a service's values, and the templates texts are written in.
//!
//! An expression sees `answers` (field id → answer), `record` (what the
//! department's system answered) and `today`; besides CEL's own functions it
//! may call [`FUNCTIONS`]. Nothing else is reachable: CEL has no loops, no
//! side effects and no I/O.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use cel_interpreter::extractors::This;
use cel_interpreter::objects::{Key, Map};
use cel_interpreter::{Context, ExecutionError, FunctionContext, Program, Value};
use mitra_sdk::validate;
use serde_json::Value as Json;

/// The values an expression may name.
pub const VARIABLES: &[&str] = &["answers", "record", "today"];

/// The functions Mitra adds to CEL's.
pub const FUNCTIONS: &[&str] = &["years_since", "days_since", "days_until", "rupees", "display_date"];

/// CEL's own functions and macros this interpreter knows.
const CEL_FUNCTIONS: &[&str] = &[
    "contains",
    "size",
    "max",
    "min",
    "startsWith",
    "endsWith",
    "string",
    "bytes",
    "double",
    "int",
    "uint",
    "matches",
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
];

/// An expression parsed, or why it is not CEL. Nothing is checked beyond
/// the syntax: see [`compile`].
fn parse(source: &str) -> Result<Program, String> {
    // Should the parser panic on some malformed input instead of returning
    // an error, that is a refused expression, not a crashed host.
    let parsed = std::panic::catch_unwind(|| Program::compile(source))
        .map_err(|_| "not a CEL expression: the parser gave up on it".to_owned())?;
    parsed.map_err(|e| {
        let text = e.to_string();
        format!("not a CEL expression: {}", text.lines().next().unwrap_or("syntax error"))
    })
}

/// An expression compiled and its names checked (only [`VARIABLES`], CEL's
/// functions and [`FUNCTIONS`]), or why it cannot be. The definitions'
/// checks use it; [`Env`] at run time only parses, since every expression
/// it is given was checked when its package was loaded.
pub fn compile(source: &str) -> Result<Program, String> {
    let program = parse(source)?;
    let references = program.references();
    for variable in references.variables() {
        if !VARIABLES.contains(&variable) {
            return Err(format!("unknown value `{variable}` (answers, record and today are known)"));
        }
    }
    for function in references.functions() {
        // Operators are functions too (`_==_`, `@in`, `!_`).
        let operator = function.starts_with(['_', '@', '!', '-']);
        if !operator && !FUNCTIONS.contains(&function) && !CEL_FUNCTIONS.contains(&function) {
            return Err(format!("unknown function `{function}`"));
        }
    }
    Ok(program)
}

/// Expressions of the shapes definitions are written in (member access,
/// comparisons, `in` lists, `&&`/`||`/`!`, `has()`, arithmetic, string
/// concatenation, method calls, the conditional, Mitra's functions).
const WARM_UP: &[&str] = &[
    "record.status == 'active'",
    "record.status in ['active', 'held'] && !record.withheld",
    "answers.reason == 'damaged' || has(answers.lost_report)",
    "days_until(answers.date) >= 1 && days_until(answers.date) <= 60",
    "years_since(answers.dob) >= 60 ? 'senior' : 'adult'",
    "record.village + ', ' + record.mandal + ', ' + record.district",
    "rupees(record.amount * 2 - 100) + ' / ' + display_date(record.applied_on)",
    "size(record.members) > 0 && record.members[0].name.startsWith('A')",
    "answers.income < 120000.0 && int(answers.acres) <= 5 && string(answers.acres) != ''",
    "record.members.size() == 1 && max(record.amount, 10) >= min(1, 2) && record.members[0].ekyc",
    "answers.number.matches('^[0-9]{10}$') && days_since(record.filed_on) > 30",
    "{'a': 1, 'b': [1, 2]}.a + 3 == 4 && uint(3) == 3u && double(answers.acres) / 2.0 == 1.0",
];

/// Parses and evaluates expressions of every shape once, with made-up
/// values: CEL's parser deserialises its tables and fills its decision
/// cache on first use, which is ~95 % of a fresh instance's first
/// evaluation. The generic component runs this as its pre-initialisation
/// (`mitra_sdk::pre_initialise!`), so every call starts with them filled.
/// Nothing of it depends on a citizen; its results are thrown away.
pub fn warm_up() {
    let env = warm_up_env();
    for source in WARM_UP {
        let _ = env.eval(source);
    }
    let _ = env.fill("{record.village}, {rupees(record.amount)}");
}

/// Made-up values every [`WARM_UP`] expression evaluates over.
fn warm_up_env() -> Env {
    let answers = serde_json::json!({
        "reason": "lost", "date": "2030-01-01", "dob": "1960-01-01", "income": 100000,
        "acres": 2, "number": "9876543210",
    });
    let record = serde_json::json!({
        "status": "active", "withheld": false, "village": "V", "mandal": "M", "district": "D",
        "amount": 1200, "applied_on": "2024-01-05", "filed_on": "2024-01-05",
        "members": [{"name": "A", "age": 10, "ekyc": true}],
    });
    Env::new(answers.as_object().expect("an object"), Some(&record))
}

/// The values one evaluation sees, and the functions it may call.
pub struct Env {
    /// Set up once for all the expressions of a call: a CEL context
    /// registers CEL's functions and Mitra's anew each time it is made.
    context: Context<'static>,
    /// Each expression parsed once, by its source: a service's texts repeat
    /// expressions from one language to the next (a name in en, te and hi),
    /// and parsing is most of an evaluation's cost.
    parsed: RefCell<HashMap<String, Program>>,
}

impl Env {
    /// `answers` by field id (a field `job-card` is also `answers.job_card`,
    /// since CEL reads `-` as minus), the fetched `record`, and today in India.
    pub fn new(answers: &serde_json::Map<String, Json>, record: Option<&Json>) -> Self {
        let mut map = HashMap::new();
        for (id, value) in answers {
            let value = to_cel(value);
            if id.contains('-') {
                map.insert(Key::from(id.replace('-', "_")), value.clone());
            }
            map.insert(Key::from(id.clone()), value);
        }
        let mut context = Context::default();
        context.add_variable_from_value("answers", Value::Map(Map { map: Arc::new(map) }));
        if let Some(record) = record {
            context.add_variable_from_value("record", to_cel(record));
        }
        context.add_variable_from_value("today", validate::iso_date(validate::today_in_india()));
        context.add_function("years_since", years_since);
        context.add_function("days_since", days_since);
        context.add_function("days_until", days_until);
        context.add_function("rupees", rupees);
        context.add_function("display_date", display_date);
        Self { context, parsed: RefCell::default() }
    }

    /// The value of `source`. Its names are not checked again here (the
    /// host checked every definition with [`compile`] when it loaded the
    /// package); a name that is not there fails the evaluation all the same.
    pub fn eval(&self, source: &str) -> Result<Value, String> {
        if let Some(program) = self.parsed.borrow().get(source) {
            return program.execute(&self.context).map_err(|e| describe(&e));
        }
        let program = parse(source)?;
        let value = program.execute(&self.context).map_err(|e| describe(&e));
        self.parsed.borrow_mut().insert(source.to_owned(), program);
        value
    }

    /// Whether `source` holds; anything but a boolean is an error, never a yes.
    pub fn holds(&self, source: &str) -> Result<bool, String> {
        match self.eval(source)? {
            Value::Bool(b) => Ok(b),
            other => Err(format!("gives {} where true or false is needed", type_name(&other))),
        }
    }

    /// The value of `source` as printed text.
    pub fn text(&self, source: &str) -> Result<String, String> {
        self.eval(source).map(|v| print(&v))
    }

    /// The value of `source` as JSON (for a request body).
    pub fn json(&self, source: &str) -> Result<Json, String> {
        self.eval(source).map(|v| to_json(&v))
    }

    /// A template with its `{…}` expressions filled in.
    pub fn fill(&self, template: &str) -> Result<String, String> {
        let mut out = String::new();
        for part in parse_template(template)? {
            match part {
                Part::Literal(text) => out.push_str(&text),
                Part::Expr(source) => out.push_str(&self.text(&source)?),
            }
        }
        Ok(out)
    }
}

fn describe(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => format!("no `{key}` in the values (is the name right? `has()` tests it)"),
        ExecutionError::UndeclaredReference(name) => format!("`{name}` is not there"),
        other => other.to_string(),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
        Value::Function(..) => "a function",
        Value::Int(_) | Value::UInt(_) => "an integer",
        Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::Bytes(_) => "bytes",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}

/// A piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Expr(String),
}

/// A template's literal text and `{expression}`s; `{{` and `}}` are braces.
pub fn parse_template(template: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut source = String::new();
                let mut depth = 0usize;
                let mut quote: Option<char> = None;
                loop {
                    let Some(c) = chars.next() else {
                        return Err(format!("`{{{source}` is not closed with `}}`"));
                    };
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '\'' | '"') => quote = Some(c),
                        (None, '{') => depth += 1,
                        (None, '}') if depth == 0 => break,
                        (None, '}') => depth -= 1,
                        _ => {}
                    }
                    source.push(c);
                }
                if source.trim().is_empty() {
                    return Err("an empty `{}` (write `{{}}` for braces)".into());
                }
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Expr(source));
            }
            '}' => return Err("a `}` without its `{` (write `}}` for a brace)".into()),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(parts)
}

/// JSON as CEL sees it: whole numbers are integers, others doubles.
pub fn to_cel(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(Arc::new(s.clone())),
        Json::Array(items) => Value::List(Arc::new(items.iter().map(to_cel).collect())),
        Json::Object(map) => {
            Value::Map(Map { map: Arc::new(map.iter().map(|(k, v)| (Key::from(k.clone()), to_cel(v))).collect()) })
        }
    }
}

fn to_json(value: &Value) -> Json {
    match value {
        Value::Null | Value::Function(..) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::UInt(u) => Json::from(*u),
        Value::Float(f) => serde_json::Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null),
        Value::String(s) => Json::String(s.to_string()),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(map.map.iter().map(|(k, v)| (key_text(k), to_json(v))).collect()),
    }
}

fn key_text(key: &Key) -> String {
    match key {
        Key::Int(i) => i.to_string(),
        Key::Uint(u) => u.to_string(),
        Key::Bool(b) => b.to_string(),
        Key::String(s) => s.to_string(),
    }
}

/// A value as a citizen reads it.
pub fn print(value: &Value) -> String {
    match value {
        Value::Null | Value::Function(..) => String::new(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Value::Float(f) => format!("{:.2}", f).trim_end_matches('0').trim_end_matches('.').to_owned(),
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::List(items) => items.iter().map(print).collect::<Vec<_>>().join(", "),
        Value::Map(_) => to_json(value).to_string(),
    }
}

fn date_of(ftx: &FunctionContext<'_>, text: &str) -> Result<mitra_sdk::time::Date, ExecutionError> {
    validate::date(text).map_err(|_| ftx.error(format!("{text:?} is not a date (YYYY-MM-DD)")))
}

fn years_since(ftx: &FunctionContext<'_>, date: Arc<String>) -> Result<i64, ExecutionError> {
    let born = date_of(ftx, &date)?;
    Ok(i64::from(validate::age_on(born, validate::today_in_india())))
}

fn days_since(ftx: &FunctionContext<'_>, date: Arc<String>) -> Result<i64, ExecutionError> {
    let then = date_of(ftx, &date)?;
    Ok((validate::today_in_india() - then).whole_days())
}

fn days_until(ftx: &FunctionContext<'_>, date: Arc<String>) -> Result<i64, ExecutionError> {
    Ok(-days_since(ftx, date)?)
}

fn display_date(ftx: &FunctionContext<'_>, date: Arc<String>) -> Result<Value, ExecutionError> {
    Ok(Value::String(Arc::new(validate::display_date(date_of(ftx, &date)?))))
}

/// `₹1,24,500` (Indian grouping; paise shown only when there are any).
fn rupees(ftx: &FunctionContext<'_>, This(amount): This<Value>) -> Result<Value, ExecutionError> {
    let amount = match amount {
        Value::Int(i) => i as f64,
        Value::UInt(u) => u as f64,
        Value::Float(f) => f,
        other => return Err(ftx.error(format!("rupees() of {}", type_name(&other)))),
    };
    Ok(Value::String(Arc::new(indian_rupees(amount))))
}

/// `amount` rupees written as `₹1,24,500.50`.
pub fn indian_rupees(amount: f64) -> String {
    let negative = amount < 0.0;
    let paise = (amount.abs() * 100.0).round() as u64;
    let (whole, fraction) = (paise / 100, paise % 100);
    let grouped = mitra_sdk::money::indian_grouping(whole);
    let sign = if negative { "-" } else { "" };
    if fraction == 0 { format!("{sign}₹{grouped}") } else { format!("{sign}₹{grouped}.{fraction:02}") }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn env(answers: Json, record: Option<Json>) -> Env {
        Env::new(answers.as_object().unwrap(), record.as_ref())
    }

    #[test]
    fn rules_see_answers_records_and_today() {
        let env = env(
            json!({"job-card": "AP-01-002", "age": 67, "district": "ntr"}),
            Some(json!({"status": "active", "amount": 4000, "paid": ["2026-10", "2026-11"], "born": "1950-02-01"})),
        );
        assert!(env.holds("record.status == 'active' && answers.age >= 60").unwrap());
        assert!(env.holds("answers.job_card.startsWith('AP') && answers['job-card'].size() == 9").unwrap());
        assert!(env.holds("answers.district in ['ntr', 'guntur']").unwrap());
        assert!(env.holds("size(record.paid) == 2 && years_since(record.born) >= 70").unwrap());
        assert!(env.holds("today.size() == 10").unwrap());
        assert!(!env.holds("has(answers.caste)").unwrap());
        assert_eq!(env.holds("record.amount").unwrap_err(), "gives an integer where true or false is needed");
        assert!(env.holds("record.missing == 1").unwrap_err().contains("missing"));
        // Parsed once, it fails again the second time, never a yes.
        assert!(env.holds("record.missing == 1").unwrap_err().contains("missing"));
    }

    #[test]
    fn the_warm_up_expressions_pass_the_checks_and_evaluate() {
        // Each one must get through the parser and the evaluator: one that
        // failed early would leave the paths after it cold.
        for source in WARM_UP {
            compile(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        }
        warm_up();
        let env = warm_up_env();
        for source in WARM_UP {
            env.eval(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        }
    }

    #[test]
    fn templates_print_values_for_citizens() {
        let env = env(json!({"card": "1234"}), Some(json!({"amount": 124500, "on": "2024-03-12", "ok": true})));
        assert_eq!(
            env.fill("Card {answers.card}: {rupees(record.amount)} on {display_date(record.on)}, ok {record.ok}")
                .unwrap(),
            "Card 1234: ₹1,24,500 on 12-03-2024, ok yes"
        );
        assert_eq!(env.fill("{{literal}} {'a}b'}").unwrap(), "{literal} a}b");
        // An expression met again (parsed once) gives the same value.
        assert_eq!(env.fill("{answers.card}/{answers.card}").unwrap(), "1234/1234");
        assert_eq!(env.fill("{double(record.amount) / 100.0}").unwrap(), "1245");
        assert!(parse_template("open {record.amount").is_err());
        assert!(parse_template("close }").is_err());
        assert!(parse_template("empty {}").is_err());
    }

    #[test]
    fn only_known_values_and_functions_compile() {
        assert!(compile("answers.x == 1").is_ok());
        assert!(compile("recrod.x == 1").unwrap_err().contains("recrod"));
        assert!(compile("launch(answers.x)").unwrap_err().contains("launch"));
        assert!(compile("answers.x ==").unwrap_err().starts_with("not a CEL expression"));
    }

    #[test]
    fn a_name_nothing_checked_fails_at_run_time_never_a_yes() {
        let env = env(json!({"x": 1}), None);
        assert!(env.holds("launch(answers.x)").is_err());
        assert!(env.holds("recrod.x == 1").unwrap_err().contains("recrod"));
        assert!(env.holds("record.x == 1").is_err());
        assert!(env.holds("answers.x ==").unwrap_err().starts_with("not a CEL expression"));
    }

    #[test]
    fn rupees_group_the_indian_way() {
        assert_eq!(indian_rupees(0.0), "₹0");
        assert_eq!(indian_rupees(999.0), "₹999");
        assert_eq!(indian_rupees(1000.0), "₹1,000");
        assert_eq!(indian_rupees(124500.0), "₹1,24,500");
        assert_eq!(indian_rupees(12345678.5), "₹1,23,45,678.50");
    }
}
