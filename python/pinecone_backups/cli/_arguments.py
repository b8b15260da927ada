"""Argument types and actions that several commands share."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[[str], Any])

NUMBER_TYPES: set[object] = {int}
"""The argument types that read a number or a duration (see :func:`number_type`)."""


def number_type(function: F) -> F:
    """Marks an argument type that reads a number or a duration: such a value may be written
    negative by mistake (``--older-than -5d``), and is then attached to its option
    (:func:`attach_negative_values`) so that the type's check says what is wrong with it."""
    NUMBER_TYPES.add(function)
    return function


def attach_negative_values(argv: Sequence[str], options: set[str]) -> list[str]:
    """``--older-than -5d`` as ``--older-than=-5d``, for the ``options`` whose values are
    numbers: argparse takes ``-5d`` for an option and says only "expected one argument";
    attached, the value reaches its check, which says what is wrong with it."""
    result: list[str] = []
    for number, token in enumerate(argv):
        if token == "--":  # the rest are arguments, whatever they look like
            return [*result, *argv[number:]]
        previous = result[-1] if result else ""
        if previous in options and token[:1] == "-" and token[1:2].isdigit():
            result[-1] = f"{previous}={token}"
        else:
            result.append(token)
    return result


def tag(text: str) -> tuple[str, str]:
    """A ``--tag K=V``."""
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


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
