"""Hypothesis fuzzing of every EQL_ function's arguments, of untrusted workbook bytes and of the
ledger checker: nothing escapes as an exception, and every result is either of the kind the
function returns or ``#`` text that names the problem (never the last-resort "could not
evaluate" text, which would mean an unforeseen exception inside).
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import math
import os
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from eql import udfs as u
from eql.check.workbook import check_workbook
from eql.errors import EqlError
from eql.terms import default_terms
from eql.untrusted import UntrustedFileError, load_workbook
from eql.workbook.cells import write_text

# CI runs 120 examples a test; EQL_FUZZ_EXAMPLES=5000 searches longer before a release.
EXAMPLES = int(os.environ.get("EQL_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ERROR_TEXT = re.compile(r"^#(VALUE!|N/A|NUM!|REF!|DIV/0!|NAME\?|NULL!) \S")
EXCEL_ERRORS = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!"]
KEYS = ["CEO_CHANGE", "MAC", "POLYMER_265", "SAMPLES_30", "LICENSE", "MFG_420"]
TERM_NAMES = [
    "pricing.factor",
    "pricing.sessions",
    "facility.commitment",
    "limits.quarter.amount",
    "shares.rounding",
    "pricing.price_rounding",
    "facility.term_end",
]


def iso(day: dt.date) -> str:
    return day.isoformat()


dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
term_dates = st.dates(min_value=dt.date(2001, 12, 1), max_value=dt.date(2004, 6, 30))

# Any single cell a spreadsheet or a formula can hand over.
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-100_000, max_value=3_000_000),
    st.text(max_size=12),
    st.sampled_from(
        [
            *EXCEL_ERRORS,
            "",
            "  ",
            "TRUE",
            "FY2003 Q1",
            "FY2099 Q5",
            "1e400",
            "NaN",
            "5,000,000",
            "75%",
            "$1",
        ]
    ),
    dates.map(iso),
    term_dates.map(iso),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59)),
    term_dates.map(lambda d: dt.datetime(d.year, d.month, d.day)),
    st.integers(min_value=30_000, max_value=40_000),  # serial dates of 1982 .. 2009
)


def ranges(*columns: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A range of rows: mostly plausible rows of ``columns``, sometimes anything at all."""
    plausible = st.lists(st.tuples(*columns).map(list), max_size=12)
    anything = st.lists(st.lists(cells, min_size=0, max_size=4), max_size=6)
    return st.one_of(plausible, plausible, anything, cells, st.lists(cells, max_size=4))


day_cells = st.one_of(
    term_dates.map(iso), term_dates.map(lambda d: dt.datetime(d.year, d.month, d.day)), cells
)
money = st.one_of(st.integers(min_value=0, max_value=6_000_000).map(float), cells)
prices = ranges(day_cells, st.one_of(st.floats(min_value=0.5, max_value=5), cells))
draws = ranges(day_cells, money)
cash_used = ranges(
    st.one_of(
        st.sampled_from([f"FY{y} Q{q}" for y in (2002, 2003, 2004, 2005) for q in (1, 2, 3, 4)]),
        cells,
    ),
    money,
)
milestones = ranges(st.one_of(st.sampled_from(KEYS), cells), st.one_of(day_cells, st.none()))
reductions = st.one_of(st.none(), ranges(day_cells, money), ranges(day_cells, money, money))
terms = st.one_of(
    st.none(),
    st.none(),
    ranges(st.one_of(st.sampled_from(TERM_NAMES), cells), cells),
)

ARGUMENTS: dict[str, st.SearchStrategy[Any]] = {
    "purchase_date": day_cells,
    "day": day_cells,
    "draw_date": day_cells,
    "funding_date": day_cells,
    "amount": money,
    "price": st.one_of(st.floats(min_value=0.01, max_value=5), cells),
    "prices": prices,
    "draws": draws,
    "cash_used": cash_used,
    "milestones": milestones,
    "reductions": reductions,
    "terms": terms,
    "issued": ranges(day_cells, money, st.one_of(money, cells)),
    "outstanding": ranges(day_cells, st.one_of(st.integers(0, 10**9).map(float), cells)),
    "holdings": ranges(day_cells, st.one_of(st.integers(0, 10**8).map(float), cells)),
}

FUNCTIONS = {
    name: getattr(u, name)
    for name in dir(u)
    if name.startswith("EQL_") and callable(getattr(u, name))
}


