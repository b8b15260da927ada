"""The policy file (``pb.load_policy``, ``pb.Policy.from_toml``): every key, ``[defaults]``
filling what a rule leaves out, the first matching rule governing, glob lists (case-sensitive
``fnmatch``), zeros that switch an inherited keep rule off, indexes nothing governs; every error,
with its ``FILE:LINE: KEY: problem`` message (table-driven); the line of a key however the TOML
writes it (dotted keys, sub-tables, multi-line values, strings that look like keys); the Python
constructors; pickling and the dataclass-like behaviour."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups._policy import file as policy_file
from pinecone_backups._policy.lines import key_lines, line_of

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def parse(text: str) -> pb.Policy:
    return pb.Policy.from_toml(text, filename="policy.toml")


def error_of(text: str) -> pb.PolicyError:
    with pytest.raises(pb.PolicyError) as caught:
        parse(text)
    return caught.value


# -- Every key ------------------------------------------------------------------------------------

EVERY_KEY = """\
# every key, in [defaults] and in a rule
[defaults]
backup_every = "1d12h"
keep_last = 3
keep_daily = 7
keep_weekly = 4
keep_monthly = 12
keep_yearly = 2
keep_within = "36h"
keep_tags = ["pin=yes", "keep=forever"]
tz = "UTC"

[[rules]]
match = ["prod-*", "search"]
backup_every = "never"
keep_last = 1
keep_daily = 0
keep_weekly = 1
keep_monthly = 0
keep_yearly = 0
keep_within = "0d"
keep_tags = { hold = "legal" }
tz = "Europe/Berlin"
"""


def test_every_key_is_read_in_defaults_and_in_a_rule() -> None:
    policy = parse(EVERY_KEY)
    assert policy.filename == "policy.toml"
    assert policy.defaults == pb.PolicyRule(
        backup_every=DAY + 12 * HOUR,
        keep_last=3,
        keep_daily=7,
        keep_weekly=4,
        keep_monthly=12,
        keep_yearly=2,
        keep_within=36 * HOUR,
        keep_tags=["pin=yes", "keep=forever"],
        tz="UTC",
        line=2,
    )
    (rule,) = policy.rules
    assert rule.match == ("prod-*", "search")
    assert rule.backup_every == "never"
    assert (rule.keep_last, rule.keep_daily, rule.keep_weekly) == (1, 0, 1)
    assert (rule.keep_monthly, rule.keep_yearly) == (0, 0)
    assert rule.keep_within == dt.timedelta(0)
    assert rule.keep_tags == (("hold", "legal"),)
    assert rule.tz == "Europe/Berlin"
    assert rule.line == 13
    assert ("match", *policy_file.KEYS) == policy_file.RULE_KEYS
    assert set(policy_file.KEYS) == {
        *("backup_every", "keep_last", "keep_daily", "keep_weekly", "keep_monthly"),
        *("keep_yearly", "keep_within", "keep_tags", "tz"),
    }


def test_a_rule_takes_what_it_leaves_out_from_defaults_and_zeros_switch_rules_off() -> None:
    policy = parse(EVERY_KEY)
    prod = policy.settings_for("prod-eu")
    assert prod == pb.PolicySettings(
        "rules[0]",
        backup_every=None,  # "never"
        keep_last=1,
        keep_daily=None,  # 0: switched off
        keep_weekly=1,
        keep_monthly=None,
        keep_yearly=None,
        keep_within=None,  # "0d": switched off
        keep_tags=(("hold", "legal"),),  # replaces the defaults' tags, not added to them
        tz="Europe/Berlin",
    )
    assert prod.retention
    other = policy.settings_for("staging")
    assert other is not None and other.rule == "defaults"
    assert other.prune_options() == {
        "keep_last": 3,
        "keep_daily": 7,
        "keep_weekly": 4,
        "keep_monthly": 12,
        "keep_yearly": 2,
        "keep_within": 36 * HOUR,
        "keep_tags": ["keep=forever", "pin=yes"],
        "tz": "UTC",
    }
    assert other.describe_every() == "36h"
    assert other.describe_keep() == (
        "last 3, daily 7, weekly 4, monthly 12, yearly 2, within 36h, tagged keep=forever or "
        "pin=yes, in UTC"
    )
    assert prod.describe_every() == "never"
    assert prod.describe_keep() == "last 1, weekly 1, tagged hold=legal, in Europe/Berlin"


INHERITANCE = """\
[defaults]
backup_every = "24h"
keep_daily = 7
tz = "Europe/Berlin"

