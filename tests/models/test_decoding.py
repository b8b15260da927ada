"""Decoding ``list_index_backups`` responses, on generated documents (hypothesis).

The documents are generated from the official OpenAPI spec, read at import time: ``BackupList``,
``BackupModel`` (required fields, types, integer ranges), ``PaginationResponse``, ``IndexTags``
and ``MetadataSchema``. On top of what the spec says, they do what the real API is known to do or
what a client must tolerate: optional fields ``null``, every "last page" shape of ``pagination``,
unknown fields, integers beyond 64 bits, RFC 3339 timestamps with 0 to 9 fractional digits and
offsets, non-ASCII text.

Valid documents must decode to exactly what was sent; a valid document with one mutation (a
required field dropped, a wrong JSON type, invalid UTF-8, a cut, 10,000 nested arrays...) must
end in the package's typed error, never in another exception, a crash or a hang.

The number of examples comes from a profile: ``HYPOTHESIS_PROFILE=long`` (or ``ci``) for more."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, assert_same_json
from tests.spec_validation import spec_path

_PROFILES = {
    "default": settings(max_examples=150),
    "ci": settings(max_examples=300),
    "long": settings(max_examples=5_000),
}
_PROFILE = _PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "default")]
PROPERTY = settings(
    _PROFILE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""The settings of every property here (the global hypothesis profile is left alone)."""

Schema = dict[str, Any]
Json = Any
Strategy = st.SearchStrategy

SCHEMAS: dict[str, Schema] = yaml.safe_load(spec_path().read_text(encoding="utf-8"))["components"][
    "schemas"
]


def resolve(schema: Schema) -> Schema:
    """The schema a ``$ref`` points to (the schema itself when it has none)."""
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


BACKUP_LIST = resolve(SCHEMAS["BackupList"])
BACKUP_MODEL = resolve(BACKUP_LIST["properties"]["data"]["items"])
PAGINATION = resolve(BACKUP_LIST["properties"]["pagination"])
BACKUP_FIELDS: dict[str, Schema] = {
    name: resolve(prop) for name, prop in BACKUP_MODEL["properties"].items()
}
REQUIRED: list[str] = BACKUP_MODEL["required"]
OPTIONAL = [name for name in BACKUP_FIELDS if name not in REQUIRED]


INT32 = (-(2**31), 2**31 - 1)
I64 = (-(2**63), 2**63 - 1)

# Any text, non-ASCII and control characters included (surrogates excluded: they cannot be sent
# as UTF-8, and a lone surrogate escape is refused, as tested at the end of this module). Keys
# include serde_json's private ones (a fixed bug: such an object was misread), which random text
# would never hit; both fixes are also tested apart, as regressions, at the end of this module.
SERDE_NUMBER = "$serde_json::private::Number"
SERDE_RAW_VALUE = "$serde_json::private::RawValue"
TEXT = st.text(max_size=12)
KEYS = st.one_of(st.text(max_size=8), st.sampled_from([SERDE_NUMBER, SERDE_RAW_VALUE]))


def wide_integers() -> Strategy[int]:
    """Integers of any size: small ones, the edges of 64 bits, and far beyond."""
    edges = [I64[0] - 1, I64[0], -1, 0, 1, I64[1], I64[1] + 1, 2**64, 10**30, -(10**30)]
    return st.one_of(
        st.integers(min_value=0, max_value=10**7),
        st.sampled_from(edges),
        st.integers(min_value=-(2**200), max_value=2**200),
    )


