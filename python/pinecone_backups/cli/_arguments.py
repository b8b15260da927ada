"""``--tag K=V``, as ``restore`` and ``prune`` read it (an ``argparse`` action), and
``--read-capacity JSON`` (``restore``)."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    from typing import Any


def tag(text: str) -> tuple[str, str]:
    """A ``--tag K=V``."""
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def json_object(text: str) -> dict[str, Any]:
    """A JSON object given as text (``--read-capacity '{"mode": "OnDemand"}'``)."""
    import json

    try:
        value = json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(
            f"expected a JSON object ({{...}}), got {type(value).__name__} {text!r}"
        )
    return value


class TagAction(argparse.Action):
    """Collects ``--tag K=V`` into a dict; a key given twice is an error."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        key, value = values
        tags = dict(getattr(namespace, self.dest) or {})
        if key in tags:
            raise argparse.ArgumentError(self, f"tag {key!r} given twice")
        tags[key] = value
        setattr(namespace, self.dest, tags)
