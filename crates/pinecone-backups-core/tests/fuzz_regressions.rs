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
    assert!(page.unwrap_err().to_string().contains("data[0].schema"));
}

/// Found by reading the decoder while writing the fuzz target, then by the fuzzer (below).
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
            assert!(err.to_string().starts_with("data[0].schema"), "{err}");
        }
        let alone = format!(r#"{{{REQUIRED},"schema":{schema}}}"#);
        let (_, backup) = check_input(alone.as_bytes());
        if let Err(err) = backup {
            assert!(err.to_string().starts_with("schema"), "{err}");
        }
    }
}

/// The same bug as the fuzzer found it (after 7.5 minutes, from the spec's example backup): a
/// lone surrogate in a key of `schema.fields`. Panics with "RawJson holds valid JSON:
/// Error(\"lone leading surrogate in hex escape\", line: 1, column: 50)".
#[test]
fn fuzz_crash_bdb0063499c7273500acc2ae665e4c7ca74a80c7() {
    let input = r#"{"backup_id": "bkx_123abc", "cloud": "aws", "created_at": "2024)03-15T10:30:00Z", "description": "Monthly backup7777777777777777777777777777777777777777 of productionosine", "name": "b\\ackup_2024_03_15", "namespace_count": 3, "rceord_count": 120000, "region": "us-east-1", "schema": {"fields": {"g184467440731e3551616enre": {"f\udc00ilterable": true}, "title": {"filterable": true}}}, "size_bytes": 10000000, "source_index_id": "idx_456", "source_index_name": "my-index", "status": "Ready", "tags": {"environment": "production", "type": "monthly"}}"#;
    let (_page, backup) = check_input(input.as_bytes());
    if let Err(err) = backup {
        assert!(err.to_string().starts_with("schema"), "{err}");
    }
}

/// Found by the fuzzer (the spec's example, mutated): an object with the key
/// `$serde_json::private::RawValue` in `schema`. serde_json, built with `arbitrary_precision` and
/// `raw_value`, marks its own numbers and raw values with single-key objects named
/// `$serde_json::private::Number` and `$serde_json::private::RawValue`, and its `Value` takes an
/// object that comes with such a key in the server's JSON for one of those. Here `RawJson::value`
/// panics: "RawJson holds valid JSON: Error(\"invalid type: boolean `true`, expected raw value\",
/// line: 7, column: 50)".
///
/// Expected: no panic, and the document (valid JSON, valid for the spec) decodes with the schema
/// kept as sent.
#[test]
fn fuzz_crash_e36e5bbe3a47e2c6793a994b6739cfc56af32fdd() {
    let input = r#"{
  "data": [
    {
      "backup_id": "bkp_123abc",
      "cloud": "aws",
      "cr_eeatdat": "2024-03-15T10:30:00Z",
      "description": "Monthly backup of production index",
      "dimension": 1536,
      "metric": "cosine",
      "name": "backup_2024_03_15",
      "namespace_count": 3,
      "record_count": 120000,
      "region": "us-east-1",
      "!schema": {
        "fields": {
          "genre": {
            "filterable": true
          },
          "title": {
            "filterable": true
          }
        }
      },
      "size_bytes": 10000000,
      "source_indp_id":"9947520e-d5a1-4418-a78d-9f464c9969da","source_index_ex_id": "idx_456",
      "source_index_name": "my-index",
      "status": "Re024_03_20",
      "lamespace_count": 4,
      "record_count": 125000,
      "region": "us-east-1",
      "schema": {
        "fields": {
          "genre": {
            "filterable": true
          },
          "title": {
            "$serde_json::private::RawValue": true
          }
        }
      },
      "size_bytes": 10500000,
      "source_index_id": "idx_456",
      "source_index_name": "my-index",
      "status": "Ready",
      "tags": {
        "environment": "production",
        "type": "pre-deploy"
      }
    }
  ],
  "pagination": {
    "next": "dXNlcl9pZD11c2VyXzE="
  }
}"#;
    let (page, _) = check_input(input.as_bytes());
    let page = page.unwrap();
    let schema = page.data[0].schema.get().unwrap().value().unwrap();
    assert_eq!(
        schema["fields"]["title"]["$serde_json::private::RawValue"],
        true
    );
}

