"""Writes the seed corpus of the fuzz targets into ``seeds/`` (run it again after editing it).

    .venv/bin/python crates/pinecone-backups-core/fuzz/make_seeds.py

A seed named ``ok-*`` decodes (as a page, a backup or both); one named ``err-*`` decodes as
neither. ``tests/fuzz_regressions.rs`` decodes every seed and holds them to that.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

FUZZ_DIR = Path(__file__).resolve().parent
REPO = FUZZ_DIR.parents[2]
SPEC = REPO / "tests" / "data" / "db_control_2025-10.oas.yaml"
SEEDS = FUZZ_DIR / "seeds"

sys.path.insert(0, str(REPO / "python"))
from pinecone_backups.testing._examples import DOCS_EXAMPLE_RESPONSE  # noqa: E402


class _SpecLoader(yaml.SafeLoader):
    """YAML without timestamp resolution: ``created_at: 2024-03-15T10:30:00Z`` stays text."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def spec_example() -> dict[str, Any]:
    """The 200 example of ``list_index_backups`` in the spec."""
    spec = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=_SpecLoader)
    for path in spec["paths"].values():
        operation = path.get("get", {})
        if operation.get("operationId") == "list_index_backups":
            examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
            value: dict[str, Any] = next(iter(examples.values()))["value"]
            return value
    raise LookupError("list_index_backups has no 200 example in the spec")


REQUIRED = (
    '"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready",'
    '"cloud":"aws","region":"us-east-1"'
)


def backup(extra: str = "") -> str:
    """A backup object with the required fields and `extra` (JSON members) after them."""
    return "{" + REQUIRED + ("," + extra if extra else "") + "}"


def page(*backups: str, pagination: str | None = None) -> str:
    tail = "" if pagination is None else f',"pagination":{pagination}'
    return '{"data":[' + ",".join(backups) + "]" + tail + "}"


def nest(depth: int, leaf: str = "1", open_: str = "[", close: str = "]") -> str:
    return open_ * depth + leaf + close * depth


