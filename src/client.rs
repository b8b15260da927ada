//! The native `Client` and `AsyncClient`: a method per operation and per iterator of the core's
//! one table (`pinecone_backups_core::for_each_operation!`), generated for both classes by
//! [`py_clients!`]; the sync class blocks on the shared runtime with the GIL released, the async
//! one returns coroutine objects. The package's `Client` and `AsyncClient` are Python subclasses
//! of these, which add the waits and `prune`.

use std::future::Future;
use std::sync::Arc;

use pinecone_backups_core as core;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyTuple};

use crate::aio::{ready, spawn, Call, Outcome};
use crate::errors::CoreResultExt;
use crate::iter::Iterators;
use crate::models::IntoPyModel;
use crate::options::{ClientArgs, RetryLogging};
use crate::runtime;
use crate::session::ClientCore;

impl Client {
    /// Runs one core call to completion, blocking with the GIL released (interruptible).
    fn run<'py, T, F, Fut>(&self, py: Python<'py>, call: F) -> PyResult<Bound<'py, PyAny>>
    where
        T: IntoPyModel,
        F: FnOnce(core::Client) -> Fut,
        Fut: Future<Output = core::Result<T>> + Send,
    {
        let http = self.core.http(py)?;
        runtime::block_on(py, call(http))?
            .or_raise(py)?
            .into_py_model(py)
    }

    /// The sync iterator over a walk.
    fn iterate<'py, T: Iterators>(
        &self,
        py: Python<'py>,
        pager: core::Pager<T>,
    ) -> PyResult<Bound<'py, PyAny>> {
        T::blocking(py, self.core.clone(), pager)
    }
}

impl AsyncClient {
    /// A coroutine object that runs one core call when awaited.
    fn run<'py, T, F, Fut>(&self, py: Python<'py>, call: F) -> PyResult<Bound<'py, PyAny>>
    where
        T: IntoPyModel,
        F: FnOnce(core::Client) -> Fut + Send + 'static,
        Fut: Future<Output = core::Result<T>> + Send + 'static,
    {
        self.core.check_open()?;
        let core = self.core.clone();
        let call = Call::new(Box::new(move |py| {
            let http = core.http(py)?;
            spawn(py, async move { Outcome(call(http).await) })
        }));
        Ok(Bound::new(py, call)?.into_any())
    }

    /// The async iterator over a walk.
    fn iterate<'py, T: Iterators>(
        &self,
        py: Python<'py>,
        pager: core::Pager<T>,
    ) -> PyResult<Bound<'py, PyAny>> {
        T::asynchronous(py, self.core.clone(), pager)
    }
}

/// The operations' arguments from the method's Python arguments (the core checks the values).
macro_rules! operation_args {
    (
        $Args:ident;
        path { $($p:ident : $pty:ty),* }
        body { $($b:ident : $bty:ty),* }
        paging { $($pg:ident),* }
        query { $($q:ident : $qty:ty),* }
        options { $($o:ident : $oty:ty),* }
        local { $($l:ident),* }
    ) => {
        core::operations::$Args {
            $( $p: crate::args::required::<$pty>($p, stringify!($p))?, )*
            $( $b: crate::args::required::<$bty>($b, stringify!($b))?, )*
            $( $pg: crate::args::optional::<core::define_operations!(@paging_type $pg)>($pg, stringify!($pg))?, )*
            $( $q: crate::args::optional::<$qty>($q, stringify!($q))?, )*
            $( $o: crate::args::optional::<$oty>($o, stringify!($o))?, )*
            $(
                $l: crate::args::optional::<core::args::Flag>($l, stringify!($l))?
                    .unwrap_or_default(),
            )*
        }
    };
}

