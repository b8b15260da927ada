"""The vendored spec is the official file, byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from tests.spec_validation import SHARED_SPEC_PATH, SPEC_SHA256, VENDORED_SPEC_PATH


def test_vendored_copy_is_the_official_file() -> None:
    assert hashlib.sha256(VENDORED_SPEC_PATH.read_bytes()).hexdigest() == SPEC_SHA256


def test_vendored_copy_matches_the_shared_one() -> None:
    if not SHARED_SPEC_PATH.is_file():
        pytest.skip(f"no shared spec at {SHARED_SPEC_PATH}")
    assert SHARED_SPEC_PATH.read_bytes() == VENDORED_SPEC_PATH.read_bytes()
