"""Every failure is a typed exception that keeps what the server said: the error registry and
its codes, details, headers and bodies (bounded), undecodable answers, connection failures and
timeouts; ``ApiError.message`` is exactly the server's, and ``maybe_processed`` (with the "may
have been processed" note) is True only for a POST that may have reached the server."""

from __future__ import annotations

import asyncio
import json
import pickle
import time
from collections.abc import Callable
from typing import Any

import pytest
import yaml

import pinecone_backups as pb
from pinecone_backups import errors
from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    DROP,
    HANG,
    RawReply,
    RawRequest,
    RawServer,
    error_response,
    free_port,
)
from tests.spec_validation import SPECS, spec_path

# -- Typed errors ---------------------------------------------------------------------------------


CODES: dict[str, tuple[type[pb.ApiError], type[pb.ApiError], int]] = {
    # code: (class, family, a status the API uses with it)
    "UNKNOWN": (pb.UnknownError, pb.ServerError, 500),
    "INVALID_ARGUMENT": (pb.InvalidArgumentError, pb.ClientError, 400),
    "DEADLINE_EXCEEDED": (pb.DeadlineExceededError, pb.ServerError, 504),
    "QUOTA_EXCEEDED": (pb.QuotaExceededError, pb.ClientError, 403),
    "NOT_FOUND": (pb.NotFoundError, pb.ClientError, 404),
    "ALREADY_EXISTS": (pb.AlreadyExistsError, pb.ClientError, 409),
    "PERMISSION_DENIED": (pb.PermissionDeniedError, pb.ClientError, 403),
    "UNAUTHENTICATED": (pb.UnauthenticatedError, pb.ClientError, 401),
    "RESOURCE_EXHAUSTED": (pb.ResourceExhaustedError, pb.ClientError, 429),
    "FAILED_PRECONDITION": (pb.FailedPreconditionError, pb.ClientError, 412),
    "ABORTED": (pb.AbortedError, pb.ClientError, 409),
    "OUT_OF_RANGE": (pb.OutOfRangeError, pb.ClientError, 400),
    "UNIMPLEMENTED": (pb.UnimplementedError, pb.ServerError, 501),
    "INTERNAL": (pb.InternalError, pb.ServerError, 500),
    "UNAVAILABLE": (pb.UnavailableError, pb.ServerError, 503),
    "DATA_LOSS": (pb.DataLossError, pb.ServerError, 500),
    "FORBIDDEN": (pb.ForbiddenError, pb.ClientError, 403),
    "UNPROCESSABLE_ENTITY": (pb.UnprocessableEntityError, pb.ClientError, 422),
    "PAYMENT_REQUIRED": (pb.PaymentRequiredError, pb.ClientError, 402),
    # API 2026-07
    "SERVICE_UNAVAILABLE": (pb.ServiceUnavailableError, pb.UnavailableError, 503),
    "PAYLOAD_TOO_LARGE": (pb.PayloadTooLargeError, pb.ClientError, 413),
}


def spec_error_codes(version: str) -> list[str]:
    """The codes the ``ErrorResponse`` of ``version``'s spec lists for ``error.code``."""
    schemas = yaml.safe_load(spec_path(version).read_text(encoding="utf-8"))["components"][
        "schemas"
    ]
    codes: list[str] = schemas["ErrorResponse"]["properties"]["error"]["properties"]["code"][
        "x-enum"
    ]
    return codes


@pytest.mark.parametrize("version", SPECS)
def test_every_code_of_each_version_has_its_class(version: str) -> None:
    spec_codes = spec_error_codes(version)
    assert "OK" in spec_codes and len(spec_codes) == len(set(spec_codes))
    assert set(spec_codes) - {"OK"} <= set(CODES), set(spec_codes) - {"OK"} - set(CODES)
    for code in spec_codes:
        assert pb.error_for_code(code).code == (None if code == "OK" else code)