[[rules]]
match = "prod-*"
backup_every = "12h"
keep_monthly = 12

[[rules]]
match = "prod-archive"      # never reached: prod-* matches it first
backup_every = "never"

[[rules]]
match = ["dev-*", "tmp-?", "[xy]-index"]
keep_daily = 0
keep_last = 2

[[rules]]
match = "scratch"
keep_daily = 0
"""


@pytest.mark.parametrize(
    ("index", "rule", "every", "keep"),
    [
        ("prod-search", "rules[0]", 12 * HOUR, {"keep_daily": 7, "keep_monthly": 12}),
        ("prod-archive", "rules[0]", 12 * HOUR, {"keep_daily": 7, "keep_monthly": 12}),
        ("prod-", "rules[0]", 12 * HOUR, {"keep_daily": 7, "keep_monthly": 12}),
        ("dev-1", "rules[2]", 24 * HOUR, {"keep_last": 2}),
        ("tmp-a", "rules[2]", 24 * HOUR, {"keep_last": 2}),
        ("tmp-ab", "defaults", 24 * HOUR, {"keep_daily": 7}),  # ? is one character
        ("x-index", "rules[2]", 24 * HOUR, {"keep_last": 2}),
        ("z-index", "defaults", 24 * HOUR, {"keep_daily": 7}),
        ("Prod-search", "defaults", 24 * HOUR, {"keep_daily": 7}),  # case-sensitive
        ("PROD-X", "defaults", 24 * HOUR, {"keep_daily": 7}),
        ("my-prod-x", "defaults", 24 * HOUR, {"keep_daily": 7}),  # the whole name
        ("scratch", "rules[3]", 24 * HOUR, {}),  # no keep rule left: nothing deleted
    ],
)
def test_the_first_matching_rule_governs_with_defaults_filling_in(
    index: str, rule: str, every: dt.timedelta, keep: dict[str, int]
) -> None:
    policy = parse(INHERITANCE)
    settings = policy.settings_for(index)
    assert settings is not None
    assert settings.rule == rule
    assert settings.backup_every == every
    options = settings.prune_options()
    calendar = {"keep_daily", "keep_weekly", "keep_monthly", "keep_yearly"}
    assert options.pop("tz") == "Europe/Berlin"
    assert options == keep
    assert settings.retention == bool(keep)
    assert bool(calendar & set(keep)) == ("in Europe/Berlin" in settings.describe_keep())
    found = policy.rule_for(index)
    assert found is not None and found[0] == rule


def test_without_defaults_an_index_no_rule_matches_is_not_governed() -> None:
    policy = parse('[[rules]]\nmatch = "prod-*"\nkeep_last = 3\n')
    assert policy.defaults is None
    assert policy.settings_for("dev") is None
    assert policy.rule_for("dev") is None
    settings = policy.settings_for("prod-1")
    assert settings is not None
    assert settings.backup_every is None  # left out everywhere: never created
    assert settings.describe_every() == "never"
    assert policy.labels() == ("rules[0]",)
    assert parse(INHERITANCE).labels() == (
        "defaults",
        *("rules[0]", "rules[1]", "rules[2]", "rules[3]"),
    )


@pytest.mark.parametrize("policy_text", ['[[rules]]\nmatch = "prod-*"\n', "[defaults]\n"])
@pytest.mark.parametrize("name", [5, None, b"prod-1"])
def test_a_name_that_is_not_a_str_is_an_argument_type_error(policy_text: str, name: Any) -> None:
    policy = parse(policy_text)
    for method in (policy.settings_for, policy.rule_for):
        with pytest.raises(pb.ArgumentTypeError, match="index_name must be a str, not ") as caught:
            method(name)
        assert caught.value.param == "index_name"


def test_an_empty_defaults_table_governs_with_nothing_to_do() -> None:
    settings = parse("[defaults]\n").settings_for("any")
    assert settings is not None and settings.rule == "defaults"
    assert settings.backup_every is None and not settings.retention
    assert settings.describe_keep() == "none"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"never"', "never"),
        ('"NEVER"', "never"),
        ('" never "', "never"),
        ('"90m"', 90 * dt.timedelta(minutes=1)),
        ('"1w"', 7 * DAY),
        ('"1d12h"', 36 * HOUR),
        ('"1s"', dt.timedelta(seconds=1)),
    ],
)
def test_backup_every(written: str, expected: object) -> None:
    assert parse(f"[defaults]\nbackup_every = {written}\n").defaults == pb.PolicyRule(
        backup_every=expected,  # type: ignore[arg-type]
        line=1,
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"0d"', dt.timedelta(0)),
        ('"0s"', dt.timedelta(0)),
        ('"000H"', dt.timedelta(0)),
        ('"7d"', 7 * DAY),
        ('"2w"', 14 * DAY),
    ],
)
def test_keep_within(written: str, expected: dt.timedelta) -> None:
    defaults = parse(f"[defaults]\nkeep_within = {written}\n").defaults
    assert defaults is not None and defaults.keep_within == expected


@pytest.mark.parametrize(
    "written",
    [
        '{ pin = "yes", "odd key" = "a=b" }',
        '["pin=yes", "odd key=a=b", "pin=yes"]',
    ],
)
def test_keep_tags_a_table_or_a_list_of_k_v(written: str) -> None:
    defaults = parse(f"[defaults]\nkeep_tags = {written}\n").defaults
    assert defaults is not None
    assert defaults.keep_tags == (("odd key", "a=b"), ("pin", "yes"))


@pytest.mark.parametrize("written", ["{}", "[]"])
def test_empty_keep_tags_switch_the_inherited_ones_off(written: str) -> None:
    policy = parse(
        f'[defaults]\nkeep_tags = ["pin=yes"]\n[[rules]]\nmatch = "a"\nkeep_tags = {written}\n'
    )
    settings = policy.settings_for("a")
    assert settings is not None and settings.keep_tags is None and not settings.retention


# -- Every error: FILE:LINE: KEY: problem -------------------------------------------------------

DURATION = (
    "expected a duration like 90m, 36h, 30d or 2w (whole numbers, each followed by a unit: s, m, "
    "h, d or w, largest first as in 1d12h), got"
)
KNOWN = "backup_every, keep_last, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within"
KNOWN += ", keep_tags, tz"
SEMANTIC_ERRORS = [
    # (the file, its one error)
    (
        "defaults_ = 1\n[defaults]\nkeep_last = 1\n",
        "policy.toml:1: defaults_: unknown key, not a key of the document (did you mean "
        "defaults? known: defaults, rules)",
    ),
    (
        "defaults = 5\n",
        "policy.toml:1: defaults: expected a table ([defaults]), got 5 (a whole number)",
    ),
    (
        '[rules]\nmatch = "a"\n',
        "policy.toml:1: rules: expected [[rules]] tables (an array of tables, each header "
        "written [[rules]]), got a table",
    ),
    (
        "rules = [1, 2]\n",
        "policy.toml:1: rules: expected [[rules]] tables (an array of tables, each header "
        "written [[rules]]), got a list",
    ),
    (
        "[defaults]\nkeep_dayly = 7\n",
        f"policy.toml:2: defaults.keep_dayly: unknown key, not a key of [defaults] (did you "
        f"mean keep_daily? known: {KNOWN})",
    ),
    (
        '[[rules]]\nmatch = "a"\nkeep_montly = 3\n',
        "policy.toml:3: rules[0].keep_montly: unknown key, not a key of a [[rules]] table (did "
        f"you mean keep_monthly? known: match, {KNOWN})",
    ),
    (
        "[defaults.extra]\na = 1\n",
        f"policy.toml:1: defaults.extra: unknown key, not a key of [defaults] (known: {KNOWN})",
    ),
    (
        '[defaults]\nmatch = "x"\n',
        "policy.toml:2: defaults.match: only a [[rules]] table has match ([defaults] governs the "
        "indexes no rule matches)",
    ),
    (
        "[defaults]\nkeep_last = 1\n\n[[rules]]\nkeep_last = 2\n",
        'policy.toml:4: rules[0]: match is required: a glob such as "prod-*", or a list of globs',
    ),
    (
        "[[rules]]\nmatch = 5\n",
        'policy.toml:2: rules[0].match: expected a glob such as "prod-*", or a list of globs, '
        "got 5 (a whole number)",
    ),
    (
        "[[rules]]\nmatch = []\n",
        "policy.toml:2: rules[0].match: expected at least one glob, got an empty list",
    ),
    (
        '[[rules]]\nmatch = ["a", ""]\n',
        'policy.toml:2: rules[0].match: expected a glob such as "prod-*", got an empty string',
    ),
    (
        '[[rules]]\nmatch = ["a", 3]\n',
        "policy.toml:2: rules[0].match: expected globs (strings), got 3 (a whole number)",
    ),
    (
        "[[rules]]\nmatch = { a = 1 }\n",
        'policy.toml:2: rules[0].match: expected a glob such as "prod-*", or a list of globs, '
        "got a table",
    ),
    (
        "[defaults]\nkeep_weekly = -1\n",
        "policy.toml:2: defaults.keep_weekly: expected a whole number >= 0, got -1",
    ),
    (
        "[defaults]\nkeep_yearly = 1.5\n",
        "policy.toml:2: defaults.keep_yearly: expected a whole number >= 0, got 1.5 (a float)",
    ),
    (
        "[defaults]\nkeep_last = true\n",
        "policy.toml:2: defaults.keep_last: expected a whole number >= 0, got true (a boolean)",
    ),
    (
        '[defaults]\nkeep_daily = "7"\n',
        'policy.toml:2: defaults.keep_daily: expected a whole number >= 0, got "7"',
    ),
    (
        "[defaults]\nkeep_monthly = 2026-01-01\n",
        "policy.toml:2: defaults.keep_monthly: expected a whole number >= 0, got 2026-01-01 (a "
        "date or time)",
    ),
    (
        '[defaults]\nbackup_every = "1y"\n',
        f"policy.toml:2: defaults.backup_every: {DURATION} '1y': years and months have no fixed "
        "length (write days: 365d, 30d)",
    ),
    (
        '[defaults]\nbackup_every = "0d"\n',
        f"policy.toml:2: defaults.backup_every: {DURATION} '0d': it must be more than 0 (write "
        '"never" to create no backup)',
    ),
    (
        '[defaults]\nbackup_every = "daily"\n',
        f"policy.toml:2: defaults.backup_every: {DURATION} 'daily'",
    ),
    (
        "[defaults]\nbackup_every = 24\n",
        'policy.toml:2: defaults.backup_every: expected a duration such as "90m", "36h", "7d", '
        '"2w" or "1d12h", got 24 (a whole number)',
    ),
    (
        '[defaults]\nkeep_within = "3 days"\n',
        f"policy.toml:2: defaults.keep_within: {DURATION} '3 days'",
    ),
    (
        '[defaults]\nkeep_within = "-5d"\n',
        f"policy.toml:2: defaults.keep_within: {DURATION} '-5d'",
    ),
    (
        "[defaults]\nkeep_within = 3\n",
        'policy.toml:2: defaults.keep_within: expected a duration such as "90m", "36h", "7d", '
        '"2w" or "1d12h", got 3 (a whole number)',
    ),
    (
        '[defaults]\nkeep_tags = "pin=yes"\n',
        'policy.toml:2: defaults.keep_tags: expected a table such as { pin = "yes" } or a list '
        'of "K=V" strings, not a string: write ["pin=yes"]',
    ),
    (
        '[defaults]\nkeep_tags = ["pin"]\n',
        'policy.toml:2: defaults.keep_tags: expected "K=V" (a tag key, =, its value), got "pin"',
    ),
    (
        '[defaults]\nkeep_tags = ["=yes"]\n',
        'policy.toml:2: defaults.keep_tags: expected "K=V" (a tag key, =, its value), got "=yes"',
    ),
    (
        "[defaults]\nkeep_tags = [1]\n",
        'policy.toml:2: defaults.keep_tags: expected "K=V" strings, got 1 (a whole number)',
    ),
    (
        "[defaults]\nkeep_tags = { pin = 1 }\n",
        "policy.toml:2: defaults.keep_tags: expected a string value for tag 'pin', got 1 (a "
        "whole number)",
    ),
    (
        '[defaults]\nkeep_tags = { "" = "x" }\n',
        'policy.toml:2: defaults.keep_tags: expected tag keys that are not empty, got ""',
    ),
    (
        "[defaults]\nkeep_tags = 1\n",
        'policy.toml:2: defaults.keep_tags: expected a table such as { pin = "yes" } or a list '
        'of "K=V" strings, got 1 (a whole number)',
    ),
    (
        '[defaults]\ntz = "Europe/Berln"\n',
        "policy.toml:2: defaults.tz: 'Europe/Berln' is not an IANA time zone name (did you mean "
        "'Europe/Berlin'?)",
    ),
    (
        "[defaults]\ntz = 1\n",
        'policy.toml:2: defaults.tz: expected an IANA time zone name such as "Europe/Berlin", '
        "got 1 (a whole number)",
    ),
    (
        "# nothing\n",
        "policy.toml: no [defaults] table and no [[rules]] table: the policy governs no index",
    ),
    (
        "rules = []\n",
        "policy.toml: no [defaults] table and no [[rules]] table: the policy governs no index",
    ),
    # the line of the key, however the file writes it
    (
        '[[rules]]\nmatch = "a"\n\n[[rules]]\nmatch = "b"\nkeep_last = -3\n',
        "policy.toml:6: rules[1].keep_last: expected a whole number >= 0, got -3",
    ),
    (
        "defaults.keep_last = -1\n",
        "policy.toml:1: defaults.keep_last: expected a whole number >= 0, got -1",
    ),
    (
        '[[rules]]\nmatch = "a"\n[rules.keep_tags]\npin = 3\n',
        "policy.toml:3: rules[0].keep_tags: expected a string value for tag 'pin', got 3 (a "
        "whole number)",
    ),
    (
        '[[rules]]\nmatch = "a"\n[[rules]]\nmatch = "b"\n[rules.keep_tags]\npin = 3\n',
        "policy.toml:5: rules[1].keep_tags: expected a string value for tag 'pin', got 3 (a "
        "whole number)",
    ),
    (
        '[[rules]]\nmatch = "a"\nkeep_tags.pin = 3\n',
        "policy.toml:3: rules[0].keep_tags: expected a string value for tag 'pin', got 3 (a "
        "whole number)",
    ),
    (
        '[defaults]\n"keep_last" = -1\n',
        "policy.toml:2: defaults.keep_last: expected a whole number >= 0, got -1",
    ),
    (
        "[ defaults ]\n  keep_last   =   -1   # indented\n",
        "policy.toml:2: defaults.keep_last: expected a whole number >= 0, got -1",
    ),
    (
        '[defaults]\nkeep_tags = [\n  "a=b",\n  "keep_last = -1",\n]\nkeep_last = -2\n',
        "policy.toml:6: defaults.keep_last: expected a whole number >= 0, got -2",
    ),
    (
        '[defaults]\nbackup_every = """\nkeep_last = -1\n"""\nkeep_last = -2\n',
        "policy.toml:2: defaults.backup_every: "
        + DURATION
        + " 'keep_last = -1\\n'",  # the key inside the string is no key
    ),
    (
        "[defaults]\n# keep_last = -1\nbackup_every = '''\n[[rules]]\n'''\nkeep_last = -2\n",
        "policy.toml:3: defaults.backup_every: " + DURATION + " '[[rules]]\\n'",
    ),
    (
        '[[rules]]\nmatch = "x#y" # a comment\ntz = "Nowhere/City"\n',
        "policy.toml:3: rules[0].tz: 'Nowhere/City' is not an IANA time zone name (such as "
        "'UTC' or 'Europe/Berlin')",
    ),
]


@pytest.mark.parametrize(("text", "message"), SEMANTIC_ERRORS)
def test_every_error_says_the_file_the_line_and_the_key(text: str, message: str) -> None:
    error = error_of(text)
    first = error.messages()[0]
    assert first == message
    assert str(error) == message + (
        f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
    )
    assert error.filename == "policy.toml"
    assert isinstance(error, pb.ValidationError) and isinstance(error, ValueError)
    assert error.param == "policy"
    line, key, problem = error.problems[0]
    assert (error.line, error.key, error.problem) == (line, key, problem)
    assert first == policy_file._located("policy.toml", line, key, problem)


def test_every_problem_is_listed_in_the_order_of_the_file() -> None:
    text = (
        "[[rules]]\n"
        "keep_last = -1\n"  # 2
        'backup_every = "soon"\n'  # 3
        "[defaults]\n"
        "keep_dayly = 7\n"  # 5
        "[[rules]]\n"
        "match = []\n"  # 7
    )
    error = error_of(text)
    assert [(line, key) for line, key, _ in error.problems] == [
        (1, "rules[0]"),  # no match
        (2, "rules[0].keep_last"),
        (3, "rules[0].backup_every"),
        (5, "defaults.keep_dayly"),
        (7, "rules[1].match"),
    ]
    assert str(error).endswith("(and 4 more)")
    assert error.messages()[1] == (
        "policy.toml:2: rules[0].keep_last: expected a whole number >= 0, got -1"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[defaults]\nkeep_last = \n", "policy.toml:2:13: invalid TOML: Invalid value"),
        (
            "[defaults\n",
            "policy.toml:1:10: invalid TOML: Expected ']' at the end of a table declaration",
        ),
        (
            "[defaults]\nkeep_last = 1\nkeep_last = 2\n",
            "policy.toml:3:14: invalid TOML: Cannot overwrite a value",
        ),
        (
            '[defaults]\nbackup_every = "24h',
            "policy.toml:2: invalid TOML: Unterminated string (at the end of the file)",
        ),
    ],
)
def test_a_toml_syntax_error_says_the_line_and_column(text: str, message: str) -> None:
    error = error_of(text)
    assert str(error) == message
    assert error.key is None and error.line == int(message.split(":")[1])


def test_a_syntax_error_at_the_end_of_the_document() -> None:
    message = policy_file._syntax_error("Unclosed array (at end of document)", "a\nb\n", "p")
    assert str(message) == "p:2: invalid TOML: Unclosed array (at the end of the file)"


# -- Lines of keys, however written ------------------------------------------------------------


def test_key_lines_follow_tables_arrays_of_tables_dotted_keys_and_skip_values() -> None:
    text = (
        "top = 1\n"  # 1
        "[defaults]  # a comment with key = 2\n"  # 2
        'keep_tags = { pin = "yes" }\n'  # 3
        "'quoted.key' = \"a = b\"\n"  # 4
        'multi = """\n'  # 5
        "not_a_key = 1\n"
        '"""\n'
        "array = [\n"  # 8
        '  "x = 1",  # inner = comment\n'
        "  [1, 2],\n"
        "]\n"
        "[[rules]]\n"  # 12
        'match = "a"\n'  # 13
        "[[rules]]\n"  # 14
        "a.b.c = 1\n"  # 15
        "[rules.sub]\n"  # 16
        "x = 'y'\n"  # 17
        '[ "rules" . other ]\n'  # 18
    )
    lines = key_lines(text)
    assert lines == {
        ("top",): 1,
        ("defaults",): 2,
        ("defaults", "keep_tags"): 3,
        ("defaults", "quoted.key"): 4,
        ("defaults", "multi"): 5,
        ("defaults", "array"): 8,
        ("rules", 0): 12,
        ("rules", 0, "match"): 13,
        ("rules", 1): 14,
        ("rules", 1, "a"): 15,
        ("rules", 1, "a", "b"): 15,
        ("rules", 1, "a", "b", "c"): 15,
        ("rules", 1, "sub"): 16,
        ("rules", 1, "sub", "x"): 17,
        ("rules", 1, "other"): 18,
    }
    assert line_of(lines, ("defaults", "keep_tags", "pin")) == 3  # inside an inline table
    assert line_of(lines, ("rules", 1, "match")) == 14  # not written: its table's line
    assert line_of(lines, ("nothing",)) is None


