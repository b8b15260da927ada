"""Cold start of the hand-written httpx + orjson client: import, construct, one call, nothing
else (the harness times the whole process). ``python cold_httpx_orjson.py sync|async URL``."""

import sys

import httpx
import orjson

PATH = "/indexes/bench-index/backups"
HEADERS = {"Api-Key": "bench-key", "X-Pinecone-Api-Version": "2025-10"}


async def main(url: str) -> int:
    async with httpx.AsyncClient(base_url=url, headers=HEADERS) as client:
        response = await client.get(PATH, params={"limit": 10})
        return len(orjson.loads(response.raise_for_status().content)["data"])


if sys.argv[1] == "sync":
    client = httpx.Client(base_url=sys.argv[2], headers=HEADERS)
    response = client.get(PATH, params={"limit": 10})
    assert len(orjson.loads(response.raise_for_status().content)["data"]) == 10
else:
    import asyncio

    assert asyncio.run(main(sys.argv[2])) == 10
