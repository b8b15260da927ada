//! JSON values kept as the server sent them: integers of any size ([`Int`]), JSON text checked
//! once and written back verbatim ([`RawJson`]), and string tags ([`Tags`]).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// An integer as the server wrote it: an `i64`, or the exact decimal digits of a larger one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Int {
    Small(i64),
    /// Decimal digits (with a leading `-` when negative) of an integer outside the `i64` range.
    Big(Box<str>),
}

impl Int {
    /// Parses a JSON integer literal (`-?[0-9]+`, no fraction or exponent) of at most
    /// [`Int::MAX_DIGITS`] digits.
    pub fn parse(text: &str) -> Option<Int> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let is_integer = !digits.is_empty()
            && digits.len() <= Int::MAX_DIGITS
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !is_integer {
            return None;
        }
        Some(match text.parse::<i64>() {
            Ok(small) => Int::Small(small),
            Err(_) => Int::Big(text.into()),
        })
    }

    /// The most digits an integer may have (Python's default limit on int/str conversions):
    /// no count of the API comes near it, and a longer one costs time to convert.
    pub const MAX_DIGITS: usize = 4300;

    /// The value when it fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Int::Small(value) => Some(*value),
            Int::Big(_) => None,
        }
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Int::Small(value) => value.fmt(f),
            Int::Big(digits) => f.write_str(digits),
        }
    }
}

impl From<i64> for Int {
    fn from(value: i64) -> Self {
        Int::Small(value)
    }
}

/// Read from the JSON text itself (borrowed, no allocation), so that integers beyond 64 bits
/// stay exact. Decoding therefore needs a borrowing input (a byte slice or a `str`), as every
/// decoding entry point of this crate provides.
impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.len() > Int::MAX_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(de::Error::custom(format!(
                "an integer of {} digits (at most {} are accepted)",
                digits.len(),
                Int::MAX_DIGITS
            )));
        }
        Int::parse(text)
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Other(text), &"an integer"))
    }
}

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Int::Small(value) => serializer.serialize_i64(*value),
            // Written as the digits themselves: a serde_json Number would round them to a float.
            Int::Big(digits) => RawValue::from_string(digits.to_string())
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

/// A JSON number kept as the server wrote it (`94.52706955539223`, `50`, `1e2`), with its value
/// as the nearest `f64` (correctly rounded): written back as the same text, so that a float
/// round-trips exactly and an integer stays an integer.
#[derive(Debug, Clone)]
pub struct Float {
    value: f64,
    text: Box<str>,
}

impl Float {
    /// The value, as the nearest `f64`.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The number as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether it was written as an integer (no fraction, no exponent).
    pub fn is_integer(&self) -> bool {
        let digits = self.text.strip_prefix('-').unwrap_or(&self.text);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    }

