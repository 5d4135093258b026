"""The bad-input corpus: every EQL_ function and every command, fed what a spreadsheet or a user
can hand over. Nothing raises, no traceback is shown, and every result is either the right answer
(worked by hand below) or ``#`` text naming the input and the problem.

Scalar cases come from tests/resources/bad_inputs_scalars.csv, tried in every function that takes
such an argument; range, terms and command cases are listed here, each with why it is here.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import json
import math
import zipfile
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from eql import udfs as u
from eql.cli import main
from eql.errors import CELL_TEXT_LIMIT
from eql.functions import FUNCTIONS as DECLARED
from eql.ledger import ScheduleColumn as Col
from eql_command import eql
from ledger_fixtures import correct_ledger

RESOURCES = Path(__file__).parent / "resources"
ROOT = Path(__file__).parents[1]

# The worked example of 2002-04-02: sessions 03-25 .. 03-28 and 04-01 (Good Friday closed),
# closes averaging 2.50, price 2.125; 5,000,000 buys 2,352,941 shares.
P: list[list[Any]] = [
    ["2002-03-25", 2.40],
    ["2002-03-26", 2.50],
    ["2002-03-27", 2.60],
    ["2002-03-28", 2.45],
    ["2002-04-01", 2.55],
]
C: list[list[Any]] = [["FY2003 Q1", 6e6], ["FY2003 Q2", 4e6], ["FY2003 Q3", 4e6]]
M: list[list[Any]] = [["POLYMER_265", "2002-08-20"], ["SAMPLES_30", "2002-09-25"]]
D: list[list[Any]] = [["2002-04-15", 1e6]]  # 1M funded in term quarter 1
SESSIONS = [dt.datetime(2002, 3, day) for day in (25, 26, 27, 28)] + [dt.datetime(2002, 4, 1)]


# Each function with valid arguments and the right answer for them, worked by hand:
# on 2002-05-01 after 1M on 04-15 the quarter leaves 4M (cash used 6M - 1M, total 29M);
# (ii) needs POLYMER_265 and SAMPLES_30 after 2002-09-30, both reached.
def cap_detail_cap(table: Any) -> Any:
    return table[-1][3] if isinstance(table, list) else table


def schedule_funded(table: Any) -> Any:
    return [row[Col.FUNDED.index] for row in table[1:]] if isinstance(table, list) else table


SHARE_ROOM_ARGUMENTS: dict[str, Any] = {
    "day": "2024-07-15",
    "issued": [["2024-06-03", 100000, 0]],
    "outstanding": [["2024-05-31", 2e7]],
    "holdings": [["2024-07-01", 1.8e6]],
    "terms": [["facility", "lincoln_park"]],
}
WORKED: dict[str, tuple[Callable[..., Any], dict[str, Any], Any, Callable[[Any], Any]]] = {
    "EQL_PRICE": (u.EQL_PRICE, {"purchase_date": "2002-04-02", "prices": P}, 2.125, lambda r: r),
    "EQL_AVG_CLOSE": (
        u.EQL_AVG_CLOSE,
        {"purchase_date": "2002-04-02", "prices": P},
        2.5,
        lambda r: r,
    ),
    "EQL_PRICING_DATES": (
        u.EQL_PRICING_DATES,
        {"purchase_date": "2002-04-02"},
        [[day] for day in SESSIONS],
        lambda r: r,
    ),
    "EQL_SHARES": (u.EQL_SHARES, {"amount": 5e6, "price": 2.125}, 2_352_941, lambda r: r),
    # 5,000,000 / 2.125 = 2,352,941.18: 2,352,941 whole shares.
    "EQL_DRAW_SHARES": (
        u.EQL_DRAW_SHARES,
        {"purchase_date": "2002-04-02", "amount": 5e6, "prices": P},
        2_352_941,
        lambda r: r,
    ),
    "EQL_FISCAL_QUARTER": (u.EQL_FISCAL_QUARTER, {"day": "2002-04-02"}, "FY2003 Q1", lambda r: r),
    "EQL_TERM_QUARTER": (u.EQL_TERM_QUARTER, {"day": "2002-04-02"}, 1, lambda r: r),
    "EQL_CAP": (
        u.EQL_CAP,
        {"draw_date": "2002-05-01", "draws": D, "cash_used": C, "reductions": None},
        4e6,
        lambda r: r,
    ),
    "EQL_CAP_DETAIL": (
        u.EQL_CAP_DETAIL,
        {"draw_date": "2002-05-01", "draws": D, "cash_used": C, "reductions": None},
        4e6,
        cap_detail_cap,
    ),
    "EQL_STATUS": (
        u.EQL_STATUS,
        {"funding_date": "2002-10-01", "milestones": M},
        "OK",
        lambda r: r,
    ),
    "EQL_CHECK": (
        u.EQL_CHECK,
        {
            "funding_date": "2002-05-01",
            "amount": 1e6,
            "draws": D,
            "cash_used": C,
            "milestones": M,
            "reductions": None,
        },
        "OK",
        lambda r: r,
    ),
    # 1M on 2002-04-02 at 2.125: 470,588 shares, funded in full.
    "EQL_SCHEDULE": (
        u.EQL_SCHEDULE,
        {"draws": [["2002-04-02", 1e6]], "prices": P, "cash_used": C, "milestones": M},
        [1e6],
        schedule_funded,
    ),
    # share_room.csv, lp-minimum-price-met without its price: the exchange cap leaves 3,898,000
    # (the minimum-price exception is not counted without a price), the ownership cap 231,074.
    "EQL_SHARE_ROOM": (
        u.EQL_SHARE_ROOM,
        SHARE_ROOM_ARGUMENTS,
        231_074,
        lambda r: r,
    ),
    "EQL_SHARE_ROOM_DETAIL": (
        u.EQL_SHARE_ROOM_DETAIL,
        SHARE_ROOM_ARGUMENTS,
        231_074,
        lambda r: r[-1][4] if isinstance(r, list) else r,
    ),
    # lincoln_park.toml: 100,000 shares a purchase while the purchase date's close is under
    # $3.00; the close of 2024-07-08 is 1.24.
    "EQL_MAX_SHARES": (
        u.EQL_MAX_SHARES,
        {
            "purchase_date": "2024-07-08",
            "prices": [["2024-07-08", 1.24]],
            "terms": [["facility", "lincoln_park"]],
        },
        100_000,
        lambda r: r,
    ),
}
# Every declared function, in the registry's order: one declared without a worked call above
# stops the collection of this file with its name.
FUNCTIONS = {name: WORKED[name] for name in DECLARED}
DATE_ARGUMENTS = ("purchase_date", "day", "draw_date", "funding_date")
AMOUNT_ARGUMENTS = ("amount", "price")


def call(name: str, **changes: Any) -> Any:
    """The function called as Excel calls it: every argument by position, omitted ones blank."""
    function, arguments, _, _ = FUNCTIONS[name]
    given = {**arguments, **changes}
    order = inspect.signature(function).parameters
    return function(*(given.get(parameter) for parameter in order))


def decode(token: str) -> Any:
    kind, _, text = token.partition(":")
    simple = {"blank": None, "empty": "", "spaces": "   "}
    if token in simple:
        return simple[token]
    decoders: dict[str, Callable[[str], Any]] = {
        "text": str,
        "int": int,
        "float": float,
        "bool": lambda t: t == "TRUE",
        "range": json.loads,
        "datetime": dt.datetime.fromisoformat,
        "decimal": Decimal,
    }
    return decoders[kind](text)


def scalar_cases() -> list[Any]:
    with (RESOURCES / "bad_inputs_scalars.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    cases = []
    for row in rows:
        wanted = DATE_ARGUMENTS if row["kind"] == "date" else AMOUNT_ARGUMENTS
        for name, (_, arguments, _, _) in FUNCTIONS.items():
            for argument in arguments:
                if argument in wanted:
                    expected = f"{row['code']} {argument} {row['problem']}, got {row['shown']}"
                    cases.append(
                        pytest.param(
                            name,
                            argument,
                            row["value"],
                            expected,
                            id=f"{name}-{argument}-{row['value']}",
                        )
                    )
    return cases


SCALAR_CASES = scalar_cases()


@pytest.mark.parametrize(("name", "argument", "token", "expected"), SCALAR_CASES)
def test_a_bad_cell(name: str, argument: str, token: str, expected: str) -> None:
    assert call(name, **{argument: decode(token)}) == expected


# Ranges: (function, argument, value, expected text, why).
RANGE_CASES: list[tuple[str, str, Any, str, str]] = [
    (
        "EQL_PRICE",
        "prices",
        [],
        "#N/A no closing price for 2002-03-25 (pricing session 1 of 5)",
        "no prices at all",
    ),
    (
        "EQL_PRICE",
        "prices",
        None,
        "#N/A no closing price for 2002-03-25 (pricing session 1 of 5)",
        "a blank range",
    ),
    (
        "EQL_PRICE",
        "prices",
        P[:2] + P[3:],
        "#N/A no closing price for 2002-03-27 (pricing session 3 of 5)",
        "a session missing",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", None], *P[3:]],
        "#N/A no closing price for 2002-03-27 (pricing session 3 of 5)",
        "a blank close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", "#N/A"], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) is an Excel error, got '#N/A'",
        "an error close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", -2.6], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) must be positive, got -2.6",
        "a negative close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", 0], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) must be positive, got 0",
        "a zero close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", math.nan], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) must be a finite number, got nan",
        "a NaN close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", math.inf], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) must be a finite number, got inf",
        "an infinite close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", True], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) must be a number, got True",
        "a boolean close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P[:2], ["2002-03-27", "n/a"], *P[3:]],
        "#VALUE! close for 2002-03-27 (prices row 3) must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'n/a'",
        "a text close",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, ["2002-03-27", 2.7]],
        "#VALUE! two different closing prices for 2002-03-27: 2.6 and 2.7 (pricing session 3 of 5)",
        "a date twice, two closes",
    ),
    (
        "EQL_PRICE",
        "prices",
        [[*row, 1, 1, 1] for row in P],
        "#VALUE! prices: must have 2, 3 or 4 columns (date, price[, low[, volume]]), got 5",
        "five columns",
    ),
    (
        "EQL_PRICE",
        "prices",
        [[row[0]] for row in P],
        "#VALUE! prices: must have 2, 3 or 4 columns (date, price[, low[, volume]]), got 1",
        "one column",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, ["someday", 2.0]],
        "#VALUE! prices row 6: date must be a date (YYYY-MM-DD), got 'someday'",
        "a text date",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, [60, 2.0]],
        "#VALUE! prices row 6: date is Excel's nonexistent day 1900-02-29 (serial 60), got 60",
        "serial 60",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, [-3, 2.0]],
        "#VALUE! prices row 6: date must be a date between 1900-01-01 and 9999-12-31, got -3",
        "a negative serial",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, [True, 2.0]],
        "#VALUE! prices row 6: date must be a date, got True",
        "a boolean date",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, ["#REF!", 2.0]],
        "#VALUE! prices row 6: date is an Excel error, got '#REF!'",
        "an error date",
    ),
    (
        "EQL_PRICE",
        "prices",
        [*P, "2002-04-05"],
        "#VALUE! prices: mixes rows and single cells",
        "a ragged range",
    ),
    (
        "EQL_PRICE",
        "prices",
        2.5,
        "#VALUE! prices: must have 2, 3 or 4 columns (date, price[, low[, volume]]), got 1",
        "one cell",
    ),
    (
        "EQL_AVG_CLOSE",
        "prices",
        P[1:],
        "#N/A no closing price for 2002-03-25 (pricing session 1 of 5)",
        "the first session missing",
    ),
    (
        "EQL_AVG_CLOSE",
        "prices",
        [[row[0], str(row[1]) + "x"] for row in P],
        "#VALUE! close for 2002-03-25 (prices row 1) must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got '2.4x'",
        "closes with a typo",
    ),
    (
        "EQL_CAP",
        "draws",
        [["2002-04-15", -1e6]],
        "#VALUE! draws row 1: amount must not be negative, got -1000000",
        "a negative draw",
    ),
    (
        "EQL_CAP",
        "draws",
        [["2002-04-15", None]],
        "#VALUE! draws row 1: amount is required (a number), got blank",
        "a draw with no amount",
    ),
    (
        "EQL_CAP",
        "draws",
        [["2002-04-15", "#N/A"]],
        "#VALUE! draws row 1: amount is an Excel error, got '#N/A'",
        "an error amount",
    ),
    (
        "EQL_CAP",
        "draws",
        [["2002-04-15", math.nan]],
        "#VALUE! draws row 1: amount must be a finite number, got nan",
        "a NaN amount",
    ),
    (
        "EQL_CAP",
        "draws",
        [[None, 1e6]],
        "#VALUE! draws row 1: funding date is required (a date), got blank",
        "a draw with no date",
    ),
    (
        "EQL_CAP",
        "draws",
        [["2002-03-01", 1e6]],
        "#VALUE! draws row 1: funding date must be inside the term (2002-04-01 .. 2004-03-31), got 2002-03-01",
        "a draw before the term",
    ),
    (
        "EQL_CAP",
        "draws",
        [["2002-04-15", 1e6, "x"]],
        "#VALUE! draws: must have 2 columns (funding date, amount), got 3",
        "three columns",
    ),
    (
        "EQL_CAP_DETAIL",
        "draws",
        [["2002-04-15", True]],
        "#VALUE! draws row 1: amount must be a number, got True",
        "a boolean amount",
    ),
    (
        "EQL_CHECK",
        "draws",
        [["1899-12-31", 1e6]],
        "#VALUE! draws row 1: funding date must be a date between 1900-01-01 and 9999-12-31, got '1899-12-31'",
        "a date before 1900 as text",
    ),
    (
        "EQL_SCHEDULE",
        "draws",
        [["2002-04-02", -1]],
        "#VALUE! draws row 1: amount must not be negative, got -1",
        "a negative request",
    ),
    (
        "EQL_CAP",
        "cash_used",
        [],
        "#N/A no cash used in operations entered for FY2003 Q1, needed for condition (v) on 2002-05-01",
        "no cash used",
    ),
    (
        "EQL_CAP",
        "cash_used",
        [["FY2003 Q1", -5]],
        "#VALUE! cash_used row 1: cash used must not be negative (enter cash used as a positive number), got -5",
        "negative cash used",
    ),
    (
        "EQL_CAP",
        "cash_used",
        [["Q1 2003", 6e6]],
        "#VALUE! cash_used row 1: fiscal quarter is ambiguous (a calendar or a fiscal quarter?): write the fiscal quarter as 'FY2003 Q1', got 'Q1 2003'",
        "a calendar-style quarter, ambiguous for a fiscal year ending in March",
    ),
    (
        "EQL_CAP",
        "cash_used",
        [["FY2003 Q1", 6e6], ["FY2003 Q1", 5e6]],
        "#VALUE! cash_used: FY2003 Q1 is given twice, as 6,000,000 and 5,000,000",
        "a quarter twice",
    ),
    (
        "EQL_CAP_DETAIL",
        "cash_used",
        [["FY2003 Q1", "#DIV/0!"]],
        "#VALUE! cash_used row 1: cash used is an Excel error, got '#DIV/0!'",
        "an error amount",
    ),
    (
        "EQL_CHECK",
        "cash_used",
        [["FY2003 Q1", None]],
        "#VALUE! cash_used row 1: cash used is required (a number), got blank",
        "a blank amount: a quarter is a value, never a heading",
    ),
    (
        "EQL_PRICE",
        "prices",
        [["#N/A", "#N/A"], *P],
        "#VALUE! prices row 1: date is an Excel error, got '#N/A'",
        "a first row of errors is not a heading",
    ),
    (
        "EQL_SCHEDULE",
        "cash_used",
        [["FY2003 Q2", 6e6]],
        "#N/A no cash used in operations entered for FY2003 Q1, needed for condition (v) on 2002-04-02",
        "the draw's quarter missing",
    ),
    (
        "EQL_STATUS",
        "milestones",
        [["LICENCE", "2002-12-16"]],
        "#VALUE! milestones row 1: key must be one of CEO_CHANGE, MAC, POLYMER_265, SAMPLES_30, LICENSE, MFG_420, got 'LICENCE'",
        "a misspelled key",
    ),
    (
        "EQL_STATUS",
        "milestones",
        [["MAC", "2002-05-01"], ["MAC", "2002-06-01"]],
        "#VALUE! milestones: MAC is given twice, as 2002-05-01 and 2002-06-01",
        "a key twice",
    ),
    (
        "EQL_STATUS",
        "milestones",
        [["MAC", "someday"]],
        "#VALUE! milestones row 1: MAC date must be a date (YYYY-MM-DD), got 'someday'",
        "a text date",
    ),
    (
        "EQL_STATUS",
        "milestones",
        [["MAC", "#N/A"]],
        "#VALUE! milestones row 1: MAC date is an Excel error, got '#N/A'",
        "an error date",
    ),
    (
        "EQL_STATUS",
        "milestones",
        [["MAC", 60]],
        "#VALUE! milestones row 1: MAC date is Excel's nonexistent day 1900-02-29 (serial 60), got 60",
        "serial 60",
    ),
    (
        "EQL_STATUS",
        "milestones",
        [["MAC", "2002-05-01", "x"]],
        "#VALUE! milestones: must have 2 columns (key, date), got 3",
        "three columns",
    ),
    (
        "EQL_CHECK",
        "milestones",
        [[True, "2002-05-01"]],
        "#VALUE! milestones row 1: key must be one of CEO_CHANGE, MAC, POLYMER_265, SAMPLES_30, LICENSE, MFG_420, got True",
        "a boolean key",
    ),
    (
        "EQL_CAP",
        "reductions",
        [["2004-05-01", 1e6]],
        "#VALUE! reductions row 1: date must be inside the term (2002-04-01 .. 2004-03-31), got 2004-05-01",
        "after the term",
    ),
    (
        "EQL_CAP",
        "reductions",
        [["2002-05-01", 0]],
        "#VALUE! reductions row 1: amount elected must be positive, got 0",
        "a zero election",
    ),
    (
        "EQL_CAP",
        "reductions",
        [["2002-05-01", -1e6]],
        "#VALUE! reductions row 1: amount elected must be positive, got -1000000",
        "a negative election",
    ),
    (
        "EQL_CAP",
        "reductions",
        [["2002-05-01", 1, 2, 3]],
        "#VALUE! reductions: must have 2 or 3 columns (date, [third-party financing,] amount elected), got 4",
        "four columns",
    ),
    (
        "EQL_CAP_DETAIL",
        "reductions",
        [["2002-05-01", "#N/A", 1e6]],
        "#VALUE! reductions row 1: third-party financing is an Excel error, got '#N/A'",
        "an error amount",
    ),
    (
        "EQL_CHECK",
        "reductions",
        [[math.inf, 1e6]],
        "#VALUE! reductions row 1: date must be a date, got inf",
        "an infinite date",
    ),
    (
        "EQL_SCHEDULE",
        "reductions",
        [["2002-05-01", "lots"]],
        "#VALUE! reductions row 1: amount elected must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'lots'",
        "a text election",
    ),
]


@pytest.mark.parametrize(
    ("name", "argument", "value", "expected"),
    [pytest.param(*case[:4], id=f"{case[0]}-{case[4]}") for case in RANGE_CASES],
)
def test_a_bad_range(name: str, argument: str, value: Any, expected: str) -> None:
    assert call(name, **{argument: value}) == expected


# Terms ranges: each tried in every function, which all take one as their last argument.
TERMS_CASES: list[tuple[Any, str, str]] = [
    (
        [["pricing.factor", "abc"]],
        "#VALUE! terms: term pricing.factor must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'abc'",
        "a word for a number",
    ),
    (
        [["pricing.factr", "0.8"]],
        "#VALUE! terms: unknown term 'pricing.factr'; did you mean 'pricing.factor'?",
        "a misspelled name",
    ),
    (
        [["pricing.factor", "0.8", "x"]],
        "#VALUE! terms: must have 2 columns (name, value), got 3",
        "three columns",
    ),
    (
        [["pricing.factor", None]],
        "#VALUE! terms row 1: pricing.factor needs a value, got blank",
        "no value",
    ),
    ([[None, "0.8"]], "#VALUE! terms row 1: name is required, got blank", "no name"),
    (
        [["pricing.factor", -1]],
        "#VALUE! terms: pricing.factor must be a number more than 0 and at most 1 (85 % is 0.85), got -1",
        "a negative factor",
    ),
    (
        [["pricing.sessions", 0]],
        "#VALUE! terms: pricing.sessions must be a whole number from 1 to 250, got 0",
        "no sessions",
    ),
    ("pricing.factor", "#VALUE! terms: must have 2 columns (name, value), got 1", "one cell"),
]


@pytest.mark.parametrize(
    ("name", "terms", "expected"),
    [
        pytest.param(name, terms, expected, id=f"{name}-{why}")
        for terms, expected, why in TERMS_CASES
        for name in FUNCTIONS
    ],
)
def test_bad_terms(name: str, terms: Any, expected: str) -> None:
    assert call(name, terms=terms) == expected


# Inputs that look wrong but are right: the answer must be the hand-worked one.
HUGE = [[dt.datetime(1990, 1, 1) + dt.timedelta(days=n), 1.0] for n in range(40_000)]
RIGHT_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("EQL_PRICE", {"prices": P[::-1]}, "rows in reverse order"),
    ("EQL_PRICE", {"prices": [["date", "close"], *P]}, "a header row"),
    ("EQL_PRICE", {"prices": [P[0], [None, None], *P[1:], [None, None]]}, "blank rows"),
    ("EQL_PRICE", {"prices": [*P, *P]}, "every row twice, same closes"),
    ("EQL_PRICE", {"prices": [[dt.datetime.fromisoformat(d), c] for d, c in P]}, "date cells"),
    (
        "EQL_PRICE",
        {"prices": [[37340, 2.40], [37341, 2.50], [37342, 2.60], [37343, 2.45], [37347, 2.55]]},
        "serial dates",
    ),
    ("EQL_PRICE", {"prices": [[d, str(c)] for d, c in P]}, "closes as text"),
    (
        "EQL_PRICE",
        {
            "prices": [[d, c] for d, c in P if d != "2002-03-27"]
            + [["2002-03-27", 2.6]]
            + [r[:] for r in HUGE if r[0].year < 2002]
        },
        "a long history, unsorted",
    ),
    ("EQL_PRICE", {"purchase_date": dt.datetime(2002, 4, 2, 15, 30)}, "a date cell with a time"),
    ("EQL_PRICE", {"purchase_date": 37348}, "a serial number"),
    ("EQL_PRICE", {"purchase_date": 37348.75}, "a serial with a time of day"),
    ("EQL_PRICE", {"purchase_date": "2002-04-02T00:00:00"}, "ISO text with midnight"),
    ("EQL_PRICE", {"purchase_date": " 2002-04-02 "}, "ISO text with spaces"),
    ("EQL_SHARES", {"amount": "5,000,000"}, "an amount as text with commas"),
    ("EQL_SHARES", {"amount": "$5,000,000", "price": "2.125"}, "dollar signs"),
    ("EQL_SHARES", {"amount": 5e6, "price": 0.85 * 2.5}, "a price computed in floats (2.125)"),
    ("EQL_CAP", {"draws": [*D, ["2002-06-01", 0]]}, "a zero draw is one not funded"),
    ("EQL_CAP", {"draws": [*D, ["2002-05-02", 3e6]]}, "a later draw is ignored"),
    ("EQL_CAP", {"draws": [["funding date", "amount"], *D]}, "a header row"),
    (
        "EQL_CAP",
        {"cash_used": [["2002-04-01", 6e6], ["FY2003 Q2", 4e6]]},
        "a quarter given by a date in it",
    ),
    ("EQL_STATUS", {"milestones": [*M, ["LICENSE", None]]}, "a milestone not yet reached"),
    ("EQL_STATUS", {"milestones": [["key", "date"], *M]}, "a header row"),
    ("EQL_CHECK", {"milestones": [["polymer_265", "2002-08-20"]]}, "a key in lower case"),
    ("EQL_SCHEDULE", {"draws": [["2002-04-02", 1e6], [None, None]]}, "a blank row"),
]


@pytest.mark.parametrize(
    ("name", "changes"),
    [pytest.param(name, changes, id=f"{name}-{why}") for name, changes, why in RIGHT_CASES],
)
def test_right_despite_appearances(name: str, changes: dict[str, Any]) -> None:
    _, _, expected, pick = FUNCTIONS[name]
    assert pick(call(name, **changes)) == expected


def test_a_schedule_row_without_a_price() -> None:
    # A ledger row whose price cannot be set says why in its price cells; the others are computed.
    table = call("EQL_SCHEDULE", prices=P[:4])
    missing = "#N/A no closing price for 2002-04-01 (pricing session 5 of 5)"
    row = dict(zip(Col, table[1], strict=True))
    assert [row[Col.AVERAGE_CLOSE], row[Col.PRICE], row[Col.SHARES]] == [missing] * 3
    assert [row[Col.FUNDED], row[Col.STATUS]] == [1e6, "OK"]


def test_a_huge_range_of_prices_is_read() -> None:
    # 40,000 rows (1990 .. 2099), none of them for the pricing sessions but the five.
    history = [r for r in HUGE if not dt.datetime(2002, 3, 20) <= r[0] <= dt.datetime(2002, 4, 5)]
    assert u.EQL_PRICE("2002-04-02", [*history, *P]) == 2.125
    assert (
        u.EQL_PRICE("2002-04-02", history)
        == "#N/A no closing price for 2002-03-25 (pricing session 1 of 5)"
    )


# Commands: each bad invocation exits 2 with one line on stderr naming the problem.
def bad_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    files: dict[str, Path] = {}
    text = folder / "ledger.xlsx"
    text.write_text("Funding date,Amount\n2002-04-02,1000000\n", encoding="utf-8")
    files["text"] = text
    ods = folder / "ledger.ods"  # the mimetype part that opens every OpenDocument package
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    files["ods"] = ods
    empty = folder / "empty.xlsx"
    empty.write_bytes(b"")
    files["empty"] = empty
    legacy = folder / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    files["legacy"] = legacy
    good = correct_ledger(folder / "good.xlsx")
    files["good"] = good
    truncated = folder / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:1000])
    files["truncated"] = truncated
    laughs = folder / "laughs.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(laughs, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            target.writestr(member, data)
    files["laughs"] = laughs
    blank = folder / "blank.xlsx"
    openpyxl.Workbook().save(blank)
    files["blank"] = blank
    bad_prices = folder / "prices.csv"
    bad_prices.write_text("2002-03-25,2.40,2.30,100,7\n", encoding="utf-8")
    files["bad_prices"] = bad_prices
    binary = folder / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    files["binary"] = binary
    no_draws = folder / "no_draws"
    no_draws.mkdir(exist_ok=True)
    files["no_draws"] = no_draws
    bad_draws = folder / "bad_draws"
    bad_draws.mkdir(exist_ok=True)
    for name in ("prices", "cash_used", "milestones"):
        (bad_draws / f"{name}.csv").write_text("a,b\n", encoding="utf-8")
    (bad_draws / "draws.csv").write_text("funding_date,amount\n2002-04-02,-5\n", encoding="utf-8")
    files["bad_draws"] = bad_draws
    return files


COMMAND_CASES: list[tuple[list[str], str, str]] = [
    (
        ["check", "{text}"],
        "is a text file (CSV?), not an Excel workbook; open it in Excel or LibreOffice and save it as .xlsx",
        "a CSV named .xlsx",
    ),
    (
        ["check", "{ods}"],
        "is an OpenDocument spreadsheet (.ods), not an Excel workbook; save it as .xlsx",
        "a LibreOffice Calc file",
    ),
    (["check", "{empty}"], "is not an Excel workbook", "an empty file"),
    (
        ["check", "{legacy}"],
        "is an Excel 97-2003 (.xls) or a password-protected workbook",
        "an .xls file",
    ),
    (["check", "{truncated}"], "damaged zip", "a truncated download"),
    (["check", "{laughs}"], "declares a document type or XML entities", "expanding XML"),
    (["check", "{folder}/missing.xlsx"], "does not exist", "no such file"),
    (["check", "{folder}"], "is not a file", "a folder"),
    (
        ["check", "{blank}"],
        "no draw ledger found in any sheet ('Sheet')",
        "a workbook without a ledger",
    ),
    (
        ["check", "{good}", "--sheet", "Nope"],
        "no worksheet named 'Nope'",
        "a sheet that is not there",
    ),
    (
        ["check", "{good}", "--map", "date=B"],
        "--map must give the amount column",
        "a map without the amount",
    ),
    (
        ["check", "{good}", "--map", "date=B,amount=1"],
        "--map column must be a column letter such as B, got '1'",
        "a number for a column",
    ),
    (
        ["check", "{good}", "--map", "date=B,amount=ZZZZ"],
        "--map column must be a column letter such as B, got 'ZZZZ'",
        "past the last column",
    ),
    (
        ["check", "{good}", "--map", "date=B,amount=C,colour=D"],
        "--map takes FIELD=COLUMN pairs",
        "an unknown field",
    ),
    (
        ["check", "{good}", "--map", "date=F,amount=C"],
        "no row has a date in column F and an amount in column C",
        "a map that finds nothing",
    ),
    (
        ["check", "{good}", "--prices", "{bad_prices}"],
        "prices: must have 2, 3 or 4 columns (date, price[, low[, volume]]), got 5",
        "a prices file with a fifth column",
    ),
    (
        ["check", "{good}", "--prices", "{binary}"],
        "is UTF-16 text; save it as CSV UTF-8",
        "a prices file that starts with a UTF-16 byte order mark",
    ),
    (
        ["check", "{good}", "--prices", "{folder}/nope.csv"],
        "No such file or directory",
        "a prices file that is not there",
    ),
    (
        ["check", "{good}", "--terms", "{folder}/nope.toml"],
        "no terms file at",
        "a terms file that is not there",
    ),
    (
        ["check", "{good}", "--set", "pricing.factr=0.8"],
        "unknown term 'pricing.factr'",
        "a misspelled term",
    ),
    (
        ["check", "{good}", "--out", "{good}"],
        "is an input; eql never writes over its inputs",
        "the input as output",
    ),
    (
        ["check", "{good}", "--out", "{folder}/copy.csv"],
        "must end in .xlsx",
        "a copy with the wrong extension",
    ),
    (
        ["check", "{good}", "--out", "{folder}/nowhere/copy.xlsx"],
        "does not exist",
        "a copy into a missing folder",
    ),
    (
        ["schedule", "--inputs", "{folder}/nope"],
        "no workbook or folder at",
        "a missing inputs folder",
    ),
    (["schedule", "--inputs", "{no_draws}"], "no prices.csv in", "an empty inputs folder"),
    (
        ["schedule", "--inputs", "{bad_draws}"],
        "draws.csv line 2: amount must not be negative, got '-5'",
        "a negative draw request",
    ),
    (
        ["terms", "--set", "pricing.factor=abc"],
        "pricing.factor must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'abc'",
        "a bad override",
    ),
    (["terms", "--terms", "{binary}"], "terms:", "a terms file that is not TOML"),
]


def fill(argv: list[str], files: dict[str, Path], folder: Path) -> list[str]:
    names = {**{key: str(path) for key, path in files.items()}, "folder": str(folder)}
    return [arg.format(**names) for arg in argv]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [pytest.param(argv, fragment, id=why) for argv, fragment, why in COMMAND_CASES],
)
def test_a_bad_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    files = bad_files(tmp_path / "files")
    assert main(fill(argv, files, tmp_path / "files")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("eql: ")
    assert captured.err.count("\n") == 1, captured.err
    assert fragment in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("index", [0, 4, 7, 19])
def test_a_bad_command_in_a_subprocess(tmp_path: Path, index: int) -> None:
    argv, fragment, _ = COMMAND_CASES[index]
    files = bad_files(tmp_path / "files")
    result = eql(*fill(argv, files, tmp_path / "files"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("eql: ")
    assert fragment in result.stderr


def test_the_corpus_is_at_least_300_cases() -> None:
    total = (
        len(SCALAR_CASES)
        + len(RANGE_CASES)
        + len(TERMS_CASES) * len(FUNCTIONS)
        + len(RIGHT_CASES)
        + 2
        + len(COMMAND_CASES)
    )
    assert total >= 300, total


# Values a Python caller (or a converter) can hand over that Excel never does, and texts and
# numbers at the edges: each is tried in every argument of every function, in each cell of the
# first row of every range, and as the value of a few terms. Every result must be the right
# answer or "#" text that fits a cell; none the catch-all "could not evaluate", a number no cell
# holds, or an exception.
ODD_VALUES: list[Any] = [
    np.float64(2.125),
    np.int64(37348),
    np.float32(2.5),
    np.bool_(True),
    np.datetime64("2002-04-02"),
    pd.NaT,
    pd.Timestamp("2002-04-02"),
    pd.Timestamp("2002-04-02", tz="UTC"),
    Decimal("sNaN"),
    Decimal("NaN"),
    Decimal("-Infinity"),
    Decimal("1e-400"),
    Decimal("-0"),
    Fraction(37348),
    Fraction(1, 3),
    dt.datetime(2002, 4, 2, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    dt.time(12),
    dt.timedelta(days=3),
    complex(1, 2),
    b"5",
    bytearray(b"5"),
    object(),
    {"a": 1},
    {1, 2},
    "x" * 100_000,
    "2,24",
    "1.000,50",
    "$$5$$",
    "_5_",
    "6,0",
    "(5)",
    "1e-400",
    "1e400",
    "sNaN",
    "\u0663",
    10**400,
    -(10**400),
    2**63,
    1.7976931348623157e308,
    5e-324,
    "9999-12-31",
    dt.datetime(9999, 12, 31),
    "FY10000 Q1",
    "FY0000 Q1",
    ["2002-04-02"],
    [[1, 2], [3]],
    [[[1]]],
]
ODD_TERMS = ("pricing.factor", "pricing.sessions", "facility.term_end", "shares.rounding")


def _unusable(result: Any) -> str | None:
    """Why a result is not one a cell can show as eql means it, or None."""
    if isinstance(result, list):
        return next((why for row in result for cell in row if (why := _unusable(cell))), None)
    if isinstance(result, str):
        if "could not evaluate" in result:
            return "the catch-all"
        if len(result) > CELL_TEXT_LIMIT:
            return f"{len(result):,} characters"
        return None
    if isinstance(result, bool) or result is None or isinstance(result, dt.datetime):
        return None
    if isinstance(result, int) and abs(result) <= 10**15:
        return None
    if isinstance(result, float) and math.isfinite(result):
        return None
    return f"a {type(result).__name__} no cell holds"


def _odd_calls() -> list[tuple[str, str, dict[str, Any]]]:
    calls = []
    for name, (function, arguments, _, _) in FUNCTIONS.items():
        for index, value in enumerate(ODD_VALUES):
            for parameter in inspect.signature(function).parameters:
                given = arguments.get(parameter)
                if parameter == "terms":
                    calls.extend(
                        (name, f"terms {term} = odd value {index}", {"terms": [[term, value]]})
                        for term in ODD_TERMS
                    )
                elif isinstance(given, list) and given and isinstance(given[0], list):
                    for column in range(len(given[0])):
                        rows = [row[:] for row in given]
                        rows[0][column] = value
                        label = f"{parameter} row 1 column {column + 1} = odd value {index}"
                        calls.append((name, label, {parameter: rows}))
                else:
                    calls.append((name, f"{parameter} = odd value {index}", {parameter: value}))
    return calls


def test_no_odd_value_reaches_the_catch_all() -> None:
    found = []
    calls = _odd_calls()
    for name, label, changes in calls:  # the kept price ranges carry over, as in Excel
        try:
            why = _unusable(call(name, **changes))
        except Exception as error:
            why = f"raised {type(error).__name__}"
        if why:
            found.append(f"{name} {label}: {why}")
    assert len(calls) > 2_000
    assert found == []
