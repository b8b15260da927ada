"""The notebook displays in a real browser: a notebook that lists backups from the emulator is
executed in a Jupyter kernel (nbclient), rendered to HTML (nbconvert, whose HTML output is not
sanitized: our escaping is all that stands between a backup's name and the page), then loaded in
headless Chromium, which dumps the DOM it built (``--dump-dom``) and takes a screenshot.

Needs Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run`` installs it);
skipped without it. ``UPDATE_NOTEBOOK_SCREENSHOT=1`` also copies the screenshot to
``docs/notebook.png`` (the one the README shows).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
nbconvert = pytest.importorskip("nbconvert")


CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)


DOCS_SCREENSHOT = ROOT / "docs" / "notebook.png"
EVIL = "<script>alert(1)</script>"
EVIL_ID = "5c1d0e9a-7b2f-4c1e-9a3d-000000000bad"
WINDOW = (1200, 900)
READY_BACKGROUND = (0xDA, 0xFB, 0xE1)  # the Ready badge's (pinecone_backups._display)
BUSY_BACKGROUND = (0xFF, 0xF8, 0xC5)  # Pending

CELLS = [
    "import pinecone_backups as pb\n"
    "from pinecone_backups.testing import Emulator\n"
    "emu = Emulator().start()\n"
    "client = pb.Client(api_key=emu.api_key, host=emu.url)\n"
    f"emu.add_backup('docs-example', backup_id={EVIL_ID!r}, name={EVIL!r},\n"
    "               status='Failed', size_bytes=52_428_800, record_count=1_000,\n"
    "               namespace_count=1, created_at='2025-01-15T08:00:00Z');",
    "client.list_index_backups('docs-example')",
    f"client.describe_backup({EVIL_ID!r})",
    "client.iter_project_backups(page_size=50)",
    "client.close(); emu.stop()",
]

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    # The page is a local file: nothing may be fetched from the network (the CDN scripts of
    # nbconvert's template are replaced, and any other name fails to resolve at once).
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


class Dom(HTMLParser):
    """What a test reads from the DOM Chromium built: the text of every table cell and caption,
    and of every script element."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.captions: list[str] = []
        self.scripts: list[str] = []
        self.tables = 0
        self._open: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "pinecone-backups pb-page") in attrs:
            self.tables += 1
        if tag in ("td", "caption", "script"):
            self._open.append(tag)
            {"td": self.cells, "caption": self.captions, "script": self.scripts}[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            kind = self._open[-1]
            {"td": self.cells, "caption": self.captions, "script": self.scripts}[kind][-1] += data


class Timings:
    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    def step(self, name: str, started: float) -> None:
        self.steps[name] = time.monotonic() - started

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.steps.items())


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[list[str]]:
    """The command line of a headless Chromium with a fresh profile of its own."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    assert CHROMIUM is not None
    yield [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]


def run_notebook() -> Any:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["title"] = "pinecone-backups in a notebook"
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    return notebook


def to_html(notebook: Any) -> str:
    exporter = nbconvert.HTMLExporter()
    nothing = "data:text/javascript,"
    exporter.require_js_url = exporter.mathjax_url = exporter.mermaid_js_url = nothing
    body, _ = exporter.from_notebook_node(notebook)
    assert isinstance(body, str)
    return body


def run_chromium(command: list[str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_the_notebook_renders_tables_in_chromium(
    tmp_path: Path, chromium: list[str], record_property: Callable[[str, object], None]
) -> None:
    timings = Timings()
    started = time.monotonic()
    notebook = run_notebook()
    timings.step("execute", started)

    # What the kernel sent: an HTML table next to the text, for the page, the backup and the
    # iterator.
    outputs = [cell.outputs for cell in notebook.cells]
    for shown in outputs[1:4]:
        assert shown[0]["output_type"] == "execute_result"
        assert {"text/html", "text/plain"} <= set(shown[0]["data"])
    assert "<script" not in outputs[2][0]["data"]["text/html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outputs[2][0]["data"]["text/html"]

    started = time.monotonic()
    page = tmp_path / "notebook.html"
    page.write_text(to_html(notebook), encoding="utf-8")
    timings.step("nbconvert", started)

    started = time.monotonic()
    dumped = run_chromium([*chromium, "--dump-dom", page.as_uri()]).stdout
    timings.step("chromium --dump-dom", started)
    dom = Dom(dumped)

    # The tables as the browser built them.
    assert dom.tables == 1
    assert "BackupList: 4 backups, last page" in dom.captions
    assert {"Backup", "BackupIterator"} <= set(dom.captions)
    for text in ("example-backup", "pre-migration-backup", "initial-backup", "Ready", "Pending"):
        assert text in dom.cells
    assert "1.0 MiB" in dom.cells and "2025-03-11 18:29:50 UTC" in dom.cells
    assert "50.0 MiB (52,428,800 bytes)" in dom.cells  # the evil backup's own table
    assert "Nothing was fetched" in dumped  # the iterator's state
    # The name is text in two cells (the page's row and the backup's own table), and no script
    # element of the page carries it.
    assert dom.cells.count(EVIL) == 2
    assert not [script for script in dom.scripts if "alert(1)" in script]

    started = time.monotonic()
    screenshot = tmp_path / "notebook.png"
    window = f"--window-size={WINDOW[0]},{WINDOW[1]}"
    run_chromium([*chromium, window, f"--screenshot={screenshot}", page.as_uri()])
    timings.step("chromium --screenshot", started)

    image = pytest.importorskip("PIL.Image").open(screenshot).convert("RGB")
    assert image.size == WINDOW
    colors = image.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50  # text, not a blank page
    painted = {color: count for count, color in colors}
    assert painted.get(READY_BACKGROUND, 0) > 100  # the green badges of Ready backups
    assert painted.get(BUSY_BACKGROUND, 0) > 50  # the amber badge of the Pending one

    if os.environ.get("UPDATE_NOTEBOOK_SCREENSHOT") == "1":
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(screenshot, DOCS_SCREENSHOT)
    record_property("timings", str(timings))
    print(f"\nnotebook in Chromium: {timings}")
