"""The client against Stoplight Prism's mock of each official spec (``scripts/prism-contract``),
every test under every API version it concerns, the client configured with that ``api_version``.

Prism answers every operation with the spec's own examples (the first named example when the
response has some, otherwise one built from the schema's property examples, with ``"string"``
where a property has none), so each call below must succeed and decode to exactly those values.
``PRISM_URLS`` (``version=url,...``) run with ``--errors``: a request that breaks the spec is
answered 422 (the call raises) and a response that breaks it 500, so a call that succeeds was a
valid request answered with a valid response. ``PRISM_LENIENT_URLS`` (without ``--errors``) also
serve the examples that break the spec's own schema.

The specs' examples that break their own schema (pinned below, and served by the lenient Prism
where a test needs them): 2025-10's last pages of restore jobs (``"pagination": null``; 2026-04
dropped the key instead); 2026-07's project backups (a ``full_text_search`` without the
``stemming`` and ``stop_words`` that ``ResponseStringField`` requires), its updated schedule
(no ``next_scheduled_run``, which ``BackupScheduleResponse`` requires) and its full-text-search
index (``serverless-fts``: the same ``full_text_search`` quirk, on its ``title`` field).

Prism's behaviours to know: its list examples carry ``"pagination": {"next": <token>}`` whatever
token was sent, so walking every page fails on the repeated token (the client refuses to loop):
the iterators here stop at ``max_items`` or use an example without a next page. ``Prefer:
code=N`` alone answers with the ``ErrorResponse`` schema's example (whose code differs by
version) rather than the response's named example; name the example too. Likewise, asked for
no example, Prism serves the response schema's own ``example`` when it has one (2026-07's
``IndexModel``: a ``my-index``) rather than the first named example.
"""

from __future__ import annotations

import functools
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from jsonschema_path.readers import FilePathReader

import pinecone_backups as pb
from tests.spec_validation import SPECS, spec_path


def _urls(variable: str) -> dict[str, str]:
    """``version=url,...`` from the environment."""
    pairs = (item.partition("=") for item in os.environ.get(variable, "").split(",") if item)
    return {version: url for version, _, url in pairs}


STRICT = _urls("PRISM_URLS")
LENIENT = _urls("PRISM_LENIENT_URLS")

pytestmark = pytest.mark.skipif(
    not STRICT,
    reason="PRISM_URLS is not set: scripts/prism-contract starts Prism (one per API version) "
    "and runs these tests",
)

VERSIONS = list(SPECS)
BEFORE_2026_07 = ["2025-10", "2026-04"]
SINCE_2026_04 = ["2026-04", "2026-07"]
INDEX_BACKUPS = "/indexes/{index_name}/backups"
SCHEDULES = "/indexes/{index_name}/backup-schedules"
SCHEDULE = "/backup-schedules/{schedule_id}"
HISTORY = "/backup-schedules/{schedule_id}/history"
INDEXES = "/indexes"
INDEX = "/indexes/{index_name}"
DEDICATED = {
    "mode": "Dedicated",
    "dedicated": {"node_type": "t1", "scaling": "Manual", "manual": {"replicas": 1, "shards": 1}},
}


def url_of(version: str, *, lenient: bool = False) -> str:
    """The URL of the (strict, or lenient) Prism serving ``version``'s spec; skips without it."""
    urls = LENIENT if lenient else STRICT
    if version not in urls:
        kind = "PRISM_LENIENT_URLS" if lenient else "PRISM_URLS"
        pytest.skip(f"no Prism of API {version} in {kind}: scripts/prism-contract sets it")
    return urls[version]


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    """Each API version (a test parametrized with ``version`` itself runs under those only)."""
    return str(request.param)


@functools.cache
def _document(version: str) -> dict[str, Any]:
    # Read as Prism reads it: timestamps stay the text written in the spec, which Prism sends.
    document, _ = FilePathReader(str(spec_path(version))).read()
    assert isinstance(document, dict)
    return document


@pytest.fixture
def spec(version: str) -> dict[str, Any]:
    return _document(version)


def example(
    spec: dict[str, Any], path: str, method: str, status: str, name: str | None = None
) -> Any:
    """The value of the response's named example (the first one, which Prism serves, when
    ``name`` is ``None``)."""
    examples = spec["paths"][path][method]["responses"][status]["content"]["application/json"][
        "examples"
    ]
    if name is None:
        return next(iter(examples.values()))["value"]
    return examples[name]["value"]


def property_examples(spec: dict[str, Any], schema: str) -> dict[str, Any]:
    """What Prism builds for a response without an example: the schema's property examples."""
    properties = spec["components"]["schemas"][schema]["properties"]
    return {key: value["example"] for key, value in properties.items() if "example" in value}


