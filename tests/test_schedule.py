"""EQL_SCHEDULE is the single-cell functions, row by row.

The single-cell ledger below is what a sheet of formulas computes: requests sorted by date (rows of
one date in their order), and each row's EQL_CAP / EQL_CHECK handed the amounts funded on the rows
above it (a blocked request funds nothing). EQL_SCHEDULE must give the same cells, of the same
types. The ledgers come from the hand-worked answers (tests/resources, see fixtures.py for the
encodings), whose expected caps and prices the last row must also show, and from Hypothesis.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eql import udfs
from eql.ledger import SCHEDULE_HEADER
from fixtures import (
    RESOURCES,
    cash_range,
    day,
    draws_range,
    exact,
    items,
    milestones_range,
    prices_range,
    reductions_range,
)

HEADER = list(SCHEDULE_HEADER)  # pinned cell by cell in test_schedule_columns.py
ALL_MET = [["POLYMER_265", day("2002-01-02")], ["SAMPLES_30", day("2002-01-02")]] + [
    [key, day("2002-01-02")] for key in ("LICENSE", "MFG_420")
]


def single_cell_ledger(
    requests: list[list[Any]],
    prices: Any,
    cash_used: Any,
    milestones: Any,
    reductions: Any = None,
    terms: Any = None,
) -> list[list[Any]]:
    """The ledger as a sheet of single-cell formulas computes it, one row per request."""
    order = sorted(range(len(requests)), key=lambda i: (requests[i][0], i))
    table: list[list[Any]] = [HEADER]
    funded_above: list[list[Any]] = []
    for i in order:
        date, amount = requests[i]
        above = [list(row) for row in funded_above] or None
        sessions = udfs.EQL_PRICING_DATES(date, terms)
        first, last = (
            (sessions, sessions) if isinstance(sessions, str) else (sessions[0][0], sessions[-1][0])
        )
        price = udfs.EQL_PRICE(date, prices, terms)
        status = udfs.EQL_CHECK(date, amount, above, cash_used, milestones, reductions, terms)
        funded = float(amount) if status == "OK" else 0.0
        if isinstance(price, str):
            shares: Any = price
        else:
            shares = udfs.EQL_SHARES(funded, price, terms) if funded else 0
        detail = udfs.EQL_CAP_DETAIL(date, above, cash_used, reductions, terms)
        binds = detail if isinstance(detail, str) else detail[-1][4].removeprefix("binds: ")
        table.append(
            [
                date,
                float(amount),
                udfs.EQL_FISCAL_QUARTER(date, terms),
                udfs.EQL_TERM_QUARTER(date, terms),
                first,
                last,
                udfs.EQL_AVG_CLOSE(date, prices, terms),
                price,
                shares,
                udfs.EQL_CAP(date, above, cash_used, reductions, terms),
                binds,
                funded,
                status,
            ]
        )
        funded_above.append([date, funded])
    return table


def assert_same_ledger(got: Any, want: list[list[Any]]) -> None:
    assert isinstance(got, list), got
    assert len(got) == len(want), (len(got), len(want))
    for number, (got_row, want_row) in enumerate(zip(got, want, strict=True)):
        assert got_row == want_row, f"row {number}: {got_row} != {want_row}"
        got_types = [type(cell) for cell in got_row]
        want_types = [type(cell) for cell in want_row]
        assert got_types == want_types, f"row {number}: {got_types} != {want_types}"


def weekday_closes(first: str, last: str) -> list[list[Any]]:
    """A close for every weekday (holidays too: rows for days without a session are harmless)."""
    rows: list[list[Any]] = [["Date", "Close"]]
    current, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    while current <= end:
        if current.weekday() < 5:
            cents = 150 + current.toordinal() % 97
            rows.append([dt.datetime(current.year, current.month, current.day), cents / 100])
        current += dt.timedelta(days=1)
    return rows


PRICES_2002_2004 = weekday_closes("2002-03-01", "2004-04-30")


def _answers(name: str) -> list[Any]:
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        pytest.param(row, id=f"{i + 2}-{next(iter(row.values()))}") for i, row in enumerate(rows)
    ]


def _fiscal_label(date: dt.datetime) -> str:
    # Independently of eql: the fiscal year ends in March and is named by the year it ends in.
    return f"FY{date.year + (date.month > 3)} Q{(date.month - 4) % 12 // 3 + 1}"


def _with_cash_for(draws: list[list[Any]], cash: list[list[Any]]) -> list[list[Any]]:
    """The answer's cash used, plus ample cash for quarters only the earlier draws fall in (their
    room is not what the row is about; the draw date's own quarter is left as the answer has it)."""
    known = {label for label, _ in cash}
    extra = sorted({_fiscal_label(date) for date, _ in draws} - known)
    return cash + [[label, 100_000_000.0] for label in extra]


