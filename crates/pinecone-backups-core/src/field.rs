//! The building blocks of the models: [`Field`] (absent, `null` or a value), the value types a
//! field can hold ([`FieldValue`]), and [`define_model!`](crate::define_model), which turns one
//! declaration of a model's fields into its struct, its named-key serde and its reader's equality.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::json::{keep_last, Float, Int, RawJson, Tags, TagsSeed};
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

    /// `Value(v)` for `Some(v)`, `Null` for `None` (a key that was present).
    pub(crate) fn from_json(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Value)
    }
}

impl Field<RawTimestamp> {
    /// The timestamp parsed as RFC 3339, or `None` when absent, `null` or not RFC 3339.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.get().and_then(RawTimestamp::parse)
    }
}

/// A string value that repeats from item to item of a page (a status, a cloud, a region):
/// equal values decoded from one body share one allocation.
pub type Shared = Arc<str>;

/// A timestamp exactly as the server sent it; [`RawTimestamp::parse`] reads it as RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawTimestamp(pub String);

impl RawTimestamp {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The timestamp, or `None` when the text is not RFC 3339.
    pub fn parse(&self) -> Option<Timestamp> {
        Timestamp::parse(&self.0)
    }
}

impl fmt::Display for RawTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Timestamp> for RawTimestamp {
    fn from(timestamp: Timestamp) -> Self {
        RawTimestamp(timestamp.to_string())
    }
}

impl Serialize for RawTimestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A type a model field can hold: how it is read from a JSON object's value, and when two values
/// are the same to a reader (Python's `==` on the models).
pub trait FieldValue: Sized + Clone + fmt::Debug + PartialEq + Serialize {
    /// Reads the value of the current key (never `null`).
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;

    /// Reads the value of the current key, `None` for `null`.
    fn read_nullable<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Self>, A::Error>;

    /// Whether a reader sees the same value (by default: equal).
    fn same(&self, other: &Self) -> bool {
        self == other
    }

    /// Whether a reader sees this value as no value at all (empty tags read like absent tags).
    fn reads_as_absent(&self) -> bool {
        false
    }
}

/// Implements [`FieldValue`] for types read with their own `Deserialize`.
macro_rules! plain_field_values {
    ($($ty:ty),*) => {$(
        impl FieldValue for $ty {
            fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
                map.next_value()
            }
            fn read_nullable<'de, A: MapAccess<'de>>(
                map: &mut A,
            ) -> Result<Option<Self>, A::Error> {
                map.next_value()
            }
        }
    )*};
}

plain_field_values!(String, Int, Float, bool);

impl FieldValue for RawJson {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }
    fn read_nullable<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Self>, A::Error> {
        map.next_value()
    }
    /// As trees where they read as trees (`1e400` does not), else as text.
    fn same(&self, other: &Self) -> bool {
        match (self.value(), other.value()) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => self.get() == other.get(),
            _ => false,
        }
    }
}

impl FieldValue for Shared {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value_seed(InternedSeed)
    }
    fn read_nullable<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Self>, A::Error> {
        map.next_value_seed(Nullable(InternedSeed))
    }
}

impl FieldValue for Tags {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value_seed(TagsSeed)
    }
    fn read_nullable<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Self>, A::Error> {
        map.next_value_seed(Nullable(TagsSeed))
    }
    /// Tag order does not matter; values compare as [`RawJson`]s do.
    fn same(&self, other: &Self) -> bool {
        let sorted = |tags: &Tags| {
            let mut entries = tags.entries();
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            entries
        };
        let (mine, theirs) = (sorted(self), sorted(other));
        mine.len() == theirs.len()
            && mine
                .iter()
                .zip(&theirs)
                .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.same(v2))
    }
    fn reads_as_absent(&self) -> bool {
        self.as_json() == "{}"
    }
}

