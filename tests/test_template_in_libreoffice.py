"""A real spreadsheet is the judge of the template: LibreOffice with the EQL_ extension computes it.

The extension is built and installed into a private LibreOffice profile, then two filled
templates are opened, recalculated with calculateAll() and read back cell by cell: the example
facility (``eql demo``'s example-facility.xlsx) and the empty template filled here with a small
scenario, as a user would type it. Every EQL_ cell, every formula column of Draws and every
Summary cell is compared with answers worked by hand from the term sheet, the example's CSV files
and the XNAS calendar (tests/resources/template_*.csv, each row saying why); none is computed
by eql. The recalculated workbook, saved by LibreOffice as .xlsx, must still be a template eql
reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from eql.cli import main
from eql.ledger import SCHEDULE_HEADER
from eql.terms import default_terms
from eql.workbook.summary import NOTICE_ROW, functions_missing_formula
from eql.workbook.template import build_template
from libreoffice import Cell, CellError, Office, extension_profile

RESOURCES = Path(__file__).parent / "resources"
EPOCH = dt.date(1899, 12, 30)  # a spreadsheet's day 0 for every date after 1900-02-28
HEADER_ROW = 3  # each sheet's table heading row (row 1 the title, row 2 a note)
INPUT_COLUMNS = ("Funding date", "Amount requested", "Notes")


def serial(day: dt.date) -> float:
    return float((day - EPOCH).days)


def eql(*args: str) -> subprocess.CompletedProcess[str]:
    """An eql command in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "eql.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


# --- the answers -------------------------------------------------------------------------------


def answers(name: str, workbook: str) -> list[dict[str, str]]:
    with (RESOURCES / name).open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["workbook"] == workbook]
    assert rows, f"no answers for {workbook} in {name}"
    for row in rows:
        assert row["why"].strip(), f"{name}: a row without a why: {row}"
    return rows


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def expected(text: str) -> Cell:
    """An answer as the spreadsheet holds it: dates as serial numbers, numbers as doubles (the
    nearest to the exact decimal), text as text, a blank as the empty text of ``IF(...,"")``."""
    if DATE.fullmatch(text):
        return serial(dt.date.fromisoformat(text))
    if NUMBER.fullmatch(text):
        return float(Decimal(text))
    return text


# --- the scenario: the empty template, filled by hand --------------------------------------------

D = dt.date
# The inputs of the scenario; the answers are in the template_*.csv files, workbook "scenario".
SCENARIO_PRICES = [
    # pricing 2002-04-02: 03-25, 03-26, 03-27, 03-28 and 04-01 (Good Friday 03-29 closed)
    (D(2002, 3, 25), 2.40),
    (D(2002, 3, 26), 2.50),
    (D(2002, 3, 27), 2.60),
    (D(2002, 3, 28), 2.45),
    (D(2002, 4, 1), 2.55),
    # pricing 2002-07-08: 06-28, 07-01, 07-02, 07-03, 07-05 (07-04 closed); 1.904 a share
    *((day, 2.24) for day in (D(2002, 6, 28), *(D(2002, 7, d) for d in (1, 2, 3, 5)))),
    # pricing 2002-10-01: 09-24 .. 09-30
    (D(2002, 9, 24), 2.00),
    (D(2002, 9, 25), 2.10),
    (D(2002, 9, 26), 2.20),
    (D(2002, 9, 27), 2.30),
    (D(2002, 9, 30), 2.40),
    # pricing 2003-01-02: 12-24, 12-26, 12-27, 12-30, 12-31 (12-25 closed)
    *((day, 2.00) for day in (D(2002, 12, 24), *(D(2002, 12, d) for d in (26, 27, 30, 31)))),
    # nothing for 2002-05-01's sessions (04-24 .. 04-30)
]
SCENARIO_DRAWS = [
    (D(2002, 4, 2), 5_000_000, "first draw"),
    (D(2002, 5, 1), 1_000_000, "term quarter 1 is full; no closes"),
    (D(2002, 7, 8), 1_904_000, "the float trap"),
    (D(2002, 10, 1), 1_870_000, "condition (ii) met on 09-25"),
    (D(2003, 1, 2), 500_000, "no license yet"),
]
SCENARIO_CASH_USED = [
    ("FY2003 Q1", 6_000_000),
    ("FY2003 Q2", 4_000_000),
    ("FY2003 Q3", 4_000_000),
    ("FY2003 Q4", 4_000_000),
]
SCENARIO_MILESTONES = {"POLYMER_265": D(2002, 8, 20), "SAMPLES_30": D(2002, 9, 25)}
SCENARIO_REDUCTIONS = [(D(2002, 12, 1), 2_000_000, 3_000_000)]
SCENARIO_AS_OF = D(2002, 12, 31)