def test_the_registry_covers_the_spec() -> None:
    # CODES is the union of the three specs' ErrorResponse code lists, minus OK (no error).
    by_version = {version: set(spec_error_codes(version)) for version in SPECS}
    assert set(CODES) == set().union(*by_version.values()) - {"OK"}
    # Read per version: 2026-07 dropped four codes and added two.
    assert by_version["2025-10"] == by_version["2026-04"]
    assert by_version["2025-10"] - by_version["2026-07"] == {
        "QUOTA_EXCEEDED",
        "UNIMPLEMENTED",
        "UNAVAILABLE",
        "DATA_LOSS",
    }
    assert by_version["2026-07"] - by_version["2025-10"] == {
        "SERVICE_UNAVAILABLE",
        "PAYLOAD_TOO_LARGE",
    }
    assert set(CODES) == {cls.code for cls in errors._BY_CODE.values()}
    for code, (cls, family, _) in CODES.items():
        assert pb.error_for_code(code) is cls
        assert cls.code == code
        assert issubclass(cls, family) and issubclass(cls, pb.ApiError)
        assert issubclass(cls, pb.PineconeError)
    # 2026-07's SERVICE_UNAVAILABLE is caught where 2025-10's UNAVAILABLE is.
    assert issubclass(pb.ServiceUnavailableError, pb.UnavailableError)
    assert issubclass(pb.ServiceUnavailableError, pb.ServerError)
    assert pb.error_for_code("OK") is pb.ApiError
    assert pb.error_for_code("SOMETHING_NEW") is pb.ApiError


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_raises_its_class(client: pb.Client, emulator: Emulator, code: str) -> None:
    cls, family, status = CODES[code]
    emulator.fail_next(status, code=code, message=f"Something about {code}.")
    with pytest.raises(cls) as caught:
        client.list_index_backups("docs-example")
    err = caught.value
    assert type(err) is cls and isinstance(err, family)
    assert (err.status, err.code, err.message) == (status, code, f"Something about {code}.")
    assert err.request_id == emulator.exchanges[-1].headers["x-pinecone-request-id"]
    assert json.loads(err.body) == {
        "error": {"code": code, "message": f"Something about {code}."},
        "status": status,
    }
    assert str(err) == f"[{status} {code}] Something about {code}. (request_id: {err.request_id})"


@pytest.mark.parametrize("code", ["OK", "BRAND_NEW_CODE"])
def test_ok_and_unknown_codes_are_plain_api_errors(
    client: pb.Client, emulator: Emulator, code: str
) -> None:
    emulator.fail_next(409, code=code, message="odd")
    with pytest.raises(pb.ApiError) as caught:
        client.list_index_backups("docs-example")
    assert type(caught.value) is pb.ApiError
    assert (caught.value.status, caught.value.code) == (409, code)


def test_details_are_kept(client: pb.Client, emulator: Emulator) -> None:
    body = {
        "error": {"code": "INVALID_ARGUMENT", "message": "bad", "details": {"field": "limit"}},
        "status": 400,
    }
    emulator.fail_next(400, body=json.dumps(body))
    with pytest.raises(pb.InvalidArgumentError) as caught:
        client.list_index_backups("docs-example")
    assert caught.value.details == {"field": "limit"}