/// Generates the two client classes: a method per operation and per iterator of the table,
/// then the common methods (`$common`: construction, `close`, properties...) and each class's
/// own (`$extra`). pyo3 takes one `#[pymethods]` block per class, whose methods' signatures it
/// must see written out: the operations are turned into methods one at a time (`@munch`), the
/// methods gathered, and the block written at the end.
macro_rules! py_clients {
    // An operation without keyword arguments.
    (@munch $class:ident {$($extra:tt)*} [$($methods:tt)*]
        $(#[doc = $doc:literal])*
        $op:ident ($Args:ident): $method:ident $path:literal -> $out:ty {
            path { $($p:ident : $pty:ty),* $(,)? }
            body { $($b:ident : $bty:ty $(= $bkey:literal)?),* $(,)? }
            paging {}
            query {}
            options {}
            local {}
            one_of []
            success [$($status:literal),*] repeat $repeat:ident versions [$($version:literal),*]
            pages []
        }
        $($rest:tt)*
    ) => {
        py_clients!(@munch $class {$($extra)*} [$($methods)*
            $(#[doc = $doc])*
            #[pyo3(signature = ($($p,)* $($b,)*))]
            fn $op<'py>(
                slf: &Bound<'py, Self>,
                $( $p: &Bound<'py, PyAny>, )*
                $( $b: &Bound<'py, PyAny>, )*
            ) -> PyResult<Bound<'py, PyAny>> {
                let args = operation_args!($Args;
                    path { $($p : $pty),* } body { $($b : $bty),* }
                    paging {} query {} options {} local {});
                slf.get().core.check(slf.py(), &args)?;
                slf.get().run(slf.py(), move |http| async move { http.call(&args).await })
            }
        ] $($rest)*);
    };

    // An operation with keyword arguments, and no pages.
    (@munch $class:ident {$($extra:tt)*} [$($methods:tt)*]
        $(#[doc = $doc:literal])*
        $op:ident ($Args:ident): $method:ident $path:literal -> $out:ty {
            path { $($p:ident : $pty:ty),* $(,)? }
            body { $($b:ident : $bty:ty $(= $bkey:literal)?),* $(,)? }
            paging { $($pg:ident),* $(,)? }
            query { $($q:ident : $qty:ty = $qkey:literal $([since $qsince:literal])?),* $(,)? }
            options { $($o:ident : $oty:ty $(= $okey:literal)? $([since $osince:literal])?),* $(,)? }
            local { $($l:ident),* $(,)? }
            one_of [$($one:ident),* $(,)?]
            success [$($status:literal),*] repeat $repeat:ident versions [$($version:literal),*]
            pages []
        }
        $($rest:tt)*
    ) => {
        py_clients!(@munch $class {$($extra)*} [$($methods)*
            $(#[doc = $doc])*
            #[pyo3(signature = (
                $($p,)* $($b,)* *, $($pg=None,)* $($q=None,)* $($o=None,)* $($l=None,)*
            ))]
            #[allow(clippy::too_many_arguments)]
            fn $op<'py>(
                slf: &Bound<'py, Self>,
                $( $p: &Bound<'py, PyAny>, )*
                $( $b: &Bound<'py, PyAny>, )*
                $( $pg: Option<&Bound<'py, PyAny>>, )*
                $( $q: Option<&Bound<'py, PyAny>>, )*
                $( $o: Option<&Bound<'py, PyAny>>, )*
                $( $l: Option<&Bound<'py, PyAny>>, )*
            ) -> PyResult<Bound<'py, PyAny>> {
                let args = operation_args!($Args;
                    path { $($p : $pty),* } body { $($b : $bty),* } paging { $($pg),* }
                    query { $($q : $qty),* } options { $($o : $oty),* } local { $($l),* });
                slf.get().core.check(slf.py(), &args)?;
                slf.get().run(slf.py(), move |http| async move { http.call(&args).await })
            }
        ] $($rest)*);
    };

    // A list: the iterator over its pages, then the operation as any other.
    (@munch $class:ident {$($extra:tt)*} [$($methods:tt)*]
        $(#[doc = $doc:literal])*
        $op:ident ($Args:ident): $method:ident $path:literal -> $out:ty {
            path { $($p:ident : $pty:ty),* $(,)? }
            body { $($b:ident : $bty:ty $(= $bkey:literal)?),* $(,)? }
            paging { $($pg:ident),* $(,)? }
            query { $($q:ident : $qty:ty = $qkey:literal $([since $qsince:literal])?),* $(,)? }
            options { $($o:ident : $oty:ty $(= $okey:literal)? $([since $osince:literal])?),* $(,)? }
            local { $($l:ident),* $(,)? }
            one_of [$($one:ident),* $(,)?]
            success [$($status:literal),*] repeat $repeat:ident versions [$($version:literal),*]
            pages [$iter:ident : $item:ty]
        }
        $($rest:tt)*
    ) => {
        py_clients!(@munch $class {$($extra)*} [$($methods)*
            /// Every item of the list, fetched lazily `page_size` (default 100) at a time, at most
            /// `max_items`, from `pagination_token` when given.
            #[pyo3(signature = (
                $($p,)* *, $($q=None,)* page_size=None, max_items=None, pagination_token=None
            ))]
            fn $iter<'py>(
                slf: &Bound<'py, Self>,
                $( $p: &Bound<'py, PyAny>, )*
                $( $q: Option<&Bound<'py, PyAny>>, )*
                page_size: Option<&Bound<'py, PyAny>>,
                max_items: Option<&Bound<'py, PyAny>>,
                pagination_token: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let py = slf.py();
                let options = crate::args::iter_options(page_size, max_items)?;
                let args = core::operations::$Args {
                    $( $p: crate::args::required::<$pty>($p, stringify!($p))?, )*
                    $( $pg: None, )*
                    $( $q: crate::args::optional::<$qty>($q, stringify!($q))?, )*
                    $( $o: None, )*
                    $( $l: core::args::Flag::default(), )*
                };
                let token = crate::args::optional::<core::args::Token>(
                    pagination_token,
                    "pagination_token",
                )?;
                let args = core::ListOperation::page(&args, None, token);
                let version = slf.get().core.config().api_version();
                let pager = core::Pager::<$item>::new(args, options, version).or_raise(py)?;
                slf.get().iterate(py, pager)
            }
        ]
            $(#[doc = $doc])*
            $op ($Args): $method $path -> $out {
                path { $($p : $pty),* }
                body { $($b : $bty),* }
                paging { $($pg),* }
                query { $($q : $qty = $qkey),* }
                options { $($o : $oty),* }
                local { $($l),* }
                one_of [$($one),*]
                success [$($status),*] repeat $repeat versions [$($version),*]
                pages []
            }
            $($rest)*
        );
    };

    // Every operation is a method: the class.
    (@munch $class:ident {$($extra:tt)*} [$($methods:tt)*]) => {
        #[pymethods]
        impl $class {
            $($methods)*

            /// `api_key`, then every other option by keyword (see `CLIENT_OPTIONS`).
            #[new]
            #[pyo3(signature = (api_key=None, **options))]
            fn new(
                py: Python<'_>,
                api_key: Option<&Bound<'_, PyAny>>,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Self> {
                let config = ClientArgs { api_key, options }.build(
                    py,
                    stringify!($class),
                    $class::LOGGING,
                )?;
                Ok($class {
                    core: Arc::new(ClientCore::new(config)),
                })
            }

            /// Closes the connection pool: calls in flight (in other threads or tasks) and later
            /// calls raise `ClientClosedError`.
            fn close(&self) {
                self.core.close();
            }

            /// A client over this one's connections whose `close()` ends only the calls made
            /// through it (closing this client ends them too). For the package's own use.
            fn _scoped(&self, py: Python<'_>) -> PyResult<Self> {
                Ok($class::from(self.core.derive(py, core::Client::scoped)?))
            }

            /// A client over this one's connections whose every call ends within `seconds`
            /// (retries and waits included), with `PineconeTimeoutError`. For the package's own
            /// use (waits).
            fn _with_deadline(&self, py: Python<'_>, seconds: f64) -> PyResult<Self> {
                let seconds = if seconds.is_finite() { seconds.clamp(0.0, 1e9) } else { 1e9 };
                let at =
                    tokio::time::Instant::now() + std::time::Duration::from_secs_f64(seconds);
                let core = self.core.derive(py, |http| http.scoped().with_deadline(at))?;
                Ok($class::from(core))
            }

            #[getter]
            fn closed(&self) -> bool {
                self.core.is_closed()
            }

            /// The base URL requests go to.
            #[getter]
            fn host(&self) -> &str {
                self.core.config().host()
            }

            #[getter]
            fn api_version(&self) -> &str {
                self.core.config().api_version()
            }

            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                let name = slf.get_type().name()?;
                slf.get().core.repr(slf.py(), &name.to_string())
            }

            $($extra)*
        }
    };

    // The entry: the table's operations, turned into both classes.
    ($($ops:tt)*) => {
        py_clients!(@munch Client {
            fn __enter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
                slf
            }

            fn __exit__(
                &self,
                _exc_type: &Bound<'_, PyAny>,
                _exc_value: &Bound<'_, PyAny>,
                _traceback: &Bound<'_, PyAny>,
            ) -> bool {
                self.core.close();
                false
            }
        } [] $($ops)*);
        py_clients!(@munch AsyncClient {
            /// `close()`, as an awaitable.
            fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.core.close();
                ready(py.None().into_bound(py))
            }

            fn __aenter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, PyAny>> {
                ready(slf.into_any())
            }

            fn __aexit__<'py>(
                &self,
                py: Python<'py>,
                _exc_type: &Bound<'_, PyAny>,
                _exc_value: &Bound<'_, PyAny>,
                _traceback: &Bound<'_, PyAny>,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.core.close();
                ready(PyBool::new(py, false).to_owned().into_any())
            }
        } [] $($ops)*);
    };
}

/// A client of Pinecone's backup API (the package's `pinecone_backups.Client` adds the waits
/// and `prune`).
#[pyclass(frozen, subclass, module = "pinecone_backups._native")]
pub struct Client {
    core: Arc<ClientCore>,
}

/// An asyncio client of Pinecone's backup API: the same options, validation, objects and
/// errors as `Client`, with awaitable calls.
#[pyclass(frozen, subclass, module = "pinecone_backups._native")]
pub struct AsyncClient {
    core: Arc<ClientCore>,
}

impl Client {
    const LOGGING: RetryLogging = RetryLogging::Inline;
}

impl AsyncClient {
    const LOGGING: RetryLogging = RetryLogging::Background;
}

impl From<ClientCore> for Client {
    fn from(core: ClientCore) -> Self {
        Client {
            core: Arc::new(core),
        }
    }
}

impl From<ClientCore> for AsyncClient {
    fn from(core: ClientCore) -> Self {
        AsyncClient {
            core: Arc::new(core),
        }
    }
}

core::for_each_operation!(py_clients);

/// The Python annotations of each operation's arguments and answer, and of its iterators.
macro_rules! py_annotations {
    (@iterators) => { None };
    (@iterators $item:ty) => { Some(<$item as Iterators>::CLASSES) };
    ($(
        $(#[doc = $doc:literal])*
        $op:ident ($Args:ident): $method:ident $path:literal -> $out:ty {
            path { $($p:ident : $pty:ty),* $(,)? }
            body { $($b:ident : $bty:ty $(= $bkey:literal)?),* $(,)? }
            paging { $($pg:ident),* $(,)? }
            query { $($q:ident : $qty:ty = $qkey:literal $([since $qsince:literal])?),* $(,)? }
            options { $($o:ident : $oty:ty $(= $okey:literal)? $([since $osince:literal])?),* $(,)? }
            local { $($l:ident),* $(,)? }
            one_of [$($one:ident),* $(,)?]
            success [$($status:literal),*] repeat $repeat:ident versions [$($version:literal),*]
            pages [$($iter:ident : $item:ty)?]
        }
    )*) => {
        /// `(operation, [(param, annotation)], returns, (sync iterator, async iterator))`.
        type Annotations = (
            &'static str,
            Vec<(&'static str, &'static str)>,
            &'static str,
            Option<(&'static str, &'static str)>,
        );

        fn annotations() -> Vec<Annotations> {
            use crate::args::PyArg;
            vec![$(
                (
                    stringify!($op),
                    vec![
                        $( (stringify!($p), <$pty as PyArg>::ANNOTATION), )*
                        $( (stringify!($b), <$bty as PyArg>::ANNOTATION), )*
                        $( (stringify!($pg), <core::define_operations!(@paging_type $pg) as PyArg>::ANNOTATION), )*
                        $( (stringify!($q), <$qty as PyArg>::ANNOTATION), )*
                        $( (stringify!($o), <$oty as PyArg>::ANNOTATION), )*
                        $( (stringify!($l), <core::args::Flag as PyArg>::ANNOTATION), )*
                    ],
                    <$out as IntoPyModel>::ANNOTATION,
                    py_annotations!(@iterators $($item)?),
                ),
            )*]
        }
    };
}

core::for_each_operation!(py_annotations);

/// The operations of the table as data, for the package (its module-level functions) and the
/// stub generator: one dict per operation, in the table's order.
pub fn operations_py(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let mut items = Vec::with_capacity(core::OPERATIONS.len());
    for info in core::OPERATIONS {
        let dict = PyDict::new(py);
        dict.set_item("name", info.name)?;
        let doc: Vec<&str> = info.doc.lines().map(str::trim).collect();
        dict.set_item("doc", doc.join("\n").trim())?;
        dict.set_item("method", info.method.as_str())?;
        dict.set_item("path", info.path)?;
        let params: Vec<(&str, &str, &str, bool)> = info
            .params
            .iter()
            .map(|p| {
                let place = match p.place {
                    core::Place::Path => "path",
                    core::Place::Query => "query",
                    core::Place::Paging => "paging",
                    core::Place::Body => "body",
                    core::Place::Local => "local",
                };
                (p.name, p.key, place, p.required)
            })
            .collect();
        dict.set_item("params", params)?;
        dict.set_item("success", info.success.to_vec())?;
        dict.set_item(
            "repeat",
            match info.repeat {
                core::Repeat::Safe => "safe",
                core::Repeat::IfUnsent => "if-unsent",
            },
        )?;
        dict.set_item("versions", info.versions.to_vec())?;
        let since = PyDict::new(py);
        for param in info.params {
            if let Some(version) = param.since {
                since.set_item(param.name, version)?;
            }
        }
        dict.set_item("since", since)?;
        dict.set_item("iterator", info.iterator)?;
        let (_, types, returns, iterators) = annotations()
            .into_iter()
            .find(|(name, ..)| *name == info.name)
            .expect("every operation has its annotations");
        dict.set_item("annotations", types)?;
        dict.set_item("returns", returns)?;
        dict.set_item("iterator_classes", iterators)?;
        items.push(dict);
    }
    PyTuple::new(py, items)
}
