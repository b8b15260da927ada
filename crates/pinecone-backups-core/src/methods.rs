//! A method of [`Client`] for each operation and each iterator of the table
//! ([`for_each_operation!`](crate::for_each_operation)): each is [`Client::call`], or a walk of
//! its pages ([`walk::stream`]).

use crate::client::Client;
use crate::walk;

/// Expands the operations table into the [`Client`]'s methods.
macro_rules! client_methods {
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
    impl Client {
        $(
            $(#[doc = $doc])*
            pub async fn $op(&self, args: &crate::operations::$Args) -> crate::Result<$out> {
                self.call(args).await
            }

            $(
                /// Every item of the list, page after page, as a stream (see
                /// [`Pager`](crate::Pager) for the rules).
                pub fn $iter(
                    &self,
                    args: crate::operations::$Args,
                    options: crate::IterOptions,
                ) -> crate::Result<
                    impl ::futures_util::Stream<Item = crate::Result<$item>> + Send + 'static,
                > {
                    let pager = crate::Pager::new(args, options, self.config().api_version())?;
                    Ok(walk::stream(self.clone(), pager))
                }
            )?
        )*
    }
    };
}

crate::for_each_operation!(client_methods);