def decoded(value: Any, attribute: Any) -> Any:
    """``value`` as the client decodes it when ``attribute`` is a datetime: the timestamp."""
    if isinstance(attribute, datetime) and isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def assert_matches(obj: Any, expected: dict[str, Any]) -> None:
    """Each field of ``expected`` is both what the server sent (``to_dict``) and the decoded
    attribute (timestamps as aware datetimes, numbers as numbers)."""
    raw = obj.to_dict()
    for key, value in expected.items():
        assert raw[key] == value, key
        attribute = getattr(obj, key)
        assert attribute == decoded(value, attribute), key
        if isinstance(attribute, datetime):
            assert attribute.tzinfo is not None, key


def assert_is_example(obj: Any, expected: dict[str, Any]) -> None:
    assert obj.to_dict() == expected
    assert_matches(obj, expected)


def connect(version: str, *, lenient: bool = False, **options: Any) -> pb.Client:
    return pb.Client(
        api_key="any",
        host=url_of(version, lenient=lenient),
        api_version=version,
        max_retries=0,
        proxy="",
        **options,
    )


@pytest.fixture
def client(version: str) -> Iterator[pb.Client]:
    with connect(version) as client:
        yield client


def prefer(version: str, value: str, *, lenient: bool = False) -> pb.Client:
    """A client whose requests ask Prism for a given example or status (``Prefer``)."""
    return connect(version, lenient=lenient, additional_headers={"Prefer": value})


