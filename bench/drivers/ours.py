"""Driver of this package, ``pinecone-backups`` (see ``common.py`` for the command line)."""

from __future__ import annotations

import common

import pinecone_backups as pb


class Sync:
    def __init__(self, url: str) -> None:
        self.client = pb.Client(api_key=common.API_KEY, host=url, **common.ca_option("ca_certs"))

    def page(self, limit: int, index: str = common.INDEX) -> int:
        page = self.client.list_index_backups(index, limit=limit)
        read = 0
        for backup in page:
            read += len(backup.backup_id) > 0
        return read

    def decode(self, body: bytes) -> int:
        """A list response's body decoded as the client decodes responses (``from_json`` runs
        the core's response decoder, then makes the same Python objects); reads each id."""
        read = 0
        for backup in pb.BackupList.from_json(body):
            read += len(backup.backup_id) > 0
        return read

    def walk(self, page_size: int) -> list[object]:
        held: list[object] = []
        for backup in self.client.iter_index_backups(common.INDEX, page_size=page_size):
            if backup.backup_id:
                held.append(backup)
        return held

    def wait(self, backup_id: str, poll: float) -> int:
        polls = []
        self.client.wait_for_backup(backup_id, poll_interval=poll, on_progress=polls.append)
        return len(polls)

    def close(self) -> None:
        self.client.close()


class Async:
    def __init__(self, url: str) -> None:
        self.client = pb.AsyncClient(
            api_key=common.API_KEY, host=url, **common.ca_option("ca_certs")
        )

    async def page(self, limit: int, index: str = common.INDEX) -> int:
        page = await self.client.list_index_backups(index, limit=limit)
        read = 0
        for backup in page:
            read += len(backup.backup_id) > 0
        return read

    async def walk(self, page_size: int) -> list[object]:
        held: list[object] = []
        async for backup in self.client.iter_index_backups(common.INDEX, page_size=page_size):
            if backup.backup_id:
                held.append(backup)
        return held

    async def wait(self, backup_id: str, poll: float) -> int:
        polls: list[object] = []
        await self.client.wait_for_backup(backup_id, poll_interval=poll, on_progress=polls.append)
        return len(polls)

    async def close(self) -> None:
        await self.client.aclose()


def info() -> dict[str, object]:
    return {"version": pb.__version__, "api_version": pb.API_VERSION}


if __name__ == "__main__":
    common.main(Sync, Async, info)
