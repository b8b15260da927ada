//! Inputs found by fuzzing the decoder (`scripts/fuzz`), kept as tests, and the seed corpus of
//! the fuzz target, decoded on every test run so that it cannot rot.
//!
//! Each input goes through the fuzz target's own checks (`check_input`, from
//! `fuzz/src/lib.rs`): no panic, and whatever decodes survives serialization, `same_fields`,
//! the `serde_json::Value` round trip of Python's `to_dict`/`from_dict`, and so on.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::fs;
use std::path::Path;

use checks::check_input;

const REQUIRED: &str = r#""backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready","cloud":"aws","region":"r""#;

/// A page of one backup: the required fields, then `members`.
fn page_of_one(members: &str) -> String {
    format!(r#"{{"data":[{{{REQUIRED},{members}}}]}}"#)
}

#[test]
fn every_seed_decodes_as_its_name_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).expect("the seed corpus is in fuzz/seeds") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = fs::read(&path).unwrap();
        let (page, backup) = check_input(&data);
        if name.starts_with("ok-") {
            assert!(
                page.is_ok() || backup.is_ok(),
                "{name} decodes neither as a page ({:?}) nor as a backup ({:?})",
                page.err(),
                backup.err()
            );
        } else if name.starts_with("err-") {
            assert!(
                page.is_err() && backup.is_err(),
                "{name} decodes: {page:?} {backup:?}"
            );
        } else {
            panic!("{name}: a seed is named ok-* or err-*");
        }
        seen += 1;
    }
    // A moved or emptied directory must not pass unnoticed.
    assert!(seen >= 40, "only {seen} seeds in {}", dir.display());
}

#[test]
fn seeds_hold_what_they_are_named_for() {
    let seed = |name: &str| {
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fuzz/seeds/{name}.json")))
            .unwrap()
    };
    let (page, _) = check_input(&seed("ok-spec-example"));
    let page = page.unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.next_token(), Some("dXNlcl9pZD11c2VyXzE="));
    let (page, _) = check_input(&seed("ok-docs-example"));
    assert_eq!(page.unwrap().data[0].status.as_ref(), "Pending");
    for last in [
        "null",
        "empty-object",
        "next-null",
        "next-empty",
        "duplicate-next",
    ] {
        let (page, _) = check_input(&seed(&format!("ok-last-page-{last}")));
        assert_eq!(page.unwrap().pagination, None, "{last}");
    }
    let (page, _) = check_input(&seed("err-schema-nested-10000"));
    assert!(page.unwrap_err().contains("data[0].schema"));
}

/// Found by reading the decoder while writing the fuzz target, then by the fuzzer.
///
/// `schema` is kept as raw JSON text (`RawJson`), which serde_json checks for well-formed escapes
/// but not for lone surrogates (`"\ud800"`), while every later parse of that text into a tree
/// (`RawJson::value`, `serde_json::to_value`) refuses them. Decoding succeeds, then
/// `Backup::same_fields` panics at `RawJson::value`'s `expect` ("RawJson holds valid JSON:
/// Error(\"unexpected end of hex escape\", line: 1, column: 8)"); in Python `backup.schema`,
/// `==` and `repr` raise `PanicException` and `to_dict()` raises `ValidationError`.
///
/// Expected: no panic; either the page is refused with an error naming `data[0].schema`, or it
/// decodes and every view of the schema works.
#[test]
#[ignore = "known bug: a lone surrogate escape in `schema` passes decoding and panics later"]
fn lone_surrogate_in_schema() {
    for schema in [
        r#""\ud800""#,
        r#"{"fields":{"\udc00":{"filterable":true}}}"#,
        r#"["\ud83d"]"#,
    ] {
        let body = page_of_one(&format!(r#""schema":{schema}"#));
        let (page, backup) = check_input(body.as_bytes());
        assert!(backup.is_err());
        if let Err(err) = page {
            assert!(err.starts_with("data[0].schema"), "{err}");
        }
        let alone = format!(r#"{{{REQUIRED},"schema":{schema}}}"#);
        let (_, backup) = check_input(alone.as_bytes());
        if let Err(err) = backup {
            assert!(err.starts_with("schema"), "{err}");
        }
    }
}

#[test]
fn escaped_surrogate_pairs_and_lone_surrogates_elsewhere() {
    // A well-formed pair is fine everywhere.
    let body = page_of_one(
        r#""name":"\ud83d\ude00","schema":{"fields":{"\ud83d\ude00":{"filterable":true}}}"#,
    );
    let (page, _) = check_input(body.as_bytes());
    assert_eq!(page.unwrap().data[0].name.get().unwrap(), "\u{1F600}");
    // Outside `schema`, a lone surrogate is refused with the path.
    for (field, value) in [
        ("name", r#""\ud800""#),
        ("tags", r#"{"k":"\udc00"}"#),
        ("future", r#"["\ud800"]"#),
    ] {
        let body = page_of_one(&format!(r#""{field}":{value}"#));
        let (page, _) = check_input(body.as_bytes());
        let err = page.unwrap_err();
        assert!(err.starts_with(&format!("data[0].{field}")), "{err}");
    }
}
