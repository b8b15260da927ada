"""Driver of the official SDK, ``pinecone`` (see ``common.py`` for the command line).

Pages come from ``list_backups(index_name=..., limit=..., pagination_token=...)``, the call
both 9.x and 10.x offer (10.x's ``indexes.list_backups`` paginator sizes pages by its total
``limit``, so it cannot walk everything 100 at a time); a walk follows ``pagination.next``.
"""

from __future__ import annotations

import os

import common
from pinecone import Pinecone, PineconeAsyncio

# pinecone 9.x builds its httpx transport without the CA given as ``ssl_ca_certs`` (the option
# never reaches it; only httpx's own ``SSL_CERT_FILE`` does), so its users have to set that
# variable: so does this driver. 10.x passes ``ssl_ca_certs`` on and ignores the variable.
if "BENCH_CA_CERTS" in os.environ:
    os.environ["SSL_CERT_FILE"] = os.environ["BENCH_CA_CERTS"]


class Sync:
    def __init__(self, url: str) -> None:
        self.client = Pinecone(api_key=common.API_KEY, host=url, **common.ca_option("ssl_ca_certs"))

    def page(self, limit: int, index: str = common.INDEX) -> int:
        page = self.client.list_backups(index_name=index, limit=limit)
        read = 0
        for backup in page:
            read += len(backup.backup_id) > 0
        return read

    def walk(self, page_size: int) -> list[object]:
        held: list[object] = []
        token: str | None = None
        while True:
            page = self.client.list_backups(
                index_name=common.INDEX, limit=page_size, pagination_token=token
            )
            for backup in page:
                if backup.backup_id:
                    held.append(backup)
            if page.pagination is None or not page.pagination.next:
                return held
            token = page.pagination.next

    def wait(self, backup_id: str, poll: float) -> int:
        """No ``wait_for_backup`` in the official SDK: the loop its users write."""
        import time

        polls = 0
        while True:
            polls += 1
            if self.client.describe_backup(backup_id=backup_id).status == "Ready":
                return polls
            time.sleep(poll)

    def close(self) -> None:
        self.client.close()


class Async:
    def __init__(self, url: str) -> None:
        self.client = PineconeAsyncio(
            api_key=common.API_KEY, host=url, **common.ca_option("ssl_ca_certs")
        )

    async def page(self, limit: int, index: str = common.INDEX) -> int:
        page = await self.client.list_backups(index_name=index, limit=limit)
        read = 0
        for backup in page:
            read += len(backup.backup_id) > 0
        return read

    async def walk(self, page_size: int) -> list[object]:
        held: list[object] = []
        token: str | None = None
        while True:
            page = await self.client.list_backups(
                index_name=common.INDEX, limit=page_size, pagination_token=token
            )
            for backup in page:
                if backup.backup_id:
                    held.append(backup)
            if page.pagination is None or not page.pagination.next:
                return held
            token = page.pagination.next

    async def wait(self, backup_id: str, poll: float) -> int:
        import asyncio

        polls = 0
        while True:
            polls += 1
            backup = await self.client.describe_backup(backup_id=backup_id)
            if backup.status == "Ready":
                return polls
            await asyncio.sleep(poll)

    async def close(self) -> None:
        await self.client.close()


def api_version() -> str:
    """The control-plane API version the installed release sends."""
    try:  # 9.x and 10.x
        from pinecone._internal import constants

        return str(constants.CONTROL_PLANE_API_VERSION)
    except ImportError:  # 8.x and earlier (the generated OpenAPI client)
        import importlib

        return str(importlib.import_module("pinecone.core.openapi.db_control").API_VERSION)


def info() -> dict[str, object]:
    from importlib.metadata import version

    return {"version": version("pinecone"), "api_version": api_version()}


if __name__ == "__main__":
    common.main(Sync, Async, info)
