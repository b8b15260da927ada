"""What the client makes of an answer's body: ``max_response_bytes`` of any size (down to one
byte) on any page, and a ``delete_backup`` answered 2xx that returns None whatever its body
(gzip that does not inflate, a body over ``max_response_bytes``)."""

from __future__ import annotations

import asyncio

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    CAP,
    DELETE_ANSWERS,
    RawServer,
)

# -- max_response_bytes below the body buffer's initial capacity ----------------------------------


def test_a_small_response_cap_on_an_empty_page(
    emulator: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    # Today: a Rust panic ("min > max") and PineconeError("internal error ... please report it").
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_response_bytes=1000, max_retries=0)
    page = client.list_index_backups("empty-index")
    assert len(page) == 0 and page.next_token is None
    assert "panicked" not in capfd.readouterr().err


async def test_a_small_response_cap_on_an_empty_page_async(
    emulator: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    async with pb.AsyncClient(
        api_key=API_KEY, host=emulator.url, max_response_bytes=1000, max_retries=0
    ) as client:
        page = await client.list_index_backups("empty-index")
    assert len(page) == 0
    assert "panicked" not in capfd.readouterr().err


def test_a_cap_of_one_byte_on_a_page_is_a_decode_error(emulator: Emulator) -> None:
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_response_bytes=1, max_retries=0)
    with pytest.raises(pb.ResponseDecodeError, match="limit"):
        client.list_index_backups("docs-example")


@pytest.mark.parametrize("cap", [1, 100, 1000, 1023, 1024, 5000])
@pytest.mark.parametrize("index", ["empty-index", "docs-example", "big-index"])
def test_any_positive_response_cap_works(
    emulator: Emulator, capfd: pytest.CaptureFixture[str], cap: int, index: str
) -> None:
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_response_bytes=cap, max_retries=0)
    try:
        page = client.list_index_backups(index)
    except pb.ResponseDecodeError as err:
        assert "limit" in str(err) and str(cap) in str(err), str(err)
    else:
        assert isinstance(page, pb.BackupList)
    assert "panicked" not in capfd.readouterr().err


# -- A delete answered 2xx is done ----------------------------------------------------------------


KEY = "pcsk_errors_trust_0123456789"
FAST = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("answer", list(DELETE_ANSWERS))
def test_a_delete_answered_2xx_returns_none_whatever_the_body(answer: str) -> None:
    with (
        RawServer(lambda _: DELETE_ANSWERS[answer]) as server,
        pb.Client(api_key=KEY, host=server.url, max_response_bytes=CAP, retry=FAST) as client,
    ):
        result: object = client.delete_backup("b-1")  # type: ignore[func-returns-value]
        assert result is None
        assert server.paths() == ["DELETE /backups/b-1"], "not retried: it was done"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("answer", list(DELETE_ANSWERS)[:3])
async def test_an_async_delete_answered_2xx_returns_none_whatever_the_body(answer: str) -> None:
    with RawServer(lambda _: DELETE_ANSWERS[answer]) as server:
        async with pb.AsyncClient(
            api_key=KEY, host=server.url, max_response_bytes=CAP, retry=FAST
        ) as client:
            result: object = await asyncio.wait_for(client.delete_backup("b-1"), 10)
            assert result is None
        assert server.paths() == ["DELETE /backups/b-1"]
