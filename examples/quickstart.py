"""The README's example: list backups from the bundled emulator (no Pinecone account needed)."""

import pinecone_backups as pb
from pinecone_backups.testing import Emulator

with Emulator() as emu, pb.Client(api_key=emu.api_key, host=emu.url) as client:
    page = client.list_index_backups("docs-example", limit=2)  # one page
    print(len(page), "backups, next page:", page.next_token)
    for backup in client.iter_index_backups("big-index", page_size=10, max_items=12):
        print(backup.backup_id, backup.status, backup.record_count, backup.created_at)
    try:
        client.list_index_backups("no-such-index")
    except pb.NotFoundError as err:
        print(err)  # [404 NOT_FOUND] Index no-such-index not found. (request_id: ...)
