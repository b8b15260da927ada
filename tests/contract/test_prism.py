"""The client against Stoplight Prism's mock of the official spec (``scripts/prism-contract``).

Prism answers every operation with the spec's own examples (a named example when the response has
some, otherwise one built from the schema's property examples, with ``"string"`` where a property
has none), so each call below must succeed and decode to exactly those values. ``PRISM_URL`` runs
with ``--errors``: a request that breaks the spec is answered 422 (the call raises) and a response
that breaks it 500, so a call that succeeds was a valid request answered with a valid response.
``PRISM_LENIENT_URL`` (without ``--errors``) also serves the examples that break the spec's own
schema: the last page's ``"pagination": null``.

Prism's behaviours to know: its list examples carry ``"pagination": {"next": <token>}`` whatever
token was sent, so walking every page fails on the repeated token (the client refuses to loop):
the iterators here stop at ``max_items`` or use an example without a next page. ``Prefer: code=N``
alone answers with the ``ErrorResponse`` schema's example (``QUOTA_EXCEEDED``, ``"status": 429``)
rather than the response's named example; name the example too.
"""

from __future__ import annotations

import datetime
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

import pinecone_backups as pb
from tests.spec_validation import spec_path

PRISM_URL = os.environ.get("PRISM_URL", "")
PRISM_LENIENT_URL = os.environ.get("PRISM_LENIENT_URL", "")

pytestmark = pytest.mark.skipif(
    not PRISM_URL,
    reason="PRISM_URL is not set: scripts/prism-contract starts Prism and runs these tests",
)
needs_lenient = pytest.mark.skipif(
    bool(PRISM_URL) and not PRISM_LENIENT_URL,
    reason="PRISM_LENIENT_URL (Prism without --errors) is unset: scripts/prism-contract sets it",
)

HEADERS = {"Api-Key": "any", "X-Pinecone-Api-Version": "2025-10"}
INDEX_BACKUPS = "/indexes/{index_name}/backups"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(spec_path().read_text(encoding="utf-8"))
    return document


def example(
    spec: dict[str, Any], path: str, method: str, status: str, name: str | None = None
) -> Any:
    """The value of the response's named example (its only one when ``name`` is ``None``)."""
    examples = spec["paths"][path][method]["responses"][status]["content"]["application/json"][
        "examples"
    ]
    if name is None:
        (only,) = examples.values()
        return only["value"]
    return examples[name]["value"]


def property_examples(spec: dict[str, Any], schema: str) -> dict[str, Any]:
    """What Prism builds for a response without an example: the schema's property examples."""
    properties = spec["components"]["schemas"][schema]["properties"]
    return {key: value["example"] for key, value in properties.items() if "example" in value}


def as_json(value: Any) -> Any:
    """``value`` as the JSON Prism sends: YAML timestamps back to their ``Z`` strings."""

    def encode(obj: object) -> str:
        assert isinstance(obj, datetime.datetime), obj
        return obj.isoformat().replace("+00:00", "Z")

    return json.loads(json.dumps(value, default=encode))


def assert_matches(obj: Any, expected: dict[str, Any]) -> None:
    """Each field of ``expected`` is both what the server sent (``to_dict``) and the decoded
    attribute (timestamps as aware datetimes, numbers as numbers)."""
    raw = obj.to_dict()
    for key, value in expected.items():
        assert raw[key] == as_json(value), key
        assert getattr(obj, key) == value, key


def assert_is_example(obj: Any, expected: dict[str, Any]) -> None:
    assert obj.to_dict() == as_json(expected)
    assert_matches(obj, expected)


@pytest.fixture
def client() -> Iterator[pb.Client]:
    with pb.Client(api_key="any", host=PRISM_URL, max_retries=0, proxy="") as client:
        yield client


def prefer(url: str, value: str) -> pb.Client:
    """A client whose requests ask Prism for a given example or status (``Prefer``)."""
    return pb.Client(
        api_key="any", host=url, max_retries=0, proxy="", additional_headers={"Prefer": value}
    )


def raw_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, headers={**HEADERS, **(headers or {})})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.load(err)


