"""The settings of generated examples (hypothesis) shared by the tests of several files; a module
of its own so that ``tests.helpers`` imports without hypothesis."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_EXAMPLES = {"default": 40, "ci": 100, "long": 1000}[
    os.environ.get("HYPOTHESIS_PROFILE", "default")
]
PROPERTY = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
"""Examples as ``HYPOTHESIS_PROFILE`` says (40 by default, ``ci`` 100, ``long`` 1000), no
deadline (a raw server answers each example)."""
