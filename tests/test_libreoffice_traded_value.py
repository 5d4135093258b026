"""The advance limit by traded value computed by LibreOffice Calc through the extension: every
row of tests/resources/traded_value.csv as a formula (EQL_CAP, EQL_CAP_DETAIL and EQL_CHECK with
the optional prices argument last, or left out; EQL_SCHEDULE), its inputs as cells, recalculated
once and compared with the hand-worked answer."""

from __future__ import annotations

from typing import Any

import openpyxl
import pytest

from eql.ledger import SCHEDULE_HEADER
from fixtures import day
from libreoffice import extension_profile, recalculate
from test_libreoffice_functions import Book, call
from traded_value_answers import draws, expected, prices, rows, terms

DETAIL_ROWS = 6  # header, the two limits, the cap row, and room for more
BLANK = [[None, None]]


def _width(cells: list[list[Any]]) -> int:
    return max(len(row) for row in cells)


def _build(book: Book, key: str, row: dict[str, str]) -> None:
    function = row["function"]
    date = book.value(day(row["date"]))
    given = prices(row)
    market = [book.range(given, width=_width(given))] if given is not None else []
    terms_range = book.range(terms(row))
    blank = book.range(BLANK)
    if function == "schedule":
        requests = [
            ["Funding date", "Amount requested"],
            *(draws(row) or []),
            [day(row["date"]), float(row["amount"])],
        ]
        book.formula(
            key,
            call("EQL_SCHEDULE", book.range(requests), *market, blank, blank, blank, terms_range),
            height=len(requests),
            width=len(SCHEDULE_HEADER),
        )
        return
    draw_range = book.range(draws(row))
    if function == "check":
        amount = book.value(float(row["amount"]))
        arguments = [date, amount, draw_range, blank, blank, blank, terms_range, *market]
        book.formula(key, call("EQL_CHECK", *arguments))
        return
    arguments = [date, draw_range, blank, blank, terms_range, *market]
    if function == "cap":
        book.formula(key, call("EQL_CAP", *arguments))
    else:
        book.formula(key, call("EQL_CAP_DETAIL", *arguments), height=DETAIL_ROWS, width=5)


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Any]:
    folder = tmp_path_factory.mktemp("libreoffice-traded-value")
    book = Book()
    for param in rows():
        _build(book, param.id, param.values[0])
    source = folder / "traded_value.xlsx"
    book.book.save(source)
    done = recalculate(source, folder / "out", extension_profile(folder))
    return book, openpyxl.load_workbook(done, data_only=True)["Results"]


def _block(computed: tuple[Book, Any], key: str, height: int, width: int) -> list[list[Any]]:
    book, sheet = computed
    top = sheet[book.cells[key]]
    return [
        [sheet.cell(top.row + r, top.column + c).value for c in range(width)] for r in range(height)
    ]


@pytest.mark.parametrize("row", rows())
def test_traded_value_in_libreoffice(computed: tuple[Book, Any], row: dict[str, str]) -> None:
    function = row["function"]
    key = next(p.id for p in rows() if p.values[0] is row or p.values[0] == row)
    if function in {"cap", "check"}:
        result = _block(computed, key, 1, 1)[0][0]
    elif function in {"basis", "binds"}:
        table = _block(computed, key, DETAIL_ROWS, 5)
        if function == "basis":
            result = next(r[4] for r in table if r[0] == "advance traded value")
        else:
            result = next(r[4] for r in table if r[0] == "cap").removeprefix("binds: ")
    else:
        height = len(draws(row) or []) + 2
        table = _block(computed, key, height, len(SCHEDULE_HEADER))
        if isinstance(table[0][0], str) and table[0][0].startswith("#"):
            result = table[0][0]  # the whole ledger's error text fills its first cell
        else:
            result = table[-1][SCHEDULE_HEADER.index("status")]
    answer = expected(row)
    if isinstance(answer, float):  # a cell of the file holds 15 significant digits
        answer = float(f"{answer:.15g}")
    assert result == answer, row["why"]
