"""Fixtures of the models' tests."""

from __future__ import annotations

import json

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import DOCS_EXAMPLE_RESPONSE


@pytest.fixture
def backup() -> pb.Backup:
    """The docs' example backup."""
    return pb.Backup.from_dict(json.loads(DOCS_EXAMPLE_RESPONSE)["data"][0])