impl FieldValue for RawTimestamp {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value().map(RawTimestamp)
    }
    fn read_nullable<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Self>, A::Error> {
        Ok(map.next_value::<Option<String>>()?.map(RawTimestamp))
    }
    /// As instants, to the microsecond (unparsable texts as they are: the readers see `None`).
    fn same(&self, other: &Self) -> bool {
        self.parse().map(|t| t.unix_micros()) == other.parse().map(|t| t.unix_micros())
    }
}

/// Whether two optional fields read the same: `null` and absent are the same, and a value that
/// reads as absent (empty tags) is the same as none.
pub fn same_field<T: FieldValue>(a: &Field<T>, b: &Field<T>) -> bool {
    match (a.get(), b.get()) {
        (Some(a), Some(b)) => a.same(b),
        (None, None) => true,
        (Some(value), None) | (None, Some(value)) => value.reads_as_absent(),
    }
}

/// Writes an optional field as it was received: nothing when absent, `null` when null.
pub fn serialize_field<M: SerializeMap, T: Serialize>(
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

/// Fields a model does not know, verbatim, in order (`None` when there are none; a repeated key
/// keeps its last value).
pub type Extra = Option<Box<Vec<(String, RawJson)>>>;

/// Reads an unknown key's value into `extra`.
pub fn read_extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut Extra,
    key: String,
) -> Result<(), A::Error> {
    let value: RawJson = map.next_value()?;
    keep_last(extra.get_or_insert_default(), key, value);
    Ok(())
}

/// Writes the unknown fields back.
pub fn serialize_extra<M: SerializeMap>(map: &mut M, extra: &Extra) -> Result<(), M::Error> {
    for (key, value) in extra.iter().flat_map(|extra| extra.iter()) {
        map.serialize_entry(key, value)?;
    }
    Ok(())
}