def fill_scenario(book: Workbook) -> None:
    """Type the scenario into the empty template's input tables, as a user would."""
    first = HEADER_ROW + 1

    def put(sheet: str, rows: list[tuple[Any, ...]]) -> None:
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                book[sheet].cell(first + offset, column, value)

    put("Prices", SCENARIO_PRICES)
    book["Prices"].tables["Prices"].ref = f"A{HEADER_ROW}:B{first + len(SCENARIO_PRICES) - 1}"
    put("Draws", SCENARIO_DRAWS)
    put("CashUsed", SCENARIO_CASH_USED)
    put("Reductions", SCENARIO_REDUCTIONS)
    milestones = book["Milestones"]
    for row in range(first, milestones.max_row + 1):
        key = milestones.cell(row, 1).value
        if key in SCENARIO_MILESTONES:
            milestones.cell(row, 2, SCENARIO_MILESTONES[key])
    summary = book["Summary"]
    as_of = next(r for r in range(1, summary.max_row + 1) if summary.cell(r, 1).value == "As of")
    summary.cell(as_of, 2, SCENARIO_AS_OF)


# --- LibreOffice, once for every test --------------------------------------------------------------


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """LibreOffice on a private profile with the EQL_ extension built by eql installed in it."""
    with Office(extension_profile(tmp_path_factory.mktemp("libreoffice"))) as running:
        yield running


@dataclass(frozen=True)
class Computed:
    """A workbook as LibreOffice computed it: its formulas (as eql wrote them) and values."""

    source: Path
    saved: Path  # LibreOffice's own .xlsx of the computed workbook
    formulas: Workbook
    values: dict[str, list[list[Cell]]]

    def value(self, sheet: str, row: int, column: int) -> Cell:
        """The value at a 1-based row and column; outside the used area, empty."""
        grid = self.values[sheet]
        if row > len(grid) or column > len(grid[row - 1]):
            return None
        return grid[row - 1][column - 1]

    def columns(self, sheet: str) -> dict[str, int]:
        heads = self.formulas[sheet][HEADER_ROW]
        return {str(cell.value): cell.column for cell in heads if cell.value is not None}


def compute(office: Office, source: Path, outdir: Path) -> Computed:
    with office.open(source) as book:
        book.calculate_all()
        values = {name: book.cells(name) for name in ("Summary", "Draws", "Schedule")}
        saved = book.save_xlsx(outdir / f"{source.stem}-computed.xlsx")
    return Computed(source, saved, openpyxl.load_workbook(source), values)


