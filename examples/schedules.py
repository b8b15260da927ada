"""Backup schedules (API 2026-07) against the bundled emulator: create one, list it, change it,
let the emulator's clock run three days, and read what the schedule made."""

import pinecone_backups as pb
from pinecone_backups.testing import Emulator

DAY = 24 * 60 * 60

with (
    Emulator() as emu,
    pb.Client(api_key=emu.api_key, host=emu.url, api_version="2026-07") as client,
):
    schedule = client.create_backup_schedule(
        "docs-example", name="nightly", frequency="daily", expire_after_days=7
    )
    next_run = schedule.next_scheduled_run
    print(f"created {schedule.name}: {schedule.frequency}, next run {next_run:%Y-%m-%d %H:%M}")

    try:  # an index has at most one enabled schedule
        client.create_backup_schedule(
            "docs-example", name="second", frequency="weekly", expire_after_days=7
        )
    except pb.AlreadyExistsError as err:
        print("refused:", err.message)

    schedule = client.update_backup_schedule(schedule.schedule_id, expire_after_days=2)
    for each in client.iter_backup_schedules("docs-example"):
        print(f"schedule {each.name}: keeps backups {each.retention_expire_after_days} days")

    emu.advance(3 * DAY + 60)  # runs after 1, 2 and 3 days; the first backup has expired
    for run in client.iter_backup_schedule_history(schedule.schedule_id):
        when = run.scheduled_execution_at if run.status == "Scheduled" else run.created_at
        print(f"  {run.status:<9} {run.name} {when:%Y-%m-%d %H:%M}")

    client.delete_backup_schedule(schedule.schedule_id)
    print("deleted", schedule.name)
