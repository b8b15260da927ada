"""Which API versions have an operation or a parameter, as the command line checks it before
anything is sent: read from the client's own table (``OPERATIONS``), so that a command or option
the version chosen lacks is refused in the command line's words, naming the ``--api-version``
that has it. (The range of ``--limit`` is checked in ``_paging``.)"""

from __future__ import annotations

from pinecone_backups import _native
from pinecone_backups.cli._command import Refused

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse


def versions_of(operation: str, parameter: str | None = None) -> list[str]:
    """The API versions that have ``operation`` (and its ``parameter``, if given), oldest
    first."""
    (declared,) = (op for op in _native.OPERATIONS if op["name"] == operation)
    versions: list[str] = list(declared["versions"])
    since = declared["since"].get(parameter) if parameter is not None else None
    return [version for version in versions if since is None or version >= since]


def require(
    args: argparse.Namespace, what: str, operation: str, parameter: str | None = None
) -> None:
    """Refuses (:class:`Refused`, exit status 2) ``what`` (a command or an option, in the
    command line's words) when the API version chosen (``args.api_version``) lacks
    ``operation`` (or its ``parameter``), saying which ``--api-version`` has it."""
    versions = versions_of(operation, parameter)
    if args.api_version in versions:
        return
    newest = _native.API_VERSIONS[-1]
    if len(versions) == 1:
        needed, choice = versions[0], versions[0]
    elif versions[-1] == newest:
        needed = f"{versions[0]} or later"
        choice = " or ".join((", ".join(versions[:-1]), newest))
    else:  # not so today: an operation a later version dropped
        needed = choice = " or ".join(versions)
    raise Refused(
        f"{what} needs API version {needed} (this command would speak {args.api_version}): "
        f"pass --api-version {choice} (or set PINECONE_API_VERSION)"
    )