def json_values() -> Strategy[Json]:
    """Any JSON value (finite floats, integers of any size)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        wide_integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        TEXT,
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(KEYS, children, max_size=3)
        ),
        max_leaves=8,
    )


def from_schema(schema: Schema) -> Strategy[Json]:
    """Values that a schema of the spec allows (the subset of JSON Schema this spec uses)."""
    schema = resolve(schema)
    kind = schema.get("type")
    if kind == "string":
        return TEXT
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low, high = INT32 if schema.get("format") == "int32" else (None, None)
        low = schema.get("minimum", low)
        high = schema.get("maximum", high)
        if low is None and high is None:
            return wide_integers()
        return st.integers(min_value=low, max_value=high)
    if kind == "array":
        return st.lists(from_schema(schema["items"]), max_size=3)
    if kind == "object":
        properties = {
            name: from_schema(prop) for name, prop in schema.get("properties", {}).items()
        }
        required = schema.get("required", [])
        fixed = st.fixed_dictionaries(
            {name: strategy for name, strategy in properties.items() if name in required},
            optional={name: s for name, s in properties.items() if name not in required},
        )
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict):
            return fixed
        return st.tuples(st.dictionaries(KEYS, from_schema(extra), max_size=4), fixed).map(
            lambda parts: {**parts[0], **parts[1]}
        )
    raise NotImplementedError(f"no strategy for the schema {schema}")


# RFC 3339 (section 5.6) as the client reads it: `T`, `t` or a space between date and time, any
# number (at least one) of fractional digits, `Z`, `z` or a `±HH:MM` or `±HHMM` offset of less
# than a day; no leap seconds; an instant whose UTC year is 1 to 9999 (what Python's datetime
# holds).
RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))?([Zz]|([+-])([0-9]{2}):?([0-9]{2}))",
    re.ASCII,
)


def parse_rfc3339(text: str) -> dt.datetime | None:
    """The instant of an RFC 3339 timestamp, truncated to microseconds; None when not one."""
    match = RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    microsecond = int((match[7] or "").ljust(6, "0")[:6])
    if match[8] in ("Z", "z"):
        tz = dt.timezone.utc
    else:
        hours, minutes = int(match[10]), int(match[11])
        if hours > 23 or minutes > 59:
            return None
        offset = dt.timedelta(hours=hours, minutes=minutes)
        tz = dt.timezone(-offset if match[9] == "-" else offset)
    try:
        moment = dt.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=tz)
        moment.astimezone(dt.timezone.utc)
    except ValueError:  # no such day, hour 24, second 60, year 0
        return None
    except OverflowError:  # a UTC year of 0 or 10000
        return None
    return moment


@st.composite
def rfc3339_timestamps(draw: st.DrawFn) -> str:
    """RFC 3339 timestamps across years 1 to 9999, with 0 to 12 fractional digits and offsets
    (some with no colon, `+0100`, as servers send them)."""
    # A day from the ends, so that every offset keeps the instant within UTC years 1 to 9999.
    moment = draw(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)))
    digits = draw(st.integers(min_value=0, max_value=12))
    fraction = draw(st.text("0123456789", min_size=digits, max_size=digits))
    offset = draw(
        st.one_of(
            st.sampled_from(["Z", "z", "+00:00", "-00:00", "+23:59", "-23:59"]),
            st.builds(
                "{}{:02}{}{:02}".format,
                st.sampled_from("+-"),
                st.integers(min_value=0, max_value=23),
                st.sampled_from([":", ""]),
                st.integers(min_value=0, max_value=59),
            ),
        )
    )
    return (
        f"{moment.year:04}-{moment.month:02}-{moment.day:02}{draw(st.sampled_from('Tt '))}"
        f"{moment.hour:02}:{moment.minute:02}:{moment.second:02}"
        f"{'.' + fraction if fraction else ''}{offset}"
    )


@st.composite
def near_miss_timestamps(draw: st.DrawFn) -> str:
    """Texts that are almost RFC 3339 timestamps: each must give ``created_at`` None."""
    good = draw(rfc3339_timestamps())
    broken = draw(
        st.sampled_from(
            [
                lambda t: t[:19],  # no offset
                lambda t: t[:16] + t[19:],  # no seconds
                lambda t: t[:19] + ".Z",  # empty fraction
                lambda t: t[:17] + "60Z",  # leap second
                lambda t: t[:11] + "24" + t[13:],  # hour 24
                lambda t: "0000" + t[4:],  # year 0
                lambda t: t[:5] + "02-30" + t[10:],  # 30 February
                lambda t: t[:19] + "+24:00",  # an offset of a day
                lambda t: t[:19] + "+01:60",
                lambda t: t[:19] + "+01",  # an offset without minutes
                lambda t: t[:19] + "+1:00",
                lambda t: t[:19] + "+01:0",
                lambda t: t + "x",
                lambda t: t.replace("-", "/", 1),
                lambda t: "\uff12" + t[1:],  # a fullwidth digit
            ]
        )
    )
    return str(broken(good))


# The values of each field, from its schema; `created_at` is RFC 3339 in practice.
FIELD_VALUES: dict[str, Strategy[Json]] = {
    name: from_schema(prop) for name, prop in BACKUP_FIELDS.items()
} | {
    "created_at": st.one_of(rfc3339_timestamps(), near_miss_timestamps(), TEXT),
}
UNKNOWN_KEYS = KEYS.filter(lambda key: key not in BACKUP_FIELDS)


@st.composite
def backups(draw: st.DrawFn) -> dict[str, Json]:
    """A ``BackupModel`` object: the required fields, optional ones absent, null or set, and
    sometimes fields the spec does not have, in any order."""
    backup: dict[str, Json] = {name: draw(FIELD_VALUES[name]) for name in REQUIRED}
    for name in OPTIONAL:
        choice = draw(st.sampled_from(["absent", "null", "value", "value"]))
        if choice != "absent":
            backup[name] = None if choice == "null" else draw(FIELD_VALUES[name])
    backup |= draw(st.dictionaries(UNKNOWN_KEYS, json_values(), max_size=2))
    keys = draw(st.permutations(list(backup)))
    return {key: backup[key] for key in keys}


def paginations() -> Strategy[Json]:
    """A ``PaginationResponse`` with a next token, or one of the shapes of the last page."""
    with_next = from_schema(PAGINATION).filter(lambda p: p["next"] != "")
    last_page = st.sampled_from([None, {}, {"next": None}, {"next": ""}])
    extras = st.dictionaries(KEYS.filter(lambda k: k != "next"), json_values(), max_size=2)
    return st.tuples(st.one_of(with_next, last_page), extras).map(
        lambda parts: parts[0] if parts[0] is None else {**parts[1], **parts[0]}
    )


MISSING = object()
"""A `pagination` or `data` that is not in the document at all."""


@st.composite
def backup_lists(draw: st.DrawFn, min_backups: int = 0) -> dict[str, Json]:
    """A ``BackupList`` document."""
    doc: dict[str, Json] = {}
    if min_backups > 0 or draw(st.integers(0, 9)) > 0:
        doc["data"] = draw(st.lists(backups(), min_size=min_backups, max_size=4))
    elif draw(st.booleans()):
        doc["data"] = None
    pagination = draw(st.one_of(st.just(MISSING), paginations()))
    if pagination is not MISSING:
        doc["pagination"] = pagination
    doc |= draw(st.dictionaries(KEYS.filter(lambda k: k not in doc), json_values(), max_size=2))
    return doc


def expected_next_token(doc: dict[str, Json]) -> str | None:
    pagination = doc.get("pagination")
    if isinstance(pagination, dict) and pagination.get("next"):
        return str(pagination["next"])
    return None


@st.composite
def json_texts(draw: st.DrawFn, doc: Json) -> str:
    """`doc` as JSON text, compact or not, escaped to ASCII or not."""
    return json.dumps(
        doc,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 1])),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])),
    )


def check_backup(backup: pb.Backup, sent: dict[str, Json], where: str) -> None:
    """`backup` decoded from `sent`: its fields, its dict and its round trip."""
    assert_same_json(backup.to_dict(), sent, where)
    for name in BACKUP_FIELDS:
        if name in ("tags", "created_at"):
            continue
        assert_same_json(getattr(backup, name), sent.get(name), f"{where}.{name}")
    assert isinstance(backup.tags, dict)
    assert backup.tags == (sent.get("tags") or {})
    expected = parse_rfc3339(sent["created_at"]) if sent.get("created_at") else None
    if expected is None:
        assert backup.created_at is None, sent.get("created_at")
    else:
        got = backup.created_at
        assert got is not None and got.tzinfo is not None, sent["created_at"]
        assert got == expected and got.utcoffset() == expected.utcoffset(), sent["created_at"]
        assert got.replace(tzinfo=None) == expected.replace(tzinfo=None), sent["created_at"]
    assert pb.Backup.from_dict(backup.to_dict()) == backup
    assert pb.Backup.from_json(backup.to_json()) == backup


@PROPERTY
@given(doc=backup_lists(), data=st.data())
def test_every_valid_document_decodes_to_what_was_sent(
    doc: dict[str, Json], data: st.DataObject
) -> None:
    text = data.draw(json_texts(doc), label="body")
    body: str | bytes = text.encode() if data.draw(st.booleans(), label="as bytes") else text
    page = pb.BackupList.from_json(body)

    sent: list[dict[str, Json]] = doc.get("data") or []
    assert len(page) == len(sent)
    assert page.next_token == expected_next_token(doc)
    for i, (backup, sent_backup) in enumerate(zip(page, sent, strict=True)):
        check_backup(backup, sent_backup, f"data[{i}]")

    as_dict = page.to_dict()
    assert_same_json(as_dict["data"], sent, "data")
    again = pb.BackupList.from_json(json.dumps(as_dict))
    assert again == page
    assert_same_json(again.to_dict(), as_dict)
    assert_same_json(json.loads(page.to_json()), as_dict)


@PROPERTY
@given(created_at=st.one_of(rfc3339_timestamps(), near_miss_timestamps(), TEXT))
def test_created_at_is_the_rfc3339_instant_or_none(created_at: str) -> None:
    sent = {name: "x" for name in REQUIRED} | {"created_at": created_at}
    backup = pb.BackupList.from_json(json.dumps({"data": [sent]}))[0]
    check_backup(backup, sent, "data[0]")


@PROPERTY
@given(created_at=rfc3339_timestamps())
def test_rfc3339_timestamps_are_parsed(created_at: str) -> None:
    """The generator itself: every timestamp it makes is one (so the test above tests parsing)."""
    assert parse_rfc3339(created_at) is not None
    backup = pb.Backup.from_dict({name: "x" for name in REQUIRED} | {"created_at": created_at})
    assert backup.created_at == parse_rfc3339(created_at)


Mutation = Callable[[st.DrawFn, dict[str, Json]], "str | bytes"]
DEEP_ARRAY = "[" * 10_000 + "]" * 10_000


def _a_backup(draw: st.DrawFn, doc: dict[str, Json]) -> dict[str, Json]:
    backups_: list[dict[str, Json]] = doc["data"]
    return backups_[draw(st.integers(0, len(backups_) - 1))]


def drop_required_field(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    del _a_backup(draw, doc)[draw(st.sampled_from(REQUIRED))]
    return json.dumps(doc)


# JSON values by type, to pick one of a type the schema does not allow.
VALUES_BY_TYPE: dict[str, Strategy[Json]] = {
    "string": TEXT,
    "integer": st.integers(),
    "number": st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    "boolean": st.booleans(),
    "array": st.lists(st.integers(), max_size=2),
    "object": st.dictionaries(KEYS, st.integers(), max_size=2),
    "null": st.none(),
}
# `schema` is left out: the decoder keeps it as raw JSON and accepts any JSON value there
# (a string, a number, an object without `fields`...), which the spec does not allow.
TYPED_FIELDS = [name for name in BACKUP_FIELDS if name != "schema"]


def wrong_type(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    backup = _a_backup(draw, doc)
    name = draw(st.sampled_from(TYPED_FIELDS))
    allowed = {BACKUP_FIELDS[name]["type"]} | ({"null"} if name in OPTIONAL else set())
    # (Tags whose values are not strings are off-spec but kept: see
    # test_tags_of_any_json_values_are_kept.)
    kind = draw(st.sampled_from(sorted(VALUES_BY_TYPE.keys() - allowed)))
    value = draw(VALUES_BY_TYPE[kind])
    note(f"{name} = {value!r}")
    backup[name] = value
    return json.dumps(doc)


@settings(max_examples=50, deadline=None)
@given(
    tags=st.dictionaries(
        KEYS,
        st.integers()
        | st.none()
        | st.booleans()
        | st.floats(allow_nan=False, allow_infinity=False)
        | TEXT
        | st.lists(st.integers(), max_size=2),
    )
)
def test_tags_of_any_json_values_are_kept(tags: dict[str, Json]) -> None:
    """Issue 17, item 15: a server that sends tags of other types than strings (off-spec) fails
    nothing; the values are kept as decoded, and written back as sent."""
    sent = {name: "x" for name in REQUIRED} | {"tags": tags}
    backup = pb.Backup.from_json(json.dumps(sent))
    assert backup.tags == tags
    assert backup.to_dict()["tags"] == tags
    assert pb.Backup.from_dict(backup.to_dict()) == backup


def wrong_pagination_type(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    if draw(st.booleans()):
        doc["pagination"] = draw(
            st.sampled_from(["next", 5, -(2**63), 0.5, -(2**70), 2**64, True, [], ["t"]])
        )
    else:
        doc["pagination"] = {"next": draw(st.sampled_from([5, True, [], {}, ["t"], 1.5]))}
    return json.dumps(doc)


def data_not_a_list(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    doc["data"] = draw(st.one_of(st.just(doc["data"][0]), TEXT, st.integers(), st.booleans()))
    return json.dumps(doc)


def backup_not_an_object(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    index = draw(st.integers(0, len(doc["data"]) - 1))
    doc["data"][index] = draw(
        st.one_of(st.none(), TEXT, st.integers(), st.booleans(), st.just(list(doc["data"][index])))
    )
    return json.dumps(doc)


def not_an_object(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    return json.dumps(draw(st.sampled_from([[doc], doc["data"], None, "data", 0, True])))


def truncate(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    text = json.dumps(doc, ensure_ascii=False)
    return text[: draw(st.integers(0, len(text) - 1))]


def invalid_utf8(draw: st.DrawFn, doc: dict[str, Json]) -> bytes:
    text = json.dumps(doc, ensure_ascii=False)
    at = draw(st.integers(0, len(text)))
    # Bytes that cannot appear in UTF-8, a continuation byte without a lead, an encoded
    # surrogate, an overlong encoding, a sequence cut short.
    bad = draw(st.sampled_from([b"\xff", b"\xfe", b"\xc0", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf"]))
    if draw(st.booleans()):
        bad = draw(st.sampled_from([b"\xe2\x82", b"\xf0\x9f\x8e"])) + b'"'
    return text[:at].encode() + bad + text[at:].encode()


def deep_nesting(draw: st.DrawFn, doc: dict[str, Json]) -> str:
    """10,000 nested arrays in place of a value that is kept: a field of a backup (known or not),
    `data` or `pagination`. (See below for the values that are skipped.)"""
    where = draw(st.sampled_from(["backup", "data", "pagination"]))
    if where == "backup":
        name = draw(st.one_of(st.sampled_from(list(BACKUP_FIELDS)), UNKNOWN_KEYS))
        _a_backup(draw, doc)[name] = "DEEP"
    else:
        doc[where] = "DEEP"
    note(f"deep at {where}")
    return json.dumps(doc).replace('"DEEP"', DEEP_ARRAY, 1)


MUTATIONS: list[Mutation] = [
    drop_required_field,
    wrong_type,
    wrong_pagination_type,
    data_not_a_list,
    backup_not_an_object,
    not_an_object,
    truncate,
    invalid_utf8,
    deep_nesting,
]


@st.composite
def invalid_bodies(draw: st.DrawFn) -> str | bytes:
    """A valid document with one mutation that makes it invalid."""
    doc = draw(backup_lists(min_backups=1))
    mutation = draw(st.sampled_from(MUTATIONS))
    note(f"mutation: {mutation.__name__}")
    return mutation(draw, doc)


@PROPERTY
@given(body=invalid_bodies())
def test_an_invalid_document_is_a_validation_error(body: str | bytes) -> None:
    with pytest.raises(pb.ValidationError, match="not a valid BackupList"):
        pb.BackupList.from_json(body)


@PROPERTY
@given(doc=backup_lists(), in_pagination=st.booleans())
def test_deep_nesting_in_a_skipped_field_is_refused_or_skipped(
    doc: dict[str, Json], in_pagination: bool
) -> None:
    """An unknown field of the page or of `pagination` is skipped, not kept: 10,000 nested arrays
    there may be refused, or skipped (as the decoder does now: serde_json skips without
    recursing); either way the decoder must not crash, and a decoded page is the page without
    that field."""
    expected = pb.BackupList.from_json(json.dumps(doc))
    if in_pagination and isinstance(doc.get("pagination"), dict):
        doc["pagination"]["deep"] = "DEEP"
    else:
        doc["deep"] = "DEEP"
    body = json.dumps(doc).replace('"DEEP"', DEEP_ARRAY, 1)
    try:
        page = pb.BackupList.from_json(body)
    except pb.ValidationError:
        return
    assert page == expected
    assert_same_json(page.to_dict(), expected.to_dict())


@PROPERTY
@given(body=st.binary(max_size=256))
def test_any_bytes_decode_or_are_a_validation_error(body: bytes) -> None:
    try:
        page = pb.BackupList.from_json(body)
    except pb.ValidationError:
        return
    assert pb.BackupList.from_json(page.to_json()) == page


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Emulator, pb.Client]]:
    """An emulator and a client of it that does not retry."""
    with (
        Emulator(api_key=API_KEY) as emu,
        pb.Client(api_key=API_KEY, host=emu.url, max_retries=0) as client,
    ):
        yield emu, client


@settings(PROPERTY, max_examples=min(PROPERTY.max_examples, 25))
@given(body=invalid_bodies())
def test_the_client_reports_an_invalid_body_as_a_decode_error(
    served: tuple[Emulator, pb.Client], body: str | bytes
) -> None:
    emu, client = served
    emu.respond_next(200, body=body)
    with pytest.raises(pb.ResponseDecodeError):
        client.list_index_backups("docs-example")


@settings(PROPERTY, max_examples=min(PROPERTY.max_examples, 25))
@given(doc=backup_lists())
def test_the_client_decodes_a_valid_body_as_from_json_does(
    served: tuple[Emulator, pb.Client], doc: dict[str, Json]
) -> None:
    emu, client = served
    body = json.dumps(doc)
    emu.respond_next(200, body=body)
    page = client.list_index_backups("docs-example")
    assert page == pb.BackupList.from_json(body)
    assert_same_json(page.to_dict(), pb.BackupList.from_json(body).to_dict())


def test_a_lone_surrogate_in_kept_json_is_refused() -> None:
    # Python's json takes "\ud800" and makes a str that cannot be encoded; serde_json refuses it.
    # The decoder refuses it wherever JSON is kept as sent, with the member's path.
    required = ",".join(f'"{name}":"x"' for name in REQUIRED)
    for member in ('"schema":"\\ud800"', '"schema":{"\\udc00":1}', '"future":["\\ud83d"]'):
        body = '{"data":[{' + required + "," + member + "}]}"
        with pytest.raises(pb.ValidationError, match=r"data\[0\]\.(schema|future).*surrogate"):
            pb.BackupList.from_json(body)
    # A proper pair is a character like any other.
    body = '{"data":[{' + required + ',"schema":{"\\ud83d\\ude00":1}}]}'
    assert pb.BackupList.from_json(body)[0].schema == {"\U0001f600": 1}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("future", {SERDE_NUMBER: "12"}),
        ("future", {SERDE_NUMBER: "12", "other": 1}),
        ("future", {"nested": {SERDE_RAW_VALUE: "[1]"}}),
        ("schema", {SERDE_NUMBER: "12"}),
        ("schema", {"fields": {SERDE_RAW_VALUE: True}}),
        ("tags", {SERDE_NUMBER: "12"}),
        ("tags", {SERDE_RAW_VALUE: "x"}),
    ],
)
def test_serde_json_private_keys_are_kept_as_sent(field: str, value: dict[str, Json]) -> None:
    sent = {name: "x" for name in REQUIRED} | {field: value}
    backup = pb.BackupList.from_json(json.dumps({"data": [sent]}))[0]
    check_backup(backup, sent, "data[0]")


@pytest.mark.parametrize(
    "body",
    [
        {"data": [dict.fromkeys(REQUIRED, "x") | {"tags": 0.5}]},
        {"data": [dict.fromkeys(REQUIRED, "x") | {"tags": 2**70}]},
        {"data": [], "pagination": 0.5},
        {"data": [], "pagination": -(2**70)},
    ],
)
def test_a_number_is_neither_tags_nor_pagination(body: dict[str, Json]) -> None:
    with pytest.raises(pb.ValidationError):
        pb.BackupList.from_json(json.dumps(body))
