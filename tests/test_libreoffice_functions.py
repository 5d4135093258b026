"""The EQL_ functions computed by LibreOffice Calc, through the extension a user installs.

The extension is built and installed into a throw-away profile with the commands a user runs
(``eql libreoffice build`` and ``install``). One workbook, written with openpyxl as plain
formulas (``=EQL_PRICE(...)``, array formulas for the tables), holds a formula for every row of
the hand-worked answers (tests/resources, encodings in fixtures.py) with its input ranges as
cells; LibreOffice recalculates it once, and every cell it computed is compared with the answer.
Dates are date cells, so Calc hands them to the add-in as serial numbers, blanks as empty cells.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from eql.functions import FUNCTIONS
from eql.ledger import SCHEDULE_HEADER
from eql.values import parse_bool
from fixtures import (
    CONDITION_CLAUSES,
    SHARE_MARKET_HEADER,
    SHARE_SCHEDULE_HOLDINGS,
    SHARE_SCHEDULE_ISSUED,
    SHARE_SCHEDULE_OUTSTANDING,
    SHARE_SCHEDULE_VWAPS,
    accelerated_prices,
    answer_rows,
    assert_check_answer,
    assert_status,
    cash_range,
    closes_range,
    day,
    draws_range,
    exact,
    items,
    lincoln_park_answers,
    lincoln_park_prices,
    lincoln_park_terms,
    milestones_range,
    prices_range,
    reductions_range,
    share_room_ranges,
    share_schedule_terms,
    terms_range,
    valence_whatif_terms,
)
from libreoffice import extension_profile, recalculate

Rows = list[list[Any]]


class Book:
    """Input ranges stacked on an Inputs sheet; one formula per case on a Results sheet."""

    def __init__(self) -> None:
        self.book = openpyxl.Workbook()
        self.results = self.book.active
        self.results.title = "Results"
        self.inputs = self.book.create_sheet("Inputs")
        self.input_row = 1
        self.result_row = 1
        self.cells: dict[str, str] = {}
        self.folder = Path()  # where a builder may write the files its formulas name

    def range(self, rows: Rows | None, width: int = 2) -> str:
        """The address of ``rows`` written as cells; no rows is one blank row."""
        rows = rows or [[None] * width]
        first = self.input_row
        for row in rows:
            for column, value in enumerate(row, start=1):
                self.inputs.cell(self.input_row, column, value)
            self.input_row += 1
        last_column = get_column_letter(max(len(row) for row in rows))
        return f"Inputs!$A${first}:${last_column}${self.input_row - 1}"

    def value(self, value: Any) -> str:
        """A single input cell's address."""
        self.inputs.cell(self.input_row, 1, value)
        self.input_row += 1
        return f"Inputs!$A${self.input_row - 1}"

    def formula(self, key: str, text: str, height: int = 1, width: int = 1) -> None:
        """``=text`` in a fresh block of Results; an array formula when the block is larger."""
        top = self.result_row
        cell = f"A{top}"
        if height == 1 and width == 1:
            self.results[cell] = f"={text}"
        else:
            block = f"{cell}:{get_column_letter(width)}{top + height - 1}"
            self.results[cell] = ArrayFormula(block, f"={text}")
        self.cells[key] = cell
        self.result_row += height


def call(name: str, *arguments: str) -> str:
    return f"{name}({','.join(arguments)})"


CAP_DETAIL_ROWS = 8  # header, one row per limit, the cap row, and room for more limits
SCHEDULE_ROWS = 4


def _pricing(book: Book) -> None:
    for param in answer_rows("pricing.csv"):
        row = param.values[0]
        key = param.id
        date = book.value(day(row["purchase_date"]))
        book.formula(f"dates {key}", call("EQL_PRICING_DATES", date), height=6)
        if row["closes"].strip():
            prices = book.range(prices_range(row))
            book.formula(f"price {key}", call("EQL_PRICE", date, prices))
            book.formula(f"mean {key}", call("EQL_AVG_CLOSE", date, prices))


def _shares(book: Book) -> None:
    for param in answer_rows("shares.csv"):
        row = param.values[0]
        overrides = terms_range(row["terms"])
        terms = (book.range(overrides),) if overrides else ()
        book.formula(f"shares {param.id}", call("EQL_SHARES", row["amount"], row["price"], *terms))


