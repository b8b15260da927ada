"""Cold start of the official SDK: import, construct, one call, nothing else (the harness times
the whole process). ``python cold_official.py sync|async URL``."""

import sys

from pinecone import Pinecone, PineconeAsyncio


async def main(url: str) -> int:
    async with PineconeAsyncio(api_key="bench-key", host=url) as client:
        return len(await client.list_backups(index_name="bench-index", limit=10))


if sys.argv[1] == "sync":
    client = Pinecone(api_key="bench-key", host=sys.argv[2])
    assert len(client.list_backups(index_name="bench-index", limit=10)) == 10
else:
    import asyncio

    assert asyncio.run(main(sys.argv[2])) == 10