/// The same cause (serde_json's private keys), elsewhere: in an unknown field the object is
/// replaced by the number or JSON it names (`{"$serde_json::private::Number":"12"}` becomes `12`)
/// or the valid document is refused (`"trailing comma"`, `"invalid number"`); in `tags` and
/// `schema` the text is kept, but `serde_json::to_value` (Python's `to_dict()`) turns the object
/// into `12` (then `from_value` refuses the tags) or fails.
///
/// Expected: every document decodes, and serializes, to a value and as text, as sent.
#[test]
fn serde_json_private_keys_are_kept_as_sent() {
    const NUMBER: &str = "$serde_json::private::Number";
    const RAW: &str = "$serde_json::private::RawValue";
    for (field, value) in [
        ("future", format!(r#"{{"{NUMBER}":"12"}}"#)),
        ("future", format!(r#"{{"a":{{"{NUMBER}":"1"}}}}"#)),
        ("future", format!(r#"{{"{RAW}":"[1]"}}"#)),
        ("future", format!(r#"{{"{NUMBER}":"12","other":1}}"#)),
        ("future", format!(r#"{{"{NUMBER}":"abc"}}"#)),
        ("future", format!(r#"{{"{RAW}":"x"}}"#)),
        ("schema", format!(r#"{{"{NUMBER}":"12"}}"#)),
        ("schema", format!(r#"{{"fields":{{"{RAW}":true}}}}"#)),
        ("tags", format!(r#"{{"{NUMBER}":"12"}}"#)),
        ("tags", format!(r#"{{"{RAW}":"x"}}"#)),
    ] {
        let member = format!(r#""{field}":{value}"#);
        let (page, _) = check_input(page_of_one(&member).as_bytes());
        let page = page.unwrap_or_else(|err| panic!("{member}: {err}"));
        let backup = &page.data[0];
        let text = serde_json::to_string(backup).unwrap();
        assert!(text.contains(&member), "{member}: {text}");
        // Read as a tree, the keys are taken literally.
        if field == "schema" || field == "future" {
            let raw = match field {
                "schema" => backup.schema.get().unwrap(),
                _ => &backup.extra.as_ref().unwrap()[0].1,
            };
            let tree = serde_json::to_string(&raw.value().unwrap()).unwrap();
            assert!(tree.contains("$serde_json::private"), "{member}: {tree}");
        } else {
            assert!(backup
                .tags
                .get()
                .unwrap()
                .as_json()
                .contains("$serde_json::private"));
        }
    }
}

/// Found by the property tests (`tests/test_properties.py`, a wrong JSON type for `tags`), then
/// checked by the fuzz target (no private token in the decoded data). With `arbitrary_precision`,
/// serde_json hands a number that is not a 64-bit integer to a `deserialize_any` visitor as the
/// object `{"$serde_json::private::Number": "0.5"}`; the visitors of `tags` and `pagination`
/// accept objects, so `"tags": 0.5` decodes to the tag `$serde_json::private::Number=0.5`
/// (and Python's `to_dict()` gives back `"tags": 0.5`), and `"pagination": 0.5` to a last page.
/// (The errors for other fields say "invalid type: map" for such numbers.)
///
/// Expected: an error that names the field, as for `"tags": 5`.
#[test]
fn a_number_is_neither_tags_nor_pagination() {
    for member in [r#""tags":0.5"#, r#""tags":1180591620717411303424"#] {
        let (page, _) = check_input(page_of_one(member).as_bytes());
        let err = page.unwrap_err().to_string();
        assert!(err.clone().starts_with("data[0].tags"), "{member}: {err}");
    }
    for body in [
        r#"{"data":[],"pagination":0.5}"#,
        r#"{"data":[],"pagination":-1180591620717411303424}"#,
    ] {
        let (page, _) = check_input(body.as_bytes());
        let err = page.unwrap_err().to_string();
        assert!(err.clone().starts_with("pagination"), "{body}: {err}");
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
        let err = page.unwrap_err().to_string();
        assert!(
            err.clone().starts_with(&format!("data[0].{field}")),
            "{err}"
        );
    }
}
