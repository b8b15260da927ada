"""A backup policy: what it holds (:class:`Policy`, :class:`PolicyRule`), what governs an index
(:class:`PolicySettings`), and reading one from a TOML file (:func:`load_policy`,
:meth:`Policy.from_toml`), whose errors say the file, the line and the key
(:class:`PolicyError`).

The file::

    [defaults]                 # governs every index no rule matches; fills what a rule leaves out
    backup_every = "24h"       # a duration, or "never"
    keep_daily = 7
    [[rules]]                  # the first rule whose match fits an index governs it
    match = "prod-*"           # a glob, or a list of globs, over index names (case-sensitive)
    backup_every = "12h"
    keep_monthly = 12

The keys of ``[defaults]`` and of each ``[[rules]]`` table (:data:`KEYS`): ``backup_every``,
``keep_last``, ``keep_daily``, ``keep_weekly``, ``keep_monthly``, ``keep_yearly``,
``keep_within``, ``keep_tags`` and ``tz``; a rule also has ``match`` (required there, refused in
``[defaults]``). Any other key, anywhere, is an error: a misspelt key must not switch retention
off in silence.
"""

from __future__ import annotations

from pinecone_backups._prune import _Record
from pinecone_backups.errors import ArgumentTypeError, ValidationError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    import datetime
    import os
    from collections.abc import Iterable, Mapping
    from typing import Any, Literal

    from pinecone_backups._native import Backup, Index, RestoreJob
    from pinecone_backups._policy.plan import PolicyPlan

    _Tags = tuple[tuple[str, str], ...]

