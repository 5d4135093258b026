"""The fast paths give the answers of the slow ones (no timing here: timing lives in bench/).

* A prices range whose cells come back equal reuses the parse of its dates: a missing or doubled
  close of a pricing session must still be reported wherever its row sits, and the closes are
  read from the cells of the call (so a cell that merely compares equal is still checked).
* Funded draws keep running totals: every total equals the plain sum of the draws it covers.
* Importing the Excel functions and pricing a draw needs neither pandas nor exchange_calendars.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eql import functions, udfs
from eql.caps import FundedDraws
from eql.records import Draw
from excel_rows import excel_rows

# pricing.csv, purchase date 2002-04-02: the five XNAS sessions before it (Good Friday closed).
PURCHASE = dt.datetime(2002, 4, 2)
SESSIONS = ["2002-03-25", "2002-03-26", "2002-03-27", "2002-03-28", "2002-04-01"]
SESSION_DAYS = {dt.datetime.fromisoformat(d) for d in SESSIONS}


def decoy_days(count: int) -> list[dt.datetime]:
    """Weekdays from 2001 on that are not pricing sessions of the purchase date."""
    found: list[dt.datetime] = []
    current = dt.datetime(2001, 1, 1)
    while len(found) < count:
        if current.weekday() < 5 and current not in SESSION_DAYS:
            found.append(current)
        current += dt.timedelta(days=1)
    return found


DECOYS = decoy_days(400)


def expected_price(closes: list[float]) -> float:
    return float(sum(Fraction(str(c)) for c in closes) / 5 * Fraction(85, 100))


cents = st.integers(min_value=1, max_value=99_99).map(lambda c: c / 100)


@settings(max_examples=60, deadline=None)
@given(
    closes=st.lists(cents, min_size=5, max_size=5),
    places=st.lists(st.integers(0, len(DECOYS)), min_size=5, max_size=5),
    fault=st.sampled_from(["none", "missing", "blank", "doubled", "doubled-same", "text"]),
    session=st.integers(0, 4),
    fault_place=st.integers(0, len(DECOYS)),
    header=st.booleans(),
)
def test_price_from_a_reused_parse_equals_the_price_of_its_cells(
    closes: list[float],
    places: list[int],
    fault: str,
    session: int,
    fault_place: int,
    header: bool,
) -> None:
    rows: list[list[Any]] = [[day, 9.99] for day in DECOYS]
    for place, (day, close) in sorted(
        zip(places, zip(SESSIONS, closes, strict=True), strict=True), reverse=True
    ):
        rows.insert(place, [dt.datetime.fromisoformat(day), close])
    clean = excel_rows(rows)
    target = dt.datetime.fromisoformat(SESSIONS[session])
    index = next(i for i, row in enumerate(rows) if row[0] == target)
    if fault == "missing":
        del rows[index]
    elif fault == "blank":
        rows[index][1] = None
    elif fault == "text":
        rows[index][1] = "n/a"
    elif fault in ("doubled", "doubled-same"):
        again = closes[session] if fault == "doubled-same" else closes[session] + 1
        rows.insert(fault_place, [target, again])
    if header:
        rows.insert(0, ["Date", "Close"])
        clean.insert(0, ["Date", "Close"])
    # The clean range is seen first, then the faulty one twice: cold, then from the kept parse.
    assert udfs.EQL_PRICE(PURCHASE, excel_rows(clean)) == expected_price(closes)
    for _ in range(2):
        got = udfs.EQL_PRICE(PURCHASE, excel_rows(rows))
        if fault in ("none", "doubled-same"):
            assert got == expected_price(closes)
        elif fault in ("missing", "blank"):
            assert isinstance(got, str)
            assert got.startswith(f"#N/A no closing price for {SESSIONS[session]}"), got
        elif fault == "doubled":
            assert isinstance(got, str)
            assert got.startswith(f"#VALUE! two different closing prices for {SESSIONS[session]}")
        else:
            assert isinstance(got, str)
            assert got.startswith(f"#VALUE! close for {SESSIONS[session]}"), got


def _apr2(closes: list[Any]) -> list[list[Any]]:
    return [[dt.datetime.fromisoformat(d), c] for d, c in zip(SESSIONS, closes, strict=True)]


def test_a_cell_equal_to_a_kept_one_is_still_read_as_itself() -> None:
    # True == 1.0 in Python, but TRUE is no close; Decimal("2.5") == 2.5 and both are 2.5.
    assert udfs.EQL_PRICE(PURCHASE, _apr2([1.0, 2.0, 2.0, 2.0, 2.0])) == 1.53
    got = udfs.EQL_PRICE(PURCHASE, _apr2([True, 2.0, 2.0, 2.0, 2.0]))
    assert isinstance(got, str)
    assert got.startswith("#VALUE! close for 2002-03-25 (prices row 1) must be a number"), got
    assert udfs.EQL_PRICE(PURCHASE, _apr2([Decimal("2.5")] * 5)) == udfs.EQL_PRICE(
        PURCHASE, _apr2([2.5] * 5)
    )


def test_a_date_equal_to_true_is_never_taken_from_a_kept_parse() -> None:
    # Serial 1 is 1900-01-01 and equals True, which is no date: the range is parsed every time.
    rows = [*_apr2([2.0] * 5), [1.0, 3.0]]
    assert udfs.EQL_PRICE(PURCHASE, rows) == 1.7
    got = udfs.EQL_PRICE(PURCHASE, [*_apr2([2.0] * 5), [True, 3.0]])
    assert isinstance(got, str)
    assert got.startswith("#VALUE! prices row 6: date must be a date"), got


def test_changing_the_callers_rows_afterwards_changes_nothing_kept() -> None:
    rows = _apr2([2.0] * 5)
    assert udfs.EQL_PRICE(PURCHASE, rows) == 1.7
    rows[0][0] = dt.datetime(2002, 3, 22)  # the caller reuses its list for something else
    assert udfs.EQL_PRICE(PURCHASE, _apr2([2.0] * 5)) == 1.7
    got = udfs.EQL_PRICE(PURCHASE, rows)
    assert isinstance(got, str)
    assert got.startswith("#N/A no closing price for 2002-03-25"), got


def test_rows_as_tuples_and_as_lists_price_alike() -> None:
    rows = _apr2([2.40, 2.50, 2.60, 2.45, 2.55])
    assert udfs.EQL_PRICE(PURCHASE, rows) == 2.125
    assert udfs.EQL_PRICE(PURCHASE, tuple(tuple(row) for row in rows)) == 2.125


def test_the_kept_parses_are_bounded() -> None:
    kept = functions.PRICE_RANGES
    for n in range(kept.size + 5):
        assert udfs.EQL_PRICE(PURCHASE, [*_apr2([2.0] * 5), [DECOYS[n], 1.0]]) == 1.7
    assert len(kept) == kept.size


def test_a_bad_date_is_reported_again_from_the_same_range() -> None:
    rows = [*_apr2([2.0] * 5), ["someday", 1.0]]
    for _ in range(2):
        got = udfs.EQL_PRICE(PURCHASE, excel_rows(rows))
        assert isinstance(got, str)
        assert got.startswith("#VALUE! prices row 6: date must be a date"), got


# --- running totals of funded draws --------------------------------------------------------

days = st.integers(0, 60).map(lambda n: dt.date(2002, 4, 1) + dt.timedelta(days=n))
money = st.integers(1, 10**9).map(lambda n: Decimal(n) / 100)


@given(
    draws=st.lists(st.tuples(days, money), max_size=30),
    first=days,
    last=days,
    same_day=st.booleans(),
)
def test_running_totals_equal_plain_sums(
    draws: list[tuple[dt.date, Decimal]], first: dt.date, last: dt.date, same_day: bool
) -> None:
    funded = FundedDraws(Draw(day, amount, n) for n, (day, amount) in enumerate(draws))
    between = sum((a for d, a in draws if first <= d <= last), Decimal(0))
    through = sum((a for d, a in draws if d < last or (same_day and d == last)), Decimal(0))
    assert funded.between(first, last) == between
    assert funded.through(last, same_day=same_day) == through
    assert sorted(funded, key=lambda d: d.row) == [
        Draw(day, amount, n) for n, (day, amount) in enumerate(draws)
    ]


def test_adding_a_draw_leaves_the_earlier_totals_as_they_were() -> None:
    april, may = dt.date(2002, 4, 15), dt.date(2002, 5, 15)
    start = FundedDraws([Draw(april, Decimal(1), 1)])
    one = start.added(Draw(may, Decimal(10), 2))
    other = start.added(Draw(may, Decimal(100), 3))  # a second branch from the same value
    earlier = one.added(Draw(april, Decimal(1000), 4))  # dated before the last: re-sorted
    assert [start.through(may), one.through(may), other.through(may)] == [1, 11, 101]
    assert earlier.through(april) == 1001
    assert earlier.between(may, may) == 10
    assert len(start) == 1
    assert len(earlier) == 3


# --- cold start ------------------------------------------------------------------------------

COLD = textwrap.dedent(
    """
    import sys, types
    # A stand-in for xlwings, whose own import loads pandas and numpy: what eql itself loads.
    stub = types.ModuleType("xlwings")
    stub.func = lambda f: f
    stub.arg = lambda *a, **k: (lambda f: f)
    sys.modules["xlwings"] = stub
    import datetime as dt
    from eql import udfs
    rows = [[dt.datetime(2002, 3, d), 2.0] for d in (25, 26, 27, 28)] + [[dt.datetime(2002, 4, 1), 2.0]]
    assert udfs.EQL_PRICE(dt.datetime(2002, 4, 2), rows) == 1.7
    loaded = sorted(m for m in ("pandas", "numpy", "exchange_calendars") if m in sys.modules)
    print(",".join(loaded))
    """
)


def test_pricing_needs_neither_pandas_nor_exchange_calendars() -> None:
    done = subprocess.run(
        [sys.executable, "-c", COLD], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported: {done.stdout.strip()}"


@pytest.fixture(autouse=True)
def _no_kept_ranges_between_tests() -> Any:
    functions.PRICE_RANGES.clear()
    yield
    functions.PRICE_RANGES.clear()