def seeds() -> dict[str, str | bytes]:
    example = spec_example()
    one = json.dumps(example["data"][0], ensure_ascii=False)
    out: dict[str, str | bytes] = {
        "ok-docs-example": DOCS_EXAMPLE_RESPONSE,
        "ok-spec-example": json.dumps(example, indent=2),
        "ok-spec-example-backup": one,
        "ok-required-only": page(backup()),
        "ok-required-only-backup": backup(),
        "ok-empty-object": "{}",
        "ok-data-null": '{"data":null}',
        "ok-data-empty": '{"data":[]}',
        "ok-next-token": page(backup(), pagination='{"next":"dXNlcl9pZD11c2VyXzE="}'),
        "ok-next-token-extra": page(pagination='{"next":"abc=","extra":[1,{}]}'),
        "ok-last-page-null": page(backup(), pagination="null"),
        "ok-last-page-empty-object": page(backup(), pagination="{}"),
        "ok-last-page-next-null": page(backup(), pagination='{"next":null}'),
        "ok-last-page-next-empty": page(backup(), pagination='{"next":""}'),
        "ok-last-page-duplicate-next": page(pagination='{"next":"a","next":null}'),
        "ok-optional-nulls": page(
            backup(
                '"name":null,"description":null,"dimension":null,"metric":null,"schema":null,'
                '"record_count":null,"namespace_count":null,"size_bytes":null,"tags":null,'
                '"created_at":null'
            )
        ),
        "ok-big-integers": page(
            backup(
                '"dimension":9223372036854775807,"record_count":123456789012345678901234567890,'
                '"namespace_count":-9223372036854775809,"size_bytes":18446744073709551616'
            ),
            backup('"dimension":-9223372036854775808,"record_count":-0,"size_bytes":0'),
        ),
        "ok-unknown-fields": (
            '{"data":['
            + backup(
                '"future":{"nested":[1,2.50,1e400,-0.0,true,null,"x"]},'
                '"other":18446744073709551616,"dup":1,"dup":{"a":1,"a":2}'
            )
            + '],"total":3,'
            '"pagination":{"next":"t"},"meta":{"deep":[[[]]]}}'
        ),
        "ok-duplicate-fields": page(
            backup('"cloud":"gcp","tags":{"k":"v","k":"w"},"name":"a","name":null')
        ),
        "ok-escaped-keys": page(
            '{"backup\\u005fid":"b","source_index_name":"i","source_index_id":"x",'
            '"\\u0073tatus":"Ready","cloud":"aws","region":"r"}'
        ),
        "ok-non-ascii": page(
            backup(
                '"name":"résumé 备份 🎉","description":"\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/",'
                '"tags":{"ключ":"значение","emoji-🎉":"","":""},'
                '"schema":{"fields":{"日本語":{"filterable":true}}}'
            )
        ),
        "ok-schema-shapes": page(
            backup('"schema":{"fields":{}}'),
            backup('"schema":{ "fields" : { "a" : { "filterable" : false } } , "x" : 1.0e5 }'),
            backup('"schema":[1,"two",null]'),
            backup('"schema":"text"'),
        ),
        "ok-schema-nested-127": page(backup('"schema":' + nest(127))),
        # Kept JSON (schema, tags, unknown members) may nest 127 deep on its own, as serde_json
        # reads it back, wherever it sits in the page.
        "ok-extra-nested-127": page(backup('"future":' + nest(127))),
        "err-extra-nested-128": page(backup('"future":' + nest(128))),
        "ok-timestamps": page(
            *(
                backup(f'"created_at":"{text}"')
                for text in (
                    "2025-03-11T18:29:50.549505Z",
                    "2025-05-15T00:52:10.809305882Z",
                    "2024-03-15T10:30:00Z",
                    "2024-03-15 10:30:00.5-05:30",
                    "2024-03-15t10:30:00.1z",
                    "2024-02-29T23:59:59.999999999+23:59",
                    "0001-01-01T00:00:00-00:00",
                    "9999-12-31T23:59:59.123456789-23:59",
                    "2024-03-15T10:30:60Z",
                    "2023-02-29T10:30:00Z",
                    "0000-01-01T00:00:00Z",
                    "2024-03-15T10:30:00.1234567890Z",
                    "yesterday",
                    "",
                )
            )
        ),
        "ok-whitespace": ' \n\t{ "data" : [ ' + backup() + ' ] , "pagination" : null } \r\n',
        # More distinct statuses than the decoder interns (a repeated key: the last one wins).
        "ok-many-backups": page(
            *(backup(f'"name":"n{i}","status":"S{i % 40}"') for i in range(60))
        ),
        "err-empty": "",
        "err-array": "[]",
        "err-null": "null",
        "err-string": '"x"',
        "err-truncated": DOCS_EXAMPLE_RESPONSE[: len(DOCS_EXAMPLE_RESPONSE) // 2],
        "err-trailing": DOCS_EXAMPLE_RESPONSE + "x",
        "err-invalid-utf8": DOCS_EXAMPLE_RESPONSE.encode().replace(b"docs", b"do\xff\xfe"),
        "err-missing-required": page(
            '{"backup_id":"b","source_index_name":"i","source_index_id":"x","status":"Ready",'
            '"region":"r"}'
        ),
        "err-wrong-types": page(backup('"record_count":"many","dimension":1.5,"tags":{"a":1}')),
        "err-required-null": page(backup().replace('"cloud":"aws"', '"cloud":null')),
        "err-data-object": '{"data":{}}',
        "err-backup-not-object": '{"data":[1]}',
        "err-pagination-number": '{"data":[],"pagination":5}',
        "err-next-number": '{"data":[],"pagination":{"next":5}}',
        "err-bad-integers": page(backup('"dimension":012,"size_bytes":1e3')),
        "err-schema-nested-128": page(backup('"schema":' + nest(128))),
        "err-schema-nested-10000": page(backup('"schema":' + nest(10_000))),
        "err-extra-nested-10000": page(backup('"future":' + nest(10_000, "{}", '{"a":', "}"))),
        "err-data-nested-10000": '{"data":' + nest(10_000) + "}",
        "err-lone-surrogate-name": page(backup('"name":"\\ud800"')),
        "err-nul-bytes": "\x00" * 16,
    }
    return out


def main() -> None:
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    SEEDS.mkdir()
    for name, body in seeds().items():
        data = body.encode() if isinstance(body, str) else body
        (SEEDS / f"{name}.json").write_bytes(data)
    print(f"wrote {len(seeds())} seeds to {SEEDS}")


if __name__ == "__main__":
    main()
