"""The backup lifecycle against the bundled emulator: back up an index, wait until the backup is
ready, restore it into a new index, wait for the restore job, then delete the backup."""

import pinecone_backups as pb
from pinecone_backups.testing import Emulator


def show(obj: "pb.Backup | pb.RestoreJob") -> None:
    print("  status:", obj.status)


# The emulator takes 0.2 s to finish a backup or a restore (a real one takes minutes to hours).
with (
    Emulator(backup_seconds=0.2, restore_seconds=0.2) as emu,
    pb.Client(api_key=emu.api_key, host=emu.url) as client,
):
    backup = client.create_backup("docs-example", name="before-upgrade")
    print("created backup", backup.name, "of", backup.source_index_name, "->", backup.status)

    print("waiting for the backup")
    backup = client.wait_for_backup(backup.backup_id, poll_interval=0.05, on_progress=show)
    print("backup ready:", backup.record_count, "records")

    restored = client.create_index_from_backup(backup.backup_id, "docs-example-restored")
    print("restoring into docs-example-restored, job", restored.restore_job_id)

    print("waiting for the restore job")
    job = client.wait_for_restore_job(restored.restore_job_id, poll_interval=0.05, on_progress=show)
    print("restore job", job.status, f"({job.percent_complete or 0:.0f}%)")

    client.delete_backup(backup.backup_id)
    print("deleted backup", backup.name)