@pytest.mark.off_spec_responses
@pytest.mark.parametrize(
    ("status", "body", "cls", "message"),
    [
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", pb.ServerError, "Bad Gateway"),
        (503, "", pb.UnavailableError, "Service Unavailable"),
        (
            500,
            "upstream connect error\nor disconnect",
            pb.InternalError,
            "upstream connect error or disconnect",
        ),
        (404, "<html>Not Found</html>", pb.NotFoundError, "Not Found"),
        (401, "", pb.UnauthenticatedError, "Unauthorized"),
        (403, "Forbidden", pb.ForbiddenError, "Forbidden"),
        (409, "", pb.AlreadyExistsError, "Conflict"),
        (412, "", pb.FailedPreconditionError, "Precondition Failed"),
        (422, "", pb.UnprocessableEntityError, "Unprocessable Entity"),
        (429, "slow down", pb.ResourceExhaustedError, "slow down"),
        (418, "teapot", pb.ClientError, "teapot"),
        (504, '{"message": "gateway timeout"}', pb.DeadlineExceededError, "gateway timeout"),
    ],
)
def test_bodies_that_are_not_error_responses(
    client: pb.Client,
    emulator: Emulator,
    status: int,
    body: str,
    cls: type[pb.ApiError],
    message: str,
) -> None:
    emulator.fail_next(status, body=body)
    with pytest.raises(pb.ApiError) as caught:
        client.list_index_backups("docs-example")
    err = caught.value
    assert type(err) is cls
    assert (err.status, err.code, err.message, err.body) == (status, None, message, body)
    assert str(err).startswith(f"[{status}] {message}")
    assert "\n" not in str(err)


def test_headers_are_kept_without_secrets(client: pb.Client, emulator: Emulator) -> None:
    emulator.fail_next(
        503,
        code="UNAVAILABLE",
        headers={"Retry-After": "3", "Set-Cookie": "session=abc", "X-Request-Id": "other"},
    )
    with pytest.raises(pb.UnavailableError) as caught:
        client.list_index_backups("docs-example")
    headers = caught.value.headers
    assert headers["retry-after"] == "3"
    assert "set-cookie" not in headers
    assert caught.value.request_id == headers["x-pinecone-request-id"]


def test_bodies_are_bounded(client: pb.Client, emulator: Emulator) -> None:
    emulator.fail_next(500, body="x" * 300_000)
    with pytest.raises(pb.InternalError) as caught:
        client.list_index_backups("docs-example")
    assert len(caught.value.body) < 70_000
    assert caught.value.body.startswith("x" * 1000)


@pytest.mark.off_spec_responses
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"data": [', "EOF while parsing"),
        (b"<html>captive portal</html>", "expected value"),
        (b'["not", "an", "object"]', "invalid type"),
        (b'{"data": {"not": "a list"}}', "invalid type"),
        (b"", "EOF while parsing"),
        (b"\xff\xfe garbage", "not UTF-8"),
    ],
)
def test_undecodable_2xx_bodies(
    client: pb.Client, emulator: Emulator, body: bytes, reason: str
) -> None:
    emulator.respond_next(200, body=body)
    with pytest.raises(pb.ResponseDecodeError) as caught:
        client.list_index_backups("docs-example")
    err = caught.value
    assert reason in err.reason, err.reason
    assert err.status == 200
    assert err.snippet == body[:512].decode("utf-8", "replace")
    assert err.request_id is not None
    assert isinstance(err, ValueError)


def test_malformed_fault(client: pb.Client, emulator: Emulator) -> None:
    emulator.malformed_next()
    with pytest.raises(pb.ResponseDecodeError):
        client.list_index_backups("docs-example")


