//! The `BackupList` and `BackupModel` schemas of the spec, decoded with serde.
//!
//! Decoding is lenient where the API is known to be loose and strict where the spec is firm:
//! - a page's `pagination` may be missing, `null`, `{}`, `{"next": null}` or `{"next": ""}`: all
//!   mean "last page"; a page without `data` (or with `"data": null`) is empty;
//! - a backup's optional fields may be missing or `null` ([`Field`] remembers which), unknown
//!   fields are kept verbatim in [`Backup::extra`], integers of any size are kept exactly
//!   ([`Int`]), and `created_at` is kept as sent (parse it with [`Backup::created_at_timestamp`]);
//! - a backup missing one of the six required fields, or with a field of the wrong JSON type, is
//!   an error that names the JSON path (`data[3].cloud`).
//!
//! Serializing a [`Backup`] writes back exactly what was decoded: same values, same `null`s, same
//! timestamp text, unknown fields included.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::timestamp::Timestamp;

/// An optional field of the API: absent, explicitly `null`, or a value.
///
/// The distinction matters only to re-serialize exactly what the server sent; for every other
/// purpose `Absent` and `Null` both mean "no value" ([`Field::get`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Field<T> {
    /// The value, if there is one.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }

    /// `Value(v)` for `Some(v)`, `Absent` for `None`.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Field::Absent, Field::Value)
    }

    fn from_json(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Value)
    }
}

/// An integer as the server wrote it: an `i64`, or the exact decimal digits of a larger one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Int {
    Small(i64),
    /// Decimal digits (with a leading `-` when negative) of an integer outside the `i64` range.
    Big(Box<str>),
}