def check_result(name: str, result: Any) -> None:
    if isinstance(result, str) and result.startswith("#"):
        assert ERROR_TEXT.match(result), result
        assert "could not evaluate this input" not in result, result
        return
    kinds: dict[str, Any] = {
        "EQL_PRICE": float,
        "EQL_AVG_CLOSE": float,
        "EQL_PRICING_DATES": list,
        "EQL_SHARES": int,
        "EQL_DRAW_SHARES": int,
        "EQL_FISCAL_QUARTER": str,
        "EQL_TERM_QUARTER": int,
        "EQL_CAP": float,
        "EQL_CAP_DETAIL": list,
        "EQL_STATUS": str,
        "EQL_CHECK": str,
        "EQL_SCHEDULE": list,
        "EQL_SHARE_ROOM": (int, str),
        "EQL_SHARE_ROOM_DETAIL": list,
        "EQL_MAX_SHARES": int,
    }
    assert isinstance(result, kinds[name]), (name, result)
    if isinstance(result, float):
        assert math.isfinite(result)
        assert result >= 0
    if name in ("EQL_STATUS", "EQL_CHECK"):
        assert result == "OK" or result.startswith("BLOCKED: ") or "exceeded" in result, result
    if name == "EQL_FISCAL_QUARTER":
        assert re.fullmatch(r"FY\d{4} Q[1-4]", result), result
    if name == "EQL_TERM_QUARTER":
        assert 1 <= result <= 8
    if isinstance(result, list):
        for row in result:
            assert isinstance(row, list)
            for cell in row:
                if isinstance(cell, str) and cell.startswith("#"):
                    assert ERROR_TEXT.match(cell), cell
                    assert "could not evaluate this input" not in cell, cell


def test_every_function_is_fuzzed() -> None:
    assert set(FUNCTIONS) >= {
        "EQL_PRICE",
        "EQL_AVG_CLOSE",
        "EQL_PRICING_DATES",
        "EQL_SHARES",
        "EQL_FISCAL_QUARTER",
        "EQL_TERM_QUARTER",
        "EQL_CAP",
        "EQL_CAP_DETAIL",
        "EQL_STATUS",
        "EQL_CHECK",
    }
    for function in FUNCTIONS.values():
        assert set(inspect.signature(function).parameters) <= set(ARGUMENTS)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@FUZZ
@given(data=st.data())
def test_fuzz_function(name: str, data: st.DataObject) -> None:
    function = FUNCTIONS[name]
    parameters = inspect.signature(function).parameters
    arguments = [data.draw(ARGUMENTS[parameter], label=parameter) for parameter in parameters]
    check_result(name, function(*arguments))


@FUZZ
@given(
    amount=st.integers(min_value=1, max_value=10**9),
    cents=st.integers(min_value=1, max_value=100_000),
)
def test_fuzz_shares_are_right(amount: int, cents: int) -> None:
    # The nearest whole share, a half up: (shares - 1/2) x price <= amount < (shares + 1/2) x price.
    price = Decimal(cents) / 100
    shares = u.EQL_SHARES(amount, float(price))
    assert isinstance(shares, int)
    half = Decimal("0.5")
    assert (shares - half) * price <= amount < (shares + half) * price


