//! Walking every page: a state machine without I/O, shared by every iterator (the Rust stream,
//! and the Python sync and async iterators; [`Walk`](crate::Walk) drives it), so the rules live
//! in one place:
//! - the first request sends `limit` = `page_size` (or `max_items` when smaller); later requests
//!   send only the token, which carries the page size. A walk resumed from a token sends no
//!   `limit` at all.
//! - at most `max_items` backups are handed out, and no page is fetched once they have been.
//! - [`Pager::next_token`] is where to resume: the token of the page after the last page whose
//!   items were all handed out.
//! - a token seen before in the walk (answered with itself, or A, B, A...) is an error, not an
//!   endless loop.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::Arc;

use crate::args::{Limit, MaxItems, Token};
use crate::error::{Cycle, DecodeError, Error, Result};
use crate::models::Item;
use crate::operations::ListOperation;
use crate::page::{Page, Pagination};
use crate::wire::Request;

/// How to walk the pages (the token to start from is the list operation's
/// `pagination_token`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IterOptions {
    /// Items per page.
    pub page_size: Limit,
    /// Stop after this many items (`None`: all of them).
    pub max_items: Option<MaxItems>,
}

impl Default for IterOptions {
    fn default() -> Self {
        IterOptions {
            page_size: Limit::MAX,
            max_items: None,
        }
    }
}

/// What to do next.
#[derive(Debug)]
pub enum Step<T> {
    /// Here is the next item (or page).
    Ready(T),
    /// Send this request and [`Pager::feed`] the page it returns, then ask again.
    Fetch(Request),
    /// The walk is over.
    Done,
}

/// Makes the request for one page of a list: `limit` items from a token.
type PageRequest = Arc<dyn Fn(Option<Limit>, Option<Token>) -> Request + Send + Sync>;

#[derive(Debug, Clone)]
enum Cursor {
    /// Nothing fetched yet; the token to start from, if any.
    Start(Option<Token>),
    /// The token of the next page.
    Next(Token),
    /// The last page has been fetched.
    End,
}

/// The pagination state of one walk over a list.
#[derive(Clone)]
pub struct Pager<T> {
    page_request: PageRequest,
    /// What is listed (the path's arguments), for display.
    subject: Vec<(&'static str, String)>,
    page_size: u32,
    max_items: Option<u64>,
    handed_out: u64,
    cursor: Cursor,
    /// Items of the current page not handed out yet.
    buffer: VecDeque<T>,
    /// The ids handed out so far, for lists whose items must be unique ([`Item::UNIQUE`]).
    seen: HashSet<String>,
    /// The token that fetched the current page (`None` for the first page).
    page_token: Option<Token>,
    /// The current page was fetched and not yet handed out as a page.
    fresh: bool,
    /// Pages fed so far.
    pages: u32,
    /// Every token of the walk, with the page that gave it (0: the token it started from).
    tokens: HashMap<String, u32>,
}

impl<T> fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("subject", &self.subject)
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("handed_out", &self.handed_out)
            .field("cursor", &self.cursor)
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<T: Item> Pager<T> {
    /// A walk over the list `operation` (whose `limit` is ignored: the walk's `page_size` and
    /// `max_items` say how much to ask for), from its `pagination_token` when it has one. The
    /// operation and the page size are checked against API `version` (the client's) before
    /// anything is sent.
    pub fn new<O: ListOperation<Item = T> + Send + Sync + 'static>(
        operation: O,
        options: IterOptions,
        version: &str,
    ) -> Result<Pager<T>> {
        operation.check(version)?;
        crate::args::Arg::check(&options.page_size, "page_size", version)?;
        let start = operation.pagination_token().cloned();
        let subject = operation.subject();
        let tokens = start
            .iter()
            .map(|token| (token.as_str().to_owned(), 0))
            .collect();
        let page_request: PageRequest =
            Arc::new(move |limit, token| operation.page(limit, token).request());
        Ok(Pager {
            page_request,
            subject,
            page_size: options.page_size.get(),
            max_items: options.max_items.map(MaxItems::get),
            handed_out: 0,
            pages: 0,
            tokens,
            cursor: Cursor::Start(start),
            buffer: VecDeque::new(),
            seen: HashSet::new(),
            page_token: None,
            fresh: false,
        })
    }

