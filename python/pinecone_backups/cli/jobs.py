"""``pinecone-backups jobs``: the project's restore jobs."""

from __future__ import annotations

from pinecone_backups import _format
from pinecone_backups.cli._command import Command
from pinecone_backups.cli._paging import check_limit, list_pages, paging_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments
    from pinecone_backups.cli._output import _Columns

JOB_COLUMNS: _Columns[pb.RestoreJob] = (
    ("RESTORE JOB ID", lambda j: j.restore_job_id),
    ("BACKUP ID", lambda j: j.backup_id),
    ("TARGET INDEX", lambda j: j.target_index_name),
    ("STATUS", lambda j: j.status),
    ("PROGRESS", lambda j: _format.percent(j.percent_complete)),
    ("CREATED AT", lambda j: _format.when(j.created_at)),
    ("COMPLETED AT", lambda j: _format.when(j.completed_at)),
)


def arguments(parser: _Arguments) -> None:
    paging_arguments(parser, "restore jobs")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    return list_pages(
        args, client.list_restore_jobs, client.iter_restore_jobs, JOB_COLUMNS, "restore job"
    )


COMMAND = Command(
    description="List the project's restore jobs: one page, or all with --all.",
    examples=("jobs --all",),
    arguments=arguments,
    run=run,
    check=check_limit,
)
