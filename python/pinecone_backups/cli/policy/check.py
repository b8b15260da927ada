"""``pinecone-backups policy check FILE``: validates a policy file, then shows what governs each
index of the project (its rule, how often it is backed up, what is kept)."""

from __future__ import annotations

from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import note, show_all
from pinecone_backups.cli.policy import file_argument, read_policy

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    import pinecone_backups as pb
    from pinecone_backups._policy.file import Policy, PolicySettings
    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns


class Governed:
    """One index of a ``policy check``: what governs it (``settings``; ``None``: nothing), and
    the globs of its rule (``match``)."""

    __slots__ = ("index", "match", "settings")

    def __init__(self, index: str, settings: PolicySettings | None, match: tuple[str, ...]) -> None:
        self.index = index
        self.settings = settings
        self.match = match

    def to_json(self) -> str:
        import json

        from pinecone_backups._durations import format_duration
        from pinecone_backups._policy.file import KEEP_RULES

        settings = self.settings
        line: dict[str, object] = {"index": self.index, "rule": None}
        if settings is not None:
            keep: dict[str, object] = {}
            for key in KEEP_RULES:
                value = getattr(settings, key)
                if key == "keep_within" and value is not None:
                    value = format_duration(value)
                elif key == "keep_tags" and value is not None:
                    value = dict(value)
                if value is not None:
                    keep[key] = value
            line.update(
                rule=settings.rule,
                match=list(self.match) or None,
                backup_every=settings.describe_every(),
                keep=keep,
                tz=settings.tz,
            )
        return json.dumps(line, separators=(",", ":"))


COLUMNS: _Columns[Governed] = (
    ("INDEX", lambda g: g.index),
    ("RULE", lambda g: "-" if g.settings is None else g.settings.rule),
    ("MATCH", lambda g: ", ".join(g.match) or "-"),
    ("BACKUP EVERY", lambda g: "-" if g.settings is None else g.settings.describe_every()),
    ("KEEP", lambda g: "not governed" if g.settings is None else g.settings.describe_keep()),
)


def arguments(parser: _Arguments) -> None:
    file_argument(parser)


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    read_policy(args)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    policy: Policy = args.policy
    names = sorted({index.name for index in client.list_indexes()})
    rows = []
    for name in names:
        found = policy.rule_for(name)
        settings = policy.settings_for(name)
        rows.append(Governed(name, settings, () if found is None else found[1].match))
    if rows:  # no index: no table (the summary says 0)
        show_all(args.json, rows, COLUMNS)
    tables = policy.labels()
    counts = {
        label: sum(r.settings is not None and r.settings.rule == label for r in rows)
        for label in tables
    }
    ungoverned = sum(row.settings is None for row in rows)
    parts = [f"{count} by {label}" for label, count in counts.items() if count]
    if ungoverned:
        parts.append(f"{ungoverned} not governed")
    rules = len(policy.rules)
    shape = ("[defaults] and " if policy.defaults is not None else "") + (
        f"{rules} rule{'s' if rules != 1 else ''}"
    )
    note(
        f"{args.file}: a valid policy ({shape}); {len(rows)} index"
        f"{'es' if len(rows) != 1 else ''}" + (f": {', '.join(parts)}" if parts else "")
    )
    for position, rule in enumerate(policy.rules):
        label = f"rules[{position}]"
        if not counts[label]:
            from fnmatch import fnmatchcase

            globs = ", ".join(f"'{glob}'" for glob in rule.match)  # note() escapes them once
            matched = any(fnmatchcase(n, glob) for n in names for glob in rule.match)
            why = "an earlier rule governs every index it matches" if matched else "it matches none"
            note(f"note: {label} (match {globs}) governs no index of the project: {why}")
    return EXIT_OK


COMMAND = Command(
    description="Validate a policy file (an error says the file, the line and the key; every "
    "problem is listed, and nothing is sent), then show each index of the project with the "
    "rule that governs it (the first [[rules]] table whose match fits its name, else "
    "[defaults], else none), how often the policy backs it up and which keep rules apply, "
    "the rule's keys completed by [defaults]. A rule that governs no index is pointed out.",
    examples=("policy check policy.toml", "policy check policy.toml --json"),
    arguments=arguments,
    run=run,
    check=check,
)
