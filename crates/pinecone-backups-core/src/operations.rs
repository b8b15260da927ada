//! The operations of the API, each declared once in [`for_each_operation!`]: its method and path,
//! its arguments (where each goes: the path, the query, the body, or the client itself), what it
//! answers, the statuses that mean success, whether a retry may repeat it, the API versions that
//! have it, and the iterator that walks its pages.
//!
//! This crate expands the table with [`define_operations!`](crate::define_operations) into one
//! argument struct per operation (implementing [`Operation`]), a method of
//! [`Client`](crate::Client) per operation and per iterator, and [`OPERATIONS`] (the table as
//! data). The Python binding expands the same table into its client classes, and the package
//! derives its module-level functions and checks its stub from [`OPERATIONS`].

use crate::args::{Limit, Token};
use crate::models::Item;
use crate::page::Page;
use crate::wire::{Decode, OperationInfo, Request};

/// An operation's arguments: what to send, and what the answer decodes as.
pub trait Operation {
    /// The decoded answer.
    type Output: Decode;
    /// The declaration.
    const INFO: &'static OperationInfo;
    /// The request for these arguments.
    fn request(&self) -> Request;
}

/// A list operation: one page of its items, walked by an iterator.
pub trait ListOperation: Operation<Output = Page<Self::Item>> + Clone {
    type Item: Item;
    /// The same list, one page of it: `limit` items, from `token`.
    fn page(&self, limit: Option<Limit>, token: Option<Token>) -> Self;
    /// The token given to start from.
    fn pagination_token(&self) -> Option<&Token>;
    /// The arguments that say what is listed (the path's), for display: `[("index_name", ..)]`.
    fn subject(&self) -> Vec<(&'static str, String)>;
}

/// Writes a JSON object from keys and the JSON texts of their values.
#[doc(hidden)]
pub fn json_object(fields: &[(&str, Option<String>)]) -> Vec<u8> {
    let mut out = String::from("{");
    for (key, value) in fields {
        if let Some(value) = value {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(key).expect("a key serializes"));
            out.push(':');
            out.push_str(value);
        }
    }
    out.push('}');
    out.into_bytes()
}