def test_connection_refused() -> None:
    client = pb.Client(api_key=API_KEY, host=f"http://127.0.0.1:{free_port()}", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("docs-example")
    assert isinstance(caught.value, ConnectionError)
    assert "Connection refused" in str(caught.value)


def test_dropped_connection(client: pb.Client, emulator: Emulator) -> None:
    emulator.drop_next(times=5)
    with pytest.raises(pb.PineconeConnectionError):
        client.list_index_backups("docs-example")


def test_timeout(emulator: Emulator) -> None:
    emulator.delay_next(5)
    client = pb.Client(api_key=API_KEY, host=emulator.url, timeout=0.3, max_retries=0)
    started = time.monotonic()
    with pytest.raises(pb.PineconeTimeoutError) as caught:
        client.list_index_backups("docs-example")
    assert time.monotonic() - started < 3
    assert isinstance(caught.value, TimeoutError)
    assert "timed out after 0.3s" in str(caught.value)


def instances() -> list[pb.PineconeError]:
    out: list[pb.PineconeError] = []
    classes: list[type[pb.ApiError]] = [pb.ApiError, pb.ClientError, pb.ServerError]
    for cls in [*classes, *(c for c, _, _ in CODES.values())]:
        out.append(
            pb.errors._api_error(
                404, cls.code, "Index x not found.", {"a": 1}, "req-1", "{}", {"h": "v"}
            )
        )
    out += [
        pb.ConfigurationError("no key"),
        pb.ValidationError("bad limit", param="limit"),
        pb.ArgumentTypeError("limit must be an int", param="limit"),
        pb.ClientClosedError("closed"),
        pb.PineconeConnectionError("refused"),
        pb.PineconeTimeoutError("slow"),
        pb.ResponseDecodeError("bad", status=200, reason="r", snippet="s", request_id="q"),
        pb.PineconeError("base"),
    ]
    return out


@pytest.mark.parametrize("err", instances(), ids=lambda e: type(e).__name__)
def test_every_exception_pickles(err: pb.PineconeError) -> None:
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err)
    assert str(again) == str(err) and repr(again) == repr(err)
    assert vars(again) == vars(err)


def test_api_error_repr_and_attributes() -> None:
    err = pb.errors._api_error(404, "NOT_FOUND", "Index x not found.", None, None, "", {})
    assert isinstance(err, pb.NotFoundError)
    assert repr(err) == (
        "NotFoundError(status=404, code='NOT_FOUND', message='Index x not found.', request_id=None)"
    )
    assert str(err) == "[404 NOT_FOUND] Index x not found."


def test_builtin_bases() -> None:
    expected: dict[type[Any], tuple[type[BaseException], ...]] = {
        pb.ConfigurationError: (ValueError,),
        pb.ValidationError: (ValueError,),
        pb.ArgumentTypeError: (ValueError, TypeError),
        pb.ClientClosedError: (ValueError,),
        pb.PineconeConnectionError: (ConnectionError,),
        pb.PineconeTimeoutError: (TimeoutError,),
        pb.ResponseDecodeError: (ValueError,),
    }
    for cls, bases in expected.items():
        assert issubclass(cls, pb.PineconeError)
        for base in bases:
            assert issubclass(cls, base), (cls, base)
    assert pb.error_for_status(404) is pb.NotFoundError
    assert pb.error_for_status(418) is pb.ClientError
    assert pb.error_for_status(599) is pb.ServerError
    assert pb.error_for_status(302) is pb.ApiError


# -- What the server said, and whether the request may have been processed ------------------------


KEY = "pcsk_errors_trust_0123456789"
FAST = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)
NOTE = "may have been processed"


def post_create(client: pb.Client) -> object:
    return client.create_backup("idx")


def post_restore(client: pb.Client) -> object:
    return client.create_index_from_backup("b-1", "restored")


def get_describe(client: pb.Client) -> object:
    return client.describe_backup("b-1")


def get_list(client: pb.Client) -> object:
    return client.list_index_backups("idx")


def delete(client: pb.Client) -> object:
    client.delete_backup("b-1")
    return None


SERVER_ERROR = "the backup service fell over"

