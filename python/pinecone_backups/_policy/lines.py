"""Where each key of a TOML document is written: ``tomllib`` gives no positions, so a policy
file's errors find the line of the key at fault here (:func:`key_lines`).

The scan reads a document that ``tomllib`` has already parsed (so it is valid TOML) and records,
for every table header and every key of a key/value line, the line where it first appears,
under its full path: ``("defaults", "keep_daily")``, ``("rules", 2, "match")`` (the third
``[[rules]]`` table: an array of tables counts from 0, as ``tomllib``'s lists do),
``("rules", 0, "keep_tags", "pin")`` for a dotted key or a ``[rules.keep_tags]`` table. Strings
(basic, literal, multi-line), arrays spread over several lines and comments are skipped, so a
line inside a value is never taken for a key. Keys inside an inline table (``{ pin = "yes" }``)
are not recorded: :func:`line_of` then gives the line of the nearest enclosing key.
"""

from __future__ import annotations

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

Path = tuple[str | int, ...]


def key_lines(text: str) -> dict[Path, int]:
    """The line (from 1) where each table and key of ``text`` (valid TOML) is first written,
    by its full path."""
    found: dict[Path, int] = {}
    arrays: dict[Path, int] = {}  # an array of tables -> how many of its tables were seen
    table: Path = ()
    at, line, end = 0, 1, len(text)
    while at < end:
        char = text[at]
        if char == "\n":
            line += 1
            at += 1
        elif char in " \t\r":
            at += 1
        elif char == "#":
            at = _line_end(text, at)
        elif char == "[":
            array = text.startswith("[[", at)
            parts, at = _key(text, at + (2 if array else 1))
            if array:
                path = (*_resolved(parts[:-1], arrays), parts[-1])
                arrays[path] = arrays.get(path, 0) + 1
                table = (*path, arrays[path] - 1)
            else:
                table = _resolved(parts, arrays)
            found.setdefault(table, line)
            at = _line_end(text, at)
        else:
            parts, at = _key(text, at)
            for size in range(1, len(parts) + 1):
                found.setdefault((*table, *parts[:size]), line)
            at = text.index("=", at) + 1
            at, line = _skip_value(text, at, line)
    return found


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, else of the nearest table or key that holds it; ``None`` when
    none is written (a key of the document's root that is not there)."""
    for size in range(len(path), 0, -1):
        if path[:size] in lines:
            return lines[path[:size]]
    return None


def _resolved(parts: list[str], arrays: dict[Path, int]) -> Path:
    """A header's dotted key as a path: a part naming an array of tables means its last table
    (``[rules.keep_tags]`` after the third ``[[rules]]`` is ``("rules", 2, "keep_tags")``)."""
    path: Path = ()
    for part in parts:
        path = (*path, part)
        if path in arrays:
            path = (*path, arrays[path] - 1)
    return path


def _line_end(text: str, at: int) -> int:
    """The index of the next newline (or the end): the rest of a header line or a comment."""
    newline = text.find("\n", at)
    return len(text) if newline < 0 else newline


def _key(text: str, at: int) -> tuple[list[str], int]:
    """A dotted key from ``at``: its parts (quoted ones unquoted) and where it ends."""
    parts: list[str] = []
    while True:
        while text[at] in " \t":
            at += 1
        if text[at] == '"':
            close = at + 1
            while text[close] != '"':
                close += 2 if text[close] == "\\" else 1
            parts.append(_unescaped(text[at + 1 : close]))
            at = close + 1
        elif text[at] == "'":
            close = text.index("'", at + 1)
            parts.append(text[at + 1 : close])
            at = close + 1
        else:
            start = at
            while at < len(text) and text[at] in _BARE:
                at += 1
            parts.append(text[start:at])
        while at < len(text) and text[at] in " \t":
            at += 1
        if at < len(text) and text[at] == ".":
            at += 1
            continue
        return parts, at


def _unescaped(body: str) -> str:
    """A basic string's body with its escapes read (as JSON reads them; TOML's few others,
    rare in a key, are kept as written)."""
    if "\\" not in body:
        return body
    import json

    try:
        value = json.loads(f'"{body}"')
    except ValueError:
        return body
    return value if isinstance(value, str) else body


def _skip_value(text: str, at: int, line: int) -> tuple[int, int]:
    """Skips a value from ``at``: returns the index of the newline that ends its line (or the
    end) and the line number there, counting the newlines inside the value."""
    depth = 0
    end = len(text)
    while at < end:
        char = text[at]
        if char == "\n":
            if depth == 0:
                return at, line
            line += 1
            at += 1
        elif text.startswith('"""', at) or text.startswith("'''", at):
            quotes = text[at : at + 3]
            close = at + 3
            while not text.startswith(quotes, close):
                close += 2 if quotes == '"""' and text[close] == "\\" else 1
            while text.startswith(quotes[0], close + 3):  # up to two quotes end the body
                close += 1
            line += text.count("\n", at, close)
            at = close + 3
        elif char == '"':
            close = at + 1
            while text[close] != '"':
                close += 2 if text[close] == "\\" else 1
            at = close + 1
        elif char == "'":
            at = text.index("'", at + 1) + 1
        elif char in "[{":
            depth += 1
            at += 1
        elif char in "]}":
            depth -= 1
            at += 1
        elif char == "#":
            at = _line_end(text, at)
        else:
            at += 1
    return at, line
