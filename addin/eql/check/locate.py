"""Finding a draw ledger, and the price history, cash used and milestones beside it, in a
workbook eql did not write: by the headings of its columns, or by an explicit column map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from eql.check.cells import column_index, column_letter, ledger_date
from eql.check.grid import Grid, grid
from eql.check.headings import (
    INPUT_HEADINGS,
    LEDGER_FIELDS,
    OPTIONAL_COLUMNS,
    REQUIRED,
    header_fields,
    header_rows,
    ledger_fields,
    says_total,
)
from eql.errors import EqlError, InputError
from eql.places import Place
from eql.values import parse_decimal, show


class LedgerNotFoundError(EqlError):
    msg = "{workbook}: {detail}"


@dataclass(frozen=True)
class Located:
    grid: Grid
    header_row: int
    columns: dict[str, int]

    def letters(self) -> dict[str, str]:
        return {name: column_letter(column) for name, column in self.columns.items()}


def find_ledger(
    workbook: Workbook,
    workbook_name: str,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    uncomputed: Mapping[str, frozenset[tuple[int, int]]] | None = None,
) -> Located:
    """The sheet, header row and columns of the draw ledger; ``uncomputed`` are the formula
    cells of each sheet with no saved value.
    """
    uncomputed = uncomputed or {}
    sheets = [_sheet(workbook, workbook_name, sheet)] if sheet else list(workbook.worksheets)
    if mapping:
        if len(sheets) > 1:
            sheets = sheets[:1]
        return _mapped(
            grid(sheets[0], uncomputed.get(sheets[0].title, frozenset())), workbook_name, mapping
        )
    best: tuple[int, int, Located] | None = None
    seen: list[str] = []
    for index, candidate in enumerate(sheets):
        values = grid(candidate, uncomputed.get(candidate.title, frozenset()))
        for row in header_rows(values):
            columns = ledger_fields(values, row)
            if all(name in columns for name in REQUIRED):
                # A heading of two rows (merged cells over their parts) ends at its last row.
                last = row
                while last < values.max_row and len(
                    following := ledger_fields(values, last + 1)
                ) >= len(columns):
                    last, columns = last + 1, following
                score = len(columns)
                if best is None or score > best[0]:
                    best = (score, -index, Located(values, last, columns))
                break
        else:
            seen.append(candidate.title)
    if best is None:
        where = (
            f"sheet {show(sheet)}" if sheet else f"any sheet ({', '.join(show(s) for s in seen)})"
        )
        raise LedgerNotFoundError(
            workbook=workbook_name,
            detail=f"no draw ledger found in {where}: no row of headings names a funding date and an amount "
            "(e.g. 'Funding date', 'Draw amount'); give the columns with --map date=B,amount=C,price=D,shares=E",
        )
    return best[2]


def _sheet(workbook: Workbook, workbook_name: str, name: str) -> Worksheet:
    if name in workbook.sheetnames:
        sheet = workbook[name]
        if isinstance(sheet, Worksheet):
            return sheet
    names = ", ".join(show(s) for s in workbook.sheetnames)
    raise LedgerNotFoundError(
        workbook=workbook_name, detail=f"no worksheet named {show(name)} (sheets: {names})"
    )


def parse_mapping(text: str) -> dict[str, str]:
    """``date=B,amount=C,price=D,shares=E`` as a field -> column letter mapping."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, letter = part.partition("=")
        field_name = name.strip().lower()
        if not sep or field_name not in LEDGER_FIELDS:
            raise InputError(
                name="--map",
                problem=f"takes FIELD=COLUMN pairs with FIELD one of {', '.join(LEDGER_FIELDS)}",
                value=show(part.strip()),
            )
        column_index(letter)
        mapping[field_name] = letter.strip().upper()
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        raise InputError(
            name="--map", problem=f"must give the {' and '.join(missing)} column", value=show(text)
        )
    return mapping


def _mapped(values: Grid, workbook_name: str, mapping: Mapping[str, str]) -> Located:
    """With the columns given, the header is the row above the first row holding a draw."""
    columns = {name: column_index(letter) for name, letter in mapping.items()}
    for row in values.rows:
        if _is_draw(values.value(row, columns["date"]), values.value(row, columns["amount"])):
            return Located(values, row - 1, columns)
    raise LedgerNotFoundError(
        workbook=workbook_name,
        detail=f"sheet {show(values.title)}: no row has a date in column {mapping['date']} and an amount in column {mapping['amount']}",
    )


def _is_draw(date_cell: Any, amount_cell: Any) -> bool:
    try:
        ledger_date(date_cell, "date")
        parse_decimal(amount_cell, "amount")
    except InputError:
        return False
    return True


def find_input_table(
    workbook: Workbook, name: str, skip: str | None = None, needed: Sequence[str] | None = None
) -> tuple[str, list[list[Any]], Place] | None:
    """The rows of an input table (prices, cash used, milestones, reductions) found by its
    headings on any sheet but the ledger's: the header then each row of its columns, as the
    engine's table parsers take them. None when no sheet has one. ``needed`` names the columns
    to find, in the order the engine takes them (the prices a facility's terms read); every
    column of the table by default.
    """
    every = INPUT_HEADINGS[name]
    fields = every if needed is None else {key: every[key] for key in needed}
    optional = OPTIONAL_COLUMNS.get(name, ())
    for sheet in workbook.worksheets:
        if sheet.title == skip:
            continue
        values = grid(sheet)
        for row in header_rows(values):
            columns = header_fields(values, row, fields)
            if all(key in columns for key in fields if key not in optional):
                order = [key for key in fields if key in columns]
                rows = [[values.value(row, columns[key]) for key in order]]
                at = [row]
                for body in values.rows_after(row):
                    cells = [values.value(body, columns[key]) for key in order]
                    if says_total(cells):
                        continue
                    rows.append([_plain(cell, key) for cell, key in zip(cells, order, strict=True)])
                    at.append(body)
                letters = tuple(column_letter(columns[key]) for key in order)
                return sheet.title, rows, Place(f"sheet {sheet.title!r}", tuple(at), letters)
    return None


def _plain(value: Any, key: str) -> Any:
    """Text dates in a US workbook's input tables, as dates the engine's parsers take."""
    if key == "date" and isinstance(value, str):
        try:
            return ledger_date(value, key)
        except InputError:
            return value
    return value
