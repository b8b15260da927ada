"""Cold start of this package: import, construct, one call, nothing else (the harness times the
whole process). ``python cold_ours.py sync|async URL``."""

import os
import sys

import pinecone_backups as pb

CA = {"ca_certs": os.environ["BENCH_CA_CERTS"]} if "BENCH_CA_CERTS" in os.environ else {}


async def main(url: str) -> int:
    client = pb.AsyncClient(api_key="bench-key", host=url, **CA)
    page = await client.list_index_backups("bench-index", limit=10)
    await client.aclose()
    return len(page)


if sys.argv[1] == "sync":
    client = pb.Client(api_key="bench-key", host=sys.argv[2], **CA)
    assert len(client.list_index_backups("bench-index", limit=10)) == 10
else:
    import asyncio

    assert asyncio.run(main(sys.argv[2])) == 10