def _all_funded(table: list[list[Any]], rows: int) -> bool:
    return all(row[11] == row[1] for row in table[1 : rows + 1])


@pytest.mark.parametrize("row", _answers("caps.csv"))
def test_schedule_equals_single_cells_on_the_caps_answers(row: dict[str, str]) -> None:
    earlier = draws_range(row["draws"]) or []
    # The answer's draw date asks for one dollar: its room before the draw is the answer's cap.
    requests = [*earlier, [day(row["draw_date"]), 1.0]]
    cash = _with_cash_for(earlier, cash_range(row["cash_used"]))
    reductions = reductions_range(row["reductions"])
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, cash, ALL_MET, reductions)
    want = single_cell_ledger(requests, PRICES_2002_2004, cash, ALL_MET, reductions)
    assert_same_ledger(got, want)
    if _all_funded(got, len(earlier)) and got[-1][0] == day(row["draw_date"]):
        assert got[-1][9] == exact(row["cap"]), got[-1]


@pytest.mark.parametrize("row", _answers("checks.csv"))
def test_schedule_equals_single_cells_on_the_checks_answers(row: dict[str, str]) -> None:
    earlier = draws_range(row["draws"]) or []
    requests = [*earlier, [day(row["funding_date"]), float(row["amount"])]]
    cash = _with_cash_for(earlier, cash_range(row["cash_used"]))
    milestones = milestones_range(row["milestones"])
    reductions = reductions_range(row["reductions"])
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, cash, milestones, reductions)
    if row["expect"] == "#":  # a negative amount is bad input: the whole call is one error
        assert isinstance(got, str), got
        assert got.startswith("#VALUE!"), got
        assert "must not be negative" in got, got
        return
    want = single_cell_ledger(requests, PRICES_2002_2004, cash, milestones, reductions)
    assert_same_ledger(got, want)
    last = next(r for r in got[1:] if r[0] == day(row["funding_date"]) and r[1] == requests[-1][1])
    if _all_funded(got, len(earlier)):
        assert (last[12] == "OK") == (items(row["expect"]) == ["OK"]), last


PRICED = [p for p in _answers("pricing.csv") if p.values[0]["closes"].strip()]


@pytest.mark.parametrize("row", PRICED)
def test_schedule_equals_single_cells_on_the_pricing_answers(row: dict[str, str]) -> None:
    requests = [[day(row["purchase_date"]), 1_000_000.0]]
    prices = prices_range(row)
    cash = [[_fiscal_label(day(row["purchase_date"])), 6_000_000.0]]
    got = udfs.EQL_SCHEDULE(requests, prices, cash, ALL_MET)
    assert_same_ledger(got, single_cell_ledger(requests, prices, cash, ALL_MET))
    assert [cell.date().isoformat() for cell in got[1][4:6]] == [
        items(row["sessions"])[0],
        items(row["sessions"])[-1],
    ]
    if row["price"].startswith("#"):
        assert got[1][7].startswith(row["price"]), got[1]
        assert got[1][8] == got[1][7], "shares show the price's error"
    else:
        assert got[1][6] == exact(row["mean"])
        assert got[1][7] == exact(row["price"])


