"""Reading a filled template's input Tables, found by name and heading.

The workbook is a user's file, so it is opened through :mod:`eql.untrusted` and only read; eql
never saves it. Values are the cells as typed (or as Excel last computed them, for an input cell
that holds a formula), and go through the same parsers as the EQL_ functions use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from eql import tables
from eql.errors import LedgerError
from eql.facility import OPTIONAL, Facility, from_rows
from eql.places import Place, named_places
from eql.terms import Terms, default_terms, range_terms
from eql.workbook.layout import DRAWS, INPUT_TABLES, PRICES, TERMS, InputTable
from eql.workbook.price_columns import prices_headings

Rows = list[list[Any]]


def has_input_tables(book: Workbook) -> bool:
    """Whether the workbook is a filled template: it holds eql's Draws and Prices tables."""
    found = _tables_by_name(book)
    return all(spec.table.lower() in found for spec in (DRAWS, PRICES))


def table_sheet(book: Workbook, spec: InputTable) -> str | None:
    """The title of the sheet holding ``spec``'s table, None when there is none."""
    found = _tables_by_name(book).get(spec.table.lower())
    return None if found is None else str(found[0].title)


def terms_of(book: Workbook, base: Terms) -> Terms:
    """The terms of the workbook's Terms table, as the EQL_ functions read it
    (:func:`eql.terms.range_terms`): its rows overriding ``base`` or the facility a row names, or
    every term itself; ``base`` when the workbook has no Terms table."""
    found = _tables_by_name(book)
    if TERMS.table.lower() not in found:
        return base
    return range_terms(tables.term_overrides(_read(found, TERMS)), base)


def table_ranges(
    book: Workbook, keys: tuple[str, ...], terms: Terms, places: dict[str, Place] | None = None
) -> dict[str, Rows]:
    """The rows of the input tables holding ``keys`` (``prices``, ``draws`` ...); an optional
    table that is missing is left out, a required one is refused. The Prices table's columns are
    those ``terms`` read (the daily price they price on, the day's low where the rule reads it).
    Where each table's rows sit is put in ``places``.
    """
    found = _tables_by_name(book)
    ranges: dict[str, Rows] = {}
    places = {} if places is None else places
    for spec in INPUT_TABLES:
        if spec.key not in keys:
            continue
        if spec.table.lower() not in found:
            if spec.key in OPTIONAL:
                continue
            raise LedgerError(name=spec.key, detail=f"the workbook has no table named {spec.table}")
        columns = prices_headings(terms) if spec is PRICES else spec.columns
        ranges[spec.key], places[spec.key] = _read_placed(found, spec, columns)
    return ranges


def facility_from_workbook(book: Workbook, terms: Terms | None = None) -> Facility:
    """The facility a filled template holds; its Terms table overrides ``terms`` (the default)."""
    keys = tuple(spec.key for spec in INPUT_TABLES if spec is not TERMS)
    places: dict[str, Place] = {}
    chosen = terms_of(book, terms or default_terms())
    ranges = table_ranges(book, keys, chosen, places)
    with named_places(places):
        return from_rows(ranges, chosen)


def _tables_by_name(book: Workbook) -> dict[str, tuple[Worksheet, str]]:
    found: dict[str, tuple[Worksheet, str]] = {}
    for sheet in book.worksheets:
        for table in sheet.tables.values():
            found[table.displayName.lower()] = (sheet, table.ref)
    return found


def _read(found: dict[str, tuple[Worksheet, str]], spec: InputTable) -> Rows:
    return _read_placed(found, spec, spec.columns)[0]


def _read_placed(
    found: dict[str, tuple[Worksheet, str]], spec: InputTable, wanted: Sequence[str]
) -> tuple[Rows, Place]:
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
    body = [row for row in sorted(present) if row > min_row]
    rows = [
        [None if column is None else present[row].get(column) for column in positions]
        for row in body
    ]
    letters = tuple("" if column is None else get_column_letter(column) for column in positions)
    if spec is PRICES:
        # The prices with their headings, by which the engine finds each market column.
        rows, body = [list(wanted), *rows], [min_row, *body]
    return rows, Place(f"sheet {sheet.title!r}", tuple(body), letters)


def _heading(value: Any) -> str:
    return " ".join(str(value).split()).lower() if value is not None else ""