impl Int {
    /// Parses a JSON integer literal (`-?[0-9]+`, no fraction or exponent).
    pub fn parse(text: &str) -> Option<Int> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let is_integer = !digits.is_empty()
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
    pub fn from_text(text: String) -> Result<RawJson, String> {
        check_json(&text)?;
        RawValue::from_string(text)
            .map(RawJson)
            .map_err(|e| e.to_string())
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
fn check_json(json: &str) -> Result<(), String> {
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
fn keep_last<K: AsRef<str>, V>(pairs: &mut Vec<(K, V)>, key: K, value: V) {
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

/// One backup (`BackupModel`).
///
/// The six required fields of the spec are strings; every optional field is a [`Field`]. The
/// values that repeat from backup to backup of an index (`source_index_name`, `source_index_id`,
/// `status`, `cloud`, `region`, `metric`) are shared (`Arc<str>`) among the backups of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub backup_id: String,
    pub source_index_name: Arc<str>,
    pub source_index_id: Arc<str>,
    /// Free text in the spec (`Initializing`, `Ready`, `Failed`, ...).
    pub status: Arc<str>,
    pub cloud: Arc<str>,
    pub region: Arc<str>,
    pub name: Field<String>,
    pub description: Field<String>,
    pub dimension: Field<Int>,
    /// Free text in the spec (`cosine`, `euclidean`, `dotproduct`).
    pub metric: Field<Arc<str>>,
    /// The `MetadataSchema` object, as sent.
    pub schema: Field<RawJson>,
    pub record_count: Field<Int>,
    pub namespace_count: Field<Int>,
    pub size_bytes: Field<Int>,
    pub tags: Field<Tags>,
    /// The timestamp exactly as sent; see [`Backup::created_at_timestamp`].
    pub created_at: Field<String>,
    /// Fields this version of the client does not know, verbatim, in order (`None` when there
    /// are none; a repeated key keeps its last value).
    pub extra: Option<Box<Vec<(String, RawJson)>>>,
}

/// The names of [`Backup`]'s fields, in the spec's order.
pub const BACKUP_FIELDS: [&str; 16] = [
    "backup_id",
    "source_index_name",
    "source_index_id",
    "status",
    "cloud",
    "region",
    "name",
    "description",
    "dimension",
    "metric",
    "schema",
    "record_count",
    "namespace_count",
    "size_bytes",
    "tags",
    "created_at",
];

impl Backup {
    /// A backup with the six required fields and nothing else.
    pub fn new(
        backup_id: impl Into<String>,
        source_index_name: impl Into<Arc<str>>,
        source_index_id: impl Into<Arc<str>>,
        status: impl Into<Arc<str>>,
        cloud: impl Into<Arc<str>>,
        region: impl Into<Arc<str>>,
    ) -> Backup {
        Backup {
            backup_id: backup_id.into(),
            source_index_name: source_index_name.into(),
            source_index_id: source_index_id.into(),
            status: status.into(),
            cloud: cloud.into(),
            region: region.into(),
            name: Field::Absent,
            description: Field::Absent,
            dimension: Field::Absent,
            metric: Field::Absent,
            schema: Field::Absent,
            record_count: Field::Absent,
            namespace_count: Field::Absent,
            size_bytes: Field::Absent,
            tags: Field::Absent,
            created_at: Field::Absent,
            extra: None,
        }
    }

    /// `created_at` parsed as RFC 3339, or `None` when absent, `null` or not RFC 3339.
    pub fn created_at_timestamp(&self) -> Option<Timestamp> {
        self.created_at
            .get()
            .and_then(|text| Timestamp::parse(text))
    }

    /// Decodes one `BackupModel` JSON object.
    pub fn from_json(json: &[u8]) -> Result<Backup, String> {
        decode(json)
    }

    /// Decodes one `BackupModel` from a JSON value.
    pub fn from_value(value: &Value) -> Result<Backup, String> {
        let json = serde_json::to_vec(value).map_err(|e| e.to_string())?;
        decode(&json)
    }

    /// Whether two backups have the same field values in the sense a reader of the fields sees
    /// them: `null` and absent are the same, absent tags are empty tags, tag order does not
    /// matter, timestamps compare as instants (to the microsecond), and unknown fields are
    /// ignored. This is the equality of Python's `Backup` objects; `==` on this type is stricter
    /// and compares the exact JSON shape.
    pub fn same_fields(&self, other: &Backup) -> bool {
        fn tags(backup: &Backup) -> Vec<(String, String)> {
            let mut tags = backup.tags.get().map(Tags::pairs).unwrap_or_default();
            tags.sort_unstable();
            tags
        }
        // As trees where they read as trees (`1e400` does not): else as text.
        let schema = |backup: &Backup| {
            backup
                .schema
                .get()
                .map(|raw| raw.value().map_err(|_| raw.get().to_owned()))
        };
        self.backup_id == other.backup_id
            && self.source_index_name == other.source_index_name
            && self.source_index_id == other.source_index_id
            && self.status == other.status
            && self.cloud == other.cloud
            && self.region == other.region
            && self.name.get() == other.name.get()
            && self.description.get() == other.description.get()
            && self.dimension.get() == other.dimension.get()
            && self.metric.get() == other.metric.get()
            && schema(self) == schema(other)
            && self.record_count.get() == other.record_count.get()
            && self.namespace_count.get() == other.namespace_count.get()
            && self.size_bytes.get() == other.size_bytes.get()
            && tags(self) == tags(other)
            && self.created_at_timestamp().map(|t| t.unix_micros())
                == other.created_at_timestamp().map(|t| t.unix_micros())
    }
}

/// The `pagination` object of a page that has a next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// The token of the next page: pass it as `pagination_token`.
    pub next: String,
}

/// One page of backups (`BackupList`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BackupList {
    pub data: Vec<Backup>,
    /// `None` on the last page.
    pub pagination: Option<Pagination>,
}

impl BackupList {
    /// The token of the next page, `None` on the last page.
    pub fn next_token(&self) -> Option<&str> {
        self.pagination.as_ref().map(|p| p.next.as_str())
    }

    /// Decodes a `BackupList` response body; the error names the JSON path of the problem.
    pub fn from_json(json: &[u8]) -> Result<BackupList, String> {
        decode(json)
    }
}

/// Decodes `json` into `T`; on failure decodes again, tracking the path, to say where it failed.
/// (The fast path pays nothing for the path tracking.)
fn decode<'de, T: Deserialize<'de>>(json: &'de [u8]) -> Result<T, String> {
    // One UTF-8 check of the whole body, instead of one per string.
    let text = std::str::from_utf8(json).map_err(|e| format!("the body is not UTF-8: {e}"))?;
    let _interning = Interning::start();
    serde_json::from_str(text).map_err(|first| {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(err) => with_path(&err),
            Ok(_) => first.to_string(),
        }
    })
}

/// `data[3].cloud: missing field ...`, or just the message for a problem at the root.
fn with_path(err: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = err.path().to_string();
    if path.is_empty() || path == "." {
        err.inner().to_string()
    } else {
        format!("{path}: {}", err.inner())
    }
}

// ---------------------------------------------------------------------------------------------
// Deserialization

enum BackupKey {
    Known(usize),
    Other(String),
}