def raw(
    url: str,
    version: str,
    *,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    sent = {"Api-Key": "any", "X-Pinecone-Api-Version": version, **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=sent, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.load(err)


# -- Prism checks what it is sent, and what it answers ---------------------------------------------


def refusal(spec: dict[str, Any], path: str, method: str) -> int:
    """The status Prism refuses an invalid request of ``method path`` with: the operation's
    declared 422, else its declared 400 (2026-07's lists: served with the 400's example), else a
    422 of Prism's own."""
    declared = spec["paths"][path][method]["responses"]
    return 400 if "400" in declared and "422" not in declared else 422


def test_prism_refuses_an_invalid_request(version: str, spec: dict[str, Any]) -> None:
    """The client validates its arguments before sending, so it cannot send these: raw requests
    prove that Prism checks queries and bodies, so the client's successes below mean something."""
    url = url_of(version)
    assert raw(f"{url}/restore-jobs", version)[0] == 200
    refused = refusal(spec, "/restore-jobs", "get")
    assert refused == (400 if version == "2026-07" else 422)
    status, body = raw(f"{url}/restore-jobs?limit=ten", version)
    assert status == refused, body
    status, body = raw(f"{url}/restore-jobs?limit=101", version)
    assert status == (200 if version == "2026-07" else 422), body  # 2026-07: no maximum
    if version != "2026-07":
        assert body["validation"][0]["location"] == ["query", "limit"]
    status, body = raw(f"{url}/backups/bk-1/create-index", version, method="POST", body={})
    assert status == 422, body  # no `name`
    if version == "2026-07":
        no_retention = {"name": "n", "schedule": {"type": "time-based", "frequency": "daily"}}
        target = f"{url}/indexes/i/backup-schedules"
        assert raw(target, version, method="POST", body=no_retention)[0] == 422


@pytest.mark.parametrize("version", ["2025-10"])
def test_prism_refuses_2025_10_s_null_pagination_examples(
    version: str, spec: dict[str, Any]
) -> None:
    """A spec quirk, pinned: with --errors Prism answers 500 for the spec's examples of a last page
    (``"pagination": null``: ``PaginationResponse`` is neither nullable nor optional-next)."""
    for name in ("non-paginated-restore-jobs", "no-restore-jobs"):
        assert example(spec, "/restore-jobs", "get", "200", name)["pagination"] is None
        headers = {"Prefer": f"example={name}"}
        status, body = raw(f"{url_of(version)}/restore-jobs", version, headers=headers)
        assert status == 500, body
        assert body["validation"][0]["location"] == ["response", "body", "pagination"], body


@pytest.mark.parametrize("version", ["2026-07"])
def test_prism_refuses_2026_07_s_invalid_examples(version: str, spec: dict[str, Any]) -> None:
    """Spec quirks, pinned: the project backups example's ``full_text_search`` lacks what
    ``ResponseStringField`` requires, and the updated schedule lacks ``next_scheduled_run``."""
    body_field = example(spec, "/backups", "get", "200")["data"][1]["schema"]["fields"]["body"]
    assert set(body_field["full_text_search"]) == {"language"}
    status, body = raw(f"{url_of(version)}/backups", version)
    assert status == 500, body
    assert ["response", "body", "data", "1", "schema", "fields", "body"] in [
        v["location"] for v in body["validation"]
    ]
    assert "next_scheduled_run" not in example(spec, SCHEDULE, "patch", "200")
    target = f"{url_of(version)}/backup-schedules/s-1"
    status, body = raw(target, version, method="PATCH", body={"enabled": False})
    assert status == 500, body
    assert any("next_scheduled_run" in v["message"] for v in body["validation"]), body


@pytest.mark.parametrize("version", SINCE_2026_04)
def test_a_restore_job_list_without_pagination_is_the_last_page(
    version: str, spec: dict[str, Any]
) -> None:
    # 2026-04 on: the last page's examples have no pagination at all, which the strict Prism
    # serves (2025-10's null ones it refuses, above).
    for name in ("non-paginated-restore-jobs", "no-restore-jobs"):
        expected = example(spec, "/restore-jobs", "get", "200", name)
        assert "pagination" not in expected
        with prefer(version, f"example={name}") as client:
            page = client.list_restore_jobs()
            assert page.pagination is None and page.next_token is None
            assert [job.to_dict() for job in page] == expected["data"]
            assert [job.to_dict() for job in client.iter_restore_jobs()] == expected["data"]


# -- Backups ---------------------------------------------------------------------------------------


def test_list_index_backups(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, INDEX_BACKUPS, "get", "200")
    page = client.list_index_backups("docs-example", limit=2)
    assert page.to_dict() == expected
    assert len(page) == len(expected["data"]) == 2
    for backup, want in zip(page, expected["data"], strict=True):
        assert_is_example(backup, want)
    assert page.next_token == expected["pagination"]["next"]
    assert page.pagination == pb.Pagination(expected["pagination"]["next"])
    again = client.list_index_backups("docs-example", pagination_token=page.next_token)
    assert again == page


@pytest.mark.parametrize("version", SINCE_2026_04)
def test_list_index_backups_including_deleted(version: str, spec: dict[str, Any]) -> None:
    expected = example(spec, INDEX_BACKUPS, "get", "200", "include_deleted_backups")
    with prefer(version, "example=include_deleted_backups") as client:
        page = client.list_index_backups("docs-example", include_deleted=True, limit=3)
    assert page.to_dict() == expected
    deleted = [b for b in page if b.source_index_deleted_at is not None]
    assert deleted and all(b.source_index_deleted_at.tzinfo for b in deleted)  # type: ignore[union-attr]
    for backup, want in zip(page, expected["data"], strict=True):
        assert_is_example(backup, want)


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


def project_client(version: str) -> pb.Client:
    # 2026-07's only example of the project's backups breaks its own schema (pinned above).
    return connect(version, lenient=version == "2026-07")


def test_list_project_backups(version: str, spec: dict[str, Any]) -> None:
    expected = example(spec, "/backups", "get", "200")
    assert "pagination" not in expected
    with project_client(version) as client:
        page = client.list_project_backups(limit=10)
    assert page.to_dict() == {**expected, "pagination": None}  # the list's own shape
    for backup, want in zip(page, expected["data"], strict=True):
        assert_is_example(backup, want)
    assert page.pagination is None
    assert page.next_token is None


def test_iter_project_backups(version: str, spec: dict[str, Any]) -> None:
    expected = example(spec, "/backups", "get", "200")
    ids = [b["backup_id"] for b in expected["data"]]
    with project_client(version) as client:
        it = client.iter_project_backups(page_size=50)
        assert [b.backup_id for b in it] == ids  # one page without a next token: the end
        assert it.next_token is None
        assert [b.backup_id for b in client.iter_project_backups(max_items=1)] == ids[:1]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"name": "nightly"}, {"name": "nightly", "description": "Before the bulk update."}],
    ids=["no-name", "name", "name-and-description"],
)
def test_create_backup(
    client: pb.Client, version: str, spec: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    # The 201 (200 under 2026-07) has no example: Prism builds one from BackupModel's property
    # examples.
    backup = client.create_backup("docs-example", **kwargs)
    assert_matches(backup, property_examples(spec, "BackupModel"))
    if version == "2026-07":
        assert isinstance(backup.created_at, datetime)
        assert (backup.dimension, backup.metric) == (None, None)
    else:
        # `created_at` (and `metric`) have no example, so Prism sends "string": not RFC 3339,
        # so the attribute is None while to_dict() keeps what was sent.
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


@pytest.mark.parametrize(
    ("version", "capacity"),
    [("2026-04", {"mode": "OnDemand"}), ("2026-04", DEDICATED), ("2026-07", {"mode": "OnDemand"})],
    ids=["2026-04-OnDemand", "2026-04-Dedicated", "2026-07-OnDemand"],
)
def test_create_index_from_backup_with_read_capacity(
    client: pb.Client, spec: dict[str, Any], capacity: dict[str, Any]
) -> None:
    response = client.create_index_from_backup("bk-1", "restored-index", read_capacity=capacity)
    assert_is_example(response, property_examples(spec, "CreateIndexFromBackupResponse"))


@pytest.mark.parametrize("version", ["2026-07"])
def test_prism_refuses_2026_07_s_dedicated_read_capacity(
    client: pb.Client, spec: dict[str, Any]
) -> None:
    """A spec quirk, pinned: 2026-07's ReadCapacityOnDemandSpec no longer forbids other
    properties (2026-04's did), so a Dedicated capacity matches both branches of ReadCapacity's
    oneOf; Prism, which does not read the discriminator, refuses it with a 422 (openapi-core,
    which does, accepts it: test_versions.py sends it to the emulator under 2026-07)."""
    on_demand = spec["components"]["schemas"]["ReadCapacityOnDemandSpec"]
    assert "additionalProperties" not in on_demand
    before = _document("2026-04")["components"]["schemas"]["ReadCapacityOnDemandSpec"]
    assert before["additionalProperties"] is False
    with pytest.raises(pb.InvalidArgumentError) as caught:  # the 422's example's code
        client.create_index_from_backup("bk-1", "restored-index", read_capacity=DEDICATED)
    assert caught.value.status == 422
    violations = caught.value.headers.get("sl-violations", "")
    assert "read_capacity must match exactly one schema in oneOf" in violations


# -- Restore jobs ----------------------------------------------------------------------------------


def test_list_restore_jobs(client: pb.Client, spec: dict[str, Any]) -> None:
    # Prism serves the first named example: a page with a next token.
    expected = example(spec, "/restore-jobs", "get", "200", "paginated-restore-jobs")
    page = client.list_restore_jobs(limit=1)
    assert page.to_dict() == expected
    for job, want in zip(page, expected["data"], strict=True):
        assert_is_example(job, want)
    assert page.next_token == expected["pagination"]["next"]


def test_iter_restore_jobs(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, "/restore-jobs", "get", "200", "paginated-restore-jobs")
    it = client.iter_restore_jobs(page_size=1, max_items=1)
    jobs = list(it)
    assert [job.to_dict() for job in jobs] == expected["data"]
    assert it.next_token == expected["pagination"]["next"]
    with pytest.raises(pb.ResponseDecodeError, match="same token"):
        list(client.iter_restore_jobs())


def test_describe_restore_job(client: pb.Client, version: str, spec: dict[str, Any]) -> None:
    # No example: built from RestoreJobModel's property examples ("Completed"; 42.2 percent
    # before 2026-07, the integer 100 from it on).
    job = client.describe_restore_job("rj-1")
    assert_is_example(job, property_examples(spec, "RestoreJobModel"))
    assert type(job.percent_complete) is (int if version == "2026-07" else float)
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
    assert created == backup  # created (Prism's 201 or 200), then described until Ready


# -- Indexes ---------------------------------------------------------------------------------------

# The examples of an index that break the spec's own schema (pinned below): the lenient Prism
# serves them.
INVALID_INDEX_EXAMPLES = {"2026-07": {"serverless-fts"}}


def examples_of(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """Every named example of the 200 of ``GET path``, by name, in the spec's order."""
    examples = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "examples"
    ]
    return {name: value["value"] for name, value in examples.items()}


def index_values(want: dict[str, Any]) -> dict[str, Any]:
    """The values every version has, read here from the example itself (2025-10's ``spec``,
    ``dimension`` and ``metric``, a pod's ``environment`` as ``<region>-<cloud>``; 2026-07's
    ``deployment`` and dense vector field): what ``Index``'s attributes must say."""
    status = want["status"]
    if "deployment" in want:  # 2026-07's shape
        cloud, region = want["deployment"]["cloud"], want["deployment"]["region"]
        dense = [f for f in want["schema"]["fields"].values() if f["type"] == "dense_vector"]
        dimension, metric = (dense[0]["dimension"], dense[0]["metric"]) if dense else (None, None)
    else:
        if "serverless" in want["spec"]:
            cloud, region = (
                want["spec"]["serverless"]["cloud"],
                want["spec"]["serverless"]["region"],
            )
        else:
            region, _, cloud = want["spec"]["pod"]["environment"].rpartition("-")
        dimension, metric = want.get("dimension"), want["metric"]
    return {
        "name": want["name"],
        "host": want["host"],
        "status": status,
        "ready": status["ready"],
        "state": status["state"],
        "deletion_protection": want.get("deletion_protection"),  # absent in 2025-10's examples
        "tags": want.get("tags") or {},
        "cloud": cloud,
        "region": region,
        "dimension": dimension,
        "metric": metric,
    }


def assert_is_index_example(index: Any, want: dict[str, Any]) -> None:
    """``assert_is_example`` for an ``Index``: exactly the example, each field that is an
    attribute as sent (``vector_type``, ``read_capacity``... are kept in ``to_dict()`` only), and
    the values every version has as the example says."""
    assert type(index) is pb.Index
    assert index.to_dict() == want
    assert_matches(index, {k: v for k, v in want.items() if k in pb.Index.__dataclass_fields__})
    for key, value in index_values(want).items():
        assert getattr(index, key) == value, key
    assert pb.Index.from_dict(index.to_dict()) == index


def served_index(spec: dict[str, Any]) -> Any:
    """What Prism serves for ``GET /indexes/{index_name}`` asked for no example: ``IndexModel``'s
    own example when it has one (2026-07), else the first named example."""
    ref = spec["paths"][INDEX]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    model = spec["components"]["schemas"][ref["$ref"].rpartition("/")[2]]
    return model["example"] if "example" in model else example(spec, INDEX, "get", "200")


def test_list_indexes(client: pb.Client, spec: dict[str, Any]) -> None:
    # Prism serves the first named example: several indexes.
    expected = example(spec, INDEXES, "get", "200", "multiple-indexes")
    assert next(iter(examples_of(spec, INDEXES))) == "multiple-indexes"
    indexes = client.list_indexes()
    assert type(indexes) is list
    assert len(indexes) == len(expected["indexes"]) > 0
    for index, want in zip(indexes, expected["indexes"], strict=True):
        assert_is_index_example(index, want)


def test_list_indexes_of_each_example(version: str, spec: dict[str, Any]) -> None:
    named = examples_of(spec, INDEXES)
    assert list(named) == ["multiple-indexes", "one-index", "no-indexes"]
    for name, expected in named.items():
        with prefer(version, f"example={name}") as client:
            indexes = client.list_indexes()
        assert [index.to_dict() for index in indexes] == expected["indexes"], name
        for index, want in zip(indexes, expected["indexes"], strict=True):
            assert_is_index_example(index, want)
    with prefer(version, "example=no-indexes") as client:
        assert client.list_indexes() == []


def test_describe_index(client: pb.Client, version: str, spec: dict[str, Any]) -> None:
    expected = served_index(spec)
    assert ("example" in spec["components"]["schemas"]["IndexModel"]) is (version == "2026-07")
    assert_is_index_example(client.describe_index("movie-recommendations"), expected)


def test_describe_index_of_each_example(version: str, spec: dict[str, Any]) -> None:
    named = examples_of(spec, INDEX)
    assert len(named) == 2
    invalid = INVALID_INDEX_EXAMPLES.get(version, set())
    assert invalid <= set(named)
    for name, expected in named.items():
        with prefer(version, f"example={name}", lenient=name in invalid) as client:
            index = client.describe_index("movie-recommendations")
        assert_is_index_example(index, expected)


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_describe_index_values_before_2026_07(version: str, spec: dict[str, Any]) -> None:
    """The values every version has, from 2025-10's shape, written out: a pod index's cloud and
    region come from its ``environment``; a sparse index has no dimension; the examples send no
    ``deletion_protection`` (the schema's default is ``disabled``) and no tags."""
    with prefer(version, "example=multiple-indexes") as client:
        pod, serverless, sparse = client.list_indexes()
    assert (pod.name, pod.ready, pod.state) == ("semantic-search", True, "Ready")
    assert (pod.cloud, pod.region, pod.dimension, pod.metric) == ("gcp", "us-west1", 384, "cosine")
    assert (serverless.name, serverless.ready, serverless.state) == (
        "image-search",
        False,
        "Initializing",
    )
    assert (serverless.cloud, serverless.region) == ("aws", "us-east-1")
    assert (serverless.dimension, serverless.metric) == (200, "dotproduct")
    assert (sparse.dimension, sparse.metric) == (None, "dotproduct")
    assert sparse.to_dict()["vector_type"] == "sparse"
    for index in (pod, serverless, sparse):
        assert (index.deletion_protection, index.tags) == (None, {})
        assert index.deployment is None and index.schema is None
    with prefer(version, "example=movie-recommendations-pod") as client:
        described = client.describe_index("movie-recommendations")
    assert (described.cloud, described.region) == ("aws", "us-east-1")  # "us-east-1-aws"
    assert described.spec is not None and "pod" in described.spec


@pytest.mark.parametrize("version", ["2026-07"])
def test_describe_index_values_of_2026_07(version: str, spec: dict[str, Any]) -> None:
    """From 2026-07's shape: cloud and region from ``deployment``, dimension and metric from the
    dense vector field; a full-text-search index has neither."""
    with prefer(version, "example=serverless-dense") as client:
        dense = client.describe_index("movie-recommendations")
    assert (dense.name, dense.ready, dense.state) == ("movie-recommendations", True, "Ready")
    assert (dense.host, dense.deletion_protection, dense.tags) == (
        "movie-recommendations-c01b5b5.svc.us-east1-gcp.pinecone.io",
        "disabled",
        {},
    )
    assert (dense.cloud, dense.region, dense.dimension, dense.metric) == (
        "aws",
        "us-east-1",
        1536,
        "cosine",
    )
    assert dense.spec is None
    with prefer(version, "example=serverless-fts", lenient=True) as client:
        fts = client.describe_index("article-search")
    assert (fts.name, fts.cloud, fts.region) == ("article-search", "aws", "us-east-1")
    assert (fts.dimension, fts.metric) == (None, None)


@pytest.mark.parametrize("version", ["2026-07"])
def test_prism_refuses_2026_07_s_full_text_search_index_example(
    version: str, spec: dict[str, Any]
) -> None:
    """A spec quirk, pinned: the ``serverless-fts`` index's ``title`` field has a
    ``full_text_search`` without the ``stemming`` and ``stop_words`` it requires (its ``body``
    field has them), so the strict Prism refuses its own example (500)."""
    fields = example(spec, INDEX, "get", "200", "serverless-fts")["schema"]["fields"]
    assert set(fields["title"]["full_text_search"]) == {"language"}
    assert set(fields["body"]["full_text_search"]) == {"language", "stemming", "stop_words"}
    headers = {"Prefer": "example=serverless-fts"}
    status, body = raw(f"{url_of(version)}/indexes/article-search", version, headers=headers)
    assert status == 500, body
    locations = [v["location"] for v in body["validation"]]
    assert ["response", "body", "schema", "fields", "title", "full_text_search"] in locations
    title = ["response", "body", "schema", "fields", "title"]
    assert all(location[:5] == title for location in locations), body  # the body field passes
    with prefer(version, "example=serverless-fts") as client, pytest.raises(pb.InternalError):
        client.describe_index("article-search")


def test_describe_index_not_found(version: str, spec: dict[str, Any]) -> None:
    want = example(spec, INDEX, "get", "404", "index-not-found")
    with (
        prefer(version, "code=404, example=index-not-found") as client,
        pytest.raises(pb.NotFoundError) as caught,
    ):
        client.describe_index("no-such-index")
    assert (caught.value.status, caught.value.code, caught.value.message) == (
        404,
        want["error"]["code"],
        want["error"]["message"],
    )


async def test_async_indexes(version: str, spec: dict[str, Any]) -> None:
    async with pb.AsyncClient(
        api_key="any", host=url_of(version), api_version=version, max_retries=0, proxy=""
    ) as client:
        indexes = await client.list_indexes()
        expected = example(spec, INDEXES, "get", "200", "multiple-indexes")["indexes"]
        assert [index.to_dict() for index in indexes] == expected
        for index, want in zip(indexes, expected, strict=True):
            assert_is_index_example(index, want)
        index = await client.describe_index("movie-recommendations")
        assert_is_index_example(index, served_index(spec))


# -- Errors ----------------------------------------------------------------------------------------


def test_errors_from_the_specs_examples(version: str, spec: dict[str, Any]) -> None:
    want = example(spec, INDEX_BACKUPS, "get", "404", "index-not-found")
    with (
        prefer(version, "code=404, example=index-not-found") as client,
        pytest.raises(pb.NotFoundError) as caught,
    ):
        client.list_index_backups("no-such-index")
    assert (caught.value.status, caught.value.message) == (404, want["error"]["message"])
    with prefer(version, "code=404, example=backup-not-found") as client:
        with pytest.raises(pb.NotFoundError):
            client.describe_backup("no-such-backup")
        client.delete_backup("no-such-backup", missing_ok=True)  # the 404 is not raised
    # `Prefer: code=404` alone: Prism sends ErrorResponse's schema example, whose code wins.
    code = spec["components"]["schemas"]["ErrorResponse"]["example"]["error"]["code"]
    with prefer(version, "code=404") as client, pytest.raises(pb.ApiError) as other:
        client.describe_backup("no-such-backup")
    assert type(other.value) is pb.error_for_code(code)
    assert (other.value.status, other.value.code) == (404, code)


def test_a_401_is_unauthenticated(version: str, spec: dict[str, Any]) -> None:
    # 2026-07: text/plain (UnauthorizedMessage's example), no code; before: an ErrorResponse.
    # Prism negotiates: to the client's `Accept: application/json` it cannot send 2026-07's
    # text/plain 401 (it falls back to the 200, here the invalid example: 500), so the client
    # asks for anything, as a server that ignores Accept answers.
    wanted = "code=401" if version == "2026-07" else "code=401, example=unauthorized"
    with (
        connect(version, additional_headers={"Prefer": wanted, "Accept": "*/*"}) as client,
        pytest.raises(pb.UnauthenticatedError) as caught,
    ):
        client.list_project_backups()
    err = caught.value
    if version == "2026-07":
        text = spec["components"]["schemas"]["UnauthorizedMessage"]["example"]
        code: str | None = err.code
        assert code is None
        assert (err.message, err.body) == (text, text)
    else:
        assert err.code == "UNAUTHENTICATED"


@pytest.mark.parametrize("version", ["2026-07"])
@pytest.mark.parametrize(
    ("example_name", "cls"),
    [
        ("quota-exceeded", pb.ForbiddenError),
        ("plan-does-not-include-backups", pb.PermissionDeniedError),
    ],
)
def test_a_2026_07_create_backup_403_is_classified_by_its_code(
    version: str, spec: dict[str, Any], example_name: str, cls: type[pb.ApiError]
) -> None:
    want = example(spec, INDEX_BACKUPS, "post", "403", example_name)
    with (
        prefer(version, f"code=403, example={example_name}") as client,
        pytest.raises(cls) as caught,
    ):
        client.create_backup("docs-example")
    assert type(caught.value) is cls
    assert (caught.value.code, caught.value.message) == (
        want["error"]["code"],
        want["error"]["message"],
    )


@pytest.mark.parametrize("version", ["2026-07"])
def test_a_2026_07_permission_denied_and_not_ready(version: str) -> None:
    with prefer(version, "code=403, example=permission-denied") as client:
        with pytest.raises(pb.PermissionDeniedError):
            client.list_index_backups("docs-example")
        with pytest.raises(pb.PermissionDeniedError):
            client.describe_restore_job("rj-1")
    with (
        prefer(version, "code=412, example=backup-not-ready") as client,
        pytest.raises(pb.FailedPreconditionError),
    ):
        client.create_index_from_backup("bk-1", "too-soon")


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_deleting_a_backup_being_restored_is_failed_precondition_before_2026_07(
    version: str,
) -> None:
    with (
        prefer(version, "code=412, example=pending-restore") as client,
        pytest.raises(pb.FailedPreconditionError),
    ):
        client.delete_backup("bk-1")


# -- Backup schedules (2026-07) --------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2026-07"])
def test_list_backup_schedules(client: pb.Client, spec: dict[str, Any]) -> None:
    expected = example(spec, SCHEDULES, "get", "200", "schedules")
    page = client.list_backup_schedules("docs-example", limit=10)
    assert page.to_dict() == {**expected, "pagination": None}
    for schedule, want in zip(page, expected["data"], strict=True):
        assert_is_example(schedule, want)
    assert page.next_token is None
    it = client.iter_backup_schedules("docs-example")
    assert [s.to_dict() for s in it] == expected["data"]  # no next token: one page
    with prefer("2026-07", "example=empty") as empty:
        assert len(empty.list_backup_schedules("docs-example")) == 0


@pytest.mark.parametrize("version", ["2026-07"])
def test_create_backup_schedule(client: pb.Client, spec: dict[str, Any]) -> None:
    schedule = client.create_backup_schedule(
        "docs-example", name="nightly", frequency="daily", expire_after_days=90
    )
    assert_is_example(schedule, example(spec, SCHEDULES, "post", "200", "created"))
    assert isinstance(schedule.next_scheduled_run, datetime)


@pytest.mark.parametrize("version", ["2026-07"])
def test_describe_backup_schedule(client: pb.Client, spec: dict[str, Any]) -> None:
    schedule = client.describe_backup_schedule("e88f7273-42aa-47e9-af73-593827136867")
    assert_is_example(schedule, example(spec, SCHEDULE, "get", "200", "schedule"))


@pytest.mark.parametrize("version", ["2026-07"])
def test_update_backup_schedule(version: str, spec: dict[str, Any]) -> None:
    # The only example lacks next_scheduled_run (pinned above): the lenient Prism serves it.
    expected = example(spec, SCHEDULE, "patch", "200", "updated")
    with connect(version, lenient=True) as client:
        schedule = client.update_backup_schedule(
            "s-1", frequency="weekly", expire_after_days=30, enabled=False
        )
    assert schedule.to_dict() == expected
    assert (schedule.enabled, schedule.next_scheduled_run) == (False, None)
    # The strict Prism checks the request, then refuses its own answer: 500.
    with connect(version) as strict, pytest.raises(pb.InternalError):
        strict.update_backup_schedule("s-1", enabled=True)


@pytest.mark.parametrize("version", ["2026-07"])
def test_delete_backup_schedule(client: pb.Client) -> None:
    assert client.delete_backup_schedule("s-1") is None  # type: ignore[func-returns-value]
    with prefer("2026-07", "code=404, example=schedule-not-found") as missing:
        with pytest.raises(pb.NotFoundError):
            missing.delete_backup_schedule("s-1")
        missing.delete_backup_schedule("s-1", missing_ok=True)


@pytest.mark.parametrize("version", ["2026-07"])
@pytest.mark.parametrize("name", ["history", "scheduled-row"])
def test_list_backup_schedule_history(version: str, spec: dict[str, Any], name: str) -> None:
    expected = example(spec, HISTORY, "get", "200", name)
    with prefer(version, f"example={name}") as client:
        page = client.list_backup_schedule_history("s-1", limit=10)
        assert page.to_dict() == {**expected, "pagination": None}
        for item, want in zip(page, expected["data"], strict=True):
            assert_is_example(item, want)
        walked = list(client.iter_backup_schedule_history("s-1"))
    assert [item.to_dict() for item in walked] == expected["data"]
    if name == "scheduled-row":
        (row,) = page
        assert row.status == "Scheduled" and isinstance(row.scheduled_execution_at, datetime)
        assert (row.record_count, row.size_bytes) == (None, None)


@pytest.mark.parametrize("version", ["2026-07"])
@pytest.mark.parametrize(
    ("wanted", "cls"),
    [
        ("code=409, example=schedule-already-exists", pb.AlreadyExistsError),
        ("code=403, example=scheduled-backups-plan", pb.PermissionDeniedError),
        ("code=404, example=index-not-found", pb.NotFoundError),
        ("code=402, example=payment-required", pb.PaymentRequiredError),
    ],
)
def test_create_backup_schedule_errors(version: str, wanted: str, cls: type[pb.ApiError]) -> None:
    with prefer(version, wanted) as client, pytest.raises(cls):
        client.create_backup_schedule("i", name="n", frequency="weekly", expire_after_days=1)


# -- The lenient Prism -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2025-10"])
def test_iter_restore_jobs_to_the_null_pagination_end(version: str, spec: dict[str, Any]) -> None:
    expected = example(spec, "/restore-jobs", "get", "200", "non-paginated-restore-jobs")
    with prefer(version, "example=non-paginated-restore-jobs", lenient=True) as client:
        page = client.list_restore_jobs()
        assert page.pagination is None and page.next_token is None
        assert [job.to_dict() for job in page] == expected["data"]
        it = client.iter_restore_jobs(page_size=10)
        assert [job.to_dict() for job in it] == expected["data"]
        assert it.next_token is None
    with prefer(version, "example=no-restore-jobs", lenient=True) as client:
        empty = client.list_restore_jobs()
        assert len(empty) == 0 and empty.next_token is None
        assert list(client.iter_restore_jobs()) == []


def test_lenient_prism_still_refuses_an_invalid_request(version: str, spec: dict[str, Any]) -> None:
    status, body = raw(f"{url_of(version, lenient=True)}/backups?limit=ten", version)
    assert status == refusal(spec, "/backups", "get"), body


# -- Async -----------------------------------------------------------------------------------------


async def test_async_client(version: str, spec: dict[str, Any]) -> None:
    async with pb.AsyncClient(
        api_key="any", host=url_of(version), api_version=version, max_retries=0, proxy=""
    ) as client:
        page = await client.list_index_backups("docs-example", limit=2)
        assert page.to_dict() == example(spec, INDEX_BACKUPS, "get", "200")
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
        if version == "2026-07":
            schedules = [s async for s in client.iter_backup_schedules("docs-example")]
            assert [s.to_dict() for s in schedules] == example(spec, SCHEDULES, "get", "200")[
                "data"
            ]
            schedule = await client.create_backup_schedule(
                "docs-example", name="n", frequency="monthly", expire_after_days=3
            )
            assert schedule.to_dict() == example(spec, SCHEDULES, "post", "200")
            await client.delete_backup_schedule(schedule.schedule_id)
    project = example(spec, "/backups", "get", "200")
    async with pb.AsyncClient(
        api_key="any",
        host=url_of(version, lenient=version == "2026-07"),
        api_version=version,
        max_retries=0,
        proxy="",
    ) as client:
        ids = [b.backup_id async for b in client.iter_project_backups(page_size=10)]
        assert ids == [b["backup_id"] for b in project["data"]]
