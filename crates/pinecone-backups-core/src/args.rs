//! The arguments of the operations, each a type validated once, here, before anything is sent.
//!
//! Every argument is made from what a caller gives (its [`Arg::Raw`] value: a string, a
//! number, pairs) by [`Arg::parse`], which names the parameter in its error. Front ends check
//! only the types of their own values (a Python `str`, `int`...), then hand them here.

use crate::error::{InvalidArgument, Result};
use crate::json::{Int, Tags};

/// An argument of an operation.
pub trait Arg: Sized {
    /// What a caller gives.
    type Raw;
    /// Validates `raw` by the rules every API version shares; the error names `param`.
    fn parse(raw: Self::Raw, param: &'static str) -> Result<Self>;
    /// The rules of one API version, checked when the call is made (before anything is sent).
    fn check(&self, _param: &'static str, _version: &str) -> Result<()> {
        Ok(())
    }
    /// The value in a URL (a path segment or a query value, before percent-encoding).
    fn url_text(&self) -> String {
        unreachable!("this argument does not go in a URL")
    }
    /// The value in a JSON body (its JSON text).
    fn json(&self) -> String {
        unreachable!("this argument does not go in a body")
    }
}

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The longest identifier (`backup_id`, `job_id`) accepted: far longer than any the API issues
/// (UUIDs), short enough for any URL.
pub const MAX_ID_LENGTH: usize = 256;
/// The longest index name (the spec's limit for every index name).
pub const MAX_INDEX_NAME_LENGTH: usize = 45;
/// The longest backup name accepted. The 2025-10 spec sets no limit (API 2026-07: 45
/// characters); this one only stops absurd values before they are sent.
pub const MAX_BACKUP_NAME_LENGTH: usize = 512;

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// Defines a string argument: a newtype over `String` with its check.
macro_rules! string_arg {
    (@versioned) => { |_, _, _| Ok(()) };
    (@versioned $versioned:expr) => { $versioned };
    ($(#[$meta:meta])* $name:ident, $check:expr $(, $versioned:expr)?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Arg for $name {
            type Raw = String;
            fn parse(raw: String, param: &'static str) -> Result<Self> {
                let check: fn(&str, &'static str) -> Result<()> = $check;
                check(&raw, param)?;
                Ok($name(raw))
            }
            fn check(&self, param: &'static str, version: &str) -> Result<()> {
                let check: fn(&Self, &'static str, &str) -> Result<()> =
                    string_arg!(@versioned $($versioned)?);
                check(self, param, version)
            }
            fn url_text(&self) -> String {
                self.0.clone()
            }
            fn json(&self) -> String {
                json_string(&self.0)
            }
        }
    };
}

/// Not empty, and not `.` or `..` (which a URL would resolve away, sending the request to
/// another endpoint).
fn check_segment(text: &str, param: &'static str) -> Result<()> {
    if text.is_empty() {
        return Err(InvalidArgument::value(
            param,
            format!("{param} must be a non-empty string"),
        ));
    }
    if text == "." || text == ".." {
        return Err(InvalidArgument::value(
            param,
            format!("{param} cannot be {text:?}"),
        ));
    }
    Ok(())
}

string_arg!(
    /// The name of an existing index: not empty, not `.` or `..`, at most
    /// [`MAX_INDEX_NAME_LENGTH`] characters.
    IndexName,
    |name, param| {
        check_segment(name, param)?;
        let length = name.chars().count();
        if length > MAX_INDEX_NAME_LENGTH {
            return Err(InvalidArgument::value(
                param,
                format!(
                    "{param} is {length} characters long: index names have at most \
                     {MAX_INDEX_NAME_LENGTH}"
                ),
            ));
        }
        Ok(())
    }
);

string_arg!(
    /// An identifier (`backup_id`, `job_id`): not empty, not `.` or `..`, at most
    /// [`MAX_ID_LENGTH`] characters.
    Id,
    |id, param| {
        if id.is_empty() {
            return check_segment(id, param);
        }
        let length = id.chars().count();
        if length > MAX_ID_LENGTH {
            return Err(InvalidArgument::value(
                param,
                format!("{param} is {length} characters long: at most {MAX_ID_LENGTH} are accepted"),
            ));
        }
        check_segment(id, param)
    }
);

impl Token {
    /// A token a page gave (never empty: an empty one reads as the last page).
    pub(crate) fn from_page(token: String) -> Token {
        debug_assert!(!token.is_empty());
        Token(token)
    }
}

string_arg!(
    /// A pagination token: not empty.
    Token,
    |token, param| {
        if token.is_empty() {
            return Err(InvalidArgument::value(
                param,
                format!("{param} must be a non-empty string or None"),
            ));
        }
        Ok(())
    }
);

impl BackupName {
    /// API 2026-07's rule for a backup's name: 1-45 characters, lowercase alphanumerics or
    /// `-`, alphanumeric at both ends.
    fn check_2026_07(&self, param: &'static str) -> Result<()> {
        if is_resource_name(&self.0) {
            return Ok(());
        }
        Err(InvalidArgument::value(
            param,
            format!(
                "{param} must be 1-45 characters of lowercase letters, digits and '-', starting \
                 and ending with a letter or digit (API 2026-07), got {:?}",
                self.0
            ),
        ))
    }
}

/// 1-45 characters, lowercase alphanumerics or `-`, alphanumeric at both ends: the spec's rule
/// for an index's name (and, from API 2026-07, a backup's).
fn is_resource_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    (1..=MAX_INDEX_NAME_LENGTH).contains(&bytes.len())
        && bytes.iter().all(|b| allowed(b) || *b == b'-')
        && bytes.first().is_some_and(allowed)
        && bytes.last().is_some_and(allowed)
}

string_arg!(
    /// A backup's name: at most [`MAX_BACKUP_NAME_LENGTH`] characters (from API 2026-07, the
    /// rule of a resource name: see `check`).
    BackupName,
    |name, param| {
        let length = name.chars().count();
        if length > MAX_BACKUP_NAME_LENGTH {
            return Err(InvalidArgument::value(
                param,
                format!(
                    "{param} is {length} characters long: at most {MAX_BACKUP_NAME_LENGTH} are \
                     accepted"
                ),
            ));
        }
        Ok(())
    },
    |name: &BackupName, param, version| {
        if version >= "2026-07" {
            return name.check_2026_07(param);
        }
        Ok(())
    }
);

string_arg!(
    /// Free text (a backup's description).
    Text,
    |_, _| Ok(())
);

string_arg!(
    /// A new index's name, by the spec's rule: 1-45 characters, lowercase alphanumeric or `-`,
    /// starting and ending with an alphanumeric.
    NewIndexName,
    |name, param| {
        if is_resource_name(name) {
            return Ok(());
        }
        Err(InvalidArgument::value(
            param,
            format!(
                "{param} must be 1-45 characters of lowercase letters, digits and '-', starting \
                 and ending with a letter or digit, got {name:?}"
            ),
        ))
    }
);

string_arg!(
    /// `enabled` or `disabled`.
    DeletionProtection,
    |value, param| {
        if value == "enabled" || value == "disabled" {
            return Ok(());
        }
        Err(InvalidArgument::value(
            param,
            format!("{param} must be 'enabled' or 'disabled', got {value:?}"),
        ))
    }
);

/// A page size (`limit`, `page_size`): 1 to [`MAX_PAGE_SIZE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limit(u32);

impl Limit {
    pub fn get(self) -> u32 {
        self.0
    }

    /// The largest page.
    pub const MAX: Limit = Limit(MAX_PAGE_SIZE);

    /// A page size the caller computed from checked ones (at least 1).
    pub(crate) fn clamped(size: u64) -> Limit {
        Limit(size.clamp(1, u64::from(u32::MAX)) as u32)
    }
}

/// The first API version whose lists take any positive `limit` (its spec sets no maximum).
const UNBOUNDED_LIMIT_SINCE: &str = "2026-07";

impl Arg for Limit {
    /// Any integer (one beyond 64 bits is refused with its digits).
    type Raw = Int;
    fn parse(raw: Int, param: &'static str) -> Result<Self> {
        match raw.as_i64().and_then(|n| u32::try_from(n).ok()) {
            Some(size @ 1..) => Ok(Limit(size)),
            _ => Err(InvalidArgument::value(
                param,
                format!("{param} must be a positive number, got {raw}"),
            )),
        }
    }
    /// 1 to [`MAX_PAGE_SIZE`] before API 2026-07; any positive number from it on.
    fn check(&self, param: &'static str, version: &str) -> Result<()> {
        if self.0 > MAX_PAGE_SIZE && version < UNBOUNDED_LIMIT_SINCE {
            return Err(InvalidArgument::value(
                param,
                format!(
                    "{param} must be between 1 and {MAX_PAGE_SIZE}, got {}",
                    self.0
                ),
            ));
        }
        Ok(())
    }
    fn url_text(&self) -> String {
        self.0.to_string()
    }
}

/// How many items a walk hands out at most: 0 or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaxItems(u64);

impl MaxItems {
    pub fn get(self) -> u64 {
        self.0
    }
}

impl Arg for MaxItems {
    /// Any integer (one beyond 64 bits is refused with its digits).
    type Raw = Int;
    fn parse(raw: Int, param: &'static str) -> Result<Self> {
        match raw.as_i64().map(u64::try_from) {
            Some(Ok(max)) => Ok(MaxItems(max)),
            _ => Err(InvalidArgument::value(
                param,
                format!("{param} must be 0 or more (or None for all), got {raw}"),
            )),
        }
    }
}

/// A switch of the client's own (`missing_ok`): never sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flag(bool);

impl Flag {
    pub fn get(self) -> bool {
        self.0
    }
}

impl Arg for Flag {
    type Raw = bool;
    fn parse(raw: bool, _param: &'static str) -> Result<Self> {
        Ok(Flag(raw))
    }
}

/// The tags of a new index (`IndexTags`): keys of 1-80 alphanumerics, `_` and `-`; values of at
/// most 120 alphanumerics and `;@_-.+ `. A repeated key keeps its last value.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexTags(Tags);

impl IndexTags {
    pub fn tags(&self) -> &Tags {
        &self.0
    }
}

impl Arg for IndexTags {
    type Raw = Vec<(String, String)>;
    fn parse(raw: Vec<(String, String)>, param: &'static str) -> Result<Self> {
        for (key, value) in &raw {
            let key_ok = (1..=80).contains(&key.chars().count())
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !key_ok {
                return Err(InvalidArgument::value(
                    param,
                    format!(
                        "a tag key must be 1-80 characters of letters, digits, '_' and '-', got \
                         {key:?}"
                    ),
                ));
            }
            let value_ok = value.chars().count() <= 120
                && value.chars().all(|c| c.is_ascii_graphic() || c == ' ');
            if !value_ok {
                return Err(InvalidArgument::value(
                    param,
                    format!(
                        "the value of tag {key:?} must be at most 120 printable ASCII \
                         characters, got {value:?}"
                    ),
                ));
            }
        }
        Ok(IndexTags(Tags::from_pairs(raw)))
    }
    /// Before API 2026-07, values of letters, digits and `;@_-.+ ` only; from it on, at most
    /// [`MAX_TAGS_SINCE_2026_07`] tags (of printable ASCII).
    fn check(&self, param: &'static str, version: &str) -> Result<()> {
        let entries = self.0.entries();
        if version >= "2026-07" {
            if entries.len() > MAX_TAGS_SINCE_2026_07 {
                return Err(InvalidArgument::value(
                    param,
                    format!(
                        "at most {MAX_TAGS_SINCE_2026_07} tags (API {version}), got {}",
                        entries.len()
                    ),
                ));
            }
            return Ok(());
        }
        for (key, value) in entries {
            let value = value.as_string().unwrap_or_default();
            if !value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ";@_-.+ ".contains(c))
            {
                return Err(InvalidArgument::value(
                    param,
                    format!(
                        "the value of tag {key:?} must be letters, digits and ';@_-.+ ' before \
                         API 2026-07 (this client speaks {version}), got {value:?}"
                    ),
                ));
            }
        }
        Ok(())
    }
    fn json(&self) -> String {
        self.0.as_json().to_owned()
    }
}

/// The most tags an index may have from API 2026-07 on.
const MAX_TAGS_SINCE_2026_07: usize = 20;

/// How often a backup schedule runs: `daily`, `weekly` or `monthly`.
const FREQUENCIES: [&str; 3] = ["daily", "weekly", "monthly"];

fn check_frequency(value: &str, param: &'static str) -> Result<()> {
    if FREQUENCIES.contains(&value) {
        return Ok(());
    }
    Err(InvalidArgument::value(
        param,
        format!("{param} must be 'daily', 'weekly' or 'monthly', got {value:?}"),
    ))
}

string_arg!(
    /// How often a backup schedule runs, in an update (`{"frequency": "weekly"}`).
    Frequency,
    check_frequency
);

/// How often a new backup schedule runs: sent as its `schedule`
/// (`{"type": "time-based", "frequency": "daily"}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Schedule(String);

impl Arg for Schedule {
    type Raw = String;
    fn parse(raw: String, param: &'static str) -> Result<Self> {
        check_frequency(&raw, param)?;
        Ok(Schedule(raw))
    }
    fn json(&self) -> String {
        format!(
            r#"{{"type":"time-based","frequency":{}}}"#,
            json_string(&self.0)
        )
    }
}

/// How many days a schedule's backups are kept: an integer of at least 1, sent as the
/// `retention` (`{"expire_after_days": 90}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Retention(u32);

impl Arg for Retention {
    /// Any integer (one beyond 64 bits is refused with its digits).
    type Raw = Int;
    fn parse(raw: Int, param: &'static str) -> Result<Self> {
        match raw.as_i64().and_then(|n| u32::try_from(n).ok()) {
            Some(days @ 1..=0x7fff_ffff) => Ok(Retention(days)),
            _ => Err(InvalidArgument::value(
                param,
                format!("{param} must be a whole number of days of at least 1, got {raw}"),
            )),
        }
    }
    fn json(&self) -> String {
        format!(r#"{{"expire_after_days":{}}}"#, self.0)
    }
}

/// A switch that is sent (`include_deleted`, `enabled`): `true` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Switch(bool);

impl Arg for Switch {
    type Raw = bool;
    fn parse(raw: bool, _param: &'static str) -> Result<Self> {
        Ok(Switch(raw))
    }
    fn url_text(&self) -> String {
        self.0.to_string()
    }
    fn json(&self) -> String {
        self.0.to_string()
    }
}

/// The text of a JSON object a caller gave (a Python `dict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonObject(pub String);

/// The read capacity of a new index (`ReadCapacity`, API 2026-04 and later): `{"mode":
/// "OnDemand"}`, or `{"mode": "Dedicated", "dedicated": {"node_type": "t1", "scaling":
/// "Manual", "manual": {"replicas": 1, "shards": 1}}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadCapacity(serde_json::Value);

impl ReadCapacity {
    fn refuse(param: &'static str, why: &str) -> crate::Error {
        InvalidArgument::value(param, format!("{param} is not a ReadCapacity: {why}"))
    }
}

impl Arg for ReadCapacity {
    type Raw = JsonObject;
    /// The shapes both versions that have it share: `mode` `OnDemand`, or `Dedicated` with a
    /// `dedicated` object whose `node_type` and `scaling` are strings and whose `manual` holds
    /// `replicas` >= 0 and `shards` >= 1.
    fn parse(raw: JsonObject, param: &'static str) -> Result<Self> {
        use serde_json::Value;
        let value: Value =
            serde_json::from_str(&raw.0).map_err(|e| Self::refuse(param, &e.to_string()))?;
        let Value::Object(object) = &value else {
            return Err(Self::refuse(param, "it is not an object"));
        };
        match object.get("mode").and_then(Value::as_str) {
            Some("OnDemand") => {
                if let Some(extra) = object.keys().find(|k| *k != "mode") {
                    return Err(Self::refuse(
                        param,
                        &format!("mode OnDemand takes no other key, got {extra:?}"),
                    ));
                }
            }
            Some("Dedicated") => {
                let Some(Value::Object(dedicated)) = object.get("dedicated") else {
                    return Err(Self::refuse(
                        param,
                        "mode Dedicated needs a dedicated object",
                    ));
                };
                for key in ["node_type", "scaling"] {
                    if dedicated.get(key).is_some_and(|v| !v.is_string()) {
                        return Err(Self::refuse(
                            param,
                            &format!("dedicated.{key} must be a str"),
                        ));
                    }
                }
                if let Some(manual) = dedicated.get("manual") {
                    let Value::Object(manual) = manual else {
                        return Err(Self::refuse(param, "dedicated.manual must be an object"));
                    };
                    for (key, least) in [("replicas", 0), ("shards", 1)] {
                        let bad = manual
                            .get(key)
                            .is_some_and(|v| v.as_i64().is_none_or(|n| n < least));
                        if bad {
                            return Err(Self::refuse(
                                param,
                                &format!("dedicated.manual.{key} must be an int >= {least}"),
                            ));
                        }
                    }
                }
            }
            _ => {
                return Err(Self::refuse(
                    param,
                    "mode must be 'OnDemand' or 'Dedicated'",
                ))
            }
        }
        Ok(ReadCapacity(value))
    }
    /// API 2026-07 requires `node_type`, `scaling` and `manual` (with `replicas` and `shards`)
    /// of a `Dedicated` capacity.
    fn check(&self, param: &'static str, version: &str) -> Result<()> {
        if version < "2026-07" {
            return Ok(());
        }
        let dedicated = self.0.get("dedicated");
        if dedicated.is_none() {
            return Ok(());
        }
        for path in [
            &["node_type"][..],
            &["scaling"],
            &["manual", "replicas"],
            &["manual", "shards"],
        ] {
            let found = path
                .iter()
                .try_fold(dedicated.expect("checked"), |v, key| v.get(key));
            if found.is_none() {
                return Err(Self::refuse(
                    param,
                    &format!("API 2026-07 needs dedicated.{}", path.join(".")),
                ));
            }
        }
        Ok(())
    }
    fn json(&self) -> String {
        self.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn param<T: std::fmt::Debug>(r: Result<T>) -> &'static str {
        match r {
            Err(Error::InvalidArgument(arg)) => arg.param,
            other => panic!("{other:?}"),
        }
    }

