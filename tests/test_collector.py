"""The collector pause around EQL_SCHEDULE leaves the host process as it found it, also when
calls overlap: the collector runs again once the last overlapping call leaves, and only if it ran
before the first one came in."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator

import pytest

from eql import udfs
from eql.collector import paused_collection
from fixtures import APRIL_2_CLOSES

P = APRIL_2_CLOSES


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_overlapping_pauses_resume_only_after_the_last() -> None:
    gc.enable()
    first, second = paused_collection(), paused_collection()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first call leaves while the second still builds
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused_collection():
        pass
    assert not gc.isenabled()


def test_a_failing_call_resumes_the_collector() -> None:
    gc.enable()
    with pytest.raises(ZeroDivisionError), paused_collection():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_schedules_in_threads_leave_the_collector_running() -> None:
    # Many short switches make the calls overlap in every order; before, some left it off.
    gc.enable()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        draws = [["2002-04-02", 1e6]] * 20
        cash = [["FY2003 Q1", 6e6]]
        results: list[object] = []

        def run() -> None:
            for _ in range(5):
                results.append(udfs.EQL_SCHEDULE(draws, P, cash, None))

        threads = [threading.Thread(target=run) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert gc.isenabled()
    assert len(results) == 40
    assert all(isinstance(table, list) and len(table) == 21 for table in results)
