//! Caps on what a plugin hands back: every string, every list and the whole
//! answer, checked in one pass and refused with the field that broke them.
//!
//! wasmtime lifts a typed result whole, so the check runs right after the
//! lift, before anything downstream (chat, PDF, database) sees the value;
//! the copy itself is bounded by the guest memory it came from, which the
//! host's memory budget has already counted. The value is walked as its JSON
//! would be written (serde, through a [`serde_json::ser::Formatter`] that
//! only counts), so no copy is made and every type of the contract is
//! covered without a walker per type.

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

use super::error::{Error, Result};
use super::plugin::MAX_PHOTO_BYTES;

/// The longest string a plugin may hand back (a title, a text, a document's
/// body): far more than any message or certificate shows.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// The most items of any list (services, fields, rows, sections).
pub const MAX_LIST_ITEMS: usize = 10_000;

/// What broke a cap: where, how big, and the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Oversize {
    /// The path of the field, e.g. `sections[0].fields[3].value.te`, or
    /// `(the whole answer)`.
    pub field: String,
    pub size: usize,
    pub limit: usize,
    /// `bytes` or `items`.
    pub unit: &'static str,
}

/// Checks `value` against the caps and the whole-answer `limit` (bytes of
/// its JSON form).
pub(super) fn check<T: Serialize>(plugin: &str, call: &'static str, value: &T, limit: usize) -> Result<()> {
    match oversize(value, limit) {
        Ok(None) => Ok(()),
        Ok(Some(Oversize { field, size, limit, unit })) => {
            Err(Error::OutputTooLarge { plugin: plugin.to_owned(), call, field, size, limit, unit })
        }
        Err(e) => Err(Error::Host(e.into())),
    }
}

/// The first cap `value` breaks, if any.
pub(super) fn oversize<T: Serialize>(value: &T, limit: usize) -> serde_json::Result<Option<Oversize>> {
    let mut walk = Walk::default();
    let mut written = Counter(0);
    let outcome = {
        let mut serializer = serde_json::Serializer::with_formatter(&mut written, Caps { walk: &mut walk });
        value.serialize(&mut serializer)
    };
    if let Some(found) = walk.found {
        return Ok(Some(found));
    }
    outcome?;
    Ok((written.0 > limit).then(|| Oversize {
        field: "(the whole answer)".into(),
        size: written.0,
        limit,
        unit: "bytes",
    }))
}

/// Counts the bytes written and keeps none.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
struct Walk {
    /// Where the writer is: object keys and array indices.
    path: Vec<Step>,
    /// Bytes of the string being written.
    string: usize,
    /// Whether the string being written is an object key.
    in_key: bool,
    key: String,
    found: Option<Oversize>,
}

enum Step {
    Key(String),
    /// Items seen so far in the array.
    Items(usize),
}

impl Walk {
    fn path(&self) -> String {
        let mut path = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) if path.is_empty() => path.push_str(key),
                Step::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                // The array's current item: the count so far, less one.
                Step::Items(n) => path.push_str(&format!("[{}]", n.saturating_sub(1))),
            }
        }
        if path.is_empty() { "(the answer)".into() } else { path }
    }

    /// Which list cap applies where the writer is: a photo's bytes have theirs.
    fn list_limit(&self) -> usize {
        match self.path.last() {
            Some(Step::Key(key)) if key == "bytes" => MAX_PHOTO_BYTES,
            _ => MAX_LIST_ITEMS,
        }
    }

    fn refuse(&mut self, field: String, size: usize, limit: usize, unit: &'static str) -> io::Result<()> {
        self.found = Some(Oversize { field, size, limit, unit });
        Err(io::Error::other("over a cap"))
    }
}

/// A formatter that writes JSON as usual and checks each string and list as
/// it ends.
struct Caps<'a> {
    walk: &'a mut Walk,
}