# -- Reading a file ----------------------------------------------------------------------------


def test_load_policy_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(INHERITANCE, encoding="utf-8")
    policy = pb.load_policy(path)
    assert policy == pb.Policy.from_toml(INHERITANCE, filename=str(path))
    assert policy.filename == str(path)
    assert pb.load_policy(str(path)) == policy


def test_load_policy_errors_name_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[defaults]\nkeep_last = -1\n", encoding="utf-8")
    with pytest.raises(pb.PolicyError) as caught:
        pb.load_policy(path)
    assert (
        str(caught.value) == f"{path}:2: defaults.keep_last: expected a whole number >= 0, got -1"
    )
    # a file that cannot be read is a PolicyError too (a PineconeError), the OSError its cause
    missing = tmp_path / "missing.toml"
    with pytest.raises(pb.PolicyError) as caught:
        pb.load_policy(missing)
    assert str(caught.value) == f"{missing}: cannot read: No such file or directory"
    assert caught.value.filename == str(missing) and caught.value.line is None
    assert caught.value.problem == "cannot read: No such file or directory"
    assert isinstance(caught.value.__cause__, FileNotFoundError)
    with pytest.raises(pb.PolicyError) as caught:
        pb.load_policy(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read: Is a directory"
    assert isinstance(caught.value.__cause__, IsADirectoryError)
    path.write_bytes(b"[defaults]\n# caf\xe9\n")
    with pytest.raises(pb.PolicyError) as caught:
        pb.load_policy(path)
    assert str(caught.value) == f"{path}:2: not UTF-8 text"
    with pytest.raises(pb.ArgumentTypeError):
        pb.load_policy(5)  # type: ignore[arg-type]


def test_from_toml_without_a_filename() -> None:
    with pytest.raises(pb.PolicyError) as caught:
        pb.Policy.from_toml("[defaults]\nkeep_last = -1\n")
    assert str(caught.value).startswith("<policy>:2: defaults.keep_last: ")
    assert caught.value.filename is None
    with pytest.raises(pb.ArgumentTypeError):
        pb.Policy.from_toml(b"[defaults]")  # type: ignore[arg-type]


def test_tomllib_or_tomli() -> None:
    expected = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    assert policy_file.toml_module().__name__ == expected


# -- In Python -----------------------------------------------------------------------------------


def test_a_policy_built_in_python_equals_the_one_read() -> None:
    built = pb.Policy(
        pb.PolicyRule(backup_every="24h", keep_daily=7, tz="Europe/Berlin"),
        [
            pb.PolicyRule(match="prod-*", backup_every=12 * HOUR, keep_monthly=12),
            pb.PolicyRule(match="prod-archive", backup_every="never"),
            pb.PolicyRule(match=["dev-*", "tmp-?", "[xy]-index"], keep_daily=0, keep_last=2),
            pb.PolicyRule(match=("scratch",), keep_daily=0),
        ],
    )
    read = parse(INHERITANCE)
    assert read.defaults is not None
    assert built == dataclasses.replace(
        read,
        defaults=dataclasses.replace(read.defaults, line=None),
        rules=[dataclasses.replace(rule, line=None) for rule in read.rules],
        filename=None,
    )


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"keep_last": -1}, pb.ValidationError, "keep_last: expected a whole number >= 0, got -1"),
        ({"keep_last": "1"}, pb.ArgumentTypeError, "keep_last: expected a whole number >= 0"),
        ({"keep_daily": True}, pb.ArgumentTypeError, "keep_daily: expected a whole number"),
        ({"backup_every": "1y"}, pb.ValidationError, "backup_every: expected a duration like"),
        ({"backup_every": dt.timedelta(0)}, pb.ValidationError, "backup_every: expected a"),
        (
            {"backup_every": dt.timedelta(milliseconds=10)},
            pb.ValidationError,
            'backup_every: expected a duration of at least 1s, or "never"',
        ),
        ({"backup_every": 5}, pb.ArgumentTypeError, "backup_every: expected a duration such"),
        ({"keep_within": -DAY}, pb.ValidationError, "keep_within: expected a duration >= 0"),
        ({"keep_tags": "a=b"}, pb.ArgumentTypeError, "keep_tags: expected a table"),
        ({"keep_tags": ["a"]}, pb.ValidationError, 'keep_tags: expected "K=V"'),
        ({"tz": "Mars/Base"}, pb.ValidationError, "tz: 'Mars/Base' is not an IANA time zone"),
        ({"tz": 1}, pb.ArgumentTypeError, "tz: expected an IANA time zone name"),
        ({"match": []}, pb.ValidationError, "match: expected at least one glob"),
        ({"match": 5}, pb.ArgumentTypeError, "match: expected a glob"),
        ({"line": 0}, pb.ArgumentTypeError, "line must be a whole number >= 1 or None"),
    ],
)
def test_a_bad_value_in_python_names_the_key(
    options: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        pb.PolicyRule(**options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message), str(caught.value)
    if "line" not in options:
        assert isinstance(caught.value, pb.ValidationError)
        assert caught.value.param == next(iter(options))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"defaults": pb.PolicyRule(match="x")}, "defaults: match: only a [[rules]] table"),
        ({"rules": [pb.PolicyRule(keep_last=1)]}, "rules[0]: match is required"),
        ({}, "a policy needs a [defaults] table or at least one [[rules]] table"),
        ({"rules": []}, "a policy needs a [defaults] table"),
        ({"defaults": "x"}, "defaults must be a PolicyRule or None"),
        ({"rules": pb.PolicyRule(match="x")}, "rules must be a collection of PolicyRule"),
        ({"rules": ["x"]}, "rules[0] must be a PolicyRule"),
        ({"rules": [pb.PolicyRule(match="x")], "filename": 1}, "filename must be a str"),
    ],
)
def test_a_bad_policy_in_python(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(pb.ValidationError) as caught:
        pb.Policy(**arguments)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message), str(caught.value)


