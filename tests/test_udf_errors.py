"""Bad input to each Excel function gives `#` text naming the input and the value; none raises.

The messages are part of what the finance team reads in a cell, so they are pinned word for word.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from eql import functions
from eql import udfs as u
from fixtures import APRIL_2_CLOSES

P = APRIL_2_CLOSES
WITHOUT_03_27 = P[:2] + P[3:]
C = [["FY2003 Q1", 6e6]]
M = [["LICENSE", None]]

CASES: list[tuple[str, Callable[[], object], str]] = [
    (
        "blank date",
        lambda: u.EQL_PRICE(None, P),
        "#VALUE! purchase_date is required (a date), got blank",
    ),
    (
        "text date",
        lambda: u.EQL_PRICE("soon", P),
        "#VALUE! purchase_date must be a date (YYYY-MM-DD), got 'soon'",
    ),
    (
        "impossible date",
        lambda: u.EQL_PRICE("2002-02-30", P),
        "#VALUE! purchase_date is not a real date, got '2002-02-30'",
    ),
    (
        "negative serial",
        lambda: u.EQL_PRICE(-5, P),
        "#VALUE! purchase_date must be a date between 1900-01-01 and 9999-12-31, got -5",
    ),
    (
        "zero serial",
        lambda: u.EQL_PRICE(0, P),
        "#VALUE! purchase_date must be a date between 1900-01-01 and 9999-12-31, got 0",
    ),
    ("NaN date", lambda: u.EQL_PRICE(math.nan, P), "#VALUE! purchase_date must be a date, got nan"),
    (
        "boolean date",
        lambda: u.EQL_PRICE(True, P),
        "#VALUE! purchase_date must be a date, got True",
    ),
    (
        "Excel error",
        lambda: u.EQL_PRICE("#N/A", P),
        "#VALUE! purchase_date is an Excel error, got '#N/A'",
    ),
    (
        "serial 60",
        lambda: u.EQL_FISCAL_QUARTER(60),
        "#VALUE! day is Excel's nonexistent day 1900-02-29 (serial 60), got 60",
    ),
    (
        "before the calendar",
        lambda: u.EQL_PRICE("1950-01-01", P),
        "#NUM! 1950-01-01 is outside the XNAS calendar known to eql (1990-01-02 .. 2030-12-31)",
    ),
    (
        "after the calendar",
        lambda: u.EQL_PRICING_DATES("2040-01-01"),
        "#NUM! 2040-01-01 is outside the XNAS calendar known to eql (1990-01-02 .. 2030-12-31)",
    ),
    (
        "missing session",
        lambda: u.EQL_PRICE("2002-04-02", WITHOUT_03_27),
        "#N/A no closing price for 2002-03-27 (pricing session 3 of 5)",
    ),
    (
        "missing session, average",
        lambda: u.EQL_AVG_CLOSE("2002-04-02", WITHOUT_03_27),
        "#N/A no closing price for 2002-03-27 (pricing session 3 of 5)",
    ),
    (
        "blank close",
        lambda: u.EQL_PRICE("2002-04-02", [*WITHOUT_03_27, ["2002-03-27", None]]),
        "#N/A no closing price for 2002-03-27 (pricing session 3 of 5)",
    ),
    (
        "negative close",
        lambda: u.EQL_PRICE("2002-04-02", [*WITHOUT_03_27, ["2002-03-27", -2.6]]),
        "#VALUE! close for 2002-03-27 (prices row 5) must be positive, got -2.6",
    ),
    (
        "zero close",
        lambda: u.EQL_PRICE("2002-04-02", [*WITHOUT_03_27, ["2002-03-27", 0]]),
        "#VALUE! close for 2002-03-27 (prices row 5) must be positive, got 0",
    ),
    (
        "text close",
        lambda: u.EQL_PRICE("2002-04-02", [*WITHOUT_03_27, ["2002-03-27", "n/a"]]),
        "#VALUE! close for 2002-03-27 (prices row 5) must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'n/a'",
    ),
    (
        "NaN close",
        lambda: u.EQL_PRICE("2002-04-02", [*WITHOUT_03_27, ["2002-03-27", math.nan]]),
        "#VALUE! close for 2002-03-27 (prices row 5) must be a finite number, got nan",
    ),
    (
        "duplicate date",
        lambda: u.EQL_PRICE("2002-04-02", [*P, ["2002-03-27", 2.7]]),
        "#VALUE! two different closing prices for 2002-03-27: 2.6 and 2.7 (pricing session 3 of 5)",
    ),
    (
        "five columns",
        lambda: u.EQL_PRICE("2002-04-02", [[*r, 1, 1, 1] for r in P]),
        "#VALUE! prices: must have 2, 3 or 4 columns (date, price[, low[, volume]]), got 5",
    ),
    (
        "one column",
        lambda: u.EQL_PRICE("2002-04-02", [[r[0]] for r in P]),
        "#VALUE! prices: must have 2, 3 or 4 columns (date, price[, low[, volume]]), got 1",
    ),
    (
        "bad price date",
        lambda: u.EQL_PRICE("2002-04-02", [*P, ["someday", 2.0]]),
        "#VALUE! prices row 6: date must be a date (YYYY-MM-DD), got 'someday'",
    ),
    ("zero price", lambda: u.EQL_SHARES(5e6, 0), "#VALUE! price must be positive, got 0"),
    ("zero amount", lambda: u.EQL_SHARES(0, 2.5), "#VALUE! amount must be positive, got 0"),
    ("negative amount", lambda: u.EQL_SHARES(-5, 2.5), "#VALUE! amount must be positive, got -5"),
    (
        "infinite amount",
        lambda: u.EQL_SHARES(math.inf, 2.5),
        "#VALUE! amount must be a finite number, got inf",
    ),
    (
        "text amount",
        lambda: u.EQL_SHARES("lots", 2.5),
        "#VALUE! amount must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'lots'",
    ),
    (
        "blank amount",
        lambda: u.EQL_SHARES(None, 2.5),
        "#VALUE! amount is required (a number), got blank",
    ),
    (
        "blank quarter date",
        lambda: u.EQL_FISCAL_QUARTER(None),
        "#VALUE! day is required (a date), got blank",
    ),
    (
        "huge serial",
        lambda: u.EQL_FISCAL_QUARTER(1e9),
        "#VALUE! day must be a date between 1900-01-01 and 9999-12-31, got 1000000000",
    ),
    (
        "outside the term",
        lambda: u.EQL_TERM_QUARTER("2001-01-01"),
        "#N/A 2001-01-01 is outside the term (2002-04-01 .. 2004-03-31)",
    ),
    (
        "no cash used entered",
        lambda: u.EQL_CAP("2002-10-01", None, C),
        "#N/A no cash used in operations entered for FY2003 Q3, needed for condition (v) on 2002-10-01",
    ),
    (
        "bad quarter label",
        lambda: u.EQL_CAP("2002-04-15", None, [["Q1 2003", 5]]),
        "#VALUE! cash_used row 1: fiscal quarter is ambiguous (a calendar or a fiscal quarter?): write the fiscal quarter as 'FY2003 Q1', got 'Q1 2003'",
    ),
    (
        "negative cash used",
        lambda: u.EQL_CAP("2002-04-15", None, [["FY2003 Q1", -5]]),
        "#VALUE! cash_used row 1: cash used must not be negative (enter cash used as a positive number), got -5",
    ),
    (
        "cash used twice",
        lambda: u.EQL_CAP("2002-04-15", None, [*C, ["FY2003 Q1", 5e6]]),
        "#VALUE! cash_used: FY2003 Q1 is given twice, as 6,000,000 and 5,000,000",
    ),
    (
        "draw outside the term",
        lambda: u.EQL_CAP("2002-04-15", [["2002-03-01", 1e6]], C),
        "#VALUE! draws row 1: funding date must be inside the term (2002-04-01 .. 2004-03-31), got 2002-03-01",
    ),
    (
        "negative draw",
        lambda: u.EQL_CAP("2002-04-15", [["2002-04-02", -1e6]], C),
        "#VALUE! draws row 1: amount must not be negative, got -1000000",
    ),
    (
        "draw without amount",
        lambda: u.EQL_CAP("2002-04-15", [["2002-04-02", None]], C),
        "#VALUE! draws row 1: amount is required (a number), got blank",
    ),
    (
        "reduction outside the term",
        lambda: u.EQL_CAP("2002-04-15", None, C, [["2004-05-01", 1e6]]),
        "#VALUE! reductions row 1: date must be inside the term (2002-04-01 .. 2004-03-31), got 2004-05-01",
    ),
    (
        "reduction of four columns",
        lambda: u.EQL_CAP("2002-04-15", None, C, [["2002-05-01", 1, 2, 3]]),
        "#VALUE! reductions: must have 2 or 3 columns (date, [third-party financing,] amount elected), got 4",
    ),
    (
        "zero reduction",
        lambda: u.EQL_CAP_DETAIL("2002-04-15", None, C, [["2002-05-01", 0]]),
        "#VALUE! reductions row 1: amount elected must be positive, got 0",
    ),
    (
        "unknown milestone",
        lambda: u.EQL_STATUS("2002-04-15", [["LICENCE", "2002-01-01"]]),
        "#VALUE! milestones row 1: key must be one of CEO_CHANGE, MAC, POLYMER_265, SAMPLES_30, LICENSE, MFG_420, got 'LICENCE'",
    ),
    (
        "milestone twice",
        lambda: u.EQL_STATUS("2002-04-15", [["MAC", "2002-05-01"], ["MAC", "2002-06-01"]]),
        "#VALUE! milestones: MAC is given twice, as 2002-05-01 and 2002-06-01",
    ),
    (
        "milestone text date",
        lambda: u.EQL_STATUS("2002-04-15", [["MAC", "someday"]]),
        "#VALUE! milestones row 1: MAC date must be a date (YYYY-MM-DD), got 'someday'",
    ),
    (
        "check negative amount",
        lambda: u.EQL_CHECK("2002-04-15", -5, None, C, M),
        "#VALUE! amount must be positive, got -5",
    ),
    (
        "check NaN amount",
        lambda: u.EQL_CHECK("2002-04-15", math.nan, None, C, M),
        "#VALUE! amount must be a finite number, got nan",
    ),
    (
        "check outside the term",
        lambda: u.EQL_CHECK("2004-04-15", 5, None, C, M),
        "BLOCKED: outside the term (2002-04-01 .. 2004-03-31)",
    ),
    (
        "status outside the term",
        lambda: u.EQL_STATUS("2002-03-31", M),
        "BLOCKED: outside the term (2002-04-01 .. 2004-03-31)",
    ),
    (
        "nested range",
        lambda: u.EQL_PRICE("2002-04-02", [P, 1]),
        "#VALUE! prices: mixes rows and single cells",
    ),
]


@pytest.mark.parametrize(("call", "expected"), [pytest.param(c, e, id=i) for i, c, e in CASES])
def test_bad_input_gives_cell_text(call: Callable[[], object], expected: str) -> None:
    assert call() == expected


def test_an_unexpected_failure_is_still_cell_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(functions.PRICE_RANGES, "history", broken)
    result = u.EQL_PRICE("2002-04-02", P)
    assert (
        result
        == "#VALUE! EQL_PRICE could not evaluate this input (ZeroDivisionError: division by zero)"
    )
