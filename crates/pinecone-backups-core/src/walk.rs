//! Driving a [`Pager`] with a [`Client`]: the one loop that fetches pages, for the Rust stream
//! and for the Python iterators.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::Stream;

use crate::client::Client;
use crate::error::Result;
use crate::models::Item;
use crate::page::Page;
use crate::pager::{Pager, Step};

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
            let page = client.send::<Page<T>>(&request).await?;
            self.pager().feed(page)?;
        }
    }
}

/// Every item of a walk, as a stream.
pub fn stream<T: Item>(
    client: Client,
    pager: Pager<T>,
) -> impl Stream<Item = Result<T>> + Send + 'static {
    let walk = Arc::new(Walk::new(pager));
    futures_util::stream::try_unfold((client, walk), |(client, walk)| async move {
        Ok(walk
            .next(&client, Pager::next_item)
            .await?
            .map(|item| (item, (client, walk))))
    })
}
