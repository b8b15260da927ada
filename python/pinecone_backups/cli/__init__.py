"""The ``pinecone-backups`` command (also ``python -m pinecone_backups``).

Commands::

    list [INDEX] [--limit N] [--all] [--pagination-token T]   an index's backups, or the project's
    describe BACKUP_ID                                         one backup, every field
    create INDEX [--name N] [--description D] [--wait]         take a backup of an index
    delete BACKUP_ID... [--missing-ok] [--yes]                 delete backups (after confirmation)
    restore BACKUP_ID --name INDEX [--tag K=V]...              create an index from a backup
            [--deletion-protection enabled|disabled] [--wait]      (--wait: the job, then the
                                                               new index)
    jobs [--limit N] [--all] [--pagination-token T]            the project's restore jobs
    job JOB_ID                                                 one restore job
    wait backup|job|index ID [--timeout S] [--poll-interval S] wait for a backup, a restore job
                                                               or an index (ID: its name)
    prune [INDEX...] [--keep-last N] [--older-than D]          delete backups that match filters
          [--status S]... [--tag K=V]... [--allow-empty] [--yes]   (a dry run without --yes)
    inventory [--format table|csv|json] [--by index|status]    every backup, summed per index
    coverage [--max-age D] [--format table|csv|json]           which indexes lack a recent backup
    policy check FILE                                          validate a policy, what governs what
    policy run FILE [--yes] [--wait] [--concurrency N]         back up what is due, prune by it
    policy schedules FILE [--yes] [--concurrency N]            the schedules the policy implies

``create`` and ``restore`` take ``--timeout`` and ``--poll-interval`` with ``--wait``; ``restore
--wait`` waits for the restore job, then for the new index to be ready, within one
``--timeout``, and after Ctrl-C says that the restore began. Every command takes, before or
after its name, ``--json`` (one JSON object a line, as the server sent it, instead of a table),
``--host H`` and ``--emulator`` (a bundled emulator with its sample data instead of the real
API: a fresh one for each command, stopped after it, so the hints that name a later command
point at ``python -m pinecone_backups.testing`` instead, an emulator that lasts). The API key
comes from ``PINECONE_API_KEY``, the host from ``--host`` or ``PINECONE_CONTROLLER_HOST``.
``--verbose`` (``-v``) logs every HTTP exchange on stderr (method, path, status, attempt, time,
request id; never the API key), as does ``PINECONE_BACKUPS_LOG=debug``;
``PINECONE_BACKUPS_LOG=info`` or ``warning`` logs only retries.

Results go to stdout; progress, summaries and errors (one line each) to stderr. While waiting,
a live status line is rewritten in place when stderr is a terminal, otherwise a line is written
per status change. ``delete`` shows what it will delete and asks for confirmation on a
terminal; without ``--yes`` it refuses when stdin is not a terminal. ``prune`` without
``--yes`` only shows its plan (each backup: delete or keep, and why); ``--status`` matches the
statuses it knows in any case, and another status only when a listed backup has it.

Everything written for people (tables, detail views, progress, notes, errors) goes through
``_format.printable``: control characters from the server are escaped (``\\x1b``), so a
backup's name cannot move the cursor or rewrite what the user confirms. JSON lines decode to
exactly what the server sent (``_format.json_printable``); CSV is data, written exactly.
Messages use the command line's names (``--limit``, ``PINECONE_API_KEY``), not the Python
API's (``page_size``, ``api_key``).

Exit status: 0 done, 1 API or connection error, 2 bad usage (nothing was sent) or a delete not
confirmed, 3 the backup, restore job or index waited for failed, 4 the wait timed out, 5 some
deletions of a prune (or actions of a policy run or policy schedules) failed (the others were
done), 6 coverage found an index stale or unprotected, 130 interrupted. After a failed or
timed-out wait, the last state seen is still printed on stdout.

How it is built: one module per command (``list.py``, ``describe.py``, ... ``inventory.py``),
each declaring its ``COMMAND`` (``_command.Command``: its help, arguments, checks, what it does,
the exit statuses it may end with); the registry of commands, the global options, ``main`` and
the errors' exit statuses in ``_app.py``; the quick parse of simple command lines in
``_simple.py`` and the argparse parser (help, usage errors, the other command lines) in
``_parser.py``; tables, JSON lines, notes and errors in ``_output.py``; the listing and waiting
commands' shared parts in ``_paging.py`` and ``_waiting.py``. A run imports only the module of
the command it runs, and argparse only when the command line is not simple. Adding a command is
adding its module and one line to ``_registry.COMMANDS``.
"""

from pinecone_backups.cli._app import main
from pinecone_backups.cli._registry import COMMANDS

__all__ = ["COMMANDS", "main"]
