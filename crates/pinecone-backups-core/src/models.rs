//! The models of the backup API: each declared once, in [`for_each_model!`], and expanded here
//! by [`define_model!`](crate::define_model) (and by the Python binding into its classes).
//!
//! Decoding is lenient where the API is known to be loose and strict where the spec is firm:
//! optional fields may be missing or `null` ([`Field`](crate::Field) remembers which), unknown
//! fields are kept verbatim in `extra`, integers of any size are kept exactly ([`Int`](crate::Int)), and
//! timestamps are kept as sent ([`RawTimestamp`](crate::RawTimestamp)); a missing required field, or a field of the
//! wrong JSON type, is an error that names the JSON path (`data[3].cloud`).
//!
//! Serializing a model writes back what was decoded: the same values, the same `null`s, the same
//! timestamp text and unknown fields. The keys come out in the order of the declaration, then
//! the unknown ones, which is not always the order the server used.

/// The models' declarations, handed to `$callback` one by one: a doc comment, the name, what a
/// decoding error expects, the field that identifies a value, then the required and the
/// optional fields with their types. Adding a field here adds it to the struct, its serde, its
/// field list and the Python class.
#[macro_export]
macro_rules! for_each_model {
    ($callback:path) => {
        $callback! {
            /// One backup (`BackupModel`). The values that repeat from backup to backup of a page
            /// (`source_index_name`, `source_index_id`, `status`, `cloud`, `region`, `metric`)
            /// share one allocation.
            Backup "a BackupModel object" id = backup_id {
                required {
                    backup_id: String,
                    source_index_name: $crate::Shared,
                    source_index_id: $crate::Shared,
                    /// Free text in the spec (`Initializing`, `Ready`, `Failed`, ...).
                    status: $crate::Shared,
                    cloud: $crate::Shared,
                    region: $crate::Shared,
                }
                optional {
                    name: String,
                    description: String,
                    dimension: $crate::Int,
                    /// Free text in the spec (`cosine`, `euclidean`, `dotproduct`).
                    metric: $crate::Shared,
                    /// The `MetadataSchema` object, as sent.
                    schema: $crate::RawJson,
                    record_count: $crate::Int,
                    namespace_count: $crate::Int,
                    size_bytes: $crate::Int,
                    tags: $crate::Tags,
                    created_at: $crate::RawTimestamp,
                    /// When the index was deleted (API 2026-04 and later, with
                    /// `include_deleted`); absent for an index that exists.
                    source_index_deleted_at: $crate::RawTimestamp,
                }
            }
        }
        $callback! {
            /// One restore job (`RestoreJobModel`): the restore of a backup into a new index.
            RestoreJob "a RestoreJobModel object" id = restore_job_id {
                required {
                    restore_job_id: String,
                    backup_id: String,
                    target_index_name: String,
                    target_index_id: String,
                    /// `Pending`, `Completed`, `Failed`, `Cancelled`, ...
                    status: $crate::Shared,
                }
                optional {
                    /// Required by the 2025-10 spec, but sent as `null` or left out by real
                    /// servers (API 2026-07 declares it nullable).
                    created_at: $crate::RawTimestamp,
                    completed_at: $crate::RawTimestamp,
                    /// 0 to 100; `null` until the job completes (today's backend). Kept as
                    /// written: an integer stays one, a float round-trips exactly.
                    percent_complete: $crate::Float,
                }
            }
        }
        $callback! {
            /// A backup schedule of an index (`BackupScheduleResponse`, API 2026-07): a backup
            /// every day, week or month, kept `retention_expire_after_days` days.
            BackupSchedule "a BackupScheduleResponse object" id = schedule_id {
                required {
                    schedule_id: String,
                    name: String,
                    index_id: $crate::Shared,
                    project_id: $crate::Shared,
                    /// `time-based`.
                    schedule_type: $crate::Shared,
                    /// `daily`, `weekly` or `monthly`.
                    frequency: $crate::Shared,
                    retention_expire_after_days: $crate::Int,
                    enabled: bool,
                }
                optional {
                    /// The next planned run; `null` while the schedule is disabled.
                    next_scheduled_run: $crate::RawTimestamp,
                    created_at: $crate::RawTimestamp,
                }
            }
        }
        $callback! {
            /// A backup a schedule made or will make (`BackupScheduleHistoryItem`, API 2026-07):
            /// `Scheduled` (then `scheduled_execution_at` says when), `Initializing`, `Ready`...
            BackupScheduleHistoryItem "a BackupScheduleHistoryItem object" id = backup_id {
                required {
                    backup_id: String,
                    source_index_id: $crate::Shared,
                    source_index_name: $crate::Shared,
                    name: String,
                    /// `Scheduled`, `Initializing`, `Ready`, `InitializationFailed`, ...
                    status: $crate::Shared,
                    cloud: $crate::Shared,
                    region: $crate::Shared,
                }
                optional {
                    description: String,
                    /// The index schema, as sent.
                    schema: $crate::RawJson,
                    record_count: $crate::Int,
                    namespace_count: $crate::Int,
                    size_bytes: $crate::Int,
                    tags: $crate::Tags,
                    created_at: $crate::RawTimestamp,
                    /// When a `Scheduled` backup is planned to run.
                    scheduled_execution_at: $crate::RawTimestamp,
                }
            }
        }
        $callback! {
            /// An index (`IndexModel`): its fields differ between API 2025-10 (`spec`,
            /// `dimension`, `metric`, `vector_type`) and 2026-07 (`deployment`, `schema`); the
            /// values every version has are read from either (`ready`, `state`, `cloud`,
            /// `region`, `dimension`, `metric`), and `to_dict()` keeps the whole object.
            Index "an IndexModel object" id = name {
                required {
                    name: String,
                }
                optional {
                    host: String,
                    /// `{"ready": ..., "state": ...}`, as sent.
                    status: $crate::RawJson,
                    /// `enabled` or `disabled`.
                    deletion_protection: $crate::Shared,
                    tags: $crate::Tags,
                    /// API 2025-10: `{"serverless": {"cloud", "region"}}`, `{"pod": ...}`...
                    spec: $crate::RawJson,
                    /// API 2026-07: `{"deployment_type": "managed", "cloud", "region"}`...
                    deployment: $crate::RawJson,
                    /// API 2026-07: the `IndexSchema` (`{"fields": {...}}`).
                    schema: $crate::RawJson,
                }
                derived {
                    /// `status.ready`.
                    ready: bool = $crate::index::ready,
                    /// `status.state` (`Initializing`, `Ready`, `Terminating`...).
                    state: String = $crate::index::state,
                    /// The cloud of a serverless (managed) index, or of a pod environment.
                    cloud: String = $crate::index::cloud,
                    region: String = $crate::index::region,
                    /// `dimension` (API 2025-10), or the dense vector field's (2026-07).
                    dimension: $crate::Int = $crate::index::dimension,
                    /// `metric` (API 2025-10), or the dense vector field's (2026-07).
                    metric: String = $crate::index::metric,
                }
            }
        }
        $callback! {
            /// What `create_index_from_backup` answers (`CreateIndexFromBackupResponse`).
            CreateIndexFromBackupResponse "a CreateIndexFromBackupResponse object" id = restore_job_id {
                required {
                    restore_job_id: String,
                    index_id: String,
                }
                optional {}
            }
        }
    };
}