/// Declares a model from one list of its fields: the struct (required fields as their type,
/// optional ones as [`Field`]s, unknown fields kept in `extra`), `FIELDS` (the names, required
/// first, in declaration order), `new` (the required fields), named-key `Deserialize` and
/// `Serialize` that write back what was read, and `same_fields` (the readers' equality).
///
/// The declarations themselves live in [`for_each_model!`](crate::for_each_model), which other
/// front ends (the Python binding) expand too.
#[macro_export]
macro_rules! define_model {
    (
        $(#[$meta:meta])*
        $name:ident $expecting:literal id = $id:ident {
            required { $( $(#[$rmeta:meta])* $req:ident : $rty:ty ),* $(,)? }
            optional { $( $(#[$ometa:meta])* $opt:ident : $oty:ty ),* $(,)? }
            $( derived { $( $(#[$dmeta:meta])* $der:ident : $dty:ty = $dfn:path ),* $(,)? } )?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$rmeta])* pub $req: $rty, )*
            $( $(#[$ometa])* pub $opt: $crate::Field<$oty>, )*
            /// Fields this version of the client does not know, verbatim, in order.
            pub extra: $crate::field::Extra,
        }

        impl $name {
            /// The names of the fields: the required ones, then the optional ones.
            pub const FIELDS: &'static [&'static str] =
                &[$(stringify!($req),)* $(stringify!($opt),)*];

            /// The names of the values read from the fields rather than sent as fields of
            /// their own (`ready`, read from `status`), in declaration order.
            pub const DERIVED: &'static [&'static str] = &[$($(stringify!($der),)*)?];

            $($(
                $(#[$dmeta])*
                pub fn $der(&self) -> Option<$dty> {
                    $dfn(self)
                }
            )*)?

            /// A value with the required fields and nothing else.
            #[allow(clippy::too_many_arguments)]
            pub fn new($($req: impl Into<$rty>),*) -> $name {
                $name {
                    $( $req: $req.into(), )*
                    $( $opt: $crate::Field::Absent, )*
                    extra: None,
                }
            }

            /// The identifier of this value.
            pub fn id(&self) -> &str {
                &self.$id
            }

            /// Whether two values have the same fields in the sense a reader of the fields sees
            /// them: `null` and absent are the same, absent tags are empty tags, tag order does
            /// not matter, timestamps compare as instants, and unknown fields are ignored. This
            /// is the equality of the Python objects; `==` is stricter and compares the exact
            /// JSON shape.
            pub fn same_fields(&self, other: &$name) -> bool {
                use $crate::field::FieldValue as _;
                true
                    $( && self.$req.same(&other.$req) )*
                    $( && $crate::field::same_field(&self.$opt, &other.$opt) )*
            }

            /// Decodes one JSON object; the error names the JSON path of the problem.
            pub fn from_json(json: &[u8]) -> ::std::result::Result<$name, $crate::JsonError> {
                $crate::page::decode(json)
            }

            /// Decodes one value from a JSON tree.
            pub fn from_value(
                value: &::serde_json::Value,
            ) -> ::std::result::Result<$name, $crate::JsonError> {
                let json = ::serde_json::to_vec(value)
                    .map_err(|e| $crate::JsonError::at_root(e.to_string()))?;
                $crate::page::decode(&json)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct ModelVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ModelVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        use $crate::field::FieldValue as _;
                        #[allow(non_camel_case_types)]
                        enum Key {
                            $($req,)*
                            $($opt,)*
                            Other(String),
                        }
                        /// Known keys are matched against literals (no loop, no `memcmp` call
                        /// per candidate: this runs for every key of every item).
                        struct KeySeed;
                        impl<'de> ::serde::de::DeserializeSeed<'de> for KeySeed {
                            type Value = Key;
                            fn deserialize<D: ::serde::Deserializer<'de>>(
                                self,
                                deserializer: D,
                            ) -> ::std::result::Result<Key, D::Error> {
                                deserializer.deserialize_identifier(self)
                            }
                        }
                        impl ::serde::de::Visitor<'_> for KeySeed {
                            type Value = Key;
                            fn expecting(
                                &self,
                                f: &mut ::std::fmt::Formatter<'_>,
                            ) -> ::std::fmt::Result {
                                f.write_str("a field name")
                            }
                            fn visit_str<E: ::serde::de::Error>(
                                self,
                                key: &str,
                            ) -> ::std::result::Result<Key, E> {
                                Ok(match key {
                                    $( stringify!($req) => Key::$req, )*
                                    $( stringify!($opt) => Key::$opt, )*
                                    _ => Key::Other(key.to_owned()),
                                })
                            }
                        }
                        $( let mut $req: Option<$rty> = None; )*
                        $( let mut $opt: $crate::Field<$oty> = $crate::Field::Absent; )*
                        let mut extra: $crate::field::Extra = None;
                        while let Some(key) = map.next_key_seed(KeySeed)? {
                            match key {
                                Key::Other(key) => {
                                    $crate::field::read_extra(&mut map, &mut extra, key)?;
                                }
                                $( Key::$req => $req = Some(<$rty>::read(&mut map)?), )*
                                $( Key::$opt => {
                                    $opt = $crate::Field::from_json(
                                        <$oty>::read_nullable(&mut map)?,
                                    )
                                } )*
                            }
                        }
                        Ok($name {
                            $( $req: $req.ok_or_else(|| {
                                <A::Error as ::serde::de::Error>::missing_field(stringify!($req))
                            })?, )*
                            $( $opt, )*
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(ModelVisitor)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $( map.serialize_entry(stringify!($req), &self.$req)?; )*
                $( $crate::field::serialize_field(&mut map, stringify!($opt), &self.$opt)?; )*
                $crate::field::serialize_extra(&mut map, &self.extra)?;
                map.end()
            }
        }
    };
}

thread_local! {
    /// The strings shared by the values being decoded on this thread (see [`Interning`]).
    static INTERNED: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
}

/// While alive, equal values of the [`Shared`] fields decoded on this thread share one
/// `Arc<str>`.
pub(crate) struct Interning;

impl Interning {
    /// Distinct values kept: enough for the few statuses, clouds and regions of a page.
    const CAPACITY: usize = 32;

    pub(crate) fn start() -> Interning {
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
pub(crate) struct Nullable<S>(pub S);

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