def refusal(action: Callable[[], object]) -> str | None:
    """The message of the EqlError ``action`` raises, None when it succeeds; any other
    exception escapes and fails the test.
    """
    try:
        action()
    except EqlError as error:
        return str(error)
    return None


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Funding date", "Amount", "Price", "Shares"])
    sheet.append([dt.datetime(2002, 4, 2), 3_000_000, 2.125, 1_411_764])
    workbook.create_sheet("Prices").append(["Date", "Close"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK = workbook_bytes()


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(WORKBOOK) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    cut=st.integers(min_value=0, max_value=len(WORKBOOK)),
)
def test_fuzz_damaged_workbooks(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(WORKBOOK)
    for offset, byte in edits:
        data[offset] = byte
    path = tmp_path_factory.mktemp("damaged") / "ledger.xlsx"
    path.write_bytes(bytes(data[: max(cut, len(data) // 2)]))
    message = refusal(lambda: load_workbook(path, data_only=True))
    assert message is None or (message.startswith(str(path)) and "\n" not in message)


@FUZZ
@given(
    members=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "[Content_Types].xml",
                    "_rels/.rels",
                    "xl/workbook.xml",
                    "xl/worksheets/sheet1.xml",
                    "xl/_rels/workbook.xml.rels",
                    "xl/styles.xml",
                    "docProps/app.xml",
                ]
            ),
            st.binary(max_size=200),
        ),
        max_size=7,
        unique_by=lambda member: member[0],
    )
)
def test_fuzz_packages_of_nonsense(
    tmp_path_factory: pytest.TempPathFactory, members: list[tuple[str, bytes]]
) -> None:
    path = tmp_path_factory.mktemp("nonsense") / "ledger.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    with pytest.raises(UntrustedFileError):
        load_workbook(path)


ledger_cells = st.one_of(
    cells,
    term_dates.map(lambda d: d.strftime("%m/%d/%Y")),
    term_dates.map(lambda d: d.strftime("%d-%b-%Y")),
)


@settings(
    max_examples=max(EXAMPLES // 3, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(rows=st.lists(st.lists(ledger_cells, min_size=4, max_size=4), max_size=8), closes=prices)
def test_fuzz_ledger_check(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[Any]], closes: Any
) -> None:
    path = tmp_path_factory.mktemp("ledger") / "ledger.xlsx"
    try:
        ledger_workbook(rows, closes).save(path)
    except IllegalCharacterError:
        return  # openpyxl refuses control characters in cells; no workbook holds them
    message = refusal(lambda: check_workbook(path, default_terms()))
    if message is not None:
        assert "\n" not in message
        return
    result = check_workbook(path, default_terms()).result
    ledger_rows = range(2, len(rows) + 2)  # the heading is row 1
    for finding in result.findings:
        assert finding.message
        assert finding.row in ledger_rows, finding
        if finding.cell:  # the cell to look at is on the finding's own row
            assert finding.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(finding.row), finding
    assert {row.entry.row for row in result.rows} <= set(ledger_rows)
    # The README's exit status: 1 a difference (even with rows not checked), 2 no difference but
    # something not checked, 0 every row agrees.
    differences = [
        f for f in result.findings if f.kind in ("price", "shares", "limit", "condition", "total")
    ]
    assert result.exit_status == (1 if differences else 2 if result.findings else 0)


def ledger_workbook(rows: list[list[Any]], closes: Any) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Funding date", "Draw amount", "Purchase price", "Shares issued"])
    prices_sheet = workbook.create_sheet("Prices")
    prices_sheet.append(["Date", "Close"])
    workbook.create_sheet("Cash").append(["Fiscal quarter", "Cash used"])
    workbook["Cash"].append(["FY2003 Q1", 6_000_000])
    workbook.create_sheet("Milestones").append(["Milestone", "Date"])
    for row in rows:
        target = sheet.max_row + 1
        for column, cell in enumerate(row, start=1):
            put(sheet.cell(target, column), cell)
    if isinstance(closes, list):
        for row in closes:
            if isinstance(row, list) and len(row) >= 2:
                target = prices_sheet.max_row + 1
                for column, cell in enumerate(row[:2], start=1):
                    put(prices_sheet.cell(target, column), cell)
    return workbook


def put(cell: Any, value: Any) -> None:
    """A fuzzed value into a cell as a user would have typed it: text stays text."""
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value


# The built-in terms name no share cap: the share room is fuzzed under a facility that has both.
SHARE_CAP_TERMS = st.one_of(
    st.sampled_from([[["facility", "lincoln_park"]], [["facility", "yorkville_sepa"]]]),
    st.tuples(
        st.sampled_from(
            [
                "share_caps.exchange.share",
                "share_caps.exchange.minimum_price",
                "share_caps.exchange.approved",
                "share_caps.exchange.approved_on",
                "share_caps.ownership.share",
            ]
        ),
        cells,
    ).map(lambda pair: [["facility", "lincoln_park"], list(pair)]),
)


@pytest.mark.parametrize("name", ["EQL_SHARE_ROOM", "EQL_SHARE_ROOM_DETAIL"])
@FUZZ
@given(data=st.data())
def test_fuzz_share_room_with_share_caps(name: str, data: st.DataObject) -> None:
    function = FUNCTIONS[name]
    parameters = inspect.signature(function).parameters
    arguments = [
        data.draw(
            SHARE_CAP_TERMS if parameter == "terms" else ARGUMENTS[parameter], label=parameter
        )
        for parameter in parameters
    ]
    result = function(*arguments)
    check_result(name, result)
    if name == "EQL_SHARE_ROOM" and isinstance(result, int):
        assert result >= 0
