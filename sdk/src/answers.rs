//! Typed access to the answers of a form.

use crate::validate;
use crate::{Answer, AnswerValue, Geo, Media, PluginError};

/// The answers a citizen gave, looked up by field id.
///
/// The host has validated each answer against its field's kind, so the
/// getters only fail when a field is missing or of another kind — a bug in
/// the plugin's form, reported as `invalid-input`.
#[derive(Clone, Copy, Debug)]
pub struct Answers<'a> {
    answers: &'a [Answer],
}

impl<'a> Answers<'a> {
    /// Wraps a list of answers.
    pub fn new(answers: &'a [Answer]) -> Self {
        Self { answers }
    }

    /// All answers, in the order they were given.
    pub fn all(&self) -> &'a [Answer] {
        self.answers
    }

    /// The answer to `field_id`, if given.
    pub fn get(&self, field_id: &str) -> Option<&'a AnswerValue> {
        self.answers.iter().find(|a| a.field_id == field_id).map(|a| &a.value)
    }

    fn require(&self, field_id: &str) -> Result<&'a AnswerValue, PluginError> {
        self.get(field_id).ok_or_else(|| PluginError::InvalidInput(format!("missing answer: {field_id}")))
    }

    fn wrong_kind(field_id: &str, wanted: &str) -> PluginError {
        PluginError::InvalidInput(format!("answer {field_id} is not {wanted}"))
    }

    /// A text-like answer (text, choice id, Aadhaar, phone, PIN code) as a string.
    pub fn text(&self, field_id: &str) -> Result<&'a str, PluginError> {
        match self.require(field_id)? {
            AnswerValue::Text(s)
            | AnswerValue::Choice(s)
            | AnswerValue::Aadhaar(s)
            | AnswerValue::Phone(s)
            | AnswerValue::Pincode(s)
            | AnswerValue::Date(s) => Ok(s),
            _ => Err(Self::wrong_kind(field_id, "text")),
        }
    }

    /// A numeric answer. A text answer holding a number is accepted too.
    pub fn number(&self, field_id: &str) -> Result<f64, PluginError> {
        match self.require(field_id)? {
            AnswerValue::Number(n) => Ok(*n),
            AnswerValue::Text(s) => validate::number(s).map_err(|_| Self::wrong_kind(field_id, "a number")),
            _ => Err(Self::wrong_kind(field_id, "a number")),
        }
    }

    /// A date answer.
    pub fn date(&self, field_id: &str) -> Result<time::Date, PluginError> {
        match self.require(field_id)? {
            AnswerValue::Date(s) | AnswerValue::Text(s) => {
                validate::date(s).map_err(|_| Self::wrong_kind(field_id, "a date"))
            }
            _ => Err(Self::wrong_kind(field_id, "a date")),
        }
    }

    /// The id of the option chosen.
    pub fn choice(&self, field_id: &str) -> Result<&'a str, PluginError> {
        match self.require(field_id)? {
            AnswerValue::Choice(s) => Ok(s),
            _ => Err(Self::wrong_kind(field_id, "a choice")),
        }
    }

    /// A shared location.
    pub fn location(&self, field_id: &str) -> Result<&'a Geo, PluginError> {
        match self.require(field_id)? {
            AnswerValue::Location(g) => Ok(g),
            _ => Err(Self::wrong_kind(field_id, "a location")),
        }
    }

    /// An uploaded photo or document.
    pub fn media(&self, field_id: &str) -> Result<&'a Media, PluginError> {
        match self.require(field_id)? {
            AnswerValue::Media(m) => Ok(m),
            _ => Err(Self::wrong_kind(field_id, "an upload")),
        }
    }
}
