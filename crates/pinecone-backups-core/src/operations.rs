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
use crate::error::{InvalidArgument, Result};
use crate::models::Item;
use crate::page::Page;
use crate::wire::{Decode, OperationInfo, Request};

/// An operation's arguments: what to send, and what the answer decodes as.
pub trait Operation {
    /// The decoded answer.
    type Output: Decode;
    /// The declaration.
    const INFO: &'static OperationInfo;
    /// The rules of API `version`: it has the operation and the arguments given, and their
    /// values follow its rules. Checked by [`Client::call`](crate::Client::call) before sending.
    fn check(&self, version: &str) -> Result<()>;
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

/// Every operation of the API, handed to `$callback` in one invocation, in the order the
/// clients show them. Each entry:
///
/// ```text
/// /// doc
/// name (ArgsStruct): METHOD "/path/{param}" -> Output {
///     path { param: ArgType, ... }                      required, in the path
///     body { key: ArgType [= "wire"], ... }             required, in the JSON body
///     paging { limit, pagination_token }                a list's page size and token (query)
///     query { key: ArgType = "wire" [[since "v"]], ... }    optional, in the query
///     options { key: ArgType [= "wire"] [[since "v"]], ... }  optional, in the JSON body
///     local { missing_ok }                              the client's own switches
///     one_of [key, ...]                                 at least one of these must be given
///     success [201] repeat IfUnsent versions ["2025-10", ...]
///     pages [iter_name: Item]                           a list: the iterator over its pages
/// }
/// ```
///
/// `[since "v"]`: the argument exists from API version `v` on; `versions`: the API versions
/// that have the operation. Either is refused locally, before anything is sent, under another
/// version.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:path) => {
        $callback! {
            /// One page of the backups of an index (`limit`: 1..100 before API 2026-07, server
            /// default 10; from 2026-07 any positive number, default 100). With
            /// `include_deleted` (API 2026-04 and later), the backups of every index that had
            /// the name, deleted ones included.
            list_index_backups (ListIndexBackups): Get "/indexes/{index_name}/backups"
                -> $crate::BackupList {
                path { index_name: $crate::args::IndexName }
                body {}
                paging { limit, pagination_token }
                query {
                    include_deleted: $crate::args::Switch = "include_deleted" [since "2026-04"],
                }
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages [iter_index_backups: $crate::Backup]
            }
            /// One page of the backups of every index of the project.
            list_project_backups (ListProjectBackups): Get "/backups" -> $crate::BackupList {
                path {}
                body {}
                paging { limit, pagination_token }
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages [iter_project_backups: $crate::Backup]
            }
            /// One backup.
            describe_backup (DescribeBackup): Get "/backups/{backup_id}" -> $crate::Backup {
                path { backup_id: $crate::args::Id }
                body {}
                paging {}
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
            /// Starts a backup of an index (`Initializing` at first). From API 2026-07 its
            /// `name` follows the rule of a resource name (1-45 lowercase letters, digits and
            /// `-`).
            create_backup (CreateBackup): Post "/indexes/{index_name}/backups" -> $crate::Backup {
                path { index_name: $crate::args::IndexName }
                body {}
                paging {}
                query {}
                options {
                    name: $crate::args::BackupName,
                    description: $crate::args::Text,
                }
                local {}
                one_of []
                success [201, 200] repeat IfUnsent versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
            /// Deletes a backup. With `missing_ok`, a backup that does not exist (404) is no
            /// error.
            delete_backup (DeleteBackup): Delete "/backups/{backup_id}" -> $crate::NoContent {
                path { backup_id: $crate::args::Id }
                body {}
                paging {}
                query {}
                options {}
                local { missing_ok }
                one_of []
                success [202] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
            /// Restores a backup into a new index `name`: the restore job's and the new index's
            /// ids at once (follow the job with `wait_for_restore_job`). `read_capacity` (API
            /// 2026-04 and later): `{"mode": "OnDemand"}` or a `Dedicated` one.
            create_index_from_backup (CreateIndexFromBackup): Post "/backups/{backup_id}/create-index"
                -> $crate::CreateIndexFromBackupResponse {
                path { backup_id: $crate::args::Id }
                body { name: $crate::args::NewIndexName }
                paging {}
                query {}
                options {
                    tags: $crate::args::IndexTags,
                    deletion_protection: $crate::args::DeletionProtection,
                    read_capacity: $crate::args::ReadCapacity [since "2026-04"],
                }
                local {}
                one_of []
                success [202] repeat IfUnsent versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
            /// One page of the restore jobs of the project.
            list_restore_jobs (ListRestoreJobs): Get "/restore-jobs" -> $crate::RestoreJobList {
                path {}
                body {}
                paging { limit, pagination_token }
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages [iter_restore_jobs: $crate::RestoreJob]
            }
            /// One restore job.
            describe_restore_job (DescribeRestoreJob): Get "/restore-jobs/{job_id}"
                -> $crate::RestoreJob {
                path { job_id: $crate::args::Id }
                body {}
                paging {}
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
            /// Creates a backup schedule of an index: a backup every day, week or month
            /// (`frequency`), each kept `expire_after_days` days. An index has at most one
            /// enabled schedule (409).
            create_backup_schedule (CreateBackupSchedule): Post "/indexes/{index_name}/backup-schedules"
                -> $crate::BackupSchedule {
                path { index_name: $crate::args::IndexName }
                body {
                    name: $crate::args::BackupName,
                    frequency: $crate::args::Schedule = "schedule",
                    expire_after_days: $crate::args::Retention = "retention",
                }
                paging {}
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat IfUnsent versions ["2026-07"]
                pages []
            }
            /// One page of the backup schedules of an index.
            list_backup_schedules (ListBackupSchedules): Get "/indexes/{index_name}/backup-schedules"
                -> $crate::BackupScheduleList {
                path { index_name: $crate::args::IndexName }
                body {}
                paging { limit, pagination_token }
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2026-07"]
                pages [iter_backup_schedules: $crate::BackupSchedule]
            }
            /// One backup schedule.
            describe_backup_schedule (DescribeBackupSchedule): Get "/backup-schedules/{schedule_id}"
                -> $crate::BackupSchedule {
                path { schedule_id: $crate::args::Id }
                body {}
                paging {}
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2026-07"]
                pages []
            }
            /// Changes a backup schedule: its `frequency`, its `expire_after_days`, or whether
            /// it is `enabled` (re-enabling one starts a backup at once). At least one must be
            /// given.
            update_backup_schedule (UpdateBackupSchedule): Patch "/backup-schedules/{schedule_id}"
                -> $crate::BackupSchedule {
                path { schedule_id: $crate::args::Id }
                body {}
                paging {}
                query {}
                options {
                    frequency: $crate::args::Frequency,
                    expire_after_days: $crate::args::Retention = "retention",
                    enabled: $crate::args::Switch,
                }
                local {}
                one_of [frequency, expire_after_days, enabled]
                success [200] repeat IfUnsent versions ["2026-07"]
                pages []
            }
            /// Deletes a backup schedule (the backups it made stay). With `missing_ok`, a
            /// schedule that does not exist (404) is no error.
            delete_backup_schedule (DeleteBackupSchedule): Delete "/backup-schedules/{schedule_id}"
                -> $crate::NoContent {
                path { schedule_id: $crate::args::Id }
                body {}
                paging {}
                query {}
                options {}
                local { missing_ok }
                one_of []
                success [204] repeat Safe versions ["2026-07"]
                pages []
            }
            /// One page of the backups a schedule made, and the next one it will make
            /// (`Scheduled`).
            list_backup_schedule_history (ListBackupScheduleHistory): Get "/backup-schedules/{schedule_id}/history"
                -> $crate::BackupScheduleHistoryList {
                path { schedule_id: $crate::args::Id }
                body {}
                paging { limit, pagination_token }
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2026-07"]
                pages [iter_backup_schedule_history: $crate::BackupScheduleHistoryItem]
            }
            /// Every index of the project, in one answer (no pages): `Index` objects, whose
            /// `ready`, `state`, `cloud`, `region`, `dimension` and `metric` read alike under
            /// every API version (`to_dict()` keeps the whole object). An index being created
            /// or restored is listed too, not yet `ready`.
            list_indexes (ListIndexes): Get "/indexes" -> $crate::IndexList {
                path {}
                body {}
                paging {}
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
            /// One index, by name: an `Index` (`name`, `host`, `status`, `tags`...; `ready`,
            /// `state`, `cloud`, `region`, `dimension` and `metric` read alike under every API
            /// version; `to_dict()` keeps the whole object). No index of that name is a
            /// `NotFoundError` (404); `wait_for_index` waits until a restored one is ready.
            describe_index (DescribeIndex): Get "/indexes/{index_name}" -> $crate::Index {
                path { index_name: $crate::args::IndexName }
                body {}
                paging {}
                query {}
                options {}
                local {}
                one_of []
                success [200] repeat Safe versions ["2025-10", "2026-04", "2026-07"]
                pages []
            }
        }
    };
}

/// Expands [`for_each_operation!`] into the argument structs, their [`Operation`] (and
/// [`ListOperation`]) implementations, and [`OPERATIONS`].
#[macro_export]
#[doc(hidden)]
macro_rules! define_operations {
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
        $(
            $(#[doc = $doc])*
            ///
            /// The arguments of the operation; the `Option`s are left out when `None`.
            #[derive(Debug, Clone, PartialEq)]
            pub struct $Args {
                $( pub $p: $pty, )*
                $( pub $b: $bty, )*
                $( pub $pg: Option<$crate::define_operations!(@paging_type $pg)>, )*
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
                        $( $pg: None, )*
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
                            place: $crate::Place::Path, required: true, since: None }, )*
                        $( $crate::ParamInfo { name: stringify!($b),
                            key: $crate::define_operations!(@key $b $($bkey)?),
                            place: $crate::Place::Body, required: true, since: None }, )*
                        $( $crate::ParamInfo { name: stringify!($pg),
                            key: $crate::define_operations!(@paging_key $pg),
                            place: $crate::Place::Paging, required: false, since: None }, )*
                        $( $crate::ParamInfo { name: stringify!($q), key: $qkey,
                            place: $crate::Place::Query, required: false,
                            since: $crate::define_operations!(@since $($qsince)?) }, )*
                        $( $crate::ParamInfo { name: stringify!($o),
                            key: $crate::define_operations!(@key $o $($okey)?),
                            place: $crate::Place::Body, required: false,
                            since: $crate::define_operations!(@since $($osince)?) }, )*
                        $( $crate::ParamInfo { name: stringify!($l), key: stringify!($l),
                            place: $crate::Place::Local, required: false, since: None }, )*
                    ],
                    success: &[$($status),*],
                    repeat: $crate::Repeat::$repeat,
                    versions: &[$($version),*],
                    iterator: $crate::define_operations!(@iterator $($iter)?),
                };

                #[allow(unused_imports, unused_variables)]
                fn check(&self, version: &str) -> $crate::Result<()> {
                    use $crate::args::Arg as _;
                    $crate::operations::check_version(Self::INFO, version)?;
                    $( self.$p.check(stringify!($p), version)?; )*
                    $( self.$b.check(stringify!($b), version)?; )*
                    $(
                        if let Some(value) = &self.$pg {
                            value.check(stringify!($pg), version)?;
                        }
                    )*
                    $(
                        if let Some(value) = &self.$q {
                            $crate::operations::check_since(
                                Self::INFO, stringify!($q), version,
                                $crate::define_operations!(@since $($qsince)?),
                            )?;
                            value.check(stringify!($q), version)?;
                        }
                    )*
                    $(
                        if let Some(value) = &self.$o {
                            $crate::operations::check_since(
                                Self::INFO, stringify!($o), version,
                                $crate::define_operations!(@since $($osince)?),
                            )?;
                            value.check(stringify!($o), version)?;
                        }
                    )*
                    $crate::operations::check_one_of(
                        Self::INFO,
                        &[$( (stringify!($one), self.$one.is_some()) ),*],
                    )
                }

                #[allow(unused_mut, unused_imports)]
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
                        if let Some(value) = &self.$pg {
                            query.push(($crate::define_operations!(@paging_key $pg), value.url_text()));
                        }
                    )*
                    $(
                        if let Some(value) = &self.$q {
                            query.push(($qkey, value.url_text()));
                        }
                    )*
                    let fields: &[(&str, Option<String>)] = &[
                        $( ($crate::define_operations!(@key $b $($bkey)?), Some(self.$b.json())), )*
                        $(
                            (
                                $crate::define_operations!(@key $o $($okey)?),
                                self.$o.as_ref().map(|value| value.json()),
                            ),
                        )*
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
    (@paging_type limit) => { $crate::args::Limit };
    (@paging_type pagination_token) => { $crate::args::Token };
    (@paging_key limit) => { "limit" };
    (@paging_key pagination_token) => { "paginationToken" };
    (@iterator) => { None };
    (@iterator $iter:ident) => { Some(stringify!($iter)) };
    (@key $name:ident) => { stringify!($name) };
    (@key $name:ident $key:literal) => { $key };
    (@since) => { None };
    (@since $since:literal) => { Some($since) };
    (@body Get $fields:ident) => { { let _ = $fields; None } };
    (@body Delete $fields:ident) => { { let _ = $fields; None } };
    (@body $method:ident $fields:ident) => { Some($crate::operations::json_object($fields)) };
}

/// `Error::InvalidArgument` unless `version` has the operation.
#[doc(hidden)]
pub fn check_version(info: &OperationInfo, version: &str) -> Result<()> {
    if info.versions.contains(&version) {
        return Ok(());
    }
    Err(InvalidArgument::value(
        info.name,
        format!(
            "{} needs API version {} (this client speaks {version}: pass api_version)",
            info.name,
            info.versions.join(" or ")
        ),
    ))
}

/// `Error::InvalidArgument` when `param` was given under a version before the one it came in.
#[doc(hidden)]
pub fn check_since(
    info: &OperationInfo,
    param: &'static str,
    version: &str,
    since: Option<&str>,
) -> Result<()> {
    match since {
        Some(since) if version < since => Err(InvalidArgument::value(
            param,
            format!(
                "{param} of {} needs API version {since} or later (this client speaks \
                 {version}: pass api_version)",
                info.name
            ),
        )),
        _ => Ok(()),
    }
}

/// `Error::InvalidArgument` when an operation that needs one of `given` got none.
#[doc(hidden)]
pub fn check_one_of(info: &OperationInfo, given: &[(&'static str, bool)]) -> Result<()> {
    if given.is_empty() || given.iter().any(|(_, present)| *present) {
        return Ok(());
    }
    let names: Vec<&str> = given.iter().map(|(name, _)| *name).collect();
    Err(InvalidArgument::value(
        given[0].0,
        format!(
            "{} has nothing to change: give at least one of {}",
            info.name,
            names.join(", ")
        ),
    ))
}

crate::for_each_operation!(crate::define_operations);

/// The [`OperationInfo`] of the operation named `name`.
pub fn operation(name: &str) -> Option<&'static OperationInfo> {
    OPERATIONS.iter().copied().find(|info| info.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{
        Arg, Flag, Frequency, Id, IndexName, IndexTags, Limit, NewIndexName, Retention, Switch,
        Text,
    };
    use crate::json::Int;
    use crate::wire::Repeat;

    #[test]
    fn requests_on_the_wire() {
        let list = ListIndexBackups {
            index_name: IndexName::parse("a/b c?d#é".into(), "index_name").unwrap(),
            limit: Some(Limit::parse(Int::Small(10), "limit").unwrap()),
            pagination_token: Some(Token::parse("ab+/c=".into(), "t").unwrap()),
            include_deleted: None,
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
            read_capacity: None,
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
                "describe_restore_job",
                "create_backup_schedule",
                "list_backup_schedules",
                "describe_backup_schedule",
                "update_backup_schedule",
                "delete_backup_schedule",
                "list_backup_schedule_history",
                "list_indexes",
                "describe_index",
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
                ("deletion_protection", false),
                ("read_capacity", false)
            ]
        );
        assert_eq!(restore.params[4].since, Some("2026-04"));
        assert_eq!(
            operation("list_restore_jobs").unwrap().iterator,
            Some("iter_restore_jobs")
        );
        assert_eq!(
            operation("list_index_backups").unwrap().params[2].key,
            "paginationToken"
        );
        for info in OPERATIONS {
            let schedules = info.name.contains("schedule");
            let all = ["2025-10", "2026-04", "2026-07"];
            assert_eq!(
                info.versions,
                if schedules { &all[2..] } else { &all[..] },
                "{}",
                info.name
            );
        }
        assert!(operation("describe_backup")
            .unwrap()
            .doc
            .contains("One backup."));
    }

    fn message<T: std::fmt::Debug>(result: Result<T>) -> String {
        match result.unwrap_err() {
            crate::Error::InvalidArgument(error) => error.message,
            other => panic!("not an InvalidArgument: {other:?}"),
        }
    }

    #[test]
    fn each_version_has_its_operations_and_arguments() {
        let schedule = DescribeBackupSchedule::new("s-1").unwrap();
        assert!(schedule.check("2026-07").is_ok());
        for old in ["2025-10", "2026-04"] {
            assert_eq!(
                message(schedule.check(old)),
                format!(
                    "describe_backup_schedule needs API version 2026-07 (this client speaks \
                     {old}: pass api_version)"
                )
            );
        }
        let mut list = ListIndexBackups::new("idx").unwrap();
        list.include_deleted = Some(Switch::parse(true, "include_deleted").unwrap());
        assert_eq!(
            message(list.check("2025-10")),
            "include_deleted of list_index_backups needs API version 2026-04 or later (this \
             client speaks 2025-10: pass api_version)"
        );
        assert!(list.check("2026-04").is_ok() && list.check("2026-07").is_ok());
        assert_eq!(
            list.request().url("https://h"),
            "https://h/indexes/idx/backups?include_deleted=true"
        );
        // `false` is sent, not left out: the caller said it.
        list.include_deleted = Some(Switch::parse(false, "include_deleted").unwrap());
        assert!(list
            .request()
            .url("https://h")
            .ends_with("?include_deleted=false"));
    }

    #[test]
    fn schedule_requests_on_the_wire() {
        let create = CreateBackupSchedule::new("idx", "nightly", "daily", Int::Small(7)).unwrap();
        assert_eq!(create.request().path, "/indexes/idx/backup-schedules");
        assert_eq!(
            create.request().body.as_deref(),
            Some(
                &br#"{"name":"nightly","schedule":{"type":"time-based","frequency":"daily"},"retention":{"expire_after_days":7}}"#[..]
            )
        );
        assert_eq!(create.request().info.repeat, Repeat::IfUnsent);
        assert!(CreateBackupSchedule::new("idx", "n", "hourly", Int::Small(7)).is_err());
        assert!(CreateBackupSchedule::new("idx", "n", "daily", Int::Small(0)).is_err());

        let mut update = UpdateBackupSchedule::new("s-1").unwrap();
        assert_eq!(
            message(update.check("2026-07")),
            "update_backup_schedule has nothing to change: give at least one of frequency, \
             expire_after_days, enabled"
        );
        update.enabled = Some(Switch::parse(false, "enabled").unwrap());
        assert!(update.check("2026-07").is_ok());
        let request = update.request();
        assert_eq!(request.info.method, crate::Method::Patch);
        assert_eq!(request.body.as_deref(), Some(&br#"{"enabled":false}"#[..]));
        update.expire_after_days = Some(Retention::parse(Int::Small(30), "e").unwrap());
        update.frequency = Some(Frequency::parse("weekly".into(), "frequency").unwrap());
        assert_eq!(
            update.request().body.as_deref(),
            Some(
                &br#"{"frequency":"weekly","retention":{"expire_after_days":30},"enabled":false}"#
                    [..]
            )
        );
        let delete = DeleteBackupSchedule::new("s-1").unwrap();
        assert_eq!(delete.request().body, None);
        assert_eq!(delete.request().info.success, &[204]);
    }
}
