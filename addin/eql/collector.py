"""Python's cyclic garbage collector paused around a large call of a spreadsheet function.

A ledger builds tens of thousands of small objects that all stay alive until it is returned; the
collector would walk every one of them again and again while they are built and find nothing to
free, since none of them forms a cycle (the benchmark: EQL_SCHEDULE of 10,000 draws takes about
1.5 times as long without the pause). The collector belongs to the whole process, which in Excel
is Excel's host, so the pause is counted: calls may overlap (threads), the collector is resumed
only when the last of them leaves, and only if it was running when the first came in.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """How many calls are inside a pause, and whether the collector ran before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.was_enabled = False


_PAUSES = _Pauses()


@contextmanager
def paused_collection() -> Iterator[None]:
    """The collector paused for a block, resumed as it was once no overlapping block is left."""
    with _PAUSES.lock:
        if _PAUSES.inside == 0:
            _PAUSES.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSES.inside += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.inside -= 1
            if _PAUSES.inside == 0 and _PAUSES.was_enabled:
                gc.enable()
