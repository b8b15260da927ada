"""The vendored specs are the official files, byte for byte: one per API version the client
speaks, each with the digest the shared spec's README gives."""

from __future__ import annotations

import hashlib
import re

import pytest

import pinecone_backups as pb
from tests.spec_validation import DEFAULT_VERSION, SHARED_SPEC_DIR, SPECS, SpecFile

README = SHARED_SPEC_DIR / "README.md"


def readme_digests(text: str) -> dict[str, set[str]]:
    """The sha256 values the README gives, by the version of the spec file last named before
    each."""
    digests: dict[str, set[str]] = {}
    version = None
    for match in re.finditer(
        r"db_control_(\d{4}-\d\d)\.oas\.yaml|sha256\s+`([0-9a-f]{64})`", text, re.IGNORECASE
    ):
        if match[1]:
            version = match[1]
        elif version is not None:
            digests.setdefault(version, set()).add(match[2].lower())
    return digests


def test_there_is_a_spec_for_every_version_the_client_speaks() -> None:
    assert list(SPECS) == list(pb.API_VERSIONS)
    assert DEFAULT_VERSION == pb.API_VERSION


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda spec: spec.version)
def test_vendored_copy_is_the_official_file(spec: SpecFile) -> None:
    assert hashlib.sha256(spec.vendored_path.read_bytes()).hexdigest() == spec.sha256


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda spec: spec.version)
def test_vendored_copy_matches_the_shared_one(spec: SpecFile) -> None:
    if not spec.shared_path.is_file():
        pytest.skip(f"no shared spec at {spec.shared_path}")
    assert spec.shared_path.read_bytes() == spec.vendored_path.read_bytes()


def test_the_digests_are_the_shared_readmes() -> None:
    if not README.is_file():
        pytest.skip(f"no shared spec README at {README}")
    assert readme_digests(README.read_text(encoding="utf-8")) == {
        version: {spec.sha256} for version, spec in SPECS.items()
    }


def test_readme_digests_reads_each_files_digest() -> None:
    # The reader the test above relies on: a digest counts for the file named last before it.
    text = (
        "- File: `db_control_2025-10.oas.yaml` ... path `2025-10/db_control_2025-10.oas.yaml`\n"
        f"  sha256 `{'a' * 64}`.\n"
        f"- `db_control_2026-04.oas.yaml`: ... sha256\n  `{'b' * 64}`. Also `db_control_x`.\n"
    )
    assert readme_digests(text) == {"2025-10": {"a" * 64}, "2026-04": {"b" * 64}}