    fn message<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Err(Error::InvalidArgument(arg)) => arg.message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_and_ids() {
        assert_eq!(
            param(IndexName::parse(String::new(), "index_name")),
            "index_name"
        );
        assert_eq!(
            param(IndexName::parse("..".into(), "index_name")),
            "index_name"
        );
        assert!(IndexName::parse("é".repeat(45), "index_name").is_ok());
        assert_eq!(
            message(IndexName::parse("a".repeat(46), "index_name")),
            "index_name is 46 characters long: index names have at most 45"
        );
        assert!(Id::parse("é".repeat(MAX_ID_LENGTH), "backup_id").is_ok());
        assert_eq!(
            message(Id::parse("x".repeat(100_000), "job_id")),
            "job_id is 100000 characters long: at most 256 are accepted"
        );
        assert_eq!(
            message(Id::parse(String::new(), "backup_id")),
            "backup_id must be a non-empty string"
        );
        assert_eq!(
            message(Id::parse(".".into(), "backup_id")),
            "backup_id cannot be \".\""
        );
        assert_eq!(
            param(Token::parse(String::new(), "pagination_token")),
            "pagination_token"
        );
        assert!(BackupName::parse("é".repeat(MAX_BACKUP_NAME_LENGTH), "name").is_ok());
        assert_eq!(
            param(BackupName::parse("x".repeat(100_000), "name")),
            "name"
        );
        assert!(Text::parse("d".repeat(100_000), "description").is_ok());
    }