impl<'de> Deserialize<'de> for BackupKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = BackupKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<BackupKey, E> {
                Ok(match BACKUP_FIELDS.iter().position(|name| *name == key) {
                    Some(index) => BackupKey::Known(index),
                    None => BackupKey::Other(key.to_owned()),
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

thread_local! {
    /// The strings shared by the backups being decoded on this thread (see [`Interning`]).
    static INTERNED: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
}

/// While alive, equal values of the repeated fields decoded on this thread share one `Arc<str>`.
struct Interning;

impl Interning {
    /// Distinct values kept: enough for the few statuses, clouds and regions of a page.
    const CAPACITY: usize = 32;

    fn start() -> Interning {
        INTERNED.with(|interned| interned.borrow_mut().clear());
        Interning
    }

    fn intern(text: &str) -> Arc<str> {
        INTERNED.with(|interned| {
            let mut interned = interned.borrow_mut();
            if let Some(shared) = interned.iter().find(|s| &***s == text) {
                return shared.clone();
            }
            let fresh: Arc<str> = Arc::from(text);
            if interned.len() < Self::CAPACITY {
                interned.push(fresh.clone());
            }
            fresh
        })
    }
}

impl Drop for Interning {
    fn drop(&mut self) {
        INTERNED.with(|interned| interned.borrow_mut().clear());
    }
}

/// `null` or what `inner` reads: the value is asked for as the type `inner` wants (a string, a
/// map, a sequence), never with `deserialize_any`, so that no other JSON type slips through.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct OptionVisitor<S>(S);
        impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptionVisitor<S> {
            type Value = Option<S::Value>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                self.0.deserialize(d).map(Some)
            }
        }
        deserializer.deserialize_option(OptionVisitor(self.0))
    }
}

/// A string field, interned (see [`Interning`]).
struct InternedSeed;

impl<'de> DeserializeSeed<'de> for InternedSeed {
    type Value = Arc<str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct StrVisitor;
        impl Visitor<'_> for StrVisitor {
            type Value = Arc<str>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Interning::intern(text))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
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
struct TagsSeed;

impl<'de> DeserializeSeed<'de> for TagsSeed {
    type Value = Tags;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer
            .deserialize_map(PairsVisitor)
            .map(Tags::from_pairs)
    }
}

impl<'de> Deserialize<'de> for Backup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BackupVisitor;
        impl<'de> Visitor<'de> for BackupVisitor {
            type Value = Backup;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a BackupModel object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Backup, A::Error> {
                let mut backup_id: Option<String> = None;
                let mut shared: [Option<Arc<str>>; 5] = Default::default();
                let mut b = Backup::new("", "", "", "", "", "");
                while let Some(key) = map.next_key::<BackupKey>()? {
                    match key {
                        BackupKey::Known(0) => backup_id = Some(map.next_value()?),
                        BackupKey::Known(i @ 1..=5) => {
                            shared[i - 1] = Some(map.next_value_seed(InternedSeed)?);
                        }
                        BackupKey::Known(6) => b.name = Field::from_json(map.next_value()?),
                        BackupKey::Known(7) => b.description = Field::from_json(map.next_value()?),
                        BackupKey::Known(8) => b.dimension = Field::from_json(map.next_value()?),
                        BackupKey::Known(9) => {
                            b.metric =
                                Field::from_json(map.next_value_seed(Nullable(InternedSeed))?)
                        }
                        BackupKey::Known(10) => b.schema = Field::from_json(map.next_value()?),
                        BackupKey::Known(11) => {
                            b.record_count = Field::from_json(map.next_value()?)
                        }
                        BackupKey::Known(12) => {
                            b.namespace_count = Field::from_json(map.next_value()?)
                        }
                        BackupKey::Known(13) => b.size_bytes = Field::from_json(map.next_value()?),
                        BackupKey::Known(14) => {
                            b.tags = Field::from_json(map.next_value_seed(Nullable(TagsSeed))?)
                        }
                        BackupKey::Known(_) => b.created_at = Field::from_json(map.next_value()?),
                        BackupKey::Other(key) => {
                            let value: RawJson = map.next_value()?;
                            keep_last(b.extra.get_or_insert_default(), key, value);
                        }
                    }
                }
                let missing = |index: usize| de::Error::missing_field(BACKUP_FIELDS[index]);
                b.backup_id = backup_id.ok_or_else(|| missing(0))?;
                let [source_index_name, source_index_id, status, cloud, region] = shared;
                b.source_index_name = source_index_name.ok_or_else(|| missing(1))?;
                b.source_index_id = source_index_id.ok_or_else(|| missing(2))?;
                b.status = status.ok_or_else(|| missing(3))?;
                b.cloud = cloud.ok_or_else(|| missing(4))?;
                b.region = region.ok_or_else(|| missing(5))?;
                Ok(b)
            }
        }
        deserializer.deserialize_map(BackupVisitor)
    }
}

