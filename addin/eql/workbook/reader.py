"""Reading a filled template back into a facility: its input Tables, found by name and heading.

The workbook is a user's file, so it is opened through :mod:`eql.untrusted` and only read; eql
never saves it. Values are the cells as typed (or as Excel last computed them, for an input cell
that holds a formula), and go through the same parsers as the EQL_ functions use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from eql import tables
from eql.errors import LedgerError
from eql.example import example_folder
from eql.facility import OPTIONAL, Facility, from_rows, load_folder
from eql.terms import Terms, default_terms
from eql.untrusted import load_workbook
from eql.workbook.layout import DRAWS, INPUT_TABLES, TERMS, InputTable

Rows = list[list[Any]]


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def read_inputs(path: Path | None, terms: Terms | None = None) -> Facility:
    """A facility from a filled template, a folder of CSV files, or (no path) the example."""
    if path is None:
        return load_folder(example_folder(), terms)
    if path.is_dir():
        return load_folder(path, terms)
    if not path.exists():
        raise LedgerError(name="inputs", detail=f"no workbook or folder at {path}")
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise LedgerError(
            name="inputs", detail=f"{path} is neither a folder of CSV files nor an .xlsx workbook"
        )
    return read_workbook(path, terms)


def read_workbook(path: Path, terms: Terms | None = None) -> Facility:
    """The facility a filled template holds; its Terms table overrides ``terms`` (the default)."""
    book = load_workbook(path, data_only=True)
    return facility_from_workbook(book, terms)


def facility_from_workbook(book: Workbook, terms: Terms | None = None) -> Facility:
    found = _tables_by_name(book)
    base = terms or default_terms()
    chosen = base
    if TERMS.table.lower() in found:
        chosen = base.with_overrides(tables.term_overrides(_read(found, TERMS)))
    ranges: dict[str, Rows] = {}
    for spec in INPUT_TABLES:
        if spec is TERMS:
            continue
        if spec.table.lower() not in found:
            if spec.key in OPTIONAL:
                continue
            raise LedgerError(name=spec.key, detail=f"the workbook has no table named {spec.table}")
        ranges[spec.key] = _read(found, spec)
    return from_rows(ranges, chosen)


def _tables_by_name(book: Workbook) -> dict[str, tuple[Worksheet, str]]:
    found: dict[str, tuple[Worksheet, str]] = {}
    for sheet in book.worksheets:
        for table in sheet.tables.values():
            found[table.displayName.lower()] = (sheet, table.ref)
    return found


def _read(found: dict[str, tuple[Worksheet, str]], spec: InputTable) -> Rows:
    """The data rows of ``spec``'s columns, in the order the engine takes them: the rows of the
    table that hold a cell, read from the sheet's own store of cells (a table's reference may
    span a million rows that hold nothing; blank rows are skipped by the engine anyway).
    """
    sheet, ref = found[spec.table.lower()]
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    present: dict[int, dict[int, Any]] = {}
    for (row, column), cell in sheet._cells.items():
        if min_row <= row <= max_row and min_col <= column <= max_col and cell.value is not None:
            present.setdefault(row, {})[column] = cell.value
    header = present.get(min_row, {})
    headings = [_heading(header.get(column)) for column in range(min_col, max_col + 1)]
    wanted = spec.columns
    positions: list[int | None] = []
    for name in wanted:
        if _heading(name) not in headings:
            if spec is DRAWS and name == "Notes":
                positions.append(None)
                continue
            raise LedgerError(
                name=spec.key,
                detail=f"table {spec.table} has no column {name!r} (it has {', '.join(map(str, headings))})",
            )
        positions.append(min_col + headings.index(_heading(name)))
    return [
        [None if column is None else present[row].get(column) for column in positions]
        for row in sorted(present)
        if row > min_row
    ]


def _heading(value: Any) -> str:
    return " ".join(str(value).split()).lower() if value is not None else ""
