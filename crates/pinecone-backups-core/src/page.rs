//! One page of a list (`BackupList`, `RestoreJobList`): its items and the pagination to the
//! next page, decoded leniently (a page's `pagination` may be missing, `null`, `{}`,
//! `{"next": null}` or `{"next": ""}`: all mean "last page"; a page without `data`, or with
//! `"data": null`, is empty).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::JsonError;
use crate::field::{Interning, Nullable};
use crate::models::{Backup, BackupSchedule, BackupScheduleHistoryItem, RestoreJob};

/// The `pagination` object of a page that has a next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// The token of the next page: pass it as `pagination_token`.
    pub next: String,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// `None` on the last page.
    pub pagination: Option<Pagination>,
}

/// One page of backups (`BackupList`).
pub type BackupList = Page<Backup>;
/// One page of restore jobs (`RestoreJobList`).
pub type RestoreJobList = Page<RestoreJob>;
/// One page of backup schedules (`BackupScheduleList`, API 2026-07).
pub type BackupScheduleList = Page<BackupSchedule>;
/// One page of a schedule's backups (`BackupScheduleHistoryList`, API 2026-07).
pub type BackupScheduleHistoryList = Page<BackupScheduleHistoryItem>;

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            data: Vec::new(),
            pagination: None,
        }
    }
}

impl<T> Page<T> {
    /// The token of the next page, `None` on the last page.
    pub fn next_token(&self) -> Option<&str> {
        self.pagination.as_ref().map(|p| p.next.as_str())
    }
}

impl<T: for<'de> Deserialize<'de>> Page<T> {
    /// Decodes a list response body; the error names the JSON path of the problem.
    pub fn from_json(json: &[u8]) -> Result<Page<T>, JsonError> {
        decode(json)
    }
}

/// Decodes `json` into `T`; on failure decodes again, tracking the path, to say where it failed.
/// (The fast path pays nothing for the path tracking.)
pub fn decode<'de, T: Deserialize<'de>>(json: &'de [u8]) -> Result<T, JsonError> {
    // One UTF-8 check of the whole body, instead of one per string.
    let text = std::str::from_utf8(json)
        .map_err(|e| JsonError::at_root(format!("the body is not UTF-8: {e}")))?;
    let _interning = Interning::start();
    serde_json::from_str(text).map_err(|first| {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(err) => {
                let path = err.path().to_string();
                JsonError {
                    path: if path == "." { String::new() } else { path },
                    message: err.inner().to_string(),
                }
            }
            Ok(_) => JsonError::at_root(first.to_string()),
        }
    })
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

/// `data` (when not `null`): an array of items.
struct DataSeed<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for DataSeed<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct DataVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for DataVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of objects or null")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut data = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    data.push(item);
                }
                Ok(data)
            }
        }
        deserializer.deserialize_seq(DataVisitor(std::marker::PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list object (data, pagination)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut list = Page::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "data" => {
                            list.data = map
                                .next_value_seed(Nullable(DataSeed(std::marker::PhantomData)))?
                                .unwrap_or_default();
                        }
                        "pagination" => {
                            list.pagination =
                                map.next_value_seed(Nullable(PaginationSeed))?.flatten();
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(list)
            }
        }
        deserializer.deserialize_map(ListVisitor(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("data", &self.data)?;
        map.serialize_entry("pagination", &self.pagination)?; // `null` on the last page
        map.end()
    }
}