NEVER = "never"
"""``backup_every = "never"``: the policy never creates a backup of the index."""
COUNTS = ("keep_last", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly")
"""The keep rules that count backups (a whole number >= 0; 0 switches the rule off)."""
KEEP_RULES = (*COUNTS, "keep_within", "keep_tags")
"""Every keep rule, as ``plan_prune`` names them."""
KEYS = ("backup_every", *KEEP_RULES, "tz")
"""The keys of ``[defaults]`` and of a ``[[rules]]`` table (which also has ``match``)."""
RULE_KEYS = ("match", *KEYS)
"""The keys of a ``[[rules]]`` table."""
TOP_LEVEL = ("defaults", "rules")
"""The keys of the document: the ``[defaults]`` table and the ``[[rules]]`` tables."""
DEFAULTS = "defaults"
"""How a policy names its ``[defaults]`` table (``rules[0]``, ``rules[1]``... its rules)."""


class PolicyError(ValidationError):
    """A policy that cannot be used: a TOML syntax error, an unknown key, a value of the wrong
    type, a bad duration, glob list or time zone, a rule without ``match``...

    ``str(error)`` is ``FILE:LINE: KEY: problem`` (``policy.toml:7: rules[1].keep_daily:
    expected a whole number >= 0, got -1``), without what is not known (a syntax error has a
    column and no key: ``policy.toml:3:14: invalid TOML: ...``). ``problems`` holds every
    problem found, in the order of the file, each a ``(line, key, message)`` triple (``line``
    and ``key`` may be ``None``); the error's own ``filename``, ``line``, ``key`` and
    ``problem`` are the first one's. A ``ValidationError`` (so a ``ValueError``); ``param`` is
    ``"policy"``.
    """

    def __init__(
        self,
        message: str,
        *,
        filename: str | None = None,
        line: int | None = None,
        key: str | None = None,
        problem: str | None = None,
        problems: tuple[tuple[int | None, str | None, str], ...] = (),
    ) -> None:
        super().__init__(message, param="policy")
        self.filename = filename
        self.line = line
        self.key = key
        self.problem = message if problem is None else problem
        self.problems = problems or ((line, key, self.problem),)

    def __reduce__(self) -> tuple[Any, ...]:
        # keyword-only attributes: rebuilt from the message, then the attributes restored
        return (_rebuild_policy_error, (str(self), vars(self)))

    def messages(self) -> list[str]:
        """Every problem as ``FILE:LINE: KEY: problem``, one a line (a syntax error's with its
        column, as ``str(error)`` says it)."""
        if len(self.problems) == 1:
            return [str(self)]
        return [_located(self.filename, line, key, text) for line, key, text in self.problems]


def _rebuild_policy_error(message: str, attributes: dict[str, Any]) -> PolicyError:
    error = PolicyError(message)
    vars(error).update(attributes)
    return error


def _located(filename: str | None, line: int | None, key: str | None, problem: str) -> str:
    """``FILE:LINE: KEY: problem``, leaving out what is not known."""
    where = filename or "<policy>"
    if line is not None:
        where += f":{line}"
    return f"{where}: {key}: {problem}" if key else f"{where}: {problem}"


class _KeywordRecord(_Record):
    """A record whose ``__init__`` takes its fields by keyword: pickled as such."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        fields = dict(zip(self.__match_args__, self._values(), strict=True))
        return (_from_fields, (self.__class__, fields))


def _from_fields(cls: type[_KeywordRecord], fields: dict[str, Any]) -> _KeywordRecord:
    return cls(**fields)


class _Problem(Exception):
    """A value that a key cannot take: the problem, said without the key."""


# --- One table: [defaults] or a [[rules]] table ---------------------------------------------


class PolicyRule(_KeywordRecord):
    """One table of a policy, as written: ``[defaults]`` (``match`` empty) or a ``[[rules]]``
    table. A key left out is ``None`` (a rule then takes the value of ``[defaults]``).

    - ``match``: the globs over index names (``fnmatch``, case-sensitive: ``*``, ``?``,
      ``[abc]``), as a tuple; an index matches when any one matches its whole name;
    - ``backup_every``: a ``timedelta`` (at least a second), or ``"never"``;
    - ``keep_last``, ``keep_daily``, ``keep_weekly``, ``keep_monthly``, ``keep_yearly``: whole
      numbers >= 0 (0 switches off the rule a rule would inherit);
    - ``keep_within``: a ``timedelta`` (0 switches it off);
    - ``keep_tags``: ``(key, value)`` pairs, sorted (empty switches it off);
    - ``tz``: the IANA name of the zone of the calendar rules' buckets;
    - ``line``: where the table starts in its file (``None`` when built in Python).

    Built by :func:`load_policy`, or in Python with the same values (durations may be written
    as in the file: ``backup_every="12h"``); a bad value raises ``ValidationError`` (or
    ``ArgumentTypeError``) naming the key. A frozen, dataclass-like object.
    """

    __slots__ = (
        "backup_every",
        "keep_daily",
        "keep_last",
        "keep_monthly",
        "keep_tags",
        "keep_weekly",
        "keep_within",
        "keep_yearly",
        "line",
        "match",
        "tz",
    )
    __match_args__ = (
        "match",
        "backup_every",
        "keep_last",
        "keep_daily",
        "keep_weekly",
        "keep_monthly",
        "keep_yearly",
        "keep_within",
        "keep_tags",
        "tz",
        "line",
    )

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def match(self) -> tuple[str, ...]: ...
        @property
        def backup_every(self) -> datetime.timedelta | Literal["never"] | None: ...
        @property
        def keep_last(self) -> int | None: ...
        @property
        def keep_daily(self) -> int | None: ...
        @property
        def keep_weekly(self) -> int | None: ...
        @property
        def keep_monthly(self) -> int | None: ...
        @property
        def keep_yearly(self) -> int | None: ...
        @property
        def keep_within(self) -> datetime.timedelta | None: ...
        @property
        def keep_tags(self) -> _Tags | None: ...
        @property
        def tz(self) -> str | None: ...
        @property
        def line(self) -> int | None: ...
    else:  # the fields (the annotations make the dataclass metadata)
        match: tuple[str, ...]
        backup_every: datetime.timedelta | str | None
        keep_last: int | None
        keep_daily: int | None
        keep_weekly: int | None
        keep_monthly: int | None
        keep_yearly: int | None
        keep_within: datetime.timedelta | None
        keep_tags: tuple[tuple[str, str], ...] | None
        tz: str | None
        line: int | None

    def __init__(
        self,
        *,
        match: str | Iterable[str] = (),
        backup_every: datetime.timedelta | str | None = None,
        keep_last: int | None = None,
        keep_daily: int | None = None,
        keep_weekly: int | None = None,
        keep_monthly: int | None = None,
        keep_yearly: int | None = None,
        keep_within: datetime.timedelta | str | None = None,
        keep_tags: Mapping[str, str] | Iterable[str] | None = None,
        tz: str | None = None,
        line: int | None = None,
    ) -> None:
        given: dict[str, object] = {
            "match": match,
            "backup_every": backup_every,
            "keep_last": keep_last,
            "keep_daily": keep_daily,
            "keep_weekly": keep_weekly,
            "keep_monthly": keep_monthly,
            "keep_yearly": keep_yearly,
            "keep_within": keep_within,
            "keep_tags": keep_tags,
            "tz": tz,
        }
        values: dict[str, object] = {}
        for key, value in given.items():
            if key == "match" and value == ():
                values[key] = ()
            elif value is None:
                values[key] = None
            else:
                try:
                    values[key] = _checked(key, value)
                except _Problem as problem:
                    error = ArgumentTypeError if _wrong_type(key, value) else ValidationError
                    raise error(f"{key}: {problem}", param=key) from None
        if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 1):
            raise ArgumentTypeError(f"line must be a whole number >= 1 or None, got {line!r}")
        self._set(**values, line=line)


def _wrong_type(key: str, value: object) -> bool:
    """Whether ``value`` is of a type ``key`` never takes (``ArgumentTypeError``), rather than a
    bad value of a right type (``ValidationError``)."""
    import datetime as dt

    if key in COUNTS:
        return isinstance(value, bool) or not isinstance(value, int)
    if key in ("backup_every", "keep_within"):
        return not isinstance(value, (str, dt.timedelta))
    if key == "tz":
        return not isinstance(value, str)
    if key == "match":
        return not isinstance(value, (str, list, tuple))
    return not isinstance(value, (dict, list, tuple)) and not hasattr(value, "items")


def _checked(key: str, value: object) -> object:
    """``value`` of ``key`` as a :class:`PolicyRule` holds it; :class:`_Problem` saying what is
    wrong with it."""
    import datetime as dt

    if key in COUNTS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Problem(f"expected a whole number >= 0, got {_shown(value)}")
        if value < 0:
            raise _Problem(f"expected a whole number >= 0, got {value}")
        return value
    if key == "backup_every":
        if isinstance(value, str) and value.strip().lower() == NEVER:
            return NEVER
        duration = _duration(value, zero='write "never" to create no backup')
        if duration < dt.timedelta(seconds=1):
            raise _Problem(f'expected a duration of at least 1s, or "never", got {duration}')
        return duration
    if key == "keep_within":
        return _duration(value, zero=None)
    if key == "keep_tags":
        return _tags(value)
    if key == "tz":
        if not isinstance(value, str):
            raise _Problem(
                f'expected an IANA time zone name such as "Europe/Berlin", got {_shown(value)}'
            )
        from pinecone_backups._prune import zone_info

        try:
            zone_info(value)
        except ValidationError as error:
            raise _Problem(str(error).removeprefix("tz ")) from None
        return value
    if key == "match":
        return _globs(value)
    raise AssertionError(f"no such key: {key}")


_DURATION_EXAMPLES = '"90m", "36h", "7d", "2w" or "1d12h"'


def _duration(value: object, *, zero: str | None) -> datetime.timedelta:
    """A duration written as in the file (``"36h"``) or a ``timedelta``. ``zero``: why a zero
    duration is refused (``None``: it is taken, ``"0d"`` or ``timedelta(0)``, and switches the
    rule off)."""
    import datetime as dt

    from pinecone_backups._durations import parse_duration

    if isinstance(value, dt.timedelta):
        duration = value
    elif isinstance(value, str):
        try:
            duration = parse_duration(value)
        except ValidationError as error:
            if zero is None and _is_zero(value):
                return dt.timedelta(0)
            message = str(error)
            if message.endswith("it must be more than 0") and zero is not None:
                message += f" ({zero})"
            raise _Problem(message) from None
    else:
        raise _Problem(f"expected a duration such as {_DURATION_EXAMPLES}, got {_shown(value)}")
    if duration < dt.timedelta(0):
        raise _Problem(f"expected a duration >= 0, got {duration}")
    if duration == dt.timedelta(0) and zero is not None:
        raise _Problem(f"expected a duration more than 0 ({zero}), got {duration}")
    return duration


def _is_zero(text: str) -> bool:
    """``"0d"``, ``"0s"``, ``"00h"``...: a zero written with a unit (which the durations'
    grammar refuses, and a keep rule takes as "off")."""
    stripped = text.strip().lower()
    return len(stripped) >= 2 and stripped[-1] in "smhdw" and set(stripped[:-1]) == {"0"}


def _tags(value: object) -> tuple[tuple[str, str], ...]:
    """``keep_tags``: a table of tag values (``{ pin = "yes" }``) or a list of ``"K=V"``
    strings; the pairs, sorted, each once."""
    pairs: list[tuple[str, str]] = []
    if isinstance(value, str):
        raise _Problem(
            f'expected a table such as {{ pin = "yes" }} or a list of "K=V" '
            f"strings, not a string: write [{_shown(value)}]"
        )
    if hasattr(value, "items"):
        for key, tag in value.items():
            if not isinstance(key, str) or not key:
                raise _Problem(f"expected tag keys that are not empty, got {_shown(key)}")
            if not isinstance(tag, str):
                raise _Problem(f"expected a string value for tag {key!r}, got {_shown(tag)}")
            pairs.append((key, tag))
    elif isinstance(value, (list, tuple)):
        for item in value:
            if (
                isinstance(item, tuple)
                and len(item) == 2
                and all(isinstance(part, str) for part in item)
                and item[0]
            ):
                pairs.append(item)  # a (key, value) pair, as PolicyRule holds them
                continue
            if not isinstance(item, str):
                raise _Problem(f'expected "K=V" strings, got {_shown(item)}')
            key, equals, tag = item.partition("=")
            if not equals or not key:
                raise _Problem(f'expected "K=V" (a tag key, =, its value), got {_shown(item)}')
            pairs.append((key, tag))
    else:
        raise _Problem(
            f'expected a table such as {{ pin = "yes" }} or a list of "K=V" '
            f"strings, got {_shown(value)}"
        )
    return tuple(sorted(set(pairs)))


def _globs(value: object) -> tuple[str, ...]:
    """``match``: a glob, or a list of at least one; none empty."""
    globs = [value] if isinstance(value, str) else value
    if not isinstance(globs, (list, tuple)):
        raise _Problem(f'expected a glob such as "prod-*", or a list of globs, got {_shown(value)}')
    if not globs:
        raise _Problem("expected at least one glob, got an empty list")
    for glob in globs:
        if not isinstance(glob, str):
            raise _Problem(f"expected globs (strings), got {_shown(glob)}")
        if not glob:
            raise _Problem('expected a glob such as "prod-*", got an empty string')
    return tuple(globs)


def _shown(value: object) -> str:
    """A value in an error: as TOML would write the simple ones (``true``, ``"x"``, ``5``), else
    its type (``a table``, ``a list``)."""
    import datetime as dt

    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        import json

        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + '..."'
    if isinstance(value, (int, float)):
        return f"{value!r} (a {'whole number' if isinstance(value, int) else 'float'})"
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):
        return f"{value.isoformat()} (a date or time)"
    if isinstance(value, dict) or hasattr(value, "items"):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


# --- What governs an index ------------------------------------------------------------------


class PolicySettings(_KeywordRecord):
    """What governs one index: its rule's values, each one the rule leaves out taken from
    ``[defaults]``, with the rules that do nothing dropped.

    - ``rule``: the table that governs the index: ``"rules[0]"``, ``"rules[1]"``... (the first
      whose ``match`` fits) or ``"defaults"``;
    - ``backup_every``: a ``timedelta``, or ``None``: never create (``"never"``, or left out
      everywhere);
    - ``keep_last`` ... ``keep_yearly``, ``keep_within``, ``keep_tags``: the keep rules in
      effect, ``None`` for one left out or switched off (0, ``"0d"``, an empty ``keep_tags``);
    - ``tz``: the zone of the calendar rules (``None``: UTC).

    ``retention`` is whether any keep rule is in effect: without one, the policy deletes
    nothing of the index. ``prune_options()`` gives the keep rules and ``tz`` as the keyword
    arguments of ``plan_prune``.
    """

    __slots__ = (
        "backup_every",
        "keep_daily",
        "keep_last",
        "keep_monthly",
        "keep_tags",
        "keep_weekly",
        "keep_within",
        "keep_yearly",
        "rule",
        "tz",
    )
    __match_args__ = (
        "rule",
        "backup_every",
        "keep_last",
        "keep_daily",
        "keep_weekly",
        "keep_monthly",
        "keep_yearly",
        "keep_within",
        "keep_tags",
        "tz",
    )

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def rule(self) -> str: ...
        @property
        def backup_every(self) -> datetime.timedelta | None: ...
        @property
        def keep_last(self) -> int | None: ...
        @property
        def keep_daily(self) -> int | None: ...
        @property
        def keep_weekly(self) -> int | None: ...
        @property
        def keep_monthly(self) -> int | None: ...
        @property
        def keep_yearly(self) -> int | None: ...
        @property
        def keep_within(self) -> datetime.timedelta | None: ...
        @property
        def keep_tags(self) -> _Tags | None: ...
        @property
        def tz(self) -> str | None: ...
    else:  # the fields (the annotations make the dataclass metadata)
        rule: str
        backup_every: datetime.timedelta | None
        keep_last: int | None
        keep_daily: int | None
        keep_weekly: int | None
        keep_monthly: int | None
        keep_yearly: int | None
        keep_within: datetime.timedelta | None
        keep_tags: tuple[tuple[str, str], ...] | None
        tz: str | None

    def __init__(
        self,
        rule: str,
        backup_every: datetime.timedelta | None = None,
        keep_last: int | None = None,
        keep_daily: int | None = None,
        keep_weekly: int | None = None,
        keep_monthly: int | None = None,
        keep_yearly: int | None = None,
        keep_within: datetime.timedelta | None = None,
        keep_tags: _Tags | None = None,
        tz: str | None = None,
    ) -> None:
        self._set(
            rule=rule,
            backup_every=backup_every,
            keep_last=keep_last,
            keep_daily=keep_daily,
            keep_weekly=keep_weekly,
            keep_monthly=keep_monthly,
            keep_yearly=keep_yearly,
            keep_within=keep_within,
            keep_tags=keep_tags,
            tz=tz,
        )

    @classmethod
    def of(cls, rule: str, governing: PolicyRule, defaults: PolicyRule | None) -> PolicySettings:
        """The settings of the table ``rule`` names (``governing``), each key it leaves out
        taken from ``defaults``; the rules that do nothing dropped."""

        def value(key: str) -> Any:
            own = getattr(governing, key)
            if own is None and defaults is not None:
                return getattr(defaults, key)
            return own

        every = value("backup_every")
        counts = {key: value(key) or None for key in COUNTS}  # 0: switched off
        return cls(
            rule,
            backup_every=None if every == NEVER else every,
            **counts,
            keep_within=value("keep_within") or None,  # timedelta(0): switched off
            keep_tags=value("keep_tags") or None,  # (): switched off
            tz=value("tz"),
        )

    @property
    def retention(self) -> bool:
        """Whether any keep rule is in effect (without one, nothing is deleted)."""
        return any(getattr(self, key) is not None for key in KEEP_RULES)

    def prune_options(self) -> dict[str, Any]:
        """The keep rules in effect and ``tz``, as ``plan_prune``'s keyword arguments."""
        options: dict[str, Any] = {
            key: getattr(self, key) for key in KEEP_RULES if getattr(self, key) is not None
        }
        if "keep_tags" in options:
            options["keep_tags"] = [f"{key}={value}" for key, value in options["keep_tags"]]
        if self.tz is not None:
            options["tz"] = self.tz
        return options

    def describe_keep(self) -> str:
        """The keep rules in effect, as people read them: ``last 3, daily 7, within 36h,
        tagged pin=yes`` (``none`` without any)."""
        from pinecone_backups._durations import format_duration

        parts = [
            f"{key.removeprefix('keep_')} {getattr(self, key)}"
            for key in COUNTS
            if getattr(self, key) is not None
        ]
        if self.keep_within is not None:
            parts.append(f"within {format_duration(self.keep_within)}")
        if self.keep_tags is not None:
            parts.append("tagged " + " or ".join(f"{k}={v}" for k, v in self.keep_tags))
        if (
            parts
            and self.tz is not None
            and any(getattr(self, key) is not None for key in COUNTS[1:])
        ):
            parts.append(f"in {self.tz}")
        return ", ".join(parts) or "none"

    def describe_every(self) -> str:
        """``backup_every`` as people read it: ``12h``, or ``never``."""
        from pinecone_backups._durations import format_duration

        return NEVER if self.backup_every is None else format_duration(self.backup_every)


# --- A policy -------------------------------------------------------------------------------


class Policy(_KeywordRecord):
    """A backup policy: ``defaults`` (the ``[defaults]`` table, or ``None``), ``rules`` (the
    ``[[rules]]`` tables, in order) and ``filename`` (where it was read from, for messages).

    What governs an index (:meth:`settings_for`): the first rule whose ``match`` fits its name
    (``fnmatch``, case-sensitive), each key it leaves out taken from ``[defaults]``; an index no
    rule matches is governed by ``[defaults]`` alone, and, without ``[defaults]``, by nothing
    (the policy neither creates nor deletes any of its backups).

    Read one with :func:`load_policy` (a file) or :meth:`from_toml` (text); build one in Python
    with :class:`PolicyRule` objects. A frozen, dataclass-like object::

        policy = pb.load_policy("policy.toml")
        policy.settings_for("prod-search")   # PolicySettings(rule='rules[0]', ...)
        plan = pb.plan_policy(policy, client)
    """

    __slots__ = ("defaults", "filename", "rules")
    __match_args__ = ("defaults", "rules", "filename")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def defaults(self) -> PolicyRule | None: ...
        @property
        def rules(self) -> tuple[PolicyRule, ...]: ...
        @property
        def filename(self) -> str | None: ...
    else:  # the fields (the annotations make the dataclass metadata)
        defaults: PolicyRule | None
        rules: tuple[PolicyRule, ...]
        filename: str | None

    def __init__(
        self,
        defaults: PolicyRule | None = None,
        rules: Iterable[PolicyRule] = (),
        *,
        filename: str | None = None,
    ) -> None:
        if defaults is not None and not isinstance(defaults, PolicyRule):
            raise ArgumentTypeError(
                f"defaults must be a PolicyRule or None, not {type(defaults).__name__}",
                param="defaults",
            )
        if defaults is not None and defaults.match:
            raise ValidationError(
                "defaults: match: only a [[rules]] table has match ([defaults] governs the "
                "indexes no rule matches)",
                param="defaults",
            )
        if isinstance(rules, (str, PolicyRule)) or not hasattr(rules, "__iter__"):
            raise ArgumentTypeError(
                f"rules must be a collection of PolicyRule, not {type(rules).__name__}",
                param="rules",
            )
        checked = tuple(rules)
        for position, rule in enumerate(checked):
            if not isinstance(rule, PolicyRule):
                raise ArgumentTypeError(
                    f"rules[{position}] must be a PolicyRule, not {type(rule).__name__}",
                    param="rules",
                )
            if not rule.match:
                raise ValidationError(
                    f'rules[{position}]: match is required: a glob such as "prod-*", or a '
                    "list of globs",
                    param="rules",
                )
        if defaults is None and not checked:
            raise ValidationError(
                "a policy needs a [defaults] table or at least one [[rules]] table: this one "
                "governs no index",
                param="rules",
            )
        if filename is not None and not isinstance(filename, str):
            raise ArgumentTypeError(
                f"filename must be a str or None, not {type(filename).__name__}", param="filename"
            )
        self._set(defaults=defaults, rules=checked, filename=filename)

    @classmethod
    def from_toml(cls, text: str, *, filename: str | None = None) -> Policy:
        """The policy written in ``text`` (TOML); ``filename`` names it in errors
        (:class:`PolicyError`, ``FILE:LINE: KEY: problem``)."""
        if not isinstance(text, str):
            raise ArgumentTypeError(f"text must be a str, not {type(text).__name__}", param="text")
        return _from_toml(text, filename)

    def rule_for(self, index_name: str) -> tuple[str, PolicyRule] | None:
        """The table that governs ``index_name`` and its name: the first rule whose ``match``
        fits (``("rules[2]", rule)``), else ``("defaults", defaults)``, else ``None``."""
        from fnmatch import fnmatchcase

        if not isinstance(index_name, str):
            raise ArgumentTypeError(
                f"index_name must be a str, not {type(index_name).__name__}", param="index_name"
            )
        for position, rule in enumerate(self.rules):
            if any(fnmatchcase(index_name, glob) for glob in rule.match):
                return f"rules[{position}]", rule
        if self.defaults is not None:
            return DEFAULTS, self.defaults
        return None

    def settings_for(self, index_name: str) -> PolicySettings | None:
        """What governs ``index_name`` (see the class's docstring); ``None`` when nothing
        does."""
        found = self.rule_for(index_name)
        if found is None:
            return None
        label, rule = found
        return PolicySettings.of(label, rule, None if rule is self.defaults else self.defaults)

    def labels(self) -> tuple[str, ...]:
        """The names of the tables: ``"defaults"`` (when there is one), then ``"rules[0]"``..."""
        rules = tuple(f"rules[{position}]" for position in range(len(self.rules)))
        return ((DEFAULTS,) if self.defaults is not None else ()) + rules

    def plan(
        self,
        indexes: Iterable[Index | str],
        backups: Iterable[Backup] | Mapping[str, Iterable[Backup]],
        *,
        restore_jobs: Iterable[RestoreJob] = (),
        now: datetime.datetime | None = None,
    ) -> PolicyPlan:
        """What the policy would do now to ``indexes`` (``Index`` objects, as ``list_indexes``
        gives them, or names), given their ``backups`` (or a mapping of each index's name to
        the backups listed for it: one that names another index is kept) and the project's
        ``restore_jobs``; sends nothing (``pb.plan_policy`` fetches them). See
        :func:`pinecone_backups._policy.plan.make_plan`."""
        from pinecone_backups._policy.plan import make_plan

        return make_plan(self, indexes, backups, restore_jobs=restore_jobs, now=now)


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """The policy in the TOML file at ``path`` (UTF-8). A file that is not a valid policy
    raises :class:`PolicyError`, whose message says the file, the line and the key
    (``policy.toml:7: rules[1].keep_daily: expected a whole number >= 0, got -1``); one that
    cannot be read (missing, a directory...) too, the ``OSError`` as its ``__cause__``
    (``policy.toml: cannot read: No such file or directory``)."""
    import os

    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(
            f"path must be a str or os.PathLike, not {type(path).__name__}", param="path"
        )
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            data = file.read()
    except OSError as error:  # missing, a directory, not readable...
        problem = f"cannot read: {error.strerror or error}"
        raise PolicyError(
            _located(name, None, None, problem), filename=name, problem=problem
        ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PolicyError(
            _located(name, line, None, "not UTF-8 text"),
            filename=name,
            line=line,
            problem="not UTF-8 text",
        ) from None
    return _from_toml(text, name)


# --- Reading the TOML -----------------------------------------------------------------------


def toml_module() -> Any:
    """``tomllib`` (Python 3.11 on), else ``tomli``, its backport (a dependency on 3.10 only)."""
    import importlib
    import sys

    return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


def _from_toml(text: str, filename: str | None) -> Policy:
    toml = toml_module()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as error:
        raise _syntax_error(str(error), text, filename) from None

    from pinecone_backups._policy.lines import key_lines, line_of

    lines = key_lines(text)
    problems: list[tuple[int | None, str | None, str]] = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
        problems.append((line_of(lines, path), key.lstrip(".") or None, message))

    for key in document:
        if key not in TOP_LEVEL:
            problem((key,), _unknown(key, TOP_LEVEL, "a key of the document"))

    defaults = None
    if "defaults" in document:
        table = document["defaults"]
        if not isinstance(table, dict):
            problem(("defaults",), f"expected a table ([defaults]), got {_shown(table)}")
        else:
            defaults = _table(table, ("defaults",), KEYS, lines, problem)

    rules: list[PolicyRule] = []
    if "rules" in document:
        tables = document["rules"]
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            problem(
                ("rules",),
                "expected [[rules]] tables (an array of tables, each header written [[rules]]), "
                f"got {_shown(tables)}",
            )
        else:
            for position, table in enumerate(tables):
                path = ("rules", position)
                rule = _table(table, path, RULE_KEYS, lines, problem)
                if "match" not in table:
                    problem(path, 'match is required: a glob such as "prod-*", or a list of globs')
                elif rule is not None:
                    rules.append(rule)

    if not problems and defaults is None and not rules:
        problems.append(
            (None, None, "no [defaults] table and no [[rules]] table: the policy governs no index")
        )
    if problems:
        problems.sort(key=lambda found: (found[0] is None, found[0] or 0))
        line, key, message = problems[0]
        located = _located(filename, line, key, message)
        if len(problems) > 1:
            located += f" (and {len(problems) - 1} more)"
        raise PolicyError(
            located,
            filename=filename,
            line=line,
            key=key,
            problem=message,
            problems=tuple(problems),
        )
    return Policy(defaults, rules, filename=filename)


def _table(
    table: dict[str, Any],
    path: tuple[str | int, ...],
    known: tuple[str, ...],
    lines: dict[Any, int],
    problem: Any,
) -> PolicyRule | None:
    """The :class:`PolicyRule` of a table, or ``None`` after reporting each bad key to
    ``problem``."""
    values: dict[str, object] = {}
    bad = False
    for key, value in table.items():
        if key not in known:
            where = "[defaults]" if path == ("defaults",) else "a [[rules]] table"
            if key == "match" and path == ("defaults",):
                message = (
                    "only a [[rules]] table has match ([defaults] governs the indexes no rule "
                    "matches)"
                )
            else:
                message = _unknown(key, known, f"a key of {where}")
            problem((*path, key), message)
            bad = True
            continue
        try:
            values[key] = _checked(key, value)
        except _Problem as error:
            problem((*path, key), str(error))
            bad = True
    if bad:
        return None
    line = lines.get(path)
    return PolicyRule(**values, line=line)  # type: ignore[arg-type]


def _unknown(key: str, known: tuple[str, ...], what: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"unknown key, not {what} ({hint}known: {', '.join(known)})"


def _syntax_error(message: str, text: str, filename: str | None) -> PolicyError:
    """A ``TOMLDecodeError`` as ``FILE:LINE:COLUMN: invalid TOML: ...`` (its message ends with
    ``(at line L, column C)`` or ``(at end of document)``)."""
    import re

    line: int | None = None
    column: int | None = None
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        message = message[: found.start()]
    elif message.endswith("(at end of document)"):
        message = message.removesuffix("(at end of document)").rstrip()
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
        message += " (at the end of the file)"
    problem = f"invalid TOML: {message}"
    where = filename or "<policy>"
    if line is not None:
        where += f":{line}" + (f":{column}" if column is not None else "")
    return PolicyError(
        f"{where}: {problem}",
        filename=filename,
        line=line,
        problem=problem,
        problems=((line, None, problem),),
    )
