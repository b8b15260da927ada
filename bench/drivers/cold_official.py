"""Cold start of the official SDK: import, construct, one call, nothing else (the harness times
the whole process). ``python cold_official.py sync|async URL``."""

import os
import sys

from pinecone import Pinecone, PineconeAsyncio

CA = {"ssl_ca_certs": os.environ["BENCH_CA_CERTS"]} if "BENCH_CA_CERTS" in os.environ else {}
if CA:  # 9.x ignores ssl_ca_certs: see official.py
    os.environ["SSL_CERT_FILE"] = CA["ssl_ca_certs"]


async def main(url: str) -> int:
    async with PineconeAsyncio(api_key="bench-key", host=url, **CA) as client:
        return len(await client.list_backups(index_name="bench-index", limit=10))


if sys.argv[1] == "sync":
    client = Pinecone(api_key="bench-key", host=sys.argv[2], **CA)
    assert len(client.list_backups(index_name="bench-index", limit=10)) == 10
else:
    import asyncio

    assert asyncio.run(main(sys.argv[2])) == 10
