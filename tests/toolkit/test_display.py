"""The notebook displays, ``_repr_html_`` and IPython's ``_repr_pretty_`` (``_display``)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html import escape
from html.parser import HTMLParser
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _display, _extensions, _native
from pinecone_backups.testing import DOCS_EXAMPLE_BACKUP, Emulator
from tests.helpers import API_KEY, RawReply, RawServer

EVIL = "<script>alert(1)</script>"
CUT = 40
"""The longest text of a cell of a page's or an iterator's HTML table (the README says so)."""


def backup(**fields: object) -> pb.Backup:
    values: dict[str, object] = {
        "backup_id": "b-1",
        "source_index_name": "idx",
        "source_index_id": "idx-id",
        "status": "Ready",
        "cloud": "aws",
        "region": "us-east-1",
        "name": "nightly",
        "record_count": 1234,
        "namespace_count": 3,
        "size_bytes": 1069169,
        "created_at": "2025-03-11T18:29:50Z",
    }
    values.update(fields)
    return pb.Backup(**values)  # type: ignore[arg-type]


def job(**fields: object) -> pb.RestoreJob:
    values: dict[str, object] = {
        "restore_job_id": "rj-1",
        "backup_id": "b-1",
        "target_index_name": "restored",
        "target_index_id": "restored-id",
        "status": "Pending",
        "created_at": "2025-03-11T18:29:50Z",
    }
    values.update(fields)
    return pb.RestoreJob(**values)  # type: ignore[arg-type]


def schedule(**fields: object) -> pb.BackupSchedule:
    values: dict[str, object] = {
        "schedule_id": "s-1",
        "name": "nightly",
        "index_id": "idx-id",
        "project_id": "proj",
        "schedule_type": "time-based",
        "frequency": "daily",
        "retention_expire_after_days": 7,
        "enabled": True,
        "next_scheduled_run": "2026-07-02T00:00:00Z",
        "created_at": "2026-07-01T00:00:00Z",
    }
    values.update(fields)
    return pb.BackupSchedule.from_dict(values)


def run(**fields: object) -> pb.BackupScheduleHistoryItem:
    values: dict[str, object] = {
        "backup_id": "b-1",
        "source_index_id": "idx-id",
        "source_index_name": "idx",
        "name": "nightly-20260701",
        "status": "Ready",
        "cloud": "aws",
        "region": "us-east-1",
        "record_count": 1234,
        "size_bytes": 1069169,
        "created_at": "2026-07-01T00:00:00Z",
    }
    values.update(fields)
    return pb.BackupScheduleHistoryItem.from_dict(values)


def header(markup: str) -> list[str]:
    return re.findall(r"<th[^>]*>([^<]*)</th>", markup)


class Dom(HTMLParser):
    """Every element's tag, and the text of each ``td`` and of each ``script``."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells: list[str] = []
        self.scripts: list[str] = []
        self._open: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("td", "script"):
            self._open.append(tag)
            (self.cells if tag == "td" else self.scripts).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if "script" in self._open:
            self.scripts[-1] += data
        elif "td" in self._open:
            self.cells[-1] += data


