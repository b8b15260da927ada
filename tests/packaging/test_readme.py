"""What the README promises: its set-up section says what a fresh machine needs."""

from __future__ import annotations

import re

from tests.helpers import ROOT


def test_the_readme_set_up_says_what_a_fresh_machine_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    set_up = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    text = " ".join(set_up.split())
    assert "Rust >= 1.88" in text
    assert "C compiler" in text
    assert "crates.io" in text and "PyPI" in text  # network access to the registries
    assert len(re.findall(r"about [\d.]+ minutes?", text)) == 2  # how long each command takes
    assert "its own `.venv`" in text
