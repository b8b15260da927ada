"""Walking pages: the iterator, pages(), max_items, resuming with next_token."""

from __future__ import annotations

import threading

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator


def newest_first_ids(emulator: Emulator, index: str) -> list[str]:
    return [b["backup_id"] for b in emulator.backups(index)]


def test_full_walk_sends_limit_first_then_only_tokens(
    client: pb.Client, emulator: Emulator
) -> None:
    walked = [b.backup_id for b in client.iter_index_backups("big-index", page_size=10)]
    assert walked == newest_first_ids(emulator, "big-index")
    assert len(walked) == 25
    queries = [r.query for r in emulator.requests]
    assert queries[0] == {"limit": ["10"]}
    assert all(list(q) == ["paginationToken"] for q in queries[1:])
    assert len(queries) == 3


def test_three_page_walk_with_max_items_and_resume(client: pb.Client, emulator: Emulator) -> None:
    expected = newest_first_ids(emulator, "big-index")
    walk = client.iter_index_backups("big-index", page_size=10, max_items=25)
    assert [b.backup_id for b in walk] == expected[:25]
    assert len(emulator.requests) == 3
    assert walk.next_token is None and walk.handed_out == 25

    # Stop inside page 3 of 4 (page size 7): resume from the token of page 3.
    emulator.reset()
    walk = client.iter_index_backups("big-index", page_size=7, max_items=17)
    first = [b.backup_id for b in walk]
    assert first == expected[:17]
    assert len(emulator.requests) == 3, "no page is fetched beyond max_items"
    resume_token = walk.next_token
    assert resume_token == emulator.requests[2].query["paginationToken"][0]
    resumed = [
        b.backup_id for b in client.iter_index_backups("big-index", pagination_token=resume_token)
    ]
    assert resumed == expected[14:], "resuming repeats the partly handed-out page, skips nothing"
    assert "limit" not in emulator.requests[3].query, "a resumed walk lets the token set the size"

    # Stop exactly at a page boundary: resume from the next page.
    emulator.reset()
    walk = client.iter_index_backups("big-index", page_size=7, max_items=14)
    assert len(list(walk)) == 14
    rest = list(client.iter_index_backups("big-index", pagination_token=walk.next_token))
    assert [b.backup_id for b in rest] == expected[14:]


def test_small_max_items_fetches_one_small_page(client: pb.Client, emulator: Emulator) -> None:
    assert len(list(client.iter_index_backups("big-index", max_items=3))) == 3
    assert [r.query for r in emulator.requests] == [{"limit": ["3"]}]
    assert list(client.iter_index_backups("big-index", max_items=0)) == []
    assert len(emulator.requests) == 1, "max_items=0 sends nothing"


def test_iterator_is_lazy(client: pb.Client, emulator: Emulator) -> None:
    walk = client.iter_index_backups("big-index", page_size=10)
    assert emulator.requests == []
    assert iter(walk) is walk
    next(walk)
    assert len(emulator.requests) == 1
    for _ in range(9):
        next(walk)
    assert len(emulator.requests) == 1
    next(walk)
    assert len(emulator.requests) == 2


def test_pages(client: pb.Client, emulator: Emulator) -> None:
    pages = list(client.iter_index_backups("big-index", page_size=10).pages())
    assert [len(p) for p in pages] == [10, 10, 5]
    assert all(isinstance(p, pb.BackupList) for p in pages)
    assert pages[0].next_token is not None and pages[-1].next_token is None
    ids = [b.backup_id for p in pages for b in p]
    assert ids == newest_first_ids(emulator, "big-index")

    # pages() shares the iterator's position and max_items.
    walk = client.iter_index_backups("big-index", page_size=10, max_items=23)
    head = next(walk)
    sizes = [len(p) for p in walk.pages()]
    assert sizes == [9, 10, 3]
    assert head.backup_id == ids[0]
    assert list(walk) == []


def test_empty_index(client: pb.Client, emulator: Emulator) -> None:
    assert list(client.iter_index_backups("empty-index")) == []
    pages = list(client.iter_index_backups("empty-index").pages())
    assert len(pages) == 1 and len(pages[0]) == 0


def test_errors_mid_walk_leave_the_iterator_usable(client: pb.Client, emulator: Emulator) -> None:
    walk = client.iter_index_backups("big-index", page_size=10)
    first = [next(walk).backup_id for _ in range(10)]
    emulator.fail_next(503)
    with pytest.raises(pb.UnavailableError):
        next(walk)
    rest = [b.backup_id for b in walk]
    assert first + rest == newest_first_ids(emulator, "big-index")


def test_one_iterator_shared_by_threads(client: pb.Client, emulator: Emulator) -> None:
    walk = client.iter_index_backups("big-index", page_size=3)
    seen: list[str] = []
    lock = threading.Lock()

    def drain() -> None:
        for backup in walk:
            with lock:
                seen.append(backup.backup_id)

    threads = [threading.Thread(target=drain) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == sorted(newest_first_ids(emulator, "big-index"))
    assert len(emulator.requests) == 9