    /// Parses a JSON number literal; `None` for anything else, or a number beyond the range of
    /// an `f64`.
    pub fn parse(text: &str) -> Option<Float> {
        let first = text.bytes().next()?;
        if !(first == b'-' || first.is_ascii_digit()) || !is_json_number(text) {
            return None;
        }
        let value: f64 = text.parse().ok()?;
        value.is_finite().then(|| Float {
            value,
            text: text.into(),
        })
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let run = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let int_digits = run(&mut i);
    if int_digits == 0 || (int_digits > 1 && b[int_start] == b'0') {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if run(&mut i) == 0 {
            return false;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if run(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

impl From<f64> for Float {
    /// The shortest text that reads back as `value` (a finite one).
    fn from(value: f64) -> Self {
        let text = serde_json::to_string(&value).unwrap_or_else(|_| "null".to_owned());
        Float {
            value,
            text: text.into(),
        }
    }
}

impl PartialEq for Float {
    /// The same value (`50` and `50.0` are equal, as they are in Python).
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl fmt::Display for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Read from the JSON text itself (borrowed), as [`Int`] is.
impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        Float::parse(text)
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Other(text), &"a number"))
    }
}

impl Serialize for Float {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RawValue::from_string(self.text.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

/// JSON kept as text (compact when built here, as sent when decoded): one allocation instead of a
/// tree of maps, and written back verbatim. Two values are equal when their texts are.
///
/// The text is checked when a `RawJson` is made: valid JSON, nested at most 127 levels deep, no
/// lone UTF-16 surrogate escapes (`"\ud800"`), so that a tree can be made of it.
///
/// Note: serialized into a [`serde_json::Value`] (`serde_json::to_value`), an object whose key
/// is one of serde_json's private markers (`$serde_json::private::RawValue`...) is taken for that
/// marker; serialize to text, or read [`RawJson::value`], to keep it as sent.
#[derive(Debug, Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The JSON as a tree. Integers beyond 64 bits become floats (use [`RawJson::get`] to keep
    /// them exact), and a number beyond the range of a float (`1e400`, valid JSON) is an error.
    pub fn value(&self) -> serde_json::Result<Value> {
        parse_value(self.0.get())
    }

    /// Compact JSON for a value.
    pub fn from_value(value: &Value) -> RawJson {
        RawJson(serde_json::value::to_raw_value(value).expect("a JSON value serializes"))
    }

    /// Checks `text` (see the type's documentation) and keeps it.
    pub fn from_text(text: String) -> Result<RawJson, crate::error::JsonError> {
        use crate::error::JsonError;
        check_json(&text).map_err(JsonError::at_root)?;
        RawValue::from_string(text)
            .map(RawJson)
            .map_err(|e| JsonError::at_root(e.to_string()))
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        check_json(raw.get()).map_err(de::Error::custom)?;
        Ok(RawJson(raw))
    }
}

/// How deeply kept JSON may nest: serde_json's own limit when it builds a tree.
pub const MAX_JSON_DEPTH: usize = 127;

/// Checks what serde_json's raw values let through but its trees refuse: nesting beyond
/// [`MAX_JSON_DEPTH`], and `\u` escapes of lone UTF-16 surrogates.
pub(crate) fn check_json(json: &str) -> Result<(), String> {
    let bytes = json.as_bytes();
    // Most texts have no escape (so no surrogate escape) and fewer brackets than the depth
    // allowed (so they cannot nest deeper): two passes the compiler vectorizes, instead of the
    // byte-by-byte walk below (a 2026-07 page's typed schemas made that walk 5% of decoding).
    let openings = bytes.iter().filter(|&&b| b == b'{' || b == b'[').count();
    if openings <= MAX_JSON_DEPTH && !bytes.contains(&b'\\') {
        return Ok(());
    }
    let (mut depth, mut in_string) = (0usize, false);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        i += 1;
        if in_string {
            match byte {
                b'"' => in_string = false,
                b'\\' if bytes.get(i) == Some(&b'u') => {
                    let unit = hex4(bytes, i + 1).ok_or("a malformed \\u escape")?;
                    i += 5;
                    if (0xDC00..0xE000).contains(&unit) {
                        return Err("a lone UTF-16 low surrogate escape (\\udc00-\\udfff)".into());
                    }
                    if (0xD800..0xDC00).contains(&unit) {
                        let low = (bytes.get(i) == Some(&b'\\') && bytes.get(i + 1) == Some(&b'u'))
                            .then(|| hex4(bytes, i + 2))
                            .flatten();
                        match low {
                            Some(low) if (0xDC00..0xE000).contains(&low) => i += 6,
                            _ => {
                                return Err(
                                    "a lone UTF-16 high surrogate escape (\\ud800-\\udbff)".into()
                                )
                            }
                        }
                    }
                }
                b'\\' => i += 1,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(format!(
                        "JSON nested more than {MAX_JSON_DEPTH} levels deep"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(bytes.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

/// Parses JSON into a tree, with nothing special about any key. (serde_json's own `Value`
/// takes objects keyed by its private markers, such as `$serde_json::private::RawValue`, for
/// those markers; JSON from a server may contain any key.)
pub(crate) fn parse_value(json: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = PlainValue.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Builds a [`Value`] from any JSON, keys taken literally.
struct PlainValue;

impl<'de> DeserializeSeed<'de> for PlainValue {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PlainValue {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(PlainValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(PlainValue)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// `IndexTags`: an object, in order, kept as compact JSON text. The spec says the values are
/// strings; a value of another JSON type that a server sends is kept as it was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Tags(RawJson);

impl Tags {
    /// Tags from string pairs; a repeated key keeps its last value, in the position of its
    /// first.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Tags {
        Tags::from_entries(pairs.into_iter().map(|(key, value)| {
            let mut text = String::with_capacity(value.as_ref().len() + 2);
            write_json_string(&mut text, value.as_ref());
            (key, text)
        }))
    }

    /// Tags from keys and JSON texts of their values (each already checked as JSON).
    fn from_entries<K: AsRef<str>>(entries: impl IntoIterator<Item = (K, String)>) -> Tags {
        let mut unique: Vec<(K, String)> = Vec::new();
        for (key, value) in entries {
            keep_last(&mut unique, key, value);
        }
        let mut json = String::with_capacity(2 + unique.len() * 24);
        json.push('{');
        for (i, (key, value)) in unique.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            write_json_string(&mut json, key.as_ref());
            json.push(':');
            json.push_str(value);
        }
        json.push('}');
        let raw = RawValue::from_string(json).expect("the tags were written as a JSON object");
        Tags(RawJson(raw))
    }

    /// Tags from the text of a JSON object (checked).
    pub fn from_json_text(text: &str) -> Result<Tags, crate::error::JsonError> {
        use crate::error::JsonError;
        check_json(text).map_err(JsonError::at_root)?;
        let mut de = serde_json::Deserializer::from_str(text);
        let tags = TagsSeed
            .deserialize(&mut de)
            .and_then(|tags| de.end().map(|()| tags))
            .map_err(|e| JsonError::at_root(e.to_string()))?;
        Ok(tags)
    }

    /// The tags, in order: each key with the JSON text of its value.
    pub fn entries(&self) -> Vec<(String, RawJson)> {
        let mut de = serde_json::Deserializer::from_str(self.0.get());
        de.deserialize_map(EntriesVisitor)
            .expect("Tags hold a JSON object")
    }

    /// The tags whose values are strings, in order (what the spec allows).
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.entries()
            .into_iter()
            .filter_map(|(key, value)| Some((key, value.as_string()?)))
            .collect()
    }

    /// The tags as a JSON object text.
    pub fn as_json(&self) -> &str {
        self.0.get()
    }
}

impl RawJson {
    /// The string this JSON text holds, when it holds one.
    pub fn as_string(&self) -> Option<String> {
        if !self.get().starts_with('"') {
            return None;
        }
        serde_json::from_str(self.get()).ok()
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Sets `key` to `value` in `pairs`: a repeated key keeps its last value, in the position of its
/// first (as a JSON object with repeated keys reads in most parsers, Python's included).
pub(crate) fn keep_last<K: AsRef<str>, V>(pairs: &mut Vec<(K, V)>, key: K, value: V) {
    match pairs.iter_mut().find(|(k, _)| k.as_ref() == key.as_ref()) {
        Some(slot) => slot.1 = value,
        None => pairs.push((key, value)),
    }
}

/// Appends `text` as a JSON string literal.
fn write_json_string(out: &mut String, text: &str) {
    let mut buffer = Vec::with_capacity(text.len() + 2);
    serde_json::to_writer(&mut buffer, text).expect("writing to memory does not fail");
    out.push_str(std::str::from_utf8(&buffer).expect("serde_json writes UTF-8"));
}

/// An object, as keys and the JSON texts of their values, in order; string values are
/// rewritten compactly (one spelling of each string), other values kept as sent (checked).
struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Vec<(String, RawJson)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of tags")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: RawJson = map.next_value()?;
            let value = match value.as_string() {
                Some(text) => {
                    let mut json = String::with_capacity(text.len() + 2);
                    write_json_string(&mut json, &text);
                    RawJson(RawValue::from_string(json).map_err(de::Error::custom)?)
                }
                None => value,
            };
            entries.push((key, value));
        }
        Ok(entries)
    }
}

/// `IndexTags`: an object (checked), kept in order as compact JSON, a repeated key keeping its
/// last value.
pub(crate) struct TagsSeed;

impl<'de> DeserializeSeed<'de> for TagsSeed {
    type Value = Tags;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(EntriesVisitor).map(|entries| {
            Tags::from_entries(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, value.get().to_owned())),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn check_json_refuses_what_trees_refuse_on_either_path() {
        // The quick path (no escape, few brackets) and the walk agree at the depth limit.
        assert!(check_json(&nested(MAX_JSON_DEPTH)).is_ok());
        assert!(check_json(&nested(MAX_JSON_DEPTH + 1)).is_err());
        // Many brackets, shallow: the walk runs and lets it through.
        let wide = format!("[{}]", vec!["[]"; 500].join(","));
        assert!(check_json(&wide).is_ok());
        // Brackets inside strings count for the quick path only, never for the depth.
        let in_strings = format!("{{\"a\":\"{}\"}}", "[".repeat(300));
        assert!(check_json(&in_strings).is_ok());
        // An escape sends the text down the walk, which sees a lone surrogate.
        assert!(check_json(r#"{"a":"\ud800"}"#).is_err());
        assert!(check_json(r#"{"a":"\ud83d\ude00 \n"}"#).is_ok());
    }
}