for_each_model!(crate::define_model);

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

impl Item for BackupSchedule {
    fn item_id(&self) -> &str {
        &self.schedule_id
    }
    const UNIQUE: bool = false;
}

impl Item for BackupScheduleHistoryItem {
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

impl Backup {
    /// `created_at` parsed as RFC 3339, or `None` when absent, `null` or not RFC 3339.
    pub fn created_at_timestamp(&self) -> Option<crate::Timestamp> {
        self.created_at.timestamp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use serde_json::Value;

    use crate::json::check_json;
    use crate::{BackupList, Field, Int, RawJson, Tags};

    const DOCS_RESPONSE: &str = r#"{"data":[{"backup_id":"9947520e-d5a1-4418-a78d-9f464c9969da","source_index_id":"8433941a-dae7-43b5-ac2c-d3dab4a56b2b","source_index_name":"docs-example","tags":{},"name":"example-backup","description":"Monthly backup of production index","status":"Pending","cloud":"aws","region":"us-east-1","dimension":1024,"record_count":98,"namespace_count":3,"size_bytes":1069169,"created_at":"2025-03-11T18:29:50.549505Z"}],"pagination":null}"#;

    fn page(json: &str) -> BackupList {
        BackupList::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn decodes_the_docs_example() {
        let list = page(DOCS_RESPONSE);
        assert_eq!(list.pagination, None);
        assert_eq!(list.data.len(), 1);
        let b = &list.data[0];
        assert_eq!(b.backup_id, "9947520e-d5a1-4418-a78d-9f464c9969da");
        assert_eq!(&*b.source_index_name, "docs-example");
        assert_eq!(&*b.status, "Pending");
        assert_eq!(b.tags.get().map(Tags::pairs), Some(vec![]));
        assert_eq!(b.dimension, Field::Value(Int::Small(1024)));
        assert_eq!(b.size_bytes, Field::Value(Int::Small(1_069_169)));
        assert_eq!(b.metric, Field::Absent);
        assert_eq!(b.created_at_timestamp().unwrap().microsecond(), 549_505);
        // Re-serializing gives back the same JSON value.
        let again: Value = serde_json::to_value(&list.data[0]).unwrap();
        let sent: Value = serde_json::from_str::<Value>(DOCS_RESPONSE).unwrap()["data"][0].clone();
        assert_eq!(again, sent);
    }

    #[test]
    fn restore_jobs_as_real_servers_send_them() {
        // created_at null or missing (API 2026-07 declares it nullable); percent_complete
        // round-trips exactly, an integer stays an integer.
        for (body, created) in [
            (
                r#"{"restore_job_id":"j","backup_id":"b","target_index_name":"t","target_index_id":"i","status":"Pending","created_at":null,"percent_complete":94.52706955539223}"#,
                None,
            ),
            (
                r#"{"restore_job_id":"j","backup_id":"b","target_index_name":"t","target_index_id":"i","status":"Pending","percent_complete":94.52706955539223}"#,
                None,
            ),
            (
                r#"{"restore_job_id":"j","backup_id":"b","target_index_name":"t","target_index_id":"i","status":"Pending","created_at":"2025-01-01T00:00:00+0000","percent_complete":94.52706955539223}"#,
                Some(1_735_689_600_000_000),
            ),
        ] {
            let job = RestoreJob::from_json(body.as_bytes()).unwrap();
            assert_eq!(job.created_at.timestamp().map(|t| t.unix_micros()), created);
            let percent = job.percent_complete.get().unwrap();
            assert_eq!(
                percent.value().to_bits(),
                94.527_069_555_392_23_f64.to_bits()
            );
            assert_eq!(serde_json::to_string(&job).unwrap(), body);
        }
        let job = RestoreJob::from_json(br#"{"restore_job_id":"j","backup_id":"b","target_index_name":"t","target_index_id":"i","status":"Completed","percent_complete":100}"#).unwrap();
        assert!(job.percent_complete.get().unwrap().is_integer());
        assert!(serde_json::to_string(&job)
            .unwrap()
            .ends_with(r#""percent_complete":100}"#));
        // Every float serde_json writes reads back bit for bit.
        let mut x = 0.1_f64;
        for _ in 0..2000 {
            x = (x * 7.3 + 0.123_456_789) % 100.0;
            let text = serde_json::to_string(&x).unwrap();
            let body = format!(
                r#"{{"restore_job_id":"j","backup_id":"b","target_index_name":"t","target_index_id":"i","status":"Pending","percent_complete":{text}}}"#
            );
            let job = RestoreJob::from_json(body.as_bytes()).unwrap();
            assert_eq!(
                job.percent_complete.get().unwrap().value().to_bits(),
                x.to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn every_last_page_shape_means_no_next_page() {
        for body in [
            r#"{"data":[]}"#,
            r#"{"data":[],"pagination":null}"#,
            r#"{"data":[],"pagination":{}}"#,
            r#"{"data":[],"pagination":{"next":null}}"#,
            r#"{"data":[],"pagination":{"next":""}}"#,
            r#"{}"#,
            r#"{"data":null}"#,
        ] {
            let list = page(body);
            assert_eq!(list.pagination, None, "{body}");
            assert!(list.data.is_empty());
        }
        let list = page(r#"{"data":[],"pagination":{"next":"abc=","extra":1},"other":true}"#);
        assert_eq!(list.next_token(), Some("abc="));
    }

    #[test]
    fn keeps_nulls_unknown_fields_and_big_integers() {
        let json = r#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready",
            "cloud":"aws","region":"r","name":null,"tags":null,"record_count":123456789012345678901234567890,
            "namespace_count":-5,"future_field":{"nested":[1,2.50,18446744073709551616]}}"#;
        let b = Backup::from_json(json.as_bytes()).unwrap();
        assert_eq!(b.name, Field::Null);
        assert_eq!(b.tags, Field::Null);
        assert_eq!(b.description, Field::Absent);
        assert_eq!(
            b.record_count,
            Field::Value(Int::Big("123456789012345678901234567890".into()))
        );
        assert_eq!(b.namespace_count, Field::Value(Int::Small(-5)));
        let out = serde_json::to_string(&b).unwrap();
        assert!(
            out.contains(r#""record_count":123456789012345678901234567890"#),
            "{out}"
        );
        assert!(out.contains(r#""future_field":{"nested":[1,2.50,18446744073709551616]}"#));
        assert!(out.contains(r#""name":null"#) && out.contains(r#""tags":null"#));
        assert!(!out.contains("description"));
        assert_eq!(Backup::from_json(out.as_bytes()).unwrap(), b);
    }

    #[test]
    fn errors_name_the_path() {
        let missing = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","region":"r"}]}"#;
        let err = BackupList::from_json(missing.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("data[0]: missing field `cloud`"), "{err}");

        let wrong = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","record_count":"many"}]}"#;
        let err = BackupList::from_json(wrong.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("data[0].record_count:"), "{err}");

        let float = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","dimension":1.5}]}"#;
        let err = BackupList::from_json(float.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("data[0].dimension") && err.contains("integer"),
            "{err}"
        );

        // Tags of other types than strings are off-spec but kept (a real server sent them).
        let tags = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":{"a":1,"b":"x\u0041","c":[true,null],"a":2.50}}]}"#;
        let list = BackupList::from_json(tags.as_bytes()).unwrap();
        let kept = list.data[0].tags.get().unwrap();
        assert_eq!(kept.as_json(), r#"{"a":2.50,"b":"xA","c":[true,null]}"#);
        assert_eq!(kept.pairs(), vec![("b".to_owned(), "xA".to_owned())]);
        let tags = r#"{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":["a"]}]}"#;
        assert!(BackupList::from_json(tags.as_bytes())
            .unwrap_err()
            .to_string()
            .starts_with("data[0].tags:"));

        for bad in [
            "[]",
            "null",
            "\"x\"",
            "{\"data\": {}}",
            "{\"pagination\": 5}",
            "{\"data\": [",
            "",
        ] {
            assert!(BackupList::from_json(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn same_fields_is_the_readers_equality() {
        let a = Backup::from_json(br#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":{"a":"1","b":"2"},"created_at":"2025-01-01T01:00:00+01:00","name":null,"zzz":1}"#).unwrap();
        let b = Backup::from_json(br#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","tags":{"b":"2","a":"1"},"created_at":"2025-01-01T00:00:00.000000Z"}"#).unwrap();
        assert!(a.same_fields(&b));
        assert_ne!(a, b);
        let mut c = b.clone();
        c.status = "Failed".into();
        assert!(!a.same_fields(&c));
        let mut d = Backup::new("b", "i", "x", "Ready", "aws", "r");
        assert!(!a.same_fields(&d));
        d.tags = Field::Null;
        let e = Backup::new("b", "i", "x", "Ready", "aws", "r");
        assert!(d.same_fields(&e));
    }

    #[test]
    fn repeated_values_are_shared_within_a_page() {
        let one = r#"{"backup_id":"ID","source_index_name":"idx","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","metric":"cosine"}"#;
        let body = format!(
            r#"{{"data":[{},{}]}}"#,
            one.replace("ID", "a"),
            one.replace("ID", "b")
        );
        let list = page(&body);
        let (a, b) = (&list.data[0], &list.data[1]);
        assert!(Arc::ptr_eq(&a.status, &b.status));
        assert!(Arc::ptr_eq(&a.source_index_id, &b.source_index_id));
        assert!(Arc::ptr_eq(
            a.metric.get().unwrap(),
            b.metric.get().unwrap()
        ));
        // Nothing is kept between pages.
        let again = page(&body);
        assert!(!Arc::ptr_eq(&again.data[0].status, &a.status));
    }

    #[test]
    fn tags_and_raw_json() {
        let tags = Tags::from_pairs([("b", "1"), ("a", "2"), ("b", "3")]);
        assert_eq!(tags.as_json(), r#"{"b":"3","a":"2"}"#);
        assert_eq!(
            tags.pairs(),
            [
                ("b".to_owned(), "3".to_owned()),
                ("a".to_owned(), "2".to_owned())
            ]
        );
        let b = Backup::from_json(br#"{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","schema":{"fields": {"g": {"filterable": true}}},"tags":{"k":"v","k":"w"}}"#).unwrap();
        assert_eq!(
            b.schema.get().unwrap().get(),
            r#"{"fields": {"g": {"filterable": true}}}"#
        );
        assert_eq!(b.tags.get().unwrap().as_json(), r#"{"k":"w"}"#);
        let out = serde_json::to_string(&b).unwrap();
        assert!(
            out.contains(r#""schema":{"fields": {"g": {"filterable": true}}}"#),
            "{out}"
        );
        assert_eq!(
            Backup::from_value(&serde_json::from_str(&out).unwrap()).unwrap(),
            {
                let mut compact = b.clone();
                compact.schema = Field::Value(RawJson::from_value(
                    &b.schema.get().unwrap().value().unwrap(),
                ));
                compact
            }
        );
    }

    #[test]
    fn deep_json_is_refused_not_a_crash() {
        let deep = |n: usize| {
            format!(
                r#"{{"data":[{{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r","schema":{}1{}}}]}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let ok = BackupList::from_json(deep(100).as_bytes()).unwrap();
        assert!(ok.data[0].schema.get().unwrap().value().unwrap().is_array());
        let err = BackupList::from_json(deep(10_000).as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("data[0].schema") && err.contains("nested"),
            "{err}"
        );
        // The same for unknown fields (kept as JSON text too).
        let deep_extra = deep(10_000).replace("\"schema\"", "\"future\"");
        assert!(BackupList::from_json(deep_extra.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("nested more than 127 levels"));
        // Brackets inside strings do not count; lone surrogate escapes are refused.
        let nested =
            |n: usize| format!(r#"{{"a":"[[[{{","b":{}1{}}}"#, "[".repeat(n), "]".repeat(n));
        assert!(check_json(&nested(126)).is_ok());
        assert!(check_json(&nested(127)).is_err());
        for (text, ok) in [
            (r#""\ud83d\ude00""#, true),
            (r#""\\ud800""#, true), // an escaped backslash, then text
            (r#""\ud800""#, false),
            (r#""\ud800\u0041""#, false),
            (r#""\udc00""#, false),
            (r#"{"\udfff":1}"#, false),
        ] {
            assert_eq!(check_json(text).is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn int_parse() {
        assert_eq!(Int::parse("12"), Some(Int::Small(12)));
        assert_eq!(
            Int::parse("-9223372036854775808"),
            Some(Int::Small(i64::MIN))
        );
        assert_eq!(
            Int::parse("9223372036854775808"),
            Some(Int::Big("9223372036854775808".into()))
        );
        for bad in ["", "-", "1.0", "1e3", "012", "+1", " 1", "0x10"] {
            assert_eq!(Int::parse(bad), None, "{bad}");
        }
    }
}