impl Formatter for Caps<'_> {
    fn begin_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.walk.string = 0;
        writer.write_all(b"\"")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        self.walk.string += fragment.len();
        if self.walk.in_key && self.walk.key.len() < 64 {
            self.walk.key.push_str(fragment);
        }
        writer.write_all(fragment.as_bytes())
    }

    fn write_char_escape<W: ?Sized + io::Write>(&mut self, writer: &mut W, escape: CharEscape) -> io::Result<()> {
        // An escaped character is one byte of the string itself.
        self.walk.string += 1;
        serde_json::ser::CompactFormatter.write_char_escape(writer, escape)
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if !self.walk.in_key && self.walk.string > MAX_STRING_BYTES {
            let field = self.walk.path();
            return self.walk.refuse(field, self.walk.string, MAX_STRING_BYTES, "bytes");
        }
        writer.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.walk.path.push(Step::Items(0));
        writer.write_all(b"[")
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if let Some(Step::Items(n)) = self.walk.path.last_mut() {
            *n += 1;
        }
        if first { Ok(()) } else { writer.write_all(b",") }
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        let Some(Step::Items(items)) = self.walk.path.pop() else { return writer.write_all(b"]") };
        let limit = self.walk.list_limit();
        if items > limit {
            let field = self.walk.path();
            return self.walk.refuse(field, items, limit, "items");
        }
        writer.write_all(b"]")
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.walk.path.push(Step::Key(String::new()));
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.walk.path.pop();
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.walk.in_key = true;
        self.walk.key.clear();
        if first { Ok(()) } else { writer.write_all(b",") }
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.walk.in_key = false;
        let key = std::mem::take(&mut self.walk.key);
        if let Some(Step::Key(current)) = self.walk.path.last_mut() {
            *current = key;
        }
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b":")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{DataRecord, Decision, Labelled, Text};

    fn text(en: String) -> Text {
        Text { en, te: None, hi: None }
    }

    #[test]
    fn a_long_string_is_refused_by_its_field() {
        let decision = Decision::Ineligible(vec![text("no".into()), text("x".repeat(MAX_STRING_BYTES + 1))]);
        let found = oversize(&decision, usize::MAX).unwrap().unwrap();
        assert_eq!(
            found,
            Oversize {
                field: "Ineligible[1].en".into(),
                size: MAX_STRING_BYTES + 1,
                limit: MAX_STRING_BYTES,
                unit: "bytes"
            }
        );
        let fine = Decision::Ineligible(vec![text("x".repeat(MAX_STRING_BYTES))]);
        assert_eq!(oversize(&fine, usize::MAX).unwrap(), None);
    }

    #[test]
    fn a_long_list_is_refused_by_its_path_and_escapes_count_as_their_character() {
        let record = DataRecord {
            summary: text("ok".into()),
            fields: (0..=MAX_LIST_ITEMS)
                .map(|i| Labelled { label: text(format!("f{i}")), value: "\n\"".repeat(3) })
                .collect(),
        };
        let found = oversize(&record, usize::MAX).unwrap().unwrap();
        assert_eq!((found.field.as_str(), found.size, found.unit), ("fields", MAX_LIST_ITEMS + 1, "items"));

        let escaped = DataRecord {
            summary: text("\u{1}".repeat(MAX_STRING_BYTES)),
            fields: vec![Labelled { label: text("l".into()), value: "\"".repeat(MAX_STRING_BYTES + 1) }],
        };
        let found = oversize(&escaped, usize::MAX).unwrap().unwrap();
        assert_eq!(found.field, "fields[0].value");
    }

    #[test]
    fn the_whole_answer_has_its_own_cap() {
        let record = DataRecord {
            summary: text("s".repeat(1000)),
            fields: (0..100).map(|i| Labelled { label: text(format!("f{i}")), value: "v".repeat(1000) }).collect(),
        };
        let bytes = serde_json::to_vec(&record).unwrap().len();
        let found = oversize(&record, 50_000).unwrap().unwrap();
        assert_eq!((found.field.as_str(), found.size, found.limit), ("(the whole answer)", bytes, 50_000));
        assert_eq!(oversize(&record, bytes).unwrap(), None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;
    use crate::runtime::{DataRecord, Labelled, Text};

    /// A string of `len` bytes from a short part (some characters escaped in JSON).
    fn string(part: &str, len: usize) -> String {
        let mut s = part.repeat(len / part.len().max(1) + 1);
        while s.len() > len {
            s.pop();
        }
        s
    }

    /// Strings mostly short, some right around the cap.
    fn sized() -> impl Strategy<Value = String> {
        let part = prop::sample::select(&["a", "é", "తె", "\"", "\n", "x\\y", "\u{1}"][..]);
        let len = prop_oneof![8 => 0usize..40, 1 => MAX_STRING_BYTES - 4..MAX_STRING_BYTES + 4];
        (part, len).prop_map(|(part, len)| string(part, len))
    }

    fn text() -> impl Strategy<Value = Text> {
        (sized(), proptest::option::of(sized()), proptest::option::of(sized())).prop_map(|(en, te, hi)| Text {
            en,
            te,
            hi,
        })
    }

    fn record() -> impl Strategy<Value = DataRecord> {
        (text(), vec((text(), sized()), 0..5)).prop_map(|(summary, fields)| DataRecord {
            summary,
            fields: fields.into_iter().map(|(label, value)| Labelled { label, value }).collect(),
        })
    }

    /// The value at a path as [`oversize`] names it, walked independently.
    fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
        let mut here = value;
        for part in path.split('.') {
            let (key, indices) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
            if !key.is_empty() {
                here = here.get(key)?;
            }
            for index in indices.split('[').filter(|i| !i.is_empty()) {
                here = here.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
            }
        }
        Some(here)
    }

    fn strings(value: &Value, out: &mut Vec<usize>) {
        match value {
            Value::String(s) => out.push(s.len()),
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }

    proptest! {
        #[test]
        fn an_answer_is_refused_exactly_when_a_string_or_the_whole_is_over_its_cap_and_by_that_field(
            record in record(),
            limit in prop_oneof![Just(usize::MAX), 0usize..400_000],
        ) {
            let json = serde_json::to_value(&record).unwrap();
            let mut lengths = Vec::new();
            strings(&json, &mut lengths);
            let too_long = lengths.iter().any(|&l| l > MAX_STRING_BYTES);
            let total = serde_json::to_vec(&record).unwrap().len();
            match oversize(&record, limit).unwrap() {
                None => prop_assert!(!too_long && total <= limit),
                Some(found) if found.field == "(the whole answer)" => {
                    prop_assert!(!too_long);
                    prop_assert_eq!((found.size, found.limit), (total, limit));
                    prop_assert!(total > limit);
                }
                Some(found) => {
                    // The field named is a string over the cap, of the size said.
                    let named = at(&json, &found.field).and_then(Value::as_str);
                    prop_assert_eq!(named.map(str::len), Some(found.size), "{}", found.field);
                    prop_assert!(found.size > MAX_STRING_BYTES);
                    prop_assert_eq!((found.limit, found.unit), (MAX_STRING_BYTES, "bytes"));
                }
            }
        }
    }
}
