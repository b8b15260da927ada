"""The API key, of any length, never shows: not in a repr, a pickle, an exception (its str, repr,
traceback, pickle, any attribute), a log record or the CLI's output; and a host with credentials
is refused without showing them.

A raw server (``helpers.RawServer``) echoes the key in every place a server can put text
(``helpers.ECHOES``: ``error.code``, ``error.message``, ``error.details`` keys and values, header
names and values, the request id, a 2xx field of the wrong type, plain-text and HTML bodies) and
where the client cuts text (``helpers.CUTS``: the 200-character message, the 64 KiB ``body``, the
512-byte ``snippet``); generated keys go to generated places too. Where the key straddles a cut,
no start or end of it 4 characters long or more may remain.

Short keys (1 to 8 characters) are made of ``~`` and ``^``, characters the package's own text
never holds, so that "the key is not in the text" can be asserted literally."""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import string
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    CUTS,
    ECHOES,
    RawReply,
    RawServer,
    Scripted,
    error_of,
    error_texts,
    everywhere,
    find_leaks,
    log_texts,
    run_cli,
)
from tests.helpers.properties import PROPERTY

# -- The key in reprs, pickles, errors and the CLI ------------------------------------------------


SECRET = "pcsk_SECRETsecretSECRET_9876"


def test_repr_masks_the_key() -> None:
    client = pb.Client(api_key=SECRET)
    assert repr(client) == (
        "Client(host='https://api.pinecone.io', api_version='2025-10', api_key='...9876')"
    )
    assert SECRET not in str(client)
    short = pb.Client(api_key="abc")
    assert "api_key='...'" in repr(short)


def test_clients_do_not_pickle() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(pb.Client(api_key=SECRET))


