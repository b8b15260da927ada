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
    pub fn from_text(text: String) -> Result<RawJson, crate::page::JsonError> {
        use crate::page::JsonError;
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

/// `IndexTags`: string keys and values, in order, kept as compact JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Tags(RawJson);

impl Tags {
    /// Tags from pairs; a repeated key keeps its last value, in the position of its first.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Tags {
        let mut unique: Vec<(K, V)> = Vec::new();
        for (key, value) in pairs {
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
            write_json_string(&mut json, value.as_ref());
        }
        json.push('}');
        let raw = RawValue::from_string(json).expect("the tags were written as a JSON object");
        Tags(RawJson(raw))
    }

    /// The tags, in order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut de = serde_json::Deserializer::from_str(self.0.get());
        de.deserialize_map(PairsVisitor)
            .expect("Tags hold an object of strings")
    }

    /// The tags as a JSON object text.
    pub fn as_json(&self) -> &str {
        self.0.get()
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

/// An object of strings, as pairs in order.
struct PairsVisitor;

impl<'de> Visitor<'de> for PairsVisitor {
    type Value = Vec<(String, String)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of string tags")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry::<String, String>()? {
            pairs.push(pair);
        }
        Ok(pairs)
    }
}

/// `IndexTags`: an object of strings (checked), kept in order as compact JSON, a repeated key
/// keeping its last value.
pub(crate) struct TagsSeed;

impl<'de> DeserializeSeed<'de> for TagsSeed {
    type Value = Tags;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer
            .deserialize_map(PairsVisitor)
            .map(Tags::from_pairs)
    }
}
