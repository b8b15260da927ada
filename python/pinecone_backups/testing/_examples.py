"""Example payloads from Pinecone's documentation and OpenAPI spec, and the emulator's seed data."""

from __future__ import annotations

import calendar
import copy
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from ._store import INDEX_FIELDS, rfc3339

DOCS_EXAMPLE_RESPONSE: str = (
    '{"data":[{"backup_id":"9947520e-d5a1-4418-a78d-9f464c9969da",'
    '"source_index_id":"8433941a-dae7-43b5-ac2c-d3dab4a56b2b","source_index_name":"docs-example",'
    '"tags":{},"name":"example-backup","description":"Monthly backup of production index",'
    '"status":"Pending","cloud":"aws","region":"us-east-1","dimension":1024,"record_count":98,'
    '"namespace_count":3,"size_bytes":1069169,"created_at":"2025-03-11T18:29:50.549505Z"}],'
    '"pagination":null}'
)
"""The response body shown on Pinecone's docs page for ``list_index_backups`` (API 2025-10),
verbatim. Note ``"pagination":null`` on this last page, which the spec's schema does not allow."""

DOCS_EXAMPLE_BACKUP: dict[str, Any] = json.loads(DOCS_EXAMPLE_RESPONSE)["data"][0]
"""The one backup of :data:`DOCS_EXAMPLE_RESPONSE`, served first for the seeded ``docs-example``
index (serialised back, it is byte for byte the docs text)."""

SPEC_EXAMPLE_RESPONSE: dict[str, Any] = {
    "data": [
        {
            "backup_id": "bkp_123abc",
            "cloud": "aws",
            "created_at": "2024-03-15T10:30:00Z",
            "description": "Monthly backup of production index",
            "dimension": 1536,
            "metric": "cosine",
            "name": "backup_2024_03_15",
            "namespace_count": 3,
            "record_count": 120000,
            "region": "us-east-1",
            "schema": {"fields": {"genre": {"filterable": True}, "title": {"filterable": True}}},
            "size_bytes": 10000000,
            "source_index_id": "idx_456",
            "source_index_name": "my-index",
            "status": "Ready",
            "tags": {"environment": "production", "type": "monthly"},
        },
        {
            "backup_id": "bkp_789xyz",
            "cloud": "aws",
            "created_at": "2024-03-20T15:45:00Z",
            "description": "Pre-deployment safety backup",
            "dimension": 1536,
            "metric": "cosine",
            "name": "backup_2024_03_20",
            "namespace_count": 4,
            "record_count": 125000,
            "region": "us-east-1",
            "schema": {"fields": {"genre": {"filterable": True}, "title": {"filterable": True}}},
            "size_bytes": 10500000,
            "source_index_id": "idx_456",
            "source_index_name": "my-index",
            "status": "Ready",
            "tags": {"environment": "production", "type": "pre-deploy"},
        },
    ],
    "pagination": {"next": "dXNlcl9pZD11c2VyXzE="},
}
"""The 200 example of ``list_index_backups`` in the OpenAPI spec (2025-10), field for field.

The YAML leaves ``created_at`` unquoted; it is kept here as the string written there. The spec
lists the older backup first; the emulator serves the seeded ``my-index`` newest first."""


@dataclass(frozen=True)
class SeedIndex:
    """An index of the seed data: its name, its id and its backups in insertion order; the
    arguments of its backup schedule (which made all of them), if any; when it was deleted, if
    it was."""

    name: str
    index_id: str
    backups: list[dict[str, Any]] = field(default_factory=list)
    schedule: dict[str, Any] | None = None
    deleted_at: str | None = None

    @property
    def fields(self) -> dict[str, Any]:
        """The index's description: what its newest (last inserted) backup says of it."""
        newest = self.backups[-1] if self.backups else {}
        return {key: newest[key] for key in INDEX_FIELDS if key in newest}


def _docs_example() -> SeedIndex:
    newest = copy.deepcopy(DOCS_EXAMPLE_BACKUP)
    older = [
        {
            "backup_id": "1b0c6f3e-77a2-4d5f-9c4e-2f8a9d1e6b37",
            "source_index_id": newest["source_index_id"],
            "source_index_name": "docs-example",
            "tags": {"purpose": "migration"},
            "name": "pre-migration-backup",
            "description": "Backup before schema migration",
            "status": "Ready",
            "cloud": "aws",
            "region": "us-east-1",
            "dimension": 1024,
            "record_count": 96,
            "namespace_count": 3,
            "size_bytes": 1047552,
            "created_at": "2025-02-27T09:12:04.118230Z",
        },
        {
            "backup_id": "c5e2d8a1-3f49-4b7e-8d06-94a7b2e15fc0",
            "source_index_id": newest["source_index_id"],
            "source_index_name": "docs-example",
            "tags": {},
            "name": "initial-backup",
            "description": "First backup after initial load",
            "status": "Ready",
            "cloud": "aws",
            "region": "us-east-1",
            "dimension": 1024,
            "record_count": 90,
            "namespace_count": 2,
            "size_bytes": 982016,
            "created_at": "2025-02-03T14:05:31.902114Z",
        },
    ]
    return SeedIndex("docs-example", newest["source_index_id"], [*older, newest])


def _big_index(count: int = 25) -> SeedIndex:
    rng = random.Random("big-index")  # fixed seed: the seed data is the same on every run

    def new_uuid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    index_id = new_uuid()
    first = calendar.timegm((2025, 1, 6, 2, 0, 0, 0, 0, 0))
    backups = []
    for day in range(count):
        records = 50_000 + 1_250 * day
        backups.append(
            {
                "backup_id": new_uuid(),
                "source_index_id": index_id,
                "source_index_name": "big-index",
                "tags": {"schedule": "daily", "team": "search"},
                "name": f"big-index-daily-{day + 1:02d}",
                "description": "Scheduled daily backup",
                "status": "Ready",
                "cloud": "aws",
                "region": "us-east-1",
                "dimension": 768,
                "metric": "cosine",
                "record_count": records,
                "namespace_count": 4,
                "size_bytes": records * 3_200,
                "created_at": rfc3339(
                    (first + day * 86_400 + rng.randrange(600)) * 1_000_000_000 + day * 1000
                ),
            }
        )
    backups[-1]["status"] = "Pending"
    schedule = {
        "schedule_id": new_uuid(),
        "name": "big-index-daily",
        "frequency": "daily",
        "expire_after_days": 3650,  # none of its backups expires before 2035
        "enabled": False,  # it never runs by itself: the sample data stays as it is
        "created_at": rfc3339(first * 1_000_000_000 - 86_400 * 1_000_000_000),
    }
    return SeedIndex("big-index", index_id, backups, schedule)


def seed_indexes() -> list[SeedIndex]:
    """The seed data, freshly built (callers may mutate it)."""
    spec_backups = json.loads(json.dumps(SPEC_EXAMPLE_RESPONSE["data"]))
    return [
        _docs_example(),
        SeedIndex("my-index", "idx_456", spec_backups),
        SeedIndex("empty-index", "5f0d2c8e-9a41-4e6b-b3d7-1c2e8f4a6d90"),
        _big_index(),
        SeedIndex(
            "retired-index",
            "0b7e5a3c-2d14-4f8e-9c61-7a5d3e2f1b08",
            deleted_at="2025-02-14T09:00:00Z",
        ),
    ]