def test_policies_rules_and_settings_are_frozen_dataclass_like_and_pickle() -> None:
    policy = parse(EVERY_KEY)
    settings = policy.settings_for("prod-x")
    assert settings is not None
    for obj in (policy, policy.defaults, policy.rules[0], settings):
        assert obj is not None
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert hash(pickle.loads(pickle.dumps(obj))) == hash(obj)
        assert dataclasses.replace(obj) == obj
        assert [f.name for f in dataclasses.fields(obj)] == list(obj.__match_args__)
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.tz = "UTC"  # type: ignore[misc]
    assert dataclasses.replace(settings, keep_last=9).keep_last == 9
    assert dataclasses.asdict(policy.rules[0])["match"] == ("prod-*", "search")
    match policy.rules[0]:
        case pb.PolicyRule(match=globs, backup_every="never"):
            assert globs == ("prod-*", "search")
        case _:
            pytest.fail("no match")


def test_policy_errors_pickle_with_their_problems() -> None:
    error = error_of("[defaults]\nkeep_last = -1\nkeep_dayly = 1\n")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is pb.PolicyError
    assert str(again) == str(error) and vars(again) == vars(error)
    assert again.messages() == error.messages()
    plain = pb.PolicyError("p: bad")
    assert plain.problems == ((None, None, "p: bad"),)
