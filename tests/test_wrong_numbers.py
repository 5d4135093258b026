"""Inputs that once gave a believable wrong number, or a vague one: each now gives the number a US
spreadsheet would read, or a message naming the input and what is wrong with it.

Expected values are worked by hand: the example of 2002-04-02 (closes 2.40, 2.50, 2.60, 2.45, 2.55
on the sessions 2002-03-25 .. 03-28 and 04-01, Good Friday closed: mean 2.50, price 85 % = 2.125),
and Excel's 1900 serial numbers (37340 = 2002-03-25).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest

from eql import functions
from eql import udfs as u
from eql.errors import CELL_TEXT_LIMIT, InputError, TermsError
from eql.terms import default_terms
from eql.values import parse_decimal

DAYS = ["2002-03-25", "2002-03-26", "2002-03-27", "2002-03-28", "2002-04-01"]
SERIALS = [37340, 37341, 37342, 37343, 37347]
CLOSES = [2.40, 2.50, 2.60, 2.45, 2.55]
P: list[list[Any]] = [[day, close] for day, close in zip(DAYS, CLOSES, strict=True)]
CASH: list[list[Any]] = [["FY2003 Q1", 6e6]]
NUMBER = "must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6)"
TOO_SMALL = "is too small for a spreadsheet cell (the smallest is 2.2251E-308)"


@pytest.fixture(autouse=True)
def _nothing_kept() -> Any:
    functions.PRICE_RANGES.clear()
    yield
    functions.PRICE_RANGES.clear()


# --- numeric text as a US spreadsheet reads it -------------------------------------------------

READ = [
    ("1,000,000", Decimal(1_000_000)),
    ("$5,000,000", Decimal(5_000_000)),
    ("$5,000,000.50", Decimal("5000000.50")),
    ("85%", Decimal("0.85")),
    ("12.5 %", Decimal("0.125")),
    ("5E6", Decimal(5_000_000)),
    ("2.5e-3", Decimal("0.0025")),
    ("-5", Decimal(-5)),
    ("+5", Decimal(5)),
    ("-$5", Decimal(-5)),
    ("$-5", Decimal(-5)),
    ("(5)", Decimal(-5)),  # accounting parentheses: Excel reads typed (5) as -5
    ("($1,250.50)", Decimal("-1250.50")),
    (".5", Decimal("0.5")),
    ("5.", Decimal(5)),
    (" 2.24 ", Decimal("2.24")),
]
REFUSED = [
    "2,24",  # a decimal comma (European): was read as 224
    "1.000,50",  # European thousands and decimals: was read as 1.0005
    "$$5$$",  # was read as 5
    "_5_",  # was read as 5
    "6,0",  # was read as 60
    "1,00,000",  # grouping not in threes
    "1_000",  # Python's separator, no spreadsheet's
    "5$",
    "%5",
    "5%%",
    "--5",
    "-(5)",
    "(5",
    "1,000E3",  # an exponent with separators
    "$5%",
    "Infinity",
    "NaN",
    "sNaN",
    "0x10",
    "\u0663",  # an Arabic-Indic digit three
    "5 5",
]


@pytest.mark.parametrize(("text", "number"), READ)
def test_numeric_text_read_as_a_us_spreadsheet_does(text: str, number: Decimal) -> None:
    assert parse_decimal(text, "amount") == number


@pytest.mark.parametrize("text", REFUSED)
def test_other_numeric_text_is_refused_naming_it(text: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_decimal(text, "amount")
    assert str(refused.value) == f"amount {NUMBER}, got {text!r}"


def test_malformed_numbers_never_reach_an_answer() -> None:
    # A cash used of "6,0" was 60, so the cap on 2002-05-01 was 60.
    assert (
        u.EQL_CAP("2002-05-01", None, [["FY2003 Q1", "6,0"]])
        == f"#VALUE! cash_used row 1: cash used {NUMBER}, got '6,0'"
    )
    assert (
        u.EQL_PRICE("2002-04-02", [[DAYS[0], "2,40"], *P[1:]])
        == f"#VALUE! close for 2002-03-25 (prices row 1) {NUMBER}, got '2,40'"
    )
    assert u.EQL_SHARES("$$5,000,000$$", 2.125) == f"#VALUE! amount {NUMBER}, got '$$5,000,000$$'"
    # 5,000,000 / 2.125 = 2,352,941.17...: 2,352,941 shares, whichever way the amount is typed.
    assert u.EQL_SHARES("$5,000,000", "2.125") == 2_352_941
    assert u.EQL_SHARES("5E6", 2.125) == 2_352_941


# --- a garbled first row is an error, not a heading ---------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(
            lambda: u.EQL_CAP("2002-05-01", [["15/04/2002", "1.000.000"]], CASH),
            "#VALUE! draws row 1: funding date must be a date (YYYY-MM-DD), got '15/04/2002'",
            id="draws",  # was 5,000,000: the draw vanished as a heading
        ),
        pytest.param(
            lambda: u.EQL_CAP("2002-05-01", None, CASH, [["01/05/2002", "1.000.000"]]),
            "#VALUE! reductions row 1: date must be a date (YYYY-MM-DD), got '01/05/2002'",
            id="reductions",
        ),
        pytest.param(
            lambda: u.EQL_CAP("2002-05-01", [["15-Apr-2002", "1m"]], CASH),
            "#VALUE! draws row 1: funding date must be a date (YYYY-MM-DD), got '15-Apr-2002'",
            id="draws, a date with a month name",
        ),
        pytest.param(
            lambda: u.EQL_STATUS(
                "2002-10-01", [["POLYMER 265", "20/08/2002"], ["SAMPLES_30", "2002-09-25"]]
            ),
            "#VALUE! milestones row 1: key must be one of CEO_CHANGE, MAC, POLYMER_265, "
            "SAMPLES_30, LICENSE, MFG_420, got 'POLYMER 265'",
            id="milestones",
        ),
        pytest.param(
            lambda: u.EQL_PRICE("2002-04-02", [["25/03/2002", "2,40"], *P[1:]]),
            "#VALUE! prices row 1: date must be a date (YYYY-MM-DD), got '25/03/2002'",
            id="prices",
        ),
        pytest.param(
            lambda: u.EQL_CAP("2002-05-01", None, [["FY2003 Q1", "6.000.000"]]),
            f"#VALUE! cash_used row 1: cash used {NUMBER}, got '6.000.000'",
            id="cash used",
        ),
    ],
)
def test_a_garbled_first_row_is_reported(call: Any, expected: str) -> None:
    assert call() == expected


def test_a_row_of_headings_is_still_skipped() -> None:
    # Quarter room 5,000,000 less 1,000,000 funded on 2002-04-15: 4,000,000.
    draws = [["Funding date", "Amount ($)"], ["2002-04-15", "1,000,000"]]
    assert u.EQL_CAP("2002-05-01", draws, [["Fiscal quarter", "Cash used"], *CASH]) == 4e6
    assert u.EQL_PRICE("2002-04-02", [["Trade date", "Close"], *P]) == 2.125


# --- what was called before never changes an answer ---------------------------------------------

SAME_DATES = {
    "int": SERIALS,
    "float": [float(s) for s in SERIALS],
    "Fraction": [Fraction(s) for s in SERIALS],
    "Decimal": [Decimal(s) for s in SERIALS],
    "numpy int64": [np.int64(s) for s in SERIALS],
    "numpy float64": [np.float64(s) for s in SERIALS],
    "date cells": [dt.datetime.fromisoformat(day) for day in DAYS],
}


@pytest.mark.parametrize("first", list(SAME_DATES))
@pytest.mark.parametrize("second", list(SAME_DATES))
def test_equal_serials_of_any_type_price_alike_in_any_order(first: str, second: str) -> None:
    for kind in (first, second):
        rows = [[day, close] for day, close in zip(SAME_DATES[kind], CLOSES, strict=True)]
        assert u.EQL_PRICE("2002-04-02", rows) == 2.125


def test_a_time_zone_is_refused_before_and_after_the_same_naive_dates() -> None:
    zone = dt.timezone(dt.timedelta(hours=5))
    aware = [[dt.datetime.fromisoformat(day).replace(tzinfo=zone), c] for day, c in P]
    naive = [[dt.datetime.fromisoformat(day), c] for day, c in P]
    refused = (
        "#VALUE! prices row 1: date must be a date without a time zone, "
        "got 2002-03-25 00:00:00+05:00"
    )
    assert u.EQL_PRICE("2002-04-02", aware) == refused
    assert u.EQL_PRICE("2002-04-02", naive) == 2.125
    assert u.EQL_PRICE("2002-04-02", aware) == refused


def test_true_is_not_one_in_the_terms_before_or_after_one() -> None:
    refused = "#VALUE! terms: term pricing.sessions must be a number, got True"
    assert u.EQL_PRICE("2002-04-02", P, [["pricing.sessions", True]]) == refused
    # One session: the close of 2002-04-01, 2.55; 85 % is 2.1675.
    assert u.EQL_PRICE("2002-04-02", P, [["pricing.sessions", 1]]) == 2.1675
    assert u.EQL_PRICE("2002-04-02", P, [["pricing.sessions", True]]) == refused


def test_serial_one_and_true_never_share_a_parse() -> None:
    rows = [*P, [1, 9.0]]
    assert u.EQL_PRICE("2002-04-02", rows) == 2.125
    assert u.EQL_PRICE("2002-04-02", [*P, [True, 9.0]]) == (
        "#VALUE! prices row 6: date must be a date, got True"
    )


def test_a_cell_that_refuses_comparison_leaves_the_kept_ranges_working() -> None:
    # A signaling NaN raises when compared: the kept ranges are searched without comparing it.
    signaling = [*P[:4], [DAYS[4], Decimal("sNaN")]]
    refused = "#VALUE! close for 2002-04-01 (prices row 5) must be a finite number, got sNaN"
    for _ in range(2):
        assert u.EQL_PRICE("2002-04-02", signaling) == refused
        assert u.EQL_PRICE("2002-04-02", [row[:] for row in P]) == 2.125


# --- a term given twice -------------------------------------------------------------------------


def test_a_term_given_twice_is_refused_naming_both_rows() -> None:
    terms = [
        ["name", "value"],
        ["pricing.factor", 0.8],
        ["pricing.sessions", 5],
        ["pricing.factor", 0.9],
    ]
    assert (
        u.EQL_PRICE("2002-04-02", P, terms)
        == "#VALUE! terms: 'pricing.factor' is given twice, in rows 2 and 4"
    )
    with pytest.raises(TermsError, match=r"term 'pricing\.factor' is given twice"):
        default_terms().with_overrides([("pricing.factor", "0.8"), ("pricing.factor", "0.9")])


# --- numbers no cell can hold -------------------------------------------------------------------


def test_numbers_no_cell_holds_are_refused() -> None:
    tiny = [[DAYS[0], "1e-400"], *P[1:]]
    assert (
        u.EQL_PRICE("2002-04-02", tiny)
        == f"#VALUE! close for 2002-03-25 (prices row 1) {TOO_SMALL}, got '1e-400'"
    )
    assert u.EQL_SHARES(5e6, "1e-400") == f"#VALUE! price {TOO_SMALL}, got '1e-400'"
    assert u.EQL_SHARES(5e6, Decimal("1e-400")) == f"#VALUE! price {TOO_SMALL}, got 1E-400"
    assert u.EQL_SHARES(5e6, 5e-324) == f"#VALUE! price {TOO_SMALL}, got 5e-324"
    assert u.EQL_SHARES(10**400, 2.125) == (
        "#VALUE! amount is too large (at most 1E+15), got 10000000000000000000... (401 digits)"
    )


def test_a_result_no_cell_holds_is_refused() -> None:
    # 5,000,000 at 1E-300 is 5E+306 shares: no cell holds that count exactly.
    assert u.EQL_SHARES(5e6, 1e-300) == (
        "#NUM! the share count for 5000000 at 1E-300 would be 50000000000000000000... "
        "(307 digits), more than a spreadsheet cell holds exactly (at most 1E+15)"
    )
    # 1E+15 at 1 is the most a cell holds exactly; 1E+15 at 0.5 would be 2E+15 shares.
    assert u.EQL_SHARES(1e15, 1) == 10**15
    assert isinstance(u.EQL_SHARES(1e15, 0.5), str)
    # Closes of 2.3E-308: the mean is a number a cell holds, 85 % of it is not.
    low = [[day, 2.3e-308] for day in DAYS]
    assert u.EQL_AVG_CLOSE("2002-04-02", low) == 2.3e-308
    assert u.EQL_PRICE("2002-04-02", low) == (
        "#NUM! the result would be 1.955E-308, nearer zero than a spreadsheet cell holds "
        "(2.2251E-308)"
    )


# --- every message names the input and fits a cell ----------------------------------------------


def test_a_whole_column_as_a_date_gives_a_short_message() -> None:
    column = [[37348.0]] * 1_048_576  # a whole column of Excel, passed where one cell is wanted
    got = u.EQL_PRICE(column, P)
    assert got == "#VALUE! purchase_date must be a date, got a range of 1,048,576 rows"


def test_a_long_text_is_shown_by_its_start_and_size() -> None:
    got = u.EQL_FISCAL_QUARTER("x" * 100_000)
    assert got == (
        "#VALUE! day must be a date (YYYY-MM-DD), got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
        " (100,000 characters)"
    )
    assert len(u.EQL_PRICE("2002-04-02", P, [["y" * 100_000, 1]])) <= CELL_TEXT_LIMIT


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(
            lambda: u.EQL_PRICE("2002-04-02", [[d, np.float64(c)] for d, c in P]),
            2.125,
            id="NumPy closes",
        ),
        pytest.param(
            lambda: u.EQL_PRICE(pd.NaT, P),
            "#VALUE! purchase_date must be a date, got NaT (pandas NaTType)",
            id="pandas NaT",
        ),
        pytest.param(
            lambda: u.EQL_PRICE(pd.Timestamp("2002-04-02"), P), 2.125, id="pandas Timestamp"
        ),
        pytest.param(
            lambda: u.EQL_SHARES(Decimal("sNaN"), 2.125),
            "#VALUE! amount must be a finite number, got sNaN",
            id="signaling NaN",
        ),
        pytest.param(
            lambda: u.EQL_SHARES(np.bool_(True), 2.125),
            "#VALUE! amount must be a number, got True (numpy bool)",
            id="NumPy truth value",
        ),
        pytest.param(
            lambda: u.EQL_FISCAL_QUARTER("9999-12-31"),
            "#NUM! 9999-12-31 falls in fiscal year FY10000, which ends after 9999-12-31, "
            "the last date a spreadsheet holds",
            id="fiscal year 10000",
        ),
        pytest.param(
            lambda: u.EQL_FISCAL_QUARTER("9999-03-31"), "FY9999 Q4", id="the last fiscal quarter"
        ),
        pytest.param(
            lambda: u.EQL_CAP("2002-05-01", None, [["FY0000 Q1", 6e6]]),
            "#VALUE! cash_used row 1: fiscal quarter must be a fiscal year from FY1900 to FY9999, "
            "got 'FY0000 Q1'",
            id="fiscal year 0",
        ),
        pytest.param(
            lambda: u.EQL_TERM_QUARTER("9999-12-31", [["facility.term_end", "9999-12-31"]]),
            # December 9999 is 7,997 x 12 + 8 = 95,972 months after April 2002: 95,972 // 3 + 1.
            31_991,
            id="a term to 9999-12-31",
        ),
        pytest.param(
            lambda: u.EQL_STATUS("2002-10-01", [[["POLYMER_265"], "2002-08-20"]]),
            "#VALUE! milestones row 1: key must be one of CEO_CHANGE, MAC, POLYMER_265, "
            "SAMPLES_30, LICENSE, MFG_420, got ['POLYMER_265']",
            id="a range as a milestone key",
        ),
        pytest.param(
            lambda: u.EQL_CAP("2002-05-01", [["2002-04-15", 10**400]], CASH),
            "#VALUE! draws row 1: amount is too large (at most 1E+15), "
            "got 10000000000000000000... (401 digits)",
            id="a huge integer",
        ),
    ],
)
def test_odd_values_get_an_answer_or_a_named_message(call: Any, expected: Any) -> None:
    assert call() == expected
