//! Walking every page: a state machine without I/O, shared by every iterator (the Rust stream,
//! and the Python sync and async iterators), so the rules live in one place:
//! - the first request sends `limit` = `page_size` (or `max_items` when smaller); later requests
//!   send only the token, which carries the page size. A walk resumed from a token sends no
//!   `limit` at all.
//! - at most `max_items` backups are handed out, and no page is fetched once they have been.
//! - [`Pager::next_token`] is where to resume: the token of the page after the last page whose
//!   items were all handed out.
//! - a token seen before in the walk (answered with itself, or A, B, A...) is an error, not an
//!   endless loop.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::client::Client;
use crate::error::{Cycle, DecodeError, Error, InvalidArgument, Result};
use crate::models::{Backup, RestoreJob};
use crate::page::{Page, Pagination};
use crate::request::{validate_page_size, ListRequest, Listing, MAX_PAGE_SIZE};

/// An item of a list: what identifies it, and whether a walk must drop repeats.
pub trait Item: for<'de> serde::Deserialize<'de> + Send + 'static {
    /// The identifier (`backup_id`, `restore_job_id`).
    fn item_id(&self) -> &str;
    /// The server is known to repeat items on later pages: hand out each id once.
    const UNIQUE: bool;
}

impl Item for Backup {
    fn item_id(&self) -> &str {
        &self.backup_id
    }
    const UNIQUE: bool = false;
}

impl Item for RestoreJob {
    fn item_id(&self) -> &str {
        &self.restore_job_id
    }
    /// `list_restore_jobs` has been seen to repeat a job on a later page.
    const UNIQUE: bool = true;
}

/// How to walk the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IterOptions {
    /// Items per page, 1..=100.
    pub page_size: i64,
    /// Stop after this many items (`None`: all of them).
    pub max_items: Option<i64>,
    /// Start from this token instead of the first page.
    pub pagination_token: Option<String>,
}

impl Default for IterOptions {
    fn default() -> Self {
        IterOptions {
            page_size: i64::from(MAX_PAGE_SIZE),
            max_items: None,
            pagination_token: None,
        }
    }
}

/// What to do next.
#[derive(Debug)]
pub enum Step<T> {
    /// Here is the next item (or page).
    Ready(T),
    /// Send this request and [`Pager::feed`] the page it returns, then ask again.
    Fetch(ListRequest),
    /// The walk is over.
    Done,
}

#[derive(Debug, Clone)]
enum Cursor {
    /// Nothing fetched yet; the token to start from, if any.
    Start(Option<String>),
    /// The token of the next page.
    Next(String),
    /// The last page has been fetched.
    End,
}

/// The pagination state of one walk over a list.
#[derive(Debug, Clone)]
pub struct Pager<T> {
    listing: Listing,
    page_size: u32,
    max_items: Option<u64>,
    handed_out: u64,
    cursor: Cursor,
    /// Items of the current page not handed out yet.
    buffer: VecDeque<T>,
    /// The ids handed out so far, for lists whose items must be unique ([`Item::UNIQUE`]).
    seen: HashSet<String>,
    /// The token that fetched the current page (`None` for the first page).
    page_token: Option<String>,
    /// The current page was fetched and not yet handed out as a page.
    fresh: bool,
    /// Pages fed so far.
    pages: u32,
    /// Every token of the walk, with the page that gave it (0: the token it started from).
    tokens: HashMap<String, u32>,
}

impl<T: Item> Pager<T> {
    /// A walk over the backups of an index.
    pub fn new(index_name: impl Into<String>, options: IterOptions) -> Result<Pager<T>> {
        Pager::of(Listing::IndexBackups(index_name.into()), options)
    }

    /// Validates the options (`page_size` in 1..=100, `max_items` >= 0, a non-empty token, a
    /// valid index name).
    pub fn of(listing: Listing, options: IterOptions) -> Result<Pager<T>> {
        // Checks the index name and the token as the requests will.
        ListRequest::of(listing.clone(), None, options.pagination_token.clone())?;
        let page_size = validate_page_size(options.page_size, "page_size")?;
        let max_items = match options.max_items {
            Some(max) if max < 0 => {
                return Err(InvalidArgument::value(
                    "max_items",
                    format!("max_items must be 0 or more (or None for all), got {max}"),
                ))
            }
            other => other.map(|max| max as u64),
        };
        let tokens = options
            .pagination_token
            .iter()
            .map(|token| (token.clone(), 0))
            .collect();
        Ok(Pager {
            listing,
            page_size,
            max_items,
            handed_out: 0,
            pages: 0,
            tokens,
            cursor: Cursor::Start(options.pagination_token),
            buffer: VecDeque::new(),
            seen: HashSet::new(),
            page_token: None,
            fresh: false,
        })
    }

