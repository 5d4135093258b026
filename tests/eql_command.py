"""The ``eql`` command as a user runs it: a fresh process, its output captured, in a terminal of
a given width when the test says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def eql(
    *argv: str, columns: int | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "eql.cli", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )
