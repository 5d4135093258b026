"""Shared test settings.

Hypothesis explores new examples on every local run; under CI (``CI`` set, as .ci/run does) it
replays a fixed search so a landing is judged on the same examples every time.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
