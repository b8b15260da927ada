//! The invariants the fuzz targets check, shared with the regression tests of the core crate
//! (`tests/fuzz_regressions.rs` includes this file).
//!
//! Arbitrary bytes go through `BackupList::from_json` and `Backup::from_json`.
//!
//! Decoding must never panic, hang or overflow the stack, whatever the input. When it succeeds,
//! the decoded value must survive the trips the client and the Python package make with it:
//! - serialized and decoded again, it is equal (`==`, the exact JSON shape) and `same_fields`
//!   holds (the field values a reader sees, Python's `==`); serializing again gives the same bytes;
//! - a page's `pagination`, when present, has a non-empty `next` (every other shape is the last
//!   page);
//! - every kept JSON value (`schema`, unknown fields) reads as a tree;
//! - a backup of a page decodes on its own to the same backup;
//! - `created_at` timestamps and integers print as text that parses back to the same value, and
//!   tags rebuilt from their pairs are the same tags;
//! - serde_json's private tokens (`$serde_json::private::Number`, ...) do not appear in the
//!   decoded data unless the input has them.

use pinecone_backups_core::{Backup, BackupList, Int, JsonError, Tags, Timestamp};

/// What [`check_input`] decoded: `data` as a page, and as one backup.
pub type Decoded = (Result<BackupList, JsonError>, Result<Backup, JsonError>);

/// Decodes `data` as a page and as a backup, and checks the invariants of whatever decodes.
/// Panics when an invariant does not hold.
pub fn check_input(data: &[u8]) -> Decoded {
    let page = BackupList::from_json(data);
    if let Ok(page) = &page {
        check_page(page);
        check_no_private_token(data, &serde_json::to_vec(page).expect("a page serializes"));
    }
    let backup = Backup::from_json(data);
    if let Ok(backup) = &backup {
        check_backup(backup);
        check_no_private_token(
            data,
            &serde_json::to_vec(backup).expect("a backup serializes"),
        );
    }
    (page, backup)
}

/// serde_json (with `arbitrary_precision` and `raw_value`) passes numbers and raw values around
/// as objects with a private key; none must end up in the decoded data. The output can only hold
/// such a key legitimately when the input does, literally or through `\u` escapes.
fn check_no_private_token(input: &[u8], output: &[u8]) {
    const TOKEN: &[u8] = b"$serde_json::private";
    let contains =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    if !contains(input, TOKEN) && !contains(input, b"\\u") {
        assert!(
            !contains(output, TOKEN),
            "serde_json's private token leaked into the decoded data: {}",
            String::from_utf8_lossy(output)
        );
    }
}

pub fn check_page(page: &BackupList) {
    if let Some(pagination) = &page.pagination {
        assert!(
            !pagination.next.is_empty(),
            "a page with an empty next token is not the last page: {page:?}"
        );
    }
    let json = serde_json::to_vec(page).expect("a decoded page serializes");
    let again = BackupList::from_json(&json).unwrap_or_else(|err| {
        panic!(
            "a serialized page does not decode: {err}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(&again, page, "the page changed through serialization");
    for (backup, backup_again) in page.data.iter().zip(&again.data) {
        assert!(
            backup.same_fields(backup_again),
            "same_fields does not hold after serialization: {backup:?} vs {backup_again:?}"
        );
    }
    let json_again = serde_json::to_vec(&again).expect("a decoded page serializes");
    assert_eq!(json, json_again, "serialization is not stable");
    for backup in &page.data {
        let alone = serde_json::to_vec(backup).expect("a decoded backup serializes");
        let decoded = Backup::from_json(&alone).unwrap_or_else(|err| {
            panic!(
                "a backup of a page does not decode on its own: {err}\n{}",
                String::from_utf8_lossy(&alone)
            )
        });
        assert_eq!(
            &decoded, backup,
            "a backup of a page decodes differently on its own"
        );
        check_backup(backup);
    }
}

pub fn check_backup(backup: &Backup) {
    let json = serde_json::to_vec(backup).expect("a decoded backup serializes");
    let again = Backup::from_json(&json).unwrap_or_else(|err| {
        panic!(
            "a serialized backup does not decode: {err}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(&again, backup, "the backup changed through serialization");
    assert!(
        backup.same_fields(&again) && again.same_fields(backup),
        "same_fields does not hold after serialization: {backup:?} vs {again:?}"
    );
    assert_eq!(
        serde_json::to_vec(&again).expect("a decoded backup serializes"),
        json,
        "serialization is not stable"
    );

    // Every kept JSON value reads as a tree (Python's `schema` and `to_dict()` read them).
    for raw in backup.schema.get().into_iter().chain(
        backup
            .extra
            .iter()
            .flat_map(|extra| extra.iter().map(|(_, v)| v)),
    ) {
        let _ = raw.value();
    }

    if let Some(timestamp) = backup.created_at_timestamp() {
        let text = timestamp.to_string();
        assert_eq!(
            Timestamp::parse(&text),
            Some(timestamp),
            "the timestamp {text:?} does not parse back"
        );
    }
    for int in [
        &backup.dimension,
        &backup.record_count,
        &backup.namespace_count,
        &backup.size_bytes,
    ]
    .into_iter()
    .filter_map(|field| field.get())
    {
        assert_eq!(
            Int::parse(&int.to_string()).as_ref(),
            Some(int),
            "{int:?} does not print back"
        );
    }
    if let Some(tags) = backup.tags.get() {
        assert_eq!(
            &Tags::from_pairs(tags.pairs()),
            tags,
            "tags rebuilt from their pairs differ"
        );
    }
}
