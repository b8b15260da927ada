"""Driver of a hand-written client: ``httpx`` for HTTP, ``orjson`` for JSON, every backup a
plain ``dict`` (see ``common.py`` for the command line).

This is the "what would I write myself" baseline: one keep-alive connection pool, the two
headers the API needs, the ``limit`` and ``paginationToken`` query parameters, no models.
"""

from __future__ import annotations

import common
import httpx
import orjson

API_VERSION = "2025-10"
PATH = f"/indexes/{common.INDEX}/backups"


def headers() -> dict[str, str]:
    return {"Api-Key": common.API_KEY, "X-Pinecone-Api-Version": API_VERSION}


def query(limit: int, token: str | None) -> dict[str, str | int]:
    params: dict[str, str | int] = {"limit": limit}
    if token is not None:
        params["paginationToken"] = token
    return params


def decode(response: httpx.Response) -> tuple[list[dict[str, object]], str | None]:
    """The backups of a page, and the token of the next page."""
    response.raise_for_status()
    body = orjson.loads(response.content)
    pagination = body.get("pagination")
    return body["data"], (pagination or {}).get("next")


class Sync:
    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, headers=headers())

    def page(self, limit: int) -> int:
        backups, _ = decode(self.client.get(PATH, params=query(limit, None)))
        read = 0
        for backup in backups:
            read += len(str(backup["backup_id"])) > 0
        return read

    def walk(self, page_size: int) -> list[object]:
        held: list[object] = []
        token: str | None = None
        while True:
            backups, token = decode(self.client.get(PATH, params=query(page_size, token)))
            for backup in backups:
                if backup["backup_id"]:
                    held.append(backup)
            if token is None:
                return held

    def close(self) -> None:
        self.client.close()


class Async:
    def __init__(self, url: str) -> None:
        self.client = httpx.AsyncClient(base_url=url, headers=headers())

    async def page(self, limit: int) -> int:
        backups, _ = decode(await self.client.get(PATH, params=query(limit, None)))
        read = 0
        for backup in backups:
            read += len(str(backup["backup_id"])) > 0
        return read

    async def walk(self, page_size: int) -> list[object]:
        held: list[object] = []
        token: str | None = None
        while True:
            backups, token = decode(await self.client.get(PATH, params=query(page_size, token)))
            for backup in backups:
                if backup["backup_id"]:
                    held.append(backup)
            if token is None:
                return held

    async def close(self) -> None:
        await self.client.aclose()


def info() -> dict[str, object]:
    return {
        "version": f"httpx {httpx.__version__}, orjson {orjson.__version__}",
        "api_version": API_VERSION,
    }


if __name__ == "__main__":
    common.main(Sync, Async, info)
