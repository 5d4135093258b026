"""The Excel functions called exactly as Excel, through xlwings, passes values.

Excel hands a UDF: dates as naive midnight ``datetime.datetime`` (or as serial numbers in float
when the cell is formatted as a number), text as ``str``, every number as ``float``, a blank cell
as ``None``, a range as a list of rows, and a single cell as a bare scalar.  Ranges arrive in the
order the sheet holds them, header rows included, with blank rows at the end of a whole-column
range.  Expected values here are the hand-worked ones from tests/resources (the row is named in
each test); they are typed in, never computed by eql code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from eql import udfs

# Excel serial numbers (1900 date system; 37347 = 2002-04-01), worked from 37347 by day counts.
SERIAL = {
    "2002-03-22": 37337.0,
    "2002-03-25": 37340.0,
    "2002-03-26": 37341.0,
    "2002-03-27": 37342.0,
    "2002-03-28": 37343.0,
    "2002-04-01": 37347.0,
    "2002-04-02": 37348.0,
    "2002-04-15": 37361.0,
    "2002-07-08": 37445.0,
    "2002-07-15": 37452.0,
    "2002-09-01": 37500.0,
    "2002-09-30": 37529.0,
    "2002-10-01": 37530.0,
    "2002-10-10": 37539.0,
    "2002-11-15": 37575.0,
    "2002-12-01": 37591.0,
    "2003-01-01": 37622.0,
    "2003-04-15": 37726.0,
    "2004-03-31": 38077.0,
    "2004-04-01": 38078.0,
}

# pricing.csv row 2002-04-02: closes 2.40, 2.50, 2.60, 2.45, 2.55 -> mean 2.5, price 2.125.
APR2_SESSIONS = ["2002-03-25", "2002-03-26", "2002-03-27", "2002-03-28", "2002-04-01"]
APR2_CLOSES = [2.40, 2.50, 2.60, 2.45, 2.55]

STD_CASH = [
    ["FY2003 Q1", 6000000.0],
    ["FY2003 Q2", 4000000.0],
    ["FY2003 Q3", 4000000.0],
    ["FY2003 Q4", 4000000.0],
    ["FY2004 Q1", 8000000.0],
]


def xl_day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def blank_rows(n: int, width: int = 2) -> list[list[None]]:
    return [[None] * width for _ in range(n)]


def assert_error(result: Any, prefix: str = "#") -> None:
    assert isinstance(result, str), f"expected error text, got {result!r}"
    assert result.startswith(prefix), result


# --- dates in every form a cell can hold ---------------------------------------------------


def _apr2_prices(form: str) -> list[list[Any]]:
    def cell(d: str) -> Any:
        return {"datetime": xl_day(d), "serial": SERIAL[d], "text": d}[form]

    return [["Date", "Close"]] + [
        [cell(d), c] for d, c in zip(APR2_SESSIONS, APR2_CLOSES, strict=True)
    ]


@pytest.mark.parametrize(
    "purchase_date",
    [xl_day("2002-04-02"), 37348.0, "2002-04-02"],
    ids=["datetime", "serial", "iso-text"],
)
@pytest.mark.parametrize("form", ["datetime", "serial", "text"])
def test_price_date_forms(purchase_date: Any, form: str) -> None:
    assert udfs.EQL_PRICE(purchase_date, _apr2_prices(form)) == 2.125
    assert udfs.EQL_AVG_CLOSE(purchase_date, _apr2_prices(form)) == 2.5


def test_price_rows_unsorted_with_header_blanks_and_decoys() -> None:
    # The sheet keeps the newest close on top, a decoy on the purchase date itself and on the
    # session before the window, and the whole column selected (blank rows at the end).
    rows = [
        ["Date", "Close"],
        [xl_day("2002-04-02"), 9.99],
        [xl_day("2002-03-27"), 2.60],
        [xl_day("2002-04-01"), 2.55],
        [xl_day("2002-03-22"), 9.99],
        [xl_day("2002-03-28"), 2.45],
        [xl_day("2002-03-25"), 2.40],
        [xl_day("2002-03-26"), 2.50],
        *blank_rows(40),
    ]
    result = udfs.EQL_PRICE(xl_day("2002-04-02"), rows)
    assert isinstance(result, float)
    assert result == 2.125


def test_price_without_header_row() -> None:
    rows = [[xl_day(d), c] for d, c in zip(APR2_SESSIONS, APR2_CLOSES, strict=True)]
    assert udfs.EQL_PRICE(xl_day("2002-04-02"), rows) == 2.125


def test_price_terms_none_explicit() -> None:
    assert udfs.EQL_PRICE(xl_day("2002-04-02"), _apr2_prices("datetime"), None) == 2.125


def test_float_trap_through_the_sheet() -> None:
    # pricing.csv 2002-07-08 and shares.csv 1,904,000 / 1.904: the price cell feeds the shares
    # cell.  0.85 * 2.24 is 1.9040000000000001 in floats and 1904000 / that floors to 999,999.
    sessions = ["2002-06-28", "2002-07-01", "2002-07-02", "2002-07-03", "2002-07-05"]
    rows = [["Date", "Close"]] + [[xl_day(d), 2.24] for d in sessions]
    price = udfs.EQL_PRICE(xl_day("2002-07-08"), rows)
    assert price == 1.904
    shares = udfs.EQL_SHARES(1904000.0, price)
    assert type(shares) is int
    assert shares == 1000000


def test_pricing_dates_from_serial() -> None:
    result = udfs.EQL_PRICING_DATES(37347.0)
    assert isinstance(result, list)
    assert len(result) == 5
    for row in result:
        assert isinstance(row, list)
        assert len(row) == 1
        assert isinstance(row[0], dt.datetime)
        assert row[0].time() == dt.time(0, 0)
    assert [r[0].date().isoformat() for r in result] == [
        "2002-03-22",
        "2002-03-25",
        "2002-03-26",
        "2002-03-27",
        "2002-03-28",
    ]


def test_pricing_dates_from_text() -> None:
    result = udfs.EQL_PRICING_DATES("2001-09-17")
    assert [r[0].date().isoformat() for r in result] == [
        "2001-09-04",
        "2001-09-05",
        "2001-09-06",
        "2001-09-07",
        "2001-09-10",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (37347.0, "FY2003 Q1"),
        ("2002-04-01", "FY2003 Q1"),
        (xl_day("2002-04-01"), "FY2003 Q1"),
        (38077.0, "FY2004 Q4"),
        (38078.0, "FY2005 Q1"),
    ],
)
def test_fiscal_quarter_cell_forms(cell: Any, expected: str) -> None:
    assert udfs.EQL_FISCAL_QUARTER(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(37347.0, 1), ("2002-04-01", 1), (xl_day("2004-03-31"), 8), (38077.0, 8)],
)
def test_term_quarter_cell_forms(cell: Any, expected: int) -> None:
    result = udfs.EQL_TERM_QUARTER(cell)
    assert result == expected
    assert not isinstance(result, bool | str)


@pytest.mark.parametrize("cell", [38078.0, "2002-03-31", xl_day("2004-04-01")])
def test_term_quarter_outside(cell: Any) -> None:
    assert_error(udfs.EQL_TERM_QUARTER(cell))


# --- shares: numbers arrive as floats --------------------------------------------------------


def test_shares_float_cells() -> None:
    result = udfs.EQL_SHARES(5000000.0, 2.5)
    assert type(result) is int
    assert result == 2000000


def test_shares_naive_float_trap_cells() -> None:
    # shares.csv: 540000 / 0.54 is 999999.9999999999 in floats.
    assert udfs.EQL_SHARES(540000.0, 0.54) == 1000000


@pytest.mark.parametrize(
    ("amount", "price", "prefix"),
    [
        (-5.0, 2.5, "#VALUE!"),
        ("abc", 2.5, "#"),
        (None, 2.5, "#"),
        (5000000.0, None, "#"),
        (5000000.0, "n/a", "#"),
        (5000000.0, 0.0, "#"),
    ],
)
def test_shares_bad_cells(amount: Any, price: Any, prefix: str) -> None:
    assert_error(udfs.EQL_SHARES(amount, price), prefix)


# --- caps: draws ranges the way the sheet holds them ----------------------------------------

# caps.csv worked example: draw 2002-11-15, draws 5M 04-15, 5M 07-15, 1M 10-10 -> 2,000,000.


def test_cap_draws_header_unsorted_serial_and_blank_rows() -> None:
    draws = [
        ["Funding date", "Amount"],
        [SERIAL["2002-10-10"], 1000000.0],
        [SERIAL["2002-04-15"], 5000000.0],
        [SERIAL["2002-07-15"], 5000000.0],
        *blank_rows(20),
    ]
    cash = [["Fiscal quarter", "Cash used"], *STD_CASH, *blank_rows(5)]
    result = udfs.EQL_CAP(37575.0, draws, cash)
    assert isinstance(result, float)
    assert result == 2000000.0


def test_cap_draws_as_text_dates() -> None:
    draws = [["2002-07-15", 5000000.0], ["2002-10-10", 1000000.0], ["2002-04-15", 5000000.0]]
    assert udfs.EQL_CAP("2002-11-15", draws, STD_CASH, None, None) == 2000000.0


def test_cap_later_draw_in_unsorted_range_ignored() -> None:
    # caps.csv worked example: draw 2002-05-01, 2M on 05-02 is later and ignored -> 4,000,000.
    draws = [[xl_day("2002-05-02"), 2000000.0], [xl_day("2002-04-15"), 1000000.0]]
    assert udfs.EQL_CAP(xl_day("2002-05-01"), draws, STD_CASH) == 4000000.0


@pytest.mark.parametrize(
    "draws",
    [None, blank_rows(1), [["Funding date", "Amount"], *blank_rows(10)]],
    ids=["blank-cell", "blank-row", "header-only"],
)
def test_cap_no_draws_yet(draws: Any) -> None:
    # caps.csv: first day of the term -> quarter room 5M, cash 6M, total 30M.
    result = udfs.EQL_CAP(xl_day("2002-04-01"), draws, STD_CASH)
    assert isinstance(result, float)
    assert result == 5000000.0


@pytest.mark.parametrize(
    "reductions",
    [
        [[xl_day("2003-04-15"), 3000000.0]],
        [["Date", "Elected"], [SERIAL["2003-04-15"], 3000000.0]],
        [["Date", "Third-party financing", "Elected"], [xl_day("2003-04-15"), 10e6, 3e6]],
        [[xl_day("2003-04-15"), 3000000.0], *blank_rows(5)],
    ],
    ids=["one-row", "header", "three-columns", "blank-rows"],
)
def test_cap_reduction_ranges(reductions: Any) -> None:
    # caps.csv worked example: 25M funded, 3M elected on 2003-04-15 -> 30-25-3 = 2,000,000.
    draws = [
        [xl_day("2002-04-15"), 5e6],
        [xl_day("2002-07-15"), 5e6],
        [xl_day("2002-10-15"), 5e6],
        [xl_day("2003-01-15"), 5e6],
        [xl_day("2003-04-15"), 5e6],
    ]
    cash = [["FY2004 Q2", 20000000.0]]
    assert udfs.EQL_CAP(xl_day("2003-07-15"), draws, cash, reductions) == 2000000.0


@pytest.mark.parametrize("reductions", [None, blank_rows(1), blank_rows(3, 3)])
def test_cap_blank_reductions(reductions: Any) -> None:
    draws = [[xl_day("2002-04-15"), 5000000.0]]
    assert udfs.EQL_CAP(xl_day("2002-09-30"), draws, STD_CASH, reductions) == 4000000.0


@pytest.mark.parametrize("draw_date", [38078.0, "2002-03-31", xl_day("2004-04-01")])
def test_cap_outside_term_is_float_zero(draw_date: Any) -> None:
    result = udfs.EQL_CAP(draw_date, None, STD_CASH)
    assert isinstance(result, float)
    assert result == 0.0


def test_cap_detail_is_list_of_rows() -> None:
    draws = [["Funding date", "Amount"], [SERIAL["2002-04-15"], 5000000.0]]
    table = udfs.EQL_CAP_DETAIL(SERIAL["2002-09-30"], draws, STD_CASH)
    assert isinstance(table, list)
    assert all(isinstance(r, list) for r in table)
    assert "cash" in " ".join(str(c) for r in table for c in r).lower()


# --- conditions: milestones with blanks and mixed date forms ---------------------------------


def test_status_milestones_blank_dates_header_and_forms() -> None:
    milestones = [
        ["Milestone", "Date achieved"],
        ["CEO_CHANGE", None],
        ["MAC", None],
        ["POLYMER_265", SERIAL["2002-09-01"]],
        ["SAMPLES_30", "2002-09-01"],
        ["LICENSE", xl_day("2002-12-01")],
        ["MFG_420", None],
        *blank_rows(4),
    ]
    assert udfs.EQL_STATUS(SERIAL["2003-01-01"], milestones) == "OK"
    blocked = udfs.EQL_STATUS("2003-04-01", milestones)
    assert blocked.startswith("BLOCKED")
    assert "(iv)" in blocked
    for clause in ("(i)", "(ii)", "(iii)", "(vi)"):
        assert clause not in blocked


@pytest.mark.parametrize(
    "milestones",
    [None, blank_rows(1), [["Milestone", "Date"], *blank_rows(6)]],
    ids=["blank-cell", "blank-row", "header-only"],
)
def test_status_no_milestones(milestones: Any) -> None:
    assert udfs.EQL_STATUS(xl_day("2002-09-30"), milestones) == "OK"
    result = udfs.EQL_STATUS(SERIAL["2002-10-01"], milestones)
    assert result.startswith("BLOCKED")
    assert "(ii)" in result
    assert "(iii)" not in result


def test_status_outside_term_serial() -> None:
    result = udfs.EQL_STATUS(38078.0, None)
    assert result.startswith("BLOCKED")
    assert "outside the term" in result


def test_check_as_excel_calls_it() -> None:
    # checks.csv: 2002-10-01, 3.5M with 10M funded and no (ii) milestones -> (ii) and (v).
    draws = [["Funding date", "Amount"], ["2002-07-15", 5e6], [SERIAL["2002-04-15"], 5e6]]
    cash = [["Fiscal quarter", "Cash used"], *STD_CASH]
    milestones = [["Milestone", "Date"], ["POLYMER_265", None], ["SAMPLES_30", None]]
    result = udfs.EQL_CHECK(SERIAL["2002-10-01"], 3500000.0, draws, cash, milestones, None, None)
    assert isinstance(result, str)
    assert result != "OK"
    for clause in ("(ii)", "(v)"):
        assert clause in result
    for clause in ("(i)", "(iii)", "(iv)", "(vi)"):
        assert clause not in result
    ok = udfs.EQL_CHECK(
        SERIAL["2002-10-01"],
        3000000.0,
        draws,
        cash,
        [["POLYMER_265", SERIAL["2002-09-01"]], ["SAMPLES_30", xl_day("2002-09-01")]],
    )
    assert ok == "OK"


# --- errors come back as text, never as exceptions -------------------------------------------


def test_price_missing_close_is_na_text() -> None:
    rows = [["Date", "Close"]] + [
        [xl_day(d), c] for d, c in zip(APR2_SESSIONS, APR2_CLOSES, strict=True) if d != "2002-03-27"
    ]
    result = udfs.EQL_PRICE(xl_day("2002-04-02"), rows)
    assert_error(result, "#N/A")
    assert "2002-03-27" in result


def test_price_text_close_is_error_text() -> None:
    rows = _apr2_prices("datetime")
    rows[3][1] = "n/a"
    assert_error(udfs.EQL_PRICE(xl_day("2002-04-02"), rows))


BAD_DATES = ["not a date", None, "2002-13-45"]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_bad_dates_return_error_text(bad: Any) -> None:
    prices = _apr2_prices("datetime")
    assert_error(udfs.EQL_PRICE(bad, prices))
    assert_error(udfs.EQL_AVG_CLOSE(bad, prices))
    assert_error(udfs.EQL_FISCAL_QUARTER(bad))
    assert_error(udfs.EQL_TERM_QUARTER(bad))
    assert_error(udfs.EQL_CAP(bad, None, STD_CASH))
    assert_error(udfs.EQL_STATUS(bad, None))
    assert_error(udfs.EQL_CHECK(bad, 1000000.0, None, STD_CASH, None))
    pricing = udfs.EQL_PRICING_DATES(bad)
    cell = pricing if isinstance(pricing, str) else pricing[0][0]
    assert_error(cell)


def test_no_prices_is_error_text() -> None:
    assert_error(udfs.EQL_PRICE(xl_day("2002-04-02"), None))
    assert_error(udfs.EQL_PRICE(xl_day("2002-04-02"), [["Date", "Close"], *blank_rows(3)]))


def test_check_negative_amount_is_value_error() -> None:
    result = udfs.EQL_CHECK(xl_day("2002-04-15"), -5.0, None, STD_CASH, None)
    assert_error(result, "#VALUE!")