@pytest.mark.off_spec_responses
def test_the_key_is_not_in_errors_even_when_the_server_echoes_it(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.add_index("x")
    client = pb.Client(api_key=SECRET, host=emulator.url)
    emulator.fail_next(
        401,
        body=json.dumps(
            {"error": {"code": "UNAUTHENTICATED", "message": f"Invalid API key {SECRET}"}}
        ),
        headers={"X-Echo": SECRET},
    )
    with pytest.raises(pb.UnauthenticatedError) as caught:
        client.list_index_backups("x")
    err = caught.value
    dumped = " ".join([str(err), repr(err), err.message, err.body, json.dumps(err.headers)])
    assert SECRET not in dumped
    assert "[REDACTED]" in err.message
    assert SECRET not in pickle.dumps(err).decode("latin-1")
    assert SECRET not in caplog.text

    # The emulator refuses the key it does not know: still no echo.
    with pytest.raises(pb.UnauthenticatedError) as caught:
        client.list_index_backups("x")
    assert SECRET not in str(caught.value) + caught.value.body


def test_the_key_is_not_in_connection_errors() -> None:
    client = pb.Client(api_key=SECRET, host="http://127.0.0.1:1", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("x")
    assert SECRET not in str(caught.value) + repr(caught.value)


def test_bad_keys_are_not_echoed() -> None:
    for bad in (f"{SECRET}\n", f"{SECRET} with space", f"{SECRET}é"):
        try:
            pb.Client(api_key=bad)
        except pb.ConfigurationError as err:
            assert SECRET not in str(err)
        else:
            assert bad == f"{SECRET}\n", "a trailing newline is trimmed, the rest refused"


def test_cli_output_never_has_the_key(emulator: Emulator) -> None:
    env = {"PINECONE_API_KEY": SECRET, "PINECONE_CONTROLLER_HOST": emulator.url, "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "pinecone_backups", "list", "docs-example"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "UNAUTHENTICATED" in result.stderr
    assert SECRET not in result.stdout + result.stderr


# -- Each place, each key, each cut; hosts with credentials ---------------------------------------


LONG_KEY = "pcsk_Zq7Xw3Kd9Vb2Lm5Nf8Hj"
SHORT_KEYS = ["~", "^~", "~^~", "~~^^", "^~^~~", "~^^~^~", "^~~~^^~", "~^~^^~^~"]
KEYS = [LONG_KEY, *SHORT_KEYS]
CUT_KEYS = [LONG_KEY, "Zq7Xw3Kd"]
ONE_RETRY = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)


def key_id(key: str) -> str:
    return f"key{len(key)}"


def cut_cases() -> list[tuple[str, str, int]]:
    """(cut, key, characters of the key before the cut): 4, half, all but 4, all but 1 (fewer
    than 4 kept are no fragment by the contract's measure)."""
    cases = []
    for cut in CUTS:
        for key in CUT_KEYS:
            for before in sorted({4, len(key) // 2, len(key) - 4, len(key) - 1}):
                cases.append((cut, key, before))
    return cases


CUT_CASES = cut_cases()
CUT_IDS = [f"{cut}-{key_id(key)}-{before}" for cut, key, before in CUT_CASES]


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("pinecone_backups")]


def wait_for_logs(caplog: pytest.LogCaptureFixture, attempts: int) -> None:
    """Async calls log from a background thread: wait for a DEBUG record per attempt and a
    WARNING per retry (at most 2 s)."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        records = ours(caplog)
        debug = [r for r in records if r.levelno == logging.DEBUG]
        warnings = [r for r in records if r.levelno == logging.WARNING]
        if len(debug) >= attempts and len(warnings) >= attempts - 1:
            return
        time.sleep(0.01)


def sync_error(reply: RawReply, key: str) -> pb.PineconeError:
    with RawServer(lambda _: reply) as server:
        client = pb.Client(api_key=key, host=server.url, retry=ONE_RETRY, timeout=5)
        with pytest.raises(pb.PineconeError) as caught:
            client.list_index_backups("idx")
        client.close()
    return caught.value


async def async_error(reply: RawReply, key: str) -> pb.PineconeError:
    with RawServer(lambda _: reply) as server:
        async with pb.AsyncClient(api_key=key, host=server.url, retry=ONE_RETRY, timeout=5) as c:
            with pytest.raises(pb.PineconeError) as caught:
                await asyncio.wait_for(c.list_index_backups("idx"), 10)
    return caught.value


def assert_nothing_leaks(
    error: BaseException, caplog: pytest.LogCaptureFixture, key: str, *, cut: bool = False
) -> None:
    assert isinstance(error, (pb.ApiError, pb.ResponseDecodeError)), repr(error)
    wait_for_logs(caplog, getattr(error, "attempts", 1))
    texts = error_texts(error) | log_texts(caplog.records)
    leaks = find_leaks(texts, key, cut=cut)
    assert not leaks, "the key leaked:\n" + "\n".join(leaks)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("key", KEYS, ids=key_id)
@pytest.mark.parametrize("echo", list(ECHOES))
def test_client_errors_and_logs_never_hold_the_key(
    echo: str, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = sync_error(ECHOES[echo](key), key)
    assert_nothing_leaks(error, caplog, key)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("key", KEYS, ids=key_id)
@pytest.mark.parametrize("echo", list(ECHOES))
async def test_async_client_errors_and_logs_never_hold_the_key(
    echo: str, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = await async_error(ECHOES[echo](key), key)
    assert_nothing_leaks(error, caplog, key)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("cut", "key", "before"), CUT_CASES, ids=CUT_IDS)
def test_client_leaves_no_fragment_of_a_key_cut_in_two(
    cut: str, key: str, before: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = sync_error(CUTS[cut](key, before), key)
    assert_nothing_leaks(error, caplog, key, cut=True)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("cut", "key", "before"), CUT_CASES, ids=CUT_IDS)
async def test_async_client_leaves_no_fragment_of_a_key_cut_in_two(
    cut: str, key: str, before: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = await async_error(CUTS[cut](key, before), key)
    assert_nothing_leaks(error, caplog, key, cut=True)


@pytest.mark.timeout(30)
def test_the_cut_points_are_where_the_tests_put_the_key() -> None:
    """The cut tests are only meaningful if the client cuts where they assume: a long
    plain-text message, a long error body and a long undecodable body are each kept up to the
    cut (the key is not involved here: a short one the server does not echo)."""
    for reply, attribute, kept in [
        (CUTS["message (200 characters)"]("Q" * 30, 10), "message", 190),
        (CUTS["body (64 KiB), plain text"]("Q" * 30, 10), "body", 64 * 1024 - 10),
        (CUTS["snippet (512 bytes)"]("Q" * 30, 10), "snippet", 502),
    ]:
        error = sync_error(reply, "~")
        text = getattr(error, attribute)
        assert isinstance(text, str)
        assert text.startswith("." * kept), (attribute, text[:40])
        assert len(text) < kept + 200, (attribute, len(text))


def cli_output(reply: RawReply, key: str) -> str:
    with RawServer(lambda _: reply) as server:
        run = run_cli(
            "list", "idx", "--host", server.url, "-v", env={"PINECONE_API_KEY": key}, timeout=20
        )
    assert run.returncode == 1, (run.killed, run.output[-2000:])
    return run.output


@pytest.mark.timeout(30)
@pytest.mark.parametrize("echo", list(ECHOES))
def test_cli_output_never_holds_the_key(echo: str) -> None:
    output = cli_output(ECHOES[echo](LONG_KEY), LONG_KEY)
    leaks = find_leaks({"CLI stdout+stderr": [output]}, LONG_KEY)
    assert not leaks, "\n".join(leaks)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("key", SHORT_KEYS, ids=key_id)
def test_cli_output_never_holds_a_short_key(key: str) -> None:
    output = cli_output(everywhere(key), key)
    leaks = find_leaks({"CLI stdout+stderr": [output]}, key)
    assert not leaks, "\n".join(leaks)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("cut", list(CUTS))
def test_cli_output_holds_no_fragment_of_a_key_cut_in_two(cut: str) -> None:
    before = len(LONG_KEY) // 2
    output = cli_output(CUTS[cut](LONG_KEY, before), LONG_KEY)
    leaks = find_leaks({"CLI stdout+stderr": [output]}, LONG_KEY, cut=True)
    assert not leaks, "\n".join(leaks)


USER, PASSWORD = "alice-the-user", "hunter2-pa55word"
CREDENTIAL_HOSTS = [
    f"https://{USER}:{PASSWORD}@api.example.com",
    f"http://{USER}:{PASSWORD}@127.0.0.1:1",
    f"https://{USER}@api.example.com",
    f"https://:{PASSWORD}@api.example.com",
]


def assert_no_credentials(text: str) -> None:
    assert PASSWORD not in text, text
    assert USER not in text, text


@pytest.mark.timeout(30)
@pytest.mark.parametrize("host", CREDENTIAL_HOSTS)
@pytest.mark.parametrize("client_class", [pb.Client, pb.AsyncClient], ids=lambda c: c.__name__)
def test_a_host_with_credentials_is_refused_without_showing_them(
    host: str, client_class: type[pb.Client] | type[pb.AsyncClient]
) -> None:
    with pytest.raises(pb.ConfigurationError) as caught:
        client_class(api_key=LONG_KEY, host=host)
    for where, texts in error_texts(caught.value).items():
        for text in texts:
            assert PASSWORD not in text, (where, text)
            assert USER not in text, (where, text)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("host", CREDENTIAL_HOSTS)
def test_a_controller_host_with_credentials_is_refused_without_showing_them(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", host)
    with pytest.raises(pb.ConfigurationError) as caught:
        pb.Client(api_key=LONG_KEY)
    for texts in error_texts(caught.value).values():
        for text in texts:
            assert_no_credentials(text)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("how", ["--host", "PINECONE_CONTROLLER_HOST"])
def test_the_cli_refuses_a_host_with_credentials_without_showing_them(how: str) -> None:
    host = CREDENTIAL_HOSTS[0]
    env = {"PINECONE_API_KEY": LONG_KEY}
    args = ["list", "idx"]
    if how == "--host":
        args += ["--host", host]
    else:
        env["PINECONE_CONTROLLER_HOST"] = host
    run = run_cli(*args, env=env, timeout=20)
    assert run.returncode not in (0, None), run.output
    assert "Traceback" not in run.output, run.output
    assert_no_credentials(run.output)


# -- Any key, any place ---------------------------------------------------------------------------


KEY_ALPHABET = string.ascii_letters + string.digits + "_-"
keys = st.text(KEY_ALPHABET, min_size=4, max_size=40).map(lambda tail: f"pcsk_{tail}")
"""Keys as Pinecone makes them: ``pcsk_`` then random characters. The prefix makes every start
of a key (what a cut keeps) text the package never writes itself."""


@pytest.mark.timeout(120)
@PROPERTY
@given(key=keys, echo=st.sampled_from(sorted(ECHOES)))
def test_a_random_key_in_a_random_place_never_shows(
    scripted: Scripted, key: str, echo: str
) -> None:
    error, records = error_of(scripted, ECHOES[echo](key), key)
    leaks = find_leaks(error_texts(error) | log_texts(records.records), key)
    assert not leaks, "\n".join(leaks)


@pytest.mark.timeout(120)
@PROPERTY
@given(key=keys, cut=st.sampled_from(sorted(CUTS)), data=st.data())
def test_a_random_key_cut_anywhere_leaves_no_fragment(
    scripted: Scripted, key: str, cut: str, data: st.DataObject
) -> None:
    before = data.draw(st.integers(min_value=1, max_value=len(key) - 1), label="before")
    error, records = error_of(scripted, CUTS[cut](key, before), key)
    # Only starts of the key: what a cut keeps (its random ends might match package text).
    leaks = find_leaks(error_texts(error) | log_texts(records.records), key, cut=True, ends=False)
    assert not leaks, "\n".join(leaks)


@pytest.mark.timeout(120)
@PROPERTY
@given(key=st.text("~^", min_size=1, max_size=8))
def test_a_random_short_key_never_shows(scripted: Scripted, key: str) -> None:
    error, records = error_of(scripted, everywhere(key), key)
    leaks = find_leaks(error_texts(error) | log_texts(records.records), key)
    assert not leaks, "\n".join(leaks)
