"""The emulator as a server: silent logs, observers of every exchange, start and stop (prompt,
idempotent, with connections hanging), keep-alive connections (64 clients at once), options
checked."""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from contextlib import closing
from typing import Any

import pytest

from pinecone_backups.testing import (
    Emulator,
    Exchange,
)
from tests.helpers import backups_path, call, connect, raw_call, wait_for
from tests.spec_validation import attach


def test_nothing_is_logged(emu: Emulator, capfd: pytest.CaptureFixture[str]) -> None:
    call(emu, backups_path("my-index"))
    call(emu, "/nowhere")
    assert raw_call(emu, b"NONSENSE\r\n\r\n", timeout=5).ending == "eof"
    emu.drop_next()
    with pytest.raises(http.client.RemoteDisconnected):
        call(emu, backups_path("my-index"))
    assert capfd.readouterr() == ("", "")


def test_observers_see_every_exchange_and_cannot_break_the_server() -> None:
    seen: list[Exchange] = []

    def failing(exchange: Exchange) -> None:
        raise RuntimeError(f"observer failed on {exchange.status}")

    with Emulator() as emu:
        check = attach(emu)
        emu.add_observer(seen.append)
        emu.add_observer(failing)
        emu.fail_next(503)
        assert call(emu, backups_path("my-index")).status == 503
        assert call(emu, backups_path("my-index")).status == 200
        emu.remove_observer(failing)
        assert call(emu, backups_path("my-index")).status == 200
    assert seen == emu.exchanges and len(seen) == 3
    assert [str(error) for error in emu.observer_errors] == [
        "observer failed on 503",
        "observer failed on 200",
    ]
    assert check.failures == [] and check.checked == 3


def test_exchange_is_observed_before_the_client_has_its_answer(emu: Emulator) -> None:
    observed: list[int] = []

    def slow_observer(exchange: Exchange) -> None:
        time.sleep(0.1)
        observed.append(exchange.status)

    emu.add_observer(slow_observer)
    call(emu, backups_path("my-index"))
    assert observed == [200]


def test_start_and_stop_are_idempotent() -> None:
    emu = Emulator(seed=False)
    assert not emu.running and repr(emu) == "<Emulator stopped>"
    with pytest.raises(RuntimeError, match="not running"):
        _ = emu.url
    emu.stop()
    assert emu.start() is emu
    url = emu.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and repr(emu) == f"<Emulator {url}>"
    assert emu.start().url == url
    emu.stop()
    emu.stop()
    assert not emu.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()


def test_stop_returns_promptly_with_hanging_delayed_and_idle_connections() -> None:
    emu = Emulator().start()
    check = attach(emu)
    idle = connect(emu)
    assert call(emu, backups_path("my-index"), connection=idle).status == 200
    emu.hang_next(times=3)
    emu.delay_next(30)
    outcomes: list[BaseException | None] = []

    def client() -> None:
        try:
            with closing(connect(emu, timeout=20)) as conn:
                call(emu, backups_path("my-index"), connection=conn)
            outcomes.append(None)
        except (OSError, http.client.HTTPException) as error:
            outcomes.append(error)

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    wait_for(lambda: len(emu.requests) == 5)
    started = time.monotonic()
    emu.stop()
    assert time.monotonic() - started < 2
    for thread in clients:
        thread.join(5)
    assert len(outcomes) == 4 and all(outcome is not None for outcome in outcomes)
    with closing(idle), pytest.raises((OSError, http.client.HTTPException)):
        call(emu, backups_path("my-index"), connection=idle)  # the idle keep-alive was cut too
    check.assert_clean()


def test_keep_alive_connection_is_reused(emu: Emulator) -> None:
    with closing(connect(emu)) as conn:
        call(emu, backups_path("my-index"), connection=conn)
        sock = conn.sock
        for _ in range(5):
            reply = call(emu, backups_path("my-index"), connection=conn)
            assert reply.status == 200 and "Connection" not in reply.headers
        assert conn.sock is sock


def test_64_concurrent_keep_alive_clients(emu: Emulator) -> None:
    expected = emu.backups("big-index")
    errors: list[BaseException] = []
    barrier = threading.Barrier(64)

    def client() -> None:
        try:
            with closing(connect(emu)) as conn:
                barrier.wait()
                for _ in range(3):
                    items: list[Any] = []
                    target = backups_path("big-index", limit="10")
                    while True:
                        document = call(emu, target, connection=conn).json()
                        items += document["data"]
                        if not document["pagination"]:
                            break
                        target = backups_path(
                            "big-index", paginationToken=document["pagination"]["next"]
                        )
                    assert items == expected
        except BaseException as error:  # reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(emu.exchanges) == 64 * 3 * 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"last_page": "nil"}, "last_page"),
        ({"default_page_size": 0}, "default_page_size"),
        ({"default_page_size": 101}, "default_page_size"),
        ({"api_versions": ()}, "api_versions"),
        ({"api_versions": "2025-10"}, "api_versions"),
        ({"latency": -0.5}, "latency"),
    ],
)
def test_invalid_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Emulator(**options)