@pytest.fixture(scope="module")
def example(office: Office, tmp_path_factory: pytest.TempPathFactory) -> Computed:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(folder)]) == 0
    return compute(office, folder / "example-facility.xlsx", tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def scenario(office: Office, tmp_path_factory: pytest.TempPathFactory) -> Computed:
    folder = tmp_path_factory.mktemp("scenario")
    book = build_template(default_terms())
    fill_scenario(book)
    source = folder / "scenario.xlsx"
    book.save(source)
    return compute(office, source, folder)


@pytest.fixture(params=["example", "scenario"])
def computed(request: pytest.FixtureRequest) -> tuple[str, Computed]:
    return request.param, request.getfixturevalue(request.param)


# --- Draws ---------------------------------------------------------------------------------------

# Draws' formula columns, and the answers' column for each.
DRAW_ANSWERS = {
    "Fiscal quarter": "fiscal_quarter",
    "Term quarter": "term_quarter",
    "First pricing date": "first_pricing_date",
    "Last pricing date": "last_pricing_date",
    "Average close": "average_close",
    "Price": "price",
    "Cap": "cap",
    "Check": "check",
    "Funded on": "funding_date",
    "Amount funded": "amount_funded",
    "Shares": "shares",
    "Restricted legend": "restricted_legend",
    "Registration rights": "registration_rights",
}


def test_draws_formula_columns(computed: tuple[str, Computed]) -> None:
    workbook, book = computed
    columns = book.columns("Draws")
    assert set(columns) == {*INPUT_COLUMNS, *DRAW_ANSWERS}, "a Draws column without answers"
    rows = answers("template_draws.csv", workbook)
    wrong = []
    for offset, answer in enumerate(rows):
        row = HEADER_ROW + 1 + offset
        assert book.value("Draws", row, columns["Funding date"]) == expected(answer["funding_date"])
        for name, key in DRAW_ANSWERS.items():
            got = book.value("Draws", row, columns[name])
            if got != expected(answer[key]):
                wrong.append(f"Draws row {row} {name}: {got!r}, hand-worked {answer[key]!r}")
    assert not wrong, "\n".join(wrong)


def test_spare_draws_rows_stay_blank(computed: tuple[str, Computed]) -> None:
    workbook, book = computed
    columns = book.columns("Draws")
    first = HEADER_ROW + 1 + len(answers("template_draws.csv", workbook))
    last = range_boundaries(book.formulas["Draws"].tables["Draws"].ref)[3]
    assert last > first, "the table keeps spare rows to type into"
    for row in range(first, last + 1):
        for name in DRAW_ANSWERS:
            assert book.value("Draws", row, columns[name]) == "", (row, name)


# --- Schedule: EQL_SCHEDULE's array ----------------------------------------------------------------


def schedule_row(answer: dict[str, str]) -> list[Cell]:
    """EQL_SCHEDULE's row of a request, from its Draws answers: the same values, plus what binds;
    where no price can be set, the shares cell says why."""
    unpriced = answer["price"].startswith("#")
    return [
        expected(answer[key])
        for key in (
            "funding_date",
            "amount_requested",
            "fiscal_quarter",
            "term_quarter",
            "first_pricing_date",
            "last_pricing_date",
            "average_close",
            "price",
            "price" if unpriced else "shares",
            "cap",
            "binds",
            "amount_funded",
            "check",
        )
    ]


def test_schedule_sheet(computed: tuple[str, Computed]) -> None:
    workbook, book = computed
    block = book.formulas["Schedule"]["A2"].value
    assert isinstance(block, ArrayFormula)
    left, top, right, bottom = range_boundaries(block.ref)
    width = right - left + 1
    grid = [
        [book.value("Schedule", r, c) for c in range(left, right + 1)]
        for r in range(top, bottom + 1)
    ]
    assert grid[0] == list(SCHEDULE_HEADER)
    rows = answers("template_draws.csv", workbook)
    for offset, answer in enumerate(rows, start=1):
        assert grid[offset] == schedule_row(answer), f"Schedule row {top + offset}"
    # An array formula's cells past the end of its result show #N/A.
    for row in grid[1 + len(rows) :]:
        assert row == [CellError("#N/A")] * width


# --- Summary -------------------------------------------------------------------------------------


def test_summary(computed: tuple[str, Computed]) -> None:
    workbook, book = computed
    sheet = book.formulas["Summary"]
    labels = {str(sheet.cell(r, 1).value): r for r in range(1, sheet.max_row + 1)}
    items = answers("template_summary.csv", workbook)
    got = {a["item"]: book.value("Summary", labels[a["item"]], 2) for a in items}
    assert got == {a["item"]: expected(a["value"]) for a in items}
    # every formula of the Summary's first two columns is one of the answers
    formulas = {
        str(sheet.cell(r, 1).value)
        for r in range(1, sheet.max_row + 1)
        if isinstance(sheet.cell(r, 2).value, str) and sheet.cell(r, 2).value.startswith("=")
    }
    assert formulas <= set(got), "a Summary cell without a hand-worked answer"


def test_summary_limits(computed: tuple[str, Computed]) -> None:
    """EQL_CAP_DETAIL's table: each limit on the as-of date, and the cap."""
    workbook, book = computed
    sheet = book.formulas["Summary"]
    blocks = [
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, ArrayFormula) and "EQL_CAP_DETAIL" in cell.value.text
    ]
    assert len(blocks) == 1
    left, top, right, bottom = range_boundaries(blocks[0].ref)
    grid = [
        [book.value("Summary", r, c) for c in range(left, right + 1)]
        for r in range(top, bottom + 1)
    ]
    assert grid[0] == ["limit", "allowed", "used", "room", "basis"]
    limits = answers("template_limits.csv", workbook)
    assert grid[1:] == [
        [a["limit"], *(expected(a[k]) for k in ("allowed", "used", "room", "basis"))]
        for a in limits
    ]