def raw_post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={**HEADERS, "Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.load(err)


def test_prism_refuses_an_invalid_request() -> None:
    """The client validates its arguments before sending, so it cannot send these: raw requests
    prove that Prism checks queries and bodies, so the client's successes below mean something."""
    assert raw_get(f"{PRISM_URL}/backups")[0] == 200
    status, body = raw_get(f"{PRISM_URL}/backups?limit=0")
    assert status == 422, body
    assert body["validation"][0]["location"] == ["query", "limit"]
    status, body = raw_get(f"{PRISM_URL}/restore-jobs?limit=101")
    assert status == 422, body
    # A body without the required `name` (the spec declares a 422 for create-index).
    status, body = raw_post(f"{PRISM_URL}/backups/bk-1/create-index", {"tags": {"a": "b"}})
    assert status == 422, body


def test_prism_refuses_the_specs_own_null_pagination_examples(spec: dict[str, Any]) -> None:
    """A spec quirk, pinned: with --errors Prism answers 500 for the spec's examples of a last page
    (``"pagination": null``: ``PaginationResponse`` is neither nullable nor optional-next)."""
    for name in ("non-paginated-restore-jobs", "no-restore-jobs"):
        assert example(spec, "/restore-jobs", "get", "200", name)["pagination"] is None
        status, body = raw_get(f"{PRISM_URL}/restore-jobs", {"Prefer": f"example={name}"})
        assert status == 500, body
        assert body["validation"][0]["location"] == ["response", "body", "pagination"], body


def test_list_index_backups(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, INDEX_BACKUPS, "get", "200")
    page = client.list_index_backups("docs-example", limit=2)
    assert page.to_dict() == as_json(expected)
    assert len(page) == len(expected["data"]) == 2
    for backup, want in zip(page, expected["data"], strict=True):
        assert_is_example(backup, want)
    assert page.next_token == expected["pagination"]["next"]
    assert page.pagination == pb.Pagination(expected["pagination"]["next"])
    again = client.list_index_backups("docs-example", pagination_token=page.next_token)
    assert again == page


def test_iter_index_backups_one_page(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, INDEX_BACKUPS, "get", "200")
    ids = [b["backup_id"] for b in expected["data"]]
    it = client.iter_index_backups("docs-example", page_size=2, max_items=2)
    assert [b.backup_id for b in it] == ids
    assert it.handed_out == 2
    assert it.next_token == expected["pagination"]["next"]
    pages = client.iter_index_backups("docs-example", page_size=2).pages()
    first = next(pages)
    assert [b.backup_id for b in first] == ids
    assert pages.next_token == expected["pagination"]["next"]


def test_iter_index_backups_refuses_prisms_endless_token(client: pb.Client) -> None:
    """Prism answers every page with the same next token; the client stops instead of looping."""
    with pytest.raises(pb.ResponseDecodeError, match="same token"):
        list(client.iter_index_backups("docs-example", page_size=2))


def test_list_project_backups(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, "/backups", "get", "200")
    assert "pagination" not in expected
    page = client.list_project_backups(limit=10)
    assert page.to_dict() == {**as_json(expected), "pagination": None}  # the list's own shape
    for backup, want in zip(page, expected["data"], strict=True):
        assert_is_example(backup, want)
    assert page.pagination is None
    assert page.next_token is None


def test_iter_project_backups(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, "/backups", "get", "200")
    ids = [b["backup_id"] for b in expected["data"]]
    it = client.iter_project_backups(page_size=50)
    assert [b.backup_id for b in it] == ids  # one page without a next token: the end
    assert it.next_token is None
    assert [b.backup_id for b in client.iter_project_backups(max_items=1)] == ids[:1]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"name": "nightly"}, {"name": "nightly", "description": "Before the bulk update."}],
    ids=["no-name", "name", "name-and-description"],
)
def test_create_backup(client: pb.Client, spec: dict[str, Any], kwargs: dict[str, Any]) -> None:
    # The 201 has no example: Prism builds one from BackupModel's property examples.
    backup = client.create_backup("docs-example", **kwargs)
    assert_matches(backup, property_examples(spec, "BackupModel"))
    # `created_at` (and `metric`) have no example, so Prism sends "string": not RFC 3339, so the
    # attribute is None while to_dict() keeps what was sent.
    assert backup.to_dict()["created_at"] == "string"
    assert backup.created_at is None


def test_describe_backup(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, "/backups/{backup_id}", "get", "200")
    assert_is_example(client.describe_backup("bk-1"), expected)


