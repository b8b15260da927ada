"""Walk an index's backups in batches, resuming from where the last batch stopped."""

import pinecone_backups as pb
from pinecone_backups.testing import Emulator


def batches(client: pb.Client, index_name: str, size: int) -> list[list[str]]:
    """The backup ids of ``index_name`` in batches of at most ``size``, one walk per batch."""
    out: list[list[str]] = []
    token: str | None = None
    while True:
        walk = client.iter_index_backups(index_name, max_items=size, pagination_token=token)
        batch = [backup.backup_id for backup in walk]
        if not batch:
            return out
        out.append(batch)
        token = walk.next_token
        if token is None:
            return out


if __name__ == "__main__":
    with Emulator() as emu, pb.Client(api_key=emu.api_key, host=emu.url) as client:
        for number, batch in enumerate(batches(client, "big-index", 10), 1):
            print(f"batch {number}: {len(batch)} backups, first {batch[0]}")