def _draw_shares(book: Book) -> None:
    for param in answer_rows("draw_shares.csv"):
        row = param.values[0]
        arguments = [
            book.value(day(row["purchase_date"])),
            book.value(float(row["amount"])),
            book.range(closes_range(row["closes"])),
        ]
        terms = terms_range(row["terms"])
        if terms:
            arguments.append(book.range(terms))
        book.formula(f"draw shares {param.id}", call("EQL_DRAW_SHARES", *arguments))


def _quarters(book: Book) -> None:
    for param in answer_rows("quarters.csv"):
        date = book.value(day(param.values[0]["date"]))
        book.formula(f"fiscal {param.id}", call("EQL_FISCAL_QUARTER", date))
        book.formula(f"term {param.id}", call("EQL_TERM_QUARTER", date))


def _cap_arguments(book: Book, row: dict[str, str]) -> list[str]:
    arguments = [
        book.value(day(row["draw_date"])),
        book.range(draws_range(row["draws"])),
        book.range(cash_range(row["cash_used"])),
    ]
    reductions = reductions_range(row["reductions"])
    if reductions:  # otherwise left out: the optional argument omitted
        arguments.append(book.range(reductions, width=len(reductions[0])))
    return arguments


def _caps(book: Book) -> None:
    for param in answer_rows("caps.csv"):
        arguments = _cap_arguments(book, param.values[0])
        book.formula(f"cap {param.id}", call("EQL_CAP", *arguments))
        book.formula(
            f"detail {param.id}",
            call("EQL_CAP_DETAIL", *arguments),
            height=CAP_DETAIL_ROWS,
            width=5,
        )


def _conditions(book: Book) -> None:
    for param in answer_rows("conditions.csv"):
        row = param.values[0]
        overrides = terms_range(row["terms"])
        terms = (book.range(overrides),) if overrides else ()
        book.formula(
            f"status {param.id}",
            call(
                "EQL_STATUS",
                book.value(day(row["funding_date"])),
                book.range(milestones_range(row["milestones"])),
                *terms,
            ),
        )


def _checks(book: Book) -> None:
    for param in answer_rows("checks.csv"):
        row = param.values[0]
        arguments = [
            book.value(day(row["funding_date"])),
            book.value(float(row["amount"])),
            book.range(draws_range(row["draws"])),
            book.range(cash_range(row["cash_used"])),
            book.range(milestones_range(row["milestones"])),
        ]
        reductions = reductions_range(row["reductions"])
        overrides = terms_range(row["terms"])
        if reductions or overrides:
            arguments.append(book.range(reductions, width=len(reductions[0]) if reductions else 2))
        if overrides:
            arguments.append(book.range(overrides))
        book.formula(f"check {param.id}", call("EQL_CHECK", *arguments))


# A ledger of two requests, each worked by hand from rows of the answers:
# - 2002-04-02, 5,000,000: pricing.csv's 2002-04-02 row (sessions 03-25 .. 04-01, mean 2.50,
#   price 2.125); shares.csv: 5,000,000 / 2.125 = 2,352,941. FY2003 Q1 is term quarter 1;
#   room = min(quarter 5M, 100 % of 6M cash used, total 30M) = 5M, the quarter binds; no
#   milestone condition applies before 2002-10-01 (conditions.csv), so OK and all funded.
# - 2002-07-08, 1,904,000: pricing.csv's 2002-07-08 row (five closes of 2.24, price 1.904);
#   shares.csv: 1,904,000 / 1.904 = 1,000,000. FY2003 Q2, term quarter 2; room = min(quarter
#   5M, 100 % of 4M cash used, total 25M) = 4M, cash used binds; OK and all funded.
SCHEDULE_PRICES = [
    [day("2002-03-25"), 2.40],
    [day("2002-03-26"), 2.50],
    [day("2002-03-27"), 2.60],
    [day("2002-03-28"), 2.45],
    [day("2002-04-01"), 2.55],
    *[[day(d), 2.24] for d in ("2002-06-28", "2002-07-01", "2002-07-02", "2002-07-03")],
    [day("2002-07-05"), 2.24],
]
SCHEDULE_ANSWER = [
    [
        "2002-04-02",
        5_000_000,
        "FY2003 Q1",
        1,
        "2002-03-25",
        "2002-04-01",
        2.5,
        2.125,
        2_352_941,
        5_000_000,
        "quarter",
        5_000_000,
        "OK",
    ],
    [
        "2002-07-08",
        1_904_000,
        "FY2003 Q2",
        2,
        "2002-06-28",
        "2002-07-05",
        2.24,
        1.904,
        1_000_000,
        4_000_000,
        "cash",
        1_904_000,
        "OK",
    ],
]


