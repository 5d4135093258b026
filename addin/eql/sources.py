"""A facility's inputs wherever the finance team keeps them: the one loader of eql check, eql
schedule and eql quarter-end.

- a folder of CSV files (``prices.csv``, ``draws.csv`` ...; the example facility is one);
- a filled template: eql's input Tables, found by name, its Terms table overriding the terms, as
  eql wrote it or after Excel or LibreOffice saved it;
- a ledger workbook of the team's own: the draw ledger and the tables beside it (closing prices,
  cash used, milestones, reductions) found by their headings.

Workbooks are opened through :mod:`eql.untrusted` and only read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook

from eql.check.locate import find_input_table, find_ledger
from eql.check.rows import read_rows
from eql.csvfiles import read_csv_table
from eql.errors import EqlError, LedgerError
from eql.example import example_folder
from eql.facility import Facility, from_rows, load_folder
from eql.market import columns_needed
from eql.places import Place, named_places
from eql.terms import Terms, default_terms
from eql.untrusted import Opened, open_workbook
from eql.vocabulary import LimitKind
from eql.workbook.layout import DRAWS, INPUT_TABLES
from eql.workbook.price_columns import prices_headings
from eql.workbook.reader import (
    facility_from_workbook,
    has_input_tables,
    table_ranges,
    table_sheet,
    terms_of,
)

Rows = list[list[Any]]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# The inputs found beside a ledger, and how to add one that is missing.
INPUTS = ("prices", "cash_used", "milestones", "reductions", "issued", "outstanding", "holdings")
# The share caps' inputs, looked for only when the terms name a share cap.
SHARE_INPUTS = frozenset({"issued", "outstanding", "holdings"})
REQUIRED_INPUTS = {
    "prices": "a sheet with 'Date' and 'Close' columns",
    "cash_used": "a sheet with 'Fiscal quarter' and 'Cash used' columns",
    "milestones": "a sheet with 'Milestone' and 'Date' columns",
}

TABLE_NAMES = {spec.key: spec.table for spec in INPUT_TABLES}


def price_fields(terms: Terms) -> tuple[str, ...]:
    """The columns of a prices table the terms read, in the order of the market's columns: the
    date, the daily price they price on (close, bid or VWAP), the day's low for a rule that
    reads it ..."""
    return tuple(column.value for column in columns_needed(terms))


def _where(key: str, terms: Terms) -> str:
    """Where a missing input would be found, in the words of its headings."""
    if key != "prices":
        return REQUIRED_INPUTS[key]
    headings = prices_headings(terms)
    named = ", ".join(f"'{h}'" for h in headings[:-1])
    return f"a sheet with {named} and '{headings[-1]}' columns"


class MissingInputError(EqlError):
    msg = "{workbook}: no {name} found: add {where} to the workbook, or pass --{option} FILE (a CSV like the example's {name}.csv)"


@dataclass(frozen=True)
class WorkbookInputs:
    """The inputs beside a ledger: the terms (the workbook's Terms table overriding the given
    ones), each input's rows, and where each came from (``table 'Prices'``, ``sheet 'Cash
    burn'``, a file).
    """

    terms: Terms
    ranges: dict[str, Rows]
    sources: dict[str, str]
    places: dict[str, Place]  # where each input's rows sit, for complaints


def needed_inputs(terms: Terms) -> frozenset[str]:
    """The inputs the terms need: cash used only for a cash-used limit, milestones only when the
    terms name some (a facility such as Berg 2004 has neither)."""
    needed = {"prices"}
    if terms.limit(LimitKind.CASH_USED) is not None:
        needed.add("cash_used")
    if terms.milestones:
        needed.add("milestones")
    return frozenset(needed & set(REQUIRED_INPUTS))


def ledger_sheet(book: Workbook) -> str | None:
    """The sheet to find a ledger on when none is named: a filled template's Draws sheet."""
    return table_sheet(book, DRAWS) if has_input_tables(book) else None


def workbook_inputs(
    book: Workbook,
    name: str,
    terms: Terms,
    files: Mapping[str, Path | None],
    skip: str | None = None,
) -> WorkbookInputs:
    """Each input from a CSV file given, else from the template's table, else from a sheet
    (other than ``skip``, the ledger's) found by its headings.
    """
    template = has_input_tables(book)
    if template:
        terms = terms_of(book, terms)
    table_places: dict[str, Place] = {}
    tables = table_ranges(book, INPUTS, terms, table_places) if template else {}
    ranges: dict[str, Rows] = {}
    sources: dict[str, str] = {}
    places: dict[str, Place] = {}
    for key in INPUTS:
        if key in SHARE_INPUTS and not terms.share_caps:  # not asked for, nor reported
            ranges[key] = []
            continue
        file = files.get(key)
        if file is not None:
            ranges[key], places[key] = read_csv_table(Path(file))
            sources[key] = str(file)
        elif key in tables:
            ranges[key], places[key] = tables[key], table_places[key]
            sources[key] = f"table {TABLE_NAMES[key]!r}"
        elif (
            found := None
            if template
            else find_input_table(
                book, key, skip=skip, needed=price_fields(terms) if key == "prices" else None
            )
        ) is not None:
            sheet, rows, places[key] = found
            ranges[key] = rows
            sources[key] = f"sheet {sheet!r}"
        elif key in needed_inputs(terms):
            raise MissingInputError(
                workbook=name,
                name=key.replace("_", " "),
                where=_where(key, terms),
                option=key.replace("_", "-"),
            )
        else:
            ranges[key] = []
            sources[key] = "none"
    return WorkbookInputs(terms, ranges, sources, places)


def read_inputs(path: Path | None, terms: Terms | None = None) -> Facility:
    """A facility from a folder of CSV files, a filled template or a ledger workbook of the
    team's own; the example facility when no path is given.
    """
    if path is None:
        return load_folder(example_folder(), terms)
    if path.is_dir():
        return load_folder(path, terms)
    if not path.exists():
        raise LedgerError(name="inputs", detail=f"no workbook or folder at {path}")
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise LedgerError(
            name="inputs",
            detail=f"{path} is neither a folder of CSV files nor an .xlsx or .xlsm workbook",
        )
    opened = open_workbook(path, data_only=True)
    try:
        if has_input_tables(opened.workbook):
            return facility_from_workbook(opened.workbook, terms)
        return _facility_from_ledger(opened, path, terms or default_terms())
    finally:
        opened.workbook.close()


def _facility_from_ledger(opened: Opened, path: Path, terms: Terms) -> Facility:
    """A team's own ledger read as the facility's draw requests, each row dated and funded."""
    book = opened.workbook
    located = find_ledger(book, str(path), uncomputed=opened.uncomputed)
    ledger = read_rows(located)
    for row in ledger.draws:
        if row.problems:
            _, problem = row.problems[0]
            raise LedgerError(name=f"{path}: sheet {located.grid.title!r}", detail=problem)
    draws: Rows = [[row.date, row.amount] for row in ledger.draws]
    inputs = workbook_inputs(book, str(path), terms, {}, skip=located.grid.title)
    with named_places(inputs.places):
        return from_rows({**inputs.ranges, "draws": draws}, inputs.terms)
