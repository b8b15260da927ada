//! The arguments of `list_index_backups`, validated before anything is sent.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::{InvalidArgument, Result};

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Everything but RFC 3986 unreserved characters is encoded, so an index name is exactly one path
/// segment (`a/b` is sent as `a%2Fb`) and a token survives any character (`+`, `/`, `=`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One `GET /indexes/{index_name}/backups` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    index_name: String,
    limit: Option<u32>,
    pagination_token: Option<String>,
}

impl ListRequest {
    /// Validates the arguments: a non-empty index name, a `limit` in 1..=100 when given, and a
    /// non-empty token when given.
    pub fn new(
        index_name: impl Into<String>,
        limit: Option<i64>,
        pagination_token: Option<String>,
    ) -> Result<ListRequest> {
        let index_name = index_name.into();
        validate_index_name(&index_name)?;
        let limit = limit.map(|l| validate_page_size(l, "limit")).transpose()?;
        if pagination_token.as_deref() == Some("") {
            return Err(InvalidArgument::value(
                "pagination_token",
                "pagination_token must be a non-empty string or None",
            ));
        }
        Ok(ListRequest {
            index_name,
            limit,
            pagination_token,
        })
    }

    pub fn index_name(&self) -> &str {
        &self.index_name
    }
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }
    pub fn pagination_token(&self) -> Option<&str> {
        self.pagination_token.as_deref()
    }

    /// The request path, percent-encoded (`/indexes/a%2Fb/backups`).
    pub fn path(&self) -> String {
        format!(
            "/indexes/{}/backups",
            utf8_percent_encode(&self.index_name, COMPONENT)
        )
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
            url.push_str(&format!(
                "{separator}paginationToken={}",
                utf8_percent_encode(token, COMPONENT)
            ));
        }
        url
    }
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
    }
}