def test_rows_come_back_in_date_order_and_same_day_rows_in_their_order() -> None:
    # 2002-05-01 asks twice: the first 4M fits the 5M of term quarter 1, the second 2M does not,
    # and being blocked it funds nothing, so the 1M on 05-02 still fits (5 - 4 = 1M room).
    requests = [
        ["Funding date", "Amount"],
        [day("2002-05-02"), 1_000_000.0],
        [day("2002-05-01"), 4_000_000.0],
        [day("2002-05-01"), 2_000_000.0],
    ]
    cash = [["FY2003 Q1", 20_000_000.0]]
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, cash, ALL_MET)
    assert isinstance(got, list)
    assert got[0] == HEADER
    assert [(r[0], r[1], r[11]) for r in got[1:]] == [
        (day("2002-05-01"), 4_000_000.0, 4_000_000.0),
        (day("2002-05-01"), 2_000_000.0, 0.0),
        (day("2002-05-02"), 1_000_000.0, 1_000_000.0),
    ]
    assert got[2][12].startswith("BLOCKED"), got[2]
    assert_same_ledger(got, single_cell_ledger(requests[1:], PRICES_2002_2004, cash, ALL_MET))


def test_a_missing_close_shows_in_its_row_and_the_row_still_evaluates() -> None:
    # 2002-04-15's pricing sessions are 04-08 .. 04-12; without the 04-10 close no price is set,
    # but the request is still checked and funded (the shares cannot be counted without a price).
    prices = [r for r in PRICES_2002_2004 if r[0] != day("2002-04-10")]
    requests = [[day("2002-04-15"), 1_000_000.0], [day("2002-05-15"), 1_000_000.0]]
    cash = [["FY2003 Q1", 6_000_000.0]]
    got = udfs.EQL_SCHEDULE(requests, prices, cash, ALL_MET)
    assert isinstance(got, list)
    first = got[1]
    for cell in first[6:9]:
        assert isinstance(cell, str)
        assert cell.startswith("#N/A no closing price for 2002-04-10"), first
    assert first[11] == 1_000_000.0
    assert first[12] == "OK"
    assert isinstance(got[2][7], float)
    assert got[2][9] == 4_000_000.0  # 5M of term quarter 1 less the 1M funded on 04-15


def test_a_request_outside_the_term_shows_the_term_quarter_error() -> None:
    requests = [[day("2004-04-01"), 1_000_000.0]]
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, [["FY2005 Q1", 1e6]], ALL_MET)
    assert isinstance(got, list)
    assert isinstance(got[1][3], str)
    assert got[1][3].startswith("#N/A 2004-04-01 is outside the term"), got[1]
    assert got[1][10] == "outside the term"
    assert got[1][11] == 0.0


@pytest.mark.parametrize(
    ("requests", "cash", "start"),
    [
        ([[day("2002-04-15"), -5.0]], [["FY2003 Q1", 6e6]], "#VALUE! draws row 1: amount"),
        ([[day("2002-04-15"), "lots"]], [["FY2003 Q1", 6e6]], "#VALUE! draws row 1: amount"),
        ([["someday", 5.0]], [["FY2003 Q1", 6e6]], "#VALUE! draws row 1: funding date"),
        ([[day("2002-04-15"), 5.0, 1.0]], [["FY2003 Q1", 6e6]], "#VALUE! draws: must have 2"),
        ([[day("2002-07-15"), 5.0]], [["FY2003 Q1", 6e6]], "#N/A no cash used in operations"),
    ],
    ids=["negative", "text-amount", "text-date", "three-columns", "no-cash-used"],
)
def test_bad_input_in_the_ranges_is_one_error_for_the_whole_call(
    requests: list[list[Any]], cash: list[list[Any]], start: str
) -> None:
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, cash, ALL_MET)
    assert isinstance(got, str), got
    assert got.startswith(start), got


def test_a_request_of_nothing_shows_what_eql_check_says() -> None:
    requests = [[day("2002-04-15"), 0.0], [day("2002-04-16"), 1_000_000.0]]
    cash = [["FY2003 Q1", 6_000_000.0]]
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, cash, ALL_MET)
    assert_same_ledger(got, single_cell_ledger(requests, PRICES_2002_2004, cash, ALL_MET))
    assert isinstance(got, list)
    assert got[1][12] == "#VALUE! amount must be positive, got 0"


