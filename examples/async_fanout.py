"""Fan out over many indexes with AsyncClient, then walk one index asynchronously."""

import asyncio

import pinecone_backups as pb
from pinecone_backups.testing import Emulator


async def newest_backup_per_index(client: pb.AsyncClient, names: list[str]) -> dict[str, str]:
    """The name of the newest backup of each index (all pages fetched concurrently)."""
    pages = await asyncio.gather(*(client.list_index_backups(name, limit=1) for name in names))
    newest = (page[0] for page in pages)
    return {name: b.name or b.backup_id for name, b in zip(names, newest, strict=True)}


async def main() -> None:
    with Emulator() as emu:
        async with pb.AsyncClient(api_key=emu.api_key, host=emu.url) as client:
            newest = await newest_backup_per_index(
                client, ["docs-example", "my-index", "big-index"]
            )
            for index, name in newest.items():
                print(f"{index}: {name}")
            total = 0
            async for page in client.iter_index_backups("big-index", page_size=10).pages():
                total += sum(backup.record_count or 0 for backup in page)
            print("records in big-index backups:", total)


if __name__ == "__main__":
    asyncio.run(main())