/// `pagination` (when not `null`): `{}`, `{"next": null}` and `{"next": ""}` all mean "no more",
/// as do a missing or `null` `pagination`.
struct PaginationSeed;

impl<'de> DeserializeSeed<'de> for PaginationSeed {
    type Value = Option<Pagination>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct PaginationVisitor;
        impl<'de> Visitor<'de> for PaginationVisitor {
            type Value = Option<Pagination>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a PaginationResponse object or null")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut next: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "next" {
                        next = map.next_value()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(next
                    .filter(|t| !t.is_empty())
                    .map(|next| Pagination { next }))
            }
        }
        deserializer.deserialize_map(PaginationVisitor)
    }
}

/// `data` (when not `null`): an array of backups.
struct DataSeed;

impl<'de> DeserializeSeed<'de> for DataSeed {
    type Value = Vec<Backup>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct DataVisitor;
        impl<'de> Visitor<'de> for DataVisitor {
            type Value = Vec<Backup>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of BackupModel objects or null")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut data = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(backup) = seq.next_element()? {
                    data.push(backup);
                }
                Ok(data)
            }
        }
        deserializer.deserialize_seq(DataVisitor)
    }
}

impl<'de> Deserialize<'de> for BackupList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = BackupList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a BackupList object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BackupList, A::Error> {
                let mut list = BackupList::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "data" => {
                            list.data = map.next_value_seed(Nullable(DataSeed))?.unwrap_or_default()
                        }
                        "pagination" => {
                            list.pagination =
                                map.next_value_seed(Nullable(PaginationSeed))?.flatten()
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(list)
            }
        }
        deserializer.deserialize_map(ListVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Serialization: exactly the decoded JSON.

impl Serialize for Backup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn field<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &str,
            value: &Field<T>,
        ) -> Result<(), M::Error> {
            match value {
                Field::Absent => Ok(()),
                Field::Null => map.serialize_entry(key, &()),
                Field::Value(v) => map.serialize_entry(key, v),
            }
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("backup_id", &self.backup_id)?;
        map.serialize_entry("source_index_name", &self.source_index_name)?;
        map.serialize_entry("source_index_id", &self.source_index_id)?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("cloud", &self.cloud)?;
        map.serialize_entry("region", &self.region)?;
        field(&mut map, "name", &self.name)?;
        field(&mut map, "description", &self.description)?;
        field(&mut map, "dimension", &self.dimension)?;
        field(&mut map, "metric", &self.metric)?;
        field(&mut map, "schema", &self.schema)?;
        field(&mut map, "record_count", &self.record_count)?;
        field(&mut map, "namespace_count", &self.namespace_count)?;
        field(&mut map, "size_bytes", &self.size_bytes)?;
        field(&mut map, "tags", &self.tags)?;
        field(&mut map, "created_at", &self.created_at)?;
        for (key, value) in self.extra.iter().flat_map(|extra| extra.iter()) {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for BackupList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("data", &self.data)?;
        map.serialize_entry("pagination", &self.pagination)?; // `null` on the last page
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS_RESPONSE: &str = r#"{"data":[{"backup_id":"9947520e-d5a1-4418-a78d-9f464c9969da","source_index_id":"8433941a-dae7-43b5-ac2c-d3dab4a56b2b","source_index_name":"docs-example","tags":{},"name":"example-backup","description":"Monthly backup of production index","status":"Pending","cloud":"aws","region":"us-east-1","dimension":1024,"record_count":98,"namespace_count":3,"size_bytes":1069169,"created_at":"2025-03-11T18:29:50.549505Z"}],"pagination":null}"#;

    fn page(json: &str) -> BackupList {
        BackupList::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn decodes_the_docs_example() {
        let list = page(DOCS_RESPONSE);
        assert_eq!(list.pagination, None);
        assert_eq!(list.data.len(), 1);
        let b = &list.data[0];
        assert_eq!(b.backup_id, "9947520e-d5a1-4418-a78d-9f464c9969da");
        assert_eq!(&*b.source_index_name, "docs-example");
        assert_eq!(&*b.status, "Pending");
        assert_eq!(b.tags.get().map(Tags::pairs), Some(vec![]));
        assert_eq!(b.dimension, Field::Value(Int::Small(1024)));
        assert_eq!(b.size_bytes, Field::Value(Int::Small(1_069_169)));
        assert_eq!(b.metric, Field::Absent);
        assert_eq!(b.created_at_timestamp().unwrap().microsecond(), 549_505);
        // Re-serializing gives back the same JSON value.
        let again: Value = serde_json::to_value(&list.data[0]).unwrap();
        let sent: Value = serde_json::from_str::<Value>(DOCS_RESPONSE).unwrap()["data"][0].clone();
        assert_eq!(again, sent);
    }

    #[test]
    fn every_last_page_shape_means_no_next_page() {
        for body in [
            r#"{"data":[]}"#,
            r#"{"data":[],"pagination":null}"#,
            r#"{"data":[],"pagination":{}}"#,
            r#"{"data":[],"pagination":{"next":null}}"#,
            r#"{"data":[],"pagination":{"next":""}}"#,
            r#"{}"#,
            r#"{"data":null}"#,
        ] {
            let list = page(body);
            assert_eq!(list.pagination, None, "{body}");
            assert!(list.data.is_empty());
        }
        let list = page(r#"{"data":[],"pagination":{"next":"abc=","extra":1},"other":true}"#);
        assert_eq!(list.next_token(), Some("abc="));
    }

    #[test]
    fn keeps_nulls_unknown_fields_and_big_integers() {
        let json = r#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready",
            "cloud":"aws","region":"r","name":null,"tags":null,"record_count":123456789012345678901234567890,
            "namespace_count":-5,"future_field":{"nested":[1,2.50,18446744073709551616]}}"#;
        let b = Backup::from_json(json.as_bytes()).unwrap();
        assert_eq!(b.name, Field::Null);
        assert_eq!(b.tags, Field::Null);
        assert_eq!(b.description, Field::Absent);
        assert_eq!(
            b.record_count,
            Field::Value(Int::Big("123456789012345678901234567890".into()))
        );
        assert_eq!(b.namespace_count, Field::Value(Int::Small(-5)));
        let out = serde_json::to_string(&b).unwrap();
        assert!(
            out.contains(r#""record_count":123456789012345678901234567890"#),
            "{out}"
        );
        assert!(out.contains(r#""future_field":{"nested":[1,2.50,18446744073709551616]}"#));
        assert!(out.contains(r#""name":null"#) && out.contains(r#""tags":null"#));
        assert!(!out.contains("description"));
        assert_eq!(Backup::from_json(out.as_bytes()).unwrap(), b);
    }

    #[test]
    fn errors_name_the_path() {
        let missing = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","region":"r"}]}"#;
        let err = BackupList::from_json(missing.as_bytes()).unwrap_err();
        assert!(err.starts_with("data[0]: missing field `cloud`"), "{err}");

        let wrong = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","record_count":"many"}]}"#;
        let err = BackupList::from_json(wrong.as_bytes()).unwrap_err();
        assert!(err.starts_with("data[0].record_count:"), "{err}");

        let float = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","dimension":1.5}]}"#;
        let err = BackupList::from_json(float.as_bytes()).unwrap_err();
        assert!(
            err.contains("data[0].dimension") && err.contains("integer"),
            "{err}"
        );

        let tags = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":{"a":1}}]}"#;
        assert!(BackupList::from_json(tags.as_bytes())
            .unwrap_err()
            .starts_with("data[0].tags.a:"));

        for bad in [
            "[]",
            "null",
            "\"x\"",
            "{\"data\": {}}",
            "{\"pagination\": 5}",
            "{\"data\": [",
            "",
        ] {
            assert!(BackupList::from_json(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn same_fields_is_the_readers_equality() {
        let a = Backup::from_json(br#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":{"a":"1","b":"2"},"created_at":"2025-01-01T01:00:00+01:00","name":null,"zzz":1}"#).unwrap();
        let b = Backup::from_json(br#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":{"b":"2","a":"1"},"created_at":"2025-01-01T00:00:00.000000Z"}"#).unwrap();
        assert!(a.same_fields(&b));
        assert_ne!(a, b);
        let mut c = b.clone();
        c.status = "Failed".into();
        assert!(!a.same_fields(&c));
        let mut d = Backup::new("b", "i", "x", "Ready", "aws", "r");
        assert!(!a.same_fields(&d));
        d.tags = Field::Null;
        let e = Backup::new("b", "i", "x", "Ready", "aws", "r");
        assert!(d.same_fields(&e));
    }

    #[test]
    fn repeated_values_are_shared_within_a_page() {
        let one = r#"{"backup_id":"ID","source_index_name":"idx","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","metric":"cosine"}"#;
        let body = format!(
            r#"{{"data":[{},{}]}}"#,
            one.replace("ID", "a"),
            one.replace("ID", "b")
        );
        let list = page(&body);
        let (a, b) = (&list.data[0], &list.data[1]);
        assert!(Arc::ptr_eq(&a.status, &b.status));
        assert!(Arc::ptr_eq(&a.source_index_id, &b.source_index_id));
        assert!(Arc::ptr_eq(
            a.metric.get().unwrap(),
            b.metric.get().unwrap()
        ));
        // Nothing is kept between pages.
        let again = page(&body);
        assert!(!Arc::ptr_eq(&again.data[0].status, &a.status));
    }

    #[test]
    fn tags_and_raw_json() {
        let tags = Tags::from_pairs([("b", "1"), ("a", "2"), ("b", "3")]);
        assert_eq!(tags.as_json(), r#"{"b":"3","a":"2"}"#);
        assert_eq!(
            tags.pairs(),
            [
                ("b".to_owned(), "3".to_owned()),
                ("a".to_owned(), "2".to_owned())
            ]
        );
        let b = Backup::from_json(br#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","schema":{"fields": {"g": {"filterable": true}}},"tags":{"k":"v","k":"w"}}"#).unwrap();
        assert_eq!(
            b.schema.get().unwrap().get(),
            r#"{"fields": {"g": {"filterable": true}}}"#
        );
        assert_eq!(b.tags.get().unwrap().as_json(), r#"{"k":"w"}"#);
        let out = serde_json::to_string(&b).unwrap();
        assert!(
            out.contains(r#""schema":{"fields": {"g": {"filterable": true}}}"#),
            "{out}"
        );
        assert_eq!(
            Backup::from_value(&serde_json::from_str(&out).unwrap()).unwrap(),
            {
                let mut compact = b.clone();
                compact.schema = Field::Value(RawJson::from_value(
                    &b.schema.get().unwrap().value().unwrap(),
                ));
                compact
            }
        );
    }

    #[test]
    fn deep_json_is_refused_not_a_crash() {
        let deep = |n: usize| {
            format!(
                r#"{{"data":[{{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","schema":{}1{}}}]}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let ok = BackupList::from_json(deep(100).as_bytes()).unwrap();
        assert!(ok.data[0].schema.get().unwrap().value().unwrap().is_array());
        let err = BackupList::from_json(deep(10_000).as_bytes()).unwrap_err();
        assert!(
            err.contains("data[0].schema") && err.contains("nested"),
            "{err}"
        );
        // The same for unknown fields (kept as JSON text too).
        let deep_extra = deep(10_000).replace("\"schema\"", "\"future\"");
        assert!(BackupList::from_json(deep_extra.as_bytes())
            .unwrap_err()
            .contains("nested more than 127 levels"));
        // Brackets inside strings do not count; lone surrogate escapes are refused.
        let nested =
            |n: usize| format!(r#"{{"a":"[[[{{","b":{}1{}}}"#, "[".repeat(n), "]".repeat(n));
        assert!(check_json(&nested(126)).is_ok());
        assert!(check_json(&nested(127)).is_err());
        for (text, ok) in [
            (r#""\ud83d\ude00""#, true),
            (r#""\\ud800""#, true), // an escaped backslash, then text
            (r#""\ud800""#, false),
            (r#""\ud800\u0041""#, false),
            (r#""\udc00""#, false),
            (r#"{"\udfff":1}"#, false),
        ] {
            assert_eq!(check_json(text).is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn int_parse() {
        assert_eq!(Int::parse("12"), Some(Int::Small(12)));
        assert_eq!(
            Int::parse("-9223372036854775808"),
            Some(Int::Small(i64::MIN))
        );
        assert_eq!(
            Int::parse("9223372036854775808"),
            Some(Int::Big("9223372036854775808".into()))
        );
        for bad in ["", "-", "1.0", "1e3", "012", "+1", " 1", "0x10"] {
            assert_eq!(Int::parse(bad), None, "{bad}");
        }
    }
}