    pub fn listing(&self) -> &Listing {
        &self.listing
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
            return self.page_token.as_deref();
        }
        match &self.cursor {
            Cursor::Start(token) => token.as_deref(),
            Cursor::Next(token) => Some(token),
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
                    Some(max) => max.clamp(1, u64::from(self.page_size)) as u32,
                    None => self.page_size,
                };
                Step::Fetch(self.request(Some(limit), None))
            }
            Cursor::Start(Some(token)) | Cursor::Next(token) => {
                Step::Fetch(self.request(None, Some(token.clone())))
            }
        }
    }

    fn request(&self, limit: Option<u32>, token: Option<String>) -> ListRequest {
        ListRequest::of(self.listing.clone(), limit.map(i64::from), token)
            .expect("the pager validated its arguments")
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
                    next: token.clone(),
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
            Some(Pagination { next }) => Cursor::Next(next),
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

/// One walk shared by an iterator and its pages view, by threads and by tasks: the pager is
/// locked only briefly (never across a request), and one fetch runs at a time, so concurrent
/// callers fetch each page once.
#[derive(Debug)]
pub struct Walk<T> {
    pager: Mutex<Pager<T>>,
    fetching: tokio::sync::Mutex<()>,
}

impl<T: Item> Walk<T> {
    pub fn new(pager: Pager<T>) -> Walk<T> {
        Walk {
            pager: Mutex::new(pager),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The pager, for reading its state (`next_token`, `handed_out`...).
    pub fn pager(&self) -> MutexGuard<'_, Pager<T>> {
        self.pager.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next item or page when it is at hand (`Some(Some(x))`), the end of the walk
    /// (`Some(None)`), or `None` when a page must be fetched first (call [`Walk::next`]).
    pub fn now<U>(&self, step: fn(&mut Pager<T>) -> Step<U>) -> Option<Option<U>> {
        match step(&mut self.pager()) {
            Step::Ready(item) => Some(Some(item)),
            Step::Done => Some(None),
            Step::Fetch(_) => None,
        }
    }

    /// The next item (`step` = [`Pager::next_item`]) or page ([`Pager::next_page`]), fetching
    /// pages with `client` as needed; `None` at the end of the walk.
    pub async fn next<U>(
        &self,
        client: &Client,
        step: fn(&mut Pager<T>) -> Step<U>,
    ) -> Result<Option<U>> {
        let _fetching = self.fetching.lock().await;
        loop {
            let request = match step(&mut self.pager()) {
                Step::Ready(item) => return Ok(Some(item)),
                Step::Done => return Ok(None),
                Step::Fetch(request) => request,
            };
            let page = client.list::<T>(&request).await?;
            self.pager().feed(page)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::BackupList;

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
    fn serve(request: &ListRequest, total: usize) -> BackupList {
        let (offset, size) = match request.pagination_token() {
            Some(token) => {
                let (o, s) = token.split_once(':').unwrap();
                (o.parse().unwrap(), s.parse().unwrap())
            }
            None => (0, request.limit().unwrap_or(10) as usize),
        };
        let end = (offset + size).min(total);
        BackupList {
            data: (offset..end).map(backup).collect(),
            pagination: (end < total).then(|| Pagination {
                next: format!("{end}:{size}"),
            }),
        }
    }

    fn walk(
        pager: &mut Pager<Backup>,
        total: usize,
        requests: &mut Vec<ListRequest>,
    ) -> Vec<String> {
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

    fn options(page_size: i64, max_items: Option<i64>, token: Option<&str>) -> IterOptions {
        IterOptions {
            page_size,
            max_items,
            pagination_token: token.map(str::to_owned),
        }
    }

    #[test]
    fn walks_every_page_sending_limit_only_first() {
        let mut pager = Pager::<Backup>::new("idx", options(10, None, None)).unwrap();
        let mut requests = Vec::new();
        let ids = walk(&mut pager, 25, &mut requests);
        assert_eq!(ids.len(), 25);
        assert_eq!(ids[24], "b24");
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0].limit(), Some(10));
        assert_eq!(requests[0].pagination_token(), None);
        assert_eq!(requests[1].limit(), None);
        assert_eq!(requests[1].pagination_token(), Some("10:10"));
        assert_eq!(requests[2].pagination_token(), Some("20:10"));
        assert!(pager.is_done());
        assert_eq!(pager.next_token(), None);
    }

    #[test]
    fn max_items_stops_early_and_next_token_resumes() {
        let mut pager = Pager::<Backup>::new("idx", options(10, Some(15), None)).unwrap();
        let mut requests = Vec::new();
        let ids = walk(&mut pager, 25, &mut requests);
        assert_eq!(ids.len(), 15);
        assert_eq!(requests.len(), 2, "no page is fetched past max_items");
        // Page 2 (items 10..20) was handed out only in part: resume from its token.
        assert_eq!(pager.next_token(), Some("10:10"));
        let mut resumed =
            Pager::<Backup>::new("idx", options(10, None, pager.next_token())).unwrap();
        let mut requests = Vec::new();
        let rest = walk(&mut resumed, 25, &mut requests);
        assert_eq!(rest.first().map(String::as_str), Some("b10"));
        assert_eq!(rest.len(), 15);
        assert_eq!(requests[0].limit(), None, "a resumed walk sends no limit");
    }

    #[test]
    fn next_token_at_page_boundaries() {
        let mut pager = Pager::<Backup>::new("idx", options(10, Some(20), None)).unwrap();
        walk(&mut pager, 25, &mut Vec::new());
        assert_eq!(pager.next_token(), Some("20:10"));
        let pager = Pager::<Backup>::new("idx", options(10, None, Some("5:10"))).unwrap();
        assert_eq!(pager.next_token(), Some("5:10"));
    }

    #[test]
    fn small_max_items_asks_for_a_small_first_page() {
        let mut pager = Pager::<Backup>::new("idx", options(100, Some(3), None)).unwrap();
        let mut requests = Vec::new();
        assert_eq!(walk(&mut pager, 25, &mut requests).len(), 3);
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].limit(), Some(3));
        assert_eq!(pager.next_token(), Some("3:3"));
        let mut none = Pager::<Backup>::new("idx", options(100, Some(0), None)).unwrap();
        assert!(matches!(none.next_item(), Step::Done));
        assert!(matches!(none.next_page(), Step::Done));
    }

    #[test]
    fn pages_are_cut_to_max_items_and_share_the_cursor() {
        let mut pager = Pager::<Backup>::new("idx", options(10, Some(25), None)).unwrap();
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
        let mut pager = Pager::<Backup>::new("idx", options(10, None, None)).unwrap();
        let Step::Fetch(request) = pager.next_page() else {
            panic!()
        };
        pager.feed(serve(&request, 0)).unwrap();
        match pager.next_page() {
            Step::Ready(page) => assert!(page.data.is_empty() && page.pagination.is_none()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(pager.next_page(), Step::Done));
        let mut pager = Pager::<Backup>::new("idx", options(10, None, None)).unwrap();
        assert_eq!(walk(&mut pager, 0, &mut Vec::new()).len(), 0);
    }

    #[test]
    fn a_repeated_token_is_an_error() {
        let mut pager = Pager::<Backup>::new("idx", options(10, None, Some("t"))).unwrap();
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
            let mut pager = Pager::<Backup>::new("idx", options(10, None, None)).unwrap();
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
        let param = |o: IterOptions| match Pager::<Backup>::new("idx", o) {
            Err(Error::InvalidArgument(arg)) => arg.param,
            other => panic!("{other:?}"),
        };
        assert_eq!(param(options(0, None, None)), "page_size");
        assert_eq!(param(options(101, None, None)), "page_size");
        assert_eq!(param(options(10, Some(-1), None)), "max_items");
        assert_eq!(param(options(10, None, Some(""))), "pagination_token");
        assert!(matches!(
            Pager::<Backup>::new("", IterOptions::default()),
            Err(Error::InvalidArgument(_))
        ));
    }
}