    #[test]
    fn new_index_names_follow_the_spec() {
        for good in ["a", "my-index-2", &"a".repeat(45), "0x"] {
            assert!(NewIndexName::parse(good.into(), "name").is_ok(), "{good}");
        }
        for bad in ["", "-a", "a-", "A", "a_b", &"a".repeat(46), "é"] {
            assert_eq!(
                param(NewIndexName::parse(bad.into(), "name")),
                "name",
                "{bad}"
            );
        }
    }

    #[test]
    fn limits_and_counts() {
        for bad in [0, -1, i64::MAX] {
            assert_eq!(
                message(Limit::parse(Int::Small(bad), "limit")),
                format!("limit must be a positive number, got {bad}")
            );
        }
        let huge = Int::parse("1000000000000000000000000000000").unwrap();
        assert_eq!(
            message(Limit::parse(huge.clone(), "limit")),
            "limit must be a positive number, got 1000000000000000000000000000000"
        );
        // Over 100: refused by the versions before 2026-07 only.
        let big = Limit::parse(Int::Small(101), "limit").unwrap();
        for old in ["2025-10", "2026-04"] {
            assert_eq!(
                message(big.check("limit", old)),
                "limit must be between 1 and 100, got 101"
            );
        }
        assert!(big.check("limit", "2026-07").is_ok());
        assert_eq!(
            Limit::parse(Int::Small(100), "page_size").unwrap().get(),
            100
        );
        assert_eq!(
            param(MaxItems::parse(Int::Small(-1), "max_items")),
            "max_items"
        );
        assert_eq!(param(MaxItems::parse(huge, "max_items")), "max_items");
        assert_eq!(
            MaxItems::parse(Int::Small(0), "max_items").unwrap().get(),
            0
        );
        assert_eq!(Limit::clamped(0).get(), 1);
        assert_eq!(Limit::clamped(1000).get(), 1000);
    }