    /// What is listed: the arguments of the list's path (`[("index_name", "docs")]`).
    pub fn subject(&self) -> &[(&'static str, String)] {
        &self.subject
    }
    pub fn page_size(&self) -> u32 {
        self.page_size
    }
    pub fn max_items(&self) -> Option<u64> {
        self.max_items
    }
    /// How many backups have been handed out so far.
    pub fn handed_out(&self) -> u64 {
        self.handed_out
    }

    /// Where to resume a walk: the token of the page after the last page fully handed out. Before
    /// the first item it is the starting token; once everything has been handed out it is `None`.
    pub fn next_token(&self) -> Option<&str> {
        if !self.buffer.is_empty() {
            return self.page_token.as_ref().map(Token::as_str);
        }
        match &self.cursor {
            Cursor::Start(token) => token.as_ref().map(Token::as_str),
            Cursor::Next(token) => Some(token.as_str()),
            Cursor::End => None,
        }
    }

    /// `true` once nothing more will be handed out.
    pub fn is_done(&self) -> bool {
        self.remaining() == Some(0)
            || (self.buffer.is_empty() && matches!(self.cursor, Cursor::End))
    }

    fn remaining(&self) -> Option<u64> {
        self.max_items
            .map(|max| max.saturating_sub(self.handed_out))
    }

    fn fetch<U>(&self) -> Step<U> {
        match &self.cursor {
            Cursor::End => Step::Done,
            Cursor::Start(None) => {
                let limit = match self.max_items {
                    Some(max) => Limit::clamped(max.min(u64::from(self.page_size))),
                    None => Limit::clamped(u64::from(self.page_size)),
                };
                Step::Fetch((self.page_request)(Some(limit), None))
            }
            Cursor::Start(Some(token)) | Cursor::Next(token) => {
                Step::Fetch((self.page_request)(None, Some(token.clone())))
            }
        }
    }

    /// The next item, or the request that will fetch it.
    pub fn next_item(&mut self) -> Step<T> {
        if self.remaining() == Some(0) {
            return Step::Done;
        }
        match self.buffer.pop_front() {
            Some(backup) => {
                self.fresh = false;
                self.handed_out += 1;
                Step::Ready(backup)
            }
            None => self.fetch(),
        }
    }

    /// The next page (what is left of the current one first), cut to `max_items`; or the request
    /// that will fetch it. Pages are handed out as the server sent them, empty ones included.
    pub fn next_page(&mut self) -> Step<Page<T>> {
        if self.remaining() == Some(0) {
            return Step::Done;
        }
        if self.fresh || !self.buffer.is_empty() {
            self.fresh = false;
            let take = match self.remaining() {
                Some(remaining) => (remaining as usize).min(self.buffer.len()),
                None => self.buffer.len(),
            };
            self.handed_out += take as u64;
            let pagination = match &self.cursor {
                Cursor::Next(token) => Some(Pagination {
                    next: token.as_str().to_owned(),
                }),
                _ => None,
            };
            return Step::Ready(Page {
                data: self.buffer.drain(..take).collect(),
                pagination,
            });
        }
        match self.fetch::<()>() {
            Step::Fetch(request) => Step::Fetch(request),
            _ => Step::Done,
        }
    }

    /// Takes in the page answering the last [`Step::Fetch`].
    pub fn feed(&mut self, page: Page<T>) -> Result<()> {
        let requested = match &self.cursor {
            Cursor::Start(token) => token.clone(),
            Cursor::Next(token) => Some(token.clone()),
            Cursor::End => None,
        };
        self.pages += 1;
        if let Some(Pagination { next }) = &page.pagination {
            if let Some(&first_page) = self.tokens.get(next) {
                return Err(cycle_error(Cycle {
                    page: self.pages,
                    first_page,
                }));
            }
            self.tokens.insert(next.clone(), self.pages);
        }
        self.page_token = requested;
        self.cursor = match page.pagination {
            // A page's token is never empty (an empty one reads as the last page).
            Some(Pagination { next }) => Cursor::Next(Token::from_page(next)),
            None => Cursor::End,
        };
        self.buffer = page.data.into();
        if T::UNIQUE {
            let seen = &mut self.seen;
            self.buffer
                .retain(|item| seen.insert(item.item_id().to_owned()));
        }
        self.fresh = true;
        Ok(())
    }
}

/// The error for a walk that was given a token it had seen before.
fn cycle_error(cycle: Cycle) -> Error {
    let Cycle { page, first_page } = cycle;
    let earlier = match first_page {
        0 => "the token the walk started from".to_owned(),
        n => format!("the one of page {n}"),
    };
    let same = if first_page + 1 == page {
        " (the server answered a token with the same token)"
    } else {
        ""
    };
    Error::Decode(Box::new(DecodeError {
        status: 200,
        reason: format!(
            "the pagination token of page {page} repeats {earlier}{same}: the server's pages go \
             round in a cycle; stopping rather than fetching them for ever"
        ),
        attempts: 1,
        cycle: Some(cycle),
        ..DecodeError::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Arg, IndexName};
    use crate::json::Int;
    use crate::models::Backup;
    use crate::operations::ListIndexBackups;
    use crate::page::BackupList;

    fn query<'a>(request: &'a Request, key: &str) -> Option<&'a str> {
        request
            .query
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
    fn limit(request: &Request) -> Option<u32> {
        query(request, "limit").map(|l| l.parse().unwrap())
    }
    fn token(request: &Request) -> Option<&str> {
        query(request, "paginationToken")
    }

    fn backup(id: usize) -> Backup {
        Backup::new(
            format!("b{id}"),
            "idx",
            "idx-id",
            "Ready",
            "aws",
            "us-east-1",
        )
    }

    /// A fake server: `total` backups, pages of the token's size, tokens "offset:size".
    fn serve(request: &Request, total: usize) -> BackupList {
        let (offset, size) = match token(request) {
            Some(token) => {
                let (o, s) = token.split_once(':').unwrap();
                (o.parse().unwrap(), s.parse().unwrap())
            }
            None => (0, limit(request).unwrap_or(10) as usize),
        };
        let end = (offset + size).min(total);
        BackupList {
            data: (offset..end).map(backup).collect(),
            pagination: (end < total).then(|| Pagination {
                next: format!("{end}:{size}"),
            }),
        }
    }

    fn walk(pager: &mut Pager<Backup>, total: usize, requests: &mut Vec<Request>) -> Vec<String> {
        let mut ids = Vec::new();
        loop {
            match pager.next_item() {
                Step::Ready(b) => ids.push(b.backup_id),
                Step::Done => return ids,
                Step::Fetch(request) => {
                    pager.feed(serve(&request, total)).unwrap();
                    requests.push(request);
                }
            }
        }
    }

    /// A walk over the backups of index `idx`, or the argument at fault.
    fn walk_of(
        page_size: i64,
        max_items: Option<i64>,
        token: Option<&str>,
    ) -> Result<Pager<Backup>> {
        let op = ListIndexBackups {
            index_name: IndexName::parse("idx".into(), "index_name")?,
            limit: None,
            pagination_token: token
                .map(|t| Token::parse(t.to_owned(), "pagination_token"))
                .transpose()?,
            include_deleted: None,
        };
        let options = IterOptions {
            page_size: Limit::parse(Int::Small(page_size), "page_size")?,
            max_items: max_items
                .map(|m| MaxItems::parse(Int::Small(m), "max_items"))
                .transpose()?,
        };
        Pager::new(op, options, crate::config::API_VERSION)
    }

    #[test]
    fn walks_every_page_sending_limit_only_first() {
        let mut pager = walk_of(10, None, None).unwrap();
        let mut requests = Vec::new();
        let ids = walk(&mut pager, 25, &mut requests);
        assert_eq!(ids.len(), 25);
        assert_eq!(ids[24], "b24");
        assert_eq!(requests.len(), 3);
        assert_eq!(limit(&requests[0]), Some(10));
        assert_eq!(token(&requests[0]), None);
        assert_eq!(limit(&requests[1]), None);
        assert_eq!(token(&requests[1]), Some("10:10"));
        assert_eq!(token(&requests[2]), Some("20:10"));
        assert!(pager.is_done());
        assert_eq!(pager.next_token(), None);
    }

    #[test]
    fn max_items_stops_early_and_next_token_resumes() {
        let mut pager = walk_of(10, Some(15), None).unwrap();
        let mut requests = Vec::new();
        let ids = walk(&mut pager, 25, &mut requests);
        assert_eq!(ids.len(), 15);
        assert_eq!(requests.len(), 2, "no page is fetched past max_items");
        // Page 2 (items 10..20) was handed out only in part: resume from its token.
        assert_eq!(pager.next_token(), Some("10:10"));
        let mut resumed = walk_of(10, None, pager.next_token()).unwrap();
        let mut requests = Vec::new();
        let rest = walk(&mut resumed, 25, &mut requests);
        assert_eq!(rest.first().map(String::as_str), Some("b10"));
        assert_eq!(rest.len(), 15);
        assert_eq!(limit(&requests[0]), None, "a resumed walk sends no limit");
    }

    #[test]
    fn next_token_at_page_boundaries() {
        let mut pager = walk_of(10, Some(20), None).unwrap();
        walk(&mut pager, 25, &mut Vec::new());
        assert_eq!(pager.next_token(), Some("20:10"));
        let pager = walk_of(10, None, Some("5:10")).unwrap();
        assert_eq!(pager.next_token(), Some("5:10"));
    }

    #[test]
    fn small_max_items_asks_for_a_small_first_page() {
        let mut pager = walk_of(100, Some(3), None).unwrap();
        let mut requests = Vec::new();
        assert_eq!(walk(&mut pager, 25, &mut requests).len(), 3);
        assert_eq!(requests.len(), 1);
        assert_eq!(limit(&requests[0]), Some(3));
        assert_eq!(pager.next_token(), Some("3:3"));
        let mut none = walk_of(100, Some(0), None).unwrap();
        assert!(matches!(none.next_item(), Step::Done));
        assert!(matches!(none.next_page(), Step::Done));
    }

    #[test]
    fn pages_are_cut_to_max_items_and_share_the_cursor() {
        let mut pager = walk_of(10, Some(25), None).unwrap();
        let mut sizes = Vec::new();
        // Take one item first: the first page handed out is the rest of page 1.
        loop {
            match pager.next_item() {
                Step::Fetch(request) => pager.feed(serve(&request, 40)).unwrap(),
                Step::Ready(_) => break,
                Step::Done => unreachable!(),
            }
        }
        loop {
            match pager.next_page() {
                Step::Ready(page) => sizes.push(page.data.len()),
                Step::Fetch(request) => pager.feed(serve(&request, 40)).unwrap(),
                Step::Done => break,
            }
        }
        assert_eq!(sizes, vec![9, 10, 5]);
        assert_eq!(pager.handed_out(), 25);
    }

    #[test]
    fn empty_pages() {
        let mut pager = walk_of(10, None, None).unwrap();
        let Step::Fetch(request) = pager.next_page() else {
            panic!()
        };
        pager.feed(serve(&request, 0)).unwrap();
        match pager.next_page() {
            Step::Ready(page) => assert!(page.data.is_empty() && page.pagination.is_none()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(pager.next_page(), Step::Done));
        let mut pager = walk_of(10, None, None).unwrap();
        assert_eq!(walk(&mut pager, 0, &mut Vec::new()).len(), 0);
    }

    #[test]
    fn a_repeated_token_is_an_error() {
        let mut pager = walk_of(10, None, Some("t")).unwrap();
        let Step::Fetch(_) = pager.next_item() else {
            panic!()
        };
        let page = BackupList {
            data: vec![backup(1)],
            pagination: Some(Pagination { next: "t".into() }),
        };
        match pager.feed(page) {
            Err(Error::Decode(err)) => assert_eq!(
                err.cycle,
                Some(Cycle {
                    page: 1,
                    first_page: 0
                })
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn any_cycle_of_tokens_ends_the_walk() {
        for (tokens, page, first_page) in [
            (&["A", "B", "A"][..], 3, 1),
            (&["A", "B", "C", "A"][..], 4, 1),
            (&["A", "A"][..], 2, 1),
            (&["A", "B", "B"][..], 3, 2),
        ] {
            let mut pager = walk_of(10, None, None).unwrap();
            let mut fed = 0;
            let error = loop {
                match pager.next_item() {
                    Step::Ready(_) => {}
                    Step::Done => panic!("the walk ended: {tokens:?}"),
                    Step::Fetch(_) => {
                        let page = BackupList {
                            data: vec![backup(fed)],
                            pagination: Some(Pagination {
                                next: tokens[fed].into(),
                            }),
                        };
                        fed += 1;
                        if let Err(error) = pager.feed(page) {
                            break error;
                        }
                    }
                }
            };
            let Error::Decode(error) = error else {
                panic!("{error:?}")
            };
            assert_eq!(error.cycle, Some(Cycle { page, first_page }), "{tokens:?}");
            assert!(
                error.reason.contains(&format!("page {page} repeats")),
                "{}",
                error.reason
            );
        }
    }

    #[test]
    fn bad_options() {
        let param = |r: Result<Pager<Backup>>| match r {
            Err(Error::InvalidArgument(arg)) => arg.param,
            other => panic!("{other:?}"),
        };
        assert_eq!(param(walk_of(0, None, None)), "page_size");
        assert_eq!(param(walk_of(101, None, None)), "page_size");
        assert_eq!(param(walk_of(10, Some(-1), None)), "max_items");
        assert_eq!(param(walk_of(10, None, Some(""))), "pagination_token");
    }
}
