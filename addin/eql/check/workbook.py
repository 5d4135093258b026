"""``check_workbook``: a ledger workbook read safely, its inputs gathered, every draw recomputed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eql import tables
from eql.check.locate import (
    LedgerRows,
    Located,
    find_input_table,
    find_ledger,
    read_rows,
)
from eql.check.recompute import CheckResult, check_rows
from eql.csvfiles import read_csv_file
from eql.errors import EqlError
from eql.terms import Terms
from eql.untrusted import open_workbook

INPUTS = ("prices", "cash_used", "milestones", "reductions")
REQUIRED_INPUTS = {
    "prices": "a sheet with 'Date' and 'Close' columns",
    "cash_used": "a sheet with 'Fiscal quarter' and 'Cash used' columns",
    "milestones": "a sheet with 'Milestone' and 'Date' columns",
}


class MissingInputError(EqlError):
    msg = "{workbook}: no {name} found: add {where} to the workbook, or pass --{option} FILE (a CSV like the example's {name}.csv)"


@dataclass(frozen=True)
class Checked:
    path: Path
    located: Located
    ledger: LedgerRows
    result: CheckResult
    sources: dict[str, str]  # input -> where it came from, e.g. "sheet 'Prices'" or a file


def gather_inputs(
    workbook: Any, name: str, ledger_sheet: str, files: Mapping[str, Path | None]
) -> tuple[dict[str, list[list[Any]]], dict[str, str]]:
    """Each input from a file given on the command line, else from a sheet found by headings."""
    ranges: dict[str, list[list[Any]]] = {}
    sources: dict[str, str] = {}
    for key in INPUTS:
        file = files.get(key)
        if file is not None:
            ranges[key] = read_csv_file(Path(file))
            sources[key] = str(file)
            continue
        found = find_input_table(workbook, key, skip=ledger_sheet)
        if found is not None:
            sheet, rows = found
            ranges[key] = rows
            sources[key] = f"sheet {sheet!r}"
        elif key in REQUIRED_INPUTS:
            raise MissingInputError(
                workbook=name,
                name=key.replace("_", " "),
                where=REQUIRED_INPUTS[key],
                option=key.replace("_", "-"),
            )
        else:
            ranges[key] = []
            sources[key] = "none"
    return ranges, sources


def check_workbook(
    path: Path,
    terms: Terms,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    files: Mapping[str, Path | None] | None = None,
) -> Checked:
    """Find the ledger in ``path``, gather its inputs, and recompute every draw."""
    path = Path(path)
    keep_vba = path.suffix.lower() == ".xlsm"
    opened = open_workbook(path, data_only=True, keep_vba=keep_vba)
    workbook = opened.workbook
    try:
        # The values are what the ledger shows; a formula never computed is told from a blank.
        located = find_ledger(workbook, str(path), sheet, mapping, opened.uncomputed)
        ledger = read_rows(located)
        ranges, sources = gather_inputs(workbook, str(path), located.grid.title, files or {})
    finally:
        workbook.close()
    result = check_rows(
        ledger,
        tables.price_history(ranges["prices"]),
        tables.cash_used(ranges["cash_used"], terms),
        tables.milestones(ranges["milestones"], terms),
        tables.reductions(ranges["reductions"]),
        terms,
    )
    return Checked(path, located, ledger, result, sources)
