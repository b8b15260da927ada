"""Backup policies as code: a TOML file that says, per index, how often to back it up and which
backups to keep; ``pinecone-backups policy check`` / ``policy run`` and their Python side.

- :mod:`.file`: the policy (:class:`Policy`, :class:`PolicyRule`, what governs an index:
  :class:`PolicySettings`), read from TOML (:func:`load_policy`, ``Policy.from_toml``) with
  errors that say the file, the line and the key (:class:`PolicyError`; the lines come from
  :mod:`.lines`);
- :mod:`.plan`: what a policy would do now (:class:`PolicyPlan`, :func:`plan_policy`, the pure
  ``Policy.plan``);
- :mod:`.run`: doing it (:func:`run_policy`, :class:`PolicyReport`);
- :mod:`.pool`: the requests made ``concurrency`` at a time.

Importing the package (``pinecone_backups``) does not import this one: its names are imported on
first use.
"""

from __future__ import annotations

from pinecone_backups._policy.file import (
    Policy,
    PolicyError,
    PolicyRule,
    PolicySettings,
    load_policy,
)
from pinecone_backups._policy.plan import IndexPlan, PolicyAction, PolicyPlan, plan_policy
from pinecone_backups._policy.run import (
    PolicyInterrupted,
    PolicyReport,
    PolicyResult,
    run_policy,
)

__all__ = [
    "IndexPlan",
    "Policy",
    "PolicyAction",
    "PolicyError",
    "PolicyInterrupted",
    "PolicyPlan",
    "PolicyReport",
    "PolicyResult",
    "PolicyRule",
    "PolicySettings",
    "load_policy",
    "plan_policy",
    "run_policy",
]