def _schedule(book: Book) -> None:
    requests = book.range(
        [
            ["Funding date", "Amount requested"],
            [day("2002-07-08"), 1_904_000.0],  # out of date order: the ledger sorts
            [day("2002-04-02"), 5_000_000.0],
        ]
    )
    book.formula(
        "schedule",
        call(
            "EQL_SCHEDULE",
            requests,
            book.range(SCHEDULE_PRICES),
            book.range([["FY2003 Q1", 6e6], ["FY2003 Q2", 4e6]]),
            book.range([["CEO_CHANGE", None]]),
        ),
        height=SCHEDULE_ROWS,
        width=len(SCHEDULE_HEADER),
    )


def _host_conventions(book: Book) -> None:
    """What only a spreadsheet host does: logical cells, text cells, omitted arguments."""
    # caps.csv: 8M elected after 25M funded is capped at the 5M unfunded: cap 0. The Terms
    # range says so with a TRUE cell, which Calc hands over as the number 1.
    reductions = book.range([[day("2003-04-15"), 8e6]])
    terms = book.range([["name", "value"], ["reductions.cap_at_unfunded", True]])
    book.formula(
        "terms TRUE",
        call(
            "EQL_CAP",
            book.value(day("2003-07-15")),
            book.range(
                [
                    [day(d), 5e6]
                    for d in ("2002-04-15", "2002-07-15", "2002-10-15", "2003-01-15", "2003-04-15")
                ]
            ),
            book.range([["FY2004 Q2", 2e7]]),
            reductions,
            terms,
        ),
    )
    # The README's error texts, word for word.
    book.formula("negative amount", call("EQL_SHARES", "-5", "2.5"))
    book.formula("text date", call("EQL_FISCAL_QUARTER", '"2002-04-01"'))
    book.formula("bad date", call("EQL_FISCAL_QUARTER", '"2002-02-30"'))


LINCOLN_DATES = 11  # ten sessions, and a row below them that must be empty


def _lincoln_park(book: Book) -> None:
    """Every row of lincoln_park.csv, the facility named by the Terms range, dates as cells."""
    for param in lincoln_park_answers():
        row = param.values[0]
        key = f"lincoln {param.id}"
        date = book.value(day(row["purchase_date"]))
        terms = book.range(lincoln_park_terms(row["terms"]))
        if row["function"] == "dates":
            book.formula(key, call("EQL_PRICING_DATES", date, terms), height=LINCOLN_DATES)
            continue
        prices = book.range(lincoln_park_prices(row, day), width=3)
        if row["function"] == "schedule":
            requests = book.range([[day(row["purchase_date"]), float(row["amount"])]])
            blank = book.range(None)
            arguments = (requests, prices, blank, blank, blank, terms)
            book.formula(
                key, call("EQL_SCHEDULE", *arguments), height=2, width=len(SCHEDULE_HEADER)
            )
        elif row["function"] == "shares":
            amount = book.value(float(row["amount"]))
            book.formula(key, call("EQL_DRAW_SHARES", date, amount, prices, terms))
        else:
            name = "EQL_PRICE" if row["function"] == "price" else "EQL_AVG_CLOSE"
            book.formula(key, call(name, date, prices, terms))


SHARE_CHECK_ROWS = [
    param
    for param in answer_rows("share_room.csv")
    if param.values[0]["facility"] != "valence_whatif"
    and param.values[0]["room"].isdigit()
    and param.values[0]["price"].strip()
]
SHARE_LEDGERS = ("no approval", "approved 2024-07-20")
SHARE_DETAIL_ROWS = 4  # header, at most two caps, the share room row