class FakePrinter:
    """IPython's pretty printer protocol, as ``_repr_pretty_`` uses it."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, text: str) -> None:
        self.parts.append(text)

    def break_(self) -> None:
        self.parts.append("\n")

    @property
    def output(self) -> str:
        return "".join(self.parts)


def test_a_page_is_a_compact_table_with_human_sizes() -> None:
    page = pb.BackupList([backup(), backup(backup_id="b-2", size_bytes=None, name=None)])
    dom = Dom(page._repr_html_())
    assert dom.tags.count("tr") == 3  # the header and a row per backup
    assert dom.cells[:8] == [
        "b-1",
        "nightly",
        "idx",
        "Ready",
        "1.0 MiB",
        "2025-03-11 18:29:50 UTC",
        "1,234",
        "3",
    ]
    assert dom.cells[8:13] == ["b-2", "-", "idx", "Ready", "-"]
    assert 'title="1,069,169 bytes"' in page._repr_html_()
    assert "BackupList: 2 backups, last page" in page._repr_html_()


def test_a_backup_named_script_renders_as_text() -> None:
    evil = backup(name=EVIL, description='"quoted" & <b>bold</b>', tags={"<k>": "<v>"})
    for markup in (evil._repr_html_(), pb.BackupList([evil])._repr_html_()):
        assert "<script" not in markup
        assert "<b>" not in markup
        dom = Dom(markup)
        assert dom.scripts == []
        assert EVIL in dom.cells  # the browser shows exactly the name
    assert '"quoted" & <b>bold</b>' in Dom(evil._repr_html_()).cells
    assert "<k>=<v>" in Dom(evil._repr_html_()).cells


def test_a_status_that_is_not_text_cannot_break_out_either() -> None:
    markup = backup(status='Ready"><img src=x onerror=alert(1)>')._repr_html_()
    assert "<img" not in markup
    assert "img" not in Dom(markup).tags


@pytest.mark.parametrize(
    ("status", "color"),
    [
        ("Ready", "#1a7f37"),
        ("Completed", "#1a7f37"),
        ("Pending", "#9a6700"),
        ("Initializing", "#9a6700"),
        ("Failed", "#cf222e"),
        ("InitializationFailed", "#cf222e"),
        ("Cancelled", "#cf222e"),
        ("Scheduled", "#9a6700"),  # a run a schedule will make
        ("SomethingNew", "#57606a"),
    ],
)
def test_statuses_have_colours(status: str, color: str) -> None:
    assert _display.status_colors(status)[0] == color
    markup = backup(status=status)._repr_html_()
    badge = re.search(
        r'<span class="pb-status" data-status="([^"]*)" style="color:([^;]*);', markup
    )
    assert badge is not None and badge.groups() == (status, color)
    if status in ("Pending", "Completed", "Failed"):
        assert f"color:{color}" in pb.RestoreJobList([job(status=status)])._repr_html_()


def test_restore_jobs_show_backup_target_status_percent_and_times() -> None:
    done = job(status="Completed", completed_at="2025-03-11T19:00:00Z", percent_complete=100.0)
    page = pb.RestoreJobList([job(), done])
    header = re.findall(r"<th[^>]*>([^<]*)</th>", page._repr_html_())
    assert header == [
        "restore_job_id",
        "backup_id",
        "target_index",
        "status",
        "percent",
        "created_at",
        "completed_at",
    ]
    cells = Dom(page._repr_html_()).cells
    assert cells[:7] == ["rj-1", "b-1", "restored", "Pending", "-", "2025-03-11 18:29:50 UTC", "-"]
    assert cells[11:] == ["100%", "2025-03-11 18:29:50 UTC", "2025-03-11 19:00:00 UTC"]
    assert "restored-id" in Dom(done._repr_html_()).cells


def test_a_single_object_shows_every_field() -> None:
    markup = backup(tags={"env": "prod"})._repr_html_()
    shown = re.findall(r"<th[^>]*>([^<]*)</th>", markup)
    assert sorted(shown) == sorted(set(pb.Backup.__match_args__) - {"schema"})
    assert shown[:2] == ["backup_id", "name"]
    assert "1.0 MiB (1,069,169 bytes)" in Dom(markup).cells
    response = pb.CreateIndexFromBackupResponse("rj-9", "ix-9")
    assert Dom(response._repr_html_()).cells == ["rj-9", "ix-9"]


def test_a_long_page_is_cut_with_a_count() -> None:
    page = pb.BackupList([backup(backup_id=f"b-{n}") for n in range(_display.MAX_ROWS + 5)])
    dom = Dom(page._repr_html_())
    assert dom.tags.count("tr") == 1 + _display.MAX_ROWS + 1
    assert dom.cells[-1] == "... and 5 more backups"


def test_displaying_an_iterator_sends_no_request(client: pb.Client, emulator: Emulator) -> None:
    walk = client.iter_index_backups("big-index", page_size=10, max_items=15)
    jobs = client.iter_restore_jobs(page_size=5)
    before = len(emulator.requests)
    markup = walk._repr_html_()
    printer = FakePrinter()
    walk._repr_pretty_(printer, False)
    jobs._repr_html_()
    assert len(emulator.requests) == before == 0
    dom = Dom(markup)
    assert dom.cells[:5] == ["big-index", "10", "15", "0", "-"]
    assert "BackupIterator" in markup and "Nothing was fetched" in markup
    lines = printer.output.split("\n")
    assert lines[0] == "BackupIterator"
    assert [line.split() for line in lines[1:6]] == [
        ["index_name", "big-index"],
        ["page_size", "10"],
        ["max_items", "15"],
        ["handed_out", "0"],
        ["next_token", "-"],
    ]

    for _ in range(12):  # one page and a bit: the state moves on, still without a fetch
        next(walk)
    sent = len(emulator.requests)
    dom = Dom(walk._repr_html_())
    assert dom.cells[3] == "12"
    assert walk.next_token is not None
    assert dom.cells[4] == walk.next_token[: CUT - 1] + "\u2026"  # cut: a token
    assert f'title="{walk.next_token}"' in walk._repr_html_()  # the whole token on hover
    assert len(emulator.requests) == sent == 2


async def test_displaying_an_async_iterator_sends_no_request(emulator: Emulator) -> None:
    async with pb.AsyncClient(api_key=emulator.api_key, host=emulator.url) as aclient:
        walk = aclient.iter_project_backups(page_size=7)
        markup = walk._repr_html_()
        printer = FakePrinter()
        walk._repr_pretty_(printer, False)
    assert emulator.requests == []
    assert "AsyncBackupIterator" in markup and "await it.to_pandas()" in markup
    assert printer.output.startswith("AsyncBackupIterator\npage_size   7\n")


def test_an_iterator_name_that_is_markup_is_escaped(client: pb.Client) -> None:
    # Iterator reprs quote the index name; a name the API would refuse is refused before any
    # display, so check the state reader on a repr that carries markup directly.
    class Fake:
        handed_out = 0
        next_token = EVIL

        def __repr__(self) -> str:
            return f"BackupIterator(page_size=1, next_token={EVIL!r})"

    Fake.__name__ = "BackupIterator"
    markup = _display.html(Fake())
    assert "<script" not in markup
    assert EVIL in Dom(markup).cells


def test_pretty_prints_a_page_as_an_aligned_table() -> None:
    printer = FakePrinter()
    pb.BackupList([backup(), backup(backup_id="b-22", status="Pending")])._repr_pretty_(
        printer, False
    )
    lines = printer.output.split("\n")
    assert lines[0] == "BackupList: 2 backups, last page"
    assert lines[1].split() == [
        "BACKUP_ID",
        "NAME",
        "INDEX",
        "STATUS",
        "SIZE",
        "CREATED_AT",
        "RECORDS",
        "NAMESPACES",
    ]
    assert lines[2].split()[:5] == ["b-1", "nightly", "idx", "Ready", "1.0"]
    assert lines[3].split()[:4] == ["b-22", "nightly", "idx", "Pending"]
    assert lines[2].index("Ready") == lines[3].index("Pending")  # aligned
    assert "\n" not in "".join(p for p in printer.parts if p != "\n")  # text() gets one line


def test_pretty_prints_one_object_a_field_per_line() -> None:
    printer = FakePrinter()
    job(percent_complete=42.5)._repr_pretty_(printer, False)
    lines = printer.output.split("\n")
    assert lines[0] == "RestoreJob"
    assert lines[1].split() == ["restore_job_id", "rj-1"]
    assert ["percent_complete", "42.5%"] in [line.split() for line in lines]


def test_pretty_with_a_cycle_prints_a_placeholder() -> None:
    printer = FakePrinter()
    backup()._repr_pretty_(printer, True)
    assert printer.output == "Backup(...)"


def test_ipython_pretty_uses_the_hook() -> None:
    pretty = pytest.importorskip("IPython.lib.pretty")
    page = pb.BackupList([backup(name=EVIL)])
    text = pretty.pretty(page)
    assert text.startswith("BackupList: 1 backup, last page\n")
    assert EVIL in text  # text is not HTML: shown as is


def test_the_sample_backup_in_both_displays(client: pb.Client) -> None:
    page = client.list_index_backups("docs-example")
    cells = Dom(page._repr_html_()).cells
    assert DOCS_EXAMPLE_BACKUP["backup_id"] in cells
    assert "Pending" in cells
    assert _display.text(page).count("\n") == 1 + len(page)


def test_human_size() -> None:
    assert [_display.human_size(n) for n in (None, 0, 999, 1024, 5 * 1024**3, 3 * 1024**5)] == [
        "-",
        "0 B",
        "999 B",
        "1.0 KiB",
        "5.0 GiB",
        "3.0 PiB",
    ]


def test_a_time_shows_its_exact_value_as_a_tooltip() -> None:
    moment = datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=timezone.utc)
    assert 'title="2025-03-11T18:29:50.549505+00:00"' in backup(created_at=moment)._repr_html_()


def test_sizes_switch_unit_before_four_digits() -> None:
    # One rule everywhere: the next unit once the rounded value would reach 1000.
    assert [
        _display.human_size(n)
        for n in (999, 1000, 1023, 1023 * 1024, 999 * 1024 + 973, 1024**2 - 1, 10**12, 1024**8)
    ] == ["999 B", "1.0 KiB", "1.0 KiB", "1.0 MiB", "1.0 MiB", "1.0 MiB", "931.3 GiB", "1.0 YiB"]
    assert _display.human_size(999 * 1024 + 972) == "999.9 KiB"  # 999.949...
    for exponent in range(80):
        for size in (2**exponent - 1, 2**exponent, 10**exponent // 7, 10**exponent - 1):
            number, unit = _display.human_size(size).split()
            if unit != "YiB":
                assert len(number.split(".")[0]) <= 3, (size, number, unit)
    # A page in a notebook shows sizes by the same rule.
    page = pb.BackupList([backup(size_bytes=1023 * 1024)])
    assert "1.0 MiB" in Dom(page._repr_html_()).cells


def test_an_iterators_table_shows_values_as_the_other_tables_do(client: pb.Client) -> None:
    walk = client.iter_index_backups("big-index", page_size=1000 // 100)
    cells = Dom(walk._repr_html_()).cells
    assert cells[:5] == ["big-index", "10", "-", "0", "-"]  # no 'big-index', no None
    assert "None" not in walk._repr_html_() and "'" not in "".join(cells)
    printer = FakePrinter()
    walk._repr_pretty_(printer, False)
    assert ["max_items", "-"] in [line.split() for line in printer.output.split("\n")]


def test_long_texts_are_cut_in_page_tables_with_the_full_text_on_hover() -> None:
    long_name = "n" * 30 + '"><script>alert(1)</script>' + "m" * 200
    markup = pb.BackupList([backup(name=long_name), backup(backup_id="b-2")])._repr_html_()
    dom = Dom(markup)
    shown = dom.cells[1]
    assert len(shown) == CUT and shown.endswith("\u2026")
    assert long_name.startswith(shown[:-1])
    assert dom.scripts == [] and "<script" not in markup
    titles = re.findall(r'title="([^"]*)"', markup)
    assert escape(long_name) in titles  # the whole name, escaped, on hover
    assert max(len(cell) for cell in dom.cells) <= CUT
    # An object's own table keeps the whole text, wrapping it.
    own = Dom(backup(name=long_name)._repr_html_())
    assert long_name in own.cells


def test_the_text_display_escapes_control_characters() -> None:
    evil = "a\x1b[2J\rb\nc\x9b\u202e"
    for obj in (backup(name=evil), pb.BackupList([backup(name=evil)])):
        printer = FakePrinter()
        obj._repr_pretty_(printer, False)
        for character in "\x1b\r\x9b\u202e":
            assert character not in printer.output
        assert "a\\x1b[2J\\rb\\nc\\x9b\\u202e" in printer.output


# -- Backup schedules and their history, and any page or iterator of the native module ------------


def test_a_schedule_page_shows_frequency_retention_and_next_run() -> None:
    disabled = schedule(
        schedule_id="s-2",
        name="weekly",
        frequency="weekly",
        retention_expire_after_days=1,
        enabled=False,
        next_scheduled_run=None,
    )
    page = pb.BackupScheduleList([schedule(), disabled])
    markup = page._repr_html_()
    assert header(markup) == [
        "schedule_id",
        "name",
        "frequency",
        "retention",
        "enabled",
        "next_run",
        "created_at",
    ]
    cells = Dom(markup).cells
    assert cells[:7] == [
        "s-1",
        "nightly",
        "daily",
        "7 days",
        "True",
        "2026-07-02 00:00:00 UTC",
        "2026-07-01 00:00:00 UTC",
    ]
    assert cells[7:] == [
        "s-2",
        "weekly",
        "weekly",
        "1 day",
        "False",
        "-",
        "2026-07-01 00:00:00 UTC",
    ]
    assert 'title="2026-07-02T00:00:00+00:00"' in markup  # the exact time on hover
    assert "BackupScheduleList: 2 backup schedules, last page" in markup
    lines = _display.text(page).split("\n")
    assert lines[0] == "BackupScheduleList: 2 backup schedules, last page"
    assert lines[1].split() == [
        "SCHEDULE_ID",
        "NAME",
        "FREQUENCY",
        "RETENTION",
        "ENABLED",
        "NEXT_RUN",
        "CREATED_AT",
    ]
    assert lines[3].split()[:7] == ["s-2", "weekly", "weekly", "1", "day", "False", "-"]


def test_a_schedule_history_page_shows_each_run() -> None:
    scheduled = run(
        backup_id="b-2",
        name="nightly-20260702",
        status="Scheduled",
        record_count=None,
        size_bytes=None,
        scheduled_execution_at="2026-07-02T00:00:00Z",
    )
    page = pb.BackupScheduleHistoryList([run(), scheduled], pb.Pagination("tok"))
    markup = page._repr_html_()
    assert header(markup) == [
        "backup_id",
        "name",
        "status",
        "scheduled_for",
        "created_at",
        "size",
        "records",
    ]
    cells = Dom(markup).cells
    assert cells[:7] == [
        "b-1",
        "nightly-20260701",
        "Ready",
        "-",
        "2026-07-01 00:00:00 UTC",
        "1.0 MiB",
        "1,234",
    ]
    assert cells[7:] == [
        "b-2",
        "nightly-20260702",
        "Scheduled",
        "2026-07-02 00:00:00 UTC",
        "2026-07-01 00:00:00 UTC",
        "-",
        "-",
    ]
    assert 'data-status="Scheduled" style="color:#9a6700;' in markup  # amber: planned
    assert "BackupScheduleHistoryList: 2 runs, next page: tok" in markup
    lines = _display.text(page).split("\n")
    assert lines[0] == "BackupScheduleHistoryList: 2 runs, next page: tok"
    assert lines[3].split()[:3] == ["b-2", "nightly-20260702", "Scheduled"]


@pytest.mark.parametrize(
    "obj", [schedule(), run(schema={"fields": {"e": {"type": "dense_vector"}}})]
)
def test_a_schedule_and_a_run_show_every_field(obj: Any) -> None:
    fields = type(obj).__match_args__
    markup = obj._repr_html_()
    assert header(markup) == [
        fields[0],
        "name",
        *(name for name in fields[1:] if name not in ("name", "schema")),
    ]
    shown = dict(zip(header(markup), Dom(markup).cells, strict=True))
    assert shown["created_at"] == "2026-07-01 00:00:00 UTC"
    assert ("size_bytes" not in shown) or shown["size_bytes"] == "1.0 MiB (1,069,169 bytes)"
    assert ("enabled" not in shown) or shown["enabled"] == "True"
    printer = FakePrinter()
    obj._repr_pretty_(printer, False)
    lines = printer.output.split("\n")
    assert lines[0] == type(obj).__name__
    assert [line.split()[0] for line in lines[1:]] == header(markup)


def test_a_model_without_compact_columns_shows_every_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a page of a model added later shows: no edit of _display needed.
    monkeypatch.delitem(_display.COMPACT, "BackupSchedule")
    page = pb.BackupScheduleList([schedule(), schedule(schedule_id="s-2")])
    markup = page._repr_html_()
    fields = pb.BackupSchedule.__match_args__
    assert header(markup) == list(fields)  # name is already second
    assert Dom(markup).cells[: len(fields)] == [
        "s-1",
        "nightly",
        "idx-id",
        "proj",
        "time-based",
        "daily",
        "7",
        "True",
        "2026-07-02 00:00:00 UTC",
        "2026-07-01 00:00:00 UTC",
    ]
    assert "BackupScheduleList: 2 backup schedules, last page" in markup
    assert _display.text(page).split("\n")[1].split() == [name.upper() for name in fields]


ITEMS = {
    "BackupList": "Backup",
    "BackupIterator": "Backup",
    "AsyncBackupIterator": "Backup",
    "RestoreJobList": "RestoreJob",
    "RestoreJobIterator": "RestoreJob",
    "AsyncRestoreJobIterator": "RestoreJob",
    "BackupScheduleList": "BackupSchedule",
    "BackupScheduleIterator": "BackupSchedule",
    "AsyncBackupScheduleIterator": "BackupSchedule",
    "BackupScheduleHistoryList": "BackupScheduleHistoryItem",
    "BackupScheduleHistoryIterator": "BackupScheduleHistoryItem",
    "AsyncBackupScheduleHistoryIterator": "BackupScheduleHistoryItem",
}


def test_the_model_of_each_page_and_iterator_is_read_from_the_native_module() -> None:
    for collection, model in ITEMS.items():
        assert _display.item_model(getattr(_native, collection)) is getattr(_native, model)
    for other in (_native.Backup, _native.Pagination, _native.BackupSchedulePageIterator, int):
        assert _display.item_model(other) is None
    # Every page and iterator the package extends is one of them.
    assert {cls.__name__ for cls in (*_extensions.PAGES, *_extensions.ITERATORS)} == set(ITEMS)


def every_iterator(client: Any) -> list[Any]:
    """One iterator of each list operation of ``client`` (an ``x`` for each required argument)."""
    made = []
    for operation in _native.OPERATIONS:
        if operation.get("iterator"):
            required = [name for name, _, _, needed in operation["params"] if needed]
            made.append(getattr(client, operation["iterator"])(*["x"] * len(required)))
    return made


async def test_every_iterator_and_page_of_the_native_module_is_displayed() -> None:
    with RawServer(lambda _: RawReply(599)) as server:
        options = {"api_key": API_KEY, "host": server.url, "api_version": "2026-07"}
        with pb.Client(**options) as client:  # type: ignore[arg-type]
            async with pb.AsyncClient(**options) as aclient:  # type: ignore[arg-type]
                iterators = every_iterator(client) + every_iterator(aclient)
                assert {type(it) for it in iterators} == set(_extensions.ITERATORS)
                for iterator in iterators:
                    name = type(iterator).__name__
                    markup = iterator._repr_html_()
                    assert 'class="pinecone-backups pb-iterator"' in markup, name
                    assert f">{name}</caption>" in markup
                    state = dict(zip(header(markup), Dom(markup).cells, strict=True))
                    assert (state["page_size"], state["handed_out"]) == ("100", "0")
                    assert _display.text(iterator).startswith(f"{name}\n")
        assert server.requests == []  # displaying fetched nothing
    for page_class in _extensions.PAGES:
        name = page_class.__name__
        markup = page_class()._repr_html_()
        assert 'class="pinecone-backups pb-page"' in markup, name
        assert f"{name}: 0 " in markup and "last page" in markup
        model = _display.item_model(page_class)
        assert model is not None
        assert header(markup) == [title for title, _ in _display.page_columns(model)[0]]