/// Every operation of API 2025-10, handed to `$callback` in one invocation, in the order the
/// clients show them. Each entry:
///
/// ```text
/// /// doc
/// name (ArgsStruct): METHOD "/path/{param}" -> Output {
///     path { param: ArgType, ... }            required, in the path
///     body { key: ArgType, ... }              required, in the JSON body
///     query { key: ArgType = "wireName", ... }   optional, in the query
///     options { key: ArgType, ... }           optional, in the JSON body
///     local { missing_ok }                    the client's own switches (see `Client`)
///     success [201] repeat IfUnsent versions ["2025-10"]
///     pages [iter_name: Item]                 a list: the iterator over its pages
/// }
/// ```
#[macro_export]
macro_rules! for_each_operation {
    ($callback:path) => {
        $callback! {
            /// One page of the backups of an index (`limit`: 1..100, server default 10).
            list_index_backups (ListIndexBackups): Get "/indexes/{index_name}/backups"
                -> $crate::BackupList {
                path { index_name: $crate::args::IndexName }
                body {}
                query {
                    limit: $crate::args::Limit = "limit",
                    pagination_token: $crate::args::Token = "paginationToken",
                }
                options {}
                local {}
                success [200] repeat Safe versions ["2025-10"]
                pages [iter_index_backups: $crate::Backup]
            }
            /// One page of the backups of every index of the project.
            list_project_backups (ListProjectBackups): Get "/backups" -> $crate::BackupList {
                path {}
                body {}
                query {
                    limit: $crate::args::Limit = "limit",
                    pagination_token: $crate::args::Token = "paginationToken",
                }
                options {}
                local {}
                success [200] repeat Safe versions ["2025-10"]
                pages [iter_project_backups: $crate::Backup]
            }
            /// One backup.
            describe_backup (DescribeBackup): Get "/backups/{backup_id}" -> $crate::Backup {
                path { backup_id: $crate::args::Id }
                body {}
                query {}
                options {}
                local {}
                success [200] repeat Safe versions ["2025-10"]
                pages []
            }
            /// Starts a backup of an index (`Initializing` at first).
            create_backup (CreateBackup): Post "/indexes/{index_name}/backups" -> $crate::Backup {
                path { index_name: $crate::args::IndexName }
                body {}
                query {}
                options {
                    name: $crate::args::BackupName,
                    description: $crate::args::Text,
                }
                local {}
                success [201] repeat IfUnsent versions ["2025-10"]
                pages []
            }
            /// Deletes a backup. With `missing_ok`, a backup that does not exist (404) is no
            /// error.
            delete_backup (DeleteBackup): Delete "/backups/{backup_id}" -> $crate::NoContent {
                path { backup_id: $crate::args::Id }
                body {}
                query {}
                options {}
                local { missing_ok }
                success [202] repeat Safe versions ["2025-10"]
                pages []
            }
            /// Restores a backup into a new index `name`: the restore job's and the new index's
            /// ids at once (follow the job with `wait_for_restore_job`).
            create_index_from_backup (CreateIndexFromBackup): Post "/backups/{backup_id}/create-index"
                -> $crate::CreateIndexFromBackupResponse {
                path { backup_id: $crate::args::Id }
                body { name: $crate::args::NewIndexName }
                query {}
                options {
                    tags: $crate::args::IndexTags,
                    deletion_protection: $crate::args::DeletionProtection,
                }
                local {}
                success [202] repeat IfUnsent versions ["2025-10"]
                pages []
            }
            /// One page of the restore jobs of the project.
            list_restore_jobs (ListRestoreJobs): Get "/restore-jobs" -> $crate::RestoreJobList {
                path {}
                body {}
                query {
                    limit: $crate::args::Limit = "limit",
                    pagination_token: $crate::args::Token = "paginationToken",
                }
                options {}
                local {}
                success [200] repeat Safe versions ["2025-10"]
                pages [iter_restore_jobs: $crate::RestoreJob]
            }
            /// One restore job.
            describe_restore_job (DescribeRestoreJob): Get "/restore-jobs/{job_id}"
                -> $crate::RestoreJob {
                path { job_id: $crate::args::Id }
                body {}
                query {}
                options {}
                local {}
                success [200] repeat Safe versions ["2025-10"]
                pages []
            }
        }
    };
}