def test_every_eql_cell_is_judged(computed: tuple[str, Computed]) -> None:
    """The EQL_ formulas are where the tests above look: the Draws columns, the Schedule block, the
    Summary's conditions and its limits block. A new EQL_ cell elsewhere needs answers."""
    _, book = computed
    found: set[tuple[str, str]] = set()
    for sheet in book.formulas.worksheets:
        columns = {c.column: str(c.value) for c in sheet[HEADER_ROW] if c.value is not None}
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                text = value.text if isinstance(value, ArrayFormula) else value
                if isinstance(text, str) and "EQL_" in text and text.startswith("="):
                    if sheet.title == "Draws":
                        found.add(("Draws", columns[cell.column]))
                    elif isinstance(value, ArrayFormula):
                        found.add((sheet.title, text.split("(")[0]))
                    else:
                        found.add((sheet.title, str(sheet.cell(cell.row, 1).value)))
    assert found == {
        *(
            ("Draws", name)
            for name in (
                "Fiscal quarter",
                "Term quarter",
                "First pricing date",
                "Last pricing date",
                "Average close",
                "Price",
                "Cap",
                "Check",
                "Shares",
            )
        ),
        ("Schedule", "=EQL_SCHEDULE"),
        ("Summary", "=EQL_CAP_DETAIL"),
        ("Summary", "Conditions on the as-of date"),
        ("Summary", functions_missing_formula()),
    }


def test_the_summary_says_nothing_of_missing_functions(computed: tuple[str, Computed]) -> None:
    # With the extension the EQL_ functions are loaded: the notice of their absence is empty.
    _, book = computed
    assert book.value("Summary", NOTICE_ROW, 1) in ("", None)


# --- the round trip: LibreOffice's .xlsx is still a template eql reads ----------------------------


def pack_cells(path: Path) -> dict[tuple[str, str], Any]:
    book = openpyxl.load_workbook(path)
    return {
        (sheet.title, cell.coordinate): cell.value.text
        if isinstance(cell.value, ArrayFormula)
        else cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def formulas(path: Path) -> dict[tuple[str, str], str]:
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                text = value.text if isinstance(value, ArrayFormula) else value
                if isinstance(text, str) and text.startswith("="):
                    found[(sheet.title, cell.coordinate)] = text
    return found


def test_saved_copy_keeps_every_formula(computed: tuple[str, Computed]) -> None:
    """LibreOffice's .xlsx holds every formula as eql wrote it, the EQL_ functions under their
    plain names, so the copy still computes in Excel with the xlwings add-in."""
    _, book = computed
    written, saved = formulas(book.source), formulas(book.saved)
    assert {key: saved.get(key) for key in written} == written
    # LibreOffice's quirk, pinned: it writes a TRUE or FALSE constant as the formula =TRUE().
    assert set(saved.values()) - set(written.values()) <= {"=TRUE()", "=FALSE()"}


def test_quarter_end_reads_the_computed_workbook(
    computed: tuple[str, Computed], tmp_path: Path
) -> None:
    """The pack made from LibreOffice's copy is the pack made from the workbook eql wrote."""
    _, book = computed
    packs = []
    for name, inputs in (("original", book.source), ("computed", book.saved)):
        out = tmp_path / f"{name}.xlsx"
        done = eql(
            "quarter-end", "--inputs", str(inputs), "--quarter", "FY2003 Q3", "--out", str(out)
        )
        assert done.returncode == 0, done.stderr
        packs.append(pack_cells(out))
    assert packs[0] == packs[1]


def test_check_reads_the_computed_workbook(computed: tuple[str, Computed]) -> None:
    """``eql check`` finds the ledger in LibreOffice's copy and agrees with every funded draw's
    price and shares as LibreOffice computed them."""
    _, book = computed
    done = eql("check", str(book.saved))
    assert done.returncode == 0, done.stdout + done.stderr
