//! The arguments of the calls, validated before anything is sent.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::{InvalidArgument, Result};
use crate::json::Tags;

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Everything but RFC 3986 unreserved characters is encoded, so an index name is exactly one path
/// segment (`a/b` is sent as `a%2Fb`) and a token survives any character (`+`, `/`, `=`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// What a list call lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// `GET /indexes/{index_name}/backups`: the backups of one index.
    IndexBackups(String),
    /// `GET /backups`: every backup of the project.
    ProjectBackups,
    /// `GET /restore-jobs`: every restore job of the project.
    RestoreJobs,
}

impl Listing {
    /// The request path, percent-encoded (`/indexes/a%2Fb/backups`).
    pub fn path(&self) -> String {
        match self {
            Listing::IndexBackups(name) => format!("/indexes/{}/backups", segment(name)),
            Listing::ProjectBackups => "/backups".to_owned(),
            Listing::RestoreJobs => "/restore-jobs".to_owned(),
        }
    }
}

/// One page of a list call (`GET /indexes/{index_name}/backups`, `GET /backups`,
/// `GET /restore-jobs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    listing: Listing,
    limit: Option<u32>,
    pagination_token: Option<String>,
}

impl ListRequest {
    /// One page of an index's backups. Validates the arguments: a non-empty index name, a
    /// `limit` in 1..=100 when given, and a non-empty token when given.
    pub fn new(
        index_name: impl Into<String>,
        limit: Option<i64>,
        pagination_token: Option<String>,
    ) -> Result<ListRequest> {
        let index_name = index_name.into();
        validate_index_name(&index_name)?;
        ListRequest::of(Listing::IndexBackups(index_name), limit, pagination_token)
    }

    /// One page of any listing (an index name in `listing` is checked by [`ListRequest::new`]
    /// and [`Listing`]'s users).
    pub fn of(
        listing: Listing,
        limit: Option<i64>,
        pagination_token: Option<String>,
    ) -> Result<ListRequest> {
        if let Listing::IndexBackups(name) = &listing {
            validate_index_name(name)?;
        }
        let limit = limit.map(|l| validate_page_size(l, "limit")).transpose()?;
        validate_token(pagination_token.as_deref())?;
        Ok(ListRequest {
            listing,
            limit,
            pagination_token,
        })
    }

    pub fn listing(&self) -> &Listing {
        &self.listing
    }
    /// The index name of an index's backups.
    pub fn index_name(&self) -> Option<&str> {
        match &self.listing {
            Listing::IndexBackups(name) => Some(name),
            _ => None,
        }
    }
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }
    pub fn pagination_token(&self) -> Option<&str> {
        self.pagination_token.as_deref()
    }

    /// The request path, percent-encoded (`/indexes/a%2Fb/backups`).
    pub fn path(&self) -> String {
        self.listing.path()
    }

    /// The full URL under `base` (a host as [`crate::Config::host`] gives it).
    pub fn url(&self, base: &str) -> String {
        let mut url = format!("{base}{}", self.path());
        let mut separator = '?';
        if let Some(limit) = self.limit {
            url.push_str(&format!("{separator}limit={limit}"));
            separator = '&';
        }
        if let Some(token) = &self.pagination_token {
            url.push_str(&format!("{separator}paginationToken={}", segment(token)));
        }
        url
    }
}

/// `text` percent-encoded as one path segment or query value.
pub(crate) fn segment(text: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(text, COMPONENT)
}

/// A pagination token, when given, must not be empty.
pub(crate) fn validate_token(token: Option<&str>) -> Result<()> {
    if token == Some("") {
        return Err(InvalidArgument::value(
            "pagination_token",
            "pagination_token must be a non-empty string or None",
        ));
    }
    Ok(())
}

/// The longest identifier (`backup_id`, `job_id`) accepted: far longer than any the API issues
/// (UUIDs), short enough for any URL.
pub const MAX_ID_LENGTH: usize = 256;
/// The longest index name (the spec's limit for every index name).
pub const MAX_INDEX_NAME_LENGTH: usize = 45;

/// An identifier (`backup_id`, `job_id`) must be non-empty, at most [`MAX_ID_LENGTH`]
/// characters, and not `.` or `..`.
pub fn validate_id(id: &str, param: &'static str) -> Result<()> {
    if id.is_empty() {
        return Err(InvalidArgument::value(
            param,
            format!("{param} must be a non-empty string"),
        ));
    }
    let length = id.chars().count();
    if length > MAX_ID_LENGTH {
        return Err(InvalidArgument::value(
            param,
            format!("{param} is {length} characters long: at most {MAX_ID_LENGTH} are accepted"),
        ));
    }
    if id == "." || id == ".." {
        return Err(InvalidArgument::value(
            param,
            format!("{param} cannot be {id:?}"),
        ));
    }
    Ok(())
}

/// The body of `create_backup` (`CreateBackupRequest`): what is `None` is not sent. Build it
/// with [`CreateBackup::new`], which checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CreateBackup {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// The longest backup name accepted. The 2025-10 spec sets no limit (API 2026-07: 45
/// characters); this one only stops absurd values before they are sent.
pub const MAX_BACKUP_NAME_LENGTH: usize = 512;