def _share_room(book: Book) -> None:
    whatif = valence_whatif_terms(book.folder)
    for param in answer_rows("share_room.csv"):
        day_cell, issued, outstanding, holdings, price, terms = share_room_ranges(
            param.values[0], whatif
        )
        arguments = [
            book.value(day_cell),
            book.range(issued, width=3),
            book.range(outstanding),
            book.range(holdings),
            # Not given: the argument left empty (a blank cell would reach the add-in as 0).
            "" if price is None else book.value(price),
            book.range(terms),
        ]
        book.formula(f"share room {param.id}", call("EQL_SHARE_ROOM", *arguments))
        book.formula(
            f"share detail {param.id}",
            call("EQL_SHARE_ROOM_DETAIL", *arguments),
            height=SHARE_DETAIL_ROWS,
            width=6,
        )


ACCELERATED = "lincoln_park_accelerated.csv"


def _accelerated(book: Book) -> None:
    """Every row of lincoln_park_accelerated.csv: prices with named columns, dates as cells."""
    for param in lincoln_park_answers(ACCELERATED):
        row = param.values[0]
        key = f"accelerated {param.id}"
        date = book.value(day(row["purchase_date"]))
        terms = book.range(lincoln_park_terms(row["terms"]))
        if row["function"] == "dates":
            book.formula(key, call("EQL_PRICING_DATES", date, terms))
            continue
        prices = book.range(accelerated_prices(row, day), width=5)
        if row["function"] == "schedule":
            requests = book.range([[day(row["purchase_date"]), float(row["amount"])]])
            blank = book.range(None)
            arguments = (requests, prices, blank, blank, blank, terms)
            book.formula(
                key, call("EQL_SCHEDULE", *arguments), height=2, width=len(SCHEDULE_HEADER)
            )
        elif row["function"] == "shares":
            amount = book.value(float(row["amount"]))
            book.formula(key, call("EQL_DRAW_SHARES", date, amount, prices, terms))
        elif row["function"] == "most":
            book.formula(key, call("EQL_MAX_SHARES", date, prices, terms))
        else:
            name = "EQL_PRICE" if row["function"] == "price" else "EQL_AVG_CLOSE"
            book.formula(key, call(name, date, prices, terms))


def _share_checks(book: Book) -> None:
    """EQL_CHECK at each share_room.csv row's room and one share more; the share_schedule.csv
    ledgers through EQL_SCHEDULE (test_share_caps.py checks the same in Python)."""
    whatif = valence_whatif_terms(book.folder)
    market = book.range(
        [SHARE_MARKET_HEADER, *([day(d), v, n] for d, v, n in SHARE_SCHEDULE_VWAPS)], width=3
    )
    for param in SHARE_CHECK_ROWS:
        row = param.values[0]
        day_cell, issued, outstanding, holdings, price, terms = share_room_ranges(row, whatif)
        draws = [[date, paid] for date, _, paid in issued if paid > 0] or None
        for extra in (0, 1):
            shares = int(row["room"]) + extra
            if shares == 0:
                continue
            arguments = [
                book.value(day_cell),
                book.value(float(shares * Decimal(row["price"]))),
                book.range(draws),
                book.range(None),
                book.range(None),
                "",  # reductions omitted
                book.range(terms),
                market,  # for the SEPA's advance limit
                book.range(issued, width=3),
                book.range(outstanding),
                book.range(holdings),
                book.value(price),
            ]
            book.formula(f"share check {param.id} {extra}", call("EQL_CHECK", *arguments))
    for ledger in SHARE_LEDGERS:
        rows = [
            p.values[0]
            for p in answer_rows("share_schedule.csv")
            if p.values[0]["ledger"] == ledger
        ]
        requests = [[day(row["notice_date"]), float(row["amount"])] for row in rows]
        arguments = [
            book.range(requests),
            market,
            book.range(None),
            book.range(None),
            "",
            book.range(share_schedule_terms(ledger)),
            book.range([[day(d), s, p] for d, s, p in SHARE_SCHEDULE_ISSUED], width=3),
            book.range([[day(d), s] for d, s in SHARE_SCHEDULE_OUTSTANDING]),
            book.range([[day(d), s] for d, s in SHARE_SCHEDULE_HOLDINGS]),
        ]
        book.formula(
            f"share schedule {ledger}",
            call("EQL_SCHEDULE", *arguments),
            height=len(rows) + 1,
            width=len(SCHEDULE_HEADER),
        )


