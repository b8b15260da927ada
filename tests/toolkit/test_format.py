"""How values read to people (``pinecone_backups._format``), written once for the command line
and the notebook displays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _display, _format
from pinecone_backups.__main__ import main
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY

MOMENT = datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("formatter", "value", "expected"),
    [
        (_format.text, None, "-"),
        (_format.text, "", "-"),
        (_format.text, "nightly", "nightly"),
        (_format.text, 0, "0"),
        (_format.count, None, "-"),
        (_format.count, 0, "0"),
        (_format.count, 1234567, "1,234,567"),
        (_format.when, None, "-"),
        (_format.when, MOMENT, "2025-03-11 18:29:50 UTC"),
        (
            _format.when,
            MOMENT.astimezone(timezone(timedelta(hours=2))),
            "2025-03-11 20:29:50 UTC+02:00",
        ),
        (_format.percent, None, "-"),
        (_format.percent, 100.0, "100%"),
        (_format.percent, 42.25, "42.2%"),
        (_format.percent, 0.04, "0%"),
        (_format.tags, {}, "-"),
        (_format.tags, {"env": "dev", "n": 1}, "env=dev, n=1"),
        (_format.human_size, None, "-"),
        (_format.human_size, 999, "999 B"),
        (_format.human_size, 1047552, "1.0 MiB"),
        (_format.exact_size, None, "-"),
        (_format.exact_size, 1069169, "1.0 MiB (1,069,169 bytes)"),
        (_format.compact_json, None, "-"),
        (
            _format.compact_json,
            {"fields": {"g": {"filterable": True}}},
            '{"fields":{"g":{"filterable":true}}}',
        ),
    ],
)
def test_values(formatter: Callable[[Any], str], value: object, expected: str) -> None:
    assert formatter(value) == expected


def test_plural() -> None:
    assert [_format.plural(n, "backup") for n in (0, 1, 2, 1000)] == [
        "0 backups",
        "1 backup",
        "2 backups",
        "1000 backups",
    ]
    assert _format.plural(1000, "backup", grouped=True) == "1,000 backups"


def test_field_text_by_name_then_by_type() -> None:
    assert _format.field_text("record_count", 1234) == "1,234"
    assert _format.field_text("size_bytes", 1069169) == "1.0 MiB (1,069,169 bytes)"
    assert _format.field_text("created_at", MOMENT) == "2025-03-11 18:29:50 UTC"
    assert _format.field_text("name", None) == "-"
    assert _format.field_names(pb.RestoreJob)[:2] == ("restore_job_id", "backup_id")


def test_printable_and_json_printable() -> None:
    assert _format.printable("a\x1b[2J\r\n\x9b\u202e\\") == "a\\x1b[2J\\r\\n\\x9b\\u202e\\\\"
    assert _format.json_printable('{"a":"\x7f\x9b\u202e"}') == '{"a":"\\u007f\\u009b\\u202e"}'


def test_the_command_line_and_the_notebook_share_the_formatters(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # One table of field formatters: changing it changes both views.
    monkeypatch.setitem(_format.FIELD_TEXTS, "tags", lambda tags: f"<{len(tags)} tags>")
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    created = emulator.add_backup("idx", tags={"a": "1", "b": "2"})
    assert main(["describe", created["backup_id"], "--host", emulator.url]) == 0
    # (Each view aligns its values after the longest field name: compare words, not spaces.)
    assert ["tags", "<2", "tags>"] in [
        line.split() for line in capsys.readouterr().out.splitlines()
    ]
    backup = pb.Backup.from_dict(created)
    assert ["tags", "<2", "tags>"] in [line.split() for line in _display.text(backup).splitlines()]