impl CreateBackup {
    /// A backup's `name` (at most [`MAX_BACKUP_NAME_LENGTH`] characters) and `description`.
    pub fn new(name: Option<String>, description: Option<String>) -> Result<CreateBackup> {
        if let Some(name) = &name {
            let length = name.chars().count();
            if length > MAX_BACKUP_NAME_LENGTH {
                return Err(InvalidArgument::value(
                    "name",
                    format!(
                        "name is {length} characters long: at most {MAX_BACKUP_NAME_LENGTH} are \
                         accepted"
                    ),
                ));
            }
        }
        Ok(CreateBackup { name, description })
    }

    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

/// The body of `create_index_from_backup` (`CreateIndexFromBackupRequest`), validated by
/// [`CreateIndexFromBackup::new`] as the spec describes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CreateIndexFromBackup {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Tags>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletion_protection: Option<String>,
}

impl CreateIndexFromBackup {
    /// `name`: 1-45 characters, lowercase alphanumeric or `-`, starting and ending with an
    /// alphanumeric; `tags`: keys of 1-80 alphanumerics, `_` and `-`, values of at most 120
    /// alphanumerics and `;@_-.+ `; `deletion_protection`: `enabled` or `disabled`.
    pub fn new(
        name: impl Into<String>,
        tags: Option<Vec<(String, String)>>,
        deletion_protection: Option<String>,
    ) -> Result<CreateIndexFromBackup> {
        let name = name.into();
        validate_new_index_name(&name)?;
        if let Some(tags) = &tags {
            for (key, value) in tags {
                validate_tag(key, value)?;
            }
        }
        if let Some(protection) = &deletion_protection {
            if protection != "enabled" && protection != "disabled" {
                return Err(InvalidArgument::value(
                    "deletion_protection",
                    format!(
                        "deletion_protection must be 'enabled' or 'disabled', got {protection:?}"
                    ),
                ));
            }
        }
        Ok(CreateIndexFromBackup {
            name,
            tags: tags.map(Tags::from_pairs),
            deletion_protection,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The spec's rule for a new index's name.
fn validate_new_index_name(name: &str) -> Result<()> {
    let bytes = name.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let ok = (1..=45).contains(&bytes.len())
        && bytes.iter().all(|b| allowed(b) || *b == b'-')
        && bytes.first().is_some_and(allowed)
        && bytes.last().is_some_and(allowed);
    if ok {
        return Ok(());
    }
    Err(InvalidArgument::value(
        "name",
        format!(
            "name must be 1-45 characters of lowercase letters, digits and '-', starting and \
             ending with a letter or digit, got {name:?}"
        ),
    ))
}

/// The spec's rule for `IndexTags`.
fn validate_tag(key: &str, value: &str) -> Result<()> {
    let key_ok = (1..=80).contains(&key.chars().count())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !key_ok {
        return Err(InvalidArgument::value(
            "tags",
            format!(
                "a tag key must be 1-80 characters of letters, digits, '_' and '-', got {key:?}"
            ),
        ));
    }
    let value_ok = value.chars().count() <= 120
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ";@_-.+ ".contains(c));
    if !value_ok {
        return Err(InvalidArgument::value(
            "tags",
            format!(
                "the value of tag {key:?} must be at most 120 characters of letters, digits and \
                 ';@_-.+ ', got {value:?}"
            ),
        ));
    }
    Ok(())
}

/// An index name must be non-empty, and not `.` or `..` (which a URL would resolve away,
/// sending the request to another endpoint).
pub fn validate_index_name(index_name: &str) -> Result<()> {
    if index_name.is_empty() {
        return Err(InvalidArgument::value(
            "index_name",
            "index_name must be a non-empty string",
        ));
    }
    if index_name == "." || index_name == ".." {
        return Err(InvalidArgument::value(
            "index_name",
            format!("index_name cannot be {index_name:?}"),
        ));
    }
    let length = index_name.chars().count();
    if length > MAX_INDEX_NAME_LENGTH {
        return Err(InvalidArgument::value(
            "index_name",
            format!(
                "index_name is {length} characters long: index names have at most \
                 {MAX_INDEX_NAME_LENGTH}"
            ),
        ));
    }
    Ok(())
}

/// A page size (`limit`, `page_size`) must be in 1..=100.
pub fn validate_page_size(value: i64, param: &'static str) -> Result<u32> {
    match u32::try_from(value) {
        Ok(size @ 1..=MAX_PAGE_SIZE) => Ok(size),
        _ => Err(InvalidArgument::value(
            param,
            format!("{param} must be between 1 and {MAX_PAGE_SIZE}, got {value}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn urls_encode_the_name_as_one_segment_and_the_token_fully() {
        let base = "https://api.pinecone.io";
        let req = ListRequest::new("docs-example", None, None).unwrap();
        assert_eq!(
            req.url(base),
            "https://api.pinecone.io/indexes/docs-example/backups"
        );
        let req = ListRequest::new("a/b c?d#é", Some(10), Some("ab+/c=".into())).unwrap();
        assert_eq!(
            req.url(base),
            "https://api.pinecone.io/indexes/a%2Fb%20c%3Fd%23%C3%A9/backups?limit=10&paginationToken=ab%2B%2Fc%3D"
        );
        let req = ListRequest::new("x", None, Some("t".into())).unwrap();
        assert_eq!(
            ListRequest::of(Listing::RestoreJobs, Some(5), None)
                .unwrap()
                .url(base),
            "https://api.pinecone.io/restore-jobs?limit=5"
        );
        assert!(req
            .url(base)
            .ends_with("/indexes/x/backups?paginationToken=t"));
    }

    #[test]
    fn bad_arguments() {
        let param = |r: Result<ListRequest>| match r {
            Err(Error::InvalidArgument(arg)) => arg.param,
            other => panic!("{other:?}"),
        };
        assert_eq!(param(ListRequest::new("", None, None)), "index_name");
        assert_eq!(param(ListRequest::new("..", None, None)), "index_name");
        assert_eq!(param(ListRequest::new("x", Some(0), None)), "limit");
        assert_eq!(param(ListRequest::new("x", Some(101), None)), "limit");
        assert_eq!(param(ListRequest::new("x", Some(-1), None)), "limit");
        assert_eq!(param(ListRequest::new("x", Some(i64::MAX), None)), "limit");
        assert_eq!(
            param(ListRequest::new("x", None, Some(String::new()))),
            "pagination_token"
        );
        assert!(ListRequest::new("x", Some(1), None).is_ok());
        assert!(ListRequest::new("x", Some(100), None).is_ok());
        // Over-long names and ids are refused before any URL is built.
        assert!(ListRequest::new("é".repeat(45), None, None).is_ok());
        assert_eq!(
            param(ListRequest::new("a".repeat(46), None, None)),
            "index_name"
        );
        let long = "x".repeat(100_000);
        assert_eq!(
            param(ListRequest::new(long.clone(), None, None)),
            "index_name"
        );
        assert!(validate_id(&"é".repeat(MAX_ID_LENGTH), "backup_id").is_ok());
        match validate_id(&long, "backup_id") {
            Err(Error::InvalidArgument(arg)) => {
                assert_eq!(arg.param, "backup_id");
                assert!(arg.message.contains("100000 characters"), "{}", arg.message);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod body_tests {
    use super::*;
    use crate::Error;

    fn param<T: std::fmt::Debug>(r: Result<T>) -> &'static str {
        match r {
            Err(Error::InvalidArgument(arg)) => arg.param,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn backup_names_are_bounded() {
        assert!(CreateBackup::new(Some("é".repeat(MAX_BACKUP_NAME_LENGTH)), None).is_ok());
        assert_eq!(
            param(CreateBackup::new(Some("x".repeat(100_000)), None)),
            "name"
        );
        assert!(CreateBackup::new(None, Some("d".repeat(100_000))).is_ok());
    }

    #[test]
    fn new_index_names_follow_the_spec() {
        for good in ["a", "my-index-2", &"a".repeat(45), "0x"] {
            assert!(
                CreateIndexFromBackup::new(good, None, None).is_ok(),
                "{good}"
            );
        }
        for bad in ["", "-a", "a-", "A", "a_b", "a b", "é", &"a".repeat(46)] {
            assert_eq!(
                param(CreateIndexFromBackup::new(bad, None, None)),
                "name",
                "{bad}"
            );
        }
    }

    #[test]
    fn tags_and_deletion_protection() {
        let tags = |k: &str, v: &str| Some(vec![(k.to_owned(), v.to_owned())]);
        assert!(CreateIndexFromBackup::new("x", tags("env_1-a", "a;b@c_d-e.f+g h"), None).is_ok());
        assert!(CreateIndexFromBackup::new("x", tags("k", ""), None).is_ok());
        assert!(
            CreateIndexFromBackup::new("x", tags(&"k".repeat(80), &"v".repeat(120)), None).is_ok()
        );
        for (k, v) in [
            ("", "v"),
            ("a b", "v"),
            (&*"k".repeat(81), "v"),
            ("k", "a/b"),
            ("k", &*"v".repeat(121)),
        ] {
            assert_eq!(
                param(CreateIndexFromBackup::new("x", tags(k, v), None)),
                "tags"
            );
        }
        assert_eq!(
            param(CreateIndexFromBackup::new("x", None, Some("on".into()))),
            "deletion_protection"
        );
        let body = CreateIndexFromBackup::new("x", tags("a", "1"), Some("enabled".into())).unwrap();
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"name":"x","tags":{"a":"1"},"deletion_protection":"enabled"}"#
        );
        assert_eq!(
            serde_json::to_string(&CreateBackup::default()).unwrap(),
            "{}"
        );
        assert_eq!(param(validate_id("", "backup_id")), "backup_id");
        assert_eq!(param(validate_id("..", "job_id")), "job_id");
    }
}