BUILDERS = (
    _pricing,
    _shares,
    _draw_shares,
    _quarters,
    _caps,
    _conditions,
    _checks,
    _schedule,
    _host_conventions,
    _lincoln_park,
    _share_room,
    _accelerated,
    _share_checks,
)


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Any]:
    folder = tmp_path_factory.mktemp("libreoffice-functions")
    profile = extension_profile(folder)
    book = Book()
    book.folder = folder
    for build in BUILDERS:
        build(book)
    source = folder / "functions.xlsx"
    book.book.save(source)
    done = recalculate(source, folder / "out", profile)
    return book, openpyxl.load_workbook(done, data_only=True)["Results"]


def value(computed: tuple[Book, Any], key: str, row: int = 0, column: int = 0) -> Any:
    book, sheet = computed
    top = sheet[book.cells[key]]
    return sheet.cell(top.row + row, top.column + column).value


def serial_date(value: Any) -> str:
    """A date cell as text: openpyxl reads an unformatted date result as its serial number."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    assert isinstance(value, int | float), value
    return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()


def assert_error(result: Any, prefix: str) -> None:
    assert isinstance(result, str), f"expected error text starting {prefix!r}, got {result!r}"
    assert result.startswith(prefix), result


def assert_clauses(result: str, failing: list[str], universe: tuple[str, ...]) -> None:
    for clause in universe:
        assert (clause in result) == (clause in failing), (clause, result)


def test_every_function_is_computed_here() -> None:
    called = " ".join(
        Path(__file__).read_text(encoding="utf-8").split("call(")[1:]
    )  # each call( names its function first
    assert {name for name in FUNCTIONS if f'"{name}"' in called} == set(FUNCTIONS)


def _answer(name: str, param_id: str) -> dict[str, str]:
    return next(p.values[0] for p in answer_rows(name) if p.id == param_id)


def _ids(name: str, column: str | None = None) -> list[str]:
    return [p.id for p in answer_rows(name) if column is None or p.values[0][column].strip()]


@pytest.mark.parametrize("case", _ids("pricing.csv"))
def test_pricing_dates(computed: Any, case: str) -> None:
    row = _answer("pricing.csv", case)
    key = f"dates {case}"
    got = [serial_date(value(computed, key, n)) for n in range(5)]
    assert got == items(row["sessions"])
    assert_error(value(computed, key, 5), "#N/A")  # the array holds five sessions, no more


@pytest.mark.parametrize("case", _ids("pricing.csv", "closes"))
def test_price_and_average(computed: Any, case: str) -> None:
    row = _answer("pricing.csv", case)
    price, mean = value(computed, f"price {case}"), value(computed, f"mean {case}")
    if row["price"].startswith("#"):
        assert_error(price, row["price"])
        assert_error(mean, row["mean"])
        missing = [
            s
            for s, c in zip(items(row["sessions"]), row["closes"].split(";"), strict=True)
            if not c.strip()
        ]
        assert all(date in price for date in missing), price
        return
    assert price == exact(row["price"])
    assert mean == exact(row["mean"])


@pytest.mark.parametrize("case", _ids("shares.csv"))
def test_shares(computed: Any, case: str) -> None:
    row = _answer("shares.csv", case)
    result = value(computed, f"shares {case}")
    if row["shares"].startswith("#"):
        assert_error(result, row["shares"])
        return
    assert result == int(row["shares"])


@pytest.mark.parametrize("case", _ids("draw_shares.csv"))
def test_draw_shares(computed: Any, case: str) -> None:
    row = _answer("draw_shares.csv", case)
    result = value(computed, f"draw shares {case}")
    if row["shares"].startswith("#"):
        assert_error(result, row["shares"])
        return
    assert result == int(row["shares"])


@pytest.mark.parametrize("case", _ids("quarters.csv"))
def test_quarters(computed: Any, case: str) -> None:
    row = _answer("quarters.csv", case)
    assert value(computed, f"fiscal {case}") == row["fiscal_quarter"]
    term = value(computed, f"term {case}")
    if row["term_quarter"].startswith("#"):
        assert_error(term, "#")
    else:
        assert term == int(row["term_quarter"])


@pytest.mark.parametrize("case", _ids("caps.csv"))
def test_cap_and_detail(computed: Any, case: str) -> None:
    row = _answer("caps.csv", case)
    assert value(computed, f"cap {case}") == exact(row["cap"])
    key = f"detail {case}"
    assert [value(computed, key, 0, c) for c in range(5)] == [
        "limit",
        "allowed",
        "used",
        "room",
        "basis",
    ]
    labels = [value(computed, key, n) for n in range(CAP_DETAIL_ROWS)]
    last = labels.index("cap")
    assert value(computed, key, last, 3) == exact(row["cap"])
    binds = value(computed, key, last, 4)
    if row["binds"]:
        assert row["binds"] in binds.lower(), binds
    assert_error(value(computed, key, last + 1), "#N/A")  # below the table


@pytest.mark.parametrize("case", _ids("conditions.csv"))
def test_status(computed: Any, case: str) -> None:
    row = _answer("conditions.csv", case)
    result = value(computed, f"status {case}")
    if row["failing"].startswith("OK"):
        assert result == row["failing"]
        return
    assert result.startswith("BLOCKED"), result
    if row["failing"] == "outside":
        assert "outside the term" in result, result
        return
    assert_status(result, items(row["failing"]), CONDITION_CLAUSES)


@pytest.mark.parametrize("case", _ids("checks.csv"))
def test_check(computed: Any, case: str) -> None:
    row = _answer("checks.csv", case)
    assert_check_answer(value(computed, f"check {case}"), row)


def test_schedule(computed: Any) -> None:
    header = [value(computed, "schedule", 0, c) for c in range(len(SCHEDULE_HEADER))]
    assert header == list(SCHEDULE_HEADER)
    dates = {0, 4, 5}  # the columns holding dates, handed back as serial numbers
    for n, answer in enumerate(SCHEDULE_ANSWER, start=1):
        got = [value(computed, "schedule", n, c) for c in range(len(SCHEDULE_HEADER))]
        got = [serial_date(cell) if c in dates else cell for c, cell in enumerate(got)]
        binds, expected_binds = got.pop(10), answer[10]
        assert expected_binds in binds.lower(), binds
        assert got == [cell for c, cell in enumerate(answer) if c != 10]
    assert_error(value(computed, "schedule", 3), "#N/A")  # below the two requests


def test_a_true_cell_is_true(computed: Any) -> None:
    assert value(computed, "terms TRUE") == 0  # caps.csv: 8M elected capped at 5M unfunded


def test_error_texts(computed: Any) -> None:
    assert value(computed, "negative amount") == "#VALUE! amount must be positive, got -5"
    assert value(computed, "text date") == "FY2003 Q1"
    assert value(computed, "bad date") == "#VALUE! day is not a real date, got '2002-02-30'"


@pytest.mark.parametrize(("cell", "expected"), [(1.0, True), (0.0, False), (1, True), (0, False)])
def test_logical_values_as_numbers(cell: Any, expected: bool) -> None:
    """LibreOffice hands a TRUE or FALSE cell to an add-in as 1 or 0."""
    assert parse_bool(cell, "flag") is expected


@pytest.mark.parametrize("cell", [2.0, 0.5, -1, "1"])
def test_other_numbers_are_not_logical(cell: Any) -> None:
    with pytest.raises(Exception, match="must be TRUE or FALSE"):
        parse_bool(cell, "flag")


@pytest.mark.parametrize("case", [p.id for p in lincoln_park_answers()])
def test_lincoln_park(computed: Any, case: str) -> None:
    row = next(p.values[0] for p in lincoln_park_answers() if p.id == case)
    key, expect = f"lincoln {case}", row["expect"]
    if row["function"] == "dates":
        got = [value(computed, key, n) for n in range(LINCOLN_DATES)]
        assert [serial_date(cell) for cell in got[:-1]] == items(expect)
        assert_error(got[-1], "#N/A")
        return
    if row["function"] == "schedule":
        heading = [value(computed, key, 0, c) for c in range(len(SCHEDULE_HEADER))]
        cells = dict(
            zip(heading, (value(computed, key, 1, c) for c in range(len(heading))), strict=True)
        )
        if expect.startswith("OK:"):
            assert (cells["status"], cells["shares"]) == ("OK", int(expect[3:]))
        else:
            assert (cells["status"], cells["amount funded"]) == (expect, 0)
        return
    result = value(computed, key)
    if expect.startswith("#"):
        assert result == expect
    elif row["function"] == "shares":
        assert result == int(expect)
    else:  # a file keeps a number to 15 significant digits (2.06333333333333 for 619/300)
        assert result == float(f"{float(Fraction(expect)):.15g}")


@pytest.mark.parametrize("case", _ids("share_room.csv"))
def test_share_room(computed: Any, case: str) -> None:
    row = _answer("share_room.csv", case)
    room = value(computed, f"share room {case}")
    key = f"share detail {case}"
    if row["room"].isdigit():
        assert room == int(row["room"])
        labels = [value(computed, key, n) for n in range(SHARE_DETAIL_ROWS)]
        last = labels.index("share room")
        assert value(computed, key, last, 4) == int(row["room"])
        assert value(computed, key, last, 5) == f"binds: {row['binds']}"
        return
    assert room == row["room"]
    if not row["room"].startswith("#"):
        assert value(computed, key, 1, 4) == "no limit"


@pytest.mark.parametrize("case", [p.id for p in lincoln_park_answers(ACCELERATED)])
def test_accelerated_purchase(computed: Any, case: str) -> None:
    row = next(p.values[0] for p in lincoln_park_answers(ACCELERATED) if p.id == case)
    key, expect = f"accelerated {case}", row["expect"]
    if row["function"] == "dates":
        assert serial_date(value(computed, key)) == expect  # a single cell: one session
        return
    if row["function"] == "schedule":
        heading = [value(computed, key, 0, c) for c in range(len(SCHEDULE_HEADER))]
        cells = dict(
            zip(heading, (value(computed, key, 1, c) for c in range(len(heading))), strict=True)
        )
        if expect.startswith("OK:"):
            assert (cells["status"], cells["shares"]) == ("OK", int(expect[3:]))
        else:
            assert (cells["status"], cells["amount funded"]) == (expect, 0)
        return
    result = value(computed, key)
    if expect.startswith("#"):
        assert result == expect
    elif row["function"] in ("shares", "most"):
        assert result == int(expect)
    else:  # a file keeps a number to 15 significant digits
        assert result == float(f"{float(Fraction(expect)):.15g}")


@pytest.mark.parametrize("extra", [0, 1])
@pytest.mark.parametrize("case", [param.id for param in SHARE_CHECK_ROWS])
def test_check_counts_the_share_caps(computed: Any, case: str, extra: int) -> None:
    row = _answer("share_room.csv", case)
    room = int(row["room"])
    shares = room + extra
    if shares == 0:
        return
    result = value(computed, f"share check {case} {extra}")
    if extra == 0:
        assert result == "OK"
        return
    assert result.startswith("BLOCKED"), result
    asked = "1 share" if shares == 1 else f"{shares:,} shares"
    assert f"{row['binds']} exceeded: {asked} asked, {room:,} room left" in result


@pytest.mark.parametrize("ledger", SHARE_LEDGERS)
def test_schedule_counts_the_share_caps(computed: Any, ledger: str) -> None:
    rows = [
        p.values[0] for p in answer_rows("share_schedule.csv") if p.values[0]["ledger"] == ledger
    ]
    key = f"share schedule {ledger}"
    for n, row in enumerate(rows, start=1):
        assert value(computed, key, n, SCHEDULE_HEADER.index("shares")) == int(row["shares"])
        assert value(computed, key, n, SCHEDULE_HEADER.index("amount funded")) == float(
            row["funded"]
        )
        status = value(computed, key, n, SCHEDULE_HEADER.index("status"))
        if row["status"] == "OK":
            assert status == "OK"
        else:
            assert status.startswith("BLOCKED"), status
            assert row["status"].removeprefix("BLOCKED ") in status, status
