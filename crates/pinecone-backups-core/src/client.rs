//! The client: the transport, and what a handle adds to it (a deadline, a scope that can be
//! closed). Its operation methods are generated from the declarations in
//! [`operations`](crate::operations); each one is [`Client::call`].

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::operations::Operation;
use crate::transport::Transport;
use crate::wire::{Decode, Request};

/// A client of the backup API. Cheap to clone (the connection pool is shared), and safe to use
/// from many tasks at once.
///
/// ```no_run
/// # async fn demo() -> pinecone_backups_core::Result<()> {
/// use pinecone_backups_core::args::{Arg, Limit};
/// use pinecone_backups_core::{Client, Config, Int, ListIndexBackups};
/// let client = Client::new(Config::builder().api_key("...").build()?)?;
/// let mut list = ListIndexBackups::new("docs-example")?;
/// list.limit = Some(Limit::parse(Int::Small(10), "limit")?);
/// let page = client.list_index_backups(&list).await?;
/// for backup in &page.data {
///     println!("{} {}", backup.backup_id, backup.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    transport: Arc<Transport>,
    /// The latest a call of this handle may end ([`Client::with_deadline`]).
    call_deadline: Option<tokio::time::Instant>,
    /// Cancelled when the client (or the scope of this handle) is closed.
    closed: CancellationToken,
}

impl Client {
    /// Builds the connection pool. Needs no runtime; requests need a tokio runtime with IO and
    /// time drivers.
    pub fn new(config: Config) -> Result<Client> {
        Ok(Client {
            transport: Arc::new(Transport::new(config)?),
            call_deadline: None,
            closed: CancellationToken::new(),
        })
    }

    pub fn config(&self) -> &Config {
        self.transport.config()
    }

    /// Closes the client: every call in flight, of this client and of the handles made from it
    /// ([`Client::scoped`], [`Client::with_deadline`]), ends at once with [`Error::Closed`], and
    /// so does every later call.
    pub fn close(&self) {
        self.closed.cancel();
    }

    /// Whether [`Client::close`] was called (on this handle, or one it was made from).
    pub fn is_closed(&self) -> bool {
        self.closed.is_cancelled()
    }

    /// The same client (its connections shared), whose own [`Client::close`] closes only the
    /// calls made through it: closing the client it was made from closes it too.
    #[must_use]
    pub fn scoped(&self) -> Client {
        Client {
            closed: self.closed.child_token(),
            ..self.clone()
        }
    }

    /// The same client (its connections shared), whose calls end by `at` at the latest, retries
    /// and waits for a turn included, with a timeout error (on top of the configured
    /// `deadline`, whichever comes first).
    #[must_use]
    pub fn with_deadline(&self, at: tokio::time::Instant) -> Client {
        Client {
            call_deadline: Some(self.call_deadline.map_or(at, |mine| mine.min(at))),
            ..self.clone()
        }
    }

    /// Runs an operation: retried as its declaration and the configuration's
    /// [`RetryPolicy`](crate::RetryPolicy) say, within the deadlines, until the client is
    /// closed.
    pub async fn call<O: Operation>(&self, operation: &O) -> Result<O::Output> {
        operation.check(self.config().api_version())?;
        self.send(&operation.request()).await
    }

    /// Sends a request made by an operation (a page of a walk).
    pub async fn send<T: Decode>(&self, request: &Request) -> Result<T> {
        if self.closed.is_cancelled() {
            return Err(Error::Closed);
        }
        self.closed
            .run_until_cancelled(self.transport.send(request, self.call_deadline))
            .await
            .unwrap_or(Err(Error::Closed))
    }
}