def test_terms_override_reaches_every_column() -> None:
    terms = [["name", "value"], ["pricing.factor", 0.8], ["limits.quarter.amount", 2_000_000]]
    requests = [[day("2002-04-15"), 1_500_000.0], [day("2002-04-16"), 1_000_000.0]]
    cash = [["FY2003 Q1", 6_000_000.0]]
    got = udfs.EQL_SCHEDULE(requests, PRICES_2002_2004, cash, ALL_MET, None, terms)
    assert_same_ledger(
        got, single_cell_ledger(requests, PRICES_2002_2004, cash, ALL_MET, None, terms)
    )
    assert isinstance(got, list)
    assert got[2][9] == 500_000.0  # 2M quarter limit less 1.5M funded
    assert got[2][12].startswith("BLOCKED"), got[2]


# --- random ledgers ------------------------------------------------------------------------

TERM_START = dt.date(2002, 4, 1)
QUARTERS = [f"FY{year} Q{q}" for year in (2003, 2004) for q in (1, 2, 3, 4)] + ["FY2005 Q1"]
MILESTONE_KEYS = ("CEO_CHANGE", "MAC", "POLYMER_265", "SAMPLES_30", "LICENSE", "MFG_420")

offsets = st.integers(min_value=-20, max_value=760)  # a few days either side of the term
amounts = st.sampled_from([0.0, 250_000.0, 1_000_000.0, 1_234_567.89, 2_500_000.0, 5_000_000.0])


@st.composite
def ledgers(draw: st.DrawFn) -> dict[str, Any]:
    requests = [
        [dt.datetime.combine(TERM_START + dt.timedelta(days=offset), dt.time()), amount]
        for offset, amount in draw(st.lists(st.tuples(offsets, amounts), min_size=1, max_size=10))
    ]
    if draw(st.booleans()):  # a header row
        requests.insert(0, ["Funding date", "Amount requested"])
    cash = [[label, float(draw(st.integers(0, 12)) * 1_000_000)] for label in QUARTERS]
    cash.insert(0, ["FY2002 Q4", 1_000_000.0])
    # Milestones mostly reached early and events mostly absent, so that most requests meet the
    # conditions and the limits get exercised; sometimes late, missing or happening.
    milestones = [
        [key, day("2002-03-12") + dt.timedelta(days=draw(st.integers(-30, 800)))]
        for key in MILESTONE_KEYS
        if draw(st.integers(0, 9)) < (1 if key in ("CEO_CHANGE", "MAC") else 9)
    ]
    if draw(st.booleans()):
        milestones = [[key, day("2002-04-01")] for key in MILESTONE_KEYS[2:]]
    reductions = [
        [dt.datetime.combine(TERM_START + dt.timedelta(days=offset), dt.time()), elected]
        for offset, elected in draw(
            st.lists(st.tuples(st.integers(0, 730), st.sampled_from([1e6, 8e6, 40e6])), max_size=2)
        )
    ]
    prices = [list(row) for row in PRICES_2002_2004]
    for _ in range(draw(st.integers(0, 8))):  # closes missing, or given twice, anywhere
        index = draw(st.integers(1, len(prices) - 1))
        if draw(st.booleans()):
            prices[index][1] = None
        else:
            prices.append([prices[index][0], draw(st.sampled_from([prices[index][1], 9.99]))])
    return {
        "requests": requests,
        "prices": prices,
        "cash": cash,
        "milestones": milestones or None,
        "reductions": reductions or None,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers())
def test_schedule_equals_single_cells_on_random_ledgers(ledger: dict[str, Any]) -> None:
    requests = ledger["requests"]
    args = (ledger["prices"], ledger["cash"], ledger["milestones"], ledger["reductions"])
    got = udfs.EQL_SCHEDULE(requests, *args)
    body = [row for row in requests if isinstance(row[0], dt.datetime)]
    assert_same_ledger(got, single_cell_ledger(body, *args))
    assert isinstance(got, list)
    # And what the term sheet promises of any ledger: no more than 5M funded in a term quarter.
    by_quarter: dict[object, Decimal] = {}
    for row in got[1:]:
        by_quarter[row[3]] = by_quarter.get(row[3], Decimal(0)) + Decimal(str(row[11]))
    assert all(total <= 5_000_000 for total in by_quarter.values()), by_quarter
