"""The API key never shows: not in a repr, an exception, or the CLI's output."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator

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