def test_delete_backup(client: pb.Client) -> None:
    client.delete_backup("bk-1")  # 202, no body: returns None
    client.delete_backup("bk-1", missing_ok=True)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"tags": {"env": "prod", "team": "search"}, "deletion_protection": "enabled"}],
    ids=["plain", "tags-and-deletion-protection"],
)
def test_create_index_from_backup(
    client: pb.Client, spec: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    response = client.create_index_from_backup("bk-1", "restored-index", **kwargs)
    assert_is_example(response, property_examples(spec, "CreateIndexFromBackupResponse"))


def test_list_restore_jobs(client: pb.Client, spec: dict[str, Any]) -> None:
    # Prism serves the first named example: a page with a next token.
    expected = example(spec, "/restore-jobs", "get", "200", "paginated-restore-jobs")
    page = client.list_restore_jobs(limit=1)
    assert page.to_dict() == as_json(expected)
    for job, want in zip(page, expected["data"], strict=True):
        assert_is_example(job, want)
    assert page.next_token == expected["pagination"]["next"]


def test_iter_restore_jobs(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, "/restore-jobs", "get", "200", "paginated-restore-jobs")
    it = client.iter_restore_jobs(page_size=1, max_items=1)
    jobs = list(it)
    assert [job.to_dict() for job in jobs] == as_json(expected["data"])
    assert it.next_token == expected["pagination"]["next"]
    with pytest.raises(pb.ResponseDecodeError, match="same token"):
        list(client.iter_restore_jobs())


def test_describe_restore_job(client: pb.Client, spec: dict[str, Any]) -> None:
    # No example: built from RestoreJobModel's property examples ("Completed" at 42.2 percent).
    job = client.describe_restore_job("rj-1")
    assert_is_example(job, property_examples(spec, "RestoreJobModel"))
    assert isinstance(job.percent_complete, float)
    assert job.completed_at is not None and job.completed_at.tzinfo is not None


def test_wait_for_backup_and_restore_job(client: pb.Client, spec: dict[str, Any]) -> None:
    """The examples are `Ready` and `Completed`: the waits end at the first poll."""
    seen: list[Any] = []
    backup = client.wait_for_backup("bk-1", timeout=10, poll_interval=0.05, on_progress=seen.append)
    assert_is_example(backup, example(spec, "/backups/{backup_id}", "get", "200"))
    assert seen == [backup]
    job = client.wait_for_restore_job("rj-1", timeout=10, poll_interval=0.05)
    assert job.status == "Completed"
    created = client.create_backup("docs-example", name="nightly", wait=True)
    assert created == backup  # created (Prism's 201), then described until Ready


def test_errors_from_the_specs_examples(spec: dict[str, Any]) -> None:
    want = example(spec, INDEX_BACKUPS, "get", "404", "index-not-found")
    with (
        prefer(PRISM_URL, "code=404, example=index-not-found") as client,
        pytest.raises(pb.NotFoundError) as caught,
    ):
        client.list_index_backups("no-such-index")
    assert (caught.value.status, caught.value.message) == (404, want["error"]["message"])
    with prefer(PRISM_URL, "code=404, example=backup-not-found") as client:
        with pytest.raises(pb.NotFoundError):
            client.describe_backup("no-such-backup")
        client.delete_backup("no-such-backup", missing_ok=True)  # the 404 is not raised
    # `Prefer: code=404` alone: Prism sends ErrorResponse's schema example, whose code wins.
    with prefer(PRISM_URL, "code=404") as client, pytest.raises(pb.QuotaExceededError) as quota:
        client.describe_backup("no-such-backup")
    assert (quota.value.status, quota.value.code) == (404, "QUOTA_EXCEEDED")


@needs_lenient
def test_iter_restore_jobs_to_the_null_pagination_end(spec: dict[str, Any]) -> None:
    expected = example(spec, "/restore-jobs", "get", "200", "non-paginated-restore-jobs")
    with prefer(PRISM_LENIENT_URL, "example=non-paginated-restore-jobs") as client:
        page = client.list_restore_jobs()
        assert page.pagination is None and page.next_token is None
        assert [job.to_dict() for job in page] == as_json(expected["data"])
        it = client.iter_restore_jobs(page_size=10)
        assert [job.to_dict() for job in it] == as_json(expected["data"])
        assert it.next_token is None
    with prefer(PRISM_LENIENT_URL, "example=no-restore-jobs") as client:
        empty = client.list_restore_jobs()
        assert len(empty) == 0 and empty.next_token is None
        assert list(client.iter_restore_jobs()) == []


@needs_lenient
def test_lenient_prism_still_refuses_an_invalid_request() -> None:
    status, body = raw_get(f"{PRISM_LENIENT_URL}/backups?limit=0")
    assert status == 422, body


async def test_async_client(spec: dict[str, Any]) -> None:
    async with pb.AsyncClient(api_key="any", host=PRISM_URL, max_retries=0, proxy="") as client:
        page = await client.list_index_backups("docs-example", limit=2)
        assert page.to_dict() == as_json(example(spec, INDEX_BACKUPS, "get", "200"))
        project = example(spec, "/backups", "get", "200")
        ids = [b.backup_id async for b in client.iter_project_backups(page_size=10)]
        assert ids == [b["backup_id"] for b in project["data"]]
        created = await client.create_backup("docs-example", name="nightly", description="d")
        assert_matches(created, property_examples(spec, "BackupModel"))
        described = await client.describe_backup("bk-1")
        assert_is_example(described, example(spec, "/backups/{backup_id}", "get", "200"))
        await client.delete_backup("bk-1")
        restore = await client.create_index_from_backup(
            "bk-1", "restored-index", tags={"env": "prod"}, deletion_protection="disabled"
        )
        assert_is_example(restore, property_examples(spec, "CreateIndexFromBackupResponse"))
        jobs = [job async for job in client.iter_restore_jobs(page_size=1, max_items=1)]
        assert len(jobs) == 1
        job = await client.describe_restore_job("rj-1")
        assert_is_example(job, property_examples(spec, "RestoreJobModel"))
        assert await client.wait_for_restore_job("rj-1", timeout=10, poll_interval=0.05) == job