MAYBE_CASES: list[tuple[str, Callable[[pb.Client], object], Callable[[RawRequest], Any], bool]] = [
    # (name, call, server, maybe_processed)
    (
        "POST create, 500",
        post_create,
        lambda _: error_response(code="INTERNAL", message=SERVER_ERROR, status=500),
        True,
    ),
    ("POST restore, 503", post_restore, lambda _: error_response(message=SERVER_ERROR), True),
    ("POST create, connection dropped", post_create, lambda _: DROP, True),
    ("POST create, timed out", post_create, lambda _: HANG, True),
    ("POST create, 201 that does not decode", post_create, lambda _: RawReply(201, "<html>"), True),
    (
        "POST create, 400",
        post_create,
        lambda _: error_response(code="INVALID_ARGUMENT", message=SERVER_ERROR, status=400),
        False,
    ),
    (
        "POST create, 409",
        post_create,
        lambda _: error_response(code="ALREADY_EXISTS", message=SERVER_ERROR, status=409),
        False,
    ),
    (
        "GET describe, 500",
        get_describe,
        lambda _: error_response(code="INTERNAL", message=SERVER_ERROR, status=500),
        False,
    ),
    ("GET list, 503", get_list, lambda _: error_response(message=SERVER_ERROR), False),
    ("GET list, 200 that does not decode", get_list, lambda _: RawReply(200, "<html>"), False),
    ("GET describe, connection dropped", get_describe, lambda _: DROP, False),
    ("GET describe, timed out", get_describe, lambda _: HANG, False),
    (
        "DELETE, 500",
        delete,
        lambda _: error_response(code="INTERNAL", message=SERVER_ERROR, status=500),
        False,
    ),
    ("DELETE, timed out", delete, lambda _: HANG, False),
]
ERROR_CLASSES = (
    pb.ApiError,
    pb.ResponseDecodeError,
    pb.PineconeConnectionError,
    pb.PineconeTimeoutError,
)


def check_maybe_processed(error: BaseException, maybe: bool) -> None:
    assert isinstance(error, ERROR_CLASSES), repr(error)
    assert getattr(error, "maybe_processed", None) is maybe, (
        f"maybe_processed={getattr(error, 'maybe_processed', 'missing')!r}: {error}"
    )
    assert (NOTE in str(error)) is maybe, str(error)
    if isinstance(error, pb.ApiError):
        assert error.message == SERVER_ERROR, error.message
    again = pickle.loads(pickle.dumps(error))
    assert again.maybe_processed is maybe
    assert str(again) == str(error)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("call", "server", "maybe"),
    [case[1:] for case in MAYBE_CASES],
    ids=[case[0] for case in MAYBE_CASES],
)
def test_maybe_processed_is_an_attribute_and_message_is_the_server_s(
    call: Callable[[pb.Client], object], server: Callable[[RawRequest], Any], maybe: bool
) -> None:
    with (
        RawServer(server) as raw,
        pb.Client(api_key=KEY, host=raw.url, retry=FAST, timeout=0.3) as client,
        pytest.raises(pb.PineconeError) as caught,
    ):
        call(client)
    check_maybe_processed(caught.value, maybe)


@pytest.mark.timeout(30)
def test_maybe_processed_is_false_for_a_post_never_sent() -> None:
    client = pb.Client(api_key=KEY, host=f"http://127.0.0.1:{free_port()}", retry=FAST)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.create_backup("idx")
    assert getattr(caught.value, "maybe_processed", None) is False
    assert NOTE not in str(caught.value)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("method", "maybe"), [("create_backup", True), ("describe_backup", False)])
async def test_async_maybe_processed_and_message(method: str, maybe: bool) -> None:
    reply = error_response(code="INTERNAL", message=SERVER_ERROR, status=500)
    with RawServer(lambda _: reply) as raw:
        async with pb.AsyncClient(api_key=KEY, host=raw.url, retry=FAST) as client:
            argument = "idx" if method == "create_backup" else "b-1"
            with pytest.raises(pb.ApiError) as caught:
                await asyncio.wait_for(getattr(client, method)(argument), 10)
    check_maybe_processed(caught.value, maybe)


@pytest.mark.timeout(30)
def test_error_classes_say_maybe_processed_false_by_default() -> None:
    """Errors built by hand (as tests of user code do) have the attribute too."""
    for error in (
        pb.NotFoundError("x", status=404),
        pb.ResponseDecodeError("x"),
        pb.PineconeConnectionError("x"),
        pb.PineconeTimeoutError("x"),
    ):
        assert getattr(error, "maybe_processed", None) is False, type(error).__name__
