"""The plain script of the network benchmark's policy workload: with the official SDK
(``pinecone``), list the project's indexes, then each index's backups in turn, every page
(``list_backups(index_name=..., limit=100, pagination_token=...)``, the call 9.x and 10.x
both offer), reading every backup's id: what a script has to fetch before it can decide what a
policy would do, one request after the other.

    python policy_official.py URL

Prints one JSON object: ``{"seconds": s, "indexes": n, "backups": m, "requests": r}`` (the
time from before the import of ``pinecone``; the requests it sent). ``BENCH_CA_CERTS`` names
the CA to trust, given as the official SDK's users give it (``ssl_ca_certs``; 9.x reads only
``SSL_CERT_FILE``, so that is set too).
"""

from __future__ import annotations

import time

started = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

if "BENCH_CA_CERTS" in os.environ:
    os.environ["SSL_CERT_FILE"] = os.environ["BENCH_CA_CERTS"]

from pinecone import Pinecone  # noqa: E402


def main(url: str) -> dict[str, object]:
    ca = os.environ.get("BENCH_CA_CERTS")
    pc = Pinecone(api_key="bench-key", host=url, **({"ssl_ca_certs": ca} if ca else {}))
    names = [index.name for index in pc.list_indexes()]
    requests, backups = 1, 0
    for name in names:
        token: str | None = None
        while True:
            page = pc.list_backups(index_name=name, limit=100, pagination_token=token)
            requests += 1
            for backup in page:
                backups += len(backup.backup_id) > 0
            token = page.pagination.next if page.pagination is not None else None
            if not token:
                break
    return {
        "seconds": time.perf_counter() - started,
        "indexes": len(names),
        "backups": backups,
        "requests": requests,
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.stdout.write(json.dumps(main(sys.argv[1])) + "\n")