/// Expands [`for_each_operation!`] into the argument structs, their [`Operation`] (and
/// [`ListOperation`]) implementations, a method of [`Client`](crate::Client) for each
/// operation and iterator, and [`OPERATIONS`].
#[macro_export]
#[doc(hidden)]
macro_rules! define_operations {
    ($(
        $(#[doc = $doc:literal])*
        $op:ident ($Args:ident): $method:ident $path:literal -> $out:ty {
            path { $($p:ident : $pty:ty),* $(,)? }
            body { $($b:ident : $bty:ty),* $(,)? }
            query { $($q:ident : $qty:ty = $qkey:literal),* $(,)? }
            options { $($o:ident : $oty:ty),* $(,)? }
            local { $($l:ident),* $(,)? }
            success [$($status:literal),*] repeat $repeat:ident versions [$($version:literal),*]
            pages [$($iter:ident : $item:ty)?]
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            ///
            /// The arguments of the operation; the `Option`s are left out when `None`.
            #[derive(Debug, Clone, PartialEq)]
            pub struct $Args {
                $( pub $p: $pty, )*
                $( pub $b: $bty, )*
                $( pub $q: Option<$qty>, )*
                $( pub $o: Option<$oty>, )*
                $( pub $l: $crate::args::Flag, )*
            }

            impl $Args {
                /// The arguments from what a caller gives for the required ones (each checked;
                /// the optional ones left out).
                #[allow(clippy::new_without_default, unused_imports)]
                pub fn new(
                    $( $p: impl Into<<$pty as $crate::args::Arg>::Raw>, )*
                    $( $b: impl Into<<$bty as $crate::args::Arg>::Raw>, )*
                ) -> $crate::Result<$Args> {
                    use $crate::args::Arg as _;
                    Ok($Args {
                        $( $p: <$pty>::parse($p.into(), stringify!($p))?, )*
                        $( $b: <$bty>::parse($b.into(), stringify!($b))?, )*
                        $( $q: None, )*
                        $( $o: None, )*
                        $( $l: $crate::args::Flag::default(), )*
                    })
                }

                /// The arguments that go in the path, as text.
                #[allow(dead_code, unused_imports)]
                fn path_arguments(&self) -> Vec<(&'static str, String)> {
                    use $crate::args::Arg as _;
                    vec![$( (stringify!($p), self.$p.url_text()), )*]
                }
            }

            impl $crate::Operation for $Args {
                type Output = $out;
                const INFO: &'static $crate::OperationInfo = &$crate::OperationInfo {
                    name: stringify!($op),
                    doc: concat!($($doc, "\n",)*),
                    method: $crate::Method::$method,
                    path: $path,
                    params: &[
                        $( $crate::ParamInfo { name: stringify!($p), key: stringify!($p),
                            place: $crate::Place::Path, required: true }, )*
                        $( $crate::ParamInfo { name: stringify!($b), key: stringify!($b),
                            place: $crate::Place::Body, required: true }, )*
                        $( $crate::ParamInfo { name: stringify!($q), key: $qkey,
                            place: $crate::Place::Query, required: false }, )*
                        $( $crate::ParamInfo { name: stringify!($o), key: stringify!($o),
                            place: $crate::Place::Body, required: false }, )*
                        $( $crate::ParamInfo { name: stringify!($l), key: stringify!($l),
                            place: $crate::Place::Local, required: false }, )*
                    ],
                    success: &[$($status),*],
                    repeat: $crate::Repeat::$repeat,
                    versions: &[$($version),*],
                    iterator: $crate::define_operations!(@iterator $($iter)?),
                };

                #[allow(unused_mut)]
                fn request(&self) -> $crate::Request {
                    use $crate::args::Arg as _;
                    let mut path = String::from($path);
                    $(
                        path = path.replace(
                            concat!("{", stringify!($p), "}"),
                            &$crate::wire::segment(&self.$p.url_text()).to_string(),
                        );
                    )*
                    let mut query: Vec<(&'static str, String)> = Vec::new();
                    $(
                        if let Some(value) = &self.$q {
                            query.push(($qkey, value.url_text()));
                        }
                    )*
                    let fields: &[(&str, Option<String>)] = &[
                        $( (stringify!($b), Some(self.$b.json())), )*
                        $( (stringify!($o), self.$o.as_ref().map(|value| value.json())), )*
                    ];
                    let body = $crate::define_operations!(@body $method fields);
                    $crate::Request {
                        info: <Self as $crate::Operation>::INFO,
                        path,
                        query,
                        body,
                        missing_ok: false $( || self.$l.get() )*,
                    }
                }
            }

            $(
                impl $crate::ListOperation for $Args {
                    type Item = $item;
                    fn page(
                        &self,
                        limit: Option<$crate::args::Limit>,
                        token: Option<$crate::args::Token>,
                    ) -> Self {
                        let mut page = self.clone();
                        page.limit = limit;
                        page.pagination_token = token;
                        page
                    }
                    fn pagination_token(&self) -> Option<&$crate::args::Token> {
                        self.pagination_token.as_ref()
                    }
                    fn subject(&self) -> Vec<(&'static str, String)> {
                        self.path_arguments()
                    }
                }
            )?
        )*

        /// Every operation, as data, in the order of the declaration.
        pub const OPERATIONS: &[&$crate::OperationInfo] = &[
            $( <$Args as $crate::Operation>::INFO, )*
        ];
    };
    (@iterator) => { None };
    (@iterator $iter:ident) => { Some(stringify!($iter)) };
    (@body Get $fields:ident) => { { let _ = $fields; None } };
    (@body Delete $fields:ident) => { { let _ = $fields; None } };
    (@body $method:ident $fields:ident) => { Some($crate::operations::json_object($fields)) };
}

crate::for_each_operation!(crate::define_operations);

/// The [`OperationInfo`] of the operation named `name`.
pub fn operation(name: &str) -> Option<&'static OperationInfo> {
    OPERATIONS.iter().copied().find(|info| info.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Arg, Flag, Id, IndexName, IndexTags, Limit, NewIndexName, Text};
    use crate::json::Int;
    use crate::wire::Repeat;

    #[test]
    fn requests_on_the_wire() {
        let list = ListIndexBackups {
            index_name: IndexName::parse("a/b c?d#é".into(), "index_name").unwrap(),
            limit: Some(Limit::parse(Int::Small(10), "limit").unwrap()),
            pagination_token: Some(Token::parse("ab+/c=".into(), "t").unwrap()),
        };
        let request = list.request();
        assert_eq!(
            request.url("https://api.pinecone.io"),
            "https://api.pinecone.io/indexes/a%2Fb%20c%3Fd%23%C3%A9/backups?limit=10&paginationToken=ab%2B%2Fc%3D"
        );
        assert_eq!(request.body, None);
        assert_eq!(request.info.repeat, Repeat::Safe);

        let restore = CreateIndexFromBackup {
            backup_id: Id::parse("b-1".into(), "backup_id").unwrap(),
            name: NewIndexName::parse("copy".into(), "name").unwrap(),
            tags: Some(IndexTags::parse(vec![("env".into(), "test".into())], "tags").unwrap()),
            deletion_protection: None,
        };
        let request = restore.request();
        assert_eq!(request.path, "/backups/b-1/create-index");
        assert_eq!(
            request.body.as_deref(),
            Some(&br#"{"name":"copy","tags":{"env":"test"}}"#[..])
        );
        assert_eq!(request.info.repeat, Repeat::IfUnsent);

        let create = CreateBackup {
            index_name: IndexName::parse("x".into(), "index_name").unwrap(),
            name: None,
            description: Some(Text::parse("a \"b\"".into(), "description").unwrap()),
        };
        assert_eq!(
            create.request().body.as_deref(),
            Some(&br#"{"description":"a \"b\""}"#[..])
        );
        let delete = DeleteBackup {
            backup_id: Id::parse("b".into(), "backup_id").unwrap(),
            missing_ok: Flag::parse(true, "missing_ok").unwrap(),
        };
        assert!(delete.request().missing_ok);
        assert_eq!(delete.request().body, None);
    }

    #[test]
    fn the_table_as_data() {
        let names: Vec<&str> = OPERATIONS.iter().map(|info| info.name).collect();
        assert_eq!(
            names,
            [
                "list_index_backups",
                "list_project_backups",
                "describe_backup",
                "create_backup",
                "delete_backup",
                "create_index_from_backup",
                "list_restore_jobs",
                "describe_restore_job"
            ]
        );
        let restore = operation("create_index_from_backup").unwrap();
        let params: Vec<(&str, bool)> = restore
            .params
            .iter()
            .map(|p| (p.name, p.required))
            .collect();
        assert_eq!(
            params,
            [
                ("backup_id", true),
                ("name", true),
                ("tags", false),
                ("deletion_protection", false)
            ]
        );
        assert_eq!(
            operation("list_restore_jobs").unwrap().iterator,
            Some("iter_restore_jobs")
        );
        assert_eq!(
            operation("list_index_backups").unwrap().params[2].key,
            "paginationToken"
        );
        assert!(operation("describe_backup")
            .unwrap()
            .doc
            .contains("One backup."));
    }
}