    #[test]
    fn tags_and_protection() {
        let tags = IndexTags::parse(
            vec![
                ("b".into(), "1".into()),
                ("a".into(), "x y".into()),
                ("b".into(), "3".into()),
            ],
            "tags",
        )
        .unwrap();
        assert_eq!(tags.json(), r#"{"b":"3","a":"x y"}"#);
        assert_eq!(
            param(IndexTags::parse(vec![(String::new(), "v".into())], "tags")),
            "tags"
        );
        assert_eq!(
            param(IndexTags::parse(vec![("k".into(), "é".into())], "tags")),
            "tags"
        );
        assert_eq!(
            param(IndexTags::parse(
                vec![("k".into(), "v".repeat(121))],
                "tags"
            )),
            "tags"
        );
        // Each version's rules: `#` is printable ASCII (2026-07), not one of 2025-10's.
        let hash = IndexTags::parse(vec![("k".into(), "a#b".into())], "tags").unwrap();
        assert!(hash.check("tags", "2026-07").is_ok());
        for old in ["2025-10", "2026-04"] {
            assert!(message(hash.check("tags", old)).contains("before API 2026-07"));
        }
        let many: Vec<(String, String)> = (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
        let many = IndexTags::parse(many, "tags").unwrap();
        assert!(many.check("tags", "2025-10").is_ok());
        assert_eq!(
            message(many.check("tags", "2026-07")),
            "at most 20 tags (API 2026-07), got 21"
        );
        assert!(DeletionProtection::parse("enabled".into(), "deletion_protection").is_ok());
        assert_eq!(
            param(DeletionProtection::parse(
                "on".into(),
                "deletion_protection"
            )),
            "deletion_protection"
        );
    }
}
